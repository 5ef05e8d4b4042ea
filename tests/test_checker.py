import pytest

from assistant.checker import check

GOOD = [
    "您先别着急,您说的我都记下了。让您等了这么久,真的很抱歉。我现在就帮您查这笔钱,4小时内给您回复。",
    "给您添麻烦了,很抱歉。为了尽快帮您查,方便说一下是哪天的转账吗?",
    "您的心情我能理解。这件事我马上报告负责人,请他亲自跟您谈,您看可以吗?",
    "您提出的补偿要求我已经记录下来,会同业务部门核实后答复您。",
    "这件事需要调取监控核对,明天上午十点前我给您打电话说明结果。",
    "我理解您想今天就办好;同时大额取现需要预约,我现在就帮您登记,明天一到就能办。",
    "这边人多说话不方便,您到贵宾室坐下,喝口水,我们慢慢说。",
    "您放心,您跟我说的内容我们会保密,不会告诉其他人。",
    "您这个建议很好,我们网点暂时还做不到,我能为您做的是先帮您预约周六上午。",
    "业主您好,渗水的问题我今天就登记交给工程部,约好上门时间后第一时间告诉您。",
    "各位业主的意见都很重要,麻烦大家推选几位代表,我们到会议室把每一条诉求都记下来。",
    "谢谢您耐心等待,您的卡已经取出来了,您核对一下。",
    "您说的是手续费扣得不明白,我把收费明细打印给您,一项一项跟您说清楚。",
    "这一项确实不在我的权限内,我带您去找负责的同事,当面跟他交代清楚。",
    "您自己决定就好,两种办法都可以,我都可以帮您办。",
    "尾号1234的这张卡已经帮您解冻了。",
]
BAD = [
    ("对不起,但是今天人太多了,您也得理解。", "apology_excuse"),
    ("抱歉,不过这是总行的规定。", "apology_excuse"),
    ("如果您觉得不舒服的话,那我道歉。", "apology_conditional"),
    ("这完全是我们的错,我们全责。", "apology_premature_fault"),
    ("是您自己没看清楚合同。", "blame_customer"),
    ("您当时怎么不看清楚再签字?", "blame_customer"),
    ("这是规定就是这样,我也没办法。", "brush_off"),
    ("这个不归我管,您去找别人吧。", "brush_off"),
    ("您别闹了,我给您赔200块钱。", "unauthorised_promise"),
    ("我保证给您全额退款。", "unauthorised_promise"),
    ("难道您不知道要带身份证吗?", "rhetorical_question"),
    ("不是跟您说了吗?要先取号。", "rhetorical_question"),
    ("您随便去曝光吧,我们不怕。", "media_statement"),
    ("我代表银行向媒体回应一下这件事。", "media_statement"),
    ("刚才那位客户的账户余额比您还多。", "other_customer_data"),
    ("您的手机号13812345678已经登记。", "echoed_pii"),
]


@pytest.mark.parametrize("text", GOOD)
def test_good_replies_pass_clean(text):
    result = check(text)
    assert result.ok and not result.findings, [(f.rule, f.span) for f in result.findings]


@pytest.mark.parametrize(("text", "rule"), BAD)
def test_bad_replies_are_caught_with_span_and_advice(text, rule):
    result = check(text)
    assert not result.ok
    finding = next(f for f in result.findings if f.rule == rule)
    assert finding.span and finding.span in text
    assert finding.advice and finding.title


def test_json_shape():
    d = check("对不起,但是系统坏了。").as_dict()
    assert set(d) == {"ok", "findings"}
    assert {"rule", "title", "span", "advice"} <= set(d["findings"][0])
