"""Inverted dropout (Srivastava et al. 2014; the form PyTorch and Keras implement), NumPy.

Training: keep each unit with probability 1 - p (a fresh Bernoulli mask per call) and scale the
survivors by 1 / (1 - p), so E[output] = input and Var[output] = p / (1 - p) * input^2.
Evaluation: the identity. p is the DROP probability (TF1's keep_prob is 1 - p).
"""
from typing import Optional

import numpy as np


def dropout_mask(shape, p: float, rng: np.random.Generator) -> np.ndarray:
    """Boolean keep-mask, True with probability 1 - p."""
    # uniform in [0, 1) is >= p with probability exactly 1 - p
    return rng.random(shape) >= p


def dropout(x: np.ndarray, p: float = 0.5, training: bool = True,
            rng: Optional[np.random.Generator] = None) -> np.ndarray:
    """Inverted dropout of x with drop probability p; the identity when not training or p = 0."""
    if not 0.0 <= p < 1.0:
        # p = 1 would drop everything and divide by zero; a NaN p fails this test too.
        raise ValueError(f"dropout probability p must be in [0, 1), got {p}")
    x = np.asarray(x)
    if not training or p == 0.0:
        return x
    if rng is None:
        rng = np.random.default_rng()
    keep = dropout_mask(x.shape, p, rng)
    dtype = x.dtype if np.issubdtype(x.dtype, np.floating) else np.float64
    # Scaling at training time (not 1 - p at test time, as in the original paper) keeps the
    # inference code untouched.
    return np.where(keep, x * np.asarray(1.0 / (1.0 - p), dtype=dtype), np.zeros((), dtype=dtype))


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    h = np.array([1.0, 2.0, 3.0, 4.0])
    # one call on 100k copies of h: every row gets its own independent mask
    samples = dropout(np.broadcast_to(h, (100_000, h.size)), p=0.5, rng=rng)
    print("mean over 100k masks:", np.round(samples.mean(axis=0), 3), "(expected ≈ [1 2 3 4])")
    print("variance:", np.round(samples.var(axis=0), 2), "(expected ≈ p/(1-p) h^2 = [1 4 9 16])")
    print(f"fraction zeroed = {np.mean(samples == 0):.4f} (expected ≈ 0.5); "
          f"eval mode is identity: {np.array_equal(dropout(h, 0.5, training=False), h)} (expected True)")
