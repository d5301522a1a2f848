"""A real Milvus for tests and benchmarks: `milvus-lite server` (the pinned milvus-lite, which speaks Milvus's gRPC
protocol) on a free 127.0.0.1 port over a temporary data dir, started and stopped around the caller."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.servers import free_port, stop

START_TIMEOUT_S = 60.0


def available() -> bool:
    return importlib.util.find_spec("milvus_lite") is not None and importlib.util.find_spec("pymilvus") is not None


@contextmanager
def milvus_lite_server(data_dir: Path) -> Iterator[str]:
    """Yield the server's URI once it answers; stop it (and wait for it) on the way out."""
    port = free_port()
    log = (data_dir.parent / f"{data_dir.name}.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "milvus_lite", "server", "--data-dir", str(data_dir),
                             "--host", "127.0.0.1", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    uri = f"http://127.0.0.1:{port}"
    try:
        _wait(proc, uri, data_dir)
        yield uri
    finally:
        stop(proc, 10)
        log.close()


def _wait(proc: subprocess.Popen[bytes], uri: str, data_dir: Path) -> None:
    from pymilvus import MilvusClient

    from rag.index.milvus import GRPC_OPTIONS

    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"milvus-lite server exited ({proc.returncode}); see {data_dir}.log")
        try:
            # closed at once, and with the store's keepalive settings: pymilvus shares one channel per URI with
            # later clients, keeping the options of the first; pinged every 10 s while idle, the server drops it
            # (GOAWAY too_many_pings) and the next client of the URI cannot connect
            client = MilvusClient(uri=uri, timeout=2, grpc_options=GRPC_OPTIONS)
            client.list_collections()
            client.close()
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
