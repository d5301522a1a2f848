"""rag.answer.siblings: the thing joined to one the question names, and the series item it is."""


def test_besides_the_one_named_is_the_one_thing_joined_to_it_never_a_part_of_a_longer_series(corpus_pipeline) -> None:
    from rag.answer.series import besides

    s = "隔年举办中山市老年人运动会或老年人文化艺术节,用心开展“老年健康宣传周”“敬老月”活动。"
    assert besides(s, "老年人运动会") == "老年人文化艺术节"
    assert besides("明确了省民政厅、省科技厅、省工业和信息化厅等部门的职责。", "省民政厅") is None  # a list: read whole
    assert besides("省政府副秘书长和省民政厅厅长担任副召集人。", "省民政厅") is None  # 省民政厅厅长 is one item
    got = corpus_pipeline.ask("中山隔一年办一回的活动，除了老年人运动会还有个啥？")
    assert got.found and got.direct == "老年人文化艺术节"


def test_which_kind_a_named_thing_is_is_the_label_of_the_item_that_names_it(corpus_pipeline) -> None:
    """"它算四种医养结合模式里的哪一种": of the four 医养结合 items (一是医中有养…), the one whose text names the thing
    asked of; a series of another count, or two items naming it alike, answer nothing."""
    got = corpus_pipeline.respond("它算四种医养结合模式里的哪一种？", history=["中山市华宇乐颐养院有多少张养老床位？"])
    assert got.answer.found and got.answer.direct == "养中有医"
    assert corpus_pipeline.ask("中山广弘颐养院属于哪一种医养结合模式？").direct == "医养并重"
    three = corpus_pipeline.ask("中山华宇乐颐养院算三种医养结合模式里的哪一种？").direct  # the series has 4 items
    assert three not in ("医中有养", "养中有医", "医养并重", "协议服务")
