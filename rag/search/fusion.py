"""Fusing ranked lists: min-max score fusion (the default) and reciprocal-rank fusion. Pure."""

from __future__ import annotations

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
