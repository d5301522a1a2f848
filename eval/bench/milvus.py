"""The Milvus backend against the embedded one, in one run: `rag eval --compare` figures (hit@5, MRR@10, answer
and citation accuracy, p50 latency) for the embedded backend, Milvus with BM25 over our tokens
(RAG_MILVUS_BM25=tokens) and Milvus with its own jieba analyzer (=jieba), each in bm25 / dense / hybrid.

The embedded index is built (or, with --index-dir, reused) first: the five letters, plus --distractors N
SYNTHETIC letters (eval/generators/distractors.py, seed 0) when asked. Milvus gets it the way a deployment
moves an index (`rag migrate`: letters, chunks, tokens and the cached vectors, nothing re-embedded), so with
thousands of distractors the slow part, embedding, happens once. Milvus is a real `milvus-lite server` started
here on a free port; the embedder is the configured one (the shipped e5, ONNX).

    python -m eval.bench.milvus [--qa eval/data/qa.jsonl] [--corpus corpus]
    python -m eval.bench.milvus --distractors 2000 --index-dir /tmp/me/dist-index [--out report.json]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from rag.core.settings import PROJECT_ROOT, RETRIEVAL_MODES, Settings
from rag.evaluation.evaluate import evaluate, load_qa
from rag.index.migrate import migrate
from rag.pipeline import Pipeline
from tests.milvus_server import milvus_lite_server

METRICS = [("retrieval.hit@5", "hit@5"), ("retrieval.mrr@10", "MRR@10"), ("answer.accuracy", "answer"),
           ("citation.accuracy", "citation"), ("answer.wrong_rate", "wrong"), ("latency_ms.p50", "p50 ms")]


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def build_embedded(index_dir: Path, corpus: Path, distractors: int, tmp: Path) -> Pipeline:
    """The embedded index of the corpus (+ N distractors), reused when index_dir already holds one."""
    pipe = Pipeline(Settings(index_dir=index_dir, _env_file=None))
    if pipe.has_index():
        print(f"embedded: reusing {index_dir}: {pipe.store.count()[0]} letters, {pipe.store.count()[1]} chunks")
        return pipe
    paths = [corpus]
    if distractors:
        from eval.generators.distractors import generate

        generate(tmp / "distractors", distractors, 0)
        paths.append(tmp / "distractors")
    t0 = time.perf_counter()
    report, stats = pipe.index(paths, progress=True)
    print(f"embedded: indexed {report.ok} letters, {pipe.store.count()[1]} chunks in {time.perf_counter() - t0:.1f} s "
          f"({stats.embedded if stats else 0} embedded; load {_load()})")
    return pipe


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--qa", type=Path, default=PROJECT_ROOT / "eval/data/qa.jsonl")
    ap.add_argument("--corpus", type=Path, default=PROJECT_ROOT / "corpus")
    ap.add_argument("--distractors", type=int, default=0, help="SYNTHETIC letters added to the corpus (seed 0)")
    ap.add_argument("--index-dir", type=Path, default=None, help="the embedded index (built there if empty, "
                                                                 "reused otherwise; default: a temp dir)")
    ap.add_argument("--out", type=Path, default=None, help="write the figures as JSON here")
    a = ap.parse_args()
    items = load_qa(a.qa)
    rows: list[tuple[str, str, dict[str, Any]]] = []
    info: dict[str, Any] = {"date": time.strftime("%Y-%m-%d %H:%M"), "load_start": _load(), "qa": str(a.qa)}
    with tempfile.TemporaryDirectory(prefix="bench-milvus-") as tmp, milvus_lite_server(Path(tmp) / "milvus") as uri:
        embedded = build_embedded(a.index_dir or Path(tmp) / "index", a.corpus, a.distractors, Path(tmp))
        letters, chunks = embedded.store.count()
        info.update(letters=letters, chunks=chunks)
        backends = {"embedded": embedded}
        for bm25 in ("tokens", "jieba"):  # one collection holds both BM25 fields; the setting picks the searched one
            s = Settings(index_dir=Path(tmp) / "none", _env_file=None, milvus_uri=uri, milvus_collection="bench",
                         milvus_bm25=bm25)
            backends[f"milvus/{bm25}"] = Pipeline(s, embedder=embedded.embedder)
        t0 = time.perf_counter()
        moved = migrate(embedded.store, backends["milvus/tokens"].store, embedded.embedder.name)  # type: ignore[arg-type]
        info["migrate"] = {"seconds": round(time.perf_counter() - t0, 1), "letters": moved.letters,
                           "chunks": moved.chunks, "embedded": moved.embedded, "load_after": _load()}
        print(f"rag migrate: {moved.letters} letters, {moved.chunks} chunks ({moved.embedded} embedded) into Milvus in "
              f"{info['migrate']['seconds']} s (load {_load()})")
        for name, pipe in backends.items():
            pipe.search("预热", mode="hybrid")  # load the catalog and the model before timing
            for mode in RETRIEVAL_MODES:
                rows.append((name, mode, evaluate(pipe, items, mode)[0]))
                print(f"  {name} {mode} done (load {_load()})", flush=True)
    info["load_end"] = _load()
    print(f"\n{len(items)} questions ({a.qa.name}) over {letters} letters ({chunks} chunks); {info['date']}, "
          f"load {info['load_start']} → {info['load_end']}\n")
    print(f"| backend | mode | {' | '.join(label for _, label in METRICS)} |")
    print("|---|---|" + "---|" * len(METRICS))
    for name, mode, r in rows:
        cells = [f"{r[key]:.1f}" if key.startswith("latency") else f"{r[key]:.3f}" for key, _ in METRICS]
        print(f"| {name} | {mode} | {' | '.join(cells)} |")
    base = {mode: r for name, mode, r in rows if name == "embedded"}
    print("\nlargest |Milvus − embedded| over hit@5, MRR@10 and answer accuracy:")
    info["largest_difference"] = {}
    for name in backends:
        if name != "embedded":
            d = max(abs(r[k] - base[mode][k]) for n, mode, r in rows if n == name for k, _ in METRICS[:3])
            info["largest_difference"][name] = round(d, 4)
            print(f"  {name}: {d:.3f}")
    if a.out:
        a.out.parent.mkdir(parents=True, exist_ok=True)
        table = [{"backend": n, "mode": m, **{label: r[k] for k, label in METRICS}} for n, m, r in rows]
        a.out.write_text(json.dumps({**info, "rows": table}, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
