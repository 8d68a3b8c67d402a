"""Next-token sampling with temperature, top-k and nucleus (top-p) filtering, PyTorch.

The logits are divided by T (T < 1 sharpens, T > 1 flattens, T -> 0 is greedy), then only the k
most likely tokens are kept (top-k, Fan et al. 2018), then only the smallest set of most likely
tokens whose probability reaches p (top-p, Holtzman et al. 2020). Filtered tokens get logit -inf,
so the softmax renormalises over the survivors. The order T -> top-k -> top-p is the one of
Hugging Face's logits warpers.
"""
from typing import Optional

import torch


def _check(logits: torch.Tensor, temperature: float, top_k: Optional[int], top_p: float) -> None:
    if logits.ndim < 1 or logits.shape[-1] == 0:
        raise ValueError(f"logits must have a non-empty last (vocabulary) axis, got shape {tuple(logits.shape)}")
    if not logits.is_floating_point():
        raise ValueError(f"logits must be floating point, got {logits.dtype}")
    # T = 0 would divide by zero; greedy decoding is argmax, not a temperature.
    if not (temperature > 0 and temperature < float("inf")):
        raise ValueError(f"temperature must be a finite number > 0, got {temperature}")
    if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1):
        raise ValueError(f"top_k must be an integer >= 1 or None, got {top_k}")
    if not 0 < top_p <= 1:
        raise ValueError(f"top_p must be in (0, 1], got {top_p}")


def filter_logits(logits: torch.Tensor, temperature: float = 1.0, top_k: Optional[int] = None,
                  top_p: float = 1.0) -> torch.Tensor:
    """Logits (..., V) scaled by 1/T with the filtered-out tokens set to -inf."""
    _check(logits, temperature, top_k, top_p)
    scores = logits / temperature
    neg_inf = torch.tensor(float("-inf"), device=scores.device, dtype=scores.dtype)
    if top_k is not None and top_k < scores.shape[-1]:
        # Everything below the k-th largest logit goes; tokens tied with it all stay (as in HF).
        kth = torch.topk(scores, top_k, dim=-1).values[..., -1:]
        scores = torch.where(scores < kth, neg_inf, scores)
    if top_p < 1.0:
        sorted_scores, order = torch.sort(scores, dim=-1, descending=True)
        probs = torch.softmax(sorted_scores, dim=-1)
        # Mass of the tokens ranked strictly above each one: a token is in the nucleus while that
        # mass is still below p. This keeps the token that crosses p and always the top token.
        mass_before = torch.cumsum(probs, dim=-1) - probs
        drop_sorted = mass_before >= top_p
        drop = torch.zeros_like(drop_sorted).scatter(-1, order, drop_sorted)
        scores = torch.where(drop, neg_inf, scores)
    return scores


def sampling_probs(logits: torch.Tensor, temperature: float = 1.0, top_k: Optional[int] = None,
                   top_p: float = 1.0) -> torch.Tensor:
    """The distribution the sampler draws from: softmax of the filtered logits."""
    # softmax subtracts the row maximum internally, so large logits do not overflow.
    return torch.softmax(filter_logits(logits, temperature, top_k, top_p), dim=-1)


def sample(logits: torch.Tensor, temperature: float = 1.0, top_k: Optional[int] = None,
           top_p: float = 1.0, generator: Optional[torch.Generator] = None) -> torch.Tensor:
    """One token id per row of logits (..., V); returns a tensor of shape (...)."""
    probs = sampling_probs(logits, temperature, top_k, top_p)
    flat = probs.reshape(-1, probs.shape[-1])
    ids = torch.multinomial(flat, num_samples=1, generator=generator)
    return ids.reshape(probs.shape[:-1])


if __name__ == "__main__":
    p = torch.tensor([0.50, 0.20, 0.15, 0.10, 0.05], dtype=torch.float64)
    logits = p.log()
    print("top_k=2:  ", sampling_probs(logits, top_k=2).numpy().round(3), "(expected [0.714 0.286 0 0 0])")
    print("top_p=0.9:", sampling_probs(logits, top_p=0.9).numpy().round(3),
          "(expected [0.526 0.211 0.158 0.105 0]: the 4th token crosses 0.9 and is kept)")
    print("T=0.01:   ", sampling_probs(logits, temperature=0.01).numpy().round(3), "(expected greedy [1 0 0 0 0])")
    g = torch.Generator().manual_seed(0)
    draws = sample(logits.expand(100_000, -1), top_p=0.9, generator=g)
    freq = torch.bincount(draws, minlength=5).double() / draws.numel()
    print("frequencies over 100000 draws:", freq.numpy().round(3), "(expected ≈ the top_p=0.9 row)")
