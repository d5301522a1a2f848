"""Retrieval: BM25 and dense rankings, place and quoted-phrase rankings, fused."""

import lazy_loader

# each name loads its module on first use (PEP 562), so importing one module of the package
# (or the package itself) does not pull in its heavier siblings
__getattr__, __dir__, __all__ = lazy_loader.attach(__name__, submod_attrs={
    "fusion": ["rrf", "score_fusion"],
    "retrieve": ["Retriever"],
})
