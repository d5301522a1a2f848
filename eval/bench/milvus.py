"""The Milvus backend against the embedded one, in one run: `rag eval --compare` figures (hit@5, MRR@10, answer
and citation accuracy, p50 latency) over the five letters for the embedded backend, Milvus with BM25 over our
tokens (RAG_MILVUS_BM25=tokens) and Milvus with its own jieba analyzer (=jieba), each in bm25 / dense / hybrid.
Milvus is a real `milvus-lite server` started here on a free port; the embedder is the shipped e5 (ONNX).

    python -m eval.bench.milvus [--qa eval/data/qa.jsonl] [--corpus corpus]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from rag.core.settings import PROJECT_ROOT, RETRIEVAL_MODES, Settings
from rag.evaluation.evaluate import evaluate, load_qa
from rag.pipeline import Pipeline
from tests.milvus_server import milvus_lite_server

METRICS = [("retrieval.hit@5", "hit@5"), ("retrieval.mrr@10", "MRR@10"), ("answer.accuracy", "answer"),
           ("citation.accuracy", "citation"), ("answer.wrong_rate", "wrong"), ("latency_ms.p50", "p50 ms")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--qa", type=Path, default=PROJECT_ROOT / "eval/data/qa.jsonl")
    ap.add_argument("--corpus", type=Path, default=PROJECT_ROOT / "corpus")
    a = ap.parse_args()
    items = load_qa(a.qa)
    rows: list[tuple[str, str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory(prefix="bench-milvus-") as tmp, milvus_lite_server(Path(tmp) / "milvus") as uri:
        embedded = Pipeline(Settings(index_dir=Path(tmp) / "index", _env_file=None))
        backends = {"embedded": embedded}
        for bm25 in ("tokens", "jieba"):
            s = Settings(index_dir=Path(tmp) / "none", _env_file=None, milvus_uri=uri, milvus_collection="bench",
                         milvus_bm25=bm25)
            backends[f"milvus/{bm25}"] = Pipeline(s, embedder=embedded.embedder)
        for name, pipe in backends.items():
            t0 = time.perf_counter()
            report, _ = pipe.index([a.corpus])
            print(f"{name}: indexed {report.ok} letters, {pipe.store.count()[1]} chunks in "
                  f"{time.perf_counter() - t0:.1f} s")
            for mode in RETRIEVAL_MODES:
                rows.append((name, mode, evaluate(pipe, items, mode)[0]))
    print(f"\n{len(items)} questions ({a.qa.name}) over {a.corpus}\n")
    print(f"| backend | mode | {' | '.join(label for _, label in METRICS)} |")
    print("|---|---|" + "---|" * len(METRICS))
    for name, mode, r in rows:
        cells = [f"{r[key]:.1f}" if key.startswith("latency") else f"{r[key]:.3f}" for key, _ in METRICS]
        print(f"| {name} | {mode} | {' | '.join(cells)} |")
    base = {mode: r for name, mode, r in rows if name == "embedded"}
    print("\nlargest |Milvus − embedded| over hit@5, MRR@10 and answer accuracy:")
    for name in backends:
        if name != "embedded":
            d = max(abs(r[k] - base[mode][k]) for n, mode, r in rows if n == name for k, _ in METRICS[:3])
            print(f"  {name}: {d:.3f}")


if __name__ == "__main__":
    main()
