"""Policy answers, round 9: what a where question and a whose-number question need, and single characters
that are not a noun. Questions here are written for the tests; none is an eval question."""

from assistant.reply import policy as P


def test_whose_number_is_a_who_question_and_may_one_name_a_sum_is_yes_no():
    assert P._kind("打发记者走的时候,该给他留个谁的电话?") == "who"
    assert P._kind("客户闹着要赔偿,柜员能当场说赔多少吗?") == "yesno"
    assert P._kind("应急支付最多给多少?") == "amount"


def test_a_localiser_or_an_a_not_a_verb_joins_no_noun():
    nouns = P._nouns_in("口头挂失了,客户几天内跑来网点补办?")
    assert "内跑" not in nouns and "口头挂失" in nouns
    assert "钱赔" not in P._nouns_in("少拿的利息这钱赔不赔?")
    assert P._kind("可能要多少天吗?") != "yesno"  # 可能 is no modal 能


def test_a_where_question_needs_a_clause_that_names_a_place_or_a_body(use_service):
    assert P._PLACE_WORD.search("请客户到贵宾室或人少的区域")
    for no_place in ("应在90日内办理完毕", "各类投诉要组织力量处理", "客户的银行卡被吞"):
        assert not P._PLACE_WORD.search(no_place), no_place
    answerer = use_service.ensure_index().policy
    placeless = next(c for c in answerer.search.cards if not P._PLACE_WORD.search(c.quote))
    question = f"{placeless.title}要到哪里去办?"
    assert P.question_kind(question) == "where"
    assert answerer.judge(question, 9.0, placeless)[0] == "none"
