"""Checker, session 34 (issue 16), from the fresh batch written_v8: a callback time staff set is no invented
figure, "保证再也不会…" is a promise, "讲再多也没用" / "白搭" end the matter, "您就该看仔细" blames after the
fact, and the judge reads each sentence as one family only."""

from __future__ import annotations

import pytest

from assistant.reply.checker import check
from assistant.reply.checker_judge import judge


def _codes(reply: str, customer: str = "") -> set[str]:
    return {f.rule for f in check(reply, customer).findings if f.blocking}


def test_a_callback_in_minutes_staff_set_is_not_invented():
    assert "invented_fact" not in _codes("我现在联系后台查,十五分钟左右我回您电话,查到什么都跟您说。", "钱还没到")
    # a duration that is not staff's own callback still needs a source
    assert "invented_fact" in _codes("这笔钱二十分钟前已经原路退回了,您再看看。", "钱还没到")


@pytest.mark.parametrize("reply", ["工程部下午就来,修好以后保证再也不会积水了。", "排水我叫人疏通,保证再也不会淹到车了。"])
def test_a_guaranteed_never_again_is_a_promise(reply):
    assert "promise" in _codes(reply), reply


def test_a_question_whether_it_recurs_is_no_promise():
    assert "promise" not in _codes("以后会不会再渗,我不敢跟您保证,我先请工程部查清水从哪来。")


@pytest.mark.parametrize("reply", ["本人不到场,谁来说都白搭。", "您跟我讲再多也没用,让本人自己来。"])
def test_talk_is_useless_is_a_brush_off(reply):
    assert "brush_off" in _codes(reply), reply


def test_what_the_customer_should_have_done_is_blame():
    assert "blame_customer" in _codes("签合同之前您就该把条款看仔细,我先把合同调出来看看。")
    assert "blame_customer" not in _codes("条款我陪您一条条看清楚,有疑问的地方我记下来报给负责人。")
    # advice for the future is no blame
    assert "blame_customer" not in _codes("这种电话您就得留意,千万别把验证码告诉别人,卡我先帮您冻结。")


def test_the_customer_s_own_view_is_not_staff_s_brush_off():
    assert "brush_off" not in _codes("我知道您觉得说再多也没用,这次我先把钱的事查清楚。", "说再多也没用")


def test_the_judge_names_at_most_one_family_per_sentence():
    for text in ("当时销售怎么跟您说的我们不清楚,现在就是这么定的,您接受不了也只能这样了。",
                 "提额是系统自动评估的,人工干预不了,能不能提全看系统,您隔段时间自己在APP上看看吧。"):
        spans = [(s, e) for _, s, e, _ in judge(text)]
        assert spans and len(spans) == len(set(spans)), judge(text)
