"""Answering: the Answerer role, question analysis, the extractive answerer (default, no LLM), citations,
the Generator role (llama.cpp or an OpenAI-compatible server) and the LLM answerer on top of it."""

from rag.answer.base import NOT_FOUND, Answerer, AnswerEvent, refusal
from rag.answer.cite import make_citation
from rag.answer.extractive import ExtractiveAnswerer
from rag.answer.generate import Generator, get_generator
from rag.answer.question import Question, analyse

__all__ = ["NOT_FOUND", "AnswerEvent", "Answerer", "ExtractiveAnswerer", "Generator", "Question", "analyse",
           "get_generator", "make_citation", "refusal"]
