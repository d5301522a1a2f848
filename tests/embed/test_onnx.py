"""The ONNX embedding backend (rag.embed.onnx_backend, its export in rag.embed.onnx_export) and how the factory
chooses it.

Export and encoder run for real on a tiny random BERT (seconds); tests/search/test_integration_retrieval.py checks
the real e5 export against torch on every question of the QA set, and that dense retrieval ranks the same.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from eval.stress.crash import build_tiny_model
from rag.core.errors import BackendError
from rag.embed import (
    SentenceTransformerEmbedder,
    model_fingerprint,
    onnx_backend,
    onnx_export,
    resolve_backend,
    torch_backend,
)
from rag.embed import factory as embed

TEXTS = ["温州市有多少家养老机构？", "长期护理保险", "一、总体情况。近年来我局高度重视养老服务体系建设。" * 30, "短"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("onnx") / "tiny-bert")


@pytest.fixture
def tiny_copy(tiny: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "tiny-bert"
    shutil.copytree(tiny, dst, ignore=shutil.ignore_patterns(onnx_backend.SUBDIR))
    return dst


@pytest.fixture(scope="module")
def tiny_exported(tiny: Path) -> Path:
    onnx_export.export(tiny, model_fingerprint(tiny))
    return tiny


def _pooling(model_dir: Path, mode: str, include_prompt: bool = True) -> None:
    path = model_dir / "1_Pooling" / "config.json"
    cfg = json.loads(path.read_text())
    cfg.update(pooling_mode=mode, include_prompt=include_prompt)  # the sentence-transformers 6 format
    path.write_text(json.dumps(cfg))


def test_pooling_config_of_sentence_transformers_5_is_read(tiny_copy: Path) -> None:
    (tiny_copy / "1_Pooling" / "config.json").write_text(json.dumps(
        {"word_embedding_dimension": 32, "pooling_mode_cls_token": False, "pooling_mode_mean_tokens": True,
         "pooling_mode_max_tokens": False, "include_prompt": True}))
    assert onnx_backend.unsupported_reason(tiny_copy) is None
    (tiny_copy / "1_Pooling" / "config.json").write_text(json.dumps(
        {"word_embedding_dimension": 32, "pooling_mode_cls_token": True, "pooling_mode_max_tokens": True}))
    assert "pooling ['cls', 'max_tokens']" in (onnx_backend.unsupported_reason(tiny_copy) or "")


def test_export_agrees_with_sentence_transformers(tiny_exported: Path) -> None:
    marker = json.loads((tiny_exported / "onnx" / "export.json").read_text())
    assert marker["min_cosine"] >= onnx_backend.MIN_COSINE
    assert onnx_backend.is_current(tiny_exported, model_fingerprint(tiny_exported))
    torch_emb = SentenceTransformerEmbedder(tiny_exported)
    onnx_emb = SentenceTransformerEmbedder(tiny_exported, backend="onnx")
    a, b = torch_emb.embed_queries(TEXTS), onnx_emb.embed_queries(TEXTS)  # mixed lengths: padding, truncation
    assert a.shape == b.shape == (len(TEXTS), torch_emb.dim)
    assert np.min(np.sum(a * b, axis=1)) > 0.9999
    assert np.allclose(np.linalg.norm(b, axis=1), 1, atol=1e-5)
    assert onnx_emb.name == torch_emb.name  # same vectors, so an index built with torch stays valid


def test_batch_order_and_single_query_agree(tiny_exported: Path) -> None:
    emb = SentenceTransformerEmbedder(tiny_exported, batch_size=2, backend="onnx")
    batch = emb.embed_queries(TEXTS)
    singles = np.stack([emb.embed_queries([t])[0] for t in TEXTS])
    assert np.allclose(batch, singles, atol=1e-5)  # batching by length restores the input order
    assert emb.embed_queries([]).shape == (0, emb.dim)


def test_cls_pooling_is_reproduced(tiny_copy: Path) -> None:
    _pooling(tiny_copy, "cls")
    onnx_export.export(tiny_copy, model_fingerprint(tiny_copy))  # raises if it disagreed with torch
    a = SentenceTransformerEmbedder(tiny_copy).embed_queries(TEXTS)
    b = SentenceTransformerEmbedder(tiny_copy, backend="onnx").embed_queries(TEXTS)
    assert np.min(np.sum(a * b, axis=1)) > 0.9999


def test_fingerprint_ignores_the_export(tiny_copy: Path) -> None:
    before = model_fingerprint(tiny_copy)
    onnx_export.export(tiny_copy, before)
    assert model_fingerprint(tiny_copy) == before


def test_changed_model_makes_the_export_stale(tiny_copy: Path) -> None:
    onnx_export.export(tiny_copy, model_fingerprint(tiny_copy))
    (tiny_copy / "config_sentence_transformers.json").write_text(
        json.dumps({"prompts": {"query": "问："}, "similarity_fn_name": "cosine"}))
    assert not onnx_backend.is_current(tiny_copy, model_fingerprint(tiny_copy))


@pytest.mark.parametrize(
    "field, value",
    [("model_fingerprint", "0" * 64), ("export_version", 0), ("model_bytes", 1), ("data_bytes", 1),
     ("min_cosine", 0.5), ("pipeline", None)],
)
def test_marker_mismatch_is_not_current(tiny_copy: Path, field: str, value: object) -> None:
    fp = model_fingerprint(tiny_copy)
    onnx_export.export(tiny_copy, fp)
    marker_path = tiny_copy / "onnx" / "export.json"
    marker = json.loads(marker_path.read_text())
    marker[field] = value
    marker_path.write_text(json.dumps(marker))
    assert not onnx_backend.is_current(tiny_copy, fp)


def test_weights_are_external_data_and_checked(tiny_copy: Path) -> None:
    """The weights live in model.onnx.data (mapped, not copied, by onnxruntime); a truncated or missing data
    file makes the export stale, and an older export with its weights inside model.onnx stays valid."""
    import onnx

    fp = model_fingerprint(tiny_copy)
    onnx_export.export(tiny_copy, fp)
    out = tiny_copy / "onnx"
    data = out / onnx_backend.DATA_FILE
    assert data.stat().st_size > 50 * (out / "model.onnx").stat().st_size
    external = json.loads((out / "export.json").read_text())

    onnx.save_model(onnx.load(str(out / "model.onnx")), str(out / "model.onnx"))  # the weights inside again
    data.unlink()
    marker = {k: v for k, v in external.items() if k != "data_bytes"}
    (out / "export.json").write_text(json.dumps(marker | {"model_bytes": (out / "model.onnx").stat().st_size}))
    assert onnx_backend.is_current(tiny_copy, fp)
    assert SentenceTransformerEmbedder(tiny_copy, backend="onnx").embed_queries(["养老"]).shape[0] == 1

    (out / "export.json").write_text(json.dumps(external))  # it says model.onnx.data, which is gone
    assert not onnx_backend.is_current(tiny_copy, fp)
    onnx_export.export(tiny_copy, fp)
    assert onnx_backend.is_current(tiny_copy, fp)
    with data.open("r+b") as f:
        f.truncate(data.stat().st_size - 4)
    assert not onnx_backend.is_current(tiny_copy, fp)


def test_disagreeing_export_is_refused_and_leaves_nothing(tiny_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(onnx_export, "_check", lambda model_dir, model_file: ({"dim": 32}, 0.93))
    with pytest.raises(BackendError, match=r"min cosine 0\.930000.*RAG_EMBED_BACKEND=torch"):
        onnx_export.export(tiny_copy, model_fingerprint(tiny_copy))
    assert not (tiny_copy / "onnx").exists()
    assert not list(tiny_copy.glob(".onnx.tmp-*"))


@pytest.mark.parametrize(
    "edit, reason",
    [
        (lambda d: (d / "tokenizer.json").unlink(), "no tokenizer.json"),
        (lambda d: _pooling(d, "max"), "pooling ['max']"),
        (lambda d: _pooling(d, "mean", include_prompt=False), "leaves the prompt out"),
        (lambda d: (d / "modules.json").write_text("[]"), "are not Transformer"),
        (lambda d: (d / "modules.json").write_text("{"), "cannot read"),
    ],
)
def test_unsupported_pipelines_are_named(tiny_copy: Path, edit, reason: str) -> None:
    assert onnx_backend.unsupported_reason(tiny_copy) is None
    edit(tiny_copy)
    assert reason in (onnx_backend.unsupported_reason(tiny_copy) or "")


def test_backend_choice(tiny_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []
    real_export = onnx_export.export
    monkeypatch.setattr(onnx_export, "export", lambda d, fp, say=None: calls.append(d) or real_export(d, fp))
    assert resolve_backend(tiny_copy, "torch", export_if_missing=True) == "torch"
    # a custom model without an export: auto stays on torch and does not spend a minute exporting
    assert resolve_backend(tiny_copy, "auto", export_if_missing=False) == "torch"
    assert calls == []
    # the default model (export_if_missing) or an explicit "onnx" exports once, then reuses it
    assert resolve_backend(tiny_copy, "auto", export_if_missing=True) == "onnx"
    assert resolve_backend(tiny_copy, "onnx", export_if_missing=False) == "onnx"
    assert resolve_backend(tiny_copy, "auto", export_if_missing=False) == "onnx"
    assert calls == [tiny_copy]


def test_backend_choice_on_unsupported_model(tiny_copy: Path) -> None:
    _pooling(tiny_copy, "max")
    assert resolve_backend(tiny_copy, "auto", export_if_missing=True) == "torch"
    with pytest.raises(BackendError, match=r"RAG_EMBED_BACKEND=onnx but .*pooling.*RAG_EMBED_BACKEND=torch"):
        resolve_backend(tiny_copy, "onnx", export_if_missing=True)


def test_failed_export_falls_back_once(tiny_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []

    def failing(d: Path, fp: str, say: object = None) -> Path:
        calls.append(d)
        raise BackendError("disk full")

    monkeypatch.setattr(onnx_export, "export", failing)
    monkeypatch.setattr(embed, "_export_failed", set())
    assert resolve_backend(tiny_copy, "auto", export_if_missing=True) == "torch"
    assert resolve_backend(tiny_copy, "auto", export_if_missing=True) == "torch"
    assert calls == [tiny_copy]  # not retried on every call
    with pytest.raises(BackendError, match=r"could not export .*disk full"):
        resolve_backend(tiny_copy, "onnx", export_if_missing=False)


def test_onnx_backend_never_loads_torch_model(tiny_exported: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_torch(path: Path, device: str) -> None:
        raise AssertionError("the torch model was loaded")

    monkeypatch.setattr(torch_backend, "_load_sentence_transformer", no_torch)
    emb = SentenceTransformerEmbedder(tiny_exported, backend="onnx")
    emb.warm_up()
    assert emb.dim == 32
    assert emb.embed_queries(["养老"]).shape == (1, 32)
    assert emb.embed_passages(TEXTS, progress=True).shape == (len(TEXTS), 32)


def test_passages_agree_with_torch(tiny_exported: Path) -> None:
    a = SentenceTransformerEmbedder(tiny_exported, batch_size=3).embed_passages(TEXTS)
    b = SentenceTransformerEmbedder(tiny_exported, batch_size=3, backend="onnx").embed_passages(TEXTS)
    assert np.min(np.sum(a * b, axis=1)) > 0.9999


def test_export_fuses_attention_or_keeps_the_plain_graph(tiny_exported: Path, tiny_copy: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    assert json.loads((tiny_exported / "onnx" / "export.json").read_text())["fused"] is True
    import onnxruntime.transformers.optimizer as opt

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("unknown graph")

    monkeypatch.setattr(opt, "optimize_model", broken)
    onnx_export.export(tiny_copy, model_fingerprint(tiny_copy))  # the plain export, still checked
    marker = json.loads((tiny_copy / "onnx" / "export.json").read_text())
    assert marker["fused"] is False and marker["min_cosine"] >= onnx_backend.MIN_COSINE
    assert sorted(p.name for p in (tiny_copy / "onnx").iterdir()) == ["export.json", "model.onnx", "model.onnx.data"]


def test_cli_export_onnx(tiny_copy: Path, tmp_path: Path, rag_cli) -> None:
    result = rag_cli("export-onnx", "--model", tiny_copy)
    assert result.exit_code == 0, result.output
    assert "min cosine to torch" in result.stdout and "ONNX encoder ready" in result.stdout
    assert onnx_backend.is_current(tiny_copy, model_fingerprint(tiny_copy))
    again = rag_cli("export-onnx", "--model", tiny_copy)  # current: nothing to do
    assert again.exit_code == 0 and "min cosine" not in again.stdout
    missing = rag_cli("export-onnx", "--model", tmp_path / "nope")
    assert missing.exit_code == 2 and "does not exist; pass --model DIR" in missing.output
