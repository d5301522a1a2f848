import json
from collections.abc import Iterable
from pathlib import Path

import pytest

from rag.core.errors import InputError
from rag.core.records import Citation, Paragraph
from rag.evaluation import metrics as M
from rag.evaluation.evaluate import PRIMARY, Outcome, QAItem, evaluate, load_qa, summarize
from rag.pipeline import Pipeline

PARAS = {
    "d-p001": Paragraph("d-p001", "d", 1, "目前，我市共有375家养老机构（其中鹿城区17家）。"),
    "d-p002": Paragraph("d-p002", "d", 2, "民办养老机构248家，占全市养老机构66.1%。"),
}
ITEMS = [
    QAItem("a", "温州市有多少家养老机构？", "我市共有375家养老机构", ("375家",)),
    QAItem("b", "温州市民办养老机构有多少家？", "民办养老机构248家", ()),  # no gold answers
    QAItem("c", "深圳市有多少家养老机构？", None, ()),  # unanswerable
    QAItem("d", "温州市有多少张养老床位？", "建有51086张养老床位", ("51086张",)),
]


class ParagraphStore:
    """The one Store method summarize() uses."""

    def paragraphs(self, ids: Iterable[str]) -> dict[str, Paragraph]:
        return {i: PARAS[i] for i in ids if i in PARAS}


def _cite(paragraph: str, quote: str) -> dict:
    return Citation("d", "温州市民政局", "温民提〔2019〕70号", "2019-07-02", "", paragraph, quote).to_json()


OUTCOMES = [
    Outcome("a", "", None, hit_rank=1, found=True, correct=True, cited=True, answer="375家",
            citations=[_cite("d-p001", "我市共有 375 家养老机构")], latency_ms=10),
    Outcome("b", "", None, hit_rank=4, found=True, correct=None, cited=False, answer="248",
            citations=[_cite("d-p002", "段落里没有这句话")], latency_ms=20),
    Outcome("c", "", None, hit_rank=None, found=True, correct=None, cited=None, answer="有", latency_ms=30),
    Outcome("d", "", None, hit_rank=None, found=False, correct=False, cited=False, answer="未找到", latency_ms=40),
]


def test_summarize_by_hand() -> None:
    r = summarize(OUTCOMES, ITEMS, ParagraphStore(), {"mode": "hybrid"})
    assert r["n"] == 4
    # answerable a, b, d with ranks 1, 4, None
    assert r["retrieval.hit@1"] == pytest.approx(1 / 3)
    assert r["retrieval.hit@3"] == pytest.approx(1 / 3)
    assert r["retrieval.hit@5"] == pytest.approx(2 / 3)
    assert r["retrieval.hit@10"] == pytest.approx(2 / 3)
    assert r["retrieval.mrr@10"] == pytest.approx((1 + 1 / 4) / 3)
    assert r["answer.accuracy"] == 0.5  # a right, d wrong; b has no gold answers and does not count
    assert r["citation.accuracy"] == pytest.approx(1 / 3)
    assert r["citation.precision"] == 0.5  # b's quote is not in its paragraph
    assert r["refusal.accuracy"] == 0.0  # c is unanswerable, yet it was answered
    assert r["answer.false_refusal"] == pytest.approx(1 / 3)
    assert r["latency_ms.p50"] == 25.0 and r["latency_ms.p95"] == pytest.approx(38.5)
    assert "answer.rouge_l" not in r
    assert r["primary"] == PRIMARY == "retrieval.mrr@10" and r["config"] == {"mode": "hybrid"}


def test_summarize_without_unanswerable_items_or_citations() -> None:
    outs = [OUTCOMES[0], OUTCOMES[3]]
    outs = [Outcome(**{**o.__dict__, "citations": [], "rouge_l": v}) for o, v in zip(outs, (0.5, 1.0), strict=True)]
    r = summarize(outs, ITEMS, ParagraphStore(), {})
    assert r["refusal.accuracy"] is None
    assert r["citation.precision"] is None
    assert r["answer.rouge_l"] == 0.75


def _qa(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "qa.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = json.dumps({"id": "q1", "question": "温州市有多少家养老机构？", "evidence": "375家", "answers": ["375家"]},
                  ensure_ascii=False)


def test_load_qa_reads_items_and_ignores_unknown_keys(tmp_path: Path) -> None:
    extra = {"question": "深圳呢？", "evidence": None, "doc_number": "x", "note": "无"}
    path = _qa(tmp_path, "\ufeff" + GOOD, "", json.dumps(extra, ensure_ascii=False))
    items = load_qa(path)
    assert items == [
        QAItem("q1", "温州市有多少家养老机构？", "375家", ("375家",)),
        QAItem("line3", "深圳呢？", None, ()),  # no id: named after its line
    ]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ('{"id": "q2", "question": ', r":2: not valid JSON"),
        ('{"id": "q2", "evidence": null}', r":2: needs a non-empty string 'question'"),
        ('{"id": "q2", "question": "  "}', r":2: needs a non-empty string 'question'"),
        ('["温州"]', r":2: needs a non-empty string 'question'"),
        ('{"id": "q1", "question": "又一个"}', r":2: duplicate id 'q1'"),
        ('{"id": "q2", "question": "问", "evidence": 375}', r":2: 'evidence' must be a string or null"),
        ('{"id": "q2", "question": "问", "answers": "375"}', r":2: 'answers' must be a list of strings"),
    ],
)
def test_load_qa_errors_name_the_line(tmp_path: Path, bad: str, message: str) -> None:
    path = _qa(tmp_path, GOOD, bad)
    with pytest.raises(InputError, match=message) as e:
        load_qa(path)
    assert str(e.value).startswith(f"{path}:2:")


def test_load_qa_missing_or_empty_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        load_qa(tmp_path / "nope.jsonl")
    with pytest.raises(InputError, match="has no items"):
        load_qa(_qa(tmp_path, "", "  "))


def test_evaluate_on_the_corpus(corpus_pipeline: Pipeline) -> None:
    items = [ITEMS[0], ITEMS[2]]
    ticks: list[int] = []
    result, outcomes = evaluate(corpus_pipeline, items, "bm25", 5, on_item=lambda: ticks.append(1))
    assert ticks == [1, 1]
    assert [o.id for o in outcomes] == ["a", "c"]
    hits = corpus_pipeline.search(ITEMS[0].question, 10, "bm25")
    assert outcomes[0].hit_rank == M.first_hit_rank([h.chunk.text for h in hits], ITEMS[0].evidence)
    assert outcomes[0].hit_rank is not None
    unanswerable = outcomes[1]
    assert (unanswerable.hit_rank, unanswerable.cited, unanswerable.correct) == (None, None, None)
    assert unanswerable.found is False
    assert result["refusal.accuracy"] == 1.0 and result["n"] == 2
    assert result["config"] == {
        "embedder": "fake-bigram-256", "mode": "bm25", "k": 5, "answerer": corpus_pipeline.answerer().name,
        "place_boost": 1.0, "min_support": corpus_pipeline.settings.min_support,
    }


def test_a_multipart_answer_that_leaves_a_part_unanswered_is_partial_not_wrong(corpus_pipeline: Pipeline) -> None:
    q = "温州市有多少家养老机构？火星基地有多少个宇航员？"
    items = [
        QAItem("p", q, "我市共有375家养老机构", (), answers_all=("375家", "12名")),  # part 1 right, part 2 unsaid
        QAItem("w", q, "我市共有375家养老机构", (), answers_all=("400家", "12名")),  # part 1 stated wrongly
    ]
    result, (partial, wrong) = evaluate(corpus_pipeline, items, "bm25", 5)
    assert partial.answer == wrong.answer and "（2）资料中未找到这一问的答案" in partial.answer
    assert "（1）375家" in partial.answer
    assert (partial.correct, partial.partial, partial.wrong) == (False, True, False)
    assert (wrong.correct, wrong.partial, wrong.wrong) == (False, False, True)
    assert result["answer.partial_rate"] == 0.5 and result["answer.wrong_rate"] == 0.5
