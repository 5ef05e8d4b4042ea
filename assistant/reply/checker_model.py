"""Twelfth pass of the reply checker (issue 16): what the bundled model says that staff never would.

Written against `eval/replies/model_v2.yaml` (170 real rewrites of the bundled model on dev situations,
labelled blind from the rule table). The written sets barely hold these shapes, because people do not
write them:

- **the customer's feelings in staff's mouth** (这让我感到有些不满, 我们对油烟问题感到非常不满): the model
  slips into the customer's role; staff say they understand a feeling (我理解您很生气), never that they
  have it about their own bank;
- **steps claimed as done** (我们已经采取了相应的措施, 已经为您安排好了时间, 我已经开始检查): the model
  did nothing, and a draft that says it did is a fact no one can back;
- **outcomes made sure of** (确保一切顺利进行, 确保款项按时到账, 会尽快为您办理退款; not a purpose,
  为了确保房屋顺利交付);
- **fault owned** (确实存在征信记录错误的情况, 由于我们的操作失误导致的, 我们确实发现了一些问题);
- **the customer sent elsewhere or back** (请稍后联系我们进行确认, 请联系相关专业机构咨询).

Every quantifier is bounded and stays inside a clause or a sentence: none can go quadratic.
"""

from __future__ import annotations

import re

from assistant.reply.checker_grammar import _C, _S

# a clause that does not name the customer and does not say "I understand": what follows is the speaker's own
_OWN = r"(?:(?!理解|明白|体会|知道|感受到|看得出|听得出|懂)[^您你。!?!?;;,,、\n])"
# before 感到 / 觉得 the customer may be named ("我对您提供的信息感到愤怒"), but not as the one who feels
# ("我们让您感到不满", "我理解您感到……")
_OWN_BEFORE = r"(?:(?!理解|明白|体会|知道|感受到|看得出|听得出|懂|让|令|使)[^。!?!?;;,,、\n])"
_UPSET = r"(不满|愤怒|气愤|生气|困惑|烦躁|不耐烦|心寒|委屈|窝火|恼火)"
# what is the customer's, said as the speaker's own ("侵犯了我的隐私", "我家卫生间", "对我们的生活造成了困扰")
_THEIRS = r"(生活|休息|日子|隐私|权益|利益|孩子|家人)"

MODEL_VOICE = (
    r"(?<![让令使])(我|我们)" + _OWN_BEFORE + r"{0,12}?(感到|觉得)" + _OWN + r"{0,6}?" + _UPSET
    + r"|(?<![让令使])(我|我们)" + _OWN + r"{0,8}?(真是|实在是?|确实|很|非常|十分|特别)" + _OWN + r"{0,6}?" + _UPSET
    + r"|(让|令|使)(我|我们)" + _OWN + r"{0,4}?(感到|觉得)?" + _OWN + r"{0,4}?" + _UPSET
    + r"|(影响|打扰|困扰|耽误|侵犯|泄露|损害)了?(我们|我)的" + _THEIRS + r"|对(我们|我)的(生活|休息|日子)造成"
    + r"|(?<![您你他她])我(家|的)(卫生间|房子|卡|钱|账户|存折|首付|工资|孩子|儿子|女儿|妈|爸|老人)"
)

MODEL_CLAIMS = (
    r"(我们|我)(已经|已)(采取了|为您安排好?了|帮您安排好?了|开始(检查|调查|处理|核查)|向" + _C + r"{1,4}?了解了"
    r"|进行了(初步)?(审查|审核|调查)|拍了照片|为您(进行了|办理了)|为您登记并)"
)

MODEL_PROMISE = (
    r"(?<!为了)(?<!为)确保(一切|所有)?" + _C + r"{0,10}?(顺利|到账|符合您的期望|让您满意|得到(妥善|有效|圆满)?解决)"
    + r"|(尽快|马上|立即|会)(为您|给您)(办理)?(全额)?(退款|退钱|赔偿)(?![的事])"
)

MODEL_FAULT = (
    r"确实(存在|有|发现了?)" + _C + r"{0,10}?(错误|失误|差错)"
    + r"|(由于|因为|是)我们的(操作|工作|服务)?(失误|差错|疏忽)"
    + r"|我们确实发现了?(一些)?问题"
    + r"|确实[,,]?我们的(服务态度|服务|工作|态度)" + _C + r"{0,8}?(不满|不好|不到位|欠缺)"
)

MODEL_BRUSH = (
    r"请(您)?(稍后|过后|改天|回头)(再)?(联系|致电|来电)(我们|我行|银行)?(进行)?(确认|咨询|查询)"
    + r"|请(您)?(联系|咨询|找)(相关|有关)?(专业)?" + _C + r"{0,8}?(机构|律师|人士)(进行)?(咨询)?"
)

# a list announced and never given: the model stopped at "我将采取以下步骤:"
MODEL_CUT_LIST = r"(以下|如下)(几个)?(步骤|措施|方面|几点|方式|方法)[::]?\s*$"
# the prompt's own markers echoed ("《客户原话》结束"), or a reply to whoever asked for the rewrite
MODEL_META = r"《?客户原话》?" + _S + r"{0,2}?(结束|开始)|(按照|根据)(你|您)的要求进行(修改|改写)(和|并)回复"

COMPILED12 = [
    ("customer_voice", re.compile(MODEL_VOICE)),
    ("invented_fact", re.compile(MODEL_CLAIMS)),
    ("promise", re.compile(MODEL_PROMISE)),
    ("fault_admission", re.compile(MODEL_FAULT)),
    ("brush_off", re.compile(MODEL_BRUSH)),
    ("form", re.compile(MODEL_CUT_LIST + "|" + MODEL_META)),
]
