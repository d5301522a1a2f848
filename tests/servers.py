"""Servers the tests start as real subprocesses on 127.0.0.1: a free port, waiting until one answers, stopping it."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen[bytes], grace_s: float) -> None:
    """Terminate, and kill when it has not exited within `grace_s`."""
    proc.terminate()
    try:
        proc.wait(grace_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def rag_api(argv: Sequence[str], url: str, log: Path, cwd: Path, env: Mapping[str, str],
            timeout_s: float = 120.0) -> Iterator[subprocess.Popen[bytes]]:
    """The API server `argv` (output to `log`) once GET {url}/api/health is 200; stopped on the way out."""
    with log.open("wb") as out:
        proc = subprocess.Popen(list(argv), cwd=cwd, env=dict(env), stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                if httpx.get(url + "/api/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"rag serve did not start; its log:\n{log.read_text(errors='replace')}")
            time.sleep(0.2)
        yield proc
    finally:
        stop(proc, 20)
