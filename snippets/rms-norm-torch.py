"""RMSNorm (Zhang & Sennrich 2019), PyTorch: LayerNorm without the mean subtraction and the bias.

    y = x / sqrt(mean(x^2) + eps) * weight,   mean over the last len(normalized_shape) dimensions.
Used by T5, Llama, Mistral and Qwen. It is invariant to x -> a x (a > 0) but not to x -> x + b,
and its output is not zero-mean. torch 1.13 has no nn.RMSNorm; this is the Llama-style module
(statistics in float32 at least, result cast back to the input's dtype).
"""
from typing import Optional, Sequence, Union

import torch
from torch import nn


def _as_shape(normalized_shape: Union[int, Sequence[int]]) -> tuple:
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if not shape or any(int(n) < 1 for n in shape):
        raise ValueError(f"normalized_shape must be a non-empty tuple of positive sizes, got {shape}")
    return tuple(int(n) for n in shape)


def rms_norm(x: torch.Tensor, normalized_shape: Union[int, Sequence[int]], weight: Optional[torch.Tensor] = None,
             eps: float = 1e-6) -> torch.Tensor:
    """x / sqrt(mean(x^2) + eps) * weight over the trailing dimensions `normalized_shape`."""
    shape = _as_shape(normalized_shape)
    if x.dim() < len(shape) or tuple(x.shape[x.dim() - len(shape):]) != shape:
        raise ValueError(f"the last dimensions of x {tuple(x.shape)} must be normalized_shape {shape}")
    if not eps >= 0:
        raise ValueError(f"eps must be >= 0, got {eps}")
    if weight is not None and tuple(weight.shape) != shape:
        raise ValueError(f"weight must have shape {shape}, got {tuple(weight.shape)}")
    dims = tuple(range(x.dim() - len(shape), x.dim()))
    # Squaring float16/bfloat16 activations overflows (or loses most digits) in the mean, so the
    # statistic is computed in float32 or wider, as Llama's implementation does.
    work = torch.promote_types(x.dtype, torch.float32)
    xf = x.to(work)
    # rsqrt(mean + eps): eps inside the root keeps an all-zero vector finite (output 0, not NaN).
    y = xf * torch.rsqrt(xf.pow(2).mean(dim=dims, keepdim=True) + eps)
    if weight is not None:
        y = y * weight.to(work)
    return y.to(x.dtype if x.is_floating_point() else work)


class RMSNorm(nn.Module):
    """Module form with a learned gain initialised to ones (no bias)."""

    def __init__(self, normalized_shape: Union[int, Sequence[int]], eps: float = 1e-6, device=None, dtype=None):
        super().__init__()
        self.normalized_shape = _as_shape(normalized_shape)
        if not eps >= 0:
            raise ValueError(f"eps must be >= 0, got {eps}")
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(self.normalized_shape, device=device, dtype=dtype))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return rms_norm(x, self.normalized_shape, self.weight, self.eps)


if __name__ == "__main__":
    x = torch.tensor([1.0, 2.0, 3.0, 6.0])
    print("RMSNorm(1, 2, 3, 6) =", [round(v, 3) for v in rms_norm(x, 4).tolist()],
          "(expected [0.283, 0.566, 0.849, 1.697]; mean 0.849, not 0)")
    torch.manual_seed(0)
    h = torch.randn(4, 7, 32, dtype=torch.float64)
    norm = RMSNorm(32, eps=1e-6).double()
    with torch.no_grad():
        norm.weight.uniform_(0.5, 1.5)
    by_formula = h / torch.sqrt((h * h).mean(-1, keepdim=True) + 1e-6) * norm.weight
    print(f"max |module - formula| = {(norm(h) - by_formula).abs().max().item():.2e} (expected < 1e-14)")
    print(f"max |RMSNorm(3 h) - RMSNorm(h)| = {(rms_norm(3 * h, 32, eps=0.0) - rms_norm(h, 32, eps=0.0)).abs().max().item():.2e}"
          " (expected ~1e-16: scale-invariant)")
