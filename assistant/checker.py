"""The reply checker: course rules applied to any draft, template, LLM or typed by staff.

Precision matters as much as recall: a good reply must pass clean, so each pattern is narrow
and names the span it found and a better wording.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from assistant.redact import find_pii


@dataclass(frozen=True)
class CheckRule:
    id: str
    title: str
    pattern: re.Pattern[str]
    advice: str
    blocking: bool = True


@dataclass
class Finding:
    rule: str
    title: str
    span: str
    advice: str
    start: int
    end: int
    blocking: bool = True


@dataclass
class CheckResult:
    ok: bool
    findings: list[Finding] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"ok": self.ok, "findings": [asdict(f) for f in self.findings]}


def _r(id_: str, title: str, pattern: str, advice: str, blocking: bool = True) -> CheckRule:
    return CheckRule(id_, title, re.compile(pattern, re.I), advice, blocking)


_APOLOGY = r"(对不起|抱歉|不好意思|道歉|见谅)"
RULES: list[CheckRule] = [
    _r("apology_excuse", "边道歉边辩解",
       _APOLOGY + r"[^。!?!?\n]{0,12}?(但是|可是|不过|只是)",
       "先道歉并停住,用句号结束;等客户接受道歉、情绪缓和后再说明原因。"),
    _r("apology_conditional", "有条件/敷衍的道歉",
       r"(如果|要是|假如)(您|你)?(觉得|认为)?[^。!?!?\n]{0,10}(不便|不满|不舒服|不愉快|误会)[^。!?!?\n]{0,8}" + _APOLOGY
       + r"|(那|那就)?(跟|给)?(您|你)?说(声|个)?(对不起|抱歉)(行了吧|好了吧|总行了吧)|" + _APOLOGY + r"(行了吧|好了吧|总行了吧|啦)",
       "直接为客户的经历道歉:“让您多跑了一趟,真的很抱歉。”不加“如果您觉得”。"),
    _r("apology_premature_fault", "事实不清时认错",
       r"(都是|完全是|全是|确实是|肯定是)(我们|我行|银行|公司|柜员|同事)的?(错|责任|失误|问题)|我们(负)?全(部)?责(任)?",
       "事实未核实前,为客户的经历和不便道歉,不为过错认责:“给您添麻烦了,我们查清楚后给您答复。”"),
    _r("blame_customer", "指责客户",
       r"(您|你)自己(没|不|弄|搞|操作|输|填|看|记|点)[^,,。!?!?\n]{0,6}|(是|都是|怪)(您|你)(自己)?的?(问题|原因|责任|错)|"
       r"(您|你)(当时)?(怎么)?(就)?(不|没)(看清楚|注意|仔细|早说|早点来|听清)|谁让(您|你)",
       "不评价客户的过失;说“我们一起看看哪一步出了问题”,把焦点放在解决上。"),
    _r("brush_off", "推诿/搪塞",
       r"(这是|这个是|这都是)?(规定|制度|上面的规定)(就是这样|就这样|没办法)|(我|我们)也没(有)?办法|没办法(的事)?[。!!]|"
       r"不归我(们)?管|不是我(们)?(负责|管)的|(你|您)(去|找)(别人|别的部门|其他部门|上面|总行|客服)(问|吧|去)|"
       r"跟我(们)?没(有)?关系|我(只是)?(一)?个(小)?(柜员|员工|打工的)|爱(找|投诉)(谁|哪)",
       "说“我能为您做的是……”,并给出具体的下一步;不是自己岗位的事,带客户找到负责人。"),
    _r("unauthorised_promise", "越权承诺/承诺金额",
       r"(赔|补偿|赔偿|返还|退)(给)?(您|你)?\s*[0-9一二三四五六七八九十百千万两]+\s*(块|元|万|千|百)|"
       r"(保证|包|肯定|一定)(给)?(您|你)?(赔|补偿|退钱|退款|全额)|(全额|双倍|加倍)(赔|退|补)|"
       r"百分之百|保证(不会)?(再)?(也)?不会(再)?(出|发生)|我(可以)?(做主|拍板)(给|赔|补)",
       "赔付须经业务条线核实和授权,不当场承诺金额或结果:“您的诉求我已记录,会同业务部门核实后给您答复。”"),
    _r("rhetorical_question", "反问/质问",
       r"难道[^。!?!?\n]{0,15}[??吗]|(您|你)(不|没)(知道|看到|听到|明白|懂)[^。!?!?\n]{0,6}吗|怎么可能|至于吗|有必要吗|"
       r"凭什么[^。!?!?\n]{0,10}[??]|(你|您)(到底)?(懂不懂|听不懂|讲不讲理)|不是(跟|和)(您|你)说(过)?了吗|这有什么好",
       "把反问改成陈述或提供选项:“我再跟您说明一下……您看这样可以吗?”"),
    _r("media_statement", "代表单位对媒体表态",
       r"(我|我们)(代表|可以代表)(银行|本行|我行|公司|单位)[^。!?!?\n]{0,10}(回应|表态|声明|说明)|接受(您的)?采访|"
       r"(跟|对|向)(记者|媒体)(说|讲|表示|解释)|(你|您)(随便|尽管|爱)?(去)?(曝光|找记者|找媒体)(吧|去吧|好了)|随便(你|您)(怎么)?曝光",
       "员工不对媒体表态;婉言谢绝并提供单位公布的对外联系人,同时立即上报。对扬言曝光的客户不激将。"),
    _r("other_customer_data", "泄露其他客户信息",
       r"(别的|其他|上一位|刚才那位|前面那位|那位)(客户|业主|先生|女士)[^。!?!?\n]{0,8}(账户|余额|卡号|电话|手机|存了|取了|信息|身份证|住址)",
       "不提及其他客户的任何信息;只谈本客户的业务。"),
]

PII_RULE = ("echoed_pii", "回复中出现个人敏感信息", "回复里不要出现证件号、卡号、手机号、邮箱,用“尾号××××”或不提。")


def check(text: str) -> CheckResult:
    findings: list[Finding] = []
    for rule in RULES:
        for m in rule.pattern.finditer(text):
            findings.append(Finding(rule.id, rule.title, m.group(0), rule.advice, m.start(), m.end(), rule.blocking))
    for kind, start, end in find_pii(text):
        rid, title, advice = PII_RULE
        findings.append(Finding(rid, f"{title}({kind})", text[start:end], advice, start, end))
    findings.sort(key=lambda f: f.start)
    return CheckResult(ok=not any(f.blocking for f in findings), findings=findings)
