"""Exporting a sentence-transformers model to ONNX for the ONNX backend, and checking the export.

The transformer is exported with torch.onnx, fused by onnxruntime's transformer optimizer, then compared with
sentence-transformers on PROBES (min cosine ≥ MIN_COSINE) before it is put in place. Kept apart from the
backend that runs it (as sentence-transformers keeps `backend/` export code apart from the model).
"""

from __future__ import annotations

import json
import logging
import shutil
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from rag.core.errors import BackendError
from rag.core.files import building_dir, dir_lock
from rag.embed import query_tokenizer
from rag.embed.onnx_backend import (
    DATA_FILE,
    EXPORT_VERSION,
    MARKER,
    MIN_COSINE,
    MODEL_FILE,
    OnnxEncoder,
    export_dir,
    is_current,
    pooling_mode,
    read_json,
    unsupported_reason,
)

logger = logging.getLogger(__name__)

OPSET = 17
# Probes for the export check: short questions and a passage, with each of the model's prompts, embedded
# together so padding is exercised too; and one text past 512 tokens (truncation), embedded on its own so
# the short ones are not padded to 512 tokens (that made the check take 7x the compute).
PROBES = (
    "温州市有多少家养老机构？",
    "长期护理保险试点进展如何",
    "关于加快发展农村养老服务的建议",
    "一、总体情况。近年来，我局高度重视养老服务体系建设，推动居家社区机构相协调、医养康养相结合。",
)
LONG_PROBE = "下一步，我们将继续完善政策，加强队伍建设，提升服务质量。" * 40


def export(model_dir: Path, fingerprint: str, say: Callable[[str], None] | None = None) -> Path:
    """Export the model's transformer to ``<model_dir>/onnx`` and check it; returns that dir.

    Written to a temp dir and renamed into place, so a crash never leaves an export that looks finished.
    Raises BackendError (and leaves nothing) when the exported model disagrees with sentence-transformers.
    """
    say = say or logger.info
    reason = unsupported_reason(model_dir)
    if reason:
        raise BackendError(f"cannot export {str(model_dir)!r} to ONNX: {reason}. Use RAG_EMBED_BACKEND=torch.")
    with dir_lock(export_dir(model_dir)):
        if is_current(model_dir, fingerprint):  # another process finished it while we waited
            return export_dir(model_dir)
        t0 = time.perf_counter()

        def step(n: int, what: str) -> None:  # each step takes 10–60 s: say what is going on
            say(f"ONNX export {n}/3 ({time.perf_counter() - t0:.0f}s): {what}")

        with building_dir(export_dir(model_dir)) as tmp:
            step(1, f"tracing {model_dir.name} with torch.onnx")
            _torch_export(model_dir, tmp / "raw.onnx")
            step(2, "fusing attention and layer norms (onnxruntime transformer optimizer); cutting the tokenizer")
            fused = _fuse(model_dir, tmp / "raw.onnx", tmp / MODEL_FILE)
            # checked against the full tokenizer here, and with the model by _check (it tokenizes with it)
            cut = query_tokenizer.write(model_dir / "tokenizer.json", tmp, (*PROBES, LONG_PROBE))
            step(3, f"checking the export against sentence-transformers on {len(PROBES) + 1} probe texts")
            pipeline, min_cos = _check(model_dir, tmp / MODEL_FILE)
            if min_cos < MIN_COSINE:
                raise BackendError(
                    f"the ONNX export of {str(model_dir)!r} disagrees with sentence-transformers (min cosine "
                    f"{min_cos:.6f} < {MIN_COSINE}); not used. Use RAG_EMBED_BACKEND=torch."
                )
            import onnxruntime
            import torch

            (tmp / MARKER).write_text(json.dumps({
                "model_fingerprint": fingerprint, "export_version": EXPORT_VERSION, "opset": OPSET,
                "model_bytes": (tmp / MODEL_FILE).stat().st_size, "data_bytes": (tmp / DATA_FILE).stat().st_size,
                "fused": fused, "min_cosine": min_cos, "cut_tokenizer_pieces": cut,
                "probes": len(PROBES) + 1,
                "torch": torch.__version__, "onnxruntime": onnxruntime.__version__, "pipeline": pipeline,
            }, indent=2) + "\n", encoding="utf-8")  # fmt: skip
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
    cfg = read_json(model_dir / "config.json")
    try:
        from onnxruntime.transformers.optimizer import optimize_model

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = optimize_model(str(raw), model_type="bert", num_heads=int(cfg.get("num_attention_heads") or 0),
                                   hidden_size=int(cfg.get("hidden_size") or 0), opt_level=1)
        fused = model.get_fused_operator_statistics().get("Attention", 0) > 0
        if fused:  # the weights go to out + ".data" (DATA_FILE), which onnxruntime maps rather than copies
            model.save_model_to_file(str(out), use_external_data_format=True)
    except Exception as exc:  # the optimizer raises many kinds on graphs it does not know
        logger.info("onnxruntime optimizer left %s unfused: %s", model_dir.name, exc)
        fused = False
    if not fused:
        import onnx

        onnx.save_model(onnx.load(str(raw)), str(out), save_as_external_data=True, all_tensors_to_one_file=True,
                        location=out.name + ".data", size_threshold=1024)
    raw.unlink()
    shutil.copymode(out, out.with_name(DATA_FILE))  # onnx writes it owner-only; readers may be other users
    return fused


def _check(model_dir: Path, model_file: Path) -> tuple[dict[str, Any], float]:
    """The pipeline as sentence-transformers itself loads it (prompts, max_seq_length, pooling, dim) and the
    smallest cosine between this export's vectors and sentence-transformers' on PROBES, with each prompt."""
    from sentence_transformers import SentenceTransformer

    ref_model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    get_dim = getattr(ref_model, "get_embedding_dimension", None) or ref_model.get_sentence_embedding_dimension
    pipeline = {"prompts": {k: v for k, v in (ref_model.prompts or {}).items() if v},
                "max_seq_length": int(ref_model.max_seq_length), "pooling": pooling_mode(model_dir),
                "dim": int(get_dim())}
    enc = OnnxEncoder(model_dir, model_file, pipeline=pipeline)
    prompts = sorted({*pipeline["prompts"].values(), ""})
    worst = 1.0
    for texts in ([p + t for p in prompts for t in PROBES], [prompts[-1] + LONG_PROBE]):
        ref = ref_model.encode(texts, batch_size=len(texts), normalize_embeddings=True, convert_to_numpy=True)
        got = enc.forward(texts)
        worst = min(worst, float(np.min(np.sum(ref * got, axis=1))))
    return pipeline, worst


