"""The Milvus backend's four collections (rag/index/milvus.py says what each holds): fields, BM25 functions,
analyzers and indexes, created once by the first write to a new collection name; and the rows they hold read
back into records, and the expression literals that select them."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rag.core.errors import InputError
from rag.core.records import Chunk, Document, Metadata, Paragraph

if TYPE_CHECKING:
    from pymilvus import MilvusClient

STRONG = "Strong"
VARCHAR_MAX = 65_535  # Milvus's limit, in bytes
# BM25 analyzers. `tokens` holds our tokenizer's output joined by spaces: milvus-lite's `standard` analyzer splits it
# on the spaces (\w+ keeps each Chinese word whole); on a Milvus >= 2.5 cluster use {"tokenizer": "whitespace"}.
TOKENS_ANALYZER: dict[str, Any] = {"tokenizer": "standard"}
DUMMY = [1.0, 0.0]  # the 2-d vector of collections that need no vector (Milvus wants one in every collection)


def jieba_analyzer(user_words: Sequence[str], stop_words: Sequence[str]) -> dict[str, Any]:
    """Milvus's jieba analyzer with our domain words and stop words ("_default_" keeps jieba's own dictionary)."""
    return {"tokenizer": {"type": "jieba", "mode": "search", "dict": ["_default_", *user_words]},
            "filter": [{"type": "stop", "stop_words": list(stop_words)}]}


def create_collections(c: MilvusClient, names: Mapping[str, str], dim: int, analyzer: dict[str, Any],
                       bm25: Mapping[str, float]) -> None:
    """Create the chunks, letters, paragraphs and state collections (`names` by role) for vectors of `dim`."""
    from pymilvus import DataType, Function, FunctionType

    def schema(pk: str, pk_len: int = 128) -> Any:
        s = c.create_schema(auto_id=False, enable_dynamic_field=False)
        s.add_field(pk, DataType.VARCHAR, is_primary=True, max_length=pk_len)
        return s

    def text(s: Any, *fields: str, n: int = VARCHAR_MAX) -> None:
        for name in fields:
            s.add_field(name, DataType.VARCHAR, max_length=n)

    def filters(s: Any) -> None:  # the metadata filters can use natively (bureau like, year ==)
        s.add_field("doc_id", DataType.VARCHAR, max_length=128)
        text(s, "bureau", "doc_number", n=1024)
        s.add_field("year", DataType.INT64, nullable=True)

    def dummy(s: Any) -> Any:
        s.add_field("v", DataType.FLOAT_VECTOR, dim=len(DUMMY))
        p = c.prepare_index_params()
        p.add_index("v", index_type="FLAT", metric_type="IP")
        return p

    s = schema("id")
    filters(s)
    s.add_field("idx", DataType.INT64)
    text(s, "paragraph_ids", "section", "section_title", "header", "text")
    s.add_field("search_text", DataType.VARCHAR, max_length=VARCHAR_MAX, enable_analyzer=True,
                analyzer_params=analyzer)
    s.add_field("tokens", DataType.VARCHAR, max_length=VARCHAR_MAX, enable_analyzer=True,
                analyzer_params=TOKENS_ANALYZER)
    text(s, "embed_key", "model", n=256)
    s.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
    s.add_field("sparse_jieba", DataType.SPARSE_FLOAT_VECTOR)
    s.add_field("sparse_tokens", DataType.SPARSE_FLOAT_VECTOR)
    s.add_function(Function(name="bm25_jieba", function_type=FunctionType.BM25,
                            input_field_names=["search_text"], output_field_names=["sparse_jieba"]))
    s.add_function(Function(name="bm25_tokens", function_type=FunctionType.BM25,
                            input_field_names=["tokens"], output_field_names=["sparse_tokens"]))
    p = c.prepare_index_params()
    # exact inner product over L2-normalised vectors (= cosine), as the embedded backend's flat index; a
    # cluster with millions of chunks would pick HNSW here (README "Scaling out")
    p.add_index("vector", index_type="FLAT", metric_type="IP")
    for f in ("sparse_jieba", "sparse_tokens"):
        params = {"bm25_k1": bm25["k1"], "bm25_b": bm25["b"]}
        p.add_index(f, index_type="SPARSE_INVERTED_INDEX", metric_type="BM25", **params)
        # pymilvus sends those as flat keys, which a cluster reads; milvus-lite 3.2 reads only the legacy
        # `params` JSON key (a cluster's proxy also unpacks it), and add_index cannot send that key itself
        p[-1]._configs["params"] = params
    c.create_collection(names["chunks"], schema=s, index_params=p, consistency_level=STRONG)

    s = schema("doc_id")
    text(s, "source", "sha256", "fmt", "encoding", "meta", "added_at", n=VARCHAR_MAX)
    text(s, "bureau", "doc_number", n=1024)
    s.add_field("year", DataType.INT64, nullable=True)
    s.add_field("paragraphs", DataType.INT64)
    c.create_collection(names["letters"], schema=s, index_params=dummy(s), consistency_level=STRONG)

    s = schema("id", 256)
    s.add_field("doc_id", DataType.VARCHAR, max_length=128)
    s.add_field("idx", DataType.INT64)
    s.add_field("ordinal", DataType.INT64)
    text(s, "text", "section", "section_title", "kind")
    c.create_collection(names["paragraphs"], schema=s, index_params=dummy(s), consistency_level=STRONG)

    s = schema("name")
    text(s, "value")
    c.create_collection(names["state"], schema=s, index_params=dummy(s), consistency_level=STRONG)


def literal(value: object) -> str:
    """A Milvus expression literal: JSON's quoting is the expression grammar's (milvus-lite 3.2 has no templates)."""
    return json.dumps(value, ensure_ascii=False)


PARA_FIELDS = ["id", "doc_id", "idx", "text", "section", "section_title", "ordinal", "kind"]
CHUNK_FIELDS = ["id", "doc_id", "idx", "paragraph_ids", "section", "section_title", "header", "text"]


def check_fits(doc: Document, texts: Sequence[str]) -> None:
    for t in texts:
        if len(t.encode("utf-8")) > VARCHAR_MAX:
            raise InputError(f"{doc.source}: one paragraph or the metadata is longer than Milvus stores in one field "
                             f"({VARCHAR_MAX} bytes); split the letter into paragraphs (blank lines) and add it again")


def meta_of(s: str) -> Metadata:
    d = json.loads(s)
    d["copy_to"] = tuple(d.get("copy_to") or ())
    return Metadata(**d)


def paragraph_of(r: dict[str, Any]) -> Paragraph:
    return Paragraph(id=r["id"], doc_id=r["doc_id"], index=int(r["idx"]), text=r["text"],
                     section=tuple(json.loads(r["section"])), section_title=r["section_title"],
                     ordinal=int(r["ordinal"]), kind=r["kind"])


def chunk_of(r: dict[str, Any]) -> Chunk:
    return Chunk(id=r["id"], doc_id=r["doc_id"], index=int(r["idx"]),
                 paragraph_ids=tuple(json.loads(r["paragraph_ids"])), section=tuple(json.loads(r["section"])),
                 section_title=r["section_title"], header=r["header"], text=r["text"])


def doc_filter(doc_ids: Sequence[str] | None) -> str:
    """The Milvus filter expression restricting a search to these letters ("" = all)."""
    return "" if doc_ids is None else f"doc_id in {literal(sorted(doc_ids))}"
