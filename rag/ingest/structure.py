"""Structure: cleaned lines → Document with Metadata and outlined Paragraphs.

A letter has three zones: the header (bureau, 文号, 签发人, title, salutation), the body (opening, outline
headings, body paragraphs) and the closing (专此答复/感谢…, signature, date, contact, 公开方式, 抄送).
Header and closing paragraphs are kind "meta" with section ().

Outline: 一、 (level 1) → （一）/(一) (level 2) → 1./1、/（1） (level 3). Markers in `section` are normalised
to 一、 / （一） / 1. / （1） so "(二)" and "（二）" are the same section; paragraph text stays verbatim.
An unnumbered heading line ("抓顶层设计，推动政策引领") gets the synthetic marker "第N节" (N counts such
headings under the same parent) one level below the innermost open numbered heading, or at level 1 when
none is open: reply-02's "坚持…" headings inside 一、 get ("一、", "第1节"); reply-03's get ("第1节",).
A numbered line that is a whole paragraph ("（一）为全面贯彻…。…") is a body paragraph that opens its section.
`section_title` is the innermost heading's text without marker and trailing 。/：, so such an item shows
its parent heading's title. Headings and meta paragraphs have ordinal 0; body paragraphs count from 1
within their section path.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import NamedTuple

from rag.core.errors import InputError
from rag.core.numerals import cn_int
from rag.core.records import Document, Metadata, Paragraph, RawText
from rag.core.text import squash
from rag.ingest.clean import (
    BUREAU_LINE,
    COPY_TO_LINE,
    DATE_LINE,
    DOC_NUMBER,
    L1_MARKER,
    L2_MARKER,
    L3_MARKER,
    breadcrumb_line,
    clean_text,
    contact_of,
    ends_sentence,
    is_meta_line,
    is_salutation,
    publication_line,
    unbalanced,
)

_HEADER_SCAN = 15  # the salutation is always near the top
_INTERNAL_END = re.compile(r"[。！？；;!?]")
_HEADING_MAX = 60  # a numbered line longer than this, or with a full stop inside, is a body item
_RUN_IN_MAX = 25  # "一、持续推进养老服务设施建设力度。将…": a short first sentence is a run-in heading
_UNNUMBERED_MAX = 25
_KEY_VALUE = re.compile(r"(?:签发人|类别|密级|紧急程度|保密期限|缓急)\s*[：:].*")
_TITLE = re.compile(r".*关于.+")
_THANKS = re.compile(r"(?:专此|特此|此复|以上答复|再次感谢).*|.{0,10}感谢.{0,50}")
_CLOSING_OTHER = re.compile(r"[（(]?\s*(?:此件|公开方式|主动公开|依申请公开|不予公开|附件).*")
_PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南"
    "|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
)
_N = "[一二三四五六七八九十〇零\\d]+"
# the 届 number starts where its run of numerals starts (the lookbehind): the same leftmost match, but a long
# run of digits is no longer re-scanned from each of its characters (quadratic)
_PROPOSAL = re.compile(
    rf"(?:(?:{_PROVINCES})(?:省|市|自治区|特别行政区))?[省市区县州]?(?:政协|人大)?(?<!{_N[:-1]}){_N}届(?:人大|政协)?"
    rf"(?:常委会)?第?{_N}次(?:全体)?会议(?:期间)?(?:第\d+号)?(?:人大代表|代表|委员)?(?:建议|提案|议案)"
)
_PROPOSAL_TITLE_AFTER = re.compile(r"(?:提出|所提出?|提交|递交)的")
# "…提出的关于X的建议收悉": the title runs from 关于 to the first 建议/提案/… before 收悉 (see _plain_title)
_PLAIN_TITLE_OPEN = re.compile(r"(?:提出|所提出?|提交|递交)的关于")
_PLAIN_TITLE_END = re.compile(r"(?:建议|提案|议案|意见)(?:已)?收悉")
_BRACKETS = {"《": "》", "“": "”", '"': '"', "「": "」"}


class Marker(NamedTuple):
    level: int  # 1, 2 or 3
    marker: str  # normalised: 一、 / （一） / 1. / （1）
    length: int  # characters the marker takes in the line as written


@dataclass
class _Open:
    level: int
    marker: str
    title: str  # "" for a numbered body item that opens a section without a heading
    numbered: bool


def parse_document(raw: RawText, doc_id: str) -> Document:
    """Clean, find metadata and outline; every paragraph keeps its text verbatim."""
    if not doc_id.strip():
        raise InputError(f"{raw.source}: empty doc_id; give the letter an id such as 'reply-01'")
    lines = clean_text(raw.text, raw.fmt)
    if not lines:
        raise InputError(f"{raw.source}: no letter text left after removing page chrome; check the file")
    head, tail = letter_zones(lines)
    parts: list[tuple[str, str, tuple[str, ...], str]] = []  # (text, kind, section, section_title)
    parts += [(ln, "meta", (), "") for ln in lines[:head]]
    parts += outline(lines[head:tail])
    parts += [(ln, "meta", (), "") for ln in lines[tail:]]
    # the page's own lines (when it was published, in which section), kept where the page has them: among the
    # header lines, else last
    for page in sorted(filter(None, (breadcrumb_line(raw.text), publication_line(raw.text))), key=raw.text.find,
                       reverse=True):
        at = _place_of(raw.text, page, lines)
        parts.insert(at if at <= head else len(parts), (page, "page", (), ""))
    counts: dict[tuple[str, ...], int] = {}
    paragraphs = []
    for i, (text, kind, section, title) in enumerate(parts):
        ordinal = 0
        if kind == "body":
            ordinal = counts[section] = counts.get(section, 0) + 1
        paragraphs.append(
            Paragraph(
                id=f"{doc_id}-p{i:03d}",
                doc_id=doc_id,
                index=i,
                text=text,
                section=section,
                section_title=title,
                ordinal=ordinal,
                kind=kind,
            )
        )
    return Document(
        doc_id=doc_id,
        source=raw.source,
        sha256=raw.sha256,
        fmt=raw.fmt,
        encoding=raw.encoding,
        meta=extract_metadata(lines),
        paragraphs=tuple(paragraphs),
    )


def _place_of(text: str, line: str, lines: list[str]) -> int:
    """How many of the cleaned `lines` the raw `text` has before `line`, read in order (a cleaned line
    the text does not hold as such, e.g. one joined from two, ends the count)."""
    end, pos, n = text.find(line), 0, 0
    for ln in lines:
        pos = text.find(ln, pos)
        if pos < 0 or pos > end:
            break
        pos, n = pos + len(ln), n + 1
    return n


def letter_zones(lines: list[str]) -> tuple[int, int]:
    """(end of header, start of closing): lines[:head] and lines[tail:] are meta, the rest is body."""
    head = 0
    for i, line in enumerate(lines[:_HEADER_SCAN]):
        if "。" in line:  # a full sentence: we are in the body, so the letter has no salutation
            break
        if is_salutation(line) and not _KEY_VALUE.fullmatch(line):
            head = i + 1
            break
    if head == 0:  # no salutation: the header is whatever header-shaped lines lead the text
        while head < len(lines) and _header_shaped(lines[head]):
            head += 1
    tail = len(lines)
    while tail > head:
        line = lines[tail - 1]
        if _THANKS.fullmatch(line) and len(line) <= 80:
            tail -= 1
            break  # the thanks line opens the closing; above it is body
        if not _closing_shaped(line):
            break
        tail -= 1
    return head, tail


def _header_shaped(line: str) -> bool:
    return bool(
        DOC_NUMBER.fullmatch(line)
        or BUREAU_LINE.fullmatch(line)
        or _KEY_VALUE.fullmatch(line)
        or (_TITLE.fullmatch(line) and line.endswith(("函", "答复", "复函", "意见")))
    )


def _closing_shaped(line: str) -> bool:
    return bool(
        DATE_LINE.fullmatch(line)
        or BUREAU_LINE.fullmatch(line)
        or contact_of(line) is not None
        or COPY_TO_LINE.fullmatch(line)
        or _CLOSING_OTHER.fullmatch(line)
    )


def outline_marker(line: str) -> Marker | None:
    """The outline marker a line starts with, normalised, or None."""
    if m := L1_MARKER.match(line):
        return Marker(1, f"{m.group(1)}、", m.end())
    if m := L2_MARKER.match(line):
        return Marker(2, f"（{m.group(1)}）", m.end())
    if m := L3_MARKER.match(line):
        return Marker(3, f"{m.group(1)}." if m.group(1) else f"（{m.group(2)}）", m.end())
    return None


def split_numbered(line: str, mark: Marker) -> tuple[str, str] | None:
    """A numbered line as (heading, run-in body); body may be ''. None when the line is a body item."""
    rest = line[mark.length :]
    if not _INTERNAL_END.search(rest[:-1]) and len(squash(line)) <= _HEADING_MAX:
        return line, ""
    m = _INTERNAL_END.search(rest)
    if m and m.group() == "。":
        head = line[: mark.length + m.end()]
        body = line[len(head) :].strip()
        # "一、持续推进…力度。将…" is a heading; "（三）市民政局于2021年7月启动…。" is a sentence
        if body and len(squash(head)) <= _RUN_IN_MAX and not re.search(r"\d", head[mark.length :]):
            return head, body
    return None


def is_unnumbered_heading(line: str) -> bool:
    """A short, unpunctuated line inside the body: "抓顶层设计，推动政策引领"."""
    size = len(squash(line))
    return (
        4 <= size <= _UNNUMBERED_MAX
        and not ends_sentence(line)
        and line[-1] not in "，、,"
        and not _INTERNAL_END.search(line)
        and not unbalanced(line)
        and not is_meta_line(line)
        and not DATE_LINE.search(line)
        and "\t" not in line  # a table row from a .docx
    )


def outline(lines: list[str]) -> list[tuple[str, str, tuple[str, ...], str]]:
    """Body lines → (text, kind, section path, section title); may split a run-in heading in two."""
    stack: list[_Open] = []
    unnumbered: dict[tuple[str, ...], int] = {}
    out: list[tuple[str, str, tuple[str, ...], str]] = []

    def here() -> tuple[tuple[str, ...], str]:
        titles = [o.title for o in stack if o.title]
        return tuple(o.marker for o in stack), titles[-1] if titles else ""

    def open_section(level: int, marker: str, title: str, numbered: bool) -> None:
        while stack and stack[-1].level >= level:
            stack.pop()
        stack.append(_Open(level, marker, title, numbered))

    for i, line in enumerate(lines):
        mark = outline_marker(line)
        if mark:
            split = split_numbered(line, mark)
            title = _title_of(split[0][mark.length :]) if split else ""
            open_section(mark.level, mark.marker, title, numbered=True)
            if split:
                out.append((split[0], "heading", *here()))
                if split[1]:
                    out.append((split[1], "body", *here()))
            else:
                out.append((line, "body", *here()))
        elif i > 0 and i + 1 < len(lines) and is_unnumbered_heading(line):
            parent = [o for o in stack if o.numbered]
            level = parent[-1].level + 1 if parent else 1
            key = tuple(o.marker for o in stack if o.level < level)
            unnumbered[key] = unnumbered.get(key, 0) + 1
            open_section(level, f"第{unnumbered[key]}节", _title_of(line), numbered=False)
            out.append((line, "heading", *here()))
        else:
            out.append((line, "body", *here()))
    return out


def _title_of(text: str) -> str:
    return text.strip().rstrip("。．.：:")


# ---- metadata ---------------------------------------------------------------------------------------


def extract_metadata(lines: list[str]) -> Metadata:
    """What the letter says about itself; a field the letter does not state is None."""
    head, tail = letter_zones(lines)
    header, closing = lines[:head], lines[tail:]
    title = next((ln for ln in header if _TITLE.fullmatch(ln) and not is_meta_line(ln)), None)
    bureau = next((ln for ln in header if BUREAU_LINE.fullmatch(ln)), None)
    bureau = bureau or next((ln for ln in closing if BUREAU_LINE.fullmatch(ln)), None)
    if bureau is None and title and (m := re.match(r"(.{2,30}?(?:局|厅|委员会|委|办公室|政府))关于", title)):
        bureau = m.group(1)
    doc_number = next((m.group() for ln in header if (m := DOC_NUMBER.search(ln))), None)
    dates = [_iso_date(m) for ln in closing + header if (m := DATE_LINE.fullmatch(ln))]
    addressee = next((ln[:-1].strip() for ln in header if is_salutation(ln)), None)
    proposal = _PROPOSAL.search(title) if title else None
    contact = next((c for ln in closing if (c := contact_of(ln)) is not None), None)
    copy_to = next((_split_list(m.group(1)) for ln in closing if (m := COPY_TO_LINE.fullmatch(ln))), ())
    return Metadata(
        bureau=bureau,
        doc_number=doc_number,
        date=next((d for d in dates if d), None),
        addressee=addressee,
        proposal=proposal.group() if proposal else None,
        proposal_title=_proposal_title(lines[head : head + 3]),
        title=title,
        contact=contact,
        copy_to=copy_to,
    )


def _iso_date(m: re.Match[str]) -> str | None:
    year, month, day = (cn_int(g) for g in m.groups())
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:  # "2021年13月" is a typo, not a date we should invent
        return None


def _proposal_title(opening: list[str]) -> str | None:
    """《…》 or “…” named in the opening sentence ("您提出的《…》收悉"); plain "关于…的建议" as a fallback."""
    for line in opening:
        if "收悉" not in line and not _PROPOSAL_TITLE_AFTER.search(line):
            continue
        sentence = line.split("收悉", 1)[0]
        m = _PROPOSAL_TITLE_AFTER.search(sentence)
        # prefer the bracket right after "提出的": an earlier 《…》 may name a policy, not the proposal
        quoted = (_first_bracketed(sentence, m.end()) if m else None) or _first_bracketed(sentence)
        if quoted:
            return quoted
        return _plain_title(line)
    return None


def _plain_title(line: str) -> str | None:
    """What `(?:提出|所提出?|提交|递交)的(关于.+?(?:建议|提案|议案|意见))(?:已)?收悉` finds, group 1, in linear
    time: the regex re-scans the rest of the line from every 提出的关于 (quadratic). The leftmost opening
    with any ending after it wins, and a later opening never has an ending the first one lacks."""
    opening = _PLAIN_TITLE_OPEN.search(line)
    if opening is None:
        return None
    end = _PLAIN_TITLE_END.search(line, opening.end() + 1)  # .+? takes at least one character
    if end is None:
        return None
    keyword = 2  # 建议, 提案, 议案 and 意见 are two characters
    return line[opening.end() - 2 : end.start() + keyword]


def _first_bracketed(text: str, start: int = 0) -> str | None:
    """The first balanced 《…》/“…” span at or after `start`, brackets included."""
    for i in range(start, len(text)):
        opener = text[i]
        close = _BRACKETS.get(opener)
        if close is None:
            continue
        if close == opener:  # ASCII quotes do not nest
            j = text.find(close, i + 1)
            return text[i : j + 1] if j > i else None
        depth = 0
        for j in range(i, len(text)):
            depth += (text[j] == opener) - (text[j] == close)
            if depth == 0:
                return text[i : j + 1]
        return None
    return None


def _split_list(text: str) -> tuple[str, ...]:
    """Split "A，B、C（D、E）。" on ，,、 outside brackets → ("A", "B", "C（D、E）")."""
    items: list[str] = []
    depth, cur = 0, ""
    for ch in text.strip().rstrip("。；;."):
        depth += (ch in "（(《“") - (ch in "）)》”")
        if ch in "，,、" and depth <= 0:
            items.append(cur)
            cur = ""
        else:
            cur += ch
    items.append(cur)
    return tuple(s.strip() for s in items if s.strip())
