"""The index on a Chroma server, shared by every replica.

A build writes two collections named after the new version (cards and exemplars, each record
carrying everything a replica needs to rebuild its cards and BM25 state), checks their counts, and
only then upserts the one record of the pointer collection. Readers follow the pointer, so they
see the old version or the new one, never half of one. Old versions are deleted once they are
neither among the newest two nor replaced less than KEEP_SECONDS ago.
"""

from __future__ import annotations

import json
import time

import numpy as np

from assistant.errors import IndexError_, StoreUnavailable
from assistant.index.cards import Card
from assistant.index.common import (
    KEEP_SECONDS,
    KEEP_VERSIONS,
    BuildReport,
    LoadedIndex,
    Progress,
    _card_from_json,
    _card_to_json,
    _collection_name,
    embed_all,
    knowledge_fingerprint,
    new_version,
)
from assistant.index.embedders import Embedder
from assistant.index.exemplars import Exemplar
from assistant.index.store import ChromaStore, _precomputed_ef, chroma_client, open_collection, unavailable
from assistant.settings import Settings

POINTER = "assistant_index"
POINTER_ID = "current"


def _exemplar_collection(version: str) -> str:
    return "exemplars_" + version.replace("-", "_")


def _client(settings: Settings):
    return chroma_client(settings)


def _get(client, name: str):
    return client.get_collection(name, embedding_function=_precomputed_ef())


def read_pointer(settings: Settings) -> dict | None:
    try:
        got = open_collection(_client(settings), POINTER).get(ids=[POINTER_ID], include=["metadatas"])
    except StoreUnavailable:
        raise
    except Exception as exc:
        raise unavailable(settings, exc) from None
    return got["metadatas"][0] if got["ids"] else None


def _all(collection) -> dict:
    got = collection.get(include=["embeddings", "metadatas"])
    order = np.argsort([m["pos"] for m in got["metadatas"]])
    return {"metadatas": [got["metadatas"][i] for i in order],
            "embeddings": np.asarray(got["embeddings"], dtype=np.float32)[order] if len(order) else None}


def _previous_cache(settings: Settings, pointer: dict | None, embedder_name: str) -> dict[str, np.ndarray]:
    if not pointer or pointer.get("embedder") != embedder_name:
        return {}
    client = _client(settings)
    cache: dict[str, np.ndarray] = {}
    for name in (_collection_name(pointer["version"]), _exemplar_collection(pointer["version"])):
        try:
            data = _all(_get(client, name))
        except Exception:  # pruned or never finished: embed afresh
            return {}
        if data["embeddings"] is not None:
            cache.update({m["key"]: v for m, v in zip(data["metadatas"], data["embeddings"], strict=True)})
    return cache


def build_server_index(settings: Settings, embedder: Embedder, cards: list[Card], exemplars: list[Exemplar],
                       progress: Progress | None = None) -> BuildReport:
    t0 = time.perf_counter()
    try:
        return _build(settings, embedder, cards, exemplars, progress, t0)
    except (StoreUnavailable, IndexError_):
        raise
    except Exception as exc:
        raise unavailable(settings, exc) from None


def _build(settings, embedder, cards, exemplars, progress, t0) -> BuildReport:
    client = _client(settings)
    previous = read_pointer(settings)
    cache = _previous_cache(settings, previous, embedder.name)
    version = new_version()
    card_keys, ex_keys, vectors, embedded = embed_all(embedder, cards, exemplars, cache, progress)
    meta = {"hnsw:space": "cosine", "assistant_version": version, "created": time.time()}
    col = client.create_collection(_collection_name(version), metadata=meta, embedding_function=_precomputed_ef())
    col.add(ids=[c.id for c in cards], embeddings=vectors[: len(cards)].tolist(),
            metadatas=[{"pos": i, "key": k, "category": c.category, "title": c.title,
                        "card_json": json.dumps(_card_to_json(c), ensure_ascii=False)}
                       for i, (c, k) in enumerate(zip(cards, card_keys, strict=True))])
    if exemplars:
        ex = client.create_collection(_exemplar_collection(version), metadata=meta,
                                     embedding_function=_precomputed_ef())
        ex.add(ids=[f"ex{i}" for i in range(len(exemplars))], embeddings=vectors[len(cards):].tolist(),
               metadatas=[{"pos": i, "key": k, "text": e.text, "labels": json.dumps(list(e.labels)),
                           "source": e.source} for i, (e, k) in enumerate(zip(exemplars, ex_keys, strict=True))])
        if ex.count() != len(exemplars):
            raise IndexError_("向量库写入不完整", "the vector store did not take every exemplar")
    if col.count() != len(cards):
        raise IndexError_("向量库写入不完整", "the vector store did not take every card")
    pointer = {"version": version, "embedder": embedder.name, "created": time.time(), "cards": len(cards),
               "exemplars": len(exemplars), "fingerprint": knowledge_fingerprint(cards, exemplars)}
    # the switch: one record, written after everything it points at is complete
    open_collection(client, POINTER).upsert(ids=[POINTER_ID], embeddings=[[1.0]], metadatas=[pointer])
    if previous:
        _retire(client, previous["version"])
    prune_server(settings, keep=version)
    return BuildReport(version, len(cards), len(exemplars), embedded, len(card_keys) + len(ex_keys) - embedded,
                       time.perf_counter() - t0)


def _retire(client, version: str) -> None:
    """Readers may still be on the version just replaced: its grace period starts now, not when it
    was built."""
    for name in (_collection_name(version), _exemplar_collection(version)):
        try:
            col = _get(client, name)
        except Exception:  # already pruned, or a build without exemplars
            continue
        meta = {k: v for k, v in (col.metadata or {}).items() if not k.startswith("hnsw:")}
        col.modify(metadata={**meta, "retired": time.time()})


def prune_server(settings: Settings, keep: str) -> list[str]:
    client = _client(settings)
    versions: dict[str, list] = {}
    for col in client.list_collections():
        meta = col.metadata or {}
        if "assistant_version" in meta:
            since = meta.get("retired", meta.get("created", 0.0))  # a failed build was never current
            versions.setdefault(meta["assistant_version"], []).append((col.name, since))
    newest = set(sorted(versions)[-KEEP_VERSIONS:]) | {keep}
    now, dropped = time.time(), []
    for version, cols in versions.items():
        if version in newest or any(now - since < KEEP_SECONDS for _, since in cols):
            continue
        for name, _ in cols:
            client.delete_collection(name)
            dropped.append(name)
    return dropped


def open_server_index(settings: Settings) -> LoadedIndex:
    """Cards, exemplars and vectors as the server holds them: every replica builds the same BM25."""
    pointer = read_pointer(settings)
    if not pointer:
        raise IndexError_("向量库中还没有索引", "the vector store holds no index yet")
    version = pointer["version"]
    try:
        client = _client(settings)
        cards_data = _all(_get(client, _collection_name(version)))
        cards = [_card_from_json(json.loads(m["card_json"])) for m in cards_data["metadatas"]]
        exemplars: list[Exemplar] = []
        ex_vectors = np.zeros((0, cards_data["embeddings"].shape[1]), dtype=np.float32)
        if pointer["exemplars"]:
            ex_data = _all(_get(client, _exemplar_collection(version)))
            exemplars = [Exemplar(m["text"], tuple(json.loads(m["labels"])), m["source"])
                         for m in ex_data["metadatas"]]
            ex_vectors = ex_data["embeddings"]
        if len(cards) != pointer["cards"] or len(exemplars) != pointer["exemplars"]:
            raise ValueError("sizes differ")
        store = ChromaStore(_get(client, _collection_name(version)), settings)
    except (ValueError, KeyError, TypeError) as exc:
        raise IndexError_(f"索引已损坏({version}):{exc}", f"index is corrupt ({version}): {exc}") from None
    except Exception as exc:
        raise unavailable(settings, exc) from None
    return LoadedIndex(version, pointer["embedder"], cards, cards_data["embeddings"], exemplars, ex_vectors,
                       store, pointer["fingerprint"])
