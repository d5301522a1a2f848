"""Which letters a question's references select: a filter, not a boost. A 文号, proposal number or legislator
that matches no letter is answered "资料中没有…的答复函" with the nearest numbers the corpus does hold. Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from rag.answer.frame import GIVEN_DATE, GIVEN_DAY, GIVEN_PHONE
from rag.answer.refs import DocRef, LetterRefs, describe_ref, parse_doc_refs
from rag.answer.wording import digits
from rag.core.numerals import cn_int
from rag.core.places import IN_WORD_BEFORE_LEVEL, above_own, admin_units, places_of, serves, speaking_level
from rag.core.records import Metadata, letter_name
from rag.core.text import squash


@dataclass(frozen=True)
class Scope:
    doc_ids: frozenset[str] | None  # None: the question names no letter; empty: it names one we do not have
    missing: str = ""  # what the question names that no letter matches, for the refusal


def select(refs: LetterRefs, catalog: Mapping[str, Metadata]) -> Scope:
    """The letters every reference of the question matches (a question naming two things about one letter
    narrows to it; naming two letters selects neither unless both match)."""
    if not refs:
        return Scope(None)
    chosen: set[str] | None = None
    missing = []
    for kind, v in refs.items():
        ids = {d for d, m in catalog.items() if _matches(kind, v, m)}
        if not ids:
            missing.append(describe_ref(kind, v))
            continue
        chosen = ids if chosen is None else chosen & ids
    if missing:
        return Scope(frozenset(), "、".join(missing))
    return Scope(frozenset(chosen or ()), "" if chosen else refs.describe())


def cited(refs: LetterRefs, catalog: Mapping[str, Metadata], texts: Iterable[tuple[str, str]]
          ) -> tuple[LetterRefs, tuple[DocRef, ...], frozenset[str]]:
    """文号 of the question that no letter has but that letters cite ("粤府办〔2014〕33号是个什么文件", cited by
    粤民函〔2020〕713号): what the question asks about, not a letter it points at. `texts` are (doc id, text) of
    passages that may cite them. Returns the references left, the cited 文号 and the letters citing all of them."""
    texts = list(texts)
    by: dict[DocRef, set[str]] = {}
    for r in refs.doc_numbers:
        if not any(r.matches(m.doc_number) for m in catalog.values()):
            by[r] = {d for d, t in texts if any(r.matches(x.text) for x in parse_doc_refs(squash(t)))}
    quoted = tuple(r for r, docs in by.items() if docs)
    if not quoted:
        return refs, (), frozenset()
    left = replace(refs, doc_numbers=tuple(r for r in refs.doc_numbers if r not in quoted))
    return left, quoted, frozenset(set.intersection(*(by[r] for r in quoted)))


def _matches(kind: str, value: DocRef | str, m: Metadata) -> bool:
    if isinstance(value, DocRef):
        return value.matches(m.doc_number)
    if kind in ("proposal", "serial"):
        where = " ".join(x for x in (m.proposal, m.title) if x)
        if re.search(rf"(?<!\d){value}号", where):
            return True
        # a bare number may also be the serial of the letter's own 文号 ("713号那份")
        return kind == "serial" and any(r.number == value for r in parse_doc_refs(m.doc_number or ""))
    return bool(m.addressee and m.addressee.startswith(str(value)))


def refusal_text(scope: Scope, catalog: Mapping[str, Metadata], refs: LetterRefs) -> str:
    """资料中没有文号为粤民函〔2020〕714号的答复函。资料中相近的有：粤民函〔2020〕713号（广东省民政厅）。"""
    text = f"资料中没有{scope.missing}的答复函。"
    near = nearest(refs, catalog)
    if near:
        text += "资料中相近的有：" + "；".join(near) + "。"
    return text


def nearest(refs: LetterRefs, catalog: Mapping[str, Metadata], n: int = 3) -> list[str]:
    """Letters whose 文号 shares the asked prefix or year (closest number first), else those of the same kind
    of reference, named as 文号（单位）."""
    scored = []
    for m in catalog.values():
        own = parse_doc_refs(m.doc_number or "")
        for r in refs.doc_numbers:
            for o in own:
                same = (o.prefix.endswith(r.prefix) or r.prefix.endswith(o.prefix), o.year == r.year)
                if any(same):
                    scored.append((-sum(same), abs(int(o.number) - int(r.number)), m))
        for p in (*refs.proposals, *refs.serials):
            if m.proposal and (g := re.search(r"第(\d+)号", m.proposal)):
                scored.append((0, abs(int(g.group(1)) - int(p)), m))
    scored.sort(key=lambda s: (s[0], s[1]))
    out: list[str] = []
    for _, _, m in scored:
        label = f"{m.doc_number or ''}（{letter_name(m.bureau, m.proposal)}）"
        if label not in out:
            out.append(label)
    return out[:n]


def with_roles(question: str, names: tuple[str, ...], catalog: Mapping[str, Metadata]) -> str:
    """The question with each legislator named bare given the role their letter addresses them by (肖石龙 →
    肖石龙代表, 杨兴全 → 杨兴全委员), so it reads as a reference to their letter."""
    for name in names:
        addressee = next((m.addressee for m in catalog.values() if m.addressee and m.addressee.startswith(name)), "")
        role = "委员" if addressee.endswith("委员") else "代表"
        question = re.sub(rf"{name}(?!等?(?:代表|委员))", name + role, question, count=1)
    return question


_SURNAME_ROLE = re.compile(r"(?:^|(?<=[^\u4e00-\u9fff]|[给回对和与及那这的]))([\u4e00-\u9fff])(代表|委员)")


def by_surname(question: str, catalog: Mapping[str, Metadata]) -> str:
    """"吴代表那个建议", "给舒委员的回复": staff call a legislator by surname and role. When one addressee of the
    corpus has that surname and role, the question names them in full (吴代表 → 吴克昌代表); else it is left."""
    if people_named(question, catalog):  # named in full already
        return question
    for m in _SURNAME_ROLE.finditer(question):
        surname, role = m.groups()
        full = {a for x in catalog.values() if (a := x.addressee) and a.startswith(surname) and a.endswith(role)}
        if len(full) == 1:
            return question[: m.start(1)] + full.pop() + question[m.end() :]
    return question


def people_named(question: str, catalog: Mapping[str, Metadata]) -> tuple[str, ...]:
    """Legislators of the corpus the question names without 代表/委员 ("回复吴克昌的那封函"): their letters' own
    addressees, so a name is never guessed from the text alone."""
    names = {re.sub(r"等?(?:代表|委员)$", "", m.addressee) for m in catalog.values() if m.addressee}
    return tuple(n for n in sorted(names) if len(n) >= 2 and n in question)


_MOBILE = re.compile(r"1[3-9]\d{9}")
_ONLY_PHONE = re.compile(r"(?P<mobile>只(?:留|写|给|有)了?手机|没(?:有)?(?:留|写|给)?座机|不是座机)"
                         r"|只(?:留|写|给|有)了?座机|没(?:有)?(?:留|写|给)?手机")


def by_record(question: str, catalog: Mapping[str, Metadata]) -> frozenset[str] | None:
    """The letters whose own record the question quotes: a phone number or contact person
    ("89985185这个电话是哪个局留的", "联系人写陈庆的那封函"), the signing date ("落款2019年7月2日的"), the meeting
    ("市政协九届二次会议上的那件提案") or the proposal's title ("《关于促进养老产业发展的建议》这个提案"). A value the
    letter states about itself points at it as a 文号 does (a filter); every value given must fit. None when the
    question quotes none, or no letter fits them all."""
    question = digits(question)  # "号码八八三零一六三三", "二〇二三年五月十一日印发的那封"
    if (counted := _years_from(question, catalog)) is not None:  # "落款年份比温州那封晚一年的": not 温州's own
        return counted
    tests = []
    if phones := set(GIVEN_PHONE.findall(question)):
        tests.append(lambda m: bool(m.contact and phones & set(re.findall(r"\d{7,12}", m.contact))))
    # "只留了手机号、没留座机的是哪一封": the kind of number its contact line gives (a mobile is 1 and ten digits)
    if kind := _ONLY_PHONE.search(question):
        mobile = bool(kind.group("mobile"))
        tests.append(lambda m: bool(numbers := re.findall(r"\d{7,12}", m.contact or "")) and all(
            bool(_MOBILE.fullmatch(n)) == mobile for n in numbers))
    if "联系人" in question and not _CONTACT_ASKED.search(question):  # (联系人是谁 asks it, names none)
        tests.append(lambda m: bool(m.contact and _names_contact(question, contact_person(m.contact))))
    if dates := {f"{y}-{int(mo):02d}-{int(d):02d}" for y, mo, d in GIVEN_DATE.findall(question)}:
        tests.append(lambda m: m.date in dates)
    elif days := {f"-{int(mo):02d}-{int(d):02d}" for mo, d in GIVEN_DAY.findall(question)}:  # 落款写7月27日那封
        tests.append(lambda m: bool(m.date) and any(m.date.endswith(x) for x in days))
    if re.search(r"抄(?:送|给|报)", question) and (units := {u for m in catalog.values() for u in m.copy_to
                                                           if len(u) >= 4 and squash(u) in squash(question)}):
        tests.append(lambda m: bool(units & set(m.copy_to)))  # "抄送名单里有市委市政府督查室的是哪一封"
    if sessions := {_session(g) for g in _SESSION.findall(question)}:
        tests.append(lambda m: any(x in _session(m.proposal or "") for x in sessions))
    if titles := {t for t in map(_bare_title, _QUOTED.findall(question)) if len(t) >= 6 and re.search(
            r"[\u4e00-\u9fff]", t)}:  # (not a quoted number: "有个号码“88301633”")
        tests.append(lambda m: _bare_title(m.proposal_title or "") in titles)
    if not tests:
        return None  # the question quotes no field: no need to read every letter's record
    chosen = frozenset(d for d, m in catalog.items() if all(t(m) for t in tests))
    return chosen or None


# "哪封是最新的", "最早的那封答复", "温州和咸阳的答复哪封更早", "年份最早的是哪一份": an order over the letters'
# dates; "提案编号数字最大的是哪封": over their proposal numbers. The order word must end its phrase (最早是哪一年
# asks a date of the content, 最新的数据 a figure)
_WHICH_LETTER = r"哪一?[封份件篇]|哪(?:个|家)(?:单位|部门|局|厅)的(?:答复|回复|回函|复函|函)"
# 第二早: the second earliest; not 更新, which is "update" (理念更新与政策创新的建议 names 广东's proposal)
_ORDER_WORD = r"(?:(?:最|第[二三四五2-5])(?:新|晚|近|迟|早|先|老)|更(?:晚|近|迟|早|先|老))"
_BY_DATE = re.compile(rf"{_ORDER_WORD}(?=的?(?:[那这]?一?[封份件篇]|答复|回复|回函|复函|函"
                      r"|是哪一?[封份件篇]|是哪(?:个|家)(?:单位|部门|局|厅)))"
                      rf"|(?:{_WHICH_LETTER})[^，,？?。]{{0,12}}?{_ORDER_WORD}(?=的?(?:[？?。，,]|$))")
_BY_NUMBER = re.compile(r"编号[^，,？?。]{0,6}?(最大|最小|最高|最低)|(最大|最小)的?(?:提案|建议)?编号")
_PROPOSAL_NO = re.compile(r"第\s*(\d+)\s*号")


# "落款年份比温州那封晚一年的", "文号年份刚好比恩阳那封晚一年": a year counted from another letter's
_YEARS_FROM = re.compile(r"年份?(?:刚好|正好|恰好)?比(?P<ref>[\u4e00-\u9fff]{2,6}?)(?:那|这)[封份件篇](?:的)?"
                         r"(?P<way>晚|早)(?P<n>[一两二三四五\d])年")


def _years_from(question: str, catalog: Mapping[str, Metadata]) -> frozenset[str] | None:
    """The letters of the year a question counts from another letter it names by place; None when it counts none,
    names no one letter, or no letter is of that year."""
    m = _YEARS_FROM.search(question)
    if m is None:
        return None
    ref = [m_ for m_ in catalog.values() if any(p in m.group("ref") for p in places_of(m_.bureau) if len(p) >= 2)]
    if len(ref) != 1 or not ref[0].written_year:
        return None
    step = cn_int(m.group("n"))
    year = ref[0].written_year + (step if m.group("way") == "晚" else -step)
    return frozenset(i for i, x in catalog.items() if x.written_year == year) or None


def by_order(question: str, catalog: Mapping[str, Metadata]) -> frozenset[str] | None:
    """The one letter a question picks by order: the newest or oldest (by its date, else its 文号's year), or the
    largest or smallest proposal number; among the letters of the places it names when it names some ("温州和
    咸阳的答复哪封更早"), else among all. None when it asks no order, or a tie leaves more than one."""
    nth = 1
    if d := _BY_DATE.search(question):
        word = re.search(_ORDER_WORD, d.group(0)).group(0)  # type: ignore[union-attr]
        latest = word[-1] in "新晚近迟"
        nth = 1 if word[0] != "第" else ("一二三四五".find(word[1]) + 1 or int(word[1]))
        key = {i: (m.written_year, m.date or "") for i, m in catalog.items() if m.written_year}
    elif n := _BY_NUMBER.search(question):
        latest = (n.group(1) or n.group(2)) in ("最大", "最高")
        key = {i: (int(g.group(1)), "") for i, m in catalog.items() if (g := _PROPOSAL_NO.search(m.proposal or ""))}
    else:
        return None
    named = {i for i in key if any(p in question for p in places_of(catalog[i].bureau) if len(p) >= 2)}
    pool = {i: k for i, k in key.items() if i in named} if named else key
    if len(pool) < 2:
        return None  # an order needs two letters to compare
    ranked = sorted(pool.values(), reverse=latest)
    if len(ranked) < nth:
        return None
    best = ranked[nth - 1]
    if any(k[1] == "" and k[0] == best[0] for k in pool.values()) and sum(k[0] == best[0] for k in pool.values()) > 1:
        return None  # a letter dated only by its 文号's year cannot be put before another of that year
    chosen = frozenset(i for i, k in pool.items() if k == best)
    return chosen if len(chosen) == 1 else None


# what a letter's record holds that a question may quote: its meeting (九届二次, 十三届人大三次) and the
# proposal's title, written in 《》 or “” (or bare in the record: 广东's title has no marks)
_SESSION = re.compile(r"[一二三四五六七八九十\d]+届(?:人大|政协)?[一二三四五六七八九十\d]+次")
_QUOTED = re.compile(r"《([^》]+)》|“([^”]+)”")


def _session(text: str) -> str:
    """十三届人大四次 and 十三届四次 are one session: the body is said by the bureau, often not by the asker."""
    return re.sub(r"人大|政协|\s", "", text)


def _bare_title(title: str | tuple[str, ...]) -> str:
    text = "".join(title) if isinstance(title, tuple) else title
    return squash(re.sub(r"[《》“”\"]", "", text))


_CONTACT_ASKED = re.compile(r"联系人(?:是|叫|为)?(?:谁|哪位|什么|啥|多少)")


def _names_contact(question: str, who: str) -> bool:
    return bool(who) and bool(re.search(rf"联系人\S{{0,4}}{who}|{who}\S{{0,4}}联系人", question))


def contact_person(contact: str) -> str:
    """陈庆；联系电话：… → 陈庆 (an office, "市民政局社会福利科 38990021", is no person)."""
    m = re.match(r"([\u4e00-\u9fff]{2,3})(?=[；;，,\s(（]|$)", contact)
    return m.group(1) if m and not re.search(r"[局科处室办厅]$", m.group(1)) else ""


# what points at a letter: "民政厅那个函", "2020年那份答复", "中山那份说…", "省民政厅的回复里"
_LETTER_NOUN = re.compile(r"[那这](?:一)?[份封篇件](?:答复函?|回复函?|回函|复函|函|文件)?"
                          r"|[那这]个(?:答复函?|回复函?|回函|复函|函)|(?:答复函|回复函|回函|复函|的答复|的回复|的函)")
_YEAR = re.compile(r"(20)?(\d{2})年")
_MONTH = re.compile(r"(?:落款|签发|印发|成文)[^，,、\d]{0,3}(\d{1,2})\s*月份?(?!\s*\d)")
_LEVEL = re.compile(r"([省市区县])一?级(?=[^，,]{0,2}(?:民政|局|厅))")


def described(question: str, catalog: Mapping[str, Metadata]) -> frozenset[str] | None:
    """The one letter a question describes by who wrote it or when ("民政厅那个函落款日期是哪天": the only 厅;
    "2020年那份答复": the only letter of 2020), or None when the description fits none or several. The words
    before the letter noun are matched against each bureau's names (中山, 中山市民政局, 区民政局, 民政厅…)."""
    m = _LETTER_NOUN.search(question)
    if not m:
        return None
    desc = re.split(r"[，,。？?！!；;]", question[: m.start()])[-1]
    if not desc:
        return None
    desc = _LEVEL.sub(r"\1", desc)  # "市一级民政局" is a 市民政局
    fits: dict[str, int] = {}
    for doc_id, meta in catalog.items():
        # its bureau's names, or its 文号 without the number ("粤民函那篇网页")
        names = [n for n in (*_names_of(meta.bureau), *(r.prefix for r in parse_doc_refs(meta.doc_number or "")
                                                          if len(r.prefix) >= 3)) if n in desc]
        if names:
            fits[doc_id] = max(map(len, names))
    chosen = {d for d, n in fits.items() if n == max(fits.values())} if fits else set(catalog)
    if y := _YEAR.search(desc):
        year = int("20" + y.group(2))
        chosen = {d for d in chosen if catalog[d].year == year
                  or any(int(r.year) == year for r in parse_doc_refs(catalog[d].doc_number or ""))}
    elif not fits:
        return None
    if mo := _MONTH.search(desc):  # "落款在7月份…的那封": signed that month
        chosen = {d for d in chosen if catalog[d].date and int(catalog[d].date[5:7]) == int(mo.group(1))}
    return frozenset(chosen) if len(chosen) == 1 else None


@lru_cache(maxsize=4096)  # read for every letter of the catalog per question; thousands of letters, few bureaus
def _names_of(bureau: str | None) -> tuple[str, ...]:
    """巴中市恩阳区民政局 → the bureau, its places (巴中市, 巴中, 恩阳区, 恩阳), its kind (民政局) and the kind at
    its level (区民政局)."""
    units = admin_units(bureau)
    if not bureau or not units:
        return (bureau,) if bureau else ()
    kind = bureau[bureau.rfind(units[-1]) + len(units[-1]):]
    level = units[-1][-1]  # 省, 市, 区: "省厅", "市局" are how staff say 省民政厅, 市民政局
    return (bureau, *places_of(bureau), *((kind, level + kind, level + kind[-1]) if len(kind) >= 2 else ()))


# a level said instead of a place: "省里…", "省厅那边", "区里的…", "市局": the bureau at that level (县级, 市级
# say what kind a thing is, not whose letter; 社区里, 城市里 are no level)
_LEVEL_SAID = re.compile(rf"(?<![全我本都{IN_WORD_BEFORE_LEVEL}])([省市区县])(?:里|上|厅|局|民政局|民政厅)(?![长委])")


def level_asked(question: str, places: tuple[str, ...] | list[str]) -> str | None:
    """The administrative level a question that names no place points at by its level word (省里 → 省)."""
    m = _LEVEL_SAID.search(question)
    return m.group(1) if m and not places else None


def at_level(bureau: str | None, level: str | None) -> bool:
    """A letter is the level's when its bureau speaks for a place of that level (广东省民政厅 for 省里)."""
    return level is None or speaking_level(bureau) == level


# words that point at a letter: a place before them names whose letter it is ("巴中那封答复里…"), not an area
_POINTS_AT_LETTER = re.compile(r"[那这该][封份]|答复|回复|回函|复函|来函|文号|提案|建议|的函")
_BEYOND = re.compile(r"(?:不光|不只|不仅|不止|不单|除了)(?:是|限于)?[\u4e00-\u9fff]{2,4}?(?:区|县|市)?"
                     r"(?=[）)，,。？?以外之]|$)")


def foreign_places(question: str, places: Iterable[str], bureau: str | None) -> list[str]:
    """The places the question names that the letter's bureau does not speak for: one it does not serve (东莞 for
    中山's letter), and one above its own area asked without that area (巴中 for 巴中市恩阳区民政局: a district's
    figures are not the city's), unless the place only says whose letter it is."""
    places = list(places)
    out = [p for p in places if not serves(bureau, p)]
    # "巴中全市（不光恩阳）": a place named only to be gone beyond is not the area asked
    said = _BEYOND.sub("", question)
    return out + ([] if _POINTS_AT_LETTER.search(question) else above_own(bureau, [p for p in places if p in said]))


def whole_not_stated(question: str, places: Iterable[str], bureau: str | None) -> str:
    """Why a district's letter does not answer for the city above it, said to the user: "巴中市恩阳区民政局的答复写
    的是恩阳区的情况，没有写巴中全市的数字。"; "" when the question asks no such whole."""
    above = [p for p in foreign_places(question, places, bureau) if p in places_of(bureau)]
    units = admin_units(bureau)
    whole = next((u for u in units[:-1] for p in above if p in u), "")
    if not whole:
        return ""
    return f"{bureau}的答复写的是{units[-1]}的情况，没有写{whole}全{whole[-1]}的数字。"
