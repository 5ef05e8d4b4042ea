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
from pathlib import Path

import numpy as np

from assistant.errors import IndexError_
from assistant.index.cards import load_cards, off_card_matters
from assistant.index.common import (
    KEEP_SECONDS,
    KEEP_VERSIONS,
    BuildReport,
    LoadedIndex,
    Progress,
    _card_from_json,
    _card_to_json,
    _collection_name,
    check_example_topics,
    embed_all,
    knowledge_exemplars,
    knowledge_fingerprint,
    new_version,
    topic_exemplars,
)
from assistant.index.embedders import Embedder
from assistant.index.exemplars import Exemplar
from assistant.index.store import ChromaStore
from assistant.index.unanswered import check_near, load_unanswered
from assistant.settings import Settings

MANIFEST = "manifest.json"





def _read_current(index_dir: Path) -> str | None:
    try:
        return (index_dir / "CURRENT").read_text().strip() or None
    except FileNotFoundError:
        return None
















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
    off_card_matters(settings.knowledge_dir)  # so does a malformed off-card matters file
    exemplars = knowledge_exemplars(settings.knowledge_dir) + topic_exemplars(cards)
    check_example_topics(exemplars, cards)
    check_near(load_unanswered(settings.knowledge_dir), {c.id for c in cards})  # and a bad unanswered file
    if settings.store == "chroma_http":
        from assistant.index.server import build_server_index

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




def open_index(settings: Settings) -> LoadedIndex:
    """Open the CURRENT version; any inconsistency raises IndexError_ so callers can rebuild."""
    if settings.store == "chroma_http":
        from assistant.index.server import open_server_index

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
