"""The bundled USE embedder: one BLAS thread for a query, the configured threads for a batch."""

from __future__ import annotations


def test_query_embeds_on_one_blas_thread_and_a_batch_on_more(monkeypatch):
    from threadpoolctl import threadpool_info

    from assistant.index.embedders import QUERY_BATCH, USEEmbedder

    embedder = USEEmbedder(threads=2)
    model = embedder._load()
    seen: list[set[int]] = []
    real = model.encode

    def spy(texts):
        seen.append({i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"})
        return real(texts)

    monkeypatch.setattr(model, "encode", spy)
    one = embedder.embed(["排队一个多小时了还办不了"])
    many = embedder.embed(["排队一个多小时了还办不了"] * (QUERY_BATCH + 1))
    assert seen[0] == {1} and seen[1] == {2}
    assert one.shape == (1, 512) and abs(float(one[0] @ many[0]) - 1.0) < 1e-4  # same vector either way
