"""Copies in a result list: identical or near-identical passages shown once. Pure functions.

Real corpora repeat themselves: a letter re-issued with a correction, a bureau reusing last year's
paragraphs, a circular copied into five replies. Without this, three copies of one passage fill three of the
five places an answer reads and push the other evidence out. Two steps:

* `pool`, before fusion: copies word for word (equal comparison texts: letters and digits only, lower case)
  become one row in every ranking, so a passage's votes add up instead of being split among its copies (one
  copy ranked first by BM25, another by the embedder);
* `group`, after fusion: a passage is also a copy of one ranked above it when their character 3-gram sets have
  a Jaccard similarity of at least `near` (0.9: a changed date or figure in a paragraph stays a copy, a
  different paragraph of the same template does not). The groups are at most k, so comparing each candidate
  with each group is cheap.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

NEAR = 0.9
SHINGLE = 3
_PROBES = 12
_NOT_WORD = re.compile(r"[\W_]+")


class Signature:
    """A passage's comparison text; its 3-gram set is made only when a comparison needs it."""

    __slots__ = ("_probes", "_shingles", "key")

    def __init__(self, key: str) -> None:
        self.key = key
        self._shingles: frozenset[str] | None = None
        self._probes: list[str] | None = None

    @property
    def probes(self) -> list[str]:
        """A dozen of its 3-grams at even steps (see _could_be_near)."""
        if self._probes is None:
            k = self.key
            step = max(1, (len(k) - SHINGLE) // _PROBES)
            self._probes = [k[i : i + SHINGLE] for i in range(0, max(1, len(k) - SHINGLE + 1), step)][:_PROBES]
        return self._probes

    @property
    def shingles(self) -> frozenset[str]:
        if self._shingles is None:
            k = self.key
            self._shingles = frozenset(k[i : i + SHINGLE] for i in range(max(1, len(k) - SHINGLE + 1)))
        return self._shingles


def comparison_key(text: str) -> str:
    return _NOT_WORD.sub("", text).lower()


def signature(text: str) -> Signature:
    return Signature(comparison_key(text))


def similarity(a: Signature, b: Signature) -> float:
    if a.key == b.key:
        return 1.0
    inter = len(a.shingles & b.shingles)
    return inter / (len(a.shingles) + len(b.shingles) - inter) if inter else 0.0


def pool(lists: Mapping[str, Sequence[tuple[int, float]]], key_of: Mapping[int, str],
         ) -> tuple[dict[str, list[tuple[int, float]]], dict[int, list[int]]]:
    """Each passage once per ranking: rows with one comparison key become the row of theirs ranked best in any
    ranking (rows without a key drop out). Returns the rankings and, for each row kept, the rows it stands for."""
    best: dict[str, tuple[int, int]] = {}  # key → (best rank, row)
    for ranking in lists.values():
        for rank, (row, _) in enumerate(ranking):
            key = key_of.get(row)
            if key is not None and (key not in best or rank < best[key][0]):
                best[key] = (rank, row)
    members: dict[int, list[int]] = {}
    for row, key in key_of.items():
        if key in best:
            members.setdefault(best[key][1], []).append(row)
    pooled: dict[str, list[tuple[int, float]]] = {}
    for name, ranking in lists.items():
        seen: set[str] = set()
        out = pooled[name] = []
        for row, score in ranking:
            key = key_of.get(row)
            if key is not None and key not in seen:
                seen.add(key)
                out.append((best[key][1], score))
    return pooled, members


def group(keys: Sequence[str], limit: int, near: float = NEAR) -> list[list[int]]:
    """Indices of passages (their `comparison_key`s, best first) in groups of copies, in the order of each group's
    first member: at most `limit` groups; later passages still join a group they copy, the others are dropped."""
    groups: list[list[int]] = []
    heads: list[Signature] = []
    exact: dict[str, int] = {}
    for i, key in enumerate(keys):
        sig = Signature(key)
        g = exact.get(sig.key)
        if g is None:
            g = next((j for j, h in enumerate(heads) if _could_be_near(h, sig, near) and similarity(h, sig) >= near),
                     None)
        if g is not None:
            groups[g].append(i)
        elif len(groups) < limit:
            exact[sig.key] = len(groups)
            groups.append([i])
            heads.append(sig)
    return groups


def _could_be_near(a: Signature, b: Signature, near: float) -> bool:
    """Cheap tests that rule out most pairs before any 3-gram set is made. Jaccard is at most the ratio of the two
    set sizes, about that of the two texts' lengths; and when it is ≥ `near`, nearly every 3-gram of one text is in
    the other, so a dozen probed at even steps must mostly be found (a copy at 0.9 fails this 1 time in 40)."""
    la, lb = len(a.key), len(b.key)
    if (min(la, lb) + 2) / (max(la, lb) + 2) < near - 0.02:
        return False
    probes = b.probes
    return sum(p in a.key for p in probes) >= 0.75 * len(probes)
