"""Turning a quote from a retrieved chunk into a Citation that points at the exact paragraph."""

from __future__ import annotations

from rag.core.records import Citation, Document, Hit, Paragraph
from rag.core.text import contains


def make_citation(hit: Hit, quote: str) -> Citation | None:
    """Cite `quote` from `hit`, or None when no paragraph of the hit really contains it.

    The check is whitespace-insensitive (letters carry PDF-style spaces) but otherwise verbatim: a
    citation whose quote is not in its paragraph is never produced.
    """
    for para in hit.paragraphs:
        if contains(para.text, quote):
            return Citation(
                doc_id=hit.chunk.doc_id,
                bureau=hit.meta.bureau,
                doc_number=hit.meta.doc_number,
                date=hit.meta.date,
                section="".join(para.section),
                paragraph=para.id,
                quote=quote,
                ordinal=para.ordinal,
            )
    return None


def cite_paragraph(doc: Document, para: Paragraph, quote: str) -> Citation:
    """Cite `quote` from a paragraph of a whole letter (answers about the letter itself); the quote must be
    in the paragraph, as for every citation."""
    if not contains(para.text, quote):
        raise ValueError(f"quote {quote[:20]!r} is not in paragraph {para.id}")
    m = doc.meta
    return Citation(doc_id=doc.doc_id, bureau=m.bureau, doc_number=m.doc_number, date=m.date,
                    section="".join(para.section), paragraph=para.id, quote=quote, ordinal=para.ordinal)
