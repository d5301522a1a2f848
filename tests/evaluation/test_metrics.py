import pytest

from rag.core.tokens import get_tokenizer
from rag.evaluation import metrics as M

RANKS = [1, 3, None, 12]


def test_first_hit_rank_ignores_whitespace() -> None:
    chunks = ["截至2018年底，我市共有375家养老机构。", "平台于2021年10月14日正式上线运行。"]
    assert M.first_hit_rank(chunks, "2021 年 10 月") == 2
    assert M.first_hit_rank(["无关", "平台于 2021 年 10 月 14 日正式上线"], "2021年10月14日") == 2
    assert M.first_hit_rank(chunks + chunks, "375家养老机构") == 1  # the first one counts
    assert M.first_hit_rank(chunks, "深圳") is None
    assert M.first_hit_rank(chunks, " \n") is None  # empty evidence never matches
    assert M.first_hit_rank([], "375") is None


def test_hit_at_and_mrr_by_hand() -> None:
    assert M.hit_at(RANKS, 1) == 0.25
    assert M.hit_at(RANKS, 3) == 0.5
    assert M.hit_at(RANKS, 5) == 0.5
    assert M.hit_at(RANKS, 10) == 0.5
    assert M.hit_at(RANKS, 12) == 0.75
    assert M.mrr_at(RANKS, 10) == pytest.approx((1 + 1 / 3) / 4)
    assert M.mrr_at(RANKS, 20) == pytest.approx((1 + 1 / 3 + 1 / 12) / 4)
    assert M.mrr_at(RANKS, 1) == 0.25
    assert M.hit_at([], 5) == 0.0 and M.mrr_at([]) == 0.0


def test_answer_correct() -> None:
    assert M.answer_correct("目前，我市共有 375 家养老机构", ["375家", "375"])
    assert M.answer_correct("共有375家", ["3 7 5 家"])
    assert not M.answer_correct("共有380家", ["375家", "375"])
    assert not M.answer_correct("共有375家", [])  # nothing to match
    assert not M.answer_correct("共有375家", ["", " "])  # an empty gold answer matches nothing, not everything
    assert not M.answer_correct("", ["375家"])


def test_citation_supports() -> None:
    ev = "我市共有375家养老机构"
    assert M.citation_supports(["截至2018年底。", "目前，我市共有 375 家养老机构（其中鹿城区17家）"], ev)
    assert not M.citation_supports(["我市共有375家"], ev)  # only part of the evidence
    assert not M.citation_supports([], ev)
    assert not M.citation_supports(["任何内容"], "  ")


def test_percentile() -> None:
    assert M.percentile([4.0, 1.0, 3.0, 2.0], 50) == 2.5
    assert M.percentile([10.0] * 19 + [100.0], 95) == pytest.approx(14.5)
    assert M.percentile([], 95) == 0.0


def test_lcs_len() -> None:
    assert M.lcs_len(list("ABCBDAB"), list("BDCABA")) == 4
    assert M.lcs_len(["养老", "机构"], ["机构", "养老", "机构"]) == 2
    assert M.lcs_len([], ["a"]) == 0


def test_rouge_l_keeps_chinese_tokens() -> None:
    tok = get_tokenizer().tokens
    cand, ref = "我市共有375家养老机构", "375家养老机构"
    c, r = tok(cand), tok(ref)
    # jieba search mode, 我市 is a stop word; no CJK token is dropped as "not a word"
    assert c == ["共有", "375", "家", "养老", "机构", "养老机构"]
    assert r == ["375", "家", "养老", "机构", "养老机构"]
    # LCS = the whole reference, 5 tokens: P = 5/6, R = 5/5, F1 = 2PR/(P+R) = 10/11
    score = M.rouge_l(cand, [ref], tok)
    assert 0 < score < 1
    assert score == pytest.approx(10 / 11)
    assert M.rouge_l(cand, ["今天天气很好", ref], tok) == pytest.approx(10 / 11)  # best reference
    assert M.rouge_l(cand, [cand], tok) == 1.0
    assert M.rouge_l("今天天气很好", [ref], tok) == 0.0
    assert M.rouge_l("", [ref], tok) == 0.0
    assert M.rouge_l(cand, [], tok) == 0.0
