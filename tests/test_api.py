"""The JSON HTTP API (/api/v1) over a real server: the app `serve` launches (launch_options), on a free
127.0.0.1 port, called over HTTP with bearer tokens by users in two branches."""

from __future__ import annotations

import httpx
import pytest

USERS = [("amy", "staff", "东城"), ("bob", "staff", "西城"), ("ada", "admin", "")]
COMPLAINT = "排了一个多小时队还办不了!我叫张三,电话13812345678,我要投诉"


@pytest.fixture(scope="module")
def served(hash_service, tmp_path_factory):
    from assistant.service import AssistantService
    from ui.app import build, launch_options

    svc = AssistantService(hash_service.settings.model_copy(update={"home": tmp_path_factory.mktemp("api")}),
                           embedder=hash_service.embedder)
    svc._state = hash_service.ensure_index()
    tokens = {}
    for name, role, branch in USERS:
        svc.users.add(name, role, f"{name}-password", branch)
        tokens[name] = svc.users.create_token(name, "test")[1]
    app = build(svc)
    app.launch(server_name="127.0.0.1", prevent_thread_lock=True, quiet=True, **launch_options(svc))
    try:
        yield svc, app.local_url.rstrip("/") + "/api/v1", tokens
    finally:
        app.close()


def call(url: str, path: str, token: str | None = None, body: dict | None = None, **kw) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    headers |= kw.pop("headers", {})
    if body is None and "content" not in kw:
        return httpx.get(url + path, headers=headers, timeout=30)
    return httpx.post(url + path, json=body, headers=headers, timeout=30, **kw)


def assert_error(r: httpx.Response, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"code", "message_zh", "message_en"} and body["code"] == code
    assert body["message_zh"] and body["message_en"]
    return body


ENDPOINTS = [("/suggest", {"text": COMPLAINT}), ("/ask", {"question": "停业期间口头挂失多久失效?"}),
             ("/check", {"text": "对不起,但是这是规定"}), ("/feedback", {"audit_id": "x", "kind": "adopted"}),
             ("/cards/huashu-3f", None)]


# ---- auth ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("path", "body"), ENDPOINTS)
def test_no_token_or_a_bad_one_gets_401(served, path, body):
    svc, url, _ = served
    before = svc.audit.count()
    r = assert_error(call(url, path, None, body), 401, "unauthorized")
    assert "Bearer" in r["message_en"]
    assert_error(call(url, path, "tsa_not-a-real-token", body), 401, "unauthorized")
    assert_error(call(url, path, None, body, headers={"Authorization": "Basic YW15OmFteS1wYXNzd29yZA=="}),
                 401, "unauthorized")
    assert svc.audit.count() == before  # nothing was done for them
    svc.users.throttle._records.clear()


def test_revoked_token_and_removed_user_get_401(served):
    svc, url, _ = served
    svc.users.add("eve", "staff", "eve-password", "南城")
    token_id, token = svc.users.create_token("eve")
    assert call(url, "/check", token, {"text": "您好,我帮您查一下"}).status_code == 200
    assert svc.users.revoke_token(token_id)
    assert_error(call(url, "/check", token, {"text": "您好,我帮您查一下"}), 401, "unauthorized")
    _, token = svc.users.create_token("eve")
    assert call(url, "/check", token, {"text": "您好,我帮您查一下"}).status_code == 200
    svc.users.remove("eve")
    assert_error(call(url, "/check", token, {"text": "您好,我帮您查一下"}), 401, "unauthorized")
    # a later user of the same name does not inherit the departed one's token
    svc.users.add("eve", "staff", "eve-password2", "北城")
    assert_error(call(url, "/check", token, {"text": "您好,我帮您查一下"}), 401, "unauthorized")
    svc.users.remove("eve")
    svc.users.throttle._records.clear()


def test_bad_tokens_lock_the_address_like_failed_sign_ins(served):
    svc, url, tokens = served
    proxy = {"X-Forwarded-For": "203.0.113.7"}  # the test client is 127.0.0.1, a trusted proxy
    try:
        for n in range(20):
            assert_error(call(url, "/check", f"tsa_guess{n}", {"text": "您好"}, headers=proxy), 401, "unauthorized")
        assert "addr:203.0.113.7" in svc.users.throttle._records
        # a good token from the locked address waits out the lock; other addresses are not affected
        assert_error(call(url, "/check", tokens["amy"], {"text": "您好"}, headers=proxy), 401, "unauthorized")
        other = {"X-Forwarded-For": "203.0.113.8"}
        assert call(url, "/check", tokens["amy"], {"text": "您好"}, headers=other).status_code == 200
        # a bad token names nobody: no user name is locked by it
        assert not [k for k in svc.users.throttle._records if k.startswith("user:")]
    finally:
        svc.users.throttle._records.clear()


# ---- each endpoint ------------------------------------------------------------------------------
def test_suggest_returns_the_cli_contract_and_an_exact_audit_row(served):
    svc, url, tokens = served
    r = call(url, "/suggest", tokens["amy"], {"text": COMPLAINT, "domain": "bank"})
    assert r.status_code == 200, r.text
    out = r.json()
    for key in ("analysis", "techniques", "draft", "check", "next_steps", "redacted_text", "audit_id"):
        assert key in out
    for key in ("emotion", "purposes", "personality", "difficult_types", "zone", "flags", "domain"):
        assert key in out["analysis"]
    assert {"id", "title", "category", "source", "why"} <= set(out["techniques"][0])
    assert out["analysis"]["domain"] == "bank" and out["draft"] and out["audit_error"] is None
    # the same object the CLI prints for the same words (timings and audit id aside)
    same = svc.suggest(COMPLAINT, domain="bank").as_dict()
    drop = ("timings_ms", "audit_id", "audit_error")
    assert {k: v for k, v in out.items() if k not in drop} == {k: v for k, v in same.items() if k not in drop}
    assert "13812345678" not in r.text and "[手机号]" in out["redacted_text"]
    row = svc.audit.get(out["audit_id"])
    assert (row["user"], row["kind"], row["channel"], row["domain"]) == ("amy", "suggest", "api", "bank")
    assert row["redacted_text"] == out["redacted_text"] and row["draft"] == out["draft"]
    assert svc.users.get(row["user"]).branch == "东城"


def test_suggest_history_is_validated_and_redacted(served):
    svc, url, tokens = served
    history = [{"speaker": "customer", "text": "我的卡被吞了,卡号 6222 0212 3456 7890 128"},
               {"speaker": "staff", "text": "您别急,我帮您联系。"}]
    r = call(url, "/suggest", tokens["bob"], {"text": "都半小时了还没人来!", "history": history})
    assert r.status_code == 200, r.text
    out = r.json()
    assert "6222" not in r.text and "客户" in out["redacted_text"] and "员工" in out["redacted_text"]
    assert "6222" not in svc.audit.get(out["audit_id"])["redacted_text"]
    bad = [{"speaker": "customer", "text": "\x00\x01"}]
    assert_error(call(url, "/suggest", tokens["bob"], {"text": "您好", "history": bad}), 400, "bad_input")
    assert_error(call(url, "/suggest", tokens["bob"], {"text": "您好", "history": [{"speaker": "boss", "text": "x"}]}),
                 400, "bad_input")


def test_ask_is_answered_and_audited_with_channel_api(served):
    svc, url, tokens = served
    r = call(url, "/ask", tokens["bob"], {"question": "系统投产期间贵宾客户紧急用款上限是多少?"})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["found"] and out["citations"] and {"source", "section", "quote"} <= set(out["citations"][0])
    row = svc.audit.get(out["audit_id"])
    assert (row["user"], row["kind"], row["channel"]) == ("bob", "ask", "api")
    assert svc.users.get(row["user"]).branch == "西城"


def test_check_reports_findings_and_logs_nothing(served):
    svc, url, tokens = served
    before = svc.audit.count()
    out = call(url, "/check", tokens["amy"], {"text": "对不起,但是这是规定我也没办法"}).json()
    assert out["ok"] is False and {f["rule"] for f in out["findings"]}
    assert {"rule", "title", "span", "advice"} <= set(out["findings"][0])
    assert out == svc.check("对不起,但是这是规定我也没办法").as_dict()
    assert svc.audit.count() == before


def test_cards_by_id(served):
    _, url, tokens = served
    r = call(url, "/cards/huashu-3f", tokens["amy"])
    assert r.status_code == 200, r.text
    card = r.json()
    assert card["title"] == "3F法" and card["sections"]["要点"] and card["source"]
    assert_error(call(url, "/cards/no-such-card", tokens["amy"]), 404, "not_found")


# ---- roles and branches: feedback only on your own suggestions ---------------------------------
def test_feedback_on_own_suggestion_only_across_branches(served):
    svc, url, tokens = served
    amy_id = call(url, "/suggest", tokens["amy"], {"text": "排队太久了,你们就开两个窗口"}).json()["audit_id"]
    sent = "让您久等了,真是抱歉。我这就帮您看看还要等多久。电话13812345678"
    # bob, staff of another branch, may not judge amy's suggestion
    r = assert_error(call(url, "/feedback", tokens["bob"], {"audit_id": amy_id, "kind": "adopted", "final_text": "x"}),
                     403, "forbidden")
    assert "自己" in r["message_zh"]
    assert svc.audit.get(amy_id)["feedback"] is None
    r = call(url, "/feedback", tokens["amy"], {"audit_id": amy_id, "kind": "edited", "final_text": sent})
    assert r.status_code == 200 and r.json() == {"ok": True, "audit_id": amy_id, "kind": "edited"}
    row = svc.audit.get(amy_id)
    assert (row["user"], row["feedback"], row["channel"]) == ("amy", "edited", "api")
    assert "13812345678" not in row["final_text"] and "[手机号]" in row["final_text"]
    # the administrator may act on anyone's, as in the app
    assert call(url, "/feedback", tokens["ada"], {"audit_id": amy_id, "kind": "rejected"}).status_code == 200
    assert svc.audit.get(amy_id)["feedback"] == "rejected"


# ---- bad input, limits, a store that is down -----------------------------------------------------
@pytest.mark.parametrize(("path", "body"), [
    ("/suggest", {"text": ""}), ("/suggest", {"text": "   "}), ("/suggest", {"text": "a\x00b"}), ("/suggest", {}),
    ("/suggest", {"text": 5}), ("/suggest", {"text": "排队", "domain": "insurance"}),
    ("/suggest", {"text": "排队", "extra": 1}), ("/ask", {"question": ""}), ("/check", {"text": None}),
    ("/feedback", {"audit_id": "nope", "kind": "adopted"}), ("/feedback", {"audit_id": "x", "kind": "liked"}),
])
def test_bad_input_is_400_with_the_bilingual_error(served, path, body):
    svc, url, tokens = served
    before = svc.audit.count()
    assert_error(call(url, path, tokens["amy"], body), 400, "bad_input")
    assert svc.audit.count() == before


def test_input_error_words_are_the_validators(served):
    _, url, tokens = served
    r = assert_error(call(url, "/suggest", tokens["amy"], {"text": "  "}), 400, "bad_input")
    assert r["message_zh"].startswith("输入为空") and "empty" in r["message_en"]
    r = assert_error(call(url, "/check", tokens["amy"], content=b"not json",
                          headers={"Content-Type": "text/plain"}), 400, "bad_input")
    assert "application/json" in r["message_en"]
    assert_error(call(url, "/check", tokens["amy"], content=b"{not json",
                      headers={"Content-Type": "application/json"}), 400, "bad_input")


def test_too_long_is_413_and_nothing_is_stored(served):
    svc, url, tokens = served
    limit = svc.settings.max_input_chars
    before = svc.audit.count()
    r = assert_error(call(url, "/suggest", tokens["amy"], {"text": "排" * (limit + 1)}), 413, "too_long")
    assert "过长" in r["message_zh"] and "too long" in r["message_en"]
    assert_error(call(url, "/ask", tokens["amy"], {"question": "问" * (limit + 1)}), 413, "too_long")
    assert_error(call(url, "/check", tokens["amy"], {"text": "好" * (limit + 1)}), 413, "too_long")
    history = [{"speaker": "customer", "text": "排" * (limit + 1)}]
    assert_error(call(url, "/suggest", tokens["amy"], {"text": "排队", "history": history}), 413, "too_long")
    # a body past the API's cap is refused from its Content-Length, before it is read
    assert_error(call(url, "/check", tokens["amy"], {"text": "好" * (1 << 20)}), 413, "too_long")
    audit_id = call(url, "/suggest", tokens["amy"], {"text": "排队太久了"}).json()["audit_id"]
    assert_error(call(url, "/feedback", tokens["amy"], {"audit_id": audit_id, "kind": "edited",
                                                        "final_text": "好" * (limit + 1)}), 413, "too_long")
    assert svc.audit.count() == before + 1 and svc.audit.get(audit_id)["feedback"] is None


def test_chunked_body_over_the_cap_is_413(served):
    _, url, tokens = served

    def chunks():
        yield b'{"text": "'
        for _ in range(40):
            yield b"x" * 32768
        yield b'"}'

    r = httpx.post(url + "/check", content=chunks(), headers={"Authorization": f"Bearer {tokens['amy']}",
                                                              "Content-Type": "application/json"}, timeout=30)
    assert_error(r, 413, "too_long")


def test_user_store_down_is_503(served, monkeypatch):
    from assistant.errors import StoreUnavailable
    from assistant.records.users import ClosedUserStore

    svc, url, tokens = served
    closed = ClosedUserStore(svc.settings, StoreUnavailable("用户库无法读取", "the user store cannot be read"))
    monkeypatch.setattr(svc, "users", closed)
    r = assert_error(call(url, "/check", tokens["amy"], {"text": "您好"}), 503, "store_unavailable")
    assert r["message_en"] == "the user store cannot be read"


def test_a_database_error_is_503_not_a_crash(served, monkeypatch):
    import sqlite3

    svc, url, tokens = served

    def locked(*_a, **_k):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(svc.users.db, "one", locked)
    r = assert_error(call(url, "/check", tokens["amy"], {"text": "您好"}), 503, "store_unavailable")
    assert "database is locked" in r["message_en"]


def test_audit_store_down_is_503_for_feedback_and_reported_for_suggest(served, monkeypatch):
    from assistant.errors import StoreUnavailable

    svc, url, tokens = served
    audit_id = call(url, "/suggest", tokens["amy"], {"text": "排队太久了"}).json()["audit_id"]

    def down():
        raise StoreUnavailable("审计库不可用", "audit store unavailable")

    monkeypatch.setattr(type(svc), "audit", property(lambda self: down()))
    assert_error(call(url, "/feedback", tokens["amy"], {"audit_id": audit_id, "kind": "adopted"}), 503,
                 "store_unavailable")
    # a suggestion is still given, with the failure reported, as on the page
    out = call(url, "/suggest", tokens["amy"], {"text": "排队太久了"}).json()
    assert out["draft"] and out["audit_id"] is None and "audit" in out["audit_error"]


# ---- schema, and the page beside it -------------------------------------------------------------
def test_openapi_schema_is_built_from_the_models(served):
    _, url, _ = served
    schema = httpx.get(url + "/openapi.json").json()
    assert set(schema["paths"]) == {"/suggest", "/ask", "/check", "/feedback", "/cards/{card_id}"}
    assert schema["servers"] == [{"url": "/api/v1"}]
    models = schema["components"]["schemas"]
    assert {"SuggestIn", "SuggestOut", "AskIn", "AskOut", "CheckIn", "CheckOut", "FeedbackIn", "ApiError"} <= set(models)
    assert models["FeedbackIn"]["properties"]["kind"]["enum"] == ["adopted", "edited", "rejected"]
    assert set(models["ApiError"]["required"]) == {"code", "message_zh", "message_en"}
    post = schema["paths"]["/suggest"]["post"]
    assert {"200", "400", "401", "403", "413", "503"} <= set(post["responses"])
    assert post["security"] == [{"HTTPBearer": []}]


def test_page_and_healthz_still_served_beside_the_api(served):
    _, url, _ = served
    root = url.removesuffix("/api/v1")
    assert httpx.get(root + "/healthz").json()["ok"] is True
    assert httpx.get(root + "/").status_code == 200
    assert_error(httpx.get(url + "/nothing-here"), 404, "not_found")


# ---- the token command --------------------------------------------------------------------------
def test_token_command_shows_the_token_once_and_stores_its_hash(home, capsys):
    from assistant.cli import main
    from assistant.records.users import open_user_store, token_hash
    from assistant.settings import get_settings

    store = open_user_store(get_settings())
    store.add("amy", "staff", "amy-password", "东城")
    assert main(["token", "create", "amy", "--label", "CRM"]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("tsa_") and len(token) > 40
    assert store.authenticate_token(token, address="") == store.get("amy")
    assert main(["token", "list"]) == 0
    listed = capsys.readouterr().out
    assert token not in listed and '"label": "CRM"' in listed
    rows = store.db.all("SELECT * FROM api_tokens")
    assert len(rows) == 1 and rows[0]["hash"] == token_hash(token) and token not in str(rows)
    assert main(["token", "revoke", rows[0]["id"]]) == 0
    assert store.authenticate_token(token, address="") is None
    assert main(["token", "revoke", rows[0]["id"]]) == 2
    assert main(["token", "create", "nobody"]) == 2
    assert store.db.schema_version("users") == 3


def test_a_user_store_from_before_tokens_gains_the_table_and_keeps_its_users(tmp_path):
    from assistant.records import users as users_mod
    from assistant.records.db import Database

    db = Database(f"sqlite:///{tmp_path / 'audit.db'}")
    db.migrate("users", users_mod.MIGRATIONS[:2])
    db.execute("INSERT INTO users VALUES ('amy', 'staff', 'x', '东城', 1)")
    store = users_mod.UserStore(db)
    assert db.schema_version("users") == len(users_mod.MIGRATIONS) == 3
    assert store.list() == [users_mod.User("amy", "staff", "东城")]
    token = store.create_token("amy")[1]
    assert store.authenticate_token(token, address="") == users_mod.User("amy", "staff", "东城")
