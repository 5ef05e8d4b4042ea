"""Security review rows 9, 13 and 14: batch input that cannot stop a batch, a broken audit database
that cannot stop the desk (and fails closed for sign-in), and exports that do not stay on disk."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT

GOOD = "排队一个小时还没办上,我要投诉"


@pytest.fixture(scope="module")
def cli_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("security-cli-home")


def _cli(home: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "ASSISTANT_HOME": str(home), "ASSISTANT_EMBEDDER": "hash"}
    env.pop("ASSISTANT_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "assistant", *args], input=stdin, capture_output=True, env=env,
                          cwd=PROJECT_ROOT, timeout=180)


def _json_lines(p: subprocess.CompletedProcess) -> list[dict]:
    return [json.loads(x) for x in p.stdout.decode("utf-8").splitlines()]


# ---- row 9: --jsonl ------------------------------------------------------------------------
def _batch_file(tmp_path: Path, text: str) -> tuple[Path, dict[int, object]]:
    """Good lines around every kind of bad one; returns the file and, per line number, the id a bad
    line must carry (None: no usable id)."""
    good = json.dumps({"id": "first", "text": text}, ensure_ascii=False).encode()
    lines = [
        good,                                                                     # 1 good
        b'{"id": "latin1", "text": "\xc5\xc5\xb6\xd3\xcc\xab\xbe\xc3\xff"}',     # 2 not UTF-8 (GBK bytes)
        b"[" * 100_000 + b"]" * 100_000,                                          # 3 RecursionError
        b'{"id": "n1", "text": null}',                                           # 4 null is not "None"
        b'{"id": "n2", "text": 42}',                                             # 5 a number
        b'{"id": "n3", "text": ["a", "b"]}',                                     # 6 a list
        b"not json",                                                             # 7
        b'{"id": {"x": 1}, "text": "hello"}',                                    # 8 an id that is no id
        b'{"text": ""}',                                                         # 9 empty text, no id
        b"",                                                                      # 10 blank: skipped
        json.dumps({"id": 3, "text": text}, ensure_ascii=False).encode(),         # 11 good, id 3 (= a line no.)
        json.dumps({"id": "last", "text": text}, ensure_ascii=False).encode(),    # 12 good after the bad ones
    ]
    f = tmp_path / "batch.jsonl"
    f.write_bytes(b"\n".join(lines) + b"\n")
    bad = {2: "latin1", 3: None, 4: "n1", 5: "n2", 6: "n3", 7: None, 8: None, 9: None}
    return f, bad


def _assert_batch(p: subprocess.CompletedProcess, bad: dict[int, object], result_key: str) -> None:
    assert p.returncode == 2, p.stderr.decode()
    assert "Traceback" not in p.stderr.decode()
    out = _json_lines(p)
    assert [o["line"] for o in out] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12]  # one object per non-blank line
    by_line = {o["line"]: o for o in out}
    for n, want_id in bad.items():
        o = by_line[n]
        assert o["id"] == want_id and set(o) == {"line", "id", "error"}, o
        zh, en = o["error"].split(" / ", 1)
        assert zh and en.isascii(), o["error"]
    for n, want_id in {1: "first", 11: 3, 12: "last"}.items():
        assert by_line[n]["id"] == want_id and result_key in by_line[n] and "error" not in by_line[n]
    # the number of a line is never passed off as an id
    assert [o["id"] for o in out if o["id"] == o["line"]] == []


def test_suggest_jsonl_every_line_answered_bad_lines_get_their_own_error(cli_home, tmp_path):
    f, bad = _batch_file(tmp_path, GOOD)
    _assert_batch(_cli(cli_home, "suggest", "--jsonl", str(f)), bad, "draft")


def test_ask_jsonl_every_line_answered_bad_lines_get_their_own_error(cli_home, tmp_path):
    f, bad = _batch_file(tmp_path, "投诉由哪个部门受理?")
    _assert_batch(_cli(cli_home, "ask", "--jsonl", str(f)), bad, "answer")


def test_check_jsonl_every_line_answered_bad_lines_get_their_own_error(cli_home, tmp_path):
    f, bad = _batch_file(tmp_path, "让您久等了,真抱歉。我马上帮您办。")
    _assert_batch(_cli(cli_home, "check", "--jsonl", str(f)), bad, "findings")


def test_jsonl_null_text_is_an_error_not_the_word_none(cli_home, tmp_path):
    f = tmp_path / "null.jsonl"
    f.write_text('{"id": "n", "text": null}\n', encoding="utf-8")
    p = _cli(cli_home, "check", "--jsonl", str(f))
    [out] = _json_lines(p)
    assert p.returncode == 2 and out["id"] == "n" and out["line"] == 1
    assert "text" in out["error"] and "ok" not in out


def test_jsonl_all_good_exits_0_and_reads_stdin(cli_home):
    stdin = '{"id": "a", "text": "让您久等了,真抱歉。"}\n{"text": "我马上帮您办。"}\n'.encode()
    p = _cli(cli_home, "check", "--jsonl", "-", stdin=stdin)
    assert p.returncode == 0, p.stderr.decode()
    assert [(o["line"], o["id"]) for o in _json_lines(p)] == [(1, "a"), (2, None)]


@pytest.mark.parametrize("cmd", ["suggest", "ask", "check"])
@pytest.mark.parametrize("which", ["missing", "directory", "unreadable"])
def test_jsonl_file_that_cannot_be_read_exits_2_with_one_bilingual_line(cli_home, tmp_path, cmd, which):
    path = tmp_path / "nope.jsonl"
    if which == "directory":
        path.mkdir()
    elif which == "unreadable":
        if os.geteuid() == 0:
            pytest.skip("root reads any file")
        path.write_text('{"id": 1, "text": "x"}\n', encoding="utf-8")
        path.chmod(0)
    p = _cli(cli_home, cmd, "--jsonl", str(path))
    err = p.stderr.decode().strip().splitlines()
    assert p.returncode == 2, p.stderr.decode()
    assert p.stdout == b""
    assert "Traceback" not in p.stderr.decode() and "internal error" not in p.stderr.decode()
    assert len(err) == 1 and " / " in err[0] and str(path) in err[0]


# ---- row 13: a broken audit.db --------------------------------------------------------------
def _forget_engines(home: Path) -> None:
    """What a restart does: no pooled connection still holds the file as it was."""
    from assistant.records.db import _DATABASES

    for url in [u for u in _DATABASES if str(home) in u]:
        _DATABASES.pop(url).dispose()


def _corrupt(db: Path) -> None:
    with open(db, "r+b") as fh:
        fh.write(b"\xde\xad\xbe\xef" * 25)  # the first 100 bytes: SQLite's header


@pytest.fixture
def broken_home(hash_service, tmp_path):
    """A home whose audit.db held one user and one suggestion, then lost its header."""
    from assistant.service import AssistantService

    settings = hash_service.settings.model_copy(update={"home": tmp_path})
    svc = AssistantService(settings, embedder=hash_service.embedder)
    svc._state = hash_service.ensure_index()
    svc.users.add("mgr", "manager", "correct-horse-1")
    assert svc.suggest(GOOD, record=True).audit_id
    assert svc.health()["ok"]
    _forget_engines(tmp_path)
    _corrupt(tmp_path / "audit.db")
    yield settings
    _forget_engines(tmp_path)


def test_broken_audit_db_suggest_still_answers_and_health_says_why(broken_home, hash_service, capsys):
    from assistant.errors import PermissionDenied
    from assistant.service import AssistantService

    capsys.readouterr()
    svc = AssistantService(broken_home, embedder=hash_service.embedder)  # constructs: no exception
    svc._state = hash_service.ensure_index()
    r = svc.suggest(GOOD, record=True)
    assert r.draft and r.audit_id is None and r.audit_error
    health = svc.health()
    assert health["audit"] == "unavailable" and health["ok"] is False
    err = capsys.readouterr().err
    assert "audit store is broken" in err and "审计库已损坏" in err
    home = broken_home.resolved_home()
    assert f"mv {home / 'audit.db'} {home / 'audit.db.broken'}" in err
    # the user store fails closed: login is required and nobody gets in, never the local admin
    assert svc.users.enabled is True
    assert svc.users.authenticate("mgr", "correct-horse-1") is None
    with pytest.raises(PermissionDenied):
        svc.users.get("mgr")
    with pytest.raises(PermissionDenied):
        svc.users.get(None)
    assert "user store is broken" in capsys.readouterr().err


def test_broken_user_store_stays_closed_when_it_comes_back_empty(broken_home, hash_service, monkeypatch):
    """Moving the broken file aside while serving gives an empty store: that must not make everyone
    the local administrator. Once a user is added, sign-in works again without a restart."""
    from assistant.errors import PermissionDenied
    from assistant.records.users import ClosedUserStore, open_user_store
    from assistant.service import AssistantService

    svc = AssistantService(broken_home, embedder=hash_service.embedder)
    monkeypatch.setattr(ClosedUserStore, "RETRY_S", 0.0)
    home = broken_home.resolved_home()
    _forget_engines(home)
    for name in ("audit.db", "audit.db-wal", "audit.db-shm"):
        if (home / name).exists():
            shutil.move(home / name, home / f"{name}.broken")
    with pytest.raises(PermissionDenied):
        svc.users.get(None)
    assert svc.users.authenticate("mgr", "correct-horse-1") is None
    open_user_store(broken_home).add("mgr", "manager", "correct-horse-2")
    assert svc.users.authenticate("mgr", "correct-horse-2") is not None
    assert svc.users.get("mgr").role == "manager"
    assert svc.health()["audit"] == "ok"


def test_broken_audit_db_cli_suggest_exits_0_with_audit_error(tmp_path):
    assert _cli(tmp_path, "user", "add", "mgr", "--role", "manager", stdin=b"correct-horse-1\n").returncode == 0
    _corrupt(tmp_path / "audit.db")
    p = _cli(tmp_path, "suggest", GOOD, "--json")
    assert p.returncode == 0, p.stderr.decode()
    d = json.loads(p.stdout)
    assert d["draft"] and d["audit_id"] is None and "audit store is broken" in d["audit_error"]
    assert "Traceback" not in p.stderr.decode()
    assert "audit.db.broken" in p.stderr.decode()


# ---- row 14: exports expire -------------------------------------------------------------------
def _aged(path: Path, seconds: float) -> Path:
    path.write_text("id,redacted_text\n1,x\n", encoding="utf-8")
    past = time.time() - seconds
    os.utime(path, (past, past))
    return path


def test_old_exports_are_removed_on_start_and_by_the_next_export(hash_service, tmp_path):
    from assistant.service import AssistantService

    settings = hash_service.settings.model_copy(update={"home": tmp_path, "export_ttl_s": 600})
    exports = tmp_path / "exports"
    exports.mkdir()
    stale = _aged(exports / "review-20250101-000000-aaaaaa.csv", 3600)
    fresh = _aged(exports / "review-20250101-000000-bbbbbb.csv", 60)
    svc = AssistantService(settings, embedder=hash_service.embedder)
    assert not stale.exists() and fresh.exists()  # swept when the service starts

    stale = _aged(exports / "register-20250101-000000-cccccc.xlsx", 601)
    out = svc.review.export()
    assert out.exists() and out.parent == exports
    assert not stale.exists() and fresh.exists()  # swept when the next export path is made


def test_export_ttl_default_is_half_an_hour():
    from assistant.settings import Settings

    assert Settings().export_ttl_s == 1800
