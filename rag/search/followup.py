"""Multi-turn: rewrite an elliptical follow-up ("那温州呢？") into a full question. Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rag.core.places import PLACE_NAME

_FOLLOW = re.compile(
    r"^(?:那么?|那|还有|另外|再问一下)?\s*(?P<x>.{1,16}?)\s*(?:呢|的呢|又如何|怎么样|如何)?\s*[？?。！!]*$"
)


def is_follow_up(question: str) -> bool:
    q = question.strip()
    return len(q) <= 16 and bool(re.match(r"^(那么?|还有|另外)", q) or re.search(r"呢[？?]?$", q))


def resolve(question: str, history: Sequence[str], known_places: Iterable[str] = ()) -> str:
    """Substitute the follow-up's subject into the last full question.

    "那温州呢？" after "巴中市恩阳区有多少家养老机构？" → "温州有多少家养老机构？". The place in the previous
    question is found among `known_places` (longest first), else by its administrative suffix.
    A question that is not an elliptical follow-up, or has no history, is returned unchanged.
    """
    q = question.strip()
    prev = next((h.strip() for h in reversed(history) if h and h.strip() and not is_follow_up(h)), "")
    if not prev or not is_follow_up(q):
        return q
    m = _FOLLOW.match(q)
    subject = m.group("x") if m else q
    subject = re.sub(r"^(?:那么?|还有|另外)", "", subject).strip(" ，,")
    if not subject:
        return q
    # the place that occurs first in the previous question, the longer name on a tie (巴中市 over 巴中)
    found = [(prev.index(p), -len(p), p) for p in set(known_places) if p in prev]
    if found:
        return _replace_place_run(prev, min(found)[2], subject)
    pm = PLACE_NAME.search(prev)
    if pm:
        return prev[: pm.start()] + subject + prev[pm.end() :]
    return f"{subject}{prev}"


def _replace_place_run(prev: str, place: str, subject: str) -> str:
    """Replace the place and any administrative words glued to it (巴中市恩阳区 → 温州)."""
    i = prev.index(place)
    j = i + len(place)
    tail = PLACE_NAME.match(prev, j)
    while tail:
        j = tail.end()
        tail = PLACE_NAME.match(prev, j)
    return prev[:i] + subject + prev[j:]
