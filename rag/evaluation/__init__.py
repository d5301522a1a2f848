"""`rag eval`: BEIR-shaped metrics, the QA file, scoring a pipeline on it, and the reports."""

import lazy_loader

# each name loads its module on first use (PEP 562), so importing one module of the package
# (or the package itself) does not pull in its heavier siblings
__getattr__, __dir__, __all__ = lazy_loader.attach(__name__, submod_attrs={
    "evaluate": ["PRIMARY", "Outcome", "QAItem", "evaluate", "load_qa", "summarize"],
})
