"""Answers the way staff ask, through the real page in headless Chromium: a follow-up that changes the thing
asked (the page shows how it understood it), a list answered item by item with a citation per item, a 文号
in the question, and a 文号 the corpus does not hold."""

from __future__ import annotations

import re

import pytest

from tests.api.conftest import ask_on_page

pytestmark = pytest.mark.integration


def test_a_follow_up_inherits_the_previous_question(page, corpus_server) -> None:
    from playwright.sync_api import expect

    first = ask_on_page(page, "温州市有多少家养老机构？")
    expect(first.locator(".answer")).to_contain_text("375家")
    follow = ask_on_page(page, "那社区养老园呢？")
    expect(follow.locator(".answer")).to_contain_text("25个")
    expect(follow.locator(".answer")).not_to_contain_text("375家")
    expect(follow.locator(".resolved")).to_contain_text("社区养老园")
    narrower = ask_on_page(page, "其中鹿城区有几个？")
    expect(narrower.locator(".answer")).to_contain_text("9个")


def test_a_list_question_shows_every_item_with_its_citation(page, corpus_server) -> None:
    from playwright.sync_api import expect

    bot = ask_on_page(page, "恩阳区推进养老产业发展有哪些措施？")
    items = bot.locator(".answer ol.answer-items > li")
    expect(items).to_have_count(7)
    texts = items.locator(".item-text").all_inner_texts()
    assert "兜底基本养老服务" in texts[0] and "农村留守老年人" in texts[-1]
    for i in range(7):  # each item carries its own citation, which opens the letter at that paragraph
        expect(items.nth(i).locator(".cite-chip")).to_have_count(1)
    items.nth(2).locator(".cite-chip").click()
    expect(page.locator("#doc-panel")).to_be_visible()
    mark = page.locator("#doc-panel mark").first
    expect(mark).to_be_visible()
    assert re.sub(r"\s", "", texts[2]) in re.sub(r"\s", "", mark.inner_text())  # the item's sentence is highlighted


def test_document_numbers_select_their_letter_or_are_refused(page, corpus_server) -> None:
    from playwright.sync_api import expect

    bot = ask_on_page(page, "温民提〔2019〕70号里，温州市建有多少张养老床位？")
    expect(bot.locator(".answer")).to_contain_text("51086张")
    missing = ask_on_page(page, "粤民函〔2020〕714号的主要内容是什么？")
    expect(missing.locator(".answer")).to_contain_text("资料中没有文号为粤民函〔2020〕714号的答复函")
    expect(missing.locator(".answer")).to_contain_text("粤民函〔2020〕713号")
