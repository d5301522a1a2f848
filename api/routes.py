"""The /api routes: ask (JSON or streamed), search, documents, drafting, health.

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

from fastapi import APIRouter, Depends, File, HTTPException, Query, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import iterate_in_threadpool

from api.deps import (
    DRAFTS_KEPT,
    DraftCache,
    PipelineDep,
    SettingsDep,
    display_name,
    get_drafts,
    require_admin,
    require_read,
)
from api.schemas import (
    AnswerOut,
    AskIn,
    DeleteOut,
    DocumentOut,
    DocumentSummary,
    DraftIn,
    DraftOut,
    ErrorOut,
    HealthOut,
    HitOut,
    IngestOut,
    ValidationErrorOut,
)
from rag.answer.base import AnswerEvent
from rag.core.errors import (
    BackendError,
    BusyError,
    IndexMismatchError,
    InputError,
    NotFoundError,
    RagError,
    StoreDamagedError,
)
from rag.core.limits import MAX_BUREAU, MAX_DOC_ID, MAX_FILES, MAX_K, MAX_QUESTION
from rag.core.records import Filters, content_hash
from rag.core.settings import AnswerMode, RetrievalMode
from rag.draft import Draft, DraftRequest
from rag.index import generation as index_mod
from rag.ingest.ingestor import UPLOAD_PREFIX
from rag.ingest.load import SUPPORTED_SUFFIXES
from rag.pipeline import Pipeline

log = logging.getLogger(__name__)

DOCX_MEDIA = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# BusyError: another process (`rag index`) holds the index's write lock; StoreDamagedError: the operator
# must restore the store. Neither is the client's fault, and both say what to do.
STATUS: dict[type[RagError], int] = {
    InputError: 400, NotFoundError: 404, IndexMismatchError: 409, BackendError: 502, BusyError: 503,
    StoreDamagedError: 503,
}
RETRY_AFTER_S = 30  # told to clients refused with BusyError
ERRORS: dict[int | str, dict[str, Any]] = {
    **{code: {"model": ErrorOut} for code in (400, 401, 403, 404, 409, 413, 415, 502, 503)},
    422: {"model": ValidationErrorOut, "description": "A field is missing or out of range; `detail` names it."},
}


DocId = Annotated[str, PathParam(max_length=MAX_DOC_ID, description="GET /api/documents lists the ids.")]


def status_for(e: RagError) -> int:
    return next((code for cls, code in STATUS.items() if isinstance(e, cls)), 500)


# --- helpers ----------------------------------------------------------------------------------------


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
        yield _event("error", {"detail": str(e), "status": status_for(e)})
    except Exception:  # the status line is already sent: report in-band, log the trace
        log.exception("answer stream failed")
        yield _event("error", {"detail": "internal error while answering; see the server log", "status": 500})


def _docx_response(d: Draft, key: str) -> Response:
    from rag.draft.docx import docx_bytes  # python-docx: only drafting needs it

    name = quote(f"{d.title or '答复函'}.docx")
    return Response(docx_bytes(d), media_type=DOCX_MEDIA, headers={
        "Content-Disposition": f"attachment; filename=\"reply-draft-{key}.docx\"; filename*=UTF-8''{name}"})


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
    return pipe.store.list_documents()


@router.get("/documents/{doc_id}", response_model=DocumentOut, dependencies=Read, tags=["documents"])
def get_document(doc_id: DocId, pipe: PipelineDep) -> dict[str, Any]:
    """One letter: metadata and its paragraphs with ids and citation labels."""
    doc = pipe.store.document(doc_id)
    if doc is None:
        raise NotFoundError(f"no document {doc_id!r}: GET /api/documents lists the ids")
    return doc.to_json()


@router.post("/documents", response_model=IngestOut, dependencies=Admin, tags=["documents"],
             responses={200: {"description": "The ingest report; unreadable files are listed under `skipped`."}})
def upload(
    files: Annotated[list[UploadFile], File(description=f"Letters ({', '.join(SUPPORTED_SUFFIXES)}).")],
    pipe: PipelineDep,
    settings: SettingsDep,
) -> dict[str, Any]:
    """Index uploaded letters incrementally. File names are labels only, never paths."""
    if not files:
        raise InputError("no files: send one or more letters as multipart field `files`")
    if len(files) > MAX_FILES:
        raise InputError(f"{len(files)} files in one request; send at most {MAX_FILES}")
    limit = int(settings.max_upload_mb * 1024 * 1024)
    items: list[tuple[str, bytes, str]] = []
    for f in files:  # check every file before indexing any, so a bad request changes nothing
        name = display_name(f.filename)
        suffix = PurePath(name).suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            raise HTTPException(415, f"{name}: unsupported file type {suffix or '(none)'}; "
                                     f"allowed: {', '.join(SUPPORTED_SUFFIXES)}")
        data = f.file.read(limit + 1)
        if len(data) > limit:
            raise HTTPException(413, f"{name} is larger than the {settings.max_upload_mb:g} MB limit "
                                     "(RAG_MAX_UPLOAD_MB)")
        if not data.strip():
            raise InputError(f"{name} is empty: export the letter's text again")
        sha = hashlib.sha256(data).hexdigest()
        items.append((name, data, f"{UPLOAD_PREFIX}{sha[:12]}:{name}"))
    report, stats = pipe.add_bytes(items)
    return {**report.to_json(), "generation": stats.generation if stats else None}


@router.delete("/documents/{doc_id}", response_model=DeleteOut, dependencies=Admin, tags=["documents"])
def delete_document(doc_id: DocId, pipe: PipelineDep) -> dict[str, Any]:
    """Remove one letter (exact id) from the store and the indexes."""
    removed, stats = pipe.remove([doc_id])
    if not removed:
        raise NotFoundError(f"no document {doc_id!r}: GET /api/documents lists the ids")
    return {"removed": removed, "generation": stats.generation if stats else None}


@router.get("/health", response_model=HealthOut, tags=["meta"])
def health(pipe: PipelineDep, settings: SettingsDep) -> dict[str, Any]:
    """Counts and configuration; open without a token (it shows no letter text)."""
    docs, chunks = pipe.store.count()
    gen = index_mod.current_name(settings.index_dir)
    manifest_path = settings.index_dir / gen / "manifest.json" if gen else None
    manifest = json.loads(manifest_path.read_text()) if manifest_path and manifest_path.exists() else None
    modes: list[AnswerMode] = ["extractive"]
    if settings.llm_url or settings.llm_model:
        modes.append("llm")
    return {
        "status": "ok" if manifest else "no-index", "documents": docs, "chunks": chunks,
        "generation": gen if manifest else None, "embedder": manifest["embedder"] if manifest else None,
        "answer_modes": modes, "read_token_required": bool(settings.read_token),
        "uploads_enabled": bool(settings.admin_token), "max_upload_mb": settings.max_upload_mb,
        "supported_types": list(SUPPORTED_SUFFIXES),
    }


@router.post("/draft", response_model=DraftOut, dependencies=Read, tags=["draft"])
def make_draft(body: DraftIn, pipe: PipelineDep, drafts: Annotated[DraftCache, Depends(get_drafts)]) -> dict[str, Any]:
    """Draft a reply letter from precedent letters; every reused paragraph cites its source."""
    d = _make_draft(body, pipe)
    key = drafts.put(d)
    return {**d.to_json(), "draft_id": key, "docx_url": f"/api/draft/{key}.docx"}


DOCX_DOC = {200: {"description": "The draft as a Word file.", "content": {DOCX_MEDIA: {}}}}


@router.get("/draft/{draft_id}.docx", response_class=Response, responses=DOCX_DOC, dependencies=Read,
            tags=["draft"])
def draft_docx(draft_id: Annotated[str, PathParam(pattern=r"^[0-9a-f]{16}$")],
               drafts: Annotated[DraftCache, Depends(get_drafts)]) -> Response:
    d = drafts.get(draft_id)
    if d is None:
        raise NotFoundError(f"draft {draft_id} is not kept any more (only the last {DRAFTS_KEPT} are): "
                            "POST /api/draft again")
    return _docx_response(d, draft_id)


@router.post("/draft.docx", response_class=Response, responses=DOCX_DOC, dependencies=Read, tags=["draft"])
def draft_docx_direct(body: DraftIn, pipe: PipelineDep) -> Response:
    """Draft and return the .docx in one call."""
    d = _make_draft(body, pipe)
    return _docx_response(d, content_hash(d.markdown))
