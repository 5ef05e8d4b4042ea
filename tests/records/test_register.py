"""Complaint register: deadlines on an injected clock, counting rules, encryption, roles, statistics."""

from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook

from assistant.errors import AssistantError, PermissionDenied
from assistant.records.register import ManualClock, open_register, plan_class
from assistant.records.users import User
from assistant.settings import Settings

CLERK = User("amy", "staff", "城东支行")
OTHER = User("bob", "staff", "城西支行")
MANAGER = User("li", "manager", "城东支行")


@pytest.fixture
def clock():
    # a Friday, 22:30 UTC: the 1/4/8-hour limits run across midnight into the weekend
    return ManualClock(datetime(2026, 11, 27, 22, 30, tzinfo=UTC))


@pytest.fixture
def reg(tmp_path, clock):
    return open_register(Settings(home=tmp_path), clock)


def _case(reg, **kw):
    base = dict(branch="城东支行", matter="ATM吞卡,客户电话13812345678", demand="尽快取卡", flags=[],
                name="王丽", phone="13812345678")
    return reg.create(CLERK, **(base | kw))


def test_deadlines_are_calendar_hours_across_midnight_and_weekend(reg, clock):
    cid = _case(reg, formal=True)
    due = {d.name: d.due for d in reg.deadlines(cid)}
    start = datetime(2026, 11, 27, 22, 30, tzinfo=UTC)
    assert due["1小时到场"] == start + timedelta(hours=1)            # 23:30 Friday
    assert due["4小时回复客户"] == datetime(2026, 11, 28, 2, 30, tzinfo=UTC)   # Saturday
    assert due["8小时上报结果"] == datetime(2026, 11, 28, 6, 30, tzinfo=UTC)
    assert due["15日内作出处理决定"] == datetime(2026, 12, 12, 22, 30, tzinfo=UTC)  # calendar days
    clock.advance(minutes=59)
    assert reg.overdue(cid) == []
    clock.advance(minutes=2)
    assert reg.overdue(cid) == ["1小时到场"]
    reg.move(cid, "处理中", CLERK)  # late arrival stays overdue
    clock.advance(hours=2)
    reg.move(cid, "已回复客户", CLERK)  # 3 h 1 min: reply in time
    assert reg.overdue(cid) == ["1小时到场"]
    clock.advance(hours=5)
    assert "8小时上报结果" in reg.overdue(cid)


def test_counting_rules(reg, clock):
    local = _case(reg)
    reg.move(local, "处理中", CLERK)
    reg.move(local, "已回复客户", CLERK)
    reg.report(local, CLERK)
    reg.move(local, "已办结", CLERK)
    assert reg.count_class(local) == "不纳入统计"

    escalated = _case(reg)
    reg.move(escalated, "升级", CLERK)
    reg.move(escalated, "处理中", CLERK)
    reg.move(escalated, "已回复客户", CLERK)
    reg.report(escalated, CLERK)
    assert reg.count_class(escalated) == "咨询类"

    external = _case(reg, flags=["regulator_escalation"])
    assert reg.count_class(external) == "投诉"

    late = _case(reg)
    clock.advance(hours=9)
    assert reg.count_class(late) == "投诉"
    assert reg.count_class(local) == "不纳入统计"  # met its limits before the clock moved

    with pytest.raises(AssistantError):
        reg.override_count(late, "咨询类", "", MANAGER)
    reg.override_count(late, "咨询类", "客户来电确认当日已解决,系统晚录", MANAGER)
    assert reg.count_class(late) == "咨询类"
    with pytest.raises(PermissionDenied):
        reg.override_count(late, "不纳入统计", "x", CLERK)


def test_workflow_reopen_and_hand_over(reg):
    cid = _case(reg)
    with pytest.raises(AssistantError):
        reg.move(cid, "已办结", CLERK)  # cannot skip steps
    for s in ("处理中", "已回复客户", "已办结", "已回访"):
        reg.move(cid, s, CLERK)
    reg.hand_over(cid, "信用卡中心-张", CLERK)
    reg.move(cid, "处理中", CLERK)
    case = reg.get(cid)
    assert case["repeat"] == 1 and case["owner"] == "amy" and case["handler"] == "信用卡中心-张"
    assert reg.count_class(cid) == "投诉"
    actions = [e["action"] for e in reg.events(cid)]
    assert actions[0] == "受理" and "转交" in actions and all(e["user"] and e["ts"] for e in reg.events(cid))


def test_contact_details_are_encrypted_and_role_gated(reg, tmp_path):
    cid = _case(reg)
    blob = b"".join(p.read_bytes() for p in tmp_path.glob("register.db*"))
    assert b"13812345678" not in blob and "王丽".encode() not in blob
    assert reg.get(cid)["matter"].startswith("ATM吞卡,客户电话[手机号]")
    assert reg.contact(cid, CLERK) == {"name": "王丽", "phone": "13812345678"}
    assert reg.contact(cid, MANAGER)["phone"] == "13812345678"
    with pytest.raises(PermissionDenied):
        reg.contact(cid, OTHER)
    assert oct((tmp_path / "register.key").stat().st_mode)[-3:] == "600"


def test_report_reconciles_with_register_and_exports(reg, clock, tmp_path):
    ids = [_case(reg, flags=f) for f in ([], ["media_exposure"], ["compensation_claim"], ["regulator_escalation"])]
    _case(reg, branch="城西支行", flags=["group_complaint"])
    clock.advance(hours=9)
    stats = reg.report_stats()
    rows = reg.list()
    assert stats["total"] == len(rows) == 5
    for key in ("count_class", "branch", "status", "responsibility"):
        assert sum(stats[key].values()) == len(rows), key
    assert stats["count_class"] == {"投诉": 5}  # all overdue after 9 hours
    assert stats["branch"] == {"城东支行": 4, "城西支行": 1}
    assert stats["plan_class"]["媒体"] == 1 and stats["plan_class"]["索赔"] == 1
    assert len(reg.overdue_list()) == 5
    xlsx = reg.export(tmp_path / "r.xlsx")
    ws = load_workbook(xlsx)["投诉登记"]
    assert ws.max_row == 6 and {ws.cell(r, 1).value for r in range(2, 7)} >= set(ids)
    csv_text = reg.export(tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    assert "13812345678" not in csv_text and csv_text.count("\n") == 6


def test_plan_class_mapping():
    assert plan_class([], "停业期间我要挂失") == 3
    assert plan_class(["media_exposure"], "排队") == 14
    assert plan_class([], "今天天气") == 1


def test_register_cli(tmp_path):
    import json
    import os
    import subprocess
    import sys

    from assistant.settings import PROJECT_ROOT

    reg = open_register(Settings(home=tmp_path), ManualClock(datetime(2026, 11, 27, 9, 0, tzinfo=UTC)))
    cid = _case(reg)
    env = {**os.environ, "ASSISTANT_HOME": str(tmp_path)}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "assistant", "register", *args], capture_output=True,
                              text=True, env=env, cwd=PROJECT_ROOT, timeout=60)

    listed = json.loads(run("list", "--from", "2026-11-27", "--to", "2026-11-28", "--json").stdout)
    assert [c["id"] for c in listed["cases"]] == [cid] and listed["stats"]["total"] == 1
    assert json.loads(run("list", "--from", "2026-11-28", "--json").stdout)["cases"] == []
    # the end day is included: a case received on the 27th is in "--to 2026-11-27"
    assert json.loads(run("list", "--to", "2026-11-27", "--json").stdout)["stats"]["total"] == 1
    bad_date = run("list", "--from", "27/11/2026")
    assert bad_date.returncode == 2 and "YYYY-MM-DD" in bad_date.stderr
    shown = json.loads(run("show", "--id", cid).stdout)
    assert shown["status"] == "受理" and shown["events"][0]["action"] == "受理" and "phone_enc" not in shown
    out = run("export", "--out", str(tmp_path / "x.xlsx"))
    assert out.returncode == 0 and (tmp_path / "x.xlsx").exists()
    bad = run("show", "--id", "nope")
    assert bad.returncode == 2 and "no such case" in bad.stderr
