"""Checker sixth pass (issue 16, round D): a brush-off ends the matter; semantic classes per rule.

The wordings here are new (not copied from the probe files), so these tests pin the mechanisms."""

from __future__ import annotations

import pytest

from assistant.reply.checker import check
from tests.reply.linear import assert_linear


def _rules(text: str, customer: str | None = None) -> set[str]:
    return {f.rule for f in check(text, customer).findings if f.blocking}


@pytest.mark.parametrize("text", [
    "请您耐心等待一会儿,我正在帮您复印身份证件,复印好就给您拿回来。",
    "麻烦您在这儿稍坐,我这就去把审批的同事叫过来。",
    "这个我一时也说不好,我先把这三个月的扣费记录打出来,咱们一起看。",
    "您先回家吧,师傅明天上午上门,出发前我给您打电话。",
    "维修这块物业插不上手,不过我可以替您联系施工单位,周三给您回话。",
    "系统还在处理,请您耐心等候。我今天下班前再帮您查一遍,有变化就告诉您。",
    "请您耐心等待,稍后给您回电话说明进度。",               # no subject: the speaker acts
    "请您耐心等待几分钟,系统正在处理您的申请,处理完就给您回执。",
])
def test_a_wait_or_a_limit_with_a_concrete_step_is_no_brush_off(text):
    assert "brush_off" not in _rules(text)


@pytest.mark.parametrize("text", [
    "请您耐心等待,后台在处理,我这边也催不了。",          # the step verb is negated after it
    "您就稍等吧,我这边忙着呢。",
    "这个我说不准,您过几天再来问问。",
    "后台那边我们也使不上劲,您耐着性子等消息吧。",
    "别催了,我去问也没用。",                              # dismissive: a step does not rescue it
])
def test_a_wait_or_a_limit_that_ends_the_matter_is_a_brush_off(text):
    assert "brush_off" in _rules(text)


@pytest.mark.parametrize("text, rule", [
    ("说白了就是我们后台漏办了您这笔,单子一直没往下走。", "fault_admission"),
    ("这个涨价啊,定得就是不合理,我私下也这么看。", "fault_admission"),
    ("您家平时又不怎么检查燃气阀门,漏气了也怪不着物业。", "blame_customer"),
    ("您下次转账之前看清楚了再点确认。", "blame_customer"),
    ("钱明天一准儿进您账户,您踏实回家吧。", "promise"),
    ("又不是我让您排队的,对吧?", "rhetorical_question"),
    ("都说了三遍了,还要我怎么说?", "rhetorical_question"),
    ("您先把脾气收一收,咱们再谈。", "calm_down"),
    ("您嗓门放低点,这是营业厅。", "calm_down"),
    ("网上您想发就发,这种帖子发了也没用。", "media_statement"),
    ("我们就是在变着法子多收您的钱,这没什么好瞒的。", "customer_voice"),
    ("刚才柜台前那位张大爷也是这事,他家的卡也被锁了。", "echoed_pii"),
    ("您这张卡这一年老是逾期,额度才被调了。", "invented_fact"),
    ("给您的通知我们早就发过了。", "invented_fact"),
    ("对于这次维修可能给您带来的不便,我们深表遗憾。", "apology_conditional"),
    ("不好意思,这几天正赶上月末结算,柜台排得满满的。", "apology_excuse"),
])
def test_a_new_wording_of_a_move_raises_its_rule(text, rule):
    assert rule in _rules(text)


@pytest.mark.parametrize("text, customer", [
    ("如果核实是我们后台漏办了,我们会按规定处理,结果今天告诉您。", None),
    ("这跟您没关系,是我刚才没讲清楚,我再讲一遍。", None),
    ("您说的冷静期是合同里约定的,我把那一页找出来给您看。", None),
    ("您稍等一两分钟,我查一下马上告诉您。", None),
    ("这两天来问的人多,我先帮您取个号,再看能不能先办。", None),
    ("这个事我不方便代表公司接受采访,我把对外联系人的电话给您。", "我是报社记者"),
    ("我们没有骗您,合同在这儿,咱们一条一条对。", None),
    ("您的诉求我登记了,按流程4小时内会有专人给您回复。", None),
])
def test_a_near_miss_passes_clean(text, customer):
    assert not _rules(text, customer)


@pytest.mark.parametrize("unit", ["请您耐心等待,", "我这就去", "又不是", "我们后台", "您下次", "刚才那位",
                                  "可能给您带来的", "早就", "等您", "忙着呢", "您这张卡", "催不了"])
def test_the_sixth_pass_stays_linear_on_40k_characters(unit):
    assert_linear(unit, 10000, 40000, 8.0)


@pytest.mark.parametrize("text", ["这件事让我很不痛快,给您添麻烦了,我4小时内给您回复。",
                                  "我们感到非常不满,会尽快处理,有进展我4小时内打电话告诉您。"])
def test_the_customers_upset_in_staffs_mouth_is_their_voice(text):
    assert "customer_voice" in {f.rule for f in check(text).findings}


def test_staff_may_say_the_customer_is_upset():
    assert check("这件事让您不痛快了,给您添麻烦了,我4小时内给您回复,您看可以吗?").ok
