"""Storage and indexes: the SQLite store (source of truth), the dense (FAISS) and sparse (BM25) indexes, and
the immutable generations they are built into and swapped in atomically."""

from rag.index.dense import FaissStore, VectorStore
from rag.index.generation import BuildStats, Generation, build, current_name, is_current, load, write_lock
from rag.index.sparse import BM25Index
from rag.index.store import Store

__all__ = ["BM25Index", "BuildStats", "FaissStore", "Generation", "Store", "VectorStore", "build", "current_name",
           "is_current", "load", "write_lock"]
