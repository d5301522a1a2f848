"""The chat as staff use it all day, in real Chromium against the real app (index built with the FakeEmbedder):
welcome from the corpus, related paragraphs, conversations that survive closing the browser, Markdown export,
copy, feedback stored then exported as a QA file `rag eval` reads, the length counter, jargon behind 高级设置."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rag.core.places import places_of
from rag.pipeline import Pipeline
from tests.api.conftest import CHROMIUM, LAUNCH_ARGS, ask_on_page

pytestmark = pytest.mark.integration

Q_375 = "温州市共有多少家养老机构？"  # the fake vectors make the answer quote the 375 sentence
Q_BROAD = "养老服务有哪些做法？"
Q_NONE = "深圳市有多少家养老机构？"  # no letter from 深圳: refused
Q_XIANYANG = "咸阳市建成城镇社区日间照料中心多少个？"


def test_welcome_shows_the_corpus_and_questions_drawn_from_it(page, corpus_server) -> None:
    from playwright.sync_api import expect

    pipe = corpus_server.pipe
    docs = pipe.store.list_documents()
    welcome = page.locator("#welcome")
    expect(welcome).to_contain_text(f"已收录 {len(docs)} 份答复函")
    for bureau in {d["bureau"] for d in docs}:
        expect(welcome).to_contain_text(bureau)
    for year in {d["date"][:4] for d in docs if d["date"]}:
        expect(welcome).to_contain_text(year)
    buttons = page.locator("#welcome button.suggestion")
    expect(buttons.first).to_be_visible()
    asked = buttons.all_inner_texts()
    assert len(asked) >= 3 and len(set(asked)) == len(asked)
    # each suggestion is drawn from a letter: it names that letter's place, and that letter answers it
    for q in asked:
        a = pipe.ask(q)
        assert a.found, q
        assert any(p in q for c in a.citations for p in places_of(c.bureau)), q
    buttons.first.click()
    expect(page.locator("li.msg.user").first).to_have_text(re.compile(re.escape(asked[0])))
    expect(page.locator("li.msg.bot .chips").first).to_be_visible(timeout=15_000)
    expect(welcome).to_be_hidden()


def test_broad_questions_show_the_other_sources_as_related_paragraphs(page, corpus_server) -> None:
    from playwright.sync_api import expect

    pipe = corpus_server.pipe
    a = pipe.ask(Q_BROAD)
    cited = {c.paragraph for c in a.citations}
    rest = list({tuple(h.chunk.paragraph_ids): h for h in a.sources
                 if not cited & set(h.chunk.paragraph_ids)}.values())
    assert a.found and rest, "the broad question must have sources beyond the quote"
    bot = ask_on_page(page, Q_BROAD)
    related = bot.locator("details.related")
    expect(related.locator("summary")).to_have_text(f"相关段落（{len(rest)}）")
    related.locator("summary").click()
    items = related.locator("li")
    expect(items).to_have_count(len(rest))
    first = rest[0]
    expect(items.first).to_contain_text(first.meta.bureau or "")
    items.first.locator("button.related-open").click()
    expect(page.locator("#doc-panel")).to_be_visible()
    cited_nodes = page.locator("#doc-body .cited")
    expect(cited_nodes).to_have_count(len(first.chunk.paragraph_ids))
    expect(cited_nodes.first).to_be_in_viewport()
    assert set(cited_nodes.evaluate_all("ns => ns.map(n => n.dataset.pid)")) == set(first.chunk.paragraph_ids)


def test_conversations_survive_closing_the_browser_and_export_as_markdown(playwright_driver, corpus_server,
                                                                          tmp_path: Path) -> None:
    from playwright.sync_api import expect

    url, pipe = corpus_server.url, corpus_server.pipe
    profile = tmp_path / "profile"  # a real browser profile on disk: closed, then opened again

    def launch():
        ctx = playwright_driver.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS, locale="zh-CN",
            viewport={"width": 1366, "height": 800}, accept_downloads=True)
        pg = ctx.pages[0] if ctx.pages else ctx.new_page()
        pg.goto(url + "/")
        return ctx, pg

    ctx, pg = launch()
    ask_on_page(pg, Q_375)
    ask_on_page(pg, "那巴中呢？")
    pg.click("#new-conv")
    expect(pg.locator("li.msg")).to_have_count(0)
    expect(pg.locator("#welcome")).to_be_visible()
    ask_on_page(pg, Q_XIANYANG)
    convs = pg.locator("#conv-list li.conv")
    expect(convs).to_have_count(2)
    # rename the first conversation (the older one, listed second)
    older = convs.filter(has_text=Q_375[:10])
    older.get_by_role("button", name=re.compile("重命名")).click()
    pg.fill("input.conv-rename", "温州养老机构")
    pg.keyboard.press("Enter")
    expect(convs.filter(has_text="温州养老机构")).to_have_count(1)
    ctx.close()

    ctx, pg = launch()
    try:
        convs = pg.locator("#conv-list li.conv")
        expect(convs).to_have_count(2)
        expect(convs.nth(0)).to_contain_text(Q_XIANYANG[:10])  # most recent first
        expect(convs.nth(1)).to_contain_text("温州养老机构")
        pg.fill("#conv-search", "巴中")  # found in a question inside the conversation, not in its title
        expect(convs).to_have_count(1)
        expect(convs.first).to_contain_text("温州养老机构")
        convs.first.locator("button.conv-open").click()
        expect(pg.locator("li.msg.user")).to_have_count(2)
        expect(pg.locator("li.msg.user").first).to_contain_text(Q_375)
        expected = pipe.ask(Q_375)
        expect(pg.locator("li.msg.bot .answer").first).to_have_text(expected.answer)
        expect(pg.locator("li.msg.bot").first.locator("button.cite-chip")).to_have_count(len(expected.citations))

        with pg.expect_download() as dl:
            pg.click("#export-conv")
        assert dl.value.suggested_filename == "温州养老机构.md"
        md = Path(dl.value.path()).read_text(encoding="utf-8")
        assert md.startswith("# 温州养老机构")
        assert f"## 问：{Q_375}" in md and "## 问：那巴中呢？" in md
        assert expected.answer in md
        assert expected.citations[0].label in md and f"> {expected.citations[0].quote}" in md

        pg.fill("#conv-search", "")
        pg.once("dialog", lambda d: d.accept())
        convs.filter(has_text=Q_XIANYANG[:10]).get_by_role("button", name=re.compile("删除")).click()
        expect(convs).to_have_count(1)
        expect(pg.locator("#conv-notice")).to_contain_text("已删除对话")
    finally:
        ctx.close()


def test_copy_an_answer_with_its_citations(page, corpus_server) -> None:
    from playwright.sync_api import expect

    pipe = corpus_server.pipe
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    bot = ask_on_page(page, Q_375)
    bot.locator("button.copy-answer").click()
    expect(bot.locator("button.copy-answer")).to_have_text("已复制")
    copied = page.evaluate("navigator.clipboard.readText()")
    a = pipe.ask(Q_375)
    assert copied.startswith(a.answer)
    assert f"[1] {a.citations[0].label}" in copied and a.citations[0].quote in copied


def test_feedback_is_stored_and_exported_as_a_qa_file_that_rag_eval_reads(page, corpus_server, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from playwright.sync_api import expect
    from typer.testing import CliRunner

    import rag.cli
    from rag.evaluation.evaluate import load_qa
    from rag.evaluation.feedback import FEEDBACK_FILE, FeedbackStore
    from tests.conftest import FakeEmbedder

    settings, pipe = corpus_server.settings, corpus_server.pipe
    assert not pipe.ask(Q_NONE).found
    page.select_option("#f-bureau", "温州市民政局")  # the settings are stored with the rating
    good = ask_on_page(page, Q_375)
    good.locator("button.fb-up").click()
    expect(good.locator(".fb-said")).to_contain_text("已记录评价")
    expect(good.locator("button.fb-up")).to_have_attribute("aria-pressed", "true")
    page.select_option("#f-bureau", "")
    bad = ask_on_page(page, "温州市有多少家民办养老机构？")
    bad.locator("button.fb-down").click()
    bad.locator(".fb-reason textarea").fill("请同时说明占全市养老机构的比例")
    bad.locator(".fb-reason button[type=submit]").click()
    expect(bad.locator(".fb-said")).to_contain_text("说明已提交")
    refusal = ask_on_page(page, Q_NONE)
    expect(refusal.locator(".answer")).to_have_class(re.compile("notfound"))
    refusal.locator("button.fb-up").click()
    expect(refusal.locator(".fb-said")).to_contain_text("已记录评价")

    stored = {fb.question: fb for fb in FeedbackStore(settings.index_dir / FEEDBACK_FILE).all()}
    assert set(stored) >= {Q_375, "温州市有多少家民办养老机构？", Q_NONE}
    up = stored[Q_375]
    assert up.rating == "up" and up.found and up.answer == pipe.ask(Q_375).answer
    assert up.citations and up.citations[0]["label"].startswith("〔温州市民政局")
    assert up.settings["bureau"] == "温州市民政局" and up.settings["mode"] == settings.mode
    down = stored["温州市有多少家民办养老机构？"]
    assert down.rating == "down" and down.reason == "请同时说明占全市养老机构的比例"

    # the admin exports it; `rag eval` reads the file and scores the pipeline on it
    monkeypatch.setattr(rag.cli, "_pipeline", lambda s: Pipeline(s, embedder=FakeEmbedder()))
    monkeypatch.setattr(rag.cli, "get_settings", lambda: settings)
    qa, report = tmp_path / "feedback.jsonl", tmp_path / "report.json"
    r = CliRunner().invoke(rag.cli.app, ["feedback", "export", "--out", str(qa)])
    assert r.exit_code == 0, r.output
    items = {it.question: it for it in load_qa(qa)}
    assert items[Q_375].evidence and "375家养老机构" in items[Q_375].evidence
    assert items[Q_375].answers == ("375家",) and items[Q_375].bureau == "温州市民政局"
    assert items[Q_NONE].evidence is None  # a confirmed refusal is an unanswerable item
    assert "温州市有多少家民办养老机构？" not in items  # a 👎 is not guessed into the QA file ...
    review = [json.loads(line) for line in qa.with_name("feedback.review.jsonl").read_text().splitlines()]
    # ... it is reviewed
    assert [x["reason"] for x in review if x["question"] == "温州市有多少家民办养老机构？"] == [down.reason]
    r = CliRunner().invoke(rag.cli.app, ["eval", "--qa", str(qa), "--out", str(report)])
    assert r.exit_code == 0, r.output
    scored = json.loads(report.read_text())
    assert scored["n"] == len(items)
    by_id = {q["question"]: q for q in scored["questions"]}
    assert by_id[Q_375]["hit_rank"] in range(1, 6) and by_id[Q_375]["correct"] is True
    assert by_id[Q_NONE]["found"] is False


def test_length_counter_and_refusal_of_an_over_long_question(page) -> None:
    from playwright.sync_api import expect

    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if "/api/ask" in r.url else None)
    expect(page.locator("#q-count")).to_have_text("0 / 2000")
    page.fill("#question", "温州" * 5)
    expect(page.locator("#q-count")).to_have_text("10 / 2000")
    pasted = "请问" + "养老" * 1499  # 3000 characters, as pasted from a document
    page.fill("#question", pasted)
    expect(page.locator("#q-count")).to_have_text("3000 / 2000")
    expect(page.locator("#q-count")).to_have_class(re.compile("over"))
    page.keyboard.press("Enter")
    expect(page.locator("#q-error")).to_have_text("问题过长：最多 2000 字，现在 3000 字。请删减后再发送。")
    assert page.input_value("#question") == pasted  # nothing cut, nothing lost
    assert sent == [] and page.locator("li.msg").count() == 0
    page.fill("#question", pasted[:2000])
    expect(page.locator("#q-error")).to_have_text("")
    expect(page.locator("#q-count")).not_to_have_class(re.compile("over"))


def test_jargon_sits_behind_advanced_settings_and_the_token_is_called_管理口令(page) -> None:
    from playwright.sync_api import expect

    expect(page.locator("#status")).to_have_text(re.compile(r"^已收录 \d+ 份答复函$"))
    for hidden in ("#f-mode", "#f-answer", "#f-k"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator("#f-bureau")).to_be_visible()
    page.click("#advanced summary")
    expect(page.locator("#f-mode")).to_be_visible()
    expect(page.locator("#index-info")).to_contain_text("片段")
    page.click("#tab-docs")
    expect(page.locator("label[for=token]")).to_have_text("管理口令")
    for tab in ("#tab-chat", "#tab-docs", "#tab-draft"):
        page.click(tab)
        text = page.locator("main").inner_text()
        assert "RAG_" not in text and "TOKEN" not in text, tab


def test_draft_form_placeholders_read_as_hints(page) -> None:
    page.click("#tab-draft")
    fields = page.locator("#draft-form input, #draft-form textarea")
    assert fields.count() == 8
    for i in range(fields.count()):
        hint = fields.nth(i).get_attribute("placeholder") or ""
        assert re.match(r"^(如：|可选：)", hint), hint
    style = page.evaluate("""() => {
        const f = document.getElementById('d-title');
        return [getComputedStyle(f).color, getComputedStyle(f, '::placeholder').color,
                getComputedStyle(f, '::placeholder').fontStyle];
    }""")
    assert style[0] != style[1] and style[2] == "italic"  # a hint never looks like a filled-in value


def test_a_question_sent_while_an_answer_is_coming_stays_in_the_box_and_the_next_goes_once_it_is_shown(
        page, corpus_server) -> None:
    """Enter while an answer is still coming keeps the typed question (it used to be cleared and dropped), and a
    question sent right after an answer is shown is asked (it was dropped while the conversation was being saved)."""
    from playwright.sync_api import expect

    held = []
    page.route("**/api/ask/stream", lambda route: held.append(route), times=1)  # the first answer waits until released
    page.fill("#question", Q_375)
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#send').disabled")
    page.fill("#question", Q_XIANYANG)
    page.keyboard.press("Enter")
    expect(page.locator("#question")).to_have_value(Q_XIANYANG)  # not sent, not lost
    held[0].continue_()
    first = page.locator("li.msg.bot").nth(0)
    first.locator(".tools button").first.wait_for(timeout=30_000)
    page.keyboard.press("Enter")  # at once: the saving of the conversation does not hold it back
    second = page.locator("li.msg.bot").nth(1)
    second.locator(".tools button").first.wait_for(timeout=30_000)
    expect(page.locator("li.msg.user").nth(1)).to_contain_text(Q_XIANYANG)
    expect(page.locator("#question")).to_have_value("")
