"""Questions about a letter's outline (rag.answer.outline): its parts pointed at by position, and their count."""

from rag.answer.frame import read
from rag.answer.outline import asks_outline, outline_answer, position_asked
from rag.core.records import Document, Metadata, Paragraph


def _letter() -> Document:
    heads = ("一、持续推进养老服务设施建设力度。", "二、加大资金支持力度。", "三、推进医养康养融合发展。")
    paras: list[Paragraph] = [Paragraph("d-p000", "d", 0, "王委员：", kind="meta")]
    for n, h in enumerate(heads):
        marker = h[:2]
        paras.append(Paragraph(f"d-p{len(paras):03d}", "d", len(paras), h, (marker,), h[2:], kind="heading"))
        paras.append(Paragraph(f"d-p{len(paras):03d}", "d", len(paras), f"第{n + 1}部分的正文。", (marker,), h[2:]))
    return Document("d", "x.txt", "", "txt", "utf-8", Metadata(bureau="咸阳市民政局", doc_number="咸民函〔2023〕38号"),
                    tuple(paras))


def test_a_part_is_pointed_at_by_its_place_first_last_or_from_the_end() -> None:
    assert position_asked("正文头一部分的小标题是什么？") == 1
    assert position_asked("第二条讲的是什么？") == 2
    assert position_asked("最后一条是关于什么的建议？") == -1
    assert position_asked("倒数第二部分是啥内容？") == -2
    assert position_asked("第十一部分的题目叫什么？") == 11


def test_a_part_is_pointed_at_by_the_marker_it_is_numbered_with() -> None:
    assert position_asked("中山那封函里标着“四、”的那部分，回应的是委员哪方面的建议？") == 4
    assert position_asked("标着“二、”的那部分里，有多少家养老机构？") is None  # its content is asked


def test_a_part_named_only_to_say_where_to_look_asks_its_content() -> None:
    # "第四条里，…有多少家": the part says where, the count is asked
    assert not asks_outline("咸民函〔2023〕38号第四条里，签约的医疗机构有多少家？")
    assert not asks_outline("咸阳有几条养老服务热线？")  # a count of something else
    assert asks_outline("粤民函〔2020〕713号一共分了几部分？")
    assert read("咸阳那封答复最后一条写的啥？").meta == "part"
    assert read("中山那封回复第三条是关于什么的建议？").meta == "part"  # not the proposal's title


def test_the_part_asked_is_answered_by_its_heading_cited() -> None:
    doc = _letter()
    got = outline_answer("咸阳那封答复最后一条写的啥？", doc, [], "extractive")
    assert got.found and got.direct == "推进医养康养融合发展"
    assert got.citations[0].paragraph == "d-p005" and "共3部分" in got.answer
    assert outline_answer("第二部分的标题？", doc, [], "extractive").direct == "加大资金支持力度"
    count = outline_answer("这封答复分了几部分？", doc, [], "extractive")
    assert count.direct == "3部分" and "加大资金支持力度" in count.answer


def test_a_part_the_letter_does_not_have_is_refused_with_how_many_it_has() -> None:
    got = outline_answer("第五部分讲什么？", _letter(), [], "extractive")
    assert not got.found and "只有3部分" in got.answer


def test_parts_are_answered_from_the_letter_the_question_names(corpus_pipeline) -> None:
    got = corpus_pipeline.ask("广东那封答复第五部分讲的是什么？")
    assert got.found and "推进长期护理保险试点" in got.answer and got.citations[0].doc_number == "粤民函〔2020〕713号"
    last = corpus_pipeline.ask("中山那封第七条讲什么？")
    assert not last.found and "只有6部分" in last.answer


def test_a_part_pointed_at_by_what_it_is_about_or_with_de_na_or_asked_after_a_comma() -> None:
    from rag.answer.outline import outline_answer
    from tests.answer.test_meta import doc

    wz, xy, zs = doc("reply-03.txt"), doc("reply-05.md"), doc("reply-01.txt")

    def heading(question: str, d: Document) -> str:
        return outline_answer(question, d, [], "x").direct

    assert heading("温州那封讲公建民营改革的那一节，小标题怎么写的？", wz) == "借资本突围，推动社会化改革"
    assert heading("咸阳那封答复，正文编号第三的那条标题是啥？", xy) == "健全留守空巢老人关爱服务机制"
    assert "医养结合模式人才培养" in heading("中山那封第五部分，对应的是提案里关于啥的建议？", zs)


def test_headings_picked_by_the_words_they_start_with_one_by_its_place_or_all() -> None:
    """"那几个“坚持”小标题，最末一个是什么", "小标题是“建”字打头的": headings of any level that start with the
    quoted words; the one asked by its place among them, all of them in order, or a refusal saying there is none."""
    from tests.answer.test_meta import doc

    enyang, xianyang = doc("reply-02.txt"), doc("reply-05.md")
    q = "恩阳那封基本情况里那几个“坚持”小标题，最末一个是什么？"
    assert asks_outline(q)
    last = outline_answer(q, enyang, [], "extractive")
    assert last.direct == "坚持养老服务模式持续优化" and "第3个（共3个）" in last.answer
    second = outline_answer("“坚持”开头的小标题排第二的是哪个？", enyang, [], "extractive")
    assert second.direct == "坚持优化环境，行业服务质量持续提升"
    every = outline_answer("恩阳那封“坚持”开头的小标题有哪些？", enyang, [], "extractive")
    assert every.answer.count("坚持") >= 4 and len(every.citations) == 3
    one = outline_answer("温州那封里有一节小标题是“建”字打头的，整句怎么写？", doc("reply-03.txt"), [], "extractive")
    assert one.direct == "建智慧平台，助力养老事业"
    assert not outline_answer("咸阳那封“坚持”开头的小标题有几个？", xianyang, [], "extractive").found


def test_a_heading_named_beside_a_part_in_print_words_or_asked_inside() -> None:
    """"第二大块的标题里，…什么关怀" asks inside the heading of the second part; "加粗标题" is a heading as printed;
    "小标题都是“借”字打头" picks headings by their start as "小标题是“借”字打头" does. None is the proposal's title."""
    from tests.answer.test_meta import doc

    zs, xy, wz = doc("reply-01.txt"), doc("reply-05.md"), doc("reply-03.txt")
    inside = "中山那封第二大块的标题里，说要给老年人群体一种什么关怀？"
    assert read(inside).meta == "part" and position_asked(inside) == 2
    assert "人文关怀" in outline_answer(inside, zs, [], "x").direct
    bold = "咸阳那封正文讲医养的那一条，加粗标题原文是啥？"
    assert read(bold).meta == "part"
    assert outline_answer(bold, xy, [], "x").direct == "推进医养康养融合发展"
    both = outline_answer("温州那封有俩小标题都是“借”字打头的，分别怎么写？", wz, [], "x")
    assert "借资本突围，推动社会化改革" in both.answer and "借医养结合，提升服务质量" in both.answer
    assert position_asked("第二大块的标题是什么？") == 2 and position_asked("最后一块的标题里说了啥？") == -1


def test_headings_that_hold_quoted_words_anywhere() -> None:
    from tests.answer.test_meta import doc

    q = "咸阳那封有两条加粗标题都带“留守空巢老人关爱服务”，分别是哪两条？"
    assert read(q).meta == "part"
    got = outline_answer(q, doc("reply-05.md"), [], "x")
    assert got.direct == "健全留守空巢老人关爱服务机制、创新留守空巢老人关爱服务模式"
    assert not outline_answer("咸阳那封小标题里带“火星基地”的是哪条？", doc("reply-05.md"), [], "x").found


def test_headings_asked_are_listed_all_or_at_one_end(corpus_pipeline) -> None:  # type: ignore[no-untyped-def]
    """"用了哪几个小标题", "加粗的标题各是啥": the headings themselves; "最后两个小标题": those, in order."""
    both = corpus_pipeline.ask("咸阳那封函用了哪几个小标题？")
    assert "加大资金支持力度" in both.direct and "创新留守空巢老人关爱服务模式" in both.direct
    last = corpus_pipeline.ask("温州那封全文最后两个小标题是啥？")
    assert last.direct == "依托“智能化”，助力智慧养老、创新机制，提升养老服务质量"
    assert corpus_pipeline.ask("咸阳那封函正文分了几部分？").direct == "5部分"


def test_a_numbered_point_of_a_part_its_heading_names(corpus_pipeline) -> None:  # type: ignore[no-untyped-def]
    """"“谋全局规划，完善设施建设”那节第二条": the 二是 of that part, not its heading; fewer points: refused."""
    got = corpus_pipeline.ask("温州那封“谋全局规划，完善设施建设”那节第二条讲的是啥？")
    assert got.direct == "推进乡镇敬老院升级改造"
    assert not corpus_pipeline.ask("温州那封“谋全局规划，完善设施建设”那节第九条讲的是啥？").found
