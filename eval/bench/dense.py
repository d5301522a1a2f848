"""FAISS exact (IndexFlatIP) against HNSW as rag/index/dense.py builds it (a benchmark, not a test).

    .venv/bin/python -m eval.bench.dense [--sizes 1000,10000,50000,100000,200000] [--queries 200]
        [--real-index DIR [--augment]] [--after-embed] [--faiss-threads N] [--target-ms 5]

For each size: build time, single-query latency (p50/p95, k=50, as the retriever asks), the same with
a filter mask over ~2% of the rows (IDSelectorBatch built per query, as rag/index/dense.py does), recall@10
of HNSW against the exact top 10, and the serialised index size.

Vectors: random L2-normalised 384-d (the e5-small width), the hardest case for HNSW recall because
they have no cluster structure. ``--real-index`` also runs the sizes that fit on the real chunk
embeddings of a built index (e.g. the one eval/bench/retrieval.py writes), held-out rows as queries;
``--augment`` grows those to the larger sizes with noisy copies (cosine ≈ 1/sqrt(1 + noise² · 384) to
their source, 0.95 by default), a stand-in for a bigger corpus of near-duplicate letters.

``--after-embed`` runs a real query embedding before each timed search, the state Retriever.search
searches in (torch has just used both cores and the caches); in isolation flat search looks about
twice as fast as it is in the pipeline. Ends with a recommended ``hnsw_threshold``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import asdict
from itertools import pairwise
from pathlib import Path
from typing import Any

from eval.bench.lib import DIM, augment, load, real_vectors, recall_at, span, summary, topk, unit  # first

# isort: split
import faiss
import numpy as np

from rag.index.dense import FaissStore

K = 50
FILTER_SHARE = 0.02  # one bureau's letters among many
MIN_RECALL = 0.98


def build(vectors: np.ndarray, hnsw: bool) -> tuple[FaissStore, float]:
    """Build through FaissStore.build so the parameters are the ones the app uses."""
    t0 = time.perf_counter()
    store = FaissStore.build(vectors, [str(i) for i in range(len(vectors))], -1 if hnsw else len(vectors), DIM)
    return store, time.perf_counter() - t0


# Called before each timed search; --after-embed sets it to a real query embedding, so the search runs
# in the state it meets in Retriever.search (caches and cores just used by torch), not in isolation.
BEFORE_SEARCH: list[Callable[[], object]] = []


def timed_search(store: FaissStore, queries: np.ndarray, masks: list[np.ndarray] | None = None
                 ) -> tuple[list[list[int]], np.ndarray]:
    rows, ms = [], []
    for i, q in enumerate(queries):
        mask = masks[i] if masks is not None else None
        for f in BEFORE_SEARCH:
            f()
        t0 = time.perf_counter()
        hits = store.search(q, K, mask)
        ms.append((time.perf_counter() - t0) * 1000)
        rows.append([r for r, _ in hits])
    return rows, np.array(ms)


def measure(base: np.ndarray, queries: np.ndarray, rng: np.random.Generator) -> dict[str, float]:
    n = len(base)
    out: dict[str, float] = {"n": n}
    masks = [rng.random(n) < FILTER_SHARE for _ in range(min(len(queries), 50))]
    results = {}
    for kind in ("flat", "hnsw"):
        store, secs = build(base, kind == "hnsw")
        assert store.kind == kind, store.kind
        store.search(queries[0], K)  # warm caches and thread pools
        rows, ms = timed_search(store, queries)
        frows, fms = timed_search(store, queries[: len(masks)], masks)
        results[kind] = (rows, frows)
        out |= {
            f"{kind}.build_s": secs, f"{kind}.p50_ms": float(np.percentile(ms, 50)),
            f"{kind}.p95_ms": float(np.percentile(ms, 95)), f"{kind}.filtered_p50_ms": float(np.percentile(fms, 50)),
            f"{kind}.mb": len(faiss.serialize_index(store.index)) / 2**20,
        }  # fmt: skip
        del store
    out["hnsw.recall@10"] = recall_at(results["hnsw"][0], results["flat"][0])
    out["hnsw.filtered_recall@10"] = recall_at(results["hnsw"][1], results["flat"][1])
    return out


def build_pair(matrix: np.ndarray, ids: list[str]) -> tuple[FaissStore, FaissStore, dict[str, Any]]:
    """Flat and HNSW FaissStores of the same vectors (FaissStore.build, the app's parameters): build
    time, peak memory and serialised size of each."""
    out: dict[str, Any] = {}
    stores = []
    for kind, threshold in (("flat", len(matrix)), ("hnsw", -1)):
        with span() as sp:
            st = FaissStore.build(matrix, ids, threshold, matrix.shape[1])
        out[kind] = {"span": asdict(sp), "bytes": len(faiss.serialize_index(st.index)), "kind": st.kind}
        stores.append(st)
    return stores[0], stores[1], out


def compare_search(app: FaissStore, flat: FaissStore, hnsw: FaissStore, matrix: np.ndarray, queries: np.ndarray,
                   k: int = K) -> dict[str, Any]:
    """Single-query latency of the app's index, flat, HNSW and a numpy brute-force baseline (matrix @ q,
    then a partial sort), and recall@10 of HNSW against flat, on the same query vectors."""
    rows: dict[str, list[list[int]]] = {}
    out: dict[str, Any] = {}
    searches = {"app": app.search, "flat": flat.search, "hnsw": hnsw.search,
                "numpy": lambda v, k: [(int(r), 0.0) for r in topk(matrix @ v, k)]}
    for name, fn in searches.items():
        fn(queries[0], k)  # warm caches and thread pools
        got: list[list[int]] = []
        ms = []
        for v in queries:
            t0 = time.perf_counter()
            got.append([r for r, _ in fn(v, k)])
            ms.append((time.perf_counter() - t0) * 1000)
        rows[name], out[name] = got, summary(ms)
    return out | {"app_kind": app.kind, "hnsw_recall@10": recall_at(rows["hnsw"], rows["flat"]),
                  "numpy_vs_flat@10": recall_at(rows["numpy"], rows["flat"]), "load": load()}


HEADER = (
    f"{'n':>8} {'flat build':>10} {'flat p50':>9} {'flat p95':>9} {'flat filt':>9} {'flat MB':>8} | "
    f"{'hnsw build':>10} {'hnsw p50':>9} {'hnsw p95':>9} {'hnsw filt':>9} {'hnsw MB':>8} "
    f"{'R@10':>6} {'filt R@10':>9} {'flat/hnsw':>9}"
)


def row(m: dict[str, float]) -> str:
    return (
        f"{int(m['n']):>8} {m['flat.build_s']:>9.2f}s {m['flat.p50_ms']:>7.2f}ms {m['flat.p95_ms']:>7.2f}ms "
        f"{m['flat.filtered_p50_ms']:>7.2f}ms {m['flat.mb']:>8.1f} | {m['hnsw.build_s']:>9.1f}s "
        f"{m['hnsw.p50_ms']:>7.2f}ms {m['hnsw.p95_ms']:>7.2f}ms {m['hnsw.filtered_p50_ms']:>7.2f}ms "
        f"{m['hnsw.mb']:>8.1f} {m['hnsw.recall@10']:>6.3f} {m['hnsw.filtered_recall@10']:>9.3f} "
        f"{m['flat.p50_ms'] / m['hnsw.p50_ms']:>8.1f}x"
    )


def recommend(rows: list[dict[str, float]], target_ms: float) -> str:
    """Where flat p50 passes target_ms (interpolated between the two sizes around it), the first size
    where HNSW is at least twice as fast with recall@10 >= MIN_RECALL, and a threshold from those."""
    rows = sorted(rows, key=lambda r: r["n"])
    cross = None
    for lo, hi in pairwise(rows):
        if lo["flat.p50_ms"] <= target_ms < hi["flat.p50_ms"]:
            frac = (target_ms - lo["flat.p50_ms"]) / (hi["flat.p50_ms"] - lo["flat.p50_ms"])
            cross = lo["n"] + frac * (hi["n"] - lo["n"])
    faster = [r for r in rows if r["flat.p50_ms"] >= 2 * r["hnsw.p50_ms"] and r["hnsw.recall@10"] >= MIN_RECALL]
    lines = [
        f"flat p50 passes {target_ms:g} ms at ≈ {cross:,.0f} vectors" if cross is not None
        else f"flat p50 does not cross {target_ms:g} ms inside the measured sizes",
        "first size where HNSW is ≥2x faster with recall@10 ≥ {:.2f}: {}".format(
            MIN_RECALL, f"{int(faster[0]['n']):,}" if faster else "none measured"
        ),
    ]
    low_recall = [int(r["n"]) for r in rows if r["hnsw.recall@10"] < MIN_RECALL]
    if low_recall:
        lines.append(f"HNSW recall@10 < {MIN_RECALL} at n = {', '.join(f'{x:,}' for x in low_recall)}")
    if cross is not None and not low_recall:
        lines.append(f"suggested hnsw_threshold ≈ {int(cross // 10_000 * 10_000):,} (flat below, HNSW above)")
    worst = min(r["hnsw.filtered_recall@10"] for r in rows)
    if worst < MIN_RECALL:
        lines.append(f"note: filtered HNSW search recall@10 drops to {worst:.2f} (flat filtered search stays exact)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000,50000,100000,200000")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--target-ms", type=float, default=5.0, help="flat p50 above this favours HNSW")
    ap.add_argument("--real-index", type=Path, default=None, help="also run on the vectors of this index dir")
    ap.add_argument("--augment", action="store_true", help="grow the real vectors to the larger sizes")
    ap.add_argument("--noise", type=float, default=0.017, help="per-dimension noise of --augment copies")
    ap.add_argument("--skip-random", action="store_true", help="only run the real-vector tables")
    ap.add_argument("--faiss-threads", type=int, default=None, help="faiss OpenMP threads (default: OMP_NUM_THREADS)")
    ap.add_argument("--after-embed", action="store_true",
                    help="embed a real question (e5, torch) before every timed search, as the pipeline does")
    args = ap.parse_args(argv)
    if args.faiss_threads:
        faiss.omp_set_num_threads(args.faiss_threads)
    if args.after_embed:
        from rag.core.settings import get_settings
        from rag.embed import get_embedder

        embedder = get_embedder(get_settings())
        embedder.embed_queries(["预热"])
        BEFORE_SEARCH.append(lambda: embedder.embed_queries(["恩阳区特困供养人员中集中供养的有多少人？"]))
    sizes = [int(s) for s in args.sizes.split(",")]
    rng = np.random.default_rng(args.seed)

    print(f"faiss {faiss.__version__}, omp threads {faiss.omp_get_max_threads()}, dim {DIM}, k={K}, "
          f"{args.queries} single queries per size, filter keeps {FILTER_SHARE:.0%} of rows  ({load()})")
    print("HNSW: M=32, efConstruction=80, efSearch=128 (rag/index/dense.py)"
          + ("; each search follows a query embedding (--after-embed)" if args.after_embed else ""))
    if not args.skip_random:
        print("\nrandom unit vectors")
        print(HEADER, flush=True)
        rows = []
        queries = unit(rng, args.queries)
        pool = unit(rng, max(sizes))
        for n in sizes:
            m = measure(pool[:n], queries, rng)
            rows.append(m)
            print(row(m) + f"   ({load()})", flush=True)
        print("\nrandom vectors: " + recommend(rows, args.target_ms))

    if args.real_index:
        vecs = real_vectors(args.real_index)
        order = rng.permutation(len(vecs))
        q, base = vecs[order[: args.queries]], vecs[order[args.queries :]]
        print(f"\nreal chunk embeddings from {args.real_index} ({len(vecs)} vectors; {len(q)} held out as queries)")
        print(HEADER)
        real_sizes = [n for n in sizes if n <= len(base)] + ([len(base)] if len(base) not in sizes else [])
        real_rows = []
        for n in real_sizes:
            real_rows.append(measure(base[:n], q, rng))
            print(row(real_rows[-1]) + f"   ({load()})", flush=True)
        bigger = [n for n in sizes if n > len(base)]
        if args.augment and bigger:
            grown = augment(base, max(bigger), args.noise, rng)
            cos = float(np.mean(np.sum(grown[len(base) : len(base) + 1000] * base[:1000], axis=1)))
            print(f"\nreal embeddings grown with noisy copies (noise {args.noise}, mean cosine to source {cos:.3f})")
            print(HEADER)
            for n in bigger:
                real_rows.append(measure(grown[:n], q, rng))
                print(row(real_rows[-1]) + f"   ({load()})", flush=True)
        if len(real_rows) > 1:
            print("\nreal vectors: " + recommend(real_rows, args.target_ms))
    print(f"\n({load()})")


if __name__ == "__main__":
    main()
