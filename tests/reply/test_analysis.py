import numpy as np
import pytest

from assistant.index.exemplars import Exemplar
from assistant.reply.analysis import analyse, knn_labels

POSITIVE = [
    ("media_exposure", "你们再不处理,我就发抖音曝光你们"),
    ("media_exposure", "我认识报社记者,明天就让他来写"),
    ("compensation_claim", "耽误我一天工,你们得赔我误工费"),
    ("compensation_claim", "这个损失必须给我补偿"),
    ("group_complaint", "我们业主都商量好了,明天一起来售楼处"),
    ("group_complaint", "我们十几户都是这个问题"),
    ("repeat_complaint", "这已经是我第三次来反映了"),
    ("repeat_complaint", "上次投诉到现在还是没解决"),
    ("regulator_escalation", "我要打12378投诉你们"),
    ("regulator_escalation", "再不给说法我就去法院起诉"),
    ("safety_risk", "他喝醉了在大厅里砸东西"),
    ("safety_risk", "信不信我跟你拼了"),
    ("safety_risk", "我喝了点酒怎么了,喝了酒就不能来办事了?"),
    ("confidentiality", "这事别告诉我老婆,替我保密"),
    ("confidentiality", "我反映的情况不要让那个柜员知道"),
    ("vulnerable_customer", "我七十多岁了,腿脚不好,站不了这么久"),
    ("vulnerable_customer", "家里老人住院等着这笔钱"),
    ("vulnerable_customer", "我老伴七十好几的人了,摔一下可不得了"),
    ("vulnerable_customer", "我妈中风在床上躺了半年了,下不来床"),
    ("repeat_complaint", "我家漏水又没人来修,报了三回了"),
    ("repeat_complaint", "我跟你们讲了多少回了,转头就忘"),
    # age said as age, and an earlier visit said with 上回 / 上趟 or a wait nobody answered
    ("vulnerable_customer", "我年纪大了眼睛不好使,屏幕上的字看不清"),
    ("vulnerable_customer", "俺岁数大了,腿脚不灵便,经不起你们来回折腾"),
    ("vulnerable_customer", "我都上了年纪了,这些手机上的东西我弄不来"),
    ("repeat_complaint", "上回来说好三天给我回话,到现在也没人理我"),
    ("repeat_complaint", "上趟就跟你们说了,到今天一个电话都没有"),
    ("repeat_complaint", "等了五天了都没人联系我"),
    ("repeat_complaint", "报修到现在还没人来看"),
    ("repeat_complaint", "说好给我回电话,至今没人联系"),
    ("repeat_complaint", "房产证的事我问了不下五回,每回都说在办"),
    ("repeat_complaint", "为这张卡我跑了十几趟了"),
    # visits and reports counted, the same answer each visit, a visit earlier the same day
    ("repeat_complaint", "为这个证明我都来了四趟了,次次让我回去等"),
    ("repeat_complaint", "隔壁装修的事我找过居委会两回,还是照样吵"),
    ("repeat_complaint", "报修单子都交了两张了,还是没个动静"),
    ("repeat_complaint", "你们问了多少遍了,每次都记在本子上"),
    ("repeat_complaint", "来一次就说一次系统在升级"),
    ("repeat_complaint", "昨天就来过一回,说材料不对让我今天再跑"),
    ("repeat_complaint", "卡又给锁了,这个月第二回"),
]
NEGATIVE = [
    ("media_exposure", "我不会去曝光的,就想把事情解决"),
    ("media_exposure", "客户:卡怎么又被锁了\n员工备注:客户说如果处理不好可能发抖音"),
    ("media_exposure", "我朋友说“这种事就该找记者”,我觉得没必要"),
    ("compensation_claim", "我也不是要赔偿,就是要个说法"),
    ("regulator_escalation", "我不想闹到12378,你们给我好好解决"),
    ("safety_risk", "我不会动手的,你放心"),
    ("repeat_complaint", "第一次来你们这儿办业务"),
    ("group_complaint", "就我一个人,排队排了很久"),
    ("group_complaint", "我把视频发到网上,让大伙评评理"),
    # an area or a sum is not an age; "打人家" is not hitting anyone; "我又没干啥" is not a second visit
    ("vulnerable_customer", "合同上写八十九平,房管局一测八十四,多交的钱谁认?"),
    ("safety_risk", "你们给那边银行打个电话催催,我自己打人家也不理我"),
    ("repeat_complaint", "我又没干啥见不得人的事,凭啥限我?"),
    ("repeat_complaint", "基金我这都拿了两年了还是亏的"),
    ("repeat_complaint", "上回买的那个理财到期了,想问问怎么取"),
    ("repeat_complaint", "到现在也没想好要不要转存"),
    ("repeat_complaint", "我在门口喊了半天也没人出来开门"),
    ("repeat_complaint", "我来拿上回说好的那份礼品"),
    # a transfer still on its way is late, not a second complaint
    ("repeat_complaint", "转给供货商的货款,对方说到现在还没收到"),
    # a count of the customer's own tries is no earlier complaint; 说了八百遍 is a figure of speech
    ("repeat_complaint", "手机银行刷脸试了二十多次都不过"),
    ("repeat_complaint", "推销电话我说了八百遍不需要还打"),
    ("repeat_complaint", "工资卡里的钱至今没到账,房东天天催"),
    ("repeat_complaint", "我又给他转了一千块生活费,想问问多久到"),
    ("repeat_complaint", "单子我填好了,交给哪个窗口?"),
    ("vulnerable_customer", "我孩子年纪小,卡能不能让我先替他办"),
    # the neighbours drinking downstairs are a nuisance, not a drunk customer at the counter
    ("safety_risk", "楼下那家店天天晚上划拳喝酒,吵得孩子睡不着"),
    ("safety_risk", "一到半夜就有人喝酒划拳,物业也不管"),
]


@pytest.mark.parametrize(("flag", "text"), POSITIVE)
def test_flag_positive_with_reason(flag, text):
    a = analyse(text)
    assert flag in a.flags, (text, a.flags)
    assert any("提到" in r for r in a.reasons[flag])


@pytest.mark.parametrize(("flag", "text"), NEGATIVE)
def test_flag_negated_or_quoted_or_absent(flag, text):
    a = analyse(text)
    assert flag not in a.flags, (text, a.flags, a.reasons)


def test_negated_cue_is_reported():
    a = analyse("我不会去曝光的,就想把事情解决")
    assert any("曝光" in n for n in a.negated)


def test_emotion_levels():
    assert analyse("请问这个月的利息怎么算").emotion == 0
    assert analyse("排了这么久还没轮到我,太慢了").emotion == 1
    assert analyse("你们这服务太过分了!").emotion >= 2
    assert analyse("再不给我办我就砸了这个破柜台!!!").emotion == 3
    # a complaint's shape is displeasure with no feeling word; a challenge to good faith is anger
    assert analyse("每个月莫名其妙少三块钱,我啥时候同意过?").emotion == 1
    assert analyse("合同附件写的是德国牌子,装的全是杂牌,你们这是偷梁换柱").emotion == 2
    assert analyse("开户要带哪些材料?").emotion == 0
    # noise from next door is no threat, and one "!" is counted once
    assert analyse("隔壁那家装修从早砸到晚,砸了一个多月了,你们到底管不管?").emotion == 1
    assert analyse("你们就是一帮骗子!让你们老板出来见我!").emotion == 2


def test_domain_and_labels():
    re_ = analyse("交房都延期半年了,开发商一直不给说法")
    assert re_.domain == "real_estate" and re_.zone is None
    bank = analyse("ATM把我的卡吞了,赶紧帮我取出来")
    assert bank.domain == "bank" and bank.zone == "self_service"
    assert "quick_fix" in bank.purposes
    assert analyse("交房延期", domain="bank").domain == "bank"


def test_difficult_types():
    assert "prepared" in analyse("我已经录音了,按消费者权益保护法你们得负责").difficult_types
    assert "righteous" in analyse("我不是为了钱,是替其他客户讨个公道").difficult_types
    assert "publicity" in analyse("我要发微博曝光").difficult_types
    assert "emotional" in analyse("气死我了!你们这帮混蛋!!!我要砸了这里").difficult_types


def test_knn_votes_need_two_close_exemplars():
    ex = [Exemplar("甲", ("perfect",), "t"), Exemplar("乙", ("perfect", "waiting"), "t"), Exemplar("丙", ("lively",), "t")]
    vecs = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]], dtype=np.float32)
    got = knn_labels(np.array([1.0, 0.0], dtype=np.float32), ex, vecs)
    assert set(got) == {"perfect"}  # waiting has one vote; lively is too far
    assert got["perfect"][1] == "甲"


def test_knn_fills_labels_rules_missed_with_reason():
    ex = [Exemplar("例一", ("perfect",), "t"), Exemplar("例二", ("perfect",), "t")]
    vecs = np.array([[1.0, 0.0], [0.9, 0.1]], dtype=np.float32)
    a = analyse("你好", qvec=np.array([1.0, 0.0], dtype=np.float32), exemplars=ex, exemplar_vectors=vecs)
    assert a.personality == "perfect"
    assert "相近" in a.reasons["perfect"][0]


def test_a_cue_repeated_thousands_of_times_keeps_a_bounded_list_of_hits():
    from assistant.reply import rules

    hits = rules.find(rules.FLAG_RULES, "我要曝光," * 3000 + "不想去曝光")
    media = [m for m in hits if m.code == "media_exposure"]
    assert 0 < len(media) <= rules.MAX_HITS_PER_RULE and not any(m.negated for m in media)
    assert "media_exposure" in analyse("我要曝光," * 3000).flags
