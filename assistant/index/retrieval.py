"""Hybrid retrieval: BM25 over jieba tokens and dense vectors, fused with RRF, plus a label boost.

Keyword queries are expanded with the thesaurus (knowledge/synonyms.txt), and a query that is a
card's own name, or close to it (3F法, 太极法, 首问负责), ranks that card first.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import numpy as np

from assistant.index.bm25 import BM25
from assistant.index.cards import Card
from assistant.index.common import LoadedIndex
from assistant.index.embedders import Embedder
from assistant.labels import label_kind
from assistant.settings import get_settings
from assistant.text.tokenize import expand, read_synonym_sections, tokens

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
    title_match: float = 0.0

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
            "title_match": round(self.title_match, 3),
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
        self.titles = TitleMatcher(index.cards)

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
            q_tokens = query_tokens if query_tokens is not None else tokens(query)
            scores = self.bm25.score_array(expand(q_tokens))
            order = [i for i in np.argsort(scores)[::-1] if scores[i] > 0 and allowed[i]][:CANDIDATES]
            for rank, i in enumerate(order, 1):
                h = hits.setdefault(cards[i].id, Hit(cards[i], 0.0))
                h.bm25_rank, h.bm25_score = rank, float(scores[i])
                h.score += 1.0 / (self.rrf_k + rank)
        if mode in ("dense", "hybrid", "hybrid_boost"):
            vec = qvec if qvec is not None else self.embed_query(query)
            ranked = [
                (cid, s)
                for cid, s in self.index.nearest(vec, CANDIDATES * 2 if domain else CANDIDATES,
                                                 set(categories) if categories else None)
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
        # the course's own names win: a query that is (nearly) a card's title puts that card first
        for cid, closeness in self.titles.match(query).items():
            i = self.index.position[cid]
            if not allowed[i]:
                continue
            h = hits.setdefault(cid, Hit(cards[i], 0.0))
            h.title_match = closeness
            h.score += 1.0 + closeness
        ranked = sorted(hits.values(), key=lambda h: h.score, reverse=True)
        if domain is None and route_domain(query) == "real_estate":
            # a question about houses, owners or handover looks at real-estate cards first
            ranked.sort(key=lambda h: h.title_match == 0 and "real_estate" not in h.card.domain)
        return ranked[:k]

    def _allowed(self, categories: Iterable[str] | None, domain: str | None) -> list[bool]:
        cats = set(categories) if categories else None
        return [
            (cats is None or c.category in cats) and (domain is None or domain in c.domain)
            for c in self.index.cards
        ]


# ---- exact names -------------------------------------------------------------------------------

_NOT_NAME = re.compile(r"[^0-9a-z\u4e00-\u9fff]")
# words around a name that do not change which card is meant: "什么是3F法?", "太极法怎么用"
_WRAPPER = re.compile(r"^(什么是|啥是|何谓|请问|关于)|(是什么|是啥|是什么意思|怎么用|怎么做|如何用|的内容|的规定|的要求)$")
TITLE_MIN_CLOSENESS = 0.6
TITLE_FUZZY_CLOSENESS = 0.8


def _name(text: str) -> str:
    return _NOT_NAME.sub("", text.lower())


def title_aliases(title: str) -> set[str]:
    """A title and its shorter names: after the clause number, after a colon, before a bracket.

    "应急预案三、1 首问责任制原则" is also "首问责任制原则"; "道歉忌讳:边道歉边辩解" is also
    "边道歉边辩解"; "首问负责制(非2020年3号令内容)" is also "首问负责制".
    """
    out = {title}
    for t in list(out):
        out.add(re.split(r"[((]", t)[0])
    for t in list(out):
        out.add(t.split()[-1] if t.split() else t)
    for t in list(out):
        out.add(re.split(r"[::]", t)[-1])
    return {n for n in (_name(a) for a in out) if len(n) >= 2}


def name_closeness(query: str, alias: str) -> float:
    """1.0 when the query is the name; the shared share when one holds the other; else a fuzzy ratio."""
    if query == alias:
        return 1.0
    if alias in query or query in alias:
        return min(len(query), len(alias)) / max(len(query), len(alias))
    # neither holds the other: only a near spelling counts ("首问负责制" / "首问责任制")
    if 2 * min(len(query), len(alias)) / (len(query) + len(alias)) < TITLE_FUZZY_CLOSENESS:
        return 0.0  # the ratio can be no higher than this: skip the matcher
    m = SequenceMatcher(None, query, alias)
    return m.ratio() if m.quick_ratio() >= TITLE_FUZZY_CLOSENESS and m.ratio() >= TITLE_FUZZY_CLOSENESS else 0.0


class TitleMatcher:
    def __init__(self, cards: list[Card]) -> None:
        self.aliases = [(c.id, a, frozenset(a)) for c in cards for a in title_aliases(c.title)]

    def match(self, query: str, min_closeness: float = TITLE_MIN_CLOSENESS) -> dict[str, float]:
        """Cards whose name the query is, or is close to, with how close (at most 1.0)."""
        q = _name(query)
        q = _name(_WRAPPER.sub("", q)) or q
        if len(q) < 2 or len(q) > 24:
            return {}
        out: dict[str, float] = {}
        chars = frozenset(q)
        for cid, alias, alias_chars in self.aliases:
            if 2 * len(chars & alias_chars) < min_closeness * (len(chars) + len(alias_chars)):
                continue  # too few shared characters to be this close
            c = name_closeness(q, alias)
            if c >= min_closeness and c > out.get(cid, 0.0):
                out[cid] = c
        return out


# ---- domain routing ----------------------------------------------------------------------------

_REAL_ESTATE = re.compile(r"房|业主|交付|开发商|物业|楼盘|售楼|置业|小区|精装|毛坯|验房")


def _real_estate_terms() -> set[str]:
    return {t for title, groups in read_synonym_sections().items() if "房地产" in title for g in groups for t in g}


_RE_TERMS: set[str] | None = None


def route_domain(text: str) -> str | None:
    """"real_estate" for a question about houses, owners, handover or developers; otherwise None."""
    global _RE_TERMS
    if _REAL_ESTATE.search(text):
        return "real_estate"
    if _RE_TERMS is None:
        _RE_TERMS = _real_estate_terms()
    return "real_estate" if any(t in _RE_TERMS for t in tokens(text)) else None


# ---- cached vectors ----------------------------------------------------------------------------

_vec_lock = threading.Lock()
_memory: dict[str, dict[str, np.ndarray]] = {}  # per cache file: what this process has read or embedded


def cached_embed(embedder: Embedder, texts: list[str]) -> np.ndarray:
    """Vectors of texts, reusing those computed before (a file per embedder under ASSISTANT_HOME).

    Used for the 问法 of clause cards: a few hundred short questions that would cost a second to
    embed at every start.
    """
    if not texts:
        return np.zeros((0, 1), dtype=np.float32)
    keys = [hashlib.sha256(t.encode("utf-8")).hexdigest()[:20] for t in texts]
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", embedder.name)
    path = get_settings().resolved_home() / "cache" / f"vectors-{safe}.npz"
    with _vec_lock:
        cache = _memory.setdefault(str(path), {})
        if any(k not in cache for k in keys):
            try:
                with np.load(path) as data:
                    cache.update(zip(data["keys"].tolist(), data["vectors"], strict=True))
            except (OSError, ValueError, KeyError):
                pass
        missing = [i for i, k in enumerate(keys) if k not in cache]
        for start in range(0, len(missing), 32):
            idx = missing[start:start + 32]
            for i, v in zip(idx, embedder.embed([texts[j] for j in idx]), strict=True):
                cache[keys[i]] = v
        if missing:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
                np.savez(tmp, keys=np.array(list(cache)), vectors=np.stack(list(cache.values())))
                os.replace(tmp, path)
            except OSError:
                pass  # a read-only home still answers, it just embeds again next start
        return np.stack([cache[k] for k in keys]).astype(np.float32)
