"""Fréchet Inception Distance from feature tensors, in PyTorch (float64, no SciPy).

Tr (S1 S2)^{1/2} is computed as Tr (S1^{1/2} S2 S1^{1/2})^{1/2}: S1 S2 = S1^{1/2} (S1^{1/2} S2)
and S1^{1/2} S2 S1^{1/2} have the same eigenvalues (AB and BA always do), so their square roots
have the same trace. The second is symmetric positive semi-definite, which allows a stable
symmetric eigendecomposition (eigh / eigvalsh) instead of a general, complex sqrtm.
"""
import torch


def gaussian_stats(features: torch.Tensor):
    """Mean and unbiased covariance of an (N, d) feature tensor, in float64."""
    # float64 matters: FID subtracts traces of large, nearly equal matrices, and float32 rounding
    # alone can move the result by more than the differences between models.
    if features.dim() != 2 or len(features) < 2:
        # One vector has no spread: the unbiased covariance would divide by N - 1 = 0.
        raise ValueError(f"features must be (N, d) with N >= 2 to estimate a covariance, "
                         f"got shape {tuple(features.shape)}")
    features = features.to(torch.float64)
    mu = features.mean(dim=0)
    centred = features - mu
    return mu, centred.T @ centred / (len(features) - 1)


def sqrtm_psd(matrix: torch.Tensor) -> torch.Tensor:
    """Square root of a symmetric PSD matrix through its eigendecomposition."""
    eigenvalues, eigenvectors = torch.linalg.eigh(matrix)
    # Rounding can leave tiny negative eigenvalues on a singular covariance; the true ones are >= 0.
    root = eigenvalues.clamp(min=0).sqrt()
    return (eigenvectors * root) @ eigenvectors.T


def frechet_distance(mu1: torch.Tensor, sigma1: torch.Tensor,
                     mu2: torch.Tensor, sigma2: torch.Tensor) -> torch.Tensor:
    mu1, mu2 = mu1.to(torch.float64), mu2.to(torch.float64)
    sigma1 = torch.atleast_2d(sigma1.to(torch.float64))
    sigma2 = torch.atleast_2d(sigma2.to(torch.float64))
    diff = mu1 - mu2
    root1 = sqrtm_psd(sigma1)
    inner = root1 @ sigma2 @ root1
    # Symmetrise: the product is symmetric in exact arithmetic but not after rounding, and eigvalsh
    # reads only one triangle.
    eigenvalues = torch.linalg.eigvalsh((inner + inner.T) / 2).clamp(min=0)
    tr_covmean = eigenvalues.sqrt().sum()
    return diff @ diff + torch.trace(sigma1) + torch.trace(sigma2) - 2 * tr_covmean


def fid_from_features(features1: torch.Tensor, features2: torch.Tensor) -> torch.Tensor:
    return frechet_distance(*gaussian_stats(features1), *gaussian_stats(features2))


if __name__ == "__main__":
    torch.manual_seed(0)
    torch.set_num_threads(1)
    X = torch.randn(2000, 16, dtype=torch.float64)
    print(f"FID(X, X) = {fid_from_features(X, X).item():.6f} (expected ≈ 0)")
    m1, s1, m2, s2 = 1.0, 2.0, -0.5, 0.5
    closed_form = (m1 - m2) ** 2 + s1**2 + s2**2 - 2 * s1 * s2
    value = frechet_distance(torch.tensor([m1]), torch.tensor([[s1**2]]),
                             torch.tensor([m2]), torch.tensor([[s2**2]])).item()
    print(f"1-D: {value:.6f}, (mu1-mu2)^2 + s1^2 + s2^2 - 2 s1 s2 = {closed_form:.6f} (expected equal)")
