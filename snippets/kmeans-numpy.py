"""k-means by Lloyd's algorithm, recording the objective J after every assignment step.

J = sum_i sum_{x in G_i} ||x - c_i||^2 never increases: the assignment step gives each point its
nearest centre, and the update step moves each centre to the mean of its points, the minimiser of
that cluster's squared distances. The result is a local optimum that depends on the start.
"""
from typing import Optional

import numpy as np


def squared_distances(X: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """(n, k) matrix of ||x_n - c_k||^2."""
    # The expanded form ||x||^2 - 2 x.c + ||c||^2 is faster but cancellation can make it slightly
    # negative or break exact ties; the direct difference keeps the reference exact.
    diff = X[:, None, :] - centres[None, :, :]
    return np.einsum("nkd,nkd->nk", diff, diff)


def assign(X: np.ndarray, centres: np.ndarray, current: Optional[np.ndarray] = None):
    """Nearest centre per point; on a tie a point keeps its current cluster."""
    d2 = squared_distances(X, centres)
    labels = d2.argmin(axis=1)
    if current is not None:
        # Without this rule the partition could change while J stays equal. The termination
        # argument needs every change to lower J strictly (then no partition can repeat).
        rows = np.arange(len(X))
        keep = d2[rows, current] <= d2[rows, labels]
        labels[keep] = current[keep]
    return labels, d2[np.arange(len(X)), labels]


def update(X: np.ndarray, labels: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Mean of each cluster; an empty cluster takes over the point that is worst served."""
    n_clusters = len(centres)
    new = np.array(centres, dtype=float)
    for k in range(n_clusters):
        members = X[labels == k]
        if len(members):
            new[k] = members.mean(axis=0)
    empty = [k for k in range(n_clusters) if not np.any(labels == k)]
    if empty:
        # An empty cluster has no mean. Moving its centre onto the point farthest from its own
        # centre removes that point's whole term from J, so the objective still cannot go up.
        own_d2 = ((X - new[labels]) ** 2).sum(axis=1)
        for k, point in zip(empty, np.argsort(-own_d2, kind="stable")):
            new[k] = X[point]
    return new


def inertia(X: np.ndarray, centres: np.ndarray) -> float:
    """J for the best partition given the centres: squared distance to the nearest centre."""
    return float(squared_distances(X, centres).min(axis=1).sum())


def kmeans(X: np.ndarray, n_clusters: int, rng: np.random.Generator,
           init: Optional[np.ndarray] = None, max_iter: int = 300):
    """Lloyd's algorithm. Returns (centres, labels, history), history[t] = J after t updates."""
    X = np.asarray(X, dtype=float)
    if init is None:
        # Forgy start: k distinct data points. k-means++ (kmeans_plus_plus) is the better default.
        init = X[rng.choice(len(X), size=n_clusters, replace=False)]
    centres = np.array(init, dtype=float)
    labels, d2 = assign(X, centres)
    history = [float(d2.sum())]
    for _ in range(max_iter):
        centres = update(X, labels, centres)
        new_labels, d2 = assign(X, centres, labels)
        history.append(float(d2.sum()))
        # At most K^N partitions, and none can come back while J strictly drops, so this fixed
        # point is reached in finitely many steps (max_iter is only a safety net).
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
    return centres, labels, history


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    blobs = [rng.normal(loc, 0.5, size=(100, 2)) for loc in ([0, 0], [4, 0], [2, 3])]
    data = np.vstack(blobs)
    centres, labels, history = kmeans(data, n_clusters=3, rng=rng)
    steps = np.diff(history)
    print("J per iteration:", np.round(history, 3))
    print(f"largest increase of J = {max(steps.max(), 0.0):.6f} (expected 0: J is non-increasing)")
