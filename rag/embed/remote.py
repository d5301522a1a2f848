"""An Embedder over an OpenAI-compatible embeddings server (RAG_EMBED_URL): `POST {url}/embeddings`, the convention of
text-embeddings-inference, vLLM, Infinity and llama.cpp's server. For indexing at scale on other machines.

Such servers embed the text they are given, so the model's prompts ("query: " / "passage: " on e5) are added
here, read from the local model's sentence-transformers config. Batched, retried with exponential backoff on
connection errors, 429 and 5xx; every answer is checked for its count and dimension. `agreement` compares the
server with the local model on a sample: only a server that agrees (cosine ≥ RAG_EMBED_MIN_COSINE) takes the
local model's name, so an index it builds is the index the local model would build, and the other way round.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path

import httpx
import numpy as np

from rag.core.errors import BackendError
from rag.embed.base import Embedder

RETRY_STATUS = {408, 409, 429, 500, 502, 503, 504}
# a few sentences shaped like the letters (heading, numbers, a long clause) for the agreement check
SAMPLE = [
    "温州市民政局关于市政协十二届三次会议第123号提案的答复",
    "目前，我市共有375家养老机构，民办养老机构248家，占全市养老机构66.1%。",
    "二、推进医养结合，支持养老机构内设医务室、护理站，与周边医疗机构签订合作协议。",
    "家庭照护床位建设纳入民生实事项目，2021年新增家庭照护床位1000张。",
    "养老护理员培训补贴按每人每次500元标准发放。",
    "智慧健康养老信息平台计划于年底前上线运行。",
    "联系人：陈庆；联系电话：0577-88888888",
    "感谢您对民政工作的关心和支持。",
]


def model_prompts(model_dir: Path) -> dict[str, str]:
    """The model's prompts by role, from its config_sentence_transformers.json (none when it has none)."""
    try:
        return dict(json.loads((model_dir / "config_sentence_transformers.json").read_text()).get("prompts") or {})
    except (OSError, ValueError):
        return {}


class RemoteEmbedder:
    def __init__(self, url: str, model: str, api_key: str = "none", prompts: dict[str, str] | None = None,
                 name: str | None = None, batch_size: int = 32, retries: int = 4, backoff_s: float = 0.5,
                 timeout_s: float = 60.0, dim: int | None = None) -> None:
        self.url = url.rstrip("/") + "/embeddings"
        self.model = model
        self.prompts = prompts or {}
        self._name = name or f"remote:{model}"
        self.batch_size, self.retries, self.backoff_s = batch_size, retries, backoff_s
        self._dim = dim  # expected; learnt from the first answer when None
        self._client = httpx.Client(timeout=timeout_s, headers={"Authorization": f"Bearer {api_key}"})

    @property
    def name(self) -> str:
        return self._name

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._post(["dim"])
        assert self._dim is not None
        return self._dim

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, "query")

    def embed_passages(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        return self._embed(texts, "passage")

    def _embed(self, texts: Sequence[str], role: str) -> np.ndarray:
        prompt = self.prompts.get(role, "")
        parts = [self._post([prompt + t for t in texts[i : i + self.batch_size]])
                 for i in range(0, len(texts), self.batch_size)]
        return np.concatenate(parts) if parts else np.zeros((0, self._dim or 0), np.float32)

    def _post(self, batch: list[str]) -> np.ndarray:
        for attempt in range(self.retries + 1):
            try:
                r = self._client.post(self.url, json={"model": self.model, "input": batch})
                if r.status_code not in RETRY_STATUS:
                    break
                why = f"HTTP {r.status_code}"
            except httpx.TransportError as e:
                why = f"{type(e).__name__}: {e}"
            if attempt == self.retries:
                raise BackendError(f"the embeddings server {self.url} failed {self.retries + 1} times ({why}); check "
                                   "RAG_EMBED_URL and that the server is up, or unset it to embed locally")
            time.sleep(self.backoff_s * 2**attempt)
        if r.status_code != 200:
            raise BackendError(f"the embeddings server {self.url} answered HTTP {r.status_code}: {r.text[:200]}")
        try:
            data = sorted(r.json()["data"], key=lambda d: d["index"])
            vecs = np.asarray([d["embedding"] for d in data], dtype=np.float32)
        except (ValueError, KeyError, TypeError) as e:
            raise BackendError(f"the embeddings server {self.url} did not answer in the OpenAI format ({e})") from e
        if vecs.ndim != 2 or len(vecs) != len(batch):
            raise BackendError(f"the embeddings server {self.url} returned {len(vecs)} vectors for {len(batch)} texts")
        if self._dim is None:
            self._dim = vecs.shape[1]
        if vecs.shape[1] != self._dim:
            raise BackendError(f"the embeddings server {self.url} returns {vecs.shape[1]}-dimensional vectors; "
                               f"the index needs {self._dim}: serve the same model as RAG_EMBED_MODEL")
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.where(norms > 0, norms, 1.0)  # the indexes score by inner product of unit vectors


def agreement(remote: Embedder, local: Embedder, sample: Sequence[str] = SAMPLE) -> float:
    """The lowest cosine between the two embedders' vectors of the sample (passages and queries)."""
    if remote.dim != local.dim:
        raise BackendError(f"the embeddings server returns {remote.dim}-dimensional vectors, the local model "
                           f"{local.name} {local.dim}: serve the same model, or set RAG_EMBED_MODEL to the served one")
    cos = [np.sum(remote.embed_passages(sample) * local.embed_passages(sample), axis=1),
           np.sum(remote.embed_queries(sample) * local.embed_queries(sample), axis=1)]
    return float(np.min(np.concatenate(cos)))
