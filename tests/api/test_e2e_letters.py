"""The letters page and the API docs in real Chromium: search and sort, per-file upload progress and results,
a re-uploaded letter replacing its old version, cards on a phone, and /docs + /redoc with the network blocked."""

from __future__ import annotations

import re

import pytest

from tests.api.conftest import E2E_ADMIN, LETTER, ask_on_page, numbered

pytestmark = pytest.mark.integration

OTHER = LETTER.decode().replace("7号", "8号").replace("88个", "66个").replace("王五", "赵六").encode()


def _page(browser, corpus_server, width: int = 1366, height: int = 800):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    pg = context.new_page()
    pg.goto(corpus_server.url + "/")
    pg.click("#tab-docs")
    return pg


def test_search_and_sort_the_letters(browser, corpus_server) -> None:
    from playwright.sync_api import expect

    pg = _page(browser, corpus_server)
    rows = pg.locator("#doc-table tbody tr")
    n = corpus_server.pipe.store.count()[0]
    expect(rows).to_have_count(n)
    expect(pg.locator("#doc-count")).to_have_text(f"共 {n} 份")
    pg.fill("#doc-search", "温州")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("温民提〔2019〕70号")
    expect(pg.locator("#doc-count")).to_have_text(f"共 {n} 份，符合条件 1 份")
    pg.fill("#doc-search", "肖石龙")  # the addressee
    expect(rows).to_have_count(1)
    pg.fill("#doc-search", "不存在的机关")
    expect(rows).to_have_text(["没有符合“不存在的机关”的答复函"])
    pg.fill("#doc-search", "")
    expect(rows).to_have_count(n)

    pg.select_option("#doc-sort", "date:1")
    dates = [d for d in pg.locator("#doc-table td.c-date").all_inner_texts() if d != "—"]
    assert dates == sorted(dates) and len(dates) >= 2
    assert pg.locator("#doc-table td.c-date").all_inner_texts()[-1] == "—"  # an unknown date sorts last
    pg.select_option("#doc-sort", "date:-1")
    assert [d for d in pg.locator("#doc-table td.c-date").all_inner_texts() if d != "—"] == sorted(dates, reverse=True)
    head = pg.locator("#doc-table thead th", has_text="文号")
    head.locator("button").click()
    expect(head).to_have_attribute("aria-sort", "ascending")
    first = pg.locator("#doc-table td.c-doc_number").all_inner_texts()
    head.locator("button").click()
    expect(head).to_have_attribute("aria-sort", "descending")
    assert pg.locator("#doc-table td.c-doc_number").all_inner_texts() == first[::-1]
    pg.context.close()


def test_upload_shows_progress_and_a_result_per_file(browser, corpus_server) -> None:
    from playwright.sync_api import expect

    pg = _page(browser, corpus_server)
    before = corpus_server.pipe.store.count()[0]
    # slow the upload down to a phone's uplink, so progress is seen between 0 and 100 %
    cdp = pg.context.new_cdp_session(pg)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 20, "downloadThroughput": -1,
                                                  "uploadThroughput": 256 * 1024})
    big = LETTER + b"\n" + b" " * 600_000 + b"\n"  # blank padding: 600 kB on the wire, the same letter indexed
    pg.fill("#token", E2E_ADMIN)
    pg.set_input_files("#files", files=[
        {"name": "食堂答复.txt", "mimeType": "text/plain", "buffer": big},
        {"name": "另一份.txt", "mimeType": "text/plain", "buffer": OTHER},
        {"name": "空白.txt", "mimeType": "text/plain", "buffer": b""},
        {"name": "程序.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\x90\x00"},
        {"name": "坏的.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n1 0 obj garbage"},
    ])
    expect(pg.locator("#files-chosen")).to_contain_text("已选 5 个文件")
    pg.click("#upload-submit")
    rows = pg.locator("#upload-list li")
    expect(rows).to_have_count(5)
    pg.wait_for_function("""() => [...document.querySelectorAll('#upload-list progress')]
        .some(p => p.value > 0.05 && p.value < 0.95)""", timeout=15_000)
    expect(rows.nth(0)).to_contain_text(re.compile(r"上传中 \d+%"))
    expect(rows.nth(0).locator(".file-status")).to_have_text("已添加", timeout=30_000)
    expect(rows.nth(1).locator(".file-status")).to_have_text("已添加")
    expect(rows.nth(2).locator(".file-status")).to_have_text("已拒绝：这是空文件：请重新导出答复函的文字。")
    expect(rows.nth(3).locator(".file-status")).to_contain_text("已拒绝：不支持 .exe 文件")
    expect(rows.nth(4).locator(".file-status")).to_have_text(re.compile("^已拒绝：PDF 文件损坏或不完整"))
    assert pg.locator("#upload-list progress").evaluate_all("ps => ps.map(p => p.value)")[:2] == [1, 1]
    expect(pg.locator("#upload-notice")).to_contain_text("共 5 个文件：添加 2，更新 0，未变化 0，拒绝 3，未上传 0。")
    expect(pg.locator("#doc-table tbody tr")).to_have_count(before + 2)
    # the same files again: unchanged, said per file
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1,
                                                  "uploadThroughput": -1})
    pg.set_input_files("#files", files=[{"name": "另一份.txt", "mimeType": "text/plain", "buffer": OTHER}])
    pg.click("#upload-submit")
    expect(rows.first.locator(".file-status")).to_have_text("未变化：与已收录的内容相同", timeout=30_000)
    pg.context.close()


def test_a_re_uploaded_edited_letter_replaces_its_previous_version(browser, corpus_server) -> None:
    from playwright.sync_api import expect

    pg = _page(browser, corpus_server)
    v1 = LETTER.decode().replace("7号", "9号").encode()
    v2 = v1.decode().replace("88个", "99个").encode()  # the same letter, one figure corrected
    pg.fill("#token", E2E_ADMIN)
    rows = pg.locator("#upload-list li")
    pg.set_input_files("#files", files=[{"name": "社区食堂答复.txt", "mimeType": "text/plain", "buffer": v1}])
    pg.click("#upload-submit")
    expect(rows.first.locator(".file-status")).to_have_text("已添加", timeout=30_000)
    pg.set_input_files("#files", files=[{"name": "社区食堂答复.txt", "mimeType": "text/plain", "buffer": v2}])
    pg.click("#upload-submit")
    expect(rows.first).not_to_have_attribute("data-state", re.compile("waiting|sending|indexing"), timeout=30_000)
    assert rows.first.locator(".file-status").inner_text() == "已更新：替换了旧版本"
    pg.fill("#doc-search", "测民函〔2023〕9号")
    expect(pg.locator("#doc-table tbody tr")).to_have_count(1)
    pg.context.close()


def test_a_passage_copied_in_other_letters_is_shown_once_with_where_else(page, corpus_server) -> None:
    import httpx
    from playwright.sync_api import expect

    files = [("files", (f"食堂-{n}.txt", numbered(n))) for n in (401, 402, 403)]  # three letters, one passage
    r = httpx.post(corpus_server.url + "/api/documents", files=files,
                   headers={"Authorization": f"Bearer {E2E_ADMIN}"}, timeout=60)
    assert [f["status"] for f in r.json()["files"]] == ["added"] * 3, r.text
    bot = ask_on_page(page, "测试市建成了多少个社区老年食堂？")
    expect(bot.locator(".answer")).to_contain_text("88个")
    also = bot.locator(".chips li").first.locator(".also-in")
    expect(also).to_have_text(re.compile(r"^另见 [2-9] 封答复函$"))  # the other copies, not three chips of one passage
    assert "测民函〔2023〕40" in also.get_attribute("title")
    cited = bot.locator(".chips li .cite-chip").all_inner_texts()
    assert len(cited) == len(set(cited))


def test_on_a_phone_the_letters_are_cards(browser, corpus_server) -> None:
    from playwright.sync_api import expect

    pg = _page(browser, corpus_server, 390, 844)
    card = pg.locator("#doc-table tbody tr").first
    expect(card).to_be_visible()
    assert pg.locator("#doc-table thead").is_hidden()
    for cell in ("td.c-bureau", "td.c-addressee", "td.c-doc_number"):
        expect(card.locator(cell)).to_be_visible()  # laid out: under load the box was once read before it (None)
        box = card.locator(cell).bounding_box()
        for _ in range(50):  # and once after it, while the list re-rendered (None again): read it until it is there
            if box is not None:
                break
            pg.wait_for_timeout(100)
            box = card.locator(cell).bounding_box()
        line = float(card.locator(cell).evaluate("n => parseFloat(getComputedStyle(n).lineHeight)"))
        assert box["width"] > 250, (cell, box)  # the row is as wide as the card, not a narrow column
        assert box["height"] < 2.5 * line, (cell, box)  # one line (two at most), never a character per line
    label = card.locator("td.c-bureau").evaluate("n => getComputedStyle(n, '::before').content")
    assert label == '"机关"'
    overflow = pg.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert overflow[0] <= overflow[1], overflow
    pg.context.close()


def test_api_docs_render_with_the_network_blocked(browser, corpus_server) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(locale="zh-CN")
    blocked: list[str] = []

    def only_this_host(route) -> None:
        if route.request.url.startswith(corpus_server.url):
            route.continue_()
        else:  # a CDN, a font host: what government networks cannot reach
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_this_host)
    pg = context.new_page()
    pg.goto(corpus_server.url + "/docs")
    expect(pg.locator(".swagger-ui .info .title")).to_contain_text("答复函问答", timeout=15_000)
    expect(pg.locator(".swagger-ui .opblock").first).to_be_visible()
    assert pg.locator(".swagger-ui .opblock-summary-path", has_text="/api/ask").count() >= 1
    pg.goto(corpus_server.url + "/redoc")
    expect(pg.locator("h1", has_text="答复函问答")).to_be_visible(timeout=15_000)
    expect(pg.get_by_text("/api/feedback").first).to_be_attached()
    assert blocked == [], blocked
    context.close()


def test_letters_the_index_cannot_answer_from_are_marked(browser, tmp_path) -> None:
    """A `rag index` that stored a letter and was killed before its index went live: the page says 待索引."""
    from playwright.sync_api import expect

    from tests.api.conftest import Server, corpus_pipeline_in

    settings, pipe = corpus_pipeline_in(tmp_path / "index")
    pipe.ingestor.ingest_bytes(OTHER, "other.txt", "upload:0123456789ab:other.txt")  # stored, never built
    server = Server(settings, pipe).start()
    try:
        pg = _page(browser, server)
        rows = pg.locator("#doc-table tbody tr")
        expect(rows).to_have_count(6)
        pending = pg.locator("#doc-table tbody tr", has=pg.locator(".pending"))
        expect(pending).to_have_count(1)
        expect(pending).to_contain_text("测民函〔2023〕8号")
        expect(pending.locator(".pending")).to_have_text("待索引")
        assert "rag index" in (pending.locator(".pending").get_attribute("title") or "")
        expect(pg.locator("#doc-count")).to_contain_text("共 6 份，其中 1 份待索引")
        pg.context.close()
    finally:
        server.stop()
