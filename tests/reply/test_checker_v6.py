"""The checker's fifth pass (issue 16, batch 6): rule grammars in checker_grammar.py. Each case gives
a wording and the exact set of blocking rules it must raise ([] = it must pass clean): synonyms, word
order, colloquial and indirect forms, and the negated and conditional forms that must stay allowed."""


import pytest

from assistant.reply.checker import check
from tests.reply.linear import assert_linear


def _rules(text: str, customer: str = "") -> set[str]:
    return {f.rule for f in check(text, customer).findings if f.blocking}


BAD = [
    # promise: amount adverb on a money verb, time + done state, vouchers, a fault that cannot recur
    ("您踏踏实实的,这笔手续费我们这边会如数返还给您的,这个您不用再操心。", {"promise"}),
    ("地板泡坏的损失,公司这边会照价赔给您,一分钱都不会差您的,您放心。", {"promise"}),
    ("您放一百个心,冻结明天一早就能解开,到时候您直接拿卡去用就行。", {"promise"}),
    ("这个事包在我身上,下周一之前钱一准回到您卡里,这个您就别操心了。", {"promise"}),
    ("这次的事情处理完,以后您再来办业务,绝对不会再让您排这么长的队了。", {"promise"}),
    ("这个您完全不用操心,最迟后天您的卡就恢复正常了,到时候想怎么用就怎么用。", {"promise"}),
    ("被盗刷的钱,银行这边会先行垫付给您,不会让您受一分钱损失。", {"promise"}),
    # fault_admission: our side and a fault word said as fact
    ("这事说到底是我们行的疏忽,该提醒您的没提醒到,这个我们认。", {"fault_admission"}),
    ("好的,情况我这边都清楚了,我们物业的服务确实一塌糊涂,这个我没法替自己辩解。", {"fault_admission"}),
    ("施工方用的材料以次充好,这个我们公司是有责任的。", {"fault_admission"}),
    ("开户慢成这样,主要是我们的流程太繁琐了,好多步骤其实是多余的。", {"fault_admission"}),
    ("说句实在话,这次给您定的利率是我们这边算高了,当时没按优惠档给您报。", {"fault_admission"}),
    # blame_customer: 您 and an own-fault verb phrase, hindsight, the loss put on the customer
    ("您填单的时候把账号写错了一位,钱当然转不过去了。", {"blame_customer"}),
    ("交房通知早就寄出去了,是您自己一直拖着没来办手续。", {"blame_customer"}),
    ("这种诈骗电话,您但凡多长个心眼也不会上当,下次可得注意了。", {"blame_customer"}),
    ("验证码本来就不该告诉任何人,您给了别人,这个损失只能由您自己扛。", {"blame_customer"}),
    ("您操作太快了,还没等机器反应过来就按了取消,所以钱才没出来。", {"blame_customer"}),
    # invented_fact: states and histories nobody looked up
    ("您的积分在上个月底就已经自动清零了,系统里现在显示的是零。", {"invented_fact"}),
    ("您的额度是因为最近半年用卡太少,系统自动下调的,这是正常的。", {"invented_fact"}),
    ("这个问题集团总部已经知道了,领导们正在开会研究解决方案。", {"invented_fact"}),
    ("您上个月有两笔还款晚了,系统就自动把额度降下来了。", {"invented_fact"}),
    # brush_off, apologies, rhetorical questions
    ("这种情况我们也是头一回碰到,说实话真不知道该怎么弄。", {"brush_off"}),
    ("噪音这种事本来就没人能管,您忍一忍也就过去了。", {"brush_off"}),
    ("给您添麻烦了,说起来也是因为快递公司把通知寄错了地方。", {"apology_excuse"}),
    ("嗯,这个事情我大概知道了,行行行,都是我的不对,这下您满意了吧?咱们接着办。", {"apology_conditional"}),
    ("万一真是我们哪个同事疏忽了,那我先替他说声对不起。", {"apology_conditional"}),
    ("您觉得这样在大厅里闹下去有意思吗?对谁都没好处。", {"rhetorical_question"}),
]

GOOD = [
    # refused or conditional promises, staff's own acts
    "这笔钱什么时候能退回,我现在没法跟您打包票,不过我马上联系清算中心查进度,查到了第一时间打电话告诉您。",
    "维修方案出来之前,我没办法说哪天一定能修好;今天先安排师傅上门找漏点,看完再告诉您大概要多久。",
    "能不能撤回要看这笔钱现在的状态,我不敢跟您打包票。我现在就帮您查状态,需要的话马上提交撤回申请。",
    "如果核实确实是多扣了,按规定是会退还的;我先帮您把扣费明细调出来,我们一条一条对。",
    # fault words under a condition, a question, a read-back
    "是不是系统的原因,我现在还不能下结论;我先请技术同事查那天的记录,查完给您准话。",
    "如果核实下来确实是我们操作有误,我们会按规定承担相应的责任;现在我先把那天的交易流水调出来给您看。",
    "刚才我跟您说话的语气不好,是我不对;现在我陪您把这张表填完。",
    # 您 without a fault: a choice, a question, what they did not receive
    "您自己挑一个方便的时间,我让维修师傅按您定的时间上门,到之前先给您打电话。",
    "您没收到短信提醒,这个我记下来;我查一下是不是预留的手机号码登记有问题。",
    # an honest limit with staff's own next step
    "补偿能不能有、有多少,不是我一个人能定的;我会把您的诉求原原本本报给经理,明天上午给您答复。",
    "您账户的明细我在这儿还看不到,您带身份证了的话,我们到柜台调出来一起看。",
    "这件事最终要由工程部来定,我今天下午就把您的报修单送过去,再跟您约时间一起去现场看。",
    # plain apologies and a journalist declined
    "让您跑了三趟,真的很抱歉。我现在把需要的材料列一张清单给您,您照着清单准备就行。",
    "接受采访这块我没有资格回答,会有专门的同事跟您对接;我先把您的联系方式转给他们。",
]


@pytest.mark.parametrize(("text", "expected"), BAD)
def test_a_new_wording_raises_exactly_its_rules(text, expected):
    assert _rules(text) == expected


@pytest.mark.parametrize("text", GOOD)
def test_a_near_miss_passes_clean(text):
    assert _rules(text) == set(), [(f.rule, f.span) for f in check(text).findings if f.blocking]


def test_spans_point_at_the_move():
    promises = [f.span for f in check("这个事包在我身上,下周一之前钱一准回到您卡里。").findings if f.rule == "promise"]
    assert "包在我身上" in promises and any("一准回到您卡" in s for s in promises)
    spans = {f.rule: f.span for f in check("您填单的时候把账号写错了一位,钱当然转不过去了。").findings}
    assert spans["blame_customer"].endswith("写错")


def test_customer_words_decide_read_backs_and_copies():
    # a neutral "你们网点" read back as "我们网点" is a fact, not the customer's accusation
    assert "customer_voice" not in _rules("您上个月在我们网点开的卡,我来帮您查一下为什么被锁。",
                                          "我上个月在你们网点开的卡,今天被锁了")
    assert "customer_voice" in _rules("我们就是在拖,这个我也没办法。", "你们就是在拖!")
    # a number the customer gave, read back, is still personal data
    assert "echoed_pii" in _rules("好的,手机号13812345678,我这边马上帮您把营销短信全部退订掉。",
                                  "我手机号13812345678,天天收到广告")
    assert "promise" not in _rules("好的,我这边马上帮您把营销短信全部退订掉,以后不会再收到了。")


@pytest.mark.parametrize("unit", ["您", "我们", "一定会", "保您", "已经", "行行行", "最迟", "您上个月", "得不太", "就您"])
def test_the_fifth_pass_stays_linear_on_20k_characters(unit):
    assert_linear(unit, 5000, 20000, 6.0)  # about 1-2 s on a loaded 2-core box
