"""A read-only index folder (a mounted snapshot, a backup, a container's read-only volume) is read without
writing anything, and every write on it is refused in one Chinese line that names the folder and the fix.

Each test reads through a real read-only view (tests/conftest.py read_only_view: a read-only bind mount as
root, cleared write bits otherwise), not through a flag the code could merely believe.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from rag.core.errors import ReadOnlyError
from rag.core.settings import Settings
from rag.index import generation as index_mod
from rag.index.connection import open_store
from rag.index.store import Store
from rag.pipeline import Pipeline
from tests.conftest import CORPUS, FakeEmbedder, subprocess_env

QUESTION = "温州市有多少家养老机构？"
View = Callable[[Path], Path]


def _build(index_dir: Path, paths: list[Path] | None = None) -> None:
    """An index of corpus/ (or `paths`), its writer closed as `rag index` leaves it: no -wal, no -shm."""
    pipe = Pipeline(Settings(index_dir=index_dir, corpus_dir=CORPUS, _env_file=None), embedder=FakeEmbedder())
    pipe.index(paths or [])
    pipe.store.close()


def _tree(d: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(d)): (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(d.rglob("*"))}


def _reader(index_dir: Path) -> Pipeline:
    return Pipeline(Settings(index_dir=index_dir, corpus_dir=CORPUS, _env_file=None), embedder=FakeEmbedder())


def test_a_read_only_index_answers_and_nothing_is_written(tmp_path: Path, read_only_view: View) -> None:
    _build(tmp_path / "index")
    assert not list((tmp_path / "index").glob("store.sqlite-*"))  # the WAL was merged on close
    view = read_only_view(tmp_path / "index")
    before = _tree(view)
    pipe = _reader(view)
    assert pipe.store.read_only
    docs = pipe.documents()
    assert len(docs) == 5 and all(d["indexed"] for d in docs)
    assert pipe.store.count()[0] == 5 and pipe.store.document(str(docs[0]["doc_id"])) is not None
    for mode in ("bm25", "dense", "hybrid"):
        assert pipe.search(QUESTION, k=3, mode=mode)
    answer = pipe.ask(QUESTION)
    assert answer.found and "375家" in answer.answer
    pipe.store.close()
    assert _tree(view) == before  # no lock file, no -shm/-wal, no temporaries cleaned up


def test_a_journal_left_by_a_killed_writer_is_read_not_ignored(tmp_path: Path, read_only_view: View) -> None:
    """immutable=1 alone would read the main file and miss what the killed writer committed to its -wal."""
    index_dir = tmp_path / "index"
    _build(index_dir)
    doc_id = Store(index_dir / "store.sqlite").doc_ids()[0]
    kill_after_commit = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from rag.index.store import Store\n"
        "s = Store(Path(sys.argv[1]))\n"
        "s._conn.execute('PRAGMA wal_autocheckpoint=0')\n"
        "assert s.remove_document(sys.argv[2])\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    proc = subprocess.run([sys.executable, "-c", kill_after_commit, str(index_dir / "store.sqlite"), doc_id],
                          env=subprocess_env(), capture_output=True, text=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert (index_dir / "store.sqlite-wal").stat().st_size > 0 and (index_dir / "store.sqlite-shm").exists()
    view = read_only_view(index_dir)
    before = _tree(view)
    store = Store(view / "store.sqlite")
    assert store.read_only and store.count()[0] == 4 and doc_id not in store.doc_ids()
    store.close()
    assert _tree(view) == before


def test_a_journal_without_its_shm_says_how_to_read_it(tmp_path: Path, read_only_view: View) -> None:
    index_dir = tmp_path / "index"
    _build(index_dir)
    writer = Store(index_dir / "store.sqlite")  # open: its -wal and -shm exist
    writer.remove_document(writer.doc_ids()[0])
    snapshot = tmp_path / "snapshot"  # a backup that copied the journal but not the shared-memory file
    snapshot.mkdir()
    for name in ("store.sqlite", "store.sqlite-wal", "CURRENT"):
        shutil.copy2(index_dir / name, snapshot / name)
    writer.close()
    view = read_only_view(snapshot)
    with pytest.raises(ReadOnlyError) as e:
        Store(view / "store.sqlite")
    assert str(view) in str(e.value) and "cp -a" in str(e.value) and "--index-dir" in str(e.value)


def test_a_read_only_reader_sees_what_a_writer_does_to_the_same_folder(tmp_path: Path, read_only_view: View) -> None:
    """A host writes the folder a container mounts read-only: immutable=1 would keep showing the old file."""
    index_dir = tmp_path / "index"
    _build(index_dir)
    view = read_only_view(index_dir)
    reader = Store(view / "store.sqlite")
    assert reader.read_only and reader.count()[0] == 5
    writer = Store(index_dir / "store.sqlite")
    gone = writer.doc_ids()[0]
    writer.remove_document(gone)
    assert reader.count()[0] == 4  # through the writer's journal while it is open
    writer.close()
    assert reader.count()[0] == 4 and gone not in reader.doc_ids()  # and from the main file once merged
    reader.close()


def test_no_store_in_a_read_only_folder_reads_as_no_letters(tmp_path: Path, read_only_view: View) -> None:
    (tmp_path / "empty").mkdir()
    view = read_only_view(tmp_path / "empty")
    opened = open_store(view / "store.sqlite")
    assert opened.read_only and opened.in_memory
    pipe = _reader(view)
    assert pipe.documents() == [] and pipe.store.count() == (0, 0)
    assert list(view.iterdir()) == []


def _refused(e: pytest.ExceptionInfo[ReadOnlyError], folder: Path) -> None:
    text = str(e.value)
    assert f"索引目录 {folder} 是只读的" in text and "查询照常可用" in text and "--index-dir" in text


def test_writes_on_a_read_only_index_are_refused_naming_the_folder(tmp_path: Path, read_only_view: View) -> None:
    _build(tmp_path / "index")
    view = read_only_view(tmp_path / "index")
    before = _tree(view)
    pipe = _reader(view)
    doc_id = str(pipe.documents()[0]["doc_id"])
    writes = {
        "index": lambda: pipe.index([CORPUS]),
        "rebuild": lambda: pipe.rebuild(),
        "upload": lambda: pipe.add_bytes([("a.txt", "测试市民政局\n答复".encode(), "upload:a:a.txt")]),
        "remove": lambda: pipe.remove([doc_id]),
    }
    for what, write in writes.items():
        with pytest.raises(ReadOnlyError) as e:
            write()
        _refused(e, view)
        assert _tree(view) == before, what
    assert index_mod.load(view, "fake-bigram-256").manifest["chunks"] > 0  # the live generation is untouched


def test_the_command_line_reads_a_read_only_index_and_refuses_writes_in_one_line(
    tmp_path: Path, read_only_view: View
) -> None:
    _build(tmp_path / "index")
    view = read_only_view(tmp_path / "index")
    before = _tree(view)

    def rag(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "rag.cli", *args, "--index-dir", str(view)], cwd=tmp_path,
                              env=subprocess_env(COLUMNS="80"), capture_output=True, text=True, timeout=300)

    docs = rag("docs", "--json")
    assert docs.returncode == 0, docs.stderr
    assert '"indexed": true' in docs.stdout and "Traceback" not in docs.stderr
    for args in (("index", str(CORPUS)), ("remove", "reply-01.txt"), ("index", "--rebuild")):
        r = rag(*args)
        assert r.returncode == 2 and r.stdout == "", (args, r.stdout)
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in r.stderr, (args, r.stderr)
        assert f"索引目录 {view} 是只读的" in lines[0] and "--index-dir" in lines[0], (args, r.stderr)
    assert _tree(view) == before


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None,
                    reason="needs root and setpriv to run a reader as another user")
def test_a_reader_without_any_write_permission_reads_the_index() -> None:
    """The same as an ordinary user: `nobody` may read the folder but has no write permission in it."""
    base = Path(tempfile.mkdtemp(prefix="rag-read-only-"))  # pytest's tmp_path is root's alone (0700)
    try:
        base.chmod(0o755)
        index_dir = base / "index"
        _build(index_dir)
        for p in [index_dir, *index_dir.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        before = _tree(index_dir)
        read = ("import sys; from pathlib import Path; from rag.index.store import Store; "
                "s = Store(Path(sys.argv[1]) / 'store.sqlite'); print(s.read_only, s.count()[0])")
        r = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", sys.executable, "-c",
                            read, str(index_dir)], env=subprocess_env(HOME="/tmp"), capture_output=True, text=True,
                           timeout=120)
        assert r.returncode == 0 and r.stdout.split() == ["True", "5"], r.stderr
        assert _tree(index_dir) == before
    finally:
        shutil.rmtree(base)
