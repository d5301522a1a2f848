from rag.search.fusion import rrf, score_fusion


def test_rrf_hand_computed() -> None:
    fused = rrf({"bm25": [1, 2, 3], "dense": [3, 1]}, k=60)
    scores = {i: s for i, s, _ in fused}
    assert scores[1] == 1 / 61 + 1 / 62
    assert scores[3] == 1 / 63 + 1 / 61
    assert scores[2] == 1 / 62
    assert [i for i, _, _ in fused] == [1, 3, 2]
    assert fused[0][2] == {"bm25": 1, "dense": 2}


def test_rrf_weights() -> None:
    fused = rrf({"bm25": [1, 2], "dense": [2, 1]}, weights={"bm25": 2.0, "dense": 1.0}, k=10)
    assert [i for i, _, _ in fused] == [1, 2]
    assert fused[0][1] == 2.0 / 11 + 1.0 / 12
    # a weight of 0 keeps the ranks visible but gives no votes
    muted = rrf({"bm25": [1, 2], "dense": [2]}, weights={"bm25": 0.0}, k=10)
    assert [i for i, _, _ in muted] == [2, 1] and muted[1] == (1, 0.0, {"bm25": 1})


def test_rrf_empty() -> None:
    assert rrf({}) == []
    assert rrf({"bm25": []}) == []


def test_score_fusion_hand_computed() -> None:
    fused = score_fusion({"bm25": [(1, 9.0), (2, 5.0), (3, 1.0)], "dense": [(3, 0.9), (1, 0.7)]},
                         weights={"bm25": 1.0, "dense": 0.5})
    scores = {i: s for i, s, _ in fused}
    assert scores == {1: 1.0 + 0.0, 2: 0.5, 3: 0.0 + 0.5}
    assert [i for i, _, _ in fused] == [1, 2, 3]  # ties keep the order of first appearance
    assert fused[0][2] == {"bm25": 1, "dense": 2}


def test_score_fusion_keeps_a_wide_lead_that_rrf_loses() -> None:
    """Item 1 is far ahead in bm25 and absent from dense; 2 and 3 sit in the middle of both lists."""
    lists = {"bm25": [(1, 20.0), (2, 6.0), (3, 5.5), (4, 1.0)],
             "dense": [(5, 0.90), (6, 0.85), (2, 0.70), (3, 0.69), (7, 0.50)]}
    by_rank = [i for i, _, _ in rrf({n: [i for i, _ in v] for n, v in lists.items()})]
    assert by_rank.index(2) < by_rank.index(3) < by_rank.index(1)
    by_score = [i for i, _, _ in score_fusion(lists)]
    assert by_score.index(1) < by_score.index(2) < by_score.index(3)


def test_score_fusion_flat_and_empty_lists() -> None:
    assert score_fusion({}) == [] and score_fusion({"bm25": []}) == []
    assert score_fusion({"phrase": [(4, 1.0), (5, 1.0)]}) == [(4, 1.0, {"phrase": 1}), (5, 1.0, {"phrase": 2})]
