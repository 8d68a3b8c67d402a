import warnings

import numpy as np
import pytest
from sklearn.cluster import KMeans

from conftest import load_snippet

km = load_snippet("kmeans-numpy")
kpp = load_snippet("kmeans-plus-plus-numpy")


def blobs(seed=0, n=60):
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0], [3.0, 0.5], [1.0, 3.0], [4.0, 4.0]])
    return np.vstack([rng.normal(c, 0.9, size=(n, 2)) for c in centres])


def sklearn_inertia(X, init, max_iter):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = KMeans(n_clusters=len(init), init=init, n_init=1, max_iter=max_iter, tol=0.0, algorithm="lloyd")
        model.fit(X)
    return model


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kmeans_history_non_increasing_and_matches_sklearn(seed):
    X = blobs(seed)
    rng = np.random.default_rng(seed)
    init = X[rng.choice(len(X), 4, replace=False)]
    centres, labels, history = km.kmeans(X, n_clusters=4, rng=rng, init=init)
    assert len(history) >= 3, "start should be poor enough to need a few iterations"
    assert np.all(np.diff(history) <= 1e-9), history
    # history[t] is J after t updates from the same start; sklearn's inertia_ after max_iter=t is
    # the same quantity (assignment to the t-th centres), computed independently.
    for t, value in enumerate(history[1:], start=1):
        assert value == pytest.approx(sklearn_inertia(X, init, t).inertia_, rel=1e-10), f"iteration {t}"
    final = sklearn_inertia(X, init, 300)
    np.testing.assert_allclose(centres, final.cluster_centers_, atol=1e-10)
    np.testing.assert_array_equal(labels, final.labels_)
    # ... and a direct recomputation of the objective for the returned partition
    assert history[-1] == pytest.approx(((X - centres[labels]) ** 2).sum(), rel=1e-12)
    assert history[0] == pytest.approx(km.inertia(X, init), rel=1e-12)


def test_kmeans_converged_partition_is_a_fixed_point():
    X = blobs(3)
    centres, labels, _ = km.kmeans(X, n_clusters=4, rng=np.random.default_rng(3))
    for k in range(4):
        np.testing.assert_allclose(centres[k], X[labels == k].mean(axis=0), atol=1e-12)
    np.testing.assert_array_equal(labels, km.squared_distances(X, centres).argmin(axis=1))


def test_kmeans_ties_stay_with_current_cluster():
    # Point 2.0 is equidistant from centres 1.0 and 3.0.
    X = np.array([[2.0], [0.0], [4.0]])
    centres = np.array([[1.0], [3.0]])
    labels, d2 = km.assign(X, centres, current=np.array([1, 0, 1]))
    assert labels.tolist() == [1, 0, 1]
    labels, _ = km.assign(X, centres, current=np.array([0, 0, 1]))
    assert labels.tolist() == [0, 0, 1]
    np.testing.assert_allclose(d2, [1.0, 1.0, 1.0])


def test_kmeans_empty_cluster_rule_keeps_objective_non_increasing():
    X = blobs(4)
    init = np.array([[0.0, 0.0], [3.0, 0.5], [1.0, 3.0], [100.0, 100.0]])  # last centre attracts nobody
    labels, _ = km.assign(X, init)
    assert not np.any(labels == 3)
    centres, labels, history = km.kmeans(X, n_clusters=4, rng=np.random.default_rng(0), init=init)
    assert np.all(np.isfinite(centres))
    assert np.all(np.diff(history) <= 1e-9)
    assert sorted(set(labels.tolist())) == [0, 1, 2, 3]
    # the relocated centre took over the worst-served point: J dropped by at least that point's term
    first_labels, d2 = km.assign(X, init)
    means = np.array([X[first_labels == k].mean(axis=0) for k in range(3)])
    worst = ((X - means[first_labels]) ** 2).sum(axis=1).max()
    assert history[1] <= ((X - means[first_labels]) ** 2).sum() - worst + 1e-9


def test_kmeans_plus_plus_centres_are_distinct_data_points():
    X = blobs(5)
    rng = np.random.default_rng(0)
    for _ in range(20):
        centres, idx = kpp.kmeans_plus_plus(X, n_clusters=6, rng=rng)
        assert centres.shape == (6, 2)
        assert len(set(idx.tolist())) == 6
        np.testing.assert_array_equal(centres, X[idx])


def test_kmeans_plus_plus_d2_sampling_proportions():
    points = np.array([[0.0], [1.0], [3.0], [6.0]])
    rng = np.random.default_rng(12345)
    draws = 40_000
    pairs = np.array([kpp.kmeans_plus_plus(points, n_clusters=2, rng=rng)[1] for _ in range(draws)])
    first_freq = np.bincount(pairs[:, 0], minlength=4) / draws
    np.testing.assert_allclose(first_freq, 0.25, atol=0.015)
    d2 = (points - points.T) ** 2
    for first in range(4):
        second = pairs[pairs[:, 0] == first, 1]
        freq = np.bincount(second, minlength=4) / len(second)
        expected = d2[first] / d2[first].sum()
        # ~10k draws per first centre: binomial sd <= 0.005, so 0.02 is a 4-sigma band; plain-distance
        # sampling would be off by > 0.07 in some cell.
        np.testing.assert_allclose(freq, expected, atol=0.02, err_msg=f"first centre {first}")


def test_kmeans_plus_plus_handles_duplicate_points():
    X = np.zeros((5, 2))
    centres, idx = kpp.kmeans_plus_plus(X, n_clusters=3, rng=np.random.default_rng(0))
    assert len(set(idx.tolist())) == 3
    with pytest.raises(ValueError):
        kpp.kmeans_plus_plus(X, n_clusters=6, rng=np.random.default_rng(0))


def test_kmeans_empty_clusters_take_over_the_worst_served_points():
    # Cluster 0 holds every point; its mean is 3.5 in 1-D, so the squared distances to it are
    # 12.25, 6.25, 42.25 and 0.25 for 0, 1, 10 and 3. The two empty clusters must move to the two
    # farthest points, farthest first (10, then 0), not to the best served ones (3, then 1).
    X = np.array([[0.0], [1.0], [10.0], [3.0]])
    labels = np.zeros(4, dtype=int)
    centres = np.array([[5.0], [100.0], [-100.0]])
    new = km.update(X, labels, centres)
    np.testing.assert_allclose(new, [[3.5], [10.0], [0.0]], rtol=0, atol=1e-12)
    # ... and that is the relocation that lowers J most: each moved point's term drops to 0
    _, d2 = km.assign(X, new, labels)
    assert d2.sum() <= ((X - 3.5) ** 2).sum() - 42.25 - 12.25 + 1e-9
