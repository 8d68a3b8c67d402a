"""GAN discriminator and generator losses from raw discriminator outputs (logits), PyTorch.

With l = D's logit and D = sigmoid(l), every loss below is a mean over the batch:
  minimax (Goodfellow et al. 2014)   L_D = softplus(-l_real) + softplus(l_fake)
                                     L_G = log(1 - D(G(z))) = -softplus(l_fake)   (saturates)
  non-saturating (same paper, §3)    L_D as above,  L_G = -log D(G(z)) = softplus(-l_fake)
  hinge (Lim & Ye 2017)              L_D = relu(1 - l_real) + relu(1 + l_fake),  L_G = -l_fake
  least squares (Mao et al. 2017)    L_D = 1/2 (l_real - 1)^2 + 1/2 l_fake^2,  L_G = 1/2 (l_fake - 1)^2
The log terms use softplus(x) = log(1 + e^x), exact where log(sigmoid(l)) would round to log(0).
"""
import torch
import torch.nn.functional as F

KINDS = ("minimax", "non-saturating", "hinge", "least-squares")


def _check(**logits: torch.Tensor) -> None:
    for name, value in logits.items():
        if not torch.is_tensor(value) or not value.is_floating_point():
            raise ValueError(f"{name} must be a floating-point tensor")
        if value.numel() == 0:
            raise ValueError(f"{name} is empty")


def d_loss_bce(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """-log D(x) - log(1 - D(G(z))): binary cross-entropy with labels 1 (real) and 0 (fake)."""
    _check(real_logits=real_logits, fake_logits=fake_logits)
    # -log sigmoid(l) = softplus(-l) and -log(1 - sigmoid(l)) = softplus(l).
    return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()


def g_loss_minimax(fake_logits: torch.Tensor) -> torch.Tensor:
    """log(1 - D(G(z))), the original saturating generator loss."""
    _check(fake_logits=fake_logits)
    # Its gradient in l is -sigmoid(l): near zero exactly when D confidently rejects the fakes,
    # which is the situation early in training. Kept for reference, not for use.
    return -F.softplus(fake_logits).mean()


def g_loss_non_saturating(fake_logits: torch.Tensor) -> torch.Tensor:
    """-log D(G(z)): same fixed point as minimax, gradient -(1 - sigmoid(l)) ~ -1 when D wins."""
    _check(fake_logits=fake_logits)
    return F.softplus(-fake_logits).mean()


def d_loss_hinge(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """Margin loss: only reals with l < 1 and fakes with l > -1 contribute."""
    _check(real_logits=real_logits, fake_logits=fake_logits)
    return F.relu(1 - real_logits).mean() + F.relu(1 + fake_logits).mean()


def g_loss_hinge(fake_logits: torch.Tensor) -> torch.Tensor:
    """-l_fake, with no relu: clipping would stop G's gradient once fakes pass the margin."""
    _check(fake_logits=fake_logits)
    return -fake_logits.mean()


def d_loss_least_squares(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """LSGAN with labels 1 (real) and 0 (fake) on the raw output, no sigmoid."""
    _check(real_logits=real_logits, fake_logits=fake_logits)
    return 0.5 * (real_logits - 1).pow(2).mean() + 0.5 * fake_logits.pow(2).mean()


def g_loss_least_squares(fake_logits: torch.Tensor) -> torch.Tensor:
    """Squared distance of the fakes' raw output from the real label 1."""
    _check(fake_logits=fake_logits)
    return 0.5 * (fake_logits - 1).pow(2).mean()


def gan_losses(real_logits: torch.Tensor, fake_logits: torch.Tensor, kind: str = "non-saturating"):
    """(L_D, L_G) for one formulation. In training, L_D takes D(G(z).detach()); L_G takes D(G(z))."""
    if kind in ("minimax", "non-saturating"):
        d_loss = d_loss_bce(real_logits, fake_logits)
        g_loss = g_loss_minimax(fake_logits) if kind == "minimax" else g_loss_non_saturating(fake_logits)
        return d_loss, g_loss
    if kind == "hinge":
        return d_loss_hinge(real_logits, fake_logits), g_loss_hinge(fake_logits)
    if kind == "least-squares":
        return d_loss_least_squares(real_logits, fake_logits), g_loss_least_squares(fake_logits)
    raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")


if __name__ == "__main__":
    real, fake = torch.tensor([0.5]), torch.tensor([-0.3])
    expected = {"non-saturating": (1.028, 0.854), "hinge": (1.2, 0.3), "least-squares": (0.17, 0.845)}
    for kind, (d_exp, g_exp) in expected.items():
        d, g = gan_losses(real, fake, kind)
        print(f"{kind:>14}: L_D = {d.item():.3f}, L_G = {g.item():.3f} (expected {d_exp}, {g_exp})")
    confident = torch.tensor([-10.0], requires_grad=True)   # D is sure this fake is fake
    g_ns, = torch.autograd.grad(g_loss_non_saturating(confident), confident)
    g_mm, = torch.autograd.grad(g_loss_minimax(confident), confident)
    print(f"dL_G/dl at l = -10: non-saturating {g_ns.item():.5f}, minimax {g_mm.item():.2e} "
          f"(expected -(1 - sigmoid(-10)) = {-(1 - torch.sigmoid(torch.tensor(-10.0))).item():.5f}, "
          f"-sigmoid(-10) = {-torch.sigmoid(torch.tensor(-10.0)).item():.2e})")
