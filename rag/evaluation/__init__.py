"""`rag eval`: BEIR-shaped metrics, the QA file, scoring a pipeline on it, and the reports."""

from rag.evaluation.evaluate import PRIMARY, Outcome, QAItem, evaluate, load_qa, summarize

__all__ = ["PRIMARY", "Outcome", "QAItem", "evaluate", "load_qa", "summarize"]
