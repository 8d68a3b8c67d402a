"""Kernel Inception Distance (Bińkowski et al. 2018): unbiased MMD^2, cubic polynomial kernel.

k(x, y) = (x.y / d + 1)^3 on feature vectors. Unlike FID, the estimator is unbiased, so its
expectation is 0 when both sets come from the same distribution whatever the sample size; the
mean over random subsets is reported with its standard deviation.
"""
from typing import Optional

import numpy as np


def polynomial_kernel(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    # Dividing by d keeps x.y of order 1 for high-dimensional features, so the cube stays tame.
    d = X.shape[1]
    return (X @ Y.T / d + 1.0) ** 3


def mmd2_unbiased(X: np.ndarray, Y: np.ndarray) -> float:
    m, n = len(X), len(Y)
    if m < 2 or n < 2:
        # The within-set terms average over pairs i != j: one vector has none.
        raise ValueError(f"need at least 2 feature vectors per set, got {m} and {n}")
    Kxx, Kyy, Kxy = polynomial_kernel(X, X), polynomial_kernel(Y, Y), polynomial_kernel(X, Y)
    # Dropping the diagonal k(x_i, x_i) is what removes the bias: a point compared with itself is
    # not a sample from "two draws of the same distribution". The estimate can therefore be < 0.
    within_x = (Kxx.sum() - np.trace(Kxx)) / (m * (m - 1))
    within_y = (Kyy.sum() - np.trace(Kyy)) / (n * (n - 1))
    return float(within_x + within_y - 2 * Kxy.mean())


def kernel_inception_distance(features1: np.ndarray, features2: np.ndarray, n_subsets: int = 100,
                              subset_size: int = 1000, rng: Optional[np.random.Generator] = None):
    """Mean and standard deviation of the unbiased MMD^2 over random subsets."""
    rng = rng if rng is not None else np.random.default_rng()
    features1 = np.asarray(features1, dtype=np.float64)
    features2 = np.asarray(features2, dtype=np.float64)
    n_available = min(len(features1), len(features2))
    if not 2 <= subset_size <= n_available:
        # Silently shrinking the subsets would change what is measured (KID's spread depends on
        # the subset size), and subsets larger than a set cannot be drawn without replacement.
        raise ValueError(f"subset_size must be in [2, N = {n_available}], got {subset_size}")
    # Subsets bound the O(m^2) kernel matrices and give a spread for free. Without replacement:
    # a repeated vector inside a subset brings back the k(x, x) terms the estimator leaves out.
    values = [
        mmd2_unbiased(features1[rng.choice(len(features1), subset_size, replace=False)],
                      features2[rng.choice(len(features2), subset_size, replace=False)])
        for _ in range(n_subsets)
    ]
    return float(np.mean(values)), float(np.std(values))


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    real = rng.normal(size=(1000, 8))
    same = rng.normal(size=(1000, 8))
    shifted = rng.normal(0.5, 1.0, size=(1000, 8))
    settings = dict(n_subsets=20, subset_size=200, rng=rng)
    kid_same, std_same = kernel_inception_distance(real, same, **settings)
    kid_shift, _ = kernel_inception_distance(real, shifted, **settings)
    print(f"KID(same distribution) = {kid_same:.5f} ± {std_same:.5f} (expected ≈ 0)")
    print(f"KID(shifted by 0.5) = {kid_shift:.5f} (expected > 0)")
