"""A small variational autoencoder: Gaussian encoder, reparameterised sample, negative-ELBO loss.

The encoder outputs mu and log sigma^2 of q(z|x) = N(mu, diag(sigma^2)). Training minimises
-ELBO = E_q[-log p(x|z)] + beta * KL(q(z|x) || N(0, I)); beta = 1 is the plain VAE, beta > 1 the
β-VAE (Higgins et al. 2017), which trades reconstruction for a smoother, more factorised latent
space.
"""
from typing import Tuple

import torch
import torch.nn.functional as F
from torch import nn


class VAE(nn.Module):
    def __init__(self, input_dim: int = 784, hidden_dim: int = 256, latent_dim: int = 16):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(input_dim, hidden_dim), nn.ReLU())
        self.fc_mu = nn.Linear(hidden_dim, latent_dim)
        # Predicting log sigma^2 instead of sigma keeps the variance positive with no constraint
        # and avoids the exploding gradients of exp/sqrt on a raw output near zero.
        self.fc_logvar = nn.Linear(hidden_dim, latent_dim)
        self.decoder = nn.Sequential(nn.Linear(latent_dim, hidden_dim), nn.ReLU(),
                                     nn.Linear(hidden_dim, input_dim))

    def encode(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        h = self.encoder(x)
        return self.fc_mu(h), self.fc_logvar(h)

    def reparameterize(self, mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
        # Sampling z ~ N(mu, sigma^2) directly has no gradient with respect to mu and sigma.
        # Writing z = mu + sigma * eps with eps ~ N(0, I) moves the randomness into an input, so
        # z is a differentiable function of the encoder outputs. 0.5 * logvar = log sigma.
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        return mu + std * eps

    def forward(self, x: torch.Tensor):
        mu, logvar = self.encode(x)
        z = self.reparameterize(mu, logvar)
        return self.decoder(z), mu, logvar


def kl_to_standard_normal(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(mu, sigma^2) || N(0, I)) per sample, summed over latent dimensions, in closed form."""
    # Per dimension: 0.5 * (sigma^2 + mu^2 - 1 - log sigma^2). Exact, so no sampling noise here.
    return 0.5 * (logvar.exp() + mu.pow(2) - 1.0 - logvar).sum(dim=-1)


def vae_loss(recon_logits: torch.Tensor, x: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor,
             beta: float = 1.0):
    """Negative ELBO averaged over the batch; returns (loss, reconstruction, kl)."""
    # Bernoulli likelihood for data in [0, 1]: -log p(x|z) is the binary cross-entropy, summed
    # over pixels (a mean over pixels would silently rescale the KL weight). For real-valued data
    # with a unit-variance Gaussian decoder use 0.5 * squared error instead.
    bce = F.binary_cross_entropy_with_logits(recon_logits, x, reduction="none")
    reconstruction = bce.sum(dim=-1).mean()
    kl = kl_to_standard_normal(mu, logvar).mean()
    # A KL term that drops to ~0 for every input is posterior collapse: the decoder ignores z.
    # KL annealing (beta warm-up from 0) or free bits are the usual remedies.
    return reconstruction + beta * kl, reconstruction, kl


def active_units(mu: torch.Tensor, threshold: float = 1e-2) -> int:
    """Latent dimensions whose posterior mean varies across inputs (Burda et al. 2016)."""
    # A collapsed dimension outputs the prior for every x, so its mu barely varies across data.
    return int((mu.var(dim=0) > threshold).sum())


if __name__ == "__main__":
    torch.manual_seed(0)
    torch.set_num_threads(1)
    model = VAE(input_dim=8, hidden_dim=16, latent_dim=3)
    # Check the closed-form KL against a Monte-Carlo estimate E_q[log q(z) - log p(z)].
    mu = torch.tensor([0.5, -1.0, 0.0], dtype=torch.float64)
    logvar = torch.tensor([0.2, -0.5, 1.0], dtype=torch.float64)
    z = model.reparameterize(mu.expand(200_000, 3), logvar.expand(200_000, 3))
    q = torch.distributions.Normal(mu, (0.5 * logvar).exp())
    prior = torch.distributions.Normal(0.0, 1.0)
    monte_carlo = (q.log_prob(z) - prior.log_prob(z)).sum(dim=-1).mean().item()
    analytic = kl_to_standard_normal(mu, logvar).item()
    # One backward pass through the sampled z reaches both encoder heads.
    x = torch.rand(32, 8).round()
    recon_logits, mu_x, logvar_x = model(x)
    loss, reconstruction, kl = vae_loss(recon_logits, x, mu_x, logvar_x, beta=1.0)
    loss.backward()
    reached = all(head.weight.grad.abs().sum() > 0 for head in (model.fc_mu, model.fc_logvar))
    print(f"negative ELBO = {loss.item():.3f} = reconstruction {reconstruction.item():.3f} "
          f"+ KL {kl.item():.3f}; gradients reach fc_mu and fc_logvar: {bool(reached)} (expected True)")
    print(f"analytic KL = {analytic:.4f}, Monte-Carlo KL = {monte_carlo:.4f} (expected to agree within 0.01)")
