import pytest

from rag.core.errors import InputError
from rag.core.places import places_in, places_of
from rag.core.records import Filters
from rag.core.settings import RETRIEVAL_MODES as MODES
from rag.core.text import quoted_phrases
from rag.pipeline import Pipeline
from rag.search.collapse import NEAR, signature, similarity
from tests.conftest import CORPUS, FakeEmbedder

WENZHOU = "温州市民政局"
MIXED = "温州市的居家养老服务怎么发展？"  # its words match several letters; only the place says which


def test_places_of_bureaus() -> None:
    assert places_of("巴中市恩阳区民政局") == ["巴中市", "巴中", "恩阳区", "恩阳"]
    assert places_of("中山市民政局") == ["中山市", "中山"]
    assert places_of("广东省民政厅") == ["广东省", "广东"]
    assert places_of("广西壮族自治区民政厅") == ["广西壮族自治区", "广西壮族"]
    assert places_of(None) == [] and places_of("") == []


def test_places_of_bureaus_in_zhou_cities() -> None:
    assert places_of("温州市民政局") == ["温州市", "温州"]
    assert places_of("杭州市西湖区民政局") == ["杭州市", "杭州", "西湖区", "西湖"]


def test_places_in_question() -> None:
    known = ["巴中市", "巴中", "恩阳区", "恩阳", "温州市", "温州"]
    assert places_in("恩阳区有多少家养老机构？", known) == {"恩阳区", "恩阳"}
    assert places_in("温州的床位", known) == {"温州"}
    assert places_in("深圳市有多少家养老机构？", known) == set()


@pytest.mark.parametrize("mode", MODES)
def test_hits_carry_verbatim_text_metadata_and_paragraphs(corpus_pipeline: Pipeline, mode: str) -> None:
    store = corpus_pipeline.store
    hits = corpus_pipeline.search("养老机构床位补贴", k=5, mode=mode)
    assert len(hits) == 5
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    metas = store.all_metadata()
    for h in hits:
        assert h.chunk == store.chunks([h.chunk.id])[h.chunk.id]
        assert h.meta == metas[h.chunk.doc_id] and h.meta.bureau and h.meta.doc_number
        assert tuple(p.id for p in h.paragraphs) == h.chunk.paragraph_ids
        # every line of the chunk is verbatim text of one of its paragraphs
        for line in h.chunk.text.split("\n"):
            assert any(line in p.text for p in h.paragraphs)
        assert set(h.ranks) == ({"bm25", "dense"} if mode == "hybrid" else {mode})


def test_hybrid_ranks_are_the_single_mode_ranks(corpus_pipeline: Pipeline) -> None:
    q = "养老护理员培训"
    depth = corpus_pipeline.settings.candidates
    bm25 = [h.chunk.id for h in corpus_pipeline.search(q, k=depth, mode="bm25")]
    for h in corpus_pipeline.search(q, k=5, mode="hybrid"):
        if "bm25" in h.ranks:
            assert bm25[h.ranks["bm25"] - 1] == h.chunk.id


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("filters", "bureau"),
    [
        (Filters(bureau="温州"), WENZHOU),
        (Filters(year=2020), "广东省民政厅"),
        (Filters(doc_number=" 温民提 〔2019〕 70 号"), WENZHOU),
        (Filters(region="恩阳"), "巴中市恩阳区民政局"),
        (Filters(bureau="民政局", year=2023), "咸阳市民政局"),
    ],
)
def test_filters_restrict_to_matching_letters(
    corpus_pipeline: Pipeline, mode: str, filters: Filters, bureau: str
) -> None:
    question = "中山市养老服务"  # 中山 is named in the question, so unfiltered its letter comes first
    assert corpus_pipeline.search(question, k=1, mode=mode)[0].meta.bureau == "中山市民政局"
    hits = corpus_pipeline.search(question, k=8, mode=mode, filters=filters)
    assert len(hits) == 8
    assert {h.meta.bureau for h in hits} == {bureau}


@pytest.mark.parametrize("mode", MODES)
def test_filter_matching_nothing_gives_no_hits(corpus_pipeline: Pipeline, mode: str) -> None:
    assert corpus_pipeline.search("养老", mode=mode, filters=Filters(year=1999)) == []
    assert corpus_pipeline.search("养老", mode=mode, filters=Filters(bureau="深圳")) == []


@pytest.fixture(scope="module")
def plain(corpus_pipeline: Pipeline) -> Pipeline:
    """The same index searched with the place boost off."""
    return Pipeline(corpus_pipeline.settings.model_copy(update={"place_boost": 0.0}), embedder=FakeEmbedder())


def test_place_in_question_favours_that_bureau(corpus_pipeline: Pipeline, plain: Pipeline) -> None:
    unboosted = [h.meta.bureau for h in plain.search(MIXED, k=5)]
    boosted = [h.meta.bureau for h in corpus_pipeline.search(MIXED, k=5)]
    assert unboosted[0] != WENZHOU and set(unboosted) != {WENZHOU}
    assert boosted == [WENZHOU] * 5


@pytest.mark.parametrize("mode", MODES)
def test_place_rankings_are_the_filtered_rankings(corpus_pipeline: Pipeline, mode: str) -> None:
    """Each mode's `@place` ranking is that mode searched inside the named bureau's letters."""
    depth = corpus_pipeline.settings.candidates
    for single in ("bm25", "dense") if mode == "hybrid" else (mode,):
        inside = [h.chunk.id for h in corpus_pipeline.search(MIXED, k=depth, mode=single,
                                                             filters=Filters(bureau=WENZHOU))]
        hits = corpus_pipeline.search(MIXED, k=depth, mode=mode)
        placed = [h for h in hits if f"{single}@place" in h.ranks]
        assert placed and all(h.meta.bureau == WENZHOU for h in placed)
        for h in placed:
            assert inside[h.ranks[f"{single}@place"] - 1] == h.chunk.id


def test_place_rankings_keep_the_unfiltered_ones(corpus_pipeline: Pipeline) -> None:
    """Not a hard filter: other bureaus' letters still come back below the named bureau's."""
    hits = corpus_pipeline.search(MIXED, k=40)
    assert {h.meta.bureau for h in hits} - {WENZHOU}
    first_other = next(i for i, h in enumerate(hits) if h.meta.bureau != WENZHOU)
    assert all(h.meta.bureau == WENZHOU for h in hits[:first_other])


def test_filters_also_bound_the_place_rankings(corpus_pipeline: Pipeline) -> None:
    hits = corpus_pipeline.search(MIXED, k=10, filters=Filters(bureau="中山"))
    assert hits and {h.meta.bureau for h in hits} == {"中山市民政局"}
    assert not any("@place" in r for h in hits for r in h.ranks)


def test_question_without_a_known_place_is_not_boosted(corpus_pipeline: Pipeline, plain: Pipeline) -> None:
    q = "深圳市的居家养老服务怎么发展？"
    assert [(h.chunk.id, h.score) for h in corpus_pipeline.search(q)] == \
        [(h.chunk.id, h.score) for h in plain.search(q)]


def test_quoted_phrases() -> None:
    assert quoted_phrases("“四化一站”智慧养老新路子中的“四化”指什么？") == ["四化一站", "四化"]
    assert quoted_phrases("《政府向社会力量购买服务暂行办法》的文号") == ["政府向社会力量购买服务暂行办法"]
    assert quoted_phrases('"一键通"和「五助」') == ["一键通", "五助"]
    assert quoted_phrases("“老”字与没有引号的问题") == []  # one character is not a phrase


@pytest.mark.parametrize("mode", MODES)
def test_quoted_phrase_votes_for_the_candidates_that_say_it(corpus_pipeline: Pipeline, mode: str) -> None:
    q = "“银龄安康行动”是联合哪家保险公司开展的？"
    hits = corpus_pipeline.search(q, k=10, mode=mode)
    voted = [h for h in hits if "phrase" in h.ranks]
    assert voted and all("银龄安康行动" in h.chunk.text for h in voted)
    assert all("phrase" not in h.ranks for h in hits if "银龄安康行动" not in h.chunk.text)
    muted = Pipeline(corpus_pipeline.settings.model_copy(update={"weight_phrase": 0.0}), embedder=FakeEmbedder())
    assert not any("phrase" in h.ranks for h in muted.search(q, k=10, mode=mode))


@pytest.mark.parametrize("question", ["", "   \n"])
def test_empty_question_is_refused(corpus_pipeline: Pipeline, question: str) -> None:
    with pytest.raises(InputError, match="empty"):
        corpus_pipeline.search(question)


def test_unknown_mode_is_refused_by_name(corpus_pipeline: Pipeline) -> None:
    with pytest.raises(InputError, match=r"'fuzzy'.*bm25, dense, hybrid"):
        corpus_pipeline.search("养老", mode="fuzzy")


def test_k_limits_and_defaults(corpus_pipeline: Pipeline) -> None:
    assert len(corpus_pipeline.search("养老")) == corpus_pipeline.settings.k == 5
    assert len(corpus_pipeline.search("养老", k=12)) == 12


# --- copies in a result list (issue 16) -------------------------------------------------------------

def _wenzhou_next_years(n: int) -> list[tuple[str, bytes, str]]:
    """The 温州 letter as `n` later letters of the bureau reusing its paragraphs (another 文号, addressee and one
    figure), as uploads: copies of its passages in n other letters."""
    text = (CORPUS / "reply-03.txt").read_text(encoding="utf-8")
    out = []
    for i in range(n):
        t = text.replace("温民提〔2019〕70号", f"温民提〔2020〕{100 + i}号").replace("肖石龙代表", "周明远代表")
        t = t.replace("目前已建成46家", f"目前已建成{47 + i}家")  # a sentence no question of the QA sets asks about
        out.append((f"温州-{i}.txt", t.encode(), f"upload:{i:04d}:温州-{i}.txt"))
    return out


@pytest.mark.parametrize("candidates", [50, 5])  # 5: the copies fill the candidates, retrieval must look deeper
def test_copies_of_a_passage_show_once_and_name_the_other_letters(settings, fake_embedder, candidates: int) -> None:
    pipe = Pipeline(settings.model_copy(update={"candidates": candidates}), embedder=fake_embedder)
    pipe.index()
    pipe.add_bytes(_wenzhou_next_years(60))
    hits = pipe.search("温州市有多少家养老机构", k=5)
    assert len(hits) == 5
    sigs = [signature(h.chunk.text) for h in hits]
    assert all(similarity(a, b) < NEAR for i, a in enumerate(sigs) for b in sigs[i + 1 :])  # five passages
    top = next(h for h in hits if "我市共有375家养老机构" in h.chunk.text)
    assert len(top.also_in) >= 5 and top.chunk.doc_id not in dict(top.also_in)
    assert all(name.startswith("温州市民政局 温民提〔20") for _, name in top.also_in)  # named by bureau and 文号
    assert top.to_json()["also_in"][0] == {"doc_id": top.also_in[0][0], "name": top.also_in[0][1]}

    answer = pipe.ask("温州市有多少家养老机构？")
    assert answer.found and answer.direct == "375家养老机构"  # the count with what it counts
    assert len({signature(h.chunk.text).key for h in answer.sources}) == len(answer.sources) == 5


def test_quoted_names_are_the_programmes_the_letters_put_in_quotes(corpus_pipeline: Pipeline) -> None:
    names = corpus_pipeline.retriever.quoted_names()
    assert {"时间银行", "一键通", "爱心餐厅", "费随人走"} <= names
    assert "五助" not in names  # two characters: too short to name a programme apart from common words
