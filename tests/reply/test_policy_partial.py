"""A question that asks twice, of which the procedures answer only the earlier ask: the whole stays 未找到
(nothing is cited as its answer), and the earlier ask's answer is shown beside it rather than lost.
Questions here are written for the tests; none is an eval question."""

from assistant.reply import policy as P
from ui import render


def test_the_earlier_ask_is_answered_when_only_the_last_is_not(use_service):
    got = use_service.ask("贵宾客户的紧急用款最多能给多少?节假日也一样吗?").as_dict()
    assert not got["found"] and got["citations"] == []
    part = got["partial"]
    assert part["ask"].endswith("最多能给多少") and part["rest"] == "节假日也一样吗?"
    assert "10,000" in part["direct"] and part["citations"][0]["card_id"] == "yuan-4-3-4"
    assert "10,000" in got["answer"] and "制度文件中未找到" in got["answer"]


def test_the_ask_named_as_answered_is_the_one_that_is(use_service):
    got = use_service.ask("紧急用款最多给多少?银行今年利润多少?行长工资多少?食堂几点开饭?").as_dict()
    assert not got["found"] and got["partial"]["ask"] == "紧急用款最多给多少"
    assert got["partial"]["rest"].startswith("银行今年利润多少?")


def test_a_pasted_list_of_asks_costs_a_few_answers_not_one_per_subset(use_service):
    answerer = use_service.ensure_index().policy
    calls = []
    real = answerer.answer

    def counted(question, partial=True):
        calls.append(question)
        return real(question, partial=partial)

    answerer.answer = counted
    try:
        answerer.answer("?".join(["食堂几点开饭", "停车场在哪里", "银行今年利润多少", "行长工资多少"] * 4) + "?")
    finally:
        del answerer.answer
    assert len(calls) <= 1 + P.MAX_EARLIER_ASKS


def test_a_low_confidence_earlier_answer_is_not_offered(use_service):
    # "客户在网点摔倒了怎么办" alone meets only a clause on promises: not offered as its answer
    assert "partial" not in use_service.ask("客户在网点摔倒了怎么办?网点要赔医药费吗?").as_dict()


def test_no_partial_answer_when_no_ask_is_answered_or_the_question_asks_once(use_service):
    assert "partial" not in use_service.ask("网点的空调坏了找谁修?周末呢?").as_dict()
    once = use_service.ask("普通客户紧急用款最多给多少?").as_dict()
    assert once["found"] and "partial" not in once


def test_the_page_shows_the_earlier_answer_under_not_found():
    d = {"found": False, "answer": "", "citations": [], "nearest": [{"source": "甲", "section": "一", "title": "t"}],
         "partial": {"ask": "最多能给多少", "rest": "晚上呢?", "direct": "上限5,000元。", "confidence": "low",
                     "citations": [{"source": "预案", "section": "四", "quote": "上限不得超过5,000元。"}]}}
    md = render.answer_md(d)
    assert md.startswith("**未找到**") and "「最多能给多少」制度里有答案" in md and "「晚上呢?」" in md
    assert "上限5,000元。" in md and "> 上限不得超过5,000元。" in md and "〔可能相关〕" in md
    assert "相近的规定" not in md  # the earlier answer replaces the list of nearest clauses
