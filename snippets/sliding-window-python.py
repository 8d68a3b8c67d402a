"""Sliding windows over a long sequence, and back: per-window results to per-position results.

A model with a fixed context sees the sequence through windows of window_size advancing by stride.
stride < window_size gives every position some left and right context in at least one window;
overlapping predictions are then averaged per position.
"""
from typing import Callable, List, Sequence, Tuple, TypeVar

Item = TypeVar("Item")


def window_starts(n: int, window_size: int, stride: int) -> List[int]:
    if window_size <= 0 or stride <= 0:
        raise ValueError("window_size and stride must be positive")
    if stride > window_size:
        # Larger strides would skip the positions between two windows.
        raise ValueError(f"stride {stride} > window_size {window_size} leaves positions uncovered")
    if n <= 0:
        # A single empty window would hand the model an empty input instead of failing clearly.
        raise ValueError("empty sequence: there is nothing to window")
    if n <= window_size:
        return [0]
    starts = list(range(0, n - window_size + 1, stride))
    if starts[-1] + window_size < n:
        # The regular grid may stop short of the end; one extra window aligned to the end covers
        # the tail without producing a short, context-poor window.
        starts.append(n - window_size)
    return starts


def sliding_windows(sequence: Sequence[Item], window_size: int,
                    stride: int) -> List[Tuple[int, Sequence[Item]]]:
    """(start, window) pairs that together cover every position."""
    starts = window_starts(len(sequence), window_size, stride)
    return [(s, sequence[s:s + window_size]) for s in starts]


def aggregate_windows(n: int, windows: List[Tuple[int, Sequence[float]]]) -> List[float]:
    """Average per-position values from overlapping windows, e.g. token scores or logits."""
    totals = [0.0] * n
    counts = [0] * n
    for start, values in windows:
        for offset, value in enumerate(values):
            totals[start + offset] += value
            counts[start + offset] += 1
    if 0 in counts:
        raise ValueError(f"position {counts.index(0)} is not covered by any window")
    return [total / count for total, count in zip(totals, counts)]


def apply_windowed(sequence: Sequence[Item], fn: Callable[[Sequence[Item]], Sequence[float]],
                   window_size: int, stride: int) -> List[float]:
    """Run fn (one value per item of its window) over all windows and merge back to positions."""
    windows = sliding_windows(sequence, window_size, stride)
    return aggregate_windows(len(sequence), [(s, fn(w)) for s, w in windows])


if __name__ == "__main__":
    sequence = list(range(23))
    windows = sliding_windows(sequence, window_size=8, stride=5)
    covered = sorted({i for _, w in windows for i in w})
    print("window starts:", [s for s, _ in windows])
    print(f"positions covered = {len(covered)} of {len(sequence)} (expected all)")
    merged = apply_windowed(sequence, lambda w: [float(x) for x in w], window_size=8, stride=5)
    same = merged == [float(x) for x in sequence]
    print(f"identity per window, merged back, equals the input: {same} (expected True)")
