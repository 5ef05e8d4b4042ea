from assistant.index.embedders import HashEmbedder


def test_fused_ranking_reports_each_retriever(hash_service):
    hits = hash_service.search("3F法 先处理心情再处理事情", k=5, mode="hybrid")
    top = hits[0]
    assert top.card.id == "huashu-3f"
    d = top.as_dict()
    assert d["bm25_rank"] == 1 and d["dense_rank"] is not None
    assert d["score"] > hits[1].score


def test_modes_differ_and_bm25_only_has_no_dense_rank(hash_service):
    bm25 = hash_service.search("客户要发抖音曝光", k=5, mode="bm25")
    assert all(h.dense_rank is None for h in bm25)
    dense = hash_service.search("客户要发抖音曝光", k=5, mode="dense")
    assert all(h.bm25_rank is None for h in dense)


def test_label_boost_lifts_cards_that_apply(hash_service):
    r = hash_service.ensure_index().retriever
    # (a query the thesaurus does not tie to one card: 情绪激动 now finds 感情用事者 by keyword alone)
    plain = [h.card.id for h in r.search("客户在大厅里大声说话", k=10, mode="hybrid")]
    boosted = r.search("客户在大厅里大声说话", k=10, mode="hybrid_boost", labels=["publicity", "media_exposure"])
    assert boosted[0].card.id not in plain[:1]
    assert "media_exposure" in boosted[0].matched_labels or "publicity" in boosted[0].matched_labels


def test_domain_and_category_filters(hash_service):
    r = hash_service.ensure_index().retriever
    hits = r.search("交房延期", k=10, domain="bank", categories=["policy", "emergency"])
    assert hits and all("bank" in h.card.domain and h.card.category in ("policy", "emergency") for h in hits)


def test_hash_embedder_is_deterministic_and_records_calls():
    e = HashEmbedder(dim=64)
    a = e.embed(["排队太久"])
    b = e.embed(["排队太久"])
    assert (a == b).all()
    assert e.calls == [["排队太久"], ["排队太久"]]
    assert abs(float((a[0] ** 2).sum()) - 1.0) < 1e-5


def test_exact_nearest_ranks_as_the_embedded_collection_does(hash_service):
    index = hash_service.ensure_index().index
    q = hash_service.ensure_index().retriever.embed_query("自助机把我的卡吞了")
    exact = index.nearest(q, 10)
    stored = index.store.query(q, 10)
    assert [cid for cid, _ in exact] == [cid for cid, _ in stored]
    assert all(abs(a - b) < 1e-4 for (_, a), (_, b) in zip(exact, stored, strict=True))
    only = index.nearest(q, 5, {"policy"})
    assert only and all(index.card(cid).category == "policy" for cid, _ in only)
    assert [cid for cid, _ in only] == [cid for cid, _ in index.store.query(q, 5, {"category": {"$in": ["policy"]}})]
