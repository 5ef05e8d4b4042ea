"""Transparent patterns for flags and labels. Each rule names what it saw, so the UI can say why."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from assistant.text.scan import finditer

# a negator shortly before a cue cancels it: "我不会去曝光", "也不是要赔钱"
_NEGATION = re.compile(r"(不会|不想|不打算|不至于|没打算|没想过?|不是要|不是为了|并不|并没有?|不用|不必|不去|不要求?|没要求|没想要|无意|犯不着|也不)[^,，。!！?？;；]{0,4}$")
# quoted speech and staff notes are reported words, not the customer's own threat
_QUOTE = re.compile(r"[“\"「『]([^”\"」』]{0,80})[”\"」』]")


@dataclass(frozen=True)
class Rule:
    code: str
    pattern: re.Pattern[str]
    negatable: bool = True


def _r(code: str, pattern: str, negatable: bool = True) -> Rule:
    return Rule(code, re.compile(pattern, re.I), negatable)


# A question sentence ("...什么...?") is matched from where its sentence starts and only when it
# ends in '?': tried from every position, or scanned once per question word, a long sentence with
# no end (a paste of "我等了很久," at the input limit) took seconds to minutes.
_END = "。!!?？\n"
_SENTENCE_START = f"(?<![^{_END}])"
# For the same reason a run of digits or numerals may start a count (12户, 十几户, 3个人一起, 3个月
# 没人修) only where the run starts.

FLAG_RULES: list[Rule] = [
    _r("media_exposure", r"曝光|媒体|记者|报社|电视台|(上|找|让|给|发|打)(了)?新闻|新闻(记者|媒体|热线|爆料)|315|三一五|抖音|快手|微博|小红书|头条|发帖|直播|"
       r"(发|放|挂|传)(到|在|上)?(网上|朋友圈|群里|业主群)|网上(说|曝|讲)|让大家都看看|上热搜|上新闻"),
    # a penalty charged to the customer (还要收违约金, 提前还款违约金) is a fee disputed, not a claim; one to be
    # paid to them (支付违约金) is
    _r("compensation_claim", r"赔偿|赔钱|赔我|赔给|索赔|赔付|补偿|精神损失|(?<![收交扣罚])(?<!收我|扣我|罚我|还款|收了|扣了|多少)违约金|损失费|误工费|"
       r"(退|还)(我|给我)?(的)?(手续费|利息|年费|钱|差价|物业费)|(要求|必须|得|要).{0,4}(赔|补)|"
       r"给(我)?(个|点)?(补偿|好处|礼品|赠品)|不给我(个|点)?(东西|礼品|赠品|说法就)|(给我|给)退(回来|回|了)|退(回来|还给我)|退房|免(掉|了)?(年费|手续费|物业费)|损失(谁|你们)?(来)?(承担|负责)|"
       r"全退|全部退|退全款|全额退|(本金|损失|差价|差额)(给我)?补(齐|上|回来|足|给我)|补齐|给我换(一|个)?(张|个|套|台)?(新|真|好)的|"
       r"(这|那)(笔|个)?钱.{0,6}(出不出|来出|得出|出吗|承担)|钱(得|要|必须|就|都)?(退|还)(给)?我|谁(来)?出(这笔|这个)?钱|(少|差)的(这)?(部分|钱|面积|几个平|平方)(怎么|咋)算|"
       r"折(成)?(现|钱)|(费|钱)(你们|开发商|银行|公司)(来)?出|(费|钱)谁(来)?出|(给我|你们)报(了|销)|报销|算(我|给我)?(的)?利息|误工|"
       r"(你们|银行|公司|开发商|物业)(给)?(我)?赔(吗|不(?!是)|么|得起)|(谁|怎么|咋|如何)(来)?赔(?!礼|不是)"),
    _r("group_complaint", r"业主们|我们业主|全体业主|好多业主|很多业主|大家一起|一起来|一块儿来|联名|集体|一群人|"
       r"多位业主|广大业主|众多业主|几百户|上百户|百余户|(?<!\d)\d+\s*多?户|(?<![一二三四五六七八九十百千])[一二三四五六七八九十百千]+多?户(业主|人家)|"
       r"邻居们|我们(这)?(几|十几|二十几|几十|好几|[两三四五六七八九十]|\d+)(个|户|家|位)(?!子女|孩子|儿女|兄弟|姐妹|家人|老人)|(?<!让)(?<!叫)(?<!给)大伙(?!评|看|瞧|说说|知道)|一帮人|好几家|((?<!\d)0*(?:[3-9]|[1-9]\d+)|三|四|五|六|七|八|九|十|几十|十几)\s*(个人|户|家|位|个业主|个客户)(一起|都)|"
       r"拉(了)?(个)?群|维权群|全楼|整栋楼|整个楼|一栋楼的|业主群|一起去|一块(儿)?去|(拉|挂|打)(起)?(了)?(个|条)?横幅|"
       r"(几|好几|十几|几十|好几十|上百|几百)户", negatable=False),
    _r("repeat_complaint", r"又(来|跑|一次|出现|发生|扣|吞|坏|拖|延期|是这样|没(人|有人|动静|下文|消息|修|来|到|解决|回音|结果))|再次|第[二三四五六2-6]次|(?<![十百几\d])多次|好几次|几次三番|"
       r"三番五次|反复|上次(投诉|反映|来|说)|投诉过|反映过|找过(你们)?(好几|几)?(次|回)|跑了(好几|[二三四五2-5])(趟|次)|"
       r"屡次|再三|(昨天|前天|上周|上次|之前|上个月|上礼拜).{0,3}(问|来|找|打)(过|了)(一|1)?(次|趟|回)|多方|一直(在)?(拖|推|没|不)|至今(仍|还)?未(解决|处理|答复|回复|修|见|给|落实|有|得到)|(打|拨)(过|了)(12345|热线)|"
       r"(说|讲|报|问|找|打|跑)了(不下|不止)?(多少|好多|很多|好几|几|N|两|[二三四五六七八九十几\d]{1,3}多?)(次|回|遍|趟)|第[二三四五六七八九十\d]+(次|趟|回)|还是没(解决|人管|下文|结果|修|修好|到|人来|动静|反应|处理)|一直没(解决|人管|下文|结果|回复)|(至今|到现在)(还|都|也|仍)?没(人|有人|下文|结果|回音|动静|解决|处理|回复|修|联系|反应)|"
       r"([两三四五六七八九十几半]|(?<!\d)\d+)(个)?(多)?(月|礼拜|星期|周)(了)?(都|也|还)?没(人|下文|修|动静|结果|回音)|"
       r"([两三四五六七八九十几半]|(?<!\d)\d+)(个)?(多)?(月|礼拜|星期|周)了(都|也|还)没(换|处理|解决|回复|答复)|"
       r"([两三四五六七八九十几]|(?<!\d)\d+)(个)?(多)?天(了)?(都|也|还)?没(人|下文|修|动静|结果|回音)|"
       r"上次(你们|你)?(也|就)是?(你|你们)?这么(说|讲|答复)的?|(等|过)了(一|两|三|好几|几)?(个)?(礼拜|星期|周|个月)(也|都|还)?没(人|有人)(给我)?(打|回|联系)|人影(儿)?(都|也)?没(见|看)|"
       r"上(回|趟)(就|已经|都|也)?(来|跟|和|给|找|反映|投诉|报|打)|上(回|趟)(就|已经|都|也)(说|问)|"
       r"到(现在|今天)(都|也|还)?没(人|有人|消息|下文|回音|动静|结果|解决|修|处理|回复|联系)|"
       r"到(现在|今天)[^,，。!！?？]{0,6}(电话|人影|消息|回音)都没|"
       r"又(漏|裂|停|响|堵|锁|被|给(锁|扣|吞|停|冻)|不行|不能|来了|出问题|跑了)|修了又|(修|报修|反映|投诉|说)(了)?(好几|几|[二三四五六七八九十两3-9])(回|遍|次)|"
       # visits and reports counted ("我已经来了五趟了", "找过物业三回", "维修单都填了三张了", "登记多少回了"),
       # the same answer each visit ("我来一次你说一次"), and a visit earlier the same day ("我上午来过一趟")
       r"来了(好几|[两二三四五六七八九十几\d]{1,2})(趟|回)|找过.{0,4}?(好几|[两二三四五六七八九十几\d]{1,2})(次|回|趟)|"
       r"单(子)?(都|已经)?(填|交|开)了([两三四五六七八九十几]|\d)张|(登记|记|问|说|报)了?多少(回|次|遍)|来一次.{0,3}说一次|"
       r"(上午|早上|昨天|前天|上周|上礼拜|之前)(就|已经)?来过(一)?(趟|回|次)|(去年|上个月|年前)(来)?问(过)?(就|也|都)说"),
    _r("regulator_escalation", r"12378|12345|银保监|银监|金融监管|监管(部门|局|机构)|人民银行|人行|消协|消费者协会|法院|起诉|"
       r"告(你们|到)|律师函|打官司|信访|上访|市长热线|纪委|住建(局|委|部门)|房管局|仲裁|"
       r"(去|找|到|向|打|告到|投诉到|反映到)(了|过)?(你们)?(的)?(总行|总部|上级|政府)|(有关|相关|政府|主管)部门|房产局|住房(和城乡建设)?局"),
    _r("safety_risk", r"(?<!划拳)(?<!猜拳)(?<!烧烤)喝(了)?(点)?酒(?!划拳|猜拳|的人|的吵|聊天|唱歌)|醉|砸(了|烂)?(东西|你|他|她|柜台|玻璃|电脑|桌子|门|窗|这)|砸(了|烂)(?![一几个半两三四五六七八九十到墙])|把.{0,8}砸|泼(过去|你|他|她|到)|打人(?![家民])|动手|揍|弄死|拼了|同归于尽|跳楼|自杀|杀了|拿刀|刀子|炸|放火|烧了|"
       r"闹事|掀(了)?桌|拍桌子|堵(住)?(门|大门)|不让你们(下班|营业)"),
    _r("confidentiality", r"别告诉|不要告诉|不要让.{0,6}知道|别让.{0,6}知道|保密|别说出去|不要说出去|不要透露|别透露|"
       r"匿名|不想让.{0,6}知道|(别|不要)往外说|内部处理|(别|不要)给(我)?家(里)?(人)?打电话", negatable=False),
    _r("vulnerable_customer", r"老人|老年|年纪(大|这么大)|岁数(大|这么大)|上了?(年纪|岁数)|老眼昏花|医院|病床|躺着|大爷|大妈|奶奶|爷爷|老太太|老头|腿脚|残疾|轮椅|拐杖|生病|病了|住院|看病|手术|化疗|"
       r"中风|瘫痪|卧床|心脏病|高血压|糖尿病|发烧|发着烧|癌|退休金|养老钱|棺材本|老伴|"
       r"孕妇|怀孕|救命钱|看不清|听不见|耳背|不会用(手机|机器|智能)|[6-9]\d\s*岁|"
       # an age, not an area or a sum (八十九平, 一测八十四)
       r"[七八九]十(多|几|好几|[一二三四五六七八九])?(岁|了|的人|的老|高龄)|(我|他|她|爸|妈|老伴|父亲|母亲|今年|都|已经|快)[七八九]十", negatable=False),
]

LABEL_RULES: list[Rule] = [
    # purposes
    _r("explanation", r"为什么|凭什么|凭啥|怎么回事|咋回事|给(个|我)(个)?说法|解释|说清楚|讲清楚|什么原因|啥原因|依据|怎么会|"
       r"谁(负责|同意|批准|管)|什么道理|怎么说的|什么意思|是不是|有没有|安全吗|合理吗|对吗|谁定的|搞什么|"
       rf"{_SENTENCE_START}(?=[^{_END}]*[?？])[^{_END}]*(什么|怎么|为啥|谁|哪|吗|呢|啥|咋)[^{_END}]*[?？]"),
    _r("quick_fix", r"赶紧|马上|尽快|立刻|立即|快点|等不了|急(着)?用|着急|急着|今天(必须|就要|之内)|什么时候(能|才|给|来)|多久(能|才)|"
       r"耽误不起|现在就|派个人|来修|还没(修|办|到|下来)|办不下来|要人命|咋(办|寄)"),
    _r("no_recurrence", r"以后|下次|再也|不能再|不要再|别再|整改|改进|杜绝|别人也|其他人也|长点记性|也不改|还不改|每次都|老是|总是"),
    _r("vent", r"气死|窝火|憋屈|受够|忍无可忍|太过分|恶心|什么破|垃圾|欺负人|把人当猴耍|心里不舒服|不爽"),
    # difficult types
    _r("righteous", r"不是为了钱|不为钱|为了大家|为大家|替(其他|别的)?(客户|业主|老百姓|大家)|讨(个)?公道|社会(风气|责任)|"
       r"老百姓的钱|替.{0,8}(客户|业主|老百姓|大家|所有人)(说话|出头|讨)|为了.{0,6}(大家|所有人|整个小区)|不是为了(我)?自己", negatable=False),
    _r("stubborn", r"我不管|反正|就是要|没得商量|我就要|说什么都|少跟我|别跟我(讲|说)|不听|我只要"),
    _r("prepared", r"录音|录像|录下来|拍下来|拍视频|第[一二三四五六七八九十百\d]+条|法律规定|条例|管理办法|依据.{0,8}(规定|法)|"
       r"消费者权益保护法|合同(第|里)|白纸黑字", negatable=False),
    _r("unreasonable", r"(送|给)我.{0,4}(礼品|赠品|东西)|不给.{0,8}(就)?不走|就不走了|赖(在|着)|天天来|闹到你们|"
       r"你们(必须)?得(全)?(包|管)|不给(我)?(办|赔).{0,4}没完"),
    # personalities
    _r("powerful", r"(叫|把)你们(领导|经理|行长|负责人|工程部)|(领导|经理|行长|负责人|工程部的人)(叫)?(出来|过来)|(认识|跟)你们.{0,8}(行长|老总|副总|领导)|让你们(领导|经理|行长)|我没时间|直接说|别废话|少废话|别绕|给我个准话|你做不了主"),
    _r("perfect", r"明细|清单|具体(是|到)|几点几分|一条一条|详细|精确|核对|书面|流水|凭证"),
    _r("lively", r"哎呀|天哪|我的天|哈哈|真是的|简直了|服了"),
    _r("peaceful", r"麻烦(您|你)|请问|可以吗|没关系|算了|不好意思|打扰"),
    # hall zones
    _r("waiting", r"排队|排了|等了|叫号|取号|号都|等候|干等"),
    _r("self_service", r"ATM|自助|取款机|存款机|吞卡|吞钞|吞了|机器"),
    _r("counter", r"柜台|柜员|窗口|办业务|办理业务|填单|营业员"),
    _r("guidance", r"大堂|门口|进门|引导|咨询台|问了半天|指引|保安|让我去|穿制服"),
]

ANGER = re.compile(r"气死|太过分|什么破|垃圾|骗子|坑人|欺负|忍无可忍|受够|滚|他妈|妈的|混蛋|王八|狗屁|有病|恶心|黑心|"
                   r"骗人|耍人|当猴耍|态度(太)?差|凭什么|搞什么|什么玩意|烂|缺德|不要脸|无耻")
UNHAPPY = re.compile(r"不满|失望|排了|排队|办不了|到底|没人管|没下文|下文|白跑|不认账|谁负责|要人命|这叫|拖了|良心|怎么回事|为什么|太慢|等了|麻烦|着急|不合理|投诉|不行|不对|不舒服|郁闷|生气|怎么搞的|问题|"
                     r"漏水|渗水|裂|延期|扣(?:了|我)|少了|没到账|吞|坏了|出错|失败")
# The emotion scale reads these beside ANGER and UNHAPPY (which the drafter also uses to score sentences):
# a challenge to staff's good faith (凭啥, 偷梁换柱, 这叫服务?) is anger; a complaint's own shape (谁认,
# 到现在还没, 说好的) is displeasure even with no feeling word.
CHALLENGE = re.compile(r"凭啥|啥道理|什么道理|偷梁换柱|忽悠|糊弄|骗(人|我|子|钱|老人|老百姓)|坑(人|我|老人|老百姓)|吓唬|"
                       r"翻脸不认人|狗眼看人低|受气|当(我|我们|大家)(是)?(瞎|傻|猴|傻子)|还让不让人|难不成|欺诈|霸王|耍(我|人)|"
                       r"不管了|这就是你们的|睁眼说瞎话|明摆着|蒙人|宰人|抢钱|讹|丢人|脸往哪|人命|"
                       r"这叫(什么|啥)?[^。!?!?]{0,8}[?？]|这是[^。!?!?]{0,10}(该干|能干)的事")
COMPLAINT = re.compile(r"咋(回事|整|办|还|就|不|能|这么)|怎么还|还(是)?没|都没|一直没|没(见|收到|看见|看到|人|动静|影)|"
                       r"谁(认|出|管|负责|同意)|算谁的|不会[^。!?!?]{0,6}吧|差(这么|那么)|白白|打水漂|不给(我)?|不让|"
                       r"非(要|得|让|说)|说好的|答应(的|过)|到现在|多扣|乱收|扣(了|我)|少(了|给)|退(钱|款|回|给)|赔|"
                       r"难道|凭|还得|又要|又让|怎么(就|能|会)|什么意思|啥意思|有没有人|管不管|受不了|撑不住|睡不着|不踏实|"
                       r"担心|害怕|怕|吓得|白跑|跑了|几趟|好几|半天|一个(多)?钟头|半个(多)?月|几个月|多少(次|回|遍)|"
                       r"谁(给|拿|让|说|卖|签)|打哪|哪来的|是不是(你们|把我|有人|故意|嫌)|(啥|什么)时候(同意|答应|说过|签过)|"
                       r"莫名其妙|根本不知道|就不能|还要不要|这能|买来干(嘛|啥)|拉黑|心疼|差得")
RAGE = re.compile(r"砸(了|烂|坏)?(你们|你|这|柜台|玻璃|电脑|东西|桌子|门|窗|店)|把[^。!?!?]{0,8}砸(了|烂)|打人(?![家民])|弄死|拼了|同归于尽|他妈|妈的|王八蛋|混蛋|滚|掀桌|拍桌子")

REAL_ESTATE = re.compile(r"交房|收房|业主|开发商|物业|楼盘|装修|漏水|渗水|验房|售楼|置业顾问|小区|房子|户型|样板房|毛坯|"
                         r"精装|工程部|延期交付|产权证|房产证|墙面|开裂|空鼓|车位|绿化|楼栋|单元|公摊")
BANK = re.compile(r"银行|卡|柜台|柜员|取款|存款|转账|理财|贷款|利息|ATM|网点|账户|手续费|挂失|密码|汇款|信用卡|存折|大堂经理|"
                  r"手机银行|网银|短信|扣费|余额|利率|按揭|月供")


def cues(pattern: re.Pattern[str], text: str) -> list[str]:
    """Whole matched cues (findall would return groups for patterns that have them)."""
    return [m.group(0) for m in pattern.finditer(text)]


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTE.finditer(text)]


def _in_quote(starts: list[int], ends: list[int], pos: int) -> bool:
    # quotes never overlap, so only the last one opening before pos can hold it; a scan of every
    # quote for every cue made a paste of many short quotes quadratic
    i = bisect.bisect_left(starts, pos) - 1
    return i >= 0 and pos < ends[i]


@dataclass(frozen=True)
class Match:
    code: str
    cue: str
    negated: bool
    start: int = 0


# a text at the input limit may repeat one cue thousands of times; past this many plain hits of a rule
# more change no label or flag, only the length of its explanation, and each cost a negation check
MAX_HITS_PER_RULE = 16


def find(rules: list[Rule], text: str) -> list[Match]:
    """Every rule hit in text, marking cues that are negated or inside quoted speech."""
    quotes = _quoted_spans(text)
    starts, ends = [a for a, _ in quotes], [b for _, b in quotes]
    out: list[Match] = []
    for rule in rules:
        kept = {False: 0, True: 0}
        for m in finditer(rule.pattern, text):
            start = m.start()
            in_quote = _in_quote(starts, ends, start)
            before = text[max(0, start - 8) : start]
            negated = in_quote or (rule.negatable and bool(_NEGATION.search(before)))
            if kept[negated] < MAX_HITS_PER_RULE:
                kept[negated] += 1
                out.append(Match(rule.code, m.group(0), negated, start))
            if kept[False] >= MAX_HITS_PER_RULE:  # later negated hits would only add explanations
                break
    return out
