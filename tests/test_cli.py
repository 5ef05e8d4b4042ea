"""The CLI as users and scripts run it: a subprocess, JSON on stdout only, bilingual errors."""

import json
import os
import subprocess
import sys

import pytest

from assistant.service import AssistantService
from assistant.settings import PROJECT_ROOT, Settings


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    home = tmp_path_factory.mktemp("cli-home")
    env = {**os.environ, "ASSISTANT_HOME": str(home), "ASSISTANT_EMBEDDER": "hash"}

    def _run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "assistant", *args], input=stdin, capture_output=True,
                              env=env, cwd=PROJECT_ROOT, timeout=120)

    _run.home = home
    return _run


def test_suggest_json_stdout_is_pure_json(run):
    p = run("suggest", "排队一个小时还没办上,我要投诉", "--json")
    assert p.returncode == 0, p.stderr.decode()
    d = json.loads(p.stdout)
    assert {"analysis", "techniques", "draft", "check", "next_steps", "redacted_text"} <= set(d)
    a = json.loads(run("ask", "临时挂失多久失效?", "--json").stdout)
    audit = AssistantService(Settings(home=run.home, embedder="hash")).audit
    assert [audit.get(x["audit_id"])["channel"] for x in (d, a)] == ["cli", "cli"]


def test_suggest_reads_stdin_and_human_output(run):
    p = run("suggest", "-", stdin="ATM吞卡了,赶紧帮我取出来".encode())
    out = p.stdout.decode()
    assert p.returncode == 0 and "【回复草稿】" in out and "【下一步】" in out


def test_ask_and_check_json(run):
    a = json.loads(run("ask", "临时挂失多久失效?", "--json").stdout)
    assert {"answer", "found", "citations"} <= set(a)
    c = run("check", "对不起,但是这是规定", "--json")
    d = json.loads(c.stdout)
    assert c.returncode == 1 and not d["ok"] and d["findings"][0]["rule"] == "apology_excuse"
    assert run("check", "让您久等了,真抱歉。我马上帮您办。").returncode == 0


def test_jsonl_batch_keeps_ids(run, tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text('{"id": "a1", "text": "排队太久了"}\n{"id": "b2", "text": ""}\nnot json\n', encoding="utf-8")
    p = run("suggest", "--jsonl", str(f))
    lines = [json.loads(x) for x in p.stdout.decode().splitlines()]
    # a bad line's number goes in "line", never in "id" where it could pass for a real id
    assert [(x["line"], x["id"]) for x in lines] == [(1, "a1"), (2, "b2"), (3, None)]
    assert "draft" in lines[0] and "error" in lines[1] and "error" in lines[2]
    assert p.returncode == 2
    q = tmp_path / "q.jsonl"
    q.write_text('{"id": 7, "text": "投诉由哪个部门受理?"}\n', encoding="utf-8")
    out = json.loads(run("ask", "--jsonl", str(q)).stdout)
    assert out["id"] == 7 and "found" in out


@pytest.mark.parametrize("stdin", [b"", b"   \n ", b"\x00\x01\x02\x03", ("字" * 30_000).encode()])
def test_bad_input_exits_2_with_one_bilingual_line(run, stdin):
    p = run("suggest", "-", "--json", stdin=stdin)
    err = p.stderr.decode().strip().splitlines()
    assert p.returncode == 2
    assert p.stdout == b""
    assert "Traceback" not in p.stderr.decode()
    assert " / " in err[-1]


def test_search_debug_lists_each_retriever(run):
    d = json.loads(run("search", "3F法", "--json").stdout)
    assert d["results"][0]["id"] == "huashu-3f"
    assert {"bm25_rank", "dense_rank", "score"} <= set(d["results"][0])


def test_index_command_reports(run):
    p = run("index")
    assert p.returncode == 0 and "indexed" in p.stderr.decode()


def test_user_add_list_remove(tmp_path):
    env = {**os.environ, "ASSISTANT_HOME": str(tmp_path)}

    def user(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "assistant", "user", *args], input=stdin, capture_output=True,
                              env=env, cwd=PROJECT_ROOT, timeout=60)

    assert user("add", "wang", "--role", "manager", "--branch", "东城", stdin=b"long-password\n").returncode == 0
    assert user("add", "li", "--role", "staff", stdin=b"long-password\n").returncode == 0
    listed = json.loads(user("list").stdout)
    assert listed == [{"name": "li", "role": "staff", "branch": ""}, {"name": "wang", "role": "manager",
                                                                        "branch": "东城"}]
    assert b"long-password" not in user("list").stdout
    assert user("remove", "li").returncode == 0
    assert [u["name"] for u in json.loads(user("list").stdout)] == ["wang"]
    gone = user("remove", "li")
    assert gone.returncode == 2 and "no such user" in gone.stderr.decode()
    no_role = user("add", "zhao", stdin=b"long-password\n")
    assert no_role.returncode == 2 and "--role" in no_role.stderr.decode()
