"""Extractive policy answers: quote the best clause, cite document and section, or say not found."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.cards import Card
from assistant.labels import POLICY_CATEGORIES
from assistant.retrieval import Hit, HybridRetriever
from assistant.tokenize import tokens

NOT_FOUND = "制度文件中未找到相关规定,请咨询上级或合规部门。(Not found in the procedures.)"
_SENT = re.compile(r"[^。;;\n]+[。;;]?")


@dataclass
class PolicyAnswer:
    answer: str
    found: bool
    citations: list[dict] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"answer": self.answer, "found": self.found, "citations": self.citations}


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT.findall(text) if len(s.strip()) > 3]


def best_sentences(card: Card, question_tokens: list[str], limit: int = 2) -> list[str]:
    """The clause sentences that share the most question words, in their original order."""
    q = set(question_tokens)
    sents = _sentences(card.quote)
    if not sents:
        return [card.key_line]
    scored = [(len(q & set(tokens(s))), -i, s) for i, s in enumerate(sents)]
    top = sorted(scored, reverse=True)[:limit]
    keep = [s for score, _, s in top if score > 0] or [sents[0]]
    return sorted(keep, key=sents.index)


class PolicyAnswerer:
    def __init__(self, retriever: HybridRetriever, min_bm25: float, min_dense: float) -> None:
        self.retriever = retriever
        self.min_bm25 = min_bm25
        self.min_dense = min_dense

    def relevant(self, hit: Hit) -> bool:
        # both signals must agree a little, and at least one strongly: a lone dense match on
        # a general question is how invented answers start
        strong = hit.bm25_score >= self.min_bm25 or hit.dense_score >= self.min_dense
        return strong and hit.bm25_score >= self.min_bm25 * 0.5 and hit.dense_score >= self.min_dense * 0.6

    def answer(self, question: str) -> PolicyAnswer:
        q_tokens = tokens(question)
        hits = self.retriever.search(
            question, k=5, mode="hybrid", categories=POLICY_CATEGORIES, query_tokens=q_tokens
        )
        good = [h for h in hits if self.relevant(h)]
        if not good:
            return PolicyAnswer(NOT_FOUND, False, [], hits)
        top = good[0]
        cited = [top] + [h for h in good[1:3] if h.score >= top.score * 0.85]
        citations = []
        parts = []
        for h in cited:
            quote = "".join(best_sentences(h.card, q_tokens))
            citations.append({"source": h.card.doc, "section": h.card.clause, "quote": quote, "card_id": h.card.id})
            parts.append(f"{quote}(《{h.card.doc}》{h.card.clause})")
        return PolicyAnswer("\n".join(parts), True, citations, hits)
