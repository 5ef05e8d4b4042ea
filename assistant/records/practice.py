"""Practice scores and assignments, in the audit log's database (SQLite under ASSISTANT_HOME or the
shared PostgreSQL): trainers read them beside the live suggestions they review.

A finished session is one row; its transcript is stored redacted, since staff may type a made-up
phone number as readily as a real one. Assignments name a person, or a whole branch when the
assignee is empty.
"""

from __future__ import annotations

import importlib.util
import json
import time
import uuid
from pathlib import Path

from assistant.errors import MissingDependency
from assistant.records.audit import csv_safe, write_table
from assistant.records.db import Database, Migration, create_table, open_database
from assistant.text.redact import redact


def _v1_practice(conn) -> None:
    from sqlalchemy import Column, Float, Index, Integer, MetaData, String, Table, Text

    meta = MetaData()
    sessions = Table(
        "practice_sessions", meta,
        Column("id", String(32), primary_key=True), Column("ts", Float, nullable=False),
        Column("started", Float), Column("user", Text, nullable=False), Column("branch", Text, nullable=False,
                                                                               server_default=""),
        Column("scenario_id", Text, nullable=False), Column("scenario_title", Text), Column("domain", Text),
        Column("difficulty", Text), Column("score", Integer, nullable=False), Column("start_mood", Integer),
        Column("final_mood", Integer), Column("replies", Integer), Column("techniques", Text, nullable=False,
                                                                         server_default=""),
        Column("transcript_json", Text), Column("reasons_json", Text), Column("assignment_id", Text),
    )
    assignments = Table(
        "practice_assignments", meta,
        Column("id", String(32), primary_key=True), Column("ts", Float, nullable=False),
        Column("scenario_id", Text, nullable=False), Column("difficulty", Text, nullable=False),
        Column("assignee", Text, nullable=False, server_default=""), Column("branch", Text, nullable=False,
                                                                            server_default=""),
        Column("assigned_by", Text, nullable=False), Column("note", Text),
    )
    # the trainer's charts read one person's or one branch's sessions over time
    create_table(conn, sessions, Index("ix_practice_user_ts", sessions.c.user, sessions.c.ts),
                 Index("ix_practice_branch_ts", sessions.c.branch, sessions.c.ts))
    create_table(conn, assignments, Index("ix_assign_assignee", assignments.c.assignee, assignments.c.branch))


# one store, one migration: practice has its own component in schema_migrations, beside audit's
MIGRATIONS = [Migration(1, "practice_sessions and practice_assignments", _v1_practice)]

COLUMNS = {"ts": "完成时间", "user": "员工", "branch": "网点", "scenario_title": "场景", "domain": "领域",
           "difficulty": "难度", "score": "得分", "start_mood": "开场情绪", "final_mood": "结束情绪",
           "replies": "回复轮数", "techniques": "用到的技巧", "reasons_json": "得分理由"}


class PracticeLog:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.schema_version = db.migrate("practice", MIGRATIONS)

    def record(self, *, user: str, branch: str, session: dict, scenario_title: str, domain: str,
               assignment_id: str | None = None) -> str:
        """A finished session (Session.model_dump()): the score, the reasons and the redacted transcript."""
        transcript = [{**e, "reply": redact(e.get("reply") or ""),
                       "model_reply": redact(e.get("model_reply") or "")} for e in session["exchanges"]]
        techniques = list(dict.fromkeys(t for e in session["exchanges"] for t in e.get("techniques", [])))
        self.db.execute(
            'INSERT INTO practice_sessions (id, ts, started, "user", branch, scenario_id, scenario_title, domain,'
            " difficulty, score, start_mood, final_mood, replies, techniques, transcript_json, reasons_json,"
            " assignment_id) VALUES (:id, :ts, :started, :user, :branch, :scenario, :title, :domain, :difficulty,"
            " :score, :start, :final, :replies, :techniques, :transcript, :reasons, :assignment)",
            {"id": session["id"], "ts": time.time(), "started": session.get("started"), "user": user,
             "branch": branch or "", "scenario": session["scenario_id"], "title": scenario_title, "domain": domain,
             "difficulty": session["difficulty"], "score": session["score"], "start": session["start_mood"],
             "final": session["mood"], "replies": sum(1 for e in session["exchanges"] if e.get("score") is not None),
             "techniques": ",".join(techniques), "transcript": json.dumps(transcript, ensure_ascii=False),
             "reasons": json.dumps(session.get("reasons", []), ensure_ascii=False), "assignment": assignment_id},
        )
        return session["id"]

    def sessions(self, *, user: str | None = None, branch: str | None = None, since: float | None = None,
                 limit: int | None = 1000) -> list[dict]:
        sql, args = "SELECT * FROM practice_sessions WHERE 1=1", {"limit": limit}
        for clause, name, value in (('"user"=:user', "user", user), ("branch=:branch", "branch", branch),
                                    ("ts>=:since", "since", since)):
            if value is not None:
                sql += f" AND {clause}"
                args[name] = value
        return self.db.all(sql + " ORDER BY ts DESC" + (" LIMIT :limit" if limit is not None else ""), args)

    def get(self, sid: str) -> dict:
        row = self.db.one("SELECT * FROM practice_sessions WHERE id=:id", {"id": sid})
        if row is None:
            raise KeyError(sid)
        return row

    def assign(self, *, scenario_id: str, difficulty: str, assignee: str, branch: str, assigned_by: str,
               note: str = "") -> str:
        aid = uuid.uuid4().hex[:16]
        self.db.execute("INSERT INTO practice_assignments VALUES (:id, :ts, :scenario, :difficulty, :assignee,"
                        " :branch, :by, :note)",
                        {"id": aid, "ts": time.time(), "scenario": scenario_id, "difficulty": difficulty,
                         "assignee": assignee, "branch": branch, "by": assigned_by, "note": note})
        return aid

    def assignments(self, *, user: str | None = None, branch: str | None = None) -> list[dict]:
        """Every assignment (user None), or those for one person: named, or to their whole branch. Each
        carries whether that person has finished it (done: sessions recorded against it)."""
        if user is None:
            rows = self.db.all("SELECT a.*, (SELECT COUNT(*) FROM practice_sessions s WHERE s.assignment_id=a.id)"
                               " AS done FROM practice_assignments a ORDER BY a.ts DESC")
        else:
            rows = self.db.all(
                "SELECT a.*, (SELECT COUNT(*) FROM practice_sessions s WHERE s.assignment_id=a.id AND"
                ' s."user"=:user) AS done FROM practice_assignments a WHERE a.assignee=:user OR'
                " (a.assignee='' AND a.branch<>'' AND a.branch=:branch) ORDER BY a.ts DESC",
                {"user": user, "branch": branch or ""})
        return [{**r, "done": int(r["done"] or 0)} for r in rows]


def summary(rows: list[dict], titles: dict[str, str]) -> dict:
    """Scores over time per person and per technique, from session rows (newest first, as queried).
    per_person: sessions, mean, latest and the (time, score) series; per_technique: sessions that
    used it and their mean score, keyed by the card title."""
    people: dict[str, list[tuple[float, int]]] = {}
    techniques: dict[str, list[int]] = {}
    for r in rows:
        people.setdefault(r["user"], []).append((r["ts"], int(r["score"])))
        for t in filter(None, (r["techniques"] or "").split(",")):
            techniques.setdefault(titles.get(t, t), []).append(int(r["score"]))
    return {
        "per_person": {u: {"sessions": len(s), "mean": round(sum(x for _, x in s) / len(s), 1), "latest": s[0][1],
                           "series": sorted(s)} for u, s in sorted(people.items())},
        "per_technique": {t: {"sessions": len(s), "mean": round(sum(s) / len(s), 1)}
                          for t, s in sorted(techniques.items(), key=lambda kv: -len(kv[1]))},
    }


def xlsx_available() -> bool:
    return importlib.util.find_spec("openpyxl") is not None


def export(path: Path, rows: list[dict], titles: dict[str, str], labels: dict[str, dict]) -> Path:
    """Chinese headers and names: CSV, or XLSX (with a per-person and a per-technique sheet) when the
    path says so and openpyxl is installed. Every cell is guarded against spreadsheet formulas."""
    table = [[csv_safe(_cell(c, r.get(c), titles, labels)) for c in COLUMNS] for r in rows]
    if path.suffix == ".xlsx":
        if not xlsx_available():
            raise MissingDependency("openpyxl", "pip install openpyxl==3.1.5")
        s = summary(rows, titles)
        return write_table(path, [
            ("练习成绩", list(COLUMNS.values()), table),
            ("按员工", ["员工", "练习次数", "平均分", "最近一次"],
             [[csv_safe(user), v["sessions"], v["mean"], v["latest"]] for user, v in s["per_person"].items()]),
            ("按技巧", ["技巧", "用到的练习次数", "这些练习的平均分"],
             [[csv_safe(title), v["sessions"], v["mean"]] for title, v in s["per_technique"].items()])])
    return write_table(path, [("练习成绩", list(COLUMNS.values()), table)])


def _cell(column: str, value: object, titles: dict[str, str], labels: dict[str, dict]) -> object:
    if value is None:
        return ""
    if column == "ts":
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(float(value)))
    if column == "techniques":
        return "、".join(titles.get(t, t) for t in str(value).split(",") if t)
    if column == "reasons_json":
        return ";".join(r["text"] for r in json.loads(str(value) or "[]"))
    table = labels.get(column)
    return table.get(value, value) if table else value


def open_practice(settings) -> PracticeLog:
    return PracticeLog(open_database(settings.database_url("audit.db")))
