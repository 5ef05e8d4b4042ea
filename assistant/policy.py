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
    audit_id: str | None = None
    audit_error: str | None = None

    def as_dict(self) -> dict:
        out = {"answer": self.answer, "found": self.found, "citations": self.citations}
        if self.audit_id or self.audit_error:
            out |= {"audit_id": self.audit_id, "audit_error": self.audit_error}
        return out


_ENUM = re.compile(r"^\s*(\d+、|[((][一二三四五六七八九十]+[))])\s*")


_CONTINUES = ("但", "同时", "并", "否则", "如", "对于", "其中")
WHOLE_CLAUSE_CHARS = 150


def _sentences(text: str) -> list[str]:
    """Clause sentences without list numbers (a "3、" is not a figure the question asks for).

    A sentence opening with 但/同时/并… completes the one before, so they stay together.
    """
    out: list[str] = []
    for s in _SENT.findall(text):
        s = _ENUM.sub("", s.strip())
        if len(s) <= 3:
            continue
        if out and s.startswith(_CONTINUES):
            out[-1] += s
        else:
            out.append(s)
    return out


_QUANTITY = re.compile(r"多少|上限|下限|几|多久|多长|时限|期限|限额|金额|天内|小时")
_FIGURE = re.compile(r"\d")
_STOPCHARS = set("的了是在和与及或我你您他们这那就都也还吗呢啊吧有没不要会能可以什么怎么多少如何为哪几,,。??!!、")


def _bigrams(text: str) -> set[str]:
    chars = [ch for ch in text if ch not in _STOPCHARS]
    return {a + b for a, b in zip(chars, chars[1:], strict=False)} | set(chars)


def _score_sentences(card: Card, question: str) -> list[tuple[int, int, str]]:
    q = _bigrams(question)
    wants_figure = bool(_QUANTITY.search(question))
    return [(len(q & _bigrams(s)) + (4 if wants_figure and _FIGURE.search(s) else 0), -i, s)
            for i, s in enumerate(_sentences(card.quote))]


def sentence_score(card: Card, question: str) -> int:
    return max((s for s, _, _ in _score_sentences(card, question)), default=0)


def best_sentences(card: Card, question: str, limit: int = 3) -> list[str]:
    """The clause sentences sharing the most characters and bigrams with the question, in order.

    Character bigrams rather than words: the user dictionary joins 贵宾客户 into one token, and
    a question saying 贵宾 must still find that sentence.
    """
    sents = _sentences(card.quote)
    if not sents:
        return [card.key_line]
    if sum(map(len, sents)) <= WHOLE_CLAUSE_CHARS:
        return sents
    scored = _score_sentences(card, question)
    top = sorted(scored, reverse=True)[:limit]
    best = top[0][0]
    keep = [s for score, _, s in top if score > 0 and score >= best * 0.5] or [sents[0]]
    return sorted(keep, key=sents.index)


class PolicyAnswerer:
    def __init__(self, retriever: HybridRetriever, min_bm25: float, min_dense: float) -> None:
        self.retriever = retriever
        self.min_bm25 = min_bm25
        self.min_dense = min_dense

    def relevant(self, hit: Hit) -> bool:
        # keyword evidence alone can carry a clause; a dense match needs some keyword support,
        # because a lone dense match on a general question is how invented answers start
        if hit.bm25_score >= self.min_bm25:
            return True
        return hit.dense_score >= self.min_dense and hit.bm25_score >= self.min_bm25 * 0.5

    def answer(self, question: str) -> PolicyAnswer:
        q_tokens = tokens(question)
        hits = self.retriever.search(
            question, k=8, mode="hybrid", categories=POLICY_CATEGORIES, query_tokens=q_tokens
        )
        good = [h for h in hits if self.relevant(h)]
        if not good:
            return PolicyAnswer(NOT_FOUND, False, [], hits)
        # among the clauses retrieval finds about equally relevant, the one whose sentences
        # answer the question best goes first
        close = [h for h in good if h.score >= good[0].score * 0.85][:5]
        close.sort(key=lambda h: sentence_score(h.card, question), reverse=True)
        cited = close[:2]
        citations = []
        parts = []
        for h in cited:
            quote = "".join(best_sentences(h.card, question))
            citations.append({"source": h.card.doc, "section": h.card.clause, "quote": quote, "card_id": h.card.id,
                              "verbatim": h.card.verbatim})
            parts.append(f"{quote}(《{h.card.doc}》{h.card.clause})")
        return PolicyAnswer("\n".join(parts), True, citations, hits)
