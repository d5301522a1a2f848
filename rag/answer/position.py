"""Which item of a list a question asks for by its place: the first, the last, the nth (排第二, 倒数第二), or the one
after or before an item it names ("排在省财政厅后头那个"). Lists a letter's record holds (抄送, the units whose opinions
it merged) and its headings are asked so. Pure."""

from __future__ import annotations

import re

from rag.core.numerals import cn_int

# the words that ask a place, for routing a question to a list it names
PLACE_ASKED = (r"(?:打头|排头|第一|头一|最后|最末|末尾|倒数第?[一二三四五六七八九十两\d]|排第"
               r"|第[二三四五六七八九十两\d][个家位]|后头|后面|后边|之后|前头|前面|前边|之前)")
_FIRST = re.compile(r"打头|排头|排(?:在)?最?前(?:面|头)?的|第一[个家位项条]|头一[个家位条]|排第一")
# (not 最后抄送给了…: where the list stands in the letter)
_LAST = re.compile(r"最后(?:一[个家位项条]|的)|最末(?:一[个家位项条]|的)?|排(?:在)?最?后(?:面|头)?的|末尾的|倒数第一")
_NTH = re.compile(r"(倒数)?第([一二三四五六七八九十两\d]+)(?:个|家|位|项|名)?"
                  r"(?![\d一二三四五六七八九十]|号|届|次|批|季|年|条|部分|节|段|章|款)")
_BESIDE = r"(?:的)?(?:(后头|后面|后边|之后|往后|下一个|下一位)|(?:前头|前面|前边|之前|上一个|上一位))"


def place_in(question: str, items: list[str]) -> int | None:
    """The index of the item the question asks for by its place; None when it asks no place, or one outside the
    list."""
    at: int | None = None
    anchor = next(((i, m) for i, x in enumerate(items) if (m := re.search(re.escape(x) + _BESIDE, question))), None)
    if anchor is not None:
        i, m = anchor
        at = i + 1 if m.group(1) else i - 1
    elif (nth := _NTH.search(question)) and (n := cn_int(nth.group(2))):
        at = len(items) - n if nth.group(1) else n - 1
    elif bool(first := _FIRST.search(question)) != bool(_LAST.search(question)):
        at = 0 if first else len(items) - 1
    return at if at is not None and 0 <= at < len(items) else None
