"""A linear autoencoder trained by gradient descent finds the PCA subspace, not the PCA basis.

Encoder W_enc (k x d) and decoder W_dec (d x k), untied, no nonlinearity, loss = squared
reconstruction error sum_i ||x_i - W_dec W_enc x_i||^2 / (2n) on centred data. At the optimum W_dec W_enc is the orthogonal projection onto
the top-k principal subspace (Baldi & Hornik 1989), but any invertible A gives an equally good pair
(W_dec A, A^-1 W_enc): the decoder's columns span that subspace without being orthonormal,
ordered by variance, or equal to the eigenvectors.
"""
from typing import Optional

import numpy as np


def train_linear_autoencoder(X: np.ndarray, n_components: int, learning_rate: float = 0.05,
                             n_steps: int = 3000, rng: Optional[np.random.Generator] = None,
                             W_enc: Optional[np.ndarray] = None,
                             W_dec: Optional[np.ndarray] = None):
    """Plain full-batch gradient descent. Returns (W_enc, W_dec, mean, loss_history)."""
    X = np.asarray(X, dtype=float)
    n, d = X.shape
    # Without biases the network can only represent subspaces through the origin; centring is
    # what makes its optimum coincide with PCA (or learn biases instead).
    mean = X.mean(axis=0)
    Xc = X - mean
    rng = rng if rng is not None else np.random.default_rng()
    # Independent random initialisations are not "balanced": gradient flow conserves
    # W_dec^T W_dec - W_enc W_enc^T, so that initial difference is why the learned decoder is, in
    # general, not orthonormal even though its column space is the PCA subspace.
    if W_enc is None:
        W_enc = rng.normal(scale=1 / np.sqrt(d), size=(n_components, d))
    if W_dec is None:
        W_dec = rng.normal(scale=1 / np.sqrt(n_components), size=(d, n_components))
    W_enc, W_dec = np.array(W_enc, dtype=float), np.array(W_dec, dtype=float)   # own copies
    history = []
    for _ in range(n_steps):
        codes = Xc @ W_enc.T                  # (n, k)
        residual = codes @ W_dec.T - Xc       # (n, d)
        history.append(float((residual**2).sum() / (2 * n)))
        # Chain rule through the product W_dec W_enc; both factors move at once, which is what
        # makes the landscape non-convex (yet every local minimum is global: the rest are saddles).
        grad_dec = residual.T @ codes / n
        grad_enc = W_dec.T @ residual.T @ Xc / n
        W_dec -= learning_rate * grad_dec
        W_enc -= learning_rate * grad_enc
    return W_enc, W_dec, mean, history


def principal_angles(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Angles (radians, ascending) between the column spaces of A and B."""
    # Orthonormal bases first: the angles depend on the subspaces only, not on the spanning vectors.
    Qa, _ = np.linalg.qr(A)
    Qb, _ = np.linalg.qr(B)
    cosines = np.linalg.svd(Qa.T @ Qb, compute_uv=False)
    return np.sort(np.arccos(np.clip(cosines, -1.0, 1.0)))


def pca_subspace(X: np.ndarray, n_components: int) -> np.ndarray:
    """(d, k) orthonormal basis of the top-k principal subspace."""
    _, _, Vt = np.linalg.svd(X - X.mean(axis=0), full_matrices=False)
    return Vt[:n_components].T


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    rotation = np.linalg.qr(rng.normal(size=(6, 6)))[0]
    data = rng.normal(size=(400, 6)) * np.array([3.0, 2.0, 0.6, 0.4, 0.3, 0.2]) @ rotation
    W_enc, W_dec, mean, history = train_linear_autoencoder(data, n_components=2, rng=rng)
    angles = np.degrees(principal_angles(W_dec, pca_subspace(data, 2)))
    gram = W_dec.T @ W_dec
    print(f"loss {history[0]:.3f} -> {history[-1]:.4f}; W_dec^T W_dec =", np.round(gram, 3).tolist(),
          "(not the identity: not the PCA basis)")
    print(f"largest principal angle to the PCA subspace = {angles.max():.4f} deg (expected < 1)")
