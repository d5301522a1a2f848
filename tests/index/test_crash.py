"""Crash safety across processes: the index write lock, and `rag index` killed with SIGKILL at random points.

The kill test runs eval/stress/crash.py at reduced size with a tiny random model (the whole real CLI path,
seconds instead of minutes); the full-size run with the default embedder is

    .venv/bin/python -m eval.stress.crash --letters 600 --kills 5 --seed 0
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from click.testing import Result

from eval.stress.crash import CrashTest, build_tiny_model
from rag.core.errors import BusyError
from rag.core.settings import Settings
from rag.index import generation as index_mod
from rag.pipeline import Pipeline
from tests.conftest import FakeEmbedder

HOLD = """
import sys, time
from pathlib import Path
from rag.index.generation import write_lock
with write_lock(Path(sys.argv[1]), "`rag index`"):
    print("locked", flush=True)
    time.sleep(120)
"""


@pytest.fixture
def holder(settings: Settings) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the index dir's write lock, as a running `rag index` does."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(settings.index_dir)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        yield proc
    finally:
        proc.kill()
        proc.wait()


def test_a_second_writer_is_refused_with_the_holders_pid(
    holder: subprocess.Popen[str], settings: Settings, rag_cli: Callable[..., Result]
) -> None:
    busy = f"another `rag index` is running (pid {holder.pid}) on {settings.index_dir}; wait for it to finish"
    with pytest.raises(BusyError) as e:
        Pipeline(settings, embedder=FakeEmbedder()).index()
    assert busy in str(e.value)
    for write in (lambda p: p.add_bytes([("a.txt", "民政局".encode(), "upload:a")]), lambda p: p.remove(["x"]),
                  lambda p: p.rebuild()):
        with pytest.raises(BusyError, match=f"pid {holder.pid}"):
            write(Pipeline(settings, embedder=FakeEmbedder()))
    result = rag_cli("index")
    assert result.exit_code == 2 and busy in " ".join(result.output.split())  # rich wraps long lines

    # the real command line in a third process says the same
    cli = subprocess.run([sys.executable, "-m", "rag.cli", "index", "--index-dir", str(settings.index_dir)],
                         capture_output=True, text=True, cwd=settings.index_dir.parent, timeout=120)
    assert cli.returncode == 2 and busy in " ".join(cli.stderr.split()), cli.stderr


def test_waiting_writer_gives_up_after_its_timeout(holder: subprocess.Popen[str], settings: Settings) -> None:
    t0 = time.monotonic()
    with pytest.raises(BusyError):
        Pipeline(settings, embedder=FakeEmbedder(), lock_timeout=0.4).index()
    assert time.monotonic() - t0 >= 0.4


def test_a_killed_writer_does_not_block_the_next(
    holder: subprocess.Popen[str], settings: Settings, pipeline: Pipeline
) -> None:
    with pytest.raises(BusyError):
        pipeline.index()
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert (settings.index_dir / index_mod.LOCK_NAME).exists()  # the file stays; its flock died with the holder
    report, stats = pipeline.index()
    assert len(report.added) == 5 and stats is not None


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("model") / "tiny-bert")


@pytest.mark.integration
def test_rag_index_killed_at_random_points_keeps_a_working_index(tiny_model: Path, tmp_path: Path) -> None:
    log: list[str] = []
    outcome = CrashTest(tmp_path, letters=50, kills=3, seed=7, embed_model=tiny_model, log=log.append).run()
    assert outcome.ok, "\n".join(log)
    assert sum(r.killed for r in outcome.rounds) >= 2, "\n".join(log)  # most kills land mid-work
    assert outcome.final.docs == 50 and outcome.final.swapped
    assert outcome.chunks > 50



def test_a_build_killed_while_embedding_keeps_the_vectors_it_had_cached(
    pipeline: Pipeline, fake_embedder: FakeEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_mod, "EMBED_BATCH", 8)
    real = fake_embedder.embed_passages
    calls: list[int] = []

    def dies_on_the_third_batch(texts: Sequence[str], progress: bool = False) -> np.ndarray:
        calls.append(len(texts))
        if len(calls) == 3:
            raise KeyboardInterrupt  # what a kill looks like from inside: nothing after this line runs
        return real(texts, progress)

    monkeypatch.setattr(fake_embedder, "embed_passages", dies_on_the_third_batch)
    with pytest.raises(KeyboardInterrupt):
        pipeline.index()
    monkeypatch.setattr(fake_embedder, "embed_passages", real)
    fake_embedder.embedded.clear()
    _, stats = pipeline.index()
    assert stats is not None and stats.chunks == pipeline.store.count()[1]
    assert stats.embedded == len(fake_embedder.embedded) == stats.chunks - 16  # two batches of 8 survived


@pytest.mark.integration
def test_after_rag_index_is_killed_the_list_marks_what_the_index_cannot_answer_from(
    tiny_model: Path, tmp_path: Path
) -> None:
    """`rag index` killed with SIGKILL once it has stored new letters, before it could build their index:
    the live index still answers from the old letters, and `rag docs` says which ones are 待索引."""
    from eval.generators.distractors import generate
    from eval.stress.crash import _counts, _wait
    from rag.embed import get_embedder
    from tests.conftest import subprocess_env

    letters, index_dir = tmp_path / "letters", tmp_path / "index"
    staged = generate(letters, 16, seed=3)
    settings = Settings(index_dir=index_dir, corpus_dir=letters, embed_model=str(tiny_model), _env_file=None)
    base = Pipeline(settings, embedder=get_embedder(settings))
    base.index(staged[:5])
    base.store.close()
    live = index_mod.current_name(index_dir)
    env = subprocess_env(RAG_EMBED_MODEL=str(tiny_model), HF_HUB_OFFLINE="1", COLUMNS="200")

    def rag(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "rag.cli", *args, "--index-dir", str(index_dir)], env=env,
                              cwd=tmp_path, capture_output=True, text=True, timeout=300)

    proc = subprocess.Popen([sys.executable, "-m", "rag.cli", "index", str(letters), "--index-dir", str(index_dir)],
                            env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # every letter is read and stored before the build starts: kill it among the first ones stored
    stored = _wait(proc, lambda _: _counts(index_dir / "store.sqlite")[0] >= 7, timeout=120)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert stored, "`rag index` ended before it stored the letters it was to be killed after"
    assert index_mod.current_name(index_dir) == live  # no new generation went live

    listed = rag("docs", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    indexed = {r["source"] for r in rows if r["indexed"]}
    assert indexed == {str(p.resolve()) for p in staged[:5]}  # exactly what the live index answers from
    assert len(rows) >= 7 and all("rag index" in r["index_note"] for r in rows if not r["indexed"])
    table = rag("docs")
    assert f"{len(rows) - 5} 份答复函待索引" in table.stdout and "待索引" in table.stdout, table.stdout
    gen = index_mod.load(index_dir, get_embedder(settings).name)
    assert set(gen.row_docs) == {r["doc_id"] for r in rows if r["indexed"]}

    finished = rag("index", str(letters))
    assert finished.returncode == 0, finished.stderr
    rows = json.loads(rag("docs", "--json").stdout)
    assert len(rows) == 16 and all(r["indexed"] for r in rows)
