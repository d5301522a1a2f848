"""Storage and indexes: the SQLite store (source of truth), the dense (FAISS) and sparse (BM25) indexes, and
the immutable generations they are built into and swapped in atomically."""

import lazy_loader

# each name loads its module on first use (PEP 562), so importing one module of the package
# (or the package itself) does not pull in its heavier siblings
__getattr__, __dir__, __all__ = lazy_loader.attach(__name__, submod_attrs={
    "dense": ["FaissStore", "VectorStore"],
    "generation": ["BuildStats", "Generation", "build", "current_name", "is_current", "load", "write_lock"],
    "live": ["live_letters"],
    "sparse": ["BM25Index"],
    "store": ["Store"],
})
