"""Clean: decoded text → the letter's logical lines (paragraph candidates).

Only removes what is not the letter (web-page chrome, markdown syntax, page numbers) and repairs line
breaks. Inside a line nothing changes except one thing: PDF-style spaces around a number that sits between
Chinese characters ("于 2021 年 10 月" → "于2021年10月"). Punctuation and digits stay as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from rag.core.text import squash

# ---- web-page chrome --------------------------------------------------------------------------------
# A line made only of these tokens (and separators) is chrome: "专业版 简繁转换 English", "【打印本页】【关闭窗口】".
CHROME_TOKENS: tuple[str, ...] = (
    "首页", "专业版", "简繁转换", "简体版?", "繁體版?", "繁体版?", "English", "无障碍(?:浏览|阅读)?", "长者模式",
    "关怀版", "浏览字号", "字号[:：]?", "字体[:：]?", r"[大中小](?:\s*[大中小]){2}", "默认", "视力保护色",
    "打印页面", "打印本页", "打印", "关闭窗口", "关闭本页", "关闭", "扫描关注", "扫一扫在手机打开当前页",
    "扫一扫", "新浪微博", "腾讯微博", "微博", "微信", "QQ空间", "分享到[:：]?", "收藏", "返回顶部",
    "上一篇", "下一篇", "网站地图", "登录", "注册", "搜索",
)  # fmt: skip
_CHROME_SEP = r"[\s\-|/·>»｜丨【】\[\]（）()：:、,，]"
_WHERE_ON_SITE = r"当前位置|您的位置|您当前的位置|您现在的位置|所在位置"  # what a breadcrumb line opens with
# Whole-line patterns (fullmatch). Extend by passing `extra_chrome` to clean_text.
CHROME_LINE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"(?:{_CHROME_SEP}*(?:{'|'.join(CHROME_TOKENS)}))+{_CHROME_SEP}*"),
    re.compile(rf"(?:{_WHERE_ON_SITE}|搜索热词|热门搜索|热搜词)[:：\s].*"),
    re.compile(r"(?:版权所有|主办单位|承办单位|技术支持|网站标识码|网站识别码|备案号)[:：\s].*"),
    re.compile(r".*(?:ICP备|公网安备).*"),
    re.compile(r".*(?:阅读次数|浏览次数|点击次数|点击数|访问量|阅读量|浏览量)\s*[:：].*"),
    re.compile(r"\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?.*"),  # "2020-07-09 16:40:22 来源:…"
    re.compile(r"(?:发布时间|发布日期|信息来源|来源|责任编辑|编辑)[:：].{0,60}"),
    # page numbers left by PDF export sit exactly at a page break
    re.compile(r"[-—－]\s*\d{1,3}\s*[-—－]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?"),
)
# one alternation: a line is chrome if any pattern fullmatches it, in one call instead of eight
_CHROME_ANY = re.compile("|".join(f"(?:{p.pattern})" for p in CHROME_LINE_PATTERNS))
_SANDWICH_MAX = 12  # a short line between two chrome lines is chrome too ("扫描关注 / 广东省民政厅 / 新浪微博")

# A saved page's publication line: when the portal put the letter online, which is not when it was signed.
# It is chrome for the letter's text (a read count in it changes with every visit) but the letter's page
# date for staff asking "哪天挂到网上的", so parse_document keeps it beside the letter (kind "page").
_PUB_DATE = r"(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
PUBLISHED_LINE = re.compile(  # "2020-07-09 16:40:22 来源:…" · "发布日期：2021年3月5日" · "时间：2021-03-05 来源：…"
    rf"\s*({_PUB_DATE})(?:\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?\s*(?=信息来源|来源|阅读|浏览|点击)"
    rf"|.{{0,40}}?(?:发布时间|发布日期|发布于|(?<!\w)时间\s*[：:])\s*[：:]?\s*({_PUB_DATE})"
)
_PUBLISHED_MAX = 120  # characters: a longer line is text, not a page header

# ---- line shapes shared with rag.ingest.structure ----------------------------------------------------------
L1_MARKER = re.compile(r"([一二三四五六七八九十]{1,3})[、．.]")
L2_MARKER = re.compile(r"[（(]([一二三四五六七八九十]{1,3})[）)]")
L3_MARKER = re.compile(r"(\d{1,2})[.．、](?!\d)|[（(](\d{1,2})[）)]")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*第?\s*\d{1,5}\s*号")
_CN_NUM = "〇零一二三四五六七八九十"
DATE_LINE = re.compile(
    rf"(\d{{4}}|[{_CN_NUM}]{{4}})\s*年\s*(\d{{1,2}}|[{_CN_NUM}]{{1,3}})\s*月\s*(\d{{1,2}}|[{_CN_NUM}]{{1,3}})"
    r"\s*日(?:\s*(?:印发|发布|制发|签发))?"
)
BUREAU_LINE = re.compile(r"[\u4e00-\u9fff（）()]{2,30}?(?:局|厅|委员会|委|办公室|办|人民政府|政府|中心|院|署|部|处|会)")
SALUTATION = re.compile(r"([^，。；！？,;!?：:]{1,30})[：:]")
# a contact line is this opening, then the contact, then an optional closing bracket and full stop (see contact_of)
_CONTACT_OPEN = re.compile(r"[（(]?\s*(?:联系人|联系单位及电话|联系单位|联系方式|联系电话)\s*[：:]")
COPY_TO_LINE = re.compile(r"抄\s*送\s*[：:]\s*(.+)")
_META_START = re.compile(
    r"[（(]?\s*(?:联系人|联系单位|联系电话|联系方式|抄\s*送|公开方式|附件|此件|专此|特此|此复|签发人|类别|密级"
    r"|紧急程度)"
)

# ---- line joining -----------------------------------------------------------------------------------
SENTENCE_END = "。！？；：!?;:…"
_CLOSERS = "”’」』）)》〉】〕]\"'"
_OPEN_CLOSE = {"《": "》", "（": "）", "(": ")", "“": "”", "〔": "〕", "【": "】", "「": "」", "〈": "〉"}
_INTERNAL_END = re.compile(r"[。！？；;!?]")
_CLAUSE = re.compile(r"[，、,。；;：:]")
_BRACKET = re.compile("[" + re.escape("".join(_OPEN_CLOSE) + "".join(_OPEN_CLOSE.values())) + "]")
_CONT_PUNCT = "，、。；：,.;:）)》”’」』%％"  # a line starting with these continues the previous one
_CONT_CHARS = "等的之们者了着得"  # …and so does one starting with these particles
_TRAILING_CONT = "，、,（(《“‘〔【「—-－"
_HEADING_FINAL = (
    "建议", "提案", "情况", "措施", "问题", "意见", "工作", "做法", "成效", "举措", "方面", "思路", "打算",
    "机制", "体系", "建设", "发展", "保障", "服务", "管理", "政策", "领导", "引领",
)  # fmt: skip
_TITLE_TAIL = re.compile(r".{0,24}(?:函|答复|复函|答复意见|的意见)")
_LONG = 12  # a fragment that already holds a full stop is body text, never a heading
_SHORT_HEADING = 25
_HEAD = 8  # non-space characters: outline markers and meta openings (（联系单位…) are shorter
_TAIL = 8  # characters: the longest ending asked about (_HEADING_FINAL, 函/答复) is shorter
_SMALL = 40  # non-space characters: no longer text fully matches DATE_LINE, DOC_NUMBER, SALUTATION, BUREAU_LINE

# ---- markdown ---------------------------------------------------------------------------------------
_MD_RULE = re.compile(r"\s{0,3}(?:[-*_]\s*){3,}")
_MD_HEADING_OPEN = re.compile(r"\s{0,3}#{1,6}\s+")  # the rest: see _md_heading
_MD_BULLET = re.compile(r"\s{0,3}(?:>\s*)+|\s{0,3}[-*+]\s+")
_MD_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_MD_RUN_IN = re.compile(r"\*\*(.+?)\*\*\s*(.+)")

# ---- PDF spaces around numbers ----------------------------------------------------------------------
_CJK = "\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff5e\u2018\u2019\u201c\u201d\u2014\u2026"
_NUM = r"\d+(?:[.,:：×xX\-–—~～/]\d+)*(?:[A-Za-z]{1,3}|%|％|‰)?"
_PDF_NUM_SPACE = re.compile(rf"(?:(?<=[{_CJK}])|^)[ \u00a0\u3000]*({_NUM})[ \u00a0\u3000]*(?=[{_CJK}])")
_EDGE = " \t\r\n\f\v\u00a0\u3000\ufeff\u200b\u200c\u200d\u2028\u2029"

_BREAK = None  # a hard break (markdown rule or heading): never join across it


def clean_text(text: str, fmt: str, *, extra_chrome: Iterable[re.Pattern[str]] = ()) -> list[str]:
    """The letter's logical lines, in order, stripped, without blanks, chrome or markdown syntax."""
    chrome = (_CHROME_ANY, *extra_chrome)
    raw: list[str | None] = []
    for line in text.splitlines():
        raw.extend(_markdown_line(line) if fmt == "md" else [line])
    stripped = [None if ln is None else ln.strip(_EDGE) for ln in raw]
    kept = _drop_chrome([ln for ln in stripped if ln != ""], chrome)
    width = _line_width(kept) if fmt == "pdf" else 0
    joined: list[_Para] = []
    can_join = False
    for line in kept:
        if line is _BREAK:
            can_join = False
            continue
        if can_join and joined and joined[-1].joins(line, width):
            joined[-1].append(line)
        else:
            joined.append(_Para(line))
        can_join = True
    return [_fix_number_spaces(p.text()) for p in joined]


def _markdown_line(line: str) -> list[str | None]:
    """One markdown source line → letter lines; drops syntax, keeps every character of the text."""
    if _MD_RULE.fullmatch(line):
        return [_BREAK]
    heading = _md_heading(line)
    if heading is not None:
        return [_BREAK, _unbold(heading), _BREAK]
    line = _MD_BULLET.sub("", line, count=1) if _MD_BULLET.match(line) else line
    run_in = _MD_RUN_IN.fullmatch(line.strip())
    # "**二、加大资金支持力度。**持续开展…": a bold numbered heading run into its body becomes two lines;
    # a bold "一是…。" lead-in is not an outline heading and stays in its paragraph
    if run_in and outline_level(run_in.group(1)) and "**" not in run_in.group(1):
        return [_BREAK, run_in.group(1), _BREAK, _unbold(run_in.group(2))]
    return [_unbold(line)]


def _md_heading(line: str) -> str | None:
    r"""The text of an ATX heading line ("## 标题 ##" → "标题"), else None.

    Written out because the regex `\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*` backtracks through a run of
    spaces once per character of it (cubic). Same result: the lazy group is the rest without trailing
    whitespace and without one closing run of # that whitespace separates from the text."""
    m = _MD_HEADING_OPEN.match(line)
    if m is None:
        return None
    text = line[m.end() :].rstrip()
    body = text.rstrip("#")
    return body.rstrip() if body != text and body[-1:].isspace() else text


def _unbold(line: str) -> str:
    return _MD_BOLD.sub(lambda m: m.group(1) or m.group(2), line)


def _drop_chrome(lines: list[str | None], chrome: Sequence[re.Pattern[str]]) -> list[str | None]:
    is_chrome = [ln is not None and any(p.fullmatch(ln) for p in chrome) for ln in lines]
    texts = [i for i, ln in enumerate(lines) if ln is not None]
    for k, i in enumerate(texts[1:-1], start=1):
        line = lines[i]
        assert line is not None
        if (
            is_chrome[texts[k - 1]]
            and is_chrome[texts[k + 1]]
            and len(line) <= _SANDWICH_MAX
            and not re.search(r"关于|函|答复|号", line)
        ):
            is_chrome[i] = True
    return [ln for ln, c in zip(lines, is_chrome, strict=True) if not c]


def _line_width(lines: Sequence[str | None]) -> int:
    """Typical full line length of a PDF text layer (its 90th percentile)."""
    sizes = sorted(len(squash(ln)) for ln in lines if ln)
    return sizes[int(0.9 * (len(sizes) - 1))] if sizes else 0


def outline_level(line: str) -> int:
    """1 for 一、, 2 for （一）/(一), 3 for 1./1、/（1）; 0 when the line does not start with a marker."""
    for level, pat in ((1, L1_MARKER), (2, L2_MARKER), (3, L3_MARKER)):
        if pat.match(line):
            return level
    return 0


def ends_sentence(line: str) -> bool:
    core = line.rstrip(_CLOSERS)
    return bool(core) and core[-1] in SENTENCE_END


def is_meta_line(line: str) -> bool:
    """Header/closing lines that never continue a sentence: contact, 抄送, date, doc number, salutation…"""
    return bool(
        _META_START.match(line) or DATE_LINE.fullmatch(line) or DOC_NUMBER.fullmatch(line) or is_salutation(line)
    )


def contact_of(line: str) -> str | None:
    r"""The contact of a contact line ("（联系人：刘芳；电话：88301633）。" → "刘芳；电话：88301633"), else None.

    What the regex `…[：:]\s*(.+?)\s*[）)]?\s*[。.]?` (fullmatch) gives, cut by hand: the regex backtracks
    through a run of spaces once per character of it (a line with 10,000 spaces in it never ended). The
    lazy group is the rest after the colon and its spaces less its longest end of the form spaces, an
    optional ）/), spaces, an optional 。/., keeping at least one character (tests/ingest/test_fuzz.py
    checks it against the regex). `line` is one line (no line break)."""
    m = _CONTACT_OPEN.match(line)
    if m is None:
        return None
    start = len(line) - len(line[m.end() :].lstrip())
    rest = line[start:]
    if not rest:  # only spaces after the colon: the regex gives the last one back to the group
        return line[-1] if start > m.end() else None
    end = len(rest)
    end -= rest[end - 1] in "。."
    while end and rest[end - 1].isspace():
        end -= 1
    end -= end > 0 and rest[end - 1] in "）)"
    while end and rest[end - 1].isspace():
        end -= 1
    return rest[: max(end, 1)]


def is_salutation(line: str) -> bool:
    return bool(SALUTATION.fullmatch(line)) and not re.search(r"答复|如下|现将|说明|附件", line)


def unbalanced(line: str) -> bool:
    return any(line.count(o) > line.count(c) for o, c in _OPEN_CLOSE.items())


def should_join(prev: str, nxt: str, width: int = 0) -> bool:
    """Is `nxt` the rest of a sentence that a page or line break cut off at the end of `prev`?"""
    return _Para(prev).joins(nxt, width)


class _Para:
    """A paragraph being joined from lines, with what `joins` asks about it kept up to date line by line.

    Asking the joined text itself re-scans (and re-concatenates) the growing paragraph for every line:
    quadratic, minutes for a file of many short lines. Every fact here is exact for the joined text:
    counts and flags add up over the lines, the end is the last few characters, the outline marker and
    meta start sit in the first few, and the whole-line shapes (date, 文号, salutation, bureau) fit in
    _SMALL non-space characters, so they are only tried on a paragraph that short.
    """

    __slots__ = (
        "_core_end",
        "_depth",
        "_guanyu",
        "_head",
        "_head_size",
        "_internal_end",
        "_open",
        "_parts",
        "_size",
        "_tab",
        "_tail",
    )

    def __init__(self, line: str) -> None:
        self._parts: list[str] = []
        self._head = ""  # the text up to at least _HEAD non-space characters (or all of it)
        self._head_size = 0
        self._tail = ""  # the last _TAIL characters
        self._core_end = ""  # the last character that is not a closing bracket or quote ("" if none)
        self._size = 0  # len(squash(text))
        self._tab = False
        self._internal_end = False
        self._guanyu = False  # "关于" in text
        self._depth = dict.fromkeys(_OPEN_CLOSE, 0)  # opened minus closed, per bracket pair
        self._open = False  # unbalanced(text): some pair opened more often than closed
        self.append(line)

    def append(self, line: str) -> None:
        """Add `line` (stripped, non-empty), with a space only between two Latin/digit runs."""
        sep = _sep(self._tail, line) if self._parts else ""
        piece = sep + line
        self._parts.append(piece)
        size = len(squash(line))
        if self._head_size < _HEAD:
            self._head += piece
            self._head_size += size
        self._guanyu = self._guanyu or "关于" in piece or (self._tail[-1:] == "关" and piece[:1] == "于")
        self._tail = (self._tail + piece[-_TAIL:])[-_TAIL:]
        core = line.rstrip(_CLOSERS)
        self._core_end = core[-1] if core else self._core_end
        self._size += size
        self._tab = self._tab or "\t" in line
        self._internal_end = self._internal_end or bool(_INTERNAL_END.search(line))
        if _BRACKET.search(line):  # most lines have none: skip the 16 counts
            for o, c in _OPEN_CLOSE.items():
                self._depth[o] += line.count(o) - line.count(c)
            self._open = any(d > 0 for d in self._depth.values())

    def text(self) -> str:
        return "".join(self._parts)

    def _ends_sentence(self) -> bool:
        return self._core_end != "" and self._core_end in SENTENCE_END

    def _whole_line_shape(self) -> bool:
        """is_meta_line or BUREAU_LINE: the opening is in the head; a whole-line shape needs a short text."""
        if _META_START.match(self._head):
            return True
        if self._size > _SMALL:
            return False
        text = self.text()
        return is_meta_line(text) or bool(BUREAU_LINE.fullmatch(text))

    def joins(self, nxt: str, width: int = 0) -> bool:
        """Is `nxt` the rest of a sentence that a page or line break cut off at the end of this paragraph?"""
        if self._ends_sentence() or outline_level(nxt) or is_meta_line(nxt) or self._tab or "\t" in nxt:
            return False
        last = self._tail[-1]
        if self._open or last in _TRAILING_CONT or nxt[0] in _CONT_PUNCT:
            return True
        if nxt[0] in _CONT_CHARS or len(_CLAUSE.split(nxt, maxsplit=1)[0]) <= 1:
            return True  # "幸福" + "感,2021年…", "互联网医院" + "等与养老服务…"
        size = self._size
        if outline_level(self._head) and not self._internal_end:
            # a long numbered heading wrapped onto a short tail ("五、…为医养结合提供" + "支撑，…的建议")
            return size >= 20 and not self._tail.endswith(_HEADING_FINAL) and _heading_tail(nxt)
        if self._whole_line_shape() or self._tail.endswith(("函", "答复")):
            return False
        if self._guanyu and _TITLE_TAIL.fullmatch(nxt):
            return True  # a title split over lines: "关于…第317号" + "建议的答复函"
        if last.isdigit() and size >= 2:
            return True  # "为 282" + "户特困老人…"
        if width and size >= 0.85 * width:
            return True  # a full-width PDF line wraps into the next one
        return size >= _LONG and self._internal_end and not _heading_tail(nxt)


def _heading_tail(line: str) -> bool:
    return (
        len(squash(line)) <= _SHORT_HEADING
        and not _INTERNAL_END.search(line)
        and not ends_sentence(line)
        and not unbalanced(line)
    )


def _sep(a: str, b: str) -> str:
    # Chinese text has no spaces between words; keep one only between two Latin/digit runs
    return " " if a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalpha() else ""


def _fix_number_spaces(line: str) -> str:
    return _PDF_NUM_SPACE.sub(r"\1", line)


# A saved page's breadcrumb (当前位置:首页 - 政务公开 - 人大建议办理): the portal section the letter was published
# in. Chrome for the letter's text, kept beside it (kind "page") for staff asking "放在哪个栏目".
BREADCRUMB_LINE = re.compile(rf"(?:{_WHERE_ON_SITE})\s*[:：]\s*(.+)")


def breadcrumb_line(text: str) -> str | None:
    """The first breadcrumb line of `text`, stripped; None when there is none."""
    return _first_page_line(text, lambda line: bool(BREADCRUMB_LINE.fullmatch(line)))


def publication_line(text: str) -> str | None:
    """The first line of `text` that says when a portal published the page and that clean_text drops as
    chrome, stripped; None when there is none (a publication line that is not chrome stays in the letter)."""
    return _first_page_line(text, lambda line: bool(PUBLISHED_LINE.match(line) and _CHROME_ANY.fullmatch(line)))


def _first_page_line(text: str, fits: Callable[[str], bool]) -> str | None:
    """The first line of `text`, stripped, short enough for a page header and that `fits`; None if none."""
    for line in text.splitlines():
        line = line.strip(_EDGE)
        if len(line) <= _PUBLISHED_MAX and fits(line):
            return line
    return None
