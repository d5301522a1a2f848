

def test_the_year_a_letter_was_written_falls_back_to_its_wenhao() -> None:
    from rag.core.records import Metadata

    assert Metadata(date="2019-07-02", doc_number="温民提〔2019〕70号").written_year == 2019
    assert Metadata(doc_number="中民函〔2022〕40号").written_year == 2022  # no date in the letter
    assert Metadata().written_year is None


def test_a_header_or_closing_line_is_labelled_as_such_not_as_body_paragraph_zero() -> None:
    from rag.core.records import Citation, section_label

    assert section_label("", 0) == "函头或落款"
    assert section_label("", 2) == "正文第2段" and section_label("三、", 1) == "第三部分第1段"
    cit = Citation("d", "温州市民政局", "温民提〔2019〕70号", None, "", "d-p001", "温民提〔2019〕70号", 0)
    assert cit.label == "〔温州市民政局 温民提〔2019〕70号 · 函头或落款〕"
