"""One Adam / AdamW step for a list of tensors (Kingma & Ba 2015; Loshchilov & Hutter 2019), PyTorch.

    m = b1 m + (1 - b1) g,   v = b2 v + (1 - b2) g^2,   m_hat = m / (1 - b1^t),   v_hat = v / (1 - b2^t)
    theta <- theta - lr * m_hat / (sqrt(v_hat) + eps)
Weight decay comes in two kinds. Coupled L2 (torch.optim.Adam's weight_decay) adds wd * theta to g
before the moments, so the decay is divided by sqrt(v_hat) like the rest of the gradient.
Decoupled (AdamW) shrinks theta <- theta (1 - lr wd) outside the adaptive step. amsgrad=True
divides by the running maximum of v (Reddi et al. 2018).
"""
from typing import List, Optional, Sequence, Tuple

import torch


def init_adam_state(params: Sequence[torch.Tensor], amsgrad: bool = False) -> dict:
    """Zero moments, on each parameter's device and dtype, and a step count per parameter."""
    state = {"step": [0] * len(params),
             "exp_avg": [torch.zeros_like(p, memory_format=torch.preserve_format) for p in params],
             "exp_avg_sq": [torch.zeros_like(p, memory_format=torch.preserve_format) for p in params]}
    if amsgrad:
        state["max_exp_avg_sq"] = [torch.zeros_like(p, memory_format=torch.preserve_format) for p in params]
    return state


@torch.no_grad()
def adam_step(params: List[torch.Tensor], grads: List[Optional[torch.Tensor]], state: dict, lr: float = 1e-3,
              betas: Tuple[float, float] = (0.9, 0.999), eps: float = 1e-8, weight_decay: float = 0.0,
              decoupled: bool = False, amsgrad: bool = False) -> None:
    """Update params in place; decoupled=False is Adam with L2, decoupled=True is AdamW."""
    beta1, beta2 = betas
    if not lr >= 0:
        raise ValueError(f"lr must be >= 0, got {lr}")
    if not (0.0 <= beta1 < 1.0 and 0.0 <= beta2 < 1.0):
        raise ValueError(f"betas must be in [0, 1), got {betas}")
    if not eps >= 0 or not weight_decay >= 0:
        raise ValueError(f"eps and weight_decay must be >= 0, got eps={eps}, weight_decay={weight_decay}")
    if len(params) != len(grads) or len(params) != len(state["exp_avg"]):
        raise ValueError(f"got {len(params)} params, {len(grads)} grads, {len(state['exp_avg'])} state entries")
    if amsgrad and "max_exp_avg_sq" not in state:
        raise ValueError("amsgrad=True needs a state made by init_adam_state(params, amsgrad=True)")
    for i, (p, g) in enumerate(zip(params, grads)):
        if g is None:
            continue  # a parameter that got no gradient is neither moved nor counted
        if g.shape != p.shape:
            raise ValueError(f"grad {i} has shape {tuple(g.shape)}, param has {tuple(p.shape)}")
        m, v = state["exp_avg"][i], state["exp_avg_sq"][i]
        state["step"][i] += 1
        t = state["step"][i]
        if weight_decay != 0:
            if decoupled:
                # AdamW: the shrink uses the current lr, so it follows the schedule, and it uses
                # theta before this step's update.
                p.mul_(1.0 - lr * weight_decay)
            else:
                g = g + weight_decay * p  # L2 term enters the moments; never modify the caller's grad
        m.mul_(beta1).add_(g, alpha=1.0 - beta1)
        v.mul_(beta2).addcmul_(g, g, value=1.0 - beta2)
        if amsgrad:
            # Max of the raw v; the bias correction below is then applied to the maximum.
            torch.maximum(state["max_exp_avg_sq"][i], v, out=state["max_exp_avg_sq"][i])
            v = state["max_exp_avg_sq"][i]
        # m and v start at 0, so E[m_t] = (1 - beta1^t) E[g]: dividing removes that bias, which
        # otherwise makes the early steps (1 - b1) / sqrt(1 - b2) ~ 3x too large.
        m_hat = m / (1.0 - beta1 ** t)
        v_hat = v / (1.0 - beta2 ** t)
        # eps outside the root, as in the paper and torch.optim
        p.sub_(lr * m_hat / (v_hat.sqrt() + eps))


if __name__ == "__main__":
    torch.manual_seed(0)
    w0 = [torch.randn(5, 3, dtype=torch.float64), torch.randn(3, dtype=torch.float64)]
    target = torch.randn(5, 3, dtype=torch.float64)

    def loss_fn(ws):
        return ((ws[0] - target) ** 2).sum() + (ws[1] ** 4).sum()

    for name, cls, decoupled in (("Adam(weight_decay)", torch.optim.Adam, False), ("AdamW", torch.optim.AdamW, True)):
        mine = [w.clone() for w in w0]
        ref = [w.clone().requires_grad_() for w in w0]
        opt = cls(ref, lr=0.05, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1, amsgrad=False)
        state = init_adam_state(mine)
        for _ in range(20):
            mine_leaf = [w.clone().requires_grad_() for w in mine]
            grads = torch.autograd.grad(loss_fn(mine_leaf), mine_leaf)
            adam_step(mine, list(grads), state, lr=0.05, weight_decay=0.1, decoupled=decoupled)
            opt.zero_grad()
            loss_fn(ref).backward()
            opt.step()
        diff = max((a - b).abs().max().item() for a, b in zip(mine, ref))
        print(f"{name}: max |ours - torch.optim| after 20 steps = {diff:.2e} (expected < 1e-12)")
    p, g = torch.zeros(3), torch.tensor([0.5, 0.005, -50.0])
    adam_step([p], [g], init_adam_state([p]), lr=0.01)
    print("first step for gradients 0.5, 0.005, -50:", [round(v, 6) for v in p.tolist()],
          "(expected -0.01, -0.01, 0.01: the first step is lr in every coordinate)")
