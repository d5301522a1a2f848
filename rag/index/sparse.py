"""Sparse retrieval: BM25 (bm25s, Lucene variant) over jieba tokens. Row i is chunk `ids[i]`."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import bm25s


def _bm25s() -> ModuleType:
    """bm25s, imported without scipy when nothing has imported scipy yet.

    bm25s imports scipy only to offer scipy as a way of building its matrix; we build with its numpy
    backend (its default, passed explicitly below), so scipy is never used, and importing it is a tenth
    of a cold `rag ask` (0.2 s). A None in sys.modules makes bm25s's guarded `import scipy.sparse` fail.
    """
    if "bm25s" in sys.modules or "scipy" in sys.modules:
        return importlib.import_module("bm25s")
    sys.modules["scipy"] = None  # type: ignore[assignment]
    try:
        return importlib.import_module("bm25s")
    finally:
        del sys.modules["scipy"]


class BM25Index:
    def __init__(self, model: bm25s.BM25 | None, ids: list[str]) -> None:
        self.model = model
        self.ids = ids

    @classmethod
    def build(cls, tokens: list[list[str]], ids: list[str], k1: float = 1.2, b: float = 0.75) -> BM25Index:
        if not tokens:
            return cls(None, ids)
        model = _bm25s().BM25(k1=k1, b=b, csc_backend="numpy")
        model.index(tokens, show_progress=False)
        return cls(model, ids)

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        if self.model is None:
            return np.zeros(0, dtype=np.float32)
        known = [t for t in query_tokens if t in self.model.vocab_dict]
        if not known:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self.model.get_scores(known), dtype=np.float32)

    def search(self, query_tokens: list[str], k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top-k (row, score) with score > 0; `allowed` masks rows out before ranking."""
        s = self.scores(query_tokens)
        if not len(s):
            return []
        if allowed is not None:
            s = np.where(allowed, s, 0.0)
        k = min(k, len(s))
        top = np.argpartition(-s, k - 1)[:k]
        top = top[np.argsort(-s[top], kind="stable")]
        return [(int(r), float(s[r])) for r in top if s[r] > 0]

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        if self.model is not None:
            self.model.save(str(directory / "bm25"))
        (directory / "bm25.json").write_text(json.dumps({"ids": self.ids, "empty": self.model is None}))

    @classmethod
    def load(cls, directory: Path) -> BM25Index:
        meta = json.loads((directory / "bm25.json").read_text())
        model = None if meta["empty"] else _bm25s().BM25.load(str(directory / "bm25"))
        return cls(model, meta["ids"])
