"""Which letter has a trait of its own record: "五封里哪封是省一级的部门回的", "哪封函通篇没写落款日期", "哪封答复既没
留联系人也没留电话", "文号当中带个“政”字的是哪个区民政局", "哪封的抬头是好几位委员联名的". Staff compare the letters
they hold by their form; each trait is read off the record (`Metadata`) that ingest extracted, never guessed from
the text (`by_trait`), or off the letter's own field lines, read with `meta_answer` (`by_lines`: who signed it, whose
views it gathered, its page's read count). Pure: letters come through the `library` it is given.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from rag.answer.cite import cite_paragraph
from rag.answer.frame import MARKED_FIELD
from rag.answer.meta import meta_answer, raised_body
from rag.answer.scope import contact_person
from rag.core.places import speaking_level
from rag.core.records import Document, Metadata
from rag.core.text import squash

# the question picks one letter among those held: 哪封, 哪一份, 五封里…哪个局
_WHICH = re.compile(r"哪一?[封份件篇]|[几两三四五六七八九十\d]+[封份件篇](?:答复|回复|回函|函)?(?:里|中|当中)")
_LEVEL = re.compile(r"([省市区县])一?级")
_NOT = r"(?:没|没有|未|不)(?:写|留|给|署|标|注明?|提供|附)?(?:上|出|明)?了?"
# 没写联系人名字 · 既没留联系人也没留电话 · 通篇没写落款日期
_MISSING = re.compile(rf"{_NOT}[^，,？?。也]{{0,4}}?(联系人|电话|手机|联系方式|落款日期|落款|日期|签发人)")
_PHONE = re.compile(r"\d{7,12}")
# what it does give: "只给了个科室加电话", "写的是“联系单位及电话”"
_GIVEN = re.compile(r"(?<![没未不有])(?:给|留|写)了?[^，,？?。没]{0,10}?(?:电话|手机|联系方式)")
# the kind of proposal answered, by the body and level it was raised in: "回市人大代表建议的", "回的是区政协的提案"
_RAISED_IN = re.compile(r"([省市区县])(?:级)?(人大|政协)")
_FIELD_OF: dict[str, Callable[[Metadata], str]] = {
    "文号": lambda m: m.doc_number or "", "抬头": lambda m: m.addressee or "", "标题": lambda m: m.title or ""}
# a proposal signed by several: 联名, 好几位委员, 几位代表一起
_JOINT = re.compile(r"联名|(?:好几|多|几)位(?:委员|代表)")


# a contact line with a landline and a mobile number: "座机、手机都留了", "留了两个电话"
_BOTH_PHONES = re.compile(r"座机[^，,？?]{0,4}手机|手机[^，,？?]{0,4}座机|两个(?:电话|号码|联系电话)")
_LANDLINE = re.compile(r"(?<!\d)\d{7,8}(?!\d)|(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def _raised_in(m: Metadata) -> tuple[str | None, str]:
    """The level and body a proposal was raised in: 区政协二届七次会议第13号提案 → (区, 政协); 市十三届人大四次会议…
    → (市, 人大); 广东省十三届人大三次会议… → (省, 人大)."""
    proposal = m.proposal or ""
    level = re.search(r"[省市区县](?=[\u4e00-\u9fff]{0,2}(?:人大|政协|[一二三四五六七八九十]+届))", proposal)
    return (level.group(0) if level else speaking_level(m.bureau, proposal)), raised_body(m)


def _missing(field: str) -> Callable[[Metadata], bool]:
    if field == "联系人":
        return lambda m: not contact_person(m.contact or "")
    if field in ("电话", "手机", "联系方式"):
        return lambda m: not _PHONE.search(m.contact or "")
    if field == "签发人":
        return lambda m: True  # no record keeps a signer apart: only a trait that narrows with others
    return lambda m: not m.date  # 落款日期, 落款, 日期


def by_trait(question: str, catalog: Mapping[str, Metadata]) -> frozenset[str] | None:
    """The one letter whose record has every trait the question picks it by; None when the question picks no
    letter by a trait, or the traits fit none or several."""
    if not _WHICH.search(question):
        return None
    tests: list[Callable[[Metadata], bool]] = []
    if level := _LEVEL.search(question):
        tests.append(lambda m: speaking_level(m.bureau, m.proposal) == level.group(1))
    tests += [_missing(g.group(1)) for g in _MISSING.finditer(question)]
    if _GIVEN.search(question):
        tests.append(lambda m: bool(_PHONE.search(m.contact or "")))
    for field, mark in MARKED_FIELD.findall(question):
        tests.append(lambda m, f=field, x=mark: x in _FIELD_OF[f](m))
    if raised := _RAISED_IN.search(question):
        tests.append(lambda m: _raised_in(m) == (raised.group(1), raised.group(2)))
    if _JOINT.search(question):
        tests.append(lambda m: "等" in (m.addressee or ""))
    if _BOTH_PHONES.search(question):  # "座机、手机都留了": a landline and a mobile number
        tests.append(lambda m: bool(_LANDLINE.search(m.contact or "")) and bool(_MOBILE.search(m.contact or "")))
    if not tests:
        return None
    chosen = frozenset(d for d, m in catalog.items() if all(t(m) for t in tests))
    return chosen if len(chosen) == 1 else None


# traits only a letter's own lines state, not its record: who signed it ("赵斌正签发的那份"), whose views it
# gathered ("会办意见里带上了省残联的那封"), its portal page's read count ("阅读860次的那篇", "带阅读次数的那篇"), and
# what its date line says beside the date ("落款日期后面带了“印发”")
_SIGNED_BY = re.compile(r"([\u4e00-\u9fff]{2,3})签发的")
_CONSULTED = re.compile(r"(?:会办|综合|征求)[^，,？?]{0,6}?(?:带上了?|带了|有|含|包括)"
                        r"([\u4e00-\u9fff]{2,10}?)的?(?:意见)?的?(?=那|这)")
_READ = re.compile(r"阅读(\d+)次|(?:带|有|显示)了?阅读次数")
_CITES = re.compile(r"(?:引了|引用了?|援引了?|提到了?|写到了?|出现了?)\s*《([^《》]{2,40})》的?(?=是|那|这|，|,)")
_HEADING_HOLDS = re.compile(r"小标题[^，,？?“]{0,6}?(?:带|有|含|写着?|出现)[了个着]?[^“，,？?]{0,2}“([^”]{2,24})”")
_DATE_MARK = re.compile(r"(?:落款|日期)[^，,？?“]{0,6}?(?:带|有|写)了?[^“，,？?]{0,2}“([^”]{1,6})”")


def by_lines(question: str, doc_ids: Iterable[str], library: Callable[[str], Document | None]
             ) -> frozenset[str] | None:
    """The one letter whose own lines have every trait the question picks it by (signer, units consulted, read
    count, a mark on its date line), read from each letter only when the question names such a trait; None
    when it names none, or they fit none or several."""
    tests: list[Callable[[Document], bool]] = []
    if signed := _SIGNED_BY.search(question):
        tests.append(lambda d: _field(d, "signer") == signed.group(1))
    if consulted := _CONSULTED.search(question):
        tests.append(lambda d: consulted.group(1) in _field(d, "co_units"))
    if read := _READ.search(question):
        tests.append(lambda d: bool(views := _field(d, "views")) and read.group(1) in (None, views))
    if marked := _DATE_MARK.search(question):
        tests.append(lambda d: marked.group(1) in _field(d, "date"))
    if cites := _CITES.search(question):  # "正文里引了《广东省老年人权益保障条例》的": the letter whose text cites it
        tests.append(lambda d: cites.group(1) in squash(d.text))
    if heading := _HEADING_HOLDS.search(question):  # "哪封的小标题里出现了“…”这几个字": a heading of its body
        tests.append(lambda d: any(heading.group(1) in p.text for p in d.paragraphs if p.kind == "heading"))
    if not tests or not _WHICH_ONE.search(question):
        return None
    chosen = frozenset(i for i in doc_ids if (d := library(i)) is not None and all(t(d) for t in tests))
    return chosen if len(chosen) == 1 else None


# a letter pointed at as one among those held: 哪封, 那份答复, 那篇, 五封里
_WHICH_ONE = re.compile(rf"{_WHICH.pattern}|[那这][封份篇件]|哪(?:个|家)(?:单位|部门|局|厅)的?(?:答复|回复|函)")


def _field(doc: Document, field: str) -> str:
    found = meta_answer(field, doc, cite_paragraph)
    return found[1] if found else ""
