"""Fourteenth pass of the reply checker (issue 16, batch 9 on dev): one slip inside a decent reply.

Batch 9 (`eval/replies/written_v9.yaml`) was written in the style of the first batch: a reply that does
most things right and slips once. The slips the earlier passes missed, as classes:

- **a promise of an outcome the branch does not control**: 保证让您出国前拿到新卡, 房子一定升值;
- **blame as a verdict on the customer's expectations**: 您这也是要求太高了;
- **a dare to the press said as indifference**: 报社要登就让他们登, 记者要来也没关系, 随便他们拍;
- **a fact told as settled that only the records could settle**: the date a contract ends (今年年底才到期)
  and an explanation claimed as already given (上个月已经在业主群里解释过了).

Every quantifier is bounded and stays inside a clause: none can go quadratic.
"""

from __future__ import annotations

import re

from assistant.reply.checker_grammar import _C, _S, _YOU

_MEDIA = r"(报社|报纸|电视台|记者|媒体|网上|网络|微博|抖音|朋友圈|新闻)"

_UNDO = r"(冲掉|冲回|冲正|退掉|免掉|减免|抹掉|消掉|撤掉|找回来|拦回来|要回来|追回来|拿回来)"

SLIPS: dict[str, str] = {
    "promise": (
        # 保证让您出国前拿到新卡: the outcome made sure of, for the customer
        r"(?<![不没无])(保证|包|包管|管保)(让|叫)" + _YOU + _C + r"{0,10}?(拿到|拿回|取到|收到|用上|住上|到账|办好|办下来|赶上|来得及)"
        # 房子一定升值: a gain the branch cannot give
        + r"|(?<![不没])(一定|肯定|保证|绝对|稳)(会|能)?(升值|涨价|增值|赚钱|回本|有收益|不亏)"
        # batch 10: a charge undone or money got back, said as settled (回头肯定给您冲掉, 这两万块能给您拦回来,
        # 负责给您找回来, 一张都不会少), repairs at no cost to the customer (不用您出一分钱), a new part decided on the spot
        + r"|(?<![不没])(肯定|一定|保证|绝对|准)(能|会)?(给您|帮您|为您)?(把)?" + _C + r"{0,4}?" + _UNDO
        + r"|(钱|款|万块|块钱|这笔)" + _C + r"{0,4}?(?<![不没])(能|会)(给您|帮您)(拦|追|要|找|拿)回(来)?"
        + r"|(?<![不没])负责(给您|帮您|替您|把)" + _C + r"{0,6}?(找回|追回|要回|拿回|退|赔|补好|修好|换好)"
        + r"|(?<![多少])(一张|一分钱|一块钱|一毛钱|一分)(都|也)(不会)?少"
        + r"|不(用|要|需要)(您|你)(出|花|掏|承担)(一分钱|一分|钱|费用)"
        + r"|直接(给您|帮您)(定了|拍板)"
        # batch 11: compensation or a new item decided on the spot (沙发我们照原价给您买套新的, 损失由我们公司来赔),
        # no charge (不收您一分钱), a deadline staff cannot set (肯定赶在银行催您之前办出来), 修不好不走
        + r"|(照|按)原价" + _C + r"{0,4}?(赔|买|换|补)|(给您|帮您)(买|换|赔)(一)?(套|个|台|张|把)?新的"
        + r"|(损失|费用|钱)(就|都|全)?(由|归)(我们|公司|我们公司|开发商|物业|银行)(来)?(赔|承担|出|负责|掏)"
        + r"|不收(您|你)?(一分钱|一分|钱|费用)"
        + r"|(?<![不没])(肯定|一定|保证|绝对)赶(在)?" + _C + r"{0,10}?(之前|以前|前)(办出来|办好|拿到|修好|下来|弄好)"
        + r"|(修|办|弄)不好(就)?不走"
    ),
    "blame_customer": (
        # 您这也是要求太高了: the customer's expectations judged
        _YOU + r"(这|这样|这边)?(也|就|确实|实在)?(是)?(要求|标准|期望|期待)(也)?(太|过|有点|有些)(高|严|苛刻)"
        # batch 10: what the customer left undone, in hindsight (这一步您当时给漏了, 您放之前可能没理整齐,
        # 您出门前要是先报备一下就不会被拦了, 按说当场看仔细点就好了, 您当时咋就不多问一句)
        + r"|(这一步|这步|这个)?" + _YOU + r"(当时|那会儿|之前)?(给)?漏(了|掉了|填了|签了)"
        + r"|" + _YOU + r"(放|填|签|存|交|操作)(之|以)?前(可能|估计|应该)?没(理|放|看|填|写|核|对|弄)(整齐|仔细|清楚|好|对)"
        + r"|" + _YOU + _C + r"{0,6}?前要是(先)?" + _S + r"{0,14}?(一般)?(就|也就)不会"
        + r"|按说" + _C + r"{0,8}?(看|验|查|核对|问)(仔细|清楚)(点|些|一点)?就(好|行|不会|没事)"
        + r"|(当时|当初|那会儿)咋(就)?不(多|先|仔细)?" + _C + r"{0,4}?(问|看|想|核对|打听)"
        # batch 11: more hindsight (您那会儿要是多瞅一眼条款,也就不会…; 您平时要是不…也不至于…), the damage put
        # on the customer's side (这是您家装修时候弄的), 光顾着, 您也该自己…, 买之前就不能…吗
        + r"|" + _YOU + _C + r"{0,4}?(那会儿|当时|当初|之前|平时|的时候)要是" + _S + r"{0,16}?(也就|就|也)(不会|不至于|走不了|没这事|没事)"
        + r"|" + _YOU + r"要是(没|不)" + _S + r"{0,14}?(也就|就|也)(不会|不至于|走不了|丢不了)"
        + r"|是" + _YOU + r"(家|自己)?" + _C + r"{0,10}?(弄的|搞的|造成的|弄坏的|弄破的|搞坏的)"
        + r"|" + _YOU + r"(当时|那会儿|那时候)?光顾着"
        + r"|" + _YOU + r"(这几天|当时|那会儿)?也(该|应该)自己"
        + r"|" + _YOU + _C + r"{0,6}?(之前|以前|前|那会儿|当时)就不能" + _C + r"{0,10}?吗"
    ),
    "media_statement": (
        # 报社要登就让他们登 / 随便他们拍 / 记者要来也没关系
        r"(要|想|爱)(登|报|拍|写|发|曝光)就(让他们|随他们|随便|尽管)?(登|报|拍|写|发|曝光)"
        + r"|随(便|他们|便他们)(去)?(拍|写|登|报|曝光)"
        + r"|" + _MEDIA + r"(要|想)?(来|过来|采访)" + _C + r"{0,2}?(也)?(没关系|无所谓|不怕|没事|欢迎)"
        # batch 10: 登报那是您的自由, 我们不怕登
        + r"|(登报|曝光|上新闻|上电视|发网上|发到网上)(那)?(是)?(您的|你的)自由|不怕(登|曝光|报道|上报纸|上新闻|拍)"
        # batch 11: speaking for the bank to the press (记者来了正好,我来跟他们讲; 记者要问起来,我就照实跟他们说),
        # a live stream dared (您直播就直播吧)
        + r"|" + _MEDIA + r"(来了|来)(正好|更好|最好)|" + _MEDIA + _S + r"{0,8}?我(就|来)?(照实)?(跟|给|对)(他们|记者|媒体)(讲|说|解释)"
        + r"|(?P<dare>直播|曝光|拍|录|发)就(?P=dare)吧"
    ),
    "brush_off": (
        # batch 10: nothing left but waiting for another party (这个事没别的办法,只能等他们统一调整了), and the
        # customer sent to ask someone else later (您到窗口办的时候再问问柜员吧)
        r"(没|没有)(别的|其他|其它)(办法|法子)" + _C + r"{0,4}?[,,]?" + _C + r"{0,2}?只能(等|看)"
        + r"|" + _YOU + _C + r"{0,10}?(再|去)问问(柜员|客服|窗口|他们|那边|别人)(吧)"
    ),
    "fault_admission": (
        # batch 10: our fitter's work judged bad (就是当初安装的师傅没打好胶,活儿干得糙)
        r"(活儿?|工|活计)(干|做)得(糙|粗|太粗|不细|马虎|毛躁)|(干活|做活|做事)(太|有点|比较|也太)?(毛躁|马虎|粗糙|粗心|糙)"
        + r"|(师傅|工人|施工队|我们的人)" + _C + r"{0,4}?没(打好|装好|做好|弄好|封好|接好)"
        # batch 11: our machine, back office, sales or materials judged at fault in plain words (机子不大灵光,老掉单;
        # 准是后台的参数没弄对; 是我们这头出的岔子; 收得是没什么道理; 登记弄混了; 那批砖的料不行,也没贴实)
        + r"|(机子|机器|系统)" + _C + r"{0,6}?(不大|不太|不)灵光|老(是)?掉单"
        + r"|(准是|肯定是|八成是|一准是)" + _C + r"{0,10}?没(弄对|设对|弄好|搞对|调好|设好)"
        + r"|是(我们|咱们)(这头|这边|这里)?出的(岔子|问题|错|毛病|纰漏)"
        + r"|收得(是)?没(什么|啥)?道理|(登记|记|录|弄|搞)(弄|搞)?混了"
        + r"|(那批|这批)" + _C + r"{0,6}?(料|材料|质量)(不行|不过关|有问题|太差)|没(贴|铺|压|打|抹)实"
        + r"|(肯定是|准是|八成是)(我们|咱们)" + _C + r"{0,14}?(弄错|搞错|记错|填错|寄错|录错|办错)"
    ),
    "rhetorical_question": (
        # batch 10: 您说不填能行吗?  到底是想要个啥结果呀?
        r"(不|没)" + _C + r"{1,3}?能行吗[??]|到底(是)?想要(个)?(啥|什么)(结果)?(呀|啊)?[??]"
        # batch 11: 钱谁敢给您往外拿呀?  我这不一直给您弄着吗?  谁拦得住?  谁会拦着…呢?  不就解决了吗?  能自己停吗?
        + r"|谁敢" + _C + r"{0,8}?(呀|啊|吗|呢)?[??]|这不(是)?(一直|正|正在)" + _C + r"{0,8}?吗[??]"
        + r"|谁(拦得住|管得了|说得清|负得起|担得起)[??]|谁会" + _C + r"{0,12}?呢[??]|不就(解决|行|完|好|结了)了吗[??]"
        + r"|(能|会)自己(停|好|消失|没|掉)(下来)?吗[??]"
        + r"|" + _YOU + _C + r"{0,6}?(之前|以前|前|那会儿|当时)就不能" + _C + r"{0,10}?吗[??]"
    ),
    "calm_down": r"(先)?压压(火|火气)|把火(先)?压(一压|下去)",
}

# a date a contract or term ends, stated as known (今年年底才到期); checked against the customer's words
END_DATE = re.compile(r"(今年|明年|去年|下个?月|这个?月|上个?月|下半年|上半年)(年底|月底|年初|月初|底|初)?(才|就|就要|快|已经)?"
                      r"(到期|期满|截止|结束)")
# an explanation claimed as given before (已经在业主群里解释过了): the customer is told they were told
TOLD_BEFORE = re.compile(r"(已经|早就|早已|之前就|以前就)(在" + _C + r"{1,8}?)?(解释|说明|告知|通知|公示|公告|讲)过(了)?")

# batch 10: a past visit or step of ours dated by staff (上个月刚办过密码重置, 上周其实去过一趟, 前年年底交的房)
PAST_EVENT = re.compile(r"(上个?月|上周|上礼拜|上星期|前天|前年|去年|前几天)(年底|月底|年初|月初|底|初)?(刚|其实|就|已经)?"
                        + _S + r"{0,16}?(办过|去过|来过|修过|换过|查过|联系过|打过|回过|交的房|交的|审批过|排好|安排好|派过|发给|发了|寄出)")
# a process state told without a look at the records (财务已经审批通过了, 这批的材料已经在走了)
PROCESS_STATE = re.compile(r"(已经|都已经)(审批通过|审核通过|批下来|批了|放款|在走(流程)?了|在排队)")
# staff's own look at the records (我刚查了, 系统里显示); not someone else's (主管已经看过了)
_LOOKED = re.compile(r"(我|我们|我这边)(刚|刚才|已经|也)?(查|看|核实|核对|翻)(了|过|一下)|系统(里|上)|记录(里|上)|显示")

COMPILED_SLIPS = [(code, re.compile(p)) for code, p in SLIPS.items()]


def slip_facts(text: str, customer: str) -> list[tuple[int, int]]:
    """Spans of invented_fact: an end date or an earlier explanation the customer did not bring up."""
    out = []
    for m in END_DATE.finditer(text):
        if m.group(1) not in customer:
            out.append((m.start(), m.end()))
    for m in TOLD_BEFORE.finditer(text):
        before = text[max(0, m.start() - 8):m.start()]
        if not re.search(_YOU + r"(说|讲|提到|反映)", before) and m.group(3) + "过" not in customer:
            out.append((m.start(), m.end()))
    for m in [*PAST_EVENT.finditer(text), *PROCESS_STATE.finditer(text)]:
        said = m.group(1) if m.re is PAST_EVENT else m.group(2)  # the date, or the state, the customer may have named
        sentence = text[max(0, text.rfind("。", 0, m.start()) + 1):m.start()]
        if said not in customer and not _LOOKED.search(sentence) and not re.search(_YOU + r"(说|讲|提到|反映)", sentence):
            out.append((m.start(), m.end()))
    return out
