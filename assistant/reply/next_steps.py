"""Procedural next steps from flags and situation, each citing the clause it comes from."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.reply.analysis import Analysis
from assistant.reply.rules import SELF_HARM


@dataclass(frozen=True)
class Step:
    text: str
    card_id: str  # the clause card this step rests on
    cite: str

    def render(self) -> str:
        return f"{self.text}〔依据:{self.cite}〕"


_PLAN = "应急预案"
BANK_STEPS: dict[str, list[Step]] = {
    "media_exposure": [
        Step("客户扬言投诉到媒体/网络:不论哪个层面的人员,立即逐级上报投诉处理工作组;不与客户争辩", "yuan-4-3-14", f"{_PLAN}四(三)14"),
        Step("员工不得接受采访;遇记者婉言谢绝,提供分行公告的对外宣传负责人电话", "yuan-4-3-14", f"{_PLAN}四(三)14"),
    ],
    "compensation_claim": [
        Step("索赔类:认真听取理由并记录、安抚;网点不得随意承诺,赔付须会同业务条线部门共同协商", "yuan-4-3-10", f"{_PLAN}四(三)10"),
    ],
    "group_complaint": [
        Step("同类问题三人以上:特别关注,分行投诉受理工作小组立即上报省行工作组", "yuan-4-3-9", f"{_PLAN}四(三)9"),
        Step("请客户推选代表(不超过5名)到接待室面谈", "fagui-2020-12", "银保监会令2020年第3号第十二条"),
    ],
    "repeat_complaint": [
        Step("已处理后再次投诉:特别关注并立即上报,查清上次处理为何没有解决", "yuan-4-3-9", f"{_PLAN}四(三)9"),
        Step("多次投诉会纳入投诉统计并被问责:由首问责任人跟踪到办结", "yuan-4-2", f"{_PLAN}四(二)"),
    ],
    "regulator_escalation": [
        Step("客户提到监管/总行/外部渠道(越级投诉):立即上报分行投诉受理小组,争取在网点化解", "yuan-4-3-9", f"{_PLAN}四(三)9"),
        Step("正式投诉须在收到之日起15日内作出处理决定并告知客户(复杂的可延至30日)", "fagui-2020-18", "银保监会令2020年第3号第十八条"),
    ],
    "safety_risk": [
        Step("态度温和、不卑不亢;引导客户离开人群聚集区域,在视频监控覆盖下处理,至少两名员工在场", "yuan-4-3-11", f"{_PLAN}四(三)11"),
        Step("有冲击网点或聚众闹事苗头:立即联系保卫部门或当地派出所", "yuan-4-3-11", f"{_PLAN}四(三)11"),
    ],
    "confidentiality": [
        Step("客户要求保密的内容不得透露,投诉材料不得交到被投诉人手中", "xize-9-1-4", "投诉和建议处理细则第九条(一)4"),
    ],
    "vulnerable_customer": [
        Step("特殊客户优先照顾:请到座位或贵宾室,耐心说明,能就近办理的优先办理", "liucheng-geli", "课程:隔离客户/真诚接待"),
    ],
}
BANK_ALWAYS = [
    Step("首问负责:记录受理时间、单位、客户姓名、联系电话、事由、要求,转交后跟踪到办结", "yuan-3-1", f"{_PLAN}三、1"),
    Step("时限:1小时内经办人员到场,4小时内把处理情况回复客户,8小时内将处理结果报本级行投诉处理工作组", "yuan-5", f"{_PLAN}五"),
]
LOSS_STEP = Step("停业期间只办理应急口头挂失:告知客户务必在5日内到网点办理正式挂失,否则临时挂失5日后自动失效", "yuan-4-3-3", f"{_PLAN}四(三)3")
CASH_STEP = Step("紧急用款先解释劝退;确需援助的按《应急支付流程》办理,普通客户上限5,000元、贵宾客户上限10,000元", "yuan-4-3-4", f"{_PLAN}四(三)4")

RE_STEPS: dict[str, list[Step]] = {
    "media_exposure": [
        Step("业主扬言找媒体:立即上报公司,由指定发言人统一对外;一线员工不接受采访", "fc-meiti-shuoci", "交房课程 模块一 三、2"),
    ],
    "compensation_claim": [
        Step("赔偿/补偿诉求:逐条记录并对照购房合同条款,不当场承诺金额,报公司按合同和授权答复", "fc-xuqiu", "交房课程 模块一 一、3"),
    ],
    "group_complaint": [
        Step("群诉:请业主推选代表到会议室接待,诉求清单化并书面答复;启动群诉应急预案", "fc-qunsu-daibiao", "交房课程 模块一 二、5"),
    ],
    "repeat_complaint": [
        Step("同一问题反复报修/投诉:升级给工程负责人,查明根源并回访", "fc-baoxiu", "交房课程 模块二 五、2"),
    ],
    "regulator_escalation": [
        Step("业主提到住建/房管/法院等外部渠道:立即上报公司,准备合同与交付资料,必要时请律师介入", "fc-meiti-jieli", "交房课程 模块一 三、3"),
    ],
    "safety_risk": [
        Step("有冲突苗头:请到会议室并保持在监控下,至少两名员工在场,必要时联系安保或报警", "fc-yingji-yuan", "交房课程 模块一 二、5"),
    ],
    "confidentiality": [
        Step("业主要求保密的信息不得外传,不在业主群或公开场合提及", "fagui-xiaobao-14-29", "消费者权益保护法第十四条、第二十九条"),
    ],
    "vulnerable_customer": [
        Step("老人或行动不便的业主:安排座位、专人陪同验房或上门处理", "fc-geren-liucheng", "交房课程 模块一 二、4"),
    ],
}
# the course and the plan say nothing of it; the step is common practice, marked so as the cards mark theirs
SELF_HARM_STEP = {
    "bank": Step("客户流露轻生念头:安排一名员工始终陪在身边,不让其独处;立即报告网点负责人,联系其家属;有现实危险的马上拨打110或120",
                 "", "通用做法,以本行制度为准"),
    "real_estate": Step("业主流露轻生念头:安排一名员工始终陪在身边,不让其独处;立即报告项目负责人,联系其家属;有现实危险的马上拨打110或120",
                        "", "通用做法,以本公司制度为准"),
}
RE_ALWAYS = [
    Step("登记房号、问题、诉求与联系方式,约定现场核实时间,跟进整改并回访", "fc-geren-liucheng", "交房课程 模块一 二、4"),
]


def next_steps(analysis: Analysis, text: str = "") -> list[Step]:
    table, always = (RE_STEPS, RE_ALWAYS) if analysis.domain == "real_estate" else (BANK_STEPS, BANK_ALWAYS)
    steps: list[Step] = []
    if SELF_HARM.search(text):
        steps.append(SELF_HARM_STEP["real_estate" if analysis.domain == "real_estate" else "bank"])
    for flag in analysis.flags:
        steps.extend(table.get(flag, []))
    if analysis.domain == "bank":
        if "挂失" in text:
            steps.append(LOSS_STEP)
        if "用款" in text or ("急" in text and "取" in text and ("停业" in text or "系统" in text)):
            steps.append(CASH_STEP)
        if analysis.emotion >= 2 and "safety_risk" not in analysis.flags:
            steps.append(Step("客户情绪激动:请到贵宾室或安静处劝导,协助尽快办理业务", "yuan-4-3-8", f"{_PLAN}四(三)8"))
    steps.extend(always)
    return list(dict.fromkeys(steps))
