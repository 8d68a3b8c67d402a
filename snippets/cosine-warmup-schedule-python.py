"""Learning rate with linear warmup then cosine decay to min_lr, in plain Python.

    lr(t) = max_lr * t / warmup_steps                                        for t < warmup_steps
    lr(t) = min_lr + (max_lr - min_lr) * (1 + cos(pi * (t - T_w) / (T - T_w))) / 2   for T_w <= t <= T
    lr(t) = min_lr                                                           for t > T
Goyal et al. (2017) for the warmup, Loshchilov & Hutter (2017, SGDR) for the cosine; this is the
one-cycle shape of nanoGPT and of Hugging Face's get_cosine_schedule_with_warmup (min_lr = 0).
t counts optimiser steps from 0, so the first update uses lr = 0. Unlike CosineAnnealingLR, the
rate is held at min_lr after T instead of climbing back up the cosine.
"""
import math


def _check(warmup_steps: int, total_steps: int, max_lr: float, min_lr: float) -> None:
    if total_steps < 1:
        raise ValueError(f"total_steps must be >= 1, got {total_steps}")
    if not 0 <= warmup_steps < total_steps:
        raise ValueError(f"warmup_steps must be in [0, {total_steps}), got {warmup_steps}")
    if not 0.0 <= min_lr <= max_lr:
        raise ValueError(f"need 0 <= min_lr <= max_lr, got min_lr={min_lr}, max_lr={max_lr}")


def warmup_cosine_lr(step: int, max_lr: float, warmup_steps: int, total_steps: int, min_lr: float = 0.0) -> float:
    """Learning rate for optimiser step `step` (0-based)."""
    _check(warmup_steps, total_steps, max_lr, min_lr)
    if step < 0:
        raise ValueError(f"step must be >= 0, got {step}")
    if step < warmup_steps:
        return max_lr * step / warmup_steps
    if step >= total_steps:
        return min_lr
    progress = (step - warmup_steps) / (total_steps - warmup_steps)  # 0 at the peak, 1 at the end
    return min_lr + (max_lr - min_lr) * 0.5 * (1.0 + math.cos(math.pi * progress))


def warmup_cosine_lambda(max_lr: float, warmup_steps: int, total_steps: int, min_lr: float = 0.0):
    """Multiplier of the base rate for torch.optim.lr_scheduler.LambdaLR (base lr = max_lr)."""
    _check(warmup_steps, total_steps, max_lr, min_lr)
    if max_lr <= 0:
        raise ValueError(f"max_lr must be > 0 to express the schedule as a multiplier, got {max_lr}")
    return lambda step: warmup_cosine_lr(step, max_lr, warmup_steps, total_steps, min_lr) / max_lr


if __name__ == "__main__":
    max_lr, min_lr, warmup_steps, total_steps = 3e-4, 3e-5, 100, 1000
    for t in (0, 50, 100, 550, 1000, 1500):
        print(f"step {t:4d}: lr = {warmup_cosine_lr(t, max_lr, warmup_steps, total_steps, min_lr):.4e}")
    print("expected: 0, 1.5e-4 (half of warmup), 3e-4 (peak), 1.65e-4 (midway: (max+min)/2), "
          "3e-5 (min_lr), 3e-5 (held after the end)")
