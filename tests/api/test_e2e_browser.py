"""The web page in real Chromium against the real app served by uvicorn (index built with the FakeEmbedder).

Screenshots go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api.conftest import ARTIFACTS, E2E_ADMIN

pytestmark = pytest.mark.integration

QUESTION = "温州市有多少家养老机构？"
# With fake (bigram) vectors the extractive answerer ranks the 2019 plan sentence ("推动83家养老机构")
# above the stock sentence for QUESTION, so the page is checked against whatever the pipeline answers;
# this phrasing makes it pick the 375 sentence, which the highlighted-paragraph check needs.
QUESTION_375 = "温州市共有多少家养老机构？"


def _last_answer(pg):
    bot = pg.locator("li.msg.bot").last
    bot.locator(".chips, .answer.error").first.wait_for(timeout=15_000)  # rendered after the final event
    return bot


def test_chat_streams_and_opens_the_cited_letter(page, corpus_server) -> None:
    from playwright.sync_api import expect

    pipe = corpus_server.pipe
    expected = pipe.ask(QUESTION)

    # mouse: type and press the send button; the answer arrives as an event stream
    page.fill("#question", QUESTION)
    with page.expect_response("**/api/ask/stream") as resp:
        page.click("#send")
    assert resp.value.headers["content-type"].startswith("text/event-stream")
    bot = _last_answer(page)
    expect(bot.locator(".answer")).to_have_text(expected.answer)
    chips = bot.locator("button.cite-chip")
    expect(chips).to_have_count(len(expected.citations))
    expect(chips.first).to_contain_text(expected.citations[0].label)
    chips.first.click()
    panel = page.locator("#doc-panel")
    expect(panel).to_be_visible()
    expect(page.locator("#doc-meta")).to_contain_text("温州市民政局")
    expect(page.locator("#doc-body .cited")).to_contain_text(expected.citations[0].quote)
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(chips.first).to_be_focused()  # focus goes back to the chip that opened the letter

    # keyboard only: Tab to the question box, type, Enter
    page.locator("body").focus()
    for _ in range(20):
        if page.evaluate("document.activeElement && document.activeElement.id") == "question":
            break
        page.keyboard.press("Tab")
    expect(page.locator("#question")).to_be_focused()
    page.keyboard.type(QUESTION_375)
    page.keyboard.press("Enter")
    bot = _last_answer(page)
    expect(bot.locator(".answer")).to_contain_text("375")
    bot.locator("button.cite-chip").first.click()
    expect(page.locator("#doc-meta")).to_contain_text("温州市民政局")
    expect(page.locator("#doc-meta")).to_contain_text("温民提〔2019〕70号")
    cited = page.locator("#doc-body .cited")
    expect(cited).to_have_count(1)
    expect(cited).to_contain_text("375家养老机构")
    expect(cited).to_be_in_viewport()
    expect(cited.locator("mark")).to_contain_text("375家养老机构")  # the quote itself is marked

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "e2e-chat.png"))

    # the conversation survives a reload of this tab, and follow-ups send it as history
    page.reload()
    expect(page.locator("li.msg.user")).to_have_count(2)
    with page.expect_request("**/api/ask/stream") as req:
        page.fill("#question", "那巴中呢？")
        page.keyboard.press("Enter")
    assert req.value.post_data_json["history"] == [QUESTION, QUESTION_375]
    expect(_last_answer(page).locator(".answer")).not_to_be_empty()


def test_documents_and_draft_tabs(page, corpus_server, errors) -> None:
    from playwright.sync_api import expect

    pipe = corpus_server.pipe
    page.click("#tab-docs")
    rows = page.locator("#doc-table tbody tr")
    expect(rows).to_have_count(pipe.store.count()[0])
    expect(page.locator("#f-bureau option")).to_have_count(1 + len({d["bureau"] for d in pipe.store.list_documents()}))
    # an upload without the token is refused with the server's message
    page.set_input_files("#files", files=[{"name": "a.txt", "mimeType": "text/plain", "buffer": "测试".encode()}])
    page.click("#upload-submit")
    expect(page.locator("#upload-list li")).to_contain_text("未上传：需要管理口令")
    errors[:] = [e for e in errors if "401" not in e]  # the refused upload logs its 401

    page.focus("#tab-docs")
    page.keyboard.press("ArrowRight")  # tabs follow the arrow keys
    expect(page.locator("#panel-draft")).to_be_visible()
    page.fill("#d-title", "关于加强农村养老服务的建议")
    page.fill("#d-bureau", "温州市民政局")
    page.click("#draft-submit")
    link = page.locator("#draft-out a.download")
    expect(link).to_be_visible(timeout=15_000)
    letter = page.locator("#draft-out .letter")
    expect(letter.locator("h3")).to_contain_text("温州市民政局关于")
    expect(letter.locator("p.body")).not_to_have_count(0)
    expect(letter.locator("button.cite-chip").first).to_contain_text("〔")
    assert "[object" not in letter.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "e2e-draft.png"))
    with page.expect_download() as dl:
        link.click()
    assert Path(dl.value.path()).read_bytes()[:2] == b"PK"  # a .docx is a zip
    assert dl.value.suggested_filename == "关于加强农村养老服务的建议（答复草稿）.docx"  # named after the proposal
    # the draft's Markdown, copied with its sources
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("#draft-out button.copy-markdown")
    expect(page.locator("#draft-out button.copy-markdown")).to_have_text("已复制")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("〔文号待填〕") or "# " in copied
    assert "温州市民政局关于" in copied and "〔" in copied


# Markup inside a letter is data: it must show as the characters it is, and nothing in it may run.
XSS_LETTER = """测试市民政局

测民函〔2024〕3号

测试市民政局关于<script>alert(1)</script>社区食堂建议的答复函

钱七委员：

您提出的《关于<b onmouseover=alert(2)>社区食堂</b>的建议》收悉，现答复如下：

一、关于社区食堂<img src=x onerror="alert(3)">

截至2024年2月，我市已建成<script>alert(4)</script>社区食堂66个，<img src=x onerror=alert(5)>覆盖全部街道。

测试市民政局
2024年3月1日
"""


def test_markup_in_a_letter_is_shown_as_text_and_never_runs(page, corpus_server) -> None:
    import httpx
    from playwright.sync_api import expect

    url = corpus_server.url
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    r = httpx.post(url + "/api/documents", files=[("files", ("食堂.txt", XSS_LETTER.encode()))],
                   headers={"Authorization": f"Bearer {E2E_ADMIN}"}, timeout=60)
    assert r.status_code == 200 and r.json()["added"], r.text
    csp = httpx.get(url + "/").headers["content-security-policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp  # a second guard: inline script never runs

    # the letter panel, opened from the documents table
    page.click("#tab-docs")
    row = page.locator("#doc-table tbody tr", has_text="测民函〔2024〕3号")
    expect(row).to_have_count(1)
    row.locator("button", has_text="查看").click()
    body = page.locator("#doc-body")
    expect(body).to_contain_text("我市已建成<script>alert(4)</script>社区食堂66个，"
                                 "<img src=x onerror=alert(5)>覆盖全部街道。")
    expect(body).to_contain_text('一、关于社区食堂<img src=x onerror="alert(3)">')
    expect(page.locator("#doc-title")).to_contain_text("<script>alert(1)</script>")
    assert page.locator("#doc-panel script, #doc-panel img, #doc-panel b").count() == 0
    page.keyboard.press("Escape")

    # an answer quoting the letter, streamed into the chat
    page.click("#tab-chat")
    page.fill("#question", "测试市建成了多少个社区食堂？")
    page.keyboard.press("Enter")
    bot = _last_answer(page)
    expect(bot.locator(".answer")).to_contain_text("<script>alert(4)</script>社区食堂66个")
    assert bot.locator("script, img").count() == 0
    page.mouse.move(10, 10)
    page.wait_for_timeout(300)  # time for anything that would fire
    assert dialogs == []
    assert page.evaluate("document.scripts.length") == 1  # only /static/app.js (its modules are imports)
