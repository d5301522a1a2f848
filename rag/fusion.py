"""Reciprocal-rank fusion. Pure."""

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
