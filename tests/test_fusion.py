from rag.fusion import rrf


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
