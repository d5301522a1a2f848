"""OpenAI-compatible chat over the letters: GET /v1/models and POST /v1/chat/completions.

Any OpenAI client (the `openai` SDK, LangChain's ChatOpenAI, desktop chat apps, another bureau's system)
can ask the knowledge base. One model per answering mode (`policy-reply-extractive`; `policy-reply-llm`
only when an LLM is configured, so every listed model answers); the conversation's earlier user turns
resolve follow-ups (那巴中呢？); the answer's text carries its [n] markers followed by the cited letters'
labels; the structured citations travel in extra top-level fields (`citations`, `found`,
`resolved_question`) that ordinary clients ignore. Same token as the /api read routes. Every refusal
has OpenAI's error shape, {"error": {"message", "type", "param", "code"}}, so clients raise their usual
exceptions; the message says (in Chinese) what to fix and `code` is the stable machine-readable part.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable, Coroutine, Iterable, Iterator, Sequence
from itertools import chain
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import iterate_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.deps import PipelineDep, SettingsDep, require_read
from api.routes import RETRY_AFTER_S, status_for
from rag.answer.base import AnswerEvent
from rag.core.errors import BusyError, RagError
from rag.core.limits import MAX_BUREAU, MAX_HISTORY, MAX_K, MAX_QUESTION
from rag.core.records import Answer, Filters
from rag.core.settings import ANSWER_MODES, Settings

log = logging.getLogger(__name__)

MODEL_PREFIX = "policy-reply-"
OWNER = "policy-reply-rag"
CREATED = int(time.time())  # OpenAI lists when a model was created; ours exist from server start
ERROR_TYPES = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
               404: "invalid_request_error", 409: "conflict_error", 413: "invalid_request_error",
               415: "invalid_request_error", 422: "invalid_request_error", 502: "server_error",
               503: "server_error"}


class OpenAIError(Exception):
    """A refusal in OpenAI's shape; `code` is the stable part, `message` says what to fix."""

    def __init__(self, status: int, message: str, code: str | None = None, param: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.code, self.param, self.headers = status, message, code, param, headers

    def body(self) -> dict[str, Any]:
        kind = ERROR_TYPES.get(self.status, "server_error" if self.status >= 500 else "invalid_request_error")
        return {"error": {"message": self.message, "type": kind, "param": self.param, "code": self.code}}

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers)


def _from_rag_error(e: RagError) -> OpenAIError:
    status = status_for(e)  # the /api table of statuses: one place for both APIs
    headers = {"Retry-After": str(RETRY_AFTER_S)} if isinstance(e, BusyError) else None
    return OpenAIError(status, str(e), code=type(e).__name__, headers=headers)


def _from_validation(e: RequestValidationError) -> OpenAIError:
    errors = e.errors()
    first = errors[0] if errors else {}
    loc = [str(p) for p in first.get("loc", ()) if p != "body"]
    where = ".".join(loc) or "请求体"
    msg = f"{where}: {first.get('msg', '请求无效')}"
    if len(errors) > 1:
        msg += f"（另有 {len(errors) - 1} 处错误）"
    return OpenAIError(400, f"请求无效：{msg}。格式同 OpenAI 的 chat completions 接口", code="invalid_request",
                       param=".".join(loc) or None)


class OpenAIRoute(APIRoute):
    """Turns every refusal of these routes into OpenAI's error shape (the rest of the app keeps its
    {"detail": …} bodies): validation errors, token checks, the pipeline's own errors."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except OpenAIError as e:
                return e.response()
            except RequestValidationError as e:
                return _from_validation(e).response()
            except RagError as e:
                return _from_rag_error(e).response()
            except StarletteHTTPException as e:
                code = "invalid_api_key" if e.status_code == 401 else None
                return OpenAIError(e.status_code, str(e.detail), code=code, headers=e.headers).response()

        return route


router = APIRouter(prefix="/v1", route_class=OpenAIRoute, dependencies=[Depends(require_read)],
                   tags=["OpenAI-compatible"])


# --- shapes -----------------------------------------------------------------------------------------


class ModelOut(BaseModel):
    id: str = Field(examples=["policy-reply-extractive"])
    object: Literal["model"] = "model"
    created: int
    owned_by: str = OWNER


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelOut]


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")  # name, tool_calls … are accepted and not used

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None


class ChatRequest(BaseModel):
    # temperature, max_tokens, top_p, user … are accepted and ignored: the answer comes from the letters
    model_config = ConfigDict(extra="allow")

    model: str = Field(examples=["policy-reply-extractive"], description="GET /v1/models lists them.")
    messages: list[ChatMessage] = Field(min_length=1, description="The conversation, oldest first; the last "
                                        "one is the user's question, earlier user turns resolve follow-ups.")
    stream: bool = False
    n: int | None = Field(None, ge=1, le=1, description="Only one answer per question.")
    # extras beyond OpenAI's fields (the openai SDK sends them with extra_body)
    k: int | None = Field(None, ge=1, le=MAX_K, description="Chunks to retrieve (default RAG_K).")
    bureau: Annotated[str, Field(max_length=MAX_BUREAU)] | None = Field(
        None, description="Only letters whose bureau contains this text.")
    year: int | None = Field(None, ge=1949, le=2100, description="Only letters dated this year.")


class ChatChoice(BaseModel):
    index: int = 0
    message: dict[str, str] = Field(examples=[{"role": "assistant", "content": "375家。…[1]\n\n[1] 〔…〕"}])
    finish_reason: Literal["stop"] = "stop"
    logprobs: None = None


class ChatCompletionOut(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[ChatChoice]
    usage: None = Field(None, description="Not counted: no tokens are sold here.")
    citations: list[dict[str, Any]] = Field(description="Extra: the structured citations, as in /api/ask.")
    found: bool = Field(description="Extra: False when the letters do not answer (the text says so).")
    resolved_question: str = Field(description="Extra: the question answered (follow-ups rewritten).")


# --- helpers ----------------------------------------------------------------------------------------


def model_id(mode: str) -> str:
    return MODEL_PREFIX + mode


def served_modes(settings: Settings) -> list[str]:
    """The answer modes this server can run: llm only when a model or server is configured."""
    llm = bool(settings.llm_url or settings.llm_model)
    return [m for m in ANSWER_MODES if m != "llm" or llm]


def _answer_mode(model: str, settings: Settings) -> str:
    mode = model.removeprefix(MODEL_PREFIX) if model.startswith(MODEL_PREFIX) else ""
    if mode in served_modes(settings):
        return mode
    names = "、".join(model_id(m) for m in served_modes(settings))
    why = ("这台服务器未配置大模型（设置 RAG_LLM_MODEL 或 RAG_LLM_URL 后重启）。" if mode == "llm" else "")
    raise OpenAIError(404, f"没有模型 {model!r}。{why}可用的模型：{names}（GET /v1/models）",
                      code="model_not_found", param="model")


def _text(m: ChatMessage, i: int) -> str:
    if m.content is None or isinstance(m.content, str):
        return m.content or ""
    parts = []
    for part in m.content:
        if part.get("type") != "text" or not isinstance(part.get("text"), str):
            raise OpenAIError(400, f"messages[{i}] 含有 {part.get('type')!r} 内容：这里只回答文字问题",
                              code="unsupported_content", param=f"messages.{i}.content")
        parts.append(part["text"])
    return "\n".join(parts)


def _conversation(messages: Sequence[ChatMessage]) -> tuple[str, list[str]]:
    """(question, earlier user questions): system and assistant turns carry no question of the user's.
    Earlier turns longer than a question (pasted text) are not questions either and are left out."""
    last = len(messages) - 1
    if messages[last].role != "user":
        raise OpenAIError(400, f"最后一条消息应是用户的问题，而不是 {messages[last].role!r}",
                          code="invalid_request", param=f"messages.{last}.role")
    question = _text(messages[last], last).strip()
    if not question:
        raise OpenAIError(400, "问题是空的：最后一条用户消息里写上要问的内容", code="invalid_request",
                          param=f"messages.{last}.content")
    if len(question) > MAX_QUESTION:
        raise OpenAIError(400, f"问题有 {len(question)} 字，最多 {MAX_QUESTION} 字：请缩短后再问",
                          code="question_too_long", param=f"messages.{last}.content")
    earlier = [t for i, m in enumerate(messages[:last]) if m.role == "user" and (t := _text(m, i).strip())]
    return question, [t for t in earlier if len(t) <= MAX_QUESTION][-MAX_HISTORY:]


def references(answer: Answer) -> str:
    """What follows the answer's text: one line per [n] marker naming the cited letter and paragraph."""
    if not answer.citations:
        return ""
    return "\n\n" + "\n".join(f"[{i}] {c.label}" for i, c in enumerate(answer.citations, 1))


def _extras(answer: Answer, resolved: str) -> dict[str, Any]:
    return {"citations": [c.to_json() for c in answer.citations], "found": answer.found,
            "resolved_question": resolved}


def _sse(data: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


def _chunks(events: Iterable[AnswerEvent], model: str, resolved: str) -> Iterator[bytes]:
    """OpenAI's chat.completion.chunk stream. The text sent is the final, citation-checked answer: an LLM's
    draft that fails the check is replaced (the web page swaps it, but a client cannot unsay text), so
    an LLM answer arrives once it is checked; the extractive one at once, sentence by sentence."""
    base = {"id": f"chatcmpl-{uuid.uuid4().hex}", "object": "chat.completion.chunk", "created": int(time.time()),
            "model": model}

    def chunk(delta: dict[str, str], finish: str | None = None, **extra: Any) -> bytes:
        choice = {"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}
        return _sse({**base, "choices": [choice], **extra})

    yield chunk({"role": "assistant", "content": ""})
    try:
        pieces, answer = [], None
        for ev in events:
            if ev.kind == "token":
                pieces.append(ev.text)
            elif ev.answer is not None:
                answer = ev.answer
        if answer is None:
            raise RuntimeError("the answerer ended without a final answer")
        if "".join(pieces) != answer.answer:
            pieces = [answer.answer]
        for piece in [*pieces, references(answer)]:
            if piece:
                yield chunk({"content": piece})
        yield chunk({}, "stop", **_extras(answer, resolved))
        yield b"data: [DONE]\n\n"
    except RagError as e:  # the status line is already sent: OpenAI clients raise on an in-band error
        yield _sse(_from_rag_error(e).body())
    except Exception:
        log.exception("OpenAI-compatible stream failed")
        yield _sse(OpenAIError(500, "回答时出现内部错误，详见服务器日志", code="internal_error").body())


# --- routes -----------------------------------------------------------------------------------------


@router.get("/models", response_model=ModelList)
def list_models(settings: SettingsDep) -> dict[str, Any]:
    """One model per answering mode this server runs (policy-reply-llm only when an LLM is configured)."""
    return {"object": "list", "data": [ModelOut(id=model_id(m), created=CREATED) for m in served_modes(settings)]}


@router.get("/models/{model}", response_model=ModelOut)
def get_model(model: str, settings: SettingsDep) -> ModelOut:
    _answer_mode(model, settings)
    return ModelOut(id=model, created=CREATED)


SSE_DOC = {200: {"description": "With `stream: true`: Server-Sent Events of `chat.completion.chunk` objects, the "
                                "last one with finish_reason `stop` and the extras, then `data: [DONE]`; a "
                                "failure after the start arrives as `data: {\"error\": …}`.",
                 "content": {"text/event-stream": {"schema": {"type": "string"}}}}}


@router.post("/chat/completions", response_model=ChatCompletionOut, responses=SSE_DOC)
def chat_completions(body: ChatRequest, pipe: PipelineDep, settings: SettingsDep) -> Any:
    """Answer the conversation's last user message from the letters, with citations, as OpenAI's API does."""
    mode = _answer_mode(body.model, settings)
    question, history = _conversation(body.messages)
    q = pipe.resolve_question(question, history)
    filters = Filters(bureau=body.bureau or None, year=body.year)
    if body.stream:
        events = pipe.ask_stream(q, body.k, None, filters, mode)
        # retrieval runs here, in this worker thread: bad input fails with a status code, not mid-stream
        first = next(events, None)
        head = [first] if first is not None else []
        return StreamingResponse(iterate_in_threadpool(_chunks(chain(head, events), body.model, q)),
                                 media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    answer = pipe.ask(q, body.k, None, filters, mode)
    message = {"role": "assistant", "content": answer.answer + references(answer)}
    return {"id": f"chatcmpl-{uuid.uuid4().hex}", "object": "chat.completion", "created": int(time.time()),
            "model": body.model, "choices": [{"index": 0, "message": message, "finish_reason": "stop",
                                              "logprobs": None}],
            "usage": None, **_extras(answer, q)}
