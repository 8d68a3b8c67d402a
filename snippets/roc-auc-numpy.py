"""ROC curve and AUC of binary scores, NumPy.

AUC = P(s+ > s-) + 1/2 P(s+ = s-): the fraction of (positive, negative) pairs in the right order,
ties counting one half. That is the Mann-Whitney U statistic over n+ n- (Hanley & McNeil 1982),
computed here from average ranks in O(n log n):
    AUC = (sum of the ranks of the positives - n+ (n+ + 1) / 2) / (n+ n-).
The ROC curve (Fawcett 2006) has one point (FPR, TPR) per distinct score used as a threshold
"predict positive if s >= t"; tied scores move the curve diagonally, which is the 1/2.
"""
import numpy as np


def _check_binary(y_true, y_score):
    y_true, y_score = np.asarray(y_true), np.asarray(y_score, dtype=np.float64)
    if y_true.ndim != 1 or y_true.shape != y_score.shape:
        raise ValueError(f"y_true and y_score must be 1-D of equal length, got {y_true.shape} and {y_score.shape}")
    if y_true.size == 0:
        raise ValueError("y_true and y_score are empty")
    if not np.isin(y_true, [0, 1]).all():
        raise ValueError("y_true must hold only 0/1 (or False/True) labels")
    if not np.isfinite(y_score).all():
        raise ValueError("y_score must be finite")
    positive = y_true.astype(bool)
    if positive.all() or not positive.any():
        raise ValueError("Only one class present in y_true: ROC AUC is not defined in that case")
    return positive, y_score


def average_ranks(x: np.ndarray) -> np.ndarray:
    """1-based ranks of x, tied values sharing the mean of their ranks."""
    _, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    last_rank = np.cumsum(counts)                 # rank of the last member of each tie group
    return (last_rank - (counts - 1) / 2.0)[inverse]


def roc_auc(y_true, y_score) -> float:
    """Area under the ROC curve as the Mann-Whitney statistic U / (n+ n-)."""
    positive, y_score = _check_binary(y_true, y_score)
    n_pos = int(positive.sum())
    n_neg = positive.size - n_pos
    rank_sum = average_ranks(y_score)[positive].sum()
    # Subtracting the smallest possible rank sum of the positives leaves the number of
    # (positive, negative) pairs the positive wins, ties counting 1/2.
    u = rank_sum - n_pos * (n_pos + 1) / 2.0
    return float(u / (n_pos * n_neg))


def roc_curve(y_true, y_score):
    """(fpr, tpr, thresholds), thresholds decreasing from +inf, one point per distinct score."""
    positive, y_score = _check_binary(y_true, y_score)
    values, inverse = np.unique(y_score, return_inverse=True)
    pos_at = np.bincount(inverse, weights=positive, minlength=values.size)[::-1]
    all_at = np.bincount(inverse, minlength=values.size)[::-1]
    tps = np.cumsum(pos_at)                # positives with score >= threshold
    fps = np.cumsum(all_at) - tps          # negatives with score >= threshold
    # The threshold +inf predicts nothing positive: the curve starts at (0, 0).
    fpr = np.concatenate([[0.0], fps / fps[-1]])
    tpr = np.concatenate([[0.0], tps / tps[-1]])
    thresholds = np.concatenate([[np.inf], values[::-1]])
    return fpr, tpr, thresholds


if __name__ == "__main__":
    y = [1, 1, 1, 0, 0, 0]
    s = [0.9, 0.7, 0.4, 0.6, 0.3, 0.2]
    print(f"AUC = {roc_auc(y, s):.4f} (expected 8/9 = {8 / 9:.4f}: only the pair (0.4, 0.6) is misordered)")
    fpr, tpr, _ = roc_curve(y, s)
    print(f"trapezoid area of the curve = {np.trapz(tpr, fpr):.4f} (expected the same)")
    y_tie, s_tie = [1, 0, 1, 0], [0.5, 0.5, 0.8, 0.1]
    print(f"with a tied pair: AUC = {roc_auc(y_tie, s_tie):.4f} (expected (3 + 1/2) / 4 = 0.8750)")
