"""Policy answers, round 7: managers' own words. Spoken predicates jieba tags as nouns name no topic,
a time word answers only a question for a time, and the floors are calibrated on the cards' own 问法
(eval.policy_cv). Questions here are written for the tests; none is an eval question."""

from assistant.reply import policy as P
from assistant.reply.policy import PolicySearch, card_questions, figure_fits, focus_nouns
from eval.policy_cv import _without_line, held_out


def test_negated_and_reduplicated_predicates_name_no_topic():
    assert "不算数" not in focus_nouns("口头挂的失过两天还算数吗,是不是就不算数了?")
    assert "问问" not in focus_nouns("办完以后要不要再问问客户?")
    assert "信用卡" in focus_nouns("信用卡年费要多少?")  # a real thing asked about stays


def test_a_time_word_answers_a_question_for_a_time_not_a_bare_how_much():
    assert not figure_fits("值班员工的夜宵补贴标准是多少?", "重大问题立即上报,并做好工作日志")
    assert figure_fits("最迟什么时候要上报?", "重大问题立即上报")
    assert figure_fits("最多能支多少?", "支付金额上限不得超过5,000元")


def test_a_held_out_line_leaves_its_card_and_nothing_else(hash_service):
    answerer = hash_service.ensure_index().policy
    card = next(c for c in answerer.search.cards if len(card_questions(c)) >= 3)
    line = card_questions(card)[0]
    alt = _without_line(card, line)
    assert line not in card_questions(alt) and card_questions(alt) == card_questions(card)[1:]
    assert alt.content_hash != card.content_hash and alt.quote == card.quote


def test_held_out_searches_lack_the_line_or_the_card(hash_service):
    answerer = hash_service.ensure_index().policy
    first, seen = None, set()
    for kind, card_id, question, search in held_out(answerer):
        first = first or card_id
        if card_id != first:
            break
        assert isinstance(search, PolicySearch)
        held = next((c for c in search.cards if c.id == card_id), None)
        if kind == "line":
            assert held is not None and question not in card_questions(held)
            assert len(search.cards) == len(answerer.search.cards)
        else:
            assert held is None and len(search.cards) == len(answerer.search.cards) - 1
        seen.add(kind)
    assert seen == {"line", "card"}
    assert P.STORY_UNCOVERED_FLOOR == P.FLOOR
