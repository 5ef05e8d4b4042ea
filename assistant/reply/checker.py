"""The reply checker (v2): course rules applied to any draft, template, LLM or typed by staff.

Precision matters as much as recall: a good reply must pass clean, so each pattern is narrow,
names the span it found, a bilingual message and a better wording. Two rules compare the draft
with the customer's words (invented figures, verbatim copies); figures that appear in the
knowledge cards are allowed everywhere. Rule codes and severities are listed in RULES_INFO.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from assistant.settings import PROJECT_ROOT
from assistant.text.redact import find_pii

BLOCKING, WARNING = "blocking", "warning"


@dataclass(frozen=True)
class RuleInfo:
    code: str
    title: str
    message: str  # 中文 / English
    advice: str
    severity: str = BLOCKING


_INFO = [
    RuleInfo("apology_excuse", "边道歉边辩解", "道歉后紧跟辩解 / apology followed by an excuse",
             "先道歉并停住,用句号结束;等客户情绪缓和后再说明原因。"),
    RuleInfo("apology_conditional", "有条件/敷衍的道歉", "有条件或敷衍的道歉 / conditional or token apology",
             "直接为客户的经历道歉:“让您多跑了一趟,真的很抱歉。”不加“如果您觉得”。"),
    RuleInfo("fault_admission", "事实不清时认错", "未核实就认错或归咎本单位 / admits fault before the facts are checked",
             "为客户的经历和不便道歉,不为过错认责:“给您添麻烦了,我们查清楚后给您答复;如果核实是我们的原因,会按流程处理。”"),
    RuleInfo("blame_customer", "指责客户", "把责任推给客户 / blames the customer",
             "不评价客户的过失;说“我们一起看看哪一步出了问题”,把焦点放在解决上。"),
    RuleInfo("promise", "越权承诺", "承诺了流程没有给的金额、结果或时间 / promises money, an outcome or a time the procedures don't give",
             "赔付和结果须经业务条线核实和授权:“您的诉求我已记录,会同业务部门核实后给您答复。”"),
    RuleInfo("invented_fact", "编造事实", "数字、期限或账户情况既不在知识卡片里也不在客户原话里 / a figure or account detail found neither in the cards nor in the customer's words",
             "不说没有依据的金额、期限、时间或账户情况;说“我现在帮您查一下,查到后告诉您”。"),
    RuleInfo("customer_voice", "站到客户一边说话", "用客户的口吻说话(“你们”、第一人称指责) / speaks in the customer's voice",
             "员工说“我们”“我行”,不说“你们”;复述客户的意思用“您是说……”,不照搬指责。"),
    RuleInfo("loop", "重复", "同一句话重复 / a repeated sentence", "每句话只说一次;删去重复的句子。"),
    RuleInfo("parrot", "照抄客户原话", "大段照抄客户原话 / long verbatim copy of the customer's words",
             "用一两个关键词概括客户的诉求:“您是说这笔转账还没到,对吗?”"),
    RuleInfo("brush_off", "推诿/搪塞", "推诿或以等待打发客户 / brush-off",
             "说“我能为您做的是……”,给出具体的下一步和回复时间;不是自己岗位的事,带客户找到负责人。"),
    RuleInfo("calm_down", "叫客户冷静", "叫客户冷静/别激动 / tells the customer to calm down",
             "不说“您冷静点”,这句话往往火上浇油;先认同感受:“这事换谁都着急,您慢慢说,我听着。”"),
    RuleInfo("rhetorical_question", "反问/质问", "反问或质问客户 / argumentative rhetorical question",
             "把反问改成陈述或提供选项:“我再跟您说明一下……您看这样可以吗?”"),
    RuleInfo("media_statement", "代表单位对媒体表态", "对媒体表态或激将客户曝光 / speaks to the media or dares the customer",
             "员工不对媒体表态;婉言谢绝并提供单位公布的对外联系人,同时立即上报。对扬言曝光的客户不激将。"),
    RuleInfo("echoed_pii", "回复中出现个人敏感信息", "回复里出现证件号、卡号、手机号或其他客户的信息 / personal data in the reply",
             "回复里不要出现证件号、卡号、手机号、邮箱,用“尾号××××”或不提;不提及其他客户的任何信息。"),
    RuleInfo("form", "格式", "不是可直接说出口的中文 / not speakable Chinese (length, Markdown, English, placeholder)",
             "写30到320字的口语中文,不用Markdown、英文或占位符。"),
]
RULES_INFO: dict[str, RuleInfo] = {r.code: r for r in _INFO}
BLOCKING_RULES = tuple(r.code for r in _INFO if r.severity == BLOCKING)
# form findings on length alone are warnings (staff may type a short line); the rest of form blocks
MIN_CHARS, MAX_CHARS = 30, 320
# the old rule ids, for readers of stored audit records
RENAMED = {"apology_premature_fault": "fault_admission", "unauthorised_promise": "promise",
           "other_customer_data": "echoed_pii"}


@dataclass
class Finding:
    rule: str
    title: str
    span: str
    advice: str
    start: int
    end: int
    blocking: bool = True
    severity: str = BLOCKING
    message: str = ""


@dataclass
class CheckResult:
    ok: bool
    findings: list[Finding] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"ok": self.ok, "findings": [asdict(f) for f in self.findings]}

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]


def _finding(code: str, text: str, start: int, end: int, severity: str | None = None, note: str = "") -> Finding:
    info = RULES_INFO[code]
    sev = severity or info.severity
    msg = info.message + (f"({note})" if note else "")
    return Finding(code, info.title, text[start:end], info.advice, start, end, sev == BLOCKING, sev, msg)


# ---- pattern rules -------------------------------------------------------------------------
# every quantifier is bounded and stays inside one sentence: no pattern can go quadratic
_S = r"[^。!?!?;;\n]"      # inside one sentence
_C = r"[^。!?!?;;,,、\n]"  # inside one clause
_APOLOGY = r"(对不起|抱歉|不好意思|道歉|道个歉|见谅|对不住|歉意|致歉|赔个不是|赔不是)"
_WE = r"(我们|我行|本行|银行|公司|开发商|网点|柜员|同事|我)"

_PATTERNS: dict[str, str] = {
    # the course's taboo for an emotional customer (感情用事者: 忌说“您冷静点”); "咱们都冷静一下" is a pause, not an order
    "calm_down": r"(?<![们方都])(您|你)?(先|要|得|请|还是)?(冷静(一下|一点|点|下来)?|别(太)?激动|不要(太)?激动)(?!期)"
        r"(?<!都冷静)(?<!都冷静一下)",
    "apology_excuse": _APOLOGY + r"(啊|呀)?" + _S + r"{0,12}?(主要是|毕竟|实在是)(?!(太)?(抱歉|对不起|不好意思))"
        r"|" + _APOLOGY + r"(啊|呀)?" + _S + r"{0,12}?(但是|可是|不过|只是|但(?!愿))",
    "apology_conditional":
        r"(如果|要是|假如|若是|倘若)" + _S + r"{0,20}?(觉得|感觉|认为|让您|给您带来|给你带来|让你)" + _S + r"{0,24}?" + _APOLOGY
        + r"|" + _APOLOGY + r"(总)?(行了吧|好了吧|还不行吗|可以了吧|了吧)"
        + r"|(那|那就)(我)?(跟|给)(您|你)(说|道)(声|个)?(对不起|抱歉|歉)(吧|好了|得了)"
        r"|(如|若|如果|若是|要是|假如)(有|给您带来|给你带来|造成)?" + _S + r"{0,10}?(不便|不周|不妥|不到之处|打扰|误会|不满意|不愉快|不舒服)"
        + _S + r"{0,10}?(敬请|请|望|还请|多多)?(谅解|见谅|包涵|原谅)|敬请谅解"
        r"|(都|已经)?(道歉|道过歉|道了歉|说了对不起)(了)?" + _S + r"{0,6}?(还想|还要)(怎么样|怎样|干什么|咋样)"
        r"|如有(冒犯|得罪|怠慢|不周)(之处)?" + _C + r"{0,4}?(见谅|谅解|包涵|原谅)|(希望|请|还请)(您|你)(多)?(理解|体谅)一下?[。!]?$"
        r"|算我(错|不对)了?(行|好|还不行)?(吧|了吧|吗)|" + _APOLOGY + _S + r"{0,4}?(满意了吧|满意了没|该满意了)"
        r"|(您|你)(要是|如果)(觉得|认为)?" + _S + r"{0,8}?(不满意|不高兴|不舒服|不痛快)" + _S + r"{0,6}?(那|就)" + _S + r"{0,4}?" + _APOLOGY,
    "fault_admission":
        r"(确实|的确|就是|肯定是|都是|完全是|全是|确实是)?(是)?" + _WE + r"的?(错|责任|失误|过错|疏忽|不对)(了)?(?![误])"
        r"|(是|就是|都是|确实是|肯定是|属于)" + _WE + r"(这边|那边|自己)?的?(问题|原因)"
        r"|(银行|我们|我行|本行|公司)?的?系统(的|出的|出了|有)?(问题|故障|出错|bug)|系统(不稳定|不好用|太差|太烂|有缺陷)"
        r"|" + _WE + _C + r"{0,6}?(搞错|弄错|办错|做错|算错|扣错|多扣|错扣|录错|输错)(了)?"
        r"|(确实|的确|实在)(是)?(不合理|不应该|不应当|不该|做得不对|做得不好|有问题|不过关|太差|不规范|违规|失职)"
        r"|(收费|规定|政策|做法|安排|流程|制度)" + _C + r"{0,6}?不合理|不合理的(收费|规定|政策)"
        r"|(我们|我行|本行|公司)?(负|承担)全(部)?(的)?责(任)?|责任(全)?在(我们|我行|银行|公司|我)"
        r"|(确实|的确|当然|理应)?(应该|应当|理应)(由)?(我们|我行|本行|银行|公司)?(来)?(承担|负)" + _C + r"{0,4}?责任"
        r"|(您|你)说得(对|没错)" + _C + r"{0,6}?(银行|我们|公司)" + _C + r"{0,6}?(错|责任|问题|不对)"
        r"|(都)?(?<!不能)(?<!不该)(?<!别)(?<!不)怪(我们|我|银行|公司|同事|柜员)(?!自己)|我们(确实)?(有错|理亏|错了|失职|违规了)"
        r"|(我们|柜员|同事|银行|公司)" + _C + r"{0,4}?(操作失误|工作失误|违规操作|违规了)|确实(有|存在)(问题|过错|失误|漏洞)"
        r"|质量(确实|的确)?(不过关|有问题|不合格|太差)|(确实|的确|就是)(是)?(偷工减料|虚假宣传|乱收费|误导|欺骗|骗)",
    "blame_customer":
        r"(您|你)自己(没|不|弄|搞|操作|输|填|看|记|点|按|装|改|拆|签|选|要求|造成|弄坏|打坏|忘|丢|同意|大意|粗心|借|告诉|透露|泄露|交给)" + _C + r"{0,6}"
        r"|(是|都是|怪)(您|你|业主|客户)(自己)?的?(问题|原因|责任|错|过错|失误)|这是(您|你)的(问题|责任)"
        r"|(您|你)(当时)?(怎么)?(就)?(不|没)(看清|注意|仔细|早说|早点来|听清|看合同|看说明)"
        r"|谁让(您|你)|(不能|不该|别)怪(我们|银行|柜员|别人|公司)|怪不得(我们|别人)"
        r"|(业主|客户|您|你)(自己)?(要求太高|太挑剔|想多了|太敏感|操作(不当|失误|错误)|记错了|输错了|填错了|按错了)"
        r"|得(您|你)自己(找人|去|想办法|负责|承担|出钱|花钱)"
        r"|(您|你)(当时)?(应该|应当|本该|就该|早该)(先)?(看清|仔细|注意|问清|核对|早点|早来|看一下)"
        r"|(您|你)(要是|如果)(早|当时)" + _S + r"{0,8}?(就不会|就没事|也不至于|就好了)|(您|你)(也|自己)(也)?有(一定的)?责任"
        r"|怪(您|你)自己|(您|你)(这)?属于(操作不当|操作失误|违规|个人原因)|(您|你)(本来)?就不该",
    "promise":
        r"(赔|补偿|赔偿|返还|退还|退|补)(给)?(您|你)?\s*[0-9一二三四五六七八九十百千万两]+\s*(块|元|万|千|百)"
        r"|(?<![不没无])(保证|包|包您|担保)" + _C + r"{0,12}?(到账|到" + _C + r"{0,4}?账|退|赔|补偿|解决|修好|办好|办成|换|没问题|满意|给您|追回|拿回|安全)"
        r"|(一定|肯定|绝对)(会)?(给您|帮您|为您|给你)?(全部|全额)?(退|赔|补偿|到账|追回|拿回|换新|换成|免费|消掉|撤销|修好|解决好)"
        r"|(全额|双倍|加倍|如数|全部)(赔|退|补|返还)|(负责|包)(给您|帮您)?(消|撤|删|赔|退|修)"
        r"|(会|就|马上)(把)?(钱|这笔钱|手续费|费用|款|差价|损失)?(全部)?(退|赔|补|返)(给|还给|到)(您|你)"
        r"|(赔偿|补偿|承担)(您|你)?(的)?(全部|所有)?损失|损失(由|我们|都)" + _C + r"{0,4}?(承担|负责|赔)"
        r"|(今天|明天|今晚|马上|下午|稍后|一会儿|很快|待会)(之内|以内)?(就)?(能|会|可以|一定|肯定|保证)(到账|退回|退给|到您|修好|办好|拿到|拿回|追回)"
        r"|((?<![0-9])[0-9]+|(?<![一二三四五六七八九十两半])[一二三四五六七八九十两半]+)(个)?(小时|天|分钟|工作日)(之内|以内|内)(就)?(能|会|可以|一定|肯定|保证)?(到账|退回|退到|修好|解决好|拿到|拿回|追回)"
        r"|(一定|肯定|绝对|保证)(能|会|可以)(到账|退|赔|追回|拿回|要回|修好|换)"
        r"|(我|我们)(做主)?(给|帮)(您|你)(把)?" + _C + r"{0,6}?(免了|免掉|减免|免单|退了)"
        r"|不会(让您|让你)?吃(一点|半点)?亏|百分之百|包您满意|我(可以)?(做主|拍板)(给|赔|补|退)"
        r"|(今天|明天|马上|立刻|下班前|((?<!\d)\d+|(?<![一二三四五六七八九十两])[一二三四五六七八九十两]+)(个)?(小时|天|分钟|个工作日|工作日)内?)" + _C + r"{0,4}?(一定|保证|肯定)" + _C + r"{0,4}?(到账|退回|退给|修好|解决|赔)",
    "customer_voice":
        r"你们"
        r"|(我们|我行|银行|开发商|公司)" + _C + r"{0,6}?(骗人|坑人|骗钱|坑钱|忽悠人|就知道收钱|不管老百姓|黑心|耍人|欺负人|不讲理)"
        r"|我们(这是|就是|简直是|分明是)(在)?(骗|坑|忽悠|耍|欺负|糊弄)"
        r"|(我也觉得|确实|真是)" + _C + r"{0,6}?(太黑|坑人|太过分|欺负人|不像话|太坑)|这(家)?(破)?(银行|开发商)(就是|真是|太)|破银行|黑心(开发商|银行|公司)",
    "brush_off":
        r"(这是|这个是|这都是)?(规定|制度|上面的规定)(,|,)?(就是这样|就这样|没办法|没有办法)|(我|我们)也没(有)?(什么)?(办法|辙)|没办法(的事)?[。!!]"
        r"|不归我(们)?" + _C + r"{0,6}?管|不是我(们)?" + _C + r"{0,4}?(负责|管)的|(你|您)(还是)?(得|只能|要)?(自己)?去?(找|问)(别人|别的部门|其他部门|上面|总行|客服|物业|开发商|施工方|厂家|对方银行)(吧|去|问问|那边|处理)?(?=[。!!,,]|$)"
        r"|跟我(们)?没(有)?关系|我(只是)?(一)?个(小)?(柜员|员工|打工的)|爱(找|投诉)(谁|哪)"
        r"|(^|[。!?!?,,])(我|我们)?(也)?不知道(?=[。!?!?,,]|$)|(我们|我)也说不准|(来|找我|说)(了)?也没用"
        r"|(您|你)(先|就)?回(去|家)等(着|消息|通知)|等(通知|消息)吧|我(也)?管不了|(我们|这儿|这里)办不了" + _S + r"{0,8}?(去|找)"
        r"|(您|你)(还是|就|自己)?(打|拨)" + _S + r"{0,6}?(客服|热线|95\d+)" + _S + r"{0,4}?(问|吧)|(您|你)(自己)?(上网|网上)查"
        r"|我(要)?下班了|系统就这样|(上面|领导|总行)(定的|规定的)" + _S + r"{0,4}?(没办法|我也)|没法(办|弄)了?[。!!]"
        r"|(请|麻烦)?(您|你)?(就|再)?(?<![的谢])耐心(等待|等着|等等|等一等|等一下)(吧|啊)?[。!!]?$",
    "rhetorical_question":
        r"难道" + _S + r"{0,15}[??吗]|(您|你)(不|没)(知道|看到|听到|明白|懂)" + _S + r"{0,8}吗|怎么可能|至于吗|有必要" + _S + r"{0,8}吗"
        r"|凭什么" + _S + r"{0,10}[??]|(你|您)(到底)?(懂不懂|听不懂|讲不讲理)|不是(已经)?(跟|和|给)(您|你)(说|讲)" + _S + r"{0,6}?了?吗"
        r"|这有什么好|不就(行|好|完|得|可以)了(吗|嘛)|(到底|还)想怎么样|您说(呢|是不是)[??]|有什么(好)?(奇怪|生气|着急|吵|闹|急)的"
        r"|不是(都)?(写着|贴着|说了|告诉(您|你)了|有)" + _S + r"{0,8}?吗|(您|你)就?不能" + _S + r"{0,10}?[吗??]"
        r"|(您|你)(怎么|为什么)(不|没)(早|先|看|问|说)" + _S + r"{0,8}?[呢吗??]|(您|你)?(急|吵|闹|嚷)什么"
        r"|我怎么(会)?知道|我哪(知道|晓得)|谁(跟|和)(您|你)说的[??]|(您|你)说我(能|该)怎么办|那(您|你)想怎么(样|办)[??]"
        r"|(您|你)这不是(为难|难为)我吗|哪有这(种|样)(道理|事)|能怪谁|怪谁呢|(?<![赔个])这不是" + _S + r"{0,10}?吗|(您|你)不会(自己)?" + _S + r"{0,8}?吗",
    "media_statement":
        r"(我|我们)(代表|可以代表)(银行|本行|我行|公司|单位)" + _S + r"{0,10}(回应|表态|声明|说明)|(?<!不方便)(?<!不能)(?<!无法)(?<!不)接受(您的|你的|记者的)?采访"
        r"|(跟|对|向)(记者|媒体|电视台)(说|讲|表示|解释|澄清|回应)|记者来了" + _S + r"{0,6}?(我|我们)(跟|和|对)(他们|她们|记者)(说|讲)"
        r"|(你|您)?(随便|尽管|爱)(去)?(曝光|找记者|找媒体|发|找)|(曝光|发)就(去)?(曝光|发)(吧)?|随便(你|您)(怎么)?(曝光|发|找)"
        r"|(不怕|不是被吓大)" + _C + r"{0,4}?(曝光|媒体|记者|这些|的)"
        r"|欢迎(您|你)?(去)?(曝光|找媒体|找记者)|(记者|媒体)来了(也|我们也)|行得正|(通过|在|向)媒体(上)?(澄清|说明|回应|解释)"
        r"|我们的立场是|对外(表态|声明)|(曝光|上网|发网上|找记者)(也|都)没(用|事)",
}
# Wider wordings (issue 16, second pass): families of phrasing rather than single phrases, so a
# new wording of the same move is caught. Same bounds: one sentence, bounded quantifiers.
_ACCUSE = r"(骗子|骗人|骗钱|骗老人|坑人|吸血|黑店|奸商|乱收费|霸王条款|豆腐渣|不作为|不管老百姓|收了钱就不管)"
_WIDER: dict[str, str] = {
    "apology_conditional": r"(如果|要是|假如|若是|倘若)" + _S + r"{0,20}?(让您|使您|令您|给您)" + _C + r"{0,6}?(不满意|不高兴|不舒服|不愉快|不便)"
        + _S + r"{0,8}?(深表歉意|表示歉意|表示抱歉|致歉|道歉)",
    # an apology, a full stop, then the excuse: the apology is still taken back
    "apology_excuse": _APOLOGY + _S + r"{0,20}?[。!!]\s?(但是|可是|不过|只是)(?!(您|你)?(放心|别担心|别着急))"
        r"|" + _APOLOGY + r"(啊|呀)?" + _S + r"{0,6}?(由于|因为)(?!(您|你|让您|给您))"
        r"|" + _APOLOGY + r"(啊|呀)?[,,]?(这|那)?(也|又)?(不是我|没办法|是规定|是上面|怪不了)",
    "fault_admission":
        r"(扣费|收费|扣款|这笔|操作|计算|利息|账)(确实|的确)?(是)?(错的|扣错了|搞错了|算错了|弄错了)|本来(就)?不(应该|该|应当)(扣|收|这样)"
        r"|(我们|我行|银行|公司|开发商)在" + _C + r"{0,8}?(有|存在)(很大的|很多|一些|一定的)?(问题|漏洞|失误|不足|过错)"
        r"|(流程|制度|管理|内部|系统|机制)" + _C + r"{0,4}?(有漏洞|有缺陷|不完善|不规范|存在漏洞)"
        r"|(我们|我行|柜员|同事|银行|公司|开发商|网点|经理)" + _C + r"{0,10}?(出错了|出了错|出了差错|录错|算错|少算|多算|算少了|算多了)"
        r"|(肯定|一定|就|明显|显然)是(施工方|施工单位|施工队|物业|总包|工程|设计|柜员|同事|经理)的?(问题|原因|责任|错)"
        r"|(防水|施工|工程|质量|做工)(确实|就是|明显|根本)?(没做到位|没做好|不到位|不合格|不过关)"
        r"|(确实|的确|真|实在)(是)?(没道理|没有道理|说不过去|站不住脚)|我也觉得" + _C + r"{0,6}?(不合理|不应该|不该|没道理|有问题|太过分|太离谱|不对)"
        r"|系统" + _C + r"{0,6}?(确实|的确|老是|总是|经常|一直|最近)?(不太?稳定|不好用|太差|太烂|(?<![没未])出(了)?(点|些|一点)?(小)?(问题|故障|毛病|错)|(?<![没])有(点|些|一点)?(小)?(问题|故障|毛病|bug))"
        r"|(我们|我行|柜员|同事|银行|公司|开发商|物业|网点)" + _C + r"{0,8}?(处理|做|办|安排|服务|解释|考虑|沟通)得?(不好|不对|不到位|不周|有问题|太差|欠妥)"
        r"|(我们|我们的|工作上的|工作|我的|柜员的|同事的)(工作)?(疏忽|失误|过失|失职)|(问题|情况|漏洞|毛病|隐患)(确实|的确)(存在|是有的)"
        r"|(收费|标准|价格|费用|手续费|利率|年费|规定|门槛)" + _C + r"{0,6}?(确实|的确|实在)(是)?(定得|收得|设得|订得)?(太高|太贵|太多|过高|偏高|太苛刻|太死板|太麻烦)"
        r"|(由于|因为|是)(我行|我们|银行|本行|公司|网点)?(的)?系统(的)?(原因|故障|出错|毛病)"
        r"|(确实|的确|真的)(需要|有待|得)(改进|整改|提高)|(服务|工作|解释|提醒|告知)(确实)?(没有|没)?(做到位|不到位)"
        r"|(我们|我行|柜员|同事|开发商|公司|施工方)(这边)?(当时)?(确实)?(没有|没)(做好|做到位|讲清楚|说清楚|提醒您|告知您|通知您|尽到)"
        r"|(施工|工程|装修|房屋|房子|防水|服务)(的)?质量(确实|的确)?(有问题|不过关|不合格|太差|不行)"
        r"|(这|这个|这笔|该)(收费|规定|政策|手续费|做法)(本身)?(就|确实|的确)?(是)?不合理"
        r"|(我们|我行|开发商|公司|施工方)(的)?(防水|施工|工程|操作|流程)" + _C + r"{0,4}?(没做好|有问题|出了问题|出错)",
    "blame_customer":
        r"(您|你)的?" + _C + r"{0,6}?(设置|设|写|填|保管|放|记)得(太简单|太随便|不对|不清楚|不规范|太乱)|被" + _C + r"{0,6}?也不奇怪"
        r"|(要|得|由|需要|只能)(您|你)自己(承担|负责|担着|兜着|出)|(是|这是|这个是)(您|你)(自己)?的?(疏忽|大意|不小心|马虎)"
        r"|(您|你)(当初|当时)?(没|不)听" + _C + r"{0,8}?(劝|提醒|建议)|(您|你)(当初|当时)?非(要|得)"
        r"|(您|你)" + _C + r"{0,8}?(没有|没)(核对|看|确认|问)清楚" + _C + r"{0,10}?(才|所以)"
        r"|(是|这是|属于)(您|你)(自己)?的?(操作|使用|保管)(问题|不当|失误|错误)|(谁叫|谁让)(您|你)"
        r"|是(您|你)(自己)?(没有|没)(仔细|认真|看清|注意|看|问)|(只能|得|要)怪(您|你)(自己)?|(也)?不能(全)?怪(我们|银行|开发商|别人)"
        r"|(您|你)(连着|连续|自己|当时)?(输错|按错|填错|记错|点错|转错|写错|签错|操作错|看错|弄错)"
        r"|(您|你)" + _C + r"{0,8}?(为什么|怎么)(不|没)(先)?(看|问|说|核对|注意|看清|确认)" + _S + r"{0,10}?[呢吗??]"
        r"|(您|你)(家)?的?(装修队|装修师傅|装修工人|施工队|工人)" + _C + r"{0,8}?(打坏|弄坏|破坏|搞坏|拆了|改了)"
        r"|(是|都是)(客户|业主|您|你)(自己)?" + _C + r"{0,4}?(操作失误|操作不当|没看清|没注意|弄错|大意)"
        r"|得怪(您|你)|怪(您|你)家",
    "promise":
        r"打(个|一个)?(包票|保票)|拍胸脯|包在我身上|这事我(做主|说了算)"
        r"|(肯定|一定|保证|绝对)(能|会)(回到|到|进|打到|转到|退到|退回)(您的?)?(卡|账)|(绝对|保证|肯定|一定)不会再(发生|出现|有)"
        r"|(一定|肯定|保证|绝对)(给您|帮您|为您)(处理好|弄好|搞好|解决|办好|修好)|(双倍|加倍|全额|如数)" + _C + r"{0,4}?(赔|退|补|返)"
        r"|一分(钱)?(都|也)?(不会)?(少|不少)(您|你|给您)?|(以|拿)我的" + _C + r"{0,4}?(担保|保证)|我(来)?担保"
        r"|(前|之前|以前|之内|以内)(就)?(一定|肯定|保证|绝对)(能|会|可以)?(到|到账|退|办好|修好|解决|弄好|处理好|赔|补)"
        r"|(一定|肯定|保证|包)(让|叫)(您|你)满意|(一定|肯定|保证)(给您|帮您|为您)(落实|办到|搞定|办妥|摆平)"
        r"|(一定|肯定|绝对|保证|百分百)(能|会|可以)?(帮您|给您|为您|替您|帮你|给你)(把)?" + _C + r"{0,4}?(追回|拿回|要回|退回|退掉|赔|到账|修好|解决好|办好|办下来|批下来|免掉)"
        r"|(钱|款|这笔钱|损失)" + _C + r"{0,4}?(肯定|一定|绝对|保证)(能|会|可以)(帮您|给您)?(追回|拿回|要回|退回|到账)"
        r"|(差价|损失|费用|手续费|违约金|利息|这笔钱|钱)(我们|我)?(会|就)?(全部|都)?(补|退|赔|返)(给|还给|到)(您|你)"
        r"|(直接|马上|回头)(让" + _C + r"{0,4}?)?(给您|帮您|给你)(退|赔|补|返)(回去|回来|了|掉|到)"
        r"|(今天|明天|后天|下周|这周|月底|周末|一早|下午|今晚|晚上)" + _C + r"{0,8}?(就|肯定|一定|保证)(能|会|可以)" + _C + r"{0,6}?(到账|退回|退到|修好|办好|拿到钱|拿回|追回|批下来|到您卡上|在卡上看到|打过去|打到您|转给您|补好|换好|弄好|做好|处理好|整改好|整改到位|解决好|下来)"
        r"|((?<![0-9])[0-9]+|(?<![一二三四五六七八九十两半])[一二三四五六七八九十两半]+)(个)?(小时|天|分钟|工作日|周|星期|月)(之内|以内|内)" + _C + r"{0,6}?(全部|一定|肯定|保证|就能|都能)(给您)?(整改|修好|解决|办好|到位|完成|处理好|补好|到账|退|赔|换)",
    "invented_fact":
        r"(保修期|质保期|封闭期|犹豫期|冷静期|挂失期)" + _C + r"{0,4}?(已经|早就|早)(过了|到期|结束|满了)"
        r"|(您|你)(的|家)?" + _C + r"{0,6}?(已经|早就)(注销|冻结|解冻|到账|退回|扣过|失效)了"
    r"|(您|你)(的|家)?(账户|卡|卡里|钱|款|资金|存款)" + _C + r"{0,6}?是?被" + _C + r"{0,6}?(冻结|扣划|扣走|划走|止付|盗刷|注销)",
    "customer_voice":
        r"(我们|我行|银行|开发商|公司)(这|这就|就|真|简直|分明)?(是|就是)?" + _C + r"{0,4}?" + _ACCUSE
        + r"|(转入|转到|打到|退到|进了|到)我的(账户|卡|卡上|银行卡|账上)|我的(钱|存款|理财|工资卡)(被|没了|不见|少了)"
        r"|(那将|我将|我会)(非常|十分|万分)?感激|希望(你们|贵行|贵公司)",
    "brush_off":
        r"(我|我们|柜台|网点|这里|这儿)" + _C + r"{0,4}?(管不了|管不着)|(您|你)(去)?找" + _C + r"{0,8}?去(吧)?(?=[,。!?]|$)"
        r"|(^|[。!?,])(我|我们)(也)?(不懂|没遇到过)(?=[,。!?]|$)|(就)?看上面(怎么|批不批|的意思)|(我们)?已经尽力了"
        r"|我(就|只|不过)?(是)?(一)?个(小)?(柜员|员工|打工的|办事的|干活的)|(跟我|冲我|对我)(发火|发脾气|嚷|喊)(也)?没(有)?用"
        r"|(政策|规定|制度)(又)?不是我(定|制定)的|这(也)?不是我(能)?(决定|定|管)(得了)?的|上面就是这么(规定|定)的|帮不上(忙|您)"
        r"|(随便|尽管)(您|你)?(去)?(投诉|告)|(您|你)(得|只能)(自己)?(去)?" + _C + r"{0,8}?(问|办|查)(吧|去吧)?(?=[。!!,,]|$)"
        r"|(您|你)(去|再)?(问问|找找|问|找)(别人|其他人|别的同事|其他同事|别处|别家)(吧|去)?"
        r"|(我|我这边|我们这边)(还有|还要)(好多|很多|一堆|这么多)?(客户|人|事|业务)(要办|等着|在等|要忙)"
        r"|规定就是规定|谁来(了)?都一样|(我|我们)(也)?(改变不了|改不了|决定不了|做不了主)(什么)?|别为难我|(您|你)别(跟我)?(闹|吵)了"
        r"|(^|[。!?,])(这个|这事|这些)?(我|我们)(真的|实在|确实|也)?(不清楚|不知道|不了解)(啊|呀|了)?(?=[。!?,]|$)"
        r"|(有结果|以后|到时候|回头|等等)(再说|再讲)(吧)?[。!]?$"
        r"|(问我|找我|跟我说|在这儿问我|在这儿闹)(也)?没(有)?用|(我们|网点|我|这里|这儿)" + _C + r"{0,6}?说了不算"
        r"|(什么时候|哪天|多久|啥时候)" + _C + r"{0,8}?(我|我们)(也)?(不清楚|不知道|说不准|说不好|没法说)"
        r"|(耐心)?等着(吧|就行|就好|就是了)|等(通知|消息|电话)就(行|好|可以)(了)?"
        r"|(?<![的谢])耐心(等待|等着|等等)(吧)?[,,。!!]?\s?(谢谢|感谢|多谢)(您|你)?(的理解|的配合|的支持)?[。!!]?$"
        r"|(您|你)(还是)?(得|只能|自己)(去)?(找|问)" + _C + r"{0,8}?(问问?|去问|吧)(?=[。!!,,]|$)",
    "rhetorical_question":
        r"(哪|哪里)有(时间|工夫|功夫|空|精力)" + _C + r"{0,12}?[??]|还(怪|嫌|说)(我们|银行|我|别人)" + _C + r"{0,10}?[??]"
        r"|(您|你)怎么(就|还|老|总)(是)?" + _C + r"{0,8}?(呢|啊)?[??]|怎么(就|还|老|总)(是)?(您|你)" + _C + r"{0,8}?[呢吗??]"
        r"|还(?P<ab>[\u4e00-\u9fff])不(?P=ab)" + _C + r"{0,8}?[了啦]?[??]"
        r"|(您|你)还要(我)?(怎么|怎样)" + _C + r"{0,4}?[??]|怎么连" + _C + r"{0,8}?(都|也)(不|没)" + _C + r"{0,6}?[呢吗??]"
        r"|至于" + _C + r"{0,10}?吗|不行吗[??]|(有|对)(我们|银行|我)有什么好处|(您|你)觉得(我们|银行|我)会" + _C + r"{0,10}?吗[??]"
        r"|(哪|哪里|怎么)(能|可能|会|有空|顾得上)" + _S + r"{0,16}?[呢吗啊??]\s?[??]|(哪|哪里|怎么)(能|可能|有空|顾得上)" + _S + r"{0,16}?呢[??]"
        r"|(?<![赔个])不是" + _S + r"{0,14}?吗[??]|(能|会)不(懂|知道|明白|清楚)吗"
        r"|(您|你)?说(是)?不是(这个|这么个)?(道理|理)|还要不要" + _C + r"{0,6}?了[??]"
        r"|(找|问)(我|我们)(开发商|银行)?(干嘛|干什么|有什么用)|干嘛[??]|(哪|哪里)(管|顾)得(了|过来)",
    "media_statement":
        r"(请|希望)(您|你|媒体|记者)?(如实|客观|公正)(地)?报道|代表(我们|我行|本行|银行|网点|公司|单位)" + _S + r"{0,6}?(说明|回应|表态|声明|澄清)"
        r"|(想|要)(找|去找|发|曝光)" + _C + r"{0,6}?就(去)?(找|发|曝光)(吧|去吧|好了)|不怕(您|你)?(曝光|找媒体|找记者|上报纸)"
        r"|(随便|尽管)(您|你)?(去)?(网上|上网|媒体|抖音|微博|朋友圈)(发|曝光|说)|问心无愧|不怕(任何人|谁)?(来)?(查|曝光)"
        r"|纯属(个别|偶然|谣言|误会)|(一直以来|向来|一贯)(都)?(是)?(规范|合规|依法)(经营|操作|办理)"
        r"|(已经)?(全部|妥善)?处理完毕" + _S + r"{0,12}?(报道|记者|媒体)|没有任何(客户|人)(受到)?(损失|影响)",
}
# Third pass (issue 16, batch 4 on dev): the moves the second pass still let through.
_IF = r"(如果|要是|假如|假使|假设|若是|若有|如有|倘若|万一|要真是|真要是)"
# what a token apology is made conditional on: a feeling or a "misunderstanding", not a checked fact
_IF_FEELING = (r"(误会|不到位|不周|不妥|不满|困扰|不便|不舒服|不愉快|委屈|冒犯|得罪|怠慢|不高兴|不痛快|态度|语气|说话"
               r"|做得不好|不好的地方|不对的地方|失礼)")
_FORGIVE = r"(包涵|海涵|担待|谅解|原谅|见谅)"
_CERT = r"((?<![不没])一定|肯定|(?<![不没无])保证|绝对|保准|一准|铁定|百分百)(?!要|得|记得)"
_DONE = (r"(退(?![休出步缩])|赔|补(?!充)|到账|追回|拿回|要回|修好|建好|盖好|装好|办好|弄好|做好|解决好|处理好|换好|补好|整改好"
         r"|批下来|办下来|到位|免掉|免了|到(您)?(的)?(卡|账)|还给(您|你)|还(您|你))")
_WHEN = (r"(今天|明天|后天|下周|下个?星期|这周|本周|月底|月初|下个?月|年底|周末|一早|下午|上午|今晚|晚上|回头|过两天|这两天"
         r"|节前|节后|交房(之)?前)")
_PARTY = (r"(物业|总行|分行|客服|开发商|施工方|施工单位|厂家|对方银行|开户行|收款行|他们银行|房管局|消协|保险公司|基金公司"
          r"|上级|上面|别人|其他人|别的部门|其他部门|相关部门|有关部门|别的网点|其他网点|别的银行|别家|别处|售后|工程部)")
_THIRD: dict[str, str] = {
    "apology_conditional":
        _IF + _S + r"{0,24}?" + _IF_FEELING + _S + r"{0,16}?(" + _APOLOGY + "|" + _FORGIVE + ")"
        r"|" + _APOLOGY + _S + r"{0,10}?((这下|这回|总)(可以|行|好|满意|够)了?(吧|嘛|吗)|(还不行|还不够|还不满意)(吗|嘛|啊|呀|么)|(可以|满意|够)了吧)"
        r"|(带来|造成)(的)?(不便|困扰|麻烦|影响)" + _S + r"{0,6}?(敬请|还望|望|还请|尽请)(您)?(多多|多)?" + _FORGIVE
        + r"|还望(您)?(多)?(海涵|包涵|见谅)|多多(包涵|担待|海涵)"
        r"|算我" + _C + r"{0,3}?(错|不对|不好)了?(行|好|还不行|成)?(吧|了吧|吗|嘛)"
        r"|" + _APOLOGY + r"(就是了|得了|还不行|行不行)",
    "fault_admission":
        r"(我们|我行|银行|公司|开发商|网点|物业)" + _C + r"{0,10}?(做得|做的|干得|服务得?)(确实|的确|实在|是)?(还)?"
        r"(不够好|不好|不到位|不够到位|欠缺|太差|不行)",
    "customer_voice":
        r"(我|换作是我|换成我|要是我|换了我|换谁)((?:(?!您|你)" + _C + r"){0,8}?(也|都))?(会)?(觉得|认为)" + _C + r"{0,12}?"
        r"(?<!不)(?<!不算)(?<!不是)(太黑|坑人|太过分|过分|欺负人|不像话|太坑|离谱|不地道)",
    "blame_customer":
        r"(您|你)(当时|之前|那时|刚才)?自己(当时|之前|那时|刚才)?" + _C + r"{0,2}?(勾选|选|签|点|同意|授权|开通|申请|确认|设置)"
        r"|(您|你)自己(当时|之前|那时|刚才)(没|不)"
        r"|(现在|这会儿)(又|倒)(来)?(说|跑来|反过来)(不知道|不认|不承认|没有|不是|没签|没同意)"
        r"|(是|都是)?(因为|由于)(您|你)(自己)?(没有|没|未|不|忘了|忘记|操作|输错|填错|没及时)" + _C + r"{0,14}?(导致|造成|引起)",
    "promise":
        r"(再也不会|绝对不会|绝不会|肯定不会)(再)?(出现|发生|有)|(?<![不没无])保证" + _S + r"{0,16}?(不会|没有)(再)?(出现|发生)"
        r"|一分(钱)?(都|也)(不带|不会|不能)少|" + _CERT + r"(就|也)?(不|不会)(再)?(收|扣|要|算)(您|你)"
        r"|(至少|最少|起码|保底)(也)?(给您|帮您|能)?(免|退(?!一步)|赔|补(?!充)|返|减(?!少))|(?<![不没无])保证" + _C + r"{0,14}?" + _DONE
        + r"|(给|帮|替)(您|你)(?:(?!申请|争取|问|反映|看看|试试)" + _C + r"){0,6}?(免掉|免了|减免(?!申请)|免单|免[一两三半\d])"
        r"|" + _WHEN + r"(之前|以前|前|之内|以内|内)?" + _C + r"{0,8}?" + _CERT + r"(能|会|可以)?" + _C + r"{0,6}?" + _DONE
        + r"|" + _CERT + r"(能|会|可以)(给您|帮您|为您|替您)?(把)?" + _C + r"{0,4}?" + _DONE
        + r"|(?<![是不由])我(就)?(可以|能)?(做主|说了算|拍板)(?![的吗])"
        r"|(?<!不是)(?<!不)保本(保息)?的|保底收益|稳赚|只赚不赔|亏不了|零风险|(?<![会能])不会亏"
        r"|(收益|利息|回报)" + _C + r"{0,6}?(最少|至少|起码|保底)(也)?(有|是|能)",
    "brush_off":
        r"(系统|流程|规定|制度|规矩)(就是|本来就是|一直就是|就|一直都是|向来都是|都是)(这么|这样)(设计|规定|定|要求|弄)?(的)?(?=[,,。!!]|$)"
        r"|没(得|有)?商量|(我|我们)" + _C + r"{0,2}?(真|也|实在|确实)?没(有)?(什么)?(办法|辙)(了)?(?=[,,。!!]|$)"
        r"|谁(来)?(了)?(也|都)没(辙|办法)|(您|你)(就|也)?别(再)?(折腾|白跑|费劲|白费劲|瞎折腾)了"
        r"|(也|我|我们)不知道(怎么|咋)(弄|办|处理|搞)|(我们|我|这儿|这里|网点|柜台)" + _C + r"{0,6}?(搞不定|弄不了|解决不了|处理不了|办不了)"
        r"|(^|[。!?!?,,])没(有)?办法(啊|呀)?[,,。!!]|谁来(了)?(也|都)(没办法|没用|一样|办不了|不行)"
        r"|(跟我|问我|找我|对我|冲我)(说|讲|闹|吵|发火|发脾气)?(这些|这个|这事)?(也|都)?(真的|实在)?没(有)?(什么|啥)?用"
        r"|(上面|领导|总行|公司)(定|规定|定好|定下来)的" + _S + r"{0,8}?(下面|我们)" + _C + r"{0,6}?(只能|也只能|没办法|照着)"
        r"|不是(我|我们)" + _C + r"{0,3}?(能|可以)?(决定|定|左右|控制|说了算)(得了)?的"
        r"|不关(我|我们)" + _C + r"{0,4}?事"
        r"|(您|你)?(要|想|非要|非得)(投诉|告)(的话)?(就|那就|您就)?(去)?(投诉|告)(吧|好了|去吧)"
        r"|(没有|没别的|没事)(的话)?(那)?(我)?(就)?(先)?叫下一(位|个|号)"
        r"|(有消息|有结果|有进展|有信儿|有回音|有通知)(了)?(再说|再讲)"
        r"|不属于(我们|我|本行|我行|网点|柜台|我们网点|我们这边)?的?(处理|业务|服务|工作|管理|负责)?(范围|职责|管辖)",
}
# brush-offs that are fine when staff also give a concrete next step of their own in the reply:
# sending the customer elsewhere, sending them home to wait, "再等等吧"
_SOFT_BRUSH = re.compile(
    r"(?<![帮助陪带替和跟同])(您|你)(还是|就|直接|得|只能|自己|最好|可以|要不)?((去|到)(找|问|联系)?|(找|问|联系)(一下|问|找)?)" + _PARTY + r"(那边|那儿|那里)?"
    r"(进行)?(问|找|办|反映|投诉|查|咨询|说)?(一下|问|问问)?(就行|就好|就可以|吧|去吧)?(?=[。!!,,]|$)"
    r"|(建议|请)(您|你)?(直接)?(拨打|打|致电|联系|咨询)" + _C + r"{0,6}?(客服|热线|95\d{3,}|400)"
    r"|(您|你)(今天|就|还是)?(先)?回(去|家)(吧|休息吧)|会有人(通知|联系|告诉)(您|你)"
    r"|(您|你)?(再|就|先)等(等|几天|一阵|一段时间|一等)(吧|看|看吧)?(?=[,,。!!]|$)"
    r"|(那|这)(是|都是|就是)" + _C + r"{0,2}?" + _PARTY.replace("(物业", "(对方|他们|物业", 1) + r"(的|那边的)事")
# staff's own concrete next step, anywhere in the reply
_COMMIT = re.compile(
    r"(我|我们)" + _C + r"{0,8}?(给您|跟您|帮您|替您|陪您|带您|为您|协助您)" + _C + r"{0,4}?"
    r"(打电话|打个电话|回电话|回个电话|回电|联系|问|查|约|登记|对接|确认|过去|去找|找)"
    r"|(陪您|带您)(一起)?(去|过去|找)|请(我们)?" + _C + r"{0,4}?(主任|经理|负责人|领导|主管)(过来|来)"
    r"|(点|前|之前|以内|内|下午|上午|明天|今天)" + _C + r"{0,6}?(给您|跟您)(回电话|打电话|回电|回复|答复|回个电话|打个电话)")
_WIDER_CLAIMS = _WIDER.pop("invented_fact")  # joins _ACCOUNT_CLAIM below
_THIRD_CLAIMS = (
    # a limit or a usage said of this customer's own card or account
    r"(您|你)(这张|的|这个|那张)(卡|账户|银行卡|信用卡|手机银行|网银)" + _C + r"{0,10}?(每天|每日|单日|每笔|单笔|一天|每次|每月)?"
    + _C + r"{0,4}?(最多|最高|上限|限额|只能)(是|为|只能|能)?(取|转|用|刷|存)?" + _C + r"{0,2}?[0-9零一二两三四五六七八九十百千万]"
    r"|(已经|早就)(取满|用完|超过了?(限额|额度)|超限|超额|到上限|刷满|用满|转满)"
    # what the customer's contract says, said without looking at it
    r"|(您|你)(家)?" + _C + r"{0,8}?(合同|协议|交付标准|说明书|条款)(上|里|中)" + _C + r"{0,6}?(都|早就|明明|本来|清清楚楚|就){0,3}"
    r"(写着|写了|写得|写明|注明|约定|规定|没有|不包括|不含|没写|包括|包含)"
    # the bank or developer compared with others
    r"|(全[市区省国城县]|本[地市区省]|当地|业内|同行|市场上|同类|周边|附近|这一片|这一带)(里|中|上)?" + _C + r"{0,6}?"
    r"(最低|最高|最好|最便宜|最优惠|第一|最安全|最稳|最大|最全)"
    r"|比(其他|别的|别|周边|附近|隔壁)(几)?(家|银行|开发商|小区|楼盘|项目|行)" + _C + r"{0,6}?(低|高|便宜|好|优惠|强)"
    # a fee, rate or limit stated for this customer's product
    r"|(您|你)(这张|的|这个|那张|家)?(卡|账户|银行卡|信用卡|贷款|房贷|理财|存款|定期)的?(年费|手续费|管理费|利率|利息|费率|额度|限额|收益率)"
    r"(是|为|有|就是)" + _C + r"{0,2}?[0-9零一二两三四五六七八九十百千万]"
    # the project's facts: 容积率, 物业费, 绿化率
    r"|(容积率|绿化率|得房率|物业费|公摊|层高|车位比|梯户比)(是|为|有|才|只有|就)?" + _C + r"{0,4}?[0-9零一二两三四五六七八九十百千]"
    # a cause put on someone other than the bank, with certainty and no check
    r"|(肯定|一定|绝对|准)是(对方|您|你|收款人|手机|网络|卡)" + _C + r"{0,8}?(有问题|出了问题|的问题|的原因|搞错了|弄错了|出错了|填错了|输错了)"
    # the customer's account history
    r"|(您|你)(的|家|这张|这个)?(账户|卡|信用卡|银行卡|贷款|房贷|征信|额度|理财|定期|存款)" + _C + r"{0,10}?"
    r"(上个月|上月|昨天|前天|上周|之前|以前|去年|有一笔|有过|曾经)" + _C + r"{0,6}?(逾期|欠款|欠费|透支|违约|异常|挂失|冻结|被降|降额|扣款|扣过)"
    r"|(从)?(我们|我行|银行)这边(是|早就|已经){1,2}" + _C + r"{0,2}?(转|汇|打|付|退)(出去|过去|出)了"
    # what the customer did, said as their own doing ("是您自己当时勾选了"; a record read out names no 自己)
    r"|是(您|你)自己(当时|之前|那时|开户时|开卡时|办卡时)?" + _C + r"{0,2}?(勾选|签|选|申请|开通|授权|同意|确认|设置|办)了?"
    # a cause nobody looked up ("是因为您没有及时更新……导致的")
    r"|(是|都是)?(因为|由于)(您|你)" + _C + r"{0,16}?(导致|造成|引起)"
    # policies that do not exist: 根据最新规定, 凡是……一律
    r"|(根据|按照|按)(我们|我行|银行|公司|总行|国家|监管|相关)?(部门)?(的)?(最新|内部)(的)?(规定|政策|条例|文件|要求|办法)"
    r"|(最新|新出|刚出)(的)?" + _C + r"{0,4}?(规定|政策|条例|文件|要求|办法)|(根据|按照)(我们|我行|银行|公司)(的)?政策"
    r"|凡是" + _S + r"{0,24}?(一律|都)(要|得|必须|需要|不能|不可以|不予|会被|收|扣|只能)")
for _extra in (_WIDER, _THIRD):
    for _code, _p in _extra.items():
        _PATTERNS[_code] += "|" + _p
# "要是" is "if" except in 主要是/就要是/还要是: those are not conditions
_IF_YAOSHI = "(?<![主就还也只总])要是"
_COMPILED = {code: re.compile(re.sub("(?<!主)要是", _IF_YAOSHI, p), re.I) for code, p in _PATTERNS.items()}

# conditional or verification wording in the same sentence keeps a fault word allowed
_COND = re.compile(r"如果|(?<![主就还也只总])要是|假如|假使|若是|若有|如有|倘若|万一|一旦|是否|是不是|有没有|会不会")
_HEDGE = re.compile(r"核实|查实|查清|确认|不一定|未必|还不能|还不好|先查|看看|还是|或者|查了才|才知道|才能确定|说不准|说不好")
_FEEL = re.compile(r"(您|你)(觉得|认为|说|感觉|是说|反映)")
_NEG_BEFORE = re.compile(r"(不是|并非|并不是|不一定是|未必是|不会是|排除)$")
_LIMIT = re.compile(r"不属于|做不了主|决定不了|改变不了|改不了|不清楚|不知道|不了解|帮不上|说了不算|不归我|不是我"
                    r"|管不了|解决不了|处理不了|办不了|搞不定|弄不了|没(有)?(什么)?(办法|辙)")
_NEXT_STEP = re.compile(r"陪您|带您|帮您|替您|给您问|我去问|我问问|请示|联系(负责人|主管|经理|同事|领导)"
                        r"|问(一下|负责人|主管|经理|领导|清楚)|查(一下|清楚)|请" + _C + r"{0,6}?(主任|经理|负责人|领导|主管)"
                        r"|我能(为您|给您|帮您)?(做|办|帮)的|能怎么办|(报|反映|递)上去")
_CLAUSE_AFTER = re.compile(_C + r"{0,20}")
_CARD_NEGATED = re.compile(r"(不|没|无|别|勿|忌|避免|不要|不能|不得|禁止)" + _S + r"{0,6}$")
_VERIFY = re.compile(r"核实|查实|查下来|查清|查明|确认|调查|核查")
_CONFIRM_Q = re.compile(_S + r"{0,20}?(对吗|是吗|是不是|对不对|没错吧|是这样吗)[?]")
_SENT_END = re.compile(r"[。!?!?;;\n]")


def _sentence_before(text: str, start: int) -> str:
    cut = max((m.end() for m in _SENT_END.finditer(text, max(0, start - 60), start)), default=max(0, start - 60))
    return text[cut:start]


def _clause_before(text: str, start: int) -> str:
    s = _sentence_before(text, start)
    return re.split(r"[,,]", s)[-1]


def _keep(code: str, text: str, m: re.Match[str]) -> bool:
    before = _sentence_before(text, m.start())
    if code == "fault_admission":
        clause = _clause_before(text, m.start())
        if _COND.search(before) or _HEDGE.search(clause) or _HEDGE.search(m.group(0)) or _NEG_BEFORE.search(before):
            return False
        if _FEEL.search(clause):  # "您觉得收费不合理" reflects a feeling
            return False
        after = _CLAUSE_AFTER.match(text, m.end()).group(0)
        if "责任" in m.group(0) and re.search(r"答复|回复|跟进|盯着|办好|办完|到底", before + after):
            return False  # "给您一个答复,这是我的责任" owns the follow-up, not a fault
        if _HEDGE.search(after):  # "系统的问题还是操作的问题,要查了才知道"
            return False
        if _CONFIRM_Q.match(text, m.end()):  # "……系统又出错,对吗?" checks what the customer said
            return False
    # saying what one cannot do is honest when the next step follows ("我做不了主,我马上问负责人")
    if code == "brush_off" and _LIMIT.search(m.group(0)) and _NEXT_STEP.search(text, m.end(), m.end() + 60):
        return False
    if code == "blame_customer" and re.search(r"因为|由于", m.group(0)) and (
            _COND.search(before) or re.search(r"(不是|并非|不一定是|未必是|不)$", before)):
        return False  # "如果是因为您没收到短信导致的误会" / "不是因为您操作导致的"
    if code == "apology_conditional" and _VERIFY.search(m.group(0)):
        return False  # "如果核实是我们这边的问题,我们会道歉" waits for the facts: allowed
    if code == "promise":
        if re.search(r"(不能|没法|无法|不敢|不好|没有办法|不可能|不会)(跟|给|向|和|替)?(您|你)?$", before):
            return False
        if re.match(r"保证|一定|肯定|绝对", m.group(0)) and re.search(r"[不没无]$", before):
            return False  # "这款产品不保证能退"
        if re.match(r"打(个|一个)?(包票|保票)|保证|担保|承诺|拍胸脯", m.group(0)) and re.search(
                r"(不能|没法|无法|不敢|不好|没有办法|不可能|不会)" + _C + r"{0,6}$", before):
            return False  # "我不能现在就跟您打包票"
        if re.search(r"(不能|没法|无法|不敢|不好|没办法)(跟|给|向|和)?(您|你)?(保证|打包票|承诺|担保)", before):
            return False  # "我不能保证以后再也不会出现" refuses the promise
        if re.search(r"((您|你)(说|讲|听说|以为)|说是|所谓)(的)?[“\"‘]?$", before):
            return False  # "您说的不会亏,是销售跟您讲的吗?" quotes the claim to check it
        if _COND.search(before) and not re.search(r"保证|一定|肯定|绝对|打包票|包您", m.group(0)):
            return False  # "如果核实多扣了,会退给您" is the procedure, not a promise
        if m.group(0) in card_promises():  # a time or outcome the procedures themselves give
            return False
    # quoting what the customer said ("您说‘你们……’") is a read-back, not staff's voice
    return not (code == "customer_voice" and re.search(r"[“\"「『‘][^”\"」』’]*$", before))


# ---- figures: amounts, limits, durations, clock times ----------------------------------------
_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_NUM = r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+(?:点[零一二三四五六七八九]+)?)(万|亿)?"
_UNITS = {  # spoken unit -> (normalised unit, multiplier)
    "元": ("yuan", 1), "块钱": ("yuan", 1), "块": ("yuan", 1), "毛": ("yuan", 0.1), "角": ("yuan", 0.1),
    "小时": ("hour", 1), "钟头": ("hour", 1), "分钟": ("minute", 1), "工作日": ("workday", 1),
    "天": ("day", 1), "日": ("day", 1), "星期": ("week", 1), "周": ("week", 1), "月": ("month", 1),
    "年": ("year", 1), "季度": ("quarter", 1),
    "%": ("pct", 1), "\uff05": ("pct", 1), "个点": ("pct", 1), "百分点": ("pct", 1), "厘": ("pct", 0.1),
    "位": ("person", 1), "人": ("person", 1), "笔": ("item", 1), "次": ("times", 1), "张": ("sheet", 1),
    "户": ("household", 1),
}
_COUNT_UNITS = {"person", "item", "times", "sheet", "household"}
# Tried from each position of a run of numerals, the figure pattern took seconds on a long run.
# It matches the same when it starts only where the run starts, or one character in when the
# lookbehind below rules the run's start out (周五十% -> 十%); digits already have their \d there.
_CN_NUM = "零〇一二两三四五六七八九十百千"
_FIGURE_NUM = _NUM.replace(f"|[{_CN_NUM}]+", f"|(?:(?<![{_CN_NUM}])|(?<=[第\\d周礼星期][{_CN_NUM}]))[{_CN_NUM}]+", 1)
_FIGURE = re.compile(r"(?<![第\d周礼星期])" + _FIGURE_NUM + r"\s*(多|余|来)?\s*个?\s*("
                     + "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True)) + r")")
_PCT_CN = re.compile(r"(百|千|万)分之([零一二两三四五六七八九十百点\d.]+)")
_BARE_WAN = re.compile(r"(?<![\d零〇一二两三四五六七八九十百千.])(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)万(?![块元人户个])")
# 半个小时, 一个半小时: the half the numeral pattern has no digit for
_HALF = re.compile(r"(?<![零〇一二两三四五六七八九十百千\d])([零〇一二两三四五六七八九十\d]+)?个?半个?(小时|钟头)")
_CLOCK = re.compile(r"(?<![\d])(\d{1,2}|[一二两三四五六七八九十]{1,3})(点|时)(半|钟|整|\d{1,2}分?|[一二三四五]十分?)?")


def _cn_to_num(s: str) -> float | None:
    if not s:
        return None
    if re.fullmatch(r"\d+(\.\d+)?", s):
        return float(s)
    if "点" in s:
        a, b = s.split("点", 1)
        whole = _cn_to_num(a)
        frac = "".join(str(_CN_DIGIT.get(c, "")) for c in b)
        return None if whole is None or not frac else float(f"{int(whole)}.{frac}")
    if all(c in _CN_DIGIT for c in s) and len(s) > 1:  # 一五 read digit by digit
        return float("".join(str(_CN_DIGIT[c]) for c in s))
    total, cur = 0, 0
    for c in s:
        if c in _CN_DIGIT:
            cur = _CN_DIGIT[c]
        elif c in _CN_UNIT:
            total += (cur or 1) * _CN_UNIT[c]
            cur = 0
        else:
            return None
    return float(total + cur)


def _value(num: str, big: str | None) -> float | None:
    v = _cn_to_num(num)
    if v is None:
        return None
    return v * (10000 if big == "万" else 100000000 if big == "亿" else 1)


def figures(text: str) -> list[tuple[tuple[str, float], int, int]]:
    """(unit, value) figures with their spans: amounts in yuan, durations, rates, counts, clock times."""
    out = []
    for m in _FIGURE.finditer(text):
        unit, mult = _UNITS[m.group(4)]
        v = _value(m.group(1), m.group(2))
        if v is None:
            continue
        if unit == "day" and text[m.start() - 1:m.start()] == "月":
            unit = "date"
        if m.group(2) and unit in _COUNT_UNITS:  # 五万人? rare; 五万的 is money
            unit = "yuan"
        out.append(((unit, round(v * mult, 2)), m.start(), m.end()))
    for m in _PCT_CN.finditer(text):
        v = _cn_to_num(m.group(2))
        if v is not None:
            out.append((("pct", round(v * {"百": 1, "千": 0.1, "万": 0.01}[m.group(1)], 4)), m.start(), m.end()))
    for m in _BARE_WAN.finditer(text):  # "限额是五万": an amount said without its unit
        v = _cn_to_num(m.group(1))
        if v is not None and not any(s <= m.start() < e for _, s, e in out):
            out.append((("yuan", v * 10000), m.start(), m.end()))
    for m in _HALF.finditer(text):
        whole = _cn_to_num(m.group(1)) if m.group(1) else 0.0
        if whole is not None and not any(s <= m.start() < e for _, s, e in out):
            out.append((("hour", whole + 0.5), m.start(), m.end()))
    for m in _CLOCK.finditer(text):
        if m.group(2) == "时" and not m.group(3):
            continue
        v = _cn_to_num(m.group(1))
        if v is not None and v <= 24:
            out.append((("clock", v), m.start(), m.end()))
    return out


def _loose(text: str) -> set[tuple[str, float]]:
    """Figures in a source text, plus bare numbers, so '三千多' in the customer's words allows 3000元."""
    keys = {k for k, _, _ in figures(text)}
    for m in re.finditer(_NUM, text):
        v = _value(m.group(1), m.group(2))
        if v is not None:
            for unit in {u for u, _ in _UNITS.values()} | {"clock", "date"}:
                keys.add((unit, v))
    return keys


# what customers say (## 客户原话, and the customer words a topic card matches on: keywords: [稳赚, 不会亏]),
# and what the cards list as taboo (## 忌讳: "当场承诺“明天肯定到账”"), license no figure or promise:
# only the staff-side text the cards recommend does
_CUSTOMER_LINES = re.compile(r"^## (?:客户原话|忌讳)\n(?:(?!## )[^\n]*\n)*|^keywords:[^\n]*\n", re.M)


@lru_cache(maxsize=4)
def _staff_side(root: str) -> tuple[str, ...]:
    """Every card's text without its customer lines and its taboos, read once."""
    return tuple(_CUSTOMER_LINES.sub("", p.read_text(encoding="utf-8")) for p in sorted(Path(root).rglob("*.md")))


@lru_cache(maxsize=4)
def knowledge_figures(root: str | None = None) -> frozenset[tuple[str, float]]:
    """Every figure written in the knowledge cards (built once, lazily)."""
    if root is None:
        root = str(PROJECT_ROOT / "knowledge")
    keys: set[tuple[str, float]] = set()
    for text in _staff_side(root):
        keys |= {k for k, _, _ in figures(text)}
    return frozenset(keys)


@lru_cache(maxsize=4)
def card_promises(root: str | None = None) -> frozenset[str]:
    """Promise-shaped wordings written in the knowledge cards: the procedures give them, so they pass."""
    root = root or str(PROJECT_ROOT / "knowledge")
    pat = _COMPILED["promise"]
    # a wording the card mentions only to forbid it ("不当场承诺全额退款", "不能跟您打包票") licenses nothing
    return frozenset(m.group(0) for text in _staff_side(root) for m in pat.finditer(text)
                     if not _CARD_NEGATED.search(_sentence_before(text, m.start())))


_CALLBACK = re.compile(r"^" + _S + r"{0,12}?(给您|跟您|向您)?(回复|回电|打电话|联系|答复|告诉|通知|说明|回个话|回话)")
# small counts are everyday speech ("一笔转账", "两次"), not facts
_TRIVIAL_COUNT = 3
_ACCOUNT_CLAIM = re.compile(
    r"(您|你)(的|家|这张|那张|这个|这笔)?(账户|卡|房子|房|钱|款|保险|理财|存款|定期|贷款)" + _S + r"{0,16}?(已经|已|早就|早已|其实)"
    r"(是|被|到账|过了|冻结|注销|过期|还清|交房|存在|失效|作废|销户|转为|变成|锁定|锁住|锁了|限制|止付)"
    r"|(您|你)(的|家)?" + _C + r"{0,6}?是(您|你)在(其他|别的|另一家)(银行|公司)"
    r"|(钱|款项|这笔款|资金|转账|汇款|账户)" + _C + r"{0,6}?(其实|早就|早已|已经)(到账|退回|退了|入账|转出|被冻结|冻结|注销|过期)"
    # actions the model claims were done ("我们已经为您详细解释了", "已经根据您的要求调整")
    r"|(我们|我)(刚才)?已经(为您|给您|向您|跟您)?(详细)?(解释|讲解|说明)(过|了)"
    r"|已经(根据|按照)(您|你)的要求" + _C + r"{0,6}?(调整|处理好|办好|改好|改过来)"
    r"|(您|你)(的|家)" + _C + r"{0,8}?(已经|早就|都)(过了|超过|满)?[0-9一二两三四五六七八九十]+(多)?个?(年|月|天)"
    + "|" + _WIDER_CLAIMS + "|" + _THIRD_CLAIMS)


# claim endings too common to show the customer said the same thing ("……没有" vs "我家怎么没有")
_GENERIC_TAIL = frozenset({"没有", "包括", "包含", "写着", "写了", "写明", "写得", "规定", "约定", "最多", "最高", "只能",
                           "上限", "限额", "不含"})


def _invented(text: str, customer: str, allowed: frozenset[tuple[str, float]]) -> list[Finding]:
    said = _loose(customer) if customer else set()
    out = []
    for key, s, e in figures(text):
        unit, v = key
        if key in allowed or key in said:
            continue
        if unit in _COUNT_UNITS and v <= _TRIVIAL_COUNT:
            continue
        if unit in ("day", "week", "month", "year") and v <= 1:
            continue  # 一天, 一个月: speech, not a stated limit
        if unit == "clock" and _CALLBACK.search(text[e:e + 20]):
            continue  # "明天上午十点前我给您回电话" is staff's own commitment
        out.append(_finding("invented_fact", text, s, e, note=text[s:e]))
    for m in _ACCOUNT_CLAIM.finditer(text):
        span = m.group(0)
        before = _sentence_before(text, m.start())
        after = _CLAUSE_AFTER.match(text, m.end()).group(0)
        if re.search(r"^[^,]{0,16}?(或|的事|这件事|的情况|的问题|的话|记录|明细|流水|凭证)", after):
            continue  # "您的账户被冻结或被限制的事" names the topic; it claims nothing
        if re.search(r"查|核实|核对|看了", before) or _COND.search(before) or _HEDGE.search(m.group(0)):
            continue  # staff who looked it up may say what they found; "如果是被冻结了" is a question
        if "吗" in after or text[m.end() + len(after):m.end() + len(after) + 1] in ("?", "?"):
            continue  # "是您自己开通的吗?" asks; it claims nothing
        said_key = span[-4:] if span[-2:] in _GENERIC_TAIL else span[-2:]
        if customer and said_key in customer:
            continue  # the customer said it themselves ("我的卡被冻结了" -> "您的卡被冻结了")
        out.append(_finding("invented_fact", text, m.start(), m.end()))
    return out


# ---- loops and copies ------------------------------------------------------------------------
_PUNCT = re.compile(r"[\s,,。!?!?;;、::“”\"'‘’()()…—-]+")
_CLAUSES = re.compile(r"[^,,。!?!?;;\n]+")
LOOP_MIN = 7   # a clause this long said twice is a loop
COPY_MIN = 15  # this many characters copied verbatim from the customer is parroting


def _loops(text: str) -> list[Finding]:
    seen: dict[str, int] = {}
    out = []
    for m in _CLAUSES.finditer(text):
        key = _PUNCT.sub("", m.group(0))
        if len(key) < LOOP_MIN:
            continue
        if key in seen:
            out.append(_finding("loop", text, m.start(), m.end()))
        else:
            seen[key] = m.start()
    return out


def _copies(text: str, customer: str) -> list[Finding]:
    """Longest verbatim runs of the customer's words (punctuation ignored), by k-gram matching."""
    if not customer:
        return []
    k = 8
    # map reply positions to a punctuation-free string
    keep = [(i, c) for i, c in enumerate(text) if not _PUNCT.fullmatch(c)]
    flat = "".join(c for _, c in keep)
    cust = _PUNCT.sub("", customer[-4000:])
    if len(flat) < k or len(cust) < k:
        return []
    grams = {cust[i:i + k] for i in range(len(cust) - k + 1)}
    digits = re.compile(r"\d")
    out = []
    i, n = 0, len(flat)
    while i <= n - k:
        if flat[i:i + k] in grams:
            j = i
            while j + 1 <= n - k and flat[j + 1:j + 1 + k] in grams:
                j += 1
            length = j + k - i
            run = flat[i:i + length]
            if length >= COPY_MIN and run in cust and len(digits.findall(run)) * 2 < length:
                s, e = keep[i][0], keep[i + length - 1][0] + 1
                out.append(_finding("parrot", text, s, e))
            i = j + k
        else:
            i += 1
    return out


def _echoed_accusation(text: str, customer: str) -> list[Finding]:
    """The customer's "你们X" read back as staff's own "我们X"."""
    out = []
    for m in re.finditer(r"你们(" + _C + r"{4,})", customer[-4000:]):
        tail = m.group(1)[:4]
        pos = text.find("我们" + tail)
        if pos >= 0:
            out.append(_finding("customer_voice", text, pos, pos + 2 + len(tail)))
    return out


# ---- form --------------------------------------------------------------------------------------
_MARKDOWN = re.compile(r"^\s{0,3}(#{1,6}\s|[-*+]\s|\d+[.)、]\s|\d{1,2}[、)](?=\S)|>\s)|\*\*|__|```|\|\s*-{3}", re.M)
_ENGLISH = re.compile(r"(?<![A-Za-z])[A-Za-z]{2,}(?![A-Za-z])")
_ALLOWED_LATIN = {"atm", "app", "vip", "pos", "etc", "usb", "pin", "ukey", "id", "wifi", "qq", "ic", "cd", "sim"}
_PLACEHOLDER = re.compile(r"\{[^{}\n]{0,30}\}|\[[^\[\]\n]{0,30}\]|【[^【】\n]{0,20}】|<[^<>\n]{0,30}>|[xX×]{2,}|\*{3,}|某某|(此处|这里)(填|插入|写)")


def _form(text: str) -> list[Finding]:
    out = []
    n = len(re.sub(r"\s", "", text))
    if n < MIN_CHARS:
        out.append(_finding("form", text, 0, len(text), WARNING, f"{n}字,少于{MIN_CHARS}字 / shorter than {MIN_CHARS}"))
    elif n > MAX_CHARS:
        out.append(_finding("form", text, MAX_CHARS, len(text), WARNING, f"{n}字,超过{MAX_CHARS}字 / longer than {MAX_CHARS}"))
    for m in _MARKDOWN.finditer(text):
        out.append(_finding("form", text, m.start(), m.end(), note="Markdown"))
    for m in _ENGLISH.finditer(text):
        if m.group(0).lower() not in _ALLOWED_LATIN:
            out.append(_finding("form", text, m.start(), m.end(), note="English"))
    for m in _PLACEHOLDER.finditer(text):
        out.append(_finding("form", text, m.start(), m.end(), note="占位符 / placeholder"))
    return out


_OTHER_CUSTOMER = re.compile(r"(别的|其他|上一位|刚才那位|前面那位|那位)(客户|业主|先生|女士)" + _S
                             + r"{0,8}(账户|余额|卡号|电话|手机|存了|取了|信息|身份证|住址)")


# said where a journalist or the media is in the exchange, these are statements for the bank
_MEDIA_CONTEXT = re.compile(r"记者|采访|报道")
_MEDIA_SPEAKER = re.compile(r"我是" + _C + r"{0,8}?(记者|报社|电视台|媒体|新闻|报的|台的)|记者|采访")
_MEDIA_CLAIM = re.compile(r"态度(很|非常|十分)?明确|不存在(任何)?(违规|问题|过错|责任)|一切(都)?(按照|依照|遵照|依)(法律|法规|规定)"
                          r"|没有任何(问题|责任|违规|损失|过错)|完全(是)?(按|符合)(照)?(规定|流程|程序|制度)|(我们|我行|银行|公司)(已经)?高度重视"
                          r"|(我们|我行|银行|公司)(是|都是)?(依法|合规|按规定)(经营|办理|操作)")


# Full-width punctuation, digits and letters (what a model writes: ",!?;:()") folded one to one
# onto the half-width forms the patterns are written with, so offsets stay those of the draft.
_FOLD = str.maketrans({**{chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}, "\u3000": " "})


def check(text: str, customer: str | None = None, *, figures_allowed: frozenset | set | None = None) -> CheckResult:
    """Check a draft. customer: the customer's words (optional) for invented figures and copies;
    figures_allowed: figures that need no source (default: those written in the knowledge cards)."""
    original = text
    text, customer = text.translate(_FOLD), (customer or "").translate(_FOLD)
    findings: list[Finding] = []
    for code, pattern in _COMPILED.items():
        for m in pattern.finditer(text):
            if m.end() > m.start() and _keep(code, text, m):
                findings.append(_finding(code, text, m.start(), m.end()))
    if not _COMMIT.search(text):
        for m in _SOFT_BRUSH.finditer(text):
            findings.append(_finding("brush_off", text, m.start(), m.end()))
    allowed = knowledge_figures() if figures_allowed is None else frozenset(figures_allowed)
    findings += _invented(text, customer, allowed)
    findings += _loops(text)
    findings += _copies(text, customer)
    findings += _echoed_accusation(text, customer)
    findings += _form(text)
    for kind, start, end in find_pii(text):
        findings.append(_finding("echoed_pii", text, start, end, note=kind))
    if _MEDIA_CONTEXT.search(text) or _MEDIA_SPEAKER.search(customer[-400:]):
        for m in _MEDIA_CLAIM.finditer(text):
            findings.append(_finding("media_statement", text, m.start(), m.end()))
    for m in _OTHER_CUSTOMER.finditer(text):
        findings.append(_finding("echoed_pii", text, m.start(), m.end(), note="其他客户 / another customer"))
    findings = _dedupe(findings)
    for f in findings:  # the span as the draft has it (full-width characters and all)
        f.span = original[f.start:f.end]
    return CheckResult(ok=not any(f.blocking for f in findings), findings=findings)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    findings.sort(key=lambda f: (f.start, -f.end))
    out: list[Finding] = []
    reach: dict[tuple[str, str], int] = {}  # per rule and severity, the furthest end so far:
    for f in findings:                       # a span inside it is a duplicate
        key = (f.rule, f.severity)
        if reach.get(key, -1) >= f.end:
            continue
        reach[key] = max(reach.get(key, -1), f.end)
        out.append(f)
    # blocking findings first, in text order; warnings (a whole-draft length note) after them
    out.sort(key=lambda f: not f.blocking)
    return out


def highlight(text: str, result: CheckResult | None = None, customer: str | None = None) -> list[tuple[str, str | None]]:
    """Segments [(text, label or None)] for gr.HighlightedText: each finding's span labelled
    with its rule title; overlapping findings are merged into the first one."""
    result = result or check(text, customer)
    segs: list[tuple[str, str | None]] = []
    pos = 0
    for f in sorted(result.findings, key=lambda f: f.start):
        if f.end <= pos or f.start >= len(text):
            continue
        if (f.end - f.start) >= len(text) and f.rule == "form":
            continue  # a whole-draft length note has nothing to point at
        s = max(f.start, pos)
        if s > pos:
            segs.append((text[pos:s], None))
        label = f"{f.title}" + ("" if f.blocking else "(提示)")
        segs.append((text[s:f.end], label))
        pos = f.end
    if pos < len(text):
        segs.append((text[pos:], None))
    return segs
