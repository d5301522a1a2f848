"""Drafting a reply from precedent: the proposal's themes, precedent paragraphs per theme with another
place's facts marked, an optional LLM rewrite, the letter as Markdown (.docx in rag.draft.docx)."""

from rag.draft.compose import draft, render_markdown
from rag.draft.records import Draft, DraftParagraph, DraftRequest, DraftSection, Searcher

__all__ = ["Draft", "DraftParagraph", "DraftRequest", "DraftSection", "Searcher", "draft", "render_markdown"]
