"""Embedding: the Embedder role, one batching embedder over a torch or ONNX backend, the factory that picks
them from settings, and (apart from the embedder) the offline e5 build and the ONNX export."""

import lazy_loader

# each name loads its module on first use (PEP 562), so importing one module of the package
# (or the package itself) does not pull in its heavier siblings
__getattr__, __dir__, __all__ = lazy_loader.attach(__name__, submod_attrs={
    "base": ["Embedder", "Encoder", "Role"],
    "embedder": ["SentenceTransformerEmbedder", "model_fingerprint"],
    "factory": ["get_embedder", "resolve_backend"],
})
