"""Scaled dot-product attention softmax(Q K^T / sqrt(d_k) + M) V with masks, PyTorch.

Vaswani et al. (2017), eq. 1. Mask conventions follow torch.nn.functional.scaled_dot_product_attention
(PyTorch >= 2.0): a boolean attn_mask is True where a query MAY attend (the opposite of
nn.MultiheadAttention), a float attn_mask is added to the scores, and is_causal=True blocks keys
j > i (top-left aligned, so for L != S it is tril of the L x S matrix, not the KV-cache alignment).
A query row whose keys are ALL masked has no distribution to attend with. Here it gets zero weights
and a zero output (what PyTorch >= 2.5 SDPA does), instead of the 0 / 0 = nan of a plain softmax;
`fully_masked_rows` reports those rows so they can be dropped from a loss. Dropout is left out.
"""
import math
from typing import Optional

import torch


def _check(q: torch.Tensor, k: torch.Tensor, v: Optional[torch.Tensor] = None) -> None:
    if q.dim() < 2 or k.dim() < 2 or (v is not None and v.dim() < 2):
        raise ValueError(f"q, k, v must be (..., length, dim), got q {tuple(q.shape)}, k {tuple(k.shape)}")
    if q.size(-1) != k.size(-1):
        raise ValueError(f"q and k must share d_k, got {q.size(-1)} and {k.size(-1)}")
    if v is not None and k.size(-2) != v.size(-2):
        raise ValueError(f"k and v must have the same length, got {k.size(-2)} and {v.size(-2)}")
    if q.size(-2) == 0 or k.size(-2) == 0 or q.size(-1) == 0:
        raise ValueError(f"empty sequence or zero width: q {tuple(q.shape)}, k {tuple(k.shape)}")


def _allowed_and_bias(q: torch.Tensor, k: torch.Tensor, attn_mask: Optional[torch.Tensor],
                      is_causal: bool):
    """Boolean 'may attend' mask and additive bias, both broadcastable to (..., L, S)."""
    L, S = q.size(-2), k.size(-2)
    allowed = torch.ones(L, S, dtype=torch.bool, device=q.device)
    bias = None
    if is_causal:
        if attn_mask is not None:
            raise ValueError("pass either attn_mask or is_causal=True, not both")
        allowed = torch.ones(L, S, dtype=torch.bool, device=q.device).tril()
    elif attn_mask is not None:
        target = torch.broadcast_shapes(q.shape[:-2], k.shape[:-2]) + (L, S)
        try:
            torch.broadcast_shapes(attn_mask.shape, target)
        except RuntimeError:
            raise ValueError(f"attn_mask {tuple(attn_mask.shape)} does not broadcast to {target}") from None
        if attn_mask.dtype == torch.bool:
            allowed = attn_mask.to(q.device)
        elif attn_mask.is_floating_point():
            bias = attn_mask.to(device=q.device, dtype=q.dtype)
            # A -inf in the bias blocks a key just like False in a boolean mask.
            allowed = ~torch.isneginf(bias)
        else:
            raise ValueError(f"attn_mask must be bool or floating point, got {attn_mask.dtype}")
    return allowed, bias


def attention_weights(q: torch.Tensor, k: torch.Tensor, attn_mask: Optional[torch.Tensor] = None,
                      is_causal: bool = False, scale: Optional[float] = None) -> torch.Tensor:
    """A = softmax(Q K^T * scale + M) over keys, (..., L, S); fully masked rows are all zero."""
    _check(q, k)
    scale = 1.0 / math.sqrt(q.size(-1)) if scale is None else scale
    allowed, bias = _allowed_and_bias(q, k, attn_mask, is_causal)
    # 1 / sqrt(d_k) brings q.k (variance d_k for unit-variance entries) back to unit variance,
    # so the softmax does not saturate and its gradient does not vanish.
    scores = (q @ k.transpose(-2, -1)) * scale
    if bias is not None:
        scores = scores + bias
    scores = torch.where(allowed, scores, torch.full_like(scores, float("-inf")))
    # Stable softmax by hand: shifting by the row max is exact and keeps exp <= 1. The shift is
    # detached (the result does not depend on it) and replaced by 0 where the row is all -inf.
    m = scores.detach().amax(dim=-1, keepdim=True)
    m = torch.where(torch.isfinite(m), m, torch.zeros_like(m))
    e = torch.exp(scores - m)
    denom = e.sum(dim=-1, keepdim=True)
    # denom >= 1 whenever some key is allowed (its max term is exp(0)); it is exactly 0 only for a
    # fully masked row, where the clamp turns 0 / 0 into 0 / tiny = 0, in the forward and backward.
    return e / denom.clamp_min(torch.finfo(denom.dtype).tiny)


def fully_masked_rows(q: torch.Tensor, k: torch.Tensor, attn_mask: Optional[torch.Tensor] = None,
                      is_causal: bool = False) -> torch.Tensor:
    """True for query rows that may attend to no key (their output is set to 0)."""
    _check(q, k)
    allowed, _ = _allowed_and_bias(q, k, attn_mask, is_causal)
    return ~allowed.any(dim=-1)


def scaled_dot_product_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                                 attn_mask: Optional[torch.Tensor] = None, is_causal: bool = False,
                                 scale: Optional[float] = None) -> torch.Tensor:
    """softmax(Q K^T / sqrt(d_k) + M) V for q (..., L, d_k), k (..., S, d_k), v (..., S, d_v)."""
    _check(q, k, v)
    return attention_weights(q, k, attn_mask, is_causal, scale) @ v


if __name__ == "__main__":
    q = torch.tensor([[1.0, 0.0, 1.0, 0.0]])
    k = torch.tensor([[1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 1.0], [1.0, 1.0, 0.0, 0.0]])
    v = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    out = scaled_dot_product_attention(q, k, v)
    print("output =", [round(x, 4) for x in out[0].tolist()], "(expected [0.8137, 0.4935])")
    keep = torch.tensor([[True, False, True]])   # key 2 is padding
    w = attention_weights(q, k, keep)
    print("weights with key 2 masked =", [round(x, 4) for x in w[0].tolist()],
          "(expected [0.6225, 0.0, 0.3775])")
    torch.manual_seed(0)
    x = torch.randn(4, 8)
    causal = attention_weights(x, x, is_causal=True)
    print(f"causal: weight above the diagonal = {causal.triu(1).abs().max():.1f} (expected 0.0)")
    nothing = torch.zeros(4, 4, dtype=torch.bool)
    nothing[1:] = True
    y = scaled_dot_product_attention(x, x, x, nothing)
    print(f"fully masked row 0 -> output {y[0].abs().max():.1f}, any nan: {bool(y.isnan().any())} "
          f"(expected 0.0 and False)")
