"""rag.ingest.structure: metadata and outline of the five real letters and the format fixtures."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest

from rag.core.errors import InputError
from rag.core.records import Document, Metadata, Paragraph, RawText
from rag.ingest.chunk import chunk_document
from rag.ingest.load import read_bytes, read_file
from rag.ingest.structure import (
    Marker,
    extract_metadata,
    is_unnumbered_heading,
    outline_marker,
    parse_document,
    split_numbered,
)
from tests.scaling import FACTOR, LINEAR, growth

CORPUS = Path(__file__).parents[2] / "corpus"
DATA = Path(__file__).parents[1] / "data"


@cache
def doc(name: str) -> Document:
    path = CORPUS / name
    return parse_document(read_file(path), path.stem)


def headings(d: Document, level: int | None = None) -> list[Paragraph]:
    return [p for p in d.paragraphs if p.kind == "heading" and (level is None or len(p.section) == level)]


def body(d: Document) -> list[Paragraph]:
    return [p for p in d.paragraphs if p.kind == "body"]


EXPECTED_META = {
    "reply-01.txt": Metadata(
        bureau="中山市民政局",
        doc_number="中民函〔2022〕40号",
        date=None,  # no signature date; the body's dates must not be taken
        addressee="杨兴全等委员",
        proposal="市政协十三届一次会议第131058号提案",
        proposal_title="《关于发展农村普惠型养老服务，提升农民的获得感、幸福感和安全感的建议》",
        title="中山市民政局关于中山市政协十三届一次会议第131058号提案答复的函",
        contact="刘芳；电话：88301633",
        copy_to=(
            "市政协提案委",
            "市政府办公室",
            "市卫生健康局",
            "市金融局",
            "农业农村局",
            "市工业和信息化局",
            "市发展和改革委员会",
        ),
    ),
    "reply-02.txt": Metadata(
        bureau="巴中市恩阳区民政局",
        doc_number="恩民政函〔2021〕3号",
        date="2021-07-27",
        addressee="温蓉委员",
        proposal="区政协二届七次会议第13号提案",
        proposal_title="《关于促进养老产业发展的建议》",
        title="关于区政协二届七次会议第13号提案答复的函",
        contact="陈庆；联系电话：15284747333",
    ),
    "reply-03.txt": Metadata(
        bureau="温州市民政局",
        doc_number="温民提〔2019〕70号",
        date="2019-07-02",
        addressee="肖石龙代表",
        proposal="市十三届人大四次会议第317号建议",
        proposal_title="《关于加强养老服务体系建设的建议》",
        title="关于市十三届人大四次会议第317号建议的答复函",
        contact="金谧，联系电话：89985185，15224120646",
    ),
    "reply-04.txt": Metadata(
        bureau="广东省民政厅",
        doc_number="粤民函〔2020〕713号",
        date="2020-06-30",  # the signature, not the page's "2020-07-09 16:40:22"
        addressee="吴克昌代表",
        proposal="广东省十三届人大三次会议第1146号代表建议",
        proposal_title="关于大力发展智慧养老,高效应对人口老化的理念更新与政策创新的建议",
        title="广东省民政厅关于广东省十三届人大三次会议第1146号代表建议答复的函",
        contact=None,
    ),
    "reply-05.md": Metadata(
        bureau="咸阳市民政局",
        doc_number="咸民函〔2023〕38号",
        date="2023-05-11",
        addressee="舒瑜委员",
        proposal="市政协九届二次会议第403号提案",
        proposal_title="“关于加大农村养老机构帮扶力度的建议”",
        title="关于对市政协九届二次会议第403号提案的答复函",
        contact="市民政局社会福利科 38990021",
        copy_to=("市委市政府督查室", "市政协办公室（提案委）"),
    ),
}

LEVEL1 = {
    "reply-01.txt": ["一、", "二、", "三、", "四、", "五、", "六、"],
    "reply-02.txt": ["一、", "二、"],
    "reply-03.txt": [f"第{i}节" for i in range(1, 10)],
    "reply-04.txt": ["一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、"],
    "reply-05.md": ["一、", "二、", "三、", "四、", "五、"],
}


@pytest.mark.parametrize("name", sorted(EXPECTED_META))
def test_corpus_metadata(name: str) -> None:
    assert doc(name).meta == EXPECTED_META[name]


@pytest.mark.parametrize("name", sorted(LEVEL1))
def test_corpus_level1_outline(name: str) -> None:
    assert [p.section[0] for p in headings(doc(name), level=1)] == LEVEL1[name]


def test_paragraph_ids_indices_and_doc_fields() -> None:
    d = doc("reply-02.txt")
    assert d.doc_id == "reply-02" and d.fmt == "txt" and d.encoding == "utf-8"
    assert d.source.endswith("corpus/reply-02.txt")
    for i, p in enumerate(d.paragraphs):
        assert (p.index, p.id, p.doc_id) == (i, f"reply-02-p{i:03d}", "reply-02")
    assert d.text == "\n".join(p.text for p in d.paragraphs)


def test_reply01_outline() -> None:
    d = doc("reply-01.txt")
    assert [p.text for p in headings(d, level=1)][4] == (
        "五、关于加强医养结合模式人才培养，为医养结合提供支撑，推动医养结合模式发展的建议"
    )
    (item,) = [p for p in d.paragraphs if p.section == ("三、", "（二）")]
    assert item.text.startswith("(二)按照国家、省关于“一老一小”有关工作安排")  # verbatim ASCII parens
    assert (item.kind, item.ordinal) == ("body", 1)
    assert (
        item.section_title
        == "关于养老服务主体实现连锁化、规模化、综合化，在农村和低收入群体中大力推广互助性养老服务的建议"
    )
    follow = [p for p in d.paragraphs if p.section == ("三、", "（一）")]
    assert [p.ordinal for p in follow] == [1, 2]
    assert follow[1].text.startswith("接下来,市农业农村局")
    assert [p.section for p in d.paragraphs if p.section[:1] == ("六、",)] == [
        ("六、",),
        ("六、", "（一）"),
        ("六、", "（二）"),
        ("六、", "（二）"),
        ("六、", "（三）"),
    ]


def test_reply01_text_repairs() -> None:
    texts = [p.text for p in body(doc("reply-01.txt"))]
    assert any("提高我市老年人幸福感,2021年" in t for t in texts)
    assert any("独生子女发生意外伤害、死亡的失能老年人" in t for t in texts)
    assert any("平台于2021年10月14日正式上线运行" in t for t in texts)
    assert not any("2021 年" in t for t in texts)


def test_reply01_meta_zones() -> None:
    d = doc("reply-01.txt")
    kinds = [p.kind for p in d.paragraphs]
    assert kinds[:5] == ["meta", "meta", "meta", "meta", "body"]
    assert kinds[-4:] == ["meta"] * 4
    assert d.paragraphs[-4].text == "专此答复，诚挚感谢你们对我市养老服务工作的关心支持。"
    assert all(p.section == () and p.ordinal == 0 for p in d.paragraphs if p.kind == "meta")
    opening = d.paragraphs[4]
    assert (opening.section, opening.ordinal, opening.section_title) == ((), 1, "")


def test_reply02_unnumbered_headings_nest_under_the_open_numbered_one() -> None:
    d = doc("reply-02.txt")
    hs = headings(d)
    assert [(p.section, p.section_title) for p in hs] == [
        (("一、",), "全区养老产业发展的基本情况"),
        (("一、", "第1节"), "坚持城乡统筹、保障有力的养老服务机制"),
        (("一、", "第2节"), "坚持优化环境，行业服务质量持续提升"),
        (("一、", "第3节"), "坚持养老服务模式持续优化"),
        (("二、",), "推进养老产业发展的措施"),
    ]
    assert hs[1].text == "坚持城乡统筹、保障有力的养老服务机制"  # verbatim, trailing space stripped only
    after = d.paragraphs[hs[1].index + 1]
    assert (after.kind, after.section, after.ordinal) == ("body", ("一、", "第1节"), 1)
    assert after.text.startswith("按照区委、政府的决策部署")
    assert [p.text for p in d.paragraphs if p.kind == "meta"][-3:] == [
        "巴中市恩阳区民政局",
        "2021年7月27日",
        "（联系人：陈庆；联系电话：15284747333）",
    ]


def test_reply03_unnumbered_level1_and_yishi_kept_in_paragraph() -> None:
    d = doc("reply-03.txt")
    hs = headings(d)
    assert [p.text for p in hs][:3] == [
        "抓顶层设计，推动政策引领",
        "谋全局规划，完善设施建设",
        "建智慧平台，助力养老事业",
    ]
    assert hs[5].section == ("第6节",) and hs[5].section_title == "加强领导，统筹联动"
    (p,) = [p for p in body(d) if "一是完善养老服务设施布局" in p.text]
    assert "二是出台政策扶持" in p.text and p.section == ("第1节",) and p.ordinal == 1
    assert [p.ordinal for p in body(d) if p.section == ("第5节",)] == [1, 2]
    assert [p.ordinal for p in body(d) if p.section == ()] == [1, 2, 3]  # opening and intro


def test_reply04_no_chrome_and_indented_headings() -> None:
    d = doc("reply-04.txt")
    for chrome in ("关闭窗口", "阅读次数", "浏览字号", "打印页面", "扫描关注", "新浪微博", "当前位置", "专业版"):
        assert not any(chrome in p.text for p in d.paragraphs if p.kind != "page")
    assert "阅读次数" not in d.text  # the page line is beside the letter, not in its words
    assert headings(d, level=1)[0].text == "一、加强智慧养老的政策支持"
    assert [p.text for p in d.paragraphs if p.kind == "meta"] == [
        "广东省民政厅关于广东省十三届人大三次会议第1146号代表建议答复的函",
        "粤民函〔2020〕713号",
        "吴克昌代表:",
        "专此答复,诚挚感谢您对省民政厅工作的关心支持。",
        "广东省民政厅",
        "2020年6月30日",
    ]


def test_portal_publication_line_is_kept_beside_the_letter_where_the_page_has_it() -> None:
    d = doc("reply-04.txt")
    crumb, page = [p for p in d.paragraphs if p.kind == "page"]
    assert page.text == "2020-07-09 16:40:22 来源:广东省民政厅 阅读次数:860"
    assert page.index == 2  # under the title, above the 文号, as on the page
    # the breadcrumb too (the portal section it was published in), above the title
    assert (crumb.index, crumb.text.replace("\xa0", " ")) == (0, "当前位置:首页 - 政务公开 - 人大建议办理")
    assert "当前位置" not in d.text and "搜索热词" not in " ".join(p.text for p in d.paragraphs)
    assert d.meta.date == "2020-06-30"  # the signature still dates the letter
    assert not [p for p in doc("reply-01.txt").paragraphs if p.kind == "page"]
    chunks = chunk_document(d)
    assert {page.id, crumb.id}.isdisjoint({pid for c in chunks for pid in c.paragraph_ids})  # not searched
    # the same letter saved on another day (another read count) is still the same letter word for word
    raw = read_file(CORPUS / "reply-04.txt")
    later = replace(raw, text=raw.text.replace("阅读次数:860", "阅读次数:1234"))
    assert parse_document(later, "reply-04").text_hash == d.text_hash


def test_reply05_run_in_headings_split_verbatim() -> None:
    d = doc("reply-05.md")
    ps = d.paragraphs
    (h2,) = [p for p in ps if p.text == "二、加大资金支持力度。"]
    nxt = ps[h2.index + 1]
    assert (h2.kind, h2.section, h2.section_title, h2.ordinal) == ("heading", ("二、",), "加大资金支持力度", 0)
    assert (nxt.kind, nxt.section, nxt.ordinal) == ("body", ("二、",), 1)
    assert nxt.text.startswith("持续开展养老机构改造提升")
    (h1,) = [p for p in ps if p.section == ("一、",) and p.kind == "heading"]
    assert h1.text == "一、持续推进养老服务设施建设力度。"  # plain run-in heading, not bold
    assert ps[h1.index + 1].text.startswith("将养老服务设施纳入国土空间总体规划和详细规划，极构建多层次养老服务格局")
    assert any(p.text.startswith("一是完善配套政策体系。根据省民政厅") and p.kind == "body" for p in ps)
    assert [p.text for p in ps if p.kind == "meta"][:3] == ["类别：B", "咸阳市民政局", "签发人：赵斌正"]


@pytest.mark.parametrize(
    "name", ["letter-gbk.txt", "letter-utf16.txt", "letter-utf8-bom.txt", "letter.docx", "letter.pdf", "page.html"]
)
def test_fixture_letters_in_every_format(name: str) -> None:
    d = parse_document(read_file(DATA / name), "fx")
    m = d.meta
    assert (m.bureau, m.doc_number, m.date, m.addressee) == (
        "青山市民政局",
        "青民函〔2024〕12号",
        "2024-05-20",
        "张明委员",
    )
    assert m.proposal == "市政协五届三次会议第88号提案"
    assert m.proposal_title == "《关于加强社区养老服务的建议》"
    assert m.contact == "李华；联系电话：0571-12345678"
    assert [p.section_title for p in headings(d, level=1)] == ["基本情况", "下一步工作"]
    assert any("幸福感持续增强。" in p.text for p in body(d))  # joined across the page break
    if name != "page.html":
        assert m.copy_to == ("市政协提案委", "市政府办公室")
        assert [p.section for p in headings(d, level=2)] == [("二、", "（一）"), ("二、", "（二）")]


def test_docx_table_rows_are_body_not_headings() -> None:
    d = parse_document(read_file(DATA / "letter.docx"), "fx")
    rows = [p for p in d.paragraphs if "\t" in p.text]
    assert [(p.text, p.kind, p.section) for p in rows] == [
        ("项目\t数量", "body", ("一、",)),
        ("养老机构\t20家", "body", ("一、",)),
    ]


def test_letter_without_metadata() -> None:
    d = parse_document(read_file(DATA / "no-meta.txt"), "nm")
    assert d.meta == Metadata()
    assert [(p.kind, p.ordinal) for p in d.paragraphs] == [("body", 1), ("body", 2)]


def test_dates_in_chinese_numerals_and_impossible_dates() -> None:
    lines = ["甲市民政局", "你好委员：", "正文。", "感谢支持。", "甲市民政局", "二〇二一年七月二十七日"]
    assert extract_metadata(lines).date == "2021-07-27"
    lines[-1] = "2021年13月1日"
    assert extract_metadata(lines).date is None


@pytest.mark.parametrize(
    "number",
    ["温民提〔2019〕70号", "温民提[2019]70号", "粤民函（2020）713号", "某民函(2020)7号", "恩民政函［2021］3号"],
)
def test_doc_number_brackets_kept_as_written(number: str) -> None:
    assert (
        extract_metadata(["甲市民政局", number, "关于第1号提案的答复函", "李四委员：", "正文。"]).doc_number == number
    )


def test_doc_numbers_cited_in_the_body_are_not_the_letter_number() -> None:
    lines = ["李四委员：", "按照粤府办〔2019〕23号文规定执行。", "感谢支持。"]
    assert extract_metadata(lines).doc_number is None


def test_a_colon_line_in_the_body_is_not_a_salutation() -> None:
    lines = ["今年我市新建养老机构三家。", "具体做法：", "一是加大投入。", "感谢支持。"]
    assert extract_metadata(lines).addressee is None


def test_body_dates_never_become_the_letter_date() -> None:
    lines = ["李四委员：", "2021年2月，我市出台方案。", "2021年7月27日", "感谢支持。"]
    assert extract_metadata(lines).date is None  # the lone date line sits in the body, before the closing


@pytest.mark.parametrize(
    ("line", "marker"),
    [
        ("一、基本情况", Marker(1, "一、", 2)),
        ("十二．其他", Marker(1, "十二、", 3)),
        ("(二)2021年12月底", Marker(2, "（二）", 3)),
        ("（三）市民政局", Marker(2, "（三）", 3)),
        ("1.完善制度", Marker(3, "1.", 2)),
        ("2、加强领导", Marker(3, "2.", 2)),
        ("(3)落实责任", Marker(3, "（3）", 3)),
        ("1.5万人参加", None),
        ("一是完善配套政策", None),
        ("2021年2月", None),
    ],
)
def test_outline_marker(line: str, marker: Marker | None) -> None:
    assert outline_marker(line) == marker


def test_split_numbered() -> None:
    assert split_numbered("一、全区养老产业发展的基本情况", Marker(1, "一、", 2)) == (
        "一、全区养老产业发展的基本情况",
        "",
    )
    assert split_numbered("一、加大力度。持续开展改造。", Marker(1, "一、", 2)) == ("一、加大力度。", "持续开展改造。")
    # a first sentence with figures is a body item, not a heading
    assert split_numbered("（三）市民政局于2021年7月启动平台建设。项目目标是统一。", Marker(2, "（三）", 3)) is None


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("抓顶层设计，推动政策引领", True),
        ("坚持养老服务模式持续优化", True),
        ("最后，感谢你对民政养老工作的支持。", False),
        ("下一步，我们将重点做好以下几点工作：", False),
        ("2019年7月2日", False),
        ("养老机构\t20家", False),
    ],
)
def test_is_unnumbered_heading(line: str, heading: bool) -> None:
    assert is_unnumbered_heading(line) is heading


def test_bad_parse_inputs() -> None:
    raw = read_file(DATA / "no-meta.txt")
    with pytest.raises(InputError, match="doc_id"):
        parse_document(raw, " ")
    chrome_only = read_bytes("首页\n关闭窗口\n".encode(), "page.txt")
    with pytest.raises(InputError, match="no letter text left"):
        parse_document(chrome_only, "x")


_SHORT_LETTER = ("测试市民政局\n关于社区食堂的答复函\n张三代表：\n您提出的建议收悉。现答复如下：\n一、加强领导\n"
                 "我们做了很多工作，效果很好。\n感谢您的关心。\n测试市民政局\n2021年1月1日\n")


def _with_line(where: str, line: str) -> str:
    """The short letter with one hostile line at its top (a title), in its opening or at its end."""
    if where == "top":
        return line + "\n" + _SHORT_LETTER
    if where == "opening":
        return _SHORT_LETTER.replace("您提出的建议收悉。", line)
    return _SHORT_LETTER + line + "\n"


@pytest.mark.parametrize(("where", "line", "n"), [
    ("end", "联系人：a{}b", 100),  # the contact regex backtracked through the spaces: cubic
    ("top", "关于{}", 2000),  # the 届-number of a proposal, re-scanned from every digit: quadratic
    ("opening", "您{}。", 2000),  # the plain "提出的关于…建议收悉" title, re-scanned from every opening
])
def test_a_hostile_line_costs_time_linear_in_its_length(where: str, line: str, n: int) -> None:
    filler = {"联系人：a{}b": " ", "关于{}": "1", "您{}。": "提出的关于"}[line]

    def letter(k: int) -> RawText:
        return RawText("x.txt", _with_line(where, line.format(filler * k)), "txt", "utf-8", "0")

    def parse(raw: RawText) -> Document:
        return parse_document(raw, "d")

    assert growth(parse, letter(n), letter(n * FACTOR)) < LINEAR
    meta = parse(letter(3)).meta
    assert meta.contact == "a   b" if where == "end" else meta.bureau == "测试市民政局"
