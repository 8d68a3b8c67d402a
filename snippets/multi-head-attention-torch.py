"""Multi-head attention: project, split into heads, attend, merge, project (Vaswani et al. 2017), PyTorch.

    MHA(Q, K, V) = [head_1; ...; head_h] W_O,  head_i = softmax(Q W_Q^i (K W_K^i)^T / sqrt(d/h)) V W_V^i
Inputs are batch first, (B, T, d), like nn.MultiheadAttention(batch_first=True), and
key_padding_mask (B, S) uses ITS convention: True = padding, may NOT be attended. (The boolean
attn_mask of F.scaled_dot_product_attention means the opposite.) A query that can see no key at
all (every key padded) gets zero weights and a zero output instead of nan. No dropout.
"""
import math
from typing import Optional

import torch
from torch import nn


class MultiHeadAttention(nn.Module):
    """h heads of width d_model / h; 4 d^2 + 4 d parameters whatever h is."""

    def __init__(self, d_model: int, num_heads: int, bias: bool = True, device=None, dtype=None):
        super().__init__()
        if num_heads < 1 or d_model < 1:
            raise ValueError(f"d_model and num_heads must be positive, got {d_model} and {num_heads}")
        if d_model % num_heads:
            raise ValueError(f"d_model={d_model} must be divisible by num_heads={num_heads}")
        self.d_model, self.num_heads, self.head_dim = d_model, num_heads, d_model // num_heads
        factory = dict(bias=bias, device=device, dtype=dtype)
        # One d x d matrix per projection holds all heads side by side: head i is columns
        # i*d_h .. (i+1)*d_h of the output, so splitting heads is a reshape, not extra weights.
        self.q_proj = nn.Linear(d_model, d_model, **factory)
        self.k_proj = nn.Linear(d_model, d_model, **factory)
        self.v_proj = nn.Linear(d_model, d_model, **factory)
        self.out_proj = nn.Linear(d_model, d_model, **factory)

    def _split_heads(self, x: torch.Tensor) -> torch.Tensor:
        B, T, _ = x.shape
        # Split the FEATURE axis, then move heads forward: view(B, h, T, d_h) directly would
        # silently mix tokens into heads.
        return x.view(B, T, self.num_heads, self.head_dim).transpose(1, 2)   # (B, h, T, d_h)

    def forward(self, query: torch.Tensor, key: Optional[torch.Tensor] = None,
                value: Optional[torch.Tensor] = None, key_padding_mask: Optional[torch.Tensor] = None,
                is_causal: bool = False):
        """Returns (output (B, L, d), per-head weights (B, h, L, S)); key/value default to query."""
        key = query if key is None else key
        value = key if value is None else value
        for name, t in (("query", query), ("key", key), ("value", value)):
            if t.dim() != 3 or t.size(-1) != self.d_model:
                raise ValueError(f"{name} must be (batch, length, {self.d_model}), got {tuple(t.shape)}")
        B, L, S = query.size(0), query.size(1), key.size(1)
        if key.size(0) != B or value.shape[:2] != key.shape[:2]:
            raise ValueError(f"batch/length mismatch: query {tuple(query.shape)}, "
                             f"key {tuple(key.shape)}, value {tuple(value.shape)}")
        if L == 0 or S == 0:
            raise ValueError(f"empty sequence: query length {L}, key length {S}")

        q = self._split_heads(self.q_proj(query))
        k = self._split_heads(self.k_proj(key))
        v = self._split_heads(self.v_proj(value))
        # d_k is the width per head, not d_model.
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(self.head_dim)          # (B, h, L, S)

        allowed = torch.ones(L, S, dtype=torch.bool, device=query.device)
        if is_causal:
            allowed = allowed.tril()
        if key_padding_mask is not None:
            if key_padding_mask.shape != (B, S) or key_padding_mask.dtype != torch.bool:
                raise ValueError(f"key_padding_mask must be bool of shape ({B}, {S}), got "
                                 f"{key_padding_mask.dtype} {tuple(key_padding_mask.shape)}")
            # (B, S) -> (B, 1, 1, S): the same padded keys for every head and every query.
            allowed = allowed & ~key_padding_mask.to(query.device)[:, None, None, :]
        scores = torch.where(allowed, scores, torch.full_like(scores, float("-inf")))

        # Stable softmax; the detached shift is 0 for all -inf rows, whose weights then come out
        # as 0 / tiny = 0 instead of 0 / 0 (every other row has a denominator >= 1).
        m = scores.detach().amax(dim=-1, keepdim=True)
        e = torch.exp(scores - torch.where(torch.isfinite(m), m, torch.zeros_like(m)))
        denom = e.sum(dim=-1, keepdim=True)
        weights = e / denom.clamp_min(torch.finfo(denom.dtype).tiny)

        heads = weights @ v                                                     # (B, h, L, d_h)
        merged = heads.transpose(1, 2).reshape(B, L, self.d_model)              # concatenate heads
        return self.out_proj(merged), weights


if __name__ == "__main__":
    torch.manual_seed(0)
    d_model, num_heads = 16, 4
    mine = MultiHeadAttention(d_model, num_heads).eval()
    ref = nn.MultiheadAttention(d_model, num_heads, batch_first=True).eval()
    with torch.no_grad():   # copy the SAME weights in: in_proj_weight stacks W_Q, W_K, W_V
        for i, proj in enumerate((mine.q_proj, mine.k_proj, mine.v_proj)):
            proj.weight.copy_(ref.in_proj_weight[i * d_model:(i + 1) * d_model])
            proj.bias.copy_(ref.in_proj_bias[i * d_model:(i + 1) * d_model])
        mine.out_proj.load_state_dict(ref.out_proj.state_dict())
    x = torch.randn(2, 5, d_model)
    pad = torch.tensor([[False] * 5, [False, False, False, True, True]])   # True = padding
    with torch.no_grad():
        out, w = mine(x, key_padding_mask=pad)
        out_ref, w_ref = ref(x, x, x, key_padding_mask=pad)
    print(f"max |mine - nn.MultiheadAttention| = {(out - out_ref).abs().max():.2e} (expected < 1e-6)")
    print(f"head-averaged weights differ by {(w.mean(1) - w_ref).abs().max():.2e} (expected < 1e-6)")
    print(f"parameters: {sum(p.numel() for p in mine.parameters())} (expected 4d^2 + 4d = "
          f"{4 * d_model**2 + 4 * d_model})")
