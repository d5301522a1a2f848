"""Cold-start time of the `rag` command line: a new process per run, as a user types it (a benchmark).

    .venv/bin/python -m eval.bench.cli [--before DIR] [--runs 10] [--index-dir index] [--out FILE.json]

Times `rag docs`, `rag search …` and `rag ask …` end to end (interpreter start, imports, index and model
loading, the answer) with hyperfine when it is installed (Debian: `apt-get install hyperfine`; each
command's runs in a row after one warm-up), else or with --loop by a loop of subprocesses that interleaves
the commands run by run. `--before DIR` is another checkout of the project (e.g. `git clone . /tmp/before
&& git -C /tmp/before checkout <commit>`) timed in the same run, over the same index and venv. Each
checkout's own code runs (`python -m rag.cli` from its folder), with Python's bytecode cache on, as on a
user's machine (PYTHONDONTWRITEBYTECODE is unset; a first run writes the cache).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from eval.bench.lib import ROOT, Fig, load, machine, pct, table

QUESTION = "温州市有多少家养老机构？"
COMMANDS = {
    "docs": ["docs"],
    "search": ["search", "给老人家里装扶手", "--k", "5"],
    "ask": ["ask", QUESTION],
}
TARGET_S = 2.0


MODELS: dict[str, str] = {}  # RAG_MODELS_DIR for every run, when --models-dir is given


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE" and not k.startswith("RAG_")}
    return env | {"COLUMNS": "200"} | MODELS


def _argv(tree: Path, command: list[str], index_dir: Path) -> list[str]:
    return [sys.executable, "-m", "rag.cli", *command, "--index-dir", str(index_dir)]


def _check(tree: Path, argv: list[str]) -> None:
    """One run first: it must succeed (and writes the bytecode cache)."""
    proc = subprocess.run(argv, cwd=tree, env=_env(), capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed in {tree}:\n{proc.stdout}\n{proc.stderr}")


def _loop(runs: dict[str, tuple[Path, list[str]]], n: int) -> dict[str, list[float]]:
    """Seconds per run, the series interleaved run by run so a change of load hits every series alike."""
    out: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(n):
        for name, (tree, argv) in runs.items():
            t0 = time.perf_counter()
            subprocess.run(argv, cwd=tree, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           check=True, timeout=300)
            out[name].append(time.perf_counter() - t0)
    return out


def _hyperfine(runs: dict[str, tuple[Path, list[str]]], n: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, (tree, argv) in runs.items():
            export = Path(tmp) / "h.json"
            cmd = " ".join(_quote(a) for a in argv)
            subprocess.run(["hyperfine", "--runs", str(n), "--warmup", "1", "--style", "basic", "-N",
                            "--command-name", name, "--export-json", str(export), cmd],
                           cwd=tree, env=_env(), check=True, stdout=sys.stderr)
            out[name] = json.loads(export.read_text())["results"][0]["times"]
    return out


def _quote(arg: str) -> str:
    return arg if arg and all(c.isalnum() or c in "-_./=:" for c in arg) else "'" + arg.replace("'", "'\\''") + "'"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--before", type=Path, help="Another checkout to time in the same run (the 'before').")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--index-dir", type=Path, default=ROOT / "index", help="An index built by `rag index`.")
    ap.add_argument("--models-dir", type=Path, help="RAG_MODELS_DIR for both trees (default: each tree's models/).")
    ap.add_argument("--loop", action="store_true", help="Time with a subprocess loop even if hyperfine exists.")
    ap.add_argument("--out", type=Path, help="Write the figures as JSON.")
    args = ap.parse_args(argv)
    index_dir = args.index_dir.resolve()
    if args.models_dir:
        MODELS["RAG_MODELS_DIR"] = str(args.models_dir.resolve())
    trees = {"after": ROOT} | ({"before": args.before.resolve()} if args.before else {})
    runs = {f"{cmd} ({label})": (tree, _argv(tree, c, index_dir)) for cmd, c in COMMANDS.items()
            for label, tree in trees.items()}
    for tree, a in runs.values():
        _check(tree, a)
    use_hyperfine = shutil.which("hyperfine") is not None and not args.loop
    load_before = load()
    times = (_hyperfine if use_hyperfine else _loop)(runs, args.runs)
    load_after = load()
    figs = []
    for cmd in COMMANDS:
        ours = times[f"{cmd} (after)"]
        base = times.get(f"{cmd} (before)")
        figs.append(Fig(
            "cli", f"rag {cmd}", f"{len(ours)} runs", pct(ours, 50), "s", baseline=pct(base, 50) if base else None,
            baseline_name="before" if base else "", higher_is_better=False, p95=pct(ours, 95),
            baseline_p95=pct(base, 95) if base else None, target=f"≤ {TARGET_S:g} s",
            passed=pct(ours, 50) <= TARGET_S, note=f"min {min(ours):.2f} s", load=load_after))
    print(table(figs, f"rag CLI cold start ({'hyperfine' if use_hyperfine else 'subprocess loop'}; "
                      f"{load_before} → {load_after})"))
    if args.out:
        report: dict[str, Any] = {"machine": machine(), "tool": "hyperfine" if use_hyperfine else "loop",
                                  "load": [load_before, load_after], "times_s": times,
                                  "figures": [f.to_json() for f in figs]}
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"JSON: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
