"""The kind of thing a list question asks for, and whether an item is one (rag.answer.kinds)."""

from rag.answer.kinds import TYPED, bodies_asked, category_of


def test_communities_asked_are_not_answered_by_a_list_of_services() -> None:
    assert category_of("它服务范围罩住哪几个社区？") == "社区"
    assert TYPED["社区"].search("麻石社区") and not TYPED["社区"].search("日托")


def test_a_kind_of_item_a_verb_follows_is_the_kind_asked() -> None:
    """"哪几个市建养老信息平台的例子": 市 is what is listed (places), whatever the verb after it."""
    assert category_of("广东举了哪几个市建养老信息平台的例子？") == "市"
    assert category_of("哪几个县开展了试点？") == "县"


def test_kinds_of_bodies_are_not_bodies_asked() -> None:
    assert bodies_asked("中山跟哪几家保险公司合作了？") and bodies_asked("咸阳哪几所高校开了养老服务专业？")
    assert bodies_asked("中山时间银行体系是靠哪几家医院撑起来的？")
    assert not bodies_asked("温州下一步重点发展的偏医疗、偏康复的养老机构是哪两种？")  # kinds: 护理型…
    assert not bodies_asked("温州一键通服务给哪些老人免费")


def test_names_asked_are_the_names_of_what_the_words_before_name() -> None:
    from rag.answer.kinds import bodies_asked, category_of

    q = "恩阳那4所还没运营的民办养老机构，分别叫什么名字？"
    assert category_of(q) == "机构" and bodies_asked(q)  # 服务对象、发展定位… are no bodies' names
    assert category_of("温州开了哪些活动课程？") == "活动课程"


def test_a_roster_asked_is_of_the_thing_it_names() -> None:
    """"这6个单位名单给一下": the 单位, one name each; not "进了示范名单的2个基地" (名单 there asks nothing)."""
    from rag.answer.kinds import bodies_asked, category_of
    from rag.answer.question import EACH_ITEM

    q = "中山选的那6个改革试点单位，名单给一下"
    assert category_of(q) == "单位" and bodies_asked(q) and EACH_ITEM.search(q)
    assert not EACH_ITEM.search("广东进了国家示范名单的2个基地在哪个市？")


def test_names_of_a_counted_group_the_letters_never_list_are_refused(corpus_pipeline) -> None:  # type: ignore[no-untyped-def]
    """The letters count them (民办养老机构4所…均未投入运营; 选取了6个单位) but name none: a list of other things
    four or six long is no answer."""
    assert not corpus_pipeline.ask("恩阳还没投入运营的那4所民办养老机构，都叫啥名字？能列一下吗").found
    assert not corpus_pipeline.ask("中山那6个物业+养老改革试点单位，名单给一下").found


def test_bodies_asked_by_the_endings_of_their_names() -> None:
    from rag.answer.kinds import kind_asked

    typed = kind_asked("厅委三家联手干")
    assert typed is not None and typed.search("省民政厅") and typed.search("卫生计生委") and not typed.search("民政部")
    assert kind_asked("局长") is None


def test_a_word_that_opens_with_a_body_ending_asks_no_bodies_so_ending() -> None:
    from rag.answer.kinds import _BODIES_BY_SUFFIX

    assert not _BODIES_BY_SUFFIX.match("部门的人口数据对接") and not _BODIES_BY_SUFFIX.match("办公室")


def test_the_kind_of_a_list_asked_by_place_alone_is_what_the_question_points_at() -> None:
    from rag.answer.kinds import category_of

    assert category_of("省里整合的那几样便捷医疗功能，头两个是什么？") == "功能"
    assert category_of("那几个地区里，哪几个市建了平台？") == "市"  # the ask's own kind comes first


def test_a_kind_named_before_dou_you_shui_is_the_kind_listed() -> None:
    """"覆盖的县市都有谁": divisions (兴平市, 乾县), not the 社会组织、志愿者 who 都有谁 alone would take."""
    assert category_of("咸阳拿140万元做适老化改造，覆盖的县市都有谁？") == "县市"
    assert category_of("联席会议的成员单位都有谁？") == "单位"
    assert category_of("推广培训都有谁参加？") == "谁"
