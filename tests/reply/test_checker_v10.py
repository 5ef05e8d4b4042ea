"""Ninth pass of the checker (issue 16, batch 7): what a brush-off hands away, and small classes of the
other rules. The wordings here are written for the tests, not copied from the labelled sets."""

from __future__ import annotations

import pytest

from assistant.reply.checker import check
from tests.reply.linear import assert_linear


def rules(text: str, customer: str = "") -> set[str]:
    return {f.rule for f in check(text, customer).findings if f.blocking}


@pytest.mark.parametrize("text", [
    "这是您跟对门之间的纠纷,我们物业也不好插手。",          # our side may not step in
    "车库积水这事,物业没有权力去管开发商的施工。",            # our side without power
    "这款基金什么时候赎回到账,得看人家基金公司的安排。",      # the outcome left to another party
    "审批进度是上面说了算,我们等着就是。",                  # another party's say
    "这个和我们银行关系不大。",                              # not ours
    "我们网点不受理这类纠纷。",                              # not taken at all
    "我们这边也就是代办,具体的找保险公司。",                  # only relaying
    "您俩自己私下协商吧。",                                  # the customer sent to settle it
    "维修的事排到您家了自然会有人上门的。",                  # a wait that comes by itself
    "贷款的事别急,总会有结果的。",
])
def test_handing_the_matter_away_is_a_brush_off(text: str) -> None:
    assert "brush_off" in rules(text)


@pytest.mark.parametrize("text", [
    # an honest limit or referral with staff's own concrete step next to it
    "物业没有权力进业主家,这点我得跟您说清楚。我现在就上楼跟那户约时间,今天下午给您回电话。",
    "这款基金的到账时间要看基金公司的清算安排,我说不准。我现在就给他们的对接人打电话,查到后马上告诉您。",
    "商户的营业时间我们不好插手,今晚我去店里找老板当面谈,明天上午给您回个话。",
    "您前面还有两位,排到您了我过来叫您,您先坐着填单子,我把单子给您拿过来。",
])
def test_a_limit_or_referral_with_staffs_own_step_passes(text: str) -> None:
    assert "brush_off" not in rules(text)


def test_a_change_under_way_after_an_apology_is_an_excuse() -> None:
    assert "apology_excuse" in rules("不好意思,我们这阵子正在升级系统,所以慢了点。")
    assert "apology_excuse" in rules("很抱歉,这几天分行那边审批得太慢了。")
    assert "apology_excuse" not in rules("让您久等了,很抱歉。我刚查到您的申请在复核,我现在就去催。")


def test_a_cadence_of_staffs_own_follow_up_is_no_invented_figure() -> None:
    assert "invented_fact" not in rules("我每隔三天帮您催一次审批,有进展就给您打电话。", "审批怎么这么慢")
    assert "invented_fact" in rules("审批每隔三天就会出一批结果。", "审批怎么这么慢")


def test_declining_to_speak_for_the_bank_is_no_media_statement() -> None:
    assert "media_statement" not in rules("媒体那边我不便代表银行表态,您的问题我现在就处理。", "我要找记者")
    assert "media_statement" in rules("我代表银行向媒体郑重表态,我们没有任何问题。", "我要找记者")


def test_a_question_that_needs_no_answer_is_rhetorical() -> None:
    assert "rhetorical_question" in rules("这还用问吗?办卡肯定要带身份证。")


def test_fault_words_in_plain_speech() -> None:
    assert "fault_admission" in rules("物业这边的绿化养护说白了就是走过场。")
    assert "fault_admission" in rules("这事我们物业确实拖了太久。")
    assert "fault_admission" not in rules("这事拖了这么久,让您着急了。我现在就联系维修班长,今天给您答复。")


def test_the_customers_side_as_the_frequent_cause_is_blame() -> None:
    assert "blame_customer" in rules("墙面开裂很多是业主自己改水电时造成的。")
    assert "blame_customer" not in rules("墙面开裂的原因我们会请工程部来查,查清楚后给您书面说明。")


def test_accusations_said_of_our_own_side_are_the_customers_voice() -> None:
    assert "customer_voice" in rules("物业就是收了钱不办事,我也这么觉得。")
    assert "customer_voice" not in rules("您说物业收了钱不办事,我理解您的火气,我马上派人去看。")


def test_money_back_with_interest_is_a_promise() -> None:
    assert "promise" in rules("多收的钱我们连本带息还给您。")


def test_the_ninth_pass_patterns_stay_linear() -> None:
    for unit in ("我们物业也不好插手,", "得看人家基金公司的", "排到您了自然会", "不好意思,这阵子正在"):
        assert_linear(unit, 5_000, 20_000, 6.0)  # about 2 s on a loaded 2-core box
