"""Chunking: outline-respecting retrieval units. Pure functions.

Rules: a chunk never spans two sections (or meta and body text); short neighbouring paragraphs of one
section are packed together up to `max_chars`; a long paragraph is split at sentence ends (。；！？), and a
sentence longer than `max_chars` at a comma or space near the limit (else at the limit), so no piece of
a paragraph is longer than `max_chars` characters.
The chunk text is verbatim paragraph text joined by newlines.
"""

from __future__ import annotations

from collections.abc import Iterator

from rag.core.records import Chunk, Document, Paragraph, content_hash
from rag.core.text import split_sentences

_SOFT_BREAKS = "，、：,: \t\u3000"  # where a sentence may be cut when it alone is longer than a chunk


def chunk_document(doc: Document, max_chars: int = 320) -> list[Chunk]:
    header_base = " · ".join(x for x in (doc.meta.bureau, doc.meta.doc_number) if x)
    chunks: list[Chunk] = []
    for group in _groups(doc.letter_paragraphs):
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
    """Split one paragraph at sentence ends into pieces of at most max_chars. A sentence longer than that
    (a 160 KB paragraph without 。) is cut at a comma or space near the limit, else at the limit itself."""
    if len(text) <= max_chars:
        return [text]
    pieces: list[str] = []
    cur = ""
    for sent in split_sentences(text):
        for part in _hard_split(sent, max_chars):
            if cur and len(cur) + len(part) > max_chars:
                pieces.append(cur)
                cur = ""
            cur += part
    if cur:
        pieces.append(cur)
    return pieces


def _hard_split(sentence: str, max_chars: int) -> list[str]:
    """`sentence` in pieces of at most max_chars, each ending at the last soft break (，、：, or a space) in
    the second half of its window when there is one; verbatim, nothing dropped."""
    parts: list[str] = []
    pos = 0
    while len(sentence) - pos > max_chars:
        window = sentence[pos : pos + max_chars]
        cut = max(window.rfind(c) for c in _SOFT_BREAKS) + 1  # after the break character
        if cut <= max_chars // 2:
            cut = max_chars
        parts.append(window[:cut])
        pos += cut
    parts.append(sentence[pos:])
    return parts


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
