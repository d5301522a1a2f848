"""Chinese tokens for BM25: jieba search-mode segmentation, a domain user dictionary, stop words.

The shipped dictionary (rag/data/userdict.txt) holds policy terms such as 医养结合 and 适老化改造 so
they are not cut apart; users extend it with RAG_USER_DICT (same jieba format: "词 [freq] [tag]").
"""

from __future__ import annotations

import logging
import marshal
import os
import re
import tempfile
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import jieba

DATA_DIR = Path(__file__).parents[1] / "data"  # rag/data: the dictionaries shipped with the package
_KEEP = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")
# jieba's HMM for unknown words copies its Viterbi path at every character, so a run of characters that
# form no dictionary word costs quadratic time (20k "测" in a row: minutes). Runs in letters are < 50
# characters (they end at punctuation); cutting longer ones changes nothing for real text.
_MAX_RUN = 256
_LONG_RUN = re.compile(rf"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]{{{_MAX_RUN + 1},}}")  # jieba's block characters
_lock = threading.Lock()


def _read_words(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {w.strip() for w in lines if w.strip() and not w.startswith("#")}


def load_default_dictionary() -> None:
    """Initialise jieba's default tokenizer from the cache jieba itself writes, read in one piece.

    jieba reads that cache with marshal.load on the open file, which reads object by object: 1–4 s for
    its 500k entries on this machine, against ~0.3 s for marshal.loads of the file's bytes, and a cold
    `rag ask` has 2 s in all. Anything but the default dictionary's cache in place (the first run, a
    custom dictionary, a damaged cache) is left to jieba's own initialisation, which writes the cache.
    """
    dt = jieba.dt
    with dt.lock:
        if dt.initialized or dt.dictionary != jieba.DEFAULT_DICT:
            return
        path = os.path.join(dt.tmp_dir or tempfile.gettempdir(), dt.cache_file or "jieba.cache")
        try:
            with open(path, "rb") as f:
                freq, total = marshal.loads(f.read())
        except (OSError, ValueError, EOFError, TypeError):
            return
        if isinstance(freq, dict) and isinstance(total, int) and freq:
            dt.FREQ, dt.total, dt.initialized = freq, total, True


class Tokenizer:
    """jieba with our dictionaries; one instance per (user dict) because jieba state is global-ish."""

    def __init__(self, user_dicts: Iterable[Path] = ()) -> None:
        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        self._ready = False
        self._dicts = [DATA_DIR / "userdict.txt", *user_dicts]
        self.stopwords = frozenset(_read_words(DATA_DIR / "stopwords.txt"))
        # domain terms (养老机构, 家庭照护床位…) name specific things; the answerer treats them as exact
        self.domain_terms = frozenset(
            line.split()[0] for d in self._dicts for line in _read_words(d) if line.split()
        )

    def _init(self) -> None:
        with _lock:
            if self._ready:
                return
            # jieba's default tokenizer is the one jieba.posseg tags with (question analysis, place names):
            # load the shared dictionary once and give this tokenizer a copy (~20 ms), not a second load
            # (~0.5 s); our words then go into the copy only, as before
            load_default_dictionary()
            jieba.dt.check_initialized()
            self._jieba.FREQ, self._jieba.total = dict(jieba.dt.FREQ), jieba.dt.total
            self._jieba.initialized = True
            for d in self._dicts:
                self._jieba.load_userdict(str(d))
            self._ready = True

    def tokens(self, text: str) -> list[str]:
        """Search-mode tokens, lower-cased, without stop words and punctuation."""
        if not self._ready:
            self._init()
        out = []
        for piece in _bounded_runs(text):
            for tok in self._jieba.cut_for_search(piece):
                tok = tok.strip().lower()
                if tok and tok not in self.stopwords and _KEEP.search(tok):
                    out.append(tok)
        return out


def _bounded_runs(text: str) -> list[str]:
    """`text` in pieces whose runs of jieba block characters are at most _MAX_RUN long (usually `[text]`)."""
    if not _LONG_RUN.search(text):
        return [text]
    pieces, pos = [], 0
    for m in _LONG_RUN.finditer(text):
        pieces.append(text[pos : m.start()])
        pieces += [text[i : min(i + _MAX_RUN, m.end())] for i in range(m.start(), m.end(), _MAX_RUN)]
        pos = m.end()
    pieces.append(text[pos:])
    return pieces


@lru_cache(maxsize=4)
def get_tokenizer(user_dict: str | None = None) -> Tokenizer:
    return Tokenizer([Path(user_dict)] if user_dict else [])
