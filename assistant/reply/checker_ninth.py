"""Ninth pass of the reply checker (issue 16, batch 7 on dev): what a brush-off hands away.

A brush-off hands the matter to someone else and stops there. The earlier passes listed the words of
"not mine" (管不了, 不归我管, 说了算) and of sending off (您去找……吧); new wordings keep slipping past
them. This pass reads the move as three classes, each with a bounded window inside one clause:

- **our side without a say**: a unit of ours (我们, 物业, 银行, 网点, 柜台, 这边, 售后) that has no power or
  may not step in (没权力, 无权, 不好插手, 不顶用), or only relays (也就是代销, 只是执行), or does not take the matter at all (不受理);
- **someone else's say**: the outcome left to another party (得看人家, 就看开发商了, 要看厂家安排,
  人家说了算) or said to be another party's business (和我们银行关系不大);
- **the customer sent to settle it**: with a neighbour or the other side (您俩自己协商), or by waiting
  until "it comes by itself" (排到您了自然会去的, 到时候自然就降了, 总会有结果的).

And two small classes of other rules: an excuse after an apology (a change under way on our side, 刚换了经理,
正在升级; another party slow, 那边处理得慢) and a question that needs no answer (这还用问吗?).

These are the checker's brush-off patterns like any other: an honest limit or a referral stays allowed
when staff's own concrete step sits in its sentence or the next (`concrete_step_near` in `_keep`), so
"物业不能强行拖走,这是实话。我现在去查监控找车主" passes. Every quantifier is bounded and stays inside a
clause: none can go quadratic.
"""

from __future__ import annotations

import re

from assistant.reply.checker_grammar import _C, _S, _YOU

# a unit of ours, as the customer hears it
_OURS = r"(我们|我|咱们|物业|银行|我行|网点|柜台|支行|这边|我这边|我们这边|售后|公司|开发商|前台|客服)"
# another party the matter is put on
_OTHER = (r"(人家|他们|对方|厂家|开发商|总行|分行|上面|领导|基金公司|保险公司|施工方|施工单位|物业|业委会|登记中心|房管局"
          r"|热力公司|自来水公司|燃气公司|供电局|电力公司|维保公司|卡组织|卡中心|清算中心|人社局|社保局|法院|派出所|政府|国家|市政|财务)")

NINTH_BRUSH = (
    # our side without a say: 物业没有权力进别人家, 我们不好插手, 跟我们说也不顶用
    _OURS + _C + r"{0,6}?(没有?|无)(权力|权利|权限|决定权|资格)(?!的人)"
    + r"|" + _OURS + _C + r"{0,4}?(不好|不便|不能|没法)(插手|干涉|过问|掺和|管这|管他们|管人家)"
    + r"|(不掺和|不插手|不顶用|不管用|不好使)(了|的)?(?=[。!,]|$)"
    # only relaying: 我们这边也就是代销, 我们只是执行
    + r"|" + _OURS + r"(这边|那边)?(也)?(就|只|不过|也就)(是|管)?(个)?(代销|代收|代办|代理|转交|转达|传话|执行)"
    # not taking the matter: 我们网点不受理投诉
    + r"|" + _OURS + _C + r"{0,4}?(不受理|不接待|不负责这|不处理这)"
    # the outcome left to another party: 得看人家, 就看开发商了, 要看厂家安排, 人家说了算
    + r"|(得|要|就|全|都|还得|只能)看" + _OTHER + r"{1,2}(那边)?(的)?(安排|意思|心情|进度|时间|排期)?(了)?(?=[。!,]|$)"
    + r"|" + _OTHER + r"(那边)?(说了算|定了算|决定的事)"
    # another party's business, said of ours: 和我们银行关系不大
    + r"|(跟|和|与)" + _OURS + r"(银行|网点|柜台|物业)?(这边)?(没(有)?(什么|啥)?关系|关系不大|不相干|无关)"
    # the customer sent to settle it: 您俩自己协商一下吧, 您跟邻居自己沟通吧
    + r"|" + _YOU + r"(们|俩|两家|双方)?" + _C + r"{0,8}?自己(私下)?(协商|沟通|商量|解决|想办法|看着办|处理)(一下)?(吧|就行|就好|去吧)?(?=[。!,]|$)"
    # waiting until it comes by itself: 排到您了自然会去的, 轮到您会打的, 到时候自然就降了, 总会有结果的
    + r"|(排到|轮到|等到|到时候)" + _C + r"{0,4}?(自然|自然而然|肯定|就|会)(会|就)?(去|打|来|降|有|通知|办|联系)" + _C + r"{0,3}?(的|了)(?=[。!,]|$)"
    + r"|(总|迟早|早晚)(会|能)有(结果|说法|消息|信儿)"
)

_APOLOGY = r"(对不起|抱歉|不好意思|道歉|对不住|过意不去|添麻烦了)"
# a change under way on our side given as the reason after an apology: 真是抱歉,这周物业刚换了经理
NINTH_EXCUSE = (_APOLOGY + _S + r"{0,20}?(刚|正在|正|最近|这周|这几天|这阵子|前几天|上周|这个月)(在)?"
                r"(换了?|调整|搬家|搬迁|交接|升级|改版|切换|合并|装修|培训|整改|招人)"
                # or another party slow: 人民银行那边处理得慢
                r"|" + _APOLOGY + _S + r"{0,30}?(那边|他们|对方|上面|厂家|总行|银联)" + _C + r"{0,4}?(处理|审批|审核|办|走流程|发货)?(得)?(慢|太慢|很慢|拖着|没批)")

# a question that needs no answer: 这还用问吗?
NINTH_RHETORIC = r"还用(问|说|讲|我说|我讲)(吗|嘛)"

COMPILED9 = [("brush_off", re.compile(NINTH_BRUSH)), ("apology_excuse", re.compile(NINTH_EXCUSE)),
             ("rhetorical_question", re.compile(NINTH_RHETORIC))]
