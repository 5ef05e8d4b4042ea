"""Policy answers, round 13 (session 35, from policy_dev10/holdout11/dev11): a question that asks twice is
answered only when both asks are; a time of day, a rate per day, points, who bears a cost and which papers
are facts a clause must state to answer them. Questions here are written for the tests; none is an eval
question."""

from assistant.reply import policy as P


def test_earlier_asks_are_the_question_cut_at_each_question_mark():
    q = "割接那天客户丢了存折,能先口头挂失吗?要他本人来吗?"
    assert P.earlier_asks(q) == ["割接那天客户丢了存折,能先口头挂失吗?"]
    # a short tag after the question mark is no second ask, nor is a quoted question of the customer's
    assert P.earlier_asks("能先口头挂失吗?是这样吧?") == []
    assert P.earlier_asks("能先口头挂失吗") == []
    assert P.earlier_asks("客户质问我们“你们还讲不讲理?”,还说要找报社,我们该怎么处理?") == []
    # a pasted list of asks: only the last few are judged besides the last
    assert len(P.earlier_asks("能先口头挂失吗?" * 40)) == P.MAX_EARLIER_ASKS


def test_a_time_of_day_is_answered_by_a_clock_time_only():
    assert not P.figure_fits("投诉日报每天几点前得交上去?", "各单位要每天安排专人报送投诉情况。")
    assert P.figure_fits("投诉日报每天几点前得交上去?", "每日下午5点前报送当日投诉情况。")
    # the question gives the clock time it starts from: a span answers it
    assert P.figure_fits("客户上午十点来投诉的,最晚几点要给他回话?", "接到投诉后4小时内给予客户回复。")
    assert not P.figure_fits("投诉日报每天几点前得交上去?", "接到投诉后5日内报送。")
    # round the clock answers it, and a deadline ("最晚几点前") is answered by a span from the event
    assert P.figure_fits("投产期间省行的投诉热线几点到几点有人接?", "专线电话24小时开通。")
    assert P.figure_fits("客户刚来投诉,我们最迟几点前要给他回话?", "接到投诉后4小时内给予客户回复。")


def test_a_rate_per_day_and_points_need_their_own_figure():
    assert not P.figure_fits("办证拖了,违约金每天按多少算?", "90日内未能办理的,出卖人应当承担违约责任。")
    assert P.figure_fits("办证拖了,违约金每天按多少算?", "逾期的,按日向买受人支付已付房款万分之一的违约金。")
    # a count or a cap per day is no rate
    assert P._asked_units("每天有几部专线电话值班?") != P._asked_units("违约金每天按多少算?")
    assert P.figure_fits("贵宾客户每天最多能支多少?", "贵宾客户支付金额上限不得超过10,000元。")
    assert not P.figure_fits("员工被有效投诉一次,考核扣几分?", "有效投诉须在5日内处理完毕。")
    assert P.figure_fits("员工被有效投诉一次,考核扣几分?", "每次有效投诉扣减考核2分。")


def test_a_second_ask_the_clause_leaves_open_makes_it_not_found(use_service):
    answerer = use_service.ensure_index().policy
    report = next(c for c in answerer.search.cards if c.id == "yuan-6-7")
    one = "投产期间的投诉分类统计要报给分行工会信箱吗?"
    assert answerer.judge(one, 9.0, report)[0] != "none"
    assert answerer.judge("投产期间每天几点之前要报投诉统计?报给分行工会信箱吗?", 9.0, report)[0] == "none"
    # two asks that two clauses answer: the answer is found, the second clause cited for the other ask
    assert use_service.ask("停业期间客户急用钱最多能支多少?客户不能用ATM取钱的话可以让他去别的银行取吗?").found


def test_who_bears_a_cost_and_which_papers_need_a_clause_that_says_so(use_service):
    answerer = use_service.ensure_index().policy
    atm = next(c for c in answerer.search.cards if c.id == "yuan-4-3-5")
    assert answerer.judge("投产那天让客户去别家银行ATM取钱,产生的跨行费谁来出?", 9.0, atm)[0] == "none"
    assert answerer.judge("投产那天客户取不了钱,能让他去别家银行ATM取吗?", 9.0, atm)[0] != "none"
    review = next(c for c in answerer.search.cards if c.id == "fagui-2020-20")
    assert answerer.judge("客户不服处理决定想复核,得准备哪些材料?", 9.0, review)[0] == "none"
    assert answerer.judge("客户不服处理决定,多少天内能申请复核?", 9.0, review)[0] != "none"
    # a clause that names the papers answers which papers
    papers = next(c for c in answerer.search.cards if c.id == "fagui-xiaoshou-32")
    assert answerer.judge("交房的时候得给业主哪些材料?", 9.0, papers)[0] != "none"
    # who bears the blame is no cost; contact details or help to provide are no papers
    for q in ("投诉处理协调不好的责任由谁来承担?", "因为不可抗力延期交房,责任谁来承担?", "停业公告上要提供哪些联系方式?",
              "对劝不退的客户,我们能提供什么帮助?", "处理决定里要给客户提供哪些救济途径?"):
        assert use_service.ask(q).found, q


def test_a_proxy_a_signature_or_an_approval_needs_a_clause_that_speaks_of_it(use_service):
    answerer = use_service.ensure_index().policy
    loss = next(c for c in answerer.search.cards if c.id == "yuan-4-3-3")
    assert answerer.judge("停业期间存折丢了,客户能先口头挂失吗?", 9.0, loss)[0] != "none"
    assert answerer.judge("停业期间存折丢了,客户儿子能替他来口头挂失吗?", 9.0, loss)[0] == "none"
    told = next(c for c in answerer.search.cards if c.id == "xize-7")
    assert answerer.judge("投诉处理结果告诉客户以后,还得让他签字吗?", 9.0, told)[0] == "none"
    cash = next(c for c in answerer.search.cards if c.id == "yuan-4-3-4")
    assert answerer.judge("停业那天给客户的应急支付,网点主任自己能批吗?", 9.0, cash)[0] == "none"
    # a clause that forbids promising answers whether a boss may decide on the spot
    claim = next(c for c in answerer.search.cards if c.id == "yuan-4-3-10")
    assert answerer.judge("客户要我们赔停业的损失,网点主任能当场拍板吗?", 9.0, claim)[0] != "none"
    # a friend in the story, a signature refused, an approval process asked about: not these gates
    for q in ("客户扬言找媒体朋友帮他曝光,怎么办?", "客户不肯签字的话处理决定能用短信告知吗?",
              "停业期间应急支付要走什么审批流程?"):
        assert use_service.ask(q).found, q


def test_a_course_item_is_reached_through_its_own_questions(use_service):
    # the house course's media item names no 记者 / 采访 in its points: its 问法 carry the words staff use
    answer = use_service.ask("交房时有记者来采访我们客服,她能接受采访吗?")
    assert answer.found and answer.citations[0]["card_id"] == "fc-meiti-shuoci"
    assert answer.confidence == "low"  # a course item is teaching, never a rule
    # a word only a 问法 holds is not what the item covers (删帖, 电视台, 物业费 are none of its points)
    for q in ("业主在短视频平台发帖骂我们,公司能要求平台删帖吗?", "业主说房子有质量问题要找电视台,能不能先给电视台打招呼不让播?",
              "卫生间漏水交房三年了,维修期间业主能不能要求减免物业费?"):
        assert not use_service.ask(q).found, q
    # managers' questions are for `ask`; what customers say is matched without them
    card = use_service.ensure_index().index.card("fc-meiti-shuoci")
    assert card.section("问法") and "问法" not in card.index_text()
