"""What every stage shares: the records passed between stages, the errors, the one Settings, limits,
text and token helpers, places, and file-system helpers."""

from rag.core.errors import (
    BackendError,
    BusyError,
    DiskFullError,
    IndexDamagedError,
    IndexMismatchError,
    InputError,
    NotFoundError,
    RagError,
    ReadOnlyError,
    StoreDamagedError,
)
from rag.core.records import (
    Answer,
    Chunk,
    Citation,
    Document,
    Filters,
    Hit,
    Metadata,
    Paragraph,
    RawText,
    content_hash,
    letter_name,
    section_label,
)
from rag.core.settings import ANSWER_MODES, PROJECT_ROOT, RETRIEVAL_MODES, Settings, get_settings

__all__ = [
    "ANSWER_MODES", "PROJECT_ROOT", "RETRIEVAL_MODES", "Answer", "BackendError", "BusyError", "Chunk", "Citation",
    "DiskFullError", "Document", "Filters", "Hit", "IndexDamagedError", "IndexMismatchError", "InputError",
    "Metadata", "NotFoundError", "Paragraph", "RagError", "RawText", "ReadOnlyError", "Settings", "StoreDamagedError",
    "content_hash", "get_settings", "letter_name", "section_label",
]
