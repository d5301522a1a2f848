"""Questions about things no letter names ("鹦鹉螺火星基地？", "火星基地有多少个？"). Pure.

Retrieval always returns the nearest passages, and a passage sharing one plain word with the question (基地)
can then be quoted as if it answered it. What a question is about is named by its nouns; when at least half
of them (weighted by length: a long name says more than a short word) occur in no retrieved passage and in no
letter of the index, the letters do not speak of it and the question is refused, naming those words. A
question that merely paraphrases (扶手 for 适老化改造, 食堂 for 爱心餐厅) still names the rest of its subject in
the letters' own words: on the QA sets such questions stay under a third (eval/README.md). Places are left to
the answerer (a question about another city is refused there, with the letters of the place it names), and
so are questions about a letter's own fields (its 文号, date, contact).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from rag.answer.frame import read
from rag.answer.question import PART_POINTED
from rag.answer.wording import full_name, in_letters_words
from rag.core import pos
from rag.core.records import Hit
from rag.core.text import squash

SHARE = 0.5  # refuse when this share of the question's nouns is unknown
# nouns that are part of how a question asks, not of what it is about ("截至什么时候", "在什么地方", "多大岁数")
_ASKING = re.compile(r"(?:什么|啥|哪个|哪些|哪一?)(?:时候|时间|时期|日子|地方|单位|部门|东西|内容|情况)"
                     rf"|哪年哪月|哪年|哪月|几月几[日号]|{PART_POINTED}"  # "那部分" points back, names nothing
                     r"|(?:多大|多少)?(?:岁数|年纪|年龄)"  # "都是多大岁数的": an age asked
                     r"|门槛|下限|上限"  # "年龄门槛是多少岁": a bound asked
                     r"|口径|算法|统计口径"  # "照这个口径": how a figure is counted, not a thing
                     r"|原文|原话|全称|简称|名字|名称"  # "原文管它叫什么": the letter's own term asked
                     r"|(?:哪个|哪一个|几)?月份"  # "是哪个月份出的": a month asked
                     r"|正文|全文|文中|第[一二三四五六七八九十\d]+部分"  # "正文里", "第一部分开头": where in it
                     r"|[\u4e00-\u9fff]{0,2}名(?:列|报|写)(?:一下|出来)"  # "文件名列一下": how to answer (not 名列)
                     r"|金额|数额|总额|合计|总计|总数|数目|个数|(?<!年)人数")  # "补贴金额合计是多少": an amount asked
_NOUNS = frozenset(("n", "nr", "nrfg", "nrt", "nz", "nt", "nw", "ng", "vn", "eng"))


def unknown_terms(question: str, hits: Sequence[Hit], in_index: Callable[[str], bool],
                  split: Callable[[str], list[str]]) -> tuple[str, ...]:
    """The nouns of `question` that neither the retrieved passages nor the index hold, when they are at least
    SHARE of its nouns; else (). `in_index` says whether a search token is in the index's vocabulary and
    `split` gives a word's search tokens (the index's tokenizer): a compound is known when its parts are."""
    frame = read(question)
    if frame.meta:
        return ()
    # (an everyday word the letters say otherwise, 寿星 for 老人, is the letters' word)
    frame = replace(frame, content=in_letters_words(frame.content, (h.chunk.text for h in hits)))
    nouns: dict[str, float] = {}
    names: set[str] = set()  # what jieba took for a name: where it glues a character on ("恩阳满一百岁": 恩阳满)
    glued: dict[str, str] = {}  # "照料中|心想|拿": a noun whose first character ends the word before it
    words = list(pos.cut(_ASKING.sub("，", frame.content)))
    for i, (word, flag) in enumerate(words):
        if i and len(words[i - 1].word) == 1 and len(word) >= 2:
            glued[word.lower()] = (words[i - 1].word + word[0]).lower()
        if flag == "vn" and i + 1 < len(words) and (words[i + 1].word in ("了", "过", "着") or (
                words[i + 1].flag == "m")):
            continue  # "发给了多少人次", "发给多少人次": a verb, whatever jieba tags it
        if flag == "eng" and word.islower():
            continue  # an English word staff mix in ("按这个deadline"), not a name the letters would write
        if flag in _NOUNS and len(word) >= 2:
            nouns[word.lower()] = min(len(word), 4) / 2
            if flag.startswith(("nr", "ns")):
                names.add(word.lower())
    if not nouns:
        return ()
    seen = squash(" ".join(f"{h.meta.bureau or ''} {h.chunk.section_title} {h.chunk.text}" for h in hits)).lower()

    def known(term: str) -> bool:
        if term in seen or in_index(term) or full_name(term, seen):
            return True  # a short name is known by its full one (人社部: 人力资源社会保障部)
        parts = [t for t in split(term) if len(t) >= 2 and t != term]
        if (term in names or term[-1] in "数量率") and len(term) >= 3 and known(term[:-1]):
            return True  # a known name and the character jieba glued to it; "床位数" is the number of 床位
        return bool(parts) and all(t in seen or in_index(t) for t in parts)

    missing = [w for w in nouns if not known(w) and not (w in glued and known(glued[w]))]
    if sum(nouns[w] for w in missing) < SHARE * sum(nouns.values()):
        return ()
    return tuple(missing)


def refusal_reason(terms: Sequence[str]) -> str:
    return "答复函中没有出现" + "、".join(f"“{t}”" for t in terms) + "。"
