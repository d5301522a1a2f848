"""One voice: full-width punctuation and the drafting bureau's level; another bureau's units, numbers and
dates marked (rag.draft.voice, rag.draft.facts)."""

from __future__ import annotations

import pytest

from rag.draft.facts import mark_foreign
from rag.draft.voice import full_width, half_width_spans, relevel
from tests.draft.test_draft import _find_line


@pytest.mark.parametrize(("text", "want"), [
    ("12月底,市民政局印发《办法》,办法里(含中央1.74亿元);", "12月底，市民政局印发《办法》，办法里（含中央1.74亿元）；"),
    ("每张床位给予3,000-15,000元,10:30开会", "每张床位给予3,000-15,000元，10:30开会"),
    ('他说"你好"和"再见".', "他说“你好”和“再见”。"),
    ("见 http://a.b/c,d 与 GD/TC134", "见 http://a.b/c,d 与 GD/TC134"),
])
def test_full_width_keeps_numbers_links_and_codes(text, want):
    assert full_width(text) == want
    assert not half_width_spans(want)


def test_relevel_only_the_precedents_own_level():
    assert relevel("按照区委、政府的决策部署，全区养老，我区，社区委员会，力争全省", "区", "市") == (
        "按照市委、政府的决策部署，全市养老，我市，社区委员会，力争全省")
    assert relevel("全市", "市", "市") == "全市"


def test_a_district_letter_reused_by_a_city_speaks_as_the_city():
    text = _find_line("reply-02", "按照区委、政府的决策部署")
    marked, _ = mark_foreign(text, "巴中市恩阳区民政局", "杭州市民政局")
    assert marked.startswith("按照市委、政府的决策部署") and "全区" not in marked and "为全市80周岁" in marked.replace(
        "【待核实：80周岁】", "80周岁")


def test_another_levels_self_reference_is_marked():
    text = "到2022年，力争全省所有街道至少建有1个社区养老服务综合体。"
    marked, _ = mark_foreign(text, "巴中市恩阳区民政局", "杭州市民政局")
    assert "【待核实：全省】" in marked


def test_the_precedents_own_bureau_becomes_ours_when_we_do_the_same_work():
    text = "市民政局依托全市居家养老服务中心，会同市卫健局开展活动。"
    same, _ = mark_foreign(text, "中山市民政局", "杭州市民政局")
    assert same == "我局依托全市居家养老服务中心，会同【待核实：市卫健局】开展活动。"
    other, _ = mark_foreign(text, "中山市民政局", "杭州市卫生健康委员会")
    assert other.startswith("【待核实：市民政局】")
    province, _ = mark_foreign("省民政厅厅长担任副召集人，省民政厅负责", "广东省民政厅", "浙江省民政厅")
    assert province == "【待核实：省民政厅】厅长担任副召集人，我厅负责"  # a person there is not us
    us, _ = mark_foreign("我局将联合相关部门", "温州市民政局", "杭州市医疗保障局")
    assert us == "【待核实：我局】将联合相关部门"


def test_every_number_code_document_and_relative_date_is_marked_but_the_proposals_own():
    text = "今年开通“12349”热线和12349服务，成立标委会（GD/TC134），出台《关于加强养老服务的意见》，建设5G基站。"
    marked, _ = mark_foreign(text, "广东省民政厅", "杭州市民政局")
    for fact in ("今年", "12349", "GD/TC134", "《关于加强养老服务的意见》"):
        assert f"【待核实：{fact}】" in marked
    assert "5G" in marked.replace("【", "").replace("】", "") and "【待核实：5" not in marked
    mine, _ = mark_foreign(text, "广东省民政厅", "杭州市民政局", own_text="建议参照《关于加强养老服务的意见》")
    assert "【待核实：《关于加强养老服务的意见》】" not in mine


def test_same_city_keeps_places_and_units_but_marks_figures():
    text = "市民政局会同市卫健局在鹿城区建成375家养老机构。"
    marked, _ = mark_foreign(text, "温州市民政局", "温州市卫生健康委员会")
    assert marked == "市民政局会同市卫健局在鹿城区建成【待核实：375家】养老机构。"
