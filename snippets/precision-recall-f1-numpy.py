"""Confusion matrix and precision, recall, F1 (per class, macro, micro, weighted), NumPy.

C[i, j] counts examples of true class i predicted as j (rows = truth, as in scikit-learn). For
class k: P_k = TP/(TP+FP), R_k = TP/(TP+FN), F1_k = 2TP/(2TP+FP+FN) (van Rijsbergen 1979;
周志华 2016, §2.3.2). Macro averages the per-class values, micro pools TP/FP/FN first (for
single-label data micro P = R = F1 = accuracy), weighted averages by support. A 0/0 ratio
(no prediction, or no example, of a class) takes the value zero_division.
"""
from typing import Optional, Sequence

import numpy as np


def _check_pair(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.ndim != 1 or y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred must be 1-D of equal length, got {y_true.shape} and {y_pred.shape}")
    if y_true.size == 0:
        raise ValueError("y_true and y_pred are empty")
    return y_true, y_pred


def confusion_matrix(y_true, y_pred, labels: Optional[Sequence] = None) -> np.ndarray:
    """(K, K) counts, rows = true label, columns = predicted label, in the order of `labels`."""
    y_true, y_pred = _check_pair(y_true, y_pred)
    labels = np.unique(np.concatenate([y_true, y_pred])) if labels is None else np.asarray(labels)
    if labels.ndim != 1 or labels.size == 0 or np.unique(labels).size != labels.size:
        raise ValueError("labels must be a non-empty sequence of distinct values")
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]

    def index_of(y):
        pos = np.clip(np.searchsorted(sorted_labels, y), 0, len(labels) - 1)
        found = sorted_labels[pos] == y
        return order[pos], found

    i, found_t = index_of(y_true)
    j, found_p = index_of(y_pred)
    keep = found_t & found_p  # examples whose truth or prediction is not listed are left out
    k = len(labels)
    return np.bincount(i[keep] * k + j[keep], minlength=k * k).reshape(k, k)


def _ratio(num: np.ndarray, den: np.ndarray, zero_division: float) -> np.ndarray:
    num, den = np.asarray(num, dtype=np.float64), np.asarray(den, dtype=np.float64)
    out = np.full(num.shape, float(zero_division))
    np.divide(num, den, out=out, where=den != 0)
    return out


def precision_recall_f1(y_true, y_pred, labels: Optional[Sequence] = None, average: Optional[str] = None,
                        zero_division: float = 0.0, pos_label=1):
    """(precision, recall, f1, support); arrays per label for average=None, floats otherwise."""
    if average not in (None, "binary", "macro", "micro", "weighted"):
        raise ValueError(f"average must be None, 'binary', 'macro', 'micro' or 'weighted', got {average!r}")
    if zero_division not in (0, 1):
        raise ValueError(f"zero_division must be 0 or 1, got {zero_division}")
    y_true, y_pred = _check_pair(y_true, y_pred)
    present = np.unique(np.concatenate([y_true, y_pred]))
    if average == "binary":
        if present.size > 2:
            raise ValueError(f"average='binary' needs at most 2 classes, found {present.size}; "
                             "use 'macro', 'micro' or 'weighted'")
        if pos_label not in present and present.size == 2:
            raise ValueError(f"pos_label={pos_label!r} is not one of the labels {present.tolist()}")
        labels = [pos_label]
    labels = present if labels is None else np.asarray(labels)
    # Count over *all* labels, then select: an example of an unlisted class predicted as a listed
    # one is still a false positive of that listed class.
    everything = np.unique(np.concatenate([present, labels]))
    C = confusion_matrix(y_true, y_pred, everything)
    idx = np.searchsorted(everything, labels)
    tp = np.diag(C)[idx]
    predicted = C.sum(axis=0)[idx]   # TP + FP
    support = C.sum(axis=1)[idx]     # TP + FN
    if average == "micro":
        tp, predicted, support = tp.sum(), predicted.sum(), support.sum()
    precision = _ratio(tp, predicted, zero_division)
    recall = _ratio(tp, support, zero_division)
    # 2TP/(2TP+FP+FN) equals the harmonic mean 2PR/(P+R) without dividing by P + R = 0.
    f1 = _ratio(2 * tp, predicted + support, zero_division)
    if average is None:
        return precision, recall, f1, support
    if average == "micro":
        return float(precision), float(recall), float(f1), None
    if average == "binary":
        return float(precision[0]), float(recall[0]), float(f1[0]), None
    weights = None if average == "macro" else support.astype(np.float64)
    if weights is not None and weights.sum() == 0:
        # No listed class occurs in y_true, so TP = 0 everywhere: recall is 0/0, and precision
        # (hence F1) is 0/0 only if nothing was predicted either, else plainly 0.
        pf = float(zero_division) if predicted.sum() == 0 else 0.0
        return pf, float(zero_division), pf, None
    return (float(np.average(precision, weights=weights)), float(np.average(recall, weights=weights)),
            float(np.average(f1, weights=weights)), None)


if __name__ == "__main__":
    y_true = [0, 0, 0, 0, 0, 0, 1, 1, 2, 2]
    y_pred = [0, 0, 0, 0, 0, 1, 1, 0, 2, 1]
    print(confusion_matrix(y_true, y_pred))
    p, r, f, s = precision_recall_f1(y_true, y_pred)
    print("per class P", p.round(3), "R", r.round(3), "F1", f.round(3),
          "(expected P [0.833 0.333 1.], R [0.833 0.5 0.5], F1 [0.833 0.4 0.667])")
    for avg, expected in [("macro", "0.722 0.611 0.633"), ("micro", "0.7 0.7 0.7"), ("weighted", "0.767 0.7 0.713")]:
        p, r, f, _ = precision_recall_f1(y_true, y_pred, average=avg)
        print(f"{avg:8s} P R F1 = {p:.3f} {r:.3f} {f:.3f} (expected {expected})")
