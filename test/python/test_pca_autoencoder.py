import numpy as np
import pytest
from scipy.linalg import subspace_angles

from conftest import load_snippet

pca_mod = load_snippet("pca-svd-numpy")
lae = load_snippet("linear-autoencoder-numpy")


def anisotropic(seed=0, n=400, scales=(3.0, 2.0, 0.6, 0.4, 0.3, 0.2)):
    rng = np.random.default_rng(seed)
    d = len(scales)
    rotation = np.linalg.qr(rng.normal(size=(d, d)))[0]
    return rng.normal(size=(n, d)) * np.array(scales) @ rotation + rng.normal(size=d) * 5


def test_pca_components_orthonormal_and_match_covariance_eigenvectors():
    X = anisotropic(1)
    model = pca_mod.PCA(n_components=3).fit(X)
    V = model.components_
    np.testing.assert_allclose(V @ V.T, np.eye(3), atol=1e-12)
    eigenvalues, eigenvectors = np.linalg.eigh(np.cov(X, rowvar=False))
    order = np.argsort(eigenvalues)[::-1][:3]
    for row, j in zip(V, order):
        vec = eigenvectors[:, j]
        # equal up to sign
        assert min(np.abs(row - vec).max(), np.abs(row + vec).max()) < 1e-9
    np.testing.assert_allclose(model.explained_variance_, eigenvalues[order], rtol=1e-10)
    np.testing.assert_allclose(model.explained_variance_ratio_, eigenvalues[order] / eigenvalues.sum(), rtol=1e-10)


def test_pca_transform_and_inverse():
    X = anisotropic(2)
    full = pca_mod.PCA().fit(X)
    np.testing.assert_allclose(full.inverse_transform(full.transform(X)), X, atol=1e-10)
    np.testing.assert_allclose(full.explained_variance_ratio_.sum(), 1.0, rtol=1e-12)
    k2 = pca_mod.PCA(n_components=2).fit(X)
    Z = k2.transform(X)
    # scores are uncorrelated with variances equal to the explained variances
    np.testing.assert_allclose(np.cov(Z, rowvar=False), np.diag(k2.explained_variance_), atol=1e-9)
    # rank-2 reconstruction error = the discarded variance (Eckart-Young)
    residual = ((X - k2.inverse_transform(Z)) ** 2).sum() / (len(X) - 1)
    assert residual == pytest.approx(full.explained_variance_[2:].sum(), rel=1e-10)


def test_pca_signs_are_deterministic():
    X = anisotropic(3)
    a = pca_mod.PCA(2).fit(X).components_
    b = pca_mod.PCA(2).fit(X[::-1].copy()).components_
    np.testing.assert_allclose(a, b, atol=1e-10)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_linear_autoencoder_spans_pca_subspace_but_is_not_orthonormal(seed):
    X = anisotropic(seed)
    rng = np.random.default_rng(seed + 10)
    W_enc, W_dec, mean, history = lae.train_linear_autoencoder(X, n_components=2, learning_rate=0.05,
                                                               n_steps=3000, rng=rng)
    basis = lae.pca_subspace(X, 2)
    angles = np.degrees(lae.principal_angles(W_dec, basis))
    assert angles.max() < 1.0, angles
    # independent oracle for the helper
    np.testing.assert_allclose(np.sort(angles), np.sort(np.degrees(subspace_angles(W_dec, basis))), atol=1e-6)
    # the encoder's row space matches too, and the product is the orthogonal projection
    assert np.degrees(lae.principal_angles(W_enc.T, basis)).max() < 1.0
    np.testing.assert_allclose(W_dec @ W_enc, basis @ basis.T, atol=1e-3)
    # the loss reached PCA's optimum: half the mean discarded variance
    eig = np.sort(np.linalg.eigvalsh(np.cov(X, rowvar=False) * (len(X) - 1) / len(X)))[::-1]
    assert history[-1] == pytest.approx(eig[2:].sum() / 2, rel=1e-4)
    assert all(b <= a + 1e-12 for a, b in zip(history, history[1:]))
    # not the PCA basis: the decoder columns are not orthonormal
    assert np.abs(W_dec.T @ W_dec - np.eye(2)).max() > 0.05


def test_linear_autoencoder_unbalanced_init_keeps_the_imbalance():
    X = anisotropic(4)
    rng = np.random.default_rng(0)
    W_enc0 = rng.normal(scale=1.0, size=(2, 6))
    W_dec0 = rng.normal(scale=0.05, size=(6, 2))
    W_enc, W_dec, _, _ = lae.train_linear_autoencoder(X, 2, learning_rate=0.02, n_steps=4000,
                                                      W_enc=W_enc0, W_dec=W_dec0)
    assert np.degrees(lae.principal_angles(W_dec, lae.pca_subspace(X, 2))).max() < 1.0
    # gradient flow conserves W_dec^T W_dec - W_enc W_enc^T (up to O(learning rate) drift)
    before = W_dec0.T @ W_dec0 - W_enc0 @ W_enc0.T
    after = W_dec.T @ W_dec - W_enc @ W_enc.T
    np.testing.assert_allclose(after, before, atol=0.05 * np.abs(before).max())
    assert np.abs(W_dec.T @ W_dec - np.eye(2)).max() > 0.2


def test_principal_angles_known_values():
    e = np.eye(3)
    tilted = np.array([[1.0, 0.0], [0.0, np.cos(0.3)], [0.0, np.sin(0.3)]])
    np.testing.assert_allclose(lae.principal_angles(e[:, :2], tilted), [0.0, 0.3], atol=1e-12)
    # scaling/mixing the spanning vectors does not change the subspace
    np.testing.assert_allclose(lae.principal_angles(e[:, :2] @ np.array([[2.0, 1.0], [0.0, 3.0]]), e[:, :2]), [0, 0], atol=1e-7)
