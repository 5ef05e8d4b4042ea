"""The read-back for a topic card that covers several matters: the customer's words pick the one.

"您的钱被认定为假币收缴,或残损钞票兑换的事" read back to a customer whose money the mice chewed is a
catalogue, not a read-back. A card lists narrower variants, each with its cue words; when the
customer's words name one of them more than any other, it is the read-back; otherwise the card's own
phrase stays.
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

import yaml

from assistant.errors import CardError
from assistant.index.cards import Card, MatterVariant, parse_variants
from assistant.labels import DOMAINS
from assistant.reply.topics import TopicResult

OFF_CARD_FILE = Path("topics") / "off_card_matters.yaml"


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


@functools.lru_cache(maxsize=8)
def _read_off_card(path: Path, mtime: float) -> dict[str, tuple[MatterVariant, ...]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not set(data) <= set(DOMAINS):
        raise CardError(f"{path.name}: 须按领域(bank / real_estate)列出事项",
                        f"{path.name}: matters must be listed under a domain (bank / real_estate)")
    return {dom: parse_variants(raw, path.name) for dom, raw in data.items()}


def off_card_matters(knowledge_dir: Path) -> dict[str, tuple[MatterVariant, ...]]:
    """knowledge/topics/off_card_matters.yaml by domain; re-read when the file changes."""
    path = Path(knowledge_dir) / OFF_CARD_FILE
    if not path.exists():
        return {}
    return _read_off_card(path, path.stat().st_mtime)


def off_card(topic: TopicResult, said: str, domain: str, knowledge_dir: Path) -> TopicResult:
    """An `other` topic with the matter no card covers that the customer names ("停车收费的事"), so the
    draft can name it and say the usual first step; the topic itself stays `other`."""
    if topic.known:
        return topic
    v = _most_named(off_card_matters(knowledge_dir).get(domain, ()), said, 2 if len(said) > OFF_CARD_LONG else 1)
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
    return dataclasses.replace(topic, matter=v.matter, action=v.action or topic.action)
