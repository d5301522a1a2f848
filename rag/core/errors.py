"""One small exception hierarchy. Messages name the bad value and the fix; the CLI and API translate."""


class RagError(Exception):
    """Base of every error this package raises on purpose."""


class InputError(RagError):
    """A file, argument or request the user gave cannot be used as it is."""


class NotFoundError(RagError):
    """A document, chunk or model the user named does not exist."""


class IndexMismatchError(RagError):
    """An index was built with another embedder or format than the one now configured."""


class IndexDamagedError(IndexMismatchError):
    """The index files on disk do not match their manifest (damaged, truncated or edited): rebuild them
    from the store. A subclass of IndexMismatchError because callers treat both alike: refuse, rebuild."""


class StoreDamagedError(RagError):
    """The SQLite store (the source of truth) cannot be read; the index cannot be rebuilt without it."""


class BusyError(RagError):
    """Another process is writing the same index (a second `rag index`, or an upload in the server)."""


class BackendError(RagError):
    """A model or server we depend on failed (LLM, embedder)."""


class ReadOnlyError(RagError):
    """The index folder cannot be written (a read-only mount, snapshot or volume): reading works, writing
    (indexing, uploads, removals) cannot."""


class DiskFullError(RagError):
    """The disk holding the index filled up during a write; what was live before stays live."""
