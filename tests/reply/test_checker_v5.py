"""The checker's fourth pass (issue 16): structures rather than phrases. Each test names the
structure, gives wordings of it in different grammatical shapes, and near-misses that must pass.
The wordings are probes written beside dev batch 5, not labelled items: no split, no metrics."""


import pytest

from assistant.reply.checker import check, figures
from tests.reply.linear import assert_linear


def _rules(text: str, customer: str = "") -> set[str]:
    return {f.rule for f in check(text, customer).findings if f.blocking}


def _assert_caught(rule: str, bad: list[str], customer: str = "") -> None:
    missed = [t for t in bad if rule not in _rules(t, customer)]
    assert not missed, missed


def _assert_clean(good: list[str], customer: str = "") -> None:
    noisy = [(t, [(f.rule, f.span) for f in check(t, customer).findings if f.blocking]) for t in good]
    noisy = [n for n in noisy if n[1]]
    assert not noisy, noisy


def test_apology_excuse_a_reason_after_the_apology_with_or_without_a_marker():
    _assert_caught("apology_excuse", [
        "不好意思啊,负责这块的同事这几天休假,所以一直没人跟进您这件事。",         # ……所以
        "非常抱歉给您带来不便,由于近期业务量较大,处理时间有所延长。",               # 由于, further on
        "给您添麻烦了,对不起。电话没人接也是因为那会儿大家都在忙着接待客户。",       # next sentence: 也是因为
        "实在不好意思让您等这么久,今天来办社保卡的人特别多,柜员忙不过来。",         # no marker: the crowd
        "很抱歉让您失望了,可这些都是设计院那边调整的,我们销售也是刚知道。",         # 可 + another party
        "很抱歉给您带来困扰,受原材料涨价影响,工期不得不顺延。",                     # 受……影响
    ])
    _assert_clean([
        "让您等了这么久,真对不起。您把单子给我,我现在就给您办。",
        "对不起,让您白跑一趟,所以我现在先把材料清单写给您。",            # 所以 + staff's own step
    ])
    assert "apology_excuse" not in _rules("非常抱歉,由于我们工作人员的疏忽,导致您的转账出现延误。")


def test_apology_conditional_on_a_feeling_a_possibility_or_forced():
    _assert_caught("apology_conditional", [
        "假使您当时觉得被催得太急,我们在此致歉。",                      # 假使……觉得
        "对于您可能感受到的不便,我们深表歉意。",                        # 可能 + a feeling
        "您要是这么想,那我也只能说句抱歉了。",                          # 只能说句抱歉
        "好好好,您非要听这句,那我代表网点道个歉。",                    # forced
        "行,对不起对不起,这样您心里舒服了吧?",                        # closes it off
        "要是我们录入的时候手快打错了,还请您别介意哈。",                # if + "don't mind"
        "算错了的话,我们表示遗憾,请您理解。",                          # postposed 的话 + 遗憾
        "倘使我们柜员言语上有不妥,还请您海涵。",
        "如果非要一个道歉,那就当是我们的不对吧。",
    ])
    _assert_clean([
        "如果核实是我们同事的服务问题,我们会正式向您道歉并按规定处理。",   # waits for the facts
        "假如核实下来是我们这边操作的原因,我们会当面向您道歉。",
        "如果您觉得用不上这张卡,我也可以帮您看看怎么销卡。",               # 如果您觉得, no apology
        "刚才我语气重了,对不起。您要办的事我接着给您办好。",
    ])


def test_fault_admission_a_concession_on_our_side_a_duty_not_done_a_cause_taken():
    _assert_caught("fault_admission", [
        "您这个裂缝一看就是施工的时候偷工减料了。",                    # 一看就是 + fault
        "那天确实是我们同事做得太过分了。",
        "漏水这个事责任肯定在我们。",
        "说实话这个收费规定我个人也觉得站不住脚。",                    # staff agreeing
        "我们的手机银行最近老出毛病。",                                # a recurring fault
        "当时推荐给您的经理确实没把风险讲透,这是我们工作没做好。",    # a duty not done
        "这笔扣款是我们这边操作失当造成的。",                          # 是……造成的
        "路面塌陷是当时地基没夯实。",                                  # a past cause asserted
        "那台机器最近确实经常少吐钱。",
    ])
    _assert_clean([
        "您觉得这个收费不合理,我理解。我把收费依据调出来,一项一项跟您核对。",
        "是系统的原因还是操作的原因,我现在还不能下结论,我先查交易流水。",
        "要是查下来确实是施工质量的原因,我们会按保修规定负责维修。",
        "刚才我说话不耐烦,是我不对,对不起。",                          # one's own manner just now
        "这次让您久等了,是我们的安排没做好,对不起。",                  # the wait the customer just had
        "系统里看不出问题,我再帮您查一下柜台的流水。",                  # 看不出问题
        "事实不清时,不为过错本身认错。",
    ])
    assert "fault_admission" not in _rules("您去找记者吧,记者来了我们也这么说,我们没做错任何事情。")


def test_blame_customer_care_not_taken_hindsight_and_the_usual_cause():
    _assert_caught("blame_customer", [
        "合同签字前都念过条款,您签了字,就说明当时是认可的。",          # a signature read as consent
        "一般大家转账前都会核对一下收款人名字的。",                      # the careful others
        "收房的时候您也没提出来,现在住了这么久再说。",                  # 也没 + care
        "您要是当时别着急,仔细想想再输,卡也不至于被锁。",              # hindsight
        "这种一般是您的卡借给别人用了,才会被冻结。",                    # the usual cause
        "您没细看就签了,现在说什么都晚了。",                            # acted without care
        "公安天天宣传不要给陌生人转账,您还是转了。",                    # despite the warnings
        "这种错误其实只要您多看一眼就能避免的。",
        "主要是您开车的时候没开大灯吧。",
        "这个您自己心里应该有数。",
        "买房的时候您当时自己也去看过,怎么现在才说。",
    ])
    _assert_clean([
        "您自己决定就好,两种方式我都可以帮您办。",
        "您当时有没有收到过验证码短信?我问这个是为了查清楚钱是怎么转走的。",
        "这不是笨,转账的时候着急谁都可能看错。",
        "您也不用担心,我先帮您把这笔交易查清楚。",
    ])


def test_promise_a_certainty_word_with_an_outcome_a_time_bound_outcome_a_concession():
    _assert_caught("promise", [
        "这笔钱保准明天一早就回到您卡上。",                            # 保准 + outcome
        "您放心,这个问题我们肯定能给您解决得妥妥当当的。",
        "这次绝对不会影响您的征信。",
        "能退,准能退,我现在就给您提交退费申请。",                      # 准能
        "等电梯修好了,这几个月的物业费给您减半。",                      # a concession
        "您说怎么处理都行,我们都接受。",
        "这类款项时间到了会自动解冻,不用担心。",                        # outcome + "don't worry"
        "撤回没问题,十分钟之内钱就原路回到您卡上。",                    # time bound + 就
        "修完包您跟新的一样,一点痕迹都看不出来。",
        "这钱丢不了,银行会全额负责,一分不差给您补上。",
        "车位换一个没问题,位置随您挑。",
    ])
    _assert_clean([
        "我不能保证今天就到账,但我现在就提交查询,4小时内把进度告诉您。",
        "能不能退要看核查的结果,我没法现在就跟您打包票。",
        "您放心,您说的每一条我都记下了,会原样交给项目负责人。",        # 放心 + staff's own act
        "最晚4小时内一定给您回复。",                                    # 一定 + a reply, not an outcome
        "验房没人陪着,您心里肯定不踏实。",                              # 肯定 about a feeling
        "明天上午您一定要带身份证来,十分钟就能办好。",                  # how long a counter step takes
        "我去跟窗口说一声,看能不能在下一位办完后给您补上。",            # asks
        "核实后按规定给您补上差额,今天先把明细打给您。",                # the procedure after the check
    ])
    # a usual time is a fact to check (invented_fact), not a promise
    assert "promise" not in _rules("这种情况一般三个工作日就能退回到您的卡上。")


def test_invented_fact_account_status_other_banks_past_actions_notices():
    _assert_caught("invented_fact", [
        "您的贷款审批已经通过了,现在就差最后一步放款。",
        "这个管理费各家银行都在收,工商银行、建设银行也是一样的标准。",
        "您上次来的时候,我们同事已经把政策跟您解释得很清楚了。",
        "还款提醒短信每个月都发到您手机上了。",
        "这笔钱其实早就到对方账上了。",
        "这件事完全是储户自己泄露了密码造成的。",
        "领导已经批示了,正在走流程。",
        "您的积分是上个月底到期作废的。",
        "您这张信用卡上个月有两期没还。",
        "他卡里存了五百多万。",                                          # 多万 is a figure
    ])
    assert figures("五百多万")[0][0] == ("yuan", 5000000.0)
    _assert_clean([
        "您的诉求我已经原原本本记下来,今天就提交给负责人。",
        "您这张卡具体的限额,我现在调出来看一下再跟您说。",
        "我现在就给维保单位打电话问清情况,半个小时内给您回个话。",     # staff's own callback time
        "当时理财经理有没有跟您讲过风险?我调录音核实一下。",            # a question claims nothing
    ])


def test_brush_off_go_and_wait_imperatives_without_a_step_of_staff_own():
    _assert_caught("brush_off", [
        "额度都是总行系统调的,我们网点看不到原因,您打信用卡中心电话问问吧。",
        "物业费是物业公司定的,跟我们开发商没什么关系,您直接跟物业谈。",
        "车库积水的事我们知道了,回头有空了会有人跟您联系的。",
        "这种情况挺复杂的,您过几天再来看看情况吧。",
        "您的问题我们已经记录在案,请您保持耐心,后续将有相关人员与您联系跟进。",
        "这个我也说不好,产品说明书上都有写,您回家自己看看就明白了。",
        "流水我们这边打不了,您去总行营业部打吧。",
        "方案我给不了,我就是个办业务的,上面怎么说我就怎么做。",
        "这个得本人带身份证来,您下礼拜再来吧。",
        "您急我也急,可是系统就这么慢,我有什么办法呢?",
    ])
    _assert_clean([
        "额度调整是信用卡中心审批的,我在柜台改不了。我现在帮您提交复核申请,问到了马上告诉您。",
        "提额需要客户经理审批,我这里办不了。我现在就请她过来,您稍坐两分钟。",
        "这条规定我没有权限改,但您的实际困难我可以如实报上去,今天下班前给您回个话。",
        "这条规定我改不了,但我能做的是把您的意见写进意见单报上去,有回音了我打电话告诉您。",
        "您先回去也行,查询结果出来我第一时间给您打电话。",
        "那天的安排让您不方便,人手实在顾不过来,对不起,我今天补您一次上门验房。",
        "您下次来之前可以先打这个电话预约,到了直接办。",
    ])


def test_rhetorical_questions_and_the_customers_words_thrown_back():
    _assert_caught("rhetorical_question", [
        "我刚才不是已经讲得很清楚了?",
        "您说我们能怎么办呢?师傅也是人。",
        "谁规定银行转账必须当天到的?",
        "您这样一直嚷嚷,问题就能解决了?",
        "这么简单的东西,您听一遍还不明白吗?",
        "我什么态度了?我一直好好跟您说话。",
        "您觉得简单,那您来办试试?",
    ])
    assert "rhetorical_question" in _rules("两个小时怎么了?人家排得更久的都没说什么。", "我等了两个小时!")
    assert "rhetorical_question" in _rules("不算数?合同上哪一条我们没做到?", "你们开发商说话不算数")
    _assert_clean(["您看这样安排可以吗?我先把查询提交了。",
                   "两天没到?我马上查一下这笔汇款到了哪一步。"], "我转账转了两天还没到!")


def test_customer_voice_requests_in_the_customers_voice_and_accusations_read_back():
    _assert_caught("customer_voice", [
        "我的钱转出去三天了还没到账,麻烦尽快帮我查一下到哪了,谢谢。",
        "您好,我想投诉一下网点的服务,昨天办业务等了很久也没人管。",
        "本人在贵行办理的业务出现了问题,希望能够尽快答复。",
    ])
    assert "customer_voice" in _rules("您说得对,我们这边就是一直拖着没给您办。", "你们就是故意拖着不给我办!")
    _assert_clean(["您说我们骗人,说明这件事让您很失望。我调出录音录像核实。",
                   "我们哪里没讲清楚,您指给我,我调录音来核对。"], "你们开发商就是骗子!")
    _assert_clean(["您麻烦帮我在这里签个字,签好我就给您办。"])


def test_echoed_pii_numbers_read_back_other_customers_and_third_parties():
    customer = "我的身份证号是320102199001011234,查一下"
    assert "echoed_pii" in _rules("320102199001011234这个身份证号下面有两张卡,我帮您看一下。", customer)
    _assert_caught("echoed_pii", [
        "前面那位王先生是我们的贵宾客户,他卡里存了五百多万。",
        "隔壁1602的业主也报过漏水,她家去年就修了两回。",
        "您爱人李红女士的账户我这边也能看到。",
        "您老公张伟的卡上个月转出去五万。",
        "对,1903的王姐家也漏,她家吊顶都换了两回了。",
    ])
    _assert_clean(["好的,尾号6688这张卡我先帮您查一下昨天的交易明细。",
                   "您儿子的账户需要他本人或者带着委托手续来查,我可以把需要的材料写给您。"],
                  "尾号6688那张卡昨天被扣了钱")


def test_media_dares_and_statements_to_the_press():
    assert "media_statement" in _rules("您发吧,我们公司每天都被人发,也没见怎么样。", "我要发抖音曝光你们")
    assert "media_statement" in _rules("报社、电视台您都可以去,去哪儿结果都是一样。")
    assert "media_statement" in _rules("请各位媒体朋友转告大家,本行资金绝对安全。")
    _assert_clean(["您有权向任何渠道反映,这是您的权利。这笔扣款我现在就接着查,今天下午给您回电话。"],
                  "你们要是不解决,我就去找电视台。")


def test_parrot_the_sentence_copied_with_small_edits():
    customer = "我妈七十多岁了,来取个养老金你们非要她本人拿着身份证排队。"
    assert "parrot" in _rules("您妈妈七十多岁了,来取个养老金非要她本人拿着身份证排队,确实辛苦老人家了。", customer)
    _assert_clean(["老人家一个人跑一趟不容易。取款要核对本人身份,我先帮阿姨看看带的证件。"], customer)


def test_an_email_address_is_personal_data_not_english():
    rules = _rules("好的,对账单我们会发到您的邮箱wanglei88@qq.com,请注意查收。")
    assert "echoed_pii" in rules and "form" not in rules


@pytest.mark.parametrize("unit", ["五百多万", "确实是我们", "的话,", "对不起受", "您当时没", "1903的王姐",
                                  "骗子?", "两个小时怎么了?", "您跑一趟吧", "十分钟之内就", "保准", "只要您"])
def test_the_fourth_pass_stays_linear_on_40k_characters(unit):
    assert_linear(unit, 10000, 40000, 8.0)  # about 1-2 s on a loaded 2-core box
