"""Pick the few techniques that fit: hybrid retrieval + label boost, then diversity rules."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.index.retrieval import Hit, HybridRetriever
from assistant.labels import POLICY_CATEGORIES, label_name
from assistant.reply.analysis import Analysis

TECHNIQUE_CATEGORIES = ("technique", "apology", "refusal", "customer_type", "personality", "questioning",
                        "answering", "process", "real_estate")
# cards that calm a customer down; one of them leads whenever there is any emotion
CALMING = ("nuhuo-xiexie", "nuhuo-daoqian", "nuhuo-yindao", "qiwang-lijie", "huashu-3f", "liucheng-2-anfu",
           "qiwang-tongyizhanxian", "nanchan-ganqing", "liucheng-geli", "daoqian-zhengque", "huida-fuhe", "huida-ganxing")
HUASHU = ("huashu-taiji", "huashu-3f", "huashu-sandiming", "huashu-liangjie", "huashu-xunwen")
FLAG_LABELS = {"media_exposure", "compensation_claim", "group_complaint", "repeat_complaint",
               "regulator_escalation", "safety_risk", "confidentiality", "vulnerable_customer"}
MAX_PER_CATEGORY = 2
# a detected difficult-customer type always brings the course's card for it
DIFFICULT_CARDS = {"emotional": "nanchan-ganqing", "righteous": "nanchan-zhengyi", "stubborn": "nanchan-guzhi",
                   "prepared": "nanchan-youbei", "publicity": "nanchan-xuanchuan", "unreasonable": "nanchan-wuli"}
NEAR_DUPLICATE = 0.92


@dataclass
class Technique:
    hit: Hit
    why: str

    def as_dict(self) -> dict:
        c = self.hit.card
        return {
            "id": c.id,
            "title": c.title,
            "category": c.category,
            "source": c.source,
            "why": self.why,
            "key_line": c.key_line,
            "examples": c.examples[:2],
            "score": round(self.hit.score, 5),
        }


def _why(hit: Hit, analysis: Analysis) -> str:
    bits = []
    for code in hit.matched_labels[:3]:
        reason = (analysis.reasons.get(code) or [label_name(code)])[0]
        bits.append(f"{label_name(code)}({reason})")
    if hit.bm25_rank and hit.bm25_rank <= 5:
        bits.append("与客户原话的关键词高度相关")
    elif hit.dense_rank and hit.dense_rank <= 5:
        bits.append("与客户原话语义相近")
    return ";".join(bits) or "与当前情境相关"


def select(
    retriever: HybridRetriever, analysis: Analysis, text: str, qvec: np.ndarray | None,
    k: int = 5, mode: str = "hybrid_boost",
) -> list[Technique]:
    pool = retriever.search(
        text, k=40, mode=mode, labels=analysis.labels, categories=TECHNIQUE_CATEGORIES,
        domain=analysis.domain, qvec=qvec,
    )
    pool = [h for h in pool if h.card.category not in POLICY_CATEGORIES]
    chosen: list[Hit] = []

    def ok(h: Hit) -> bool:
        if h in chosen:
            return False
        if sum(c.card.category == h.card.category for c in chosen) >= MAX_PER_CATEGORY:
            return False
        vecs = retriever.index.vectors
        pos = retriever.index.position
        return all(float(vecs[pos[h.card.id]] @ vecs[pos[c.card.id]]) < NEAR_DUPLICATE for c in chosen)

    def take_first(pred) -> None:
        for h in pool:
            if len(chosen) < k and pred(h) and ok(h):
                chosen.append(h)
                return

    # cover calming, the flag's procedure and a 话术 before filling up by score
    if analysis.emotion >= 1:
        take_first(lambda h: h.card.id in CALMING)
    if set(analysis.flags):
        take_first(lambda h: bool(set(h.matched_labels) & set(analysis.flags)))
    take_first(lambda h: h.card.id in HUASHU)
    for h in pool:
        if len(chosen) >= k:
            break
        if ok(h):
            chosen.append(h)
    _bring_difficult_cards(retriever, analysis, pool, chosen, k)
    chosen.sort(key=lambda h: h.score, reverse=True)
    return [Technique(h, _why(h, analysis)) for h in chosen]


def _bring_difficult_cards(retriever: HybridRetriever, analysis: Analysis, pool: list[Hit], chosen: list[Hit],
                           k: int) -> None:
    """Each detected difficult type's card joins the picks, in place of the weakest other pick."""
    wanted = {DIFFICULT_CARDS[d]: d for d in analysis.difficult_types if d in DIFFICULT_CARDS}
    for cid, code in wanted.items():
        if any(h.card.id == cid for h in chosen):
            continue
        hit = next((h for h in pool if h.card.id == cid), None)
        if hit is None:
            try:
                card = retriever.index.card(cid)
            except KeyError:
                continue
            if analysis.domain not in card.domain:
                continue
            hit = Hit(card, min((h.score for h in chosen), default=0.0), matched_labels=[code])
        elif code not in hit.matched_labels:
            hit.matched_labels = [code, *hit.matched_labels]
        same = [h for h in chosen if h.card.category == hit.card.category]
        if len(same) >= MAX_PER_CATEGORY:
            spare = [h for h in same if h.card.id not in wanted]
        elif len(chosen) >= k:
            spare = [h for h in chosen if h.card.id not in wanted]
        else:
            spare = None
        if spare == []:
            continue
        if spare:
            chosen.remove(min(spare, key=lambda h: h.score))
        chosen.append(hit)
