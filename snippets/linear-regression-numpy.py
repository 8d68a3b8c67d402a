"""Least squares and ridge regression with an unpenalised intercept, by orthogonal factorisation.

OLS:    min_{w,b} ||y - X w - b||^2
Ridge:  min_{w,b} ||y - X w - b||^2 + lam ||w||^2      (summed squared error, as sklearn's Ridge:
        Ridge(alpha=lam) is this problem; a mean-squared-error objective would need lam * N)
Centring X and y removes b from the problem (the optimal b makes the residuals sum to zero), so the
penalty never touches it: b = mean(y) - mean(X) w. Hastie et al. (2009) §3.2, §3.4.1.
"""
import numpy as np


def _check(X: np.ndarray, y: np.ndarray, lam: float):
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"X must be 2-D (n_samples, n_features) and non-empty, got shape {X.shape}")
    if y.ndim not in (1, 2) or y.shape[0] != X.shape[0]:
        raise ValueError(f"y must have shape ({X.shape[0]},) or ({X.shape[0]}, n_targets), got {y.shape}")
    if not (np.isfinite(X).all() and np.isfinite(y).all()):
        raise ValueError("X and y must be finite")
    if not lam >= 0:
        raise ValueError(f"lam must be >= 0, got {lam}")
    return X, y


def fit_ridge(X: np.ndarray, y: np.ndarray, lam: float = 0.0, fit_intercept: bool = True):
    """Minimiser (w, b) of ||y - Xw - b||^2 + lam ||w||^2; lam = 0 is ordinary least squares."""
    X, y = _check(X, y, lam)
    if fit_intercept:
        x_mean, y_mean = X.mean(axis=0), y.mean(axis=0)
        Xc, yc = X - x_mean, y - y_mean
    else:
        Xc, yc = X, y
    if lam > 0:
        # Ridge is least squares on the stacked system [X; sqrt(lam) I] w = [y; 0]. Solving that by
        # SVD/QR avoids forming X^T X + lam I, which squares the condition number of X.
        d = X.shape[1]
        Xc = np.vstack([Xc, np.sqrt(lam) * np.eye(d)])
        yc = np.concatenate([yc, np.zeros((d,) + yc.shape[1:])])
    # lstsq (SVD) returns the minimum-norm solution when X is rank-deficient, as sklearn does.
    w = np.linalg.lstsq(Xc, yc, rcond=None)[0]
    b = y_mean - x_mean @ w if fit_intercept else np.zeros(y.shape[1:])
    return w, (float(b) if np.ndim(b) == 0 else b)


def fit_linear_regression(X: np.ndarray, y: np.ndarray, fit_intercept: bool = True):
    """Ordinary least squares (w, b)."""
    return fit_ridge(X, y, 0.0, fit_intercept)


def predict(X: np.ndarray, w: np.ndarray, b) -> np.ndarray:
    """X w + b."""
    return np.asarray(X, dtype=np.float64) @ w + b


if __name__ == "__main__":
    x = np.array([[0.0], [1.0], [2.0], [3.0]])
    w, b = fit_linear_regression(x, np.array([1.0, 3.0, 4.0, 7.0]))
    print(f"OLS line: b = {b:.4f}, w = {w[0]:.4f} (expected 0.9, 1.9)")
    w, _ = fit_ridge(np.array([[1.0], [2.0], [3.0]]), np.array([1.0, 2.0, 2.0]), lam=1.0, fit_intercept=False)
    print(f"ridge, lam = 1, no intercept: w = {w[0]:.6f} (expected 11/15 = {11 / 15:.6f})")
    # Läuchli's matrix: X^T X rounds to a singular matrix in float64, X itself is fine.
    eps = 1e-8
    X = np.array([[1.0, 1.0], [eps, 0.0], [0.0, eps]])
    w, _ = fit_linear_regression(X, X @ np.array([1.0, 2.0]), fit_intercept=False)
    print(f"ill-conditioned (kappa ~ 1e8): w = {w} (expected [1, 2] to ~1e-8)")
