"""Split a token sequence into chunks of at most chunk_size tokens that overlap by chunk_overlap.

The overlap repeats the end of each chunk at the start of the next, so a sentence or fact cut at a
boundary appears whole in at least one chunk (if it is no longer than the overlap). The cost is
(chunk_size / (chunk_size - chunk_overlap)) times more tokens to process.
"""
from typing import List, Sequence, Tuple, TypeVar

Token = TypeVar("Token")


def chunk_spans(n_tokens: int, chunk_size: int, chunk_overlap: int) -> List[Tuple[int, int]]:
    """Half-open (start, end) spans; consecutive spans share exactly chunk_overlap tokens."""
    if chunk_size <= 0:
        raise ValueError(f"chunk_size must be positive, got {chunk_size}")
    if not 0 <= chunk_overlap < chunk_size:
        # overlap == chunk_size would never advance; larger would go backwards.
        raise ValueError(f"chunk_overlap must be in [0, {chunk_size}), got {chunk_overlap}")
    if n_tokens <= 0:
        # The same rule as sliding windows: an empty sequence is a caller's bug, not zero chunks to embed.
        raise ValueError("empty sequence: there is nothing to chunk")
    step = chunk_size - chunk_overlap
    spans = []
    start = 0
    while start < n_tokens:
        end = min(start + chunk_size, n_tokens)
        spans.append((start, end))
        if end == n_tokens:
            # Stop at the first chunk that reaches the end: a further one would lie inside it.
            break
        start += step
    return spans


def chunk_tokens(tokens: Sequence[Token], chunk_size: int,
                 chunk_overlap: int = 0) -> List[Sequence[Token]]:
    # Keep the spans (chunk_spans) if answers must be traced back to positions in the source.
    return [tokens[start:end] for start, end in chunk_spans(len(tokens), chunk_size, chunk_overlap)]


if __name__ == "__main__":
    tokens = "the quick brown fox jumps over the lazy dog while the cat sleeps".split()
    chunks = chunk_tokens(tokens, chunk_size=5, chunk_overlap=2)
    for chunk in chunks:
        print(chunk)
    spans = chunk_spans(len(tokens), chunk_size=5, chunk_overlap=2)
    shared = [prev_end - start for (_, prev_end), (start, _) in zip(spans, spans[1:])]
    print(f"overlaps between neighbours = {shared} (expected all 2), "
          f"longest chunk = {max(map(len, chunks))} (expected <= 5)")
