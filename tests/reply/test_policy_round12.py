"""Policy answers, round 12 (session 34, from the fresh set policy_dev10): a customer group the clause leaves
out while it names another, and a role the clause leaves as ***, are not answered from that clause. Questions
here are written for the tests; none is an eval question."""

from assistant.reply import policy as P


class _Card:
    def __init__(self, quote: str) -> None:
        self.quote = quote


LIMITS = _Card("对于不能劝退的客户,普通客户支付金额上限不得超过5,000元,贵宾客户支付金额上限不得超过10,000元。")
GROUP = _Card("小组人员构成如下。组长:***\n副组长:各部门负责人。\n成员:各网点负责人。")


def test_a_customer_group_the_clause_leaves_out_is_not_its_case():
    assert P.other_group_asked("停业那天有家公司户急着付款,对公的最多能先支多少?", LIMITS)
    # a group named beside one the clause names is still another case
    assert P.other_group_asked("停业那天对公的VIP客户急着付款,最多能支多少?", LIMITS)
    # the groups it names, in the words staff use
    for q in ("VIP急着用钱最多能给多少?", "普通储户急用钱,上限是多少?", "个人客户停业期间最多支多少?"):
        assert not P.other_group_asked(q, LIMITS), q
    # a clause that names no group is not judged by this
    assert not P.other_group_asked("对公客户投诉要几天内答复?", _Card("投诉应在15日内答复。"))
    # only a figure is set per group: where or how questions are not judged by it, and a room or an
    # institution's name is no customer group
    room = _Card("客户情绪激动时,网点负责人要将其引导到贵宾室及时劝导。")
    assert not P.other_group_asked("普通客户等太久情绪激动了,网点负责人要把他带到哪?", room)
    assert not P.other_group_asked("个人客户最多能在贵宾室待多久?", room)


def test_a_role_left_as_stars_is_not_named_by_the_clause():
    assert P.masked_role_asked("投产投诉小组的组长是谁?", GROUP)
    assert not P.masked_role_asked("投产投诉小组的副组长都有谁?", GROUP)
    assert not P.masked_role_asked("小组的成员有哪些人?", GROUP)
    # half answered: the 副组长 are named
    assert not P.masked_role_asked("小组的组长和副组长分别是谁?", GROUP)


def test_the_gates_speak_in_the_judgement(use_service):
    answerer = use_service.ensure_index().policy
    card = next(c for c in answerer.search.cards if c.id == "yuan-4-3-4")
    assert answerer.judge("割接停业那两天,对公的VIP客户急着付货款,应急最多能支多少?", 9.0, card)[0] == "none"
    assert answerer.judge("割接停业那两天,贵宾客户急着用钱,应急最多能支多少?", 9.0, card)[0] != "none"
    group = next(c for c in answerer.search.cards if c.id == "yuan-2-1")
    assert answerer.judge("投产投诉受理小组的组长到底是谁?", 9.0, group)[0] == "none"
