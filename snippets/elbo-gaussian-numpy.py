"""The ELBO decomposition ln p(x) = L(q) + KL(q || p(z|x)), checked on a model where all is exact.

Model: z ~ N(prior_mean, prior_std^2), x_i | z ~ N(z, noise_std^2) for i = 1..n. Conjugacy makes
the evidence, the posterior and the ELBO of any Gaussian q(z) = N(m, v) available in closed form,
so the identity can be verified to rounding error instead of up to Monte-Carlo noise.
"""
import numpy as np

LOG_2PI = np.log(2 * np.pi)


def log_evidence(x: np.ndarray, prior_mean: float, prior_std: float, noise_std: float) -> float:
    """ln p(x): x is jointly Gaussian with mean prior_mean and covariance s^2 I + s0^2 11^T."""
    x = np.asarray(x, dtype=float)
    n = len(x)
    s2, s02 = noise_std**2, prior_std**2
    r = x - prior_mean
    # The shared z couples all x_i. Sherman-Morrison and the matrix determinant lemma give the
    # inverse and determinant of s^2 I + s0^2 11^T in O(n) instead of O(n^3).
    quad = (r @ r - s02 * r.sum() ** 2 / (s2 + n * s02)) / s2
    logdet = (n - 1) * np.log(s2) + np.log(s2 + n * s02)
    return float(-0.5 * (n * LOG_2PI + logdet + quad))


def exact_posterior(x: np.ndarray, prior_mean: float, prior_std: float, noise_std: float):
    """(mean, variance) of p(z | x): precisions add, means are precision-weighted."""
    x = np.asarray(x, dtype=float)
    precision = 1 / prior_std**2 + len(x) / noise_std**2
    variance = 1 / precision
    mean = variance * (prior_mean / prior_std**2 + x.sum() / noise_std**2)
    return float(mean), float(variance)


def elbo(m: float, v: float, x: np.ndarray,
         prior_mean: float, prior_std: float, noise_std: float) -> float:
    """L(q) = E_q[ln p(x|z)] + E_q[ln p(z)] + H[q] for q = N(m, v)."""
    x = np.asarray(x, dtype=float)
    n = len(x)
    # Under q, E[(x_i - z)^2] = (x_i - m)^2 + v: the variance of q is paid in every expected term.
    s2, s02 = noise_std**2, prior_std**2
    expected_loglik = -0.5 * (n * (LOG_2PI + np.log(s2)) + (((x - m) ** 2).sum() + n * v) / s2)
    expected_logprior = -0.5 * (LOG_2PI + np.log(s02) + ((m - prior_mean) ** 2 + v) / s02)
    entropy = 0.5 * (LOG_2PI + 1 + np.log(v))
    return float(expected_loglik + expected_logprior + entropy)


def kl_gaussian(m: float, v: float, m2: float, v2: float) -> float:
    """KL(N(m, v) || N(m2, v2)) for scalar Gaussians (v, v2 are variances)."""
    return float(0.5 * (np.log(v2 / v) + (v + (m - m2) ** 2) / v2 - 1))


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    prior_mean, prior_std, noise_std = 0.0, 2.0, 1.0
    x = rng.normal(1.5, noise_std, size=10)
    model = (prior_mean, prior_std, noise_std)
    log_px = log_evidence(x, *model)
    post_mean, post_var = exact_posterior(x, *model)
    m, v = 0.3, 0.5   # an arbitrary, wrong q
    gap = elbo(m, v, x, *model) + kl_gaussian(m, v, post_mean, post_var) - log_px
    print(f"ELBO(q) + KL(q || p(z|x)) - ln p(x) = {gap:.2e} (expected 0 to 1e-9)")
    tight = log_px - elbo(post_mean, post_var, x, *model)
    print(f"ln p(x) - ELBO(q = p(z|x)) = {tight:.2e} (expected 0: the bound is tight there)")
