"""Choosing the storage backend from settings: the embedded one (SQLite store + FAISS/BM25 generations in
index_dir, the default) or Milvus (RAG_MILVUS_URI: everything on a shared server, README "Scaling out")."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rag.core.settings import Settings
from rag.index.store import Store

if TYPE_CHECKING:
    from rag.embed.base import Embedder
    from rag.index.milvus import MilvusStore


def uses_milvus(settings: Settings) -> bool:
    return bool(settings.milvus_uri)


def open_store(settings: Settings, embedder: Callable[[], Embedder]) -> Store | MilvusStore:
    if not uses_milvus(settings):
        return Store(settings.db_path)
    from rag.core.tokens import Tokenizer
    from rag.index.milvus import MilvusStore

    # Milvus's own jieba analyzer gets our domain words and stop words, so both BM25 fields see the same vocabulary
    tok = Tokenizer([Path(settings.user_dict)] if settings.user_dict else [])
    return MilvusStore(settings.milvus_uri or "", settings.milvus_token, settings.milvus_collection, embedder,
                       bm25_field=f"sparse_{settings.milvus_bm25}", user_words=sorted(tok.domain_terms),
                       stop_words=sorted(tok.stopwords), bm25={"k1": settings.bm25_k1, "b": settings.bm25_b})
