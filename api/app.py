"""The FastAPI app: routes (api/routes.py) behind request limits, security headers and error handlers.

Every refusal is a 4xx whose JSON `detail` says what was wrong and how to fix it; a 500 only ever means
a bug, and its trace goes to the log, never to the client.
"""

from __future__ import annotations

import email.message
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import DraftCache, app_pipeline, display_name
from api.openai_compat import router as openai_router
from api.routes import DOCX_MEDIA, RETRY_AFTER_S, router, status_for
from rag.core.errors import BusyError, RagError
from rag.core.limits import MAX_FILES, MAX_QUESTION, MAX_TEXT
from rag.core.settings import Settings, get_settings
from rag.pipeline import Pipeline

__all__ = ["DOCX_MEDIA", "MAX_BODY", "STATIC_DIR", "create_app", "display_name"]

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
UPLOAD_PATH = "/api/documents"
# JSON bodies: the largest valid one (a draft's MAX_TEXT characters, or MAX_HISTORY earlier questions of MAX_QUESTION
# characters, at 3 UTF-8 bytes each) stays well under this
MAX_BODY = 1024 * 1024
# the page loads only its own script and style; letters are data, so nothing inline may ever run
CSP = ("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
       "frame-ancestors 'none'; form-action 'self'")
NO_CSP = ("/docs", "/redoc")  # FastAPI's interactive docs load their script from a CDN


# --- middleware -------------------------------------------------------------------------------------


class BodyLimit:
    """Refuse an oversized request body with 413: from its Content-Length before anything is read, and
    while it streams in (chunked uploads carry no length), so no route ever spools more than the limit."""

    def __init__(self, app: ASGIApp, settings: Callable[[], Settings]) -> None:
        self.app = app
        self.settings = settings

    def _limit(self, scope: Scope) -> tuple[int, str]:
        if scope["method"] == "POST" and scope["path"] == UPLOAD_PATH:
            mb = self.settings().max_upload_mb
            return (int((mb * MAX_FILES + 1) * 1024 * 1024),
                    f"upload too large: at most {MAX_FILES} files of {mb:g} MB each (RAG_MAX_UPLOAD_MB)")
        return MAX_BODY, (f"request body larger than {MAX_BODY // 1024} kB: questions are at most {MAX_QUESTION} "
                          f"characters and a draft's text at most {MAX_TEXT:,}".replace(",", " "))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, msg = self._limit(scope)
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > limit:
            await JSONResponse({"detail": msg}, status_code=413)(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    # an HTTPException passes FastAPI's body parsing unchanged and becomes the 413 reply
                    raise HTTPException(413, msg)
            return message

        await self.app(scope, counted, send)


class SecurityHeaders:
    """No sniffing, no framing, no referrer, and a script policy that allows only /static/app.js."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = not scope["path"].startswith(NO_CSP)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                            (b"x-frame-options", b"DENY")]
                if csp:
                    headers.append((b"content-security-policy", CSP.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


# --- error handlers ---------------------------------------------------------------------------------


async def _rag_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RagError)
    headers = {"Retry-After": str(RETRY_AFTER_S)} if isinstance(exc, BusyError) else None
    return JSONResponse({"detail": str(exc)}, status_code=status_for(exc), headers=headers)


def _media_type(request: Request) -> str:
    msg = email.message.Message()
    msg["content-type"] = request.headers.get("content-type", "")
    return msg.get_content_type() if request.headers.get("content-type") else ""


def _wrong_media_type(request: Request, errors: list[dict[str, Any]]) -> str | None:
    """The fix, when a body failed only because it was sent as the wrong content type."""
    if not any(e["loc"] and e["loc"][0] == "body" for e in errors):
        return None
    media = _media_type(request)
    if request.url.path == UPLOAD_PATH:
        if media != "multipart/form-data":
            return f"send the letters as multipart/form-data field `files`, not {media or 'no content type'}"
    elif media and media != "application/json" and not media.endswith("+json"):
        return f"send the body as JSON with Content-Type: application/json, not {media}"
    return None


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    """422 with a one-line `detail` naming each bad field; the values sent are never echoed back
    (a 100 kB question would otherwise come back twice as large)."""
    assert isinstance(exc, RequestValidationError)
    errors = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
              for e in exc.errors()]
    if fix := _wrong_media_type(request, errors):
        return JSONResponse({"detail": fix}, status_code=415)
    # "body.question: String should have at most 2000 characters" — pydantic's message names the bound
    detail = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'request'}: {e['msg']}" for e in errors)
    return JSONResponse({"detail": detail or "invalid request", "errors": errors}, status_code=422)


# Starlette's and FastAPI's own terse messages, said with the fix
_GENERIC = {
    (404, "Not Found"): "no such route: {method} {path}; the routes are listed at /docs",
    (405, "Method Not Allowed"): "{method} is not allowed on {path}; the routes are listed at /docs",
    (400, "There was an error parsing the body"): "the body could not be read: send UTF-8 encoded JSON "
                                                  "(or multipart/form-data for uploads)",
}


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    template = _GENERIC.get((exc.status_code, str(exc.detail)))
    detail = template.format(method=request.method, path=request.url.path) if template else exc.detail
    return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=exc.headers)


# --- the app ----------------------------------------------------------------------------------------


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    if app.state.warm_up:
        # in the background: the server answers (health, the page) while the models load
        threading.Thread(target=_warm_up, args=(app,), name="warm-up", daemon=True).start()
    yield
    if app.state.owns_pipeline and app.state.pipeline is not None:
        app.state.pipeline.store.close()


def _app_settings(app: FastAPI) -> Settings:
    """The settings the routes see: create_app's, else RAG_* from the environment."""
    return app.dependency_overrides.get(get_settings, get_settings)()


def _warm_up(app: FastAPI) -> None:
    try:
        t0 = time.perf_counter()
        if app_pipeline(app, _app_settings(app)).warm_up():
            log.info("warmed up in %.1f s: the first question is answered at full speed", time.perf_counter() - t0)
    except Exception:  # a failed warm-up only costs the first user the wait; the request path reports errors
        log.exception("warm-up failed")


def create_app(settings: Settings | None = None, pipeline: Pipeline | None = None, warm_up: bool = False) -> FastAPI:
    """The API and page. `settings` replaces RAG_* from the environment; `pipeline` (tests) replaces
    the one the app would build on first use; `warm_up` (rag serve) loads the index and models at start."""
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
    app.state.warm_up = warm_up
    app.state.lock = threading.Lock()
    app.state.drafts = DraftCache()
    app.add_exception_handler(RagError, _rag_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_middleware(BodyLimit, settings=lambda: _app_settings(app))
    app.add_middleware(SecurityHeaders)  # added last = outermost: the 413s above get the headers too
    app.include_router(router)
    app.include_router(openai_router)  # /v1: OpenAI-compatible chat over the same pipeline
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})

    return app
