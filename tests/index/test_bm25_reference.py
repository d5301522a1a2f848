"""Our BM25 (bm25s, Lucene variant, over our jieba tokens) against rank_bm25 on the real corpus.

The two do not compute the same numbers, so rankings are compared with thresholds, and the scores are
checked exactly where the formulas can be made to agree:

* rank_bm25's BM25Okapi: idf = log((N - df + 0.5) / (df + 0.5)), and a term in more than half the chunks
  (negative idf) gets epsilon × the mean idf instead; tf part = tf (k1 + 1) / (tf + k1 (1 - b + b dl / avgdl)).
* bm25s "lucene" (ours): idf = log(1 + (N - df + 0.5) / (df + 0.5)), always > 0; tf part without (k1 + 1).
* bm25s "robertson": BM25Okapi's idf, clamped at 0 where it would be negative, and the tf part without
  (k1 + 1). So robertson × (k1 + 1) equals BM25Okapi with epsilon=0 exactly (up to float32).

Measured on the 20 questions below (k1 = 1.2, b = 0.75 for both): top-1 agreement 0.95, mean top-5 overlap
0.90. The thresholds sit a little below that.
"""

from __future__ import annotations

import math
from collections import Counter

import bm25s
import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from rag.index import generation as index_mod
from rag.evaluation.evaluate import load_qa
from rag.pipeline import Pipeline
from rag.core.settings import PROJECT_ROOT, Settings
from rag.index.sparse import BM25Index

pytestmark = pytest.mark.reference

_DEFAULTS = Settings(_env_file=None)
K1, B = _DEFAULTS.bm25_k1, _DEFAULTS.bm25_b  # what the pipeline builds its index with
TOP1_MIN = 0.90
OVERLAP5_MIN = 0.85


@pytest.fixture(scope="module")
def chunk_tokens(corpus_pipeline: Pipeline) -> list[list[str]]:
    return [toks for _, toks in corpus_pipeline.store.all_chunks()]


@pytest.fixture(scope="module")
def ours(corpus_pipeline: Pipeline) -> BM25Index:
    """The BM25 index the pipeline actually searches."""
    return index_mod.load(corpus_pipeline.settings.index_dir, None).sparse


@pytest.fixture(scope="module")
def queries(corpus_pipeline: Pipeline) -> list[list[str]]:
    """About 20 real questions spread over the QA set (every fifth answerable one), as our tokens."""
    items = [it for it in load_qa(PROJECT_ROOT / "eval" / "data" / "qa.jsonl") if it.evidence][::5][:20]
    assert len(items) == 20
    return [corpus_pipeline.tokenizer.tokens(it.question) for it in items]


def test_rankings_agree_with_rank_bm25(ours: BM25Index, chunk_tokens: list[list[str]],
                                       queries: list[list[str]]) -> None:
    reference = BM25Okapi(chunk_tokens, k1=K1, b=B)
    top1, overlap = [], []
    for q in queries:
        mine = [r for r, _ in ours.search(q, 5)]
        theirs = list(np.argsort(-reference.get_scores(q), kind="stable")[:5])
        assert len(mine) == 5
        top1.append(mine[0] == theirs[0])
        overlap.append(len(set(mine) & set(theirs)) / 5)
    agree, mean_overlap = float(np.mean(top1)), float(np.mean(overlap))
    print(f"\nBM25 vs rank_bm25 on {len(queries)} questions: top-1 agreement {agree:.2f}, "
          f"mean top-5 overlap {mean_overlap:.2f}")
    assert agree >= TOP1_MIN
    assert mean_overlap >= OVERLAP5_MIN


def test_robertson_equals_rank_bm25_without_epsilon(chunk_tokens: list[list[str]], queries: list[list[str]]) -> None:
    robertson = bm25s.BM25(method="robertson", k1=K1, b=B)
    robertson.index(chunk_tokens, show_progress=False)
    okapi = BM25Okapi(chunk_tokens, k1=K1, b=B, epsilon=0.0)
    common = {t for t, idf in okapi.idf.items() if idf <= 0}  # terms in at least half of the chunks
    assert common & {t for q in queries for t in q}  # so the clamping is exercised
    for q in queries:
        known = [t for t in q if t in robertson.vocab_dict]
        np.testing.assert_allclose(robertson.get_scores(known) * (K1 + 1), okapi.get_scores(q), rtol=1e-5, atol=1e-6)


def test_our_scores_are_the_lucene_formula(ours: BM25Index, chunk_tokens: list[list[str]],
                                           queries: list[list[str]]) -> None:
    """Exact check of the scores we rank by, from the corpus statistics counted independently."""
    n = len(chunk_tokens)
    counts = [Counter(doc) for doc in chunk_tokens]
    df = Counter(t for doc in counts for t in doc)
    lengths = np.array([len(doc) for doc in chunk_tokens], dtype=np.float64)
    avgdl = lengths.mean()
    for q in queries:
        expected = np.zeros(n)
        for t in q:  # repeated query tokens count each time, as in bm25s and rank_bm25
            if t not in df:
                continue
            idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
            tf = np.array([c[t] for c in counts], dtype=np.float64)
            expected += idf * tf / (tf + K1 * (1 - B + B * lengths / avgdl))
        np.testing.assert_allclose(ours.scores(q), expected, rtol=1e-5, atol=1e-6)
