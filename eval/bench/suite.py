"""The benchmark suite: indexing, query latency at scale, embedding backends and generation, every figure
next to a baseline measured in the same run (a benchmark, never a unit test).

    make bench                              # = .venv/bin/python -m eval.bench   (default size, ≤ 15 min)
    .venv/bin/python -m eval.bench --quick  # smoke run (small sizes; minutes on a loaded machine)
        [--letters 1000,10000] [--real-letters 100] [--embed-sample 64] [--questions N]
        [--skip backends,generation,whatif,adversarial] [--out FILE]

What is measured for real and what is a stand-in (the table labels each):
  * Letters are SYNTHETIC (eval.generators.distractors.generate) plus the five real letters of corpus/.
  * Ingest, chunking, jieba, SQLite, BM25 (bm25s and the rank_bm25 baseline) run for real on every size.
  * Embedding speed is measured on a fixed sample of real chunks (batched embed_passages against one
    call per chunk); the full build at 1k/10k letters is EXTRAPOLATED from it (real embedding runs at
    about 20 chunks/s here: 100k chunks would take over an hour).
  * One corpus (corpus/ + --real-letters letters) is indexed for real with Pipeline.index: its vectors
    are all real, and it gives the re-index figures. For the larger sizes, chunks of those letters keep
    their real vectors and every other chunk gets a STAND-IN: a noisy copy (cosine ≈ 0.95) of a random
    real vector, written to the store's vector cache so rag.index.generation.build embeds nothing.
  * Hostile file shapes (many short lines, a paragraph without 。, nested HTML, tiny .docx paragraphs…) go
    through load, clean, structure, chunk and jieba against a normal letter of the same size
    (eval/bench/ingest.py; `python -m eval.bench.ingest --before REV` adds the old code's figure).
  * Queries are the real questions of eval/data/qa.jsonl, embedded for real, through Pipeline.search and
    ExtractiveAnswerer (eval/bench_latency.time_queries); baselines are rank_bm25 and numpy brute force.
Writes eval/reports/bench-<date>.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from eval.bench.lib import REPORTS, Fig, load, machine, span, table, timed  # first: pins the thread pools

# isort: split
import numpy as np

TARGET_QUERY_MS = 50.0
TARGET_BM25_X = 20.0
TARGET_FLOPS_SHARE = 0.5
TARGET_REINDEX_X = 50.0


@dataclass(frozen=True)
class Sizes:
    letters: tuple[int, ...] = (1000, 10000)
    real_letters: int = 100
    embed_sample: int = 64
    backend_sample: int = 32
    questions: int = 0  # 0: all of qa.jsonl
    baseline_budget_s: float = 20.0  # per slow baseline (rank_bm25 at 100k chunks) and size
    backends: tuple[str, ...] = ()  # () = all of eval/bench_embed.BACKENDS
    gen_prompts: int = 3
    gen_tokens: int = 48
    adversarial_mb: float = 2.0  # size of each hostile file shape (eval/bench/ingest.py)
    seed: int = 0


QUICK = Sizes(letters=(100, 400), real_letters=3, embed_sample=16, backend_sample=8, questions=30,
              baseline_budget_s=3.0, backends=("torch", "onnx"), gen_prompts=1, gen_tokens=8, adversarial_mb=0.2)


# -- indexing -------------------------------------------------------------------------------------

def ingest(store_dir: Path, paths: list[Path], tokenizer: Any, chunk_chars: int) -> tuple[Any, dict[str, Any]]:
    """Ingestor over the files into a fresh SQLite store; jieba and SQLite time split out."""
    from eval.bench.lib import StageClock
    from rag.index.store import Store
    from rag.ingest.ingestor import Ingestor

    store = Store(store_dir / "store.sqlite")
    clock = StageClock()
    clock.wrap(tokenizer, "tokens", "jieba")
    clock.wrap(store, "put_document", "sqlite")
    clock.active = True
    try:
        with span() as sp:
            report = Ingestor(store, tokenizer, chunk_chars).ingest_paths(paths)
    finally:
        clock.active = False
        clock.restore()
    docs, chunks = store.count()
    return store, {"documents": docs, "chunks": chunks, "skipped": len(report.skipped), "span": asdict(sp),
                   "jieba_s": clock.acc["jieba"], "sqlite_s": clock.acc["sqlite"]}


def bm25_builds(rows: list[Any]) -> tuple[Any, Any, dict[str, Any]]:
    """bm25s (rag.index.sparse.BM25Index) against rank_bm25.BM25Okapi (same k1, b) on the same jieba tokens."""
    from rank_bm25 import BM25Okapi

    from rag.index.sparse import BM25Index

    tokens, ids = [t for _, t in rows], [c.id for c, _ in rows]
    with span() as ours:
        index = BM25Index.build(tokens, ids)
    with span() as base:
        naive = BM25Okapi(tokens, k1=1.2, b=0.75)
    return index, naive, {"bm25s": asdict(ours), "rank_bm25": asdict(base)}


def real_build(settings: Any, embedder: Any, letters: list[Path], work: Path) -> tuple[Any, dict[str, Any]]:
    """Pipeline.index for real (every vector computed), then unchanged, then with one letter edited."""
    from rag.pipeline import Pipeline

    ldir = work / "letters"
    ldir.mkdir(parents=True)
    for p in letters:
        shutil.copy(p, ldir / p.name)
    pipe = Pipeline(settings.model_copy(update={"index_dir": work / "index"}), embedder)
    paths = [settings.corpus_dir, ldir]
    out: dict[str, Any] = {}
    for step in ("first", "unchanged", "one letter edited"):
        if step == "one letter edited":
            f = sorted(ldir.iterdir())[0]
            f.write_text(f.read_text(encoding="utf-8") + "\n特此补充说明。\n", encoding="utf-8")
        with span() as sp:
            report, stats = pipe.index(paths)
        out[step] = {"span": asdict(sp), "embedded": stats.embedded if stats else 0,
                     "build_s": stats.seconds if stats else 0.0, "changed": len(report.added) + len(report.updated)}
    out["documents"], out["chunks"] = pipe.store.count()
    return pipe, out


def stand_ins(store: Any, embedder_name: str, real: dict[str, np.ndarray], rng: np.random.Generator) -> dict:
    """Give every chunk of `store` a cached vector: its real one if known, else a noisy copy of a random
    real vector, so rag.index.generation.build finds everything cached and embeds nothing."""
    from eval.bench.lib import noisy_copies
    from rag.core.records import content_hash

    keys = sorted({content_hash(c.embed_text) for c, _ in store.all_chunks()})
    missing = [k for k in keys if k not in real]
    pool = np.stack(list(real.values()))
    fake = noisy_copies(pool[rng.integers(0, len(pool), len(missing))], 0.017, rng)
    store.put_vectors(embedder_name, {k: real[k] for k in keys if k in real} | dict(zip(missing, fake, strict=True)))
    return {"vectors": len(keys), "real": len(keys) - len(missing), "stand_in": len(missing)}


# -- orchestration --------------------------------------------------------------------------------

def run(sizes: Sizes, skip: set[str]) -> dict[str, Any]:
    from eval.bench import embed as be
    from eval.bench.latency import generation_section, query_scale
    from eval.generators.distractors import generate
    from rag.core.records import content_hash
    from rag.core.settings import PROJECT_ROOT, get_settings
    from rag.embed import get_embedder
    from rag.evaluation.evaluate import load_qa
    from rag.pipeline import Pipeline

    t_start = time.perf_counter()
    rep: dict[str, Any] = {"machine": machine(), "sizes": asdict(sizes), "load_start": load()}
    print(f"benchmark suite, sizes {asdict(sizes)}  ({load()})", flush=True)
    settings = get_settings()
    items = load_qa(PROJECT_ROOT / "eval" / "data" / "qa.jsonl")
    questions = [it.question for it in items][: sizes.questions or None]
    embedder, secs = timed(lambda: get_embedder(settings))
    _, load_s = timed(lambda: embedder.embed_queries(["预热"]))
    rep["embedder"] = {"name": embedder.name, "load_s": secs + load_s,
                       "backend": getattr(embedder, "backend", "torch")}
    rng = np.random.default_rng(sizes.seed)
    with tempfile.TemporaryDirectory(prefix="rag-bench-") as tmp_s:
        tmp = Path(tmp_s)
        n_max = max(*sizes.letters, sizes.real_letters)
        letters, secs = timed(lambda: generate(tmp / "letters", n_max, sizes.seed))
        rep["generate"] = {"letters": n_max, "seconds": secs}
        print(f"wrote {n_max} SYNTHETIC letters in {secs:.1f}s  ({load()})", flush=True)

        real_pipe, rep["real_build"] = real_build(settings, embedder, letters[: sizes.real_letters], tmp / "real")
        print(f"real build: {rep['real_build']}", flush=True)
        rows = real_pipe.store.all_chunks()
        real = real_pipe.store.cached_vectors([content_hash(c.embed_text) for c, _ in rows], embedder.name)

        tokenizer = Pipeline(settings).tokenizer
        stores: dict[str, tuple[Any, Path]] = {}
        rep["ingest"], rep["bm25_build"], rep["stand_ins"], rep["scale"] = {}, {}, {}, {}
        for n in sizes.letters:
            d = tmp / f"s{n}" / "index"
            store, rep["ingest"][n] = ingest(d, [settings.corpus_dir, *letters[:n]], tokenizer, settings.chunk_chars)
            stores[str(n)] = (store, d)
            print(f"ingest {n}: {rep['ingest'][n]}", flush=True)
        if "adversarial" not in skip:
            from eval.bench import ingest as hostile

            rep["adversarial"] = hostile.measure(sizes.adversarial_mb, tokenizer=tokenizer)

        first = stores[str(sizes.letters[0])][0].all_chunks()
        pick = sorted(rng.choice(len(first), min(sizes.embed_sample, len(first)), replace=False))
        sample = [first[i][0].embed_text for i in pick]
        rep["embed"] = be.passage_throughput(embedder, sample)
        rep["flops"] = be.flops_ceiling(be.EncoderShape.from_model_dir(embedder.model_dir), rep["embed"]["lengths"],
                                        rep["embed"]["batched_s"], be.gemm_gflops())
        print(f"embedding: {rep['embed']['chunks_per_s']:.1f} chunks/s, flops {rep['flops']['efficiency']:.0%}",
              flush=True)

        largest = str(sizes.letters[-1])
        for key in ["real", *stores]:
            if key == "real":
                store, d = real_pipe.store, real_pipe.settings.index_dir
            else:
                store, d = stores[key]
                rep["stand_ins"][key] = stand_ins(store, embedder.name, real, rng)
            crow = store.all_chunks()
            idx, naive, rep["bm25_build"][key] = bm25_builds(crow)
            del idx
            label = f"{len(crow):,} chunks ({store.count()[0]:,} letters)"
            rep["scale"][key] = query_scale(label, store, d, settings, embedder, questions, naive,
                                            sizes.baseline_budget_s, whatif=key == largest and "whatif" not in skip)
            rep["scale"][key]["sqlite_mb"] = sum(p.stat().st_size for p in d.glob("store.sqlite*")) / 2**20
            del naive
            print(f"scale {label}: total p50 {rep['scale'][key]['pipeline']['total']['p50']:.1f} ms  ({load()})",
                  flush=True)

        if "backends" not in skip:
            passages = sample[: sizes.backend_sample]
            rep["backends"] = be.compare_backends(sizes.backends or be.BACKENDS, embedder.model_dir, passages,
                                                  questions[:20], settings, items, tmp / "backends")
        if "generation" not in skip:
            rep["generation"] = generation_section(settings, real_pipe, questions, sizes.gen_prompts,
                                                   sizes.gen_tokens)
    rep["wall_s"] = time.perf_counter() - t_start
    rep["load_end"] = load()
    rep["figures"] = [f.to_json() for f in figures(rep)]
    return rep


# -- the table ------------------------------------------------------------------------------------

def figures(rep: dict[str, Any]) -> list[Fig]:
    """Result rows from the report: each figure beside its same-run baseline and, where the issue sets
    one, its target."""
    F: list[Fig] = []
    scales = rep["scale"]
    keys = list(scales)
    largest = keys[-1]
    chunks_of = {k: scales[k]["index_build"]["chunks"] for k in keys}

    for g in rep["ingest"].values():
        sp = g["span"]
        F.append(Fig("indexing", "ingest+chunk (load, parse, chunk, jieba, SQLite)", f"{g['documents']:,} letters",
                     g["documents"] / sp["seconds"], "letters/s", note=f"{g['chunks'] / sp['seconds']:,.0f} chunks/s; "
                     f"jieba {g['jieba_s'] / sp['seconds']:.0%}, SQLite {g['sqlite_s'] / sp['seconds']:.0%}",
                     load=sp["load"]))
    for k in keys:
        b, n = rep["bm25_build"][k], chunks_of[k]
        F.append(Fig("indexing", "BM25 build (bm25s)", scales[k]["label"], n / b["bm25s"]["seconds"], "chunks/s",
                     n / b["rank_bm25"]["seconds"], "rank_bm25", load=b["bm25s"]["load"]))
    e = rep["embed"]
    ebk = "onnxruntime" if rep["embedder"].get("backend") == "onnx" else "torch"  # the app's backend
    F.append(Fig("indexing", f"embed passages, batched (app, {ebk})", f"sample of {e['chunks']} real chunks, "
                 f"{e['mean_tokens']:.0f} tok avg", e["tokens_per_s"], "tokens/s", e["single_tokens_per_s"],
                 "one torch encode per chunk",
                 note=f"{e['chunks_per_s']:.1f} vs {e['single_chunks_per_s']:.1f} chunks/s",
                 load=e["load"]))
    for k in keys[1:]:
        n = chunks_of[k]
        F.append(Fig("indexing", "full embedding, EXTRAPOLATED from the sample", scales[k]["label"],
                     n / e["chunks_per_s"] / 60, "min", n / e["single_chunks_per_s"] / 60, "one torch encode per chunk",
                     higher_is_better=False, load=e["load"]))
    rb = rep["real_build"]
    first = rb["first"]
    F.append(Fig("indexing", "Pipeline.index, first build (measured)", f"{rb['chunks']:,} chunks "
                 f"({rb['documents']} letters)", first["embedded"] / first["span"]["seconds"], "chunks/s",
                 note=f"{first['span']['seconds']:.1f} s, {first['embedded']} chunks embedded",
                 load=first["span"]["load"]))
    for step, target in (("unchanged", f"≥ {TARGET_REINDEX_X:.0f}x"), ("one letter edited", "")):
        r = rb[step]
        f = Fig("indexing", f"re-index, {step}", f"{rb['documents']} letters", r["span"]["seconds"], "s",
                first["span"]["seconds"], "first build", higher_is_better=False, target=target,
                note=f"{r['embedded']} chunks re-embedded", load=r["span"]["load"])
        if target:
            f.passed = (f.ratio or 0) >= TARGET_REINDEX_X
        F.append(f)
    for k in keys:
        fb, n = scales[k]["faiss_build"], chunks_of[k]
        F.append(Fig("indexing", "FAISS build, HNSW", scales[k]["label"], n / fb["hnsw"]["span"]["seconds"],
                     "vectors/s", n / fb["flat"]["span"]["seconds"], "flat", load=fb["hnsw"]["span"]["load"]))
        ib = scales[k]["index_build"]
        F.append(Fig("indexing", f"rag.index.generation.build from the store ({ib['kind']}, nothing to embed)",
                     scales[k]["label"], ib["span"]["seconds"], "s", load=ib["span"]["load"]))

    if "adversarial" in rep:
        from eval.bench import ingest as hostile

        F += hostile.figures(rep["adversarial"], [])

    fl = rep["flops"]
    shapes = ", ".join(f"{k} {v:.0f}" for k, v in fl["gemm_gflops"].items() if k != "threads")
    F.append(Fig("embed FLOPs", "FP32 GEMM, torch.matmul", f"{fl['gemm_gflops']['threads']} threads",
                 fl["possible_gflops"], "GFLOP/s", load=e["load"], note=shapes))
    F.append(Fig("embed FLOPs", "encoder matmul FLOPs per token", "12 layers, d 384, ffn 1536",
                 fl["flops_per_token_at_250"] / 1e6, "MFLOP", load="", note=f"at 250 tokens; "
                 f"{fl['flops_per_token_at_mean'] / 1e6:.1f} at the sample's mean length"))
    F.append(Fig("embed FLOPs", f"achieved by batched embed_passages ({ebk})", f"{e['chunks']} real chunks",
                 fl["achieved_gflops"], "GFLOP/s", fl["possible_gflops"], "GEMM rate",
                 target=f"≥ {TARGET_FLOPS_SHARE}x", passed=fl["efficiency"] >= TARGET_FLOPS_SHARE,
                 note=f"{e['tokens_per_s']:,.0f} of {fl['possible_tokens_per_s']:,.0f} tokens/s possible",
                 load=e["load"]))

    for k in keys:
        sc, lbl, top = scales[k], scales[k]["label"], k == largest
        pl = sc["pipeline"]

        def lat(name: str, stage: str, sc: dict = sc, lbl: str = lbl, **kw: Any) -> Fig:
            return Fig("query", name, lbl, sc["pipeline"][stage]["p50"], "ms", p95=sc["pipeline"][stage]["p95"],
                       higher_is_better=False, load=sc["pipeline"]["load"], **kw)

        F.append(lat(f"embed (query, {ebk})", "embed"))
        F.append(lat("BM25 in pipeline (jieba + bm25s)", "bm25"))
        bm = sc["bm25"]
        f = Fig("query", "BM25 scoring, bm25s", lbl, bm["bm25s"]["p50"], "ms", bm["rank_bm25"]["p50"], "rank_bm25",
                higher_is_better=False, p95=bm["bm25s"]["p95"], baseline_p95=bm["rank_bm25"]["p95"],
                note=f"top-10 agreement {bm['top10_agreement']:.2f}, baseline n={bm['rank_bm25']['n']}",
                load=bm["load"])
        if top:
            f.target, f.passed = f"≥ {TARGET_BM25_X:.0f}x", (f.ratio or 0) >= TARGET_BM25_X
        F.append(f)
        dn = sc["dense"]
        F.append(lat(f"FAISS in pipeline ({dn['app_kind']})", "faiss"))
        recall = f"recall@10 {dn['hnsw_recall@10']:.3f}"
        for name, ours, note in (("FAISS exact (flat)", "flat", ""), ("FAISS approx (HNSW)", "hnsw", recall)):
            F.append(Fig("query", name + ", isolated", lbl, dn[ours]["p50"], "ms", dn["numpy"]["p50"],
                         "numpy brute force", higher_is_better=False, p95=dn[ours]["p95"],
                         baseline_p95=dn["numpy"]["p95"], note=note, load=dn["load"]))
        F.append(lat("fusion + place mask + SQLite fetch", "fuse+fetch"))
        F.append(lat("  of which: place mask", "place"))
        F.append(lat("extractive answer", "answer"))
        f = lat("total: embed + hybrid search + answer", "total")
        if top:
            f.target, f.passed = f"≤ {TARGET_QUERY_MS:.0f} ms", pl["total"]["p50"] <= TARGET_QUERY_MS
        F.append(f)
        pm = sc.get("place_mask") or {}
        if top and pm:
            F.append(Fig("what-if", "place mask from rows per doc, precomputed at load", lbl, pm["precomputed"]["p50"],
                         "ms", pm["isin"]["p50"], "np.isin (as shipped)", higher_is_better=False,
                         p95=pm["precomputed"]["p95"], baseline_p95=pm["isin"]["p95"],
                         note=f"{pm['isin']['n']} questions naming a place; precompute once "
                         f"{pm['precompute_once_s'] * 1000:.0f} ms", load=pm["load"]))
        for name, w in sc.get("whatif", {}).items():
            F.append(Fig("what-if", f"total, {name}", lbl, w["total"]["p50"], "ms", pl["total"]["p50"],
                         "as shipped", higher_is_better=False, p95=w["total"]["p95"], baseline_p95=pl["total"]["p95"],
                         note=f"faiss p50 {w['faiss']['p50']:.2f} ms", load=w["load"]))

    sc = scales[largest]
    per = 100_000 / chunks_of[largest]
    fb = sc["faiss_build"]
    bb = rep["bm25_build"][largest]
    size = f"per 100k chunks (from {chunks_of[largest]:,})"
    F.append(Fig("memory", "FAISS flat index", size, fb["flat"]["bytes"] / 2**20 * per, "MB", load=""))
    F.append(Fig("memory", "FAISS HNSW index", size, fb["hnsw"]["bytes"] / 2**20 * per, "MB",
                 fb["flat"]["bytes"] / 2**20 * per, "flat", higher_is_better=False, load=""))
    F.append(Fig("memory", "BM25 index (bm25s, on disk)", size, sc["gen_mb"]["bm25"] * per, "MB", load=""))
    # no rank_bm25 figure: built right after bm25s, it reuses memory the allocator kept, so RSS shows ~0
    F.append(Fig("memory", "BM25 build, RSS growth (bm25s)", size,
                 (bb["bm25s"]["rss_after_mb"] - bb["bm25s"]["rss_before_mb"]) * per, "MB", load=bb["bm25s"]["load"]))
    F.append(Fig("memory", "SQLite store (text, tokens, vectors)", size, sc["sqlite_mb"] * per, "MB", load=""))
    il = sc["index_load"]
    F.append(Fig("memory", "loaded generation in a reader (RSS growth)", size,
                 (il["rss_after_mb"] - il["rss_before_mb"]) * per, "MB", load=il["load"]))
    for g in rep["ingest"].values():
        F.append(Fig("memory", "peak RSS of the process during ingest", f"{g['documents']:,} letters",
                     g["span"]["peak_mb"], "MB", note=f"+{g['span']['peak_mb'] - g['span']['rss_before_mb']:.0f} MB "
                     "for the stage", load=g["span"]["load"]))

    bk = rep.get("backends", {})
    ref = bk.get("torch", {})
    for label, b in bk.items():
        if "error" in b:
            F.append(Fig("backends", label, "", None, "", load="", note=b["error"][:120]))
            continue
        for name, key, unit_, hib in (("passages", "passages_per_s", "/s", True),
                                      ("single query p50", "query_p50_ms", "ms", False),
                                      ("dense hit@5 on qa.jsonl", "hit@5", "", True)):
            if key not in b:
                continue
            where = "corpus/, qa.jsonl" if key == "hit@5" else f"{b['passages']} real chunks"
            F.append(Fig("backends", f"{label}: {name}", where, b[key], unit_,
                         ref.get(key) if label != "torch" else None, "torch" if label != "torch" else "",
                         higher_is_better=hib,
                         note=f"cos to torch {b['cos_to_first']:.3f}" if key == "passages_per_s" else "",
                         load=b["load"]))

    g = rep.get("generation", {})
    if "runs" in g:
        runs = g["runs"]
        mean = lambda key: float(np.mean([r[key] for r in runs if r[key] is not None] or [0]))  # noqa: E731
        lbl = f"{g['model']}, {g['threads']} threads, {len(runs)} RAG prompts"
        F.append(Fig("generation", "time to first token", lbl, mean("ttft_s") * 1000, "ms", higher_is_better=False,
                     note=f"prompt {mean('prompt_tokens'):.0f} tokens", load=g["load"]))
        F.append(Fig("generation", "prompt processing", lbl, mean("prompt_tok_s"), "tokens/s", load=g["load"]))
        rates = [r["decode_tok_s"] for r in runs if r["decode_tok_s"]]
        spread = f"runs {min(rates or [0]):.1f}–{max(rates or [0]):.1f}"
        F.append(Fig("generation", "decode", lbl, mean("decode_tok_s"), "tokens/s", load=g["load"],
                     note=f"{mean('output_tokens'):.0f} tokens out; {spread}"))
        F.append(Fig("generation", "extractive answer (the default) vs LLM answer", lbl, g["extractive_ms"]["p50"],
                     "ms", mean("total_s") * 1000, "LLM: TTFT + decode", higher_is_better=False, load=g["load"]))
    elif g:
        F.append(Fig("generation", "skipped", "", None, "", load="", note=g["skipped"][:120]))
    return F


def title(rep: dict[str, Any]) -> str:
    m = rep["machine"]
    v = m["versions"]
    return (f"policy-reply RAG benchmark suite, {m['date']}, commit {m['commit']}: {m['cpu']}, {m['cores']} cores "
            f"({' '.join(m['cpu_flags'])}), {m['ram_gb']} GB RAM, python {m['python']}, torch {v.get('torch')}, "
            f"faiss {v.get('faiss-cpu')}, bm25s {v.get('bm25s')}; wall {rep['wall_s'] / 60:.1f} min; "
            f"{rep['load_start']} at start, {rep['load_end']} at end")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes: a smoke run of about a minute")
    ap.add_argument("--letters", default=None, help="synthetic letters per indexing size, e.g. 1000,10000")
    ap.add_argument("--real-letters", type=int, default=None, help="letters indexed with real embeddings")
    ap.add_argument("--embed-sample", type=int, default=None, help="real chunks in the embedding sample")
    ap.add_argument("--questions", type=int, default=None, help="QA questions per size (0: all)")
    ap.add_argument("--skip", default="", help="comma list of: backends, generation, whatif, adversarial")
    ap.add_argument("--out", type=Path, default=None, help="JSON report (default eval/reports/bench-<date>.json)")
    ap.add_argument("--table", type=Path, default=None, help="only print the table of a saved JSON report")
    args = ap.parse_args(argv)
    if args.table:
        rep = json.loads(args.table.read_text())
        print(table(figures(rep), title(rep)))
        return
    sizes = QUICK if args.quick else Sizes()
    if args.letters:
        sizes = replace(sizes, letters=tuple(int(x) for x in args.letters.split(",")))
    for name in ("real_letters", "embed_sample", "questions"):
        if getattr(args, name) is not None:
            sizes = replace(sizes, **{name: getattr(args, name)})
    rep = run(sizes, {s.strip() for s in args.skip.split(",") if s.strip()})
    text = table([Fig(**{k: v for k, v in f.items() if k != "ratio"}) for f in rep["figures"]], title(rep))
    print(text)
    rep["table"] = text
    out = args.out or REPORTS / f"bench-{time.strftime('%Y-%m-%dT%H%M')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rep, ensure_ascii=False, indent=1, default=str))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
