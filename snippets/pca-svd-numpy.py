"""Principal component analysis through the SVD of the centred data matrix.

With Xc = U S V^T, the rows of V^T are the eigenvectors of the covariance Xc^T Xc / (n - 1) and
S^2 / (n - 1) its eigenvalues, so the SVD gives the principal axes without ever forming the
covariance (which would square the condition number and lose precision).
"""
from typing import Optional

import numpy as np


class PCA:
    def __init__(self, n_components: Optional[int] = None):
        self.n_components = n_components

    def fit(self, X: np.ndarray) -> "PCA":
        X = np.asarray(X, dtype=float)
        n = len(X)
        # Principal components describe variance around the mean; without centring, the first
        # "component" would mostly point at the mean itself.
        self.mean_ = X.mean(axis=0)
        _, S, Vt = np.linalg.svd(X - self.mean_, full_matrices=False)
        # Eigenvectors are defined only up to sign; fix one (largest entry positive) so that
        # results are reproducible across LAPACK builds.
        signs = np.sign(Vt[np.arange(len(Vt)), np.abs(Vt).argmax(axis=1)])
        Vt *= signs[:, None]
        k = self.n_components or len(S)
        variance = S**2 / (n - 1)
        self.components_ = Vt[:k]                      # (k, d), orthonormal rows
        self.explained_variance_ = variance[:k]
        # The ratio is against the total variance, all components included, not only the kept ones.
        self.explained_variance_ratio_ = variance[:k] / variance.sum()
        self.singular_values_ = S[:k]
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        return (np.asarray(X, dtype=float) - self.mean_) @ self.components_.T

    def inverse_transform(self, Z: np.ndarray) -> np.ndarray:
        # Orthonormal rows make the transpose the (pseudo-)inverse: this is the orthogonal
        # projection onto the principal subspace, the best rank-k reconstruction in squared error.
        return np.asarray(Z) @ self.components_ + self.mean_


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    rotation = np.linalg.qr(rng.normal(size=(5, 5)))[0]
    data = rng.normal(size=(500, 5)) * np.array([3.0, 2.0, 1.0, 0.5, 0.1]) @ rotation + 10.0
    pca = PCA(n_components=2).fit(data)
    eigenvalues = np.linalg.eigvalsh(np.cov(data, rowvar=False))[::-1]
    gram_error = np.abs(pca.components_ @ pca.components_.T - np.eye(2)).max()
    print("explained variance ratio:", np.round(pca.explained_variance_ratio_, 4))
    print(f"max |V V^T - I| = {gram_error:.2e} (expected ≈ 0: orthonormal components)")
    eig_error = np.abs(pca.explained_variance_ - eigenvalues[:2]).max()
    print(f"max |variance - covariance eigenvalue| = {eig_error:.2e} (expected ≈ 0)")
