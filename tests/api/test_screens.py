"""The screenshot set for review: the main screens on a desktop and a phone, written to
test-artifacts/screens/ (git-ignored) by one command:

    .venv/bin/pytest -q tests/api/test_screens.py      (or: make screens)

Each screen is also checked: no page error, and nothing wider than the window."""

from __future__ import annotations

import pytest

from tests.api.conftest import ARTIFACTS, E2E_ADMIN, LETTER, ask_on_page

pytestmark = pytest.mark.integration

OUT = ARTIFACTS / "screens"
DEVICES = {"desktop": {"width": 1366, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("device", list(DEVICES))
def test_screenshot_set(browser, corpus_server, device: str) -> None:
    from playwright.sync_api import expect

    OUT.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=DEVICES[device], locale="zh-CN", device_scale_factor=1)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    shots: list[str] = []

    def shot(name: str) -> None:
        width = pg.evaluate("() => document.documentElement.scrollWidth")
        assert width <= DEVICES[device]["width"], f"{name}: {width}px wide on a {DEVICES[device]['width']}px screen"
        path = OUT / f"{device}-{len(shots) + 1:02d}-{name}.png"
        pg.screenshot(path=str(path))
        shots.append(path.name)


    pg.goto(corpus_server.url + "/")
    expect(pg.locator("#welcome button.suggestion").first).to_be_visible(timeout=20_000)
    shot("welcome")
    bot = ask_on_page(pg, "温州市共有多少家养老机构？")
    bot.locator("details.related summary").click()
    bot.locator("button.fb-down").click()
    bot.locator(".fb-reason textarea").fill("希望同时给出民办养老机构的数量")
    shot("answer-related-feedback")
    bot.locator("button.cite-chip").first.click()
    expect(pg.locator("#doc-body .cited").first).to_be_visible()
    shot("letter-panel")
    pg.keyboard.press("Escape")
    ask_on_page(pg, "深圳市有多少家养老机构？")
    shot("refusal")
    if device == "phone":
        pg.click("#conv-toggle")
    pg.fill("#conv-search", "养老")
    shot("conversation-list")
    if device == "phone":
        pg.click("#conv-close")
    pg.fill("#question", "问" * 2100)
    pg.keyboard.press("Enter")
    shot("question-too-long")
    pg.fill("#question", "")

    pg.click("#tab-docs")
    expect(pg.locator("#doc-table tbody tr").first).to_be_visible()
    shot("letters")
    pg.fill("#token", E2E_ADMIN)
    pg.set_input_files("#files", files=[
        {"name": f"食堂-{device}.txt", "mimeType": "text/plain", "buffer": LETTER.replace(b"7", device.encode())},
        {"name": "坏的.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 garbage"},
        {"name": "空白.txt", "mimeType": "text/plain", "buffer": b""}])
    pg.click("#upload-submit")
    expect(pg.locator("#upload-notice .notice")).to_be_visible(timeout=30_000)
    shot("upload-results")
    pg.fill("#doc-search", "温州")
    shot("letters-search")

    pg.click("#tab-draft")
    shot("draft-form")
    pg.fill("#d-title", "关于加强农村养老服务的建议")
    pg.fill("#d-bureau", "温州市民政局")
    pg.click("#draft-submit")
    expect(pg.locator("#draft-out .letter")).to_be_visible(timeout=20_000)
    shot("draft")

    pg.goto(corpus_server.url + "/docs")
    expect(pg.locator(".swagger-ui .opblock").first).to_be_visible(timeout=15_000)
    pg.screenshot(path=str(OUT / f"{device}-{len(shots) + 1:02d}-api-docs.png"))  # Swagger UI's own layout
    context.close()
    assert not errors, errors
    assert len(shots) == 11
