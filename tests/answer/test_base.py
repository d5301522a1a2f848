"""Refusals name the nearest letters the way people know them (issue 16: "最接近的资料：4e65c93eb6e9")."""

from rag.answer.base import refusal
from rag.core.records import UNNAMED, Chunk, Citation, Hit, Metadata


def _hit(doc_id: str, meta: Metadata) -> Hit:
    return Hit(Chunk(f"{doc_id}-c", doc_id, 0, (), (), "", "", "正文"), 1.0, meta)


def test_a_refusal_names_the_nearest_letters_by_bureau_and_number_never_by_id() -> None:
    hits = [
        _hit("4e65c93eb6e9", Metadata(bureau="温州市民政局", doc_number="温民提〔2019〕70号")),
        _hit("0b1c2d3e4f50", Metadata(title="测试市民政局关于社区食堂建设的答复")),  # no bureau or 文号 found
        _hit("99aa88bb77cc", Metadata()),  # nothing at all
    ]
    text = refusal(hits, "extractive").answer
    assert "最接近的资料：温州市民政局 温民提〔2019〕70号；测试市民政局关于社区食堂建设的答复；未署名的答复函。" in text
    assert not any(h.chunk.doc_id in text for h in hits)


def test_a_citation_label_never_shows_an_id() -> None:
    c = Citation("4e65c93eb6e9", None, None, None, "一、", "4e65c93eb6e9-p003", "引文", 2)
    assert c.label == f"〔{UNNAMED} · 第一部分第2段〕"


def test_parts_counted_in_one_measure_word_from_one_sentence_are_told_apart() -> None:
    from rag.answer.base import combine
    from rag.core.records import Answer, Citation

    s = "建成乡镇（街道）养老服务中心46个（其中鹿城区5个），社区养老园25个（其中鹿城区9个）。"
    cite = Citation("d", "温州市民政局", "温民提〔2019〕70号", None, "", "p1", s)
    parts = [Answer(f"{v}。据…[1]", True, (cite,), (), "extractive", direct=v) for v in ("46个", "25个")]
    got = combine(parts, [], "extractive")
    assert got.direct == "养老服务中心46个；社区养老园25个"
    assert "（1）养老服务中心46个。" in got.answer
    other = Answer("13.5万元。据…[1]", True, (cite,), (), "extractive", direct="13.5万元")
    assert combine([parts[0], other], [], "extractive").direct == "46个；13.5万元"  # nothing to tell apart
