"""A yes/no question about a sum is answered against the clause's cap for the group asked about, not with the
clause's general line. Questions here are written for the tests; none is an eval question."""

import pytest

from assistant.reply.policy_caps import amounts, cap_answer, caps

SENTENCE = "普通客户支付金额上限不得超过5,000元,贵宾客户支付金额上限不得超过10,000元"


@pytest.mark.parametrize(("text", "want"), [
    ("能给八千块吗", [8000.0]), ("先支两万吗", [20000.0]), ("能给到一万五吗", [15000.0]), ("三千五行不行", [3500.0]),
    ("给8000元行吗", [8000.0]), ("上限5,000元", [5000.0]), ("1.5万", [15000.0]),
    ("一万个不满意", []), ("等了三个小时", []), ("两万套房子", []),
    ("5千", [5000.0]), ("1万5", [15000.0]), ("万一客户急用", []), ("几千块", []), ("一块儿去", []), ("十几万", []),
    ("千万别", []), ("千分之三", []),
])
def test_sums_are_read_in_yuan(text, want):
    assert amounts(text) == want


def test_a_thousands_separator_does_not_cut_a_clause_part():
    assert caps(SENTENCE) == [("普通客户支付金额上限不得超过5,000元", 5000.0), ("贵宾客户支付金额上限不得超过10,000元", 10000.0)]
    assert caps("为客户提供紧急用款援助,满足客户的应急需求") == []


def test_the_cap_of_the_group_asked_decides():
    assert cap_answer("一般客户急用钱,能直接给八千块吗?", [SENTENCE]).startswith("不可以,8,000元超过上限。普通客户")
    assert cap_answer("VIP客户应急能给6000元吗?", [SENTENCE]).startswith("6,000元在上限之内。贵宾客户")
    # no group named: the sum against each cap
    both = cap_answer("客户紧急用款能给八千吗?", [SENTENCE])
    assert both.startswith("8,000元超过普通客户支付金额的上限、不超过贵宾客户支付金额的上限")
    assert cap_answer("客户紧急用款上限是多少?", [SENTENCE]) is None  # no sum asked
    assert cap_answer("能给八千块吗?", ["为客户提供紧急用款援助"]) is None  # no cap stated


def test_a_sum_with_a_thousands_separator_stays_in_the_asking_part():
    # the question is cut into clauses at its commas, but not at the one inside 8,000
    for q in ("一般客户要应急,网点能直接给他8,000元吗?", "网点能直接给普通客户支付8,000元吗?", "普通客户急用，能给8,000元吗？"):
        assert cap_answer(q, [SENTENCE]).startswith("不可以,8,000元超过上限。普通客户"), q


def test_the_sum_must_be_the_payment_asked_about():
    # the question's own figure is no customer group
    assert cap_answer("停业期间普通客户急用钱,能给1万块吗?", [SENTENCE]).startswith("不可以,10,000元超过上限。普通客户")
    assert cap_answer("停业期间客户急用钱,能给1万块吗?", [SENTENCE]).startswith("10,000元超过普通客户")
    # a sum in the story, a bound, or no payment asked: no verdict
    assert cap_answer("贵宾客户卡里有五十万存款,能给他应急支付吗?", [SENTENCE]) is None
    assert cap_answer("普通客户应急支付超过五千块还能给吗?", [SENTENCE]) is None
    assert cap_answer("能帮他办一笔三万的转账吗?", [SENTENCE]) is None
    assert cap_answer("万一普通客户急用钱,应急支付能给三千块吗?", [SENTENCE]).startswith("3,000元在上限之内")


def test_ask_gives_the_cap_verdict_first(use_service):
    got = use_service.ask("停业那几天,一般客户要应急,网点能直接给他八千块吗?").as_dict()
    assert got["found"] and got["direct"].startswith("不可以,8,000元超过上限")
    assert "5,000元" in got["answer"] and got["citations"][0]["card_id"] == "yuan-4-3-4"


@pytest.mark.parametrize("unit", ["一", "1,", "两万", "5,000元,"])
def test_a_long_run_of_numerals_is_read_in_linear_time(unit):
    """4x the characters takes about 4x the time (a quadratic pattern would take 16x); best of three."""
    import time

    def seconds(n: int) -> float:
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            amounts(unit * n)
            caps(unit * n)
            best = min(best, time.perf_counter() - t0)
        return best

    small, big = seconds(5000), seconds(20000)
    assert big < 2.0 and big < small * 10 + 0.05, (small, big)
