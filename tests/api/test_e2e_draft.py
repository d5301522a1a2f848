"""Drafting on the page in real Chromium against the real app served by uvicorn: a proposal text pasted in
the draft form becomes one section per demand, each showing its demand, and the .docx downloads with
the demands and the count of marks as comments. Fixtures (server, browser, page) come from tests/api/conftest.py."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest

from rag.draft import DraftRequest
from rag.draft.check import check_draft
from tests.api.conftest import ARTIFACTS

pytestmark = pytest.mark.integration

PROPOSAL = ("当前我市独居、空巢老人增多。为此，建议：一是推进医养结合，支持养老机构内设医务室；"
            "二是建设智慧养老平台，推广“一键呼叫”等智能设备；三是加强城市河道综合治理。")
DEMANDS = ["推进医养结合，支持养老机构内设医务室", "建设智慧养老平台，推广“一键呼叫”等智能设备", "加强城市河道综合治理"]
FORM = {"#d-title": "关于推进医养结合和智慧养老的建议", "#d-text": PROPOSAL, "#d-addressee": "张三委员",
        "#d-bureau": "杭州市民政局"}


def test_draft_from_a_proposal_text_on_the_page_and_download_the_docx(page, corpus_server) -> None:
    from playwright.sync_api import expect

    pipe = corpus_server.pipe
    request = DraftRequest(title=FORM["#d-title"], text=PROPOSAL, addressee="张三委员", bureau="杭州市民政局")
    expected = pipe.draft(request).to_json()
    assert [s["demand"] for s in expected["sections"]] == DEMANDS

    page.click("#tab-draft")
    for selector, value in FORM.items():
        page.fill(selector, value)
    with page.expect_response("**/api/draft") as resp:
        page.click("#draft-submit")
    assert resp.value.request.post_data_json["text"] == PROPOSAL
    got = resp.value.json()
    assert got["sections"] == expected["sections"]  # the page goes through Pipeline.draft like the CLI
    assert check_draft(got, {"title": FORM["#d-title"], "text": PROPOSAL, "bureau": "杭州市民政局"}).ok

    letter = page.locator("#draft-out .letter")
    link = page.locator("#draft-out a.download")
    expect(link).to_be_visible(timeout=15_000)
    expect(letter.locator("h4")).to_have_text([s["heading"] for s in expected["sections"]])
    expect(letter.locator("p.demand")).to_have_text([f"对应建议：{d}" for d in DEMANDS])
    expect(letter.locator("h4").last).to_have_text("三、关于加强城市河道综合治理")
    gap = letter.locator("section").last.locator("p.body")
    expect(gap).to_have_count(1)
    expect(gap).to_contain_text("【待补充：")  # no letter covers rivers: the section says so
    expect(letter.locator("section").first.locator("button.cite-chip").first).to_contain_text("〔")
    if got["marks"]:
        expect(page.locator("#draft-out .warn")).to_contain_text(f"有 {got['marks']} 处【待核实】")
    body = letter.inner_text()
    assert not re.search(r"[\u4e00-\u9fff][,;:()]|[,;:()][\u4e00-\u9fff]", body)  # full-width punctuation
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "e2e-draft-demands.png"), full_page=True)

    with page.expect_download() as dl:
        link.click()
    data = Path(dl.value.path()).read_bytes()
    assert data[:2] == b"PK"
    doc = docx.Document(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    assert [s["heading"] for s in expected["sections"]] == [t for t in texts if t in {
        s["heading"] for s in expected["sections"]}]
    notes = [c.text for c in doc.comments if not c.text.startswith("来源：")]
    assert notes[0].startswith(f"起草提示：本稿有{got['marks']}处【待核实】")
    assert notes[1:] == [f"对应建议：{d}" for d in DEMANDS]
