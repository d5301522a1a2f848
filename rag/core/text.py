"""Pure text helpers shared by chunking, answering and evaluation."""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")
# a sentence ends at 。！？； (and their ASCII forms) plus any closing quotes/brackets after them
_SENT_END = re.compile(r"[^。！？；!?;]*(?:[。！？；!?;]+[”’」』）)]*|$)")


def squash(text: str) -> str:
    """Comparison key: all whitespace removed (quotes and evidence are compared this way)."""
    return _WS.sub("", text)


def comparison_text(text: str) -> str:
    """What two copies of one text share whatever their file: NFKC (full-width digits and letters), lower
    case, no whitespace, no punctuation or symbols. GBK and UTF-8 files, a .docx and its .txt, a re-typed
    comma: the same key. Only for comparing; stored text stays verbatim."""
    norm = unicodedata.normalize("NFKC", text).lower()
    return "".join(c for c in norm if unicodedata.category(c)[0] in "LN")


def split_sentences(text: str) -> list[str]:
    """Split at 。！？； keeping the terminator with its sentence; never drops a character."""
    out = [m.group(0) for m in _SENT_END.finditer(text) if m.group(0)]
    assert "".join(out) == text
    return out


def contains(haystack: str, needle: str) -> bool:
    """Whitespace-insensitive containment, the rule for evidence and quotes."""
    n = squash(needle)
    return bool(n) and n in squash(haystack)


def word_set(words: str) -> frozenset[str]:
    """A word list written as one space-separated string (how the Chinese word lists here are kept)."""
    return frozenset(words.split())


_QUOTED = re.compile(r"[“\"「『《‘]([^“”\"「」『』《》‘’]{2,40})[”\"」』》’]")


def quoted_phrases(question: str) -> list[str]:
    """Terms the question quotes: “五助”, 《…办法》, "一键通" (2-40 characters each)."""
    return list(dict.fromkeys(m.group(1).strip() for m in _QUOTED.finditer(question) if m.group(1).strip()))


def quoted_names(text: str) -> frozenset[str]:
    """What a letter puts in quotes that is short enough to be a name (“时间银行”, “一键通”: 3-12 characters,
    whitespace removed): its programmes, which a question may name."""
    return frozenset(n for n in map(squash, quoted_phrases(text)) if 3 <= len(n) <= 12)
