"""rag.answer.agents: who holds a role is read from "由X担任Y"; a post asked by name needs a person's name."""

from __future__ import annotations

from rag.answer.agents import ROLE_ASK, holder

GD = ("2020年4月,我省建立了广东省养老服务部门间联席会议制度,由分管省领导担任召集人,"
      "省政府副秘书长和省民政厅厅长担任副召集人,"
      "省民政厅、省发展改革委等24个部门为成员单位")


def test_the_role_is_what_de_leads_to_not_the_body_it_belongs_to() -> None:
    assert holder("谁担任联席会议的召集人？", GD) == ("分管省领导", 1.0)
    assert holder("谁当副召集人？", GD) == ("省政府副秘书长和省民政厅厅长", 1.0)


def test_the_head_of_a_body_asked_by_name_needs_a_letter_that_names_who_holds_it() -> None:
    assert ROLE_ASK.search("咸阳市民政局局长叫什么名字？")
    assert ROLE_ASK.search("广东省民政厅厅长是谁？")
    # the letter names the post (省民政厅厅长担任副召集人), not who holds it: no holder of 厅长
    assert holder("广东省民政厅厅长是谁？", GD) == ("", 0.0)
    assert not ROLE_ASK.search("民政局长期护理保险有哪些")  # 局长 only as a word of its own
