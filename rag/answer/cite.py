"""Turning a quote from a retrieved chunk into a Citation that points at the exact paragraph."""

from __future__ import annotations

from rag.core.records import Citation, Hit
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
