"""Layer normalization over the last dimensions (Ba, Kiros & Hinton 2016), NumPy.

Each example is normalised by the mean and the biased variance (divided by d, not d - 1) of its
own features, then scaled and shifted per feature:
    y = gamma * (x - mu) / sqrt(var + eps) + beta,   mu, var over the last len(normalized_shape) axes.
No batch statistics are used, so training and inference compute the same thing. Matches
torch.nn.LayerNorm(normalized_shape, eps) with weight = gamma and bias = beta.
"""
from typing import Optional, Sequence, Union

import numpy as np


def _as_shape(normalized_shape: Union[int, Sequence[int]]) -> tuple:
    shape = (normalized_shape,) if isinstance(normalized_shape, (int, np.integer)) else tuple(normalized_shape)
    if not shape or any(int(n) < 1 for n in shape):
        raise ValueError(f"normalized_shape must be a non-empty tuple of positive sizes, got {shape}")
    return tuple(int(n) for n in shape)


def layer_norm(x: np.ndarray, normalized_shape: Union[int, Sequence[int]], gamma: Optional[np.ndarray] = None,
               beta: Optional[np.ndarray] = None, eps: float = 1e-5) -> np.ndarray:
    """LayerNorm of x over its trailing axes `normalized_shape`; gamma, beta have that shape."""
    x = np.asarray(x)
    shape = _as_shape(normalized_shape)
    if x.ndim < len(shape) or x.shape[x.ndim - len(shape):] != shape:
        raise ValueError(f"the last dimensions of x {x.shape} must be normalized_shape {shape}")
    if not eps >= 0:
        raise ValueError(f"eps must be >= 0, got {eps}")
    for name, value in (("gamma", gamma), ("beta", beta)):
        if value is not None and np.shape(value) != shape:
            raise ValueError(f"{name} must have shape {shape}, got {np.shape(value)}")
    out_dtype = x.dtype if np.issubdtype(x.dtype, np.floating) else np.float64
    # Statistics in float64: float16 squares overflow and float32 sums lose digits for large d.
    # Two passes (mean first, then the mean of squared deviations) instead of E[x^2] - E[x]^2,
    # which cancels catastrophically when |mean| >> std and can even go negative.
    xf = x.astype(np.float64)
    axes = tuple(range(x.ndim - len(shape), x.ndim))
    mu = xf.mean(axis=axes, keepdims=True)
    centred = xf - mu
    var = (centred * centred).mean(axis=axes, keepdims=True)  # biased: divide by d, as LayerNorm does
    y = centred / np.sqrt(var + eps)
    if gamma is not None:
        y = y * np.asarray(gamma, dtype=np.float64)
    if beta is not None:
        y = y + np.asarray(beta, dtype=np.float64)
    return y.astype(out_dtype)


if __name__ == "__main__":
    x = np.array([1.0, 2.0, 3.0, 6.0])
    print("LN(1, 2, 3, 6) =", np.round(layer_norm(x, 4), 3), "(expected [-1.069 -0.535 0. 1.604])")
    rng = np.random.default_rng(0)
    h = rng.normal(3.0, 2.0, size=(8, 5, 16))
    y = layer_norm(h, 16)
    print(f"max |mean| = {np.abs(y.mean(-1)).max():.2e}, mean biased var = {y.var(-1).mean():.5f} "
          "(expected ~0 and ~1)")
    shifted = layer_norm(2.5 * h + 10.0, 16, eps=0.0)
    print(f"max |LN(2.5 h + 10) - LN(h)| = {np.abs(shifted - layer_norm(h, 16, eps=0.0)).max():.2e} "
          "(expected ~1e-15: invariant to scaling and shifting one example)")
