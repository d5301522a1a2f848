"""LLMAnswerer and generators with a scripted fake model: marker parsing, support checks, renumbering,
fallbacks, context trimming and streaming — exact, no model loads."""

from __future__ import annotations

import sys
import time
import types
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from rag.answer.base import NOT_FOUND, AnswerEvent
from rag.answer.cite import make_citation
from rag.answer.generate import (
    PLAIN_STOP,
    LlamaCppGenerator,
    OpenAIGenerator,
    approx_tokens,
    get_generator,
    render_plain,
)
from rag.answer.llm import (
    BACKEND_NOTE,
    OVERFLOW_NOTE,
    SUPPORT_THRESHOLD,
    LLMAnswerer,
    MarkerFilter,
    build_prompt,
    check_answer,
    numbers,
    parse_markers,
    split_claims,
    strip_markers,
    support,
)
from rag.core.errors import BackendError, InputError, NotFoundError
from rag.core.records import Answer, Chunk, Hit, Metadata, Paragraph, content_hash
from rag.core.settings import PROJECT_ROOT, Settings

LETTER = (PROJECT_ROOT / "corpus" / "reply-03.txt").read_text(encoding="utf-8")
META = Metadata(bureau="温州市民政局", doc_number="温民提〔2019〕70号", date="2019-07-02")
DOC_ID = "reply03"


def letter_paragraph(prefix: str) -> str:
    """The verbatim line of reply-03 that starts with `prefix`."""
    return next(line.strip() for line in LETTER.splitlines() if line.strip().startswith(prefix))


def make_hit(
    prefix: str, section: tuple[str, ...] = (), title: str = "", index: int = 0, score: float = 1.0,
    text: str | None = None,
) -> Hit:
    """A hit whose chunk is one paragraph of reply-03 (or `text`, when given, for synthetic sources)."""
    body = text if text is not None else letter_paragraph(prefix)
    para = Paragraph(
        id=f"{DOC_ID}-p{index:03d}", doc_id=DOC_ID, index=index, text=body, section=section,
        section_title=title, ordinal=1,
    )
    header = f"{META.bureau} · {META.doc_number} · {''.join(section)}{title}"
    chunk = Chunk(
        id=content_hash(DOC_ID, header, body), doc_id=DOC_ID, index=index, paragraph_ids=(para.id,),
        section=section, section_title=title, header=header, text=body,
    )
    return Hit(chunk=chunk, score=score, meta=META, paragraphs=(para,))


STATS = make_hit("随着我市老龄化", index=12)  # 375家养老机构, 151.1万人 …
SMART = make_hit("一是建成全市统一的智慧养老", ("三、",), "建智慧平台，助力养老事业", index=25)
REFORM = make_hit("一是全面启动公建民营改革", ("四、",), "借资本突围，推动社会化改革", index=28)
CARE = make_hit("我市分层分类的推进医养结合", ("五、",), "借医养结合，提升服务质量", index=32)
HITS = (STATS, SMART)


class FakeGenerator:
    """Replays a script in small pieces (so markers get split across pieces), counting 1 token per char."""

    name = "fake"

    def __init__(
        self, output: str = "", n_ctx: int = 4096, piece: int = 3, fail_after: int | None = None
    ) -> None:
        self.output = output
        self.n_ctx = n_ctx
        self.piece = piece
        self.fail_after = fail_after  # raise BackendError after this many pieces
        self.calls: list[tuple[list[dict[str, str]], int]] = []

    def count_tokens(self, text: str) -> int:
        return len(text)

    def stream(
        self, messages: list[dict[str, str]], max_tokens: int, temperature: float,
        stop: list[str] | None = None,
    ) -> Iterator[str]:
        self.calls.append((messages, max_tokens))
        pieces = [self.output[i : i + self.piece] for i in range(0, len(self.output), self.piece)]
        for n, p in enumerate(pieces):
            if self.fail_after is not None and n == self.fail_after:
                raise BackendError("LLM server http://127.0.0.1:9/v1/chat/completions failed")
            yield p


class FakeFallback:
    name = "extractive"

    def __init__(self) -> None:
        self.calls = 0

    def answer(self, question: str, hits: Sequence[Hit]) -> Answer:
        self.calls += 1
        return Answer(answer="摘录式回答。", found=True, citations=(), sources=tuple(hits))

    def stream(self, question: str, hits: Sequence[Hit]) -> Iterator[AnswerEvent]:
        yield AnswerEvent(kind="final", answer=self.answer(question, hits))


def run(gen: FakeGenerator, hits: Sequence[Hit] = HITS, fallback: FakeFallback | None = None, **kw):
    events = list(LLMAnswerer(gen, fallback=fallback, **kw).stream("温州市有多少家养老机构？", hits))
    return events, events[-1].answer


# -- markers --------------------------------------------------------------------------------------


def test_parse_markers_all_bracket_styles() -> None:
    text = "甲[1]。乙［2］。丙【3】。丁[1,4]。戊[2、5]，己[ 6 ，1 ]。"
    assert parse_markers(text) == [1, 2, 3, 4, 5, 6]
    assert strip_markers(text) == "甲。乙。丙。丁。戊，己。"
    assert parse_markers("2019年[a]和[12345]不是标注") == []


def test_markers_after_full_stop_belong_to_the_sentence_before() -> None:
    assert split_claims("我市共有375家养老机构。[1]另有248家民办。[1][2]") == [
        "我市共有375家养老机构。[1]", "另有248家民办。[1][2]",
    ]
    checked = check_answer("我市共有375家养老机构。[1]", HITS)
    assert checked.text == "我市共有375家养老机构[1]。"


def test_out_of_range_marker_never_shown() -> None:
    output = "我市共有375家养老机构[1][7]。民办养老机构248家【1，9】。"
    events, ans = run(FakeGenerator(output))
    streamed = "".join(e.text for e in events if e.kind == "token")
    # filtered while streaming, though the pieces split the markers
    assert streamed == "我市共有375家养老机构[1]。民办养老机构248家[1]。"
    assert ans.mode == "llm" and ans.found
    # both claims are backed by the same source sentence, so both get its number
    assert ans.answer == "我市共有375家养老机构[1]。民办养老机构248家[1]。"
    assert len(ans.citations) == 1


def test_marker_filter_holds_split_markers() -> None:
    f = MarkerFilter(n_sources=2)
    out = "".join(f.feed(p) for p in ["机构[", "7", "]。【", "1", "】[2,", "8]见[附", "件]"]) + f.flush()
    assert out == "机构。【1】[2]见[附件]"
    assert f.feed("未完[1") == "未完" and f.flush() == "[1"


# -- support --------------------------------------------------------------------------------------


def test_supported_claim_cites_a_verbatim_sentence() -> None:
    cit = support("截至2018年底温州60岁以上老年人有151.1万人", STATS)
    assert cit is not None
    assert cit.quote.startswith("截至2018年底") and cit.quote in STATS.paragraphs[0].text
    assert make_citation(STATS, cit.quote) == cit
    assert cit.label == "〔温州市民政局 温民提〔2019〕70号 · 正文第1段〕"


def test_numbers_must_match_exactly() -> None:
    assert numbers("我市共有375家养老机构，占66.1%，７.２亿元") == ["375家", "66.1%", "7.2亿元"]
    assert support("我市共有375家养老机构", STATS) is not None
    assert support("我市共有400家养老机构", STATS) is None
    assert support("我市共有75家养老机构", STATS) is None  # not a substring match of 375家
    assert support("我市共有３７５家养老机构", STATS) is not None  # full-width digits


def test_wording_overlap_threshold() -> None:
    assert 0 < SUPPORT_THRESHOLD <= 1
    assert support("全市已实现养老服务全覆盖", SMART) is None  # same topic, not said there
    assert support("是的", STATS) is None  # too short to support anything
    # the source label counts: naming the letter is not an unsupported number
    assert support("温民提〔2019〕70号说明我市共有375家养老机构", STATS) is not None


def test_unsupported_claims_lose_their_markers() -> None:
    output = "我市共有375家养老机构[1]。我市共有400家养老机构[1]。全市已实现养老服务全覆盖[2]。"
    _, ans = run(FakeGenerator(output))
    assert ans.answer == "我市共有375家养老机构[1]。我市共有400家养老机构。全市已实现养老服务全覆盖。"
    assert len(ans.citations) == 1 and ans.citations[0].paragraph == STATS.paragraphs[0].id
    checked = check_answer(output, HITS)
    assert checked.dropped == 2


def test_renumbering_follows_first_appearance() -> None:
    output = (
        "智慧养老平台包含老年人数据库等四大模块[2]。"
        "我市共有375家养老机构[1]。"
        "为80岁以上老年人免费提供一键通服务【2】。"
        "智慧养老综合平台包含老年人数据库等四大模块[2]。"
    )
    _, ans = run(FakeGenerator(output))
    assert ans.answer == (
        "智慧养老平台包含老年人数据库等四大模块[1]。"
        "我市共有375家养老机构[2]。"
        "为80岁以上老年人免费提供一键通服务[3]。"
        "智慧养老综合平台包含老年人数据库等四大模块[1]。"  # same quote → same number
    )
    assert [c.paragraph for c in ans.citations] == [
        SMART.paragraphs[0].id, STATS.paragraphs[0].id, SMART.paragraphs[0].id,
    ]
    assert "一键通" in ans.citations[2].quote and "四大模块" in ans.citations[0].quote
    for c in ans.citations:
        hit = next(h for h in HITS if h.paragraphs[0].id == c.paragraph)
        assert make_citation(hit, c.quote) == c
    assert ans.sources == HITS


def test_one_sentence_citing_two_sources() -> None:
    hits = (STATS, make_hit("", index=99, text="目前，我市共有375家养老机构。"))
    _, ans = run(FakeGenerator("目前我市共有375家养老机构[1,2]。"), hits=hits)
    assert ans.answer == "目前我市共有375家养老机构[1][2]。"
    assert len(ans.citations) == 2


# -- fallbacks ------------------------------------------------------------------------------------


def test_refusal_phrase_uses_fallback() -> None:
    fb = FakeFallback()
    _, ans = run(FakeGenerator("资料中未找到相关内容。"), fallback=fb)
    assert fb.calls == 1 and ans.answer == "摘录式回答。" and ans.mode == "extractive"
    _, ans = run(FakeGenerator("资料中未找到相关内容[1]。"))
    assert not ans.found and ans.mode == "llm" and ans.answer.startswith(NOT_FOUND)


@pytest.mark.parametrize("output", ["", "养老机构很多。", "我市共有400家养老机构[1]。"])
def test_no_supported_citation_uses_fallback(output: str) -> None:
    fb = FakeFallback()
    _, ans = run(FakeGenerator(output), fallback=fb)
    assert fb.calls == 1 and ans.answer == "摘录式回答。"


def test_no_hits_is_a_refusal_without_calling_the_model() -> None:
    gen = FakeGenerator("我市共有375家养老机构[1]。")
    events, ans = run(gen, hits=())
    assert [e.kind for e in events] == ["final"]
    assert not ans.found and ans.mode == "llm" and gen.calls == []


def test_backend_error_mid_stream_falls_back() -> None:
    output = "我市共有375家养老机构[1]。"
    fb = FakeFallback()
    events, ans = run(FakeGenerator(output, fail_after=2), fallback=fb)
    assert [e.kind for e in events] == ["token", "token", "final"]
    assert ans.answer == BACKEND_NOTE + "摘录式回答。"
    _, ans = run(FakeGenerator(output, fail_after=0))
    assert not ans.found and BACKEND_NOTE in ans.answer and "Traceback" not in ans.answer


def test_stream_yields_tokens_then_exactly_one_final() -> None:
    output = "我市共有375家养老机构[1]。"
    events, ans = run(FakeGenerator(output, piece=2))
    kinds = [e.kind for e in events]
    assert kinds.count("final") == 1 and kinds[-1] == "final" and kinds[:-1] == ["token"] * (len(kinds) - 1)
    assert len(kinds) > 3
    assert "".join(e.text for e in events[:-1]) == output
    assert LLMAnswerer(FakeGenerator(output)).answer("问", HITS) == ans


# -- context budget -------------------------------------------------------------------------------


def _prompt_tokens(gen: FakeGenerator, messages: list[dict[str, str]]) -> int:
    return sum(gen.count_tokens(m["content"]) for m in messages)


def test_overflow_drops_then_truncates_sources() -> None:
    starts = [
        "随着我市老龄化", "一是加快县", "一是建成全市统一的智慧养老", "一是全面启动公建民营改革",
        "我市分层分类的推进医养结合", "一是优化养老布局", "一是与电信公司", "一是继续推进养老服务机构",
    ]
    long_hits = [make_hit(p, index=i, score=1.0 - i / 10) for i, p in enumerate(starts)]
    assert sum(len(h.chunk.text) for h in long_hits) > 2400
    for n_ctx, max_tokens in [(2048, 384), (700, 128), (500, 384), (400, 4096)]:
        gen = FakeGenerator("我市共有375家养老机构[1]。", n_ctx=n_ctx)
        _, ans = run(gen, hits=long_hits, max_tokens=max_tokens)
        (messages, sent_max), = gen.calls
        assert _prompt_tokens(gen, messages) + sent_max <= n_ctx
        user = messages[1]["content"]
        assert "[1] 〔温州市民政局 温民提〔2019〕70号 · 正文第1段〕" in user  # best source always kept
        assert "[8]" not in user  # the lowest-ranked went first
        if n_ctx <= 500:  # one source left and even that one cut; the answer budget shrank too
            assert "[2]" not in user and "……" in user and sent_max < max_tokens
        assert ans.found and ans.sources == tuple(long_hits)
    prompt = build_prompt("问题", long_hits, FakeGenerator(n_ctx=700), 128)
    assert 1 <= len(prompt.hits) < len(long_hits) and prompt.hits == tuple(long_hits[: len(prompt.hits)])


def test_context_too_small_for_anything_falls_back() -> None:
    gen = FakeGenerator("我市共有375家养老机构[1]。", n_ctx=120)
    fb = FakeFallback()
    events, ans = run(gen, fallback=fb)
    assert [e.kind for e in events] == ["final"] and gen.calls == []
    assert ans.answer == OVERFLOW_NOTE + "摘录式回答。"


def test_answerer_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="max_tokens=2"):
        LLMAnswerer(FakeGenerator(), max_tokens=2)
    with pytest.raises(ValueError, match="threshold=0"):
        LLMAnswerer(FakeGenerator(), threshold=0)


# -- generators -----------------------------------------------------------------------------------


def test_render_plain_ends_with_the_assistant_turn() -> None:
    text = render_plain([{"role": "system", "content": "只根据资料回答。"}, {"role": "user", "content": "问题？"}])
    assert text == "只根据资料回答。\n\n用户：问题？\n\n助手："


def test_approx_tokens_counts_chinese_per_character() -> None:
    assert approx_tokens("养老机构") == 4
    assert approx_tokens("养老 abcdef") == 2 + 3


def _sse(*events: str) -> bytes:
    return "".join(f"{e}\n\n" for e in events).encode()


def test_openai_generator_parses_sse() -> None:
    seen: dict = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen["url"] = str(request.url)
        seen["auth"] = request.headers["authorization"]
        seen["body"] = request.read()
        body = _sse(
            ": keep-alive",
            'data: {"choices":[{"delta":{"role":"assistant"}}]}',
            'data: {"choices":[{"delta":{"content":"我市共有"}}]}',
            'data: {"choices":[{"delta":{"content":"375家[1]。"}}]}',
            "data: [DONE]",
            'data: {"choices":[{"delta":{"content":"after done"}}]}',
        )
        return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})

    gen = OpenAIGenerator("http://llm.test/v1/", "k", "m", transport=httpx.MockTransport(handler))
    out = list(gen.stream([{"role": "user", "content": "问"}], 16, 0.0, stop=["\n\n"]))
    assert out == ["我市共有", "375家[1]。"]
    assert seen["url"] == "http://llm.test/v1/chat/completions" and seen["auth"] == "Bearer k"
    assert b'"stream":true' in seen["body"].replace(b" ", b"") and b'"stop"' in seen["body"]


@pytest.mark.parametrize(
    ("status", "body", "match"),
    [(500, b"boom", "HTTP 500: boom"), (200, b"data: {not json}\n\n", "malformed"),
     (200, b'data: {"error": {"message": "ctx"}}\n\n', "reported an error")],
)
def test_openai_generator_errors_name_the_url(status: int, body: bytes, match: str) -> None:
    gen = OpenAIGenerator(
        "http://llm.test/v1", transport=httpx.MockTransport(lambda r: httpx.Response(status, content=body))
    )
    with pytest.raises(BackendError, match=match) as e:
        list(gen.stream([{"role": "user", "content": "问"}], 16, 0.0))
    assert "http://llm.test/v1/chat/completions" in str(e.value)


def test_openai_generator_timeout_is_a_backend_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    gen = OpenAIGenerator("http://llm.test/v1", timeout=1.5, transport=httpx.MockTransport(handler))
    with pytest.raises(BackendError, match=r"did not answer within 1\.5s"):
        list(gen.stream([{"role": "user", "content": "问"}], 16, 0.0))


def test_openai_generator_rejects_a_bad_url() -> None:
    with pytest.raises(InputError, match="'localhost:8080'"):
        OpenAIGenerator("localhost:8080")


def test_llama_generator_without_llama_cpp_gives_install_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF")
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # import now raises ImportError
    gen = LlamaCppGenerator(model, 512, 1)  # lazy: constructing loads nothing
    with pytest.raises(BackendError, match=r"pip install -e '\.\[llm\]'"):
        gen.count_tokens("养老")
    # and the answerer turns that into a fallback, not a crash
    _, ans = run(gen, fallback=FakeFallback())  # type: ignore[arg-type]
    assert ans.answer == BACKEND_NOTE + "摘录式回答。"


class FakeLlama:
    """Stands in for llama_cpp.Llama: slow to construct (to expose double loads), scripted output."""

    made = 0

    def __init__(self, model_path: str, n_ctx: int, n_threads: int, verbose: bool) -> None:
        time.sleep(0.05)
        FakeLlama.made += 1
        self.metadata: dict[str, str] = {}
        self.calls: list[tuple[str, object, dict]] = []

    def tokenize(self, data: bytes, add_bos: bool, special: bool) -> list[int]:
        return list(data.decode())

    def create_completion(self, prompt: str, **kw: object) -> Iterator[dict]:
        self.calls.append(("completion", prompt, kw))
        if prompt.startswith("boom"):
            raise ValueError("Requested tokens (9999) exceed context window of 512")
        yield from ({"choices": [{"text": t}]} for t in ["甲", "", "乙"])

    def create_chat_completion(self, messages: list, **kw: object) -> Iterator[dict]:
        self.calls.append(("chat", messages, kw))
        yield from ({"choices": [{"delta": d}]} for d in [{"role": "assistant"}, {"content": "丙"}, {}])


@pytest.fixture
def fake_llama(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    FakeLlama.made = 0
    monkeypatch.setitem(sys.modules, "llama_cpp", types.SimpleNamespace(Llama=FakeLlama))
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF")
    return model


def test_llama_generator_loads_once_across_threads(fake_llama: Path) -> None:
    gen = LlamaCppGenerator(fake_llama, 512, 1)
    assert FakeLlama.made == 0  # lazy
    with ThreadPoolExecutor(8) as pool:
        counts = list(pool.map(gen.count_tokens, ["养老机构"] * 16))
    assert counts == [4] * 16 and FakeLlama.made == 1


def test_llama_generator_plain_prompt_without_chat_template(fake_llama: Path) -> None:
    gen = LlamaCppGenerator(fake_llama, 512, 1)
    msgs = [{"role": "system", "content": "系统"}, {"role": "user", "content": "问题"}]
    assert list(gen.stream(msgs, 16, 0.0, stop=["。"])) == ["甲", "乙"]
    kind, prompt, kw = gen._model().calls[-1]
    assert kind == "completion" and prompt == render_plain(msgs) and kw["stream"] is True
    assert kw["stop"] == ["。", *PLAIN_STOP] and kw["max_tokens"] == 16
    with pytest.raises(BackendError, match="exceed context window"):
        list(gen.stream([{"role": "system", "content": "boom"}], 16, 0.0))


def test_llama_generator_uses_the_chat_template_when_present(fake_llama: Path) -> None:
    gen = LlamaCppGenerator(fake_llama, 512, 1)
    gen._model().metadata["tokenizer.chat_template"] = "{{ messages }}"
    msgs = [{"role": "user", "content": "问题"}]
    assert gen.has_chat_template and list(gen.stream(msgs, 16, 0.0)) == ["丙"]
    kind, sent, kw = gen._model().calls[-1]
    assert kind == "chat" and sent == msgs and kw["stream"] is True


def test_llama_generator_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match=r"nope\.gguf"):
        LlamaCppGenerator(tmp_path / "nope.gguf", 512, 1)


def test_get_generator_prefers_url_then_model(tmp_path: Path) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF")
    base = {"_env_file": None, "llm_ctx": 1024}
    assert get_generator(Settings(**base, llm_url=None, llm_model=None)) is None
    gen = get_generator(Settings(**base, llm_url="http://127.0.0.1:8080/v1", llm_model=model))
    assert isinstance(gen, OpenAIGenerator) and gen.n_ctx == 1024
    gen = get_generator(Settings(**base, llm_url=None, llm_model=model, llm_threads=3))
    assert isinstance(gen, LlamaCppGenerator) and gen.threads == 3 and gen.n_ctx == 1024
    with pytest.raises(NotFoundError, match=r"missing\.gguf"):
        get_generator(Settings(**base, llm_url=None, llm_model=tmp_path / "missing.gguf"))
