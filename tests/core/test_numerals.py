"""rag.core.numerals: Chinese numerals as letters and questions write them."""

import pytest

from rag.core.numerals import cn_int


@pytest.mark.parametrize(("text", "value"), [
    ("2021", 2021), ("二〇二一", 2021), ("七一三", 713), ("十", 10), ("十二", 12), ("二十", 20), ("二十七", 27),
    ("九十九", 99), ("七百一十三", 713), ("一百零三", 103), ("叁", 3), ("肆拾", 40), ("两", 2), ("三千五百", 3500),
    ("一千零二十", 1020),
])
def test_chinese_numerals_read_as_written(text: str, value: int) -> None:
    assert cn_int(text) == value


def test_anything_else_is_refused() -> None:
    with pytest.raises(ValueError, match="号"):
        cn_int("七十号")
