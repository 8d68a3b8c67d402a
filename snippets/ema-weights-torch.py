"""Exponential moving average (EMA) of a model's weights, PyTorch.

After every optimizer step the shadow copy moves towards the trained weights:
    ema <- decay * ema + (1 - decay) * theta,
so step k carries weight (1 - decay) decay^(t - k): about 1/(1 - decay) recent steps are averaged
(Polyak & Juditsky 1992 for iterate averaging; Tarvainen & Valpola 2017, mean teacher). The
optional warmup uses decay_t = min(decay, (1 + t) / (10 + t)) as TensorFlow's
ExponentialMovingAverage(num_updates=t), so the start-up weights are forgotten quickly.
"""
import copy
from typing import Dict

import torch
from torch import nn


def _shadow_dtype(t: torch.Tensor) -> torch.dtype:
    # An update (1 - decay)(theta - ema) is tiny and rounds away in fp16/bf16: keep those in fp32.
    return torch.float32 if t.dtype in (torch.float16, torch.bfloat16) else t.dtype


class EMA:
    """Shadow weights of `model`; call update(model) after each optimizer step."""

    def __init__(self, model: nn.Module, decay: float = 0.999, warmup: bool = False,
                 include_buffers: bool = False):
        if not 0.0 <= decay <= 1.0:
            raise ValueError(f"decay must be in [0, 1], got {decay}")
        self.decay, self.warmup, self.include_buffers = decay, warmup, include_buffers
        self.num_updates = 0
        self.shadow: Dict[str, torch.Tensor] = {
            name: t.detach().clone().to(_shadow_dtype(t)) for name, t in self._tensors(model).items()}

    def _tensors(self, model: nn.Module) -> Dict[str, torch.Tensor]:
        tensors = dict(model.named_parameters())
        if self.include_buffers:
            tensors.update(model.named_buffers())
        return tensors

    def current_decay(self) -> float:
        """The decay the next update will use."""
        if not self.warmup:
            return self.decay
        t = self.num_updates
        return min(self.decay, (1.0 + t) / (10.0 + t))

    @torch.no_grad()
    def update(self, model: nn.Module) -> None:
        """ema <- d * ema + (1 - d) * theta for every tracked tensor."""
        tensors = self._tensors(model)
        if tensors.keys() != self.shadow.keys():
            raise ValueError("model has different parameter/buffer names than the one the EMA was built from")
        d = self.current_decay()
        for name, t in tensors.items():
            e = self.shadow[name]
            if e.shape != t.shape:
                raise ValueError(f"{name}: shape {tuple(t.shape)} != EMA shape {tuple(e.shape)}")
            if e.is_floating_point():
                e.lerp_(t.detach().to(device=e.device, dtype=e.dtype), 1.0 - d)
            else:
                # Integer buffers (BatchNorm's num_batches_tracked) cannot be averaged: copy them.
                e.copy_(t)
        self.num_updates += 1

    @torch.no_grad()
    def copy_to(self, model: nn.Module) -> None:
        """Load the EMA weights into `model` (e.g. a deepcopy used for evaluation)."""
        tensors = self._tensors(model)
        for name, e in self.shadow.items():
            tensors[name].copy_(e)

    def averaged_model(self, model: nn.Module) -> nn.Module:
        """A frozen copy of `model` in eval mode holding the EMA weights."""
        ema_model = copy.deepcopy(model).eval().requires_grad_(False)
        self.copy_to(ema_model)
        return ema_model

    def state_dict(self) -> dict:
        # Save this with the checkpoint: otherwise resuming restarts the average from scratch.
        return {"num_updates": self.num_updates, "shadow": {k: v.clone() for k, v in self.shadow.items()}}

    def load_state_dict(self, state: dict) -> None:
        self.num_updates = int(state["num_updates"])
        for k, v in state["shadow"].items():
            self.shadow[k].copy_(v)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = nn.Linear(3, 1)
    theta0 = model.weight.detach().clone()
    ema = EMA(model, decay=0.9)
    with torch.no_grad():
        model.weight.fill_(1.0)  # the trained weights jump to 1 and stay there
    for _ in range(20):
        ema.update(model)
    closed = 0.9 ** 20 * theta0 + (1 - 0.9 ** 20) * 1.0
    gap = (ema.shadow["weight"] - closed).abs().max().item()
    print(f"after 20 updates |EMA - (d^t theta0 + (1 - d^t) theta)| = {gap:.2e} (expected ~1e-7, float32)")
    warm = EMA(model, decay=0.999, warmup=True)
    decays = []
    for _ in range(1001):
        decays.append(warm.current_decay())
        warm.update(model)
    print("warmup decays at t = 0, 10, 100, 1000:", [round(decays[t], 3) for t in (0, 10, 100, 1000)],
          "(expected [0.1, 0.55, 0.918, 0.991])")
