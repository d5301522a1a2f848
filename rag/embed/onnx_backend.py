"""The ONNX backend: a sentence-transformers model's fp32 weights exported to ONNX (rag.embed.onnx_export)
and run by onnxruntime.

Why: a question is ~30 tokens, and for that torch spends most of its time in per-op overhead; onnxruntime
embeds one in ~17 ms against ~50–60 ms (eval/README.md "Benchmark suite"), which is what brings a query
under 50 ms at 100k chunks; with fused attention kernels it also embeds passages faster than torch. The
export is checked against sentence-transformers itself (cosine ≥ MIN_COSINE on probe texts), so the
vectors are the model's vectors and an index built with torch stays valid: the embedder's name (the
index identity) does not change with the backend.

Layout: ``<model_dir>/onnx/model.onnx`` (sentence-transformers' own place for an ONNX copy), its weights
beside it in ``model.onnx.data`` (ONNX external data, which onnxruntime maps into memory rather than copying:
a session opens in ~0.2 s instead of ~1.3 s, and a question reads only its own rows of the 384 MB token
embedding table), and ``onnx/export.json``, which records the model fingerprint it was exported from; a
changed model makes the export stale and it is not used. An export with its weights inside model.onnx (made
before external data) stays valid; `rag export-onnx --force` redoes it.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import numpy as np

from rag.embed.base import Role

logger = logging.getLogger(__name__)

SUBDIR = "onnx"  # excluded from rag.embed.embedder.model_fingerprint: exporting does not change the model's name
MARKER = "export.json"
MODEL_FILE = "model.onnx"
DATA_FILE = MODEL_FILE + ".data"  # the weights as ONNX external data, named in model.onnx
EXPORT_VERSION = 3
MIN_COSINE = 0.9999  # fp32 export: measured 0.99999994 on the e5 model; anything lower is a wrong export


def unsupported_reason(model_dir: Path) -> str | None:
    """Why this model's pipeline cannot be reproduced here (None when it can): Transformer → mean or CLS
    pooling (prompt tokens included) → optional Normalize, with a fast-tokenizer tokenizer.json."""
    try:
        pooling_mode(model_dir)
    except ValueError as exc:
        return str(exc)
    if not (model_dir / "tokenizer.json").is_file():
        return "it has no tokenizer.json"
    return None


def pooling_mode(model_dir: Path) -> str:
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
        size = (export_dir(model_dir) / MODEL_FILE).stat().st_size
        data = marker.get("data_bytes")
        data_ok = data is None or (export_dir(model_dir) / DATA_FILE).stat().st_size == data
    except (OSError, ValueError):
        return False
    return (
        marker.get("model_fingerprint") == fingerprint
        and marker.get("export_version") == EXPORT_VERSION
        and marker.get("model_bytes") == size
        and data_ok
        and float(marker.get("min_cosine", 0)) >= MIN_COSINE
        and bool((marker.get("pipeline") or {}).get("dim"))
    )


class OnnxEncoder:
    """Texts → L2-normalised vectors through the exported transformer, reproducing the model's
    sentence-transformers pipeline: tokenizer.json, max_seq_length truncation, mean or CLS pooling.
    The session loads on first use; ``run`` is thread-safe in onnxruntime, so one encoder serves all."""

    def __init__(self, model_dir: Path, model_file: Path | None = None, pipeline: dict[str, Any] | None = None,
                 threads: int | None = None, query_instruction: str | None = None) -> None:
        self.model_dir = Path(model_dir)
        self.query_instruction = query_instruction
        self.model_file = model_file or export_dir(self.model_dir) / MODEL_FILE
        self.threads = threads or os.cpu_count() or 1
        # what sentence-transformers loaded at export time, so no config format is parsed twice
        pipeline = pipeline or read_json(export_dir(self.model_dir) / MARKER).get("pipeline") or {}
        self.prompts: dict[str, str] = dict(pipeline.get("prompts") or {})
        self.max_len = int(pipeline.get("max_seq_length") or 512)
        self.dim = int(pipeline.get("dim") or 0)
        self.cls = pipeline.get("pooling") == "cls"
        self._session: Any = None
        self._tokenizer: Any = None  # the model's full tokenizer, loaded when a text needs it
        self._cut: Any = None  # rag.embed.query_tokenizer's, when the export wrote one
        self._cut_ids: np.ndarray | None = None
        self._lock = threading.Lock()
        self._full_lock = threading.Lock()  # apart: _load, under _lock, may load the full tokenizer too

    def _load(self) -> None:
        from rag.embed import query_tokenizer

        self._session = self._open_session()
        # the tokenizer cut to Chinese text's pieces, written with the export (0.3 s to load against 1 s):
        # texts it covers get exactly the full tokenizer's ids; the full one loads for any other text
        cut = query_tokenizer.load(self.model_file.parent)
        if cut is not None:
            self._cut, self._cut_ids = self._configure(cut[0]), cut[1]
        else:
            self._tokenizer = self._full_tokenizer()

    def _configure(self, tok: Any) -> Any:
        tok.enable_truncation(self.max_len)
        # the pad id only fills positions the attention mask hides
        pad = read_json(self.model_dir / "tokenizer_config.json").get("pad_token") or "<pad>"
        pad = pad.get("content", "<pad>") if isinstance(pad, dict) else pad
        tok.enable_padding(pad_id=tok.token_to_id(pad) or 0, pad_token=pad)
        return tok

    def _full_tokenizer(self) -> Any:
        if self._tokenizer is None:
            with self._full_lock:
                if self._tokenizer is None:
                    from tokenizers import Tokenizer

                    self._tokenizer = self._configure(Tokenizer.from_file(str(self.model_dir / "tokenizer.json")))
        return self._tokenizer

    def _encode(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(input ids, attention mask), padded to the longest text."""
        from rag.embed.query_tokenizer import covers

        if self._cut is not None and all(covers(self._cut, t) for t in texts):
            enc = self._cut.encode_batch(texts)
            ids = self._cut_ids[np.array([e.ids for e in enc], dtype=np.int64)]
        else:
            enc = self._full_tokenizer().encode_batch(texts)
            ids = np.array([e.ids for e in enc], dtype=np.int64)
        return ids, np.array([e.attention_mask for e in enc], dtype=np.int64)

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

    def encode(self, texts: list[str], role: Role) -> np.ndarray:
        """The role's prompt (from the model's config; for queries without one, the instruction), then one
        forward pass."""
        prefix = self.prompts.get(role) or (self.query_instruction if role == "query" else None) or ""
        return self.forward([prefix + t for t in texts])

    def query_scope(self, n: int) -> AbstractContextManager[None]:
        return nullcontext()  # the session never spins (allow_spinning 0): nothing to pin

    def forward(self, texts: Sequence[str]) -> np.ndarray:
        """One forward pass over `texts` as given, padded to the longest (callers batch and sort by length)."""
        self.warm_up()
        ids, mask = self._encode(list(texts))
        hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        if self.cls:
            pooled = hidden[:, 0]
        else:
            pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        return (pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)).astype(np.float32)


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
