"""Evaluation reports: a readable table, the JSON file, and a small HTML page with matplotlib charts."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich.table import Table

from rag.evaluation.evaluate import Outcome
from rag.evaluation.metrics import KS

ROWS = [f"retrieval.hit@{k}" for k in KS] + [
    "retrieval.mrr@10", "answer.accuracy", "citation.accuracy", "citation.precision", "refusal.accuracy",
    "answer.false_refusal", "answer.wrong_rate", "answer.partial_rate", "answer.rouge_l", "latency_ms.p50",
    "latency_ms.p95",
]


def _fmt(v: object) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.1f}" if v > 1.5 else f"{v:.3f}"
    return str(v)


def table(results: Mapping[str, Mapping[str, Any]]) -> Table:
    """One column per run (e.g. per retrieval mode)."""
    t = Table("metric", *results.keys(), title=f"n = {next(iter(results.values()))['n']}")
    for row in ROWS:
        if any(row in r for r in results.values()):
            t.add_row(row, *(_fmt(r.get(row)) for r in results.values()))
    types = sorted({ty for r in results.values() for ty in r.get("by_type", {})})
    if len(types) > 1:  # handled right (answered right or refused where the letters do not say) / wrong
        for ty in types:
            cells = []
            for r in results.values():
                g = r.get("by_type", {}).get(ty)
                cells.append(f"{_fmt(g['ok'])} ({_fmt(g['wrong'])} wrong, n={g['n']})" if g else "—")
            t.add_row(f"type {ty}: ok", *cells)
    return t


def write_json(path: Path, results: Mapping[str, Mapping[str, Any]], outcomes: Mapping[str, Sequence[Outcome]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {name: {**r, "questions": [asdict(o) for o in outcomes[name]]} for name, r in results.items()}
    doc = next(iter(body.values())) if len(body) == 1 else {"runs": body}
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1))


def write_html(path: Path, results: Mapping[str, Mapping[str, Any]], outcomes: Mapping[str, Sequence[Outcome]]) -> None:
    """HTML with a hit@k chart (PNG beside it) and a per-question outcome table for each run."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    png = path.with_suffix(".hitk.png")
    fig, ax = plt.subplots(figsize=(5, 3.2), dpi=120)
    for name, r in results.items():
        ax.plot(KS, [r[f"retrieval.hit@{k}"] for k in KS], marker="o", label=name)
    ax.set_xlabel("k")
    ax.set_ylabel("hit@k")
    ax.set_ylim(0, 1.02)
    ax.set_xticks(KS)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(png)
    plt.close(fig)

    esc = html.escape
    parts = [
        "<!doctype html><meta charset='utf-8'><title>rag eval</title>",
        "<style>body{font-family:sans-serif;margin:2em}td,th{border:1px solid #ccc;padding:3px 6px;"
        "font-size:13px}table{border-collapse:collapse;margin-bottom:2em}.bad{background:#fde2e2}"
        ".ok{background:#e5f6e5}</style>",
        "<h1>Evaluation</h1>",
        f"<img src='{esc(png.name)}' alt='hit@k curves'>",
        "<table><tr><th>metric</th>" + "".join(f"<th>{esc(n)}</th>" for n in results) + "</tr>",
    ]
    for row in ROWS:
        if any(row in r for r in results.values()):
            cells = "".join(f"<td>{_fmt(r.get(row))}</td>" for r in results.values())
            parts.append(f"<tr><td>{row}</td>{cells}</tr>")
    parts.append("</table>")
    for name, outs in outcomes.items():
        parts.append(f"<h2>{esc(name)}: per question</h2><table><tr><th>id</th><th>question</th><th>hit rank</th>"
                     "<th>found</th><th>correct</th><th>cited</th><th>answer</th></tr>")
        for o in outs:
            bad = o.correct is False or o.cited is False or (o.hit_rank is None and o.cited is not None)
            parts.append(
                f"<tr class='{'bad' if bad else 'ok'}'><td>{esc(o.id)}</td><td>{esc(o.question)}</td>"
                f"<td>{o.hit_rank or '—'}</td><td>{o.found}</td><td>{_fmt(o.correct)}</td><td>{_fmt(o.cited)}</td>"
                f"<td>{esc(o.answer[:160])}</td></tr>"
            )
        parts.append("</table>")
    path.write_text("\n".join(parts), encoding="utf-8")
