"""A question as the letters write: staff in Hong Kong, Macao or Guangdong may type traditional characters
(溫州那個…辦法) and written Cantonese (嗰個, 幾多, 係咪, 咗). The letters are simplified Mandarin, so every word the
answerer reads (places, 多少, 哪个, 是不是) must be theirs: the Cantonese words are read as Mandarin, then the script
is converted with OpenCC (its phrase tables know 乾燥 → 干燥 but keep 乾隆). Place names already in simplified
script stay as typed (OpenCC's tables know 乾縣 but read a simplified 乾县 as 干县)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# written Cantonese and its Mandarin, in either script (longest first where one holds another); only words no
# Mandarin question writes, or that only Cantonese writes that way (係咪, 幾多), so a Mandarin question is untouched
_CANTONESE = (
    (r"係[咪唔]係|係咪|系咪", "是不是"), (r"有冇", "有没有"), (r"幾多|几多", "多少"), (r"幾時|几时", "什么时候"),
    (r"點解", "为什么"), (r"點樣|點(?=[做搞弄辦寫写])", "怎样"),
    # "是点写", "过得点": not 重点做, 站点办, 要点
    (r"(?<=[是得])点(?=[写做搞弄办]|[？?]|$)|(?<=[要会會])点(?=[写做搞弄办])", "怎样"),
    (r"乜嘢|乜野|咩嘢|乜|咩", "什么"), (r"邊度|边度|邊處|边处", "哪里"),
    (r"邊(?=[一二三四五六七八九十兩两幾几個个間间家位年份封條条項项類类部科局隻只樣样])", "哪"),
    # (not the 边 of 周边, 旁边, 这边, 两边)
    (r"(?<![周旁这那這兩两一左右身海路河东西南北東里裡外前后後上下半无無手耳])边"
     r"(?=[一二三四五六七八九十两几个间家位封条项类部科局只样])", "哪"),
    (r"佢哋|佢地", "他们"), (r"我哋|我地(?=[要想係系嘅])", "我们"), (r"你哋", "你们"), (r"佢", "它"),
    (r"嗰|𠮶", "那"), (r"呢(?=[個个份封件條条項项度啲些])", "这"), (r"嘅", "的"), (r"咗", "了"),
    (r"一啲", "一些"), (r"啲(?=什么)", "些"), (r"啲", "的"),  # "佛山啲长者饭堂": 佛山的
    (r"(?<=[复覆那這这划劃份封])度(?=[，,？?。、]|$)", "里"),  # "回复度", "那度": there, not 年度, 满意度
    (r"入面", "里面"), (r"入去", "进去"), (r"(?<=[列讲講报報说說写寫])晒", "全"), (r"一齐|一齊", "一起"),
    (r"未(?=[？?]?$)", "没有"),  # "起好未？": done yet
    (r"(?<![电電说說对對讲講通谈談会會童笑神佳实實废廢])话(?=要|会|會|将|將|完成|为了|為了|已经|已經|正在)"
     r"|(?<![电電说說对對讲講通谈談会會童笑神佳实實废廢])話(?=要|會|將|完成|為了|已經|正在)", "说"),
    (r"冇", "没有"), (r"喺", "在"), (r"唔該|唔该", "请"), (r"唔", "不"), (r"畀|俾", "给"), (r"睇", "看"),
    (r"搵|揾", "找"), (r"攞", "拿"), (r"嚟", "来"), (r"而家", "现在"), (r"同埋", "和"), (r"咁多", "这么多"),
    (r"^咁|(?<=[，,。])咁", "那"), (r"咁", "这么"),
    (r"仲有", "还有"), (r"(?<![關关聯联體体維维])係", "是"), (r"[㗎喎嘞噃囉啩]", ""),
)
_CANTONESE_RE = tuple((re.compile(p), w) for p, w in _CANTONESE)
_CJK = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc  # lazily: it loads its dictionaries on first use

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """The question in simplified Mandarin: Cantonese words read as Mandarin, traditional characters as
    simplified, simplified place names as typed."""
    for pattern, word in _CANTONESE_RE:
        text = pattern.sub(word, text)
    if not _CJK.search(text):
        return text
    out = _converter().convert(text)
    if out == text or len(out) != len(text):  # (t2s maps character to character, so spans carry over)
        return out
    # a place the question names that conversion unmakes was typed in simplified script: "乾县" is a county,
    # 干县 none (溫州市 → 温州市 stays a place, and is converted); jieba loads only here (`rag docs` imports this)
    from rag.core.places import place_spans

    converted = set(place_spans(out))
    for a, b in place_spans(text):
        if out[a:b] != text[a:b] and (a, b) not in converted:
            out = out[:a] + text[a:b] + out[b:]
    return out
