"""Checker, fourteenth pass (session 40, batch 9): one slip inside a decent reply. Replies here are written
for the tests; none repeats a labelled reply."""

from assistant.reply.checker import _loops, check, figures


def _rules(text: str, customer: str = "") -> set[str]:
    return {f.rule for f in check(text, customer, judge=False).findings if f.blocking}


def test_outcomes_the_branch_does_not_control_are_promises():
    for text in ("我这就去找主任批加急,保证让您月底前拿到新存折,到时候您直接来柜台取。",
                 "这个位置以后地铁一通,您这套房肯定会升值,现在买不吃亏。",
                 "您安心等着,我包管叫您下个月住上新房子,钥匙我亲手交给您。"):
        assert "promise" in _rules(text), text


def test_outcomes_refused_or_hoped_for_pass():
    for text in ("我不敢保证让您月底前拿到新存折,但我现在就去问加急能不能办,问到马上告诉您。",
                 "房价以后会不会升值谁也说不准,我只能把合同里的配套条款给您讲清楚。"):
        assert "promise" not in _rules(text), text


def test_a_verdict_on_the_customers_expectations_is_blame():
    assert "blame_customer" in _rules("地砖有点色差是正常的,您这标准也太高了,我先让工程部来看看再说。")
    assert "blame_customer" not in _rules("您对装修的要求高,我们就按合同的标准一项项给您验,不合格的记下来整改。")


def test_press_dares_said_as_indifference_are_media_statements():
    said = "你们再不处理我就找电视台来拍"
    for text in ("电视台想拍就让他们拍,我们每一步都是按流程走的,您先把单子给我看看。",
                 "记者来了也无所谓,该怎么办还怎么办,您先坐下说说情况。",
                 "您叫谁来都行,随他们写,我们这边手续都是全的。"):
        assert "media_statement" in _rules(text, said), text


def test_an_end_date_or_an_earlier_explanation_told_as_settled_is_invented():
    assert "invented_fact" in _rules("保洁合同明年年初就到期了,到时候换一家就好,您先别着急。", "楼道一直没人打扫")
    assert "invented_fact" in _rules("车位涨价的事我们早就在公告栏里说明过了,您再看看那张通知。", "车位费怎么又涨了")
    # the customer brought the date or the earlier notice up: read back, not invented
    assert "invented_fact" not in _rules("您说的合同今年年底到期,我先去物业办公室把合同调出来核对。",
                                         "听说保洁合同今年年底到期")
    assert "invented_fact" not in _rules("您说之前已经通知过了,可您没收到,我这就查一下通知是怎么发的。",
                                         "你们说已经通知过了,我根本没收到")


def test_a_clause_said_again_as_the_start_of_a_longer_one_is_a_loop():
    text = "我现在就去给您打印这张对账单,我现在就去给您打印这张对账单上的每一笔明细,您稍坐。"
    assert [f.rule for f in _loops(text)] == ["loop"]
    # short openings shared by two clauses are speech, not a loop
    assert _loops("我先帮您查一下,我先帮您查一下余额再说,您稍等。") == []


def test_the_customers_own_family_said_as_the_speakers_is_customer_voice():
    said = "我老伴住院了等着交押金,这张卡怎么突然用不了"
    assert "customer_voice" in _rules("我老伴住院了等着交钱,卡的事我马上帮您查是哪里限制了。", said)
    # staff's own family, not the customer's, is empathy
    assert "customer_voice" not in _rules("我老伴去年也住过院,我懂这个急。卡的事我马上帮您查是哪里限制了。", said)


def test_a_copy_ending_on_the_staffs_own_opening_is_not_the_customers_voice():
    said = "贷款审批拖了一个多月还没消息,我这边装修队都等着开工"
    reply = "贷款审批拖了一个多月还没消息,我这就帮您问审批到了哪一步,下午三点前给您回电话。"
    rules = _rules(reply, said)
    assert "parrot" in rules and "customer_voice" not in rules


def test_the_customers_words_inside_a_copy_are_no_promise_of_staffs():
    said = "销售说这个产品保本,三年后能拿回本金,现在取只给八成"
    reply = "您是说销售说这个产品保本,三年后能拿回本金,现在取只给八成,我先把合同调出来看看。"
    rules = _rules(reply, said)
    assert "parrot" in rules and "promise" not in rules


def test_a_spoken_range_is_about_that_many_not_a_two_digit_number():
    assert [k for k, _, _ in figures("请大家推两三位代表")] == [("person", 3.0)]
    assert [k for k, _, _ in figures("大概三五天")] == [("day", 5.0)]
    assert "invented_fact" not in _rules("大家先推两三位代表,跟我去会议室,我马上请工程负责人过来当面说。")


def test_freezing_the_card_is_staffs_own_step():
    text = "我先帮您把卡冻结,再提交一份盗刷调查申请,4小时内会有人跟您联系说进展。"
    assert "brush_off" not in _rules(text, "卡在外地被人刷了一笔")


def _model_rules(text: str) -> set[str]:
    return {f.rule for f in check(text, "", judge=False, model=True).findings if f.blocking}


def test_a_models_remedy_handed_over_as_settled_is_a_promise():
    for text in ("感谢您的反馈,我们将立即核实,确保这笔工资及时到账。",
                 "我们会安排师傅上门,确保所有门窗都符合合同约定。",
                 "关于赠品的问题,我们将尽快为您提供补发服务,请留意短信。"):
        assert "promise" in _model_rules(text), text
    # the customer asked to see to it, or the staff's own step: no promise
    for text in ("请您提供一下收款人的户名,并确保账号填写无误,我们马上帮您重新提交。",
                 "我们将尽快为您查询这笔款项的状态,4小时内给您回复。"):
        assert "promise" not in _model_rules(text), text


def test_a_models_customer_side_words_are_customer_voice():
    for text in ("您好,停电这么久确实让我感到很不便,我们会尽快联系供电部门。",
                 "您好,我想办理一笔定期存款,但柜台一直没有叫号,请问要等多久?",
                 "感谢反馈,我们对楼道里堆放杂物的问题感到非常气愤,将督促物业清理。"):
        assert "customer_voice" in _model_rules(text), text
    assert "customer_voice" not in _model_rules("我理解这让您感到很不便,我马上联系物业来处理停电的问题。")


def test_a_model_opening_on_the_customers_first_sentence_speaks_as_them():
    said = "车位费凭什么一年一涨?物业给个说法"
    rules = {f.rule for f in check("您好,车位费凭什么一年一涨?我们会把收费依据整理好给您。", said,
                                   judge=False, model=True).findings if f.blocking}
    assert "customer_voice" in rules
    rules = {f.rule for f in check("您好,车位费的收费依据我们整理好给您,有疑问可以当面核对。", said,
                                   judge=False, model=True).findings if f.blocking}
    assert "customer_voice" not in rules


def test_a_models_papers_in_hand_and_talks_under_way_are_invented():
    for text in ("我们已经收到您提供的证明材料,会尽快审核。",
                 "维修单已登记,并且正在与施工单位协调进场时间。",
                 "规则我们已经向您说明清楚,请您理解。",
                 "请您放心,我们的服务态度一直如一。"):
        assert "invented_fact" in _model_rules(text), text


def test_a_model_judging_the_sales_claims_untrue_admits_fault():
    assert "fault_admission" in _model_rules("您好,样板间展示的绿化确实与实际情况不符,非常抱歉。")
    assert "fault_admission" not in _model_rules("如果核实宣传与实际情况不符,我们会按合同约定处理。")


def test_a_duration_said_with_more_than_is_a_figure():
    assert [k for k, _, _ in figures("在门口等了一个多小时")] == [("hour", 1.0)]
    assert [k for k, _, _ in figures("拖了三个多月")] == [("month", 3.0)]
