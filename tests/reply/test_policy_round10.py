"""Policy answers, round 10 (#17): course items over weak clauses, lists quoted whole, the story before a
short asking part, the spoken yes/no ending, the gate for a clause that names nothing asked, English words in
a question. Questions here are written for the tests; none is an eval question."""

from assistant.reply import policy as P


def _ask(service, question: str) -> dict:
    return service.ask(question).as_dict()


def _cited(answer: dict) -> list[str]:
    return [c["card_id"] for c in answer["citations"]]


def test_the_story_before_a_short_asking_part_is_found_by_position():
    before, asked = P.split_ask("精装房的地砖颜色和合同不一样,业主要说法,咋办?")
    assert before == "精装房的地砖颜色和合同不一样,"
    assert asked == "业主要说法咋办"
    assert P.ask_part("物业费从哪天开始交?") == "物业费从哪天开始交"
    # the two last parts are joined: the story's nouns were lost before, now they are the fallback topic
    assert "地砖" in P.focus_parts("精装房的地砖颜色和合同不一样,业主要说法,咋办?")[1]


def test_spoken_yes_no_ending():
    assert P._kind("柜员能跟记者聊两句不?") == "yesno"
    assert P._kind("这事要往上报不?") == "yesno"
    assert P._kind("应急支付最多给多少?") == "amount"


def test_asking_words_and_localisers_name_no_topic():
    assert "干点" not in P._nouns_in("值守的人要干点啥")
    assert not any(w.startswith("屋") or w.endswith("里") for w in P._nouns_in("把客户请到屋里谈"))


def test_a_numbered_list_is_quoted_whole_for_a_which_question():
    text = "课程给了三个办法:1、先倾听;2、再道歉;3、最后给方案。详见另一讲。"
    assert P._list_runs(text) == [[0, 1, 2]]
    assert P._list_runs("没有列表的一句话。另一句话。") == []


def test_which_methods_question_quotes_every_item(use_service):
    answer = _ask(use_service, "说服客户接受方案,课程里有哪些办法?")
    assert "liucheng-6-shuofu" in _cited(answer)
    for item in ("说明解决方法的益处", "适当给一些小礼品补偿", "运用客户的领导解决问题"):
        assert item in answer["answer"], item


def test_a_course_item_answers_in_place_of_a_weak_clause_that_misses_the_thing_asked(use_service):
    answer = _ask(use_service, "投诉原因分析那一步,先要调阅啥?")
    assert answer["found"] and _cited(answer) == ["liucheng-4-fenxi"]
    assert "交易记录" in answer["answer"]
    # a strong clause that leaves out the things asked (floor boards, a brand) yields to the course item
    answer = _ask(use_service, "精装房交了以后业主说地板的牌子和合同不一样,怎么应对?")
    assert _cited(answer) == ["fc-zhuangxiu"]


def test_a_strong_clause_still_wins_over_a_course_item(use_service):
    answer = _ask(use_service, "停业期间普通客户紧急用款,上限是多少?")
    assert _cited(answer)[0] == "yuan-4-3-4" and "5,000元" in answer["answer"]


def test_a_course_item_naming_everything_asked_answers_at_the_lower_floor(use_service):
    answer = _ask(use_service, "集中交付当天,工程部要安排些什么?")
    assert _cited(answer) == ["fc-jizhong-xianchang"] and "维修人员" in answer["answer"]


def test_a_weak_clause_naming_nothing_the_asking_part_is_about_answers_nothing(use_service):
    answer = _ask(use_service, "网点食堂的厨师一个班几个小时?")
    assert not answer["found"] and not answer["citations"]


def test_english_words_in_a_question_join_their_chinese_groups(use_service):
    answer = _ask(use_service, "VIP customer 紧急用款 limit 是多少?")
    assert _cited(answer)[0] == "yuan-4-3-4" and "10,000元" in answer["answer"]
    answer = _ask(use_service, "客户 claim 赔偿,网点能不能当场 promise?")
    assert _cited(answer)[0] == "yuan-4-3-10" and "不得随意给予承诺" in answer["answer"]


def test_a_weak_who_match_must_name_the_doing_asked(use_service):
    assert P._kind("投产那几天网点保安谁来排班?") == "who"
    answer = _ask(use_service, "投产那几天网点保安谁来排班?")
    assert not answer["found"]
    answer = _ask(use_service, "网点自己解决不了的投诉报给谁?")
    assert answer["found"] and "yuan-4-1-2" in _cited(answer)


def test_opening_hours_need_a_clock_time_but_a_deadline_takes_hours():
    assert not P.figure_fits("12378 热线几点下班?", "12378是银行业保险业监管部门的消费者投诉维权热线")
    assert P.figure_fits("网点几点开门?", "上午9:00开门")
    assert P.figure_fits("下午两点来投诉的,最晚几点前要回话?", "4小时内将处理情况回复客户")


def test_a_lead_time_is_answered_by_a_figure_not_by_at_once():
    asked = "记者来采访要提前几天打招呼?"
    assert not P.figure_fits(asked, "应立即逐级上报投诉处理工作组")
    assert P.figure_fits(asked, "须提前3日告知")
    assert P.figure_fits("处理结果几天内要报上去?", "应立即逐级上报投诉处理工作组")  # 多久报: 立即 answers
