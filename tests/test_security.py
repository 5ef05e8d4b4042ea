"""Holes found by probing as a hostile user, each with the test that failed before its fix.

Users in two branches sign in over the real app and call its API straight through gradio_client,
as an attacker with a valid login would."""

from __future__ import annotations

import pytest

USERS = [("amy", "staff", "东城"), ("bob", "staff", "西城"), ("max", "manager", "东城"),
         ("tom", "trainer", ""), ("ada", "admin", "")]


@pytest.fixture(scope="module")
def served(hash_service, tmp_path_factory):
    from assistant.service import AssistantService
    from ui.app import build, launch_options

    svc = AssistantService(hash_service.settings.model_copy(update={"home": tmp_path_factory.mktemp("sec")}),
                           embedder=hash_service.embedder)
    svc._state = hash_service.ensure_index()
    for name, role, branch in USERS:
        svc.users.add(name, role, f"{name}-password", branch)
    app = build(svc)
    app.launch(server_name="127.0.0.1", prevent_thread_lock=True, quiet=True, **launch_options(svc))
    try:
        yield svc, app.local_url
    finally:
        app.close()


def _client(url: str, name: str):
    from gradio_client import Client

    return Client(url, auth=(name, f"{name}-password"), verbose=False)


def _suggest(client, text: str = "排队一个多小时了,你们就开两个窗口") -> str:
    *_, audit_id = client.predict(text, "银行", [], api_name="/on_suggest")
    assert audit_id
    return audit_id


# ---- row 1: the feedback buttons with login on ------------------------------------------------
@pytest.mark.parametrize("name", ["amy", "max", "tom", "ada"])
def test_feedback_is_recorded_for_every_role_with_login_on(served, name):
    svc, url = served
    client = _client(url, name)
    audit_id = _suggest(client)
    sent = "让您久等了,真是抱歉。我这就帮您看看还要等多久,您先坐下歇一会儿。"
    assert client.predict(audit_id, sent, api_name="/feedback_edited") == "已记录:修改后采用"
    row = svc.audit.get(audit_id)
    assert (row["user"], row["feedback"], row["final_text"]) == (name, "edited", sent)


# ---- rows 2 and 3: branch and ownership --------------------------------------------------------
def test_other_branch_cannot_move_hand_over_or_judge_a_case(served):
    svc, url = served
    amy, bob = _client(url, "amy"), _client(url, "bob")
    case_id = svc.cases.from_suggestion(_suggest(amy), svc.users.get("amy"))
    assert "本网点" in bob.predict(case_id, "处理中", api_name="/on_register_move")
    assert "本网点" in bob.predict(case_id, "李四", "有责", "自动", "", api_name="/on_register_update")
    case = svc.register.get(case_id)
    assert (case["status"], case["handler"], case["responsibility"]) == ("受理", "amy", "未定")
    assert [e["action"] for e in svc.register.events(case_id)] == ["受理"]
    # the owning branch still can, and a manager of that branch too
    assert amy.predict(case_id, "处理中", api_name="/on_register_move") == "已更新:处理中"
    assert _client(url, "max").predict(case_id, "", "有责", "自动", "",
                                       api_name="/on_register_update") == "已保存"
    assert svc.register.get(case_id)["responsibility"] == "有责"


def test_case_cannot_be_registered_from_someone_elses_suggestion(served):
    svc, url = served
    amy_text = "我的卡在机器里被吞了,下午还要去医院交钱"
    audit_id = _suggest(_client(url, "amy"), amy_text)
    before = len(svc.register.list())
    msg = _client(url, "bob").predict(audit_id, "", "", False, api_name="/on_register")
    assert "自己" in msg
    assert len(svc.register.list()) == before
    assert "自己" in _client(url, "bob").predict(audit_id, "我改了", api_name="/feedback_adopted")
    assert svc.audit.get(audit_id)["feedback"] is None


# ---- row 4: removing the last user never turns a session into the local admin ------------------
def test_removing_the_last_user_does_not_fall_back_to_local_admin(settings):
    from assistant.errors import PermissionDenied
    from assistant.records.users import open_user_store

    store = open_user_store(settings)
    store.add("solo", "staff", "solo-password", "东城")
    assert store.get("solo").role == "staff"
    store.remove("solo")
    assert store.enabled  # login stays required
    with pytest.raises(PermissionDenied):
        store.get("solo")
    with pytest.raises(PermissionDenied):
        store.get(None)
    # and a fresh process over the same database knows it too
    assert open_user_store(settings).enabled


# ---- row 5: every handler resolves the user ----------------------------------------------------
def test_removed_user_gets_nothing_from_browse_and_check(served):
    svc, url = served
    svc.users.add("eve", "staff", "eve-password", "西城")
    eve = _client(url, "eve")
    assert "3F" in eve.predict("全部", "3F法", api_name="/on_browse")
    svc.users.remove("eve")
    assert "unknown user" in eve.predict("全部", "3F法", api_name="/on_browse")
    assert "unknown user" in eve.predict("对不起,但是今天人多", api_name="/on_check")


# ---- row 6: sign-in throttling and timing ------------------------------------------------------
def test_login_locks_after_five_failures_per_user(settings):
    from assistant.records.users import open_user_store

    store = open_user_store(settings)
    store.add("amy", "staff", "amy-password", "东城")
    store.add("bob", "staff", "bob-password", "西城")
    for _ in range(5):
        assert store.authenticate("amy", "wrong", address="10.0.0.9") is None
    # the right password no longer opens the locked name, from any address
    assert store.authenticate("amy", "amy-password", address="10.0.0.7") is None
    assert store.authenticate("bob", "bob-password", address="10.0.0.9") is not None
    store.throttle.clock = lambda: 10**9  # the lock ends
    assert store.authenticate("amy", "amy-password", address="10.0.0.7") is not None


def test_login_locks_an_address_that_guesses_many_names(settings):
    from assistant.records.users import open_user_store

    store = open_user_store(settings)
    store.add("bob", "staff", "bob-password", "西城")
    for n in range(20):
        assert store.authenticate(f"guess{n}", "wrong", address="10.0.0.9") is None
    assert store.authenticate("bob", "bob-password", address="10.0.0.9") is None
    assert store.authenticate("bob", "bob-password", address="10.0.0.8") is not None


def test_unknown_user_costs_a_hash(settings, monkeypatch):
    import assistant.records.users as users

    store = users.open_user_store(settings)
    store.add("amy", "staff", "amy-password")
    calls: list[str] = []
    real = users.verify_password
    monkeypatch.setattr(users, "verify_password", lambda p, h: calls.append(h) or real(p, h))
    assert store.authenticate("nobody", "guess", address="") is None
    assert store.authenticate("amy", "guess", address="") is None
    assert len(calls) == 2 and all(h.startswith("pbkdf2_sha256$") for h in calls)


def test_login_route_is_throttled_by_forwarded_address(served):
    import httpx

    svc, url = served
    proxy = {"X-Forwarded-For": "203.0.113.5"}  # the test client is 127.0.0.1, a trusted proxy
    try:
        codes = [httpx.post(f"{url}login", data={"username": "tom", "password": "nope"}, headers=proxy).status_code
                 for _ in range(5)]
        assert all(c == 400 for c in codes)
        locked = httpx.post(f"{url}login", data={"username": "tom", "password": "tom-password"})
        assert locked.status_code == 400  # the right password waits out the lock
        assert "addr:203.0.113.5" in svc.users.throttle._records
    finally:
        svc.users.throttle._records.clear()


# ---- row 7: free text in the register is redacted ----------------------------------------------
def test_register_free_text_is_redacted(served, tmp_path):
    svc, url = served
    amy, max_ = _client(url, "amy"), _client(url, "max")
    case_id = svc.cases.from_suggestion(_suggest(amy), svc.users.get("amy"))
    pii = "王五 13700001111 身份证310115197701010012"
    assert amy.predict(case_id, pii, "不变", "自动", "", api_name="/on_register_update") == "已保存"
    assert max_.predict(case_id, "", "不变", "投诉", f"客户电话13700001111,{pii}",
                        api_name="/on_register_update") == "已保存"
    case = svc.register.get(case_id)
    stored = " ".join(str(v) for v in [*case.values(), *(e["detail"] for e in svc.register.events(case_id))])
    assert "13700001111" not in stored and "310115197701010012" not in stored
    assert "[手机号]" in case["handler"]
    from openpyxl import load_workbook

    path = svc.register.export(tmp_path / "r.xlsx")
    cells = " ".join(str(c.value) for ws in load_workbook(path) for row in ws.iter_rows() for c in row)
    assert "13700001111" not in cells


def test_free_text_fields_have_length_limits(served):
    svc, url = served
    amy = _client(url, "amy")
    case_id = svc.cases.from_suggestion(_suggest(amy), svc.users.get("amy"))
    msg = amy.predict(case_id, "转" * 10_000, "不变", "自动", "", api_name="/on_register_update")
    assert "过长" in msg and "too long" in msg
    audit_id = _suggest(_client(url, "tom"))
    msg = _client(url, "tom").predict(audit_id, 3, [], "评" * 200_000, api_name="/on_rate")
    assert "过长" in msg and "too long" in msg


# ---- row 12: formula injection in the statistics sheet -----------------------------------------
def test_stats_sheet_escapes_branch_names(settings, tmp_path):
    from openpyxl import load_workbook

    from assistant.records.register import open_register
    from assistant.records.users import User

    reg = open_register(settings)
    evil = '=HYPERLINK("http://x","点我")'
    reg.create(User("amy", "staff", evil), branch=evil, matter="排队太久")
    wb = load_workbook(reg.export(tmp_path / "r.xlsx"))
    values = [c.value for ws in wb for row in ws.iter_rows() for c in row if c.value]
    assert not [v for v in values if isinstance(v, str) and v.startswith("=")]
    assert f"'{evil}" in values
