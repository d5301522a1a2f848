"""The sentences of the retrieved hits that may answer, and their scores (rag.answer.candidates)."""

from rag.answer.candidates import sentences
from tests.answer.test_extractive import _answerer_over
from tests.answer.test_meta import doc


def test_the_letters_title_line_answers_no_question_about_its_content() -> None:
    title = doc("reply-04.txt").meta.title
    answerer, (opening,) = _answerer_over("reply-04.txt", title)  # 广东省民政厅关于…答复的函 / 粤民函… / 吴克昌代表:
    said = [s for _, s in sentences(opening, answerer.library)]
    # "秘书工作落在谁家" was answered with the title line (its 广东省民政厅 a name, by meaning close to 标准化…)
    assert title in opening.chunk.text and not any(title in s or s in title for s in said)
    # the salutation names whom the letter answers, which its record holds ("抬头写给谁" is answered from it)
    assert not any("吴克昌代表" in s for s in said)
    assert answerer.answer("广东那封答复抬头写给谁？", [opening]).direct == "吴克昌代表"


def test_a_figure_said_of_places_listed_together_is_no_one_places_own() -> None:
    from rag.answer.candidates import _one_of_places

    s = "补助资金140万元，在兴平市、武功县、乾县、泾阳县、三原县、永寿县和长武县助力690户"
    assert _one_of_places(s, "兴平市") and _one_of_places(s, "长武县")
    assert not _one_of_places("渭城区202所社区日间照料中心积极探索", "渭城区")


def test_a_latin_word_of_the_question_is_found_in_the_letter_whatever_its_case() -> None:
    """The tokenizer lowercases (5G → 5g); the letters write 5G: a sentence saying 5G covers that word."""
    from rag.answer.candidates import candidates
    from rag.answer.question import analyse
    from rag.core.tokens import Tokenizer

    answerer, hits = _answerer_over("reply-01.txt", "6451")
    q = analyse("中山5G基站累计建成多少座？", Tokenizer())
    assert any("5g" in t for t, _ in q.keywords)
    cands, _ = candidates(q, hits, answerer.tokenizer, answerer.library, None)
    best = max(cands, key=lambda c: c.coverage)
    assert "6451" in best.sentence and best.coverage > 0.9
