"""The embedding roles: `Embedder` (what the index and retrieval use) and `Encoder` (one backend that runs a
model: torch or ONNX). `rag.embed.embedder` puts the batching on top of any encoder, once."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Literal, Protocol

import numpy as np

from rag.core.errors import NotFoundError

Role = Literal["query", "passage"]


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


class Encoder(Protocol):
    """One backend of a sentence-transformers model: a batch → L2-normalised vectors in one forward pass,
    with the model's prompt for the role ("query: " / "passage: " on e5). Loads lazily, thread-safe."""

    @property
    def dim(self) -> int: ...

    def encode(self, texts: list[str], role: Role) -> np.ndarray: ...

    def query_scope(self, n: int) -> AbstractContextManager[None]:
        """Around embedding `n` questions: where a backend pins its thread pool (torch does)."""
        ...

    def warm_up(self) -> None: ...


def missing_model_error(model_dir: Path) -> NotFoundError:
    return NotFoundError(
        f"embedding model directory {str(model_dir)!r} does not exist; run `make setup` or "
        "`python -m rag.embed.e5build`, or set RAG_EMBED_MODEL to a local sentence-transformers directory."
    )
