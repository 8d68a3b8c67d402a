"""Sinusoidal positional encoding and rotary position embedding (RoPE), PyTorch.

Sinusoidal (Vaswani et al. 2017, §3.5), interleaved as in the paper:
    PE[p, 2i] = sin(p w_i),  PE[p, 2i+1] = cos(p w_i),  w_i = base^(-2i/d)
RoPE (Su et al. 2021) rotates query/key pairs by the angle m theta_i, theta_i = base^(-2i/d), so
<R_m q, R_n k> = <q, R_{n-m} k> depends only on the offset n - m. This uses the rotate-half layout of
GPT-NeoX / Hugging Face: dimension j is paired with j + d/2 (Meta's LLaMA code pairs 2i with 2i+1;
the two differ by a fixed permutation of the head dimensions, so weights do not transfer).
Angles are formed in float64: in float32, p * w already loses ~1e-3 rad at p ~ 10^4.
"""
from typing import Optional, Union

import torch


def _positions(positions: Union[int, torch.Tensor], device) -> torch.Tensor:
    if isinstance(positions, int):
        if positions < 1:
            raise ValueError(f"number of positions must be >= 1, got {positions}")
        return torch.arange(positions, device=device, dtype=torch.float64)
    if positions.dim() != 1 or positions.numel() == 0:
        raise ValueError(f"positions must be a non-empty 1-D tensor, got shape {tuple(positions.shape)}")
    return positions.to(device=device if device is not None else positions.device, dtype=torch.float64)


def _inverse_frequencies(dim: int, base: float, device) -> torch.Tensor:
    if dim < 2 or dim % 2:
        raise ValueError(f"dimension must be even and >= 2, got {dim}")
    if base <= 1:
        raise ValueError(f"base must be > 1, got {base}")
    # base^(-2i/d) for i = 0 .. d/2 - 1: wavelengths from 2 pi up to almost 2 pi * base.
    return base ** (-torch.arange(0, dim, 2, device=device, dtype=torch.float64) / dim)


def sinusoidal_positional_encoding(positions: Union[int, torch.Tensor], d_model: int,
                                   base: float = 10000.0, dtype: torch.dtype = torch.float32,
                                   device=None) -> torch.Tensor:
    """(T, d_model) table with sin in even and cos in odd columns; add it to the embeddings."""
    pos = _positions(positions, device)
    angles = pos[:, None] * _inverse_frequencies(d_model, base, pos.device)   # (T, d/2)
    pe = torch.empty(len(pos), d_model, device=pos.device, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(angles)
    pe[:, 1::2] = torch.cos(angles)
    return pe.to(dtype)


def rope_cos_sin(positions: Union[int, torch.Tensor], head_dim: int, base: float = 10000.0,
                 dtype: torch.dtype = torch.float32, device=None):
    """cos and sin of m theta_i, each (T, head_dim), duplicated for the rotate-half layout."""
    pos = _positions(positions, device)
    angles = pos[:, None] * _inverse_frequencies(head_dim, base, pos.device)  # (T, d/2)
    angles = torch.cat([angles, angles], dim=-1)   # pair j and j + d/2 share theta_j
    return angles.cos().to(dtype), angles.sin().to(dtype)


def rotate_half(x: torch.Tensor) -> torch.Tensor:
    """(x1, x2) -> (-x2, x1) on the two halves of the last axis: a 90-degree turn of every pair."""
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat([-x2, x1], dim=-1)


def apply_rope(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """Rotate x (..., T, head_dim) by the per-position angles; apply to q and k, never to v."""
    if x.dim() < 2 or x.shape[-2:] != cos.shape or cos.shape != sin.shape:
        raise ValueError(f"x (..., T, head_dim) {tuple(x.shape)} does not match cos/sin "
                         f"{tuple(cos.shape)}, {tuple(sin.shape)}")
    cos, sin = cos.to(device=x.device, dtype=x.dtype), sin.to(device=x.device, dtype=x.dtype)
    # Per pair (a, b) = (x_j, x_{j+d/2}): (a cos - b sin, b cos + a sin), the 2-D rotation by m theta_j.
    return x * cos + rotate_half(x) * sin


if __name__ == "__main__":
    pe = sinusoidal_positional_encoding(3, 4, dtype=torch.float64)
    print("PE_1 (d=4) =", [round(v, 5) for v in pe[1].tolist()], "(expected [0.84147, 0.5403, 0.01, 0.99995])")
    q, k = torch.tensor([[1.0, 1.0]], dtype=torch.float64), torch.tensor([[2.0, 0.0]], dtype=torch.float64)
    cos, sin = rope_cos_sin(torch.arange(8), 2, dtype=torch.float64)
    # rotate-half with d = 2 pairs dimension 0 with 1, the same as the paper's (2i, 2i+1)

    def score(m: int, n: int) -> float:
        return float(apply_rope(q, cos[m:m + 1], sin[m:m + 1]) @ apply_rope(k, cos[n:n + 1], sin[n:n + 1]).T)
    print(f"<R_1 q, R_3 k> = {score(1, 3):.4f}, <R_4 q, R_6 k> = {score(4, 6):.4f} (expected both 0.9863)")
    torch.manual_seed(0)
    x = torch.randn(4, 8, 64)
    c, s = rope_cos_sin(8, 64)
    change = (apply_rope(x, c, s).norm(dim=-1) - x.norm(dim=-1)).abs().max()
    print(f"largest change of ||x|| under RoPE = {change:.1e} (expected ≈ 0, float32 rounding)")
