"""One small exception hierarchy. Messages name the bad value and the fix; the CLI and API translate."""


class RagError(Exception):
    """Base of every error this package raises on purpose."""


class InputError(RagError):
    """A file, argument or request the user gave cannot be used as it is."""


class NotFoundError(RagError):
    """A document, chunk or model the user named does not exist."""


class IndexMismatchError(RagError):
    """An index was built with another embedder or format than the one now configured."""


class BackendError(RagError):
    """A model or server we depend on failed (LLM, embedder)."""
