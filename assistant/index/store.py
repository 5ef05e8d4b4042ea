"""Vector store seam. Chroma (embedded or server) stays behind it."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

import numpy as np

from assistant.errors import MissingDependency, StoreUnavailable
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


_HTTP_CLIENTS: dict[tuple, Any] = {}


def chroma_server_label(settings: Settings) -> str:
    return f"{settings.chroma_host}:{settings.chroma_port}"


def unavailable(settings: Settings, exc: BaseException) -> StoreUnavailable:
    where = chroma_server_label(settings)
    detail = f"{type(exc).__name__}: {exc}"[:200]
    return StoreUnavailable(f"向量库服务不可用({where}),请稍后重试或联系管理员。{detail}",
                            f"vector store server unavailable ({where}); retry shortly or call the administrator. "
                            f"{detail}")


def chroma_client(settings: Settings, path: Path | None = None):
    """Embedded client under `path`, or one shared HTTP client per server (it reconnects by itself)."""
    try:
        import chromadb
        from chromadb.config import Settings as ChromaSettings
    except ImportError:
        raise MissingDependency("chromadb", "pip install chromadb==1.5.9") from None
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.store != "chroma_http":
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    token = settings.chroma_token.get_secret_value()
    key = (settings.chroma_host, settings.chroma_port, token)
    if key not in _HTTP_CLIENTS:
        try:
            _HTTP_CLIENTS[key] = chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings,
                headers={"Authorization": f"Bearer {token}"} if token else None,
            )
        except Exception as exc:  # the client checks the server as it is made
            raise unavailable(settings, exc) from None
    return _HTTP_CLIENTS[key]


def open_collection(client, name: str):
    return client.get_or_create_collection(
        name, embedding_function=_precomputed_ef(), metadata={"hnsw:space": "cosine"}
    )


class ChromaStore:
    def __init__(self, collection, settings: Settings | None = None) -> None:
        self.collection = collection
        # set for a server: its failures become StoreUnavailable
        self.settings = settings

    @property
    def shared(self) -> bool:
        """A Chroma server the replicas share, as opposed to the collection embedded under the home."""
        return self.settings is not None

    @classmethod
    def open(cls, settings: Settings, path: Path, collection: str) -> ChromaStore:
        if settings.store == "chroma_http":
            try:
                return cls(open_collection(chroma_client(settings), collection), settings)
            except StoreUnavailable:
                raise
            except Exception as exc:
                raise unavailable(settings, exc) from None
        return cls(open_collection(chroma_client(settings, path), collection))

    def add(self, ids: list[str], vectors: np.ndarray, metadatas: list[dict[str, Any]]) -> None:
        if ids:
            self.collection.upsert(ids=ids, embeddings=np.asarray(vectors).tolist(), metadatas=metadatas)

    def count(self) -> int:
        return self.collection.count()

    def query(self, vector: np.ndarray, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        try:
            res = self.collection.query(
                query_embeddings=[np.asarray(vector).tolist()], n_results=k, where=where, include=["distances"]
            )
        except Exception as exc:
            if self.settings is None:
                raise
            raise unavailable(self.settings, exc) from None
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0], strict=True)]
