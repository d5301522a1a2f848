

def test_the_year_a_letter_was_written_falls_back_to_its_wenhao() -> None:
    from rag.core.records import Metadata

    assert Metadata(date="2019-07-02", doc_number="温民提〔2019〕70号").written_year == 2019
    assert Metadata(doc_number="中民函〔2022〕40号").written_year == 2022  # no date in the letter
    assert Metadata().written_year is None
