"""A disk that fills up during `rag index`: one Chinese message naming the folder, the space needed, the space
free and the fix, no traceback; the live generation keeps answering; freeing what the message asks for is
enough for the rerun.

The disk is real: a small tmpfs (tests/conftest.py small_disk), so every layer fails as it would on a full
disk (SQLite's "database or disk is full", FAISS's write error, Python's ENOSPC), nothing is injected.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from eval.generators.distractors import generate
from rag.core.errors import DiskFullError
from rag.core.settings import Settings
from rag.index import generation as index_mod
from rag.index.space import is_disk_full, space_needed
from rag.pipeline import Pipeline
from tests.conftest import CORPUS, FakeEmbedder, grow_disk, subprocess_env

MB = 2**20
QUESTION = "温州市有多少家养老机构？"
Disk = Callable[[int], Path]


def _pipeline(index_dir: Path) -> Pipeline:
    return Pipeline(Settings(index_dir=index_dir, corpus_dir=CORPUS, _env_file=None), embedder=FakeEmbedder())


def _still_answers(pipe: Pipeline, index_dir: Path, live: str) -> None:
    """Nothing damaged: the same generation is live and intact, it answers, the store is consistent."""
    assert index_mod.current_name(index_dir) == live
    assert not list(index_dir.glob(".gen-*")) and not list(index_dir.glob(".CURRENT.*"))  # no half-written files
    index_mod.load(index_dir, "fake-bigram-256")  # every file matches its checksum
    assert pipe.ask(QUESTION).found
    # through the store's own connection: on a full disk a plain connect cannot even create its -shm file
    assert pipe.store._q("PRAGMA integrity_check") == [("ok",)]


def _message(e: pytest.ExceptionInfo[DiskFullError], index_dir: Path) -> float:
    """Checks the message; returns the megabytes it asks to free."""
    text = str(e.value)
    assert text.startswith(f"磁盘空间不足：索引目录 {index_dir} 所在的磁盘只剩 ")
    assert re.search(r"只剩 [0-9.]+ MB 可用，这次写入约需 [0-9.]+ MB", text), text
    assert "原有索引没有损坏" in text and "--index-dir" in text and "rag index" in text
    assert is_disk_full(e.value.__cause__)  # raised from the real error, kept for the log
    return float(re.search(r"腾出至少 ([0-9.]+) MB", text).group(1))  # type: ignore[union-attr]


def test_a_disk_filling_up_while_letters_are_stored(small_disk: Disk, tmp_path: Path) -> None:
    size = 4 * MB
    index_dir = small_disk(size) / "index"
    pipe = _pipeline(index_dir)
    pipe.index()
    live = index_mod.current_name(index_dir)
    assert live is not None
    letters = tmp_path / "letters"
    generate(letters, 60, seed=0)
    with pytest.raises(DiskFullError) as e:
        pipe.index([letters])
    free_mb = _message(e, index_dir)
    _still_answers(pipe, index_dir, live)
    docs = pipe.documents()
    assert sum(d["indexed"] for d in docs) == 5  # the corpus; letters stored before the disk filled: 待索引
    assert all(d["index_note"] for d in docs if not d["indexed"])

    grow_disk(index_dir.parent, size + math.ceil(free_mb * MB))  # free exactly what the message asked for
    report, stats = pipe.index([letters])
    assert stats is not None and not report.skipped
    docs = pipe.documents()
    assert len(docs) == 65 and all(d["indexed"] for d in docs)


def test_a_disk_filling_up_while_the_generation_is_written(small_disk: Disk, tmp_path: Path) -> None:
    disk = small_disk(16 * MB)
    index_dir = disk / "index"
    pipe = _pipeline(index_dir)
    generate(tmp_path / "letters", 40, seed=1)
    pipe.index([CORPUS, tmp_path / "letters"])
    live = index_mod.current_name(index_dir)
    assert live is not None
    generation = sum(p.stat().st_size for p in (index_dir / live).rglob("*"))
    filler = disk / "filler"
    with open(filler, "wb") as f:  # what other programs on the same disk do
        f.write(b"\0" * (shutil.disk_usage(disk).free - generation // 2))
    with pytest.raises(DiskFullError) as e:
        pipe.rebuild()
    free_mb = _message(e, index_dir)
    assert free_mb * MB >= generation / 2  # it asks for at least what was missing
    _still_answers(pipe, index_dir, live)
    assert all(d["indexed"] for d in pipe.documents())

    filler.unlink()
    assert pipe.rebuild().generation != live


def test_the_command_line_says_it_in_one_line(small_disk: Disk, tmp_path: Path) -> None:
    index_dir = small_disk(2 * MB) / "index"
    pipe = _pipeline(index_dir)
    pipe.index()
    pipe.store.close()
    live = index_mod.current_name(index_dir)
    assert live is not None
    with open(index_dir.parent / "filler", "wb") as f:
        f.write(b"\0" * shutil.disk_usage(index_dir).free)
    generate(tmp_path / "letters", 5, seed=2)
    r = subprocess.run([sys.executable, "-m", "rag.cli", "index", str(tmp_path / "letters"), "--index-dir",
                        str(index_dir)], cwd=tmp_path, env=subprocess_env(COLUMNS="80"), capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: 磁盘空间不足：索引目录 "), r.stderr
    assert str(index_dir) in lines[0] and "--index-dir" in lines[0]
    _still_answers(_pipeline(index_dir), index_dir, live)


def test_the_estimate_grows_with_the_letters_and_the_live_generation(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    empty = space_needed(index_dir, 0, 0)
    assert empty[0] == 0 and empty[1] > 0  # the journal's room
    assert space_needed(index_dir, 0, 1 * MB)[0] > 0 and space_needed(index_dir, 0, 1 * MB)[1] > 12 * MB
    pipe = _pipeline(index_dir)
    pipe.index()
    chunks = pipe.store.count()[1]
    live = index_mod.current_name(index_dir)
    generation = sum(p.stat().st_size for p in (index_dir / str(live)).rglob("*") if p.name != "manifest.json")
    assert space_needed(index_dir, chunks, 0)[0] >= generation  # at least another generation like the live one


def test_a_new_index_on_a_full_disk_reads_as_empty_and_says_the_disk_is_full(small_disk: Disk) -> None:
    disk = small_disk(8 * MB)
    with open(disk / "filler", "wb") as f:
        f.write(b"\0" * shutil.disk_usage(disk).free)
    pipe = _pipeline(disk / "index")
    assert pipe.documents() == [] and pipe.store.read_only  # SQLite could not create its -shm: read-only
    with pytest.raises(DiskFullError) as e:
        pipe.index()
    assert "没有留下写了一半的索引" in str(e.value) and index_mod.current_name(disk / "index") is None
    (disk / "filler").unlink()
    _, stats = pipe.index()  # room again: the same pipeline writes (its store is opened again)
    assert stats is not None and len(pipe.documents()) == 5
