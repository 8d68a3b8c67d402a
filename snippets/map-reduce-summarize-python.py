"""Hierarchical (map-reduce) summarisation of a text longer than the model's context.

Map: split the text into pieces that fit token_budget and summarise each independently (in
parallel, in practice). Reduce: pack consecutive summaries into groups that fit, summarise each
group, and repeat level by level until one summary is left. Each level shrinks the text by about
the summariser's compression ratio, so the depth grows only logarithmically with the input length.
"""
from typing import Callable, List, Tuple, Union


def count_words(text: str) -> int:
    # Stand-in for a real tokenizer (tiktoken, a Hugging Face tokenizer...); pass yours instead.
    return len(text.split())


def pack(pieces: List[str], token_budget: int,
         count_tokens: Callable[[str], int]) -> List[List[str]]:
    """Greedy grouping of consecutive pieces so that each group's total fits the budget."""
    # Token counts are assumed to add up when pieces are joined: exact for words, nearly so for
    # subword tokenizers (leave a margin in token_budget for the prompt and the separators).
    groups: List[List[str]] = []
    used = token_budget + 1   # forces a new group for the first piece
    for piece in pieces:
        size = count_tokens(piece)
        if size > token_budget:
            raise ValueError(f"a piece of {size} tokens exceeds the budget of {token_budget}")
        if used + size > token_budget:
            groups.append([])
            used = 0
        groups[-1].append(piece)
        used += size
    return groups


def split_text(text: str, token_budget: int, count_tokens: Callable[[str], int]) -> List[str]:
    # Word boundaries keep the sketch short; real pipelines split at paragraphs or sentences and
    # add an overlap so that a fact cut in two survives in one piece.
    return [" ".join(group) for group in pack(text.split(), token_budget, count_tokens)]


def map_reduce_summarize(text: str, summarize: Callable[[str], str], token_budget: int,
                         count_tokens: Callable[[str], int] = count_words,
                         return_tree: bool = False) -> Union[str, Tuple[str, List[List[str]]]]:
    """Final summary; with return_tree, also the levels (inputs, map outputs, each reduce level)."""
    pieces = split_text(text, token_budget, count_tokens)
    if not pieces:
        return ("", [[]]) if return_tree else ""
    levels = [pieces, [summarize(piece) for piece in pieces]]      # map
    while len(levels[-1]) > 1:
        groups = pack(levels[-1], token_budget, count_tokens)
        if len(groups) == len(levels[-1]):
            # No two summaries fit together: another level would not shrink anything.
            raise RuntimeError("summaries are too long to combine within the token budget; "
                               "make summarize compress more or raise token_budget")
        # One summarize call per group: this is one reduce level of the tree.
        levels.append([summarize("\n".join(group)) for group in groups])
    final = levels[-1][0]
    return (final, levels) if return_tree else final


if __name__ == "__main__":
    calls = []

    def first_ten_words(text: str) -> str:
        """A fake summariser: keeps the first ten words. Swap in an LLM call."""
        calls.append(text)
        return " ".join(text.split()[:10])

    document = " ".join(f"w{i}" for i in range(10_000))
    summary, levels = map_reduce_summarize(document, first_ten_words, token_budget=100,
                                           return_tree=True)
    print("pieces per level:", [len(level) for level in levels], "summary:", summary)
    print(f"summarize calls = {len(calls)} (expected 100 map + 10 + 1 reduce = 111)")
