"""Lists inside letter text: ordinals, dangling ones, items, renumbering, lead sentences; and the
whole-thought windows drafting cuts from a precedent paragraph (rag.draft.compose.best_window)."""

from __future__ import annotations

import pytest

from rag.draft.compose import best_window, draft_text
from rag.draft.enumeration import cn_number, dangling, is_lead, items, ordinals, renumber
from rag.draft.themes import keywords
from tests.draft.test_draft import _find_line

# 恩阳's list of measures: one paragraph, 一是 … 七是
ENYANG = _find_line("reply-02", "一是兜底基本养老服务")
# 咸阳's lead paragraph, whose items are the paragraphs after it
XIANYANG_LEAD = "下一步，我们将认真吸纳您的建议，促进养老服务高质量发展，重点做好以下几点工作："


@pytest.mark.parametrize(("text", "styles"), [
    ("一是加强；二是推进；三是完善。", [("是", 1), ("是", 2), ("是", 3)]),
    ("（一）为全面贯彻，(二)2021年", [("（一）", 1), ("（一）", 2)]),
    ("1. 加快\n2. 推进", [("1.", 1), ("1.", 2)]),
    ("第一，深化；第二，完善", [("第一，", 1), ("第一，", 2)]),
    ("**二是大力推进居家适老化改造。**聚焦", [("是", 2)]),
    ("资助1.5万元，唯一是指", []),  # a decimal is no ordinal, nor is 是 inside a word
])
def test_ordinals_of_each_style(text, styles):
    assert [(o.style, o.n) for o in ordinals(text)] == styles


def test_chinese_numbers():
    assert [cn_number(x) for x in ("一", "十", "十二", "二十", "二十三", "③")] == [1, 10, 12, 20, 23, 3]


def test_dangling_means_not_part_of_a_list_numbered_from_one():
    assert dangling(ordinals("一是加强；二是推进。")) == []
    assert [o.n for o in dangling(ordinals("六是支持。七是健全。"))] == [6, 7]
    assert [o.n for o in dangling(ordinals("推进协同发展。七是健全农村留守老年人救助保护机制。"))] == [7]
    assert [o.n for o in dangling(ordinals("一是加强养老。"))] == [1]  # a list of one is no list
    assert [o.n for o in dangling(ordinals("一是a；二是b；四是d。"))] == [4]


def test_items_split_by_the_longest_list_from_one():
    intro, listed = items("近年来，我市积极推进。一是医中有养；二是养中有医；三是医养并重。同时，每年培训。")
    assert intro == "近年来，我市积极推进。"
    assert listed == ["一是医中有养；", "二是养中有医；", "三是医养并重。同时，每年培训。"]
    assert items("没有列表的一段话。") == ("没有列表的一段话。", [])
    assert len(items(ENYANG)[1]) == 7


def test_renumber_from_one_and_drop_an_ordinal_on_its_own():
    assert renumber("六是支持市场主体发展。七是健全机制。") == "一是支持市场主体发展。二是健全机制。"
    assert renumber("**二是大力推进居家适老化改造。**聚焦") == "**大力推进居家适老化改造。**聚焦"
    assert renumber("（三）为深入推进，(四)市民政局") == "（一）为深入推进，（二）市民政局"
    assert renumber("七是健全农村留守老年人救助保护机制。") == "健全农村留守老年人救助保护机制。"


def test_leads():
    assert is_lead(XIANYANG_LEAD) and is_lead("具体做法如下：") and is_lead("**一是完善配套政策体系：**")
    assert not is_lead("包括：政府分散供养的特困老年人。")


def test_a_window_of_the_issues_example_renumbers_the_two_items_it_takes():
    kw = keywords("加强农村互助养老服务，推进区域养老服务协同发展")
    window = best_window(ENYANG, kw)
    assert window in ENYANG and window.startswith(("六是", "七是"))  # a whole item, never mid-item
    text = draft_text(window)
    assert not dangling(ordinals(text))
    assert "七是" not in text


def test_a_lead_is_never_the_end_of_a_window_and_needs_two_items_after_it():
    text = "近年来，我市强化政策引领。具体做法如下：一是完善政策；二是加强培训。"
    assert best_window(text, keywords("强化政策引领")).endswith("二是加强培训。")
    assert best_window("近年来，我市强化政策引领，积极探索。具体做法如下：", keywords("强化政策引领")) == (
        "近年来，我市强化政策引领，积极探索。")
    assert best_window(XIANYANG_LEAD, keywords("促进养老服务高质量发展")) == ""
    # a lead and its one item in one sentence travel together; the item alone loses its ordinal
    one_item = "我市强化政策引领，积极探索新模式。具体做法如下：一是完善政策。"
    assert draft_text(best_window(one_item, keywords("强化政策引领 完善政策"))).endswith("具体做法如下：完善政策。")


def test_a_window_never_starts_on_the_other_hand():
    text = ("一方面加强养老护理员分级分类培训，扩大培训对象范围。另一方面做好养老机构管理人员培训，"
            "提升负责人政策水平和管理能力。")
    assert best_window(text, keywords("养老机构管理人员培训"), limit=60).startswith("一方面")


def test_a_long_paragraph_is_shared_out_between_demands():
    para = _find_line("reply-02", "建立养老服务领域社会信用体系建设")
    first = best_window(para, keywords("建立养老服务领域社会信用体系"))
    third = best_window(para, keywords("整治养老服务领域非法集资和保健品推销乱象"),
                        taken=lambda unit: unit in first)
    assert first.startswith("建立养老服务领域社会信用体系") and "非法集资" not in first
    assert third and "非法集资" in third and not set(third.split("。")) & set(first.split("。")) - {""}
