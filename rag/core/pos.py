"""Part-of-speech cutting (jieba.posseg) for question analysis and place names, with a fast start.

Importing jieba.posseg builds its tagger by parsing jieba's whole dictionary file line by line (349k
lines: ~0.8 s, a third of a cold `rag ask`; even a marshal copy of the table takes 0.2 s to read).
Here the tagger's word → tag table is a SQLite file beside jieba's own cache, keyed on the dictionary
file's path, size and modification time, and read word by word as the tagger asks (~15 µs a new word;
a question has tens). The tags are jieba's own, so every cut is the same as jieba.posseg.cut's.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import os
import sqlite3
import sys
import tempfile
import threading
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import jieba

from rag.core.tokens import load_default_dictionary

_lock = threading.Lock()


def _cache_path() -> str | None:
    """Where the default dictionary's tag table is kept; None for a custom dictionary."""
    dt = jieba.dt
    if dt.dictionary != jieba.DEFAULT_DICT:
        return None
    src = os.path.join(os.path.dirname(jieba.__file__), jieba.DEFAULT_DICT_NAME)
    try:
        st = os.stat(src)
    except OSError:
        return None
    key = hashlib.sha1(f"{src}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()[:16]
    return os.path.join(dt.tmp_dir or tempfile.gettempdir(), f"rag-postag-{key}.sqlite")


class _Tags:
    """jieba's word → tag table, read from SQLite as words come (POSTokenizer only calls get and update)."""

    def __init__(self, path: str) -> None:
        self._db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        self._db.execute("SELECT count(*) FROM tags WHERE word = ''").fetchone()  # a damaged file fails here
        self._seen: dict[str, str | None] = {}  # the words met so far: a serving process asks each once
        self._lock = threading.Lock()

    def get(self, word: str, default: str | None = None) -> str | None:
        if word not in self._seen:
            with self._lock:
                row = self._db.execute("SELECT tag FROM tags WHERE word = ?", (word,)).fetchone()
            self._seen[word] = row[0] if row else None
        tag = self._seen[word]
        return default if tag is None else tag

    def update(self, other: dict[str, str]) -> None:  # words a user dictionary adds with a tag
        self._seen.update(other)


def _open(path: str) -> _Tags | None:
    try:
        return _Tags(path)
    except sqlite3.Error:
        return None


def _write(path: str, tab: dict[str, str]) -> None:
    """Atomically (a temp file renamed): a reader never sees half a table; a read-only tmp is no error."""
    try:
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".rag-postag-")
        os.close(fd)
        db = sqlite3.connect(tmp)
        with db:
            db.execute("CREATE TABLE tags (word TEXT PRIMARY KEY, tag TEXT NOT NULL) WITHOUT ROWID")
            db.executemany("INSERT INTO tags VALUES (?, ?)", tab.items())
        db.close()
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except (OSError, sqlite3.Error):
        return


@lru_cache(maxsize=1)
def tagger() -> Any:
    """jieba.posseg's shared tagger (over jieba's default tokenizer), its tag table in SQLite when it can be."""
    with _lock:
        load_default_dictionary()
        path = _cache_path()
        tab = _open(path) if path and os.path.exists(path) and "jieba.posseg" not in sys.modules else None
        if tab is not None:
            # the import builds its tagger from dt.get_dict_file(): hand it an empty file, then the table
            jieba.dt.get_dict_file = lambda: io.BytesIO(b"")
            try:
                posseg = importlib.import_module("jieba.posseg")
            finally:
                del jieba.dt.get_dict_file
            posseg.dt.word_tag_tab = tab
            return posseg.dt
        posseg = importlib.import_module("jieba.posseg")
        if path and isinstance(posseg.dt.word_tag_tab, dict):  # already our table when imported before: kept
            _write(path, posseg.dt.word_tag_tab)
        return posseg.dt


def cut(text: str) -> Iterator[Any]:
    """(word, flag) pairs, as jieba.posseg.cut gives them."""
    return tagger().cut(text)
