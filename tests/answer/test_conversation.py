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


def test_a_modifier_with_figures_replaces_the_one_of_the_same_shape() -> None:
    assert resolve("80岁以上的呢？", ["恩阳区60岁以上老人有多少？"], PLACES) == "恩阳区80岁以上老人有多少？"


def test_a_new_noun_unlike_what_was_counted_is_a_thing_it_has() -> None:
    # 所 counts institutions, not beds: 床位 are the 公办养老机构's, asked with 多少
    assert resolve("床位呢？", ["恩阳区现在有几所公办养老机构？"], PLACES) == "恩阳区现在公办养老机构有多少床位？"
    # 个 counts anything: another thing counted replaces the old one
    prev = ["咸阳建成了多少个城镇社区日间照料中心？"]
    assert resolve("农村互助幸福院呢？", prev, PLACES) == "咸阳建成了多少个农村互助幸福院？"
    # the measure word was the old noun's: 社区养老园 are counted in 个, 养老机构 are not counted in 张
    assert resolve("那社区养老园呢？", ["温州市有多少家养老机构？"], PLACES) == "温州市有多少社区养老园？"
    assert resolve("那养老机构呢", ["温州有多少张养老床位"], PLACES) == "温州有多少养老机构"


def test_another_part_replaces_the_part_a_narrowing_asked() -> None:
    hist = ["恩阳特困供养人员多少人", "其中集中供养的呢"]
    assert resolve("农村分散供养的呢", hist, PLACES) == "恩阳特困供养人员，其中农村分散供养的多少人？"


def test_the_words_leading_into_an_answered_ask_go_with_it() -> None:
    hist = ["广东省居家养老信息化服务平台是跟谁合作建的", "哪年开始运行"]
    assert resolve("一共能提供多少种服务", hist, PLACES) == "广东省居家养老信息化服务平台，一共能提供多少种服务"


def test_the_time_of_a_figure_is_not_the_letter_date() -> None:
    from rag.answer.frame import read

    assert read("温州60岁以上老年人总数，这是哪年的数").meta is None
    assert read("这封答复是哪天写的？").meta == "date"


def test_the_figure_just_given_takes_the_place_of_the_ask() -> None:
    from rag.answer.conversation import with_figure
    from rag.answer.frame import points_to_figure

    assert with_figure("广州长护险基金一共付了多少钱？", "3.31亿元") == "广州长护险基金一共付了3.31亿元"
    assert with_figure("中山的平台入驻了多少家服务商", "113家") == "中山的平台入驻了113家服务商"
    assert points_to_figure("这个数统计到什么时间") and not points_to_figure("这封答复是哪天写的")


def test_a_modifier_replaces_its_counterpart() -> None:
    assert resolve("农村的呢", ["咸阳建了多少个城镇社区日间照料中心？"]) == "咸阳建了多少个农村社区日间照料中心？"
    hist = ["恩阳区特困供养人员多少人", "其中集中供养的呢"]
    assert resolve("分散的呢", hist) == "恩阳区特困供养人员，其中分散供养的多少人？"
    # a thing of its own is not a modifier: it replaces what was counted
    assert "农村互助幸福院" in resolve("农村互助幸福院呢？", ["咸阳建成了多少个城镇社区日间照料中心？"])
    assert "城镇" not in resolve("农村互助幸福院呢？", ["咸阳建成了多少个城镇社区日间照料中心？"])


def test_only_administrative_units_are_glued_to_a_place_being_replaced() -> None:
    prev = ["咸阳建了多少个农村社区日间照料中心？"]
    assert resolve("那温州呢", prev, ["咸阳", "温州"]) == "温州建了多少个农村社区日间照料中心？"


def test_a_place_within_the_place_asked_about_narrows_the_question() -> None:
    places = ["温州", "温州市"]
    assert resolve("鹿城区呢", ["温州的社区养老园有多少个"], places) == "温州的社区养老园，其中鹿城区有多少个？"


def test_a_new_ask_after_an_age_question_borrows_the_subject_not_the_age_ask() -> None:
    assert resolve("提供哪些服务", ["温州一键通给多大岁数的老人"], PLACES) == "温州一键通，提供哪些服务"


def test_a_follow_up_that_says_what_is_done_keeps_only_what_the_previous_one_was_about() -> None:
    # the previous 已经建成了 would make a plan ("今年还要新建") a question about what was done
    assert resolve("今年还要新建多少个？", ["温州乡镇（街道）养老服务中心已经建成了多少个？"]) == (
        "温州乡镇（街道）养老服务中心，今年还要新建多少个？")
    assert resolve("现在受益的有多少人？", ["彬州建了多少个爱心餐厅？"]) == "彬州建了爱心餐厅，现在受益的有多少人？"


def test_an_age_replaces_the_age_the_previous_question_sorted_people_by() -> None:
    assert resolve("80岁以上的呢？", ["恩阳区百岁老人有几个？"]) == "恩阳区80岁以上老人有几个？"


def test_the_whole_city_asked_after_one_of_its_districts() -> None:
    assert resolve("全市一共多少家？", ["温州鹿城区有多少家养老机构？"]) == "温州养老机构，一共多少家？"
    assert resolve("全市呢？", ["温州鹿城区的社区养老园有几个？"]) == "温州的社区养老园有几个？"
    # a place that is not part of a run (恩阳区 alone) has nothing to drop
    assert resolve("全区一共多少家？", ["恩阳区有多少家养老机构？"]) == "恩阳区养老机构，全区一共多少家？"


def test_the_context_of_a_follow_up_leaves_out_every_ask_of_the_question_before() -> None:
    # "…叫啥，在哪个社区" asks twice: neither ask is context; a new thing named is the old subject's
    got = resolve("建筑面积呢？", ["恩阳那个智慧社区养老服务综合体叫啥，在哪个社区？"])
    assert got == "恩阳那个智慧社区养老服务综合体的建筑面积"
    # the word that led into the ask goes with it ("从哪年起执行", "给谁提供")
    got = resolve("依据的是哪个文件？", ["广东要求彩票公益金不低于55%用在养老上，从哪年起执行？"])
    assert got == "广东要求彩票公益金不低于55%用在养老上，依据的是哪个文件？"
    assert resolve("收费吗？", ["温州一键通服务给谁提供？"]) == "温州一键通服务，收费吗？"


def test_a_new_thing_asked_after_a_count_drops_the_old_things_measure_word() -> None:
    # 家 counted 养老机构: "床位呢" asks how many beds, not how many 家 of beds
    assert resolve("床位呢？", ["温州养老机构有多少家？"], PLACES) == "温州养老机构，床位有多少？"  # what they have


def test_a_long_follow_up_that_points_back_with_na_bufen_narrows_the_previous_subject() -> None:
    got = resolve("散在村里、没集中供养的那部分有多少人？", ["恩阳特困人员总数多少？"])
    assert got == "恩阳特困人员，散在村里、没集中供养的那部分有多少人？"
    # a long question of its own is left as it is
    own = "咸阳市城镇社区日间照料中心一共建成了多少个？"
    assert resolve(own, ["恩阳特困人员总数多少？"]) == own


def test_a_correction_asks_again_of_the_previous_subject() -> None:
    got = resolve("不对，我问的是还在建的那两个，各多少张床？", ["恩阳公办养老机构有几所？"])
    assert got == "恩阳公办养老机构，还在建的那两个，各多少张床？"
    assert resolve("我问的是民办的", ["温州市有多少家养老机构？"]) == "温州市有多少家民办养老机构？"  # as 那民办的呢


def test_nabian_is_a_place_pointed_at_not_a_lead_word() -> None:
    got = resolve("那边老人在家能享受到哪些服务？", ["广东哪个市开通了12349热线？"], [])
    assert "那边老人" in got  # not "边老人": 那边 points at the place just asked about
    assert resolve("那里边有多少是中央下来的？", ["广东2016-2018年投入养老服务体系建设资金多少？"], []).count("那") == 0


def test_a_follow_up_with_its_own_time_drops_the_previous_questions_time() -> None:
    got = resolve("今年计划推动多少家？", ["温州2018年底多少家养老机构实现了医养结合？"], [])
    assert "2018" not in got and got.endswith("今年计划推动多少家？") and "养老机构" in got


def test_a_follow_up_naming_only_a_time_asks_the_same_at_that_time() -> None:
    """"那2019年呢？" replaces the previous question's time (a range too), or puts one after its place."""
    assert resolve("2019年呢？", ["广东2016-2018年投入养老服务体系建设资金多少？"], ["广东"]) == (
        "广东2019年投入养老服务体系建设资金多少？")
    assert resolve("那今年呢？", ["温州2018年底有多少家养老机构实现医养结合？"], ["温州"]) == (
        "温州今年有多少家养老机构实现医养结合？")
    assert resolve("那2018年呢？", ["温州有多少家养老机构？"], ["温州"]) == "温州2018年有多少家养老机构？"
    # a time and a new subject: both replaced
    got = resolve("那2022年全市各类活动累计呢？", ["中山2021年智慧助老活动搞了多少场？"], ["中山"])
    assert "2021" not in got and "2022" in got and "各类活动" in got


def test_a_size_asked_before_is_not_asked_again_by_a_follow_up() -> None:
    """"…中心面积多大？" then "里面有几张床？": the beds are asked, not the area again."""
    got = resolve("里面有几张床？", ["恩阳登科白玉社区养老服务综合中心面积多大？"], ["恩阳"])
    assert "多大" not in got and got.endswith("里面有几张床？") and "综合中心" in got


def test_a_demonstrative_at_what_the_previous_question_names_makes_a_follow_up_however_long() -> None:
    got = resolve("那这个医养结合是通过哪些方式实现的？", ["温州今年要推动多少家养老机构实现医养结合？"], ["温州"])
    assert got.startswith("温州") and got.endswith("那这个医养结合是通过哪些方式实现的？")
    # pointing at something the previous question did not name: the question stands alone
    assert resolve("那个一键通服务是给多大岁数的老人的呀？", ["温州有多少家养老机构？"], ["温州"]) == (
        "那个一键通服务是给多大岁数的老人的呀？")


def test_a_follow_up_naming_another_owner_asks_the_same_of_it() -> None:
    """"广弘的住院病床呢？" after 华宇乐颐养院's beds: 广弘's beds, not 华宇乐颐养院's 广弘 beds."""
    got = resolve("广弘的住院病床呢？", ["中山华宇乐颐养院有多少张养老床位？"], ["中山"])
    assert "华宇乐" not in got and got.startswith("中山广弘的住院病床") and "多少" in got
    assert resolve("民办的呢？", ["温州市有多少家养老机构？"], ["温州市"]) == "温州市有多少家民办养老机构？"


def test_the_measure_of_the_previous_ask_goes_with_it() -> None:
    """"服务了多少小时" then "是给多少名老人做的": 小时 was what the previous question counted in, not its subject."""
    got = resolve("是给多少名老人做的？", ["中山到站康复累计服务了多少小时？"], ["中山"])
    assert "小时" not in got and "到站康复" in got


def test_a_short_question_of_a_place_and_an_ask_is_asked_the_same_there() -> None:
    """"鹿城区有几个？" after 温州's 社区养老园: a part of 温州, narrowed; "恩阳有几所？" after 温州's homes: the same
    question of another letter's place; "其中鹿城区呢" says 其中 once."""
    places = ["温州", "恩阳"]
    part = resolve("鹿城区有几个？", ["温州建成了多少个社区养老园？"], places)
    assert "社区养老园" in part and part.endswith("其中鹿城区有几个？")
    assert resolve("恩阳有几所？", ["温州有多少家养老机构？"], places) == "恩阳有多少家养老机构？"
    assert resolve("其中鹿城区呢？", ["温州有多少张养老床位？"], places).count("其中") == 1
    assert resolve("温州那封呢？", ["恩阳那封的文号是多少？"], places) == "温州那封的文号是多少？"


def test_the_previous_subject_loses_the_verb_and_rank_of_its_ask() -> None:
    """"放在哪两个街道": the one-character verb led into the ask with 在; "排第几": the rank asked. Neither is part of
    what the follow-up is asked of; a name ending in a verb (一键通) stays whole."""
    got = resolve("从几月份开始搞的？", ["恩阳的家庭适老化改造试点放在哪两个街道？"])
    assert got.startswith("恩阳的家庭适老化改造试点，")
    assert resolve("这个名次是按哪个季度的通报来的？", ["中山的宽带网络建设发展水平在全省排第几？"]).startswith(
        "中山的宽带网络建设发展水平在全省，")
    assert resolve("用的什么设备？", ["温州的一键通是给多大岁数的老人？"]).startswith("温州的一键通，")


def test_the_count_asked_as_a_quantity_goes_with_the_ask() -> None:
    # "…数量是多少": 数量 is how the count was asked, not what the next question is about
    got = resolve("村里头的幸福院建了多少", ["咸阳那边城镇社区日照中心数量是多少"])
    assert got.startswith("咸阳那边城镇社区日照中心，")


def test_a_borrowed_subject_loses_the_verb_its_count_was_asked_with() -> None:
    # "建成了多少个": 建成了 went with the count; the follow-up asks the centres' subsidy, not about building them
    got = resolve("运营补贴一共给了多少？", ["咸阳建成了多少个城镇社区日间照料中心？"], ["咸阳"])
    assert got == "咸阳城镇社区日间照料中心，运营补贴一共给了多少？"


def test_what_the_previous_question_asked_of_its_thing_goes_with_its_ask() -> None:
    """"一共有多少家" is asked whole (not "…一" left behind), and "总数是多少" asks the total of the thing."""
    from rag.answer.conversation import topic_of as _context

    assert _context("中山养老机构一共有多少家？") == "中山养老机构"
    assert _context("咸阳那笔照料中心运营补贴，总数是多少？") == "咸阳那笔照料中心运营补贴"
    assert _context("咸阳日间照料中心的数量有多少？") == "咸阳日间照料中心"
    got = _context("恩阳加速培养养老专业化队伍，一共培了多少人/次？")  # the measure 人/次 goes with the ask
    assert got.startswith("恩阳加速培养养老专业化队伍") and "次" not in got


def test_a_question_opened_by_a_pronoun_is_about_what_the_previous_one_named() -> None:
    q = "它们用的智慧健康养老平台是买的还是自己开发的？"
    got = resolve(q, ["渭城区有多少所社区日间照料中心？"], ["渭城区", "咸阳"])
    assert got.startswith("渭城区") and got.endswith(q)


def test_the_same_question_asked_of_another_thing_is_a_follow_up_however_long() -> None:
    from rag.answer.conversation import is_follow_up, resolve

    q = "same问题换成城里社区的日间照料中心？"
    assert is_follow_up(q) and is_follow_up("同样的问题，换成城镇社区日间照料中心呢？")
    got = resolve(q, ["咸阳各县市区在乡下建起来的互助幸福院有几个？"], ["咸阳"])
    assert "日间照料中心" in got and "互助幸福院" not in got and "几个" in got


def test_a_time_said_with_cong_and_qi_is_replaced_whole() -> None:
    from rag.answer.conversation import resolve

    got = resolve("那从2021年起呢？", ["广东各级财政把福彩公益金多大比例集中用于养老服务？"], ["广东"])
    assert got == "广东从2021年起各级财政把福彩公益金多大比例集中用于养老服务？"


def test_emoji_and_an_opening_that_acknowledges_the_last_answer_are_not_the_question() -> None:
    from rag.answer.conversation import unchatter

    assert unchatter("好的👌 那它是靠哪两样东西的智能交互弄的？") == "那它是靠哪两样东西的智能交互弄的？"
    assert unchatter("ok，那有几户？") == "那有几户？" and unchatter("收到那床位呢") == "那床位呢"
    assert unchatter("好多养老院有几家？") == "好多养老院有几家？"  # 好多 is no 好的
    assert unchatter("行政区划有几个？") == "行政区划有几个？"
    earlier = ["东莞那个智慧养老服务平台，给老年人家庭提供的是啥样的服务？"]
    got = resolve("好的👌 那它是靠哪两样东西的智能交互弄的？", earlier)
    assert got.startswith("东莞那个智慧养老服务平台") and "👌" not in got


def test_a_question_at_the_time_of_what_was_asked_before_is_about_it() -> None:
    """当时 points back at the event the previous question named, as 该计划 points back at its plan."""
    earlier = ["广东那封提到的工信部联电子〔2017〕25号，是个什么行动计划？"]
    got = resolve("嗯，那当时是按哪几个部委的工作部署来办的？", earlier, ["广东"])
    assert got.startswith("广东那封提到的工信部联电子〔2017〕25号") and got.endswith("部署来办的？")
    assert "什么" not in got and "是个" not in got  # what was asked before is answered, not asked again
    got = resolve("该行动计划由哪几个部委一起落实，分别负责什么内容呢？", earlier, ["广东"])
    assert got.startswith("广东那封提到的工信部联电子〔2017〕25号")
    standalone = "应该由哪个部门负责落实养老服务补贴的发放工作呢？"  # 应该 points at nothing
    assert resolve(standalone, earlier, ["广东"]) == standalone


def test_a_demonstrative_points_back_with_one_word_however_short() -> None:
    """"这些钱…" after "…砸了多少钱进去": the previous question's money, though 钱 is one character."""
    got = resolve("这些钱覆盖到的特困和高龄老人，按人次算是多少", ["恩阳那个五助上门服务，前后砸了多少钱进去"],
                  ["恩阳"])
    assert got.startswith("恩阳那个五助上门服务")
    alone = "广东这些政策文件都是哪年出台的，一共有多少份呢？"  # 政策 is in no earlier question
    assert resolve(alone, ["恩阳那个五助上门服务，前后砸了多少钱进去"], ["恩阳"]) == alone


def test_a_follow_up_with_an_age_of_its_own_drops_the_previous_one() -> None:
    got = resolve("活到一百岁以上的有几位", ["恩阳60岁以上的老人有多少人"], ["恩阳"])
    assert got.startswith("恩阳") and "60岁" not in got and got.endswith("活到一百岁以上的有几位")


def test_the_value_put_in_place_of_an_ask_takes_its_magnitude_too() -> None:
    """"有多少万个" + 442.1万个: no 万个 left over after the value (…442.1万个万个)."""
    from rag.answer.conversation import with_figure

    assert with_figure("中山的互联网宽带接入端口有多少万个？", "442.1万个") == "中山的互联网宽带接入端口有442.1万个"
    assert with_figure("累计支付了多少亿元？", "3.31亿元") == "累计支付了3.31亿元"
    from rag.answer.conversation import _ASKING

    assert _ASKING.fullmatch("有多少万个") and _ASKING.fullmatch("有多少万人次") and _ASKING.fullmatch("是多少亿元")


def test_an_acknowledgement_that_opens_a_follow_up_is_not_asked(corpus_pipeline) -> None:
    earlier = ["彬州市为了解决农村老人“吃饭难”，建了几个餐厅？"]
    got = corpus_pipeline.respond("明白。现在有多少人从中受益？", history=earlier)
    assert got.answer.direct == "660人"


def test_a_follow_up_asking_a_thing_the_counted_ones_have_keeps_them_as_its_subject() -> None:
    # "受益的人数" is what the 饭堂 have (受益 does something, it owns nothing); "广弘的住院病床" has an owner
    got = resolve("现在受益的人数呢", ["彬州给孤寡老人开的饭堂有几家？"])
    assert got == "彬州给孤寡老人开的饭堂，现在受益的人数有多少？"
    assert resolve("广弘的住院病床呢？", ["中山华宇乐颐养院有多少张养老床位？"]).startswith("广弘的住院病床")


def test_a_verb_leading_into_the_previous_ask_goes_with_it_whole() -> None:
    assert resolve("要收费吗？", ["温州那个“一键通”服务面向哪些老人？"]) == "温州那个“一键通”，要收费吗？"


def test_things_under_construction_stay_a_part_when_the_follow_up_has_a_verb_of_its_own() -> None:
    # 在建 says which ones (a part of them), not what was done to them: 能多出 does not replace it
    got = resolve("能增加多少张床位？", ["温州在建的民办养老机构有多少个？"], PLACES)
    assert got.startswith("温州在建的民办养老机构")
    done = resolve("今年还要新建多少个？", ["咸阳建成了多少个城镇社区日间照料中心？"], [*PLACES, "咸阳"])
    assert done == "咸阳城镇社区日间照料中心，今年还要新建多少个？"  # what was done goes


def test_what_changes_then_a_count_naming_nothing_new_asks_the_count_before_of_it() -> None:
    from rag.answer.conversation import resolve

    prev = ["温州发函那年打算让多少个照料中心交给社会化运营？"]
    # what the old noun was said to do stays with the new one
    assert resolve("机构呢？", prev) == "温州发函那年打算让多少个机构交给社会化运营？"
    assert resolve("机构呢，定了几家？", prev) == "温州发函那年打算让多少个机构交给社会化运营？"
    # an ask of another kind is its own question
    assert "做什么" in resolve("人大、政协那头呢，打算让他们做什么？", ["温州要联合哪些部门联动推进养老服务业？"])


def test_nage_that_points_goes_whole_and_duojiu_asks() -> None:
    """"那个公众号多久推一次消息": 那个 points, its 个 is no measure word of 公众号, and 多久 asks its own question: the
    rewrite keeps it whole beside the previous topic, never "分几个公众号…"."""
    got = resolve("那个公众号多久推一次消息？", ["温州统一的智慧养老平台分几大块？"])
    assert "公众号多久推一次消息" in got and "个公众号" not in got and "几个" not in got
    got = resolve("那个一键通是给多大岁数的老人的？", ["温州有多少家养老机构？"])
    assert "一键通是给多大岁数的老人的" in got and "个一键通" not in got
