"""k-means++ seeding (Arthur & Vassilvitskii 2007): D^2 sampling of the initial centres.

Each new centre is a data point drawn with probability proportional to its squared distance to the
nearest centre chosen so far. Far-away, uncovered regions are likely to get a centre, which makes
the expected k-means objective O(log k)-competitive with the optimum before Lloyd even starts.
"""
import numpy as np


def kmeans_plus_plus(X: np.ndarray, n_clusters: int, rng: np.random.Generator):
    """Returns (centres, indices): n_clusters rows of X and their row indices."""
    X = np.asarray(X, dtype=float)
    n = len(X)
    if not 1 <= n_clusters <= n:
        raise ValueError(f"n_clusters must be in [1, {n}], got {n_clusters}")
    # The first centre is uniform: with no centre yet, every point is equally "uncovered".
    indices = [int(rng.integers(n))]
    closest_d2 = ((X - X[indices[0]]) ** 2).sum(axis=1)
    for _ in range(1, n_clusters):
        total = closest_d2.sum()
        if total > 0:
            # Squared, not plain, distance: that is what ties the seeding to the k-means objective
            # and gives the O(log k) guarantee. Chosen points have weight 0 and cannot repeat.
            nxt = int(rng.choice(n, p=closest_d2 / total))
        else:
            # Every point already sits on a centre (duplicates): any remaining point is as good.
            nxt = int(rng.choice(np.setdiff1d(np.arange(n), indices)))
        indices.append(nxt)
        # Keep only the distance to the nearest centre; updating it is O(n d) per new centre.
        closest_d2 = np.minimum(closest_d2, ((X - X[nxt]) ** 2).sum(axis=1))
    return X[indices], np.array(indices)


if __name__ == "__main__":
    # Tiny 1-D set: after the first centre at 0, the second is drawn with p = d^2 / sum d^2.
    points = np.array([[0.0], [1.0], [3.0], [6.0]])
    rng = np.random.default_rng(0)
    picks = []
    for _ in range(20000):
        _, idx = kmeans_plus_plus(points, n_clusters=2, rng=rng)
        if idx[0] == 0:
            picks.append(idx[1])
    freq = np.bincount(picks, minlength=4) / len(picks)
    expected = np.array([0.0, 1.0, 9.0, 36.0]) / 46.0
    print("second-centre frequencies:", np.round(freq, 3), "d^2 / sum d^2:", np.round(expected, 3))
    print(f"max |frequency - d^2 share| = {np.abs(freq - expected).max():.4f} (expected < 0.02)")
