"""Binary logistic regression: stable mean BCE from logits, its gradient, and a Newton (IRLS) fit.

Model  P(y=1|x) = sigmoid(w.x + b). Objective (mean log loss, optional L2 on w only):
    J(w, b) = (1/N) sum_i [softplus(z_i) - y_i z_i] + (l2/2) ||w||^2,   z_i = w.x_i + b
    grad_w = X^T (sigmoid(z) - y) / N + l2 w,   grad_b = mean(sigmoid(z) - y)
scikit-learn's LogisticRegression minimises (1/2)||w||^2 + C * sum_i loss_i, which is the same
problem as l2 = 1 / (C N). Bishop (2006) §4.3.2-4.3.3; Hastie et al. (2009) §4.4.
"""
import warnings

import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-z)) without overflow for large |z|."""
    z = np.asarray(z, dtype=np.float64)
    # exp(-|z|) is in (0, 1], so neither branch can overflow; the z < 0 branch is e^z / (1 + e^z).
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def bce_with_logits(z: np.ndarray, y: np.ndarray) -> float:
    """Mean binary cross-entropy from logits, max(z, 0) - z y + log(1 + exp(-|z|))."""
    z, y = np.asarray(z, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if z.shape != y.shape or z.size == 0:
        raise ValueError(f"z and y must be non-empty with equal shapes, got {z.shape} and {y.shape}")
    if np.any((y < 0) | (y > 1)):
        raise ValueError("y must lie in [0, 1]")
    # log(sigmoid(z)) would round to log(0) = -inf once sigmoid(z) is 0 or 1 in floating point.
    return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))


def _check(X: np.ndarray, y: np.ndarray, l2: float):
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must be 2-D (n_samples, n_features) with n_samples >= 1, got shape {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},), got {y.shape}")
    if np.any((y < 0) | (y > 1)):
        raise ValueError("y must lie in [0, 1]")
    if not l2 >= 0:
        raise ValueError(f"l2 must be >= 0, got {l2}")
    return X, y


def loss_and_grad(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray, l2: float = 0.0):
    """Objective J(w, b) and its gradient (grad_w, grad_b)."""
    X, y = _check(X, y, l2)
    w = np.asarray(w, dtype=np.float64)
    if w.shape != (X.shape[1],):
        raise ValueError(f"w must have shape ({X.shape[1]},), got {w.shape}")
    z = X @ w + b
    residual = sigmoid(z) - y          # dJ/dz_i times N: "prediction minus target"
    n = len(y)
    loss = bce_with_logits(z, y) + 0.5 * l2 * float(w @ w)
    return loss, X.T @ residual / n + l2 * w, float(residual.mean())


def fit_logistic_regression(X: np.ndarray, y: np.ndarray, l2: float = 0.0, max_iter: int = 100,
                            tol: float = 1e-10):
    """Newton's method (IRLS) with backtracking. Returns (w, b); the intercept is not penalised."""
    X, y = _check(X, y, l2)
    if max_iter < 1:
        raise ValueError(f"max_iter must be >= 1, got {max_iter}")
    n, d = X.shape
    A = np.hstack([X, np.ones((n, 1))])          # intercept as a last column of ones
    penalty = np.full(d + 1, l2)
    penalty[-1] = 0.0                             # shrinking b would bias the base rate

    def objective(theta):
        return bce_with_logits(A @ theta, y) + 0.5 * float(penalty @ theta**2)

    theta = np.zeros(d + 1)
    current = objective(theta)
    for _ in range(max_iter):
        p = sigmoid(A @ theta)
        grad = A.T @ (p - y) / n + penalty * theta
        if np.max(np.abs(grad)) < tol:
            break
        # Hessian A^T S A / N + diag(penalty), S = p(1 - p): PSD, so the loss is convex and the
        # Newton direction is a descent direction whenever the Hessian is non-singular.
        hessian = (A * (p * (1 - p))[:, None]).T @ A / n + np.diag(penalty)
        step = np.linalg.lstsq(hessian, grad, rcond=None)[0]
        # Backtracking: a full Newton step can overshoot far from the optimum, where the loss is
        # nearly linear rather than quadratic.
        t = 1.0
        while t > 1e-10:
            candidate = objective(theta - t * step)
            if candidate <= current:
                break
            t *= 0.5
        theta, current = theta - t * step, candidate
    else:
        warnings.warn(f"no convergence in {max_iter} Newton steps", RuntimeWarning)
    if l2 == 0 and np.all((A @ theta > 0) == (y > 0.5)) and np.all((y == 0) | (y == 1)):
        # A hyperplane that classifies every point correctly means the data are separable: no
        # finite optimum exists, |w| grows with each step and the gradient (~e^-|w|) only looks
        # converged because the tolerance is reached.
        warnings.warn("the fit separates the classes perfectly: without l2 > 0 the weights "
                      "diverge and only the tolerance stops them", RuntimeWarning)
    return theta[:-1], float(theta[-1])


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5000, 3))
    y = (rng.random(5000) < sigmoid(X @ np.array([1.5, -2.0, 0.5]) - 0.3)).astype(float)
    w, b = fit_logistic_regression(X, y)
    _, gw, gb = loss_and_grad(w, b, X, y)
    print(f"w = {np.round(w, 4)}, b = {b:.4f} (expected within ~0.2 of the true [1.5, -2, 0.5], -0.3)")
    print(f"|gradient| at the fit = {max(np.abs(gw).max(), abs(gb)):.2e} (expected < 1e-10)")
    print(f"BCE at logit 800, label 0 = {bce_with_logits(np.array([800.0]), np.array([0.0]))} (expected 800.0)")
