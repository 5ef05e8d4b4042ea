"""Sixth pass of the reply checker (issue 16, probe round D): generalisation, not more phrases.

Two parts:

- What makes a brush-off. A wait request (请您耐心等待, 您稍等) or an honest limit (我说不准, 插不上手, 不在我
  的权限里) only ends the matter when no concrete step of staff's own follows. `concrete_step_near` looks
  for one in the span's sentence and the next: first person with an aspect or time marker and a verb of
  doing (我正在给您打印, 我这就去查, 我马上回来), a 把-construction with staff as agent (我把您的流水打出来),
  or a time of staff's own (今天下班前给您回个准信). The earlier passes looked for a short verb list anywhere
  in the reply, so "请您耐心等待片刻,我正在给您打印对账单" was a brush-off and "我们会尽快处理" somewhere
  else rescued a real one.
- Semantic classes instead of wordings, one per rule: our side said to have failed (漏处理, 出了纰漏, 扛不住);
  the customer's habits as the cause (您又不常开窗, 怪不着物业); certainty on money or a rate moving (一准儿
  进您账户, 就会降下来, 您就当它已经回来了); rhetorical shapes (又不是……吧?, ……有什么用呢?, 问了就能……吗?);
  telling the customer to control their feelings (把情绪收一收, 平静平静, 嗓门小点); dares about media (爱怎么
  拍就怎么拍, 发了也没用, 欢迎您联系媒体); first-person-plural accusations (我们就是在变着法子挣钱); the model
  asking as the customer (你行, 帮忙看看); circumstances given after an apology (正赶上, 排得满满的, 说到底是);
  other customers by description (刚才三号窗口那位李阿姨).

Every quantifier is bounded and stays inside a sentence or clause: none can go quadratic.
"""

from __future__ import annotations

import re

_S = r"[^。!?!?;;\n]"      # inside one sentence
_C = r"[^。!?!?;;,,、\n]"  # inside one clause
_YOU = r"(您|你)"
_APOLOGY = r"(对不起|抱歉|不好意思|道歉|道个歉|见谅|对不住|歉意|致歉|赔个不是|赔不是|添麻烦了|过意不去)"
_WE = r"(我们|我们的|咱们|我行|本行|我们行|公司|我们公司|我们物业|我们银行|我们网点|我们这边|我们自己的?)"

# ---- what a concrete next step of staff's own looks like ---------------------------------------
# verbs of doing something for the customer now (not 处理/解决: "我们会尽快处理" names no act)
_DO = (r"(查|问|打印|复印|打出来|拿|送|取|叫|请|调|翻|找|联系|约|登记|报|提交|交给|交到|办|催|核对|核实|对一下|看看|看一下"
       r"|说明|汇报|反映|转给|转达|报告|打电话|打个电话|回电话|回个电话|回电|打过去|回个话|回话|回个准信|告诉您|通知您|发给您|发您|发到|拍照|写|带|陪|安排|派"
       r"|过去|回来|上门|试算|算一下|挂失|解锁|预约|录入|改|补|开|申请|跟进|盯着|问清楚|弄清楚|处理完|办完|量)")
_ASPECT = (r"(正在|在|这就|马上|立刻|立马|现在|先|今天|明天|下午|上午|待会儿?|等会儿?|一会儿?|稍后|回头|随后|这会儿|当天"
           r"|去|来|给您|帮您|替您|为您|跟您|陪您|带您|把)")
CONCRETE_STEP = re.compile(
    r"(?<![没不])(我|我们|我这边|咱们)(?!们)(就|也|会|可以|能|都)?" + _ASPECT + r"(?:(?![不没])" + _C + r"){0,12}?" + _DO
    # a time or a span of staff's own: 三分钟左右回来告诉您, 今天下班前给您回个准信, 大概三点到
    + r"|(分钟|点前|点之前|下班前|之内|以内|当天|今天|明天|周[一二三四五六日天]|礼拜[一二三四五六天])" + _C + r"{0,8}?"
    r"(回来|告诉您|给您回|给您打|打电话|回电|回复您|答复您|联系您|点到|上门|拿给您|叫您|通知您|过去)"
    r"|(好了|打好|办好|查完|查到|查清楚|出来|取出来|处理完|弄好|审完|批完)" + _C + r"{0,6}?(马上|就|我)" + _C + r"{0,4}?(告诉|叫|拿|给|跟|说|过去)"
    # staff taking the customer there themselves: 我扶您上去, 我领您过去
    + r"|(?<![没不])(我|我们)(来|先|这就)?(扶|领|送|搀)(着)?(您|你)(上去|上楼|下去|过去|进去|到|去)"
    # a step with no subject: in a reply the speaker is the one who acts (稍后给您回电话, 马上给您查)
    + r"|(?<![您你他她])(马上|这就|立刻|立马|现在就|稍后|待会儿?|随后)(就)?(给您|帮您|为您|替您|跟您|去|来)?"
    r"(?:(?![不没])" + _C + r"){0,8}?" + _DO)
_NO_STEP_BEFORE = re.compile(r"(没法|没办法|不能|无法|不会|不用|别)$")

# a brush-off that dismisses the customer stays one whatever follows: only a wait request or an honest
# limit is rescued by a step ("别催了,我去问问" still tells the customer off)
DISMISSIVE = re.compile(r"没用|别催|别老|别再|没得商量|谁来|就这样|爱找|随便|投诉|叫下一|管不着|没关系|什么办法|没招|晚了"
                        r"|设计的|规定就是|算了|熬|忍|您自己|你自己")
_SENT_END = re.compile(r"[。!?!?;;\n]")


def _sentence_span(text: str, start: int, end: int, extra: int = 1) -> tuple[int, int]:
    """From the start of the sentence holding [start, end) to the end of `extra` sentences after it."""
    lo = max((m.end() for m in _SENT_END.finditer(text, max(0, start - 80), start)), default=max(0, start - 80))
    hi, pos = end, end
    for _ in range(extra + 1):
        m = _SENT_END.search(text, pos, pos + 120)
        if not m:
            hi = min(len(text), pos + 120)
            break
        hi = pos = m.end()
    return lo, hi


# a verb of doing whose potential complement is negated: 我这边也催不了, 我去问也问不到
_NEGATED_AFTER = re.compile(r"[不没](了|到|动|着|上|成|完|好|出|过来|下来)?")


def step_negated(text: str, m: re.Match[str]) -> bool:
    """The step m names is refused: a negation just before it or its verb's complement negated."""
    return bool(_NO_STEP_BEFORE.search(text[max(0, m.start() - 4):m.start()]) or _NEGATED_AFTER.match(text, m.end()))


def concrete_step_near(text: str, start: int, end: int) -> bool:
    """A concrete step of staff's own in the sentence of [start, end) or the next one, outside the span."""
    lo, hi = _sentence_span(text, start, end)
    return any(not step_negated(text, m) for a, b in ((lo, start), (end, hi)) for m in CONCRETE_STEP.finditer(text, a, b))


def has_step(text: str, *patterns: re.Pattern[str]) -> bool:
    """Any match of the step patterns anywhere in the reply that is not refused by a negation."""
    return any(not step_negated(text, m) for p in patterns for m in p.finditer(text))


# ---- semantic classes per rule -------------------------------------------------------------------
_OUR_LAPSE = (r"(漏处理|漏办|漏掉|漏了|弄丢|搞丢|出了?纰漏|出了?岔子|掉链子|扛不住|顶不住|撑不住|就是不行|不行了|不达标|不合格"
              r"|没处理|没跟上|失职|渎职|没道理|坑人|说不过去)")
_FEEL_CTRL = (r"(把|您的|你的)?(情绪|火气|脾气)(先)?(收一收|收收|收一下|控制一下|控制住|稳一稳|稳定一下|放一放|压一压|平复一下)"
              r"|控制(一下)?(自己的|您的|你的)?情绪|(?<![们方都])(平静|冷静|镇定)(平静|冷静|镇定|下来|一下)(?!期)|(嗓门|声音|说话声)(小|低|放低|放小)(点|一点|些)"
              r"|别(这么|那么)?(大)?(火气|嚷嚷|嚷|吵|喊|闹)|大吵大闹(解决不了|没用|不解决)|(等|待)(您|你)(情绪)?(缓过来|平静|冷静|消了气|气消)"
              r"|情绪(太|这么|那么|过于)?激动")

# a unit of ours a fault can be said of (wider than "我们": the customer hears the bank in each)
_UNIT = (r"(我们|公司|银行|系统|风控|后台|柜面|柜台|网点|物业|施工方?|工程部|销售|质量|楼的|房子的?|这楼|这批|宣传"
         r"|管理|程序上|流程上|服务)")
# a wrong act or a standing defect, as fact
_WRONG = (r"(误判|误扣|误冻|多扣|扣错|算错|打错|录错|搞错|弄错|办错|记错|做错|漏扣|漏录|漏报|不过关|不合格|过头了?|不地道"
          r"|没跟上|跟不上|一直有(这|这个|这种)?(毛病|问题|缺陷)|老(是)?出(毛病|问题|错)|有(这|这个)?毛病|出了?(差错|岔子|纰漏))")

SIXTH: dict[str, str] = {
    "apology_conditional":
        # an apology for what "may" have happened: 对于此次停水可能给您造成的困扰,我们深表遗憾
        r"可能" + _C + r"{0,8}?(造成|带来|引起|产生)(的)?" + _C + r"{0,4}?(困扰|不便|麻烦|不快|影响|损失)" + _S + r"{0,12}?"
        r"(遗憾|歉意|抱歉|海涵|包涵|谅解|见谅)",
    "invented_fact":
        # the customer's account history nobody looked up: 您这张卡最近半年有三个月都是最低还款
        r"(?<![如若果])(您|你)(这张卡|的卡|这卡|的账户|这个账户|的信用卡)" + _C + r"{0,10}?(都是|一直是|一直|有|老是)" + _C + r"{0,6}?"
        r"(最低还款|逾期|透支|取现|欠费|没还|晚还)"
        # a past act claimed long done, which nobody looked up now: 我们早就处理完了, 早就给您发过通知
        + r"|(早就|早已|老早就?)(给您|帮您|跟您|向您)?(处理完|处理好|办好|办完|退回|退给|发过|通知过|告诉过|提醒过|说过|批了|到账|打过去|解决了)"
        # a settled state of someone else's business: 公交站的事已经谈妥了
        + r"|(事|那边|公司|上面|领导|开发商|政府|规划|总部|总行)(已经|早就|早已)(谈妥|敲定|定下来|批下来|批了|落实了|搞定|签了|通过了)",
    "apology_excuse":
        # an apology, then the circumstances in the same sentence: 真是对不住,今天正赶上月底……
        _APOLOGY + _S + r"{0,30}?(正赶上|刚好赶上|刚好碰上|正好碰上|赶上了|碰上了|归根结底|说到底|主要是|排得满满|排满了|腾不出|抽不出"
        r"|顾不上|不好招|涨价|外包|外面的公司|第三方)",
    "fault_admission":
        # our side and a lapse: 我们后台那边漏处理了, 我们这批腻子就是不行, 我们物业派单环节出了纰漏
        _WE + _C + r"{0,10}?" + _OUR_LAPSE
        # a unit of ours and a wrong act or a standing defect: 风控误判了, 柜面把户名打错了, 系统一直有这毛病
        + r"|" + _UNIT + _C + r"{0,10}?(?<![不没])" + _WRONG
        # what should not have happened, said as fact: 本来不该扣的, 压根就不应该降
        + r"|(本来|原本|压根|根本)(就)?(不该|不应该|不应当)(给您|把您的?)?(扣|降|收|冻|锁|拒|停|涨|罚|拖|销)"
        # blame taken: 怪我们, 赖我们这边
        + r"|(?<![不别能全])(怪|赖|怨)(我们|咱们|银行|公司|物业)(?!吗|呢)"
        + r"|(收得|收的|定得|定的|做得|办得)(就是|确实|真是|实在)?(没道理|不合理|不地道|太黑|太坑)",
    "blame_customer":
        # the customer's habits as the cause: 您家又不常开窗通风, 您……都不放水
        r"(?<![不别没把给替帮让])" + _YOU + r"(家|这卡|这张卡)?" + _C + r"{0,8}?(又|也|都|从来|平时|从)(不|没)(常|怎么|太)?"
        r"(开窗|通风|放水|看|注意|关(?!系)|检查|核对|留意|保管|想)"
        + r"|(怪不着|怪不得|怨不了|怨不得|赖不着|赖不了|怪不了)(别人|物业|银行|我们|公司|谁|开发商)"
        + r"|(随便|随手)(借给|给|告诉)" + _C + r"{0,6}?(那|出事|被)"
        + r"|(稍微|多)(多)?(想|看|问|留)(一下|一眼|个心眼)" + _C + r"{0,4}?(都|也)?不会(上当|被骗|出事)"
        + r"|说到底(还是|就是)" + _YOU + r"(自己)?"
        # lecturing the customer on next time: 您下次输之前想清楚, 以后长点心
        + r"|" + _YOU + r"(下次|以后|往后|下回)" + _C + r"{0,8}?(想清楚|看清楚|长点心|长个心眼|注意点|小心点|别再|可别|不要再)"
        # the customer's own act as the cause, the loss then called natural or "not ours":
        # 业主自己……,跟铺装没关系; 您当时自己……,过不了也是意料之中的
        + r"|(您|你|业主|客户|用户)(自己|自个儿|当时|平时)" + _S + r"{0,24}?((也是|也|很|就)(意料之中|正常|难免|不奇怪|自然)"
        r"|(跟|和|与)(我们|银行|公司|物业|施工|装修|铺装|房子|产品|系统|开发商)" + _C + r"{0,4}?(没|没有|无)(什么|啥)?(关系|关联))"
        # the customer's loss called only natural: 那出事也正常, 管子冻裂了也怪不着
        + r"|(那|这)(出事|出问题|被骗|被盗|被锁|被冻结)" + _C + r"{0,2}?(也|很|是)?(正常|自然|难免|意料之中)",
    "promise":
        # certainty + money or rate moving: 一准儿进您账户, 就会降下来, 就当它已经回来了, 跑不掉的
        r"(一准|准保|保准|肯定|一定)(儿)?" + _C + r"{0,4}?进(您|你)?(的)?(账户|卡|账)"
        + r"|(就会|就能|肯定会|一定会)" + _C + r"{0,4}?(降下来|调下来|降了|下调|开进来|通车|涨回来)"
        + r"|(就当|权当)(它|钱)?(已经)?(回来|到账|追回来)了|(?<![钱人])跑不掉(的|了)?"
        + r"|这(点|个)错不了",
    "rhetorical_question":
        r"又不是" + _C + r"{1,14}?[,,]?(对吧|是吧|吧|吗|嘛)?[??]"
        + r"|(有什么|有啥|顶什么|管什么)用(呢|啊|吗)?[??]"
        + r"|还不够(清楚|明白|详细|清楚吗|明白吗)[??]"
        + r"|就(不|没)(看|问|想|查|核对)(一|一下|一眼)?(眼|下)?(的)?(吗|呢)[??]"
        + r"|(问|催|吵|闹|喊|骂|急)了?(它|就|又)?(就)?能" + _C + r"{0,6}?(吗|么)[??]"
        # the customer told off with a question: 还要我怎么说?, 听明白了没有?, 我什么时候答应过……?
        + r"|(还要|还想|想让|要)我怎么(样|办|说|做)(才行)?(呢|啊)?[??]|(懂不懂|明不明白|听没听懂|听明白了没有|听懂了没有?)[??]"
        + r"|(我|谁)(什么时候|哪里|哪儿|啥时候)(说|讲|答应|承诺)过" + _C + r"{0,10}?[??]",
    "calm_down": _FEEL_CTRL,
    "customer_voice":
        # first-person-plural accusations in staff's own words: 我们就是在变着法子挣钱
        r"(?<!不是)(?<!没有)(?<!哪里)" + _WE + r"(这边|那边)?(确实|就是|一直|专门|故意|都)?(就是|一直|在)?(在)?"
        r"(变着法子|变着法儿|糊弄|忽悠|坑|骗|宰|敷衍|欺负)(?!您的?[吗?])"
        # the model asking as the customer: 我在你行办的卡, 麻烦帮忙看看
        + r"|(你行|你司|你们行|贵司|贵公司)|麻烦(帮忙|帮我)(看看|查查|查一下|看一下)"
        # the customer's upset in staff's mouth (a rewrite turned 让您不痛快 into 让我不痛快)
        + r"|(让|令|叫)(我|我们)(感到|觉得)?(很|非常|特别|十分|真)?(不痛快|生气|气愤|上火|委屈|失望|不满|心寒|寒心|恼火)"
        + r"|(我|我们)(感到|觉得)(很|非常|特别|十分)?(不满|气愤|愤怒|恼火)",
    "media_statement":
        r"(想|爱|愿意)(怎么)?(找|发|拍|写|传|曝光)(就|就怎么)(找|发|拍|写|传|曝光)"
        + r"|发了(也)?没用|没几个人(会)?(看|信|关注)|欢迎(您|你)?(联系|找|去找)(媒体|记者|电视台|报社)"
        + r"|行得正|坐得直|不怕(查|曝光|你曝光|您曝光|记者)|让记者来评评理",
    "brush_off":
        # what our side cannot move, and waiting it out with nothing done: 我们网点也催不动, 您耐着性子再熬几天
        r"(我们|我|这边|网点|柜台|一线)" + _C + r"{0,6}?(催|管|推|插|帮|使)不(动|着|上(手|忙|劲)?)"
        + r"|耐着性子|(再)?熬(几天|一阵|一段|些日子)|忍(一忍|忍|着点)"
        # too busy for the customer: 我这边忙着呢, 后面还有好多人; a bare "wait" as the last word: 您稍等吧
        + r"|(我|我这边|我们)(正|现在|这会儿)?(忙着呢|忙得很|没空|顾不上(您|你))|(后面|后边|外面|后头)还有" + _C + r"{0,4}?(人|客户|业主)(?!等您)"
        + r"|(您|你)(就)?(稍等|等着|等等)吧(?=[,,。!!]|$)"
        # an end put off until the customer has calmed down: 等您缓过来再说
        + r"|等(您|你)" + _C + r"{0,8}?(再说|再谈|再聊)",
    "echoed_pii":
        r"(刚才|前面|上一位|隔壁|对门|楼下|楼上)" + _C + r"{0,8}?(那位|这位|的)" + _C + r"?(阿姨|大爷|大妈|大姐|大哥|叔叔|老人家?|老太太|老先生|先生|女士|客户|业主)"
        r"(?=" + _C + r"{0,12}?(也|她|他|的卡|家|已经))"
        # an ID or card number in a draft is personal data whatever its checksum
        + r"|(?<!\d)\d{17}[\dXx](?![\dXx])",
}

COMPILED6 = [(code, re.compile(p)) for code, p in SIXTH.items()]
