"""Retrieval: BM25 and dense rankings, place and quoted-phrase rankings, fused; follow-up questions resolved."""

from rag.search.followup import is_follow_up, resolve
from rag.search.fusion import rrf, score_fusion
from rag.search.retrieve import Retriever, quoted_phrases

__all__ = ["Retriever", "is_follow_up", "quoted_phrases", "resolve", "rrf", "score_fusion"]
