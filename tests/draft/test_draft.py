"""Drafting from precedent: themes, selection, foreign-fact markers, letter shape, LLM checks.

The fake searcher serves hand-built Hits whose paragraphs are copied from the letters in corpus/
(each is asserted to be verbatim in its file), so citations are checked against real text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import date

import pytest

from rag.core.errors import InputError
from rag.core.places import region_names, same_place, sub_places
from rag.core.records import Chunk, Filters, Hit, Metadata, Paragraph
from rag.core.settings import PROJECT_ROOT
from rag.core.text import contains
from rag.draft import Draft, DraftRequest, draft
from rag.draft.facts import MARKER_RE, mark_foreign
from rag.draft.themes import find_demands

CORPUS = PROJECT_ROOT / "corpus"

LETTERS = {
    "reply-01": Metadata(bureau="中山市民政局", doc_number="中民函〔2022〕40号", date="2022-06-20"),
    "reply-02": Metadata(bureau="巴中市恩阳区民政局", doc_number="恩民政函〔2021〕3号", date="2021-07-27"),
    "reply-03": Metadata(bureau="温州市民政局", doc_number="温民提〔2019〕70号", date="2019-07-02"),
    "reply-05": Metadata(bureau="咸阳市民政局", doc_number="咸民函〔2023〕38号", date="2023-05-11"),
}
FILES = {"reply-01": "reply-01.txt", "reply-02": "reply-02.txt", "reply-03": "reply-03.txt", "reply-05": "reply-05.md"}

# (doc, section path, kind, opening words of a paragraph in the file); chunks group consecutive rows
PRECEDENT = [
    [("reply-03", (), "body", "随着我市老龄化程度的不断加深")],
    [("reply-03", (), "body", "近年来，市委、市政府高度重视养老服务工作")],
    [("reply-03", (), "heading", "借医养结合，提升服务质量"), ("reply-03", (), "body", "我市分层分类的推进医养结合")],
    [("reply-03", (), "body", "一是建成全市统一的智慧养老综合平台")],
    [("reply-03", (), "body", "一是加快县（市、区）本级200张床位以上")],
    [("reply-01", ("五、",), "body", "近年来，我市积极推进医疗与养老结合工作")],
    [("reply-01", ("二、", "（一）"), "body", "（一）市民政局依托全市居家养老服务中心")],
    [("reply-01", ("三、", "（三）"), "body", "（三）为深入推进我市居家社区养老服务改革创新工作")],
    [("reply-02", ("一、",), "body", "按照区委、政府的决策部署")],
    [("reply-02", ("二、",), "body", "一是兜底基本养老服务")],
    [("reply-05", ("四、",), "body", "**四、推进医养康养融合发展。**")],
    [("reply-05", (), "body", "**二是大力推进居家适老化改造。**")],
    [("reply-05", (), "body", "**四是开展留守老年人关爱服务。**"), ("reply-05", (), "meta", "联系单位及电话")],
]


def _find_line(doc: str, start: str) -> str:
    lines = (CORPUS / FILES[doc]).read_text(encoding="utf-8").splitlines()
    found = [ln.strip() for ln in lines if ln.strip().startswith(start)]
    assert found, f"{start!r} is not a paragraph of {doc}"
    return found[0]


def _build_hits() -> list[Hit]:
    hits = []
    counter: dict[str, int] = {}
    for ci, rows in enumerate(PRECEDENT):
        paras = []
        for doc, section, kind, start in rows:
            i = counter[doc] = counter.get(doc, 0) + 1
            text = _find_line(doc, start)
            paras.append(Paragraph(id=f"{doc}-p{i:03d}", doc_id=doc, index=i, text=text, section=section, kind=kind))
        doc = rows[0][0]
        chunk = Chunk(
            id=f"c{ci}",
            doc_id=doc,
            index=ci,
            paragraph_ids=tuple(p.id for p in paras),
            section=paras[0].section,
            section_title="",
            header="",
            text="\n".join(p.text for p in paras),
        )
        hits.append(Hit(chunk=chunk, score=0.0, meta=LETTERS[doc], paragraphs=tuple(paras)))
    return hits


HITS = _build_hits()


class FakeSearcher:
    """Ranks the fixed hits by shared character bigrams with the query; records every call."""

    def __init__(self, hits: list[Hit] | None = None) -> None:
        self.hits = HITS if hits is None else hits
        self.calls: list[tuple[str, int, str | None, Filters | None]] = []

    def search(self, query: str, k: int = 5, mode: str | None = None, filters: Filters | None = None) -> list[Hit]:
        self.calls.append((query, k, mode, filters))
        grams = {query[i : i + 2] for i in range(len(query) - 1)}
        scored = [(sum(g in h.chunk.text for g in grams), n, h) for n, h in enumerate(self.hits)]
        scored = [s for s in scored if s[0] > 0]
        scored.sort(key=lambda s: (-s[0], s[1]))
        return [h for _, _, h in scored[:k]]


def _template_paragraphs(messages: list[dict[str, str]]) -> list[str]:
    return re.findall(r"^\[\d+\] (.+)$", messages[-1]["content"], flags=re.M)


class FakeGenerator:
    """Rewrites each listed precedent paragraph with `edit`, one output paragraph per input."""

    n_ctx = 8192

    def __init__(self, edit: Callable[[str], str] = lambda t: "经研究，" + t, fail: bool = False) -> None:
        self.edit = edit
        self.fail = fail
        self.prompts: list[list[dict[str, str]]] = []

    def count_tokens(self, text: str) -> int:
        return len(text)

    def stream(
        self, messages: list[dict[str, str]], max_tokens: int, temperature: float, stop: list[str] | None = None
    ) -> Iterator[str]:
        self.prompts.append(messages)
        if self.fail:
            raise RuntimeError("server down")
        out = "\n\n".join(self.edit(p) for p in _template_paragraphs(messages))
        for i in range(0, len(out), 7):  # streamed in pieces, like a real backend
            yield out[i : i + 7]


def _request(**kw) -> DraftRequest:
    base = dict(
        title="关于加强农村养老服务和医养结合的建议",
        addressee="张三委员",
        meeting="市政协十三届二次会议",
        number="123",
        bureau="杭州市民政局",
        contact="王五",
        phone="0571-12345678",
    )
    return DraftRequest(**(base | kw))


def _all_text(d: Draft) -> str:
    return "\n".join(p.text for s in d.sections for p in s.paragraphs)


# --- fixtures are real text ---------------------------------------------------------------------


def test_fixture_paragraphs_are_verbatim_corpus_text():
    for hit in HITS:
        body = (CORPUS / FILES[hit.chunk.doc_id]).read_text(encoding="utf-8")
        for p in hit.paragraphs:
            assert p.text in body


# --- request validation -------------------------------------------------------------------------


@pytest.mark.parametrize("title", ["", "   ", "\n"])
def test_empty_title_is_refused(title):
    with pytest.raises(InputError, match=r"标题不能为空.*title must not be empty"):
        DraftRequest(title=title)


def test_long_title_and_huge_text_name_limit_and_length():
    with pytest.raises(InputError, match=r"200.*201"):
        DraftRequest(title="关" * 201)
    with pytest.raises(InputError, match=r"50000.*50001|50,000.*50,001"):
        DraftRequest(title="关于养老的建议", text="字" * 50_001)
    DraftRequest(title="关" * 200, text="字" * 50_000)  # limits are inclusive


def test_co_units_list_becomes_tuple_and_bad_k_is_refused():
    req = DraftRequest(title="关于养老的建议", co_units=["市卫健局", "市医保局"])  # type: ignore[arg-type]
    assert req.co_units == ("市卫健局", "市医保局")
    assert DraftRequest(title="关于养老的建议", text=None).text == ""  # type: ignore[arg-type]
    with pytest.raises(InputError, match="k_per_theme"):
        draft(req, FakeSearcher(), k_per_theme=0)


# --- themes -------------------------------------------------------------------------------------


def test_themes_from_title_split_at_conjunctions_and_lend_the_verb():
    themes = find_demands("关于加强农村养老服务和医养结合的建议")
    assert [t.heading for t in themes] == ["关于加强农村养老服务", "关于加强医养结合"]
    themes = find_demands("《关于发展农村普惠型养老服务，提升农民的获得感、幸福感和安全感的建议》")
    assert [t.heading for t in themes] == ["关于发展农村普惠型养老服务", "关于提升农民的获得感、幸福感和安全感"]


def test_single_demand_title_gets_one_section():
    demands = find_demands("关于促进养老产业发展的建议")
    assert [(d.heading, d.text) for d in demands] == [("关于促进养老产业发展", "促进养老产业发展")]


def test_themes_from_enumerated_text_drop_the_background():
    text = (
        "当前我市老龄化加剧，养老服务供给不足。为此建议：一是加强农村养老服务设施建设，推动敬老院改造提升；"
        "二是推进医养结合，支持养老机构内设医务室；三是加快智慧养老平台建设，推广一键呼叫服务。"
    )
    themes = find_demands("关于养老的建议", text)
    assert [t.heading for t in themes] == [
        "关于加强农村养老服务设施建设",
        "关于推进医养结合",
        "关于加快智慧养老平台建设",
    ]


def test_themes_from_paragraphs_cluster_repeated_demands():
    text = (
        "我市养老机构床位紧张，护理人员流失严重。\n"
        "建议加大财政投入，提高养老机构床位补贴标准。\n"
        "建议加强养老护理员培训，提高护理员待遇。\n"
        "建议加大财政投入力度，提高床位补贴标准。\n"
    )
    themes = find_demands("关于养老的建议", text)
    assert [t.heading for t in themes] == ["关于加大财政投入", "关于加强养老护理员培训"]
    assert "床位补贴" in themes[0].query


def test_every_demand_a_section_up_to_ten_in_the_proposals_order():
    demands = [
        "加强农村养老服务设施建设",
        "推进医养结合发展",
        "加快智慧养老平台建设",
        "提高养老护理员薪酬待遇",
        "完善高龄津贴发放制度",
        "扩大长期护理保险试点",
        "推动老旧小区加装电梯",
        "发展老年教育和文体活动",
    ]
    text = "建议：" + "；".join(f"{n}是{d}" for n, d in zip("一二三四五六七八", demands, strict=True)) + "。"
    assert [d.text for d in find_demands("关于养老的建议", text)] == demands
    more = [*demands, "规范养老机构收费行为", "加强养老服务综合监管", "培育养老服务社会组织", "推广时间银行互助养老"]
    text = "建议：" + "；".join(f"{i}.{d}" for i, d in enumerate(more, 1)) + "。"
    assert len(find_demands("关于养老的建议", text)) == 10


# --- foreign facts ------------------------------------------------------------------------------


def test_region_names_and_sub_places():
    assert region_names("巴中市恩阳区民政局") == ("巴中市", "恩阳区", "巴中", "恩阳")
    assert region_names(None) == ()
    assert same_place("温州市民政局", "温州市卫生健康委员会")
    assert not same_place("温州市民政局", "杭州市民政局")
    text = "东凤人民医院托管东凤镇敬老院，在兴平市、武功县、乾县助力；渭城区202所社区日间照料中心"
    assert {text[s:e] for s, e in sub_places(text)} == {"东凤镇", "兴平市", "武功县", "乾县", "渭城区"}


def test_mark_foreign_marks_numbers_places_programmes_and_documents():
    text = _find_line("reply-03", "随着我市老龄化程度的不断加深")
    marked, placeholders = mark_foreign(text, "温州市民政局", "杭州市民政局")
    for fact in ("375家", "51086张", "66.1%", "2018年底", "鹿城区"):
        assert f"【待核实：{fact}】" in marked
        assert f"【待核实：{fact}】" in placeholders
    assert "我市" in marked  # first-person references stay
    marked, placeholders = mark_foreign(
        _find_line("reply-03", "近年来，市委、市政府高度重视养老服务工作"), "温州市民政局", "杭州市民政局"
    )
    assert "温州" not in MARKER_RE.sub("", marked)  # the region name became 【本地】
    assert "具有【本地】特色" in marked and "【待核实：“两个健康”】" in placeholders
    marked, _ = mark_foreign(_find_line("reply-03", "一是完善养老服务设施布局"), "温州市民政局", "杭州市民政局")
    assert "【待核实：温委发〔2018〕45号】" in marked
    assert "【待核实：《温州市区老年人服务设施布局规划（2013-2020）》】" in marked


def test_own_bureau_text_is_not_marked():
    text = _find_line("reply-03", "随着我市老龄化程度的不断加深")
    assert mark_foreign(text, "温州市民政局", "温州市民政局") == (text, ())
    # another bureau of the same city: places are ours, the figures are still someone else's
    marked, placeholders = mark_foreign(text, "温州市民政局", "温州市卫生健康委员会")
    assert "【待核实：375家】" in placeholders and "（其中鹿城区" in marked


# --- the draft ----------------------------------------------------------------------------------


def test_draft_structure_and_sources():
    searcher = FakeSearcher()
    d = draft(_request(), searcher)
    assert [s.heading for s in d.sections] == ["一、关于加强农村养老服务", "二、关于加强医养结合"]
    assert all(mode == "hybrid" for _, _, mode, _ in searcher.calls)
    by_id = {p.id: p for h in HITS for p in h.paragraphs}
    for section in d.sections:
        assert section.sources, section.heading
        assert 1 <= len(section.paragraphs) <= 3
        for para in section.paragraphs:
            assert para.sources
            for c in para.sources:
                assert contains(by_id[c.paragraph].text, c.quote)  # verbatim citation
                assert by_id[c.paragraph].kind == "body"
    quotes = [c.quote for s in d.sections for c in s.sources]
    assert len(quotes) == len(set(quotes))  # nothing placed twice


def test_foreign_precedent_is_marked_for_another_bureau():
    d = draft(_request(title="关于加强养老机构和养老床位建设的建议"), FakeSearcher())
    text = _all_text(d)
    assert "【待核实：375家】" in text
    assert "【待核实：375家】" in d.placeholders
    for section in d.sections:
        for para in section.paragraphs:
            for ph in para.placeholders:
                assert ph in para.text
            if any(c.bureau != "杭州市民政局" for c in para.sources):
                # no count, amount or share of the precedent's region left unmarked
                assert not re.search(r"\d+(?:\.\d+)?\s*(?:家|张|个|人|万元|%)", MARKER_RE.sub("", para.text))


def test_own_bureau_precedent_keeps_its_facts():
    d = draft(_request(title="关于加强养老机构和养老床位建设的建议", bureau="温州市民政局"), FakeSearcher())
    wenzhou = [p for s in d.sections for p in s.paragraphs if p.sources[0].bureau == "温州市民政局"]
    assert wenzhou
    assert all(not p.placeholders and "【" not in p.text for p in wenzhou)
    assert "375家" in _all_text(d)


def test_letter_lines_for_a_proposal():
    d = draft(_request(co_units=("市卫生健康局", "市医保局")), FakeSearcher(), signed=date(2024, 5, 1))
    lines = d.markdown.splitlines()
    assert lines[0] == "〔文号待填〕"
    assert d.title == "杭州市民政局关于市政协十三届二次会议第123号提案答复的函"
    assert f"# {d.title}" in lines
    assert "张三委员：" in lines
    assert (
        "您提出的《关于加强农村养老服务和医养结合的建议》收悉。经综合市卫生健康局、市医保局意见，现答复如下：" in lines
    )
    assert "专此答复，感谢您对我们工作的关心和支持。" in lines
    assert "（联系人：王五；联系电话：0571-12345678）" in lines
    assert lines.index("杭州市民政局") < lines.index("2024年5月1日")
    assert "## 一、关于加强农村养老服务" in lines


def test_suggestion_wording_plural_addressee_and_missing_pieces():
    d = draft(DraftRequest(title="关于促进养老产业发展的建议", addressee="李四等代表"), FakeSearcher())
    assert d.title == "【待填：答复单位】关于【待填：会议届次】第【待填：编号】号建议答复的函"
    assert d.opening.startswith("你们提出的《关于促进养老产业发展的建议》收悉。现答复如下")
    assert d.contact == "（联系人：【待填：联系人】；联系电话：【待填：联系电话】）"
    assert d.date == "【待填：成文日期】" and d.signature == "【待填：答复单位】"
    assert [s.heading for s in d.sections] == ["一、关于促进养老产业发展"]


def test_footnotes_name_bureau_doc_number_and_quote():
    d = draft(_request(), FakeSearcher())
    notes = [ln for ln in d.markdown.splitlines() if ln.startswith("[^")]
    n_sources = sum(len(p.sources) for s in d.sections for p in s.paragraphs)
    assert len(notes) == n_sources
    for i, note in enumerate(notes, 1):
        assert note.startswith(f"[^{i}]: 〔")
        assert f"[^{i}]" in d.markdown.split("\n[^1]:")[0]
    assert any("温民提〔2019〕70号" in n or "中民函〔2022〕40号" in n for n in notes)


def test_themes_from_text_drive_the_sections():
    text = "为此建议：一是推进医养结合，支持养老机构内设医疗机构；二是建设智慧养老平台，为老年人提供紧急呼叫服务。"
    d = draft(_request(title="关于养老的建议", text=text), FakeSearcher())
    assert [s.heading for s in d.sections] == ["一、关于推进医养结合", "二、关于建设智慧养老平台"]
    assert any("智慧养老" in c.quote for c in d.sections[1].sources)


def test_duplicate_hits_never_place_a_passage_twice():
    d = draft(_request(title="关于构建健康养老服务体系和医养结合的建议"), FakeSearcher(hits=HITS + HITS))
    paragraphs = [c.paragraph for s in d.sections for c in s.sources]
    assert len(paragraphs) == len(set(paragraphs))


def test_no_precedent_leaves_a_gap_to_fill():
    d = draft(_request(title="关于加强河道治理和防汛工作的建议"), FakeSearcher(hits=[]))
    assert all(p.text.startswith("【待补充：") and not p.sources for s in d.sections for p in s.paragraphs)


def test_to_json_is_serialisable():
    d = draft(_request(), FakeSearcher())
    data = json.loads(json.dumps(d.to_json(), ensure_ascii=False))
    assert data["title"] == d.title
    assert data["sections"][0]["paragraphs"][0]["sources"][0]["label"].startswith("〔")


# --- the optional LLM rewrite -------------------------------------------------------------------


def test_good_rewrite_is_kept_with_sources():
    gen = FakeGenerator()
    plain = draft(_request(), FakeSearcher())
    d = draft(_request(), FakeSearcher(), generator=gen)
    assert gen.prompts and "【待核实：…】" in gen.prompts[0][-1]["content"]
    for before, after in zip(plain.sections, d.sections, strict=True):
        assert after.rewritten
        assert after.sources == before.sources
        assert [p.text for p in after.paragraphs] == ["经研究，" + p.text for p in before.paragraphs]


def test_rewrite_dropping_a_placeholder_is_rejected():
    title = "关于加强养老机构和养老床位建设的建议"
    plain = draft(_request(title=title), FakeSearcher())
    gen = FakeGenerator(edit=lambda t: t.replace("【待核实：375家】", "多家"))
    d = draft(_request(title=title), FakeSearcher(), generator=gen)
    marked = ["【待核实：375家】" in "".join(p.text for p in s.paragraphs) for s in plain.sections]
    assert any(marked)
    for before, after, has in zip(plain.sections, d.sections, marked, strict=True):
        assert after.rewritten is not has
        if has:
            assert after == before


def test_rewrite_adding_a_number_is_rejected():
    plain = draft(_request(), FakeSearcher())
    d = draft(_request(), FakeSearcher(), generator=FakeGenerator(edit=lambda t: t + "共投入9999万元。"))
    assert not any(s.rewritten for s in d.sections)
    assert d.sections == plain.sections


def test_rewrite_naming_the_precedent_place_is_rejected():
    title = "关于构建健康养老服务体系的建议"
    plain = draft(_request(title=title), FakeSearcher())
    first = plain.sections[0]
    assert "【本地】" in first.paragraphs[0].text and first.sources[0].bureau == "温州市民政局"
    d = draft(
        _request(title=title), FakeSearcher(), generator=FakeGenerator(edit=lambda t: t.replace("【本地】", "温州"))
    )
    assert d.sections[0] == first


def test_prompt_too_long_for_the_context_keeps_template_text():
    gen = FakeGenerator()
    gen.n_ctx = 200
    plain = draft(_request(), FakeSearcher())
    assert draft(_request(), FakeSearcher(), generator=gen) == plain
    assert not gen.prompts


def test_generator_failure_keeps_template_text():
    plain = draft(_request(), FakeSearcher())
    d = draft(_request(), FakeSearcher(), generator=FakeGenerator(fail=True))
    assert d.sections == plain.sections and d.markdown == plain.markdown


def test_rewrite_with_other_paragraph_count_is_one_paragraph_citing_all():
    class OneParagraph(FakeGenerator):
        def stream(self, messages, max_tokens, temperature, stop=None):
            yield "".join(_template_paragraphs(messages))

    plain = draft(_request(), FakeSearcher())
    d = draft(_request(), FakeSearcher(), generator=OneParagraph())
    for before, after in zip(plain.sections, d.sections, strict=True):
        if len(before.paragraphs) > 1:
            assert len(after.paragraphs) == 1
            assert after.paragraphs[0].sources == before.sources
