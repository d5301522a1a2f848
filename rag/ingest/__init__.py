"""Ingestion, in data-path order: load (bytes → text) → clean → structure and metadata → chunk → store."""

import lazy_loader

# each name loads its module on first use (PEP 562), so importing one module of the package
# (or the package itself) does not pull in its heavier siblings
__getattr__, __dir__, __all__ = lazy_loader.attach(__name__, submod_attrs={
    "chunk": ["chunk_document"],
    "clean": ["clean_text"],
    "ingestor": ["UPLOAD_PREFIX", "Ingestor", "Report", "doc_id_for"],
    "load": ["SUPPORTED_SUFFIXES", "read_bytes", "read_file"],
    "structure": ["parse_document"],
})
