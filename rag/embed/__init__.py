"""Embedding: the Embedder role, one batching embedder over a torch or ONNX backend, the factory that picks
them from settings, and (apart from the embedder) the offline e5 build and the ONNX export."""

from rag.embed.base import Embedder, Encoder, Role
from rag.embed.embedder import SentenceTransformerEmbedder, model_fingerprint
from rag.embed.factory import get_embedder, resolve_backend

__all__ = ["Embedder", "Encoder", "Role", "SentenceTransformerEmbedder", "get_embedder", "model_fingerprint",
           "resolve_backend"]
