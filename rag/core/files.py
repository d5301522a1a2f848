"""File-system helpers written once: checksums, locks, atomic writes and directory swaps, progress bars.

Used by the index (generations), the e5 build and the ONNX export: each writes something another
process may be reading, so nothing half-written may ever look finished.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PROGRESS_MIN = 64  # below this many items a progress bar is more noise than help


def sha256_file(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


class LockHeld(Exception):
    """Another process holds the lock; `holder` is what it wrote into the lock file."""

    def __init__(self, holder: str) -> None:
        super().__init__(holder)
        self.holder = holder


@contextmanager
def hold_lock(path: Path, timeout: float | None = None, note: str = "") -> Iterator[None]:
    """Hold an exclusive flock on `path` (created if missing): wait forever (timeout None) or raise
    LockHeld after `timeout` seconds. `note` (pid and role) is written into the file for the holder's
    successor to read. flock, not a pid file: the kernel drops it when its holder exits, even on kill -9."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if timeout is None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        else:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise LockHeld(os.pread(fd, 200, 0).decode("utf-8", "replace").strip()) from None
                    time.sleep(0.05)
        if note:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{note}\n".encode(), 0)
        try:
            yield
        finally:
            if note:
                os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # releases the flock


@contextmanager
def dir_lock(out_dir: Path) -> Iterator[None]:
    """Two processes (API workers, tests) may start building the same missing directory at once: one
    builds, the other waits and then finds it done. The lock file sits beside the directory."""
    with hold_lock(out_dir.parent / f".{out_dir.name}.lock"):
        yield


@contextmanager
def building_dir(dest: Path) -> Iterator[Path]:
    """Yield an empty sibling temp dir; when the block succeeds it replaces `dest` (the old one is
    renamed aside first, so the gap without a `dest` is one rename), and on failure it is removed."""
    tmp = dest.parent / f".{dest.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        yield tmp
        old = dest.parent / f".{dest.name}.old-{os.getpid()}"
        if dest.exists():
            dest.rename(old)  # a directory cannot be replaced in one rename
        tmp.rename(dest)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_atomic(path: Path, text: str) -> None:
    """Write to a temp file, fsync, rename over `path`, fsync the folder: old or new, never half."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:6]}")
    try:
        with open(tmp, "w") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        fsync(path.parent)  # the rename itself must reach the disk before the write counts as done
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def writable(folder: Path) -> bool:
    """Whether this process may create and replace files in `folder`, or create `folder` itself (then its
    nearest existing parent decides). False on a read-only mount even for root: access(2) says EROFS."""
    p = folder.absolute()
    while not p.exists() and p.parent != p:
        p = p.parent
    return os.access(p, os.W_OK | os.X_OK)


def free_bytes(folder: Path) -> int:
    """Bytes free for this process on the disk that holds `folder` (or its nearest existing parent)."""
    p = folder.absolute()
    while not p.exists() and p.parent != p:
        p = p.parent
    return shutil.disk_usage(p).free


def fsync(p: Path) -> None:
    fd = os.open(p, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(d: Path) -> None:
    for p in d.rglob("*"):
        if p.is_file() or p.is_dir():
            fsync(p)
    fsync(d)


def progress_bar(total: int, desc: str = "embedding", unit: str = "text") -> Any:
    """A tqdm bar for long work, or None when `total` is too small to be worth one."""
    if total < PROGRESS_MIN:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit=unit)
