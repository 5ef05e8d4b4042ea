"""The read-back for a topic card that covers several matters: the customer's words pick the one.

"您的钱被认定为假币收缴,或残损钞票兑换的事" read back to a customer whose money the mice chewed is a
catalogue, not a read-back. A card lists narrower variants, each with its cue words; when the
customer's words name one of them more than any other, it is the read-back; otherwise the card's own
phrase stays.
"""

from __future__ import annotations

import dataclasses

from assistant.index.cards import Card, MatterVariant
from assistant.reply.topics import TopicResult


def pick_variant(card: Card, said: str) -> MatterVariant | None:
    """The variant whose cue words the customer says most; none when they say none, or when two
    variants tie (then the card's whole phrase is the apt read-back: "裂缝和空鼓都有")."""
    hits = sorted(((sum(w in said for w in v.when), i) for i, v in enumerate(card.variants)), reverse=True)
    if not hits or hits[0][0] == 0 or (len(hits) > 1 and hits[1][0] == hits[0][0]):
        return None
    return card.variants[hits[0][1]]


def narrowed(topic: TopicResult, card: Card | None, said: str) -> TopicResult:
    """The topic with its matter (and action, where the variant has one) narrowed to what was said."""
    if card is None or not topic.known:
        return topic
    v = pick_variant(card, said)
    if v is None:
        return topic
    return dataclasses.replace(topic, matter=v.matter, action=v.action or topic.action)
