import math

import numpy as np
import pytest
import torch
from torch import nn

from conftest import load_snippet

ddpm = load_snippet("ddpm-forward-torch")
sched = load_snippet("noise-schedules-numpy")

T = 1000
BETAS = torch.linspace(1e-4, 0.02, T, dtype=torch.float64)
ABAR = torch.cumprod(1 - BETAS, dim=0)
X0_ROW = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64)


def test_closed_form_matches_iterated_one_step_process():
    torch.manual_seed(0)
    n = 40_000
    x0 = X0_ROW.expand(n, 3).clone()
    x = x0
    checkpoints = {0, 9, 99, 399}
    for t in range(max(checkpoints) + 1):
        x = ddpm.q_step(x, torch.full((n,), t), BETAS)
        if t not in checkpoints:
            continue
        mean, var = ABAR[t].sqrt() * X0_ROW, 1 - ABAR[t]
        closed = ddpm.q_sample(x0, torch.full((n,), t), ABAR)
        for samples in (x, closed):
            # 4 standard errors of the sample mean and of the sample variance
            assert torch.all((samples.mean(0) - mean).abs() < 4 * (var / n).sqrt()), t
            assert torch.all((samples.var(0) - var).abs() < 4 * var * math.sqrt(2 / n)), t


def test_noise_free_paths_agree_exactly():
    # With zero noise both reduce to their means: prod sqrt(1 - beta_s) x_0 = sqrt(abar_t) x_0.
    x0 = X0_ROW.expand(2, 3).clone()
    x = x0
    for t in range(250):
        x = ddpm.q_step(x, torch.full((2,), t), BETAS, noise=torch.zeros_like(x))
    closed = ddpm.q_sample(x0, torch.full((2,), 249), ABAR, noise=torch.zeros_like(x0))
    torch.testing.assert_close(x, closed, rtol=1e-12, atol=1e-12)


def test_q_sample_broadcasts_a_timestep_per_example():
    torch.manual_seed(1)
    x0 = torch.randn(4, 2, 5, 5, dtype=torch.float64)
    noise = torch.randn_like(x0)
    t = torch.tensor([0, 10, 500, 999])
    out = ddpm.q_sample(x0, t, ABAR, noise)
    for i, ti in enumerate(t.tolist()):
        expected = math.sqrt(ABAR[ti]) * x0[i] + math.sqrt(1 - ABAR[ti]) * noise[i]
        torch.testing.assert_close(out[i], expected, rtol=1e-12, atol=1e-12)


def test_simple_loss_values_and_gradients():
    torch.manual_seed(2)
    x0 = X0_ROW.expand(20_000, 3).clone()
    zero = ddpm.ddpm_loss(lambda x_t, t: torch.zeros_like(x_t), x0, ABAR)
    assert zero.item() == pytest.approx(1.0, abs=0.03)  # E[eps^2]

    def oracle(x_t, t):
        # knows x_0, so it can invert q_sample exactly
        abar = ABAR[t].reshape(-1, 1)
        return (x_t - abar.sqrt() * x0) / (1 - abar).sqrt()

    assert ddpm.ddpm_loss(oracle, x0, ABAR).item() < 1e-20

    class TinyEps(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = nn.Linear(4, 3).double()

        def forward(self, x_t, t):
            return self.net(torch.cat([x_t, (t.double() / T)[:, None]], dim=1))

    model = TinyEps()
    loss = ddpm.ddpm_loss(model, x0[:64], ABAR)
    loss.backward()
    assert model.net.weight.grad.abs().sum() > 0


def assert_valid_alphas_cumprod(abar):
    assert np.all(np.diff(abar) < 0), "alphas_cumprod must be strictly decreasing"
    assert np.all(abar > 0) and np.all(abar <= 1)


@pytest.mark.parametrize("n_timesteps", [1000, 50])
def test_linear_schedule(n_timesteps):
    betas, abar = sched.linear_beta_schedule(n_timesteps)
    assert len(betas) == len(abar) == n_timesteps
    assert betas[0] == pytest.approx(1e-4) and betas[-1] == pytest.approx(0.02)
    assert_valid_alphas_cumprod(abar)
    running = 1.0
    for t, beta in enumerate(betas):
        running *= 1 - beta
        assert abar[t] == pytest.approx(running, rel=1e-12)
    if n_timesteps == 1000:
        # sum of betas = 1000 * (1e-4 + 0.02) / 2 = 10.05; log(1 - b) = -b - b^2/2 - ...
        expected = math.exp(math.fsum(math.log1p(-b) for b in np.linspace(1e-4, 0.02, 1000)))
        assert abar[-1] == pytest.approx(expected, rel=1e-10)
        assert 3.5e-5 < abar[-1] < 4.4e-5


@pytest.mark.parametrize("n_timesteps", [1000, 50])
def test_cosine_schedule(n_timesteps):
    s = 0.008
    betas, abar = sched.cosine_beta_schedule(n_timesteps)
    assert len(betas) == len(abar) == n_timesteps
    assert_valid_alphas_cumprod(abar)
    assert np.all(betas > 0) and np.all(betas <= 0.999)
    assert betas[-1] == pytest.approx(0.999)  # clipped: f(T) = 0 would give beta = 1

    def f(t):
        return math.cos((t / n_timesteps + s) / (1 + s) * math.pi / 2) ** 2

    # alphas_cumprod[t] is abar after step t, i.e. f(t + 1) / f(0), wherever clipping did not act
    for t in range(n_timesteps - 1):
        assert abar[t] == pytest.approx(f(t + 1) / f(0), rel=1e-9), t
    assert abar[-1] == pytest.approx(abar[-2] * (1 - 0.999), rel=1e-12)
    # the cosine schedule keeps more signal than the linear one halfway through
    if n_timesteps == 1000:
        assert abar[499] > sched.linear_beta_schedule(1000)[1][499]


def test_schedule_coefficients_follow_the_data_device_and_dtype():
    # The schedule lives on the CPU in float64 while the data lives elsewhere (here the `meta`
    # device, which stands in for a GPU: it has shapes and dtypes but no storage). Moving only the
    # dtype of the gathered coefficients used to leave them on the CPU, and mixing them with the
    # data then failed with "Expected all tensors to be on the same device".
    x = torch.empty(4, 2, 5, 5, device="meta", dtype=torch.float32)
    t = torch.tensor([0, 10, 500, 999])
    coeffs = ddpm._per_sample(ABAR, t, x)
    assert coeffs.device == x.device and coeffs.dtype == x.dtype and coeffs.shape == (4, 1, 1, 1)
    for out in (ddpm.q_sample(x, t, ABAR, noise=torch.empty_like(x)),
                ddpm.q_step(x, t, BETAS, noise=torch.empty_like(x))):
        assert out.device == x.device and out.dtype == x.dtype and out.shape == x.shape


def test_schedule_coefficients_keep_their_values_across_dtypes():
    # float32 data, float64 schedule: the gathered values are the schedule's, rounded once.
    x = torch.zeros(3, 2, dtype=torch.float32)
    t = torch.tensor([999, 0, 42])
    coeffs = ddpm._per_sample(ABAR, t, x)
    assert coeffs.dtype == torch.float32 and coeffs.shape == (3, 1)
    torch.testing.assert_close(coeffs[:, 0], ABAR[t].float(), rtol=0, atol=0)


def test_training_timesteps_are_uniform_over_all_of_0_to_T_minus_1():
    # t = 0 (the least-noised input) must be trained too; randint(1, T) would never produce it.
    torch.manual_seed(3)
    n_timesteps = 5
    abar = ABAR[:n_timesteps]
    seen = []

    def recorder(x_t, t):
        seen.append(t)
        return torch.zeros_like(x_t)

    for _ in range(20):
        ddpm.ddpm_loss(recorder, torch.zeros(500, 1, dtype=torch.float64), abar)
    t = torch.cat(seen)
    assert t.dtype == torch.int64 and int(t.min()) == 0 and int(t.max()) == n_timesteps - 1
    freq = torch.bincount(t, minlength=n_timesteps).double() / len(t)
    # 10,000 draws: binomial sd of each frequency <= 0.004, so 0.02 is a 5-sigma band
    assert torch.all((freq - 1 / n_timesteps).abs() < 0.02), freq
