"""Diffusion noise schedules: linear (Ho et al. 2020) and cosine (Nichol & Dhariwal 2021).

Both return (betas, alphas_cumprod) with alphas_cumprod[t] = prod_{s<=t} (1 - betas[s]), the
fraction of the signal's variance left after step t (0-based). A schedule is a choice of how fast
abar_t falls from ~1 (clean data) to ~0 (pure noise).
"""
import numpy as np


def linear_beta_schedule(n_timesteps: int = 1000, beta_start: float = 1e-4, beta_end: float = 0.02):
    # Ho et al.'s constants are tuned for T = 1000; with far fewer steps each beta must be larger,
    # or the last x_T is not close to N(0, I).
    betas = np.linspace(beta_start, beta_end, n_timesteps, dtype=np.float64)
    return betas, np.cumprod(1.0 - betas)


def cosine_beta_schedule(n_timesteps: int = 1000, s: float = 0.008, max_beta: float = 0.999):
    # Define abar directly as f(t)/f(0), f(t) = cos^2((t/T + s)/(1 + s) * pi/2): it falls slowly at
    # both ends, so less of the chain is wasted on nearly pure noise than with the linear schedule.
    # The small offset s keeps beta_0 from being tiny, which made the first steps hard to predict.
    steps = np.arange(n_timesteps + 1, dtype=np.float64) / n_timesteps
    f = np.cos((steps + s) / (1 + s) * np.pi / 2) ** 2
    abar = f / f[0]
    betas = 1.0 - abar[1:] / abar[:-1]
    # f(T) = 0 would make the last beta 1 (x_T independent of everything, a singular step);
    # clipping keeps every step invertible and abar strictly positive.
    betas = np.clip(betas, 0.0, max_beta)
    return betas, np.cumprod(1.0 - betas)


if __name__ == "__main__":
    for name, (betas, alphas_cumprod) in {"linear": linear_beta_schedule(1000),
                                          "cosine": cosine_beta_schedule(1000)}.items():
        decreasing = bool(np.all(np.diff(alphas_cumprod) < 0))
        in_range = bool(np.all((alphas_cumprod > 0) & (alphas_cumprod <= 1)))
        print(f"{name}: abar_0 = {alphas_cumprod[0]:.6f}, abar_T = {alphas_cumprod[-1]:.3e}, "
              f"strictly decreasing = {decreasing}, in (0, 1] = {in_range} (expected True, True)")
