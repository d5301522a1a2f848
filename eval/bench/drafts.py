"""Draft quality over eval/data/proposals.jsonl: the draft checker's counts, per draft (a benchmark, not a test).

    .venv/bin/python -m eval.bench.drafts [--baseline REV] [--index-dir DIR] [--out report.json] [--markdown]

Indexes corpus/ with the configured (real) embedder in a temp folder (or reuses --index-dir), drafts a
reply to each proposal through Pipeline.draft without an LLM (the template text the LLM would start
from; deterministic), and checks each draft with rag.draft.check against the proposal's hand-labelled
demands (key phrases, in the proposal's order). --baseline REV also drafts with the code at git
revision REV, exported with `git archive` to a temp folder and run there in a subprocess over the same
index, and checks those drafts with today's checker: the before/after table of the README.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eval.bench.lib import load
from rag.core.settings import PROJECT_ROOT, Settings, get_settings
from rag.draft import DraftRequest
from rag.draft.check import COUNTS, check_draft
from rag.pipeline import Pipeline

PROPOSALS = PROJECT_ROOT / "eval" / "data" / "proposals.jsonl"
SHORT = {"dangling_ordinals": "ordinals", "leads_without_items": "leads", "foreign_names": "foreign",
         "half_width": "half-w", "off_demand": "off-dem", "unflagged_facts": "facts", "demands_unanswered": "unans"}
# run inside the exported old tree: only the API every version has (Pipeline.draft, DraftRequest, to_json)
_DUMP = """
import json, sys
from pathlib import Path
from rag.core.settings import Settings
from rag.draft import DraftRequest
from rag.pipeline import Pipeline
index_dir, models_dir, corpus_dir, proposals = sys.argv[1:5]
pipe = Pipeline(Settings(index_dir=Path(index_dir), models_dir=Path(models_dir), corpus_dir=Path(corpus_dir),
                         _env_file=None))
for line in Path(proposals).read_text(encoding="utf-8").splitlines():
    p = json.loads(line)
    req = DraftRequest(title=p["title"], text=p["text"], addressee=p.get("addressee"), meeting=p.get("meeting"),
                       bureau=p.get("bureau"))
    print(json.dumps(pipe.draft(req, use_llm=False).to_json(), ensure_ascii=False), flush=True)
"""


def load_proposals(path: Path = PROPOSALS) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def request_of(p: dict[str, Any]) -> DraftRequest:
    return DraftRequest(title=p["title"], text=p["text"], addressee=p.get("addressee"), meeting=p.get("meeting"),
                        bureau=p.get("bureau"))


def draft_all(settings: Settings, proposals: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    pipe = Pipeline(settings)
    return [pipe.draft(request_of(p), use_llm=False).to_json() for p in proposals]


def draft_at(rev: str, settings: Settings, proposals_path: Path) -> list[dict[str, Any]]:
    """Drafts made by the code at git revision `rev` (its own rag package, in a subprocess)."""
    with tempfile.TemporaryDirectory(prefix="drafts-baseline-") as tmp:
        archive = subprocess.run(["git", "-C", str(PROJECT_ROOT), "archive", rev], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        out = subprocess.run(
            [sys.executable, "-c", _DUMP, str(settings.index_dir.resolve()), str(settings.models_dir.resolve()),
             str(settings.corpus_dir.resolve()), str(proposals_path.resolve())],
            cwd=tmp, check=True, capture_output=True, text=True,
        ).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def score(proposals: Sequence[dict[str, Any]], drafts: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for p, d in zip(proposals, drafts, strict=True):
        c = check_draft(d, p, demands=p["demands"])
        rows.append({"id": p["id"], "covered": p["covered"], "sections": len(d["sections"]), "marks": c.marks,
                     "gaps": c.gaps, **c.counts, "issues": [vars(i) for i in c.issues]})
    return rows


def totals(rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    out = {k: sum(r[k] for r in rows) for k in (*COUNTS, "marks", "gaps", "sections")}
    out |= {f"drafts_with_{k}": sum(1 for r in rows if r[k]) for k in COUNTS}
    return out


def print_table(after: Sequence[dict[str, Any]], before: Sequence[dict[str, Any]] | None) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(title="draft checker, per draft" + (" (before → after)" if before else ""))
    for col in ("id", "topic", "sections", "marks", "gaps", *(SHORT[k] for k in COUNTS)):
        t.add_column(col, justify="left" if col in ("id", "topic") else "right")
    for i, r in enumerate(after):
        b = before[i] if before else None
        cells = [f"{b[k]} → {r[k]}" if b else str(r[k]) for k in ("sections", "marks", "gaps", *COUNTS)]
        t.add_row(r["id"], r["covered"], *cells)
    tb, ta = (totals(before) if before else None), totals(after)
    t.add_row("total", "", *[f"{tb[k]} → {ta[k]}" if tb else str(ta[k]) for k in ("sections", "marks", "gaps",
                                                                                  *COUNTS)])
    Console(width=200).print(t)


def markdown(after: Sequence[dict[str, Any]], before: Sequence[dict[str, Any]] | None) -> str:
    """The summary table of the README: per count, the total and how many drafts have any."""
    ta, tb = totals(after), totals(before) if before else None
    lines = ["| count (over all drafts) | before: total | drafts affected | after: total | drafts affected |",
             "|---|---|---|---|---|"]
    for k in COUNTS:
        b = f"{tb[k]} | {tb['drafts_with_' + k]}" if tb else "– | –"
        lines.append(f"| {k} | {b} | {ta[k]} | {ta['drafts_with_' + k]} |")
    for k in ("marks", "gaps", "sections"):
        lines.append(f"| {k} | {tb[k] if tb else '–'} | | {ta[k]} | |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--proposals", type=Path, default=PROPOSALS)
    ap.add_argument("--index-dir", type=Path, help="Reuse (or build once) the index in this folder.")
    ap.add_argument("--baseline", metavar="REV", help="Also draft with the code at this git revision.")
    ap.add_argument("--out", type=Path, help="Write every draft's counts and issues as JSON.")
    ap.add_argument("--markdown", action="store_true", help="Print the README's summary table too.")
    args = ap.parse_args(argv)

    proposals = load_proposals(args.proposals)
    with tempfile.TemporaryDirectory(prefix="drafts-index-") as tmp:
        settings = get_settings().model_copy(update={"index_dir": args.index_dir or Path(tmp) / "index"})
        pipe = Pipeline(settings)
        if not pipe.has_index() or args.index_dir is None:
            pipe.index([settings.corpus_dir])
        t0 = time.perf_counter()
        after = score(proposals, draft_all(settings, proposals))
        took = time.perf_counter() - t0
        before = score(proposals, draft_at(args.baseline, settings, args.proposals)) if args.baseline else None
    print_table(after, before)
    print(f"{len(proposals)} proposals, drafted in {took:.1f} s ({load()})")
    for label, rows in (("after", after), ("before", before or [])):
        for topic in ("yes", "partly", "no"):
            mine = [r for r in rows if r["covered"] == topic]
            if mine:
                n, gaps = sum(r["sections"] for r in mine), sum(r["gaps"] for r in mine)
                print(f"{label}: topics the letters cover={topic}: {len(mine)} proposals, {n} sections, "
                      f"{n - gaps} answered from precedent, {gaps} 【待补充】")
    if args.markdown:
        print(markdown(after, before))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"after": after, "before": before, "baseline": args.baseline,
                                        "totals": {"after": totals(after),
                                                   "before": totals(before) if before else None}},
                                       ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
