"""Gradient clipping by the global norm (Pascanu, Mikolov & Bengio 2013), PyTorch.

    total = || (g_1, ..., g_P) ||   (one norm over all gradients, as if concatenated)
    g_p <- g_p * min(1, max_norm / (total + eps))
Rescaling keeps the direction of the whole update, unlike value clipping or clipping each tensor
separately. Returns the norm before clipping, which is worth logging. Parameters whose .grad is
None are skipped. Same contract as torch.nn.utils.clip_grad_norm_.
"""
import functools
import math
from typing import Iterable, Union

import torch


def total_grad_norm(grads: Iterable[torch.Tensor], norm_type: float = 2.0) -> torch.Tensor:
    """Norm of all gradients taken together; norm_type may be math.inf (largest |g|)."""
    grads = list(grads)
    if not grads:
        raise ValueError("total_grad_norm needs at least one gradient")
    # At least float32: a float16 sum of squares overflows at a norm of only ~256.
    dtype = functools.reduce(torch.promote_types, [g.dtype for g in grads], torch.float32)
    device = grads[0].device
    # The norm of the per-tensor norms equals the norm of the concatenation for every p-norm
    # (sum_p sum_i |g|^q = sum_p ||g_p||_q^q; for inf, a max of maxima) and needs no concatenated copy.
    per_tensor = torch.stack([torch.linalg.vector_norm(g.detach(), norm_type, dtype=dtype).to(device)
                              for g in grads])
    return torch.linalg.vector_norm(per_tensor, norm_type)


def clip_grad_norm(parameters: Union[torch.Tensor, Iterable[torch.Tensor]], max_norm: float,
                   norm_type: float = 2.0, eps: float = 1e-6) -> torch.Tensor:
    """Scale all .grad in place so that their joint norm is at most max_norm; return the old norm."""
    if isinstance(parameters, torch.Tensor):
        parameters = [parameters]
    max_norm, norm_type = float(max_norm), float(norm_type)
    if not max_norm >= 0:
        raise ValueError(f"max_norm must be >= 0, got {max_norm}")
    if not (norm_type > 0 or norm_type == math.inf):
        raise ValueError(f"norm_type must be > 0 or inf, got {norm_type}")
    grads = [p.grad for p in parameters if p.grad is not None]
    if not grads:
        return torch.tensor(0.0)
    total = total_grad_norm(grads, norm_type)
    # eps keeps the division finite for an all-zero gradient; the clamp means gradients below
    # the threshold are left as they are (scale exactly 1), never scaled up.
    scale = torch.clamp(max_norm / (total + eps), max=1.0)
    for g in grads:
        g.detach().mul_(scale.to(device=g.device, dtype=g.dtype))
    return total


if __name__ == "__main__":
    a, b = torch.zeros(2, requires_grad=True), torch.zeros(1, requires_grad=True)
    a.grad, b.grad = torch.tensor([3.0, 4.0]), torch.tensor([12.0])
    norm = clip_grad_norm([a, b], max_norm=1.0)
    print(f"returned norm = {norm.item():.4f} (expected 13.0, the norm before clipping)")
    print("clipped grads:", [round(v, 4) for v in a.grad.tolist() + b.grad.tolist()],
          "(expected [0.2308, 0.3077, 0.9231]: one global scale 1/13, not per tensor)")
    print(f"joint norm after clipping = {total_grad_norm([a.grad, b.grad]).item():.6f} (expected ≈ 1)")
