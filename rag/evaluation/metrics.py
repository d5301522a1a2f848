"""Evaluation metrics. Pure functions over plain values; the whitespace rule is applied everywhere:
evidence, answers and quotes are compared with all whitespace removed."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from rag.core.text import squash

KS = (1, 3, 5, 10)


def first_hit_rank(chunk_texts: Sequence[str], evidence: str) -> int | None:
    """1-based rank of the first chunk that contains the evidence, or None."""
    ev = squash(evidence)
    for i, t in enumerate(chunk_texts, 1):
        if ev and ev in squash(t):
            return i
    return None


def hit_at(ranks: Sequence[int | None], k: int) -> float:
    return float(np.mean([r is not None and r <= k for r in ranks])) if ranks else 0.0


def mrr_at(ranks: Sequence[int | None], k: int = 10) -> float:
    return float(np.mean([1.0 / r if r is not None and r <= k else 0.0 for r in ranks])) if ranks else 0.0


def answer_correct(answer: str, gold: Sequence[str]) -> bool:
    """Any acceptable answer string, whitespace removed, is contained in the answer."""
    a = squash(answer)
    return any(squash(g) and squash(g) in a for g in gold)


def citation_supports(quotes: Sequence[str], evidence: str) -> bool:
    """Some citation's quote contains the gold evidence."""
    ev = squash(evidence)
    return bool(ev) and any(ev in squash(q) for q in quotes)


def percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else 0.0


def lcs_len(a: Sequence[str], b: Sequence[str]) -> int:
    if not a or not b:
        return 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b, 1):
            cur.append(prev[j - 1] + 1 if x == y else max(prev[j], cur[j - 1]))
        prev = cur
    return prev[-1]


def rouge_l(candidate: str, references: Sequence[str], tokenize: Callable[[str], list[str]]) -> float:
    """ROUGE-L F1 against the best reference, on the given (Chinese-aware) tokens."""
    c = tokenize(candidate)
    best = 0.0
    for ref in references:
        r = tokenize(ref)
        lcs = lcs_len(c, r)
        if lcs:
            p, rec = lcs / len(c), lcs / len(r)
            best = max(best, 2 * p * rec / (p + rec))
    return best


__all__ = ["KS", "answer_correct", "citation_supports", "first_hit_rank", "hit_at", "lcs_len", "mrr_at",
           "percentile", "rouge_l", "squash"]
