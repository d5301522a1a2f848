"""Per-query latency by stage and retrieval mode with the real embedder (a benchmark, not a test).

    .venv/bin/python eval/bench_latency.py [--repeat 3] [--index-dir DIR] [--qa eval/data/qa.jsonl]

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
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

CORES = 2
os.environ.setdefault("OMP_NUM_THREADS", str(CORES))
os.environ.setdefault("MKL_NUM_THREADS", str(CORES))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MODES = ("bm25", "dense", "hybrid")
STAGES = ("embed", "search", "fuse+fetch", "answer", "total")
DETAIL = ("bm25", "faiss", "fetch")


def load() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


class StageClock:
    """Accumulates time spent in wrapped methods while `active` (i.e. inside Pipeline.search)."""

    def __init__(self) -> None:
        self.acc: dict[str, float] = defaultdict(float)
        self.active = False

    def wrap(self, obj: Any, method: str, stage: str) -> None:
        inner: Callable[..., Any] = getattr(obj, method)

        def timed(*args: Any, **kwargs: Any) -> Any:
            if not self.active:
                return inner(*args, **kwargs)
            t0 = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.acc[stage] += time.perf_counter() - t0

        setattr(obj, method, timed)  # an instance attribute shadows the method for this object only


def pct(xs: list[float], q: float) -> float:
    import numpy as np

    return float(np.percentile(xs, q)) if xs else 0.0


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
    from rag.embed import get_embedder
    from rag.evaluate import load_qa
    from rag.pipeline import Pipeline
    from rag.settings import PROJECT_ROOT, get_settings

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
        if not pipe._has_index():
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

        clock = StageClock()
        clock.wrap(embedder, "embed_queries", "embed")
        clock.wrap(pipe.tokenizer, "tokens", "bm25")
        clock.wrap(gen.sparse, "search", "bm25")
        clock.wrap(gen.dense, "search", "faiss")
        clock.wrap(pipe.store, "chunks", "fetch")
        clock.wrap(pipe.store, "paragraphs", "fetch")

        for q in questions[:10]:  # warm-up, not timed
            for mode in MODES:
                pipe.extractive.answer(q, pipe.search(q, k, mode))

        per: dict[str, dict[str, list[float]]] = {m: defaultdict(list) for m in MODES}
        print(f"\ntiming {len(questions)} questions x {args.repeat} passes x {len(MODES)} modes, k={k} "
              f"({load()})", flush=True)
        for _ in range(args.repeat):
            for q in questions:
                for mode in MODES:  # interleaved, so load changes hit every mode alike
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
                        "fetch": a["fetch"],
                    }  # fmt: skip
                    for stage, secs in row.items():
                        per[mode][stage].append(secs * 1000)

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
