"""Opening the SQLite store: read-write where its folder can be written, read-only where it cannot.

A read-only index folder (a mounted snapshot, a backup, a container's read-only volume) is normal for
serving, and reading must need no write access: nothing may be created, locked or cleaned up in it. The
store is a WAL database, and SQLite opens one read-only (mode=ro) only when its -shm file already exists
or can be created beside it. So, on a folder this process cannot write:

- no -wal file, or an empty one (the usual case: the last writer closed cleanly, which merges the journal
  into the main file): every committed change is in the main file, which is opened with immutable=1: no
  lock, no -shm, nothing created. immutable also tells SQLite the file never changes, so `Opened.changed`
  notices when it does (another process writing the same folder through a writable path) and the store
  opens it again.
- a non-empty -wal with its -shm (a writer was killed, or runs elsewhere): mode=ro, which reads the journal
  through the existing -shm without writing to it, so no committed change is missed. (immutable would
  ignore the journal and show the letters as they were before it.)
- a non-empty -wal without its -shm: its changes cannot be read without writing; ReadOnlyError says how.
- no store at all: an empty one in memory, so a read-only folder without letters reads as "no letters"
  (and the file is opened once it appears).

A full disk is read the same way: a writable folder whose disk has no room for the -shm file (SQLite
needs it to switch to WAL) would otherwise fail every read.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from rag.core.errors import ReadOnlyError
from rag.core.files import free_bytes, writable

logger = logging.getLogger(__name__)

NEARLY_FULL = 1 << 20  # bytes: below this, SQLite cannot be sure to grow its -wal and -shm files

Signature = tuple[int, int, int, bool, bool] | None  # the main file's inode, size, mtime; -wal in use; -shm present


@dataclass(frozen=True)
class Opened:
    conn: sqlite3.Connection
    read_only: bool
    in_memory: bool  # no store file in a read-only folder: an empty schema is created in memory
    signature: Signature  # of the files when opened read-only (None: read-write, or no file yet)

    def changed(self, path: Path) -> bool:
        """Whether a read-only store's files changed since they were opened (always False read-write)."""
        return self.read_only and signature(path) != self.signature


def store_writable(path: Path) -> bool:
    """Whether the store at `path` and its folder can be written (the journal files live beside it)."""
    return writable(path.parent) and (not path.exists() or os.access(path, os.W_OK))


def open_store(path: Path) -> Opened:
    """Read-write (creating the folder and file, in WAL mode) when possible, else read-only as the module
    says. A full disk also opens read-only when the store exists: switching to WAL needs room for the -shm
    file, and the letters must stay readable (Pipeline then says the disk is full on a write)."""
    if store_writable(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return Opened(conn, False, False, None)
        except sqlite3.OperationalError as e:
            conn.close()
            if not (path.exists() and disk_nearly_full(path.parent)):
                raise
            logger.info("the disk holding %s is full (%s): reading it read-only", path, e)
    return _open_read_only(path)


def disk_nearly_full(folder: Path) -> bool:
    """Too little room left for SQLite to grow its journal files: its I/O errors then mean a full disk."""
    return free_bytes(folder) < NEARLY_FULL


def _open_read_only(path: Path) -> Opened:
    sig = signature(path)
    if sig is None or (sig[1] == 0 and not sig[3]):  # no store yet (or an empty file a full disk left)
        return Opened(sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None), True, True, sig)
    journal = sig[3]
    if journal and not sig[4] and not writable(path.parent):
        raise ReadOnlyError(
            f"资料库 {path} 的日志文件 {path.name}-wal 里有尚未合并的改动，但缺少 {path.name}-shm，"
            f"而索引目录 {path.parent} 是只读的，无法读取这些改动：请把整个索引目录复制到可写的位置"
            f"（例如 cp -a {path.parent} /tmp/index-copy），再用 --index-dir /tmp/index-copy 读取"
            "（或把原目录挂载为可写一次）。"
        )
    uri = path.absolute().as_uri() + ("?mode=ro" if journal else "?mode=ro&immutable=1")
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA query_only=ON")
    return Opened(conn, True, False, sig)


def signature(path: Path) -> Signature:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    wal = path.with_name(path.name + "-wal")
    try:
        journal = wal.stat().st_size > 0
    except FileNotFoundError:
        journal = False
    return st.st_ino, st.st_size, st.st_mtime_ns, journal, path.with_name(path.name + "-shm").exists()


def read_only_message(index_dir: Path) -> str:
    """What a write on a read-only index folder says: the folder, what still works, and the fix."""
    return (f"索引目录 {index_dir} 是只读的（只读挂载、快照或备份），不能写入：查询照常可用，"
            "但不能添加、更新或删除答复函。"
            f"要写入，请把该目录挂载为可写（或给运行的用户写权限），或把它复制到可写的位置后用 --index-dir 指向副本"
            f"（例如 cp -a {index_dir} /srv/rag-index && rag index --index-dir /srv/rag-index）。")
