"""/api/overview and /api/feedback: the welcome drawn from the letters, and ratings stored server-side."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.welcome import candidates
from rag.evaluation.feedback import FEEDBACK_FILE, FeedbackStore
from rag.pipeline import Pipeline
from tests.api.conftest import AUTH, LETTER, QUESTION, upload


def test_candidates_come_from_the_letters_own_sentences_and_headings(pipe: Pipeline) -> None:
    wenzhou = next(d for d in pipe.store.list_documents() if d["bureau"] == "温州市民政局")
    doc = pipe.store.document(str(wenzhou["doc_id"]))
    assert doc is not None
    made = list(candidates(doc))
    assert made and all(c.question.startswith("温州市") and c.doc_id == doc.doc_id for c in made)
    text = "".join(p.text for p in doc.paragraphs)
    for c in made:
        if c.figure:  # the counted thing and its figure are both in the letter
            assert c.figure in text
    assert any(c.question == "温州市共有多少家养老机构？" and c.figure == "375" for c in made)


def test_overview_counts_the_corpus_and_suggests_questions_it_answers(client: TestClient, pipe: Pipeline) -> None:
    body = client.get("/api/overview").json()
    docs = pipe.store.list_documents()
    assert body["documents"] == len(docs) == sum(b["letters"] for b in body["bureaus"])
    assert {b["name"] for b in body["bureaus"]} == {d["bureau"] for d in docs}
    assert body["years"] == sorted({int(str(d["date"])[:4]) for d in docs if d["date"]})
    assert 3 <= len(body["suggestions"]) <= 6
    assert len({s["doc_id"] for s in body["suggestions"]}) >= 3  # several letters, not one
    for s in body["suggestions"]:
        a = pipe.ask(s["question"])
        assert a.found and s["doc_id"] in {c.doc_id for c in a.citations}, s


def test_overview_follows_uploads(client: TestClient, pipe: Pipeline) -> None:
    before = client.get("/api/overview").json()["documents"]
    assert upload(client, ("食堂-welcome.txt", LETTER.replace(b"88", b"77"))).status_code == 200
    after = client.get("/api/overview").json()
    assert after["documents"] == before + 1 and "测试市民政局" in {b["name"] for b in after["bureaus"]}


def test_feedback_is_stored_with_what_was_seen(client: TestClient, settings, pipe: Pipeline) -> None:
    a = client.post("/api/ask", json={"question": QUESTION}).json()
    body = {"turn_id": "abcdef0123456789", "rating": "up", "question": QUESTION, "answer": a["answer"],
            "found": a["found"], "citations": a["citations"], "resolved_question": a["resolved_question"],
            "settings": {"bureau": "温州", "k": 3}}
    r = client.post("/api/feedback", json=body)
    assert r.status_code == 200 and r.json()["rating"] == "up"
    r = client.post("/api/feedback", json={**body, "rating": "down", "reason": "不够具体"})
    assert r.status_code == 200
    (fb,) = [f for f in FeedbackStore(settings.index_dir / FEEDBACK_FILE).all() if f.turn_id == body["turn_id"]]
    assert fb.rating == "down" and fb.reason == "不够具体" and fb.citations[0]["quote"] == a["citations"][0]["quote"]
    assert fb.settings["bureau"] == "温州" and fb.settings["k"] == 3 and fb.settings["generation"]
    for bad, code in (({**body, "rating": "meh"}, "not_allowed"), ({**body, "turn_id": "x"}, "bad_format"),
                      ({**body, "reason": "长" * 501}, "too_long")):
        r = client.post("/api/feedback", json=bad)
        assert r.status_code == 422 and r.json()["code"] == code, r.json()


def test_feedback_needs_the_read_token_when_one_is_set(settings, pipe: Pipeline) -> None:
    from tests.api.conftest import variant

    with variant(settings, pipe, read_token="reader-1") as c:
        r = c.post("/api/feedback", json={"turn_id": "abcdef0123456789", "rating": "up", "question": "问",
                                          "answer": "答", "found": False})
        assert r.status_code == 401 and r.json()["code"] == "read_token_required"
        assert c.get("/api/overview", headers=AUTH).status_code == 200
