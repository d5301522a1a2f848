"""rag.answer.refs: the letter references a question holds and the spans they take (more through
rag.answer.frame.read in test_frame.py)."""

from rag.answer.refs import find_refs


def test_references_are_found_with_their_spans_and_the_question_as_the_letters_print_them() -> None:
    q, refs, spans = find_refs("温民提〔二〇一九〕七十号里，肖石龙代表问的第317号建议是哪个单位答复的？")
    assert q.startswith("温民提〔2019〕70号里")
    assert refs.doc_numbers[0].matches("温民提〔2019〕70号") and refs.proposals == ("317",)
    assert refs.people == ("肖石龙",)
    assert {q[a:b] for a, b in spans} == {"温民提〔2019〕70号", "第317号建议", "肖石龙代表"}


def test_a_question_without_references_has_none() -> None:
    _, refs, spans = find_refs("温州市有多少家养老机构？")
    assert not refs and spans == []


def test_a_wenhao_typed_as_its_serial_and_kind_of_document_only_is_a_reference() -> None:
    _q, refs, _spans = find_refs("省厅713号函里，广东省居家养老信息化服务平台是跟哪家一起建的？")
    assert [r.number for r in refs.doc_numbers] == ["713"] and refs.doc_numbers[0].matches("粤民函〔2020〕713号")
    assert not refs.doc_numbers[0].matches("粤民函〔2020〕714号")
    assert not find_refs("第131058号提案里有多少个文件？")[1].doc_numbers  # a proposal, not a 文号


def test_a_wenhao_typed_with_a_dash_after_its_prefix_a_short_year_in_brackets_or_niandu_is_a_reference() -> None:
    for typed, printed in (("温民提-2019-70号讲全市养老床位建了多少张？", "温民提〔2019〕70号"),
                           ("咸民函(23)38号里头，补贴多少？", "咸民函〔2023〕38号"),
                           ("粤民函2020年度第713号那份答复说了什么？", "粤民函〔2020〕713号")):
        refs = find_refs(typed)[1].doc_numbers
        assert len(refs) == 1 and refs[0].matches(printed), typed
    assert not find_refs("会上提到2019年12月成立的标委会有多少人？")[1].doc_numbers


def test_a_proposal_number_after_its_kind_and_small_form_brackets_are_references() -> None:
    assert find_refs("省人大代表建议1146号回复中，覆盖了多少人？")[1].proposals == ("1146",)
    refs = find_refs("中民函﹝2022﹞40号里讲的时间银行")[1].doc_numbers
    assert len(refs) == 1 and refs[0].matches("中民函〔2022〕40号")


def test_a_bare_number_pointing_at_a_letter_is_a_serial_of_either_kind() -> None:
    from rag.answer.scope import select
    from tests.answer.test_traits import CATALOG

    for typed, letter in (("1146号那份里，秘书工作落在谁家？", "gd"), ("713号那份答复里说了什么？", "gd"),
                          ("403号回复里提到几个中心？", "xy")):
        refs = find_refs(typed)[1]
        assert refs.serials and select(refs, CATALOG).doc_ids == frozenset({letter}), typed
    assert not find_refs("建成1356个那些幸福院")[1]  # a count, no reference
    # a number said to be a proposal's is never read as a 文号's serial
    assert select(find_refs("第40号提案说了什么？")[1], CATALOG).doc_ids == frozenset()


def test_number_signs_a_year_typed_first_and_a_proposal_number_after_its_kind_without_hao() -> None:
    _, refs, _ = find_refs("中民函〔2022〕№40回复提案时说，2021年智慧助老活动办了几场？")
    assert [d.text for d in refs.doc_numbers] == ["中民函〔2022〕40号"]
    _, refs, _ = find_refs("2020年713号粤民函里，那批产品给什么提供了支撑？")
    assert [d.text for d in refs.doc_numbers] == ["粤民函〔2020〕713号"]
    assert find_refs("131058#提案那份答复，还要宣传什么？")[1].proposals == ("131058",)
    assert find_refs("建议317那份答复里，另外两样是什么？")[1].proposals == ("317",)
    # a year before a proposal number is its meeting's, not a 文号's: 建议 is no kind of document number
    _, refs, _ = find_refs("2019年第317号建议是谁提的？")
    assert refs.proposals == ("317",) and not refs.doc_numbers
    assert not find_refs("这个建议3个方面都答复了吗？")[1]  # a count, not a number


def test_a_wenhao_typed_in_pieces_or_with_no_for_its_number_sign() -> None:
    """"恩民政函，21年的，3号那个": the prefix, year and serial set apart by commas; "咸民函2023 No.38": No. for 号.
    Neither leaves its year or serial in what is read as content (a figure the answer would have to hold)."""
    q, refs, _ = find_refs("恩民政函，21年的，3号那个，里面说深化放管服的同时还要优化啥环境？")
    assert refs.doc_numbers[0].matches("恩民政函〔2021〕3号") and "21" not in q[q.index("号") + 1 :]
    _, refs, _ = find_refs("咸民函2023 No.38那份，讲机构养老那一层")
    assert refs.doc_numbers[0].matches("咸民函〔2023〕38号")
    _, refs, _ = find_refs("Nova养老平台2023年上线了几项功能？")  # no number sign inside a word
    assert not refs


def test_an_anhao_is_a_proposal_number() -> None:
    _, refs, _ = find_refs("案号131058那件，中山的老年人金融服务工作方案最后想让老人共享到什么成果？")
    assert refs.proposals == ("131058",)


def test_a_proposal_counted_before_its_number_is_a_proposal_number() -> None:
    from rag.answer.refs import find_refs

    _, refs, _ = find_refs("杨兴全他们那件131058号，华宇乐那个颐养院医护一共几个人")
    assert refs.proposals == ("131058",)


def test_a_proposal_number_with_the_body_it_was_raised_in() -> None:
    """"317号人大建议", "403号政协提案": 人大 / 政协 between the number and the kind of proposal."""
    _, refs, _ = find_refs("我们承办的317号人大建议，答复稿里全市建有多少张养老床位？")
    assert refs.proposals == ("317",)
    _, refs, _ = find_refs("403号政协提案那封，联系电话多少")
    assert refs.proposals == ("403",)


def test_a_bare_proposal_number_counted_as_a_piece() -> None:
    _, refs, _ = find_refs("办理系统里要关联文号：131058那件提案，民政局回函的文号是啥？")
    assert refs.proposals == ("131058",)
    _, refs, _ = find_refs("提案编号：131058 —— 这件的答复里，2022年全市累计开展各类活动多少场？")
    assert refs.proposals == ("131058",)


def test_a_proposal_number_in_brackets_after_its_title() -> None:
    _, refs, _ = find_refs("案由栏写的“关于加强养老服务体系建设的建议（317号）”，答复里讲到多少家？")
    assert refs.proposals == ("317",)
