"""Is each sentence of a model rewrite backed by what the model was given?

The checker catches what a branch must never say; it cannot catch a sentence that is fluent, polite
and made up ("您说的保险是您在其他银行存的", "我们是按照您的要求办理的"). A rewrite only rephrases the
template draft for the customer's newest words, so each of its sentences should be built mostly from
the template's words, the customer's and the house's polite phrases (the template drafter's own
phrase tables: "真的很抱歉" backs nothing but is always fine to say): a sentence whose character pairs
are mostly found in none of them is the model's own story, and is left out. Two more ways a fluent
rewrite goes wrong, both seen shipping: a sentence built from the customer's words alone is the
customer speaking (pronouns flipped, "行,我们不给您办是吧?…"), and a rewrite with no time for its next
step has dropped what the procedures say happens next.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_SENTENCE = re.compile(r"[^。!?!?;;\n]+[。!?!?;;]*")
# read on the bundled model's rewrites of 30 dev situations (eval/replies/runs/rewrite_dev_20261206.jsonl):
# of the 69 sentences below 0.5, 3 were fair paraphrases of the template and the rest invented steps and
# times, brush-offs, boilerplate or the customer's own voice; the 29 at or above it were courtesy,
# restated steps and copied customer words (which the checker catches)
SUPPORT_FLOOR = 0.5
MIN_PAIRS = 4  # a short sentence ("好的。") has too few pairs to judge
# a sentence whose pairs come this much from the customer's words alone (not the template, not the
# house's phrases) is the customer speaking, pronouns flipped so no checker rule sees the copy
# ("行，我们不给你办是吧？现在就拍视频发抖音…"): on the dev rewrites every sentence at or above 0.25 was the
# customer's voice (18 of 130) and none below 0.1 was; on test two such rewrites had shipped.
VOICE_CEILING = 0.25


def pairs(text: str) -> set[str]:
    """The adjacent Chinese character pairs of a text."""
    return {run[i:i + 2] for run in _HAN_RUN.findall(text) for i in range(len(run) - 1)}


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


@functools.cache
def house_pairs() -> frozenset[str]:
    """The character pairs of every phrase the template drafter can say."""
    from assistant.reply import drafter

    tables = [v for k, v in vars(drafter).items() if k.isupper() and isinstance(v, (dict, list, tuple))]
    return frozenset().union(*(pairs(s) for t in tables for s in _strings(t)))


def support(sentence: str, source: set[str]) -> float:
    own = pairs(sentence)
    return len(own & source) / len(own) if own else 1.0


@dataclass
class Grounded:
    text: str  # the rewrite without its unsupported sentences
    dropped: list[str]


# a rewrite fits the template to the customer's newest words; one that drops the template's time limit
# ("非常感谢您的反馈，我们将尽快处理这个情况。") has dropped the procedural next step, however polite
_HOURS = re.compile(r"\d+\s*(个)?(小时|工作日|日|天)(之)?内")
_TIME_LIMIT = re.compile(_HOURS.pattern + r"|第一时间|当场|今天|马上|现在就")


def keeps_next_step(rewrite: str, template: str) -> bool:
    """False when the template promises a time for the next step and the rewrite names none, or names
    another than the template's figure ("4小时内" become "接下来的几天内": the customer's own "现在就"
    is no time limit of staff's)."""
    figures = {m.group(0).replace(" ", "") for m in _HOURS.finditer(template)}
    if figures:
        return any(f in rewrite.replace(" ", "") for f in figures)
    return not _TIME_LIMIT.search(template) or bool(_TIME_LIMIT.search(rewrite))


# staff say 您: a plain 你 (你们 is the checker's customer_voice) is how a stranger talks to a customer
_PLAIN_YOU = re.compile(r"你(?!们)")
# a reply that sends the customer to "the bank" (or, in a sales office, to the developer) speaks as an
# outsider: staff are the bank ("我们建议您先与银行联系")
_OUTSIDER = {
    "bank": re.compile(r"(与|和|跟|找|联系|咨询|去|问问?)(一下)?(您的|当地|相关|贵|开户)?(银行|贵行)"),
    "real_estate": re.compile(r"(与|和|跟|找|联系|咨询|去|问问?)(一下)?(开发商|地产公司|售楼处)"),
}
# what the template answers for a flag, which a rewrite must still say: the confidentiality promise,
# and that a claim is checked before anyone answers it
_COMMITMENTS = [
    (re.compile(r"保密"), re.compile(r"保密")),
    (re.compile(r"随口应承"), re.compile(r"核实|不能当场|不能在这儿|不能随口")),
]


def speaks_as_staff(rewrite: str, domain: str | None) -> str | None:
    """Why the rewrite does not sound like this branch's staff, or None."""
    if _PLAIN_YOU.search(rewrite):
        return "改写称客户为“你” / the rewrite says 你, not 您"
    outsider = _OUTSIDER.get(domain or "bank")
    if outsider is not None and outsider.search(rewrite):
        return "改写让客户去找本单位 / the rewrite sends the customer to its own institution"
    return None


def keeps_commitments(rewrite: str, template: str) -> bool:
    """False when the template says a flag's commitment (保密, a claim checked first) and the rewrite drops it."""
    return all(not said.search(template) or kept.search(rewrite) for said, kept in _COMMITMENTS)


def voice(sentence: str, customer: set[str], told: set[str]) -> float:
    """The share of a sentence's pairs that only the customer's words hold."""
    own = pairs(sentence)
    return len((own & customer) - told) / len(own) if own else 0.0


def ground(rewrite: str, template: str, customer: str = "", floor: float = SUPPORT_FLOOR,
           ceiling: float = VOICE_CEILING) -> Grounded:
    """The rewrite's sentences that the template, the customer or the house's phrases back, and that
    are not the customer's own words said back; the others are dropped, in order."""
    told = set(house_pairs()) | pairs(template)
    said = pairs(customer)
    source = told | said
    kept, dropped = [], []
    for m in _SENTENCE.finditer(rewrite):
        sent = m.group()
        if len(pairs(sent)) >= MIN_PAIRS and (support(sent, source) < floor or voice(sent, said, told) >= ceiling):
            dropped.append(sent.strip())
        else:
            kept.append(sent)
    return Grounded("".join(kept).strip(), dropped)
