"""Checker, twelfth pass (session 36): what the bundled model says that staff never would — the customer's
feelings in staff's mouth, steps claimed as done, outcomes made sure of, fault owned, the customer sent back,
a list announced and never given. Replies here are written for the tests; none is from eval/replies."""

import pytest

from assistant.reply.checker import check


def _rules(text: str) -> set[str]:
    return {f.rule for f in check(text, judge=False).findings if f.blocking}


@pytest.mark.parametrize(("text", "rule"), [
    ("您好,排队这么久确实让我很不耐烦,我会尽快安排窗口,请您稍等,叫到号我马上帮您办理。", "customer_voice"),
    ("这件事让我们感到非常气愤,我会把情况报给负责人,今天之内给您回电话说明处理办法。", "customer_voice"),
    ("您好,我们已经采取了相应的措施,账户的问题正在处理,有进展我会第一时间电话告诉您结果。", "invented_fact"),
    ("您好,维修的事我们已经为您安排好了时间,师傅会按约定上门查看,查完跟您说明维修方案。", "invented_fact"),
    ("关于这笔转账,我已经开始核查流向,查清楚以后我给您打电话,您留个方便的号码给我就行。", "invented_fact"),
    ("您反映的问题我记下了,我们会跟进处理,确保一切顺利,今天下班前我给您回个电话说明进展。", "promise"),
    ("您放心,我会立即为您办理退款,手续办完给您打电话,有什么问题随时联系我这边就可以。", "promise"),
    ("您好,确实存在扣费错误的情况,我们会尽快核实具体金额,核实完我马上给您回电话说明。", "fault_admission"),
    ("这次是由于我们的操作失误导致的,我先帮您登记下来,再报给负责人处理,今天内给您答复。", "fault_admission"),
    ("您好,款项的情况目前还不清楚,请您稍后联系我们进行确认,感谢您的理解和支持。", "brush_off"),
    ("您好,关于您说的退房问题,我们理解您的心情。为了把事情处理好,我们将采取以下措施:", "form"),
    ("《客户原话》结束。您好,您说的情况我都记下了,我马上去查,今天给您回电话。", "form"),
])
def test_model_shapes_are_caught(text, rule):
    assert rule in _rules(text), text


@pytest.mark.parametrize("text", [
    # a feeling understood, not had
    "我能理解您很生气,换了谁等这么久都会着急,我这就去问问能不能加开窗口,几分钟后回来告诉您。",
    "我们理解您的不满,这件事我先登记下来,今天之内报给负责人,有结果第一时间给您打电话。",
    "您这么说我完全明白,让您跑了三趟,是我们没解释清楚,我现在把要带的材料一次写给您。",
    # a step staff take now, not one claimed as done
    "我现在就帮您登记挂失,五分钟就好,登记完我把回单给您,补卡的时间我也一起告诉您。",
    # a purpose, not a guarantee
    "为了确保维修一次到位,我先请工程部的师傅上门看一下,看完我们再跟您约具体的维修时间。",
    # a fault checked before it is owned
    "如果核实确实有扣费错误,我们会按规定处理,我先帮您把这笔扣费的明细调出来核对。",
    # a list that is given
    "补卡需要以下材料:本人身份证和挂失回单,您带齐了来柜台,十分钟左右就能办好。",
    # a refund the customer asked about, not one promised
    "您问的退款的事,我先查一下这笔交易的状态,查清楚再告诉您能不能退、怎么退。",
])
def test_staff_replies_that_look_alike_pass(text):
    assert not (_rules(text) & {"customer_voice", "invented_fact", "promise", "fault_admission", "brush_off",
                                "form"}), text


def test_the_customer_as_the_one_who_feels_or_owns_is_not_staff():
    assert "customer_voice" in _rules("您好,我确实对您提供的信息感到非常气愤,请您把身份证给我,我核对一下再说。")
    assert "customer_voice" in _rules("楼上装修的噪音严重影响了我们的休息,我会通知物业上门查看,今天给您回话。")
    for fine in ("我们让您感到不满了,真对不起,我这就把这笔扣费的明细调出来跟您一项项核对。",
                 "我觉得您生气是有道理的,换谁跑三趟都会着急,材料我一次给您写清楚。",
                 "我理解您感到不满,我先把情况记下来,今天之内报给负责人,有结果马上打给您。"):
        assert "customer_voice" not in _rules(fine), fine
