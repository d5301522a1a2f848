"""Fixtures of the API tests: an app over a temporary index of the real corpus (FakeEmbedder, no model
loads) shared per test module, and a tiny real embedding model for the server-process tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from rag.core.settings import Settings
from rag.pipeline import Pipeline
from tests.conftest import CORPUS, FakeEmbedder

ADMIN = "admin-secret-1"
AUTH = {"Authorization": f"Bearer {ADMIN}"}
QUESTION = "温州市有多少家养老机构？"
LETTER = """测试市民政局

测民函〔2023〕7号

测试市民政局关于市政协一届一次会议第5号提案答复的函

王五委员：

您提出的《关于发展社区食堂的建议》收悉，现答复如下：

一、关于社区食堂建设

截至2023年6月，我市已建成社区老年食堂88个，覆盖全部街道。

专此答复。

测试市民政局
2023年7月1日
""".encode()


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    index_dir = tmp_path_factory.mktemp("api") / "index"
    return Settings(index_dir=index_dir, corpus_dir=CORPUS, admin_token=ADMIN, _env_file=None)


@pytest.fixture(scope="module")
def pipe(settings: Settings) -> Pipeline:
    p = Pipeline(settings, embedder=FakeEmbedder())
    p.index()
    return p


@pytest.fixture(scope="module")
def client(settings: Settings, pipe: Pipeline) -> Iterator[TestClient]:
    with TestClient(create_app(settings, pipeline=pipe)) as c:
        yield c


def variant(settings: Settings, pipe: Pipeline, **changes: object) -> TestClient:
    """A client of another app over the same pipeline, with some settings changed."""
    return TestClient(create_app(settings.model_copy(update=changes), pipeline=pipe))


def upload(c: TestClient, *files: tuple[str, bytes], headers: dict | None = AUTH) -> httpx.Response:
    return c.post("/api/documents", files=[("files", f) for f in files], headers=headers)


@pytest.fixture(scope="session")
def tiny_embed_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random sentence-transformers dir for RAG_EMBED_MODEL (the crash test's builder): the real
    embedding code path in a server process, at thousands of chunks a second."""
    from eval.stress.crash import build_tiny_model  # imported here: only the server-process tests need it

    return build_tiny_model(tmp_path_factory.mktemp("tiny-model") / "tiny-bert")
