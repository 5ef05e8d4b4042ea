"""The read-back for a topic card that covers several matters: the customer's words pick the one.

"您的钱被认定为假币收缴,或残损钞票兑换的事" read back to a customer whose money the mice chewed is a
catalogue, not a read-back. A card lists narrower variants, each with its cue words; when the
customer's words name one of them more than any other, it is the read-back; otherwise the card's own
phrase stays.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from assistant.errors import CardError
from assistant.index.cards import Card, MatterVariant, off_card_matters
from assistant.reply.topics import TopicResult

OFF_CARD_LONG = 150  # a long story names side matters in passing ("客服电话也打不通"): two cues, not one


def _most_named(variants: tuple[MatterVariant, ...], said: str, least: int = 1) -> MatterVariant | None:
    hits = sorted(((sum(w in said for w in v.when), i) for i, v in enumerate(variants)), reverse=True)
    if not hits or hits[0][0] < least or (len(hits) > 1 and hits[1][0] == hits[0][0]):
        return None
    return variants[hits[0][1]]


def pick_variant(card: Card, said: str) -> MatterVariant | None:
    """The variant whose cue words the customer says most; none when they say none, or when two
    variants tie (then the card's whole phrase is the apt read-back: "裂缝和空鼓都有")."""
    return _most_named(card.variants, said)


def off_card(topic: TopicResult, said: str, domain: str, knowledge_dir: Path) -> TopicResult:
    """An `other` topic with the matter no card covers that the customer names ("停车收费的事"), so the
    draft can name it and say the usual first step; the topic itself stays `other`."""
    if topic.known:
        return topic
    try:
        matters = off_card_matters(knowledge_dir)
    except CardError:  # `assistant index` reports it; a draft is still made, without the matter
        return topic
    v = _most_named(matters.get(domain, ()), said, 2 if len(said) > OFF_CARD_LONG else 1)
    if v is None:
        return topic
    return dataclasses.replace(topic, matter=v.matter, action=v.action, domain=domain)


def narrowed(topic: TopicResult, card: Card | None, said: str) -> TopicResult:
    """The topic with its matter (and action, where the variant has one) narrowed to what was said."""
    if card is None or not topic.known:
        return topic
    v = pick_variant(card, said)
    if v is None:
        return topic
    return dataclasses.replace(topic, matter=v.matter, action=v.action or topic.action,
                               codes={**topic.codes, **v.codes} if v.codes else topic.codes)
