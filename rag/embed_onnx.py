"""A sentence-transformers model run by onnxruntime: the same fp32 weights exported to ONNX.

Why: a question is ~30 tokens, and for that torch spends most of its time in per-op overhead; onnxruntime
embeds one in ~17 ms against ~50–60 ms (eval/README.md "Benchmark suite"), which is what brings a query
under 50 ms at 100k chunks; with fused attention kernels it also embeds passages faster than torch. The
export is checked against sentence-transformers itself (cosine ≥ MIN_COSINE on probe texts), so the
vectors are the model's vectors and an index built with torch stays valid: the embedder's name (the
index identity) does not change with the backend.

Layout: ``<model_dir>/onnx/model.onnx`` (sentence-transformers' own place for an ONNX copy) and
``onnx/export.json``, which records the model fingerprint it was exported from; a changed model makes
the export stale and it is not used.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rag.errors import BackendError

logger = logging.getLogger(__name__)

SUBDIR = "onnx"  # excluded from rag.embed.model_fingerprint: exporting does not change the model's name
MARKER = "export.json"
EXPORT_VERSION = 3
OPSET = 17
MIN_COSINE = 0.9999  # fp32 export: measured 0.99999994 on the e5 model; anything lower is a wrong export

# Probes for the export check: short questions, a passage, and one past 512 tokens (truncation), embedded
# together so padding is exercised too.
PROBES = (
    "温州市有多少家养老机构？",
    "长期护理保险试点进展如何",
    "关于加快发展农村养老服务的建议",
    "一、总体情况。近年来，我局高度重视养老服务体系建设，推动居家社区机构相协调、医养康养相结合。",
    "下一步，我们将继续完善政策，加强队伍建设，提升服务质量。" * 40,
)


def unsupported_reason(model_dir: Path) -> str | None:
    """Why this model's pipeline cannot be reproduced here (None when it can): Transformer → mean or CLS
    pooling (prompt tokens included) → optional Normalize, with a fast-tokenizer tokenizer.json."""
    try:
        _pooling_mode(model_dir)
    except ValueError as exc:
        return str(exc)
    if not (model_dir / "tokenizer.json").is_file():
        return "it has no tokenizer.json"
    return None


def _pooling_mode(model_dir: Path) -> str:
    """"mean" or "cls" from the model's config (both the sentence-transformers 5 and 6 formats)."""
    try:
        modules = json.loads((model_dir / "modules.json").read_text(encoding="utf-8"))
        types = [m["type"].rsplit(".", 1)[-1] for m in modules]  # the module path moved in sentence-transformers 6
        if types not in (["Transformer", "Pooling", "Normalize"], ["Transformer", "Pooling"]):
            raise ValueError(f"modules {types} are not Transformer → Pooling [→ Normalize]")
        pool = json.loads((model_dir / modules[1]["path"] / "config.json").read_text(encoding="utf-8"))
    except (OSError, KeyError, IndexError, TypeError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read its sentence-transformers config ({exc})") from exc
    if isinstance(pool.get("pooling_mode"), str):  # sentence-transformers 6
        modes = [pool["pooling_mode"]]
    else:
        modes = [k.removeprefix("pooling_mode_") for k, v in pool.items() if k.startswith("pooling_mode_") and v]
    modes = sorted({"mean_tokens": "mean", "cls_token": "cls"}.get(m, m) for m in modes)
    if modes not in (["mean"], ["cls"]):
        raise ValueError(f"pooling {modes} is not mean or CLS")
    if pool.get("include_prompt") is False:
        raise ValueError("its pooling leaves the prompt out, which the ONNX path does not reproduce")
    return modes[0]


def export_dir(model_dir: Path) -> Path:
    return model_dir / SUBDIR


def is_current(model_dir: Path, fingerprint: str) -> bool:
    """True when an export of exactly this model (by fingerprint) is in place and passed its check."""
    try:
        marker = json.loads((export_dir(model_dir) / MARKER).read_text(encoding="utf-8"))
        size = (export_dir(model_dir) / "model.onnx").stat().st_size
    except (OSError, ValueError):
        return False
    return (
        marker.get("model_fingerprint") == fingerprint
        and marker.get("export_version") == EXPORT_VERSION
        and marker.get("model_bytes") == size
        and float(marker.get("min_cosine", 0)) >= MIN_COSINE
        and bool((marker.get("pipeline") or {}).get("dim"))
    )


def export(model_dir: Path, fingerprint: str, say: Callable[[str], None] | None = None) -> Path:
    """Export the model's transformer to ``<model_dir>/onnx`` and check it; returns that dir.

    Written to a temp dir and renamed into place, so a crash never leaves an export that looks finished.
    Raises BackendError (and leaves nothing) when the exported model disagrees with sentence-transformers.
    """
    say = say or logger.info
    reason = unsupported_reason(model_dir)
    if reason:
        raise BackendError(f"cannot export {str(model_dir)!r} to ONNX: {reason}. Use RAG_EMBED_BACKEND=torch.")
    from rag.e5build import dir_lock

    with dir_lock(export_dir(model_dir)):
        if is_current(model_dir, fingerprint):  # another process finished it while we waited
            return export_dir(model_dir)
        t0 = time.perf_counter()
        tmp = model_dir / f".{SUBDIR}.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        try:
            _torch_export(model_dir, tmp / "raw.onnx")
            fused = _fuse(model_dir, tmp / "raw.onnx", tmp / "model.onnx")
            pipeline, min_cos = _check(model_dir, tmp / "model.onnx")
            if min_cos < MIN_COSINE:
                raise BackendError(
                    f"the ONNX export of {str(model_dir)!r} disagrees with sentence-transformers (min cosine "
                    f"{min_cos:.6f} < {MIN_COSINE}); not used. Use RAG_EMBED_BACKEND=torch."
                )
            import onnxruntime
            import torch

            (tmp / MARKER).write_text(json.dumps({
                "model_fingerprint": fingerprint, "export_version": EXPORT_VERSION, "opset": OPSET,
                "model_bytes": (tmp / "model.onnx").stat().st_size, "fused": fused, "min_cosine": min_cos,
                "probes": len(PROBES),
                "torch": torch.__version__, "onnxruntime": onnxruntime.__version__, "pipeline": pipeline,
            }, indent=2) + "\n", encoding="utf-8")  # fmt: skip
            shutil.rmtree(export_dir(model_dir), ignore_errors=True)
            tmp.rename(export_dir(model_dir))
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    say(f"exported {model_dir.name} to ONNX in {time.perf_counter() - t0:.1f}s (min cosine to torch {min_cos:.7f})")
    return export_dir(model_dir)


def _torch_export(model_dir: Path, path: Path) -> None:
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()

    class Hidden(torch.nn.Module):  # the last hidden state only: pooling is done in numpy
        def __init__(self) -> None:
            super().__init__()
            self.m = model

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            return self.m(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    ids = torch.tensor([[0, 6, 5, 2], [0, 6, 2, 1]], dtype=torch.long)  # any ids: only the shapes are traced
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]], dtype=torch.long)
    axes = {0: "batch", 1: "seq"}
    with torch.no_grad(), warnings.catch_warnings():
        # the tracer warns about shape-dependent branches; _check compares the result with torch instead
        warnings.simplefilter("ignore")
        torch.onnx.export(Hidden(), (ids, mask), str(path), dynamo=False, opset_version=OPSET,
                          input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
                          dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes})


def _fuse(model_dir: Path, raw: Path, out: Path) -> bool:
    """onnxruntime's transformer optimizer: fused attention, skip-layer-norm and bias-GELU kernels
    (embedding passages ~1.2x faster here; vectors unchanged, _check compares them). An architecture
    it cannot fuse keeps the plain export. Returns whether it fused."""
    cfg = _json(model_dir / "config.json")
    try:
        from onnxruntime.transformers.optimizer import optimize_model

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = optimize_model(str(raw), model_type="bert", num_heads=int(cfg.get("num_attention_heads") or 0),
                                   hidden_size=int(cfg.get("hidden_size") or 0), opt_level=1)
        fused = model.get_fused_operator_statistics().get("Attention", 0) > 0
        if fused:
            model.save_model_to_file(str(out))
    except Exception as exc:  # the optimizer raises many kinds on graphs it does not know
        logger.info("onnxruntime optimizer left %s unfused: %s", model_dir.name, exc)
        fused = False
    if fused:
        raw.unlink()
    else:
        raw.rename(out)
    return fused


def _check(model_dir: Path, model_file: Path) -> tuple[dict[str, Any], float]:
    """The pipeline as sentence-transformers itself loads it (prompts, max_seq_length, pooling, dim) and the
    smallest cosine between this export's vectors and sentence-transformers' on PROBES, with each prompt."""
    from sentence_transformers import SentenceTransformer

    ref_model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    get_dim = getattr(ref_model, "get_embedding_dimension", None) or ref_model.get_sentence_embedding_dimension
    pipeline = {"prompts": {k: v for k, v in (ref_model.prompts or {}).items() if v},
                "max_seq_length": int(ref_model.max_seq_length), "pooling": _pooling_mode(model_dir),
                "dim": int(get_dim())}
    enc = OnnxEncoder(model_dir, model_file, pipeline=pipeline)
    worst = 1.0
    for prompt in {*pipeline["prompts"].values(), ""}:
        texts = [prompt + t for t in PROBES]
        ref = ref_model.encode(texts, batch_size=len(texts), normalize_embeddings=True, convert_to_numpy=True)
        got = enc.encode(texts)
        worst = min(worst, float(np.min(np.sum(ref * got, axis=1))))
    return pipeline, worst


class OnnxEncoder:
    """Texts → L2-normalised vectors through the exported transformer, reproducing the model's
    sentence-transformers pipeline: tokenizer.json, max_seq_length truncation, mean or CLS pooling.
    The session loads on first use; ``run`` is thread-safe in onnxruntime, so one encoder serves all."""

    def __init__(self, model_dir: Path, model_file: Path | None = None, pipeline: dict[str, Any] | None = None,
                 threads: int | None = None) -> None:
        self.model_dir = Path(model_dir)
        self.model_file = model_file or export_dir(self.model_dir) / "model.onnx"
        self.threads = threads or os.cpu_count() or 1
        # what sentence-transformers loaded at export time, so no config format is parsed twice
        pipeline = pipeline or _json(export_dir(self.model_dir) / MARKER).get("pipeline") or {}
        self.prompts: dict[str, str] = dict(pipeline.get("prompts") or {})
        self.max_len = int(pipeline.get("max_seq_length") or 512)
        self.dim = int(pipeline.get("dim") or 0)
        self.cls = pipeline.get("pooling") == "cls"
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def _load(self) -> None:
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        tok.enable_truncation(self.max_len)
        # the pad id only fills positions the attention mask hides
        pad = _json(self.model_dir / "tokenizer_config.json").get("pad_token") or "<pad>"
        pad = pad.get("content", "<pad>") if isinstance(pad, dict) else pad
        tok.enable_padding(pad_id=tok.token_to_id(pad) or 0, pad_token=pad)
        self._session = self._open_session()
        self._tokenizer = tok

    def _open_session(self) -> Any:
        """Anything with onnxruntime's ``run(None, feed) -> [last_hidden_state]`` (eval/ swaps in OpenVINO)."""
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = self.threads
        # no busy-waiting between ops: with another process on a core, spinning threads make a query
        # wait for a core (the torch lesson: 1,000 ms p50 at load 7.5, eval/README.md)
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        logger.info("loading ONNX encoder %s (%d threads)", self.model_file, self.threads)
        return ort.InferenceSession(str(self.model_file), opts, providers=["CPUExecutionProvider"])

    def warm_up(self) -> None:
        if self._session is None:
            with self._lock:
                if self._session is None:
                    self._load()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One forward pass over `texts`, padded to the longest (callers batch and sort by length)."""
        self.warm_up()
        enc = self._tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        if self.cls:
            pooled = hidden[:, 0]
        else:
            pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        return (pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)).astype(np.float32)


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
