"""rag.ingest.clean: chrome and markdown go, broken lines are joined, the letter's own characters all stay."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rag.core.text import squash
from rag.ingest.clean import clean_text, publication_line, should_join
from rag.ingest.load import read_file
from tests.scaling import FACTOR, LINEAR, growth

CORPUS = Path(__file__).parents[2] / "corpus"
DATA = Path(__file__).parents[1] / "data"

# the saved-page chrome in reply-04, exactly as the file has it
REPLY_04_CHROME = {
    "专业版 简繁转换 English",
    "搜索热词: 婚姻登记 低保 养老 收养",
    "当前位置:首页 - 政务公开 - 人大建议办理",
    "2020-07-09 16:40:22 来源:广东省民政厅 阅读次数:860",
    "浏览字号",
    "打印页面",
    "关闭窗口",
    "扫描关注",
    "广东省民政厅",  # the QR code's caption between 扫描关注 and 新浪微博 (the signature is indented)
    "新浪微博",
}


def _lines(name: str) -> list[str]:
    raw = read_file(CORPUS / name)
    return clean_text(raw.text, raw.fmt)


def _expected_letter_text(name: str) -> str:
    """The raw file minus what cleaning may remove (chrome, markdown syntax), squashed."""
    text = (CORPUS / name).read_text(encoding="utf-8")
    if name == "reply-04.txt":
        # the breadcrumb separates its items with no-break spaces
        text = "\n".join(ln for ln in text.splitlines() if ln.replace("\xa0", " ") not in REPLY_04_CHROME)
    if name.endswith(".md"):
        text = re.sub(r"(?m)^-{3,}$", "", text)
        text = re.sub(r"(?m)^#+ ", "", text).replace("**", "")
    return squash(text)


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.iterdir()))
def test_every_character_of_the_letter_survives(name: str) -> None:
    lines = _lines(name)
    expected = _expected_letter_text(name)
    # nothing lost, nothing added, nothing reordered: the squashed output is the squashed letter
    assert "".join(squash(ln) for ln in lines) == expected
    for ln in lines:
        assert ln and ln == ln.strip() and not ln.startswith("\u3000")
        assert squash(ln) in expected


def test_reply04_chrome_lines_are_removed_and_signature_kept() -> None:
    lines = _lines("reply-04.txt")
    text = "\n".join(lines)
    for chrome in (
        "关闭窗口",
        "阅读次数",
        "专业版",
        "当前位置",
        "扫描关注",
        "新浪微博",
        "浏览字号",
        "打印页面",
        "搜索热词",
    ):
        assert chrome not in text
    assert lines.count("广东省民政厅") == 1  # the signature, not the QR caption
    assert lines[0] == "广东省民政厅关于广东省十三届人大三次会议第1146号代表建议答复的函"
    assert lines[-2:] == ["广东省民政厅", "2020年6月30日"]
    assert "一、加强智慧养老的政策支持" in lines  # leading spaces stripped


@pytest.mark.parametrize(
    "line",
    [
        "首页",
        "字体：大 中 小",
        "【打印本页】【关闭窗口】",
        "分享到：",
        "扫一扫在手机打开当前页",
        "当前位置：首页 > 政务公开",
        "版权所有：青山市民政局",
        "发布时间：2024-05-21",
        "- 3 -",
        "第 2 页 共 5 页",
    ],
)
def test_chrome_patterns(line: str) -> None:
    assert clean_text(f"正文第一段。\n{line}\n正文第二段。", "txt") == ["正文第一段。", "正文第二段。"]


def test_chrome_words_inside_letter_text_stay() -> None:
    text = "首页设计要适老化。\n请打印本页后签字。\n关闭窗口期间暂停服务。"
    assert clean_text(text, "txt") == text.splitlines()


def test_chrome_list_is_extensible() -> None:
    extra = [re.compile(r"本站由.*提供")]
    assert clean_text("正文。\n本站由青山网络提供", "txt", extra_chrome=extra) == ["正文。"]
    assert clean_text("正文。\n本站由青山网络提供", "txt") == ["正文。", "本站由青山网络提供"]


def test_html_page_chrome_removed() -> None:
    raw = read_file(DATA / "page.html")
    lines = clean_text(raw.text, raw.fmt)
    assert lines[0] == "青山市民政局"
    assert lines[-1] == "（联系人：李华；联系电话：0571-12345678）"
    assert not any("打印" in ln or "扫一扫" in ln or "阅读次数" in ln or "字体" in ln for ln in lines)


def test_markdown_syntax_removed_but_not_the_letter() -> None:
    lines = _lines("reply-05.md")
    assert lines[:3] == ["类别：B", "咸阳市民政局", "签发人：赵斌正"]
    assert "关于对市政协九届二次会议第403号提案的答复函" in lines
    assert not any("**" in ln or ln.startswith("#") or ln.startswith("---") for ln in lines)
    assert "2-4万元运营补贴" in "".join(lines)  # a hyphen in the text is not a rule


def test_markdown_bold_run_in_heading_splits_in_two() -> None:
    lines = _lines("reply-05.md")
    i = lines.index("二、加大资金支持力度。")
    assert lines[i + 1].startswith("持续开展养老机构改造提升，对全市11个县级中心敬老院")
    assert "三、健全留守空巢老人关爱服务机制。" in lines
    # a bold 一是… lead-in is not an outline heading: it stays in its paragraph
    assert any(ln.startswith("一是完善配套政策体系。根据省民政厅") for ln in lines)


def test_markdown_only_for_md() -> None:
    assert clean_text("# 标题\n**粗体**", "txt") == ["# 标题", "**粗体**"]
    assert clean_text("# 标题\n**粗体**", "md") == ["标题", "粗体"]


def test_reply01_page_breaks_joined() -> None:
    text = "\n".join(_lines("reply-01.txt"))
    for joined in (
        "幸福感,2021年",
        "死亡的失能老年人",
        "社区居家服务、推动医养",
        "人工智能、智能终端",
        "为282户特困老人",
    ):
        assert joined in text
    lines = _lines("reply-01.txt")
    assert "五、关于加强医养结合模式人才培养，为医养结合提供支撑，推动医养结合模式发展的建议" in lines
    assert any(ln.startswith("（一）我市正不断加快“互联网+护理”、互联网医院等与养老服务") for ln in lines)
    assert any(ln.startswith("2021年2月，我市率先出台印发了《中山市进一步优化老年人金融服务") for ln in lines)


def test_headings_and_titles_are_not_joined_to_the_next_line() -> None:
    r1 = _lines("reply-01.txt")
    assert r1[:4] == [
        "中山市民政局",
        "中民函〔2022〕40号",
        "中山市民政局关于中山市政协十三届一次会议第131058号提案答复的函",
        "杨兴全等委员：",
    ]
    i = r1.index("四、关于提升养老服务产业的市场化融资比重，完善养老服务产业融资服务与障体系的建议")
    assert r1[i + 1].startswith("2021年2月")
    r2 = _lines("reply-02.txt")
    assert "一、全区养老产业发展的基本情况" in r2
    assert "坚持城乡统筹、保障有力的养老服务机制" in r2  # no blank line before it, still its own line
    assert r2[1:3] == ["巴中市恩阳区民政局", "关于区政协二届七次会议第13号提案答复的函"]
    r3 = _lines("reply-03.txt")
    assert r3[:4] == [
        "温民提〔2019〕70号",
        "温州市民政局",
        "关于市十三届人大四次会议第317号建议的答复函",
        "肖石龙代表：",
    ]
    for heading in ("抓顶层设计，推动政策引领", "加强领导，统筹联动", "依托“智能化”，助力智慧养老"):
        assert heading in r3
    r5 = _lines("reply-05.md")
    assert any(ln.startswith("一、持续推进养老服务设施建设力度。将养老服务设施纳入国土空间总体规划") for ln in r5)
    assert "建立农村留守、高龄、空巢（独居）老人" in "".join(r5)


def test_pdf_spaces_around_numbers_removed_elsewhere_kept() -> None:
    text = "\n".join(_lines("reply-01.txt"))
    assert "平台于2021年10月14日正式上线运行" in text
    assert "累计建成5G基站6451座" in text
    assert "2021 年" not in text
    assert "发展普惠养老服务 and 社区居家服务" in text  # spaces around Latin words stay
    r2 = "\n".join(_lines("reply-02.txt"))
    assert "推动 设立“家庭照护床位”" in r2  # a space between two Chinese characters stays
    assert "床位120张" in r2 and "达到90%以上" in r2
    assert "联系单位及电话：市民政局社会福利科 38990021" in _lines("reply-05.md")  # number ends the line


@pytest.mark.parametrize(
    ("prev", "nxt", "join"),
    [
        ("我市老年人的幸福", "感,2021年市卫生健康局联合出台方案。", True),  # one-character first clause
        ("我市率先出台印发了《中山市进一步优化", "老年人金融服务工作方案》。", True),  # open bracket
        ("为 282", "户特困老人提供服务。", True),  # a number is cut from its measure word
        ("养老机构建设稳步推进。农村互助", "幸福院建设取得成效。", True),  # a sentence cut mid-word
        ("养老机构\t20", "养老床位\t3000", False),  # rows of a .docx table
        ("关于市十三届人大四次会议第317号", "建议的答复函", True),  # a title split over lines
        ("一、全区养老产业发展的基本情况", "恩阳区辖18个镇（街道），309个村（社区）。", False),
        ("抓顶层设计，推动政策引领", "一是完善养老服务设施布局。", False),
        ("一、关于弘扬尊老敬老的优良传统的建议", "（一）为全面贯彻文件精神。", False),
        ("中山市民政局关于第131058号提案答复的函", "杨兴全等委员：", False),
        ("巴中市恩阳区民政局", "关于区政协二届七次会议第13号提案答复的函", False),
        ("市工业和信息化局正积极推进建设，", "协调通信运营商。", True),  # trailing comma
        ("现答复如下：", "一、基本情况", False),
        ("（联系人：刘芳；电话：88301633）", "公开方式：主动公开", False),
    ],
)
def test_should_join(prev: str, nxt: str, join: bool) -> None:
    assert should_join(prev, nxt) is join


def test_pdf_full_width_lines_wrap_into_the_next() -> None:
    text = "一、基本情况\n全市共有养老机构二十家床位三千张服务\n老年人一万二千人次满意度持续提升\n二、下一步工作"
    assert clean_text(text, "pdf") == [
        "一、基本情况",
        "全市共有养老机构二十家床位三千张服务老年人一万二千人次满意度持续提升",
        "二、下一步工作",
    ]
    assert len(clean_text(text, "txt")) == 4  # plain text keeps its lines


def test_blank_and_whitespace_lines_dropped() -> None:
    assert clean_text("\n\n\u3000\u3000第一段。  \n \t\n\ufeff第二段。\n", "txt") == ["第一段。", "第二段。"]
    assert clean_text("", "txt") == []


def test_cleaning_time_grows_linearly_with_the_number_of_short_lines() -> None:
    # joining wrapped lines re-scanned the growing paragraph for every line: 80k lines took 75 s
    def lines(n: int) -> str:
        return "测试市民政局\n" + "a\n" * n

    assert growth(lambda text: clean_text(text, "txt"), lines(4000), lines(4000 * FACTOR)) < LINEAR
    assert clean_text(lines(3), "txt") == ["测试市民政局a a a"]  # one-letter lines continue the one before


def test_a_markdown_heading_with_a_run_of_spaces_costs_linear_time() -> None:
    def heading(n: int) -> str:
        return "# 关于" + " " * n + "答复 ##\n正文。"

    assert growth(lambda text: clean_text(text, "md"), heading(1000), heading(1000 * FACTOR)) < LINEAR
    assert clean_text(heading(2), "md") == ["关于  答复", "正文。"]


@pytest.mark.parametrize("line", [
    "2020-07-09 16:40:22 来源:广东省民政厅 阅读次数:860",
    "发布时间：2021-03-05",
    "发布日期：2021年3月5日",
    "信息来源：青山市民政局 发布时间：2021-03-05 10:00",
])
def test_publication_line_is_the_portal_line_that_clean_text_drops(line: str) -> None:
    text = f"青山市民政局关于第88号提案答复的函\n{line}\n张明委员：\n正文。\n青山市民政局\n2021年3月1日"
    assert publication_line(text) == line
    assert line not in clean_text(text, "txt")


def test_a_signing_date_or_a_meeting_time_is_no_publication_line() -> None:
    assert publication_line("张明委员：\n正文。\n会议时间：2021-03-05\n青山市民政局\n2021年3月1日") is None
