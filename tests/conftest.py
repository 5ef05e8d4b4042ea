"""Shared fixtures. Every test writes under tmp dirs and the network is blocked."""

from __future__ import annotations

import os
import socket
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# before any assistant import: temp files of jieba/gradio go under a throwaway home
_SESSION_HOME = Path(tempfile.mkdtemp(prefix="assistant-test-"))
os.environ["ASSISTANT_HOME"] = str(_SESSION_HOME)
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant.index.embedders import HashEmbedder  # noqa: E402
from assistant.settings import PROJECT_ROOT, Settings, get_settings  # noqa: E402
from bench.replicas import ChromaServer  # noqa: E402

_real_connect = socket.socket.connect


def _guarded_connect(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and (host.startswith("127.") or host in ("localhost", "::1") or host.startswith("/")):
        return _real_connect(self, address)
    raise OSError(f"network blocked in tests: {address}")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    yield


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


@pytest.fixture
def settings(home) -> Settings:
    return Settings(home=home, embedder="hash")


@pytest.fixture(scope="session")
def hash_service(tmp_path_factory):
    """The real knowledge base indexed with the deterministic hash embedder (fast)."""
    from assistant.service import AssistantService

    s = Settings(home=tmp_path_factory.mktemp("hash-home"), embedder="hash")
    svc = AssistantService(s, embedder=HashEmbedder())
    svc.ensure_index()
    return svc


@pytest.fixture(scope="session")
def use_service(tmp_path_factory):
    """The real knowledge base with the default bundled USE embedder: the production default."""
    from assistant.service import AssistantService

    s = Settings(home=tmp_path_factory.mktemp("use-home"))
    svc = AssistantService(s)
    svc.ensure_index()
    return svc


KNOWLEDGE = PROJECT_ROOT / "knowledge"


@pytest.fixture
def clocked_app(hash_service, tmp_path):
    """A served app over a fresh home with a manual clock (23:00 UTC, a Friday), sharing the hash index."""
    from datetime import UTC, datetime

    from assistant.records.register import ManualClock
    from assistant.service import AssistantService
    from ui.app import build

    clock = ManualClock(datetime(2026, 11, 27, 23, 0, tzinfo=UTC))
    svc = AssistantService(hash_service.settings.model_copy(update={"home": tmp_path}), embedder=hash_service.embedder,
                           clock=clock)
    svc._state = hash_service.ensure_index()
    app = build(svc)
    app.launch(server_name="127.0.0.1", prevent_thread_lock=True, quiet=True)
    try:
        yield app, svc, clock
    finally:
        app.close()


@contextmanager
def app_with_login(hash_service, home: Path, users: list[tuple[str, str, str, str | None]]):
    """A served app with login on over a fresh home sharing the hash index; users are
    (name, role, password, branch). Yields (app, service)."""
    from assistant.service import AssistantService
    from ui.app import build

    svc = AssistantService(hash_service.settings.model_copy(update={"home": home}), embedder=hash_service.embedder)
    svc._state = hash_service.ensure_index()
    for name, role, password, branch in users:
        svc.users.add(name, role, password, branch) if branch else svc.users.add(name, role, password)
    app = build(svc)
    app.launch(server_name="127.0.0.1", prevent_thread_lock=True, quiet=True,
               auth=lambda u, p: svc.users.authenticate(u, p) is not None)
    try:
        yield app, svc
    finally:
        app.close()


def require_service(what: str) -> None:
    """A test that needs a server skips on a laptop without it; CI sets ASSISTANT_REQUIRE_SERVICES
    so a missing server fails instead of silently skipping."""
    if os.environ.get("ASSISTANT_REQUIRE_SERVICES"):
        pytest.fail(f"{what} is required here (ASSISTANT_REQUIRE_SERVICES is set)")
    pytest.skip(f"{what} not available (PostgreSQL: run .ci/postgres.sh and set ASSISTANT_TEST_PG_URL;"
                " nginx: apt-get install nginx-light)")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    base = os.environ.get("ASSISTANT_TEST_PG_URL")
    if not base:
        require_service("PostgreSQL")
    from sqlalchemy import create_engine, text

    name = f"assistant_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    yield base.rsplit("/", 1)[0] + "/" + name
    from assistant.records.db import _DATABASES

    for url in [u for u in _DATABASES if u.endswith("/" + name)]:
        _DATABASES.pop(url).dispose()
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture
def chroma_server(tmp_path) -> Iterator[ChromaServer]:
    server = ChromaServer(tmp_path / "chroma-server")
    server.start()
    yield server
    server.stop()


MARKER_PHRASE = "紫罗兰色的保险柜钥匙"
MARKER_TITLE = "共享索引验收卡片"
MARKER_CARD = f"""---
id: marker-shared-card
title: {MARKER_TITLE}
category: technique
applies_to: [vent]
domain: [bank]
source: 测试
---
## 要点
{MARKER_PHRASE}只在复核后交接。交接时两名员工同时在场,逐项核对登记簿上的编号与签名,任何一项对不上都要停下来报告网点负责人,不能先交后补。
"""


@pytest.fixture
def add_marker_card():
    """Writes one card with a phrase no other card has, so a search for it proves which index answered."""
    def add(knowledge: Path) -> str:
        (knowledge / "techniques" / "marker-shared.md").write_text(MARKER_CARD, encoding="utf-8")
        return "marker-shared-card"

    return add


@pytest.fixture
def nginx_available() -> None:
    import shutil

    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        require_service("nginx")
