"""Pinning a math library to one thread around a single query (FAISS's OpenMP pool, torch's pool)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def one_thread(get: Callable[[], int], set_: Callable[[int], None]) -> Iterator[None]:
    """Run the block with the library set to one thread, then restore what it had."""
    before = get()
    set_(1)
    try:
        yield
    finally:
        set_(before)
