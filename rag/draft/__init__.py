"""Drafting a reply from precedent: the proposal's demands, one section each from the precedent paragraphs
that speak to it (whole thoughts, the drafting bureau's voice, another place's facts marked), an optional
LLM rewrite, the letter as Markdown (.docx in rag.draft.docx); rag.draft.check counts what is left to fix."""

import lazy_loader

# each name loads its module on first use (PEP 562), so importing one module of the package
# (or the package itself) does not pull in its heavier siblings
__getattr__, __dir__, __all__ = lazy_loader.attach(__name__, submod_attrs={
    "compose": ["draft", "render_markdown"],
    "records": ["Draft", "DraftParagraph", "DraftRequest", "DraftSection", "Searcher"],
})
