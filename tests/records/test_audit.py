"""Audit log, roles and the trainer's review flow, at the service layer."""

import csv
import json
import sqlite3

import pytest
import yaml

from assistant.errors import PermissionDenied
from assistant.records.audit import csv_safe, edit_distance
from assistant.records.db import Database
from assistant.records.users import User, UserStore, hash_password, verify_password
from assistant.service import AssistantService
from eval.cases import load_cases


@pytest.fixture
def svc(hash_service, tmp_path):
    s = hash_service.settings.model_copy(update={"home": tmp_path})
    service = AssistantService(s, embedder=hash_service.embedder)
    service._state = hash_service.ensure_index()
    return service


def test_every_suggestion_is_logged_redacted_once(svc, tmp_path):
    r = svc.suggest("我的卡号6222021234567890128被扣了钱,电话13812345678", record=True)
    assert r.audit_id and r.audit_error is None
    svc.ask("临时挂失多久失效?电话13812345678", record=True)
    assert svc.audit.count("suggest") == 1 and svc.audit.count("ask") == 1
    raw = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert b"13812345678" not in raw and b"6222021234567890128" not in raw


def test_feedback_rating_stats_and_export(svc):
    a = svc.suggest("排队太久了", record=True).audit_id
    b = svc.suggest("我要发抖音曝光你们", record=True).audit_id
    c = svc.suggest("ATM吞卡了", record=True).audit_id
    svc.review.feedback(a, "adopted", "")
    svc.review.feedback(b, "edited", "=HYPERLINK(\"x\") 您的意见我们非常重视,电话13812345678")
    svc.review.feedback(c, "rejected", "算了")
    svc.review.rate(b, 3, ["话术不当"], "太长")
    stats = svc.review.stats()
    assert stats["with_feedback"] == 3
    assert stats["share"] == {"adopted": pytest.approx(1 / 3), "edited": pytest.approx(1 / 3),
                              "rejected": pytest.approx(1 / 3)}
    assert stats["mean_edit_distance"] > 0 and stats["techniques_edited_or_rejected"]
    row = svc.audit.get(b)
    assert "[手机号]" in row["final_text"] and row["rating"] == 3
    assert [r["id"] for r in svc.review.queue(flag="media_exposure")] == [b]
    assert [r["id"] for r in svc.review.queue(feedback="rejected")] == [c]
    path = svc.review.export()
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    final_col = rows[0].index("员工最终回复")
    assert any(r[final_col].startswith("'=HYPERLINK") for r in rows[1:])
    only_rejected = list(csv.reader(svc.review.export(feedback="rejected").open(encoding="utf-8-sig")))
    assert [r[0] for r in only_rejected[1:]] == [c]  # the export follows the filters on screen


def test_export_is_not_cut_at_the_page_size(svc):
    for _ in range(3):
        svc.suggest("排队太久了", record=True)
    assert len(svc.review.queue(limit=2)) == 2
    rows = list(csv.reader(svc.review.export().open(encoding="utf-8-sig")))
    assert len(rows) - 1 == 3


def test_promote_writes_a_valid_dev_case_under_home(svc, tmp_path):
    rid = svc.suggest("业主们都来了,交房延期半年", record=True).audit_id
    path = svc.review.promote(rid)
    assert path.is_relative_to(tmp_path)
    cases = load_cases(path.parent, "all")
    assert cases[0].split == "dev" and cases[0].text.startswith("业主们")
    assert yaml.safe_load(path.read_text(encoding="utf-8"))[0]["expect"]["flags"]


def test_roles_are_checked_at_the_service_layer(svc):
    staff = User("amy", "staff")
    rid = svc.suggest("排队太久了", record=True, user=staff).audit_id
    svc.review.feedback(rid, "adopted", "", user=staff)
    for call in (lambda: svc.review.queue(user=staff), lambda: svc.review.rate(rid, 4, [], "", user=staff),
                 lambda: svc.review.export(user=staff), lambda: svc.review.promote(rid, user=staff)):
        with pytest.raises(PermissionDenied):
            call()
    svc.review.queue(user=User("tom", "trainer"))


def test_users_store_holds_only_hashes(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'audit.db'}")
    store = UserStore(db)
    assert not store.enabled and store.get(None).role == "admin"
    store.add("amy", "staff", "correct horse")
    assert b"correct horse" not in (tmp_path / "audit.db").read_bytes()
    assert store.authenticate("amy", "correct horse") == User("amy", "staff")
    assert store.authenticate("amy", "wrong") is None
    store.add("amy", "manager", "battery staple", branch="东城")  # re-adding updates, never duplicates
    assert store.authenticate("amy", "battery staple") == User("amy", "manager", "东城")
    assert db.one("SELECT COUNT(*) AS n FROM users")["n"] == 1
    with pytest.raises(PermissionDenied):
        store.get("nobody")
    h = hash_password("pw-12345678")
    assert verify_password("pw-12345678", h) and not verify_password("pw-1234567", h)


def test_users_file_of_the_file_based_release_is_imported_once(tmp_path):
    legacy = tmp_path / "users.json"
    legacy.write_text(json.dumps({"bob": {"role": "trainer", "hash": hash_password("old-password"),
                                          "branch": "西城"}}), encoding="utf-8")
    db = Database(f"sqlite:///{tmp_path / 'audit.db'}")
    store = UserStore(db, legacy)
    assert store.authenticate("bob", "old-password") == User("bob", "trainer", "西城")
    store.add("bob", "trainer", "new-password")
    UserStore(db, legacy)  # a restart must not overwrite the changed password with the old file
    assert store.authenticate("bob", "new-password") and not store.authenticate("bob", "old-password")


def test_locked_database_does_not_lose_the_suggestion(svc):
    svc.suggest("先记一条", record=True)
    lock = sqlite3.connect(svc.audit.path, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")
    try:
        r = svc.suggest("排队太久了", record=True)
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    assert r.draft and r.audit_id is None and "audit log write failed" in r.audit_error
    assert svc.audit.count("suggest") == 1  # what was stored before is still there


def test_pure_helpers():
    assert edit_distance("您好", "您好") == 0 and edit_distance("您好啊", "您好") == 1
    assert csv_safe("=1+1") == "'=1+1" and csv_safe("@x") == "'@x" and csv_safe("正常") == "正常"
