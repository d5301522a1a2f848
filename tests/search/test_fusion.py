import math
from types import SimpleNamespace

import pytest

from rag.index.sparse import BM25Index
from rag.pipeline import Pipeline
from rag.search.fusion import (
    AGREEMENT_DEPTH,
    agreement_confidence,
    coverage,
    idf,
    lexical_confidence,
    rrf,
    score_fusion,
)
from rag.search.retrieve import Retriever
from tests.conftest import FakeEmbedder


def test_rrf_hand_computed() -> None:
    fused = rrf({"bm25": [1, 2, 3], "dense": [3, 1]}, k=60)
    scores = {i: s for i, s, _ in fused}
    assert scores[1] == 1 / 61 + 1 / 62
    assert scores[3] == 1 / 63 + 1 / 61
    assert scores[2] == 1 / 62
    assert [i for i, _, _ in fused] == [1, 3, 2]
    assert fused[0][2] == {"bm25": 1, "dense": 2}


def test_rrf_weights() -> None:
    fused = rrf({"bm25": [1, 2], "dense": [2, 1]}, weights={"bm25": 2.0, "dense": 1.0}, k=10)
    assert [i for i, _, _ in fused] == [1, 2]
    assert fused[0][1] == 2.0 / 11 + 1.0 / 12
    # a weight of 0 keeps the ranks visible but gives no votes
    muted = rrf({"bm25": [1, 2], "dense": [2]}, weights={"bm25": 0.0}, k=10)
    assert [i for i, _, _ in muted] == [2, 1] and muted[1] == (1, 0.0, {"bm25": 1})


def test_rrf_empty() -> None:
    assert rrf({}) == []
    assert rrf({"bm25": []}) == []


def test_score_fusion_hand_computed() -> None:
    fused = score_fusion({"bm25": [(1, 9.0), (2, 5.0), (3, 1.0)], "dense": [(3, 0.9), (1, 0.7)]},
                         weights={"bm25": 1.0, "dense": 0.5})
    scores = {i: s for i, s, _ in fused}
    assert scores == {1: 1.0 + 0.0, 2: 0.5, 3: 0.0 + 0.5}
    assert [i for i, _, _ in fused] == [1, 2, 3]  # ties keep the order of first appearance
    assert fused[0][2] == {"bm25": 1, "dense": 2}


def test_score_fusion_keeps_a_wide_lead_that_rrf_loses() -> None:
    """Item 1 is far ahead in bm25 and absent from dense; 2 and 3 sit in the middle of both lists."""
    lists = {"bm25": [(1, 20.0), (2, 6.0), (3, 5.5), (4, 1.0)],
             "dense": [(5, 0.90), (6, 0.85), (2, 0.70), (3, 0.69), (7, 0.50)]}
    by_rank = [i for i, _, _ in rrf({n: [i for i, _ in v] for n, v in lists.items()})]
    assert by_rank.index(2) < by_rank.index(3) < by_rank.index(1)
    by_score = [i for i, _, _ in score_fusion(lists)]
    assert by_score.index(1) < by_score.index(2) < by_score.index(3)


def test_score_fusion_flat_and_empty_lists() -> None:
    assert score_fusion({}) == [] and score_fusion({"bm25": []}) == []
    assert score_fusion({"phrase": [(4, 1.0), (5, 1.0)]}) == [(4, 1.0, {"phrase": 1}), (5, 1.0, {"phrase": 2})]


def test_idf_is_lucene_bm25s_and_rarer_is_higher() -> None:
    got = idf([0, 1, 3], 3)
    assert got == pytest.approx([math.log(1 + 3.5 / 0.5), math.log(1 + 2.5 / 1.5), math.log(1 + 0.5 / 3.5)])
    assert got[0] > got[1] > got[2] > 0


def test_coverage_is_the_share_of_term_weight_present() -> None:
    assert coverage([2.0, 1.0, 1.0], [True, False, True]) == 0.75
    assert coverage([2.0, 1.0], [False, False]) == 0.0
    assert coverage([], []) == 0.0 and coverage([0.0], [True]) == 0.0


def test_lexical_confidence_scales_only_the_lists_it_has_a_coverage_for() -> None:
    got = lexical_confidence({"bm25": 1.0, "bm25@place": 2.0, "dense": 1.0, "phrase": 1.0},
                             {"bm25": 0.25, "bm25@place": 0.5})
    assert got == {"bm25": 0.25, "bm25@place": 1.0, "dense": 1.0, "phrase": 1.0}


def test_adaptive_weights_follow_dense_when_bm25_matched_filler_and_bm25_when_it_matched_the_question() -> None:
    """Passage 1 shares only common words with the question; dense ranks passage 2 (the answer) first."""
    filler = {"bm25": [(1, 6.0), (2, 5.0), (3, 1.0)], "dense": [(2, 0.91), (1, 0.90), (3, 0.85)]}
    plain = [i for i, _, _ in score_fusion(filler)]
    assert plain[0] == 1  # min-max gives BM25's weak top the same 1 as a strong one
    adaptive = [i for i, _, _ in score_fusion(filler, lexical_confidence({"bm25": 1.0, "dense": 1.0}, {"bm25": 0.2}))]
    assert adaptive[0] == 2
    # the same lists, but BM25's top holds every rare term of the question: BM25 keeps its say
    full = [i for i, _, _ in score_fusion(filler, lexical_confidence({"bm25": 1.0, "dense": 1.0}, {"bm25": 1.0}))]
    assert full == plain


def test_retriever_coverage_reads_document_frequencies_from_the_bm25_postings() -> None:
    rows = [["温州", "养老", "机构"], ["疫情", "企业"], ["疫情", "养老"], ["疫情", "企业", "政策"]]
    gen = SimpleNamespace(sparse=BM25Index.build(rows, ["a", "b", "c", "d"]))
    w = {"温州": math.log(1 + 3.5 / 1.5), "养老": math.log(1 + 2.5 / 2.5), "疫情": math.log(1 + 1.5 / 3.5)}
    q = ["温州", "养老", "疫情", "鹿城", "养老"]  # a repeated term counts once; 鹿城 is in no chunk: left out
    total = sum(w.values())
    assert Retriever._coverage(gen, q, 0) == pytest.approx((w["温州"] + w["养老"]) / total)
    assert Retriever._coverage(gen, q, 1) == pytest.approx(w["疫情"] / total)
    assert Retriever._coverage(gen, q, 2) == pytest.approx((w["养老"] + w["疫情"]) / total)


def test_adaptive_hybrid_is_score_fusion_with_bm25_weighted_by_its_top_coverage(corpus_pipeline: Pipeline) -> None:
    """On the real letters: one BM25 and one dense list (no place named, no quotes), so adaptive must equal
    score fusion run with RAG_WEIGHT_BM25 set to the coverage of BM25's top chunk."""
    q = "残疾老人护理补贴发给谁？"
    base = corpus_pipeline.settings.model_copy(update={"place_boost": 0.0})
    r = Pipeline(base, embedder=FakeEmbedder()).retriever
    gen = r._current().gen
    tokens = r.tokenizer.tokens(q)
    cov = Retriever._coverage(gen, tokens, gen.sparse.search(tokens, 1)[0][0])
    assert 0 < cov < 1

    def run(**update: object) -> list[tuple[str, float]]:
        p = Pipeline(base.model_copy(update=update), embedder=FakeEmbedder())
        return [(h.chunk.id, h.score) for h in p.search(q, k=10, mode="hybrid")]

    adaptive, manual, plain = run(fusion="adaptive"), run(weight_bm25=cov), run()
    assert [i for i, _ in adaptive] == [i for i, _ in manual]
    assert [s for _, s in adaptive] == pytest.approx([s for _, s in manual])
    assert [s for _, s in adaptive] != pytest.approx([s for _, s in plain])


def test_whole_question_coverage_counts_terms_no_chunk_holds_and_reads_the_chunk_text() -> None:
    """`coverage` fusion: 鹿城 is in no chunk's tokens, so it weighs as a term of document frequency 0 (the
    question's most specific word); a chunk whose text says it verbatim (a name jieba cut differently when
    indexing) holds it."""
    rows = [["温州", "养老", "机构"], ["疫情", "企业"], ["疫情", "养老"], ["疫情", "企业", "政策"]]
    gen = SimpleNamespace(sparse=BM25Index.build(rows, ["a", "b", "c", "d"]))
    w = {"温州": math.log(1 + 3.5 / 1.5), "养老": math.log(1 + 2.5 / 2.5), "疫情": math.log(1 + 1.5 / 3.5),
         "鹿城": math.log(1 + 4.5 / 0.5)}
    q = ["温州", "养老", "疫情", "鹿城", "养老"]
    total = sum(w.values())
    assert Retriever._coverage(gen, q, 0, None, True) == pytest.approx((w["温州"] + w["养老"]) / total)
    assert Retriever._coverage(gen, q, 0, "鹿城区 温州市养老机构", True) == pytest.approx(
        (w["温州"] + w["养老"] + w["鹿城"]) / total)
    # the text also counts a term that is indexed elsewhere but not among this chunk's tokens
    assert Retriever._coverage(gen, q, 1, "疫情期间企业养老", True) == pytest.approx((w["疫情"] + w["养老"]) / total)
    # `adaptive` as before: the unindexed term left out, the text not read
    assert Retriever._coverage(gen, q, 0) == pytest.approx((w["温州"] + w["养老"]) / (total - w["鹿城"]))


def test_coverage_hybrid_weights_bm25_by_the_whole_question_its_top_chunk_holds(corpus_pipeline: Pipeline) -> None:
    """On the real letters: `coverage` is score fusion with RAG_WEIGHT_BM25 set to the share of the whole
    question (申领 and 流程 included, which no letter's tokens hold) that BM25's top chunk says; `adaptive`
    leaves them out and weights BM25 more."""
    q = "残疾老人护理补贴的申领流程是什么？"
    base = corpus_pipeline.settings.model_copy(update={"place_boost": 0.0})
    r = Pipeline(base, embedder=FakeEmbedder()).retriever
    gen = r._current().gen
    tokens = r.tokenizer.tokens(q)
    top = gen.sparse.search(tokens, 1)[0][0]
    text = r.store.chunk_texts([gen.ids[top]])[gen.ids[top]]
    whole, indexed = Retriever._coverage(gen, tokens, top, text, True), Retriever._coverage(gen, tokens, top)
    assert 0 < whole < indexed < 1

    def run(**update: object) -> list[tuple[str, float]]:
        p = Pipeline(base.model_copy(update=update), embedder=FakeEmbedder())
        return [(h.chunk.id, h.score) for h in p.search(q, k=10, mode="hybrid")]

    got, manual = run(fusion="coverage"), run(weight_bm25=whole)
    assert [i for i, _ in got] == [i for i, _ in manual]
    assert [s for _, s in got] == pytest.approx([s for _, s in manual])
    assert [s for _, s in got] != pytest.approx([s for _, s in run(fusion="adaptive")])


def test_agreement_keeps_bm25_when_dense_ranks_its_top_among_its_first_five_else_uses_coverage() -> None:
    assert AGREEMENT_DEPTH == 5
    assert agreement_confidence(7, [3, 1, 7, 2, 9, 4], 0.3) == 1.0
    assert agreement_confidence(7, [3, 1, 2, 9, 4, 7], 0.3) == 0.3  # sixth: dense would not show it
    assert agreement_confidence(7, [], 0.3) == 0.3
    assert agreement_confidence(7, [3, 7], 0.3, depth=1) == 0.3


def _agreement_runs(corpus_pipeline: Pipeline, q: str) -> tuple[float, int, dict[str, list[tuple[str, float]]]]:
    base = corpus_pipeline.settings.model_copy(update={"place_boost": 0.0})
    r = Pipeline(base, embedder=FakeEmbedder()).retriever
    gen = r._current().gen
    tokens = r.tokenizer.tokens(q)
    top = gen.sparse.search(tokens, 1)[0][0]
    dense = [row for row, _ in gen.dense.search(r.embedder.embed_queries([q])[0], 50)]
    cov = Retriever._coverage(gen, tokens, top)

    def run(**update: object) -> list[tuple[str, float]]:
        p = Pipeline(base.model_copy(update=update), embedder=FakeEmbedder())
        return [(h.chunk.id, h.score) for h in p.search(q, k=10, mode="hybrid")]

    runs = {"agreement": run(fusion="agreement"), "adaptive": run(fusion="adaptive"), "score": run(),
            "manual": run(weight_bm25=cov)}
    return cov, dense.index(top) + 1 if top in dense else 0, runs


def test_agreement_hybrid_is_score_fusion_when_dense_backs_bm25s_top(corpus_pipeline: Pipeline) -> None:
    """On the real letters: dense (FakeEmbedder) ranks BM25's top chunk first, so `agreement` is plain score
    fusion although that chunk does not hold the whole question (`adaptive` would weight BM25 down)."""
    cov, dense_rank, runs = _agreement_runs(corpus_pipeline, "留守老年人信息台账是依托哪个系统来完善的？")
    assert 0 < cov < 1 and 1 <= dense_rank <= AGREEMENT_DEPTH
    assert runs["agreement"] == runs["score"]
    assert [s for _, s in runs["agreement"]] != pytest.approx([s for _, s in runs["adaptive"]])


def test_agreement_hybrid_weights_bm25_by_coverage_when_dense_does_not_back_its_top(
        corpus_pipeline: Pipeline) -> None:
    """Dense ranks BM25's top chunk below its first five: `agreement` is score fusion with RAG_WEIGHT_BM25 set
    to that chunk's coverage of the question's indexed terms, as `adaptive`."""
    cov, dense_rank, runs = _agreement_runs(corpus_pipeline, "残疾老人护理补贴发给谁？")
    assert 0 < cov < 1 and (dense_rank == 0 or dense_rank > AGREEMENT_DEPTH)
    assert [i for i, _ in runs["agreement"]] == [i for i, _ in runs["manual"]]
    assert [s for _, s in runs["agreement"]] == pytest.approx([s for _, s in runs["manual"]])
    assert [s for _, s in runs["agreement"]] != pytest.approx([s for _, s in runs["score"]])


def test_agreement_leaves_the_place_restricted_bm25_list_its_weight(corpus_pipeline: Pipeline) -> None:
    """Only the BM25 list over all letters is weighted down: a list restricted to the letters of a place the
    question names keeps its weight (`adaptive` scales it too)."""
    q = "温州老人在全部户籍人口里占了多大比例？"
    weights = {"bm25": 1.0, "bm25@place": 1.0, "dense": 1.0, "dense@place": 1.0}
    out = {}
    for fusion in ("agreement", "adaptive"):
        r = Pipeline(corpus_pipeline.settings.model_copy(update={"fusion": fusion}), embedder=FakeEmbedder()).retriever
        gen = r._current().gen
        tokens = r.tokenizer.tokens(q)
        bm25 = gen.sparse.search(tokens, 50)
        dense = gen.dense.search(r.embedder.embed_queries([q])[0], 50)
        assert bm25[0][0] not in [row for row, _ in dense[:AGREEMENT_DEPTH]]
        place = bm25[1:6]  # stands in for BM25 within the named bureau's letters
        lists = {"bm25": bm25, "bm25@place": place, "dense": dense, "dense@place": dense[:5]}
        out[fusion] = r._adapt(gen, tokens, lists, dict(weights), {})
    cov = Retriever._coverage(gen, tokens, bm25[0][0])
    assert 0 < cov < 1
    assert out["agreement"] == {"bm25": pytest.approx(cov), "bm25@place": 1.0, "dense": 1.0, "dense@place": 1.0}
    assert out["adaptive"]["bm25@place"] < 1.0
