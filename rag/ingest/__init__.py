"""Ingestion, in data-path order: load (bytes → text) → clean → structure and metadata → chunk → store."""

from rag.ingest.chunk import chunk_document
from rag.ingest.clean import clean_text
from rag.ingest.ingestor import UPLOAD_PREFIX, Ingestor, Report, doc_id_for
from rag.ingest.load import SUPPORTED_SUFFIXES, read_bytes, read_file
from rag.ingest.structure import parse_document

__all__ = ["SUPPORTED_SUFFIXES", "UPLOAD_PREFIX", "Ingestor", "Report", "chunk_document", "clean_text",
           "doc_id_for", "parse_document", "read_bytes", "read_file"]
