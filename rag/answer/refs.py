"""How a question points at a letter: a 文号 (温民提〔2019〕70号, typed loosely as 温民提2019第70号, 咸民函38号, in
Chinese numerals or other brackets), a proposal number with or without its meeting (第317号建议, 二届七次会议13号
提案) or the legislator it answers (肖石龙代表). Each is found with the span it takes in the question, so the
reader can cut it out of what the answerer reads. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.core import pos
from rag.core.numerals import NUMERAL_CHARS, cn_int

_CJK = "\u4e00-\u9fff"
# 温民提〔2019〕70号 · 粤民函[2020]713号 · 温民提2019第70号 · 咸民函2023年38号 · 温民提2019-70号 · 咸民函23年38号 ·
# 温民提-2019-70号 · 咸民函(23)38号 · 粤民函2020年度第713号
DOC_REF = re.compile(
    rf"([{_CJK}]{{1,8}}?)\s*[-－—/·.]?\s*[〔\[［(（【﹝]?\s*((?:19|20)\d\d|\d\d(?=\s*年)|(?<=[〔\[［(（【﹝])\d\d(?=[〕\]］)）】﹞]))"
    r"\s*[〕\]］)）】﹞]?\s*(?:年度?|[-－—/·.])?\s*第?\s*"
    r"(\d{1,5})\s*(?:号|(?=(?:那|这)[份封个件]))"  # "温民提2019年70那份": 号 left out before what points
)
# a 文号 typed without its year: an abbreviation ending in what kind of document it is (函, 提, 发…)
_DOC_REF_NO_YEAR = re.compile(rf"([{_CJK}]{{1,6}}?(?:函|提|发|办|字))\s*第?\s*(\d{{1,5}})\s*号"
                              r"(?!\s*(?:代表|委员|建议|提案|议案))")
# a 文号 typed as its serial and the kind of document only: "省厅713号函", "40号文"
_SERIAL_ONLY = re.compile(r"(?<![\d.])(\d{1,5})\s*号\s*(?:复函|回函|答复函|函|文)(?!件)")
# a bare number and what points at its letter: "1146号那份", "713号那份答复", "403号回复里"
_BARE_SERIAL = re.compile(r"(?<![\d.第])(\d{2,7})\s*号\s*(?=[那这该][份封篇]|(?:答复|回复|回函|复函)(?!单位))")
# 第317号建议 · 131058号提案 · 提案第131058号 · 第1146号代表建议 · 403号提案
PROPOSAL_REF = re.compile(
    # ("317号人大建议", "403号政协提案": the body a proposal is raised in, between its number and its kind)
    r"(?:提案|建议|议案)\s*第?\s*(\d{1,7})\s*号|第?\s*(\d{1,7})\s*号\s*(?:人大|政协)?\s*(?:代表|委员)?\s*"
    r"(?:建议|提案|议案)"
    r"|第?\s*(\d{3,7})\s*号?\s*(?=[那这]条|[那这]件)"  # "1146号那条", "131058那件": a 建议 is counted in 条 and 件
    r"|(?<=[那这]件)\s*第?\s*(\d{3,7})\s*号"  # "他们那件131058号": the same, counted first
    r"|编号(?:为|是)?\s*(\d{3,7})\s*号?的?(?:提案|建议|议案)"  # 编号131058的提案
    # "131058提案答复里": 号 left out
    r"|(?<![\d.])(\d{3,7})\s*(?:人大|政协)?\s*(?:代表|委员)?\s*(?=(?:提案|建议|议案))"
    r"|(?:提案|建议|议案)\s*[（(]\s*第?\s*(\d{1,7})\s*号\s*[）)]"  # "…的建议（317号）": a title and its number
    # "提案号403那封回复", "案号131058那件", "提案编号：131058"
    r"|(?:提案|建议|议案|案)(?:号|编号)\s*(?:是|为|[：:])?\s*(\d{1,7})(?!\d)"
    r"|(?:提案|建议|议案)\s*(\d{3,7})(?!\d)(?=\s*(?:[那这该][份封篇件条]|的?(?:答复|回复)))"  # "建议317那份答复"
)
_ROLE = re.compile(r"代表|委员")  # 肖石龙代表 · 杨兴全等委员 · 舒瑜委员
_NOT_NAMES = frozenset(("人大", "政协", "两", "各位", "一委", "全体", "有关", "市人大", "区人大", "省人大", "大会"))


@dataclass(frozen=True)
class DocRef:
    """A 文号 as typed: its prefix (温民提), year and number; compared without brackets or spaces."""

    prefix: str
    year: str
    number: str

    @property
    def text(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.number}号" if self.year else f"{self.prefix}{self.number}号"

    def matches(self, doc_number: str | None) -> bool:
        ref = parse_doc_refs(doc_number or "")
        return any(r.year == (self.year or r.year) and r.number == self.number and
                   (r.prefix.endswith(self.prefix) or self.prefix.endswith(r.prefix)) for r in ref)


@dataclass(frozen=True)
class LetterRefs:
    """What in a question points at a letter. Empty: the question names no letter."""

    doc_numbers: tuple[DocRef, ...] = ()
    proposals: tuple[str, ...] = ()  # proposal / suggestion numbers: "317"
    people: tuple[str, ...] = ()  # legislators' names: "舒瑜"
    # a bare number pointing at a letter ("1146号那份", "713号那份答复"): a proposal's number or a 文号's serial
    serials: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.doc_numbers or self.proposals or self.people or self.serials)

    def items(self) -> list[tuple[str, DocRef | str]]:
        return ([("doc", d) for d in self.doc_numbers] + [("proposal", p) for p in self.proposals]
                + [("person", p) for p in self.people] + [("serial", n) for n in self.serials])

    def describe(self) -> str:
        return "、".join(describe_ref(kind, v) for kind, v in self.items())


def describe_ref(kind: str, value: DocRef | str) -> str:
    """How a refusal names what was asked for: 文号为粤民函〔2020〕714号 / 第999号建议或提案 / 张伟代表或委员."""
    if isinstance(value, DocRef):
        return f"文号为{value.text}"
    if kind == "serial":
        return f"编号为{value}号"
    return f"第{value}号建议或提案" if kind == "proposal" else f"{value}代表或委员"


def parse_doc_refs(text: str) -> list[DocRef]:
    return [_doc_ref(m.group(1), m.group(2), m.group(3)) for m in DOC_REF.finditer(text)]


def _doc_ref(prefix: str, year: str, number: str) -> DocRef:
    bare = re.sub(r"^(?:帮我|帮忙|麻烦)?(?:查一?下|查查|看一?下|找一?下|问一?下)?"
                  r"(?:根据|按照|依据|关于|在|看|查|请问|那个|这个|那份|这份)?", "", prefix)
    # 23年: as staff write 2023; 03号, 038号: a number typed with leading zeros is that number
    return DocRef(bare or prefix, "20" + year if len(year) == 2 else year, number.lstrip("0") or number)


def _people(q: str) -> list[tuple[str, int, int]]:
    """Legislators named before 代表/委员: the longest 2–3 characters before it that jieba reads as a person's
    name (肖石龙 = 肖|石龙, both nr), so "两代表一委员" or "人大代表" are not people."""
    found = []
    for m in _ROLE.finditer(q):
        end = m.start() - (1 if q[: m.start()].endswith("等") else 0)
        for size in (3, 2):
            name = q[max(0, end - size) : end]
            if len(name) < size or not re.fullmatch(rf"[{_CJK}]+", name) or name in _NOT_NAMES:
                continue
            tags = list(pos.cut(name))
            if all(t.flag.startswith("nr") for t in tags):
                found.append((name, end - size, m.end()))
                break
    return found


# full-width digits and Latin letters (粤民函２０２０年７１３号) as the letters write them
_FULL_WIDTH = {c: c - 0xFEE0 for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}


# the meeting a proposal was made at, right before its number: "市政协九届二次会议", "十三届人大三次会议上"
_MEETING_BEFORE = re.compile(r"(?:[\u4e00-\u9fff]{0,4}?(?:政协|人大)|[省市区县])?"
                             r"[一二三四五六七八九十\d]+届(?:人大|政协)?"
                             r"(?:[一二三四五六七八九十\d]+次)?(?:会议|大会|全会)?上?(?:的|第)?\s*$")
# a proposal's title, as the letters quote it: 《关于促进养老产业发展的建议》
PROPOSAL_TITLE = re.compile(r"《(关于[^《》]{2,60}?(?:建议|提案|议案))》")
_OPEN, _CLOSE = re.escape("〔[［(（【〖｛{"), re.escape("〕]］)）】〗｝}")
_YEAR = r"(?:19|20)\d\d|[〇零一二三四五六七八九]{4}"
# how staff type a 文号 besides the way the letters print it: 〔二〇一九〕七十号, 〖2020〗, 〔2021〕叁号 (大写),
# 咸民函2023〔38〕号 (the year outside the brackets), 咸民函二〇二三年三十八号
_TYPED_REF = re.compile(rf"(?P<y>[{_OPEN}]\s*(?:{_YEAR})\s*[{_CLOSE}])\s*第?\s*(?P<n>[{NUMERAL_CHARS}\d]{{1,6}})\s*号"
                        rf"|(?<=[{_CJK}])(?P<y2>{_YEAR})\s*[{_OPEN}]\s*(?P<n2>\d{{1,5}})\s*[{_CLOSE}]\s*号"
                        rf"|(?<=[函提发办字])\s*(?P<y3>{_YEAR})\s*年\s*第?\s*(?P<n3>[{NUMERAL_CHARS}\d]{{1,6}})\s*号")


def _canonical_ref(m: re.Match[str]) -> str:
    year = re.sub(r"\s|[^\d〇零一二三四五六七八九]", "", m.group("y") or m.group("y2") or m.group("y3"))
    number = m.group("n") or m.group("n2") or m.group("n3")
    try:
        return f"〔{cn_int(year)}〕{cn_int(number)}号"
    except ValueError:
        return m.group(0)


# number signs typed for 号 ("〔2022〕№40", "131058#提案", "2023 No.38"), and a 文号 typed year first
# ("2020年713号粤民函")
_NUMBER_SIGN = re.compile(r"(?:[№#＃]|(?<![A-Za-z])[Nn][Oo]\.?)\s*(\d{1,7})(?!\d)|(?<![\d.])(\d{1,7})\s*[#＃№]")
# a 文号 typed in pieces, its prefix, year and serial set apart by commas: "恩民政函，21年的，3号那个"
_IN_PIECES = re.compile(r"(?<=[函提发办字])\s*[，,、]\s*((?:19|20)?\d\d)\s*年(?:的)?\s*[，,、]?\s*第?\s*(\d{1,5})\s*号")
_YEAR_FIRST = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年\s*第?\s*(\d{1,5})\s*号\s*(?!代表|委员|建议|提案|议案)"
                         r"((?:(?![是谁的了吗呢])[\u4e00-\u9fff]){1,5}?(?:函|提|发|办|字))")


# a 文号 copied with spaces between its characters (from a PDF): "粤 民 函〔2020〕7 1 3 号"
_SPACED_REF = re.compile(rf"[{_CJK}](?:\s*[{_CJK}]){{1,6}}\s*[{_OPEN}]\s*(?:\d\s*){{4}}[{_CLOSE}]\s*(?:\d\s*){{1,5}}号")


def typed_refs(q: str) -> str:
    """A question with each 文号 written the way the letters print it: 〔2019〕70号."""
    q = _SPACED_REF.sub(lambda m: re.sub(r"\s+", "", m.group(0)), q)  # "粤 民 函〔2020〕7 1 3 号" (from a PDF)
    q = _NUMBER_SIGN.sub(lambda m: f"{m.group(1) or m.group(2)}号", q)
    q = _IN_PIECES.sub(lambda m: f"〔{m.group(1) if len(m.group(1)) == 4 else '20' + m.group(1)}〕{m.group(2)}号", q)
    q = _YEAR_FIRST.sub(lambda m: f"{m.group(3)}〔{m.group(1)}〕{m.group(2)}号", q)
    return _TYPED_REF.sub(_canonical_ref, q)


def _taken(at: int, spans: list[tuple[int, int]]) -> bool:
    """A reference found already covers position `at`."""
    return any(a <= at < b for a, b in spans)


def find_refs(question: str) -> tuple[str, LetterRefs, list[tuple[int, int]]]:
    """The question as read (full-width digits and 文号 as the letters print them), the letter references in it,
    and the spans they take."""
    q = typed_refs(question.strip().translate(_FULL_WIDTH))
    spans: list[tuple[int, int]] = []
    docs = []
    for m in DOC_REF.finditer(q):
        docs.append(_doc_ref(m.group(1), m.group(2), m.group(3)))
        spans.append(m.span())
    for m in _DOC_REF_NO_YEAR.finditer(q):  # "咸民函38号": staff leave the year out
        if not _taken(m.start(), spans):
            docs.append(_doc_ref(m.group(1), "", m.group(2)))
            spans.append(m.span())
    for m in _SERIAL_ONLY.finditer(q):  # "省厅713号函": the serial and the kind of document, no prefix
        if not _taken(m.start(), spans):
            docs.append(DocRef("", "", m.group(1).lstrip("0") or m.group(1)))
            spans.append(m.span())
    proposals = []
    for m in PROPOSAL_REF.finditer(q):
        proposals.append(next(g for g in m.groups() if g))
        meeting = _MEETING_BEFORE.search(q[: m.start()])  # "二届七次会议13号提案": the meeting is part of its name
        spans.append((meeting.start() if meeting else m.start(), m.end()))
    serials = []
    for m in _BARE_SERIAL.finditer(q):
        if not _taken(m.start(), spans):
            serials.append(m.group(1).lstrip("0") or m.group(1))
            spans.append(m.span())
    people = []
    for name, a, b in _people(q):
        if not _taken(a, spans):
            people.append(name)
            spans.append((a, b))
    refs = LetterRefs(tuple(dict.fromkeys(docs)), tuple(dict.fromkeys(proposals)), tuple(dict.fromkeys(people)),
                      tuple(dict.fromkeys(serials)))
    return q, refs, spans
