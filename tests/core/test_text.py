from rag.core.text import contains, split_sentences, squash


def test_split_keeps_every_character() -> None:
    text = "一是完善布局。二是出台政策；“好！”最后"
    parts = split_sentences(text)
    assert parts == ["一是完善布局。", "二是出台政策；", "“好！”", "最后"]
    assert "".join(parts) == text


def test_whitespace_rule() -> None:
    assert squash(" 2021 年\n10 月 ") == "2021年10月"
    assert contains("平台于 2021 年 10 月 14 日正式上线", "2021年10月14日")
    assert not contains("abc", "")
