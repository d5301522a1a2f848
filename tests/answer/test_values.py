"""Which value in a sentence answers (rag.answer.values): the noun after a count says what it counts."""

from dataclasses import replace

from rag.answer.values import bigrams, segment_fit, subject_of

SENTENCE = "目前，我市已推动77家养老机构、925家居家养老服务照料中心实现公建民营。"


def _fit(value: str, head: str) -> float:
    subject = replace(subject_of("已经实现公建民营的养老机构有多少家？"), counted=bigrams("养老机构"), head=head)
    at = SENTENCE.index(value)
    return segment_fit(SENTENCE, at, at + len(value), subject).score


def test_a_count_counts_the_noun_that_ends_in_the_asked_head() -> None:
    # 居家养老服务照料中心 shares 养老 with 养老机构 but is not an 机构: with the head known, 77家 wins
    assert _fit("77家", "机构") > _fit("925家", "机构")
