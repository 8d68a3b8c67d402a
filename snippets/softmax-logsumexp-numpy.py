"""Numerically stable softmax, log-softmax and log-sum-exp along one axis, NumPy.

    LSE(z)       = m + log sum_j exp(z_j - m),  m = max_j z_j
    log_softmax  = z - LSE(z)
    softmax      = exp(z - m) / sum_j exp(z_j - m)
Subtracting m is exact (softmax is shift invariant) and keeps every exponent <= 0, so nothing
overflows and the sum lies in [1, n]. Bridle (1990); Goodfellow et al., Deep Learning, §4.1.
"""
import numpy as np


def _as_float(x: np.ndarray, axis: int) -> np.ndarray:
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    if x.ndim == 0:
        raise ValueError("x must have at least one dimension, got a scalar")
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"axis {axis} is out of range for an array of {x.ndim} dimensions")
    if x.shape[axis] == 0:
        raise ValueError(f"axis {axis} is empty: softmax needs at least one entry")
    return x


def _finite_max(x: np.ndarray, axis: int) -> np.ndarray:
    m = np.max(x, axis=axis, keepdims=True)
    # A row of all -inf (fully masked) has m = -inf and x - m = nan; shifting by 0 instead makes
    # every exp 0, so LSE = log 0 = -inf, as scipy and torch return. A +inf entry gives +inf.
    return np.where(np.isfinite(m), m, 0.0)


def logsumexp(x: np.ndarray, axis: int = -1, keepdims: bool = False) -> np.ndarray:
    """log(sum(exp(x))) along axis without overflow or underflow to log 0."""
    x = _as_float(x, axis)
    m = _finite_max(x, axis)
    with np.errstate(divide="ignore"):  # log 0 = -inf is the right answer for all -inf rows
        out = m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))
    return out if keepdims else np.squeeze(out, axis=axis)


def log_softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """log softmax(x) along axis, exact even where softmax itself underflows to 0."""
    x = _as_float(x, axis)
    # log(softmax(x)) would turn probabilities below ~1e-308 into log 0 = -inf; this does not.
    # A row of all -inf gives -inf - (-inf) = nan, like torch.log_softmax: it has no distribution.
    with np.errstate(invalid="ignore"):
        return x - logsumexp(x, axis=axis, keepdims=True)


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """exp(x) / sum(exp(x)) along axis, shifted by the maximum."""
    x = _as_float(x, axis)
    e = np.exp(x - _finite_max(x, axis))
    # The largest term is exp(0) = 1, so the sum is >= 1 except in an all -inf row, whose
    # 0 / 0 = nan is left visible on purpose (torch.softmax and scipy do the same).
    with np.errstate(invalid="ignore"):
        return e / np.sum(e, axis=axis, keepdims=True)


if __name__ == "__main__":
    x = np.array([1000.0, 1001.0, 1002.0])
    with np.errstate(over="ignore"):
        naive = np.log(np.exp(x).sum())
    print(f"LSE(1000, 1001, 1002) = {logsumexp(x):.4f}, naive = {naive} (expected 1002.4076 and inf)")
    z = np.array([[2.0, 1.0, 0.1], [0.0, -200.0, 5.0]])
    print("softmax(2, 1, 0.1) =", np.round(softmax(z)[0], 4), "(expected [0.659 0.2424 0.0986])")
    print(f"log_softmax(0, -200, 5)[1] = {log_softmax(z)[1, 1]:.4f} (expected -205.0067, finite)")
    print(f"rows sum to 1: max |sum - 1| = {np.abs(softmax(z).sum(axis=1) - 1).max():.1e} (expected ≈ 0)")
