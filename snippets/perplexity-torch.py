"""Perplexity of a causal language model from its logits, PyTorch.

PPL = exp(-(1/T) sum_t log p(x_t | x_<t)): the exponential of the mean negative log-likelihood per
predicted token, in nats (Jelinek et al. 1977; Jurafsky & Martin, ch. 3). The logits at position t
predict token t + 1, so logits and targets are shifted by one; positions whose target is
ignore_index (padding, prompt) are left out of both the sum and the count.
"""
from typing import Tuple

import torch


def nll_sum_and_count(logits: torch.Tensor, targets: torch.Tensor, ignore_index: int = -100,
                      shift: bool = True) -> Tuple[torch.Tensor, torch.Tensor]:
    """Summed NLL (nats) over the scored tokens and their number, for logits (..., T, V)."""
    if logits.ndim < 2 or logits.shape[:-1] != targets.shape:
        raise ValueError(f"logits must be (..., T, V) and targets (..., T), got {tuple(logits.shape)} "
                         f"and {tuple(targets.shape)}")
    if not logits.is_floating_point() or targets.is_floating_point():
        raise ValueError("logits must be floating point and targets integer token ids")
    if shift:
        if logits.shape[-2] < 2:
            raise ValueError(f"shift=True needs sequences of length >= 2, got T = {logits.shape[-2]}")
        # Position t predicts token t + 1: drop the last prediction and the first target.
        logits, targets = logits[..., :-1, :], targets[..., 1:]
    keep = targets != ignore_index
    vocab = logits.shape[-1]
    if ((targets[keep] < 0) | (targets[keep] >= vocab)).any():
        raise ValueError(f"targets must be in [0, {vocab}) or equal to ignore_index={ignore_index}")
    # Half-precision log-softmax loses digits in the log-sum-exp; float32 is enough for a mean.
    work = logits.float() if logits.dtype in (torch.float16, torch.bfloat16) else logits
    log_probs = torch.log_softmax(work, dim=-1)  # log-sum-exp with max subtraction: no overflow
    # Ignored positions may hold any id (e.g. -100): gather a valid one and mask it out afterwards.
    safe = torch.where(keep, targets, torch.zeros_like(targets))
    token_log_probs = log_probs.gather(-1, safe.unsqueeze(-1)).squeeze(-1)
    # where, not a product with the mask: a gathered -inf times 0 would be nan.
    nll = -torch.where(keep, token_log_probs, torch.zeros_like(token_log_probs)).sum()
    return nll, keep.sum()


def perplexity(logits: torch.Tensor, targets: torch.Tensor, ignore_index: int = -100,
               shift: bool = True) -> torch.Tensor:
    """exp(mean NLL over the non-ignored target tokens)."""
    nll, count = nll_sum_and_count(logits, targets, ignore_index, shift)
    if count == 0:
        raise ValueError("no target token left to score (all are ignore_index)")
    return torch.exp(nll / count)


def corpus_perplexity(batches, ignore_index: int = -100, shift: bool = True) -> float:
    """Perplexity over (logits, targets) batches: sum NLL and tokens first, then divide."""
    # Averaging per-batch losses or per-batch perplexities weights batches wrongly when they
    # hold different numbers of tokens.
    total_nll, total_count = 0.0, 0
    for logits, targets in batches:
        nll, count = nll_sum_and_count(logits, targets, ignore_index, shift)
        total_nll += float(nll)
        total_count += int(count)
    if total_count == 0:
        raise ValueError("no target token left to score (all are ignore_index)")
    return float(torch.exp(torch.tensor(total_nll / total_count, dtype=torch.float64)))


if __name__ == "__main__":
    # Four scored tokens with probabilities 0.5, 0.25, 0.125, 0.5 (the first position is the prompt).
    probs = torch.tensor([0.5, 0.25, 0.125, 0.5], dtype=torch.float64)
    logits = torch.zeros(1, 5, 4, dtype=torch.float64)  # the last position predicts nothing
    targets = torch.tensor([[0, 1, 2, 3, 0]])
    for t in range(4):
        # Put probability probs[t] on the target of step t and share the rest among the others.
        row = torch.full((4,), float((1 - probs[t]) / 3), dtype=torch.float64)
        row[targets[0, t + 1]] = probs[t]
        logits[0, t] = row.log()
    print(f"PPL = {perplexity(logits, targets).item():.4f} (expected 2^1.75 = {2 ** 1.75:.4f})")
    uniform = torch.zeros(2, 7, 50)
    ids = torch.randint(0, 50, (2, 7), generator=torch.Generator().manual_seed(0))
    ids[1, 4:] = -100  # padding
    print(f"uniform logits over V = 50: PPL = {perplexity(uniform, ids).item():.4f} (expected 50)")
