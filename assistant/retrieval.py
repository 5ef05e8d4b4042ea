"""Hybrid retrieval: BM25 over jieba tokens and dense vectors, fused with RRF, plus a label boost."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from assistant.bm25 import BM25
from assistant.cards import Card
from assistant.embedders import Embedder
from assistant.index import LoadedIndex
from assistant.labels import label_kind
from assistant.tokenize import tokens

CANDIDATES = 40
# what a label is decides how much it should steer: a risk flag names the procedure, a purpose
# is shared by half the course
KIND_WEIGHT = {"flag": 1.0, "difficult": 0.8, "zone": 0.7, "personality": 0.5, "purpose": 0.4}


@dataclass
class Hit:
    card: Card
    score: float
    bm25_rank: int | None = None
    bm25_score: float = 0.0
    dense_rank: int | None = None
    dense_score: float = 0.0
    boost: float = 0.0
    matched_labels: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "id": self.card.id,
            "title": self.card.title,
            "category": self.card.category,
            "score": round(self.score, 5),
            "bm25_rank": self.bm25_rank,
            "bm25_score": round(self.bm25_score, 3),
            "dense_rank": self.dense_rank,
            "dense_score": round(self.dense_score, 4),
            "boost": round(self.boost, 4),
            "matched_labels": self.matched_labels,
        }


class HybridRetriever:
    def __init__(self, index: LoadedIndex, embedder: Embedder, rrf_k: int = 60, label_boost: float = 0.03) -> None:
        self.index = index
        self.embedder = embedder
        self.rrf_k = rrf_k
        self.label_boost = label_boost
        # the title counts twice: the course's own names are the strongest keyword signal
        self.bm25 = BM25([tokens(c.title) * 2 + tokens(c.index_text()) for c in index.cards])
        # a label that few cards carry (safety_risk, waiting) says more than one most carry (vent)
        df = Counter(code for c in index.cards for code in set(c.applies_to))
        n = len(index.cards)
        self.label_idf = {code: math.log(n / f) for code, f in df.items()}
        self._max_idf = max(self.label_idf.values(), default=1.0)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embedder.embed([text])[0]

    def search(
        self,
        query: str,
        *,
        k: int = 5,
        mode: str = "hybrid_boost",
        labels: Iterable[str] = (),
        categories: Iterable[str] | None = None,
        domain: str | None = None,
        qvec: np.ndarray | None = None,
        query_tokens: list[str] | None = None,
    ) -> list[Hit]:
        cards = self.index.cards
        allowed = self._allowed(categories, domain)
        hits: dict[str, Hit] = {}
        if mode in ("bm25", "hybrid", "hybrid_boost"):
            scores = self.bm25.scores(query_tokens if query_tokens is not None else tokens(query))
            order = [i for i in np.argsort(scores)[::-1] if scores[i] > 0 and allowed[i]][:CANDIDATES]
            for rank, i in enumerate(order, 1):
                h = hits.setdefault(cards[i].id, Hit(cards[i], 0.0))
                h.bm25_rank, h.bm25_score = rank, float(scores[i])
                h.score += 1.0 / (self.rrf_k + rank)
        if mode in ("dense", "hybrid", "hybrid_boost"):
            vec = qvec if qvec is not None else self.embed_query(query)
            where = {"category": {"$in": sorted(set(categories))}} if categories else None
            ranked = [
                (cid, s)
                for cid, s in self.index.store.query(vec, CANDIDATES * 2 if domain else CANDIDATES, where)
                if cid in self.index.position and allowed[self.index.position[cid]]
            ][:CANDIDATES]
            for rank, (cid, sim) in enumerate(ranked, 1):
                card = self.index.card(cid)
                h = hits.setdefault(cid, Hit(card, 0.0))
                h.dense_rank, h.dense_score = rank, sim
                h.score += 1.0 / (self.rrf_k + rank)
        if mode == "hybrid_boost":
            wanted = set(labels)
            for i, card in enumerate(cards):
                matched = [c for c in card.applies_to if c in wanted]
                if not matched or not allowed[i]:
                    continue
                h = hits.setdefault(card.id, Hit(card, 0.0))
                weight = sum(self.label_idf.get(c, 0.0) * KIND_WEIGHT.get(label_kind(c), 0.5) for c in matched)
                h.boost = self.label_boost * weight / self._max_idf
                h.matched_labels = matched
                h.score += h.boost
        return sorted(hits.values(), key=lambda h: h.score, reverse=True)[:k]

    def _allowed(self, categories: Iterable[str] | None, domain: str | None) -> list[bool]:
        cats = set(categories) if categories else None
        return [
            (cats is None or c.category in cats) and (domain is None or domain in c.domain)
            for c in self.index.cards
        ]
