"""Checker, twelfth pass (session 36): what the bundled model says that staff never would — the customer's
feelings in staff's mouth, steps claimed as done with nothing said of what or when, outcomes made sure of, fault
owned, the customer sent back, a list announced and never given. These rules read model drafts only
(`check(..., model=True)`, as the rewriter does); staff's own drafts are read without them. The look-alikes
are from a review of the first version, which blocked 43 of 78 replies staff would really type. Replies here
are written for the tests; none is from eval/replies."""

import pytest

from assistant.llm.rewriter import LLMDrafter
from assistant.reply.checker import check

MODEL_RULES = {"customer_voice", "invented_fact", "promise", "fault_admission", "brush_off", "form"}


def _rules(text: str, model: bool = True) -> set[str]:
    return {f.rule for f in check(text, judge=False, model=model).findings if f.blocking}


CAUGHT = [
    ("您好,排队这么久确实让我很不耐烦,我会尽快安排窗口,请您稍等,叫到号我马上帮您办理。", "customer_voice"),
    ("您好,我们对楼下烧烤店的油烟问题感到非常不满,会立即联系物业上门检查,今天给您回话。", "customer_voice"),
    ("您好,我确实对您提供的信息感到非常气愤,请您把身份证给我,我核对一下再说。", "customer_voice"),
    ("楼上装修的噪音严重影响了我们的休息,我会通知物业上门查看,今天给您回话。", "customer_voice"),
    ("您好,我们已经采取了相应的措施,账户的问题正在处理,有进展我会第一时间电话告诉您结果。", "invented_fact"),
    ("感谢您的耐心等待,我们已经为您安排了一个专门的时间来处理,有进展第一时间通知您。", "invented_fact"),
    ("您反映的问题我记下了,我们会跟进处理,确保一切顺利,今天下班前我给您回个电话说明进展。", "promise"),
    ("您放心,我会立即为您办理退款,手续办完给您打电话,有什么问题随时联系我这边就可以。", "promise"),
    ("您好,确实存在我们扣费出错的情况,我们会尽快核实具体金额,核实完我马上给您回电话说明。", "fault_admission"),
    ("这次是因为我们的工作疏忽,我先帮您登记下来,再报给负责人处理,今天内给您答复。", "fault_admission"),
    ("您好,款项的情况目前还不清楚,请您稍后联系我们进行确认,感谢您的理解和支持。", "brush_off"),
    ("您好,房屋质量的争议比较复杂,请您联系相关专业机构进行咨询,谢谢您的理解。", "brush_off"),
    ("您好,关于您说的退房问题,我们理解您的心情。为了把事情处理好,我们将采取以下措施:", "form"),
    ("《客户原话》结束。您好,您说的情况我都记下了,我马上去查,今天给您回电话。", "form"),
]


@pytest.mark.parametrize(("text", "rule"), CAUGHT)
def test_model_shapes_are_caught_in_model_drafts(text, rule):
    assert rule in _rules(text), text


def test_the_rewriter_reads_model_drafts_with_these_rules():
    text, rule = CAUGHT[1]
    assert rule in {f.rule for f in LLMDrafter.judge(text, "", "").findings if f.blocking}


@pytest.mark.parametrize("text", [
    # done steps staff typed after doing them, and a feeling named as the customer's
    "我已经为您办理了挂失,卡现在已经冻结,补卡需要带身份证来柜台,我把回单给您。",
    "刚才我已经向工程部了解了情况,漏水是楼上卫生间防水的问题,明天上午师傅上门处理。",
    "我看您对这个收费感到困惑,我把收费标准和依据打印出来,一项一项跟您说明。",
    "这笔存款我这边查到确实不满三个月,提前支取只能按活期计息,两种算法我都写给您。",
])
def test_staff_drafts_are_not_read_with_the_model_rules(text):
    assert not (_rules(text, model=False) & {"customer_voice", "invented_fact"}), text


def test_a_model_shape_in_a_draft_staff_typed_is_left_to_staff():
    text = CAUGHT[4][0]  # "我们已经采取了相应的措施": staff may have taken them
    assert "invented_fact" in _rules(text) and "invented_fact" not in _rules(text, model=False)


def _model_only(text: str) -> set[str]:
    return _rules(text) - _rules(text, model=False)


@pytest.mark.parametrize("text", [
    # a feeling understood, watched for, denied or someone else's, not had
    "我能理解您很生气,换了谁等这么久都会着急,我这就去问问能不能加开窗口,几分钟后回来告诉您。",
    "我们让您感到不满了,真对不起,我这就把这笔扣费的明细调出来跟您一项项核对。",
    "我注意到您对新的物业费标准感到不满,标准和依据我打印出来,您看哪一项有疑问我再解释。",
    "您尽管问,问多少遍都不会让我们不耐烦的,咱们把每一项材料都弄清楚,省得您再跑一趟。",
    "关于新的停车收费,我们注意到大家都很困惑,所以明天在大堂贴一份详细说明,欢迎您来当面问。",
    "我这边查到这笔存款确实不满三个月,提前支取只能按活期计息,您看要不要再等等。",
    # a step named with what and when
    "您家楼下漏水的地方,我们已经采取了临时措施,先放了接水桶,维修师傅下午两点到。",
    # a purpose, a limit or a refusal, not a guarantee; a refund's procedure, not the refund
    "请您再核对一遍收款账号,以确保款项顺利到账,写错了会被退回。",
    "现在谁也确保不了今天到账,我把查询进度的办法写给您,到账前我也会帮您盯着。",
    "我马上为您办理退款申请,审核一般三到五个工作日,结果出来短信通知您。",
    # a fault denied, or an error not ours
    "不是我们的操作失误,差的那一百是跨行手续费,我把收费标准给您看一下。",
    "我们确实发现问题出在楼上卫生间的防水层,我这就联系楼上业主和工程部一起上门。",
    # a wait with a reason and an alternative
    "跨行汇款一般两小时内到,请您稍后再致电查询,或者在手机银行里看也可以,我这边也帮您留意。",
    # a list that is given
    "补卡需要以下材料:本人身份证和挂失回单,您带齐了来柜台,十分钟左右就能办好。",
])
def test_model_look_alikes_pass_in_model_drafts(text):
    assert not _model_only(text), text


# Thirteenth pass (session 39): steps the template only offers, claimed as done; the account's state or what
# "we know" stated; the customer's family in the speaker's mouth; the customer's first person copied.
CAUGHT_13 = [
    ("您好,我这边已经帮您提交了更正申请,征信那边很快就会改过来,请您放心。", "invented_fact"),
    ("我们已向柜员核实了情况,当时确实给您讲过条款,有进展再告诉您。", "invented_fact"),
    ("您好,您的款项目前还没有到达,我们会继续跟进,有消息马上通知您。", "invented_fact"),
    ("据我了解,这批房子的层高都是按图纸做的,您先别着急,我们一起看看。", "invented_fact"),
    ("我们已经对这笔扣费进行了详细的核查,有结果会第一时间告诉您。", "invented_fact"),
    ("我们正在与开发商那边沟通车位的事,您再等等,有消息第一时间通知您。", "invented_fact"),
    ("您好,昨天我女儿转的学费到现在还没到,我会马上帮您查这笔钱。", "customer_voice"),
    ("您好,确实存在一些问题,我先登记下来,报给负责人后今天给您回话。", "fault_admission"),
    ("您反映的漏水我记下了,我们会确保问题得到及时解决,今天下班前给您回电话。", "promise"),
    ("我们已经为您调出了当时的合同,并详细解释了每一项收费,有疑问随时找我。", "invented_fact"),
    ("您好,我的银行卡昨天在自助机上被吞了,我马上帮您登记,今天给您回话。", "customer_voice"),
    ("裂缝的位置我登记好了,师傅上门检查后预计在一周内修好,到时候再跟您确认。", "promise"),
    ("明白,下面按照你的要求改写这段话。", "form"),
    ("确实,本行的窗口安排存在一些问题,这件事我记下了,下班前回您电话。", "fault_admission"),
    ("关于年费,我们会按以下几个步骤给您处理:", "form"),
]


@pytest.mark.parametrize(("text", "rule"), CAUGHT_13)
def test_thirteenth_pass_shapes_are_caught_in_model_drafts(text, rule):
    assert rule in _rules(text), text


@pytest.mark.parametrize("text", [
    # what staff are doing now, said as now or next; what was recorded as the customer spoke
    "我们已经记录下您的情况,马上报给负责人,4小时内给您回复。",
    "您提出的补偿要求我已经记下来了,需要核实后才能答复您。",
    "我现在就帮您提交更正申请,提交完把回执给您,您看这样行吗?",
    # the account asked about, not stated
    "您的钱还没到账的话,我这就调出这笔转账看看卡在哪一步。",
    "如果核实后我们进行了错误扣费,一定按规定给您处理,我先把明细调出来。",
    # someone else's family, and the customer's, named as theirs
    "您女儿转的学费我这就帮您查,查到在哪一步马上告诉您。",
    # an error named as someone else's, or a purpose
    "确实存在系统升级停业的安排,恢复时间按行里的公告,附近网点照常营业。",
    "我们的系统不存在问题的话,就是对方银行还没入账,我帮您打回单去问。",
    # a purpose of the customer's own step; a refund's usual time named as the procedure's, not dated
    "请您再核对一遍收款账号,以确保款项顺利到账,写错了会被退回。",
    "退款申请提交后,按规定一般三到五个工作日到账,我把查询办法写给您。",
    # the customer's request, addressed as 您
    "装修方案我们会按照您的要求修改,改好了请您过目再签字。",
])
def test_thirteenth_pass_look_alikes_pass_in_model_drafts(text):
    assert not _model_only(text), text


def test_the_customers_first_person_copied_is_their_voice():
    customer = "我在商场那台机器上转账,收款人名字我没核对,钱转到陌生人那里了,怎么追回来?"
    reply = "您好,我在商场那台机器上转账,收款人名字我没核对。我马上调出凭条和流水,4小时内给您回复。"
    found = {f.rule for f in check(reply, customer, judge=False).findings if f.blocking}
    assert {"parrot", "customer_voice"} <= found
    # the customer's words copied with no first person of theirs are a copy, not their voice
    customer = "门口那个存款机上显示的名字看不清楚,存到别人卡上去了怎么办"
    reply = "您好,门口那个存款机上显示的名字看不清楚,我马上调出凭条和流水,4小时内给您回复。"
    found = {f.rule for f in check(reply, customer, judge=False).findings if f.blocking}
    assert "parrot" in found and "customer_voice" not in found
    # the customer's own "我…" retold in a model draft, too short to be a copy
    said = "我养了两百头猪,办个养殖贷跑了四回,材料就不能一次说全吗?"
    retold = "您好,我养了两百头猪申请贷款,材料我一次写全给您,今天就办。"
    assert "customer_voice" in {f.rule for f in check(retold, said, judge=False, model=True).findings if f.blocking}
    # staff's own "我先…", "我马上…" are theirs, whatever the customer said
    said = "我马上要去医院,我先走了,钱到了给我打电话"
    own = "您先去医院,我马上帮您查,钱到了我先给您打电话。"
    assert "customer_voice" not in {f.rule for f in check(own, said, judge=False, model=True).findings}
    # a model never quotes: its long copy of the complaint is the customer speaking
    found = {f.rule for f in check(reply, customer, judge=False, model=True).findings if f.blocking}
    assert {"parrot", "customer_voice"} <= found
