"""Eighth pass: a brush-off span read in its sentence belongs to the rule that owns its words."""

from __future__ import annotations

import pytest

from assistant.reply.checker import check


def rules(text: str, customer: str = "") -> set[str]:
    return {f.rule for f in check(text, customer).findings if f.blocking}


@pytest.mark.parametrize("text,customer", [
    ("您要找报社就去找吧,登出来我们也是这个说法。", "我去找报社!"),
    ("您在微博上怎么说是您的事,微博上的事我们也管不了。", "我要发微博!"),
])
def test_a_media_send_off_is_a_media_statement_not_a_brush_off(text: str, customer: str) -> None:
    got = rules(text, customer)
    assert "media_statement" in got and "brush_off" not in got


def test_not_ours_to_control_after_an_apology_is_the_excuse() -> None:
    got = rules("让您多等了半天,实在抱歉。赶上总行切换系统,这也不是我们网点能控制的。")
    assert "apology_excuse" in got and "brush_off" not in got


def test_a_referral_after_a_contact_is_handed_over_passes() -> None:
    assert check("采访的事我不方便回答。这是分行办公室王主任的座机,您联系他就可以。").ok


@pytest.mark.parametrize("text", [
    "这事不归我们管,您去找总行吧。",
    "网上银行的事我们网点管不了,您去问客服吧。",
])
def test_plain_brush_offs_stay(text: str) -> None:
    assert "brush_off" in rules(text)
