"""DDPM forward (noising) process and the simple epsilon-prediction loss (Ho et al. 2020).

One step:     q(x_t | x_{t-1}) = N(sqrt(1 - beta_t) x_{t-1}, beta_t I)
Closed form:  q(x_t | x_0)     = N(sqrt(abar_t) x_0, (1 - abar_t) I)
              with abar_t = prod_{s<=t} (1 - beta_s)
Timesteps are 0-based here: t = 0 is the first noising step, alphas_cumprod[t] = abar_t.
"""
from typing import Callable, Optional

import torch
import torch.nn.functional as F


def _per_sample(values: torch.Tensor, t: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    # Gather one coefficient per batch element and reshape to (B, 1, 1, ...) so it broadcasts
    # over every data dimension, whatever the data's rank (vectors, images, audio, video).
    # Index on the schedule's device (CUDA timesteps cannot index a CPU schedule), then move the
    # few gathered values to the data's device and dtype: .to(dtype) alone leaves them behind.
    coeffs = values[t.to(values.device)]
    return coeffs.to(device=like.device, dtype=like.dtype).reshape(-1, *([1] * (like.dim() - 1)))


def q_step(x_prev: torch.Tensor, t: torch.Tensor, betas: torch.Tensor,
           noise: Optional[torch.Tensor] = None) -> torch.Tensor:
    """One forward step x_{t-1} -> x_t."""
    noise = torch.randn_like(x_prev) if noise is None else noise
    beta = _per_sample(betas, t, x_prev)
    # Shrinking by sqrt(1 - beta) while adding variance beta keeps unit-variance data at unit
    # variance, so after many steps x_t tends to N(0, I) instead of blowing up.
    return (1 - beta).sqrt() * x_prev + beta.sqrt() * noise


def q_sample(x0: torch.Tensor, t: torch.Tensor, alphas_cumprod: torch.Tensor,
             noise: Optional[torch.Tensor] = None) -> torch.Tensor:
    """Jump straight from x_0 to x_t: what makes training cheap (no simulation of t steps)."""
    noise = torch.randn_like(x0) if noise is None else noise
    abar = _per_sample(alphas_cumprod, t, x0)
    return abar.sqrt() * x0 + (1 - abar).sqrt() * noise


def ddpm_loss(model: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], x0: torch.Tensor,
              alphas_cumprod: torch.Tensor) -> torch.Tensor:
    """L_simple = E_{t, x_0, eps} ||eps - eps_theta(x_t, t)||^2 with t uniform."""
    n_timesteps = len(alphas_cumprod)
    # One random timestep per example: an unbiased estimate of the sum over all t for the price
    # of a single network evaluation.
    t = torch.randint(0, n_timesteps, (x0.shape[0],), device=x0.device)
    noise = torch.randn_like(x0)
    x_t = q_sample(x0, t, alphas_cumprod, noise)
    # Predicting the added noise instead of x_0 or the posterior mean is the reweighting of the
    # ELBO that Ho et al. found to train best; it drops the per-t weights of the true bound.
    return F.mse_loss(model(x_t, t), noise)


if __name__ == "__main__":
    torch.manual_seed(0)
    torch.set_num_threads(1)
    n_timesteps = 1000
    # Ho et al.'s linear schedule
    betas = torch.linspace(1e-4, 0.02, n_timesteps, dtype=torch.float64)
    alphas_cumprod = torch.cumprod(1 - betas, dim=0)
    x0 = torch.full((100_000, 1), 2.0, dtype=torch.float64)
    t_check = 199   # after 200 steps: still clearly between data and noise
    x = x0
    for t in range(t_check + 1):
        x = q_step(x, torch.full((len(x),), t), betas)
    closed = q_sample(x0, torch.full((len(x0),), t_check), alphas_cumprod)
    abar = alphas_cumprod[t_check]
    print(f"iterated: mean {x.mean():.4f} var {x.var():.4f}; "
          f"closed form: mean {closed.mean():.4f} var {closed.var():.4f} "
          f"(expected both ≈ {2.0 * abar.sqrt():.4f}, {1 - abar:.4f})")
    zero_loss = ddpm_loss(lambda x_t, t: torch.zeros_like(x_t), x0, alphas_cumprod)
    print(f"loss of a zero predictor = {zero_loss:.3f} (expected ≈ 1 = E[eps^2])")
