import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from rag.answer.conversation import resolve
from rag.answer.scope import people_named
from rag.core.errors import InputError, NotFoundError
from rag.core.settings import Settings
from rag.ingest.ingestor import doc_id_for
from rag.pipeline import Pipeline
from tests.conftest import CORPUS, DATA

WENZHOU_ID = doc_id_for(str((CORPUS / "reply-03.txt").resolve()))


def test_ask_answers_with_a_verbatim_citation(corpus_pipeline: Pipeline) -> None:
    answer = corpus_pipeline.ask("温州市有多少家养老机构？")
    assert answer.found is True and answer.mode == "extractive"
    assert answer.citations and answer.sources
    paras = corpus_pipeline.store.paragraphs(c.paragraph for c in answer.citations)
    for c in answer.citations:
        assert c.quote and c.quote in paras[c.paragraph].text  # verbatim, not merely similar
        assert paras[c.paragraph].doc_id == c.doc_id
    first = answer.citations[0]
    assert (first.bureau, first.doc_number, first.doc_id) == ("温州市民政局", "温民提〔2019〕70号", WENZHOU_ID)
    assert first.date == "2019-07-02"


def test_ask_about_an_absent_place_refuses(corpus_pipeline: Pipeline) -> None:
    answer = corpus_pipeline.ask("深圳市有多少家养老机构？")
    assert answer.found is False
    assert "未找到" in answer.answer
    assert answer.citations == ()


def test_follow_up_question_takes_the_place_from_history(corpus_pipeline: Pipeline) -> None:
    history = ["温州市有多少家养老机构？"]
    q = corpus_pipeline.resolve_question("那巴中呢？", history)
    assert "巴中" in q and "温州" not in q and q.endswith("有多少家养老机构？")
    answer = corpus_pipeline.ask("那巴中呢？", history=history)
    assert answer.sources[0].meta.bureau == "巴中市恩阳区民政局"


def test_a_follow_up_naming_no_place_is_answered_of_the_conversations_place_only_when_refused_as_it_is(
        real_index: Path) -> None:
    """Asked alone over the real index, the 绿色通道 share is refused (it names no place); after a question about 中山
    it is asked of 中山, and the user sees the question so rewritten, on both paths."""
    pipe = Pipeline(Settings(index_dir=real_index, corpus_dir=CORPUS, _env_file=None))
    q = "那老人看病走绿色通道这块，多大比例的医疗卫生机构设了？"
    assert not pipe.ask(q).found
    history = ["中山综合性二级以上医院设老年科的比例是多少？"]
    r = pipe.respond(q, history)
    assert r.question == f"中山，{q}" and r.answer.found and r.answer.direct == "100%"
    shown, events = pipe.respond_stream(q, history)
    final = [e.answer for e in events if e.kind == "final"]
    assert shown == r.question and final[0] is not None and final[0].answer == r.answer.answer
    answered = "温州市有多少家养老机构？"  # answered as it is: left as it is
    assert pipe.respond(answered, history).question == answered


def test_follow_up_replaces_the_whole_place_run_whatever_the_order_of_places() -> None:
    places = ["恩阳区", "巴中市", "恩阳", "巴中", "温州"]  # one order a set of Retriever.known_places() can have
    assert resolve("那温州呢？", ["巴中市恩阳区有多少家养老机构？"], places) == "温州有多少家养老机构？"


def test_answer_modes(corpus_pipeline: Pipeline) -> None:
    with pytest.raises(InputError, match="'smart'"):
        corpus_pipeline.answerer("smart")
    if corpus_pipeline.generator is None:  # no RAG_LLM_MODEL / RAG_LLM_URL in this environment
        with pytest.raises(InputError, match="RAG_LLM_MODEL"):
            corpus_pipeline.answerer("llm")


def test_resolve_doc_id(corpus_pipeline: Pipeline) -> None:
    assert corpus_pipeline.resolve_doc_id(WENZHOU_ID) == WENZHOU_ID
    assert corpus_pipeline.resolve_doc_id(WENZHOU_ID[:8]) == WENZHOU_ID
    assert corpus_pipeline.resolve_doc_id("reply-03.txt") == WENZHOU_ID
    with pytest.raises(NotFoundError, match=r"'reply-99.txt'.*rag docs"):
        corpus_pipeline.resolve_doc_id("reply-99.txt")


def test_removed_letter_no_longer_comes_back(pipeline: Pipeline) -> None:
    pipeline.index()
    q = "温州市民办养老机构有多少家？"
    assert WENZHOU_ID in {h.chunk.doc_id for h in pipeline.search(q, k=10)}
    removed, stats = pipeline.remove([WENZHOU_ID, "no-such-id"])
    assert removed == [WENZHOU_ID] and stats is not None
    for mode in ("bm25", "dense", "hybrid"):
        hits = pipeline.search(q, k=50, mode=mode)
        assert hits and WENZHOU_ID not in {h.chunk.doc_id for h in hits}
    assert pipeline.store.document(WENZHOU_ID) is None
    assert pipeline.remove([WENZHOU_ID]) == ([], None)  # nothing to do, no rebuild


def test_add_bytes_with_a_gbk_letter(pipeline: Pipeline) -> None:
    pipeline.index()
    data = (DATA / "letter-gbk.txt").read_bytes()
    report, stats = pipeline.add_bytes([("letter-gbk.txt", data, "upload:letter-gbk.txt")])
    assert report.added == ["upload:letter-gbk.txt"] and stats is not None
    doc = pipeline.store.document(report.doc_ids["upload:letter-gbk.txt"])
    assert doc.encoding == "gb18030"
    assert (doc.meta.bureau, doc.meta.doc_number, doc.meta.date) == ("青山市民政局", "青民函〔2024〕12号", "2024-05-20")
    assert any("一是开展养老护理员培训1000人次。" in p.text for p in doc.paragraphs)  # decoded verbatim
    hit = pipeline.search("青山市养老护理员培训", k=1)[0]
    assert hit.meta.bureau == "青山市民政局" and "养老护理员培训1000人次" in hit.chunk.text
    assert pipeline.add_bytes([("letter-gbk.txt", data, "upload:letter-gbk.txt")]) == (report.__class__(
        unchanged=["upload:letter-gbk.txt"], doc_ids=report.doc_ids), None)


def test_searches_during_rebuilds_do_not_fail(pipeline: Pipeline, corpus_copy: Path) -> None:
    pipeline.index([corpus_copy])
    stop = threading.Event()
    questions = ["温州市有多少家养老机构？", "养老护理员培训", "智慧健康养老信息平台", "青山市养老机构"]

    def reader(i: int) -> int:
        n = 0
        while not stop.is_set() or n < 5:
            mode = ("bm25", "dense", "hybrid")[n % 3]
            # may be short while a removal waits for its rebuild, never an error
            hits = pipeline.search(questions[(i + n) % len(questions)], k=5, mode=mode)
            assert len(hits) <= 5 and all(h.chunk.text for h in hits)
            n += 1
        return n

    gbk = (DATA / "letter-gbk.txt").read_bytes()
    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(reader, i) for i in range(4)]
        try:
            for _ in range(3):
                pipeline.index([corpus_copy], force_build=True)
                report, _ = pipeline.add_bytes([("q.txt", gbk, "upload:q.txt")])
                pipeline.remove(list(report.doc_ids.values()))
        finally:
            stop.set()
        counts = [f.result() for f in futures]  # re-raises any error a reader hit
    assert all(n >= 5 for n in counts)
    assert len(pipeline.search("青山市养老机构", k=5)) == 5
    assert pipeline.store.count()[0] == 5


def test_search_between_removal_and_rebuild_still_fills_k(pipeline: Pipeline) -> None:
    pipeline.index()
    pipeline.search("养老", k=1)  # the retriever has loaded the live generation
    assert pipeline.store.remove_document(WENZHOU_ID)  # the store changed, the rebuild has not happened yet
    assert len(pipeline.search("温州市民办养老机构有多少家？", k=5, mode="bm25")) == 5


def test_changing_bm25_parameters_rebuilds_without_re_embedding(pipeline: Pipeline) -> None:
    from tests.conftest import FakeEmbedder

    pipeline.index()
    assert pipeline.index()[1] is None  # nothing changed: no build
    emb = FakeEmbedder()
    other = Pipeline(pipeline.settings.model_copy(update={"bm25_b": 0.75}), embedder=emb)
    _, stats = other.index()
    assert stats is not None and stats.embedded == 0 and not emb.embedded
    assert other.index()[1] is None


def test_a_place_named_in_the_question_is_not_answered_from_another_bureaus_letter(
        corpus_pipeline: Pipeline) -> None:
    """咸阳's letter is among the hits, so the place is "served"; 广东's sentence about 长期护理保险 still
    does not answer for 咸阳, which it never names."""
    from rag.core.records import Filters

    q = "咸阳市长期护理保险试点是什么时候启动的？"
    guangdong = corpus_pipeline.search("长期护理保险试点启动", k=3, filters=Filters(bureau="广东"))
    xianyang = corpus_pipeline.search("咸阳市养老服务", k=2, filters=Filters(bureau="咸阳"))
    assert guangdong and xianyang
    ans = corpus_pipeline.extractive.answer(q, [*guangdong, *xianyang])
    assert all(c.bureau == "咸阳市民政局" for c in ans.citations), ans.answer
    assert not ans.found or "咸阳" in ans.citations[0].quote


def test_round_two_mechanisms_on_the_letters(corpus_pipeline: Pipeline) -> None:
    # a rank is within the scope it names: the letter ranks 中山 全省第四, never 全国
    assert corpus_pipeline.ask("中山的5G基站数量在全国排第几？").found is False
    # a count may drop its measure word: 联合6部门
    assert corpus_pipeline.ask("中山卫健局联合了几个部门出台老年健康服务体系实施方案？").answer.startswith("6部门")
    # 哪几年 asks for years, not a list; 叫什么 after a content noun is not the proposal's title
    years = corpus_pipeline.ask("杨兴全委员那份答复，中山新一代信息技术产业发展行动计划是哪几年的？")
    assert "共" not in years.answer.split("。")[0]
    named = corpus_pipeline.ask("131058号提案答复里，2022年中山搞的那个关爱老人暖心工程叫什么？")
    assert "321" in named.answer and "提出的提案是" not in named.answer
    listed = corpus_pipeline.ask("恩阳在养老服务领域严厉整治了哪些乱象？")
    assert "非法集资" in listed.answer and "保健品推销" in listed.answer
    # a generic word jieba tags as a place (镇街) is not a foreign place; 啥时候 asks a date; a range of years
    assert corpus_pipeline.ask("温州啥时候开始在每个镇街建养老服务中心的").answer.startswith("2018年")
    years = corpus_pipeline.ask("中山新一代信息技术产业发展行动计划是哪几年的？")
    assert years.answer.startswith("2018-2022年")
    # the unit may come before a qualified value: 服务人次超33万
    assert corpus_pipeline.ask("中山2022年居家养老那些站点办活动服务了多少人次啊").answer.startswith("超33万")


def test_a_legislator_named_without_daibiao_selects_their_letter(corpus_pipeline: Pipeline) -> None:
    response = corpus_pipeline.respond("省民政厅回复吴克昌的那封函，落款日期是哪天？")
    assert response.answer.found and "2020年6月30日" in response.answer.answer
    assert {h.meta.doc_number for h in response.ranked} == {"粤民函〔2020〕713号"}  # a filter, not a boost
    assert people_named("吴克昌那封函", corpus_pipeline.retriever.catalog()) == ("吴克昌",)
    assert people_named("杨兴全提的", corpus_pipeline.retriever.catalog()) == ("杨兴全",)  # 杨兴全等委员


def test_a_yes_no_question_about_a_term_its_letter_never_names_is_refused(corpus_pipeline: Pipeline) -> None:
    answer = corpus_pipeline.ask("中山市有没有建农村互助幸福院？")  # only 咸阳's letter speaks of them
    assert not answer.found and answer.citations == ()


def test_a_letter_described_by_its_bureau_is_the_one_asked_about(corpus_pipeline: Pipeline) -> None:
    a = corpus_pipeline.ask("民政厅那个函落款日期是哪天")
    assert a.found and "2020年6月30日" in a.answer  # the only letter from a 厅


def test_a_letter_picked_by_order_among_the_letters_is_the_one_asked_about(corpus_pipeline: Pipeline) -> None:
    assert corpus_pipeline.ask("五封答复里哪封是最新的？").direct == "咸阳市民政局 咸民函〔2023〕38号"
    # of two letters named, the earlier: never the first of them that happens to be retrieved
    assert "温民提〔2019〕70号" in corpus_pipeline.ask("温州和咸阳的答复哪封更早？").answer
    # the letter's 文号, asked after which letter, is answered though the letter's name holds it too
    assert "文号是咸民函〔2023〕38号" in corpus_pipeline.ask("五封答复里哪封是最新的？报文号").answer


def test_a_follow_up_about_the_figure_just_given_dates_that_figure(corpus_pipeline: Pipeline) -> None:
    r = corpus_pipeline.respond("这个数统计到什么时间", ["广州长期护理保险基金到现在一共付了多少钱"])
    assert "3.31亿元" in r.question and r.answer.direct == "2019年12月底"


def test_which_letter_gave_the_figure_just_given(corpus_pipeline: Pipeline) -> None:
    r = corpus_pipeline.respond("这数是哪个文号里的", ["温州公建民营的居家养老服务照料中心有多少家"])
    assert r.answer.found and r.answer.direct == "温民提〔2019〕70号"


def test_a_wenhao_without_its_year_selects_its_letter_and_an_unknown_one_is_refused(
        corpus_pipeline: Pipeline) -> None:
    assert corpus_pipeline.ask("恩民政函3号提到的那几个敬老院改造花了多少钱").direct == "2226万元"
    assert corpus_pipeline.ask("咸民函39号里的补贴是多少").answer.startswith("资料中没有文号为咸民函39号的答复函")


def test_a_wenhao_a_letter_cites_is_what_the_question_asks_about_not_a_letter_it_points_at(
        corpus_pipeline: Pipeline) -> None:
    """粤府办〔2014〕33号 is no reply letter; 广东's letter cites it. The question is answered from the citing letter,
    and a 文号 that neither a letter has nor a letter cites is still refused with the nearest ones."""
    ans = corpus_pipeline.ask("1146号议案的回复里，粤府办〔2014〕33号是个什么文件？")
    assert ans.found and "政府向社会力量购买服务暂行办法" in ans.answer
    assert ans.citations and ans.citations[0].doc_number == "粤民函〔2020〕713号"
    unknown = corpus_pipeline.ask("粤府办〔2014〕34号是个什么文件？")
    assert unknown.answer.startswith("资料中没有文号为粤府办〔2014〕34号")


def test_a_bare_legislators_name_selects_the_letter_and_is_not_searched_for(corpus_pipeline: Pipeline) -> None:
    assert corpus_pipeline.ask("肖石龙那个建议，温州民办养老机构占比多少").direct == "66.1%"
    # beside a proposal number that names the same letter, the name is still no content
    assert corpus_pipeline.ask("肖石龙提的317号那件，温州民办养老机构占比多少？").direct == "66.1%"


def test_what_is_still_being_built_is_not_what_there_is(corpus_pipeline: Pipeline) -> None:
    assert corpus_pipeline.ask("温州有多少张养老床位").direct.startswith("51086张")  # not 目前在建…约有5481张


def test_a_follow_up_answered_with_the_value_just_given_is_refused(corpus_pipeline: Pipeline) -> None:
    history = ["恩阳给城乡社区日间照料中心的运行补贴一共投了多少？"]
    assert corpus_pipeline.ask(history[0]).direct == "133.9万元"
    answer = corpus_pipeline.ask("那当初建这些中心补了多少？", history=history)
    assert not answer.found and "133.9万元" in answer.answer  # read as the old question: not its answer again
    events = list(corpus_pipeline.ask_stream("那当初建这些中心补了多少？", history=history))  # the page says the same
    assert events[-1].answer is not None and not events[-1].answer.found
    assert corpus_pipeline.ask("那床位呢？", history=["温州市有多少家养老机构？"]).found  # a new value stands


def test_a_legislator_called_by_surname_selects_their_letter(corpus_pipeline: Pipeline) -> None:
    r = corpus_pipeline.respond("吴代表那个智慧养老建议，省厅回复时汇总了哪几家单位的意见")
    assert r.question.startswith("吴克昌代表") and "省财政厅" in r.answer.direct
    again = "温州市有多少家养老机构？"  # asked again, standing alone: answered again, not refused
    assert corpus_pipeline.ask(again, history=[again]).direct == corpus_pipeline.ask(again).direct


def test_a_value_from_the_passage_the_previous_answer_gave_is_a_new_answer(corpus_pipeline: Pipeline) -> None:
    # "…在哪？" was answered with the passage; "面积多大？" takes its 600㎡ from it, it is not the same answer again
    assert corpus_pipeline.ask("面积多大？", history=["恩阳的社区养老服务综合中心在哪？"]).direct == "600㎡"


def test_a_follow_up_place_is_not_answered_with_a_count_of_another_thing(corpus_pipeline: Pipeline) -> None:
    """温州's letter gives 鹿城区's share of all 养老机构 (17家) and of the 乡镇（街道）养老服务中心 (5个), not of the
    民办 ones: after "温州民办养老机构有多少家", "那鹿城呢" has no answer."""
    r = corpus_pipeline.respond("那鹿城呢？", history=["温州民办养老机构有多少家？"])
    assert not r.answer.found
    assert corpus_pipeline.respond("那鹿城区呢？", history=["温州养老机构有多少家？"]).answer.direct == "17家"


def test_a_name_quoted_inside_a_longer_one_is_that_longer_name(corpus_pipeline: Pipeline) -> None:
    """广东's letter quotes “互联网+护理服务”; 中山's writes “互联网+护理”服务. A question naming 互联网+护理服务 is
    answered from 中山's letter too, not refused because its text sets the name off with quotation marks."""
    assert corpus_pipeline.ask("中山开展互联网+护理服务的医疗单位有多少家？").direct == "29家"


def test_a_follow_up_naming_another_place_points_at_that_places_letter(corpus_pipeline: Pipeline) -> None:
    """"温州的呢？" after "恩阳那封的联系人是谁？": 温州's letter, not the one the previous answer came from."""
    assert corpus_pipeline.ask("温州的呢？", history=["恩阳那封的联系人是谁？"]).direct == "金谧"
    assert corpus_pipeline.ask("这封答复是哪天写的？", history=["温州有多少家养老机构？"]).direct == "2019年7月2日"


def test_a_follow_up_asking_per_unit_may_get_the_value_just_given(corpus_pipeline: Pipeline) -> None:
    """"每个中心给多少" after "咸阳的日间照料中心获得了多少运营补贴" (answered 2-4万元, each centre's): the same value
    answers, since the follow-up now says per centre; it was refused as the old question read again."""
    got = corpus_pipeline.ask("每个中心给多少？", history=["咸阳的日间照料中心获得了多少运营补贴？"])
    assert got.found and got.direct == "2-4万元"


def test_a_letter_is_pointed_at_by_a_unit_it_copies_to_or_the_day_it_was_signed(corpus_pipeline: Pipeline) -> None:
    """A value of a letter's own record selects it as a 文号 does: a unit in its 抄送 list, the day it was signed
    (without the year)."""
    assert "咸民函〔2023〕38号" in corpus_pipeline.ask("抄送名单里有市委市政府督查室的是哪一封？报下文号").answer
    assert corpus_pipeline.ask("落款写7月27日那封，是回哪位委员的？").direct == "温蓉委员"
    assert corpus_pipeline.ask("咸阳那封抄送给了哪些单位？").direct.startswith("市委市政府督查室")  # still asked


def test_a_comparison_is_answered_by_each_sides_figure_on_both_paths(real_index: Path) -> None:
    """Each side is asked as its own question; one the letters give no figure for makes the comparison a refusal
    that names it, streamed the same."""
    pipe = Pipeline(Settings(index_dir=real_index, corpus_dir=CORPUS, _env_file=None))
    q = "咸阳和恩阳，哪边的百岁老人更多？"
    r = pipe.respond(q)
    assert not r.answer.found and "恩阳：48人" in r.answer.answer and "咸阳的百岁老人" in r.answer.answer
    _, events = pipe.respond_stream(q)
    final = [e.answer for e in events if e.kind == "final"]
    assert final[0] is not None and final[0].answer == r.answer.answer
    both = pipe.respond("温州和恩阳，哪边的养老机构更多？").answer
    assert both.found and "温州：375家" in both.answer and "恩阳：" in both.answer


def test_a_blank_turn_in_the_history_is_no_turn(corpus_pipeline: Pipeline) -> None:
    asked = corpus_pipeline.ask("温州市有多少家养老机构？", history=["", "  "])
    assert asked.found and asked.direct == corpus_pipeline.ask("温州市有多少家养老机构？").direct
