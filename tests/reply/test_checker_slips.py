"""Checker, fourteenth pass (session 40, batch 9): one slip inside a decent reply. Replies here are written
for the tests; none repeats a labelled reply."""

import pytest

from assistant.reply.checker import _loops, check, figures
from tests.reply.linear import assert_linear


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


# ---- batch 10: slips in other words than the rule table's ----------------------------------------------


def test_money_got_back_or_a_charge_undone_said_as_settled_is_a_promise():
    for text in ("年费的事您别上火,过两天肯定给您退掉,我先把账单打出来看看。",
                 "那三千块会给您追回来的,您先去派出所报案,回执拿给我。",
                 "这扇门我们负责给您换好,您在单子上签个字就行。",
                 "您放心,存进去的钱一分钱都不会少,我这就去调机器的记录。",
                 "瓷砖重新铺,材料人工都不用您出钱,我下午就派人来。"):
        assert "promise" in _rules(text), text
    assert "promise" not in _rules("能不能给您退掉我说了不算,我先把申请交上去,三天内给您回个话。")


def test_hindsight_about_what_the_customer_left_undone_is_blame():
    for text in ("密码这块,您换卡之前要是先改一下预留手机号,一般就不会收不到验证码了。我帮您重新绑一下。",
                 "签合同那天这一页您当时给漏了,没签字。我把合同调出来,您补签一下就行。",
                 "按说收房那天验仔细点就好了,现在我先给您登记上,请师傅来看看。",
                 "骗子打电话那会儿咋就不先打个电话问问家里人呢。我先帮您查这笔钱去哪儿了。"):
        assert "blame_customer" in _rules(text), text


def test_the_press_as_the_customers_freedom_is_a_media_statement():
    said = "我要找记者把你们曝光"
    assert "media_statement" in _rules("曝光那是您的自由,我们收费都有依据,不怕曝光。您先说说是哪一笔。", said)


def test_nothing_left_but_waiting_for_another_party_is_a_brush_off():
    assert "brush_off" in _rules("停气是燃气公司那边安排的检修,没别的办法,只能等他们通知了。")
    assert "brush_off" in _rules("您这个利息我也算不准,等您办的时候再问问柜员吧。")


def test_our_workers_work_judged_bad_is_fault_and_a_fraudster_is_not():
    assert "fault_admission" in _rules("插座松了是我们的电工干活太马虎,我马上安排人上门重新装。")
    assert "fault_admission" not in _rules("让交钱才给奖品的,一听就是骗子,我先帮您把这笔转账查清楚。")


def test_a_question_that_answers_itself_is_rhetorical():
    assert "rhetorical_question" in _rules("这张表是规定要填的,不签字能行吗?看不清的地方我念给您听。")


def test_a_past_visit_or_a_process_state_told_without_a_look_is_invented():
    for text in ("维修师傅上礼拜其实来过一次,您家没人,这回我提前跟您约好时间。",
                 "您的退房款已经审批通过了,我再催一下财务,有进度给您打电话。"):
        assert "invented_fact" in _rules(text, "退房款到底什么时候给"), text
    # looked up first, or the customer named it
    for text in ("我刚在系统里看了,您的退房款已经审批通过了,我再催一下财务。",
                 "您说师傅上礼拜来过一次没碰上人,这回我提前跟您约好时间。"):
        assert "invented_fact" not in _rules(text, "师傅说上礼拜来过一次,我家没人"), text


def test_the_customers_own_first_person_said_by_staff_is_customer_voice():
    said = "我在这儿开了十五年的店,头一回被这么对待"
    assert "customer_voice" in _rules("我在这儿开了十五年的店,您今天受了委屈,我明白。您要办什么,我陪您办。", said)
    assert "customer_voice" not in _rules("您在这儿开了十五年的店,今天受了委屈,我明白。您要办什么,我陪您办。", said)


def test_the_customers_insult_of_our_building_said_as_ours_is_customer_voice():
    said = "你们物业管的什么破小区,电梯天天坏"
    assert "customer_voice" in _rules("我们这破小区的电梯又坏了,让您受累了,我马上叫维保的人来。", said)


def test_look_alikes_pass():
    # a document, registering with the speaker, a callback set by staff, a choice left to the customer
    assert "promise" not in _rules("住宅质量保证书交房时就该给您,我查一下签收单,漏发了就给您补一份。")
    assert "fault_admission" not in _rules("两边推来推去太耽误您了,这事今天就在我这儿登记,由我来对接。")
    assert "invented_fact" not in _rules("师傅没来实在对不起。今天晚上七点前,不管问没问到,我都先给您回个电话。")
    assert "blame_customer" not in _rules("图纸我调出来请同事跟您一起看,看明白以后怎么装,您自己拿主意就好。")
    assert "brush_off" not in _rules("这个要到三楼面签,一楼柜台办不了,我扶您上去。")
    said = "合同写的二十天内办完过户,现在都三十多天了"
    assert "invented_fact" not in _rules("合同写了二十天,现在已经过了三十多天,您来问是应该的。我这就去查卡在哪一步。", said)


@pytest.mark.parametrize("unit", ["我七十多了,眼", "上个月刚办过", "保证让您", "您这也是要求太", "没别的办法,只能",
                                  "您出门前要是先", "已经审批通过", "五百多万", "我马上让物业去看看,"])
def test_the_fourteenth_pass_stays_linear_on_40k_characters(unit):
    assert_linear(unit, 10000, 40000, 8.0)


# ---- batch 11: bank counters, real estate, heated moments, follow-ups ----------------------------------


def test_compensation_or_a_deadline_decided_on_the_spot_is_a_promise():
    for text in ("地毯泡坏了真心疼,地毯我们照原价给您赔一块,漏点我让人今天查。",
                 "您别急,这次的维修费用全由我们公司承担,我马上派单。",
                 "热水器我让师傅明天上门给您换,不收您一分钱。",
                 "房本的事交给我,肯定赶在您孩子报名之前办出来。",
                 "师傅今天下午到,修不好不走,您放心。"):
        assert "promise" in _rules(text), text
    assert "promise" not in _rules("能不能追回来我不敢跟您打包票,我先陪您把止付办了。")
    assert "promise" not in _rules("邻居之间说一声不就解决了吗?要是说不通,我再请物业出面。")


def test_more_hindsight_and_the_damage_put_on_the_customer_is_blame():
    for text in ("您办卡那会儿要是多看一眼协议,也就不会有这笔年费了。我先帮您查查能不能减。",
                 "管子是您家装修的时候打孔弄破的,我可以帮您找个修水管的师傅。",
                 "您当时光顾着看样板间了,没看合同附件,我把附件找出来给您看。",
                 "您这几天也该自己打个电话来问问,我现在帮您查一下进度。"):
        assert "blame_customer" in _rules(text), text


def test_more_questions_that_answer_themselves_are_rhetorical():
    for text in ("这张单子不签,钱谁敢给您转出去呀?您看就这两栏,我指给您填。",
                 "您说的事我不是正在给您查着吗?您先把卡递给我。",
                 "您搬进来之前就不能先量一量吗?尺寸我再帮您核一遍。"):
        assert "rhetorical_question" in _rules(text), text


def test_plain_words_of_a_fault_of_ours_admit_it():
    for text in ("这台取款机最近就不大灵光,老掉单,我先把流水打出来给您登记。",
                 "利息多算了,准是后台的利率没设对,我先把明细打出来给您看。",
                 "这是我们这边出的岔子,把您家的车位登记弄混了,我这就去调档案。"):
        assert "fault_admission" in _rules(text), text
    # the customer's own word repeated as a question of what happened is no admission
    assert "fault_admission" not in _rules("如果核实是我们这边出的岔子,我们会按流程给您处理。")


def test_speaking_for_the_bank_to_the_press_or_daring_a_stream_is_a_media_statement():
    said = "我已经在直播了,让网友都看看你们怎么对待客户"
    for text in ("您直播就直播吧,业务我照样给您办,您先把身份证给我。",
                 "记者要是问起来,我就照实跟他们说,我们从来没乱收过费。"):
        assert "media_statement" in _rules(text, said), text


def test_sent_home_to_wait_for_a_notice_is_a_brush_off():
    assert "brush_off" in _rules("这事我这边做不了主,您就回家等通知吧。")


def test_a_clause_said_again_inside_a_later_one_is_a_loop():
    text = "我先帮您问一下工单到了哪一步,您稍等。工单到了哪一步,我问清楚了马上回来告诉您。"
    assert [f.rule for f in _loops(text)] == ["loop"]


def test_a_range_gives_its_lower_end_as_a_figure():
    assert sorted(k for k, _, _ in figures("大概三到五天")) == [("day", 3.0), ("day", 5.0)]


def test_a_calm_down_in_other_words():
    assert "calm_down" in _rules("您先压压火,有话慢慢说,我听着呢。")


def test_what_upset_the_customer_is_no_calm_down_and_their_question_in_a_copy_is_not_ours():
    assert "calm_down" not in _rules("退款拖了这么久让您的情绪激动了,我完全理解,我这就去财务催。")
    assert "calm_down" in _rules("您情绪太激动了,先坐下,我给您倒杯水。")
    said = "年费说免又收了,到底几次才免谁也没讲过,这不是坑人吗"
    reply = "您说年费说免又收了,到底几次才免谁也没讲过,这不是坑人吗,我先把账单调出来看看。"
    rules = _rules(reply, said)
    assert "parrot" in rules and "rhetorical_question" not in rules


def test_a_case_named_in_a_rule_and_a_question_of_where_pass():
    assert "fault_admission" not in _rules("退房要看合同约定的解除条件,比如主体结构质量不合格,我把条款找出来跟您一起看。")
    assert "blame_customer" not in _rules("您指一下是哪个地方写错了?我看一下,能重新打印的我现在给您换一张。")


def test_a_first_person_run_after_another_in_the_customers_words_is_still_theirs():
    # the customer's first 我 run must not swallow the second: both are theirs
    said = "我真是想不通,我一个人在外地做工,工钱全在这张卡上,你们说冻就冻?"
    reply = "您别急,我一个人在外地做工也不容易,卡为什么被冻,我这就帮您查,今天之内给您回话。"
    assert "customer_voice" in _rules(reply, said)
    assert "customer_voice" not in _rules("您别急,您一个人在外地做工不容易,卡为什么被冻,我这就帮您查,今天之内给您回话。", said)
