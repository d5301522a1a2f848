"""The `rag` command line over temporary index dirs, with the FakeEmbedder (no model loads)."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import docx
import pytest
from rich.console import Console
from typer.testing import CliRunner, Result

import rag.cli
from rag.core.settings import PROJECT_ROOT, Settings
from rag.ingest.ingestor import doc_id_for
from rag.pipeline import Pipeline
from tests.conftest import DATA, FakeEmbedder

COMMANDS = ["index", "docs", "show", "remove", "search", "ask", "draft", "eval", "serve", "build-model", "export-onnx",
            "feedback", "migrate"]
QA = PROJECT_ROOT / "eval" / "data" / "qa.jsonl"
REPORT_KEYS = [
    "n", "retrieval.hit@1", "retrieval.hit@3", "retrieval.hit@5", "retrieval.hit@10", "retrieval.mrr@10",
    "answer.accuracy", "citation.accuracy", "citation.precision", "refusal.accuracy", "answer.false_refusal",
    "latency_ms.p50", "latency_ms.p95", "config",
]


@pytest.fixture(autouse=True)
def fake_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command builds its pipeline with the FakeEmbedder; settings ignore the environment; wide
    consoles so rich does not wrap the lines we look for."""
    monkeypatch.setattr(rag.cli, "_pipeline", lambda s: Pipeline(s, embedder=FakeEmbedder()))
    monkeypatch.setattr(rag.cli, "get_settings", lambda: Settings(_env_file=None))
    monkeypatch.setattr(rag.cli, "out", Console(width=300))
    monkeypatch.setattr(rag.cli, "err", Console(width=300, stderr=True))


def rag_cli(*args: str | Path) -> Result:
    return CliRunner().invoke(rag.cli.app, [str(a) for a in args])


@pytest.fixture
def index_dir(tmp_path: Path, corpus_copy: Path) -> Path:
    d = tmp_path / "idx"
    assert rag_cli("index", corpus_copy, "--index-dir", d).exit_code == 0
    return d


def test_help_lists_every_command() -> None:
    result = rag_cli("--help")
    assert result.exit_code == 0
    commands = result.stdout.split("Commands", 1)[1]
    assert sorted(re.findall(r"^│ (\S+) ", commands, flags=re.M)) == sorted(COMMANDS)


def test_index_prints_the_summary(tmp_path: Path, corpus_copy: Path) -> None:
    result = rag_cli("index", corpus_copy, "--index-dir", tmp_path / "idx")
    assert result.exit_code == 0, result.output
    assert "added 5 · updated 0 · unchanged 0 · removed 0 · skipped 0" in result.stdout
    assert re.search(r"index gen-\S+: \d+ chunks \(\d+ embedded, rest cached\), flat dense index", result.stdout)

    again = rag_cli("index", corpus_copy, "--index-dir", tmp_path / "idx", "--json")
    assert again.exit_code == 0
    body = json.loads(again.stdout)
    assert len(body["unchanged"]) == 5 and body["build"] is None


def test_index_of_bad_files_only_fails_with_reasons(tmp_path: Path) -> None:
    result = rag_cli("index", DATA / "empty.txt", DATA / "corrupt.docx", "--index-dir", tmp_path / "idx")
    assert result.exit_code == 1
    assert "added 0 · updated 0 · unchanged 0 · removed 0 · skipped 2" in result.stdout
    assert f"skipped {DATA / 'empty.txt'}: " in result.stdout and "file is empty" in result.stdout
    assert f"skipped {DATA / 'corrupt.docx'}: " in result.stdout and "not a readable .docx" in result.stdout


def test_docs_json(index_dir: Path) -> None:
    result = rag_cli("docs", "--json", "--index-dir", index_dir)
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert len(rows) == 5
    for key in ("doc_id", "source", "bureau", "doc_number", "date", "addressee", "proposal", "title", "paragraphs"):
        assert all(key in r for r in rows), key
    wz = next(r for r in rows if r["source"].endswith("reply-03.txt"))
    assert (wz["bureau"], wz["doc_number"], wz["date"], wz["addressee"]) == (
        "温州市民政局", "温民提〔2019〕70号", "2019-07-02", "肖石龙代表")
    assert wz["paragraphs"] > 10


def test_show_by_file_name(index_dir: Path, corpus_copy: Path) -> None:
    doc_id = doc_id_for(str((corpus_copy / "reply-03.txt").resolve()))
    result = rag_cli("show", "reply-03.txt", "--index-dir", index_dir)
    assert result.exit_code == 0
    assert "bureau: 温州市民政局" in result.stdout
    assert "doc_number: 温民提〔2019〕70号" in result.stdout
    assert "addressee: 肖石龙代表" in result.stdout
    assert f"{doc_id}-p000 " in result.stdout and f"{doc_id}-p005 " in result.stdout
    assert "我市共有375家养老机构" in result.stdout

    missing = rag_cli("show", "reply-99.txt", "--index-dir", index_dir)
    assert missing.exit_code == 2 and "no document 'reply-99.txt'" in missing.stderr


def test_search_json(index_dir: Path) -> None:
    result = rag_cli("search", "温州市有多少家养老机构？", "--json", "--mode", "bm25", "--k", "3",
                     "--index-dir", index_dir)
    assert result.exit_code == 0
    hits = json.loads(result.stdout)
    assert len(hits) == 3
    for h in hits:
        assert {"score", "bureau", "doc_number", "section", "paragraph_ids", "text"} <= set(h)
        # 温州 is a known place: the bm25 ranking restricted to 温州's letter votes too
        assert set(h["ranks"]) <= {"bm25", "bm25@place"} and "bm25@place" in h["ranks"] and h["paragraph_ids"]
    assert hits[0]["bureau"] == "温州市民政局"

    bad = rag_cli("search", "养老", "--mode", "fuzzy", "--index-dir", index_dir)
    assert bad.exit_code == 2 and "unknown retrieval mode 'fuzzy'" in bad.stderr


def test_ask_json(index_dir: Path) -> None:
    result = rag_cli("ask", "温州市有多少家养老机构？", "--json", "--index-dir", index_dir)
    assert result.exit_code == 0
    body = json.loads(result.stdout)
    assert {"answer", "found", "citations", "sources"} <= set(body)
    assert body["found"] is True and body["citations"]
    for c in body["citations"]:
        assert {"doc_id", "bureau", "doc_number", "date", "section", "paragraph", "quote"} <= set(c)
    assert body["citations"][0]["bureau"] == "温州市民政局"


def test_ask_plain_prints_citation_labels(index_dir: Path) -> None:
    result = rag_cli("ask", "温州市有多少家养老机构？", "--index-dir", index_dir)
    assert result.exit_code == 0
    assert re.search(r"^\[1\] 〔温州市民政局 温民提〔2019〕70号 · .+〕 {2}\(\w+-p\d{3}\)$", result.stdout, re.M)


def test_remove(index_dir: Path, corpus_copy: Path) -> None:
    doc_id = doc_id_for(str((corpus_copy / "reply-03.txt").resolve()))
    result = rag_cli("remove", "reply-03.txt", "--index-dir", index_dir)
    assert result.exit_code == 0
    assert f"removed 1 document(s): {doc_id}" in result.stdout
    rows = json.loads(rag_cli("docs", "--json", "--index-dir", index_dir).stdout)
    assert len(rows) == 4 and doc_id not in {r["doc_id"] for r in rows}
    hits = json.loads(rag_cli("search", "温州市养老机构", "--json", "--k", "20", "--index-dir", index_dir).stdout)
    assert doc_id not in {h["doc_id"] for h in hits}


def test_draft_docx_and_markdown(index_dir: Path, tmp_path: Path) -> None:
    title = "关于加强农村养老服务的建议"
    result = rag_cli("draft", "--title", title, "--to", "张三委员", "--out", tmp_path / "x.docx",
                     "--no-llm", "--index-dir", index_dir)
    assert result.exit_code == 0, result.output
    assert "draft written: " in result.stderr
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "x.docx")).paragraphs)
    assert title in text and "张三委员" in text

    md = rag_cli("draft", "--title", title, "--out", tmp_path / "x.md", "--no-llm", "--index-dir", index_dir)
    assert md.exit_code == 0
    body = (tmp_path / "x.md").read_text(encoding="utf-8")
    assert body.count("\n# ") == 1 and title in body


def test_draft_refuses_an_empty_title_or_an_odd_output(index_dir: Path, tmp_path: Path) -> None:
    result = rag_cli("draft", "--title", "", "--index-dir", index_dir)
    assert result.exit_code == 2
    assert "标题不能为空" in result.stderr and "title must not be empty" in result.stderr
    odd = rag_cli("draft", "--title", "关于养老的建议", "--out", tmp_path / "x.pdf", "--index-dir", index_dir)
    assert odd.exit_code == 2 and "use a .docx or .md file name" in odd.stderr
    assert not (tmp_path / "x.pdf").exists()


@pytest.fixture
def small_qa(tmp_path: Path) -> Path:
    lines = QA.read_text(encoding="utf-8").splitlines()[:3]
    lines.append(json.dumps({"id": "none", "question": "深圳市有多少家养老机构？", "evidence": None, "answers": []},
                            ensure_ascii=False))
    path = tmp_path / "qa.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_eval_writes_json_html_and_chart(small_qa: Path, corpus_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "r.json"
    result = rag_cli("eval", "--qa", small_qa, "--corpus", corpus_copy, "--out", out)
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    for key in REPORT_KEYS:
        assert key in report, key
    assert report["n"] == 4 and len(report["questions"]) == 4
    assert report["config"]["mode"] == "hybrid" and report["config"]["embedder"] == "fake-bigram-256"
    assert report["refusal.accuracy"] == 1.0  # the one unanswerable question was refused
    html = (tmp_path / "reports" / "r.html").read_text(encoding="utf-8")
    assert "<img src='r.hitk.png'" in html and "深圳市有多少家养老机构？" in html
    assert (tmp_path / "reports" / "r.hitk.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_eval_compare_prints_the_three_modes(small_qa: Path, corpus_copy: Path) -> None:
    result = rag_cli("eval", "--qa", small_qa, "--corpus", corpus_copy, "--compare")
    assert result.exit_code == 0, result.output
    header = next(line for line in result.stdout.splitlines() if "metric" in line)
    assert re.search(r"metric\s+┃\s+bm25\s+┃\s+dense\s+┃\s+hybrid", header)
    assert re.search(r"retrieval\.mrr@10(\s+│\s+[\d.]+){3}", result.stdout)


def test_eval_malformed_qa_names_the_line(tmp_path: Path, corpus_copy: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "question": "温州市有多少家养老机构？", "evidence": null}\n{"id": "b", "question": \n',
                   encoding="utf-8")
    result = rag_cli("eval", "--qa", bad, "--corpus", corpus_copy)
    assert result.exit_code == 2
    assert f"{bad}:2: not valid JSON" in result.stderr


def test_eval_corpus_must_be_a_folder(small_qa: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    real = tempfile.TemporaryDirectory

    def tracked(*args: Any, **kwargs: Any) -> tempfile.TemporaryDirectory[str]:
        made.append("tmp")
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "TemporaryDirectory", tracked)
    result = rag_cli("eval", "--qa", small_qa, "--corpus", tmp_path / "nowhere")
    assert result.exit_code == 2 and f"--corpus {tmp_path / 'nowhere'} is not a folder" in result.stderr
    assert made == []  # refused before a temporary index dir was made (and left behind)


def test_eval_never_touches_the_configured_index(small_qa: Path, corpus_copy: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    shutil.copytree(corpus_copy, tmp_path / "letters")
    assert rag_cli("eval", "--qa", small_qa, "--corpus", tmp_path / "letters", "--index-dir", mine).exit_code == 0
    assert not mine.exists()


# --- what a command imports (a cold `rag docs` / `rag ask` must not pay for torch or the web stack) -------

PROBE = """
import json, sys
from rag.cli import app
sys.argv = ["rag", *sys.argv[1:]]
try:
    app(prog_name="rag")
except SystemExit as e:
    code = e.code
print(json.dumps({"exit": code, "modules": sorted({m.split(".")[0] for m in sys.modules})}))
"""
WEB_AND_TORCH = {"torch", "transformers", "sentence_transformers", "fastapi", "starlette", "uvicorn"}


def _probe(tmp_path: Path, *args: str | Path) -> tuple[int, set[str], str]:
    """Run `rag ARGS…` in a fresh interpreter; (exit code, top-level packages it imported, its output)."""
    import subprocess
    import sys

    from tests.conftest import subprocess_env

    proc = subprocess.run([sys.executable, "-c", PROBE, *map(str, args)], capture_output=True, text=True,
                          cwd=tmp_path, env=subprocess_env(COLUMNS="300"), timeout=300)
    *output, last = proc.stdout.rstrip("\n").split("\n")
    result = json.loads(last)
    return result["exit"], set(result["modules"]), "\n".join(output) + proc.stderr


def test_docs_imports_no_model_search_or_web_stack(index_dir: Path, tmp_path: Path) -> None:
    code, modules, output = _probe(tmp_path, "docs", "--index-dir", index_dir)
    assert code in (0, None) and "温州市民政局" in output, output
    assert modules & (WEB_AND_TORCH | {"faiss", "bm25s", "onnxruntime", "jieba", "httpx"}) == set()


@pytest.mark.integration
@pytest.mark.parametrize("command", ["ask", "search"])
def test_ask_and_search_embed_with_onnx_without_torch(command: str, real_index: Path, tmp_path: Path) -> None:
    code, modules, output = _probe(tmp_path, command, "温州市有多少家养老机构？", "--index-dir", real_index)
    assert code in (0, None), output
    assert "375" in output and "温民提〔2019〕70号" in output, output
    assert "onnxruntime" in modules and modules & WEB_AND_TORCH == set()


def test_every_lazy_export_resolves() -> None:
    import importlib

    for package in ("rag.answer", "rag.draft", "rag.embed", "rag.evaluation", "rag.index", "rag.ingest",
                    "rag.search"):
        mod = importlib.import_module(package)
        for name in mod.__all__:
            assert getattr(mod, name) is not None, f"{package}.{name}"
