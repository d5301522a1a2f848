from rag.core.records import Document, Metadata, Paragraph
from rag.ingest.chunk import chunk_document, split_long


def _doc(paras: list[tuple[tuple[str, ...], str, str]]) -> Document:
    ps = tuple(
        Paragraph(id=f"d-p{i:03d}", doc_id="d", index=i, text=t, section=sec, section_title="题", kind=kind)
        for i, (sec, t, kind) in enumerate(paras)
    )
    meta = Metadata(bureau="温州市民政局", doc_number="温民提〔2019〕70号")
    return Document("d", "src", "sha", "txt", "utf-8", meta, ps)


def test_never_merges_sections_or_meta_with_body() -> None:
    doc = _doc([
        ((), "温州市民政局", "meta"),
        ((), "随着老龄化加深。", "body"),
        (("一、",), "一、抓顶层设计", "heading"),
        (("一、",), "一是完善布局。", "body"),
        (("二、",), "二、谋全局规划", "heading"),
    ])
    chunks = chunk_document(doc, max_chars=1000)
    assert [c.text for c in chunks] == [
        "温州市民政局", "随着老龄化加深。", "一、抓顶层设计\n一是完善布局。", "二、谋全局规划",
    ]
    assert chunks[2].paragraph_ids == ("d-p002", "d-p003")
    assert chunks[2].section == ("一、",)
    assert chunks[2].header == "温州市民政局 · 温民提〔2019〕70号 · 题"


def test_long_paragraph_split_at_sentence_ends_verbatim() -> None:
    text = "甲" * 50 + "。" + "乙" * 50 + "；" + "丙" * 30 + "。"
    pieces = split_long(text, 60)
    assert pieces == ["甲" * 50 + "。", "乙" * 50 + "；", "丙" * 30 + "。"]
    assert "".join(pieces) == text
    assert split_long("短句。", 60) == ["短句。"]


def test_chunk_ids_are_content_hashes() -> None:
    a = chunk_document(_doc([(("一、",), "一是完善布局。", "body")]))
    b = chunk_document(_doc([(("一、",), "一是完善布局。", "body")]))
    c = chunk_document(_doc([(("一、",), "一是完善布局！", "body")]))
    assert a[0].id == b[0].id != c[0].id


def test_a_sentence_longer_than_a_chunk_is_cut_at_a_comma_near_the_limit() -> None:
    # 160 KB with no 。: one chunk of it all before (a 20 MB upload made one 20 MB chunk to embed)
    clause = "加强养老服务设施建设" * 3 + "，"  # 31 characters
    text = clause * 1720
    pieces = split_long(text, 320)
    assert "".join(pieces) == text
    assert all(len(p) <= 320 for p in pieces) and len(pieces) == -(-len(text) // 310)
    assert all(p.endswith("，") for p in pieces)  # cut after the last comma that fits, never mid-word


def test_a_sentence_without_any_break_is_cut_at_the_limit() -> None:
    text = "甲" * 1000 + "。短句。"
    assert split_long(text, 320) == ["甲" * 320, "甲" * 320, "甲" * 320, "甲" * 40 + "。短句。"]
    spaced = "a" * 200 + " " + "b" * 300  # a space past the middle of the window is a break
    assert split_long(spaced, 320) == ["a" * 200 + " ", "b" * 300]
    early = "a" * 100 + " " + "b" * 300  # one too early would leave a tiny piece: cut at the limit
    assert split_long(early, 320) == [early[:320], early[320:]]


def test_no_chunk_of_a_huge_paragraph_is_longer_than_the_chunk_size() -> None:
    doc = _doc([(("一、",), "测试文字" * 40_000, "body")])  # 160 KB of text, no punctuation at all
    chunks = chunk_document(doc, max_chars=320)
    assert len(chunks) == 500 and {len(c.text) for c in chunks} == {320}
    assert "".join(c.text for c in chunks) == "测试文字" * 40_000
