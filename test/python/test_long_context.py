import itertools

import pytest

from conftest import load_snippet

chunking = load_snippet("chunking-python")
sw = load_snippet("sliding-window-python")
mr = load_snippet("map-reduce-summarize-python")


@pytest.mark.parametrize("n,size,overlap", [
    (n, size, overlap)
    for n, size in itertools.product([1, 5, 9, 10, 11, 37, 100], [1, 2, 5, 10])
    for overlap in range(size)
])
def test_chunking_covers_every_token_with_exact_overlap(n, size, overlap):
    tokens = [f"t{i}" for i in range(n)]
    chunks = chunking.chunk_tokens(tokens, size, overlap)
    spans = chunking.chunk_spans(n, size, overlap)
    assert [tokens[a:b] for a, b in spans] == chunks
    assert all(0 < len(c) <= size for c in chunks)
    covered = [tok for a, b in spans for tok in range(a, b)]
    assert sorted(set(covered)) == list(range(n))           # every token, in order
    assert spans == sorted(spans)
    if n:
        assert spans[0][0] == 0 and spans[-1][1] == n
    for (a, b), (c, d) in zip(spans, spans[1:]):
        assert b - c == overlap                               # exact overlap between neighbours
        assert b - a == size                                  # only the last chunk may be short
    # no redundant chunk: the last one contains something the previous one does not
    if len(spans) > 1:
        assert spans[-1][1] > spans[-2][1]
    # total tokens processed = n + (chunks - 1) * overlap
    assert sum(b - a for a, b in spans) == n + max(len(spans) - 1, 0) * overlap


def test_chunking_an_empty_sequence_raises_like_sliding_windows():
    with pytest.raises(ValueError, match="empty sequence"):
        chunking.chunk_tokens([], 4, 1)
    with pytest.raises(ValueError, match="empty sequence"):
        chunking.chunk_spans(0, 4, 1)


def test_chunking_counts():
    assert chunking.chunk_spans(10, 4, 1) == [(0, 4), (3, 7), (6, 10)]
    assert chunking.chunk_spans(10, 4, 0) == [(0, 4), (4, 8), (8, 10)]
    assert chunking.chunk_tokens("abcdefg", 3, 1) == ["abc", "cde", "efg"]


@pytest.mark.parametrize("size,overlap", [(5, 5), (5, 7), (3, -1), (0, 0)])
def test_chunking_rejects_bad_overlap(size, overlap):
    with pytest.raises(ValueError):
        chunking.chunk_spans(20, size, overlap)


@pytest.mark.parametrize("n,window,stride", [
    (n, w, s) for n in [1, 5, 8, 9, 23, 64] for w in [1, 3, 8] for s in range(1, w + 1)
])
def test_sliding_windows_cover_the_sequence(n, window, stride):
    seq = list(range(n))
    windows = sw.sliding_windows(seq, window, stride)
    starts = [s for s, _ in windows]
    assert starts == sorted(set(starts))
    assert all(w == seq[s:s + window] for s, w in windows)
    assert all(len(w) == min(window, n) for _, w in windows)  # no short tail window
    assert sorted({i for _, w in windows for i in w}) == seq
    assert all(b - a <= stride for a, b in zip(starts, starts[1:]))
    merged = sw.aggregate_windows(n, [(s, [float(v) for v in w]) for s, w in windows])
    assert merged == [float(v) for v in seq]


def test_sliding_window_aggregation_averages_overlaps():
    # window 4, stride 2 over 8 positions: starts 0, 2, 4; window i outputs the constant i
    windows = sw.sliding_windows(list(range(8)), 4, 2)
    merged = sw.aggregate_windows(8, [(s, [float(i)] * 4) for i, (s, _) in enumerate(windows)])
    assert merged == [0.0, 0.0, 0.5, 0.5, 1.5, 1.5, 2.0, 2.0]
    with pytest.raises(ValueError):
        sw.window_starts(10, 3, 4)
    with pytest.raises(ValueError):
        sw.aggregate_windows(5, [(0, [1.0, 2.0])])


class CountingSummarizer:
    """Fake summariser: keeps the first `keep` words and records every call."""

    def __init__(self, keep):
        self.keep = keep
        self.calls = []

    def __call__(self, text):
        self.calls.append(text)
        return " ".join(text.split()[: self.keep])


def document(n_words):
    return " ".join(f"w{i}" for i in range(n_words))


@pytest.mark.parametrize("n_words,budget,keep,expected_levels", [
    (50, 100, 10, [1, 1]),                 # fits: one call, no reduce level
    (1000, 100, 10, [10, 10, 1]),          # 10 summaries of 10 words fit together: one reduce
    (10_000, 100, 10, [100, 100, 10, 1]),  # two reduce levels
    (10_000, 100, 30, [100, 100, 34, 12, 4, 2, 1]),  # 3 per group (90 <= 100)
])
def test_map_reduce_calls_summarize_once_per_group_per_level(n_words, budget, keep, expected_levels):
    fake = CountingSummarizer(keep)
    final, levels = mr.map_reduce_summarize(document(n_words), fake, token_budget=budget, return_tree=True)
    assert [len(level) for level in levels] == expected_levels
    # level 0 are the input pieces; every later level costs exactly one call per node
    assert len(fake.calls) == sum(expected_levels[1:])
    assert all(len(call.split()) <= budget for call in fake.calls)
    assert " ".join(levels[0]).split() == document(n_words).split()
    assert final == levels[-1][0] == " ".join(f"w{i}" for i in range(keep))
    # each reduce level consumed the previous level in order, one call per group
    start = len(levels[1])
    for previous, level in zip(levels[1:], levels[2:]):
        inputs = fake.calls[start:start + len(level)]
        assert "\n".join(inputs).split() == "\n".join(previous).split()
        start += len(level)
    assert start == len(fake.calls)
    assert mr.map_reduce_summarize(document(n_words), CountingSummarizer(keep), token_budget=budget) == final


def test_map_reduce_refuses_a_summarizer_that_does_not_shrink():
    with pytest.raises(RuntimeError):
        mr.map_reduce_summarize(document(1000), CountingSummarizer(60), token_budget=100)
    assert mr.map_reduce_summarize("", CountingSummarizer(5), token_budget=10) == ""
