"""The /api routes: ask (JSON or streamed), search, documents, drafting, health, the welcome overview and
feedback on answers.

Route functions are plain `def`, so Starlette runs them in its threadpool: a slow answer or an index
rebuild never blocks the event loop, and the pipeline's own lock serialises writes. An upload swaps
in a new index generation; queries already running keep the generation they loaded.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from itertools import chain
from pathlib import PurePath
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import iterate_in_threadpool

from api import messages
from api.deps import (
    DRAFTS_KEPT,
    DraftCache,
    PipelineDep,
    SettingsDep,
    display_name,
    docx_name,
    get_drafts,
    require_admin,
    require_read,
)
from api.messages import ApiError
from api.schemas import (
    AnswerOut,
    AskIn,
    DeleteOut,
    DocumentOut,
    DocumentSummary,
    DraftIn,
    DraftOut,
    ErrorOut,
    FeedbackIn,
    FeedbackOut,
    HealthOut,
    HitOut,
    IngestOut,
    OverviewOut,
    ValidationErrorOut,
    VersionOut,
)
from rag.answer.base import AnswerEvent
from rag.core.errors import (
    BackendError,
    BusyError,
    DiskFullError,
    IndexMismatchError,
    InputError,
    NotFoundError,
    RagError,
    ReadOnlyError,
    StoreDamagedError,
)
from rag.core.limits import MAX_BUREAU, MAX_DOC_ID, MAX_FILES, MAX_K, MAX_QUESTION
from rag.core.records import Filters, content_hash
from rag.core.settings import AnswerMode, RetrievalMode
from rag.draft import Draft, DraftRequest
from rag.evaluation.feedback import FEEDBACK_FILE, Feedback, FeedbackStore
from rag.index.connection import store_writable
from rag.ingest.ingestor import UPLOAD_PREFIX
from rag.ingest.load import SUPPORTED_SUFFIXES
from rag.pipeline import Pipeline

log = logging.getLogger(__name__)

DOCX_MEDIA = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# BusyError: another process (`rag index`) holds the index's write lock; StoreDamagedError: the operator
# must restore the store; ReadOnlyError: the index folder is mounted read-only (reads still work);
# DiskFullError: 507 Insufficient Storage. None is the client's fault, and each says what to do.
STATUS: dict[type[RagError], int] = {
    InputError: 400, NotFoundError: 404, IndexMismatchError: 409, BackendError: 502, BusyError: 503,
    StoreDamagedError: 503, ReadOnlyError: 503, DiskFullError: 507,
}
RETRY_AFTER_S = 30  # told to clients refused with BusyError
READ_ONLY_NOTICE = "索引目录只读：可以查询，但不能上传、删除答复函或保存评价。"
ERRORS: dict[int | str, dict[str, Any]] = {
    **{code: {"model": ErrorOut} for code in (400, 401, 403, 404, 409, 413, 415, 502, 503, 507)},
    422: {"model": ValidationErrorOut, "description": "A field is missing or out of range; `detail` names it."},
}


DocId = Annotated[str, PathParam(max_length=MAX_DOC_ID, description="GET /api/documents lists the ids.")]


def status_for(e: RagError) -> int:
    return next((code for cls, code in STATUS.items() if isinstance(e, cls)), 500)


# --- helpers ----------------------------------------------------------------------------------------


def shown_source(source: str) -> str:
    """What clients see of where a letter came from: a file's name, never the server's path to it (an
    upload's source, ``upload:<sha>:<name>``, is already only a label)."""
    return source if source.startswith(UPLOAD_PREFIX) else PurePath(source.replace("\\", "/")).name


def _event(kind: str, data: dict[str, Any]) -> bytes:
    # json.dumps never emits a raw newline, so each event's data fits on one `data:` line
    return f"event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


def _sse(events: Iterator[AnswerEvent], resolved: str) -> Iterator[bytes]:
    try:
        for ev in events:
            if ev.kind == "token":
                yield _event("token", {"text": ev.text})
            elif ev.answer is not None:
                yield _event("final", {**ev.answer.to_json(), "resolved_question": resolved})
    except RagError as e:
        code, message = messages.rag_problem(e)
        yield _event("error", messages.body(code, message, reason=str(e), status=status_for(e)))
    except Exception:  # the status line is already sent: report in-band, log the trace
        log.exception("answer stream failed")
        yield _event("error", messages.body(*messages.INTERNAL, status=500))


def _docx_response(d: Draft, key: str, name: str) -> Response:
    from rag.draft.docx import docx_bytes  # python-docx: only drafting needs it

    return Response(docx_bytes(d), media_type=DOCX_MEDIA, headers={
        "Content-Disposition": f"attachment; filename=\"reply-draft-{key}.docx\"; filename*=UTF-8''{quote(name)}"})


def _make_draft(body: DraftIn, pipe: Pipeline) -> Draft:
    # through the pipeline, as `rag draft` does: the LLM rewrite applies whenever one is configured
    return pipe.draft(DraftRequest(**body.model_dump()))


# --- routes -----------------------------------------------------------------------------------------

router = APIRouter(prefix="/api", responses=ERRORS)
Read = [Depends(require_read)]
Admin = [Depends(require_admin)]


@router.post("/ask", response_model=AnswerOut, dependencies=Read, tags=["ask"])
def ask(body: AskIn, pipe: PipelineDep) -> dict[str, Any]:
    """Answer a question from the letters with citations (same JSON as `rag ask --json`)."""
    r = pipe.respond(body.question, body.history, body.k, body.mode, body.filters(), body.answer_mode)
    return {**r.answer.to_json(), "resolved_question": r.question}


SSE_DOC = {200: {"description": "Server-Sent Events: `event: token` (data `{\"text\": …}`) per piece, then one "
                                "`event: final` (data: the /api/ask JSON); failures mid-stream as `event: error` "
                                "(data `{\"detail\": …, \"status\": …}`).",
                 "content": {"text/event-stream": {"schema": {"type": "string"}}}}}


@router.post("/ask/stream", response_class=StreamingResponse, responses=SSE_DOC, dependencies=Read, tags=["ask"])
def ask_stream(body: AskIn, pipe: PipelineDep) -> StreamingResponse:
    """Like /api/ask, streamed as the answer is produced."""
    q, events = pipe.respond_stream(body.question, body.history, body.k, body.mode, body.filters(), body.answer_mode)
    # run retrieval now, in this worker thread: bad input then fails with a status code, not mid-stream
    first = next(events, None)
    head = [first] if first is not None else []
    return StreamingResponse(
        iterate_in_threadpool(_sse(chain(head, events), q)),  # each piece is produced off the event loop
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.get("/search", response_model=list[HitOut], dependencies=Read, tags=["ask"])
def search(
    pipe: PipelineDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUESTION, description="The query.")],
    k: Annotated[int | None, Query(ge=1, le=MAX_K)] = None,
    mode: RetrievalMode | None = None,
    bureau: Annotated[str | None, Query(max_length=MAX_BUREAU)] = None,
    year: Annotated[int | None, Query(ge=1949, le=2100)] = None,
) -> list[dict[str, Any]]:
    """Ranked chunks with bureau, document number, section and paragraph ids."""
    return [h.to_json() for h in pipe.search(q, k, mode, Filters(bureau=bureau or None, year=year))]


@router.get("/documents", response_model=list[DocumentSummary], dependencies=Read, tags=["documents"])
def list_documents(pipe: PipelineDep) -> list[dict[str, object]]:
    """The stored letters; `indexed: false` (待索引) marks one the live index cannot answer from yet."""
    return [{**d, "source": shown_source(str(d["source"]))} for d in pipe.documents()]


@router.get("/documents/{doc_id}", response_model=DocumentOut, dependencies=Read, tags=["documents"])
def get_document(doc_id: DocId, pipe: PipelineDep) -> dict[str, Any]:
    """One letter: metadata and its paragraphs with ids and citation labels."""
    doc = pipe.store.document(doc_id)
    if doc is None:
        raise ApiError(404, *messages.document_missing(doc_id))
    return {**doc.to_json(), "source": shown_source(doc.source)}


@router.get("/documents/{doc_id}/history", response_model=list[VersionOut], dependencies=Read, tags=["documents"])
def document_history(doc_id: DocId, pipe: PipelineDep) -> list[dict[str, Any]]:
    """Earlier versions of a letter, newest first: replaced by a corrected version (same bureau and 文号), deleted,
    or their file removed. History is kept to be read; it is never searched and never comes back by itself."""
    versions = pipe.store.history(doc_id)
    if not versions and pipe.store.source_of(doc_id) is None:
        raise ApiError(404, *messages.document_missing(doc_id))
    return [{**v, "source": _file_name(str(v["source"])),
             "replaced_by": _file_name(str(v["replaced_by"])) if v["replaced_by"] else None} for v in versions]


@router.post("/documents", response_model=IngestOut, dependencies=Admin, tags=["documents"],
             responses={200: {"description": "The ingest report; unreadable files are listed under `skipped`."}})
def upload(
    files: Annotated[list[UploadFile], File(description=f"Letters ({', '.join(SUPPORTED_SUFFIXES)}).")],
    pipe: PipelineDep,
    settings: SettingsDep,
) -> dict[str, Any]:
    """Index uploaded letters incrementally. File names are labels only, never paths."""
    if not files:
        raise ApiError(400, "no_files", "没有收到文件：请选择一个或多个答复函再上传。")
    if len(files) > MAX_FILES:
        raise ApiError(400, "too_many_files", f"一次最多上传 {MAX_FILES} 个文件（收到 {len(files)} 个）：请分批上传。")
    limit = int(settings.max_upload_mb * 1024 * 1024)
    items: list[tuple[str, bytes, str]] = []
    for f in files:  # check every file before indexing any, so a bad request changes nothing
        name = display_name(f.filename)
        suffix = PurePath(name).suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            raise ApiError(415, "file_type_unsupported", f"{name}：不支持 {suffix or '无扩展名'} 文件；"
                                                         f"请另存为 {' '.join(SUPPORTED_SUFFIXES)} 之一后再上传。")
        data = f.file.read(limit + 1)
        if len(data) > limit:
            raise ApiError(413, "file_too_large", f"{name} 超过 {settings.max_upload_mb:g} MB 的上限：请确认上传的"
                                                  "是答复函本身（不是扫描件或压缩包）。")
        if not data.strip():
            raise ApiError(400, "file_empty", f"{name} 是空文件：请重新导出答复函的文字后再上传。")
        sha = hashlib.sha256(data).hexdigest()
        items.append((name, data, f"{UPLOAD_PREFIX}{sha[:12]}:{name}"))
    report, stats = pipe.add_bytes(items)
    return {**_ingest_json(report.to_json(), [(name, source) for name, _, source in items]),
            "generation": stats.generation if stats else None}


def _ingest_json(rep: dict[str, Any], sent: list[tuple[str, str]]) -> dict[str, Any]:
    """The report with each skipped reason in Chinese, and one result per file sent, in order."""
    reasons = {s["source"]: (s["reason"], *messages.file_problem(s["reason"])) for s in rep["skipped"]}
    rep["skipped"] = [{"source": src, "reason": zh, "code": code} for src, (_, code, zh) in reasons.items()]
    status = {src: kind for kind in ("added", "updated", "unchanged", "removed") for src in rep[kind]}
    files = []
    for name, source in sent:
        if (why := reasons.get(source) or reasons.get(name)) is not None:  # skipped files are named either way
            _, code, zh = why
            files.append({"name": name, "status": "refused", "doc_id": None, "reason": zh, "code": code})
        else:
            old = rep.get("replaced", {}).get(source)
            files.append({"name": name, "status": status.get(source, "unchanged"), "doc_id": rep["doc_ids"].get(source),
                          "reason": None, "code": None, "replaced": _file_name(old) if old else None})
    return {**rep, "files": files}


def _file_name(source: str) -> str:
    """What people see of a stored source: the file name, never a server path or the upload's hash."""
    if source.startswith(UPLOAD_PREFIX):
        return source.split(":", 2)[-1]
    return PurePath(source).name


@router.delete("/documents/{doc_id}", response_model=DeleteOut, dependencies=Admin, tags=["documents"])
def delete_document(doc_id: DocId, pipe: PipelineDep) -> dict[str, Any]:
    """Remove one letter (exact id) from the store and the indexes."""
    removed, stats = pipe.remove([doc_id])
    if not removed:
        raise ApiError(404, *messages.document_missing(doc_id))
    return {"removed": removed, "generation": stats.generation if stats else None}


@router.get("/health", response_model=HealthOut, tags=["meta"])
def health(pipe: PipelineDep, settings: SettingsDep) -> dict[str, Any]:
    """Counts and configuration; open without a token (it shows no letter text)."""
    docs, chunks = pipe.store.count()
    read_only = pipe.store.read_only or (not pipe.on_milvus and not store_writable(settings.db_path))
    gen, embedder = pipe.index_status()  # on Milvus: the shared store's version, the same on every replica
    modes: list[AnswerMode] = ["extractive"]
    if settings.llm_url or settings.llm_model:
        modes.append("llm")
    return {
        "status": "ok" if gen else "no-index", "documents": docs, "chunks": chunks,
        "generation": gen, "embedder": embedder,
        "answer_modes": modes, "read_token_required": bool(settings.read_token),
        "uploads_enabled": bool(settings.admin_token) and not read_only, "read_only": read_only,
        "notice": READ_ONLY_NOTICE if read_only else None, "max_upload_mb": settings.max_upload_mb,
        "supported_types": list(SUPPORTED_SUFFIXES), "max_question": MAX_QUESTION, "max_files": MAX_FILES,
    }


@router.post("/draft", response_model=DraftOut, dependencies=Read, tags=["draft"])
def make_draft(body: DraftIn, pipe: PipelineDep, drafts: Annotated[DraftCache, Depends(get_drafts)]) -> dict[str, Any]:
    """Draft a reply letter from precedent letters; every reused paragraph cites its source."""
    d = _make_draft(body, pipe)
    name = docx_name(body.title)
    key = drafts.put(d, name)
    return {**d.to_json(), "draft_id": key, "docx_url": f"/api/draft/{key}.docx", "docx_name": name}


DOCX_DOC = {200: {"description": "The draft as a Word file.", "content": {DOCX_MEDIA: {}}}}


@router.get("/draft/{draft_id}.docx", response_class=Response, responses=DOCX_DOC, dependencies=Read,
            tags=["draft"])
def draft_docx(draft_id: Annotated[str, PathParam(pattern=r"^[0-9a-f]{16}$")],
               drafts: Annotated[DraftCache, Depends(get_drafts)]) -> Response:
    kept = drafts.get(draft_id)
    if kept is None:
        raise ApiError(404, *messages.draft_expired(DRAFTS_KEPT))
    d, name = kept
    return _docx_response(d, draft_id, name)


@router.post("/draft.docx", response_class=Response, responses=DOCX_DOC, dependencies=Read, tags=["draft"])
def draft_docx_direct(body: DraftIn, pipe: PipelineDep) -> Response:
    """Draft and return the .docx in one call."""
    d = _make_draft(body, pipe)
    return _docx_response(d, content_hash(d.markdown), docx_name(body.title))


# --- welcome and feedback ---------------------------------------------------------------------------


@router.get("/overview", response_model=OverviewOut, dependencies=Read, tags=["meta"])
def overview(request: Request, pipe: PipelineDep) -> dict[str, Any]:
    """What is loaded (bureaus, years, letters) and questions to start with, drawn from the letters and
    checked against the pipeline's answers; kept per index generation."""
    return request.app.state.welcome.get(pipe)


@router.post("/feedback", response_model=FeedbackOut, dependencies=Read, tags=["feedback"])
def feedback(body: FeedbackIn, settings: SettingsDep, pipe: PipelineDep) -> dict[str, Any]:
    """Rate an answer 👍/👎 with an optional reason. Rating the same answer (turn_id) again replaces the
    rating; `rag feedback export` turns the ratings into a QA file for `rag eval`."""
    if not store_writable(settings.index_dir / FEEDBACK_FILE):
        raise ApiError(503, *messages.READ_ONLY_FEEDBACK)
    server = {"mode": settings.mode, "answer_mode": settings.answer_mode, "k": settings.k,
              "generation": pipe.index_status()[0]}
    fb = Feedback(turn_id=body.turn_id, rating=body.rating, question=body.question, answer=body.answer,
                  found=body.found, history=tuple(body.history), resolved_question=body.resolved_question or "",
                  citations=tuple(c.model_dump() for c in body.citations),
                  settings={**server, **body.settings.model_dump(exclude_none=True)}, reason=body.reason.strip())
    stored = FeedbackStore(settings.index_dir / FEEDBACK_FILE).put(fb)
    return {"turn_id": stored.turn_id, "rating": stored.rating, "stored_at": stored.updated_at}
