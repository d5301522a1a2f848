"""Finding the distinct demands (themes) of a proposal: one reply section per theme.

1. Proposal text with enumerated demands ("一是…二是…", "（一）", "1.", "第一，") → one unit per item;
   else its paragraphs; else its sentences. Units carrying a demand word (加强/推进/建议…) are kept
   when there are any, so background paragraphs do not become sections.
2. Units are clustered greedily by jieba keyword overlap (Jaccard ≥ 0.5), then the closest clusters
   are merged until at most six remain.
3. Fewer than two themes from the text → the title, split at ，；、和及与 when every part is a
   phrase of its own ("获得感、幸福感和安全感" stays whole); a verb in front of the first part is lent
   to later parts without one ("加强A和B" → 加强A, 加强B).
4. Still one theme → the usual two-part reply: 关于{theme} and 下一步工作打算.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import jieba

from rag.core.text import word_set
from rag.draft.facts import FILL

MIN_THEMES, MAX_THEMES = 2, 6
_HEADING_LIMIT = 24
_CN = "一二三四五六七八九十"
# a marker opening an enumerated demand, at the start of a line or after punctuation
_ENUM = re.compile(
    rf"(?:^|(?<=[\n。；;：:！？!?，,]))\s*"
    rf"(?:[{_CN}]+是|其[{_CN}]是?[，,、]|[（(][{_CN}\d]+[）)]|[{_CN}]+、|\d+[.、．](?!\d)|第[{_CN}]+[，,、])",
    re.M,
)
_ASK = re.compile(r"^(?:建议|希望|要|应当|应|需要|请|呼吁)")
_CLAUSE = re.compile(r"[，,；;]")
_CONJ = frozenset(("和", "及", "与", "以及", "、", "并", "同时"))
VERBS = word_set(
    "加强 推进 完善 提升 提高 建立 健全 加大 推动 发展 促进 支持 鼓励 强化 优化 落实 扩大 深化 "
    "规范 加快 做好 构建 打造 实施 开展 探索 保障 解决 破解 创新 重视 关注 推广 引导"
)
_STOP = VERBS | word_set(
    "关于 建议 提案 议案 进一步 工作 我们 目前 存在 问题 方面 相关 有关 以及 进行 注重 一是 二是 "
    "三是 四是 五是 当前 需要 应当 可以 通过 加以 有效 积极 不断 切实 全面 逐步 各类 一些 一定"
)
_DEMAND = re.compile("建议|希望|出台|制定|" + "|".join(sorted(VERBS)))


@dataclass(frozen=True)
class Theme:
    heading: str  # "关于加强农村养老服务" (numbered 一、二、… when the letter is assembled)
    query: str  # what to search precedent with
    future: bool = False  # prefer 下一步 / 将 paragraphs (the plans section of a one-theme reply)


@lru_cache(maxsize=4096)
def _keywords(text: str) -> frozenset[str]:
    return frozenset(w for w in jieba.lcut(text) if len(w) >= 2 and re.search(r"[\u4e00-\u9fff]", w) and w not in _STOP)


def keywords(text: str) -> set[str]:
    """Content words of `text` (jieba, two characters or more, policy verbs and fillers dropped)."""
    return set(_keywords(text))


def find_themes(title: str, text: str = "") -> list[Theme]:
    themes = _from_text(text) if text and text.strip() else []
    if len(themes) < MIN_THEMES:
        themes = _from_title(title)
    if len(themes) == 1:
        only = themes[0]
        themes = [only, Theme(heading="下一步工作打算", query=f"{only.query} 下一步 将", future=True)]
    if not themes:  # a title of fillers only, e.g. "关于的建议"
        themes = [Theme(heading=FILL.format("部分标题"), query=title)]
    return themes[:MAX_THEMES]


def _from_text(text: str) -> list[Theme]:
    units, enumerated = _units(text)
    if not enumerated:  # paragraphs or sentences: background ones carry no demand word
        units = [u for u in units if _DEMAND.search(u)] or units
    clusters: list[tuple[list[str], set[str]]] = []
    for unit in units:
        kw = keywords(unit)
        best = max(clusters, key=lambda c: _jaccard(c[1], kw), default=None)
        if best is not None and _jaccard(best[1], kw) >= 0.5:
            best[0].append(unit)
            best[1].update(kw)
        else:
            clusters.append(([unit], kw))
    while len(clusters) > MAX_THEMES:  # merge the closest pair until six remain
        pairs = [(i, j) for i in range(len(clusters)) for j in range(i + 1, len(clusters))]
        i, j = max(pairs, key=lambda p: _jaccard(clusters[p[0]][1], clusters[p[1]][1]))
        clusters[i][0].extend(clusters[j][0])
        clusters[i][1].update(clusters[j][1])
        del clusters[j]
    themes = []
    for members, _kw in clusters:
        phrase = _phrase(members[0])
        if phrase:
            themes.append(Theme(heading=_about(phrase), query="".join(members)[:200]))
    return _dedupe(themes)


def _units(text: str) -> tuple[list[str], bool]:
    """Demand-sized pieces of the proposal text (enumeration markers removed), and whether the
    proposer enumerated them."""
    marks = list(_ENUM.finditer(text))
    if len(marks) >= 2:  # text before the first marker is background
        ends = [m.start() for m in marks[1:]] + [len(text)]
        pieces = [text[m.end() : end] for m, end in zip(marks, ends, strict=True)]
    else:
        pieces = [p for p in text.splitlines() if len(p.strip()) >= 10]
        if len(pieces) < 2:
            pieces = [s for s in re.split(r"(?<=[。！？；])", text) if len(s.strip()) >= 10]
    return [p.strip() for p in pieces if len(p.strip()) >= 4], len(marks) >= 2


def _phrase(unit: str) -> str:
    """The demand's opening clause, short enough for a heading: "建议加大财政投入，…" → 加大财政投入."""
    first = re.split(r"[，。；：,;:！？!?\n]", unit.strip(), maxsplit=1)[0]
    first = _ASK.sub("", first.strip()).strip("“”\"' ")
    if len(first) <= _HEADING_LIMIT:
        return first
    out = ""
    for w in jieba.lcut(first):  # cut at a word boundary, not mid-word
        if len(out) + len(w) > _HEADING_LIMIT:
            break
        out += w
    return out


def _from_title(title: str) -> list[Theme]:
    core = title.strip().strip("《》“”").strip()
    core = re.sub(r"^关于", "", core)
    core = re.sub(r"(?:的)?(?:建议|提案|议案|意见)$", "", core).strip()
    parts: list[str] = []
    for clause in _CLAUSE.split(core):
        clause = clause.strip()
        if not clause:
            continue
        split = _split_conj(clause)
        # split only when each part can stand as a theme ("幸福感和安全感" must not)
        parts += split if len(split) > 1 and all(len(p) >= 4 for p in split) else [clause]
    parts = _lend_verb(parts)
    return _dedupe([Theme(heading=_about(p), query=p) for p in parts if len(p) >= 2])


def _split_conj(clause: str) -> list[str]:
    parts, cur = [], ""
    for w in jieba.lcut(clause):  # tokens, so 参与/普及/及时 are never split at 与/及
        if w in _CONJ:
            if cur:
                parts.append(cur)
            cur = ""
        else:
            cur += w
    if cur:
        parts.append(cur)
    return parts


def _lend_verb(parts: list[str]) -> list[str]:
    if len(parts) < 2:
        return parts
    lead = jieba.lcut(parts[0])[0]
    if lead not in VERBS:
        return parts
    return [parts[0]] + [p if jieba.lcut(p)[0] in VERBS else lead + p for p in parts[1:]]


def _about(phrase: str) -> str:
    return phrase if phrase.startswith("关于") else f"关于{phrase}"


def _dedupe(themes: list[Theme]) -> list[Theme]:
    seen: set[str] = set()
    out = []
    for t in themes:
        if t.heading not in seen:
            seen.add(t.heading)
            out.append(t)
    return out


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
