"""What the disk and the server index share: versions, content keys, the loaded index."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from assistant.errors import CardError
from assistant.index.cards import Card, MatterVariant
from assistant.index.embedders import Embedder
from assistant.index.exemplars import Exemplar, load_exemplars
from assistant.index.store import ChromaStore

KEEP_VERSIONS = 2


# a query that started on an older version may still be reading it: keep recent ones a while
KEEP_SECONDS = 600


Progress = Callable[[int, int], None]


@dataclass
class BuildReport:
    version: str
    cards: int
    exemplars: int
    embedded: int
    reused: int
    seconds: float


def _card_to_json(card: Card) -> dict:
    return dataclasses.asdict(card)


def _card_from_json(data: dict) -> Card:
    data = dict(data)
    data["applies_to"] = tuple(data["applies_to"])
    data["domain"] = tuple(data["domain"])
    data["keywords"] = tuple(data.get("keywords") or ())
    data["variants"] = tuple(MatterVariant(tuple(v["when"]), v["matter"], v.get("action", ""), dict(v.get("codes") or {}))
                             for v in data.get("variants") or ())
    return Card(**data)


# topic cards' customer lines ride with the exemplars (embedded and cached the same way, on disk
# and on a server), marked by their source; LoadedIndex splits them off again
TOPIC_SOURCE = "topic:"


def topic_exemplars(cards: list[Card]) -> list[Exemplar]:
    return [Exemplar(u, (c.id,), TOPIC_SOURCE + c.id) for c in cards if c.is_topic for u in c.utterances]


# lines that no card covers (knowledge/topics/out_of_scope.yaml): the topic classifier learns them as
# the class `other`; they ride with the topic lines, their source names their kind (behaviour, uncovered)
OTHER_TOPIC = "other"
OUT_OF_SCOPE_SOURCE = TOPIC_SOURCE + OTHER_TOPIC + "/"


def out_of_scope_path(knowledge_dir: Path) -> Path:
    return Path(knowledge_dir) / "topics" / "out_of_scope.yaml"


def out_of_scope_exemplars(knowledge_dir: Path) -> list[Exemplar]:
    path = out_of_scope_path(knowledge_dir)
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise CardError(f"{path.name}: 须按类别列出客户原话", f"{path.name}: lines must be listed under their kind")
    return [Exemplar(str(line).strip(), (OTHER_TOPIC,), OUT_OF_SCOPE_SOURCE + str(kind))
            for kind, lines in data.items() for line in lines or () if str(line).strip()]


# labelled customer texts written for the classifier beside the cards' short lines (knowledge/topics/
# examples/*.yaml): pasted exchanges, stories, dialect, letters. A card's lines say what its matter is;
# these say how customers put it, and a classifier fitted on both reads unseen wordings better.
EXAMPLE_SOURCE = TOPIC_SOURCE + "example/"
EXAMPLE_KINDS = ("behaviour", "uncovered")


def examples_dir(knowledge_dir: Path) -> Path:
    return Path(knowledge_dir) / "topics" / "examples"


def topic_example_exemplars(knowledge_dir: Path) -> list[Exemplar]:
    """Each item: topic (a card id or other), text, and for other its kind (behaviour | uncovered), which
    rides in the source as the out-of-scope lines' kind does."""
    out: list[Exemplar] = []
    for path in sorted(examples_dir(knowledge_dir).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(data, list):
            raise CardError(f"{path.name}: 须为示例列表", f"{path.name}: must be a list of examples")
        for n, raw in enumerate(data, 1):
            item = raw if isinstance(raw, dict) else {}
            text, topic, kind = (str(item.get(k) or "").strip() for k in ("text", "topic", "kind"))
            if not text or not topic or (topic == OTHER_TOPIC and kind not in EXAMPLE_KINDS):
                raise CardError(f"{path.name} 第{n}条示例有误:须有 text、topic,其他类须注明 kind(behaviour/uncovered)",
                                f"{path.name} item {n} is invalid: text and topic are required, and kind "
                                "(behaviour/uncovered) for other")
            source = OUT_OF_SCOPE_SOURCE + kind if topic == OTHER_TOPIC else EXAMPLE_SOURCE + path.stem
            out.append(Exemplar(text, (topic,), source))
    return out


def check_example_topics(exemplars: list[Exemplar], cards: list[Card]) -> None:
    """An example labelled with a topic no card has would be dropped silently by the classifier."""
    known = {c.id for c in cards if c.is_topic}
    bad = sorted({e.labels[0] for e in exemplars if e.source.startswith(EXAMPLE_SOURCE)} - known)
    if bad:
        raise CardError(f"主题示例用了不存在的主题卡:{', '.join(bad)}", f"topic examples name unknown topics: {', '.join(bad)}")


def knowledge_exemplars(knowledge_dir: Path) -> list[Exemplar]:
    """The labelled exemplars, the out-of-scope lines and the topic examples: what the index embeds besides
    the cards (the cards' own topic lines come with the cards) and what its fingerprint covers."""
    return (load_exemplars(Path(knowledge_dir) / "exemplars") + out_of_scope_exemplars(knowledge_dir)
            + topic_example_exemplars(knowledge_dir))


def _embed_with_cache(
    embedder: Embedder, texts: list[str], keys: list[str], cache: dict[str, np.ndarray], progress: Progress | None
) -> tuple[np.ndarray, int]:
    missing = [i for i, k in enumerate(keys) if k not in cache]
    batch = 32
    done = len(keys) - len(missing)
    if progress:
        progress(done, len(keys))
    for start in range(0, len(missing), batch):
        idx = missing[start : start + batch]
        vecs = embedder.embed([texts[i] for i in idx])
        for i, v in zip(idx, vecs, strict=True):
            cache[keys[i]] = v
        done += len(idx)
        if progress:
            progress(done, len(keys))
    if not keys:
        return np.zeros((0, 1), dtype=np.float32), 0
    return np.stack([cache[k] for k in keys]).astype(np.float32), len(missing)


def new_version() -> str:
    """Sortable by time, unique across processes and replicas building at once."""
    return f"v{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{time.time_ns() % 1_000_000:06d}"


def embed_all(embedder: Embedder, cards: list[Card], exemplars: list[Exemplar], cache: dict[str, np.ndarray],
              progress: Progress | None) -> tuple[list[str], list[str], np.ndarray, int]:
    """Content keys of cards and exemplars, their vectors (cards first), and how many were embedded."""
    card_texts = [c.dense_text() for c in cards]
    card_keys = [f"card:{c.id}:{_hash(t)}" for c, t in zip(cards, card_texts, strict=True)]
    ex_keys = [f"ex:{_hash(e.text)}" for e in exemplars]
    vectors, embedded = _embed_with_cache(embedder, card_texts + [e.text for e in exemplars],
                                          card_keys + ex_keys, cache, progress)
    return card_keys, ex_keys, vectors, embedded


def _hash(text: str) -> str:

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def knowledge_fingerprint(cards: list[Card], exemplars: list[Exemplar]) -> str:
    # card topic lines are part of their card's hash already; the out-of-scope lines and examples are not
    exemplars = [e for e in exemplars if not e.source.startswith(TOPIC_SOURCE)
                 or e.source.startswith((OUT_OF_SCOPE_SOURCE, EXAMPLE_SOURCE))]
    return _hash("|".join(c.content_hash for c in cards) + "|" + "|".join(_hash(e.text + str(e.labels)) for e in exemplars))


def _collection_name(version: str) -> str:
    return "cards_" + version.replace("-", "_")


@dataclass
class LoadedIndex:
    version: str
    embedder_name: str
    cards: list[Card]
    vectors: np.ndarray
    exemplars: list[Exemplar]
    exemplar_vectors: np.ndarray
    store: ChromaStore
    fingerprint: str

    def card(self, card_id: str) -> Card:
        return self._by_id[card_id]

    def __post_init__(self) -> None:
        self._by_id = {c.id: c for c in self.cards}
        self.position = {c.id: i for i, c in enumerate(self.cards)}
        # label exemplars stay in .exemplars; topic cards' customer lines go to .topic_*
        is_topic = [e.source.startswith(TOPIC_SOURCE) for e in self.exemplars]
        if any(is_topic):
            keep = [i for i, t in enumerate(is_topic) if not t]
            rows = [i for i, t in enumerate(is_topic) if t]
            vecs = np.asarray(self.exemplar_vectors)
            self.topic_exemplars = [self.exemplars[i] for i in rows]
            self.topic_vectors = vecs[rows]
            self.exemplars = [self.exemplars[i] for i in keep]
            self.exemplar_vectors = vecs[keep] if keep else vecs[:0]
        else:
            self.topic_exemplars = []
            self.topic_vectors = np.zeros((0, 1), dtype=np.float32)
        vecs = np.asarray(self.vectors, dtype=np.float32).reshape(len(self.cards), -1)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        self._unit = vecs / np.where(norms > 0, norms, 1.0)
        self._category = np.array([c.category for c in self.cards])

    def nearest(self, vector: np.ndarray, k: int, categories: set[str] | None = None) -> list[tuple[str, float]]:
        """The k cards closest to vector by cosine. With a Chroma server the server answers: it is the
        replicas' shared store, and a replica that cannot reach it says so instead of serving on.
        The embedded collection holds the very vectors this version loaded, and for a few hundred
        cards a matrix product is exact and takes ~0.05 ms, where the HNSW query's round trip
        through Chroma took 2.3 ms of CPU a request."""
        if self.store.shared:
            where = {"category": {"$in": sorted(categories)}} if categories else None
            return self.store.query(vector, k, where)
        if not len(self.cards):
            return []
        q = np.asarray(vector, dtype=np.float32).ravel()
        sims = self._unit @ (q / (float(np.linalg.norm(q)) or 1.0))
        rows = np.flatnonzero(np.isin(self._category, list(categories))) if categories else np.arange(len(sims))
        top = rows[np.argsort(-sims[rows], kind="stable")[:k]]
        return [(self.cards[i].id, float(sims[i])) for i in top]
