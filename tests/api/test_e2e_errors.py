"""Errors on the running page, in real Chromium: every message a user reads is Chinese and says what to do,
results stay next to the action until dismissed, and the page reconnects by itself after a server restart."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.api.conftest import E2E_ADMIN, LETTER, ask_on_page

pytestmark = pytest.mark.integration

# file extensions are the only Latin words a message may hold
ALLOWED = {"txt", "html", "htm", "docx", "pdf"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def chinese(text: str) -> str:
    """The message, after checking that it is Chinese: no English word reaches the user."""
    english = set(re.findall(r"[A-Za-z]{3,}", text)) - ALLOWED
    assert CJK.search(text) and not english, f"not Chinese: {text!r} ({english})"
    return text


IGNORED_CONSOLE = ("Failed to load resource", "ERR_CONNECTION_REFUSED")  # what these tests provoke


def test_token_refusals_are_chinese_and_stay_until_dismissed(page, corpus_server) -> None:
    from playwright.sync_api import expect

    page.click("#tab-docs")
    rows = page.locator("#doc-table tbody tr")
    expect(rows).to_have_count(corpus_server.pipe.store.count()[0])
    letter = {"name": "食堂.txt", "mimeType": "text/plain", "buffer": LETTER}
    # no token
    page.set_input_files("#files", files=[letter])
    page.click("#upload-submit")
    row = page.locator("#upload-list li")
    expect(row).to_contain_text("未上传：需要管理口令")
    chinese(row.locator(".file-status").inner_text())
    # a wrong one
    page.fill("#token", "wrong-token")
    page.set_input_files("#files", files=[letter])
    page.click("#upload-submit")
    expect(row).to_contain_text("未上传：管理口令不正确")
    chinese(row.locator(".file-status").inner_text())
    # a failed delete: its message stays beside the list, through the status line's own refreshes
    page.once("dialog", lambda d: d.accept())
    rows.first.get_by_role("button", name=re.compile("删除")).click()
    note = page.locator("#docs-notice .notice.error")
    expect(note).to_contain_text("失败：管理口令不正确")
    chinese(note.locator("p").inner_text())
    page.wait_for_timeout(1500)
    expect(note).to_be_visible()
    expect(page.locator("#status")).to_have_text(re.compile("^已收录"))  # the status line keeps to its own news
    note.get_by_role("button", name="关闭这条消息").click()
    expect(note).to_have_count(0)
    expect(rows).to_have_count(corpus_server.pipe.store.count()[0])  # nothing was deleted


def test_api_refusals_the_page_can_meet_are_chinese(page) -> None:
    bodies = page.evaluate("""async () => {
        const post = (url, body, h = {}) => fetch(url, {method: 'POST', body: JSON.stringify(body),
            headers: {'Content-Type': 'application/json', ...h}}).then(r => r.json());
        return [
            await post('/api/ask', {question: '问'.repeat(3000)}),
            await post('/api/ask', {question: '   '}),
            await fetch('/api/documents/0a1b2c3d4e5f', {method: 'DELETE'}).then(r => r.json()),
            await fetch('/api/documents/0a1b2c3d4e5f').then(r => r.json()),
            await post('/api/draft', {title: ''}),
            await post('/api/ask', {question: '温州', answer_mode: 'llm'}),
        ];
    }""")
    assert [b["code"] for b in bodies] == ["question_too_long", "question_empty", "admin_token_required",
                                           "document_not_found", "missing", "llm_not_configured"]
    assert bodies[0]["detail"] == "问题过长：最多 2000 字，收到 3000 字，请删减后再发送。"
    for b in bodies:
        chinese(b["detail"])


def test_a_deleted_letter_cited_in_an_old_answer_says_so_in_chinese(page, corpus_server) -> None:
    from playwright.sync_api import expect

    r = httpx.post(corpus_server.url + "/api/documents", files=[("files", ("食堂.txt", LETTER))],
                   headers={"Authorization": f"Bearer {E2E_ADMIN}"}, timeout=60)
    doc_id = r.json()["files"][0]["doc_id"]
    bot = ask_on_page(page, "测试市建成了多少个社区老年食堂？")
    chip = bot.locator("button.cite-chip").first
    expect(chip).to_contain_text("测试市民政局")
    assert httpx.delete(f"{corpus_server.url}/api/documents/{doc_id}", headers={"Authorization": f"Bearer {E2E_ADMIN}"},
                        timeout=60).status_code == 200
    chip.click()
    body = page.locator("#doc-body .error")
    expect(body).to_contain_text("无法打开原文：找不到这份答复函")
    expect(body).to_contain_text("可能已被删除或被新版本替换")
    chinese(body.inner_text())


def test_the_page_reconnects_by_itself_after_a_server_restart(page, corpus_server) -> None:
    from playwright.sync_api import expect

    expect(page.locator("#status")).to_have_text(re.compile("^已收录"))
    corpus_server.stop()
    try:
        bot = ask_on_page(page, "温州市共有多少家养老机构？")
        answer = bot.locator(".answer")
        expect(answer).to_have_class(re.compile("error"))
        expect(answer).to_contain_text("无法连接服务器")
        chinese(answer.inner_text())
        expect(page.locator("#status")).to_have_text("连接中断，正在重新连接……")
        page.click("#tab-docs")  # the list cannot load now: said once, in Chinese
        expect(page.locator("#docs-load-error")).to_contain_text("无法连接服务器")
        page.click("#tab-chat")
    finally:
        corpus_server.start()
    # no reload, no click: the page finds the server again and refreshes what it shows
    expect(page.locator("#status")).to_have_text(re.compile(r"^已收录 \d+ 份答复函$"), timeout=10_000)
    expect(page.locator("#docs-load-error")).to_be_empty()
    bot.get_by_role("button", name="重新提问").click()
    last = page.locator("li.msg.bot").last
    expect(last.locator(".chips")).to_be_visible(timeout=15_000)
    expect(last.locator(".answer")).to_contain_text("375")
