"""Chunking: outline-respecting retrieval units. Pure functions.

Rules: a chunk never spans two sections (or meta and body text); short neighbouring paragraphs of one
section are packed together up to `max_chars`; a long paragraph is split at sentence ends (。；！？).
The chunk text is verbatim paragraph text joined by newlines.
"""

from __future__ import annotations

from collections.abc import Iterator

from rag.core.records import Chunk, Document, Paragraph, content_hash
from rag.core.text import split_sentences


def chunk_document(doc: Document, max_chars: int = 320) -> list[Chunk]:
    header_base = " · ".join(x for x in (doc.meta.bureau, doc.meta.doc_number) if x)
    chunks: list[Chunk] = []
    for group in _groups(doc.paragraphs):
        for pieces in _pack(group, max_chars):
            first = group[0]
            title = first.section_title
            header = " · ".join(x for x in (header_base, title) if x)
            text = "\n".join(t for _, t in pieces)
            pids = tuple(dict.fromkeys(p.id for p, _ in pieces))
            chunks.append(
                Chunk(
                    id=content_hash(doc.doc_id, header, text),
                    doc_id=doc.doc_id,
                    index=len(chunks),
                    paragraph_ids=pids,
                    section=first.section,
                    section_title=title,
                    header=header,
                    text=text,
                )
            )
    return chunks


def _groups(paragraphs: tuple[Paragraph, ...]) -> Iterator[list[Paragraph]]:
    """Runs of consecutive paragraphs that may share a chunk: same section, same meta-ness."""
    run: list[Paragraph] = []
    for p in paragraphs:
        if run and (p.section != run[-1].section or (p.kind == "meta") != (run[-1].kind == "meta")):
            yield run
            run = []
        run.append(p)
    if run:
        yield run


def split_long(text: str, max_chars: int) -> list[str]:
    """Split one paragraph at sentence ends into pieces of at most ~max_chars (a single longer
    sentence stays whole: cutting inside a sentence would break quotes)."""
    if len(text) <= max_chars:
        return [text]
    pieces: list[str] = []
    cur = ""
    for sent in split_sentences(text):
        if cur and len(cur) + len(sent) > max_chars:
            pieces.append(cur)
            cur = ""
        cur += sent
    if cur:
        pieces.append(cur)
    return pieces


def _pack(group: list[Paragraph], max_chars: int) -> Iterator[list[tuple[Paragraph, str]]]:
    cur: list[tuple[Paragraph, str]] = []
    size = 0
    for p in group:
        for piece in split_long(p.text, max_chars):
            if cur and size + len(piece) > max_chars:
                yield cur
                cur, size = [], 0
            cur.append((p, piece))
            size += len(piece)
    if cur:
        yield cur
