"""Policy answers, round 8: course items answer when no clause does, how-often questions, a story noun
beside a clear winner, and words that looked like charges or topics. Questions here are written for the
tests; none is an eval question."""

from assistant.reply import policy as P


def test_interest_is_a_charge_but_calming_down_is_not():
    assert P._CHARGE.search("罚息") and P._CHARGE.search("利息") and P._CHARGE.search("物业费")
    assert not P._CHARGE.search("平息") and not P._CHARGE.search("信息") and not P._CHARGE.search("休息")


def test_how_often_asks_for_a_recurrence():
    assert P._asked_units("值班记录多久交一次?") == [P._FREQUENCY]
    assert P.figure_fits("值班记录多久交一次?", "每天安排专人报送")
    assert not P.figure_fits("值班记录多久交一次?", "4小时内将处理情况回复客户")


def test_asking_words_and_story_times_name_no_topic():
    assert "多长时间" not in P.focus_nouns("结果多长时间要报上去?")
    assert "那阵子" not in P.focus_nouns("切换那阵子要盯哪类客户?")


def test_quantity_words_are_not_a_topic(use_service):
    answerer = use_service.ensure_index().policy
    card = use_service.index.card("yuan-4-3-9")
    groups = answerer.search.topic_groups("好几个客户说的是同样的问题,几个人就得特别关注?", card)
    assert not any("好几个" in g for g in groups)


def test_a_course_item_answers_when_no_clause_does(use_service):
    ans = use_service.ask("道歉的时候要避开哪些忌讳?")
    assert ans.found and ans.confidence == "low"
    assert ans.citations[0]["card_id"] == "liucheng-3-daoqian"
    assert not use_service.ask("员工的夜宵补贴每天多少钱?").found


def test_a_clause_still_wins_over_a_course_item(use_service):
    ans = use_service.ask("停业期间普通客户应急支付最多多少钱?")
    assert ans.found and use_service.index.card(ans.citations[0]["card_id"]).is_policy
