"""What of a sentence an answer shows: the clauses around its value, or around the question's rarest words, so
the answer stays short while its citation keeps the whole sentence; and the clause a value is said of. Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.answer.question import Question
from rag.core.text import squash

_CLAUSE = re.compile(r"[^，,；;：:。！？!?]*[，,；;：:。！？!?]?")


def context_of(sentence: str, key: str) -> str:
    """The clause holding the value and the one before it: what the value is said of."""
    s = squash(sentence)
    at = s.find(squash(key))
    if at < 0:
        return s[:80]
    lo = max(s.rfind(c, 0, max(at - 1, 0)) for c in "，,；;。")
    lo = max(s.rfind(c, 0, max(lo, 0)) for c in "，,；;。") + 1 if lo > 0 else 0
    return s[lo : at + len(squash(key))]


def weight_in(clause: str, words: Sequence[str], weights: dict[str, float]) -> float:
    """The weight of the question's words a clause holds, each word once: jieba's search mode also gives the
    pieces of a compound (养老护理员 → 养老, 护理, 护理员), and a clause naming the compound is not four
    matches more than one naming a different word the question asks about (挂钩)."""
    found = [w for w in words if w in clause]
    return sum(max(weights.get(w, 0.0), 0.0) for w in found if not any(w != o and w in o for o in found))


def focus(sentence: str, key: str | None, q: Question, weights: dict[str, float], width: int = 90) -> str:
    """The clauses around the key value (or the words asked about), so the answer stays short; the
    citation keeps the whole sentence."""
    if len(sentence) <= width:
        return sentence
    clauses = [c for c in _CLAUSE.findall(sentence) if c]
    if key:
        at = next((i for i, c in enumerate(clauses) if key in squash(c)), 0)
        lo, hi = at, at + 1
    else:
        # the run of clauses that holds most of the question's words, each once, weighted by rarity (就近, not
        # 中山 or 服务: local IDF over the retrieved text): a question names what its answer stands beside, on
        # either side ("出文件之前先调研啥": the 调研 clause before the 文件 one), not in one clause
        words = [t for t, _ in q.keywords if len(t) >= 2]
        lo, hi = max(_spans(clauses, width), key=lambda r: (
            weight_in(squash("".join(clauses[r[0] : r[1]])), words, weights), r[0] - r[1], -r[0]))
        # the shortest such run, widened after it first: what is asked follows what the question names
    while True:
        size = sum(len(c) for c in clauses[lo:hi])
        if hi < len(clauses) and size + len(clauses[hi]) <= width:
            hi += 1
        elif lo > 0 and size + len(clauses[lo - 1]) <= width:
            lo -= 1
        else:
            break
    out = "".join(clauses[lo:hi])
    return ("…" if lo else "") + out + ("…" if hi < len(clauses) else "")


def _spans(clauses: Sequence[str], width: int) -> list[tuple[int, int]]:
    """Every run of clauses within the width, and each single clause."""
    out = []
    for lo in range(len(clauses)):
        out.append((lo, hi := lo + 1))
        while hi < len(clauses) and sum(len(c) for c in clauses[lo : hi + 1]) <= width:
            out.append((lo, hi := hi + 1))
    return out
