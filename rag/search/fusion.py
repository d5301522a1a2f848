"""Fusing ranked lists: min-max score fusion, reciprocal-rank fusion, and the adaptive weights that scale a
lexical list by how much of the question its best passage covers, always (`adaptive`, `coverage`) or only when
the dense ranking does not back that passage (`agreement`). Pure."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def rrf(
    rankings: Mapping[str, Sequence[int]],
    weights: Mapping[str, float] | None = None,
    k: int = 60,
) -> list[tuple[int, float, dict[str, int]]]:
    """Fuse ranked lists of item ids: score(d) = Σ_m w_m / (k + rank_m(d)).

    Returns (item, score, {ranking: 1-based rank}) best first; ties keep the order of first appearance.
    """
    weights = weights or {}
    scores: dict[int, float] = {}
    ranks: dict[int, dict[str, int]] = {}
    for mode, items in rankings.items():
        w = weights.get(mode, 1.0)
        for r, item in enumerate(items, start=1):
            scores[item] = scores.get(item, 0.0) + w / (k + r)
            ranks.setdefault(item, {})[mode] = r
    order = sorted(scores, key=lambda i: -scores[i])
    return [(i, scores[i], ranks[i]) for i in order]


def score_fusion(
    lists: Mapping[str, Sequence[tuple[int, float]]],
    weights: Mapping[str, float] | None = None,
) -> list[tuple[int, float, dict[str, int]]]:
    """Fuse (item, score) lists by a weighted sum of min-max normalised scores (absent = 0).

    Unlike RRF it keeps how far ahead an item is: a passage that BM25 ranks first by a wide margin (a rare
    name such as 东凤) is not overtaken by template passages that sit in the middle of both lists — the
    failure RRF shows once thousands of similar letters are indexed (eval/README.md). A list whose scores
    are all equal gives each of its items 1. Same return shape as `rrf`.
    """
    weights = weights or {}
    scores: dict[int, float] = {}
    ranks: dict[int, dict[str, int]] = {}
    for name, hits in lists.items():
        if not hits:
            continue
        w = weights.get(name, 1.0)
        values = [s for _, s in hits]
        lo, span = min(values), max(values) - min(values)
        for r, (item, s) in enumerate(hits, start=1):
            scores[item] = scores.get(item, 0.0) + w * ((s - lo) / span if span > 0 else 1.0)
            ranks.setdefault(item, {})[name] = r
    order = sorted(scores, key=lambda i: -scores[i])
    return [(i, scores[i], ranks[i]) for i in order]


def idf(doc_freqs: Sequence[int], n_docs: int) -> list[float]:
    """BM25's (Lucene, as bm25s) inverse document frequency: log(1 + (N - df + 0.5) / (df + 0.5))."""
    return [math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5)) for df in doc_freqs]


def coverage(term_weights: Sequence[float], present: Sequence[bool]) -> float:
    """Share of the question's term weight (IDF mass) that a passage contains, in [0, 1]; 0 for no terms."""
    total = sum(term_weights)
    return sum(w for w, p in zip(term_weights, present, strict=True) if p) / total if total > 0 else 0.0


def lexical_confidence(weights: Mapping[str, float], coverages: Mapping[str, float]) -> dict[str, float]:
    """Adaptive fusion: each lexical list's weight times the coverage of the question by its own top passage.

    Min-max normalisation gives every list's top item 1 however weak the match, and BM25's top can be a
    passage that only shares the question's common words (疫情, 企业, 政策). How much of the question's rare-term
    mass that passage holds says how far BM25 itself should be believed on this question: 1 when it holds
    every indexed term, near 0 when it matched on filler. Lists without a coverage (dense, phrase) keep their weight.
    No constant is fitted: the coverage is the weight (eval/README.md, "Retrieval on outside material").
    """
    return {name: w * coverages.get(name, 1.0) for name, w in weights.items()}


AGREEMENT_DEPTH = 5  # dense's first five: the passages a reply shows by default (Settings.k)


def agreement_confidence(bm25_top: int, dense: Sequence[int], cov: float, depth: int = AGREEMENT_DEPTH) -> float:
    """`agreement` fusion: the factor for the BM25 list's weight. 1 when dense search also ranks BM25's top
    passage among its first `depth`: the two modes agree that it is a candidate, so BM25 keeps its full say
    (score fusion). Otherwise the coverage of the question by that passage, as in `adaptive`.

    Coverage alone cannot tell a passage that matched only the question's common words (疫情, 企业, 政策:
    outside material, where dense is right) from the right passage of a question paraphrased in words no
    letter uses (q080 with distractors, where dense is lost): both cover little. Agreement tells many of them
    apart, and where it says nothing the outside material's evidence (coverage) decides. eval/README.md,
    "… agreement fusion"."""
    return 1.0 if bm25_top in dense[:depth] else cov
