"""The draft checker: each count on a hand-made draft that has exactly that fault, zero on drafts of the
eval proposals over the real corpus, and `rag draft --check`."""

from __future__ import annotations

import json

import pytest

from rag.core.settings import PROJECT_ROOT
from rag.draft import DraftRequest, draft
from rag.draft.check import COUNTS, check_draft
from tests.draft.test_draft import FakeSearcher, _request

PROPOSALS = [json.loads(line) for line in (PROJECT_ROOT / "eval/data/proposals.jsonl").read_text("utf-8").splitlines()]
WENZHOU = {"bureau": "温州市民政局", "doc_number": "温民提〔2019〕70号"}
REQUEST = {"title": "关于加强农村互助养老服务的建议", "text": "", "bureau": "杭州市民政局"}


def _draft(*paragraphs: str, heading: str = "一、关于加强农村互助养老服务", demand: str = "加强农村互助养老服务",
           source: dict | None = WENZHOU) -> dict:
    paras = [{"text": t, "sources": [source] if source else []} for t in paragraphs]
    return {"title": "杭州市民政局关于答复的函", "opening": "您提出的建议收悉。现答复如下：",
            "sections": [{"heading": heading, "demand": demand, "paragraphs": paras,
                          "sources": [source] if source else []}]}


def _counts(d: dict, request: dict = REQUEST, demands=None) -> dict[str, int]:
    return {k: v for k, v in check_draft(d, request, demands).counts.items() if v}


def test_a_clean_paragraph_has_no_issue():
    d = _draft("我市推进农村互助养老，建成互助幸福院【待核实：1356个】。")
    assert _counts(d) == {}
    assert check_draft(d, REQUEST).marks == 1


@pytest.mark.parametrize(("text", "kind", "n"), [
    ("推进农村互助养老协同发展。七是健全农村互助养老服务设施。", "dangling_ordinals", 1),
    ("一是推进农村互助养老；三是健全农村互助养老设施。", "dangling_ordinals", 2),
    ("另一方面积极宣传农村互助养老。", "dangling_ordinals", 1),
    ("下一步，我们将推进农村互助养老，重点做好以下几点工作：", "leads_without_items", 1),
    ("我市推进农村互助养老，湛江市建成互助幸福院，市农业农村局牵头。", "foreign_names", 2),
    ("按照区委部署，全区推进农村互助养老。", "foreign_names", 2),
    ("我市推进农村互助养老,建成互助幸福院(试点)。", "half_width", 3),
    ("截至2018年底，我市推进农村互助养老，出台《互助养老办法》。", "unflagged_facts", 2),
    ("我市推进智慧养老平台建设，开通一键呼叫。", "off_demand", 1),
])
def test_each_fault_is_counted(text, kind, n):
    assert _counts(_draft(text)) == {kind: n}


def test_names_and_facts_of_the_drafting_bureau_itself_or_the_proposal_are_not_foreign():
    own = {"bureau": "杭州市民政局", "doc_number": "杭民函〔2023〕1号"}
    assert _counts(_draft("截至2018年底，杭州市民政局会同市卫健局建成375家农村互助养老幸福院。", source=own)) == {}
    request = REQUEST | {"text": "建议学习湛江市的做法，加强农村互助养老服务。"}
    assert _counts(_draft("湛江市推进农村互助养老。"), request) == {}


def test_items_of_a_list_of_paragraphs_and_a_lead_before_them():
    d = _draft("我市推进农村互助养老，重点做好以下几点工作：", "（一）推进农村互助养老设施建设。",
               "（二）健全农村互助养老机制。")
    assert _counts(d) == {}
    assert _counts(_draft("（二）健全农村互助养老机制。")) == {"dangling_ordinals": 1}


def test_sections_follow_the_demands_in_order():
    d = _draft("我市推进农村互助养老。")
    assert _counts(d, demands=["农村互助养老"]) == {}
    assert _counts(d, demands=["医养结合"]) == {"off_demand": 1}
    assert _counts(d, demands=["农村互助养老", "医养结合"]) == {"demands_unanswered": 1}
    gap = _draft("【待补充：现有答复函中未找到与“医养结合”相关的做法，请承办单位补充】", heading="一、关于医养结合",
                 demand="医养结合", source=None)
    assert _counts(gap, demands=["医养结合"]) == {} and check_draft(gap, REQUEST, ["医养结合"]).gaps == 1


def test_the_issues_example_before_this_change_is_caught():
    """The draft the issue quotes, as today's JSON would carry it (no demand recorded, two sections)."""
    enyang = {"bureau": "巴中市恩阳区民政局"}
    d = {"title": "【待填：答复单位】关于答复的函", "sections": [
        {"heading": "一、关于加强农村互助养老服务", "paragraphs": [
            {"text": "近年来，我市积极探索开展农村互助养老新模式。", "sources": [{"bureau": "咸阳市民政局"}]},
            {"text": "推进区域养老服务协同发展，建立【待核实：“费随人走”】异地养老机制。"
                     "七是健全农村留守老年人救助保护机制，不断促进全区养老产业的高质量发展。", "sources": [enyang]}]},
        {"heading": "二、下一步工作打算", "paragraphs": [
            {"text": "接下来,市农业农村局将进一步强化农村集体资产管理,支持农村普惠型养老服务发展。",
             "sources": [{"bureau": "中山市民政局"}]},
            {"text": "下一步，我们将认真吸纳您的建议，促进养老服务高质量发展，重点做好以下几点工作：",
             "sources": [{"bureau": "咸阳市民政局"}]}]}]}
    counts = _counts(d, {"title": REQUEST["title"], "text": "", "bureau": None})
    assert counts["dangling_ordinals"] == 1 and counts["leads_without_items"] == 1
    assert counts["off_demand"] == 2  # 一、 shares nothing with 互助养老; 二、 answers no demand of the proposal
    assert counts["half_width"] == 2 and counts["foreign_names"] == 2  # 全区 against 市, 市农业农村局


@pytest.fixture(scope="module")
def drafted(corpus_pipeline):
    return [(p, corpus_pipeline.draft(DraftRequest(title=p["title"], text=p["text"], addressee=p["addressee"],
                                                   meeting=p["meeting"], bureau=p["bureau"]), use_llm=False))
            for p in PROPOSALS]


def test_drafts_of_the_eval_proposals_over_the_real_corpus_have_no_issue(drafted):
    """The five letters indexed for real (fake bigram vectors): every count is zero on every draft,
    each section records its demand, and a topic no letter covers gets 【待补充】, not a stray paragraph."""
    assert len(drafted) >= 30
    for p, d in drafted:
        report = check_draft(d.to_json(), p, p["demands"])
        assert report.ok, (p["id"], report.issues[:3])
        assert all(s.demand for s in d.sections)
    uncovered = [d for p, d in drafted if p["covered"] == "no"]
    gaps = sum(1 for d in uncovered for s in d.sections if not s.sources)
    assert gaps >= 0.8 * sum(len(d.sections) for d in uncovered)


def test_counts_are_stable_names():
    assert COUNTS[:5] == ("dangling_ordinals", "leads_without_items", "foreign_names", "half_width", "off_demand")


def test_cli_draft_check(rag_cli, tmp_path):
    assert rag_cli("index").exit_code == 0
    text = tmp_path / "p.txt"
    text.write_text("建议：一是推进医养结合，支持养老机构内设医务室；二是发展智慧养老，推广一键呼叫服务。",
                    encoding="utf-8")
    r = rag_cli("draft", "--title", "关于养老的建议", "--text-file", text, "--bureau", "杭州市民政局", "--check",
                "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["check"]["counts"] == dict.fromkeys(COUNTS, 0)
    assert [s["demand"] for s in data["sections"]] == ["推进医养结合，支持养老机构内设医务室",
                                                       "发展智慧养老，推广一键呼叫服务"]
    r = rag_cli("draft", "--title", "关于养老的建议", "--text-file", text, "--check")
    assert r.exit_code == 0 and "草稿检查" in r.output and "dangling_ordinals" in r.output


def test_check_of_a_plain_draft_object():
    d = draft(_request(), FakeSearcher())
    assert check_draft(d.to_json(), vars(_request())).ok
