"""One DDIM update x_t -> x_{t_prev} from an epsilon prediction (Song, Meng & Ermon 2021, eq. 12/16).

  x0_hat = (x_t - sqrt(1 - abar_t) eps) / sqrt(abar_t)
  x_prev = sqrt(abar_prev) x0_hat + sqrt(1 - abar_prev - sigma^2) eps + sigma z,   z ~ N(0, I)
  sigma  = eta * sqrt((1 - abar_prev) / (1 - abar_t)) * sqrt(1 - abar_t / abar_prev)
eta = 0 is deterministic DDIM; eta = 1 gives the DDPM posterior variance. t_prev may be any earlier
step; t_prev = -1 means "after the last step", with abar = 1, so the update returns x0_hat.
Timesteps are 0-based: alphas_cumprod[t] = abar_t for t = 0 .. T-1.
"""
from typing import Callable, Optional

import torch

SPACINGS = ("leading", "linspace", "trailing")


def ddim_timesteps(num_train_timesteps: int, num_inference_steps: int, spacing: str = "leading",
                   steps_offset: int = 0) -> torch.Tensor:
    """Decreasing sub-sequence of 0..T-1 to visit, by diffusers' timestep_spacing conventions."""
    T, n = num_train_timesteps, num_inference_steps
    if T < 1 or not 1 <= n <= T:
        raise ValueError(f"need 1 <= num_inference_steps <= num_train_timesteps, got {n} and {T}")
    if spacing == "leading":
        # Multiples of T // n starting at 0: with the offset 1 of Stable Diffusion, 981 .. 1 for 50
        # of 1000, so the noisiest training step is never visited.
        steps = torch.arange(n - 1, -1, -1) * (T // n) + steps_offset
    elif spacing == "linspace":
        steps = torch.linspace(0, T - 1, n, dtype=torch.float64).round().long().flip(0) + steps_offset
    elif spacing == "trailing":
        # Count back from T in steps of T / n, then shift by one: starts at T - 1, ends at T/n - 1.
        # (Built from k * T / n rather than a float arange, whose length can come out as n + 1.)
        steps = (T - torch.arange(n, dtype=torch.float64) * (T / n)).round().long() - 1 + steps_offset
    else:
        raise ValueError(f"spacing must be one of {SPACINGS}, got {spacing!r}")
    if steps_offset < 0 or int(steps.max()) >= T:
        raise ValueError(f"steps_offset {steps_offset} puts timesteps outside [0, {T})")
    return steps


def predict_x0_from_eps(x_t: torch.Tensor, eps: torch.Tensor, abar_t: torch.Tensor) -> torch.Tensor:
    """Invert x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps for x0."""
    return (x_t - (1 - abar_t).sqrt() * eps) / abar_t.sqrt()


def ddim_sigma(abar_t: torch.Tensor, abar_prev: torch.Tensor, eta: float) -> torch.Tensor:
    """Std of the fresh noise, Song et al. eq. 16; eta = 1 is sqrt of the DDPM posterior variance."""
    return eta * ((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).sqrt()


def ddim_step(x_t: torch.Tensor, eps: torch.Tensor, t: int, t_prev: int, alphas_cumprod: torch.Tensor,
              eta: float = 0.0, noise: Optional[torch.Tensor] = None,
              generator: Optional[torch.Generator] = None):
    """Returns (x_{t_prev}, x0_hat). t_prev = -1 is the final step (abar_prev = 1)."""
    T = len(alphas_cumprod)
    t, t_prev = int(t), int(t_prev)
    if not 0 <= t < T:
        raise ValueError(f"t must be in [0, {T}), got {t}")
    if not -1 <= t_prev < t:
        raise ValueError(f"t_prev must be in [-1, t) = [-1, {t}), got {t_prev}")
    if eta < 0:
        raise ValueError(f"eta must be >= 0, got {eta}")
    if eps.shape != x_t.shape or eps.dtype != x_t.dtype or eps.device != x_t.device:
        raise ValueError(f"eps must match x_t in shape, dtype and device, got {tuple(eps.shape)} {eps.dtype} "
                         f"{eps.device} and {tuple(x_t.shape)} {x_t.dtype} {x_t.device}")
    # Coefficients are computed in the schedule's precision (keep it float64: 1 - abar_t near t = 0
    # loses digits in float32), then moved to the data's device and dtype. Indexing with -1 would
    # silently read abar_{T-1}, the noisiest step, so the final step is spelled out.
    abar_t = alphas_cumprod[t]
    abar_prev = alphas_cumprod[t_prev] if t_prev >= 0 else torch.ones_like(abar_t)
    sigma = ddim_sigma(abar_t, abar_prev, eta)
    direction_var = 1 - abar_prev - sigma**2
    if direction_var < -1e-12:
        raise ValueError(f"eta = {eta} asks for more noise (sigma^2 = {float(sigma**2):.4g}) than "
                         f"1 - abar_prev = {float(1 - abar_prev):.4g} allows")
    to = dict(device=x_t.device, dtype=x_t.dtype)
    abar_t, abar_prev = abar_t.to(**to), abar_prev.to(**to)
    sigma, dir_coeff = sigma.to(**to), direction_var.clamp(min=0).sqrt().to(**to)
    x0_hat = predict_x0_from_eps(x_t, eps, abar_t)
    # The predicted noise is reused as the "direction pointing to x_t"; sigma z replaces the part
    # of its variance that eta hands over to fresh noise, so the total stays 1 - abar_prev.
    x_prev = abar_prev.sqrt() * x0_hat + dir_coeff * eps
    if eta > 0:
        if noise is None:
            noise = torch.randn(x_t.shape, generator=generator, **to)
        x_prev = x_prev + sigma * noise
    return x_prev, x0_hat


def ddim_sample(model: Callable[[torch.Tensor, int], torch.Tensor], x_T: torch.Tensor,
                alphas_cumprod: torch.Tensor, timesteps: torch.Tensor, eta: float = 0.0,
                generator: Optional[torch.Generator] = None) -> torch.Tensor:
    """Run ddim_step over decreasing timesteps, ending with t_prev = -1."""
    x = x_T
    steps = [int(s) for s in timesteps] + [-1]
    for t, t_prev in zip(steps[:-1], steps[1:]):
        x, _ = ddim_step(x, model(x, t), t, t_prev, alphas_cumprod, eta, generator=generator)
    return x


if __name__ == "__main__":
    torch.manual_seed(0)
    betas = torch.linspace(1e-4, 0.02, 1000, dtype=torch.float64)   # Ho et al.'s linear schedule
    abar = torch.cumprod(1 - betas, dim=0)
    x0, eps = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64), torch.randn(3, dtype=torch.float64)
    t, t_prev = 600, 400
    x_t = abar[t].sqrt() * x0 + (1 - abar[t]).sqrt() * eps
    x_prev, _ = ddim_step(x_t, eps, t, t_prev, abar, eta=0.0)
    target = abar[t_prev].sqrt() * x0 + (1 - abar[t_prev]).sqrt() * eps
    print(f"true eps, eta = 0: |x_prev - forward mean| = {(x_prev - target).abs().max():.1e} (expected ~1e-16)")
    print("50 steps, trailing:", ddim_timesteps(1000, 50, "trailing")[[0, 1, -1]].tolist(), "(expected [999, 979, 19])")
    # A model that knows the data is the single point x0 returns its exact noise: sampling recovers x0.
    oracle = lambda x, s: (x - abar[s].sqrt() * x0) / (1 - abar[s]).sqrt()
    sample = ddim_sample(oracle, torch.randn(3, dtype=torch.float64), abar, ddim_timesteps(1000, 20, "linspace"))
    print(f"oracle-model DDIM sample = {sample.tolist()} (expected {x0.tolist()})")
