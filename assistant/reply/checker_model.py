"""Twelfth pass of the reply checker (issue 16): what the bundled model says that staff never would.

Written against `eval/replies/model_v2.yaml` (170 real rewrites of the bundled model on dev situations,
labelled blind from the rule table). The written sets barely hold these shapes, because people do not
write them:

- **the customer's feelings in staff's mouth** (这让我感到有些不满, 我们对油烟问题感到非常不满): the model
  slips into the customer's role; staff say they understand a feeling (我理解您很生气), never that they
  have it about their own bank;
- **steps claimed as done, with nothing said of what or when** (我们已经采取了相应的措施, 已经为您安排了
  一个专门的时间): the model did nothing;
- **outcomes made sure of** (确保一切顺利, 会尽快为您办理退款; not a purpose, 以确保款项顺利到账);
- **fault owned** (确实存在扣费错误的情况, 由于我们的操作失误; not denied, 不是我们的操作失误);
- **the customer sent back** (请您稍后联系我们进行确认, 请联系相关专业机构咨询);
- **a list announced and never given** (我将采取以下步骤:), and the prompt's markers echoed (《客户原话》结束).

These rules read **model drafts only** (`check(..., model=True)`, as the rewriter checks what the model
wrote): a review of the first version found 43 of 78 replies staff would really type blocked by them
(我已经为您办理了挂失, 我看您对这个收费感到困惑, 这笔存款确实不满三个月, 以确保款项顺利到账). For a model
draft a false alarm costs a fall-back to the template; for a draft staff typed it would cost their words.

The thirteenth pass (below the twelfth's patterns) was written against `eval/replies/model_v3.yaml`:
rewrites of customer words the model never saw.

Every quantifier is bounded and stays inside a clause or a sentence: none can go quadratic.
"""

from __future__ import annotations

import re

from assistant.reply.checker_grammar import _C, _S

# words that make the feeling someone else's, or one understood, watched for or denied rather than had
_NOT_OWN = r"理解|明白|体会|知道|感受到|看得出|听得出|懂|看|注意|听说|重视|体谅|怕|担心|希望|大家|业主|客户|别人|谁|不会|都不|没"
# a clause that does not name the customer and holds none of those words: what follows is the speaker's own
_OWN = r"(?:(?!" + _NOT_OWN + r")[^您你。!?!?;;,,、\n])"
# before 感到 / 觉得 the customer may be named as the matter ("我对您提供的信息感到愤怒"), not as the one who
# feels ("我们让您感到不满", "我看您对收费感到困惑")
_OWN_BEFORE = r"(?:(?!" + _NOT_OWN + r"|让|令|使|您感到|你感到|您觉得|你觉得)[^。!?!?;;,,、\n])"
# 不满 as a feeling, not as "short of" (不满三个月, 不满足条件)
_UPSET = r"(不满(?![足意一二三四五六七八九十两\d])|愤怒|气愤|生气|困惑|烦躁|不耐烦|心寒|委屈|窝火|恼火)"

MODEL_VOICE = (
    r"(?<![让令使])(我|我们)" + _OWN_BEFORE + r"{0,12}?(感到|觉得)" + _OWN + r"{0,4}?" + _UPSET
    + r"|(?<![让令使])(我|我们)" + _OWN + r"{0,8}?(真是|实在是?|确实|很|非常|十分|特别)" + _OWN + r"{0,2}?" + _UPSET
    + r"|(?<![不会没])(让|令|使)(我|我们)" + _OWN + r"{0,4}?(感到|觉得)?" + _OWN + r"{0,2}?" + _UPSET
    # what is the customer's, said as the speaker's own ("侵犯了我的隐私", "对我们的生活造成了困扰", "我家卫生间")
    + r"|(影响|打扰|困扰|耽误|侵犯|泄露|损害)了?(我们|我)的(生活|休息|日子|隐私|权益|利益|孩子|家人|居住)"
    + r"|对(我们|我)的(生活|休息|日子)造成"
    + r"|(?<![您你他她])我家(的)?(卫生间|房子|厨房|墙|顶|吊顶|孩子|老人)"
)

# a step claimed as done with nothing said of what or when
MODEL_CLAIMS = (
    r"(我们|我)(已经|已)(采取了(相应|一些|相关|必要)的?措施|(为您|帮您)?安排了一个专门的时间|将此事上报给?了?相关部门)"
)

MODEL_PROMISE = (
    r"(?<![以好是为了能力量])确保(?!不了|不)(一切|所有)?" + _C + r"{0,10}?(顺利|符合您的期望|让您满意|得到(妥善|有效|圆满)?解决)"
    + r"|(?<!不)(尽快|马上|立即)(为您|给您)(办理)?(全额)?(退款|退钱|赔偿)(?![的事申请手续方案表单吗])"
)

MODEL_FAULT = (
    r"确实(存在|发现了?)" + _C + r"{0,10}?(我们|我方|本行|银行)" + _C + r"{0,6}?(错误|失误|差错|出错|搞错|弄错)(?!率)"
    + r"|(?<![不并])(由于|因为)我们的(操作|工作|服务)?(失误|差错|疏忽)"
    + r"|我们确实发现了?(一些)?问题(?!出在|是)"
    + r"|确实[,,]?我们的(服务态度|服务|工作|态度)" + _C + r"{0,8}?(不满|不好|不到位|欠缺)"
)

MODEL_BRUSH = (
    r"请(您)?(稍后|过后|改天|回头)(再)?(联系|致电|来电)(我们|我行|银行)?(进行)?(确认|咨询|查询)(?!" + _S + r"{0,20}?(或者|也可以|我这边))"
    + r"|请(您)?(联系|咨询|找)(相关|有关)?(专业)?" + _C + r"{0,8}?(机构|律师|人士)(进行)?(咨询)?"
)

# a list announced and never given: the model stopped at "我将采取以下步骤:"
MODEL_CUT_LIST = r"(以下|如下)(几个)?(步骤|措施|方面|几点|方式|方法)" + _C + r"{0,8}?[::]?\s*$"
# the prompt's own markers echoed ("《客户原话》结束"), or a reply to whoever asked for the rewrite
MODEL_META = (r"《?客户原话》?" + _S + r"{0,2}?(结束|开始)|(按照|根据)你的要求进行(修改|改写)(和|并)回复"
              # the one who asked for the rewrite answered, as 你 (staff say 您 to a customer)
              r"|(按照|根据)你的要求(进行|来)?(修改|改写)")

# Thirteenth pass (session 39), from the dev model replies the rules above missed (model_v2: blocking recall
# 0.64 there against 0.98 on the written sets): the model claims steps as done that the template only
# offers (我已经开始检查这笔转账的状态, 已经为您办理了存折的挂失, 已经向他了解了情况), states the account's state
# (您的款项还没有到达) or what it "knows" (据我了解), and speaks as the customer's family (我儿子转的生活费).
# not 记录 / 记下 / 收到: "我们已经记录下您的情况" is true as staff speak (the labels pass it)
_DONE_VERB = (r"(登记|办理|提交|查询|查到|审查|审核|拍了|拍下|拍照|上报|报告|报给|通知|安排|核实|调取|调出|挂失|拒绝"
              r"|冻结|止付|停止|检查|完成|提供|确认|处理好|准备好|联系了|讲解|解释了|对接好)")
MODEL_DONE = (
    r"(我们|我)(这边)?(已经|已)(开始|先行|经)?(为您|帮您|给您|向您|替您|将|把)?" + _C + r"{0,14}?"
    + _DONE_VERB
    + r"|(我们|我)(这边)?(已经|已)(向|跟|和)(他|她|对方|经理|同事|柜员|相关部门)" + _C + r"{0,6}?(了解|核实|确认|沟通)"
    + r"|(?<![如果若是否看查问])您的(账户|款项|钱|卡|存单|汇款|转账|这笔钱|这笔款)(目前还|现在还|还|并|目前|暂时)?(没有|没|未|并未|已经|已)"
    + r"(?!" + _C + r"{0,6}?(吗|呢|的话))"
    + r"|据(我|我们)(所)?了解"
    # a check said to have been run ("我们确实对产品进行了详细的分析", "并进行了初步审查")
    + r"|(?<![如若等])(我们|我)" + _S + r"{0,16}?(进行了|做了)" + _C + r"{0,6}?(分析|审查|审核|核实|调查|检查|排查|核查)"
    + r"|(我们|我)(这边)?(已经|目前)?正在(与|和|跟)" + _C + r"{0,10}?(沟通|联系|协调)"
)
# the customer's family or belongings in the speaker's mouth: staff do not bring their own son or card into a reply
MODEL_KIN = (r"(?<![您你他她])我(的)?(儿子|女儿|闺女|妈妈|老妈|我妈|爸爸|我爸|老伴|媳妇|老公|爱人|父亲|母亲|孩子)(?!们)"
             r"|(?<![您你他她])我的(银行卡|卡|存折|存单|账户|定期|存款|工资|房子|车位)"
             r"|我们希望(开发商|银行|物业|你们|贵行|贵公司)")
MODEL_FAULT13 = (
    r"确实存在(一些|这个|这些)?(问题|错误|差错|失误|不足|漏洞)(?!吗)"
    + r"|确实存在" + _C + r"{0,10}?(错误|差错|失误)"
    # "确实,我们的服务存在一些问题": the bank's own shortcoming, owned before anything is checked
    + r"|(我们|我方|本行|公司)的?" + _C + r"{0,12}?(?<![不没])存在(一些|一定的?|不少|很多)(问题|不足|缺陷|瑕疵)(?!吗)"
)
MODEL_PROMISE13 = (r"确保" + _C + r"{0,10}?得到(及时|彻底|尽快|根本)解决|(会|将)尽快(为您|给您)(开具?|出具)"
                   # (not "为了确保您的…顺利": on dev it caught 4 and raised 3 false alarms, and held out it lost precision)
                   r"|尽(全力|最大努力|最大的努力)确保"
                   # a repair or refund dated by the model ("预计在一周内完成")
                   r"|预计(在)?([一两三四五六七八九十]|\d{1,2})(个)?(周|星期|天|个月|工作日)(之内|内|以内)?(完成|修好|到账|解决|处理完|退回)")

MODEL_PROMISE14 = (r"确保" + _C + r"{0,8}?(及时|按时|准时|如期|尽快)(到账|到位|退回|交付|通气|通上)"
                   r"|确保(所有|一切|全部)" + _C + r"{0,6}?符合(合同|国家|相关)?(的)?(标准|要求|约定)"
                   # a remedy handed over as settled ("我们将尽快为您提供补领服务")
                   r"|(将|会)(尽快|马上|立即)?(为您|给您)(提供|安排)(补领|补发|补偿|赔偿|退款|换货|更换|免费维修)")

# Fourteenth pass (session 40), from the dev model replies still missed: the customer's inconvenience or
# request in the speaker's mouth (这让我感到非常不便, 我想办理一张银行卡领取工资), papers said to be in hand
# (我们已经收到合同附件), a talk said to be under way after 并且, an explanation said to be given, the service
# vouched for (服务态度始终如一), and the sales claims judged untrue (与实际情况不符).
MODEL_VOICE14 = (r"(?<![不会没])(让|令|使)(我|我们)" + _OWN + r"{0,4}?(感到|觉得)" + _OWN + r"{0,2}?(不便|失望|困扰|不舒服|不安|心寒)"
                 + r"|(?<![让令使])(我们|我)对" + _OWN_BEFORE + r"{0,16}?感到" + _OWN + r"{0,4}?" + _UPSET
                 + r"|(?<![您你他她])我(想|要|需要)(办理|办|存|取|投诉|退|领取|申请|确认一笔)(一张|一笔|个)?")
MODEL_CLAIMS14 = (r"(已经|已)收到(了)?(您的|您提供的)?(材料|合同附件|附件|资料|申请|证明|证件|单据)"
                  r"|(并且|并)(已经|目前)?正在(与|和|跟)" + _C + r"{0,10}?(沟通|联系|协调)"
                  r"|(已经|已)(给您|向您|跟您|为您)(讲|解释|介绍|说明)(清楚|明白|过)"
                  r"|(服务|态度)(始终|一直|向来)如一")
MODEL_FAULT14 = r"(与|跟|和)(实际|事实)(情况)?(不符|有出入)|确实发现" + _C + r"{0,10}?(没有正常(工作|运行)|出了?故障)"

# one pattern per rule: each rule's shapes of both passes, scanned once
COMPILED12 = [(code, re.compile("|".join(parts))) for code, parts in (
    ("customer_voice", (MODEL_VOICE, MODEL_KIN, MODEL_VOICE14)),
    ("invented_fact", (MODEL_CLAIMS, MODEL_DONE, MODEL_CLAIMS14)),
    ("promise", (MODEL_PROMISE, MODEL_PROMISE13, MODEL_PROMISE14)),
    ("fault_admission", (MODEL_FAULT, MODEL_FAULT13, MODEL_FAULT14)),
    ("brush_off", (MODEL_BRUSH,)),
    ("form", (MODEL_CUT_LIST, MODEL_META)),
)]
