"""Cross-entropy from logits with class-index targets, ignore_index and label smoothing, NumPy.

    loss_i = -sum_k q_k log softmax(z_i)_k,   q = (1 - eps) onehot(y_i) + eps / K
           = (1 - eps) (-log p_{y_i}) + eps * mean_k(-log p_k)
Targets equal to ignore_index contribute nothing; reduction="mean" divides by the number of
targets that are NOT ignored. Same conventions as torch.nn.functional.cross_entropy (no weight);
label smoothing after Szegedy et al. (2016).
"""
import numpy as np


def log_softmax(logits: np.ndarray, axis: int) -> np.ndarray:
    """Stable log-softmax: z - m - log sum exp(z - m)."""
    m = np.max(logits, axis=axis, keepdims=True)
    shifted = logits - m
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def cross_entropy(logits: np.ndarray, target: np.ndarray, ignore_index: int = -100,
                  label_smoothing: float = 0.0, reduction: str = "mean"):
    """Loss of logits (N, C), (N, C, d1, ...) or (C,) against integer targets (N, ...) or ()."""
    logits = np.asarray(logits, dtype=np.float64)
    target = np.asarray(target)
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing must be in [0, 1], got {label_smoothing}")
    if logits.ndim == 0:
        raise ValueError("logits must have a class axis, got a scalar")
    if not np.issubdtype(target.dtype, np.integer):
        raise ValueError(f"target must hold integer class indices, got dtype {target.dtype}")
    # The class axis is 1 for batched input, as in PyTorch (N, C, d1, ...); (C,) is one example.
    class_axis = 0 if logits.ndim == 1 else 1
    expected = logits.shape[:class_axis] + logits.shape[class_axis + 1:]
    if target.shape != expected:
        raise ValueError(f"target shape {target.shape} does not match logits {logits.shape}: "
                         f"expected {expected}")
    n_classes = logits.shape[class_axis]
    if n_classes == 0 or logits.size == 0:
        raise ValueError(f"logits {logits.shape} are empty: need at least one class and one example")
    kept = target != ignore_index
    if np.any((target[kept] < 0) | (target[kept] >= n_classes)):
        raise ValueError(f"targets must be in [0, {n_classes}) or equal ignore_index={ignore_index}")

    logp = np.moveaxis(log_softmax(logits, class_axis), class_axis, -1)   # (..., C)
    safe_target = np.where(kept, target, 0)   # any valid index; the result is masked below
    nll = -np.take_along_axis(logp, safe_target[..., None], axis=-1)[..., 0]
    # eps/K on every class: the true class gets 1 - eps + eps/K in total, the PyTorch convention.
    loss = (1.0 - label_smoothing) * nll - label_smoothing * logp.mean(axis=-1)
    loss = np.where(kept, loss, 0.0)
    if reduction == "none":
        return loss
    if reduction == "sum":
        return float(loss.sum())
    n_kept = int(kept.sum())
    # All targets ignored: 0 / 0. PyTorch returns nan here too; we keep it visible, not 0.
    return float(loss.sum() / n_kept) if n_kept else float("nan")


if __name__ == "__main__":
    logits = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0], [9.0, 0.0, 0.0]])
    target = np.array([0, 2, -100])   # the third example is padding
    print(f"mean CE = {cross_entropy(logits, target):.4f} (expected 2.0351: the ignored row is "
          f"left out of the mean, (0.4170 + 3.6532) / 2)")
    smoothed = cross_entropy(logits[:1], target[:1], label_smoothing=0.1)
    print(f"label_smoothing=0.1, y=0: {smoothed:.4f} (expected 0.5137)")
    uniform = cross_entropy(np.zeros((4, 10)), np.arange(4))
    print(f"uniform logits, 10 classes: {uniform:.4f} (expected log 10 = {np.log(10):.4f})")
