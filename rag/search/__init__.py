"""Retrieval: BM25 and dense rankings, place and quoted-phrase rankings, fused."""

from rag.search.fusion import rrf, score_fusion
from rag.search.retrieve import Retriever

__all__ = ["Retriever", "rrf", "score_fusion"]
