"""Build and open the index: versioned folders, a CURRENT pointer swapped atomically.

A build writes a complete new version folder (cards snapshot, vectors, Chroma collection,
manifest last), then replaces CURRENT with os.replace. Readers only follow CURRENT to folders
with a manifest, so a query never sees half an index, and a killed build leaves the old one.
Vectors of cards whose content hash did not change are reused from the previous version.
"""

from __future__ import annotations

import dataclasses
import fcntl
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.cards import Card, load_cards
from assistant.embedders import Embedder
from assistant.errors import IndexError_
from assistant.exemplars import Exemplar, load_exemplars
from assistant.settings import Settings
from assistant.store import ChromaStore

MANIFEST = "manifest.json"
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


def _read_current(index_dir: Path) -> str | None:
    try:
        return (index_dir / "CURRENT").read_text().strip() or None
    except FileNotFoundError:
        return None


def _card_to_json(card: Card) -> dict:
    return dataclasses.asdict(card)


def _card_from_json(data: dict) -> Card:
    data = dict(data)
    data["applies_to"] = tuple(data["applies_to"])
    data["domain"] = tuple(data["domain"])
    data["keywords"] = tuple(data.get("keywords") or ())
    return Card(**data)


# topic cards' customer lines ride with the exemplars (embedded and cached the same way, on disk
# and on a server), marked by their source; LoadedIndex splits them off again
TOPIC_SOURCE = "topic:"


def topic_exemplars(cards: list[Card]) -> list[Exemplar]:
    return [Exemplar(u, (c.id,), TOPIC_SOURCE + c.id) for c in cards if c.is_topic for u in c.utterances]


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


def _previous_cache(index_dir: Path, embedder_name: str) -> dict[str, np.ndarray]:
    current = _read_current(index_dir)
    if not current:
        return {}
    vdir = index_dir / current
    try:
        manifest = json.loads((vdir / MANIFEST).read_text())
        if manifest.get("embedder") != embedder_name:
            return {}
        keys = manifest["card_keys"] + manifest["exemplar_keys"]
        vecs = np.concatenate([np.load(vdir / "vectors.npy"), np.load(vdir / "exemplar_vectors.npy")])
        return dict(zip(keys, vecs, strict=True))
    except (OSError, ValueError, KeyError):
        return {}


def build_index(
    settings: Settings, embedder: Embedder, progress: Progress | None = None
) -> BuildReport:
    """Build a new index version from knowledge/ and switch CURRENT to it."""
    t0 = time.perf_counter()
    cards = load_cards(settings.knowledge_dir)  # raises CardError before anything is written
    exemplars = load_exemplars(settings.knowledge_dir / "exemplars") + topic_exemplars(cards)
    if settings.store == "chroma_http":
        from assistant.server_index import build_server_index

        return build_server_index(settings, embedder, cards, exemplars, progress)
    index_dir = settings.index_dir
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        cache = _previous_cache(index_dir, embedder.name)
        version = new_version()
        vdir = index_dir / version
        vdir.mkdir()
        card_keys, ex_keys, vectors, n1 = embed_all(embedder, cards, exemplars, cache, progress)
        card_vecs, ex_vecs = vectors[: len(cards)], vectors[len(cards) :]
        np.save(vdir / "vectors.npy", card_vecs)
        np.save(vdir / "exemplar_vectors.npy", ex_vecs)
        (vdir / "cards.json").write_text(
            json.dumps([_card_to_json(c) for c in cards], ensure_ascii=False), encoding="utf-8"
        )
        (vdir / "exemplars.json").write_text(
            json.dumps([dataclasses.asdict(e) for e in exemplars], ensure_ascii=False), encoding="utf-8"
        )
        store = ChromaStore.open(settings, vdir / "chroma", _collection_name(version))
        store.add(
            [c.id for c in cards],
            card_vecs,
            [{"category": c.category, "title": c.title} for c in cards],
        )
        manifest = {
            "version": version,
            "embedder": embedder.name,
            "created": time.time(),
            "cards": len(cards),
            "card_keys": card_keys,
            "exemplar_keys": ex_keys,
            "fingerprint": knowledge_fingerprint(cards, exemplars),
        }
        _write_atomic(vdir / MANIFEST, json.dumps(manifest, ensure_ascii=False))
        _write_atomic(index_dir / "CURRENT", version)
        _prune(index_dir, keep=version)
    return BuildReport(version, len(cards), len(exemplars), n1, len(card_keys) + len(ex_keys) - n1,
                       time.perf_counter() - t0)


def _hash(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def knowledge_fingerprint(cards: list[Card], exemplars: list[Exemplar]) -> str:
    # topic lines are part of their card's hash already
    exemplars = [e for e in exemplars if not e.source.startswith(TOPIC_SOURCE)]
    return _hash("|".join(c.content_hash for c in cards) + "|" + "|".join(_hash(e.text + str(e.labels)) for e in exemplars))


def _collection_name(version: str) -> str:
    return "cards_" + version.replace("-", "_")


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _prune(index_dir: Path, keep: str) -> None:
    versions = sorted(p for p in index_dir.iterdir() if p.is_dir() and p.name.startswith("v"))
    complete = [p for p in versions if (p / MANIFEST).exists()]
    survivors = {p.name for p in complete[-KEEP_VERSIONS:]} | {keep}
    now = time.time()
    for p in versions:
        if p.name in survivors:
            continue
        finished = (p / MANIFEST).exists()
        if finished and now - p.stat().st_mtime < KEEP_SECONDS:
            continue
        shutil.rmtree(p, ignore_errors=True)


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


def open_index(settings: Settings) -> LoadedIndex:
    """Open the CURRENT version; any inconsistency raises IndexError_ so callers can rebuild."""
    if settings.store == "chroma_http":
        from assistant.server_index import open_server_index

        return open_server_index(settings)
    index_dir = settings.index_dir
    version = _read_current(index_dir)
    if not version:
        raise IndexError_("索引不存在", "index is missing")
    vdir = index_dir / version
    try:
        manifest = json.loads((vdir / MANIFEST).read_text(encoding="utf-8"))
        cards = [_card_from_json(d) for d in json.loads((vdir / "cards.json").read_text(encoding="utf-8"))]
        exemplars = [
            Exemplar(d["text"], tuple(d["labels"]), d["source"])
            for d in json.loads((vdir / "exemplars.json").read_text(encoding="utf-8"))
        ]
        vectors = np.load(vdir / "vectors.npy")
        ex_vectors = np.load(vdir / "exemplar_vectors.npy")
        if len(cards) != len(vectors) or len(exemplars) != len(ex_vectors) or manifest["cards"] != len(cards):
            raise ValueError("sizes differ")
        store = ChromaStore.open(settings, vdir / "chroma", _collection_name(version))
        if settings.store == "chroma" and store.count() != len(cards):
            raise ValueError("vector store is incomplete")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexError_(f"索引已损坏({version}):{exc}", f"index is corrupt ({version}): {exc}") from None
    except Exception as exc:  # chroma raises its own types on a damaged sqlite file
        raise IndexError_(f"索引无法打开({version}):{exc}", f"index cannot be opened ({version}): {exc}") from None
    return LoadedIndex(
        version, manifest["embedder"], cards, vectors, exemplars, ex_vectors, store, manifest.get("fingerprint", "")
    )


def tqdm_progress(desc: str = "索引 indexing") -> tuple[Progress, Callable[[], None]]:
    """A progress bar on stderr, so --json stdout stays clean."""
    from tqdm import tqdm

    bar = tqdm(total=0, desc=desc, file=sys.stderr, unit="条")

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    return update, bar.close
