"""Fifth pass of the reply checker (issue 16, batch 6): each rule as a small grammar.

A rule here is a marker class, a bounded window inside one sentence or clause, and a content class,
so a new wording of the same move is caught without being listed:

- promise: a money verb with an amount adverb (如数返还, 照价赔, 足额打到, 全部补回来, 原路回到), a time and a
  done-state (明天一早就能解开, 月底之前全部给您刷好), a voucher (包在我身上, 立字据, 敢跟您担保, 放一百个心),
  a future that cannot recur (以后再也不会渗水, 绝对不会再让您排队);
- fault_admission: our side (我们行, 信用卡中心, 施工方, 那台机器) and a fault word said as fact (疏忽, 差错,
  一塌糊涂, 拿不出手, 草率, 以次充好, 老毛病), or blame taken (我们公司是有责任的, 我们早就该换了);
- blame_customer: 您/你 and an own-fault verb phrase (写错, 拖着没来, 老是不看, 也不知道提前, 操作太快), hindsight
  with the customer first (您但凡……也不会), the loss put on them (由您自己扛);
- invented_fact: a past state of the customer's business nobody looked up (已经原路退回, 已经自动清零), a cause
  (您的额度是因为……), others' history (已经有十几户报修过), an office's state (总部已经知道了, 正在开会研究),
  maintenance (上周刚检修过);
- brush_off: what no one will do (没人能管, 您忍一忍), not knowing how (真不知道该怎么弄), closing the matter
  (这个事就先这样吧), my rank (我也只是个普通柜员);
- apology_excuse / apology_conditional / rhetorical_question: wider apology words (添麻烦了, 赔个礼), reasons
  (鉴于, 然而, 也是按合同办事), a token apology (行行行……不对), an apology on an unverified "万一是我们";
  rhetorical 早干什么去了, ……有意思吗, 哪家银行不…….

The patterns are merged into the checker's (checker.py) and filtered by the same _keep rules. Every
quantifier is bounded and stays inside one sentence or clause: none can go quadratic.
"""

from __future__ import annotations

import re

_S = r"[^。!?!?;;\n]"      # inside one sentence
_C = r"[^。!?!?;;,,、\n]"  # inside one clause
_APOLOGY5 = (r"(对不起|抱歉|不好意思|道歉|道个歉|见谅|对不住|歉意|致歉|赔个不是|赔不是|赔个礼|赔礼|添麻烦了|添堵了"
             r"|说声对不起|说句对不起)")
_YOU = r"(您|你)"
_FIRST = r"(我们|我行|我们行|本行|咱们|我们公司|我们物业|我们银行|我们网点|我们这边)"
# a side of the bank or developer a fault can be said of
_OURS5 = (r"(我们|我行|我们行|本行|银行|公司|开发商|网点|同事|柜员|理财经理|客户经理|物业|施工方|施工队|施工单位|总包"
          r"|信用卡中心|客服中心|总行|分行|工程部|售后|销售|那台机器|这台机器|机器|系统|工程|质量|验收|材料|服务|收费)")
# fault words strong enough to need no "确实": said of our side, they concede the fault
_FAULT5 = (r"(疏忽|差错|失误|过失|失职|理亏|一塌糊涂|拿不出手|草率|以次充好|偷工减料|不像话|老毛病|不靠谱|不专业|差劲"
           r"|乱七八糟|一团糟|保管不善|管理不善|不应该|说不过去|弄错了|搞错了|办错了|算错了|选错了|扣错了|录错了|不合理"
           r"|做得不对|没做到位|不到位|不负责任?|太马虎|马虎|有缺陷|有责任)")
# money verbs with an amount adverb: the money back is promised, whatever the marker
_MONEY_ADV = r"(如数|足额|照价|原价|全额|全部|原路|一分不少地?|一分不差地?|一分不落地?|一点不少地?|加倍|双倍)"
_MONEY_VERB = r"(返还|退还|退回|退给|退到|赔给|赔偿|补给|补回|打到|打回|回到|到(您|你)?(的)?(账|卡)|还给|还到)"
# a done state only the business line can give
_DONE5 = (r"(解开|解冻|拿走|拿回|刷好|修好|补装|装上|装好|换好|换掉|补好|办下来|批下来|批了|到账|退回|解决|恢复|撤销|撤掉"
          r"|消掉|免掉|热起来|通上|开通|交房|拿到钥匙|拿到证)")
_WHEN5 = (r"(今天|明天|后天|下周[一二三四五六日天]?|这周|本周|周末|月底|月初|下个?月|年底|一早|下午|上午|今晚|晚上|回头"
          r"|过两天|这两天|节前|节后|马上|立马|待会儿?|一会儿)")
_VOUCHER = (r"包在我身上|(立|写)(个|张|一张|份)?(字据|保证书)|(?<![不没])(敢|可以|能)(跟|给|向|和)(您|你)(担保|保证|打包票|打保票|拍胸脯)"
            r"|放一百个心|拍着胸脯|拿我的(饭碗|工作|人格)|错不了的|妥妥(的|地)|稳稳当当(能|地|的)?")
_RECUR_NOUN = r"(掉|漏|渗|裂|坏|堵|吞卡|出现|发生|出问题|有问题|让您|让你|排)"
_CAUSE_SUBJ = r"(您|你)(的|这张|这笔|这个|家)" + _C + r"{0,8}?"

FIFTH: dict[str, str] = {
    "promise":
        # 如数返还, 照价赔给您, 足额打到您账上, 全部补回来, 原路回到您账户上, 一分不少地退还
        r"(会|能|就|都|肯定|一定|保证|我们|公司)(?:(?!已)" + _C + r"){0,8}?" + _MONEY_ADV + r"(地)?" + _C + r"{0,2}?" + _MONEY_VERB
        + r"|(会|能|就|都)" + _C + r"{0,4}?(帮您|给您|替您)?(全部|都)?(补回来|追回来|赔回来|要回来|拿回来)"
        # a time and a done state stated as settled: 明天一早就能解开, 下午来柜台就能把卡拿走
        + r"|" + _WHEN5 + r"(之前|以前|前|之内|以内)?" + _C + r"{0,10}?(就能|就会|一准|准能|全部|都能|保证|肯定能|一定能)"
        + _C + r"{0,6}?" + _DONE5
        # vouchers: 包在我身上, 立个字据, 我敢跟您担保
        + r"|" + _VOUCHER
        # a fault that will never recur: 以后再也不会往下渗水, 绝对不会再让您排这么长的队
        + r"|(以后|今后|往后|从此|再也|绝对|保证|肯定)" + _C + r"{0,6}?(不会|不可能|没)(再)?(往下)?" + _C + r"{0,2}?" + _RECUR_NOUN
        # an outcome declared free of trouble: 补装上去没有任何问题, 能给您撤销掉, 满意的补偿
        + r"|(补装|装上|退|赔|补|换|撤销|修)" + _C + r"{0,6}?没有任何问题"
        + r"|(能|可以)(给您|帮您|替您)?" + _C + r"{0,10}?(撤销掉|撤掉|消掉|抹掉|删掉)"
        + r"|(肯定|一定|绝对|保证)会" + _C + r"{0,8}?(满意的|合理的)?(补偿|赔偿)"
        + r"|(跑不掉|跑不了)" + _C + r"{0,6}?(追回|拿回|要回)|(早晚|迟早)(都)?(能|会)(追回|拿回|要回|到账|退回)",
    "fault_admission":
        # our side and a strong fault word: 我们行的疏忽, 信用卡中心这次弄错了, 服务确实一塌糊涂
        r"(?<!你)" + _OURS5 + r"(的)?" + _C + r"{0,10}?(本身就|本来就|确实|的确|就是|太|挺|真|实在|根本|都)?(是)?(挺|太|有点|有些)?" + _FAULT5
        # blame taken: 我们公司是有责任的, 这个锅我们得背, 我们早就该换了
        + r"|" + _FIRST + r"(这边|方面)?(是|也|确实|肯定)?(负有|有|要负|得负|该负|要担|得担)(一定的|主要|全部|很大的)?责任"
        + r"|锅" + _C + r"{0,4}?(我们|我)(得|来|就)?背|" + _FIRST + r"(早就?|本来就?)(该|应该|应当)(把|给)?" + _C + r"{0,6}?(换|修|改|整改|处理|提醒|通知)",
    "blame_customer":
        # 您/你 and an own-fault verb phrase
        r"(?<![不别没把给替帮让])" + _YOU + r"(自个儿|自己|本人)?(连)?" + _C + r"{0,8}?(?<![没不])(输错|写错|填错|按错|点错|选错|记错|看错|签错|转错)"
        + r"|是" + _YOU + r"(自己|自个儿|本人)" + _C + r"{0,6}?(拖着|没来|没办|没去|不来|忘了|没提|没说)"
        + r"|" + _YOU + r"(自己|自个儿)(当时|那时|那天)?(没|没有|不)(提|说|讲|看|来|办|问|注意|交|还|核对)"
        + r"|" + _YOU + r"(老是|总是|从来|一直|经常|每次都|老)(都)?(不|没)(看|听|注意|来|交|还|接|管|理)"
        + r"|" + _YOU + r"(也|都|自己)?(不知道|不晓得|没想着|不记得|没记得)(提前|早点|早|先|及时)"
        # hindsight with the customer first: 您但凡多长个心眼也不会上当
        + r"|" + _YOU + r"(当初|当时|那时)?(但凡|要是|如果|只要|早|多)" + _S + r"{0,24}?(也不会|就不会|也不至于|就没事|就好了|也就不会|就能避免)"
        + r"|(要是|如果|但凡|只要)" + _YOU + r"(当初|当时)" + _S + r"{0,30}?(也不至于|就不会|也不会|就没事|就好了)"
        # the cause put on the customer: 说到底还是您没按时还款,才会……
        + r"|(还是|都是|就是|说到底|归根结底)" + _YOU + r"(自己)?(没|没有|不|忘了)" + _S + r"{0,16}?(才|所以|导致|造成)"
        + r"|" + _YOU + r"(家)?(的)?(孩子|小孩|老人|家人)" + _C + r"{0,10}?(乱点|乱按|乱动|瞎点|瞎按)"
        + r"|(乱点|乱按|乱动|瞎点|瞎按)" + _C + r"{0,4}?才"
        + r"|(由|得|要|只能)(由)?" + _YOU + r"(自己|自个儿)(扛|承受|买单|认了|兜底|负担)"
        + r"|(业主|客户|储户|您|你)(私自|擅自|自行|自作主张)" + _S + r"{0,20}?(怪不到|怪不了|赖不到|找不到)(我们|银行|公司|物业|开发商)"
        + r"|" + _YOU + _C + r"{0,4}?(操作|按|点|输)(得)?(太快|太急|太早|有误|不对|不当)"
        + r"|" + _YOU + r"(填|写|输|选|给)的" + _C + r"{0,8}?(不对|错了|有误|不全)"
        + r"|(现在|这会儿)(再|才)(提|说|来说|反映|来)" + _C + r"{0,6}?(说不清|不认|晚了|没用|很难)"
        + r"|(不能|别)反悔|(又|还|反倒|倒)(回过头来|反过来)?(来)?(怪|赖|怨)(银行|我们|公司|开发商|物业)"
        + r"|早干(什么|嘛|啥)(去)?了?",
    "invented_fact":
        # a past state of the customer's business nobody looked up: 已经原路退回了, 已经自动清零了
        _CAUSE_SUBJ + r"(在|于)?" + _C + r"{0,8}?(就)?(已经|早就|早已)(自动|原路|全部|全额)?"
        r"(退回|到账|入账|清零|冻结|解冻|下调|注销|通过|作废|过期|批了|处理完|放款)"
        + r"|(钱|款|这笔钱|积分|额度)" + _C + r"{0,10}?(就)?(已经|早就|早已)(自动|原路|全部|全额)(退回|到账|清零|下调|返还)"
        # a cause stated for the customer's account: 您的额度是因为……
        + r"|" + _CAUSE_SUBJ + r"(是|就是)(因为|由于)"
        # others' history: 这栋楼上个月已经有十几户报修过
        + r"|(已经|都|早就)?有(十几|好几|几十|很多|不少|好多|二十几|几百)(户|家|位|个|人)" + _C + r"{0,6}?(报修|投诉|反映|遇到|出现|办过|赔过)"
        # an office's state: 集团总部已经知道了, 领导们正在开会研究
        + r"|(总部|集团|领导|上面|总行|分行|公司)(们)?" + _C + r"{0,4}?(已经|正在|都在|早就)(知道|开会|研究|在处理|在查|在办|重视|批)"
        # maintenance claimed: 上周刚检修过
        + r"|(上周|上个月|昨天|前天|前几天|刚刚|最近)" + _C + r"{0,4}?(刚)?(检修|维修|保养|检查|校准|升级|调试)(过|完)"
        # another household's matter closed: 他家的事已经处理完了
        + r"|(他|她|他们|人家)(家)?(的)?" + _C + r"{0,4}?(已经|早就)(处理完|赔了|修好|退了|解决)"
        + r"|是" + _YOU + r"(本人)(签字|同意|授权|确认)",
    "brush_off":
        r"没人能管|没人管得了|(您|你)(就)?(忍一忍|忍忍|忍着点|将就一下|将就将就)"
        + r"|(真|实在|也|都)?不知道(该|应该|要)?(怎么|咋|如何)(弄|办|处理|搞|解决)"
        + r"|(这个|这)?(事|事情)?(就)?(先)?这样吧(?=[。!]|$)"
        + r"|我(也|就|只|不过)*(是)?(一)?个(普通的?|小小的?|小)(柜员|员工|打工的|办事的|干活的|服务员|前台)"
        + r"|做不了(这个)?主|说不上来|又没人拦着|不归(我|我们)" + _C + r"{0,6}?(处理|负责|办)"
        + r"|(我|我们)" + _C + r"{0,6}?(管不了|管不着)",
    "apology_excuse":
        _APOLOGY5 + r"(啊|呀|哈)?" + _S + r"{0,20}?(鉴于|然而|说起来(也)?是因为|也是因为|都是因为|实在是因为)"
        + r"|" + _APOLOGY5 + _S + r"{0,30}?(我们|我)(也|都)?(只是|就是|也是|都是)(按|照|根据|依照)(合同|规定|流程|制度|要求)(办事|来|执行|办)?",
    "apology_conditional":
        r"(行行行|好好好|好吧好吧|行了行了|得了得了|好了好了)" + _S + r"{0,10}?(不对|错|道歉|抱歉|对不起)"
        + r"|(万一|要是|假使|倘若)(真|真的)?(是)?(我们|我|同事|哪个|哪位|咱们)" + _S + r"{0,16}?(那)(我)?(就)?(先)?(替|代|给|跟)?" + _C + r"{0,4}?" + _APOLOGY5
        + r"|既然(您|你)(认定|非说|坚持|一口咬定|觉得|认为|非要说)" + _S + r"{0,16}?(那)" + _S + r"{0,10}?" + _APOLOGY5
        + r"|(要是|如果|假如|万一)" + _S + r"{0,16}?(误会|误解)" + _S + r"{0,10}?" + _APOLOGY5,
    "rhetorical_question":
        r"早干(什么|嘛|啥)(去)?了?"
        + r"|(有意思|有意义|有用|好玩|有劲)(吗|嘛)[??]?"
        + r"|(哪家|谁家|哪个银行|哪个开发商|哪个小区)" + _C + r"{0,10}?(不|没)" + _C + r"{0,8}?[啊呀呢吗]?[??]",
}

# a concrete step of staff's own, wider than the checker's _STAFF_STEP: first person, a bounded
# window without a negation, and a verb of doing ("我会把您的诉求报给经理", "我们到柜台调出来一起看");
# "我们会联系您", "会跟进的" name no act and stay soft
OWN_STEP5 = re.compile(
    r"(我|我们|我这边)(?:(?!没|不|无法|别)" + _C + r"){0,14}?"
    r"(报给|交给|转给|递给|反映给|上报|报上去|查一下|查查|调出来|调出|问一下|问问|打电话|回电话|登记"
    r"|安排|约|陪|带您|催|申请|准备|送过去)")
# a negation or refusal of saying or guaranteeing earlier in the clause: the promise inside is refused
NEG_SCOPE = re.compile(r"(没办法|没法|不能|不敢|不好|无法|不可能)(跟您|给您|向您|替您)?(说|讲|保证|答应|承诺|打包票|确定|肯定)"
                       r"|说不好|说不准|不好说|不保证|不一定")
# the customer's words read back as theirs: 您非说是我们的错, 您认定……
READ_BACK5 = re.compile(r"(您|你)(非|硬|偏|一口咬定|认定|非要|非得|坚持)(说|认为|觉得)?")
# a token apology around a fault word: 行行行,都是我的不对,这下您满意了吧
TOKEN5 = re.compile(r"行行行|好好好|好吧好吧|行了行了|得了得了|满意了吧|满意了没|就是了")
