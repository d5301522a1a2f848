"""The server under load for eval/stress/load.py: `rag index corpus/`, then the API in a subprocess on a free
127.0.0.1 port (uvicorn over the embedded index, or `rag serve` as a replica of an index on Milvus)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`rag index corpus/` (unless `index` is False: another replica did it), then the server in a subprocess:
    uvicorn, or `rag serve` when `milvus` (uri, collection) is given; its output goes to `log`."""

    def __init__(self, work: Path, token: str, embed_model: str | None, milvus: tuple[str, str] | None = None,
                 index: bool = True) -> None:
        work.mkdir(parents=True, exist_ok=True)
        self.work = work
        self.token = token
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = work / "server.log"
        self.milvus = milvus
        self.index = index
        # no RAG_* of the caller and, with the work dir as cwd, no .env: only these settings apply; PYTHONPATH:
        # this checkout's code, whatever checkout the venv was installed from
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
        self.env.update(RAG_INDEX_DIR=str(work / "index"), RAG_ADMIN_TOKEN=token, HF_HUB_OFFLINE="1",
                        PYTHONPATH=str(ROOT))
        if embed_model:
            self.env["RAG_EMBED_MODEL"] = str(Path(embed_model).resolve())
        if milvus:
            self.env.update(RAG_MILVUS_URI=milvus[0], RAG_MILVUS_COLLECTION=milvus[1], RAG_HOST="127.0.0.1",
                            RAG_PORT=str(self.port))
        self.proc: subprocess.Popen[bytes] | None = None
        self.timings: dict[str, float] = {}

    def __enter__(self) -> Server:
        t0 = time.monotonic()
        if self.index:
            self._index_corpus()
        self.timings["index"] = round(time.monotonic() - t0, 2)
        cmd = (["-m", "rag.cli", "serve"] if self.milvus else
               ["-m", "uvicorn", "--factory", "api.app:create_app", "--host", "127.0.0.1", "--port", str(self.port),
                "--log-level", "info"])
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen([sys.executable, *cmd], cwd=self.work, env=self.env, stdout=out,
                                         stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(self.url + "/api/health", timeout=5).status_code == 200:
                    self.timings["start"] = round(time.monotonic() - t0 - self.timings["index"], 2)
                    return self
            except httpx.TransportError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError(f"the server did not start; its log:\n{self.log.read_text(errors='replace')}")
            time.sleep(0.2)

    def _index_corpus(self) -> None:
        """What `rag index corpus/` does, in this process (one Python + torch start-up fewer), with the
        settings the server gets: the server's defaults, this index dir and embedder, no caller's RAG_*."""
        from rag.core.settings import Settings
        from rag.pipeline import Pipeline

        milvus = {"milvus_uri": self.milvus[0], "milvus_collection": self.milvus[1]} if self.milvus else {}
        settings = Settings(_env_prefix="RAG_LOADTEST_IGNORED_", _env_file=None, index_dir=self.work / "index",
                            embed_model=self.env.get("RAG_EMBED_MODEL", ""), **milvus)
        pipe = Pipeline(settings)
        try:
            report, _ = pipe.index([CORPUS])
        finally:
            pipe.store.close()
        if report.skipped or not report.ok:
            raise RuntimeError(f"indexing {CORPUS} failed: {report.to_json()}")

    def __exit__(self, *_: object) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
