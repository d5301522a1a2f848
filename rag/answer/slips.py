"""Pinyin-input slips: a word typed with one character of the same sound as the one meant ("连系人" for 联系人,
"文好" for 文号, "爱心餐听" for 餐厅, "签发仁" for 签发人), which no letter and no dictionary holds.

Staff type with a pinyin input method, which offers every character of a sound; picking the neighbour is the
commonest typing slip. A run of the question that is no word anywhere is read as the one word of the letters'
(or of a letter's fields) that sounds the same and differs from it in a single character. Pure, with
pypinyin's readings and jieba's dictionary as the list of real words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate

from rag.core import pos
from rag.core.text import squash

_CJK = re.compile(r"[\u4e00-\u9fff]+")
_SIZES = (4, 3, 2)
# characters that ask or tie words together: a run holding one is how the question is put, not a word mistyped
# ("分几类" is not 分级类)
_GRAMMAR = re.compile(r"[哪这那个的地得是了在和与给让把被多少几啥么吗呢吧啊谁要有没不也都就还又再]")


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, int]:
    import jieba

    jieba.dt.check_initialized()
    return jieba.dt.FREQ


@lru_cache(maxsize=4096)
def _sounds(run: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin  # (imported when a question is read, not at start-up)

    return tuple(lazy_pinyin(run))


@lru_cache(maxsize=64)  # (the same passages are read for many questions: a conversation, an evaluation)
def _sounding(texts: tuple[str, ...], words: tuple[str, ...]) -> dict[tuple[str, ...], set[str]]:
    """Each real word of the texts (and each given word), by how it sounds."""
    real = _dictionary()
    out: dict[tuple[str, ...], set[str]] = {}
    for w in set(words):
        out.setdefault(_sounds(w), set()).add(w)
    for text in texts:
        for run in _CJK.findall(text):
            sound = _sounds(run)
            for n in _SIZES:
                for i in range(len(run) - n + 1):
                    if real.get(w := run[i : i + n]):
                        out.setdefault(sound[i : i + n], set()).add(w)
    return out


def unslipped(question: str, texts: Iterable[str] = (), words: Iterable[str] = ()) -> str:
    """The question with each run that no text and no dictionary holds, and that sounds like exactly one word of
    `texts` or `words` differing in one character, read as that word."""
    texts, words = tuple(texts), tuple(words)
    seen = squash(" ".join(texts))
    real = _dictionary()
    sounding: dict[tuple[str, ...], set[str]] | None = None
    cut: tuple[str, set[int]] | None = None  # the question's names and word boundaries, read when first needed
    for m_run in _CJK.finditer(question):
        run, at = m_run.group(0), m_run.start()
        sound = _sounds(run)
        i = 0
        while i < len(run):
            for n in _SIZES:
                w = run[i : i + n]
                if len(w) < n or w in seen or real.get(w) or _GRAMMAR.search(w):
                    continue
                if cut is None:
                    cut = _names_and_bounds(question)
                named, bounds = cut
                if any(c in named for c in w) or not (at + i in bounds and at + i + n in bounds):
                    continue
                if sounding is None:
                    sounding = _sounding(texts, words)
                near = {c for c in sounding.get(sound[i : i + n], ()) if _one_apart(c, w)}
                if len(near) == 1:
                    question = question.replace(w, near.pop(), 1)
                    i += n - 1
                    break
            i += 1
    return question


def _one_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _names_and_bounds(question: str) -> tuple[str, set[int]]:
    """The person and place names of the question (no dictionary word either, and no slip: "舒瑜", "彬州"), and
    where its words start and end (a slip is read on them: "人大建议" holds no "大建" to read as 搭建)."""
    words = list(pos.cut(question))
    named = "".join(w.word for w in words if w.flag.startswith(("nr", "ns")))
    return named, {0, *accumulate(len(w.word) for w in words)}
