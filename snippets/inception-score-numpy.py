"""Inception Score (Salimans et al. 2016) from an (N, C) array of class probabilities p(y|x).

IS = exp(E_x KL(p(y|x) || p(y))), with p(y) the average prediction. It is high when each image is
classified confidently (low-entropy p(y|x)) and the images together cover many classes
(high-entropy p(y)); it ranges from 1 to C and never looks at real data.
"""
import numpy as np


def inception_score(probs: np.ndarray, n_splits: int = 10):
    """Mean and standard deviation of the score over n_splits disjoint parts of the data."""
    probs = np.asarray(probs, dtype=np.float64)
    if probs.ndim != 2 or not np.allclose(probs.sum(axis=1), 1.0, atol=1e-6):
        raise ValueError("probs must be (N, C) probabilities (softmax outputs, not logits)")
    if not 1 <= n_splits <= len(probs):
        # More splits than rows would leave empty parts, whose p(y) and score are undefined.
        raise ValueError(f"n_splits must be in [1, N = {len(probs)}], got {n_splits}")
    scores = []
    # Splits follow the original protocol: p(y) is estimated per part, and the spread over parts
    # gives a rough error bar. The score depends on the part size, so report n_splits with it.
    for part in np.array_split(probs, n_splits):
        marginal = part.mean(axis=0, keepdims=True)
        # 0 * log 0 = 0: mask zeros instead of adding an epsilon, which would bias one-hot inputs.
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(part > 0, part * (np.log(part) - np.log(marginal)), 0.0)
        scores.append(np.exp(terms.sum(axis=1).mean()))
    return float(np.mean(scores)), float(np.std(scores))


if __name__ == "__main__":
    n_classes = 10
    uniform = np.full((1000, n_classes), 1.0 / n_classes)
    one_hot = np.eye(n_classes)[np.arange(1000) % n_classes]
    print(f"IS(uniform predictions) = {inception_score(uniform)[0]:.6f} (expected 1)")
    score = inception_score(one_hot)[0]
    print(f"IS(one-hot, even over {n_classes} classes) = {score:.6f} (expected {n_classes})")
