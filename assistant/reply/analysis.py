"""Read the situation: emotion, purposes, personality, difficult types, zone, domain and risk flags.

Transparent rules first; nearest exemplars (utterances the team wrote in knowledge/exemplars,
never eval cases) fill in labels the rules did not see. Every label carries its reason.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.index.exemplars import Exemplar
from assistant.labels import DIFFICULT_TYPES, FLAGS, PERSONALITIES, PURPOSES, ZONES
from assistant.reply import rules
from assistant.reply.matter import narrowed, off_card
from assistant.reply.topics import TopicClassifier, TopicResult
from assistant.text.turns import customer_text, gist, newest_words

KNN_K = 5
KNN_MIN_SIM = 0.55
KNN_MIN_VOTES = 2


@dataclass
class Analysis:
    emotion: int
    purposes: list[str]
    personality: str | None
    difficult_types: list[str]
    zone: str | None
    flags: list[str]
    domain: str
    reasons: dict[str, list[str]] = field(default_factory=dict)
    negated: list[str] = field(default_factory=list)
    customer_text: str = ""
    topic: TopicResult | None = None

    @property
    def labels(self) -> list[str]:
        out = [*self.purposes, *self.difficult_types, *self.flags]
        out += [x for x in (self.personality, self.zone) if x]
        return out

    def as_dict(self) -> dict:
        return {
            "emotion": self.emotion,
            "purposes": self.purposes,
            "personality": self.personality,
            "difficult_types": self.difficult_types,
            "zone": self.zone,
            "flags": self.flags,
            "domain": self.domain,
            "reasons": self.reasons,
            "negated": self.negated,
            "topic": self.topic.as_dict() if self.topic is not None else None,
        }


def _emotion(text: str, safety: bool) -> tuple[int, str]:
    bangs = text.count("!") + text.count("\uff01")  # fullwidth too, for text that skipped clean()
    anger = list(dict.fromkeys(rules.cues(rules.ANGER, text) + rules.cues(rules.CHALLENGE, text)))
    rage = rules.cues(rules.RAGE, text)
    unhappy = rules.cues(rules.UNHAPPY, text) + rules.cues(rules.COMPLAINT, text)
    despair = rules.SELF_HARM.search(text)
    if despair and not rage:  # despair, not fury: the reason says so, so staff don't read it as a fight
        return 3, f"出现'{despair.group(0)}'等绝望、轻生的话"
    if rage or safety or (len(anger) >= 2 and bangs >= 2):
        cue = (rage or anger or ["!"])[0]
        return 3, f"出现'{cue}'等失控/威胁语气"
    if anger or bangs >= 2 or (bangs and unhappy):
        cue = anger[0] if anger else "感叹号"
        return 2, f"出现'{cue}'"
    if unhappy or bangs:
        return 1, f"出现'{(unhappy or ['!'])[0]}'"
    return 0, "未见情绪词"


def _domain(text: str) -> tuple[str, str]:
    re_hits = rules.cues(rules.REAL_ESTATE, text)
    bank_hits = rules.cues(rules.BANK, text)
    if len(re_hits) > len(bank_hits):
        return "real_estate", f"房地产用词'{re_hits[0]}'"
    return "bank", f"银行用词'{bank_hits[0]}'" if bank_hits else "默认银行"


def _plain_domain(text: str) -> str | None:
    """The domain when the words name only one ("售楼处" and nothing of a bank): topics of the other
    domain are then not considered. None when both or neither are named."""
    re_hit, bank_hit = rules.REAL_ESTATE.search(text), rules.BANK.search(text)
    if bool(re_hit) == bool(bank_hit):
        return None
    return "real_estate" if re_hit else "bank"


def knn_labels(
    qvec: np.ndarray | None, exemplars: list[Exemplar], vectors: np.ndarray
) -> dict[str, tuple[float, str]]:
    """Labels voted by the nearest exemplars: code -> (mean similarity, closest exemplar text)."""
    if qvec is None or not len(exemplars):
        return {}
    sims = vectors @ qvec
    top = np.argsort(sims)[::-1][:KNN_K]
    votes: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for i in top:
        if sims[i] < KNN_MIN_SIM:
            continue
        for code in exemplars[i].labels:
            votes[code].append((float(sims[i]), exemplars[i].text))
    return {
        code: (float(np.mean([s for s, _ in v])), max(v)[1])
        for code, v in votes.items()
        if len(v) >= KNN_MIN_VOTES
    }


def analyse(
    text: str,
    *,
    domain: str | None = None,
    qvec: np.ndarray | None = None,
    exemplars: list[Exemplar] = (),
    exemplar_vectors: np.ndarray | None = None,
    topics: TopicClassifier | None = None,
    knowledge_dir: Path | None = None,
) -> Analysis:
    said = customer_text(text) or text
    reasons: dict[str, list[str]] = defaultdict(list)
    negated: list[str] = []

    flags: list[str] = []
    for m in rules.find(rules.FLAG_RULES, said):
        if m.negated:
            negated.append(f"'{m.cue}' 为否定或引述,不计 {m.code}")
            continue
        if m.code not in flags:
            flags.append(m.code)
        reasons[m.code].append(f"提到'{m.cue}' → {m.code}")

    hits: dict[str, str] = {}
    hit_order: list[str] = []
    # found once: each pass of the label rules over a text at the input limit costs tens of ms
    label_matches = rules.find(rules.LABEL_RULES, said)
    for m in sorted(label_matches, key=lambda m: m.start):
        if not m.negated and m.code not in hit_order:
            hit_order.append(m.code)
    for m in label_matches:
        if m.negated:
            negated.append(f"'{m.cue}' 为否定或引述,不计 {m.code}")
        elif m.code not in hits:
            hits[m.code] = m.cue

    knn = knn_labels(qvec, list(exemplars), exemplar_vectors) if exemplar_vectors is not None else {}

    def pick(code: str) -> bool:
        if code in hits:
            reasons[code].append(f"提到'{hits[code]}' → {code}")
            return True
        if code in knn:
            sim, example = knn[code]
            reasons[code].append(f"与示例“{example[:18]}…”相近({sim:.2f}) → {code}")
            return True
        return False

    emotion, why = _emotion(said, "safety_risk" in flags)
    reasons["emotion"].append(f"情绪 {emotion}:{why}")

    purposes = [p for p in PURPOSES if pick(p)]
    if "compensation_claim" in flags and "compensation" not in purposes:
        purposes.append("compensation")
        reasons["compensation"].append("有索赔/补偿要求 → compensation")
    if emotion >= 2 and "vent" not in purposes:
        purposes.append("vent")
        reasons["vent"].append(f"情绪等级 {emotion} → vent")

    difficult = [d for d in DIFFICULT_TYPES if d not in ("emotional", "publicity") and pick(d)]
    if emotion >= 3 or (emotion >= 2 and "safety_risk" in flags):
        difficult.insert(0, "emotional")
        reasons["emotional"].append(f"情绪等级 {emotion} → emotional")
    if "media_exposure" in flags:
        difficult.append("publicity")
        reasons["publicity"].append("扬言曝光 → publicity")

    personality = next((p for p in ("powerful", "perfect", "lively", "peaceful") if p in hits), None)
    if personality:
        reasons[personality].append(f"提到'{hits[personality]}' → {personality}")
    else:
        scored = [(knn[p][0], p) for p in PERSONALITIES if p in knn]
        if scored:
            personality = max(scored)[1]
            pick(personality)

    topic = (topics.classify(gist(said), qvec, domain or _plain_domain(said), newest=gist(newest_words(text)))
             if topics else None)
    if topic is not None:
        reasons["topic"].append(f"主题 {topic.title}:{topic.reason}")
        topic = narrowed(topic, next((c for c in topics.cards if c.id == topic.id), None), said)
    if domain:
        dom, dom_why = domain, "由用户指定"
    elif topic is not None and topic.known and topic.domain:
        dom, dom_why = topic.domain, f"随主题“{topic.title}”"
    else:
        dom, dom_why = _domain(said)
    reasons["domain"].append(dom_why)
    if topic is not None and knowledge_dir is not None:
        topic = off_card(topic, said, dom, knowledge_dir)
    zone = None
    if dom == "bank":
        # the zone named first is where the trouble started ("进门问了…让我去窗口")
        zone = next((code for code in hit_order if code in ZONES), None)
        if zone:
            reasons[zone].append(f"提到'{hits[zone]}' → {zone}")
        else:
            scored = [(knn[z][0], z) for z in ZONES if z in knn]
            zone = max(scored)[1] if scored else None
            if zone:
                pick(zone)
    return Analysis(
        emotion=emotion,
        purposes=purposes,
        personality=personality,
        difficult_types=list(dict.fromkeys(difficult)),
        zone=zone,
        flags=[f for f in FLAGS if f in flags],
        domain=dom,
        reasons=dict(reasons),
        negated=negated,
        customer_text=said,
        topic=topic,
    )
