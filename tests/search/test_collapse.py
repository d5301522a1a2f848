from rag.search.collapse import comparison_key, group, pool, signature, similarity

PARA = ("目前，我市共有375家养老机构（其中鹿城区17家），民办养老机构248家，占全市养老机构66.1%，建有51086张养老床位"
        "（鹿城区3233张），建成乡镇（街道）养老服务中心46个（其中鹿城区5个），社区养老园25个（其中鹿城区9个）。")
OTHER = ("一是全面启动公建民营改革，通过承包、租赁、委托经营等合作形式将敬老院经营权交由个人或企业等市场主体，"
         "盘活公办养老机构资源，激发养老市场活力。")


def test_the_same_words_are_one_passage_whatever_the_spacing_or_punctuation() -> None:
    retyped = PARA.replace("，", ", ").replace("（", "(").replace("）", ")")
    assert signature(retyped).key == signature(PARA).key
    assert similarity(signature(retyped), signature(PARA)) == 1.0


def test_a_changed_figure_is_still_a_copy_another_sentence_is_not() -> None:
    corrected = PARA.replace("375家", "380家")  # a corrected figure, even in a short passage
    assert similarity(signature(corrected), signature(PARA)) >= 0.9
    template = PARA.replace("养老机构", "护理院").replace("养老服务中心", "照料中心")  # the same template, other words
    assert similarity(signature(template), signature(PARA)) < 0.9
    assert similarity(signature(OTHER), signature(PARA)) < 0.2


def test_group_keeps_the_first_of_each_passage_and_counts_later_copies() -> None:
    texts = [PARA, PARA.replace("375", "376"), OTHER, PARA, "专此答复。", OTHER + " ", "另一段文字，说的是别的事情。"]
    texts = [comparison_key(t) for t in texts]
    assert group(texts, limit=3) == [[0, 1, 3], [2, 5], [4]]  # the 4th passage has no place, copies still join
    assert group(texts, limit=10)[-1] == [6]
    assert group([], limit=5) == []


def test_pool_adds_up_the_votes_of_copies_word_for_word() -> None:
    # rows 1 and 2 hold one passage: BM25 ranks one copy first, the embedder the other
    lists = {"bm25": [(1, 9.0), (3, 5.0), (2, 4.0)], "dense": [(2, 0.9), (3, 0.8), (1, 0.1), (4, 0.05)]}
    keys = {1: "a", 2: "a", 3: "b", 4: "c"}
    pooled, members = pool(lists, keys)
    assert pooled == {"bm25": [(1, 9.0), (3, 5.0)], "dense": [(1, 0.9), (3, 0.8), (4, 0.05)]}
    assert members == {1: [1, 2], 3: [3], 4: [4]}
    assert pool({"bm25": [(7, 1.0)]}, {}) == ({"bm25": []}, {})  # a row gone from the store drops out
