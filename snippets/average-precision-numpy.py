"""Precision-recall curve and average precision (AP) of binary scores, NumPy.

Sweeping the threshold "predict positive if s >= t" down through the distinct scores gives points
(R_n, P_n); AP = sum_n (R_n - R_{n-1}) P_n with R_0 = 0, the step-wise area under the PR curve
without interpolation (Davis & Goadrich 2006; scikit-learn's average_precision_score). Recall only
rises at positives, so without ties AP is the mean precision at the ranks of the positives. The
trapezoidal area auc(recall, precision) interpolates linearly between points and is a different
(often optimistic) number.
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
    if not positive.any():
        raise ValueError("no positive example in y_true: recall and AP are not defined")
    return positive, y_score


def precision_recall_curve(y_true, y_score):
    """(precision, recall, thresholds), one point per distinct score, thresholds decreasing."""
    positive, y_score = _check_binary(y_true, y_score)
    values, inverse = np.unique(y_score, return_inverse=True)
    # Tied scores form one threshold: they are predicted positive together.
    tps = np.cumsum(np.bincount(inverse, weights=positive, minlength=values.size)[::-1])
    predicted = np.cumsum(np.bincount(inverse, minlength=values.size)[::-1])  # TP + FP, never 0
    return tps / predicted, tps / tps[-1], values[::-1]


def average_precision(y_true, y_score) -> float:
    """AP = sum_n (R_n - R_{n-1}) P_n over the thresholds, R_0 = 0."""
    precision, recall, _ = precision_recall_curve(y_true, y_score)
    return float(np.sum(np.diff(recall, prepend=0.0) * precision))


def trapezoidal_pr_area(y_true, y_score) -> float:
    """Trapezoid-rule area under the PR curve started at (R, P) = (0, 1), for comparison only."""
    precision, recall, _ = precision_recall_curve(y_true, y_score)
    r, p = np.concatenate([[0.0], recall]), np.concatenate([[1.0], precision])
    return float(np.sum(np.diff(r) * (p[1:] + p[:-1]) / 2))


if __name__ == "__main__":
    labels = np.array([1, 0, 1, 1, 0, 0, 1, 0])   # already sorted by decreasing score
    scores = np.linspace(1.0, 0.3, labels.size)
    expected = 0.25 * (1 + 2 / 3 + 3 / 4 + 4 / 7)
    print(f"AP = {average_precision(labels, scores):.4f} (expected 0.25 (1 + 2/3 + 3/4 + 4/7) = {expected:.4f})")
    print(f"trapezoidal area = {trapezoidal_pr_area(labels, scores):.4f} (expected 0.7068: a different number)")
    print(f"all scores tied: AP = {average_precision(labels, np.zeros(8)):.4f} (expected the positive rate 0.5)")
