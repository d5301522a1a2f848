"""Feedback: the SQLite store (one rating per answer, the latest wins) and its export as a QA file."""

from __future__ import annotations

import json
from pathlib import Path

from rag.evaluation.evaluate import load_qa
from rag.evaluation.feedback import (
    EVIDENCE_MAX,
    FEEDBACK_FILE,
    Feedback,
    FeedbackStore,
    evidence_of,
    shared_figures,
    to_qa,
    write_jsonl,
)
from rag.pipeline import Pipeline

Q = "温州市共有多少家养老机构？"


def _rated(pipe: Pipeline, question: str, rating: str, turn: str, **kw: object) -> Feedback:
    a = pipe.ask(question)
    return Feedback(turn_id=turn, rating=rating, question=question, answer=a.answer, found=a.found,  # type: ignore[arg-type]
                    citations=tuple(c.to_json() for c in a.citations), **kw)  # type: ignore[arg-type]


def test_a_second_rating_of_the_same_answer_replaces_the_first(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "index" / FEEDBACK_FILE)
    assert store.all() == []  # no file yet: nothing, and nothing created
    first = store.put(Feedback("turn-0001", "up", "问题", "回答", True, history=("前一问",), settings={"k": 3}))
    again = store.put(Feedback("turn-0001", "down", "问题", "回答", True, reason="数字不对"))
    store.put(Feedback("turn-0002", "up", "另一问", "资料中未找到", False))
    rows = store.all()
    assert [(r.turn_id, r.rating) for r in rows] == [("turn-0001", "down"), ("turn-0002", "up")]
    assert rows[0].reason == "数字不对" and again.created_at == first.created_at
    assert store.counts() == {"up": 1, "down": 1}


def test_evidence_is_one_sentence_of_the_quote_and_figures_are_the_answers_own() -> None:
    quote = "目前，我市共有375家养老机构（其中鹿城区17家），民办养老机构248家。建成乡镇（街道）养老服务中心46个。"
    ev = evidence_of(quote)
    assert quote.startswith(ev) and "46个" not in ev and len(ev) <= EVIDENCE_MAX
    assert evidence_of("一" * 200) == "一" * EVIDENCE_MAX
    answer = "375家。据温州市民政局 温民提〔2019〕70号答复：“目前，我市共有375家养老机构（其中鹿城区17家）”[1]"
    assert shared_figures(answer, ev) == ["375家"]  # not 17家: that is inside the quote


def test_export_rules_and_rag_eval_reads_the_file(corpus_pipeline: Pipeline, tmp_path: Path) -> None:
    pipe = corpus_pipeline
    none = "深圳市有多少家养老机构？"
    assert pipe.ask(Q).found and not pipe.ask(none).found
    gone = _rated(pipe, "温州市建有多少张养老床位？", "up", "turn-gone")
    gone = Feedback(**{**gone.__dict__, "citations": ({**gone.citations[0], "paragraph": "p-deleted"},)})
    items = [
        _rated(pipe, Q, "down", "turn-a1", reason="先点错了"),
        _rated(pipe, Q, "up", "turn-a2"),  # the same question later: the latest rating wins
        _rated(pipe, none, "up", "turn-b"),
        _rated(pipe, "温州市有多少家民办养老机构？", "down", "turn-c", reason="希望给出比例", history=(Q,)),
        gone,
    ]
    qa, review = to_qa(items, pipe.store)
    by_q = {x["question"]: x for x in qa}
    assert set(by_q) == {Q, none}
    assert "375家养老机构" in by_q[Q]["evidence"] and by_q[Q]["answers"] == ["375家"]
    assert by_q[Q]["bureau"] == "温州市民政局" and by_q[Q]["doc_number"] == "温民提〔2019〕70号"
    assert by_q[none] == {"id": by_q[none]["id"], "question": none, "history": [], "evidence": None, "answers": [],
                          "bureau": None, "doc_number": None, "type": "feedback-refusal"}
    assert [(r["question"], r["reason"], r["history"]) for r in review if r["rating"] == "down"] == [
        ("温州市有多少家民办养老机构？", "希望给出比例", [Q])]
    assert [r["note"] for r in review if r["rating"] == "up"] == [
        "👍，但引用的段落已不在资料库中（答复函被删除或替换），请重新确认出处"]
    path = tmp_path / "new-folder" / "fb.jsonl"  # the folder is made
    write_jsonl(path, qa)
    loaded = load_qa(path)
    assert [it.id for it in loaded] == [x["id"] for x in qa] and all(it.id.startswith("fb-") for it in loaded)
    assert json.loads(path.read_text().splitlines()[0])["history"] == []


def test_cli_export_without_feedback_says_how_it_comes(rag_cli, settings) -> None:
    r = rag_cli("feedback", "export", "--out", settings.index_dir / "qa.jsonl")
    assert r.exit_code == 2 and "👍/👎" in r.output
