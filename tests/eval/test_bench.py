"""eval/bench/suite.py and its helpers: the pure pieces, and the suite's stages on a tiny corpus with the fake
embedder (no model loads). Nothing here is timed: the figures are checked for shape and sense only."""

from __future__ import annotations

import numpy as np
import pytest

from eval.bench import suite as bench
from eval.bench.embed import EncoderShape, padded_tokens
from eval.bench.latency import query_scale
from eval.bench.lib import (
    Fig,
    StageClock,
    noisy_copies,
    pct,
    recall_at,
    span,
    speedup,
    summary,
    table,
    topk,
)
from eval.generators.distractors import generate
from rag.core.settings import Settings
from tests.conftest import CORPUS, FakeEmbedder


def test_percentiles_match_numpy() -> None:
    xs = [5.0, 1.0, 3.0, 2.0, 4.0, 10.0]
    for q in (0, 50, 95, 100):
        assert pct(xs, q) == pytest.approx(float(np.percentile(xs, q)))
    assert pct([], 50) == 0.0
    s = summary(xs)
    assert s["n"] == 6 and s["p50"] == pytest.approx(3.5) and s["mean"] == pytest.approx(25 / 6)


def test_speedup_is_above_one_when_ours_wins_for_rates_and_for_times() -> None:
    assert speedup(10.0, 40.0, higher_is_better=True) == 4.0  # 40/s against 10/s
    assert speedup(40.0, 10.0, higher_is_better=False) == 4.0  # 10 ms against 40 ms
    assert speedup(None, 1.0, True) is None and speedup(0.0, 1.0, True) is None


def test_encoder_flops_count_projections_ffn_and_attention() -> None:
    e5 = EncoderShape(layers=12, hidden=384, ffn=1536)
    per_layer_token = 8 * 384 * 384 + 4 * 384 * 1536 + 4 * 250 * 384
    assert e5.flops_per_token(250) == 12 * per_layer_token
    assert e5.flops_per_token(250) == pytest.approx(47.07e6, rel=1e-3)
    assert e5.flops(500) > 2 * e5.flops(250)  # attention grows with the square of the length


def test_padded_tokens_follow_the_embedders_batching() -> None:
    texts = ["aaaa", "a", "aaa", "aa"]
    lengths = [4, 1, 3, 2]
    assert padded_tokens(texts, lengths, batch_size=2) == 4 * 2 + 2 * 2  # batches [4, 3] and [2, 1]
    assert padded_tokens(texts, lengths, batch_size=1) == sum(lengths)


def test_noisy_copies_are_unit_vectors_near_their_source() -> None:
    rng = np.random.default_rng(0)
    src = rng.standard_normal((200, 384)).astype(np.float32)
    src /= np.linalg.norm(src, axis=1, keepdims=True)
    copies = noisy_copies(src, 0.017, rng)
    assert np.allclose(np.linalg.norm(copies, axis=1), 1.0, atol=1e-5)
    cos = np.sum(copies * src, axis=1)
    assert 0.93 < cos.mean() < 0.97  # ≈ 1/sqrt(1 + 0.017² · 384)


def test_topk_and_recall() -> None:
    s = np.array([0.1, 0.9, 0.5, 0.9, 0.3])
    assert topk(s, 3).tolist() == [1, 3, 2]
    assert recall_at([[1, 2, 3]], [[1, 2, 4]], k=3) == pytest.approx(2 / 3)
    assert recall_at([[1]], [[]]) == 1.0


def test_stage_clock_times_only_while_active_and_restores() -> None:
    class Thing:
        def work(self) -> int:
            return 7

    t = Thing()
    clock = StageClock()
    clock.wrap(t, "work", "w")
    assert t.work() == 7 and clock.acc["w"] == 0
    clock.active = True
    t.work()
    assert clock.acc["w"] > 0
    clock.restore()
    assert "work" not in vars(t)


def test_span_and_table() -> None:
    with span() as sp:
        _ = bytearray(1 << 20)
    assert sp.seconds >= 0 and sp.peak_mb >= sp.rss_before_mb > 0
    figs = [Fig("query", "BM25", "1k chunks", 0.5, "ms", 20.0, "rank_bm25", higher_is_better=False, p95=0.7,
                target="≥ 20x", passed=True),
            Fig("query", "total", "1k chunks", 60.0, "ms", target="≤ 50 ms", passed=False, note="why")]
    text = table(figs, "title")
    assert "40.0x" in text and "pass" in text and "MISS" in text and "0.500 / 0.700 ms" in text
    assert figs[0].to_json()["ratio"] == 40.0


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The suite's stages over corpus/ + 4 synthetic letters with the fake embedder."""
    from rag.core.records import content_hash
    from rag.pipeline import Pipeline

    tmp = tmp_path_factory.mktemp("bench")
    settings = Settings(index_dir=tmp / "unused", corpus_dir=CORPUS, _env_file=None)
    emb = FakeEmbedder(dim=64)
    letters = generate(tmp / "letters", 4, seed=0)
    real_pipe, real_build = bench.real_build(settings, emb, letters[:2], tmp / "real")
    rows = real_pipe.store.all_chunks()
    real = real_pipe.store.cached_vectors([content_hash(c.embed_text) for c, _ in rows], emb.name)
    store_dir = tmp / "s4" / "index"
    tokenizer = Pipeline(settings).tokenizer
    store, ingest = bench.ingest(store_dir, [CORPUS, *letters], tokenizer, settings.chunk_chars)
    standins = bench.stand_ins(store, emb.name, real, np.random.default_rng(0))
    _, naive, bm25_build = bench.bm25_builds(store.all_chunks())
    questions = ["温州市有多少家养老机构？", "恩阳区日间照料中心有多少个？", "适老化改造"]
    scale = query_scale("tiny", store, store_dir, settings, emb, questions, naive, 1.0, whatif=True)
    return {"real_build": real_build, "ingest": ingest, "stand_ins": standins, "bm25_build": bm25_build,
            "scale": scale, "n_real_chunks": len(rows)}


def test_real_build_reindex_embeds_nothing_when_unchanged(tiny: dict) -> None:
    rb = tiny["real_build"]
    assert tiny["n_real_chunks"] == rb["chunks"] >= rb["first"]["embedded"] > 0.9 * rb["chunks"]  # dup texts once
    assert rb["unchanged"]["embedded"] == 0 and rb["unchanged"]["changed"] == 0
    assert rb["one letter edited"]["changed"] == 1
    assert 0 < rb["one letter edited"]["embedded"] < rb["chunks"]


def test_stand_ins_fill_the_vector_cache(tiny: dict) -> None:
    si, ing = tiny["stand_ins"], tiny["ingest"]
    assert ing["documents"] == 9 and si["vectors"] == ing["chunks"]
    assert si["real"] > 0 and si["stand_in"] > 0  # letters 1-2 and corpus/ are real, 3-4 stand-ins


def test_query_scale_reports_every_stage_and_baseline(tiny: dict) -> None:
    sc = tiny["scale"]
    assert sc["index_build"]["chunks"] == tiny["ingest"]["chunks"]  # built from the cache, nothing embedded
    for stage in ("embed", "bm25", "faiss", "fuse+fetch", "answer", "total"):
        assert sc["pipeline"][stage]["n"] == 3
    assert sc["bm25"]["top10_agreement"] > 0.5  # bm25s and rank_bm25 rank the same corpus alike
    assert sc["dense"]["numpy_vs_flat@10"] == pytest.approx(1.0)
    exact = [w for name, w in sc["whatif"].items() if name.startswith("exact")]
    assert len(sc["whatif"]) == 3 and len(exact) == 2 and all(w["kind"] == "flat" for w in exact)


def test_ingest_bench_shapes_are_the_size_asked_and_every_row_has_its_stages() -> None:
    from eval.bench import ingest as ib

    files = ib.shapes(30_000)
    assert {"many short lines", "one long paragraph, no 。", "nested HTML", "tiny docx paragraphs"} <= set(files)
    for fname, data, base in files.values():
        assert 0.7 < ib.megabytes(fname, data) * 2**20 / 30_000 < 1.4, fname  # .docx: its unpacked text part
        assert base == "" or files[base][0].rsplit(".", 1)[1] == fname.rsplit(".", 1)[1]  # same format
    rows = ib.measure(0.015, repeat=1)
    assert set(rows) == set(files)
    for r in rows.values():
        assert sum(r[s] for s in ib.STAGES) == pytest.approx(r["total"], rel=1e-6)
        assert r["chunks"] > 0 and r["longest_chunk"] <= 320
        assert (r["x_normal"] > 0) == bool(r["baseline"]) if r["baseline"] else "x_normal" not in r
    figs = ib.figures(rows, [{"lines": 1000, "mb": 0.002, "before_s": 0.5, "after_s": 0.01, "load": "load 1 1 1"},
                             {"lines": 2000, "mb": 0.004, "before_s": None, "after_s": 0.02, "load": "load 1 1 1"}],
                      "abc123", 10)
    judged = [f for f in figs if f.passed is not None]
    assert len(judged) == 1 and judged[0].name in files  # the worst shape carries the ≤ 10x target
    text = table(figs, "t")
    assert "code at abc123" in text and "stopped at the 10 s cap" in text


def test_ingest_bench_before_runs_a_revision_in_its_own_interpreter() -> None:
    from eval.bench import ingest as ib

    (row,) = ib.before("HEAD", cap_s=0.001, start=2000)  # one size: the "old" code passes the cap at once
    assert row["lines"] == 2000 and row["before_s"] > 0 and row["after_s"] > 0
