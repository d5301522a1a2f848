"""Tokens for BM25: the tokenizer's dictionary is jieba's own default one plus ours, loaded once and fast."""

from __future__ import annotations

from pathlib import Path

import jieba
import pytest

from rag.core import tokens
from rag.core.tokens import DATA_DIR, Tokenizer
from tests.scaling import FACTOR, LINEAR, growth


@pytest.fixture
def fresh_default(monkeypatch: pytest.MonkeyPatch) -> jieba.Tokenizer:
    """A not-yet-initialised stand-in for jieba's default tokenizer (the real one stays as it is)."""
    dt = jieba.Tokenizer()
    monkeypatch.setattr(jieba, "dt", dt)
    return dt


def _reference() -> jieba.Tokenizer:
    ref = jieba.Tokenizer()
    ref.initialize()
    ref.load_userdict(str(DATA_DIR / "userdict.txt"))
    return ref


def test_the_dictionary_is_jiebas_default_plus_ours(fresh_default: jieba.Tokenizer) -> None:
    tok = Tokenizer()
    assert tok.tokens("温州市有多少家养老机构？推进适老化改造") == [
        "温州", "州市", "温州市", "家", "养老", "机构", "养老机构", "老化", "改造", "适老化", "适老化改造"]
    ref = _reference()
    assert tok._jieba.FREQ == ref.FREQ and tok._jieba.total == ref.total
    # jieba's default tokenizer (jieba.posseg tags with it) was loaded once and keeps only jieba's words
    assert fresh_default.initialized and "适老化改造" not in fresh_default.FREQ
    assert fresh_default.FREQ is not tok._jieba.FREQ


def test_the_default_dictionary_is_read_from_jiebas_cache(fresh_default: jieba.Tokenizer) -> None:
    jieba.Tokenizer().initialize()  # makes sure the cache file exists
    tokens.load_default_dictionary()
    assert fresh_default.initialized and fresh_default.FREQ == _reference_default().FREQ


def _reference_default() -> jieba.Tokenizer:
    ref = jieba.Tokenizer()
    ref.initialize()
    return ref


@pytest.mark.parametrize("cache", [None, b"not marshal data", b""])
def test_no_or_a_damaged_cache_is_left_to_jieba(fresh_default: jieba.Tokenizer, tmp_path: Path,
                                                 cache: bytes | None) -> None:
    fresh_default.tmp_dir = str(tmp_path)
    if cache is not None:
        (tmp_path / "jieba.cache").write_bytes(cache)
    tokens.load_default_dictionary()
    assert not fresh_default.initialized  # jieba's own initialisation builds it (and writes the cache)
    tok = Tokenizer()
    assert tok.tokens("养老机构") == ["养老", "机构", "养老机构"]
    assert fresh_default.initialized and (tmp_path / "jieba.cache").stat().st_size > 1_000_000


def test_a_run_of_unknown_characters_costs_time_linear_in_its_length() -> None:
    # jieba's HMM copies its Viterbi path at every character of a run with no dictionary word: quadratic
    tok = tokens.get_tokenizer()
    tok.tokens("预热")
    assert growth(tok.tokens, "测" * 2000, "测" * 2000 * FACTOR) < LINEAR
    assert "".join(tok.tokens("测" * 600)) == "测" * 600  # every character is still in some token
