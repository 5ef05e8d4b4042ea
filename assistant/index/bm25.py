"""Okapi BM25 over pre-tokenised documents (in-process: local Chroma has no keyword search).

A query term may be a group of synonyms. A group is scored as one term, the way Lucene's
SynonymQuery does: its frequency in a document is the sum of its members' frequencies and its
document frequency counts the documents holding any member. So expanding 贵宾 to {贵宾, VIP, 大客户}
never counts the same idea three times, and a broad group stays as cheap as a common word.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

import numpy as np


class BM25:
    def __init__(self, docs: list[list[str]], k1: float = 1.5, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.n = len(docs)
        self.len = np.array([len(d) for d in docs], dtype=np.float64)
        self.avgdl = float(self.len.mean()) if docs else 0.0
        # postings: term -> (document rows, frequencies)
        rows: dict[str, list[int]] = {}
        freqs: dict[str, list[int]] = {}
        for i, d in enumerate(docs):
            for t, f in Counter(d).items():
                rows.setdefault(t, []).append(i)
                freqs.setdefault(t, []).append(f)
        self.postings = {t: (np.array(rows[t]), np.array(freqs[t], dtype=np.float64)) for t in rows}
        self.idf = {t: self._idf(len(r)) for t, (r, _) in self.postings.items()}
        self._norm = self.k1 * (1 - self.b + self.b * self.len / (self.avgdl or 1))

    def _idf(self, df: int) -> float:
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def term_frequencies(self, term: str | Iterable[str]) -> np.ndarray:
        """Per-document frequency of a term, or of a synonym group summed."""
        tf = np.zeros(self.n)
        for t in ((term,) if isinstance(term, str) else term):
            post = self.postings.get(t)
            if post is not None:
                tf[post[0]] += post[1]
        return tf

    def scores(self, query: list[str] | list[Iterable[str]]) -> list[float]:
        return self.score_array(query).tolist()

    def score_array(self, query) -> np.ndarray:
        out = np.zeros(self.n)
        for term in _unique(query):
            tf = self.term_frequencies(term)
            df = int(np.count_nonzero(tf))
            if not df:
                continue
            out += self._idf(df) * tf * (self.k1 + 1) / (tf + self._norm)
        return out


def _unique(query) -> list:
    seen, out = set(), []
    for term in query:
        key = term if isinstance(term, str) else frozenset(term)
        if key not in seen:
            seen.add(key)
            out.append(key)
    return out
