"""Reading a question into a frame: what it asks, about what, and which letter it points at.

Staff name letters the way the letters name themselves: a 文号 (温民提〔2019〕70号, also typed loosely as
温民提2019第70号), a proposal number (第317号建议, 131058号提案) or the legislator it answers (肖石龙代表,
舒瑜委员). Those references select a letter; they are not words to match, so they are cut out of the text
the answerer reads (a "70" in 70号 is not a number the answer must contain). A question about the letter
itself (who answered, its 文号, date, contact…) is told apart from one about its content. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from rag.answer.located import LOCATED_ASKED
from rag.answer.outline import PART_ASKED, PARTS_COUNTED
from rag.answer.position import PLACE_ASKED
from rag.answer.refs import PROPOSAL_TITLE, LetterRefs, find_refs, parse_doc_refs
from rag.answer.wording import normalise
from rag.core import pos

_LETTER_WORDS = re.compile(r"答复|回复|复函|回函|答复函|[这那一哪]封|该函"
                           # (not "那份…的政策意见，发文字号": the document it cites)
                           r"|[这那]份(?![^，,？?]{0,16}?(?:政策|文件|意见|办法|通知|方案|规划|规定|条例|计划))"
                           r"|[这那]个函|[这那]篇|的函|来函|函件"
                           r"|文末|署的|署了"  # "文末署的日子": the letter's sign-off
                           r"|[这那][个条件份][^，,？?]{0,12}(?:建议|提案|议案)|落款|抄送|签发"
                           r"|[这那][个篇张]?(?:网页|页面)"  # "那个网页上阅读次数…": the page the letter is on
                           # "回函里留的座机号码": what a letter leaves to be reached by is its own contact
                           r"|留(?:的|了|下的?)(?:座机|电话|手机|联系)"
                           # "五份答复里": the letters held
                           r"|[几两三四五六七八九十\d]+[封份](?:答复|回复|回函|函)?(?:里|中|当中)")
_DOC_WORDS = re.compile(r"政策|文件|意见|办法|通知|方案|规划|规定|条例|计划")
# what a word or mark means ("B具体代表什么意思", "是啥意思"): 代表 is a verb there, not a legislator
_MEANING_ASKED = re.compile(r"(?:什么|啥)意思|代表(?:的是)?(?:什么|啥)")

_PUB = (r"发布|公布|挂网|挂(?:到|在|上)?(?:官方?)?网|上网|放(?:到|在)网|网上公开|在网上|到网上|官网|网站上"
        r"|网页上.{0,6}?挂出|挂出来")  # "网页上又是哪天挂出来的"
_WHEN = r"时间|日期|哪天|哪一天|哪日|什么时候|何时|几月几[号日]|几号|几点|时刻"
_PUBLISHED = re.compile(rf"(?:{_PUB}).*?(?:{_WHEN})|(?:{_WHEN}).*?(?:{_PUB})")
_DOC_NUMBER_WORDS = r"文号|发文字号|字号"  # what staff call a letter's 文号
_MONTH_ASKED = r"哪个月份?|几月份"  # "是哪个月份出的": the month of a date asked
# which field of the letter a question asks for; the first pattern that matches wins
_META: tuple[tuple[str, re.Pattern[str]], ...] = (
    # where a term the question quotes stands in the letter's outline ("“电子围栏”出现在哪个小标题底下")
    ("located", re.compile(rf"^(?=.*(?:[“\"「]|[A-Za-z]{{2,}}\d)).*?(?:{LOCATED_ASKED.pattern})")),
    # a part of the letter pointed at by its place ("最后一条是关于什么的建议"), or how many parts it has
    ("part", re.compile(f"{PART_ASKED.pattern}|{PARTS_COUNTED.pattern}")),
    # (not "这152万元出自哪个资金盘子": a source of money, asked as content)
    ("letter", re.compile(r"哪封|哪一封|哪个答复函|出自哪(?!个资金|笔|项资金|个渠道|个盘子)|"
                          r"哪份(?:答复|函)|(?:哪个|哪份)文件(?:说的|里的|里|上的)"
                          r"|是哪一?份(?=[？?。，,]|$)"  # "年份最早的是哪一份"
                          r"|哪(?:个|家)(?:单位|部门|局|厅)(?:的|那)一?[封份件]")),  # "落款最早的是哪个局那封"
    ("copy_to", re.compile(r"抄送|抄给|抄报")),
    # 哪个领导 asks who signed; 哪个领导小组 asks a group
    ("signer", re.compile(r"签发人|谁签发|签发的是谁|签的字|签字|签批|哪(?:个|位)领导(?!小组|班子)")),
    # the portal section it was published in ("放在哪个栏目里", "当前位置…最后一级")
    ("column", re.compile(r"栏目|版块|当前位置")),
    # how often the portal's page was read (阅读次数:860), not a count the letter states
    # ("在网上有多少人点开看过", "点击量"): readers counted by their clicks
    ("views", re.compile(r"阅读(?:次数|量|数)|(?:被|给)?(?:阅读|浏览|看)了?多少次|浏览(?:量|次数)"
                         r"|多少(?:人|次)(?:点开|点击|点进去|打开)(?:看过?|浏览过?)?|点击(?:量|次数|数)")),
    # "那封答复是哪类", "这件的类别": the class a letter is filed under (类别：B), not a class its content names
    ("category", re.compile(r"(?:答复|函|件|这封|那封)[^，,？?]{0,4}?的?(?:类别|是哪一?类|属于哪一?类)")),
    ("publicity", re.compile(r"公开方式|公开属性|是否公开|怎么公开|公开了吗|公开没|有没有公开|能不能(?:对外)?公开"
                               r"|能否公开|可(?:以|否)(?:对外)?公开|公开的吗|公不公开")),
    ("published", _PUBLISHED),  # when a portal put it online, not when it was signed (落款/印发 stay "date")
    # (not "会办单位把委员的意见融进了哪里": the units act there, what they did is asked)
    # "综合了好几个单位的意见，排头一个是谁", "会办意见里，排在省财政厅后头那个": a place in that list
    ("co_units", re.compile(r"(?:综合|汇总)了?(?:哪些|哪几|什么)"
                            r"|(?:综合|汇总|征求)了?(?:好?几|多少)[家个](?:单位|部门)?的?意见"
                            r"|(?:会办|协办)单位(?![把将对给在])|会同(?:了)?哪"
                            r"|征求了?哪"
                            r"|(?:综合|汇总|征求)[^，,？?]{0,4}意见[^？?]{0,8}(?:有没有|是否|有无)"  # 有没有问省残联
                            rf"|(?:综合|汇总|征求|会办)[^，,？?]{{0,10}}意见[^？?]{{0,12}}{PLACE_ASKED}"
                            r"|(?:哪些|哪几家?|哪几个)[\u4e00-\u9fff]{0,4}?的?意见")),  # 哪些厅局的意见
    ("contact", re.compile(r"联系人|找谁联系|联系谁|有事找谁|(?:打电话|电话)找(?:谁|哪)|找哪个(?:科|处)|哪个科室"
                            r"|是哪个[科处]|(?:局|厅|委|办)的?哪个(?:科|处)室?|接(?:电话|听)的?是?[^，,？?]{0,6}哪个"
                            r"|谁的(?:电话|手机|号码|联系方式)|(?:能|可以)?找(?:到|得到)谁"
                            r"|谁(?:来|负责)?(?:联系|对接|经办|承办)"  # "谁联系": the contact, asked by its verb
                            r"|(?:负责)?(?:联系|对接|经办)的(?:人|同志)")),  # "具体负责联系的人叫啥": the contact
    ("phone", re.compile(r"(?:联系|咨询)?电话|联系方式|号码|手机|座机")),
    # "回的是人大建议还是政协提案": which kind of proposal, named with its meeting and number
    ("proposal", re.compile(r"(?:人大)?建议还是(?:政协)?提案|(?:政协)?提案还是(?:人大)?建议")),
    ("meeting", re.compile(r"哪次(?:会议|人代会|大会|会上)|哪一?届|第?几届|什么会议|哪次.{0,6}会")),
    # (not 主任委员是谁: a role's holder)
    ("addressee", re.compile(r"(?<!主任)(?<!副主任)(?:代表|委员)(?:的名字|叫什么|叫啥|姓什么|是谁)"
                             r"|(?:提|写)[^，,]{0,8}的人叫什么名字")),
    # the letter's own, not its proposal's ("那封答复函，正式标题全称怎么写")
    ("title", re.compile(r"(?:函|答复|回复)(?:[，,]\s*)?(?:的|正式的?|完整的?)?(?:标题|题目|全称|名称)")),
    ("proposal_title", re.compile(r"关于什么|什么的(?:提案|建议|议案)|(?:标题|题目|名称)"
                                  r"|(?:提案|建议|议案)(?:名字)?叫(?:什么|啥)"
                                  r"|提的(?:是)?(?:什么|啥)|(?:什么|啥)(?:内容的)?(?:提案|建议)")),
    ("doc_number", re.compile(r"(?:函|答复|回复)的?编号")),  # the letter's own number is its 文号
    ("proposal_number", re.compile(r"第?(?<!月)(?<![A-Za-z/])几号|编号|提案号|建议号|多少号")),  # not 几月几号, a date
    ("addressee", re.compile(r"哪(?:个|位|一位|几位|些)(?:人大|政协)?(?:代表|委员)"
                             r"|谁提的|谁提出|提出人|提案人|答复给谁|给谁的|致谁"
                             # the salutation: "抬头写的是一个委员还是好几个", "开头称呼委员怎么写" (not "称呼…用的是
                             # “您”还是“你们”", the pronoun its sentences use)
                             r"|抬头|称呼(?![^？?]{0,12}[“\"])"
                             # a letter sent to whom; not "补贴发给谁", which asks who gets the subsidy
                             r"|(?:函|答复|回复|信|[那这该][封份])[^，,？?]{0,6}?(?:发|写|寄|回)给了?谁"
                             r"|答复谁|谁的(?:提案|建议)")),
    ("date", re.compile(r"哪天|哪一天|什么时候|何时|日期|几月几[号日]|落款(?![^，,？?]{0,3}?的?单位)|印发|成文|哪年"
                        rf"|{_MONTH_ASKED}|几号发|几号"
                        r"|(?:什么|哪个|的|发文|答复)时间(?!银行)")),  # not the 时间银行 programme
    ("doc_number", re.compile(_DOC_NUMBER_WORDS)),
    ("bureau", re.compile(r"哪个(?:单位|部门|机关|局|厅)|哪个[省市区县](?:民政)?[局厅]"
                          r"|哪家(?:单位|部门)|什么(?:单位|部门)|谁(?:答复|回复|发|办|写)"
                          r"|由谁(?:答复|回复|办理|承办|主办)|哪[个家].{0,3}(?:答复|回复|发)的|答复单位|发函单位|主办单位|承办单位"
                          r"|落款[^，,？?]{0,3}?的?单位|盖章的?单位|署名单位|以哪个单位"
                          r"|[那这该][封份件篇]\S{0,2}是哪(?:个|一个)?[省市区县]")),  # not 由谁担任: a role's holder
    # last, as a place names where to look and a field after it is asked ("那封末尾留的电话"): the words a letter
    # opens or closes with, by their place in its form ("开头说…经过什么才答复", "那封结尾致谢，谢
    # 的是…", "最后一句…欢迎她干啥"), and the note in brackets under its sign-off ("最末尾括号里注了句啥"); not "意见…
    # 末尾一个", a place in a list
    ("closing_note", re.compile(r"(?:结尾|末尾|最后|最底下|最下面|最下方)[^，,？?]{0,6}括[号弧]")),
    ("opening", re.compile(r"开头(?![一那]?个)|开篇|开场白")),
    # (结尾, 末尾 said of the letter itself: "那封回复末尾", not of a part or a list: "第三部分末尾")
    ("closing", re.compile(r"(?:函|答复|回复|封|份|件|信)的?最?(?:结尾|末尾)(?![一那]?个)|最后一句|最后一段|最后一行"
                           r"|结束语|收尾|致谢")),
)
_META_FIELD = dict(_META)
# the words that ask a date (落款, 印发 alone name the sign-off)
_DATE_ASKED = re.compile(rf"哪天|哪一天|什么时候|何时|日期|几月几|哪年|几号|时间|哪日|几时|年月日|{_MONTH_ASKED}"
                         r"|\d{1,2}\s*月\s*\d{1,2}\s*[日号]")  # "是不是6月30日落款的": a date to confirm
_PHONE_FIELD = _META_FIELD["phone"]
# an aside saying what is not meant ("（不是2021年以后那个）"): nothing in it is asked, so nothing in it need be said
_NOT_THIS = re.compile(r"[（(]\s*(?:不是|不要|而非|并非|别)[^（()）]*[）)]")
# what the asker says they do not want ("…落款的日期，不要网页发布时间"): no field it names is asked
_NOT_ASKED = re.compile(r"(?:不要|(?<![是要])不是|而非|并非|别给我?)[^，,。？?；;！!]*")


@dataclass(frozen=True)
class Frame:
    text: str  # the question as it will be answered (a follow-up already resolved)
    content: str  # the text without its letter references: what retrieval and the answerer read
    refs: LetterRefs = field(default_factory=LetterRefs)
    meta: str | None = None  # the letter's own field asked for (bureau, date, contact…), else None
    points_back: bool = False  # "这封答复…", "这是哪封函…": about the letter of the previous answer


_LOOK_IN = re.compile(r"(?:里面|里头|里|中|上)?(?:说|讲|提到|写)(?:的|了|到)?(?![\u4e00-\u9fff]{0,2}(?:什么|啥|哪))"
                      r"|(?:里面|里头|里)(?=[\u4e00-\u9fff])")


# words a letter is quoted as saying ("标题叫“…”", "开头写的是“…”"), the quote captured: they point at the letter
# (rag.answer.meta.mentioned); not a quote with a blank the question asks to fill (题目是“关于加强什么”的建议)
QUOTED_SAID = (r"(?:叫|是|为|写的是|写着|写了|写有|(?<=开头|结尾|末尾)写|注着|注了|注明|注的是|印着)"  # (注着: a note)
               r"\s*“(?![^”]*(?:什么|啥|哪|几|多少))([^”]{2,40})”")
_QUOTED_SAYING = re.compile(rf"(?:小?标题|题目|名称)?{QUOTED_SAID}")


_REPLY_TITLE = re.compile(r"《[^《》]{0,80}?(?:答复函|复函|答复|的函)》")


def read(question: str, keep: Collection[str] = ()) -> Frame:
    """The frame of one question (no conversation: see rag.answer.conversation). The 文号 in `keep` (documents a
    letter cites, 粤府办〔2019〕23号) stay in the content where the question says them: they are asked about."""
    q, refs, spans = find_refs(question)
    spans = [(a, b) for a, b in spans if not any(r.text in keep for r in parse_doc_refs(q[a:b]))]
    content = q
    # a reply's own title that holds a reference (《关于…第317号建议的答复函》) names the letter whole
    spans = _where_to_look(q, sorted({next(((t.start(), t.end()) for t in _REPLY_TITLE.finditer(q)
                                             if t.start() <= a and b <= t.end()), _quoted_around(q, a, b))
                                       for a, b in spans}))
    for a, b in spans:
        # "…3号说恩阳…", "…3号里恩阳…": the words right after a reference only say where to look
        after = _LOOK_IN.match(content, b)
        content = content[:a] + " " + content[after.end() if after else b :]
    if spans:  # "文号：恩民政函〔2021〕3号｜…": the label of a reference cut out, and a bar that ends it
        content = re.sub(rf"(?:{_DOC_NUMBER_WORDS})\s*[：:]?\s*(?=\s|[｜|，,]|$)", " ", content)
        content = re.sub(r"^[\s｜|]+|\s*[｜|]\s*", "，", content).lstrip("，")
    content = normalise(re.sub(r"\s+", " ", _NOT_THIS.sub("", content)).strip(" ，,：:"))
    head, comma, rest = content.partition("，")
    if comma and rest and spans and _only_points(head):
        content = rest  # "给温蓉委员回的那封里，…": the first clause only says where to look
    return Frame(q, content or q, refs, meta_field(normalise(q), content, bool(refs)), _points_back(q))


# a sentence of a question, up to its closing mark (the last one may have none)
_SENTENCE = re.compile(r"[^。？?！!：:]+[。？?！!：:]*")
# the words that ask (上没上线: A-not-A)
_ASKS = re.compile(r"多少|多大|几|哪|谁|什么|啥|吗|是否|有没有|有无|怎么|如何|何时|([\u4e00-\u9fff])[不没]\1")
# "谁手上有恩民政函〔2021〕3号？": who holds the letter, asked of colleagues, not of the letter
_WHO_HAS = re.compile(r"^\W*谁(?:手上|手里|那里|那儿|那)?有\W*$")


def _where_to_look(q: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans to cut, last first: a sentence that holds a reference and asks nothing of the letter ("台账B12格
    填的是温民提〔2019〕70号。", "@所有人 谁手上有恩民政函〔2021〕3号？") only says which letter, and goes whole,
    when a later sentence asks."""
    cut = []
    for m in _SENTENCE.finditer(q):
        inner = [(a, b) for a, b in spans if m.start() <= a and b <= m.end()]
        rest = re.sub(r"@\S+", "", "".join(q[x:y] for x, y in zip([m.start(), *(b for _, b in inner)],
                                                                  [*(a for a, _ in inner), m.end()], strict=True)))
        if inner and _ASKS.search(q[m.end() :]) and (_WHO_HAS.search(rest) or not _ASKS.search(rest)):
            cut.append(m.span())
    spans = [(a, b) for a, b in spans if not any(x <= a and b <= y for x, y in cut)] + cut
    return sorted(spans, reverse=True)


def _quoted_around(q: str, a: int, b: int) -> tuple[int, int]:
    """A reference inside a short quote ("邮件主题“Re: 温民提〔2019〕70号核稿”", a file's name) takes the whole
    quote: the rest of it names the copy at hand, not what is asked."""
    start, end = q.rfind("“", 0, a), q.find("”", b)
    if start < 0 or end < 0 or "”" in q[start:a] or "“" in q[b:end] or end - start > 40:
        return a, b
    return start, end + 1


# "这是哪年的数", "这个数统计到什么时间": about the figure the previous answer gave
# (岁数, 人数, 次数 are what is asked: "那个一键通服务是给多大岁数的老人的")
_FIGURE_BACK = re.compile(r"(?:这|那)(?:是|个|些)?[^，,]*?(?:(?<![岁人次户])数字?|数据|占比|比例|比重)|这笔?钱"
                          # "这一千三百多场下来", "那3.31个亿里": the figure itself, said again
                          r"|(?:这|那)(?:\d+(?:\.\d+)?|[一二三四五六七八九十两][十百千万亿][一二三四五六七八九十百千万亿两]*)"
                          r"[多余来]?(?:[个家张场次人户所项座笔元万亿]|人次)")


def points_to_figure(q: str) -> bool:
    return bool(_FIGURE_BACK.search(q))


def source_of_figure(q: str) -> bool:
    """"这数是哪个文号里的", "这个数据是哪个单位说的": asks which letter gave the figure just given (its time,
    "这是哪年的数", is the figure's own, not the letter's date)."""
    return points_to_figure(q) and meta_field(normalise(q), q, True) not in (None, "date", "published")


def _points_back(q: str) -> bool:
    """"这封答复…", "这是哪封函…"; not "这是哪年的数", which asks the time of the figure just given."""
    return bool(re.search(r"这封|那封|这份|该函|这个答复|这是哪|哪封|这条建议|这个提案|上面|刚才", q)) and not (
        points_to_figure(q))


# fields whose words also ask about the content ("那个政策什么时候发布的"): only when the question is about a reply
_NEEDS_LETTER = ("doc_number", "date", "published", "phone", "bureau", "proposal_title", "proposal_number", "meeting",
                 "proposal", "title", "category", "opening", "closing", "closing_note", "views",
                 "column")


# "…的答复里", "…号讲的", "那封答复说": where to look, not what is asked about
_SCOPE_WORDS = re.compile(r"(?:[这那][封份个])?的?(?:答复函?|复函|函)"
                          r"(?:(?:里面?|中|上)(?:说|讲|提到|写)?|说|讲|提到)的?"
                          r"|(?:里面?|中)?(?:讲|说|提到|写)的")
# what a letter, its proposal and its fields are called: naming only these, a question is about the letter
_LETTER_NOUNS = re.compile(r"答复函?|复函|函|提案|建议|议案|代表|委员|单位|部门|日期|时间"
                           r"|联系(?:电话|方式)|电话|手机号?|座机|号码|联系人|文号|编号"
                           r"|说法"
                           r"|标题|题目|名称|名字|内容|人代会|大会|会议|落款|印发|成文|签发|科室?|意见|民政局|民政厅"
                           r"|政府|人大|政协|局|厅|网页|页面|网站")  # the page a letter is published on


def _only_points(clause: str) -> bool:
    """A clause that only points at a letter once its references are cut out ("给 答复那封里", "中")."""
    rest = _LETTER_NOUNS.sub("", _SCOPE_WORDS.sub("", clause))
    rest = _WHOSE.sub("", rest)
    return len(re.sub(r"[^\u4e00-\u9fff]|给|对|在|那|这|份|封|个|里|中|上|的|说|讲", "", rest)) == 0


# "杨兴全委员名下那件", "他们手上那件": whose the proposal is
_WHOSE = re.compile(r"(?:名下|手上|手里|他们)(?:[那这]件)?")


def _names_content(content: str) -> bool:
    """Whether the question names something the letter speaks of (a 平台, 《…方案》), beyond the letter itself."""
    rest = _LETTER_NOUNS.sub(" ", content)
    return "《" in content or any(w.flag[:1] in ("n", "v") and w.flag not in ("v", "vd", "ns", "nr")
                                  and len(w.word) >= 2 for w in pos.cut(rest))  # places, people: whose letter


# a phone number or contact person the question gives to point at a letter (rag.answer.scope.by_contact): it
# asks something else ("89985185这个电话是哪个局留的", "联系人是金谧的那封答复…")
GIVEN_PHONE = re.compile(r"(?<!\d)\d{7,12}(?!\d)")
# a whole date the question gives ("落款2019年7月2日的是哪个局的答复"): it points at the letter signed that day
GIVEN_DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
# a day without its year, given as the sign-off ("落款写7月27日那封"): it points at the letter signed that day
GIVEN_DAY = re.compile(r"(?:落款|签发|印发|成文)[^，,？?\d]{0,4}(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
# a unit the 抄送 list holds, given to point at a letter ("抄送名单里有市委市政府督查室的是哪一封")
_GIVEN_COPY = re.compile(r"抄(?:送|给|报)[^，,？?]{0,8}?(?:有|含|包括|写了?)[^，,？?]{2,24}?的")
# a person the question gives to say which letter: "联系人是刘芳的", "留刘芳当联系人的那份", "签发人是赵斌正的那份"
# (not 叫什么: asked)
_GIVEN_CONTACT = re.compile(r"(?:联系人|签发人)(?:是|叫|为|写的?是?)(?!什么|啥|谁|哪)[\u4e00-\u9fff]{2,3}的?"
                            r"|(?<![谁哪])[\u4e00-\u9fff]{2,3}(?:当|做|作为?|挂|挂的?是)(?:联系人|签发人)的?"
                            r"|找(?!谁|哪)[\u4e00-\u9fff]{2,3}(?:联系|对接|咨询)的")  # "找陈庆对接的那份"


# a field written with its value, as the letter prints it ("标了“公开方式：主动公开”的那封", "类别：B那份"): it
# points at the letter, another field is asked
# (a value after the colon: not "要写函的标题全称：那封的标题…", where the colon leads into the question)
_GIVEN_FIELD = re.compile(r"[“\"「]?[\u4e00-\u9fff]{2,6}[：:]\s*(?![那这\s])[^”\"」，,？?：:]{1,16}?[”\"」]?"
                          r"(?=的|那|这)")
# a field said to hold a mark (文号带个“提”字, 文号当中带个“政”字, 抬头写着“等委员”): it picks the letter, as above
MARKED_FIELD = re.compile(r"(文号|抬头|标题)[^，,？?“]{0,8}?(?:带|有|含|写着?|出现)[了个着]?[^“，,？?]{0,2}"
                          r"“([^”]{1,8})”(?:两个|这个|那个)?字?")


# the clause that asks for items or a count asks about content, not a field named before it
_ASKS_ITEMS = re.compile(r"哪些|哪几|多少|几[个项类种条家所人]")


# a time or date asked with 多少 ("发布时间精确到秒是多少", "落款日期是多少"): no count
_TIME_IS_HOW_MUCH = re.compile(r"(?:时间|日期|时刻)[^，,？?]{0,8}?多少(?![\u4e00-\u9fff])")


def meta_field(q: str, content: str, has_refs: bool) -> str | None:
    """The letter's own field the question asks for. A question about a document the letter cites
    ("那个政策文号是多少") is about content; one that names no letter at all must still say it asks about a
    reply ("…那封答复的文号", "第317号建议是哪个单位答复的"), and one that names a letter only to say where
    to look ("中民函〔2022〕40号讲的平台是什么时候上线的", "…的答复里，《…方案》是哪个局牵头的") asks about what
    it names."""
    given_phone, given_contact = bool(GIVEN_PHONE.search(content)), bool(_GIVEN_CONTACT.search(content))
    # "落款2019年7月2日的是哪个局的": the date points, 局 is asked
    given_date = bool(GIVEN_DATE.search(content) or GIVEN_DAY.search(content))
    given_copy = bool(_GIVEN_COPY.search(content))
    given_title = bool(PROPOSAL_TITLE.search(content))  # "题目叫《关于…的建议》那件": the proposal names its letter
    given_field = bool(_GIVEN_FIELD.search(content) or MARKED_FIELD.search(content))
    # what the question quotes a letter as saying ("标题叫“…”的那封") points at the letter: it is not the field asked
    q, content = _QUOTED_SAYING.sub(" ", q), _QUOTED_SAYING.sub(" ", content)
    content = _NOT_ASKED.sub(" ", _GIVEN_CONTACT.sub(" ", _GIVEN_FIELD.sub(" ", MARKED_FIELD.sub(" ", content))))
    if _MEANING_ASKED.search(content):
        return None  # "“类别：B”，B代表什么意思": what a mark means is said in the text, if anywhere; no field is it
    letter_words = bool(_LETTER_WORDS.search(_SCOPE_WORDS.sub(" ", q)))
    about_letter = (letter_words or has_refs or _points_back(q) or given_phone or given_contact or given_copy
                    or given_title or given_field)
    # a question that describes the proposal ("那个促进养老产业发展的提案") still asks about the letter
    named_only = not letter_words and not _points_back(q) and not re.search(r"提案|建议|议案", content)
    for name, pattern in _META:
        if not pattern.search(content) or (name == "phone" and given_phone) or (
                name in ("date", "published") and given_date) or (name == "copy_to" and given_copy):
            continue
        if name in ("meeting", "proposal_number") and _META_FIELD["meeting"].search(content) and (
                _META_FIELD["proposal_number"].search(content)):
            name = "proposal"  # "哪次会上的几号建议": both parts of the proposal's name
        if name in _NEEDS_LETTER and (
            not about_letter or (_DOC_WORDS.search(content) and not letter_words)
            or (named_only and _names_content(pattern.sub(" ", _SCOPE_WORDS.sub(" ", content))))
        ):
            continue
        if name in ("date", "published") and re.search(r"多少|几个|几家|几张", content) and not (
                _TIME_IS_HOW_MUCH.search(content)):
            continue  # "哪年建成了多少…" asks for a count; "发布时间精确到秒是多少" asks the time
        if name in ("opening", "closing") and _ASKS_ITEMS.search(content):
            continue  # "开头说为了贯彻哪几份文件精神": what the letter says there, asked as content
        if name == "contact" and re.search(r"负责|牵头|承办|主管", content) and "联系" not in content:
            continue  # "修订办法这事，由民政局哪个科室负责": who does the work, which no contact line says
        if name == "date" and not _DATE_ASKED.search(content):
            continue  # "以哪个单位的名义落款的": 落款 names the sign-off; only an asking word asks its date
        if name == "proposal_number" and _DATE_ASKED.search(content) and re.search(r"日期|落款|印发|成文", content):
            continue  # "印发日期写的几号": a day of the month, not a proposal's number
        ask = re.split(r"[，,；;]", content.rstrip("？?。 "))[-1]
        if ask != content.rstrip("？?。 ") and not pattern.search(ask) and _ASKS_ITEMS.search(ask) and (
                _names_content(_ASKS_ITEMS.sub(" ", ask))):
            continue  # "第一条建议的标题，要弘扬哪几个“老”…": the field named before says where to look (not
            # "…还留了个手机号，多少", whose asking clause names nothing of its own)
        ask = _SCOPE_WORDS.sub(" ", ask)  # "那封答复说…是什么时候上线的": where to look, then what is asked
        if name in ("date", "published") and not _LETTER_WORDS.search(ask) and _names_content(pattern.sub(" ", ask)):
            continue  # "1146号建议那份答复，省…标委会是哪年几月成立的": the clause that asks dates what it names
        if name == "contact" and (phone := _PHONE_FIELD.search(content)) and not given_phone and (
                phone.start() >= (at := pattern.search(content).end())):  # type: ignore[union-attr]
            between = content[at : phone.start()]
            if re.fullmatch(r"(?:是谁)?(?:和|及|跟|与|、|以及|还有)(?:联系)?", between) or (
                    re.search(r"[？?|｜，,；;]", between)):
                return "contact_phone"  # "联系人和电话", "联系人是什么？｜电话是什么？": both asked
            return "phone"  # "联系人的手机号是多少": the field named last is asked, the one before says whose
        return name
    return None
