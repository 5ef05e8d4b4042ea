"""The index on a real `chroma run` server, shared by two service instances (replicas)."""

from __future__ import annotations

import shutil
import time

import pytest

from assistant.errors import EmbedderMismatch, PermissionDenied, StoreUnavailable
from assistant.index import server as server_index
from assistant.index.embedders import HashEmbedder
from assistant.records.users import User
from assistant.service import AssistantService
from assistant.settings import PROJECT_ROOT, Settings


def _replica(tmp_path, name: str, server, knowledge=None, embedder=None) -> AssistantService:
    s = Settings(home=tmp_path / name, embedder="hash", store="chroma_http", chroma_port=server.port,
                 index_refresh_s=0.0, knowledge_dir=knowledge or PROJECT_ROOT / "knowledge")
    return AssistantService(s, embedder=embedder or HashEmbedder())


@pytest.fixture
def knowledge(tmp_path):
    return shutil.copytree(PROJECT_ROOT / "knowledge", tmp_path / "knowledge")


def test_replicas_share_one_index_and_follow_a_reindex(tmp_path, chroma_server, knowledge, monkeypatch,
                                                       add_marker_card):
    a = _replica(tmp_path, "a", chroma_server, knowledge)
    b = _replica(tmp_path, "b", chroma_server, knowledge)
    first = a.ensure_index().index.version
    assert b.ensure_index().index.version == first  # B found A's index and did not build its own
    assert not (tmp_path / "b" / "index").exists()
    query = "排队一个多小时还办不了,我要投诉"
    assert [h.card.id for h in a.search(query)] == [h.card.id for h in b.search(query)]
    assert [c.id for c in b.index.cards] == [c.id for c in a.index.cards]

    card_id = add_marker_card(knowledge)
    monkeypatch.setattr(server_index, "KEEP_SECONDS", 0)
    with pytest.raises(PermissionDenied):
        a.reindex(user=User("amy", "staff"))
    before = len(b.index.cards)
    report = a.reindex()
    assert report.cards == before + 1
    assert report.embedded == 1  # everything else reused from the server
    # B follows the pointer on its next request, with no restart
    hits = b.search("紫罗兰色的保险柜钥匙")
    assert b.index.version == report.version and hits[0].card.id == card_id

    a.reindex()
    a.reindex()
    names = {c.name for c in server_index.chroma_client(a.settings).list_collections()}
    kept = {n for n in names if n.startswith("cards_")}
    assert len(kept) == server_index.KEEP_VERSIONS  # the first versions are gone
    assert server_index._collection_name(a.index.version) in kept


def test_a_version_replaced_moments_ago_is_kept_however_old_it_is(tmp_path, chroma_server, monkeypatch):
    """B may still be reading the version A just replaced; its grace runs from the replacement."""
    monkeypatch.setattr(server_index, "KEEP_SECONDS", 600)
    a = _replica(tmp_path, "a", chroma_server)
    old = a.ensure_index().index.version
    client = server_index.chroma_client(a.settings)

    def age(version: str, key: str) -> None:
        for name in (server_index._collection_name(version), server_index._exemplar_collection(version)):
            col = client.get_collection(name)
            col.modify(metadata={**{k: v for k, v in col.metadata.items() if not k.startswith("hnsw:")},
                                 key: time.time() - 3600})

    def versions() -> set[str]:
        return {(c.metadata or {}).get("assistant_version") for c in client.list_collections()} - {None}

    age(old, "created")  # built an hour ago ...
    a.reindex()  # ... and replaced now
    a.reindex()  # two newer versions exist: only the grace period keeps the old one
    assert old in versions()
    age(old, "retired")
    a.reindex()
    assert old not in versions() and a.index.version in versions()


def test_stopped_server_gives_a_clear_error_and_replicas_recover(tmp_path, chroma_server):
    a = _replica(tmp_path, "a", chroma_server)
    b = _replica(tmp_path, "b", chroma_server)
    a.ensure_index()
    b.ensure_index()
    assert a.health() == {"ok": True, "index_version": a.index.version, "index": "ok", "database": "ok",
                          "audit": "ok"}
    chroma_server.stop()
    assert b.health()["ok"] is False and b.health()["index"] == "unavailable"
    for svc in (a, b):
        with pytest.raises(StoreUnavailable) as err:
            svc.suggest("卡被吞了怎么办")
        assert "向量库服务不可用" in err.value.message and "unavailable" in err.value.message
        with pytest.raises(StoreUnavailable):
            svc.ask("停业期间口头挂失多久失效?")
    chroma_server.start()
    for svc in (a, b):
        assert svc.health()["ok"]
        assert svc.suggest("卡被吞了怎么办").techniques
        assert svc.ask("停业期间口头挂失多久失效?").found


def test_a_replica_with_another_embedder_refuses_instead_of_rebuilding(tmp_path, chroma_server):
    a = _replica(tmp_path, "a", chroma_server)
    version = a.ensure_index().index.version
    b = _replica(tmp_path, "b", chroma_server, embedder=HashEmbedder(dim=128))
    with pytest.raises(EmbedderMismatch, match="ASSISTANT_EMBEDDER"):
        b.ensure_index()
    assert server_index.read_pointer(a.settings)["version"] == version


def test_server_down_at_start_is_a_clear_error(tmp_path, chroma_server):
    chroma_server.stop()
    with pytest.raises(StoreUnavailable, match="向量库服务不可用"):
        _replica(tmp_path, "a", chroma_server).ensure_index()


def test_the_token_is_sent_and_a_refusing_server_is_a_clear_error():
    import http.server
    import threading

    from assistant.index.store import chroma_client

    seen: list[tuple[str, str | None]] = []

    class Refuse(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            seen.append((self.path, self.headers.get("Authorization")))
            self.send_response(401)
            self.end_headers()

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Refuse)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        s = Settings(store="chroma_http", chroma_port=srv.server_address[1], chroma_token="s3cret-token")
        with pytest.raises(StoreUnavailable, match="向量库服务不可用"):
            chroma_client(s)
    finally:
        srv.shutdown()
    assert seen and all(auth == "Bearer s3cret-token" for _, auth in seen)
