"""Retrieval on outside material: real government Q&A that was never used to tune this project.

    .venv/bin/python eval/data/outside/build.py SOURCE.csv --out /tmp/outside      # once (data: README there)
    .venv/bin/python -m eval.bench.outside --data /tmp/outside --index-dir /tmp/outside-index [--out r.json]

Indexes ``DATA/corpus`` with the configured (real) embedder into ``--index-dir`` (reused when it already
holds an index), then asks every question of ``DATA/qa.jsonl`` through ``Retriever.search`` in bm25, dense
and hybrid mode, and in hybrid mode once per fusion setting (``--fusions``, default every one). A question
is found at the rank of the first chunk of its passage (``doc``); the passage's other chunks don't count
twice. Figures per split (``tune``, ``heldout``, ``fresh`` when the data has it, and ``all``): hit@1, hit@5,
hit@10 and mrr@10. ``--splits`` restricts the run to some splits, so the fresh held-out questions can stay
unasked while a fusion is being chosen.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, get_args

from eval.bench.lib import load
from eval.bench.retrieval import build_or_reuse
from rag.core.settings import Settings, get_settings
from rag.embed import get_embedder
from rag.evaluation import metrics as M
from rag.pipeline import Pipeline

MODES = ("bm25", "dense")
SPLITS = ("tune", "heldout", "fresh")


def fusion_names() -> tuple[str, ...]:
    return get_args(Settings.model_fields["fusion"].annotation)


def ranks_for(pipe: Pipeline, items: list[dict[str, Any]], mode: str, k: int) -> list[int | None]:
    """1-based rank of each question's passage among the first k hits, or None. Two passage files with the
    same text are one letter with two sources in the index: a hit on it finds either file."""
    names: dict[str, set[str]] = {}
    for s, d in pipe.store.sources().items():
        names.setdefault(d, set()).add(Path(s).name)
    out = []
    for it in items:
        hits = pipe.search(it["question"], k=k, mode=mode)
        found = [i for i, h in enumerate(hits, 1) if it["doc"] in names.get(h.chunk.doc_id, ())]
        out.append(found[0] if found else None)
    return out


def scores(ranks: list[int | None]) -> dict[str, float]:
    return {"n": len(ranks), "hit@1": M.hit_at(ranks, 1), "hit@5": M.hit_at(ranks, 5),
            "hit@10": M.hit_at(ranks, 10), "mrr@10": M.mrr_at(ranks, 10)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="folder written by eval/data/outside/build.py")
    ap.add_argument("--index-dir", type=Path, required=True, help="index of DATA/corpus (reused if built)")
    ap.add_argument("--fusions", nargs="*", default=None, help="hybrid fusion settings to compare (default all)")
    ap.add_argument("--splits", nargs="*", default=None, help="only ask these splits' questions (default all)")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--out", type=Path, default=None, help="write the figures and per-question ranks as JSON")
    a = ap.parse_args(argv)

    items = [json.loads(line) for line in (a.data / "qa.jsonl").read_text(encoding="utf-8").splitlines() if line]
    if a.splits:
        items = [it for it in items if it["split"] in a.splits]
    splits = [s for s in SPLITS if any(it["split"] == s for it in items)] + ["all"]
    base = get_settings().model_copy(update={"index_dir": a.index_dir})
    embedder = get_embedder(base)
    built = build_or_reuse(base, embedder, [a.data / "corpus"], "outside")
    runs: dict[str, Pipeline] = {m: Pipeline(base, embedder) for m in MODES}
    for f in a.fusions or fusion_names():
        runs[f"hybrid/{f}"] = Pipeline(base.model_copy(update={"fusion": f}), embedder)
    report: dict[str, Any] = {"date": time.strftime("%Y-%m-%d %H:%M"), "argv": sys.argv, "index": built,
                              "embedder": embedder.name, "questions": len(items), "figures": {}, "ranks": {}}
    print(f"{len(items)} questions; {load()}")
    print(f"{'':<22}" + "".join(f"{s + ' ' + c:>16}" for s in splits for c in ("hit@5", "mrr@10")))
    for name, pipe in runs.items():
        mode = name.split("/")[0]
        ranks = ranks_for(pipe, items, mode, a.k)
        fig = {s: scores([r for r, it in zip(ranks, items, strict=True) if s == "all" or it["split"] == s])
               for s in splits}
        report["figures"][name] = fig
        report["ranks"][name] = dict(zip((it["id"] for it in items), ranks, strict=True))
        print(f"{name:<22}" + "".join(f"{fig[s][c]:>16.3f}" for s in splits for c in ("hit@5", "mrr@10")),
              flush=True)
    report["load_end"] = load()
    if a.out:
        a.out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"JSON: {a.out}")


if __name__ == "__main__":
    main()
