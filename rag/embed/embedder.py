"""The Embedder over a local sentence-transformers directory: one batching loop on top of either backend
(torch: rag.embed.torch_backend; ONNX: rag.embed.onnx_backend). The vectors, and so the name an index
records, are the model's whatever the backend.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np

from rag.core.errors import InputError
from rag.core.files import progress_bar
from rag.embed.base import Encoder, Role, missing_model_error
from rag.embed.onnx_backend import SUBDIR as ONNX_SUBDIR
from rag.embed.onnx_backend import OnnxEncoder
from rag.embed.torch_backend import TorchEncoder

Backend = Literal["torch", "onnx"]
_SMALL_FILE = 1 << 20  # hash small files whole; big weight files by size + head + tail
ONNX_PREFIX = f"{ONNX_SUBDIR}/"


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


class SentenceTransformerEmbedder:
    """An Embedder over a local sentence-transformers directory; the model loads lazily, once.

    ``backend="onnx"`` runs queries and passages through the model's checked ONNX export and never loads
    torch; ``encoder`` replaces the backend outright (the benchmarks pass int8 / OpenVINO encoders).
    """

    def __init__(
        self,
        model_dir: Path | str,
        batch_size: int = 8,
        device: str = "cpu",
        query_instruction: str | None = None,
        backend: Backend = "torch",
        encoder: Encoder | None = None,
    ) -> None:
        if batch_size < 1:
            raise InputError(f"batch_size must be >= 1, got {batch_size!r}.")
        self.model_dir = Path(model_dir)
        if not self.model_dir.is_dir():
            raise missing_model_error(self.model_dir)
        self.batch_size = batch_size
        self.query_instruction = query_instruction
        self.backend = backend
        self.encoder: Encoder = encoder or (
            OnnxEncoder(self.model_dir, query_instruction=query_instruction) if backend == "onnx"
            else TorchEncoder(self.model_dir, device, query_instruction))
        self._name: str | None = None

    @property
    def name(self) -> str:
        if self._name is None:
            suffix = ""
            if self.query_instruction:  # it changes query vectors, so it is part of the identity
                suffix = "+" + hashlib.sha256(self.query_instruction.encode()).hexdigest()[:8]
            self._name = f"{self.model_dir.name}@{model_fingerprint(self.model_dir)[:12]}{suffix}"
        return self._name

    def warm_up(self) -> None:
        """Load the model now rather than on the first request."""
        self.encoder.warm_up()

    @property
    def dim(self) -> int:
        return self.encoder.dim

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        with self.encoder.query_scope(len(texts)):
            return self._encode(texts, "query")

    def embed_passages(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        return self._encode(texts, "passage", progress)

    def _encode(self, texts: Sequence[str], role: Role, progress: bool = False) -> np.ndarray:
        """The one batching loop: longest first, so batches of similar length waste little padding and a
        too-long batch fails early; results go back to the callers' order."""
        if isinstance(texts, str):
            raise InputError("embed_* take a sequence of texts, got a single str; wrap it in a list.")
        n = len(texts)
        out = np.empty((n, self.dim), dtype=np.float32)
        if n == 0:
            return out
        order = sorted(range(n), key=lambda i: len(texts[i]), reverse=True)
        bar = progress_bar(n) if progress else None
        try:
            for start in range(0, n, self.batch_size):
                idx = order[start : start + self.batch_size]
                out[idx] = np.asarray(self.encoder.encode([texts[i] for i in idx], role), dtype=np.float32)
                if bar is not None:
                    bar.update(len(idx))
        finally:
            if bar is not None:
                bar.close()
        return out
