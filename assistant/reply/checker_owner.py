"""Which rule owns a brush-off span (issue 16, eighth pass).

The brush-off wordings (管不着, 您去找……吧, 不是我们能控制的, 您联系……就可以) are also the words of other faults
and of good hand-overs. Read alone, the span says "brush-off"; read in its sentence it is often something
else, and a second finding on the same words is a false alarm on a reply already labelled for its real
fault:

- a send-off or a "none of our business" about the media (您去找记者吧, 网上的事我们也管不着) dares the
  customer to go public: media_statement's;
- "not ours to control" next to an apology (很抱歉……这也不是我们柜员能控制的) is the excuse after the
  apology: apology_excuse's;
- a referral right after a contact has been handed over (这是对外联络同事的电话,您联系他就可以) gives the
  customer somewhere concrete to go: no brush-off.

Each check looks only at the span's sentence and the one before it; every quantifier is bounded.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_SENT_END = re.compile(r"[。!?!?;;\n]")
_MEDIA = re.compile(r"记者|媒体|电视台|报社|报纸|抖音|微博|快手|曝光|热搜|朋友圈|网上(?!银行|办理|申请|预约|转账|支付|缴费|操作|查询|提交|填)")
_NOT_OURS = re.compile(r"不是(我们|我|咱们|柜员|网点|我们这边)" + r"[^。!?!?;;\n]{0,6}?(能|可以)?(控制|左右|决定|管得了|说了算)"
                       r"|(控制|左右)不了")
# the words of an apology, as the checker's excuse rules read them (the learned judge's cues too)
APOLOGY_WORDS = "对不起|抱歉|不好意思|道歉|对不住|歉意|过意不去|添麻烦"
_APOLOGY = re.compile(APOLOGY_WORDS)
# a contact handed over: 这是……的电话, 我把……的电话给您, 留个号码给您
_HANDOVER = re.compile(r"这是[^。!?!?;;\n]{0,16}?(电话|座机|手机号?|号码|联系方式|名片|微信)"
                       r"|(把|留)[^。!?!?;;\n]{0,12}?(电话|座机|手机号?|号码|联系方式|名片)[^。!?!?;;\n]{0,4}?(给您|写给您|发给您|告诉您)")
_DISMISS = re.compile(r"没用|别催|没得商量|谁来|就这样|爱找|随便|叫下一|没关系|什么办法|没招|晚了|算了|您自己|你自己")


def _sentences_around(text: str, start: int, end: int) -> tuple[str, str]:
    """(the previous sentence, the span's sentence up to the span's end)."""
    ends = [m.end() for m in _SENT_END.finditer(text, max(0, start - 160), start)]
    lo = ends[-1] if ends else max(0, start - 160)
    prev_lo = ends[-2] if len(ends) > 1 else max(0, lo - 80)
    return text[prev_lo:lo], text[lo:end]


def brush_owner(text: str, start: int, end: int) -> str | None:
    """The rule that owns a brush-off span at [start, end): 'brush_off', another rule's code, or None
    (a good hand-over, no finding)."""
    prev, sent = _sentences_around(text, start, end)
    span = text[start:end]
    if _MEDIA.search(sent):
        return "media_statement"
    if _NOT_OURS.search(span) and _APOLOGY.search(prev + sent):
        return "apology_excuse"
    if not _DISMISS.search(span) and _HANDOVER.search(prev + sent):
        return None
    return "brush_off"


def reassign_brush_offs(text: str, findings: list, make: Callable[[str, str, int, int], object]) -> list:
    """The findings with each brush-off moved to the rule that owns its words (or dropped)."""
    out = []
    for f in findings:
        if f.rule != "brush_off" or not f.blocking:
            out.append(f)
            continue
        owner = brush_owner(text, f.start, f.end)
        if owner == "brush_off":
            out.append(f)
        elif owner is not None:
            out.append(make(owner, text, f.start, f.end))
    return out
