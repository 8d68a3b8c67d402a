import numpy as np
import pytest
import torch
from scipy import integrate, optimize, stats
from torch.distributions import Normal, kl_divergence

from conftest import load_snippet

vae = load_snippet("vae-loss-torch")
eg = load_snippet("elbo-gaussian-numpy")

CASES = [
    ([0.0, 0.0, 0.0], [0.0, 0.0, 0.0]),
    ([0.5, -1.0, 2.0], [0.2, -0.5, 1.0]),
    ([-0.3, 0.1, 0.0], [-2.0, 0.7, -0.1]),
]


@pytest.mark.parametrize("mu,logvar", CASES)
def test_vae_analytic_kl_matches_torch_and_monte_carlo(mu, logvar):
    mu = torch.tensor(mu, dtype=torch.float64)
    logvar = torch.tensor(logvar, dtype=torch.float64)
    analytic = vae.kl_to_standard_normal(mu, logvar)
    exact = kl_divergence(Normal(mu, (0.5 * logvar).exp()), Normal(0.0, 1.0)).sum()
    assert analytic.item() == pytest.approx(exact.item(), abs=1e-12)
    torch.manual_seed(0)
    model = vae.VAE(input_dim=4, hidden_dim=8, latent_dim=3)
    n = 200_000
    z = model.reparameterize(mu.expand(n, 3), logvar.expand(n, 3))
    log_ratio = (Normal(mu, (0.5 * logvar).exp()).log_prob(z) - Normal(0.0, 1.0).log_prob(z)).sum(dim=-1)
    se = log_ratio.std().item() / np.sqrt(n)
    assert abs(log_ratio.mean().item() - analytic.item()) < 4 * se + 1e-12


def test_reparameterize_samples_have_variance_exp_logvar():
    torch.manual_seed(1)
    model = vae.VAE(input_dim=4, hidden_dim=8, latent_dim=3)
    mu = torch.tensor([1.0, -2.0, 0.0], dtype=torch.float64)
    logvar = torch.tensor([0.0, 1.0, -1.5], dtype=torch.float64)
    z = model.reparameterize(mu.expand(200_000, 3), logvar.expand(200_000, 3))
    np.testing.assert_allclose(z.mean(0).numpy(), mu.numpy(), atol=0.02)
    np.testing.assert_allclose(z.var(0).numpy(), logvar.exp().numpy(), rtol=0.02)


def test_gradients_flow_through_the_sample():
    model = vae.VAE(input_dim=4, hidden_dim=8, latent_dim=3).double()
    mu = torch.tensor([[0.3, -0.2, 1.0]], dtype=torch.float64, requires_grad=True)
    logvar = torch.tensor([[0.1, -1.0, 0.5]], dtype=torch.float64, requires_grad=True)
    torch.manual_seed(7)
    z = model.reparameterize(mu, logvar)
    torch.manual_seed(7)
    eps = torch.randn_like(mu)  # the same noise the module drew
    z.sum().backward()
    np.testing.assert_allclose(mu.grad.numpy(), np.ones((1, 3)))
    # dz/dlogvar = d/dlogvar [exp(0.5 logvar) eps] = 0.5 exp(0.5 logvar) eps
    np.testing.assert_allclose(logvar.grad.numpy(), (0.5 * (0.5 * logvar).exp() * eps).detach().numpy(), rtol=1e-12)


def test_reconstruction_gradient_reaches_encoder_heads():
    torch.manual_seed(3)
    model = vae.VAE(input_dim=6, hidden_dim=8, latent_dim=2)
    x = torch.rand(16, 6).round()
    recon, mu, logvar = model(x)
    # beta = 0: only the reconstruction term, which depends on fc_mu/fc_logvar only through z
    loss, reconstruction, kl = vae.vae_loss(recon, x, mu, logvar, beta=0.0)
    loss.backward()
    for head in (model.fc_mu, model.fc_logvar):
        assert head.weight.grad is not None and head.weight.grad.abs().sum() > 0
        assert torch.isfinite(head.weight.grad).all()


def test_vae_loss_is_negative_elbo():
    torch.manual_seed(4)
    x = torch.rand(5, 7).round()
    logits = torch.randn(5, 7)
    mu, logvar = torch.randn(5, 3), torch.randn(5, 3)
    bce = -(x * torch.log(torch.sigmoid(logits)) + (1 - x) * torch.log(1 - torch.sigmoid(logits))).sum(1).mean()
    kl = (0.5 * (logvar.exp() + mu**2 - 1 - logvar)).sum(1).mean()
    for beta in (0.0, 1.0, 4.0):
        loss, rec, kl_term = vae.vae_loss(logits, x, mu, logvar, beta=beta)
        assert rec.item() == pytest.approx(bce.item(), rel=1e-5)
        assert kl_term.item() == pytest.approx(kl.item(), rel=1e-5)
        assert loss.item() == pytest.approx(bce.item() + beta * kl.item(), rel=1e-5)


def test_active_units_flags_collapsed_dimensions():
    torch.manual_seed(5)
    mu = torch.randn(100, 4)
    mu[:, 1] = 0.0       # collapsed: same posterior mean for every input
    mu[:, 3] = 1e-3 * mu[:, 3]
    assert vae.active_units(mu) == 2


# --- ELBO for the conjugate Gaussian model ------------------------------------------------------

PRIOR_MEAN, PRIOR_STD, NOISE_STD = 0.7, 1.5, 0.8
X = np.random.default_rng(0).normal(1.2, NOISE_STD, size=7)


def test_log_evidence_matches_multivariate_normal():
    n = len(X)
    cov = NOISE_STD**2 * np.eye(n) + PRIOR_STD**2 * np.ones((n, n))
    expected = stats.multivariate_normal(np.full(n, PRIOR_MEAN), cov).logpdf(X)
    assert eg.log_evidence(X, PRIOR_MEAN, PRIOR_STD, NOISE_STD) == pytest.approx(expected, abs=1e-10)


def test_exact_posterior_is_bayes_rule():
    m, v = eg.exact_posterior(X, PRIOR_MEAN, PRIOR_STD, NOISE_STD)
    log_px = eg.log_evidence(X, PRIOR_MEAN, PRIOR_STD, NOISE_STD)
    for z in (-1.0, 0.3, 1.1, 2.5):
        bayes = stats.norm(z, NOISE_STD).logpdf(X).sum() + stats.norm(PRIOR_MEAN, PRIOR_STD).logpdf(z) - log_px
        assert stats.norm(m, np.sqrt(v)).logpdf(z) == pytest.approx(bayes, abs=1e-9)


def test_elbo_plus_kl_equals_log_evidence():
    log_px = eg.log_evidence(X, PRIOR_MEAN, PRIOR_STD, NOISE_STD)
    post_m, post_v = eg.exact_posterior(X, PRIOR_MEAN, PRIOR_STD, NOISE_STD)
    rng = np.random.default_rng(1)
    for m, v in zip(rng.normal(0, 2, 50), np.exp(rng.normal(-1, 1.5, 50))):
        elbo = eg.elbo(m, v, X, PRIOR_MEAN, PRIOR_STD, NOISE_STD)
        kl = eg.kl_gaussian(m, v, post_m, post_v)
        assert abs(elbo + kl - log_px) < 1e-9
        assert kl >= 0 and elbo <= log_px  # Jensen: a lower bound


def test_elbo_closed_form_matches_monte_carlo():
    rng = np.random.default_rng(2)
    m, v = 0.4, 0.3
    z = rng.normal(m, np.sqrt(v), size=400_000)
    samples = (stats.norm.logpdf(X[:, None], z, NOISE_STD).sum(0) + stats.norm.logpdf(z, PRIOR_MEAN, PRIOR_STD)
               - stats.norm.logpdf(z, m, np.sqrt(v)))
    se = samples.std() / np.sqrt(len(z))
    assert abs(samples.mean() - eg.elbo(m, v, X, PRIOR_MEAN, PRIOR_STD, NOISE_STD)) < 4 * se


def test_kl_gaussian_matches_numerical_integral():
    m, v, m2, v2 = 0.3, 0.5, -0.2, 1.7
    p, q = stats.norm(m, np.sqrt(v)), stats.norm(m2, np.sqrt(v2))
    numeric, _ = integrate.quad(lambda z: p.pdf(z) * (p.logpdf(z) - q.logpdf(z)), -30, 30)
    assert eg.kl_gaussian(m, v, m2, v2) == pytest.approx(numeric, abs=1e-9)


def test_elbo_is_maximised_at_the_exact_posterior():
    log_px = eg.log_evidence(X, PRIOR_MEAN, PRIOR_STD, NOISE_STD)
    post_m, post_v = eg.exact_posterior(X, PRIOR_MEAN, PRIOR_STD, NOISE_STD)
    assert eg.elbo(post_m, post_v, X, PRIOR_MEAN, PRIOR_STD, NOISE_STD) == pytest.approx(log_px, abs=1e-9)
    for dm, dv in [(0.01, 1.0), (-0.01, 1.0), (0.0, 1.05), (0.0, 0.95)]:
        assert eg.elbo(post_m + dm, post_v * dv, X, PRIOR_MEAN, PRIOR_STD, NOISE_STD) < log_px
    res = optimize.minimize(lambda p: -eg.elbo(p[0], np.exp(p[1]), X, PRIOR_MEAN, PRIOR_STD, NOISE_STD),
                            x0=[0.0, 0.0], method="BFGS", options={"gtol": 1e-10})
    assert res.x[0] == pytest.approx(post_m, abs=1e-5)
    assert np.exp(res.x[1]) == pytest.approx(post_v, rel=1e-4)
