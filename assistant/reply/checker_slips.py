"""Fourteenth pass of the reply checker (issue 16, batch 9 on dev): one slip inside a decent reply.

Batch 9 (`eval/replies/written_v9.yaml`) was written in the style of the first batch: a reply that does
most things right and slips once. The slips the earlier passes missed, as classes:

- **a promise of an outcome the branch does not control**: 保证让您出国前拿到新卡, 房子一定升值;
- **blame as a verdict on the customer's expectations**: 您这也是要求太高了;
- **a dare to the press said as indifference**: 报社要登就让他们登, 记者要来也没关系, 随便他们拍;
- **a fact told as settled that only the records could settle**: the date a contract ends (今年年底才到期)
  and an explanation claimed as already given (上个月已经在业主群里解释过了).

Every quantifier is bounded and stays inside a clause: none can go quadratic.
"""

from __future__ import annotations

import re

from assistant.reply.checker_grammar import _C, _YOU

_MEDIA = r"(报社|报纸|电视台|记者|媒体|网上|网络|微博|抖音|朋友圈|新闻)"

SLIPS: dict[str, str] = {
    "promise": (
        # 保证让您出国前拿到新卡: the outcome made sure of, for the customer
        r"(?<![不没无])(保证|包|包管|管保)(让|叫)" + _YOU + _C + r"{0,10}?(拿到|拿回|取到|收到|用上|住上|到账|办好|办下来|赶上|来得及)"
        # 房子一定升值: a gain the branch cannot give
        + r"|(?<![不没])(一定|肯定|保证|绝对|稳)(会|能)?(升值|涨价|增值|赚钱|回本|有收益|不亏)"
    ),
    "blame_customer": (
        # 您这也是要求太高了: the customer's expectations judged
        _YOU + r"(这|这样)?(也|就|确实|实在)?(是)?(要求|标准|期望|期待)(也)?(太|过|有点|有些)(高|严|苛刻)"
    ),
    "media_statement": (
        # 报社要登就让他们登 / 随便他们拍 / 记者要来也没关系
        r"(要|想|爱)(登|报|拍|写|发|曝光)就(让他们|随他们|随便|尽管)?(登|报|拍|写|发|曝光)"
        + r"|随(便|他们|便他们)(去)?(拍|写|登|报|曝光)"
        + r"|" + _MEDIA + r"(要|想)?(来|过来|采访)" + _C + r"{0,2}?(也)?(没关系|无所谓|不怕|没事|欢迎)"
    ),
}

# a date a contract or term ends, stated as known (今年年底才到期); checked against the customer's words
END_DATE = re.compile(r"(今年|明年|去年|下个?月|这个?月|上个?月|下半年|上半年)(年底|月底|年初|月初|底|初)?(才|就|就要|快|已经)?"
                      r"(到期|期满|截止|结束)")
# an explanation claimed as given before (已经在业主群里解释过了): the customer is told they were told
TOLD_BEFORE = re.compile(r"(已经|早就|早已|之前就|以前就)(在" + _C + r"{1,8}?)?(解释|说明|告知|通知|公示|公告|讲)过(了)?")

COMPILED_SLIPS = [(code, re.compile(p)) for code, p in SLIPS.items()]


def slip_facts(text: str, customer: str) -> list[tuple[int, int]]:
    """Spans of invented_fact: an end date or an earlier explanation the customer did not bring up."""
    out = []
    for m in END_DATE.finditer(text):
        if m.group(1) not in customer:
            out.append((m.start(), m.end()))
    for m in TOLD_BEFORE.finditer(text):
        before = text[max(0, m.start() - 8):m.start()]
        if not re.search(_YOU + r"(说|讲|提到|反映)", before) and m.group(3) + "过" not in customer:
            out.append((m.start(), m.end()))
    return out
