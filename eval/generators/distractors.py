"""SYNTHETIC distractor letters for tests and benchmarks — NOT real government documents.

Every letter this module writes is machine-generated from templates and random numbers. The bureaus,
people, document numbers, figures and dates are invented; none of it is a statement by any real office.
Files are named ``synthetic-00001.txt`` … so they can never be mistaken for the real corpus, while the
letter bodies are deliberately realistic (bureau line, 某民函〔2021〕12号, 关于…的答复函, addressee,
numbered sections 一、（一）一是…, closing, signature, date, contact) and reuse the vocabulary of the five
real letters in corpus/ (养老机构, 床位, 适老化改造, 医养结合, 互助幸福院, 智慧养老, 5G基站 …): a retriever
benchmarked on corpus/ plus these letters has to tell near-identical passages apart.

What the evaluation set relies on (checked by tests/eval/test_distractors.py):
  * no term of EXCLUDED_TERMS ever appears — the real bureaus' places, places named inside the real
    letters, places of the unanswerable QA items (eval/data/qa.jsonl), entities and people whose
    uniqueness QA items rely on — so answerable questions keep one source and unanswerable ones stay
    unanswerable;
  * no evidence string of eval/data/qa.jsonl appears either (such draws are redrawn), so a passage that
    holds a QA item's evidence is still that item's real source;
  * letter ``i`` of seed ``s`` is always the same text, whatever ``n`` is (for the same qa.jsonl).

    python -m eval.generators.distractors OUT_DIR --n 3000 --seed 0
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections.abc import Callable, Collection
from pathlib import Path

EXCLUDED_TERMS: tuple[str, ...] = (
    "中山", "恩阳", "巴中", "温州", "广东", "咸阳",
    "深圳", "北京", "上海", "成都", "杭州", "重庆",
    "广州", "珠海", "湛江", "茂名", "云浮", "东莞", "惠州", "汕头", "鹿城", "彬州", "渭城", "兴平",
    "武功", "乾县", "泾阳", "三原", "永寿", "长武", "陕西", "东凤", "玉山", "登科", "白玉", "麻石", "文治",
    "时间银行", "一键通", "五助", "四化一站", "爱心餐厅", "银龄安康", "金民系统", "华宇乐", "广弘",
    "刘芳", "陈庆", "金谧", "杨兴全", "温蓉", "肖石龙", "吴克昌", "舒瑜", "赵斌正",
)  # fmt: skip
REAL_DOC_PREFIXES: tuple[str, ...] = ("中民函", "恩民政函", "温民提", "粤民函", "咸民函")

# (city, short form for document numbers, districts); none contains an EXCLUDED_TERMS entry
CITIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("洛阳市", "洛", ("涧西区", "西工区", "偃师区")), ("南阳市", "宛", ("卧龙区", "宛城区")),
    ("开封市", "汴", ("龙亭区", "祥符区")), ("绵阳市", "绵", ("涪城区", "游仙区")),
    ("宜宾市", "宜", ("翠屏区", "叙州区")), ("株洲市", "株", ("荷塘区", "芦淞区")),
    ("岳阳市", "岳", ("岳阳楼区", "君山区")), ("常德市", "常", ("武陵区", "鼎城区")),
    ("赣州市", "赣", ("章贡区", "南康区")), ("九江市", "浔", ("濂溪区", "浔阳区")),
    ("芜湖市", "芜", ("镜湖区", "鸠江区")), ("安庆市", "宜", ("迎江区", "大观区")),
    ("扬州市", "扬", ("广陵区", "邗江区")), ("镇江市", "镇", ("京口区", "润州区")),
    ("盐城市", "盐", ("亭湖区", "盐都区")), ("潍坊市", "潍", ("潍城区", "奎文区")),
    ("烟台市", "烟", ("芝罘区", "莱山区")), ("临沂市", "临", ("兰山区", "罗庄区")),
    ("保定市", "保", ("竞秀区", "莲池区")), ("邯郸市", "邯", ("丛台区", "复兴区")),
    ("大同市", "同", ("平城区", "云冈区")), ("包头市", "包", ("昆都仑区", "青山区")),
    ("鞍山市", "鞍", ("铁东区", "铁西区")), ("牡丹江市", "牡", ("东安区", "爱民区")),
    ("桂林市", "桂", ("秀峰区", "七星区")), ("柳州市", "柳", ("城中区", "鱼峰区")),
    ("遵义市", "遵", ("红花岗区", "汇川区")), ("曲靖市", "曲", ("麒麟区", "沾益区")),
    ("天水市", "天", ("秦州区", "麦积区")), ("泉州市", "泉", ("丰泽区", "洛江区")),
    ("宜昌市", "宜", ("西陵区", "夷陵区")), ("襄阳市", "襄", ("襄城区", "樊城区")),
)  # fmt: skip
PROVINCES: tuple[tuple[str, str], ...] = (
    ("河南省", "豫"), ("湖南省", "湘"), ("江西省", "赣"), ("安徽省", "皖"), ("江苏省", "苏"),
    ("山东省", "鲁"), ("河北省", "冀"), ("山西省", "晋"), ("湖北省", "鄂"), ("福建省", "闽"),
    ("贵州省", "黔"), ("云南省", "滇"), ("甘肃省", "甘"), ("辽宁省", "辽"),
)  # fmt: skip

# ---- elder care: section heading -> sentence templates; {slot}s are filled by _fill ----
ELDERLY_SECTIONS: dict[str, tuple[str, ...]] = {
    "持续推进养老服务设施建设": (
        "建成城镇社区日间照料中心{mid}个、农村互助幸福院{big}个，对城乡高龄、留守、空巢等老年人提供日间照料服务",
        "建成乡镇（街道）养老服务中心{mid}个（其中{district}{small}个），社区养老服务综合体{small}个",
        "{all}{small}个县市区建成运营县级中心敬老院{small}个、区域性敬老院{small}个",
        "目前在建约{small}个民办养老机构，约有{beds_small}张养老床位",
        "加快推进200张床位以上公办护理型养老机构建设，建成{district}区域性养老服务中心，床位{beds_small}张",
    ),
    "加大资金支持力度": (
        "从本级福彩公益金列支{money}万元，对绩效考评良好以上的{mid}个日间照料中心每个给予{small}万元运营补贴",
        "对{small}家民办养老机构给予一次性建设补贴{dec}万元",
        "对民办养老机构新增床位，每张床位给予{bed_sub}元补贴，并按收住老人护理程度给予每人每月{sub}元运营补贴",
        "{prev}年，{all}投入养老服务体系建设资金{invest}亿元，其中财政补助资金{invest_fin}亿元",
        "累计投入日间照料中心建设补助资金{money}万元、运行补贴资金{dec}万元",
        "各级财政将福利彩票公益金{pct_int}%以上的资金集中用于支持养老服务体系建设",
    ),
    "推进医养康养融合发展": (
        "截至{prev}年底，{we}已经推动{mid}家养老机构实现医养结合工作，达到了{pct}%的覆盖率",
        "每年组织{small}期医养结合人才培训班，并选派人员参加老年医学人才培训班",
        "{all}{pct_int}%医疗卫生机构设立老年人就医绿色通道，综合性二级以上医院设置老年科超过{pct_int}%",
        "{district}人民医院托管辖区敬老院，设立医养结合中心，住院病床{beds_small}张",
        "{all}{mid}家开展“互联网+护理”服务的医疗单位已将服务电话向社会公布",
    ),
    "加强智慧养老平台建设": (
        "{bureau}于{month}启动智慧健康养老信息平台建设，平台于{date}正式上线运行",
        "截至{date2}，信息平台服务申请审批记录{big}条，助洁、助餐、助医、定期巡访等服务记录约{dec}万条",
        "调度中心话务坐席共接听{big}次电话咨询，主动呼出老年人关怀电话{big}次，入驻服务商{mid}家",
        "累计建成5G基站{big}座，每万人拥有5G基站数{dec}座，{rank_scope}排名第{rank}",
        "建成统一的智慧养老综合平台，包含老年人数据库、居家养老、机构养老、服务管理等模块",
        "{year}年开展智慧助老活动{mid}场，直接服务老年人{people}人次",
    ),
    "健全留守空巢老人关爱服务机制": (
        "{prev}年重阳节期间下拨慰问金{dec}万元，对{all}{people_small}名80岁以上生活困难老年人进行慰问",
        "建立农村留守、高龄、空巢（独居）老人定期走访、探望关爱服务制度，累计探访{people}人次",
        "为{all}80周岁以上老人{people}人/次发放高龄补贴{money}万元",
        "在{all}建设{mid}个老年助餐点，目前受益对象{people_small}人",
    ),
    "大力推进居家适老化改造": (
        "计划投资{money}万元，实施家庭适老化改造项目，为{mid}余户失能、半失能困难老年人家庭进行无障碍设施改造",
        "完成{small}所敬老院“适老化”改造提升，改造提升养老床位{beds_small}张，投入资金{money}万元",
        "今年安排困难老年人家庭居家适老化改造补助资金{money}万元，助力{mid}户老年人居家适老化改造",
        "完成{mid}户特殊困难老年人家庭居家适老化改造工作，群众满意度达到{pct}%",
    ),
    "完善农村养老服务体系": (
        "加强农村互助幸福院运营管理，实施绩效考评“以奖代补”，落实补助资金{dec}万元",
        "{all}特困供养人员{tk_total}人（其中：集中供养{tk_central}人，农村分散供养{tk_dispersed}人）",
        "推动{small}所乡镇敬老院转型为区域性养老服务中心，床位利用率提高到{pct}%",
        "利用闲置校舍、厂房等村集体资源建设农村互助养老服务设施{mid}个",
    ),
    "加强养老服务人才队伍建设": (
        "组织开展养老护理员培训{mid}期，培训各类养老服务人才{people}人次",
        "依托养老服务协会设立养老护理员职业技能鉴定中心，累计{people_small}人取得职业技能等级证书",
        "护理型床位配备率达到{pct}%以上，养老护理员持证上岗率达到{pct}%",
    ),
    "推进长期护理保险制度试点": (
        "长期护理保险试点已覆盖{dec}万名参保人员，累计共有{people}人享受长护险待遇",
        "长护险基金累计支付{dec}亿元，符合规定的长期护理费用基金支付率为{pct}%，总体支付率为{pct}%",
        "于{month}出台长期护理保险制度试点实施方案，正式启动长期护理保险试点工作",
    ),
    "深化养老服务社会化改革": (
        "目前，{we}已推动{mid}家养老机构、{big}家居家养老服务照料中心实现公建民营",
        "在{year}年，{we}要推动{mid}家养老机构、{big}家社区居家养老服务照料中心社会化运营",
        "组建养老服务机构公建民营运营商库，引入专业养老运营机构{small}家",
        "目前已有{small}个示范型养老标杆项目在筹备、建设中，总投资约{dec}亿元",
    ),
    "推进居家社区养老服务": (
        "累计投入资金{money}万元，为城乡特困老人、高龄老人共{people}人/次提供助餐、助浴、助洁、助医入户服务",
        "建立家庭养老床位{mid}张，为居家失能老年人提供上门护理服务",
        "{year}年{all}累计开展各类为老服务活动{big}场，服务人次超{mid}万",
        "为{mid}户特困老人提供7×24小时全天候居家安全及健康监护服务",
    ),
}
ELDERLY_FACTS = (
    "截至{prev}年底，{we}60岁以上老年人总数为{elderly}万人，占户籍人口总数的{elderly_pct}%",
    "目前，{we}共有{inst}家养老机构（其中{district}{inst_d}家），民办养老机构{inst_private}家，"
    "占{all}养老机构{private_pct}%，建有{beds}张养老床位",
    "{all}城乡各类养老床位{beds}张，每千名老人拥有各类养老床位{per_k}张",
    "现有公办养老机构{small}所、床位{beds_small}张；民办养老机构{small}所、床位{beds_small}张",
)
ELDERLY_PLANS = (
    "加快推进养老服务设施建设，力争到{next}年社区日间照料机构覆盖率达到{pct_int}%以上",
    "完善农村互助幸福院运营管理，实施绩效考评“以奖代补”，提高设施使用率",
    "推进医养结合，支持乡镇卫生院和敬老院“两院一体”发展，推动养老机构与医疗机构签约合作",
    "加快智慧养老服务平台建设，推动5G、物联网、人工智能等技术在养老服务领域深度应用",
    "有序推进长期护理保险制度试点，合理确定保障范围和待遇标准，建立多元筹资机制",
    "健全农村留守老年人关爱服务机制，建立定期探访制度，把探访、帮扶落到实处",
    "鼓励老年人家庭进行适老化改造，推动设立家庭养老床位，开展失能老年人家庭成员照护培训",
    "深化公建民营改革，健全民办养老机构新建和运营补贴制度，吸引更多社会资本进入养老服务市场",
    "加强养老护理员分级分类培训，推动护理员报酬待遇与职业技能等级挂钩",
)
ELDERLY_TITLES = (
    "加快发展农村养老服务", "推进智慧养老建设", "加强养老服务体系建设", "推进医养结合发展",
    "加大农村互助养老帮扶力度", "促进养老产业高质量发展", "完善居家社区养老服务", "推进老年人居家适老化改造",
)  # fmt: skip

OTHER_TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "教育": {
        "titles": ("扩大普惠性学前教育资源", "推进义务教育优质均衡发展", "加强乡村教师队伍建设"),
        "plans": (
            "持续扩大普惠性学前教育资源供给",
            "推进县域义务教育优质均衡发展",
            "加强乡村教师队伍建设，落实乡村教师生活补助",
        ),
        "facts": (
            "{all}现有义务教育学校{mid}所，在校生{people}人，专任教师{big}人",
            "普惠性幼儿园覆盖率达到{pct}%，公办园在园幼儿占比{pct}%",
        ),
        "扩大学位供给": (
            "{year}年新建、改扩建中小学和幼儿园{small}所，新增学位{big}个",
            "投入资金{money}万元，完成{mid}所薄弱学校改造",
        ),
        "加强教师队伍建设": (
            "招聘新教师{mid}名，组织教师培训{people}人次",
            "乡村教师生活补助标准提高到每人每月{sub}元",
        ),
        "推进教育信息化": (
            "建成智慧教室{mid}间，5G网络覆盖{pct}%的中小学校",
            "建设教育资源公共服务平台，注册用户{people}人",
        ),
    },
    "交通": {
        "titles": ("优化城市公交线网", "加强农村公路建设", "缓解城区停车难问题"),
        "plans": (
            "持续优化公交线网，推进城乡公交一体化",
            "加快“四好农村路”建设",
            "推进公共停车设施建设，规范路内停车管理",
        ),
        "facts": (
            "{all}现有公交线路{mid}条，运营车辆{big}辆，其中新能源车辆占比{pct}%",
            "农村公路总里程{big}公里，建制村通客车率达到{pct}%",
        ),
        "优化公交线网布局": (
            "新开、优化公交线路{small}条，为65周岁以上老年人提供免费乘车服务",
            "建成公交首末站{small}个，公交站点500米覆盖率达到{pct}%",
        ),
        "推进农村公路建设": ("投入资金{money}万元，改造提升农村公路{mid}公里", "完成危桥改造{small}座"),
        "加强停车设施建设": ("{year}年新增公共停车位{big}个", "推出适老化出行服务，设置老年人电话叫车服务点{mid}个"),
    },
    "住房": {
        "titles": ("加快老旧小区改造", "推进既有住宅加装电梯", "增加保障性租赁住房供给"),
        "plans": ("统筹推进老旧小区改造和适老化改造", "简化既有住宅加装电梯审批流程", "多渠道筹集保障性租赁住房"),
        "facts": (
            "{year}年{all}计划改造老旧小区{mid}个，涉及居民{people}户",
            "筹集保障性租赁住房{big}套，发放住房租赁补贴{money}万元",
        ),
        "推进老旧小区改造": (
            "在老旧小区改造中同步开展适老化改造，增设无障碍通道和扶手{big}处",
            "新建住宅小区按每百户不少于{small}0平方米标准配建养老服务设施",
        ),
        "推动既有住宅加装电梯": (
            "{all}累计完成既有住宅加装电梯{big}台，财政补助资金{money}万元",
            "对加装电梯项目每台给予{bed_sub}元补助，简化审批流程",
        ),
        "增加保障性住房供给": ("新开工保障性租赁住房{big}套", "为{people}户城镇中低收入住房困难家庭发放租赁补贴"),
    },
}
# elder-care bureaus: (city/district unit, province unit, document-number stem, section headings or None=all)
ELDERLY_BUREAUS: tuple[tuple[str, str, str, tuple[str, ...] | None], ...] = (
    ("民政局", "民政厅", "民函", None), ("民政局", "民政厅", "民政函", None), ("民政局", "民政厅", "民提", None),
    ("卫生健康委员会", "卫生健康委员会", "卫健函",
     ("推进医养康养融合发展", "加强智慧养老平台建设", "推进居家社区养老服务", "加强养老服务人才队伍建设")),
    ("医疗保障局", "医疗保障局", "医保函", ("推进长期护理保险制度试点", "推进医养康养融合发展", "加大资金支持力度")),
    ("人力资源和社会保障局", "人力资源和社会保障厅", "人社函",
     ("加强养老服务人才队伍建设", "推进长期护理保险制度试点", "加大资金支持力度", "推进居家社区养老服务")),
)  # fmt: skip
OTHER_BUREAUS = {"教育": ("教育局", "教育厅", "教函"), "交通": ("交通运输局", "交通运输厅", "交函"),
                 "住房": ("住房和城乡建设局", "住房和城乡建设厅", "建函")}  # fmt: skip
ELDERLY_SHARE = 0.8  # the rest is split evenly over OTHER_TOPICS

SURNAMES = "王李张陈杨黄赵周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾田董潘袁蔡蒋余杜叶程魏苏吕丁"
GIVEN = "伟敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华萍红玲燕鹏辉宇浩凯健俊帆旭宁林欢佳颖晨晶琳志建国海"
NUMS = "一二三四五六七八九"
SUB_NUMS = ("（一）", "（二）", "（三）")
ORDINALS = ("一是", "二是", "三是", "四是", "五是", "六是")

QA_PATH = Path(__file__).parents[1] / "data" / "qa.jsonl"
_MAX_ATTEMPTS = 50
_WS = re.compile(r"\s+")
Rng = random.Random
_SLOT = re.compile(r"\{(\w+)\}")
SLOTS: dict[str, Callable[[Rng], str]] = {
    "pct": lambda r: f"{r.uniform(15, 99):.{r.choice((1, 2))}f}",
    "pct_int": lambda r: str(r.randint(10, 95)),
    "beds_small": lambda r: str(r.randint(50, 1500)),
    "small": lambda r: str(r.randint(2, 15)),
    "mid": lambda r: str(r.randint(16, 400)),
    "big": lambda r: str(r.randint(401, 25000)),
    "people": lambda r: str(r.randint(300, 150000)),
    "people_small": lambda r: str(r.randint(20, 900)),
    "money": lambda r: str(r.choice((r.randint(10, 3000), r.randint(1, 300) * 10))),
    "dec": lambda r: f"{r.uniform(0.5, 99):.{r.choice((1, 2))}f}",
    "bed_sub": lambda r: str(r.randint(1, 30) * 500),
    "sub": lambda r: f"{r.randint(1, 5) * 100}-{r.randint(6, 12) * 100}",
    "rank": lambda r: NUMS[r.randint(0, 8)],
}


def _fill(template: str, r: Rng, ctx: dict[str, str]) -> str:
    return _SLOT.sub(lambda m: ctx[m.group(1)] if m.group(1) in ctx else SLOTS[m.group(1)](r), template)


def _numeral(n: int) -> str:
    """1..99 as Chinese numerals (十三, 二十一)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else NUMS[tens - 1] + "十")
    return head + (NUMS[ones - 1] if ones else "")


def _person(r: Rng) -> str:
    while True:
        name = r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2, 2))))
        if not any(t in name for t in EXCLUDED_TERMS):
            return name


def _date(r: Rng, year: int) -> str:
    return f"{year}年{r.randint(1, 12)}月{r.randint(1, 28)}日"


def _context(r: Rng, level: str, bureau: str, sub_place: str, year: int) -> dict[str, str]:
    """Letter-wide values, so the figures of one letter agree with each other."""
    scale = {"province": 20.0, "city": 1.0, "district": 0.15}[level]
    inst = max(8, int(r.randint(60, 500) * scale**0.7))
    private = int(inst * r.uniform(0.3, 0.75))
    elderly = r.uniform(20, 160) * scale
    central = r.randint(100, 3000)
    dispersed = int(central * r.uniform(1.5, 9))
    invest = r.uniform(0.3, 6) * scale**0.8
    we, all_ = {"province": ("我省", "全省"), "city": ("我市", "全市"), "district": ("我区", "全区")}[level]
    return {
        "we": we, "all": all_, "bureau": bureau, "district": sub_place,
        "year": str(year), "prev": str(year - 1), "next": str(year + r.randint(1, 3)),
        "date": _date(r, year - 1), "date2": _date(r, year), "month": f"{year - 1}年{r.randint(1, 12)}月",
        "elderly": f"{elderly:.1f}", "elderly_pct": f"{r.uniform(14, 26):.2f}",
        "inst": str(inst), "inst_d": str(max(1, inst // r.randint(5, 20))), "inst_private": str(private),
        "private_pct": f"{100 * private / inst:.1f}", "beds": str(int(inst * r.uniform(60, 140))),
        "invest": f"{invest:.2f}", "invest_fin": f"{invest * r.uniform(0.1, 0.5):.2f}",
        "per_k": str(r.randint(18, 45)), "rank_scope": "全国" if level == "province" else "全省",
        "tk_central": str(central), "tk_dispersed": str(dispersed), "tk_total": str(central + dispersed),
    }  # fmt: skip


def _paragraph(templates: list[str], r: Rng, ctx: dict[str, str], ordinal: bool = False) -> str:
    parts = [_fill(t, r, ctx) for t in templates]
    return "".join(f"{ORDINALS[i]}{s}。" if ordinal else f"{s}。" for i, s in enumerate(parts))


def qa_evidence(path: Path = QA_PATH) -> frozenset[str]:
    """Evidence strings of the QA set (whitespace removed); empty when the file is absent."""
    if not path.is_file():
        return frozenset()
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return frozenset(_WS.sub("", row["evidence"]) for row in rows if row.get("evidence"))


def letter(seed: int, index: int, avoid: Collection[str] = ()) -> str:
    """Synthetic letter number ``index`` for ``seed`` (independent of how many are generated).

    A draw whose text (whitespace removed) contains a string of ``avoid`` — e.g. a QA evidence such as
    "每千名老人拥有各类养老床位21张" — is thrown away and redrawn from a derived seed, so evidence stays unique
    to its real letter even with the distractors added.
    """
    for attempt in range(_MAX_ATTEMPTS):
        text = _compose(random.Random(f"distractor-{seed}-{index}" + (f"-{attempt}" if attempt else "")))
        flat = _WS.sub("", text)
        if not any(a in flat for a in avoid):
            return text
    raise RuntimeError(f"letter {index} (seed {seed}) kept containing an avoided string after {_MAX_ATTEMPTS} draws")


def _compose(r: Rng) -> str:
    if r.random() < ELDERLY_SHARE:
        topic = "养老"
        unit, unit_prov, stem, allowed = r.choices(ELDERLY_BUREAUS, weights=(4, 2, 1, 1, 1, 1))[0]
        sections = {h: ELDERLY_SECTIONS[h] for h in (allowed or ELDERLY_SECTIONS)}
        titles, facts, plans = ELDERLY_TITLES, ELDERLY_FACTS, ELDERLY_PLANS
    else:
        topic = r.choice(list(OTHER_TOPICS))
        spec = OTHER_TOPICS[topic]
        unit, unit_prov, stem = OTHER_BUREAUS[topic]
        sections = {h: v for h, v in spec.items() if h not in ("titles", "facts", "plans")}
        titles, facts, plans = spec["titles"], spec["facts"], spec["plans"]

    level = r.choices(("city", "district", "province"), weights=(6, 3, 1))[0]
    city, short, districts = r.choice(CITIES)
    if level == "province":
        place, short = r.choice(PROVINCES)
        bureau, sub_place, body = place + unit_prov, city, "省人大"
    elif level == "district":
        district = r.choice(districts)
        place, short = city + district, district[0]
        bureau, sub_place, body = place + unit, "城区", "区政协"
    else:
        place, bureau, sub_place = city, city + unit, r.choice(districts)
        body = r.choice(("市人大", "市政协"))
    year = r.randint(2018, 2024)
    ctx = _context(r, level, bureau, sub_place, year)

    nth, k = _numeral(r.randint(2, 15)), _numeral(r.randint(1, 7))
    session = f"{body[0]}{nth}届人大{k}次会议" if body.endswith("人大") else f"{body}{nth}届{k}次会议"
    if level == "province":
        session = place + session[1:]
    no = r.randint(1, 1500)
    kind, role = ("提案", "委员") if body.endswith("政协") else ("建议", "代表")
    doc = f"{short}{stem}〔{year}〕{r.randint(1, 800)}号"
    title = (
        f"关于{session}第{no}号{kind}的答复函" if r.random() < 0.5 else f"{bureau}关于{session}第{no}号{kind}答复的函"
    )
    head = [doc, bureau] if r.random() < 0.5 else [bureau, doc]
    lines = [head[0], "", head[1], "", title, ""]
    lines += [f"{_person(r)}{'等' if r.random() < 0.2 else ''}{role}：", ""]
    opening = f"您提出的《关于{r.choice(titles)}的建议》（第{no}号{kind}）收悉"
    if r.random() < 0.5:
        others = ("财政局", "卫生健康局", "发展和改革局", "自然资源局", "住房和城乡建设局", "医疗保障局")
        others = tuple(o for o in others if o[:2] != unit[:2])
        opening += "。经综合" + "、".join(r.sample(others, 3)) + "等单位意见"
    lines += [opening + "，现答复如下：", ""]
    lines += [_paragraph(r.sample(facts, r.randint(2, len(facts))), r, ctx), ""]

    headings = r.sample(list(sections), min(r.randint(3, 7), len(sections)))
    for num, heading in zip(NUMS, headings, strict=False):
        lines += [f"{num}、{heading}", ""]
        pool = list(sections[heading])
        r.shuffle(pool)  # each template at most once per letter
        style = r.random()
        if style < 0.35 and len(pool) >= 4:
            for sub, i in zip(SUB_NUMS, range(0, len(pool), 2), strict=False):
                lines += [sub + _paragraph(pool[i : i + 2], r, ctx), ""]
        else:
            take = pool[: r.randint(2, len(pool))]
            lines += [_paragraph(take, r, ctx, ordinal=style < 0.7 and len(take) > 1), ""]
    if r.random() < 0.7:
        lines += [
            "下一步，我们将认真吸纳您的建议，重点做好以下几点工作：",
            _paragraph(r.sample(plans, r.randint(2, min(5, len(plans)))), r, ctx, ordinal=True),
            "",
        ]

    closings = (
        "专此答复，诚挚感谢您对我们工作的关心支持。",
        "感谢您对我们工作的支持和关心，欢迎提出更多宝贵意见。",
        f"最后，感谢您对{topic}工作的支持。",
    )
    lines += [r.choice(closings), "", bureau, "", _date(r, year), ""]
    mobile = f"1{r.randint(3, 9)}{r.randint(0, 10**9 - 1):09d}"
    phone = str(r.randint(20000000, 89999999)) if r.random() < 0.6 else mobile
    lines.append(f"（联系人：{_person(r)}；联系电话：{phone}）")
    if r.random() < 0.4:
        lines += ["", r.choice(("公开方式：主动公开", "（此件公开发布）", "公开方式：依申请公开"))]
    return "\n".join(lines) + "\n"


def generate(out_dir: Path, n: int, seed: int = 0, avoid: Collection[str] | None = None) -> list[Path]:
    """Write ``n`` synthetic letters ``synthetic-00001.txt`` … into ``out_dir``; return their paths.

    ``avoid`` defaults to the evidence strings of eval/data/qa.jsonl (see ``letter``).
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    avoid = qa_evidence() if avoid is None else avoid
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(1, n + 1):
        path = out_dir / f"synthetic-{i:05d}.txt"
        path.write_text(letter(seed, i, avoid), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        description="Write SYNTHETIC, machine-generated distractor reply letters (not real documents)."
    )
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--n", type=int, default=3000, help="number of letters (default 3000)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    paths = generate(args.out_dir, args.n, args.seed)
    print(f"wrote {len(paths)} synthetic letters to {args.out_dir} in {time.perf_counter() - t0:.2f}s")


if __name__ == "__main__":
    main()
