"""Reciprocal-rank fusion. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def rrf(
    rankings: Mapping[str, Sequence[int]],
    weights: Mapping[str, float] | None = None,
    k: int = 60,
    bonus: Mapping[int, float] | None = None,
) -> list[tuple[int, float, dict[str, int]]]:
    """Fuse ranked lists of item ids: score(d) = Σ_m w_m / (k + rank_m(d)) (+ bonus[d]).

    Returns (item, score, {mode: 1-based rank}) best first; ties keep the order of first appearance.
    `bonus` adds a fixed amount per item (used for the place boost) in the same units as one
    rank-1 vote, i.e. bonus 1.0 = 1/(k+1).
    """
    weights = weights or {}
    scores: dict[int, float] = {}
    ranks: dict[int, dict[str, int]] = {}
    for mode, items in rankings.items():
        w = weights.get(mode, 1.0)
        for r, item in enumerate(items, start=1):
            scores[item] = scores.get(item, 0.0) + w / (k + r)
            ranks.setdefault(item, {})[mode] = r
    if bonus:
        for item, b in bonus.items():
            if item in scores:
                scores[item] += b / (k + 1)
    order = sorted(scores, key=lambda i: -scores[i])
    return [(i, scores[i], ranks[i]) for i in order]
