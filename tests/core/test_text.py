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


def test_quoted_names_are_short_quoted_terms_without_whitespace() -> None:
    from rag.core.text import quoted_names

    text = "启动“一键通”综合服务项目，“时间 银行”养老志愿服务，提供“五助”，“存储志愿服务时长、将来换取照顾”"
    assert quoted_names(text) == {"一键通", "时间银行"}  # 五助: too short; the description: too long
