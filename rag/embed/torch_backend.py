"""The torch backend: a local sentence-transformers directory run by sentence-transformers itself."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

import numpy as np

from rag.core.errors import BackendError
from rag.core.threads import one_thread
from rag.embed.base import Role, missing_model_error

logger = logging.getLogger(__name__)

QUERY_ONE_THREAD_MAX = 8  # query batches up to this size are embedded on one torch thread
_threads_lock = threading.Lock()


def _load_sentence_transformer(model_dir: Path, device: str) -> Any:
    """Load the model; a module-level function so tests can swap in a fake."""
    from sentence_transformers import SentenceTransformer  # heavy: import only when a model is needed

    return SentenceTransformer(str(model_dir), device=device, local_files_only=True)


class TorchEncoder:
    """Prompts come from the model's own config when it names "query"/"passage" prompts (e5); otherwise
    passages get none and queries get ``query_instruction`` if given (bge-style instructions)."""

    def __init__(self, model_dir: Path, device: str = "cpu", query_instruction: str | None = None) -> None:
        self.model_dir = model_dir
        self.device = device
        self.query_instruction = query_instruction
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def model(self) -> Any:
        """The loaded SentenceTransformer (loads it on first access; thread-safe)."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def warm_up(self) -> None:
        _ = self.model

    @property
    def dim(self) -> int:
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        return int(get_dim())

    def encode(self, texts: list[str], role: Role) -> np.ndarray:
        prompts = self.model.prompts or {}
        if prompts.get(role):
            prompt: dict[str, str | None] = {"prompt_name": role}
        else:
            prompt = {"prompt": (self.query_instruction if role == "query" else None) or None}
        return self.model.encode(
            texts,
            batch_size=len(texts),
            show_progress_bar=False,
            convert_to_numpy=True,
            normalize_embeddings=True,  # models without a Normalize module still honour the role
            **prompt,
        )

    def query_scope(self, n: int) -> AbstractContextManager[None]:
        return _one_torch_thread() if n <= QUERY_ONE_THREAD_MAX else nullcontext()

    def _load(self) -> Any:
        if not self.model_dir.is_dir():
            raise missing_model_error(self.model_dir)
        logger.info("loading embedding model %s on %s", self.model_dir, self.device)
        try:
            return _load_sentence_transformer(self.model_dir, self.device)
        except Exception as exc:  # a broken dir surfaces as many different library errors
            raise BackendError(
                f"could not load the embedding model at {str(self.model_dir)!r}: {exc}. "
                "Rebuild it with `python -m rag.embed.e5build --force` or point RAG_EMBED_MODEL elsewhere."
            ) from exc


@contextmanager
def _one_torch_thread() -> Iterator[None]:
    """A question is a few dozen tokens: one thread embeds it within ~15% of two on an idle machine, and
    16x faster when another process holds a core (61 ms vs 1,000 ms p50 at load 7.5, eval/README.md
    "Benchmark suite"), because torch's second thread then spins waiting for a core. torch's thread count
    is process-wide, so a query that overlaps an upload's passage embedding briefly slows that down."""
    import torch

    with _threads_lock, one_thread(torch.get_num_threads, torch.set_num_threads):
        yield
