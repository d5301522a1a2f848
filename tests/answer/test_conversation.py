from rag.answer.conversation import is_follow_up, resolve

PLACES = ["巴中市", "巴中", "恩阳区", "恩阳", "温州市", "温州", "广东省", "广东"]


def test_follow_up_replaces_place_run() -> None:
    assert resolve("那温州呢？", ["巴中市恩阳区有多少家养老机构？"], PLACES) == "温州有多少家养老机构？"


def test_follow_up_uses_last_full_question() -> None:
    hist = ["广东省的联系人是谁？", "那温州呢？"]
    assert resolve("那巴中呢", hist, PLACES) == "巴中的联系人是谁？"


def test_not_a_follow_up_is_unchanged() -> None:
    assert resolve("温州市有多少家养老机构？", ["巴中市有多少？"], PLACES) == "温州市有多少家养老机构？"
    assert resolve("那温州呢？", [], PLACES) == "那温州呢？"
    assert not is_follow_up("温州市民政局的联系电话是多少？")
    assert is_follow_up("那温州呢？")


def test_a_follow_up_about_shequ_takes_the_previous_subject_not_its_ask() -> None:
    # 社区 ends like a place name but names none; the earlier ask (建在哪) is answered already
    q = resolve("具体给哪几个社区的老人服务？", ["恩阳第一家社区养老服务综合中心建在哪？"], ["恩阳", "恩阳区"])
    assert q == "恩阳第一家社区养老服务综合中心，具体给哪几个社区的老人服务？"
