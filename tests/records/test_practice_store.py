"""Practice scores and assignments (issue 20): one migration in the audit database, roles and branches, export."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

import pytest

from assistant.errors import InputError, PermissionDenied
from assistant.records.users import User
from assistant.settings import PROJECT_ROOT

AMY = User("amy", "staff", "东城")
BEN = User("ben", "staff", "西城")
MAX = User("max", "manager", "东城")
TOM = User("tom", "trainer", "")
GOOD = ["大爷,让您站了这么久,真是对不起。您先到这边坐下歇歇,我给您倒杯水,您的号我来帮您盯着。",
        "您着急我特别理解。之前也有位阿姨跟您一样急,后来我们帮她走了优先办理。我这就去请我们负责人给您安排,您看行吗?",
        "您放心,我现在就陪您到柜台那边,负责人已经同意给您优先办理,取养老金很快的。",
        "您慢点走,我陪您到窗口,办完了我再送您出门,有什么事您随时叫我。"]


@pytest.fixture
def svc(hash_service, tmp_path):
    from assistant.service import AssistantService

    s = AssistantService(hash_service.settings.model_copy(update={"home": tmp_path}), embedder=hash_service.embedder)
    s._state = hash_service.ensure_index()
    return s


def _play(svc, user: User, replies: list[str], scenario: str = "bank-queue-elderly", assignment: str | None = None):
    session = svc.practice.start(scenario, "normal", user, assignment_id=assignment)
    error = None
    for text in replies:
        if session.finished:
            break
        session, error = svc.practice.reply(session, text, user, seconds=20)
    assert error is None
    return session


def test_one_migration_in_the_audit_database(svc):
    log = svc.practice_log
    assert log.schema_version == 1
    assert log.db is svc.audit.db  # the same database (and engine) as the audit log
    assert svc.audit.db.schema_version("audit") == svc.audit.schema_version  # audit's own list unchanged


def test_a_finished_session_is_stored_with_its_score_and_a_model_reply(svc):
    s = _play(svc, AMY, GOOD)
    assert s.finished and s.score >= 75
    assert all(e.model_reply for e in s.exchanges if e.score is not None)  # the assistant's reply to compare
    row = svc.practice.session(s.id, AMY)
    assert row["score"] == s.score and row["branch"] == "东城" and row["user"] == "amy"
    assert "huashu-3f" in row["techniques"].split(",")
    transcript = json.loads(row["transcript_json"])
    assert transcript[0]["reply"] == GOOD[0] and transcript[0]["reasons"]


def test_staff_see_their_own_scores_and_reviewers_see_everyone(svc):
    _play(svc, AMY, GOOD)
    _play(svc, BEN, ["请您耐心等待。", "大家都在排,您也得排。", "我也没办法。", "下午再来吧。"])
    assert set(svc.practice.scores(AMY)["per_person"]) == {"amy"}
    assert set(svc.practice.scores(BEN, person="amy")["per_person"]) == {"ben"}  # a staff filter is ignored
    board = svc.practice.scores(TOM)
    assert set(board["per_person"]) == {"amy", "ben"}
    assert board["per_person"]["amy"]["mean"] > board["per_person"]["ben"]["mean"]
    assert "3F法" in board["per_technique"]
    assert set(svc.practice.scores(MAX, branch="西城")["per_person"]) == {"ben"}
    ben_session = svc.practice.scores(BEN)["sessions"][0]["id"]
    with pytest.raises(PermissionDenied):
        svc.practice.session(ben_session, AMY)


def test_only_the_player_may_answer_a_session(svc):
    s = svc.practice.start("bank-card-swallowed", "normal", AMY)
    with pytest.raises(PermissionDenied):
        svc.practice.reply(s, "您好", BEN)


def test_trainers_assign_to_a_person_or_a_branch(svc):
    with pytest.raises(PermissionDenied):
        svc.practice.assign("bank-card-swallowed", AMY, assignee="ben")
    with pytest.raises(InputError):
        svc.practice.assign("bank-card-swallowed", TOM)
    with pytest.raises(InputError):
        svc.practice.assign("no-such-scenario", TOM, assignee="amy")
    to_branch = svc.practice.assign("bank-queue-elderly", TOM, branch="东城", note="下周前练完")
    svc.practice.assign("re-leak-repeat", TOM, assignee="ben", difficulty="hard")
    mine = svc.practice.assignments(AMY)
    assert [(a["scenario_id"], a["done"]) for a in mine] == [("bank-queue-elderly", 0)]
    assert mine[0]["title"] == "排了一上午队的老大爷"
    assert [a["scenario_id"] for a in svc.practice.assignments(BEN)] == ["re-leak-repeat"]
    _play(svc, AMY, GOOD, assignment=to_branch)
    assert svc.practice.assignments(AMY)[0]["done"] == 1
    assert len(svc.practice.assignments(TOM)) == 2


def test_export_csv_and_xlsx_in_chinese(svc):
    from openpyxl import load_workbook

    _play(svc, AMY, GOOD)
    with pytest.raises(PermissionDenied):
        svc.practice.export(AMY)
    path = svc.practice.export(TOM, "csv")
    assert path.suffix == ".csv" and path.is_relative_to(svc.settings.resolved_home())
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert rows[0][:3] == ["完成时间", "员工", "网点"] and rows[1][1] == "amy"
    assert "3F法" in rows[1][10] and rows[1][5] == "标准" and rows[1][4] == "银行"
    book = load_workbook(svc.practice.export(TOM, "xlsx"))
    assert book.sheetnames == ["练习成绩", "按员工", "按技巧"]
    assert book["按员工"]["A2"].value == "amy"


def test_cli_plays_a_scripted_session_and_lists_scenarios(tmp_path):
    env = {**os.environ, "ASSISTANT_HOME": str(tmp_path), "ASSISTANT_EMBEDDER": "hash"}
    replies = tmp_path / "replies.txt"
    replies.write_text("\n".join(GOOD), encoding="utf-8")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "assistant", "practice", *args], capture_output=True, env=env,
                              cwd=PROJECT_ROOT, timeout=120, text=True)

    listed = run("--list", "--json")
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) >= 20
    p = run("--scenario", "bank-queue-elderly", "--replies", str(replies), "--no-model", "--json")
    assert p.returncode == 0, p.stderr
    session = json.loads(p.stdout)
    assert session["finished"] and session["score"] >= 75
    assert all(e["seconds"] is None for e in session["exchanges"])  # a script's time is not scored
    short = run("--scenario", "bank-queue-elderly", "--replies", str(replies), "--no-model", "--difficulty", "hard")
    assert "总分" in short.stdout or "没有结束" in short.stdout
    bad = run("--scenario", "nope", "--replies", str(replies))
    assert bad.returncode == 2 and "没有这个练习场景" in bad.stderr and "no practice scenario" in bad.stderr


@pytest.fixture(params=["sqlite", "postgresql"])
def practice_log(request, tmp_path):
    from assistant.records.db import Database
    from assistant.records.practice import PracticeLog

    url = f"sqlite:///{tmp_path / 'audit.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    return PracticeLog(Database(url))


def test_the_store_on_sqlite_and_postgresql(practice_log):
    from assistant.records.practice import PracticeLog
    from assistant.reply.practice import library, play

    scenarios, personas = library()
    session = play(scenarios["bank-queue-elderly"], personas, GOOD).model_dump()
    aid = practice_log.assign(scenario_id="bank-queue-elderly", difficulty="normal", assignee="", branch="东城",
                              assigned_by="tom")
    practice_log.record(user="amy", branch="东城", session=session, scenario_title="老大爷", domain="bank",
                        assignment_id=aid)
    assert [r["user"] for r in practice_log.sessions(branch="东城")] == ["amy"]
    assert practice_log.sessions(user="ben") == []
    assert [a["done"] for a in practice_log.assignments(user="amy", branch="东城")] == [1]
    assert [a["done"] for a in practice_log.assignments(user="ben", branch="东城")] == [0]
    assert practice_log.assignments(user="cat", branch="西城") == []
    assert PracticeLog(practice_log.db).schema_version == 1  # a second start adds nothing
