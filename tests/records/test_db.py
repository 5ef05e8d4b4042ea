"""The relational seam: versioned migrations that only add, on SQLite and on PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime

import pytest

from assistant.records import audit as audit_mod
from assistant.records.audit import AuditLog
from assistant.records.db import Database, Migration
from assistant.records.register import ManualClock, Register
from assistant.records.users import LOCAL, User, UserStore

# the audit schema exactly as the release before versioning created it
PRE_VERSIONING_AUDIT = """
CREATE TABLE interactions (id TEXT PRIMARY KEY, ts REAL NOT NULL, user TEXT NOT NULL, kind TEXT NOT NULL,
 domain TEXT, redacted_text TEXT NOT NULL, flags TEXT NOT NULL DEFAULT '', analysis_json TEXT,
 techniques_json TEXT, draft TEXT, draft_source TEXT, timings_json TEXT, final_text TEXT, feedback TEXT,
 feedback_ts REAL, edit_distance INTEGER, rating INTEGER, reasons_json TEXT, comment TEXT);
CREATE INDEX ix_ts ON interactions(ts);
INSERT INTO interactions (id, ts, user, kind, redacted_text, draft, feedback)
 VALUES ('old1', 1700000000, 'amy', 'suggest', '排队太久', '您好,让您久等了', 'adopted');
"""

SUGGESTION = {"analysis": {"domain": "bank", "flags": ["media_threat"]}, "redacted_text": "我要找记者",
              "techniques": [{"id": "t1", "title": "冷处理"}], "draft": "您好", "draft_source": "template"}


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path) -> Database:
    if request.param == "sqlite":
        return Database(f"sqlite:///{tmp_path / 'audit.db'}")
    return Database(request.getfixturevalue("pg_url"))


def test_a_database_from_before_versioning_is_adopted_without_losing_rows(tmp_path):
    path = tmp_path / "audit.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(PRE_VERSIONING_AUDIT)
    log = AuditLog(Database(f"sqlite:///{path}"), "r1")
    assert log.schema_version == len(audit_mod.MIGRATIONS) == 4
    old = log.get("old1")
    assert old["draft"] == "您好,让您久等了" and old["feedback"] == "adopted" and old["replica"] is None
    assert old["channel"] is None
    rid = log.record_suggest("bob", SUGGESTION)
    assert log.get(rid)["replica"] == "r1" and log.count("suggest") == 2
    assert log.get(log.record_suggest("bob", SUGGESTION, channel="api"))["channel"] == "api"


def test_upgrade_from_version_1_keeps_rows_and_adds_the_column(db):
    db.migrate("audit", audit_mod.MIGRATIONS[:1])
    db.execute("INSERT INTO interactions (id, ts, \"user\", kind, redacted_text) VALUES ('a', 1, 'amy', 'ask', 'q')")
    assert db.schema_version("audit") == 1
    log = AuditLog(db, "replica-b")
    latest = len(audit_mod.MIGRATIONS)
    assert log.schema_version == latest and db.schema_version("audit") == latest
    assert log.get("a")["redacted_text"] == "q"
    assert AuditLog(db, "replica-b").schema_version == latest  # a second start applies nothing
    rows = db.all("SELECT version FROM schema_migrations WHERE component='audit' ORDER BY version")
    assert [r["version"] for r in rows] == list(range(1, latest + 1))


def test_a_failing_migration_rolls_back_and_records_nothing(db):
    def broken(conn):
        from sqlalchemy import text

        conn.execute(text("CREATE TABLE half_done (x INTEGER)"))
        raise RuntimeError("boom")

    db.migrate("demo", [Migration(1, "ok", lambda conn: None)])
    with pytest.raises(RuntimeError):
        db.migrate("demo", [Migration(1, "ok", lambda conn: None), Migration(2, "broken", broken)])
    assert db.schema_version("demo") == 1
    from sqlalchemy import inspect

    assert "half_done" not in inspect(db.engine).get_table_names()


def test_replicas_starting_together_migrate_once(db):
    errors: list[BaseException] = []

    def start():
        try:
            AuditLog(Database(db.url), "r")
        except BaseException as exc:  # noqa: BLE001 - the finding is any failure
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert db.one("SELECT COUNT(*) AS n FROM schema_migrations WHERE component='audit'")["n"] == len(
        audit_mod.MIGRATIONS)


def test_audit_users_and_register_work_on_either_engine(db, tmp_path):
    log = AuditLog(db, "r1")
    rid = log.record_suggest("amy", SUGGESTION)
    log.feedback(rid, "edited", "您好,我马上处理")
    log.rate(rid, 4, ["其他"], "ok")
    assert [r["id"] for r in log.query(flag="media_threat")] == [rid]
    assert log.query(flag="media") == [] and log.stats()["with_feedback"] == 1
    users = UserStore(db)
    users.add("amy", "staff", "password-1", branch="东城")
    assert users.authenticate("amy", "password-1") == User("amy", "staff", "东城")
    reg = Register(db, tmp_path, ManualClock(datetime(2026, 11, 27, 9, 0, tzinfo=UTC)))
    cid = reg.create(LOCAL, branch="东城", matter="卡被吞", flags=["repeat_complaint"], name="王五", phone="13800000000")
    reg.move(cid, "处理中", LOCAL)
    assert reg.get(cid)["repeat"] == 1 and reg.contact(cid, LOCAL) == {"name": "王五", "phone": "13800000000"}
    assert [e["action"] for e in reg.events(cid)] == ["受理", "处理中"]
    assert reg.report_stats()["total"] == 1


def test_a_replica_with_another_register_key_is_refused(db, tmp_path, monkeypatch):
    from cryptography.fernet import Fernet

    from assistant.errors import AssistantError

    monkeypatch.setenv("ASSISTANT_REGISTER_KEY", Fernet.generate_key().decode())
    Register(db, tmp_path / "a")
    Register(db, tmp_path / "b")  # same key, other home: fine
    monkeypatch.setenv("ASSISTANT_REGISTER_KEY", Fernet.generate_key().decode())
    with pytest.raises(AssistantError, match="ASSISTANT_REGISTER_KEY"):
        Register(db, tmp_path / "c")


def test_an_unreachable_database_is_a_clear_error_without_the_password():
    from assistant.errors import StoreUnavailable

    db = Database("postgresql+psycopg://assistant:secret-pw@127.0.0.1:1/assistant")
    with pytest.raises(StoreUnavailable) as err:
        AuditLog(db, "r")
    assert "数据库不可用" in err.value.message and "database unavailable" in err.value.message
    assert "secret-pw" not in err.value.message


def test_review_statistics_count_every_row_and_read_only_recent_techniques(db, monkeypatch):
    monkeypatch.setattr(audit_mod, "STATS_RECENT_JUDGED", 1)
    log = AuditLog(db, "r")
    ids = [log.record_suggest("amy", SUGGESTION) for _ in range(4)]
    log.feedback(ids[0], "adopted", "")
    log.feedback(ids[1], "edited", "您好,我这就帮您查")
    log.feedback(ids[2], "rejected", "")
    stats = log.stats()
    assert stats["suggestions"] == 4 and stats["with_feedback"] == 3
    assert stats["share"] == {"adopted": pytest.approx(1 / 3), "edited": pytest.approx(1 / 3),
                              "rejected": pytest.approx(1 / 3)}
    assert stats["mean_edit_distance"] == log.get(ids[1])["edit_distance"] > 0
    assert stats["techniques_edited_or_rejected"] == {"冷处理": 1}  # one recent judged row read


def test_connections_cut_by_a_database_restart_are_replaced(pg_url):
    """pool_pre_ping: after PostgreSQL drops every connection (as a restart does), the next call works."""
    from sqlalchemy import create_engine, text

    log = AuditLog(Database(pg_url), "r")
    log.record_suggest("amy", SUGGESTION)
    name = pg_url.rsplit("/", 1)[1]
    admin = create_engine(pg_url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        cut = conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE datname = :d AND pid <> pg_backend_pid()"), {"d": name}).fetchall()
    admin.dispose()
    assert cut  # the pool really had connections open
    log.record_suggest("amy", SUGGESTION)
    assert log.count("suggest") == 2


def test_health_reports_a_database_that_stopped_answering(hash_service, tmp_path, monkeypatch):
    from assistant.errors import StoreUnavailable
    from assistant.service import AssistantService

    svc = AssistantService(hash_service.settings.model_copy(update={"home": tmp_path}),
                           embedder=hash_service.embedder)
    svc._state = hash_service.ensure_index()
    assert svc.health()["ok"]

    def down(*_a, **_k):
        raise StoreUnavailable("数据库不可用", "database unavailable")

    monkeypatch.setattr(svc.users.db, "one", down)
    report = svc.health()
    assert report["ok"] is False and report["database"] == "unavailable" and report["index"] == "ok"
