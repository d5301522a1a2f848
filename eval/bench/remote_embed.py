"""Indexing through an OpenAI-compatible embeddings server (RAG_EMBED_URL) against the local model, in one run.

The same SYNTHETIC distractor letters (eval/generators/distractors.py, seed 0) are indexed twice into fresh
embedded indexes: once with the local embedder (the shipped e5, ONNX), once through the server. Prints the
chunks embedded per second of indexing for each and their ratio, and how closely the two indexes' vectors
agree (cosine of the same chunk texts). The server is started by you, e.g. Infinity (MIT) in a venv of its
own, since its pins (numpy 1.26, sentence-transformers 3) are not this project's:

    python3 -m venv /opt/infinity && /opt/infinity/bin/pip install "infinity-emb[server,torch]==0.0.78" torch==2.13.0
    HF_HUB_OFFLINE=1 /opt/infinity/bin/infinity_emb v2 --model-id models/multilingual-e5-small \\
        --host 127.0.0.1 --port 8090 --engine torch --device cpu --no-bettertransformer
    python -m eval.bench.remote_embed --embed-url http://127.0.0.1:8090 \\
        --embed-name models/multilingual-e5-small --letters 200 [--out report.json]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from eval.bench.lib import load
from eval.generators.distractors import generate
from rag.core.settings import Settings
from rag.pipeline import Pipeline


def _index(settings: Settings, folder: Path) -> tuple[Pipeline, dict[str, Any]]:
    pipe = Pipeline(settings)
    t0 = time.perf_counter()
    pipe.embedder.embed_passages(["预热"])  # model load and, for the server, the agreement check: not indexing
    ready = time.perf_counter() - t0
    before = load()
    t0 = time.perf_counter()
    report, stats = pipe.index([folder], progress=True)
    seconds = time.perf_counter() - t0
    embedded = stats.embedded if stats else 0
    return pipe, {"embedder": pipe.embedder.name, "letters": report.ok, "chunks": pipe.store.count()[1],
                  "embedded": embedded, "seconds": round(seconds, 1), "chunks_per_s": round(embedded / seconds, 2),
                  "start_s": round(ready, 1), "load_before": before, "load_after": load()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--embed-url", required=True, help="the server's base URL (…/embeddings is appended)")
    ap.add_argument("--embed-name", default="", help="the model name the server knows (default: the local folder's)")
    ap.add_argument("--letters", type=int, default=200, help="SYNTHETIC distractor letters to index (seed 0)")
    ap.add_argument("--out", type=Path, default=None, help="write the figures as JSON here")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-remote-") as tmp:
        folder = Path(tmp) / "letters"
        generate(folder, a.letters, 0)
        runs: dict[str, dict[str, Any]] = {}
        pipes: dict[str, Pipeline] = {}
        for name, extra in (("local", {}), ("server", {"embed_url": a.embed_url, "embed_name": a.embed_name})):
            s = Settings(index_dir=Path(tmp) / name, _env_file=None, **extra)
            pipes[name], runs[name] = _index(s, folder)
            print(f"{name}: {runs[name]}", flush=True)
        chunks = [c.text for c, _ in pipes["local"].store.all_chunks()]
        sample = chunks[:: max(1, len(chunks) // 200)]
        cos = np.sum(pipes["local"].embedder.embed_passages(sample) * pipes["server"].embedder.embed_passages(sample),
                     axis=1)
    same = runs["local"]["embedder"] == runs["server"]["embedder"]
    ratio = runs["server"]["chunks_per_s"] / runs["local"]["chunks_per_s"]
    print(f"\n{a.letters} synthetic letters, {runs['local']['chunks']} chunks; {time.strftime('%Y-%m-%d %H:%M')}\n")
    print("| embedder | chunks embedded | indexing s | chunks/s | load before → after |")
    print("|---|---|---|---|---|")
    for name, r in runs.items():
        print(f"| {name} ({r['embedder']}) | {r['embedded']} | {r['seconds']} | {r['chunks_per_s']} | "
              f"{r['load_before']} → {r['load_after']} |")
    print(f"\nserver / local chunks/s: {ratio:.2f}×; cosine of the same {len(sample)} chunks: min {cos.min():.5f}, "
          f"mean {cos.mean():.5f}; the server's index is named as the local model's: {same}")
    if a.out:
        a.out.parent.mkdir(parents=True, exist_ok=True)
        a.out.write_text(json.dumps({"runs": runs, "ratio": round(ratio, 3), "cosine_min": float(cos.min()),
                                     "cosine_mean": float(cos.mean()), "same_identity": same}, indent=1))


if __name__ == "__main__":
    main()
