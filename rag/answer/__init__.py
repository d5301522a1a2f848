"""Answering: the Answerer role, question analysis, the extractive answerer (default, no LLM), citations,
the Generator role (llama.cpp or an OpenAI-compatible server) and the LLM answerer on top of it."""

import lazy_loader

# each name loads its module on first use (PEP 562), so importing one module of the package
# (or the package itself) does not pull in its heavier siblings
__getattr__, __dir__, __all__ = lazy_loader.attach(__name__, submod_attrs={
    "base": ["NOT_FOUND", "AnswerEvent", "Answerer", "refusal"],
    "cite": ["make_citation"],
    "extractive": ["ExtractiveAnswerer"],
    "generate": ["Generator", "get_generator"],
    "question": ["Question", "analyse"],
})
