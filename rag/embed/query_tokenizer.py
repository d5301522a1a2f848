"""The model's tokenizer cut to the pieces Chinese text can use, for a fast cold start.

The e5 tokenizer is a Unigram model over 250k pieces in every script; building its trie is ~1 s of a cold
`rag ask` (`tokenizers` holds the GIL meanwhile). The pieces made only of CJK, ASCII and CJK punctuation
characters are 100k of them (`KEPT`), and a tokenizer over just those loads in ~0.3 s.

It is exact, not an approximation: Unigram segments a text with the pieces that occur in it, and a piece
holding a character outside the kept set cannot occur in a text without one. So a text whose normalised
form (the same normaliser: NFKC, collapsed spaces) has only kept characters gets the same pieces; their
ids map back to the model's through the saved id array. The unknown-piece score derives from the lowest
piece score, so that piece is kept too. Any other text goes to the full tokenizer. `write` checks the cut
tokenizer against the full one on every kept single character and on random texts, and writes nothing
when one differs.
"""

from __future__ import annotations

import json
import logging
import random
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

TOKENIZER_FILE = "query_tokenizer.json"
IDS_FILE = "query_tokenizer_ids.npy"
SPECIALS = 4  # <s> <pad> </s> <unk> at ids 0–3 (XLM-R, e5): kept in place, so the post-processor's ids hold
# ASCII, ° · × ÷, general punctuation (— … ‰ ※), arrows, ①–⑳, ●■▲, ▁ (the space mark), CJK punctuation,
# CJK ideographs (with extension A), full-width forms
KEPT = ("\u0020-\u007e\u00b0\u00b7\u00d7\u00f7\u2010-\u203b\u2190-\u21ff\u2460-\u24ff\u25a0-\u25ff\u2581"
        "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef")
_PIECE = re.compile(f"[{KEPT}]+")
_TEXT = re.compile(f"[{KEPT}]*")
CHECK_TEXTS = 3000

logger = logging.getLogger(__name__)


def covers(small: Any, text: str) -> bool:
    """Whether the cut tokenizer gives `text` the full tokenizer's pieces."""
    return _TEXT.fullmatch(small.normalizer.normalize_str(text)) is not None


def cut(tokenizer_json: dict[str, Any]) -> tuple[dict[str, Any], np.ndarray] | None:
    """The cut tokenizer's JSON and the model id of each of its pieces; None for a tokenizer this does not
    know how to cut (not Unigram, specials elsewhere)."""
    model = tokenizer_json.get("model") or {}
    vocab = model.get("vocab")
    if model.get("type") != "Unigram" or not vocab or model.get("byte_fallback"):
        return None
    if model.get("unk_id") not in range(SPECIALS) or tokenizer_json.get("normalizer") is None:
        return None
    lowest = min(range(len(vocab)), key=lambda i: vocab[i][1])
    keep = [i for i, (piece, _) in enumerate(vocab) if i < SPECIALS or i == lowest or _PIECE.fullmatch(piece)]
    small = {**tokenizer_json, "model": {**model, "vocab": [vocab[i] for i in keep]},
             "added_tokens": [t for t in tokenizer_json.get("added_tokens", []) if t["id"] < SPECIALS]}
    return small, np.array(keep, dtype=np.int64)


def _check_texts(small: Any, rng: random.Random) -> list[str]:
    singles = [p for p, _ in small.get_vocab().items() if len(p) == 1 and _PIECE.fullmatch(p)]
    alphabet = [*singles, *" 0123456789abcXYZ.,;:!?()%-、，。：；？！（）《》“”"]
    texts = [" ".join(singles[i:i + 50]) for i in range(0, len(singles), 50)]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80))) for _ in range(CHECK_TEXTS)]
    return texts


def write(tokenizer_file: Path, out_dir: Path, extra_texts: Sequence[str] = ()) -> int | None:
    """Write the cut tokenizer and its id map into `out_dir` once it agrees with the full tokenizer on
    every kept single character (in runs of 50), 3,000 seeded random texts and `extra_texts`; the number
    of pieces kept, or None (nothing written) when it cannot be cut or disagrees."""
    from tokenizers import Tokenizer

    full_json = json.loads(tokenizer_file.read_text(encoding="utf-8"))
    made = cut(full_json)
    if made is None:
        return None
    small_json, ids = made
    full, small = Tokenizer.from_file(str(tokenizer_file)), Tokenizer.from_str(json.dumps(small_json))
    texts = [t for t in [*extra_texts, *_check_texts(small, random.Random(0))] if covers(small, t)]
    got = [ids[e.ids].tolist() for e in small.encode_batch(texts)]
    if got != [e.ids for e in full.encode_batch(texts)]:
        return None
    (out_dir / TOKENIZER_FILE).write_text(json.dumps(small_json, ensure_ascii=False), encoding="utf-8")
    np.save(out_dir / IDS_FILE, ids)
    return len(ids)


def load(out_dir: Path) -> tuple[Any, np.ndarray] | None:
    """The cut tokenizer and its id map, when `write` put them in `out_dir` (None otherwise)."""
    from tokenizers import Tokenizer

    if not (out_dir / IDS_FILE).is_file():
        return None
    try:
        small, ids = Tokenizer.from_file(str(out_dir / TOKENIZER_FILE)), np.load(out_dir / IDS_FILE)
    except Exception as exc:  # tokenizers raises a plain Exception on a bad file: the full tokenizer serves
        logger.warning("ignoring the cut tokenizer in %s: %s", out_dir, exc)
        return None
    if len(ids) != small.get_vocab_size(with_added_tokens=False):
        logger.warning("ignoring the cut tokenizer in %s: its id map does not match it", out_dir)
        return None
    return small, ids
