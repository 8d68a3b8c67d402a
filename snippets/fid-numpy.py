"""Fréchet Inception Distance from feature arrays (Heusel et al. 2017), NumPy/SciPy.

FID fits a Gaussian to each set of features (Inception-v3 pool3, 2048-d, in the standard metric)
and returns the squared 2-Wasserstein / Fréchet distance between the two Gaussians:
    ||mu1 - mu2||^2 + Tr(S1 + S2 - 2 (S1 S2)^{1/2}).
It compares the fitted Gaussians, not the distributions, and is biased upwards for small N.
"""
import numpy as np
from scipy import linalg


def gaussian_stats(features: np.ndarray):
    """Mean and (unbiased) covariance of an (N, d) feature array."""
    features = np.asarray(features, dtype=np.float64)
    if features.ndim != 2 or len(features) < 2:
        # One vector has no spread: the unbiased covariance would divide by N - 1 = 0.
        raise ValueError(f"features must be (N, d) with N >= 2 to estimate a covariance, "
                         f"got shape {tuple(features.shape)}")
    # atleast_2d: np.cov returns a 0-d array for d = 1, which linalg.sqrtm would reject.
    return features.mean(axis=0), np.atleast_2d(np.cov(features, rowvar=False))


def frechet_distance(mu1: np.ndarray, sigma1: np.ndarray, mu2: np.ndarray, sigma2: np.ndarray,
                     eps: float = 1e-6) -> float:
    mu1, mu2 = np.atleast_1d(mu1), np.atleast_1d(mu2)
    sigma1, sigma2 = np.atleast_2d(sigma1), np.atleast_2d(sigma2)
    diff = mu1 - mu2
    # S1 S2 is not symmetric, so sqrtm goes through a (complex) Schur decomposition. Plain sqrtm,
    # no disp=False: that flag is deprecated, and failures are detected below from the result.
    covmean = linalg.sqrtm(sigma1 @ sigma2)
    if not np.isfinite(covmean).all():
        # Singular covariances (fewer samples than dimensions) can make the square root blow up;
        # a tiny ridge on both diagonals makes the product well conditioned.
        offset = np.eye(len(sigma1)) * eps
        covmean = linalg.sqrtm((sigma1 + offset) @ (sigma2 + offset))
        if not np.isfinite(covmean).all():
            raise ValueError("sqrtm(S1 S2) is not finite, even with a ridge of eps on the diagonals")
    if np.iscomplexobj(covmean):
        # The exact root has real eigenvalues (S1 S2 is similar to a PSD matrix); imaginary parts
        # are rounding noise unless they are large, which means the statistics are broken.
        if not np.allclose(np.diagonal(covmean).imag, 0, atol=1e-3):
            worst = np.abs(covmean.imag).max()
            raise ValueError(f"imaginary component {worst:.3g} in sqrtm(S1 S2)")
        covmean = covmean.real
    return float(diff @ diff + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean))


def fid_from_features(features1: np.ndarray, features2: np.ndarray) -> float:
    return frechet_distance(*gaussian_stats(features1), *gaussian_stats(features2))


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2000, 16))
    print(f"FID(X, X) = {fid_from_features(X, X):.6f} (expected ≈ 0)")
    m1, s1, m2, s2 = 1.0, 2.0, -0.5, 0.5
    closed_form = (m1 - m2) ** 2 + s1**2 + s2**2 - 2 * s1 * s2
    value = frechet_distance(np.array([m1]), np.array([[s1**2]]), np.array([m2]), np.array([[s2**2]]))
    print(f"1-D: {value:.6f}, (mu1-mu2)^2 + s1^2 + s2^2 - 2 s1 s2 = {closed_form:.6f} (expected equal)")
