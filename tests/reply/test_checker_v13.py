"""Checker, eleventh pass (session 35): a model's words to whoever asked for the draft are no reply. The
bundled model answers the rewriter so ("好的,以下是根据规则修改后的段落:", "我无法按照您的要求进行修改");
replies here are written for the tests."""

from assistant.reply.checker import check


def _form(text: str) -> list[str]:
    return [f.span for f in check(text, judge=False).findings if f.rule == "form" and f.blocking]


def test_words_to_the_drafter_are_no_reply():
    for text in ("好的,以下是按规则改写的回复:您别着急,我先帮您查这笔钱,半小时内给您回话。",
                 "抱歉,我不能按照您的要求进行修改,这段话里有没核实的内容。",
                 "修改后的回复:您反映的漏水我们今天就安排师傅上门看,看完跟您约维修时间。",
                 "作为一个ai助手,我建议您先安抚客户情绪,再说明处理流程和时限。"):
        assert _form(text), text


def test_plain_replies_that_look_alike_pass():
    for text in ("您的要求我记下了,整改方案出来以后我第一时间给您打电话说明,大概两天之内。",
                 "按照您的要求,我们把维修时间改到周六上午,师傅九点到,您看方便吗?",
                 "装修方案我们会按照您的要求修改,改完发给您确认。",
                 "希望以上回复能解答您的疑问,后续有进展我第一时间联系您。",
                 "以下是补办存折要带的东西:身份证和挂失回单,您五天内来就行。",
                 "合同条款修改后的版本我们下午打印好,您来签字确认就行。",
                 "您问的几个问题,我们的回复如下:一是费用退回,二是上门维修。",
                 "方案修改好的话我们第一时间通知您。",
                 "您说的情况我都听明白了,我先帮您查一下这笔转账到了哪一步,查到马上告诉您。"):
        assert not _form(text), text
