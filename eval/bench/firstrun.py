"""Fresh clone → `make run` → the web chat's first answer, timed step by step (a benchmark).

    .venv/bin/python -m eval.bench.firstrun [--repo .] [--dest /tmp/firstrun] [--pip-cache DIR] [--out FILE]

Clones the repository (its committed HEAD) into an empty folder, runs `make run` there with its own new
venv, and asks the served page's API the first question as soon as the server listens, until an answer
arrives. Prints when each Makefile step started (its `==>` lines) and the total. `--pip-cache DIR` sets
PIP_CACHE_DIR: an empty folder measures a cold machine (every wheel downloaded or built), the same folder
again a warm one. The make process group is stopped at the end; the clone is kept for inspection.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from eval.bench.lib import ROOT, load, machine

QUESTION = "温州市有多少家养老机构？"
STEP = re.compile(r"^==> (.+?)\s+\[\d\d:\d\d:\d\d\]$")
LIMIT_S = 60 * 60


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ask(port: int) -> dict[str, Any] | None:
    import httpx

    try:
        r = httpx.post(f"http://127.0.0.1:{port}/api/ask", json={"question": QUESTION}, timeout=120)
    except httpx.TransportError:
        return None
    return r.json() if r.status_code == 200 else None


def run(repo: Path, dest: Path, pip_cache: Path | None, log_path: Path) -> dict[str, Any]:
    if dest.exists():
        shutil.rmtree(dest)
    subprocess.run(["git", "clone", "-q", str(repo), str(dest)], check=True)
    commit = subprocess.run(["git", "-C", str(dest), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, check=True).stdout.strip()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAG_", "VIRTUAL_ENV"))}
    if pip_cache is not None:
        env["PIP_CACHE_DIR"] = str(pip_cache)
    t0 = time.monotonic()
    steps: list[tuple[str, float]] = []
    log = log_path.open("w", encoding="utf-8")
    proc = subprocess.Popen(["make", "run", f"PORT={port}"], cwd=dest, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            at = time.monotonic() - t0
            log.write(f"{at:7.1f} {line}")
            log.flush()
            if m := STEP.match(line.strip()):
                steps.append((m.group(1), at))
                print(f"{at:7.1f}s  {m.group(1)}", flush=True)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    answer, answered_at = None, None
    try:
        while time.monotonic() - t0 < LIMIT_S:
            if proc.poll() is not None:
                raise SystemExit(f"make run exited with {proc.returncode}; see {log_path}")
            if steps and steps[-1][0].startswith("4/4") and (answer := _ask(port)) is not None:
                answered_at = time.monotonic() - t0
                break
            time.sleep(0.5)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        reader.join(5)
        log.close()
    if answered_at is None or answer is None:
        raise SystemExit(f"no answer within {LIMIT_S} s; see {log_path}")
    marks = [*steps, ("first answer", answered_at)]
    return {
        "commit": commit, "pip_cache": str(pip_cache) if pip_cache else "default", "total_s": round(answered_at, 1),
        "steps": [{"step": name, "start_s": round(at, 1),
                   "took_s": round(marks[i + 1][1] - at, 1) if i + 1 < len(marks) else None}
                  for i, (name, at) in enumerate(marks)],
        "answer": answer["answer"], "found": answer["found"], "load_after": load(), "log": str(log_path),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repo", type=Path, default=ROOT, help="The repository to clone (its HEAD).")
    ap.add_argument("--dest", type=Path, default=Path("/tmp/rag-firstrun"), help="Where to clone (emptied).")
    ap.add_argument("--pip-cache", type=Path, help="PIP_CACHE_DIR for the run (an empty dir = cold).")
    ap.add_argument("--out", type=Path, help="Write the figures as JSON.")
    args = ap.parse_args(argv)
    print(f"cloning {args.repo} into {args.dest}; {load()}", flush=True)
    r = run(args.repo, args.dest, args.pip_cache, args.dest.with_name(args.dest.name + ".log"))
    print(f"\nfresh clone → first answer: {r['total_s']:.0f} s ({r['total_s'] / 60:.1f} min) at commit {r['commit']};"
          f" pip cache {r['pip_cache']}; {r['load_after']}")
    for s in r["steps"]:
        took = f"{s['took_s']:7.1f} s" if s["took_s"] is not None else ""
        print(f"  {s['start_s']:7.1f} s  {took}  {s['step']}")
    print(f"  answer: {r['answer'][:80]}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"machine": machine(), **r}, ensure_ascii=False, indent=2) + "\n",
                            encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
