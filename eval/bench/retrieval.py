"""Retrieval quality with SYNTHETIC distractor letters added to corpus/ (a benchmark, not a test).

    .venv/bin/python -m eval.bench.retrieval [--n 2000] [--seed 0] [--index-dir DIR]
        [--letters-index-dir DIR] [--near-copies 200] [--out report.json]

Writes N machine-generated letters (eval.generators.distractors.generate) to a temp folder, indexes corpus/ plus
those letters with the configured (real) embedder, then scores eval/data/qa.jsonl with
rag.evaluation.evaluate.evaluate for bm25, dense and hybrid, next to the same table for the five real letters
alone. It also compares place handling in hybrid mode: place_boost 0 / 1 (default) / 3 against a hard
filter (Filters(region=place)) when the question names a place served by a bureau in the index.

--index-dir reuses an index built by an earlier run (nothing is re-embedded when it already holds an
index); without it the index lives in a temp folder and is deleted at the end. --n 0 skips the
distractors and only runs the five letters.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eval.bench.lib import load
from rag.core.records import Filters, Hit
from rag.core.settings import PROJECT_ROOT, Settings, get_settings
from rag.embed import Embedder, get_embedder
from rag.evaluation.evaluate import QAItem, evaluate, load_qa, summarize
from rag.pipeline import Pipeline
from rag.search.retrieve import places_in

MODES = ("bm25", "dense", "hybrid")
QA_PATH = PROJECT_ROOT / "eval" / "data" / "qa.jsonl"
COLUMNS = (
    ("hit@1", "retrieval.hit@1"), ("hit@3", "retrieval.hit@3"), ("hit@5", "retrieval.hit@5"),
    ("hit@10", "retrieval.hit@10"), ("mrr@10", "retrieval.mrr@10"), ("ans.acc", "answer.accuracy"),
    ("cit.acc", "citation.accuracy"), ("refuse", "refusal.accuracy"), ("p50 ms", "latency_ms.p50"),
    ("p95 ms", "latency_ms.p95"),
)  # fmt: skip


class PlaceFilterPipeline(Pipeline):
    """Hybrid with a hard filter instead of a boost: a question naming a known place is searched only
    in letters of bureaus whose name contains that place (the longest place named wins)."""

    def search(self, query: str, k: int | None = None, mode: str | None = None,
               filters: Filters | None = None) -> list[Hit]:
        if filters is None:
            named = places_in(query, self.retriever.known_places())
            if named:
                filters = Filters(region=max(named, key=len))
        return super().search(query, k, mode, filters)


def build_or_reuse(settings: Settings, embedder: Embedder, paths: Sequence[Path], label: str) -> dict[str, Any]:
    """Index `paths` into settings.index_dir unless it already holds an index; return build figures."""
    pipe = Pipeline(settings, embedder)
    if pipe.has_index():
        docs, chunks = pipe.store.count()
        print(f"[{label}] reusing index {settings.index_dir}: {docs} documents, {chunks} chunks")
        return {"reused": True, "documents": docs, "chunks": chunks}
    files = [0]

    def on_file(_: Path) -> None:
        files[0] += 1
        if files[0] % 250 == 0:
            print(f"[{label}] ingested {files[0]} files ({time.perf_counter() - t0:.0f}s)", flush=True)

    print(f"[{label}] indexing {', '.join(str(p) for p in paths)} → {settings.index_dir}  ({load()})", flush=True)
    t0 = time.perf_counter()
    report, stats = pipe.index(list(paths), progress=True, on_file=on_file)
    total = time.perf_counter() - t0
    assert stats is not None
    docs, chunks = pipe.store.count()
    ingest = total - stats.seconds
    out = {
        "reused": False, "documents": docs, "chunks": chunks, "embedded": stats.embedded,
        "dense_kind": stats.dense_kind, "ingest_s": round(ingest, 1), "build_s": round(stats.seconds, 1),
        "total_s": round(total, 1), "chunks_per_s": round(stats.embedded / stats.seconds, 1),
        "skipped": len(report.skipped), "load_after": load(),
    }  # fmt: skip
    print(
        f"[{label}] {docs} documents, {chunks} chunks ({stats.dense_kind}); ingest+chunk {ingest:.1f}s, "
        f"embed+build {stats.seconds:.1f}s = {out['chunks_per_s']} chunks/s; total {total:.1f}s  ({load()})",
        flush=True,
    )
    return out


def table(title: str, rows: dict[str, dict[str, Any]]) -> None:
    print(f"\n{title}")
    head = f"{'':<14}" + "".join(f"{c:>9}" for c, _ in COLUMNS)
    print(head)
    for name, m in rows.items():
        cells = []
        for _, key in COLUMNS:
            v = m.get(key)
            cells.append(f"{'-':>9}" if v is None else f"{v:>9.1f}" if key.startswith("latency") else f"{v:>9.3f}")
        print(f"{name:<14}" + "".join(cells))


def run_set(settings: Settings, embedder: Embedder, items: list[QAItem], label: str) -> dict[str, Any]:
    """The mode table and the place-handling table for one index."""
    pipe = Pipeline(settings, embedder)
    pipe.search("预热", mode="hybrid")  # load the generation before timing
    modes: dict[str, dict[str, Any]] = {}
    outcomes: dict[str, list[Any]] = {}
    for mode in MODES:
        modes[mode], outcomes[mode] = evaluate(pipe, items, mode)
        modes[mode]["load"] = load()
    table(f"{label}: retrieval modes (k={settings.k}; n={len(items)}; {load()})", modes)

    known = pipe.retriever.known_places()
    placed = [it for it in items if places_in(it.question, known)]
    variants: dict[str, Pipeline] = {
        "boost 0": Pipeline(settings.model_copy(update={"place_boost": 0.0}), embedder),
        "boost 1": Pipeline(settings.model_copy(update={"place_boost": 1.0}), embedder),
        "boost 3": Pipeline(settings.model_copy(update={"place_boost": 3.0}), embedder),
        "filter": PlaceFilterPipeline(settings.model_copy(update={"place_boost": 0.0}), embedder),
    }
    place: dict[str, dict[str, Any]] = {}
    place_sub: dict[str, dict[str, Any]] = {}
    place_out: dict[str, list[Any]] = {}
    for name, p in variants.items():
        p.search("预热", mode="hybrid")
        m, outs = evaluate(p, items, "hybrid")
        place[name], place_out[name] = m, outs
        ids = {it.id for it in placed}
        place_sub[name] = summarize([o for o in outs if o.id in ids], placed, p.store, m["config"])
    table(f"{label}: place handling, hybrid, all questions ({load()})", place)
    table(f"{label}: place handling, hybrid, the {len(placed)} questions naming a known place", place_sub)
    return {
        "modes": modes, "place": place, "place_named_subset": place_sub, "n_place_questions": len(placed),
        "misses": misses(pipe, items, outcomes),
        "place_misses": misses(variants["filter"], items, {"hybrid": place_out["filter"]}),
        "wrong_answers": wrong_answers(items, outcomes["hybrid"]),
        "differences": place_differences(items, place_out),
    }  # fmt: skip


def misses(pipe: Pipeline, items: list[QAItem], outcomes: dict[str, list[Any]], k: int = 5) -> list[dict[str, Any]]:
    """Answerable questions whose evidence is not in the top k, with what came first instead."""
    by_id = {it.id: it for it in items}
    out = []
    for mode, outs in outcomes.items():
        for o in outs:
            it = by_id[o.id]
            if it.evidence is None or (o.hit_rank is not None and o.hit_rank <= k):
                continue
            top = pipe.search(it.question, 3, mode)
            out.append({
                "mode": mode, "id": it.id, "question": it.question, "rank": o.hit_rank, "gold": it.bureau,
                "evidence": it.evidence,
                "got": [f"{h.meta.bureau or '?'} | {h.chunk.doc_id[:8]} | {h.chunk.text[:60]}"
                        for h in top],
            })  # fmt: skip
    return out


def wrong_answers(items: list[QAItem], outs: list[Any]) -> list[dict[str, Any]]:
    """Hybrid outcomes whose answer is wrong or whose refusal is wrong (retrieval rank alongside)."""
    by_id = {it.id: it for it in items}
    rows = []
    for o in outs:
        it = by_id[o.id]
        if (it.evidence is None and o.found) or (o.correct is not None and not o.correct):
            rows.append({"id": o.id, "question": o.question, "rank": o.hit_rank, "found": o.found,
                         "answer": o.answer[:80], "gold": list(it.answers)})
    return rows


def place_differences(items: list[QAItem], outs: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Questions whose rank or refusal changes between the place variants."""
    by_var = {name: {o.id: o for o in os_} for name, os_ in outs.items()}
    diff = []
    for it in items:
        ranks = {name: v[it.id].hit_rank for name, v in by_var.items()}
        found = {name: v[it.id].found for name, v in by_var.items()}
        if len(set(ranks.values())) > 1 or len(set(found.values())) > 1:
            diff.append({"id": it.id, "question": it.question, "rank": ranks, "answered": found})
    return diff


def print_misses(label: str, rows: list[dict[str, Any]]) -> None:
    print(f"\n{label}: answerable questions with the evidence not in the top 5")
    if not rows:
        print("  none")
    for r in rows:
        print(f"  [{r['mode']}] {r['id']} rank={r['rank']} {r['question']}  (gold: {r['gold']}: {r['evidence'][:30]})")
        for g in r["got"]:
            print(f"      got: {g}")


def print_differences(label: str, rows: list[dict[str, Any]]) -> None:
    print(f"\n{label}: questions where place handling changes the rank (None = not in top 10) or refusal")
    for r in rows:
        ranks = "  ".join(f"{k}={v}" for k, v in r["rank"].items())
        ans = "".join("A" if v else "-" for v in r["answered"].values())
        print(f"  {r['id']} {ranks}  answered[{ans}]  {r['question']}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=2000, help="synthetic letters to add (0: five letters only)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--index-dir", type=Path, default=None, help="index of corpus + distractors (reused if built)")
    ap.add_argument("--letters-index-dir", type=Path, default=None, help="index of corpus/ alone (reused if built)")
    ap.add_argument("--near-copies", type=int, default=0,
                    help="also score corpus/ + N near-copies of its letters (eval.generators.near_copies)")
    ap.add_argument("--qa", type=Path, default=QA_PATH)
    ap.add_argument("--out", type=Path, default=None, help="write all figures as JSON")
    args = ap.parse_args(argv)

    base = get_settings()
    items = load_qa(args.qa)
    t0 = time.perf_counter()
    embedder = get_embedder(base)
    embedder.embed_queries(["预热"])  # model load is not part of any figure below
    print(f"embedder {embedder.name} loaded in {time.perf_counter() - t0:.1f}s  ({load()})")
    report: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M"), "argv": sys.argv, "n": args.n, "seed": args.seed,
        "embedder": embedder.name, "load_start": load(),
    }  # fmt: skip

    with tempfile.TemporaryDirectory(prefix="rag-bench-distractors-") as tmp:
        tmp_p = Path(tmp)
        letters_dir = args.letters_index_dir or tmp_p / "letters-index"
        s_letters = base.model_copy(update={"index_dir": letters_dir})
        report["letters_index"] = build_or_reuse(s_letters, embedder, [base.corpus_dir], "5 letters")
        report["letters"] = run_set(s_letters, embedder, items, "5 letters")

        if args.n > 0:
            idx_dir = args.index_dir or tmp_p / "index"
            s_dist = base.model_copy(update={"index_dir": idx_dir})
            paths: list[Path] = [base.corpus_dir]
            if not Pipeline(s_dist, embedder).has_index():
                from eval.generators.distractors import generate

                t1 = time.perf_counter()
                ddir = tmp_p / "distractors"
                generate(ddir, args.n, args.seed)
                print(f"wrote {args.n} SYNTHETIC letters (seed {args.seed}) in {time.perf_counter() - t1:.1f}s")
                paths.append(ddir)
            report["distractor_index"] = build_or_reuse(s_dist, embedder, paths, f"5 + {args.n}")
            report["distractors"] = run_set(s_dist, embedder, items, f"5 letters + {args.n} distractors")

        if args.near_copies > 0:  # copies read after the letters: re-issues replace them, the rest are letters too
            from eval.generators.near_copies import generate as near_copies

            s_near = base.model_copy(update={"index_dir": tmp_p / "near-index"})
            near_copies(tmp_p / "near-copies", args.near_copies, args.seed)
            report["near_copies_index"] = build_or_reuse(s_near, embedder, [base.corpus_dir, tmp_p / "near-copies"],
                                                         f"5 + {args.near_copies} near-copies")
            report["near_copies"] = run_set(s_near, embedder, items, f"5 letters + {args.near_copies} near-copies")

    for key, label in (("letters", "5 letters"), ("distractors", f"5 + {args.n} distractors"),
                       ("near_copies", f"5 + {args.near_copies} near-copies")):
        if key in report:
            print_misses(label, report[key]["misses"])
            print_misses(f"{label}, hybrid + place filter", report[key]["place_misses"])
            print_differences(label, report[key]["differences"])
            print(f"\n{label}, hybrid: wrong answers and wrong refusals (rank of the evidence alongside)")
            for r in report[key]["wrong_answers"]:
                said = r["answer"].replace("\n", " ") if r["found"] else "(refused)"
                print(f"  {r['id']} rank={r['rank']} {r['question']}  gold={r['gold']}  said: {said}")
    report["load_end"] = load()
    print(f"\ndone in {time.perf_counter() - t0:.0f}s  ({load()})")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str))
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
