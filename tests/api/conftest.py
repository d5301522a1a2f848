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
from tests.servers import free_port

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




def numbered(n: int) -> bytes:
    """LETTER as another letter: its own 文号 (a letter is known by its bureau and 文号, so LETTER with only its
    text changed would be a new version of LETTER, replacing it)."""
    return LETTER.replace("测民函〔2023〕7号".encode(), f"测民函〔2023〕{n}号".encode())


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


# --- the page in real Chromium (tests/api/test_e2e_*.py, test_screens.py) ---------------------------

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
E2E_ADMIN = "e2e-admin"


class Server:
    """The real app under uvicorn in a thread; stop() and start() again on the same port, as a restart."""

    def __init__(self, settings: Settings, pipe: Pipeline, port: int | None = None) -> None:
        self.settings, self.pipe, self.port = settings, pipe, port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server: object | None = None
        self._thread: object | None = None

    def start(self) -> Server:
        import threading
        import time

        import uvicorn

        server = uvicorn.Server(uvicorn.Config(create_app(self.settings, pipeline=self.pipe), host="127.0.0.1",
                                               port=self.port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start within 20 s"
            time.sleep(0.05)
        self._server, self._thread = server, thread
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True  # type: ignore[attr-defined]
            self._thread.join(10)  # type: ignore[attr-defined]
            self._server = None


def corpus_pipeline_in(index_dir: Path, **changes: object) -> tuple[Settings, Pipeline]:
    """Settings and a pipeline over a fresh index of corpus/ (FakeEmbedder: no model loads)."""
    s = Settings(index_dir=index_dir, corpus_dir=CORPUS, admin_token=E2E_ADMIN, _env_file=None).model_copy(
        update=changes)
    p = Pipeline(s, embedder=FakeEmbedder())
    p.index()
    return s, p


@pytest.fixture(scope="module")
def playwright_driver() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright_driver: object) -> Iterator[object]:
    b = playwright_driver.chromium.launch(  # type: ignore[attr-defined]
        executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
    yield b
    b.close()


@pytest.fixture(scope="module")
def corpus_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app under uvicorn over its own index of corpus/, one per test module (uploads stay in it)."""
    settings, pipe = corpus_pipeline_in(tmp_path_factory.mktemp("served") / "index")
    server = Server(settings, pipe).start()
    yield server
    server.stop()


@pytest.fixture
def errors() -> list[str]:
    """Console errors and uncaught exceptions of the page; a test removes the ones it provokes. A module's
    IGNORED_CONSOLE lists what the browser logs by itself for refusals the module provokes on purpose."""
    return []


@pytest.fixture
def page(browser: object, corpus_server: Server, errors: list[str], request: pytest.FixtureRequest) -> Iterator[object]:
    """A desktop-sized page of the served app; fails the test on any page error."""
    ignored = getattr(request.module, "IGNORED_CONSOLE", ())
    context = browser.new_context(viewport={"width": 1366, "height": 800}, locale="zh-CN")  # type: ignore[attr-defined]
    pg = context.new_page()
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text)
          if m.type == "error" and not any(i in m.text for i in ignored) else None)
    pg.goto(corpus_server.url + "/")
    yield pg
    context.close()
    assert not errors, f"browser errors: {errors}"


def ask_on_page(pg: object, question: str) -> object:
    """Type a question, press Enter, wait for the final answer; returns the answer's list item."""
    before = pg.locator("li.msg.bot").count()  # type: ignore[attr-defined]
    pg.fill("#question", question)  # type: ignore[attr-defined]
    pg.keyboard.press("Enter")  # type: ignore[attr-defined]
    # this question's own reply, not the last one on the page: until the new reply is added, "the last bot
    # message" is the previous answer, whose tools are there already, and a slow follow-up was read from it
    bot = pg.locator("li.msg.bot").nth(before)  # type: ignore[attr-defined]
    # the tools appear once the answer is final; a follow-up asks the questions before it again, which takes
    # longer than 15 s on a busy 2-core machine (seen once beside two evaluations)
    bot.locator(".tools button").first.wait_for(timeout=30_000)
    return bot
