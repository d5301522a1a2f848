"""The FastAPI app: routes (api/routes.py) behind request limits, security headers and error handlers.

Every refusal is a 4xx whose JSON `detail` says in Chinese what was wrong and how to fix it, beside a stable
machine `code` (api/messages.py); a 500 only ever means a bug, and its trace goes to the log, never to the
client. /docs and /redoc are served from the Swagger UI and ReDoc files fastapi-offline ships: no CDN.
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

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import messages
from api.deps import DraftCache, app_pipeline, display_name
from api.messages import ApiError
from api.openai_compat import router as openai_router
from api.routes import DOCX_MEDIA, RETRY_AFTER_S, router, status_for
from api.welcome import Welcome
from rag.core.errors import BusyError, RagError
from rag.core.limits import MAX_FILES
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
# Swagger UI and ReDoc start from an inline script; they still load nothing from another host
DOCS_PATHS = ("/docs", "/redoc")
DOCS_ASSETS = "/static-docs"
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
            "frame-ancestors 'none'")


# --- middleware -------------------------------------------------------------------------------------


class BodyLimit:
    """Refuse an oversized request body with 413: from its Content-Length before anything is read, and
    while it streams in (chunked uploads carry no length), so no route ever spools more than the limit."""

    def __init__(self, app: ASGIApp, settings: Callable[[], Settings]) -> None:
        self.app = app
        self.settings = settings

    def _limit(self, scope: Scope) -> tuple[int, tuple[str, str]]:
        if scope["method"] == "POST" and scope["path"] == UPLOAD_PATH:
            mb = self.settings().max_upload_mb
            return int((mb * MAX_FILES + 1) * 1024 * 1024), messages.upload_too_large(MAX_FILES, mb)
        return MAX_BODY, messages.body_too_large(MAX_BODY // 1024)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, (code, msg) = self._limit(scope)
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > limit:
            await JSONResponse(messages.body(code, msg), status_code=413)(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    # an HTTPException passes FastAPI's body parsing unchanged and becomes the 413 reply
                    raise ApiError(413, code, msg)
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
        csp = DOCS_CSP if scope["path"].startswith(DOCS_PATHS) else CSP

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                            (b"x-frame-options", b"DENY")]
                headers.append((b"content-security-policy", csp.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


class RedactQuery(logging.Filter):
    """uvicorn's access log records each request's path with its query string, and a query string may carry a
    secret (a token pasted into a URL) or a user's question: the logged line keeps the path and the names of
    the parameters, every value becomes `…` (`GET /api/search?q=…&token=… HTTP/1.1 200`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        # uvicorn: '%s - "%s %s HTTP/%s" %d' % (client, method, path with query, http version, status)
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str) and "?" in args[2]:
            path, query = args[2].split("?", 1)
            names = [p.split("=", 1)[0] + "=…" if "=" in p else "…" for p in query.split("&") if p]
            record.args = (args[0], args[1], f"{path}?{'&'.join(names)}", *args[3:])
        return True


def redact_access_log() -> None:
    """Put RedactQuery on uvicorn's access logger once (uvicorn's logging config keeps a logger's filters)."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactQuery) for f in access.filters):
        access.addFilter(RedactQuery())


# --- error handlers ---------------------------------------------------------------------------------


async def _rag_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RagError)
    headers = {"Retry-After": str(RETRY_AFTER_S)} if isinstance(exc, BusyError) else None
    code, message = messages.rag_problem(exc)
    status = status_for(exc)
    if status >= 500:  # the server's state, not the request, is at fault: the operator must see it
        log.warning("%s (%d): %s", code, status, exc)
    # `reason`: the stage's own (English) words, for whoever reads the server's replies in a log
    return JSONResponse(messages.body(code, message, reason=str(exc)), status_code=status, headers=headers)


def _media_type(request: Request) -> str:
    msg = email.message.Message()
    msg["content-type"] = request.headers.get("content-type", "")
    return msg.get_content_type() if request.headers.get("content-type") else ""


def _wrong_media_type(request: Request, errors: list[dict[str, Any]]) -> tuple[str, str] | None:
    """The fix, when a body failed only because it was sent as the wrong content type."""
    if not any(e["loc"] and e["loc"][0] == "body" for e in errors):
        return None
    media = _media_type(request)
    if request.url.path == UPLOAD_PATH:
        if media != "multipart/form-data":
            return messages.wrong_media_type(True, media)
    elif media and media != "application/json" and not media.endswith("+json"):
        return messages.wrong_media_type(False, media)
    return None


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    """422 with a one-line Chinese `detail` naming each bad field, and `errors` (where, pydantic's words)
    for programs; the values sent are never echoed back (a 100 kB question would come back twice as large)."""
    assert isinstance(exc, RequestValidationError)
    raw = list(exc.errors())
    errors = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
              for e in raw]
    if fix := _wrong_media_type(request, errors):
        return JSONResponse(messages.body(*fix), status_code=415)
    code, message = messages.validation_problem(raw)
    return JSONResponse(messages.body(code, message, errors=errors), status_code=422)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if isinstance(exc, ApiError):
        code, message = exc.code, str(exc.detail)
    elif generic := messages.route_problem(exc.status_code, request.method, request.url.path):
        code, message = generic
    else:  # an HTTPException raised by a library with its own words: say something true in Chinese
        code, message = f"http_{exc.status_code}", f"请求未能完成（HTTP {exc.status_code}）：请刷新页面后重试。"
    return JSONResponse(messages.body(code, message), status_code=exc.status_code, headers=exc.headers)


async def _internal_error(_: Request, exc: Exception) -> JSONResponse:
    log.error("internal error", exc_info=exc)
    return JSONResponse(messages.body(*messages.INTERNAL), status_code=500)


# --- the app ----------------------------------------------------------------------------------------


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    redact_access_log()  # again at start: whoever launched the app has configured logging by now
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
        description="Ask questions about bureau reply letters (答复函) with citations, and draft replies. "
                    "Errors: `detail` is a Chinese message for people, `code` a stable machine code.",
        version="0.1.0",
        lifespan=_lifespan,
        docs_url=None,  # served below from local files
        redoc_url=None,
    )
    if settings is not None:
        app.dependency_overrides[get_settings] = lambda: settings
    app.state.pipeline = pipeline
    app.state.owns_pipeline = False
    app.state.warm_up = warm_up
    app.state.lock = threading.Lock()
    app.state.drafts = DraftCache()
    app.state.welcome = Welcome()
    redact_access_log()
    app.add_exception_handler(RagError, _rag_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _internal_error)
    app.add_middleware(BodyLimit, settings=lambda: _app_settings(app))
    app.add_middleware(SecurityHeaders)  # added last = outermost: the 413s above get the headers too
    app.include_router(router)
    app.include_router(openai_router)  # /v1: OpenAI-compatible chat over the same pipeline
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    _offline_docs(app)

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})

    return app


def _offline_docs(app: FastAPI) -> None:
    """/docs (Swagger UI) and /redoc from the asset files the fastapi-offline package ships (Swagger UI
    Apache-2.0, ReDoc MIT): they render on a network that reaches no CDN."""
    import fastapi_offline

    assets = Path(fastapi_offline.__file__).parent / "static"
    app.mount(DOCS_ASSETS, StaticFiles(directory=assets), name="docs-assets")
    title = app.title

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json", title=f"{title} · 接口文档",
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js", swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS}/favicon.png", oauth2_redirect_url=None)

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(openapi_url=app.openapi_url or "/openapi.json", title=f"{title} · 接口说明",
                              redoc_js_url=f"{DOCS_ASSETS}/redoc.standalone.js",
                              redoc_favicon_url=f"{DOCS_ASSETS}/favicon.png", with_google_fonts=False)
