"""The checker's third pass (issue 16): wordings written beside the dev split of batch 4, caught and
passed per rule. Not the labelled set: no split, no metrics."""

import time

import pytest

from assistant.reply.checker import card_promises, check, figures


def _rules(text: str, customer: str = "") -> set[str]:
    return {f.rule for f in check(text, customer).findings if f.blocking}


def _assert_caught(rule: str, bad: list[str]) -> None:
    missed = [t for t in bad if rule not in _rules(t)]
    assert not missed, missed


def _assert_clean(good: list[str], customer: str = "") -> None:
    noisy = [(t, [(f.rule, f.span) for f in check(t, customer).findings if f.blocking]) for t in good]
    noisy = [n for n in noisy if n[1]]
    assert not noisy, noisy


def test_the_cards_taboos_license_no_promise():
    # the cards list these under ## 忌讳 as things not to say; they must not become allowed wordings
    assert not {"明天肯定到账", "肯定给您退", "一定帮您追回"} & card_promises()
    for text in ["您放心,明天肯定到账,到时候您打开手机看一眼余额就知道了。",
                 "这个年费肯定给您退,您下周抽空过来一趟,我当面把钱给您。",
                 "您别急,我们一定帮您追回来,这笔钱丢不了,您踏踏实实回家吧。"]:
        assert "promise" in _rules(text), text
    # wordings the cards recommend stay allowed
    assert check("这个规划目前还没有批复,我不能跟您打包票。合同和交付标准里写明的,才是我们要兑现的。").ok


def test_a_wording_a_card_mentions_only_to_forbid_or_a_customer_keyword_licenses_nothing():
    # "不当场承诺全额退款" (怎么做) and "keywords: [稳赚, 不会亏]" (what customers type) are no licence
    assert not {"全额退", "稳赚", "不会亏", "打包票"} & card_promises()
    _assert_caught("promise", ["您好，我们承诺将在24小时内为您全额退款，请您放心。",
                               "这款产品您放心买,稳赚不赔的,我自己家里也买了不少。"])


def test_conditional_and_token_apologies():
    _assert_caught("apology_conditional", [
        "假如刚才是我们保安跟您有点误会,那我们跟您说声抱歉,您要办什么业务我帮您取号。",
        "要是我们哪里让您觉得被怠慢了,在这儿先跟您赔个不是,您的事我接着办。",
        "若有服务不到位的地方,还望多多包涵,您的问题我们都会认真对待。",
        "您好，如果本次服务给您带来了任何不愉快的体验，我们表示诚挚的歉意。",
        "给您造成的困扰,还请您多担待,我们也是第一次遇到这种情况。",
        "好吧好吧,算我说错了还不行吗,您别在这儿嚷了,先把号拿好。",
        "行,对不起,这样总满意了吧?您的卡我现在给您办,您在这里签字。",
        "要真是我们哪儿没做对,我给您道歉就是了,您也别揪着不放了。",
    ])
    _assert_clean([
        "如果核实下来是我们这边算错了,会按流程给您更正,也会当面跟您道歉。我先把计息明细打出来。",
        "要是我们核实下来确实是操作有问题,我们会跟您当面道歉,该更正的马上更正。",
        "如果您觉得来回跑太不方便,下次可以先在手机上预约,我现在教您怎么约。",
        "真抱歉,我们提醒得还不够,这次我陪您把手续办完。",
        "刚才是我说话太快了,对不起。您别往心里去,我慢一点再跟您说一遍。",
        "给您添麻烦了,真是对不起,您这张单子我马上重新给您打一份。",
    ])


def test_a_token_apology_with_an_aside_is_not_a_rhetorical_question():
    text = "您要是非要我道歉,那就算我不对吧,我给您赔个不是,咱们把这笔业务办完,您看行吗?"
    assert _rules(text) == {"apology_conditional"}


def test_brush_offs_in_their_disguises():
    _assert_caught("brush_off", [
        "系统就是这么设计的,我们下面网点改不了,您要是有意见可以写在意见簿上。",
        "没办法,现在的流程就是这样,谁来都得本人到场。",
        "这都是上面定好的,我们下面的人只能照着执行,您跟我说这些真的没什么用。",
        "这种事情您去找总行吧,我们一个支行管不了这么多。",
        "这个问题我们这里确实解决不了,您要投诉的话就去投诉吧。",
        "说实话您这种情况谁来也没办法,银行的规定就是这么死板。",
        "到账的时间不是我们能决定的,您再等等吧,到了手机上会有短信提醒的。",
        "那行,我给您道个歉,您还有别的事吗?没有的话我先叫下一位了。",
        "这个情况上面怎么处理我们也不清楚,您今天先回吧,有消息了再说。",
        "唉,这事儿我们真没办法,上面不松口,谁也没辙,您就别折腾了。",
        "您好，非常抱歉，该问题不属于我们的处理范围，建议您联系相关部门进行咨询。",
    ])


def test_sending_the_customer_elsewhere_or_home_blocks_only_without_a_next_step_of_staff_own():
    bad = ["我们售楼部只负责卖房子,交房以后的维修都是物业在管,您直接去物业那边问就行。",
           "您好，关于您的问题，建议您直接拨打客服热线进行咨询，客服人员会为您详细解答。",
           "钱从我们这边是转出去了的,没到账那是对方银行的事,您让收款人去他们银行查。",
           "已经给您登记了,您先回去吧,会有人联系您的。",
           "您说的这种情况我们这里没遇到过,也不知道怎么弄,您要不去别的网点问问吧。"]
    _assert_caught("brush_off", bad)
    _assert_clean([
        "维修是物业的工程组在负责,我现在就给物业的负责人打电话,让他跟您约上门的时间。",
        "维修这块是物业的事,我现在就帮您联系物业的主管,约好时间告诉您。",
        "您先回去休息吧,明天上午十点前我给您打电话,告诉您查到的结果。",
        "这个业务物业那边负责,我现在陪您过去找物业的主管,当面把情况说清楚。",
        "系统记录显示这笔款是您本人转出的。我可以协助您联系对方银行,您看好吗?",
    ])


def test_an_honest_limit_followed_by_a_next_step_is_not_a_brush_off():
    _assert_clean([
        "退不退这件事我做不了主,我现在就去请我们主任过来,您在这儿稍坐一下,喝口水。",
        "这条规定我改不了,但我能做的是把您的意见写进意见单报上去,有回音了我打电话告诉您。",
        "这个问题我这边确实解决不了,我带您去找我们的大堂经理,他能帮您往上报。",
        "您要的这一项我确实办不了,但我能办的都会尽力给您办好,我先说说能怎么办。",
        "谢谢您耐心等了这么久,新卡已经做好了,麻烦您核对一下上面的名字。",
        "请您耐心等我一下,我去后台把这笔扣款的凭证调出来,看清楚了马上回来跟您说。",
        "等查询有结果了再看怎么处理,明天上午我给您回个电话。",
    ])


def test_promises_of_outcomes_times_and_returns():
    _assert_caught("promise", [
        "这个我可以跟您保证,以后您的账户再也不会出现这种情况了。",
        "年费这事我去帮您申请,至少给您免掉一年,下次您就不用再交了。",
        "裂缝的事您放心,下个月之前我们一定全部给您修好。",
        "您别急,我跟主任说一声,这笔手续费肯定能给您退了。",
        "您放心,交房之前小区的游泳池绝对能建好。",
        "您放心,这款理财是保本的,到期收益最少也有百分之三。",
        "您放心,这个钱过两天保准到您卡上。",
        "这次的手续费我就做个主,直接帮您免了,下次注意就行。",
        "房子交付以后您家的物业费我们给您免一年,这个我说了算。",
        "我跟您打个包票,这房子住进去二十年都不会出问题。",
        "这个钱我们一定会如数还给您的,一分都不带少的。",
        "您放心,我去跟经理说一声,这个违约金肯定就不收您的了。",
        "您好，我们保证在今天下班前为您全部处理好，请您放心。",
    ])
    _assert_clean([
        "今天能不能到账我没法跟您打包票,我能做的是现在就提交查询,一有结果马上打电话告诉您。",
        "能不能退要看业务部门核实的结果,我不能现在就跟您打包票,有结果我第一时间告诉您。",
        "多扣的钱如果核实确实是扣错了,会按流程退回到您卡上,这件事我会一直盯着。",
        "您放心,您刚才说的每一条我都记下来了,一定会原原本本报给我们负责人。",
        "这款产品不是保本的,收益会随市场变化,您看看这张风险提示。",
        "这款产品不保证能退,具体要看合同条款,我把合同拿来跟您一起看。",
        "您说的不会亏,是当时销售跟您这么讲的吗?我把当时的录音录像调出来核对一下。",
        "明天上午您一定要带身份证来,十分钟就能办好。",
        "我不能保证以后再也不会出现,但我会把您的意见报上去,请负责人看怎么改进。",
        "不瞒您说,这笔手续费我们柜台改不了;我能做的是马上帮您提交减免申请,结果出来第一时间告诉您。",
    ])


def test_invented_facts_limits_contracts_comparisons_causes_and_policies():
    _assert_caught("invented_fact", [
        "您这张卡在ATM上每天最多只能取两万,今天已经取满了。",
        "您这张卡手机银行一天只能转五千,超了就转不出去。",
        "您家这套房的交付标准里本来就没有地暖,合同上都写着的。",
        "我们行的房贷利率在本地一直是最低的,比其他几家都要低零点五个百分点。",
        "咱们这个小区的绿化率是全区最高的,交房标准也比周边好。",
        "您的信用卡上个月有一笔还款逾期了,所以系统才自动把额度降下来。",
        "您好，根据我们的政策，凡是因系统原因造成的客户损失，银行都会给予全额补偿。",
        "您好，按照最新的监管规定，所有大额转账都需要人工审核。",
        "凡是在我们这儿办过贷款的客户,提前还款都要收违约金,这是规矩。",
        "您好，这个问题是因为您没有及时更新身份证信息导致的。",
        "这种转账一般半个小时就到了,您这笔肯定是对方卡有问题。",
        "您这张卡去年就已经过期了,所以今天刷不了,得换一张新卡。",
        "您好，根据规定，您的账户因长期未使用已被转为睡眠账户。",
        "这个楼盘的容积率是二点五,物业费每平方两块八。",
        "您这张卡因为密码输错了三次,已经被系统锁定了,明天会自动解开。",
    ])
    _assert_clean([
        "我刚帮您查了一下,这笔转账现在显示还在处理中,我把查询的单子打出来给您看。",
        "每张卡的转账限额设置不一样,我现在帮您在系统里看一下您这张卡的设置。",
        "合同里到底有没有写车位的事,我现在就把您的合同调出来,咱们一起翻一翻。",
        "您的卡之前的扣款记录,我帮您打出来一笔一笔看。",
        "您的卡只能本人带身份证来办理挂失,我先帮您电话冻结。",
        "今天人比别的时候少一些,您稍等两分钟就到您了。",
        "凡是您反映的问题,我们都会记录下来,一条条核实。",
        "如果是因为您没收到短信导致的误会,我们一起把提醒重新设一下。",
        "签这么多次字,确实麻烦您了。每一次签字都是在确认是您本人办理,是为了保护您账户里的钱。",
        "这笔费用是短信提醒服务费,每月两元,是您开卡时勾选的。我可以现在帮您取消。",
    ])


def test_a_claim_the_customer_made_counts_only_on_its_own_words():
    # "……没有" is too common an ending to show the customer said the same thing
    text = "您家这套房的交付标准里本来就没有地暖,合同上都写着的,样板间只是展示效果。"
    assert "invented_fact" in _rules(text, "样板间里有地暖,我家怎么没有")


def test_half_hours_and_percentage_points_are_figures():
    assert [k for k, _, _ in figures("半个小时就到了")] == [("hour", 0.5)]
    assert [k for k, _, _ in figures("一个半小时")] == [("hour", 1.5)]
    assert figures("让您等了半天") == []  # speech, not a duration
    assert ("pct", 0.5) in {k for k, _, _ in figures("低零点五个百分点")}


def test_fault_customer_voice_and_blame_wordings_of_a_small_model():
    assert "fault_admission" in _rules("您好，我们理解您的不满，银行在这方面做得确实不够好，我们会认真反思。")
    assert "customer_voice" in _rules("您好，我完全理解您的感受，换作是我也会觉得银行这样做太过分了。")
    assert "customer_voice" in _rules("您说的我都懂,要是我遇到这种事也会觉得开发商太不地道了。")
    assert "blame_customer" in _rules("您好，是您自己当时勾选了同意寄送，所以卡片才会寄到您家里。")
    assert "blame_customer" in _rules("您当时自己签的字,现在又说不知道,这个我们也很难办。")
    assert "blame_customer" in _rules("您自己当时没问清楚就签了字,这个不能全算我们的。")
    _assert_clean([
        "我理解您也觉得开发商这样做太过分了,您说的我都记下了,马上报给负责人。",
        "我觉得您提的要求一点都不过分,我马上去跟主任汇报。",
        "换作是我也会着急,您先坐,我马上帮您查这笔钱到了哪一步。",
    ])


@pytest.mark.parametrize("unit", ["您这张卡", "如果误会", "一定能", "您去找物业", "凡是", "您合同里就", "我们这边是是", "半个"])
def test_the_third_pass_patterns_stay_linear_on_long_input(unit):
    text = (unit * (20000 // len(unit) + 1))[:20000]
    t0 = time.perf_counter()
    check(text, text)
    assert time.perf_counter() - t0 < 3.0
