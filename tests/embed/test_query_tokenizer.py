"""The e5 tokenizer cut to Chinese text's pieces: the same ids as the full tokenizer for every text it
covers, the full tokenizer for any other, and nothing written when the two disagree."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tokenizers import Tokenizer

from rag.core.settings import PROJECT_ROOT
from rag.embed import e5build, model_fingerprint, onnx_backend, query_tokenizer
from tests.conftest import CORPUS

QA = PROJECT_ROOT / "eval" / "data" / "qa.jsonl"
OTHER_SCRIPTS = ["노인 돌봄 서비스", "خدمات رعاية المسنين", "уход за пожилыми", "养老服务🙂", "Pflegeheim für Ältere"]


@pytest.fixture(scope="module")
def source() -> Path:
    return e5build.source_paths()[1]  # the tokenizer.json the e5 build copies into the model


@pytest.fixture(scope="module")
def written(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cut")
    assert query_tokenizer.write(source, out) == 100_503
    return out


def _texts() -> list[str]:
    paragraphs = [p for f in sorted(CORPUS.iterdir()) for p in f.read_text(encoding="utf-8").split("\n") if p.strip()]
    questions = [json.loads(line)["question"] for line in QA.read_text(encoding="utf-8").splitlines() if line]
    odd = ["query: 温州市有多少家养老机构？", "Ｆｕｌｌ　ｗｉｄｔｈ　１２３", "<s>养老</s>", "  两个  空格 "]
    return [*paragraphs, *questions, *odd]


def test_covered_texts_get_the_full_tokenizers_ids(source: Path, written: Path) -> None:
    loaded = query_tokenizer.load(written)
    assert loaded is not None
    small, ids = loaded
    full = Tokenizer.from_file(str(source))
    texts = _texts()
    assert [t for t in texts if not query_tokenizer.covers(small, t)] == []
    assert [ids[e.ids].tolist() for e in small.encode_batch(texts)] == [e.ids for e in full.encode_batch(texts)]
    assert small.get_vocab_size() < full.get_vocab_size() / 2


def test_other_scripts_are_not_covered(written: Path) -> None:
    loaded = query_tokenizer.load(written)
    assert loaded is not None
    assert not any(query_tokenizer.covers(loaded[0], t) for t in OTHER_SCRIPTS)


def test_specials_and_the_lowest_score_are_kept(source: Path) -> None:
    full = json.loads(source.read_text(encoding="utf-8"))
    made = query_tokenizer.cut(full)
    assert made is not None
    small, ids = made
    vocab = full["model"]["vocab"]
    lowest = min(range(len(vocab)), key=lambda i: vocab[i][1])
    assert ids[:4].tolist() == [0, 1, 2, 3] and lowest in ids  # the unknown piece's score derives from it
    assert [t["id"] for t in small["added_tokens"]] == [0, 1, 2, 3]
    assert query_tokenizer.cut({**full, "model": {**full["model"], "type": "BPE"}}) is None


def test_a_disagreeing_cut_writes_nothing(source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = query_tokenizer.cut

    def off_by_one(tokenizer_json: dict) -> tuple[dict, np.ndarray] | None:
        made = real(tokenizer_json)
        assert made is not None
        small, ids = made
        return small, np.concatenate([ids[:4], ids[5:], ids[4:5]])  # two pieces' ids swapped around

    monkeypatch.setattr(query_tokenizer, "cut", off_by_one)
    assert query_tokenizer.write(source, tmp_path) is None
    assert list(tmp_path.iterdir()) == [] and query_tokenizer.load(tmp_path) is None


def test_a_damaged_cut_is_ignored(written: Path, tmp_path: Path) -> None:
    (tmp_path / query_tokenizer.IDS_FILE).write_bytes((written / query_tokenizer.IDS_FILE).read_bytes())
    (tmp_path / query_tokenizer.TOKENIZER_FILE).write_text("{not json", encoding="utf-8")
    assert query_tokenizer.load(tmp_path) is None
    np.save(tmp_path / query_tokenizer.IDS_FILE, np.arange(10))
    (tmp_path / query_tokenizer.TOKENIZER_FILE).write_bytes((written / query_tokenizer.TOKENIZER_FILE).read_bytes())
    assert query_tokenizer.load(tmp_path) is None  # the id map does not fit the tokenizer


@pytest.mark.integration
def test_the_onnx_encoder_uses_the_cut_and_falls_back(written: Path, tmp_path: Path) -> None:
    """The e5 export with a cut tokenizer beside it: the same vectors as with the full tokenizer, which
    loads only for a text in another script."""
    model = PROJECT_ROOT / "models" / "multilingual-e5-small"
    if not onnx_backend.is_current(model, model_fingerprint(model)):
        pytest.skip("the e5 model and its ONNX export are built by `make setup`")
    copy = tmp_path / model.name
    copy.mkdir()
    for p in model.iterdir():
        (copy / p.name).symlink_to(p, target_is_directory=p.is_dir())
    (copy / "onnx").unlink()
    (copy / "onnx").mkdir()
    for p in (model / "onnx").iterdir():
        (copy / "onnx" / p.name).symlink_to(p)
    for name in (query_tokenizer.TOKENIZER_FILE, query_tokenizer.IDS_FILE):
        (copy / "onnx" / name).unlink(missing_ok=True)
        (copy / "onnx" / name).symlink_to(written / name)

    cut = onnx_backend.OnnxEncoder(copy)
    full = onnx_backend.OnnxEncoder(model)
    full.warm_up()
    full._cut = None  # the reference: the full tokenizer only
    full._full_tokenizer()
    texts = _texts()[-60:]  # questions: what a cold `rag ask` embeds
    assert np.array_equal(cut.encode(texts, "query"), full.encode(texts, "query"))
    assert cut._tokenizer is None  # covered texts never load the full tokenizer
    assert np.array_equal(cut.encode(OTHER_SCRIPTS, "passage"), full.encode(OTHER_SCRIPTS, "passage"))
    assert cut._tokenizer is not None
