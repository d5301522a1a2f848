"""Drafting a reply from precedent: the proposal's demands, one section each from the precedent paragraphs
that speak to it (whole thoughts, the drafting bureau's voice, another place's facts marked), an optional
LLM rewrite, the letter as Markdown (.docx in rag.draft.docx); rag.draft.check counts what is left to fix."""

from rag.draft.compose import draft, render_markdown
from rag.draft.records import Draft, DraftParagraph, DraftRequest, DraftSection, Searcher

__all__ = ["Draft", "DraftParagraph", "DraftRequest", "DraftSection", "Searcher", "draft", "render_markdown"]
