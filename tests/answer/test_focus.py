"""rag.answer.focus: the extractive answer's quote of a long sentence, which clauses it shows."""

from __future__ import annotations

from rag.answer.focus import focus, weight_in
from rag.answer.question import analyse
from rag.core.tokens import Tokenizer

# reply-05's sentence: the answer (职业技能等级挂钩) is in its last clause, the first clause names the compound
SENTENCE = ("同时，依托咸阳市养老服务协会设立咸阳市养老护理员职业技能鉴定中心，开展技能等级认定，在实现养老护理员全员"
            "持培训合格证上岗的基础上，提升等级证持证率，积极推动落实护理员报酬待遇和职业技能等级挂钩。")


def test_a_compound_and_its_pieces_count_once() -> None:
    weights = {"养老护理员": 1.0, "养老": 1.0, "护理": 1.0, "护理员": 1.0, "挂钩": 1.5}
    words = list(weights)
    assert weight_in("设立养老护理员职业技能鉴定中心", words, weights) == 1.0
    assert weight_in("落实护理员报酬待遇和职业技能等级挂钩", words, weights) == 2.5  # 护理员 and 挂钩


def test_the_quote_shows_the_clause_with_what_is_asked() -> None:
    q = analyse("咸阳想让养老护理员的工资待遇跟什么挂钩", Tokenizer())
    weights = {t: 1.0 for t, _ in q.keywords}  # every word alike: only how many asked words a clause holds
    shown = focus(SENTENCE, None, q, weights)
    assert "挂钩" in shown and shown.startswith("…")


def test_the_quote_runs_on_within_its_width_after_the_clause_with_the_asked_words() -> None:
    """"按…给予每人每月100-500元的床位运营补贴" is three clauses after the one that names 民办养老机构 and 新增床位:
    a quote that stops two clauses on would cut the standard the question asks for."""
    s = ("同时,拓宽资金渠道,鼓励社会资本进入养老服务,在扶持政策方面,各地对民办养老机构建设及新增床位,每张床位给予"
         "3,000-15,000元不等的补贴,按照收住老人护理程度不同给予每人每月100-500元的床位运营补贴,不断推进我省养老服务业健康发展。")
    q = analyse("广东各地对民办养老机构新增床位，床位运营补贴按什么标准给？", Tokenizer())
    weights = {"民办养老机构": 2.0, "新增": 1.0, "床位": 1.0}
    shown = focus(s, None, q, weights)
    assert "民办养老机构" in shown and "100-500元的床位运营补贴" in shown and len(shown) <= 95


def test_the_quote_holds_every_clause_the_question_names_when_they_fit() -> None:
    """"出文件之前先要调研啥": the question names two clauses, the 调研 one before the 文件 one; the quote starts at
    the first of them, not at the rarer one, which would cut the 痛点、难点问题 that are asked."""
    s = ("完善部门协调机制，联合有关部门对当前养老服务业面临的痛点、难点问题进行专题调研，在深入调研的基础上就我市推进"
         "养老服务工作出台一个综合性的政策文件，并在10月底前召开由各县（市、区）政府主要负责人、市直部门负责人参加的"
         "养老服务推进会议，研究部署养老服务工作。")
    q = analyse("出那个综合性政策文件之前，先要专题调研啥？", Tokenizer())
    weights = {"综合性": 2.0, "政策": 1.0, "文件": 1.0, "专题": 1.5, "调研": 1.0}
    shown = focus(s, None, q, weights)
    assert "痛点、难点问题" in shown and "综合性的政策文件" in shown and len(shown) <= 95
