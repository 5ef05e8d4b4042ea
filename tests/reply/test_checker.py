import pytest

from assistant.reply.checker import BLOCKING_RULES, RULES_INFO, check, highlight

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
    ("这完全是我们的错,我们全责。", "fault_admission"),
    ("是您自己没看清楚合同。", "blame_customer"),
    ("您当时怎么不看清楚再签字?", "blame_customer"),
    ("这是规定就是这样,我也没办法。", "brush_off"),
    ("这个不归我管,您去找别人吧。", "brush_off"),
    ("您别闹了,我给您赔200块钱。", "promise"),
    ("我保证给您全额退款。", "promise"),
    ("难道您不知道要带身份证吗?", "rhetorical_question"),
    ("不是跟您说了吗?要先取号。", "rhetorical_question"),
    ("您随便去曝光吧,我们不怕。", "media_statement"),
    ("我代表银行向媒体回应一下这件事。", "media_statement"),
    ("刚才那位客户的账户余额比您还多。", "echoed_pii"),
    ("您的手机号13812345678已经登记。", "echoed_pii"),
]


@pytest.mark.parametrize("text", GOOD)
def test_good_replies_pass_clean(text):
    result = check(text)
    # these are short lines: only the length note (a warning) may appear
    noisy = [(f.rule, f.span) for f in result.findings if f.blocking or f.rule != "form"]
    assert result.ok and not noisy, noisy


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


ISSUE_16 = [  # what the model said in issue 16, and the one the old checker passed
    ("银行的收费政策确实有些不合理,我先帮您登记一下。", "fault_admission"),
    ("这是银行的系统问题,我帮您反映一下。", "fault_admission"),
    ("我不能保证您的钱安全,因为我们的系统不稳定。", "fault_admission"),
    ("我们是按照您的要求办理的,请您耐心等待。", "brush_off"),
    ("您放心,我们保证今天到账。", "promise"),
    ("这个肯定一定给您退,全额赔偿。", "promise"),
    ("我们搞错了,是我们的错。", "fault_admission"),
    ("这个不归我们销售部管,我也没办法。", "brush_off"),
    ("您没看清合同就签了字。", "blame_customer"),
    ("我们这是骗您的钱,太不应该了。", "customer_voice"),
    ("我理解,你们银行确实应该给个说法。", "customer_voice"),
]


@pytest.mark.parametrize(("text", "rule"), ISSUE_16)
def test_issue_16_examples_are_blocked(text, rule):
    result = check(text)
    assert not result.ok and rule in {f.rule for f in result.findings}, [(f.rule, f.span) for f in result.findings]


def test_conditional_fault_wording_stays_allowed():
    text = "您说的扣费我先把明细打出来核对。如果核实是我们的原因,会按流程给您处理,4小时内给您回复。"
    assert check(text).ok, check(text).findings


def test_invented_figures_are_compared_with_the_customer_and_the_cards():
    reply = "跨行取款手续费是每笔四块钱,这是对方银行收的,我先帮您把情况登记下来,再跟您核对一遍。"
    assert "invented_fact" in {f.rule for f in check(reply).findings}
    said = "跨行取了一次钱被扣了四块钱手续费,这钱谁出?"
    assert "invented_fact" not in {f.rule for f in check(reply, said).findings}
    # 4小时 is written in the cards: no source needed
    ok = "钱扣了对方却没收到,换谁都着急。我现在就帮您查这笔转账走到哪一步了,4小时内给您回个话。"
    assert check(ok).ok
    assert check("您家交房已经两年多了,按说过了保修期,我先帮您登记报修,工程部再跟您约时间。").ok is False


def test_loops_and_parroting_need_the_customer_words():
    loop = "您别着急,我马上帮您查一下。您别着急,我马上帮您查一下。您先在这边坐一会儿。"
    assert "loop" in {f.rule for f in check(loop).findings}
    said = "我上周三在手机银行买了五万块的定期,今天一看账户里根本没有这笔定期,钱也不见了"
    copy = "您是说上周三在手机银行买了五万块的定期,今天一看账户里根本没有这笔定期,我先帮您查一下。"
    assert "parrot" not in {f.rule for f in check(copy).findings}
    assert "parrot" in {f.rule for f in check(copy, said).findings}
    short = "您说的五万块定期,我现在就把这笔交易调出来,一项一项跟您核对清楚,查到马上告诉您。"
    assert check(short, said).ok


def test_form_rules():
    assert not check("Sorry,让您久等了,我现在就帮您办,您要办的是什么业务,我马上给您看一下。").ok
    assert not check("## 回复\n**您好**,您的问题我已经记录下来,会尽快联系您处理,请您放心。").ok
    assert not check("{客户姓名}您好,您反映的问题我已经记录下来,会尽快联系您处理,请您放心。").ok
    long = "您好," + "我们会认真核实您反映的情况,查清楚后第一时间告诉您结果," * 12
    f = [x for x in check(long).findings if x.rule == "form"]
    assert f and not f[0].blocking  # length alone is a warning
    assert check("在ATM上取款时卡被吞了,您先别着急,我马上联系管机器的同事,查清楚后第一时间告诉您。").ok


def test_every_finding_has_code_severity_bilingual_message_span_and_advice():
    text = "对不起,但是这是您自己没看清楚,我们保证今天到账,你们的系统问题。"
    result = check(text, "我的钱呢")
    assert len({f.rule for f in result.findings}) >= 4
    for f in result.findings:
        assert f.rule in RULES_INFO and f.severity in ("blocking", "warning")
        assert " / " in f.message and f.advice and text[f.start:f.end] == f.span
    assert set(BLOCKING_RULES) == set(RULES_INFO)


def test_highlight_segments_cover_the_text_in_order():
    text = "对不起,但是今天人太多了。我们保证今天到账,您看可以吗?谢谢您的耐心。"
    segs = highlight(text)
    assert "".join(s for s, _ in segs) == text
    labels = [lab for _, lab in segs if lab]
    assert "边道歉边辩解" in labels and "越权承诺" in labels
    assert highlight("您好,您反映的问题我已经记录下来,会同业务部门核实后4小时内答复您。") == [
        ("您好,您反映的问题我已经记录下来,会同业务部门核实后4小时内答复您。", None)]


def test_checker_is_fast():
    import time

    text = "让您等了这么久,真的很抱歉。我现在就帮您查这笔转账走到哪一步了,4小时内给您回电话;您看这样可以吗?" * 3
    said = "上午十点转给老家的钱,到现在我妈还说没收到,扣款短信我都收到了" * 10
    check(text, said)
    t0 = time.perf_counter()
    for _ in range(50):
        check(text, said)
    assert (time.perf_counter() - t0) / 50 < 0.02  # budget is 5 ms; generous for a busy CI box


@pytest.mark.parametrize("unit", ["您得", "您怎么就", "对不起。但是", "如果,", "我也觉得。", "今天,", "你们", "一二三", "记者"])
def test_no_pattern_goes_quadratic_on_long_input(unit):
    import time

    text = (unit * (20000 // len(unit) + 1))[:20000]
    t0 = time.perf_counter()
    check(text, text)
    assert time.perf_counter() - t0 < 3.0  # linear: about 0.3 s on 20k characters


def test_wider_wordings_and_their_near_misses():
    bad = {
        "fault_admission": "这笔年费收得确实没道理,我也觉得不应该收,您先别急,我帮您问问。",
        "promise": "差价我们补给您,您留个电话,回头钱就打到您卡上,别的不用操心了。",
        "brush_off": "我就是个打工的,您跟我发火也没用,政策又不是我定的,您理解一下。",
        "rhetorical_question": "这么简单的事情您怎么就听不明白呢?我再跟您说一遍这个流程。",
        "apology_excuse": "非常抱歉,由于我们今天系统升级,给您带来了不便,请您换个时间再来。",
        "media_statement": "记者同志,这件事我们银行完全是按规定办的,没有任何问题,您可以写。",
    }
    for rule, text in bad.items():
        assert rule in {f.rule for f in check(text).findings if f.blocking}, (rule, text)
    good = [
        "如果查实是我们柜员当时没有提示风险,我们会按规定处理,您的诉求我先如实记下。",
        "这笔手续费能不能退,需要业务部门核实,我不能现在就给您打包票,核实后第一时间告诉您。",
        "您的心情我理解,我们高度重视您反映的问题,我现在就请负责人过来当面跟您谈。",
        "真的很抱歉让您等了这么久。不过您放心,我现在马上给您办理,您把身份证给我就可以了。",
        "如果核实确实多扣了,这笔钱会按流程退给您,我现在先把扣费明细调出来跟您核对。",
    ]
    for text in good:
        assert check(text, "我要找电视台曝光你们").ok, (text, check(text).findings)


def test_a_blocking_form_finding_inside_a_length_note_is_kept():
    short = "## 方案\n- 先核实\n- 再回复"
    rules = {(f.rule, f.blocking) for f in check(short).findings}
    assert ("form", True) in rules and ("form", False) in rules


def test_telling_the_customer_to_calm_down_is_caught_but_a_shared_pause_is_not():
    bad = ["我建议您可以先冷静一下情绪,然后我们慢慢谈,处理进度我4小时内给您回复。",
           "您别激动,我马上帮您查这笔钱到了哪里,查到后马上告诉您,您看这样行吗?"]
    good = ["咱们都冷静一下,我先帮您把这笔转账查清楚,查到后第一时间告诉您,您看行吗?",
            "犹豫期和冷静期内可以申请退保,我帮您查一下这张保单的日期,您看可以吗?"]
    for text in bad:
        assert "calm_down" in {f.rule for f in check(text).findings if f.blocking}, text
    for text in good:
        assert "calm_down" not in {f.rule for f in check(text).findings}, text


def test_customer_lines_in_the_cards_license_no_figure():
    # "十二月" is in a topic card's customer lines only: staff may not state it as a fact
    assert "invented_fact" in {f.rule for f in check("您的房子是去年十二月通过竣工验收的,所有手续都是齐全的。").findings}
