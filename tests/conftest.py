"""Shared fixtures: a fast fake embedder (no model load) and pipelines over temporary index dirs."""

from __future__ import annotations

import hashlib
import itertools
import os
import shutil
import stat
import subprocess
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from rag.core.settings import PROJECT_ROOT, Settings

CORPUS = PROJECT_ROOT / "corpus"
DATA = Path(__file__).parent / "data"


class FakeEmbedder:
    """Hashes character bigrams into a fixed-size vector: similar strings get similar vectors, exactly
    reproducibly, with no model. Counts what it embeds so tests can check caching."""

    def __init__(self, dim: int = 256, name: str = "fake-bigram-256") -> None:
        self.dim = dim
        self.name = name
        self.embedded: list[str] = []

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, np.float32)
        for a, b in itertools.pairwise(text):
            h = int.from_bytes(hashlib.blake2b((a + b).encode(), digest_size=4).digest(), "little")
            v[h % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def embed_passages(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        self.embedded.extend(texts)
        return self.embed_queries(texts)


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(index_dir=tmp_path / "index", corpus_dir=CORPUS, _env_file=None)


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    d = tmp_path / "corpus"
    shutil.copytree(CORPUS, d)
    return d


@pytest.fixture
def pipeline(settings: Settings, fake_embedder: FakeEmbedder):
    from rag.pipeline import Pipeline

    return Pipeline(settings, embedder=fake_embedder)


@pytest.fixture(scope="module")
def corpus_pipeline(tmp_path_factory: pytest.TempPathFactory):
    """The real corpus indexed once per module with the FakeEmbedder. Read-only by convention: a test that
    adds or removes documents uses `pipeline` instead."""
    from rag.pipeline import Pipeline

    settings = Settings(index_dir=tmp_path_factory.mktemp("corpus") / "index", corpus_dir=CORPUS, _env_file=None)
    p = Pipeline(settings, embedder=FakeEmbedder())
    p.index()
    return p


@pytest.fixture
def rag_cli(monkeypatch: pytest.MonkeyPatch, settings: Settings):
    """Run `rag ARGS…` in-process over the `settings` index dir with the FakeEmbedder; wide consoles so rich
    does not wrap the messages a test looks for. Returns click's Result (exit_code, stdout, output)."""
    from rich.console import Console
    from typer.testing import CliRunner

    import rag.cli
    from rag.pipeline import Pipeline

    monkeypatch.setattr(rag.cli, "_pipeline", lambda s: Pipeline(s, embedder=FakeEmbedder()))
    monkeypatch.setattr(rag.cli, "get_settings", lambda: settings)
    monkeypatch.setattr(rag.cli, "out", Console(width=300))
    monkeypatch.setattr(rag.cli, "err", Console(width=300, stderr=True))
    return lambda *args: CliRunner().invoke(rag.cli.app, [str(a) for a in args])


@pytest.fixture(scope="session")
def real_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus indexed once per session with the shipped settings' embedder (the built e5, through its
    ONNX export), for tests that run `rag …` or `rag serve` in a subprocess, as a user does."""
    from rag.pipeline import Pipeline

    settings = Settings(index_dir=tmp_path_factory.mktemp("real-index") / "index", corpus_dir=CORPUS, _env_file=None)
    pipe = Pipeline(settings)
    try:
        report, stats = pipe.index()
    finally:
        pipe.store.close()
    assert len(report.added) == 5 and not report.skipped and stats is not None, report.to_json()
    return settings.index_dir


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for running this checkout's code in a subprocess: none of the caller's RAG_*
    settings, the project first on the path (not whatever `pip install -e` points at), and `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    env["PYTHONPATH"] = os.pathsep.join([str(PROJECT_ROOT), *filter(None, [env.get("PYTHONPATH")])])
    return {**env, **extra}


@pytest.fixture(scope="session")
def milvus_uri(tmp_path_factory: pytest.TempPathFactory):
    """A real `milvus-lite server` for the session (the Milvus backend's tests); skipped only when milvus-lite is
    not installed (`pip install -e '.[test]'` installs it, so `make test` always runs them)."""
    from tests.milvus_server import available, milvus_lite_server

    if not available():
        pytest.skip("milvus-lite / pymilvus not installed: pip install -e '.[milvus]'")
    with milvus_lite_server(tmp_path_factory.mktemp("milvus") / "data") as uri:
        yield uri


@pytest.fixture
def read_only_view(tmp_path: Path) -> Iterator[Callable[[Path], Path]]:
    """make(folder) → a view of `folder` this process really cannot write, as a read-only volume is.

    Root ignores permission bits, so as root the view is a read-only bind mount (writes through `folder`
    itself still show in it, as on a host writing a folder a container mounts read-only); as another user
    it is `folder` with every write bit cleared. Skips, saying why, when neither can be made."""
    mounts: list[Path] = []
    chmodded: list[Path] = []

    def make(folder: Path) -> Path:
        if os.geteuid() == 0:
            view = tmp_path / f"read-only-{len(mounts)}"
            view.mkdir()
            if subprocess.run(["mount", "--bind", str(folder), str(view)], capture_output=True).returncode:
                pytest.skip("running as root, and `mount --bind` is not allowed here: no read-only view to test on")
            mounts.append(view)
            if subprocess.run(["mount", "-o", "remount,bind,ro", str(view)], capture_output=True).returncode:
                pytest.skip("`mount -o remount,bind,ro` is not allowed here: no read-only view to test on")
        else:
            view = folder
            for p in [folder, *folder.rglob("*")]:
                p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
                chmodded.append(p)
        try:
            (view / ".write-probe").touch()
        except OSError:
            return view
        pytest.skip(f"{view} is still writable by this process: no read-only view to test on")

    yield make
    for view in reversed(mounts):  # lazily: a store or index the test left open must not keep it mounted
        subprocess.run(["umount", "--lazy", str(view)], check=True)
    for p in chmodded:
        p.chmod(p.stat().st_mode | stat.S_IWUSR)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[int], Path]]:
    """make(bytes) → an empty folder on a tmpfs of that size (a real disk that fills up: writes get ENOSPC),
    grown later with grow_disk. Needs root and a kernel that lets it mount; skips, saying why, otherwise."""
    mounts: list[Path] = []

    def make(size: int) -> Path:
        if os.geteuid() != 0:
            pytest.skip("mounting a small tmpfs needs root: no full disk to test on")
        disk = tmp_path / f"disk-{len(mounts)}"
        disk.mkdir()
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(disk)], capture_output=True)
        if r.returncode:
            why = r.stderr.decode(errors="replace").strip()
            pytest.skip(f"cannot mount a tmpfs here ({why}): no full disk to test on")
        mounts.append(disk)
        return disk

    yield make
    for disk in reversed(mounts):
        subprocess.run(["umount", "--lazy", str(disk)], check=True)


def grow_disk(disk: Path, size: int) -> None:
    """Resize a small_disk tmpfs (what freeing space does for the writer)."""
    subprocess.run(["mount", "-o", f"remount,size={size}", str(disk)], check=True)
