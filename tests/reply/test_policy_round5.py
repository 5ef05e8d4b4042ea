"""Policy answers, round 5: sibling clauses and facts in a later sentence of a long clause. The kind of
fact asked (a span of time, someone, a place in an order, may-it-be-done) must be what the answer and
its quote hold. Questions here are written for the tests; none is an eval question."""

import pytest

from assistant.reply.policy import (
    _condition_bonus,
    answers_kind,
    best_sentences,
    figure_fits,
    focus_nouns,
    predicate_covered,
    question_kind,
)
from assistant.text.tokenize import expand, tokens

# ---- what is asked -------------------------------------------------------------------------------

def test_asking_words_tagged_as_nouns_name_no_topic():
    assert "干嘛" not in focus_nouns("投诉转给承办部门好几天了,首问的人该干嘛?")


def test_how_long_is_answered_by_a_span_of_time_only():
    assert not figure_fits("垫的钱多久要还?", "普通客户支付金额上限不得超过5,000元")
    assert figure_fits("多长时间要回复客户?", "4小时内将处理情况回复客户")
    assert figure_fits("多久要联系客户?", "各单位应第一时间联系投诉客户")


@pytest.mark.parametrize("question, kind", [
    ("综合部在投诉处理里排第几个环节?", "how"),  # a place in an order, not a figure
    ("处理决定要在几天内作出?", "amount"),
])
def test_an_ordinal_asks_no_figure(question, kind):
    assert question_kind(question) == kind


# ---- which clause ------------------------------------------------------------------------------

def test_a_who_question_goes_to_the_close_clause_that_names_someone(use_service):
    answerer, card = use_service.ensure_index().policy, use_service.index.card
    question = "客户要我们赔他的利息损失,赔不赔谁说了算?"
    assert question_kind(question) == "who"
    ranked = [(1.0, card("fagui-sifa-13")), (0.98, card("yuan-4-3-10"))]
    assert [c.id for _, c in answerer.figure_first(question, ranked)] == ["yuan-4-3-10", "fagui-sifa-13"]
    # too far behind: the order stands (and the first is judged on its own)
    ranked = [(1.0, card("fagui-sifa-13")), (0.8, card("yuan-4-3-10"))]
    assert [c.id for _, c in answerer.figure_first(question, ranked)] == ["fagui-sifa-13", "yuan-4-3-10"]


def test_a_yes_no_question_needs_a_clause_that_names_the_doing(use_service):
    card = use_service.index.card
    assert not predicate_covered("停业那几天网点员工能调休吗?", card("yuan-4-3-3"))
    assert predicate_covered("小组成员夜里能不能把手机关了?", card("yuan-6-3"))  # 手机, though jieba cuts 把手/机关
    assert predicate_covered("能给他看吗?", card("yuan-4-3-11"))  # a one-character verb tells nothing


@pytest.mark.parametrize("question", [
    "系统升级那周柜员能请年假吗?",
    "群诉代表要不要交身份证复印件?",
    "垫付给客户的应急款多久要还?",
])
def test_look_alikes_the_procedures_do_not_answer(use_service, question):
    assert not use_service.ask(question).found


def test_a_place_in_an_order_is_answered(use_service):
    ans = use_service.ask("综合部在投诉处理里排第几个环节?")
    assert ans.found and ans.citations[0]["card_id"] == "xize-5" and "首要环节" in ans.answer


# ---- what is quoted ------------------------------------------------------------------------------

def test_the_kind_of_fact_asked_is_read_from_the_sentence():
    assert answers_kind("保修期从哪天起算?", "how", "保修期限自商品住宅交付用户使用之日起计算")
    assert not answers_kind("保修期从哪天起算?", "how", "投诉处理期间客户可以咨询")
    assert answers_kind("在什么情况下要上报省行?", "how", "对于较难处理及群体性投诉,分行小组应立即上报省行")
    assert answers_kind("由谁牵头?", "who", "该小组由分行工会牵头")


def test_a_rule_whose_condition_is_the_questions_story_counts_more():
    story = expand(tokens("投诉转出去一直没动静,怎么办?"))
    assert _condition_bonus("对没有及时处理的,应提示承办人或向承办部门负责人汇报,敦请抓紧处理。", story) == 1.0
    assert _condition_bonus("承办部门和承办人处理终结后,须及时向首问责任人回复。", story) == 0.0


def test_the_quote_holds_the_sentence_the_direct_answer_comes_from(use_service):
    first = use_service.index.card("yuan-3-1")  # 325 characters: quoted by its best sentences
    backs = "对没有及时处理的,应提示承办人或向承办部门负责人汇报,敦请抓紧处理。"
    question = "首问负责人要记哪些信息?"
    assert backs not in "".join(best_sentences(first, question))
    assert backs in "".join(best_sentences(first, question, backs=backs))


def test_a_later_sentence_of_a_long_clause_answers_a_question_on_its_condition(use_service):
    ans = use_service.ask("投诉交给承办部门好几天都没下文,我们该做什么?")
    assert ans.citations[0]["card_id"] == "yuan-3-1"
    assert ans.direct == "对没有及时处理的,应提示承办人或向承办部门负责人汇报,敦请抓紧处理。"
    assert "敦请抓紧处理" in ans.citations[0]["quote"]
