"""The demands of a proposal, in its order: one reply section per demand.

1. Proposal text: only what follows its suggestions heading or lead (二、几点建议 / 为此，建议：) when it
   has one, so the problems it lists first do not become sections. Enumerated demands (一是…二是…,
   （一）, 一、, 1., 第一，) → one demand per item of the list numbered from one; else the sentences
   that ask (建议…/希望…/呼吁…), else those carrying a demand word (加强/推进/…).
2. The same demand asked twice (jieba keyword overlap, Jaccard ≥ 0.5) is one demand, at its first
   place; beyond ten, the closest two merge.
3. Fewer than two demands from the text → the title, split at ，；、和及与 when every part is a
   phrase of its own ("获得感、幸福感和安全感" stays whole); a verb in front of the first part is lent
   to later parts without one ("加强A和B" → 加强A, 加强B). A title with one demand gives one section.

Each Demand keeps the proposal's own wording (shown with its section in the draft) and a heading
"关于{opening clause}".
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

import jieba

from rag.core.text import word_set
from rag.draft.enumeration import items, renumber
from rag.draft.facts import FILL
from rag.draft.voice import full_width

MIN_DEMANDS, MAX_DEMANDS = 2, 10
_WORDING_LIMIT = 120  # characters of a demand shown beside its section
_HEADING_LIMIT = 24
_ASK = re.compile(r"^(?:建议|希望|要|应当|应|需要|请|呼吁)")
_CLAUSE = re.compile(r"[，,；;]")
_CONJ = frozenset(("和", "及", "与", "以及", "、", "并", "同时"))
VERBS = word_set(
    "加强 推进 完善 提升 提高 建立 健全 加大 推动 发展 促进 支持 鼓励 强化 优化 落实 扩大 深化 "
    "规范 加快 做好 构建 打造 实施 开展 探索 保障 解决 破解 创新 重视 关注 推广 引导 培育 配备 设立 开设 "
    "举办 简化 增设 实行 设置 纳入 引入 整合 盘活 选派 提供 增加 扩大 改善 丰富 营造 树立 推行 整治 出台 助力"
)
_STOP = VERBS | word_set(
    "关于 建议 提案 议案 进一步 工作 我们 目前 存在 问题 方面 相关 有关 以及 进行 注重 一是 二是 "
    "三是 四是 五是 当前 需要 应当 可以 通过 加以 有效 积极 不断 切实 全面 逐步 各类 一些 一定"
)
_WORD = re.compile(r"[\u4e00-\u9fff]|^\d*[A-Za-z]+\d*$")  # Chinese words, and 5G / AI, never bare numbers
_DEMAND = re.compile("建议|希望|出台|制定|" + "|".join(sorted(VERBS)))
_ASKING = re.compile(r"建议|希望|呼吁|请求|恳请")
# the heading or lead after which a proposal lists what it asks for (its problems come before)
_SUGGESTIONS = re.compile(
    r"(?:^|\n)[ \t]*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])?[ \t]*"
    r"(?:几点|相关|对策|意见|工作)*建议(?:如下)?[：:]?[ \t]*(?=\n)"
    r"|(?:为此|因此|对此|据此)?[，,]?\s*(?:特|现)?(?:提出)?(?:如下|以下)?建议(?:如下)?[：:]"
)
# words every proposal to a civil affairs bureau uses: they do not tell one demand from another
GENERIC_TOPIC = word_set(
    "养老 服务 养老服务 建设 老年人 老人 老年 体系 机制 工作 管理 农村 城市 城乡 社区 群众 政府 部门 "
    "政策 制度 质量 水平 能力 资金 项目 设施 机构 社会 提供 实现 相关 重点 基础 力度 措施 方式 模式 需求 "
    "全市 我市 全区 全省 各类 各级 体制 工程 方面 领域 保障 安全 问题 作用 环境 条件 标准 力量 生活 "
    "组织 有序 长效 统一 多元 相应 有效 积极 专业 服务中心 中心"
)
_PURPOSE = re.compile(r"^(?:为了|为|以便|以|从而|方便|使|让|确保)")
_WHERE = re.compile(r"^在.{1,14}?(?=" + "|".join(sorted(VERBS, key=len, reverse=True)) + ")")
_RARE_IDF = 9.0  # a word this rare in general Chinese (督导员, 喷淋, 河长制) names a topic by itself
_MIN_COVER = 0.5  # share of a demand phrase's topic (by IDF) a paragraph must hold to answer it


@dataclass(frozen=True)
class Demand:
    heading: str  # "关于加强农村养老服务" (numbered 一、二、… when the letter is assembled)
    query: str  # what to search precedent with
    text: str = ""  # the demand as the proposal words it (its item or sentence, or the title's part)


@lru_cache(maxsize=4096)
def _keywords(text: str) -> frozenset[str]:
    return frozenset(w for w in jieba.lcut(text) if len(w) >= 2 and _WORD.search(w) and w not in _STOP)


def keywords(text: str) -> set[str]:
    """Content words of `text` (jieba, two characters or more, policy verbs and fillers dropped)."""
    return set(_keywords(text))


def topic_words(text: str) -> set[str]:
    """The keywords that say what `text` is about (the domain's everyday words dropped)."""
    return set(_keywords(text)) - GENERIC_TOPIC


@lru_cache(maxsize=1)
def _idf() -> tuple[dict[str, float], float]:
    import jieba.analyse  # jieba's general-language IDF table, loaded on first use

    table = jieba.analyse.default_tfidf
    return table.idf_freq, table.median_idf


def answers(phrase: str, text: str) -> bool:
    """Whether `text` speaks to a demand worded `phrase` (加强农村互助养老服务): it holds at least half
    of the phrase's topic (its topic words weighted by IDF; the domain's everyday words only when the
    phrase has nothing else) including its rarest word, and a piece of the phrase itself: two of its
    words side by side (互助养老) or one rare word (督导员). Sharing 分类 with 垃圾分类, or 老旧小区
    with 在老旧小区建设公共充电桩, is not enough."""
    toks = jieba.lcut(phrase)
    kw = _keywords(phrase)
    content = [w for w in toks if w in kw]
    topic = [w for w in content if w not in GENERIC_TOPIC]
    basis = topic or content
    if not basis:
        return True  # nothing to go by: a phrase of fillers
    idf, median = _idf()
    weight = {w: idf.get(w, median) for w in basis}
    # words are looked for as strings: jieba may cut 长期护理保险 differently in another sentence
    if sum(weight[w] for w in set(basis) if w in text) < _MIN_COVER * sum(weight[w] for w in set(basis)):
        return False
    if max(basis, key=weight.__getitem__) not in text:
        return False  # its most telling word (充电桩 in 在老旧小区建设公共充电桩) must be there
    pairs = [a + b for a, b in itertools.pairwise(toks)
             if a in content and b in content and (not topic or a in topic or b in topic)]
    return any(p in text for p in pairs) or any(w in text and weight[w] >= _RARE_IDF for w in basis) or (
        len(set(basis)) == 1 and basis[0] in text)


def answers_demand(demand: Demand, text: str) -> bool:
    """`text` answers the demand's heading phrase or a clause of its wording that asks for something
    (not one saying what for: 为高龄独居老人提供紧急救助服务)."""
    return any(answers(c, text) for c in demand_clauses(demand.heading.removeprefix("关于"), demand.text))


def demand_clauses(*wordings: str) -> list[str]:
    """The clauses of a demand's wording that ask for something, in order, without repeats; a leading
    place (在老旧小区 加快建设公共充电桩) is dropped: it says where, not what."""
    out = [c.strip() for w in wordings for c in re.split(r"[，。；：,;:！？!?\n]", w)]
    out = [_WHERE.sub("", c) for c in out if not _PURPOSE.match(c)]
    return list(dict.fromkeys(c for c in out if len(c) >= 4))


def find_demands(title: str, text: str = "") -> list[Demand]:
    demands = _from_text(text) if text and text.strip() else []
    if len(demands) < MIN_DEMANDS:
        demands = _from_title(title)
    if not demands:  # a title of fillers only, e.g. "关于的建议"
        demands = [Demand(heading=FILL.format("部分标题"), query=title, text=title.strip())]
    return demands[:MAX_DEMANDS]


def _from_text(text: str) -> list[Demand]:
    cut = list(_SUGGESTIONS.finditer(text))
    if cut and len(_units(text[cut[-1].end() :])[0]) >= 1:
        text = text[cut[-1].end() :]
    units, enumerated = _units(text)
    if not enumerated:  # paragraphs or sentences: background ones ask for nothing
        units = [u for u in units if _ASKING.search(u)] or [u for u in units if _DEMAND.search(u)] or units
    clusters: list[tuple[list[str], set[str]]] = []
    for unit in units:
        kw = keywords(unit)
        best = max(clusters, key=lambda c: _jaccard(c[1], kw), default=None)
        if best is not None and _jaccard(best[1], kw) >= 0.5:
            best[0].append(unit)
            best[1].update(kw)
        else:
            clusters.append(([unit], kw))
    while len(clusters) > MAX_DEMANDS:  # merge the closest pair until ten remain
        pairs = [(i, j) for i in range(len(clusters)) for j in range(i + 1, len(clusters))]
        i, j = max(pairs, key=lambda p: _jaccard(clusters[p[0]][1], clusters[p[1]][1]))
        clusters[i][0].extend(clusters[j][0])
        clusters[i][1].update(clusters[j][1])
        del clusters[j]
    demands = []
    for members, _kw in clusters:
        phrase = _phrase(members[0])
        if phrase:
            demands.append(Demand(heading=_about(phrase), query="".join(members)[:200], text=_wording(members[0])))
    return _dedupe(demands)


def _units(text: str) -> tuple[list[str], bool]:
    """Demand-sized pieces of the proposal text (list markers removed), and whether the proposer
    enumerated them."""
    _intro, listed = items(text)
    if listed:  # text before the first item is background
        pieces = [renumber(p) for p in listed]  # an item on its own loses its marker
    else:
        pieces = [p for p in text.splitlines() if len(p.strip()) >= 10]
        if len(pieces) < 2:
            pieces = [s for s in re.split(r"(?<=[。！？；])", text) if len(s.strip()) >= 10]
    return [p.strip() for p in pieces if len(p.strip()) >= 4], bool(listed)


def _wording(unit: str) -> str:
    """A demand as the proposal words it, for the reader: full-width, one line, at most ~120 characters."""
    text = full_width(re.sub(r"\s+", "", unit)).rstrip("；;，,。")
    return text if len(text) <= _WORDING_LIMIT else text[:_WORDING_LIMIT] + "…"


def _phrase(unit: str) -> str:
    """The demand's opening clause, short enough for a heading: "建议加大财政投入，…" → 加大财政投入."""
    first = re.split(r"[，。；：,;:！？!?\n]", unit.strip(), maxsplit=1)[0]
    first = _ASK.sub("", first.strip()).strip("\"' ")
    if first[:1] == "“" and first[-1:] == "”" and first.count("“") == 1:
        first = first[1:-1]  # the whole clause quoted; a quoted word inside it keeps its marks
    if len(first) <= _HEADING_LIMIT:
        return first
    out = ""
    for w in jieba.lcut(first):  # cut at a word boundary, not mid-word
        if len(out) + len(w) > _HEADING_LIMIT:
            break
        out += w
    return out


def _from_title(title: str) -> list[Demand]:
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
    return _dedupe([Demand(heading=_about(p), query=p, text=full_width(p)) for p in parts if len(p) >= 2])


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
    phrase = full_width(phrase)
    return phrase if phrase.startswith("关于") else f"关于{phrase}"


def _dedupe(demands: list[Demand]) -> list[Demand]:
    seen: set[str] = set()
    out = []
    for t in demands:
        if t.heading not in seen:
            seen.add(t.heading)
            out.append(t)
    return out


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
