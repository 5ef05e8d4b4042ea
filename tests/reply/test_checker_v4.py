"""The checker's third pass (issue 16): wordings written beside the dev split of batch 4, caught and
passed per rule. Not the labelled set: no split, no metrics."""

from assistant.reply.checker import card_promises, check


def _rules(text: str, customer: str = "") -> set[str]:
    return {f.rule for f in check(text, customer).findings if f.blocking}


def test_the_cards_taboos_license_no_promise():
    # the cards list these under ## 忌讳 as things not to say; they must not become allowed wordings
    assert not {"明天肯定到账", "肯定给您退", "一定帮您追回"} & card_promises()
    for text in ["您放心,明天肯定到账,到时候您打开手机看一眼余额就知道了。",
                 "这个年费肯定给您退,您下周抽空过来一趟,我当面把钱给您。",
                 "您别急,我们一定帮您追回来,这笔钱丢不了,您踏踏实实回家吧。"]:
        assert "promise" in _rules(text), text
    # wordings the cards recommend stay allowed
    assert check("这个规划目前还没有批复,我不能跟您打包票。合同和交付标准里写明的,才是我们要兑现的。").ok
