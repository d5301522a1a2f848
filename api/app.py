"""HTTP API and web page over one Pipeline: ask (JSON or streamed), search, documents, drafting.

Route functions are plain `def`, so Starlette runs them in its threadpool: a slow answer or an index
rebuild never blocks the event loop, and the pipeline's own lock serialises writes. An upload swaps
in a new index generation; queries already running keep the generation they loaded.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from itertools import chain
from pathlib import Path, PurePath
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, File, HTTPException, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import iterate_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from api.schemas import (
    AnswerMode,
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
    RetrievalMode,
)
from rag import index as index_mod
from rag.answer import AnswerEvent
from rag.draft import Draft, DraftRequest, draft
from rag.errors import BackendError, IndexMismatchError, InputError, NotFoundError, RagError
from rag.load import SUPPORTED_SUFFIXES
from rag.pipeline import Pipeline
from rag.records import Filters, content_hash
from rag.settings import Settings, get_settings

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
DOCX_MEDIA = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_FILES = 20  # per upload request
DRAFTS_KEPT = 50
STATUS: dict[type[RagError], int] = {
    InputError: 400, NotFoundError: 404, IndexMismatchError: 409, BackendError: 502,
}
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut} for code in (400, 401, 403, 404, 409, 413, 415, 502)
}


def status_for(e: RagError) -> int:
    return next((code for cls, code in STATUS.items() if isinstance(e, cls)), 500)


# --- dependencies -----------------------------------------------------------------------------------

SettingsDep = Annotated[Settings, Depends(get_settings)]
bearer = HTTPBearer(auto_error=False, description="RAG_ADMIN_TOKEN for uploads/deletes; RAG_READ_TOKEN "
                                                  "(or the admin token) for reads when RAG_READ_TOKEN is set.")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def get_pipeline(request: Request, settings: SettingsDep) -> Pipeline:
    """The app's one Pipeline, created on first use (models inside it load lazily, once)."""
    state = request.app.state
    if state.pipeline is None:
        with state.lock:
            if state.pipeline is None:
                pipe = Pipeline(settings)
                # build the cheap shared parts now, under the lock, so concurrent first requests
                # cannot each construct their own store or retriever
                _ = pipe.store, pipe.retriever, pipe.ingestor, pipe.extractive
                state.pipeline = pipe
                state.owns_pipeline = True
    return state.pipeline


PipelineDep = Annotated[Pipeline, Depends(get_pipeline)]


def _same(given: str | None, expected: str | None) -> bool:
    # bytes, so a non-ASCII token cannot make compare_digest raise
    return bool(expected) and given is not None and secrets.compare_digest(given.encode(), expected.encode())


def require_read(settings: SettingsDep, cred: Credentials) -> None:
    """Reads are open unless RAG_READ_TOKEN is set; the admin token also reads."""
    if not settings.read_token:
        return
    given = cred.credentials if cred else None
    if _same(given, settings.read_token) or _same(given, settings.admin_token):
        return
    msg = "wrong token" if given else "this server needs a token: send Authorization: Bearer <RAG_READ_TOKEN>"
    raise HTTPException(401, msg, headers={"WWW-Authenticate": "Bearer"})


def require_admin(settings: SettingsDep, cred: Credentials) -> None:
    if not settings.admin_token:
        raise HTTPException(403, "uploads and deletes are disabled on this server: set RAG_ADMIN_TOKEN and "
                                 "send it as Authorization: Bearer <token>")
    if cred is None:
        raise HTTPException(401, "send the admin token: Authorization: Bearer <RAG_ADMIN_TOKEN>",
                            headers={"WWW-Authenticate": "Bearer"})
    if not _same(cred.credentials, settings.admin_token):
        raise HTTPException(401, "wrong admin token", headers={"WWW-Authenticate": "Bearer"})


class DraftCache:
    """The last few drafts, keyed by a content hash, so their .docx can be fetched by URL."""

    def __init__(self, size: int = DRAFTS_KEPT) -> None:
        self.size = size
        self._items: OrderedDict[str, Draft] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, d: Draft) -> str:
        key = content_hash(d.markdown)
        with self._lock:
            self._items[key] = d
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return key

    def get(self, key: str) -> Draft | None:
        with self._lock:
            d = self._items.get(key)
            if d is not None:
                self._items.move_to_end(key)
            return d


def get_drafts(request: Request) -> DraftCache:
    return request.app.state.drafts


# --- helpers ----------------------------------------------------------------------------------------


def display_name(raw: str | None, limit: int = 100) -> str:
    """A file name safe to show and store: last path part only, no control or path characters."""
    name = unicodedata.normalize("NFC", (raw or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*').strip().lstrip(".")
    if len(name) > limit:
        suffix = PurePath(name).suffix[:10]
        name = name[: limit - len(suffix)] + suffix
    return name or "upload"


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
    from rag.docx_out import docx_bytes  # python-docx: only drafting needs it

    name = quote(f"{d.title or '答复函'}.docx")
    return Response(docx_bytes(d), media_type=DOCX_MEDIA, headers={
        "Content-Disposition": f"attachment; filename=\"reply-draft-{key}.docx\"; filename*=UTF-8''{name}"})


def _make_draft(body: DraftIn, pipe: Pipeline) -> Draft:
    req = DraftRequest(**body.model_dump())
    return draft(req, pipe)


# --- routes -----------------------------------------------------------------------------------------

router = APIRouter(prefix="/api", responses=ERRORS)
Read = [Depends(require_read)]
Admin = [Depends(require_admin)]


@router.post("/ask", response_model=AnswerOut, dependencies=Read, tags=["ask"])
def ask(body: AskIn, pipe: PipelineDep) -> dict[str, Any]:
    """Answer a question from the letters with citations (same JSON as `rag ask --json`)."""
    q = pipe.resolve_question(body.question, body.history)
    answer = pipe.ask(q, body.k, body.mode, body.filters(), body.answer_mode)
    return {**answer.to_json(), "resolved_question": q}


SSE_DOC = {200: {"description": "Server-Sent Events: `event: token` (data `{\"text\": …}`) per piece, then one "
                                "`event: final` (data: the /api/ask JSON); failures mid-stream as `event: error` "
                                "(data `{\"detail\": …, \"status\": …}`).",
                 "content": {"text/event-stream": {"schema": {"type": "string"}}}}}


@router.post("/ask/stream", response_class=StreamingResponse, responses=SSE_DOC, dependencies=Read, tags=["ask"])
def ask_stream(body: AskIn, pipe: PipelineDep) -> StreamingResponse:
    """Like /api/ask, streamed as the answer is produced."""
    q = pipe.resolve_question(body.question, body.history)
    events = pipe.ask_stream(q, body.k, body.mode, body.filters(), body.answer_mode)
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
    q: Annotated[str, Query(min_length=1, max_length=2000, description="The query.")],
    k: Annotated[int | None, Query(ge=1, le=100)] = None,
    mode: RetrievalMode | None = None,
    bureau: Annotated[str | None, Query(max_length=100)] = None,
    year: Annotated[int | None, Query(ge=1949, le=2100)] = None,
) -> list[dict[str, Any]]:
    """Ranked chunks with bureau, document number, section and paragraph ids."""
    return [h.to_json() for h in pipe.search(q, k, mode, Filters(bureau=bureau or None, year=year))]


@router.get("/documents", response_model=list[DocumentSummary], dependencies=Read, tags=["documents"])
def list_documents(pipe: PipelineDep) -> list[dict[str, object]]:
    return pipe.store.list_documents()


@router.get("/documents/{doc_id}", response_model=DocumentOut, dependencies=Read, tags=["documents"])
def get_document(doc_id: Annotated[str, PathParam(max_length=200)], pipe: PipelineDep) -> dict[str, Any]:
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
        items.append((name, data, f"upload:{sha[:12]}:{name}"))
    report, stats = pipe.add_bytes(items)
    return {**report.to_json(), "generation": stats.generation if stats else None}


@router.delete("/documents/{doc_id}", response_model=DeleteOut, dependencies=Admin, tags=["documents"])
def delete_document(doc_id: Annotated[str, PathParam(max_length=200)], pipe: PipelineDep) -> dict[str, Any]:
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


# --- the app ----------------------------------------------------------------------------------------


class UploadLimit:
    """Refuse an oversized upload from its Content-Length, before the body is spooled to disk."""

    def __init__(self, app: ASGIApp, settings: Callable[[], Settings]) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] == "/api/documents":
            length = dict(scope["headers"]).get(b"content-length", b"")
            mb = self.settings().max_upload_mb
            if length.isdigit() and int(length) > (mb * MAX_FILES + 1) * 1024 * 1024:
                msg = f"upload too large: at most {MAX_FILES} files of {mb:g} MB each (RAG_MAX_UPLOAD_MB)"
                await JSONResponse({"detail": msg}, status_code=413)(scope, receive, send)
                return
        await self.app(scope, receive, send)



async def _rag_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RagError)
    return JSONResponse({"detail": str(exc)}, status_code=status_for(exc))


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    if app.state.owns_pipeline and app.state.pipeline is not None:
        app.state.pipeline.store.close()


def create_app(settings: Settings | None = None, pipeline: Pipeline | None = None) -> FastAPI:
    """The API and page. `settings` replaces RAG_* from the environment; `pipeline` (tests) replaces
    the one the app would build on first use."""
    app = FastAPI(
        title="答复函问答 · policy-reply RAG",
        description="Ask questions about bureau reply letters (答复函) with citations, and draft replies.",
        version="0.1.0",
        lifespan=_lifespan,
    )
    if settings is not None:
        app.dependency_overrides[get_settings] = lambda: settings
    app.state.pipeline = pipeline
    app.state.owns_pipeline = False
    app.state.lock = threading.Lock()
    app.state.drafts = DraftCache()
    app.add_exception_handler(RagError, _rag_error)
    app.add_middleware(UploadLimit, settings=lambda: app.dependency_overrides.get(get_settings, get_settings)())
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})

    return app
