"""Dependencies of the routes: settings, the one Pipeline, token checks, the draft cache, upload names."""

from __future__ import annotations

import secrets
import threading
import unicodedata
from collections import OrderedDict
from pathlib import PurePath
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api import messages
from api.messages import ApiError
from rag.core.records import content_hash
from rag.core.settings import Settings, get_settings
from rag.draft import Draft
from rag.pipeline import Pipeline

DRAFTS_KEPT = 50
NAME_LIMIT = 100  # characters of an upload's file name kept as its label
# an upload waits this long for a `rag index` in another process to finish before it is refused (503)
WRITE_LOCK_WAIT_S = 20.0

SettingsDep = Annotated[Settings, Depends(get_settings)]
bearer = HTTPBearer(auto_error=False, description="RAG_ADMIN_TOKEN for uploads/deletes; RAG_READ_TOKEN "
                                                  "(or the admin token) for reads when RAG_READ_TOKEN is set.")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
CHALLENGE = {"WWW-Authenticate": "Bearer"}
# characters a file name cannot hold on Windows or in a Content-Disposition header
_NOT_IN_FILE_NAME = str.maketrans({c: "" for c in '\\/:*?"<>|'})


def get_pipeline(request: Request, settings: SettingsDep) -> Pipeline:
    """The app's one Pipeline, created on first use (models inside it load lazily, once)."""
    return app_pipeline(request.app, settings)


def app_pipeline(app: FastAPI, settings: Settings) -> Pipeline:
    """The app's one Pipeline, for a request or for the warm-up at start."""
    state = app.state
    if state.pipeline is None:
        with state.lock:
            if state.pipeline is None:
                pipe = Pipeline(settings, lock_timeout=WRITE_LOCK_WAIT_S)
                # build the cheap shared parts now, under the lock, so concurrent first requests
                # cannot each construct their own store or retriever
                _ = pipe.store, pipe.retriever, pipe.ingestor, pipe.extractive
                state.pipeline = pipe
                state.owns_pipeline = True
    return state.pipeline


PipelineDep = Annotated[Pipeline, Depends(get_pipeline)]


def same_token(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison; bytes, so a non-ASCII token cannot make compare_digest raise."""
    return bool(expected) and given is not None and secrets.compare_digest(given.encode(), expected.encode())


def require_read(settings: SettingsDep, cred: Credentials) -> None:
    """Reads are open unless RAG_READ_TOKEN is set; the admin token also reads."""
    if not settings.read_token:
        return
    given = cred.credentials if cred else None
    if same_token(given, settings.read_token) or same_token(given, settings.admin_token):
        return
    raise ApiError(401, *(messages.READ_WRONG if given else messages.READ_MISSING), headers=CHALLENGE)


def require_admin(settings: SettingsDep, cred: Credentials) -> None:
    """Uploads and deletes: the admin token (the page's 管理口令), sent as Authorization: Bearer <token>."""
    if not settings.admin_token:
        raise ApiError(403, *messages.ADMIN_DISABLED)
    if cred is None:
        raise ApiError(401, *messages.ADMIN_MISSING, headers=CHALLENGE)
    if not same_token(cred.credentials, settings.admin_token):
        raise ApiError(401, *messages.ADMIN_WRONG, headers=CHALLENGE)


class DraftCache:
    """The last few drafts with their file names, keyed by a content hash, so their .docx can be fetched
    by URL."""

    def __init__(self, size: int = DRAFTS_KEPT) -> None:
        self.size = size
        self._items: OrderedDict[str, tuple[Draft, str]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, d: Draft, name: str) -> str:
        key = content_hash(d.markdown)
        with self._lock:
            self._items[key] = (d, name)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return key

    def get(self, key: str) -> tuple[Draft, str] | None:
        with self._lock:
            d = self._items.get(key)
            if d is not None:
                self._items.move_to_end(key)
            return d


def get_drafts(request: Request) -> DraftCache:
    return request.app.state.drafts


def docx_name(proposal_title: str) -> str:
    """The draft's file name, after the proposal it answers: 关于加强农村养老服务的建议（答复草稿）.docx."""
    title = " ".join(proposal_title.split()).strip("《》 ").translate(_NOT_IN_FILE_NAME)[:60] or "答复函"
    return f"{title}（答复草稿）.docx"


def display_name(raw: str | None, limit: int = NAME_LIMIT) -> str:
    """A file name safe to show and store: last path part only, no control or path characters.

    Upload names are labels inside the stored source id (``upload:<sha>:<name>``); nothing is ever
    written to or read from disk under them, so this is about what people see, not about paths.
    """
    name = unicodedata.normalize("NFC", (raw or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*').strip().lstrip(".")
    if len(name) > limit:
        suffix = PurePath(name).suffix[:10]
        name = name[: limit - len(suffix)] + suffix
    return name or "upload"
