"""Reading a question into a frame: what it asks, about what, and which letter it points at.

Staff name letters the way the letters name themselves: a 文号 (温民提〔2019〕70号, also typed loosely as
温民提2019第70号), a proposal number (第317号建议, 131058号提案) or the legislator it answers (肖石龙代表,
舒瑜委员). Those references select a letter; they are not words to match, so they are cut out of the text
the answerer reads (a "70" in 70号 is not a number the answer must contain). A question about the letter
itself (who answered, its 文号, date, contact…) is told apart from one about its content. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from rag.core import pos

_CJK = "\u4e00-\u9fff"
# 温民提〔2019〕70号 · 粤民函[2020]713号 · 温民提2019第70号 · 咸民函2023年38号 · 温民提2019-70号
DOC_REF = re.compile(
    rf"([{_CJK}]{{1,8}}?)\s*[〔\[［(（【]?\s*((?:19|20)\d\d)\s*[〕\]］)）】]?\s*(?:年|[-－—/·.])?\s*第?\s*(\d{{1,5}})\s*号"
)
# a 文号 typed without its year: an abbreviation ending in what kind of document it is (函, 提, 发…)
_DOC_REF_NO_YEAR = re.compile(rf"([{_CJK}]{{1,6}}?(?:函|提|发|办|字))\s*第?\s*(\d{{1,5}})\s*号"
                              r"(?!\s*(?:代表|委员|建议|提案|议案))")
# 第317号建议 · 131058号提案 · 提案第131058号 · 第1146号代表建议 · 403号提案
PROPOSAL_REF = re.compile(
    r"(?:提案|建议|议案)\s*第\s*(\d{1,7})\s*号|第?\s*(\d{1,7})\s*号\s*(?:代表|委员)?\s*(?:建议|提案|议案)"
    r"|第?\s*(\d{3,7})\s*号\s*(?=[那这]条|[那这]件)"  # "1146号那条": a 建议 is counted in 条 and 件
    r"|编号(?:为|是)?\s*(\d{3,7})\s*号?的?(?:提案|建议|议案)"  # 编号131058的提案
)
_ROLE = re.compile(r"代表|委员")  # 肖石龙代表 · 杨兴全等委员 · 舒瑜委员
_NOT_NAMES = frozenset(("人大", "政协", "两", "各位", "一委", "全体", "有关", "市人大", "区人大", "省人大", "大会"))
_LETTER_WORDS = re.compile(r"答复|回复|复函|回函|答复函|这封|那封|该函|这份|那份|[这那]个函|[这那]篇|的函|来函|函件"
                           r"|[这那][个条件份](?:建议|提案|议案)|落款|抄送|签发")
_DOC_WORDS = re.compile(r"政策|文件|意见|办法|通知|方案|规划|规定|条例|计划")

_PUB = r"发布|公布|挂网|挂(?:到|在|上)?(?:官方?)?网|上网|放(?:到|在)网|网上公开|在网上|到网上|官网|网站上"
_WHEN = r"时间|日期|哪天|哪一天|哪日|什么时候|何时|几月几[号日]|几号|几点|时刻"
_PUBLISHED = re.compile(rf"(?:{_PUB}).*?(?:{_WHEN})|(?:{_WHEN}).*?(?:{_PUB})")
# which field of the letter a question asks for; the first pattern that matches wins
_META: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("letter", re.compile(r"哪封|哪一封|哪个答复函|出自哪|哪份(?:答复|函)|(?:哪个|哪份)文件(?:说的|里的|里|上的)")),
    ("copy_to", re.compile(r"抄送")),
    ("signer", re.compile(r"签发人|谁签发|签发的是谁|签的字|签字|签批|哪(?:个|位)领导")),
    ("publicity", re.compile(r"公开方式|公开属性|是否公开|怎么公开|公开了吗|公开没|有没有公开|能不能公开")),
    ("published", _PUBLISHED),  # when a portal put it online, not when it was signed (落款/印发 stay "date")
    ("co_units", re.compile(r"(?:综合|汇总)了?(?:哪些|哪几|什么)|会办单位|协办单位|会同(?:了)?哪|征求了?哪"
                            r"|(?:哪些|哪几家?|哪几个)[\u4e00-\u9fff]{0,4}?的?意见")),  # 哪些厅局的意见
    ("contact", re.compile(r"联系人|找谁联系|联系谁|有事找谁|(?:打电话|电话)找(?:谁|哪)|找哪个(?:科|处)|哪个科室")),
    ("phone", re.compile(r"(?:联系|咨询)?电话|联系方式|号码")),
    ("meeting", re.compile(r"哪次(?:会议|人代会|大会|会上)|哪一?届|几届几次|什么会议|哪次.{0,6}会")),
    ("addressee", re.compile(r"(?:代表|委员)(?:的名字|叫什么|叫啥|姓什么|是谁)|(?:提|写)[^，,]{0,8}的人叫什么名字")),
    ("proposal_title", re.compile(r"关于什么|什么的(?:提案|建议|议案)|(?:标题|题目|名称)"
                                  r"|(?:提案|建议|议案)(?:名字)?叫(?:什么|啥)"
                                  r"|提的(?:是)?(?:什么|啥)|(?:什么|啥)(?:内容的)?(?:提案|建议)")),
    ("proposal_number", re.compile(r"第?(?<!月)几号|编号|提案号|建议号|多少号")),  # not 几月几号, a date
    ("addressee", re.compile(r"哪(?:个|位|一位|几位|些)(?:代表|委员)|谁提的|谁提出|提出人|提案人|答复给谁|给谁的|致谁"
                             r"|答复谁|谁的(?:提案|建议)")),
    ("date", re.compile(r"哪天|哪一天|什么时候|何时|日期|几月几[号日]|落款|印发|成文|哪年|几号发|几号"
                        r"|(?:什么|哪个|的|发文|答复)时间(?!银行)")),  # not the 时间银行 programme
    ("doc_number", re.compile(r"文号|发文字号|字号")),
    ("bureau", re.compile(r"哪个(?:单位|部门|机关|局|厅)|哪家(?:单位|部门)|什么(?:单位|部门)|谁(?:答复|回复|发|办|写)"
                          r"|由谁|哪个.{0,3}(?:答复|发)的|答复单位|发函单位|主办单位|承办单位")),
)


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

    def __bool__(self) -> bool:
        return bool(self.doc_numbers or self.proposals or self.people)

    def items(self) -> list[tuple[str, DocRef | str]]:
        return ([("doc", d) for d in self.doc_numbers] + [("proposal", p) for p in self.proposals]
                + [("person", p) for p in self.people])

    def describe(self) -> str:
        return "、".join(describe_ref(kind, v) for kind, v in self.items())


def describe_ref(kind: str, value: DocRef | str) -> str:
    """How a refusal names what was asked for: 文号为粤民函〔2020〕714号 / 第999号建议或提案 / 张伟代表或委员."""
    if isinstance(value, DocRef):
        return f"文号为{value.text}"
    return f"第{value}号建议或提案" if kind == "proposal" else f"{value}代表或委员"


@dataclass(frozen=True)
class Frame:
    text: str  # the question as it will be answered (a follow-up already resolved)
    content: str  # the text without its letter references: what retrieval and the answerer read
    refs: LetterRefs = field(default_factory=LetterRefs)
    meta: str | None = None  # the letter's own field asked for (bureau, date, contact…), else None
    points_back: bool = False  # "这封答复…", "这是哪封函…": about the letter of the previous answer


def parse_doc_refs(text: str) -> list[DocRef]:
    return [_doc_ref(m.group(1), m.group(2), m.group(3)) for m in DOC_REF.finditer(text)]


def _doc_ref(prefix: str, year: str, number: str) -> DocRef:
    bare = re.sub(r"^(?:帮我|帮忙|麻烦)?(?:查一?下|查查|看一?下|找一?下|问一?下)?"
                  r"(?:根据|按照|依据|关于|在|看|查|请问|那个|这个|那份|这份)?", "", prefix)
    return DocRef(bare or prefix, year, number)


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


def read(question: str) -> Frame:
    """The frame of one question (no conversation: see rag.answer.conversation)."""
    q = question.strip()
    spans: list[tuple[int, int]] = []
    docs = []
    for m in DOC_REF.finditer(q):
        docs.extend(parse_doc_refs(m.group(0)))
        spans.append(m.span())
    for m in _DOC_REF_NO_YEAR.finditer(q):  # "咸民函38号": staff leave the year out
        if not any(a <= m.start() < b for a, b in spans):
            docs.append(_doc_ref(m.group(1), "", m.group(2)))
            spans.append(m.span())
    proposals = []
    for m in PROPOSAL_REF.finditer(q):
        proposals.append(m.group(1) or m.group(2) or m.group(3) or m.group(4))
        spans.append(m.span())
    people = []
    for name, a, b in _people(q):
        if not any(s <= a < e for s, e in spans):
            people.append(name)
            spans.append((a, b))
    content = q
    for a, b in sorted(spans, reverse=True):
        content = content[:a] + " " + content[b:]
    content = normalise(re.sub(r"\s+", " ", content).strip(" ，,：:"))
    head, comma, rest = content.partition("，")
    if comma and rest and spans and _only_points(head):
        content = rest  # "给温蓉委员回的那封里，…": the first clause only says where to look
    refs = LetterRefs(tuple(dict.fromkeys(docs)), tuple(dict.fromkeys(proposals)), tuple(dict.fromkeys(people)))
    return Frame(q, content or q, refs, _meta_field(normalise(q), content, bool(refs)), _points_back(q))


# how staff type questions → the words the rest of the reader knows (啥 → 什么, 回的 → 答复的)
_COLLOQUIAL = (
    (r"啥时候|啥时", "什么时候"), (r"啥", "什么"), (r"咋样|咋么样", "怎么样"), (r"咋", "怎么"), (r"哪儿", "哪里"),
    (r"几多", "多少"), (r"多少号", "几号"),
    (r"(?:几|多少)万块(?:钱)?", "多少万元"), (r"(?:几|多少)块钱", "多少元"),  # "拨了几万块": money in 元
    (r"回复|回的|回函", "答复"), (r"对接人|经办人|承办人", "联系人"),
    (r"联系方式", "联系电话"), (r"正在盖|还在盖|在盖|正在建设?|还在建", "在建"),
    (r"(?:平均)?每?一([千万百])个?(?=老人|老年人)", r"每\1名"),  # "平均一千个老人" is the letters' 每千名老人
    (r"(?:平均)?每?一([千万百])个?人", r"每\1人"),
    (r"(?<![\d.])([12]\d)\s*(?:到|至|-|~)\s*([12]\d)年", r"20\1-20\2年"),  # "16到18年" as the letters: 2016-2018年
    (r"(?<![\d.])([12]\d)年(?!代|来|间|多|以)", r"20\1年"),  # "19年省财政安排了多少" is 2019, as the letters write it
)


def normalise(text: str) -> str:
    for pattern, word in _COLLOQUIAL:
        text = re.sub(pattern, word, text)
    return text


# "这是哪年的数", "这个数统计到什么时间": about the figure the previous answer gave
_FIGURE_BACK = re.compile(r"(?:这|那)(?:是|个|些)?[^，,]*?(?:数字?|数据|占比|比例|比重)|这笔钱")


def points_to_figure(q: str) -> bool:
    return bool(_FIGURE_BACK.search(q))


def source_of_figure(q: str) -> bool:
    """"这数是哪个文号里的", "这个数据是哪个单位说的": asks which letter gave the figure just given (its time,
    "这是哪年的数", is the figure's own, not the letter's date)."""
    return points_to_figure(q) and _meta_field(normalise(q), q, True) not in (None, "date", "published")


def _points_back(q: str) -> bool:
    """"这封答复…", "这是哪封函…"; not "这是哪年的数", which asks the time of the figure just given."""
    return bool(re.search(r"这封|那封|这份|该函|这个答复|这是哪|哪封|这条建议|这个提案|上面|刚才", q)) and not (
        points_to_figure(q))


# fields whose words also ask about the content ("那个政策什么时候发布的"): only when the question is about a reply
_NEEDS_LETTER = ("doc_number", "date", "published", "phone", "bureau", "proposal_title", "proposal_number", "meeting")


# "…的答复里", "…号讲的", "那封答复说": where to look, not what is asked about
_SCOPE_WORDS = re.compile(r"(?:[这那][封份个])?的?(?:答复函?|复函|函)"
                          r"(?:(?:里面?|中|上)(?:说|讲|提到|写)?|说|讲|提到)的?"
                          r"|(?:里面?|中)?(?:讲|说|提到|写)的")
# what a letter, its proposal and its fields are called: naming only these, a question is about the letter
_LETTER_NOUNS = re.compile(r"答复函?|复函|函|提案|建议|议案|代表|委员|单位|部门|日期|时间|电话|号码|联系人|文号|编号"
                           r"|说法"
                           r"|标题|题目|名称|名字|内容|人代会|大会|会议|落款|印发|成文|签发|科室?|意见|民政局|民政厅"
                           r"|政府|人大|政协|局|厅")


def _only_points(clause: str) -> bool:
    """A clause that only points at a letter once its references are cut out ("给 答复那封里", "中")."""
    rest = _LETTER_NOUNS.sub("", _SCOPE_WORDS.sub("", clause))
    return len(re.sub(r"[^\u4e00-\u9fff]|给|对|在|那|这|份|封|个|里|中|上|的|说|讲", "", rest)) == 0


def _names_content(content: str) -> bool:
    """Whether the question names something the letter speaks of (a 平台, 《…方案》), beyond the letter itself."""
    rest = _LETTER_NOUNS.sub(" ", content)
    return "《" in content or any(w.flag[:1] in ("n", "v") and w.flag not in ("v", "vd", "ns", "nr")
                                  and len(w.word) >= 2 for w in pos.cut(rest))  # places, people: whose letter


# a phone number or contact person the question gives to point at a letter (rag.answer.scope.by_contact): it
# asks something else ("89985185这个电话是哪个局留的", "联系人是金谧的那封答复…")
_GIVEN_PHONE = re.compile(r"(?<!\d)\d{7,12}(?!\d)")
_GIVEN_CONTACT = re.compile(r"联系人(?:是|叫|为|写的?是?)[\u4e00-\u9fff]{2,3}的?")


def _meta_field(q: str, content: str, has_refs: bool) -> str | None:
    """The letter's own field the question asks for. A question about a document the letter cites
    ("那个政策文号是多少") is about content; one that names no letter at all must still say it asks about a
    reply ("…那封答复的文号", "第317号建议是哪个单位答复的"), and one that names a letter only to say where
    to look ("中民函〔2022〕40号讲的平台是什么时候上线的", "…的答复里，《…方案》是哪个局牵头的") asks about what
    it names."""
    given_phone, given_contact = bool(_GIVEN_PHONE.search(content)), bool(_GIVEN_CONTACT.search(content))
    content = _GIVEN_CONTACT.sub(" ", content)
    letter_words = bool(_LETTER_WORDS.search(_SCOPE_WORDS.sub(" ", q)))
    about_letter = letter_words or has_refs or _points_back(q) or given_phone or given_contact
    # a question that describes the proposal ("那个促进养老产业发展的提案") still asks about the letter
    named_only = not letter_words and not _points_back(q) and not re.search(r"提案|建议|议案", content)
    for name, pattern in _META:
        if not pattern.search(content) or (name == "phone" and given_phone):
            continue
        if name in _NEEDS_LETTER and (
            not about_letter or (_DOC_WORDS.search(content) and not letter_words)
            or (named_only and _names_content(pattern.sub(" ", _SCOPE_WORDS.sub(" ", content))))
        ):
            continue
        if name in ("date", "published") and re.search(r"多少|几个|几家|几张", content):
            continue  # "哪年建成了多少…" asks for a count
        ask = re.split(r"[，,；;]", content.rstrip("？?。 "))[-1]
        ask = _SCOPE_WORDS.sub(" ", ask)  # "那封答复说…是什么时候上线的": where to look, then what is asked
        if name in ("date", "published") and not _LETTER_WORDS.search(ask) and _names_content(pattern.sub(" ", ask)):
            continue  # "1146号建议那份答复，省…标委会是哪年几月成立的": the clause that asks dates what it names
        return name
    return None


_CLAUSE_END = re.compile(r"[？?，,；;]")
_EACH = re.compile(r"(.+?)(?:各|分别)((?:有|是|为|[\u4e00-\u9fff]{1,6}?了?)?(?:多少|几).*)$")
# a second ask inside one clause: "发了多少钱、多少人次"
_SECOND_ASK = re.compile(r"[、和](?=(?:又|还)?(?:多少|几[个家张人名座所户次项场条种类]|哪))")
# a count asked of each of several things in one run: "选上了几个基地几个街道几家企业"
_COUNT_ASK = re.compile(r"(?:多少|几)(?:万人次|人次|万人|[个家张人名座所户次项场条种类])(?=[\u4e00-\u9fff])")
# "有几种模式" then "各叫什么 / 分别是什么 / 都有哪些": the kinds counted, then named; the list answers both
_KINDS_ASK = re.compile(r"(?:多少|几)(?:种|类|个|项|条|大|个方面)")
_EACH_NAMED = re.compile(r"(?:各|分别|都|具体|每(?:种|类|个|项|条))(?:叫|是|有|包括)?(?:什么|啥|哪些|哪几)")
_VAGUE = re.compile(r"(?:是)?(?:怎么|如何|怎样)(?:做|搞|弄|开展|推进|落实)的?$|(?:情况|进展)(?:怎么样|如何)$")
# an ask with the measure word it carries ("几家", "多少钱"); what is left without it says what is asked about
MEASURED_ASK = re.compile(r"(?:多少|几)(?:钱|万人次|人次|万人|[个家张人名座所户次项场条种类])?")
# a yes/no ask ("有没有建农村互助幸福院"): all it names is the subject a later ask ("建了几个") is about
YES_NO = re.compile(r"有没有|是不是|是否|有无")
_INTERROGATIVE = re.compile(r"多少|多大|多高|多久|几|哪|谁|什么|是否|有没有|没有$|吗|怎么|如何|何时")


def _items(text: str) -> list[str]:
    """"A和B" / "A、B" are the items; 及 and 与 only join items when nothing else does ("公建民营及民办养老机构"
    is one item of "县级中心敬老院和公建民营及民办养老机构")."""
    items = [x for x in re.split(r"和|、", text) if x]
    return items if len(items) > 1 else [x for x in re.split(r"与|及", text) if x]


def _asks_in_a_row(clause: str) -> list[str]:
    """"共涉及几家机构、金额多大": two asks joined by 、, each with its own asking word."""
    at = clause.find("、")
    if at > 0 and _INTERROGATIVE.search(clause[:at]) and _INTERROGATIVE.search(clause[at + 1 :]):
        return [clause[:at], *_asks_in_a_row(clause[at + 1 :])]
    return [clause]


def _counts_of(clause: str) -> list[str]:
    """"广东选上了几个基地几个街道几家企业" → 广东选上了几个基地 / 广东选上了几个街道 / 广东选上了几家企业: each count
    with the words that lead into the first."""
    starts = [m.start() for m in _COUNT_ASK.finditer(clause)]
    if len(starts) < 2 or any(b - a < 4 for a, b in pairwise(starts)):
        return [clause]
    lead = clause[: starts[0]]
    return [lead + clause[a:b] for a, b in zip(starts, [*starts[1:], len(clause)], strict=True)]


def split_parts(content: str) -> list[tuple[str, str]]:
    """A question with several asks ("投入了多少资金，惠及多少户？", "联系人是谁？电话多少？", "A和B各有多少个？") →
    (question, ask) per ask, each question carrying the shared context: the clauses that ask nothing, and for
    an ask too short to say what it is about ("电话多少", "在全省排第几"), the first ask's subject."""
    clauses = [c.strip() for c in _CLAUSE_END.split(content) if c.strip()]
    clauses = [x for c in clauses for x in _SECOND_ASK.split(c) if x]
    clauses = [x for c in clauses for x in _asks_in_a_row(c)]
    clauses = [x for c in clauses for x in _counts_of(c)]
    lead = ""
    for i in range(len(clauses) - 1, 0, -1):  # "…：A、B、C，各建成运营几个": the items the ask is of come before it
        if re.match(r"各|分别", clauses[i]) and not _INTERROGATIVE.search(clauses[i - 1]) and len(
                _items(re.split(r"[：:]", clauses[i - 1])[-1])) > 1:
            *before, listed = re.split(r"[：:]", clauses[i - 1])
            lead = "".join(before)  # "咸阳机构养老这块": what the items are of
            clauses[i - 1 : i + 1] = [listed + clauses[i]]
    context = lead + "".join(c for c in clauses if not _INTERROGATIVE.search(c))
    asks: list[str] = []
    shared: set[str] = set()
    for c in clauses:
        each = _EACH.search(c) if _INTERROGATIVE.search(c) else None
        items = _items(each.group(1)) if each else []
        if len(items) > 1:  # "在线医疗产品和智能医疗服务产品各有多少个", "集中供养和分散供养分别多少"
            if len(clauses) == 1 or sum(1 for x in clauses if _INTERROGATIVE.search(x)) == 1:
                return [(f"{context}{'，' if context else ''}{x}{each.group(2)}", x + each.group(2))  # type: ignore
                        for x in items]
            asks += [x + each.group(2) for x in items]  # type: ignore[union-attr]
            shared.update(asks[-len(items) :])  # items of one ask share the subject it leaves out
        elif _INTERROGATIVE.search(c):
            asks.append(c)
    vague = [a for a in asks if _VAGUE.search(a)]
    if len(asks) > len(vague) and vague:  # "医养结合是怎么做的，分哪几种": the list is how it is done
        asks = [a for a in asks if a not in vague]
        content = "，".join(_VAGUE.sub("", c) if c in vague else c for c in clauses) if len(asks) == 1 else content
    if len(asks) < 2 or (len(asks) == 2 and _KINDS_ASK.search(asks[0]) and _EACH_NAMED.match(asks[1])):
        return [(content, content)]  # "有几种模式，各叫什么": one list, its items counted
    first = asks[0]
    yes_no = YES_NO.search(first)
    asked = MEASURED_ASK.search(first) or _INTERROGATIVE.search(first)
    # what the first ask is about, without its asking words ("咸阳给几家民办养老机构发了一次性建设补贴，一共多少钱")
    subject = first[: asked.start()] + first[asked.end() :] if yes_no is None and asked else (
        first[: yes_no.start()] + first[yes_no.end() :] if yes_no else first)
    subject = re.sub(r"(?:有|是|为|总共|一共|共|达|的|了|给|接了|建成了?|投入了?|由|被|把|对|向)+$", "", subject)
    parts = []
    for i, ask in enumerate(asks):
        words = _INTERROGATIVE.sub("", re.sub(rf"[^{_CJK}]|[的了是有呢吗啊在第排每个]", "", ask))
        words = re.sub(r"^(?:计划|预计|打算|准备|拟|将|要|还|又|再|共|一共|总共)+", "", words)  # they name nothing
        elliptic = len(words) <= 4 or re.match(r"其中|每|那|这", ask) or ask in shared
        lead = subject if i and not context and elliptic and not ask.startswith(subject) else ""
        own = ask[: _INTERROGATIVE.search(ask).start()]  # type: ignore[union-attr]
        if lead and "的" in lead and len(re.sub(rf"[^{_CJK}]|是|有|为", "", own)) >= 2:
            lead = lead[: lead.rfind("的") + 1]  # "…会议的召集人由谁担任，副召集人是谁": the ask names its own head
        elif lead and _is_noun_phrase(re.sub(r"(?:是|有|为)$", "", own)):
            lead = _without_last_noun(lead)  # "华宇乐颐养院床位几张、医护几个人": 医护 of 华宇乐颐养院, not of its 床位
        if lead and ask in shared:  # "特困供养人员总共多少人？集中供养和分散供养分别多少": a part of that subject
            lead += "中"
        parts.append((f"{context}{'，' if context else ''}{lead}{ask}", ask))
    return parts


def _is_noun_phrase(text: str) -> bool:
    """Two or more characters, every word of them a noun to jieba ("医护", "联系电话")."""
    words = list(pos.cut(text))
    return len(text) >= 2 and bool(words) and all(w.flag.startswith("n") for w in words)


def _without_last_noun(text: str) -> str:
    """The phrase without its last word when that is a noun: the thing the first ask counted."""
    words = list(pos.cut(text))
    return "".join(w.word for w in words[:-1]) if len(words) > 1 and words[-1].flag.startswith("n") else text


def parts_of(frame: Frame) -> list[Frame]:
    """The frame of each ask of a multi-part question; the letter references stay the whole question's."""
    parts = split_parts(frame.content)
    if len(parts) == 1:
        return [frame]
    out = []
    for text, ask in parts:  # the field an ask names ("电话多少") wins over one its borrowed subject names
        meta = _meta_field(frame.text, ask, bool(frame.refs)) or _meta_field(frame.text, text, bool(frame.refs))
        out.append(Frame(text, text, frame.refs, meta, frame.points_back))
    return out
