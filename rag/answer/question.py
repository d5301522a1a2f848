"""What a question asks for: its kind, the unit or pattern of the answer, the thing it counts, the
places it names, and its content words. Pure functions (jieba only for words and place tags)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple

from rag.answer.agents import KIND_OF, ROLE_ASK
from rag.core import pos
from rag.core.places import GENERIC, NATIONAL, gazetteer, is_city, is_place
from rag.core.tokens import Tokenizer

NUM = r"\d+(?:[.,，]\d{3})*(?:\.\d+)?(?:\s*[-~—至到]\s*\d+(?:[.,]\d{3})*(?:\.\d+)?)?(?:余|多)?"
MONEY = r"(?:亿元|万元|千元|元|亿|万)"
# money asked as such: its amount (多少钱), what was paid (掏了多少, 砸进去多少), a price (啥价位, 收费标准是多少)
_MONEY_ASK = re.compile(r"多少钱|多少(?:万|亿)?元|价位"
                        # (掏了多少户: a count)
                        r"|(?:花|掏|砸|支付|付)(?:了|出去|进去)?多少(?![个家张人名座所户次项场条种类位])"
                        r"|(?:收费|价格|费用)(?:标准)?(?:大概|大约)?(?:是|为|在)?(?:多少|几|啥|什么)")
DATE = re.compile(
    r"\d{4}(?:\s*[-~—至到]\s*\d{4})?\s*年(?:\s*第[一二三四1-4]季度|\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?(?:底|初|末|起)?|(?<!\d)\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?(?:底|初|末)?(?:前|以前)?"
)
ORDINAL = re.compile(r"第[一二三四五六七八九十\d]+(?:名|位)?|[一二三四五六七八九十\d]+级|[一二三四五六七八九十]+星")
# a rank, not any ordinal ("2021年第四季度" is a quarter): 全省排名第三, 位居第二, 第一名
RANK = re.compile(r"(?:排名|排在|排|名列|位居|位列|居|全国|全省|全市|全区|全县)第[一二三四五六七八九十\d]+(?:名|位)?"
                  r"|第[一二三四五六七八九十\d]+(?:名|位)")
# what a date question asks for: "哪天上线" is not answered by "2017年", "几月" not by a bare year
_DAY_Q = re.compile(r"哪天|哪一天|几号|几月几[日号]|具体日期|哪日")
_YEAR_Q = re.compile(r"哪一?年|何年")  # "哪年印发的" is not answered by "8月"
# a span of years asked ("规划管的是哪几年", "起止年份"): answered by a range (2013-2020), not one year
_SPAN_Q = re.compile(r"哪几年|哪些年|起止|起讫|规划期|实施期|有效期|从哪年到哪年")
SPAN = r"(?:19|20)\d\d\s*[-~—至到]\s*(?:19|20)\d\d(?:\s*年)?"
# a quarter asked ("按哪个季度的通报"): answered by one the letter names (2021年第四季度), not a bare year
_QUARTER_Q = re.compile(r"(?:哪个|哪一个?|第几|几)季度")
_MONTH_Q = re.compile(r"几月|哪个?月|哪一个?月")  # (哪年哪月)
# "措施分了七条，每条讲的是啥": the items of a list the question counts itself
EACH_ITEM = re.compile(r"每(?:一)?(?:条|项|点|个方面|部分)(?:讲|说|是|指|都|分别|打头|开头|头一句|第一句)"
                       r"|分别(?:讲|说|是|叫|干|做|搞)了?(?:什么|啥)"
                       r"|各(?:叫|是)(?:什么|啥)|挨个|逐个|逐一|一一|逐条|逐项|列出来|列一下"  # "各叫什么", "挨个说下"
                       r"|按一二三四|一条一条|一条条|一项一项|一项项"  # "按一二三四给我说下"
                       r"|叫法给我|(?:名字|名称)(?:给我|报一下|列一下)|名单(?=给|报|列|发|是|呢|[？?]|$)"  # their names
                       r"|全部(?:报|列|说|讲)|全都(?:报|列)|[都全](?:报|列)(?:一下|出来)"  # "…24个成员单位，全部报一下"
                       r"|分(?:了|为|成)[一二三四五六七八九十两\d]+(?:条|项|点|个方面|类|部分)")
# what is offered or done, asked as a list: 有什么, 能实现什么功能, 都给老人提供些啥服务 (啥 is 什么 as people type
# it), 多几种什么“感” (which kinds)
OFFERS_WHAT = r"有些?(?:什么|啥)|(?:实现|提供|开展|采取)(?:了|些)?(?:什么|啥)|几[种类样项个](?:什么|啥)"
# 要 plans ("今年要推动") unless it says what must be ("至少要给集体留几成", "要求")
PLAN_Q = re.compile(r"计划|预算|在建|将|(?<!至少)(?<!需)(?<!必须)要(?!求)|今年|明年|力争|目标|打算|准备|拟|下一步"
                     r"|以后|未来|到20\d\d")
# modifiers that come in pairs: a follow-up naming one replaces the other (城镇社区… → 农村的呢), and a value said
# of one does not answer a question about the other
COUNTERPARTS = tuple((a, b) for x, y in (("城镇", "农村"), ("城市", "农村"), ("公办", "民办"), ("集中", "分散"),
                                          ("线上", "线下"), ("男性", "女性"), ("男", "女"))  # (男的: 男 alone)
                     for a, b in ((x, y), (y, x)))
# the thing counted is people when it is built as a person word is: …人/员/者/士/师/生/工/民/众 (老人, 人员, 志愿者,
# 护士, 医师, 医生, 社工, 居民, 群众), or names them (人口, 医护, 家属, 儿童); counted in people, never in 张. A member
# (成员, 会员) may be a unit: "联席会议成员有多少" is 24个部门
_PEOPLE = re.compile(r"(?:[人者士师工民众]|(?<![成会])员|医生|学生|人口|医护|家属|儿童|人数)$")  # (人数: people)
# asks what has been done ("咸阳已经帮多少户…改造了", "真建完了吗"), not what is planned or arranged (验收: a result)
DONE_Q = re.compile(r"已经|(?<!是)已|实际|完成|建成了|[建做办干修]完|验收|竣工|落成|最终")
# generic words jieba tags as places but that name no place
# words jieba tags as places that name none (镇街, 社区, 全省…): the shared list, and a few of questions' own
# words that ask, point or frame a yes/no question: they name nothing the answer's sentence must contain
# ("那个平台是不是已经上线了？哪天上的": 那个, 是不是, 哪天 are not content; jieba would cut 哪|天上)
_ASK_WORDS = re.compile(r"是不是|有没有|是否|有无|哪一?天|哪一?年|哪个月份?|几月份?|几号|什么时候|什么时间"
                        r"|哪个时间点?|何时|那个|这个|那些|这些|那份|这份|那封|这封")
_NOT_PLACES = GENERIC | NATIONAL | {"全省", "地方", "农村", "基层", "本地", "当地"}
TITLE_TARGET = r"《([^》]{4,80})》"  # a document's title as a letter writes it
# "以什么为主要思路": the letter's 以…为主要思路; "X是什么样的": what the letter says of X before "…的X"
# (是…的: 的 ends the sentence, it is no part of what 以…为 says)
_AS_WHAT = re.compile(r"以(?:什么|哪个|哪些)为([\u4e00-\u9fff]{2,6}?)(?:的|呢|啊)?(?:[，,？?。]|$)")
# "这钱是从哪儿列支的", "从什么渠道筹的": where from, named between 从 and the verb ("从市本级福彩公益金列支")
# (a two-character verb: not 从哪一年开始, 从哪些地方, 钱从哪出的)
_FROM_WHERE = re.compile(r"从(?:哪里|哪儿|哪块|哪笔钱|哪个渠道|哪(?![一些几年天月个])|什么地方|什么渠道)(?:来|里)?"
                         r"([^\W\d的了呢吗啊来]{2})")
# "构建的又是什么系统", "坚持的是什么原则", "打造成什么城市": a thing the letter describes before it, asked by
# what was done to it
_BUILT_WHAT = re.compile(r"(构建|形成|建立|坚持|打造|遵循|秉承)(?:成|为)?(?:的|了)?(?:又|就)?是?(?:个|一个)?什么"
                         r"([\u4e00-\u9fff]{2,4}?)(?:[？?，,。]|$)")
_WHAT_LIKE = re.compile(r"([\u4e00-\u9fff]{2,8})是(?:个|一个)?(?:什么样|怎样)的?(?:[？?，,。]|$)")

_COUNT_UNITS = ("万人次|人次|万人|个|家|张|人|名|座|所|户|次|场|条|项|万|类|种|期|床|岁|小时|天|通|平方米|㎡"
                "|台|辆|套|件|间|批|位|支|份"
                "|起|宗|例|笔|处|轮|篇|回|趟|遍")  # (classifiers of cases, sums, places: "查处了几起案子" is no share)
# a web or mail address asked for, and how one is written
_ADDRESS_ASKED = re.compile(r"网址|网站地址|网页地址|链接|邮箱|电子邮件|e-?mail", re.I)
_ADDRESS = (r"((?:https?://|www\.)[\w./\-?=&%]+|[\w.\-]+@[\w\-]+(?:\.[\w\-]+)+"
            r"|[\w\-]+(?:\.[\w\-]+)*\.(?:gov\.cn|com\.cn|org\.cn|com|cn|org|net)(?:/[\w./\-]*)?)")
# a number to dial asked for ("热线号码是多少", "电话多少", "打哪个电话"), not a count of calls ("接听了电话有多少…")
_NUMBER_TO_DIAL = re.compile(r"(?:电话|热线|号码)(?:号码|电话)?(?:是|为|号)?(?:多少|几号|什么)(?![次个通条])"
                             r"|哪个(?:电话|号码|热线)")
# what makes a number a count or an ordinal (提案第131058号), not a number to dial
_NOT_DIALLED = "次|个|人|户|张|家|所|座|名|场|项|条|元|万|亿|%|％|号"
_ALSO_NAMED = re.compile(r"([\u4e00-\u9fff]{1,8}[（(][\u4e00-\u9fff]{1,6}[）)])")
_ALSO_NAMED_BEFORE = re.compile(r"([\u4e00-\u9fff]{1,8})([（(][\u4e00-\u9fff]{1,6}[）)])(?:有|是|共有|一共)?$")
_PERSONS = r"(?:万人|人|名|位)(?!\s*/?\s*次)"  # people counted by what they are (老人, 志愿者): never 人次
UNIT_ALTERNATIVES = {
    "人": r"(?:万人次|万人|人/次|人次|人|名)",
    "人次": r"(?:万人次|人/次|人次)",
    "名": r"(?:名|人)",
    "床": r"(?:张|床)",
    "张": r"(?:万张|张)",
    # "多少个" is what people say of anything counted ("多少个咨询电话" for 1395次): any count unit, 个 preferred
    "个": r"(?:个|家|所|座|处|次|项|种|条|场|名|人|户|张|座)",
    "位": r"(?:位|人|名)",
    "件": r"(?:件|项)",
    "间": r"(?:间|个)",
    "家": r"(?:家|所|个)",
    "项": r"(?:项|种|类)",
    "种": r"(?:种|项|类)",
    "通": r"(?:次|通|个)",
    "次": r"(?:次|人次|通)",
    "回": r"(?:次|回|期|场|轮|届)",  # how many times, in everyday words: of anything held (两期培训班)
    "趟": r"(?:次|趟)",
    "遍": r"(?:次|遍)",
    "万": r"万(?:小时|平方米|人次|[\u4e00-\u9fff])?",  # (4.9万小时, not 4.9万小)
}


@dataclass(frozen=True)
class Question:
    text: str
    kind: str  # number | date | who | ordinal | list | fact
    unit: str | None  # regex of acceptable units (number questions)
    target: str | None  # regex for who-questions: the shape of the answer
    obj: tuple[str, ...]  # candidate names of the thing counted, best first ("多少家养老机构" → 养老机构)
    unit_word: str | None  # the unit as asked (家), preferred over its alternatives (个)
    keywords: tuple[tuple[str, float], ...]  # content tokens with a length weight
    places: tuple[str, ...]  # place names the question mentions (jieba ns tags)
    numbers: tuple[str, ...]  # numbers the question itself contains (never the answer)
    plan: bool  # asks about plans/targets (将/计划/力争…) rather than what was done
    signed: bool  # asks for the letter's own date (落款/印发/成文)
    grain: str | None = None  # the part a date answer must name: "day" (哪天), "month" (几月), "year", "span" (哪几年)
    done: bool = False  # asks what has been done (已经, 实际, 完成…), so what is only arranged does not answer

    @property
    def asks_title(self) -> bool:
        """Asks a document's name ("那个文件名字叫啥"): answered by its title in 《》, described in the question's
        own words."""
        return self.kind == "who" and self.target == TITLE_TARGET


# an ask with the measure word it carries ("几家", "多少钱"); what is left without it says what is asked about
# (with the magnitude it carries: "有多少万个" is asked whole, no 万个 left after the value put in its place)
MEASURED_ASK = re.compile(r"(?:多少|几)(?:钱|(?:万|亿)?(?:人次|元|[个家张人名座所户次项场条种类]))?")
# the name of a document asked for: "那个文件名字叫什么", "那个指导意见全称是什么", "实施意见叫什么名字"
_TITLE_ASK = re.compile(r"(?:文件|意见|办法|方案|通知|规划|细则|政策|规定)[^，,？?]{0,4}?(?:的)?"
                        r"(?:名字|名称|全称|标题|题目)"
                        r"|(?:文件|意见|办法|方案|通知|规划|细则)(?:的)?(?:叫|是)(?:什么|啥)(?!时候|时间)(?:名字)?"
                        # "粤府办〔2014〕33号是个什么文件", "印发的是什么办法": a document asked for by what it is
                        r"|是(?:个|一个|一份|份)?(?:什么|啥|哪个|哪份)(?:文件|办法|通知|意见|方案|规定|细则)"
                        r"|(?:照着|按照|依据|根据|依照)(?:省里|上级|国家)?(?:哪个|哪份|哪一个|什么)(?:通知|意见|办法|方案|规定|文件)"
                        # "…出台的综合性政策文件，叫什么名字": the document named, then its name asked
                        r"|(?:文件|意见|办法|方案|通知|规划|细则|政策|规定)[，,]\s*(?:它|这个|那个)?(?:叫|是)(?:什么|啥)"
                        r"(?:名字|名称)?(?=[？?。]|$)"
                        r"|(?:文件|意见|办法|方案|通知|规划|细则|政策|规定)[，,]\s*(?:它|这个|那个)?的?(?:名字|名称|全称)"
                        r"(?:叫|是)(?:什么|啥)")
_SHARE_WORDS = r"比例|比重|覆盖率|百分之|占比|率是|率达|率为|百分比|支付率"  # the words that ask a share
WHERE_ASKED = re.compile(r"哪个城市|哪座城市|哪个市|哪些城市|哪个地方|哪里|哪个地区"
                      r"|哪个(?:镇|县|乡|乡镇|街道|村|区县|县区)(?![长委])")  # a place asked for (哪个镇办的)
_DATE_ASK = re.compile(r"什么时候|何时|哪一年|哪几年|哪年|几月|哪个月|哪一个月|哪天|日期|什么时间|何年|哪一天|哪个时间"
                       rf"|{_QUARTER_Q.pattern}"
                       r"|时间[？?。]?$")  # "…制度：成立时间，…": a time named last, as an ask
# what a name is asked for by its kind: "哪家医院", "哪个系统", "什么公司", "哪家通信公司", or a thing named, then
# its name asked ("自主研发的那个…平台，叫什么名字": a name ending in 平台, not the words the question says of it)
_KINDS_NAMED = (r"(医院|公司|企业|系统|银行|学校|协会|小组|委员会|计划|工程|会场|场馆|宾馆|酒店|小程序|APP|App|app"
                r"|公众号|厂商|厂家|供应商|库{})")
_NAMED_KIND = re.compile(r"(?:哪一?|什么)(?:家|个|所|套)?[\u4e00-\u9fff]{0,2}?" + _KINDS_NAMED.format("")
                         + r"|" + _KINDS_NAMED.format("|平台")
                         + r"[，,]?(?:它|这个)?(?:叫什么名字|叫啥名字?|的?名称是?什么|的?名字(?:叫|是)什么)")


# "是哪个局在张罗", "由哪家机构主讲", "秘书工作落在谁家": a body asked for, and the name it is answered by
BODY_ASKED = re.compile(r"哪(?:个|一个|家)(?:部门|单位|机构)|谁家|哪(?:个|一个|家)?(?:局|厅)(?![长])")
BODY_TARGET = r"((?:市|省|区|县)?[\u4e00-\u9fff]{1,10}(?:局|厅|委员会|委|办公室|办|院|中心|公司))"


# a length of time asked ("签了几年合同", "为期多久"; not 哪几年, 近几年, 这几年, a span or a time) and how the
# letters write one: 3年, 三年, 6个月 (not the 19年 of 2019年)
_DURATION_Q = re.compile(r"(?<![哪近这那前后头每])几年(?![级前后来里内])|多少年(?![前后])"
                         r"|多久|多长时间|为期多长|期限多长")
DURATION = (r"((?:连续|持续|为期)?(?<![\d.])(?:[1-9]\d?|[一二三四五六七八九十两]{1,2})\s*(?:年|个月|个星期|周|天)"
            r"(?:期|内|以上)?)(?![\d年])")
_HOW_OFTEN_Q = re.compile(r"(?:多久|多长时间|几年|几个月|几天)[\u4e00-\u9fff]{0,4}?[一1](?:次|回|趟|期)|频次|频率")
HOW_OFTEN = r"((?:每|隔)[一二两三四五六七八九十\d]*(?:年|个?月|周|星期|天|日|季度|半年)|一年一次|一月一次|一周一次)"


# the demonstratives that point with 几 at things already named ("那几家发的通知", "这几样"): no count is asked
POINTING = "那这"
# a part pointed at ("…没集中供养的那部分有多少人"): a part of what was asked about, which names nothing itself
PART_POINTED = r"[这那]一?部分"


def without_verb(text: str) -> str:
    """"恩阳高龄补贴发" → 恩阳高龄补贴, "…试点放" → …试点: a one-character verb that led into an ask is no part of its
    subject."""
    words = list(pos.cut(text))
    verb = len(words) > 1 and len(words[-1].word) == 1 and words[-1].flag == "v"
    return text[: -len(words[-1].word)] if verb else text


def noun_before(text: str) -> str:
    """The text without the verbs and particles it ends with: what a count comes after is a noun phrase and its
    predicate ("县级中心敬老院建成运营了多少个" counts 敬老院, not 运营)."""
    words = list(pos.cut(text))
    while words and words[-1].flag[:1] in ("v", "u", "d", "p", "c", "r", "y", "j"):
        words.pop()
    return "".join(w.word for w in words)


def _place_apart(token: str) -> list[str]:
    """jieba joins a place and the unknown word after it ("恩阳五助"): the place and the rest are two words, as
    the letters write them apart (恩阳区…“五助”)."""
    for n in (2, 3):
        if len(token) >= n + 2 and is_place(token[:n]) and not is_place(token):
            return [token[:n], token[n:]]
    return [token]


class _Word(NamedTuple):
    word: str
    flag: str


def _city_apart(words: list[Any]) -> list[Any]:
    """jieba cuts a city's name apart when its last character starts a place of its own ("中山镇街" → 中|山镇|街): the
    one-character word and the start of the next that make a city (中山) are that city, not the other place."""
    out: list[Any] = []
    for w in words:
        if out and len(out[-1].word) == 1 and 2 <= len(w.word) <= 3 and w.word[-1] in "市区县" and (
                (whole := out[-1].word + w.word) in gazetteer()):
            out[-1] = _Word(whole, "ns")  # "彬|州市": a county-level city jieba does not know, cut at its 州
            continue
        if out and len(out[-1].word) == 1 and len(w.word) >= 2 and w.flag.startswith("ns") and (
                is_city(city := out[-1].word + w.word[0])):
            out[-1] = _Word(city, "ns")
            w = _Word(w.word[1:], "n")
        out.append(w)
    return out


def leading_nouns(text: str) -> str:
    """The noun phrase a text starts with, up to its first verb or preposition (jieba's tags)."""
    out = ""
    for w in pos.cut(text):
        if w.flag[:1] in ("v", "p", "c", "u", "r", "d") and out:
            break
        out += w.word
    return out


_COUNTERPART = dict(COUNTERPARTS)
_NEGATED = re.compile(r"(?:没有?|不是?|未|非)(?:进院|在院|住院|去)?(" + "|".join(_COUNTERPART) + ")")


def _unnegated(text: str) -> str:
    """"没进院集中养的" is the 分散 ones: a negated modifier that has a counterpart is that counterpart."""
    return _NEGATED.sub(lambda m: _COUNTERPART[m.group(1)], text)


# a count asked inside a clause whose later word asks something else: the count names what it is about
_LATER_ASK = re.compile(r"(?<!哪)(?:多少钱?|几[个家人])(?=[^，,？?]{1,12}?(?:什么|谁|哪(?![年天])))")


# several, said (好几家医院, 十几个, 几十个): a quantity the asker gives, no count asked
_SEVERAL = {"好几": "多", "十几": "十多", "几十": "数十"}
_SEVERAL_RE = re.compile("|".join(_SEVERAL))


# the measure named before the ask ("人次多少", "户数是多少"): what 多少人次, 多少户 ask
_UNIT_FIRST = re.compile(r"(人次|(?<=[\u4e00-\u9fff])[人户](?=数))数?\s*(?:是|有|为|一共|共|总共)?\s*(多少|几)"
                         r"(?![人个家张户次])")


# "原文那几个…的词报一下", "这几样列一下": the items pointed at, asked to be said
_THOSE_LISTED = re.compile(rf"[{POINTING}]几[个样种项条类块点][^，,？?。]*?(?:报|列|说|讲|写)(?:一下|下|出来|全)")


def analyse(question: str, tokenizer: Tokenizer) -> Question:
    text = _unnegated(question.strip())
    q = _UNIT_FIRST.sub(r"\2\1", _SEVERAL_RE.sub(lambda m: _SEVERAL[m.group(0)], text))
    asking = next((c for c in reversed(re.split(r"[，,；;]", q)) if re.search(r"多少|几|哪|什么", c)), q)
    if later := _LATER_ASK.search(asking):  # "护理员挣多少钱跟什么挂钩": 什么 asks; 挣多少钱 says about what (pay)
        q = q.replace(later.group(0), "", 1)
        asking = asking.replace(later.group(0), "", 1)
    kind, unit, target, unit_word = "fact", None, None, None
    obj_text = ""
    also = ""  # the thing counted with the other name it goes by, as the letters write it: 村（社区）
    if _TITLE_ASK.search(q):  # "医养结合那个文件名字叫啥": the title the letter gives it, in 《》
        kind, target = "who", TITLE_TARGET
    elif re.search(r"哪位代表|哪些委员|哪位委员|哪个代表|哪几位|谁提出|谁提的|提出人|是谁提|答复的是谁|答复给谁|致谁",
                   q):
        kind, target = "who", r"([\u4e00-\u9fff]{2,4}(?:等)?(?:代表|委员))[:：]"
    elif kind_of := KIND_OF.search(q):  # "医院能派什么样的护士上门": what the letter says of them, "…的护士"
        kind, target = "who", rf"(?P<kind_of>的)[\u4e00-\u9fff“”]{{0,5}}?{re.escape(kind_of.group(2))}"
    elif as_what := _AS_WHAT.search(q):  # "以什么为主要思路": what the letter puts between 以 and 为主要思路
        kind, target = "who", rf"以(?P<after>[^，,。；;]{{2,30}}?)为{re.escape(as_what.group(1))}"
    elif from_where := _FROM_WHERE.search(q):
        kind, target = "who", rf"从(?P<after>[^，,。；;从]{{2,20}}?){re.escape(from_where.group(1))}"
    elif what_like := _WHAT_LIKE.search(q):  # "社会养老服务体系是什么样的": what the letter says before "…的体系"
        kind, target = "who", rf"(?P<kind_of>的){re.escape(what_like.group(1))}"
    elif built := _BUILT_WHAT.search(q):  # "构建的是什么系统": what the letter builds, "…的内部循环系统", or
        # names right after the verb ("打造老年人服务示范网点")
        thing = re.escape(built.group(2))
        kind, target = "who", (rf"(?P<kind_of>的)[\u4e00-\u9fff“”]{{0,8}}?{thing}"
                               rf"|{built.group(1)}(?P<after>[\u4e00-\u9fff“”]{{1,12}}?{thing})")
    elif ROLE_ASK.search(q):  # "副召集人有哪些": who holds the role, not a list the letter enumerates
        kind, target = "who", "NOVEL"
    elif (re.search(rf"哪些|包括|有哪|哪几(?![年月天日])|哪五|哪四|哪三|哪两|什么内容|指什么|是什么|都(?:有|是)谁"
                    rf"|{OFFERS_WHAT}", q)
          or EACH_ITEM.search(q) or _THOSE_LISTED.search(q)) and not (
        re.search(
            rf"多少|(?<![哪{POINTING}])几[个家张人名座所户次项]|什么时候|什么时间|哪几年|哪一?年", q)
        or re.search(r"(?:编号|代号|代码|标准号|文号|字号)(?:是|叫)?什么", q)  # "标委会的代号是什么": a code, below
    ):
        kind = "list"
    elif _ADDRESS_ASKED.search(q):  # "平台网址是多少": an address, written as one (www.…, …@…), no count
        kind, target = "who", _ADDRESS
    elif _NUMBER_TO_DIAL.search(q) and not re.search(r"多少(?:个|条|部|次|通)", q) and not _DATE_ASK.search(
            asking) and not WHERE_ASKED.search(asking):
        # "…打了19626次关怀电话，这个数截至什么时候": the clause that asks asks a date; "哪个市开通了12349热线": a place
        # a number to dial is no count: "主动呼出老年人关怀电话19626次" gives no 热线号码
        kind, target = "who", rf"(?<![\d第])(\d{{5,12}})(?![\d.]|\s*[多余来]?\s*(?:{_NOT_DIALLED}))"
    elif re.search(r"编号|代号|代码|标准号", q):  # "标准委员会的编号": a code the letter writes (GD/TC134), no count
        kind, target = "who", r"(?<![A-Za-z])([A-Z][A-Za-z]{0,7}(?:/[A-Za-z]{1,6})?\s?\d+(?:[.\-]\d+)*)"
    elif re.search(r"文号|发文字号", q):  # "那个政策的文号是多少": a document number, whatever 多少 says
        kind, target = "who", r"([\u4e00-\u9fff]{1,8}[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*号)"
    elif re.search(r"第几|排第|排名|(?:什么|啥|哪个)名次|名次(?:是|为)?(?:多少|第几)|几级|几星|排老几|名列第?几|第几名",
                   q):  # ("这个名次是按哪个季度的通报来的": the quarter is asked, not the rank)
        kind = "ordinal"
    elif re.search(r"岁数|年龄|多大年纪|多少岁|几岁", q) and not re.search(r"(?:多少|几)\s*[位个人名户家]", asking):
        # ("按这个年龄线，有多少位高龄老人": people counted, by an age)
        kind, unit, unit_word = "number", r"(?:周岁|岁)", "岁"
    elif _DATE_ASK.search(asking) and not re.search(r"多少|几(?![月号日])", asking):
        kind = "date"  # "…比例是18.23%，这个占比是按哪个时间点算的": the clause that asks asks a time
    elif re.search(rf"{_SHARE_WORDS}|几成|多少成"
                   r"|[\u4e00-\u9fff]率(?:有|是|为|达到?)?(?:多少|几)"
                   r"|占(?:[\u4e00-\u9fff]{1,8}?的?)?(?:多少|几成)", q) and not re.search(
            rf"(?:多少|几)\s*(?:{_COUNT_UNITS})", q):  # "多大比例…公益金": a share, whatever it is of
        kind, unit = "number", r"%"
        # "床位中护理型床位占多少", "养老床位，护理型的占多少": the share of that part
        if part := re.search(r"(?:其中|中|里)([\u4e00-\u9fff]{2,8}?)的?占(?!比)"
                             r"|(?:^|[，,])([\u4e00-\u9fff]{2,8}?)的占(?!比)", q):
            obj_text = part.group(1) or part.group(2)
    elif _MONEY_ASK.search(q) or (  # "多少万" is a magnitude: 万人, 万元, 万张
            re.search(r"多少|几|多大", q) and not re.search(rf"(?:多少|(?<![这那])几)\s*(?:{_COUNT_UNITS})", q)
            and re.search(r"资金|金额|投入|投资|投了|花了|掏了|砸了|补贴|补助|经费|拨付|下拨|慰问金|公益金|奖金"
                          r"|费用|预算|钱", q)):
        kind, unit = "number", MONEY
        # the payment asked about, when the letters have a name for it (高龄补贴): no other money answers; a
        # fund (福彩公益金) is where money comes from, and what is paid out of it may be asked by its name
        obj_text = next((t for t in sorted(tokenizer.domain_terms, key=len, reverse=True)
                         if t in q and re.search(r"补贴|补助", t)), "")
    # (那几家, 这几个 point at things named before: they ask no count)
    elif m := re.search(rf"(?:多少|(?<![{POINTING}])几)\s*({_COUNT_UNITS})", q):
        word = "人" if q.startswith("个人", m.start(1)) else m.group(1)  # "医护几个人": people, not 600张
        kind, unit, unit_word = "number", UNIT_ALTERNATIVES.get(word, re.escape(word)), word
        # the thing counted: the nouns right after the measure word ("几个城市搞长护险试点" → 城市)
        after = re.split(r"[，,。？?！!；;]", q[m.end() :])[0].rsplit("的", 1)[-1]  # 多少通老人的咨询来电 → 咨询来电
        after = re.sub(r"^\s*[（(][^（()）]*[）)]", "", after)  # "有几家（截至22年6月10日）": an aside, nothing counted
        term = next((t for t in sorted(tokenizer.domain_terms, key=len, reverse=True) if after.startswith(t)), "")
        first = next(iter(pos.cut(after)), None)
        # ("基地有几个入选": a verb after the measure word; what is counted comes before it)
        obj_text = term or ("" if first is not None and first.flag == "v" else leading_nouns(after))
        # "几个村（社区）": a name with the other name it goes by, counted as the letters write it
        if right := _ALSO_NAMED.match(after):
            also = right.group(1)
        elif left := _ALSO_NAMED_BEFORE.search(q[: m.start()]):  # "恩阳村（社区）有几个": the word before the name
            word = list(pos.cut(left.group(1)))[-1].word
            cut = max((i for i in range(1, len(word)) if is_place(word[:i])), default=0)  # 恩阳村 → 村
            also = word[cut:] + left.group(2)
        if not obj_text:  # "民办养老机构有多少家？": the thing counted comes first
            # (一共/总共 say it is the total: "在线医疗产品总共有几个" counts 在线医疗产品)
            before = re.search(r"([\u4e00-\u9fff]{2,12}?)(?:一共|总共|共计|合计|总计)?"
                               r"(?:有|是|为|达到?|共|建成了?|建了?)?(?:多少|几)", q)
            obj_text = noun_before(before.group(1).split("的")[-1]) if before else ""
            # a place is where, not what is counted; a kind of place (街道, 社区) may be counted ("街道几个")
            bare = re.sub(r"^其中", "", obj_text)
            obj_text = "" if is_place(bare) and bare not in GENERIC else obj_text
            if not obj_text and (whole := re.search(r"([\u4e00-\u9fff]{2,12})[，,]\s*其中", q)):
                obj_text = noun_before(whole.group(1))  # "温州民办养老机构，其中鹿城有多少家": 民办养老机构 are counted
    elif _HOW_OFTEN_Q.search(q):  # "多久办一回", "多长时间推送一次": how often (每周, 隔年)
        kind, target = "who", HOW_OFTEN
    elif _DURATION_Q.search(q):  # "签了几年合同", "连着搞了多久": a length of time, never a year (2019年)
        kind, target = "who", DURATION
    elif re.search(_SHARE_WORDS, q):
        kind, unit = "number", r"%"
    elif re.search(rf"多少|(?<![哪{POINTING}])几(?![年月])|数量|规模|多大", q):
        kind = "number"
    elif _DATE_ASK.search(q):
        kind = "date"
    elif re.search(r"签发人", q):
        kind, target = "who", r"签发人[:：]\s*([\u4e00-\u9fff]{2,4})"
    elif re.search(r"联系人", q):
        kind, target = "who", r"联系人[:：]\s*([\u4e00-\u9fff]{2,4})"
    elif named := _NAMED_KIND.search(q):  # "交给哪家医院托管", "用的是哪个系统": a name ending in that kind
        kind, target = "who", rf"([\u4e00-\u9fff]{{1,14}}{named.group(1) or named.group(2)})"
    elif WHERE_ASKED.search(q):
        kind, target = "who", "PLACE"
    # "是哪个局在张罗", "秘书工作落在谁家": a body
    elif re.search(r"哪(?:个|一个)?(?:科室|处室|科|处)(?![长学技理置])", q):  # "由民政局哪个科室负责": an office
        kind, target = "who", r"([\u4e00-\u9fff]{1,10}(?:科室|处室|科))(?![\u4e00-\u9fff])"
    elif BODY_ASKED.search(q):
        kind, target = "who", BODY_TARGET
    elif "谁" in q:  # a person or a role ("由分管省领导担任召集人"): what the letter says beyond the question
        kind, target = "who", "NOVEL"
    if kind == "number" and unit is None and not obj_text:
        # a name may open with Latin letters or digits (多少5G基站)
        after = re.match(r"[\dA-Za-z]*[\u4e00-\u9fff]{2,10}", q[q.find("多少") + 2 :]) if "多少" in q else None
        if after:  # "把多少在职职工纳入…": the thing counted follows 多少
            obj_text = leading_nouns(re.split(r"[的了把被纳]", after.group(0))[0])  # 多少志愿者参加 → 志愿者
    if kind == "number" and unit is None and not obj_text:
        m = re.search(r"([\u4e00-\u9fff]{2,10}?)(?:有|是|为|达到?|共)?多少", q)  # "医生有多少": 医生
        obj_text = noun_before(m.group(1).split("的")[-1]) if m else ""  # 华宇乐颐养院的医护人员 → 医护人员
    if kind == "number" and unit is None and _PEOPLE.search(obj_text):  # "服务了多少老人": people, not 100张
        # (人数 counts persons, not times served: 1025名, not 服务人次超33万)
        word = "名" if obj_text.endswith("人数") else "人"
        unit, unit_word = UNIT_ALTERNATIVES[word], word
        if word == "人" and obj_text not in ("人", "人次"):  # "服务多少老人": persons, not 服务人次超33万
            unit = _PERSONS
    words: dict[str, float] = {}
    # the words that ask for a title (这个文件叫什么名字) are not words its sentence must have
    for whole in tokenizer.tokens(_ASK_WORDS.sub("，", _TITLE_ASK.sub("，", q) if target == TITLE_TARGET else q)):
        for tok in _place_apart(whole):
            if re.fullmatch(r"[\d.]+", tok):
                continue
            words[tok] = max(words.get(tok, 0.0), min(len(tok), 4) / 2)
    # longest first: the specific name (家庭照护床位) before its parts (床位)
    toks = [t for t in tokenizer.tokens(obj_text) if len(t) >= 2]
    obj = tuple(sorted(dict.fromkeys(toks), key=lambda t: (-len(t), toks.index(t))))
    if also:
        obj = (also, *obj)
    cut = _city_apart(list(pos.cut(q)))
    places = tuple(dict.fromkeys(  # jieba's place tags, checked against the gazetteer (上门 is tagged ns)
        w.word for i, w in enumerate(cut) if w.word not in _NOT_PLACES and len(w.word) >= 2 and (
            ((w.flag.startswith("ns") or w.flag == "nr") and is_place(w.word))
            # a city's short name read as a plain noun, when no noun follows it: 宝鸡那边, not 日照中心
            or (w.flag == "n" and is_city(w.word) and (i + 1 == len(cut) or not cut[i + 1].flag.startswith("n"))))
    ))
    numbers = tuple(re.findall(r"\d+(?:\.\d+)?", q))
    signed = kind == "date" and bool(re.search(r"落款|印发|成文|发文|签发日期|哪天发", q))
    grain = ("span" if _SPAN_Q.search(q) else "quarter" if _QUARTER_Q.search(q) else "day" if _DAY_Q.search(q)
             else "month" if _MONTH_Q.search(q)
             else "year" if _YEAR_Q.search(q) else None) if kind == "date" else None
    # "到2022年全覆盖以后，实际一共建成了多少个": a clause that asks what was done is not asking a plan
    plan = bool(PLAN_Q.search(asking)) if DONE_Q.search(asking) else bool(PLAN_Q.search(q))
    return Question(text, kind, unit, target, obj, unit_word, tuple(words.items()), places, numbers,
                    plan, signed, grain, done=not plan and bool(DONE_Q.search(q)))
