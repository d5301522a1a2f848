"""RAG_EMBED_URL against a real OpenAI-compatible embeddings server (eval/embed_server.py serving the shipped e5
model with sentence-transformers, started here on a free port): batching, the dimension and agreement checks,
retries, and the factory naming the server as the local model only when they agree."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import numpy as np
import pytest

from rag.core.errors import BackendError
from rag.core.settings import PROJECT_ROOT, Settings
from rag.embed.factory import _local_embedder, get_embedder
from rag.embed.remote import SAMPLE, RemoteEmbedder, agreement, model_prompts
from tests.conftest import subprocess_env
from tests.servers import free_port

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "eval.embed_server", "--port", str(port)], cwd=PROJECT_ROOT,
                            env=subprocess_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 180
    while True:
        try:
            httpx.post(f"{url}/embeddings", json={"input": "x"}, timeout=5)
            break
        except httpx.TransportError:
            assert proc.poll() is None and time.monotonic() < deadline, "the embeddings server did not start"
            time.sleep(0.5)
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings(_env_file=None)


def test_the_server_agrees_with_the_local_model_and_takes_its_name(server: str, settings: Settings) -> None:
    local = _local_embedder(settings)
    remote = get_embedder(settings.model_copy(update={"embed_url": server}))
    assert isinstance(remote, RemoteEmbedder) and remote.name == local.name and remote.dim == local.dim == 384
    texts = [f"第{i}条：{s}" for i, s in enumerate(SAMPLE * 5)]  # 40 texts: more than one batch of 32
    got, want = remote.embed_passages(texts), local.embed_passages(texts)
    assert got.shape == want.shape and np.min(np.sum(got * want, axis=1)) > 0.999
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


def test_a_server_embedding_without_the_prompts_is_caught(server: str, settings: Settings) -> None:
    """The server embeds what it is sent: without e5's "passage: " / "query: " the vectors drift, and the
    agreement check refuses them at the default threshold."""
    local = _local_embedder(settings)
    assert model_prompts(settings.resolved_embed_model()) == {"query": "query: ", "passage": "passage: "}
    assert agreement(RemoteEmbedder(server, "e5", prompts={}), local) < settings.embed_min_cosine


def test_a_wrong_dimension_is_refused(server: str) -> None:
    with pytest.raises(BackendError, match=r"384-dimensional.*needs 256"):
        RemoteEmbedder(server, "e5", dim=256).embed_passages(["养老服务"])


def test_an_unreachable_server_is_retried_then_reported() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    t0 = time.perf_counter()
    with pytest.raises(BackendError, match=r"failed 3 times.*RAG_EMBED_URL"):
        RemoteEmbedder(url, "e5", retries=2, backoff_s=0.1).embed_queries(["养老"])
    assert time.perf_counter() - t0 >= 0.3  # backed off 0.1 s, then 0.2 s
