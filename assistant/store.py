"""Vector store seam. Chroma (embedded or server) stays behind it."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

import numpy as np

from assistant.errors import MissingDependency
from assistant.settings import Settings


class VectorStore(Protocol):
    def add(self, ids: list[str], vectors: np.ndarray, metadatas: list[dict[str, Any]]) -> None: ...

    def query(self, vector: np.ndarray, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        """Ids with cosine similarity, best first."""
        ...


def _precomputed_ef():
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings

    class Precomputed(EmbeddingFunction):
        """Chroma's default function downloads a model at first add; we always pass vectors."""

        def __init__(self) -> None:
            pass

        def __call__(self, input: Documents) -> Embeddings:
            raise RuntimeError("vectors are computed by the assistant's embedder")

        @staticmethod
        def name() -> str:
            return "assistant-precomputed"

        def get_config(self) -> dict:
            return {}

        @staticmethod
        def build_from_config(config: dict) -> Precomputed:
            return Precomputed()

    return Precomputed()


class ChromaStore:
    def __init__(self, collection) -> None:
        self.collection = collection

    @classmethod
    def open(cls, settings: Settings, path: Path, collection: str) -> ChromaStore:
        try:
            import chromadb
            from chromadb.config import Settings as ChromaSettings
        except ImportError:
            raise MissingDependency("chromadb", "pip install chromadb==1.5.9") from None
        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if settings.store == "chroma_http":
            client = chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
            )
        else:
            client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        col = client.get_or_create_collection(
            collection, embedding_function=_precomputed_ef(), metadata={"hnsw:space": "cosine"}
        )
        return cls(col)

    def add(self, ids: list[str], vectors: np.ndarray, metadatas: list[dict[str, Any]]) -> None:
        if ids:
            self.collection.upsert(ids=ids, embeddings=np.asarray(vectors).tolist(), metadatas=metadatas)

    def count(self) -> int:
        return self.collection.count()

    def query(self, vector: np.ndarray, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        res = self.collection.query(
            query_embeddings=[np.asarray(vector).tolist()], n_results=k, where=where, include=["distances"]
        )
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0], strict=True)]
