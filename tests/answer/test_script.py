"""Traditional characters and written Cantonese read as the letters write (rag.answer.script)."""

from __future__ import annotations

from rag.answer.script import simplified


def test_traditional_characters_are_read_in_simplified_script() -> None:
    assert simplified("溫州市民政局那封答復函，正式標題全稱怎麼寫？") == "温州市民政局那封答复函，正式标题全称怎么写？"
    assert simplified("粤民函〔2020〕713號里") == "粤民函〔2020〕713号里"


def test_cantonese_words_are_read_as_mandarin() -> None:
    assert simplified("廣州長護險：總體支付率幾多？") == "广州长护险：总体支付率多少？"
    assert simplified("恩陽嗰個聯合體，限幾時之前要建好？") == "恩阳那个联合体，限什么时候之前要建好？"
    assert simplified("溫州嗰個系統，同電信公司簽咗幾年合同？") == "温州那个系统，同电信公司签了几年合同？"
    assert simplified("秘書長係邊個？") == "秘书长是哪个？"
    assert simplified("叫咩名？有冇公開？") == "叫什么名？有没有公开？"
    assert simplified("關係") == "关系"  # 係 of 关系 is no copula


def test_a_mandarin_question_is_untouched() -> None:
    for q in ("咸阳下一步重点做哪几项工作？", "中山那些站点办的活动有多少场？", "帮我查下答复要点",
              "恩阳那边长护险试点搞了没？", "周边地区一起搞的养老叫什么？", "那床位呢？", "满意度？"):
        assert simplified(q) == q


def test_a_place_typed_in_simplified_script_stays_as_typed() -> None:
    """OpenCC reads a simplified 乾县 as 干县 (its tables hold only the traditional 乾縣)."""
    q = "咸阳今年居家适老化改造的690户里，乾县分到多少户？"
    assert simplified(q) == q
    assert simplified("乾縣分到幾多戶？") == "乾县分到多少户？"


def test_a_question_in_cantonese_is_answered_from_the_letters(corpus_pipeline) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_pipeline.ask("廣州長護險：總體支付率幾多？符合規定嘅長期護理費用基金支付率又係幾多？")
    assert "71.23%" in answer.direct and "82.15%" in answer.direct
