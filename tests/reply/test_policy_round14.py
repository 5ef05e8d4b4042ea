"""Policy answers, round 14 (session 36, from policy_dev12): the form or system a thing is kept in, a reward for
staff, off hours, an authority or a go-between that demands something, and a second review are facts a clause
must state before it answers them; a short second ask is an ask. Each rule is paired with questions the clause
does answer although they hold the same words (from a review of the first version). Questions here are written
for the tests; none is an eval question."""

import pytest

from assistant.reply import policy as P


@pytest.fixture()
def judge(use_service):
    answerer = use_service.ensure_index().policy
    cards = {c.id: c for c in answerer.search.cards}

    def verdict(question: str, card_id: str) -> str:
        return answerer.judge(question, 9.0, cards[card_id])[0]

    return verdict


def test_the_form_or_system_asked_needs_a_clause_that_names_one(judge):
    assert judge("每天的投诉分类统计报到哪?", "yuan-6-7") != "none"
    assert judge("每天的投诉分类统计用啥表格报?", "yuan-6-7") == "none"
    assert judge("应急支付的钱在账上走哪个科目?", "yuan-4-3-4") == "none"
    assert judge("95566受理的投诉要录到哪个系统?", "yuan-4-1-1") == "none"
    # a clause that names its register answers which book things go in
    assert judge("首问的人接了投诉,要记在什么台账上?", "yuan-3-1") != "none"
    # wording is no form, and a paper passbook is no question of form
    assert judge("跟客户解释投产引发的问题,要用什么表述?", "yuan-4-3-2") != "none"
    assert judge("纸质存折丢了能先办口头挂失吗?", "yuan-4-3-3") != "none"


def test_a_reward_for_staff_is_not_answered_by_a_clause_on_duty(judge):
    assert judge("首问负责的事一般多少个工作日办结?", "fagui-shouwen-2012") != "none"
    assert judge("首问负责办结得快的,行里给不给奖励?", "fagui-shouwen-2012") == "none"
    assert judge("首问负责制15个工作日办结,提前办完的员工有奖励吗?", "fagui-shouwen-2012") == "none"
    # a gift to calm a customer is no reward for staff
    assert judge("客户等得太久,能发纪念品当奖励安抚他吗?", "yuan-4-3-8") != "none"


def test_off_hours_as_the_point_of_the_ask_need_a_clause_that_speaks_of_them(judge, use_service):
    assert judge("首问责任人夜里也要处理投诉吗?", "yuan-3-1") == "none"
    assert judge("半夜打电话来投诉的,归哪个部门受理?", "xize-2") != "none"
    # a night in the story is scene, however short the asking part
    assert judge("客户半夜醉酒来闹事,该找谁?", "yuan-4-3-11") != "none"
    # "夜里呢?" asks about the night, which no clause speaks of: not an off-topic course item either
    assert not use_service.ask("投诉归哪个部门受理?夜里呢?").found


def test_an_authority_or_a_go_between_that_demands_something_needs_a_clause_that_names_it(judge):
    assert judge("被投诉的同事想看看投诉材料,能给他吗?", "xize-9-1-4") != "none"
    assert judge("派出所来调取这份投诉材料,能给吗?", "xize-9-1-4") == "none"
    # only when the asking part names it: an authority in the story before is scene
    assert judge("上午派出所的人刚走,又来个客户投诉柜员态度差,这归哪个部门受理?", "xize-2") != "none"
    # a court the customer may turn to is what the remedies clauses speak of
    assert judge("处理决定里要写明客户可以去法院起诉吗?", "fagui-2020-19") != "none"
    assert judge("违约金定得太高了,开发商能请法院减少吗?", "fagui-sifa-12") != "none"
    # a rule on keeping the customer's information answers what may go to a go-between
    assert judge("业主名单和电话能给中介公司吗?", "fagui-xiaobao-14-29") != "none"
    assert judge("中介拖着不办过户,能按交房90天那条找中介担责吗?", "fagui-sifa-14") == "none"
    assert judge("二手房的保修期从哪天开始算?", "fagui-xiaoshou-33") != "none"


def test_a_second_review_needs_a_clause_that_speaks_of_doing_it_again(judge):
    assert judge("客户不服处理决定,多少天内能申请复核?", "fagui-2020-20") != "none"
    assert judge("复核完客户还是不服,能再申请第二次复核吗?", "fagui-2020-20") == "none"
    # the clause's own second time, and "再" that asks for no second review
    assert judge("情况特别复杂的,处理期限能第二次延长吗?", "fagui-2020-18") != "none"
    assert judge("客户之前交过身份证复印件,还能让他再提供吗?", "fagui-2020-13") != "none"
    assert judge("口头挂失后,5天内还要再办正式挂失吗?", "yuan-4-3-3") != "none"


def test_a_short_second_ask_is_an_ask_and_a_tag_is_not():
    assert P.earlier_asks("每天的统计几点前要报?用什么表?") == ["每天的统计几点前要报?"]
    assert P.earlier_asks("保证书丢了能补吗?找谁补?") == ["保证书丢了能补吗?"]
    for tag in ("是这样吧?", "您说是不是?", "对不对呢?", "我理解得对吗?", "谢谢了!"):
        assert P.earlier_asks("停业期间能先口头挂失吗?" + tag) == []


def test_the_form_asked_in_a_short_second_ask_leaves_the_question_unanswered(judge):
    assert judge("投产期间的投诉分类统计报给谁?", "yuan-6-7") != "none"
    assert judge("投产期间的投诉分类统计报给谁?用什么表?", "yuan-6-7") == "none"


def test_spoken_words_for_giving_in_find_their_clause(use_service):
    give_in = use_service.ask("柜员当场松口答应赔钱,行不行?")
    assert give_in.confidence == "high" and give_in.citations[0]["card_id"] == "yuan-4-3-10"


def test_a_court_the_customer_goes_to_and_a_first_review_are_no_such_asks(judge):
    assert judge("逾期交房三个多月了,业主能去法院要求解除合同吗?", "fagui-sifa-11") != "none"
    assert judge("投诉人对处理决定有异议,重新申请复核有时限吗?", "fagui-2020-20") != "none"
    assert judge("复核完了还不服,能再复核一次吗?", "fagui-2020-20") == "none"
