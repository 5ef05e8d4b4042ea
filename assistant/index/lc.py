"""LangChain adapter: our Embedder as a langchain_core Embeddings, for chains and baselines."""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

from assistant.index.embedders import Embedder


class LangChainEmbeddings(Embeddings):
    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed([text])[0].tolist()
