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
