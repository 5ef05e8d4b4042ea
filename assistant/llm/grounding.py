"""Is each sentence of a model rewrite backed by what the model was given?

The checker catches what a branch must never say; it cannot catch a sentence that is fluent, polite
and made up ("您说的保险是您在其他银行存的", "我们是按照您的要求办理的"). A rewrite only rephrases the
template draft for the customer's newest words, so each of its sentences should be built mostly from
the template's words, the customer's and the house's polite phrases (the template drafter's own
phrase tables: "真的很抱歉" backs nothing but is always fine to say): a sentence whose character pairs
are mostly found in none of them is the model's own story, and is left out.
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


def ground(rewrite: str, *sources: str, floor: float = SUPPORT_FLOOR) -> Grounded:
    """The rewrite's sentences that the sources back; the others are dropped, in order."""
    source = set(house_pairs()).union(*(pairs(s) for s in sources))
    kept, dropped = [], []
    for m in _SENTENCE.finditer(rewrite):
        sent = m.group()
        if len(pairs(sent)) >= MIN_PAIRS and support(sent, source) < floor:
            dropped.append(sent.strip())
        else:
            kept.append(sent)
    return Grounded("".join(kept).strip(), dropped)
