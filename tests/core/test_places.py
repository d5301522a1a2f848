"""Place knowledge: the gazetteer, place and unit names in letter text, the level a bureau speaks at.

The names listed below were read off the five letters in corpus/ by hand: every one of them must be
found in its letter, and none of them may survive unmarked when a paragraph is reused by another
bureau (rag.draft.facts.mark_foreign)."""

from __future__ import annotations

import pytest

from rag.core.places import (
    VOICE_WORD,
    department,
    dept_core,
    gazetteer,
    place_spans,
    speaking_level,
    unit_spans,
)
from rag.core.settings import PROJECT_ROOT
from rag.draft.facts import MARKER_RE, mark_foreign

CORPUS = PROJECT_ROOT / "corpus"
BUREAUS = {"reply-01.txt": "中山市民政局", "reply-02.txt": "巴中市恩阳区民政局", "reply-03.txt": "温州市民政局",
           "reply-04.txt": "广东省民政厅", "reply-05.md": "咸阳市民政局"}
PLACES = {
    "reply-01.txt": ["中山市", "东凤镇", "珠海", "广州", "深圳"],
    "reply-02.txt": ["恩阳区", "玉山镇", "文治街道"],
    "reply-03.txt": ["温州市", "鹿城区"],
    "reply-04.txt": ["广东省", "广州市", "东莞市", "湛江市", "茂名", "云浮", "珠三角", "粤东", "粤西", "粤北",
                     "惠州市", "汕头"],
    "reply-05.md": ["咸阳市", "渭城区", "彬州市", "兴平市", "武功县", "乾县", "泾阳县", "三原县", "永寿县", "长武县"],
}
UNITS = {
    "reply-01.txt": ["市农业农村局", "市委农办", "市委宣传部", "市卫健局", "市人社局", "团市委", "市红十字会",
                     "市卫生健康局", "市金融局", "市工业和信息化局", "市华宇乐颐养院", "市广弘颐养院", "广弘康复医院",
                     "东凤人民医院", "中国人寿中山分公司", "市发展和改革局"],
    "reply-02.txt": [],
    "reply-03.txt": [],
    "reply-04.txt": ["省民政厅", "中国电信广东公司", "省工业和信息化厅", "省财政厅", "省卫生健康委", "省市场监管局",
                     "省医保局", "省发展改革委", "省科技厅", "广州市老人院", "惠州市中心人民医院"],
    "reply-05.md": ["市卫健委", "市发改委", "市财政局", "咸阳市养老服务协会"],
}
# national names and generic words that look like places or units
NOT_NAMES = ["民政部门", "工业和信息化部、民政部、国家卫生计生委", "商业保险公司", "二级康复医院", "通过新建、改扩建",
             "群众满意度", "纳入医保定点", "全员持证上岗", "扎根一线", "银龄安康行动", "社区居家养老服务中心"]


def _lines(name: str) -> list[str]:
    return [ln.strip() for ln in (CORPUS / name).read_text(encoding="utf-8").splitlines() if len(ln.strip()) > 10]


def test_gazetteer_has_full_names_and_short_forms_of_prefectures():
    gaz = gazetteer()
    assert gaz["温州市"] == "prefecture" and gaz["温州"] == "prefecture" and gaz["鹿城区"] == "county"
    assert gaz["广东"] == "province" and "安康" not in gaz  # 银龄安康行动 is no place
    assert "鹿城" not in gaz  # a county's short form is too often a word


@pytest.mark.parametrize("name", list(PLACES))
def test_every_hand_listed_place_and_unit_is_found_in_its_letter(name):
    found: set[str] = set()
    for line in _lines(name):
        found |= {line[a:b] for a, b in (*place_spans(line), *unit_spans(line))}
    missing = [n for n in PLACES[name] + UNITS[name] if not any(n in f for f in found)]
    assert not missing


def test_generic_and_national_words_are_no_names():
    for text in NOT_NAMES:
        assert not place_spans(text) and not unit_spans(text), text


@pytest.mark.parametrize("name", list(PLACES))
def test_reused_by_another_bureau_no_listed_name_is_left_unmarked(name):
    for line in _lines(name):
        marked, _ = mark_foreign(line, BUREAUS[name], "杭州市民政局")
        bare = MARKER_RE.sub("□", marked)
        left = [n for n in PLACES[name] + UNITS[name] if n in bare]
        assert not left, (left, marked)


def test_speaking_level_from_the_bureau_or_the_meeting():
    assert [speaking_level(b) for b in ("巴中市恩阳区民政局", "广东省民政厅", "温州市民政局", "德清县民政局",
                                          "广西壮族自治区民政厅")] == ["区", "省", "市", "县", "区"]
    assert speaking_level(None, "区政协二届七次会议") == "区" and speaking_level(None, "市十三届人大四次会议") == "市"
    assert speaking_level(None) is None


def test_voice_words_are_a_bureau_speaking_of_its_own_place():
    text = "按照区委、政府的决策部署，全区养老，我市，市委、市政府，本县，社区委员会，团市委，城市政府，市场"
    assert [m.group(0) + text[m.end()] for m in VOICE_WORD.finditer(text)] == ["区委", "区养", "市，", "市委", "市政",
                                                                                 "县，"]


def test_departments():
    assert department("巴中市恩阳区民政局") == "民政局" and department("广东省民政厅") == "民政厅"
    assert dept_core("市卫生健康委员会") == dept_core("省卫健委") == "卫健"
    assert dept_core("杭州市民政局") == dept_core("市民政局") == "民政"


def test_a_word_that_is_also_a_countys_short_name_is_read_as_a_word() -> None:
    from rag.core.places import is_place

    assert not is_place("新建") and not is_place("合作")  # 新建区, 合作市 exist; in the letters they are verbs
    assert is_place("鹿城") and is_place("彬州")


def test_a_bureau_serves_the_places_its_name_holds() -> None:
    from rag.core.places import names_overlap, serves

    assert names_overlap("温州", "温州市") and names_overlap("巴中市恩阳区", "恩阳")
    assert serves("巴中市恩阳区民政局", "恩阳") and serves("巴中市恩阳区民政局", "巴中")
    assert serves("温州市民政局", "温州市")
    assert not serves("中山市民政局", "东莞") and not serves(None, "温州")
