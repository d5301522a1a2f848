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
    else:
        # the clause with the question's rarest words (就近, not 中山 or 服务: local IDF over the retrieved text)
        words = [t for t, _ in q.keywords if len(t) >= 2]
        at = max(range(len(clauses)), key=lambda i: weight_in(squash(clauses[i]), words, weights))
    lo, hi = at, at + 1
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
