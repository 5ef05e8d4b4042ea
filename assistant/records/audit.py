"""Audit log: every suggestion, answer, edit and rating, redacted: SQLite (WAL) under ASSISTANT_HOME,
or the shared PostgreSQL database of a multi-replica deployment.

Writes never break the desk: a locked database or a full disk is reported to the caller, which
keeps the suggestion and surfaces the failure. Rows already stored are never rewritten except by
the feedback and rating columns they own.
"""

from __future__ import annotations

import csv
import difflib
import json
import os
import socket
import sys
import time
import uuid
from pathlib import Path

from assistant.records.db import Database, Migration, add_column, create_table, open_database
from assistant.text.redact import redact


def _v1_interactions(conn) -> None:
    from sqlalchemy import Column, Float, Index, Integer, MetaData, String, Table, Text

    t = Table(
        "interactions", MetaData(),
        Column("id", String(32), primary_key=True), Column("ts", Float, nullable=False),
        Column("user", Text, nullable=False), Column("kind", Text, nullable=False), Column("domain", Text),
        Column("redacted_text", Text, nullable=False), Column("flags", Text, nullable=False, server_default=""),
        Column("analysis_json", Text), Column("techniques_json", Text), Column("draft", Text),
        Column("draft_source", Text), Column("timings_json", Text), Column("final_text", Text),
        Column("feedback", Text), Column("feedback_ts", Float), Column("edit_distance", Integer),
        Column("rating", Integer), Column("reasons_json", Text), Column("comment", Text),
    )
    create_table(conn, t, Index("ix_ts", t.c.ts))


def _index(conn, name: str, *columns: str) -> None:
    from sqlalchemy import text

    conn.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON interactions ({', '.join(columns)})"))


MIGRATIONS = [
    Migration(1, "interactions table (the pre-versioning SQLite schema)", _v1_interactions),
    # several replicas write one log: which one served a request matters when one misbehaves
    Migration(2, "interactions.replica", lambda conn: add_column(conn, "interactions", "replica", "TEXT")),
    # the review statistics group by feedback over every suggestion of every branch
    Migration(3, "index on (kind, feedback, ts)", lambda conn: _index(conn, "ix_kind_feedback_ts",
                                                                       "kind", "feedback", "ts")),
    # rows that came through the HTTP API say so ("api"); the page and the CLI leave it empty
    Migration(4, "interactions.channel", lambda conn: add_column(conn, "interactions", "channel", "TEXT")),
]

FEEDBACK = {"adopted": "采用", "edited": "修改后采用", "rejected": "不采用"}
REASON_TAGS = ["答非所问", "内容缺失", "事实错误", "话术不当", "违规承诺", "其他"]
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
# the "often edited away" chart reads this many of the latest edited or rejected suggestions
STATS_RECENT_JUDGED = 5000


def edit_distance(a: str, b: str) -> int:
    """Character edits between the suggestion and what staff sent (insert + delete + replace)."""
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in sm.get_opcodes() if tag != "equal")


def csv_safe(value: object) -> str:
    """Spreadsheet formula injection: a cell that starts with = + - @ is prefixed with a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


Sheet = tuple[str, list | None, list[list]]  # (title, header row or None, rows)


def write_table(path: Path, sheets: list[Sheet]) -> Path:
    """Exports as staff open them: XLSX with one worksheet per sheet when the path says .xlsx, else
    CSV (UTF-8 with BOM, for Excel) of the first sheet. Cells are written as given: callers pass
    them through csv_safe."""
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        for i, (title, header, rows) in enumerate(sheets):
            ws = wb.active if i == 0 else wb.create_sheet()
            ws.title = title
            for row in ([header] if header else []) + rows:
                ws.append(row)
        wb.save(path)
        return path
    title, header, rows = sheets[0]
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        if header:
            w.writerow(header)
        w.writerows(rows)
    return path


class AuditLog:
    def __init__(self, db: Database, replica: str | None = None) -> None:
        self.db = db
        self.path = db.path  # the SQLite file, when there is one
        self.replica = replica or socket.gethostname()
        self.schema_version = db.migrate("audit", MIGRATIONS)

    def record_suggest(self, user: str, result: dict, channel: str | None = None) -> str:
        a = result["analysis"]
        rid = uuid.uuid4().hex[:16]
        self.db.execute(
            'INSERT INTO interactions (id, ts, "user", kind, domain, redacted_text, flags, analysis_json,'
            " techniques_json, draft, draft_source, timings_json, replica, channel) VALUES (:id, :ts, :user, :kind,"
            " :domain, :text, :flags, :analysis, :techniques, :draft, :source, :timings, :replica, :channel)",
            {"id": rid, "ts": time.time(), "user": user, "kind": "suggest", "domain": a["domain"],
             "text": result["redacted_text"], "flags": ",".join(a["flags"]),
             "analysis": json.dumps(a, ensure_ascii=False),
             "techniques": json.dumps([{"id": t["id"], "title": t["title"]} for t in result["techniques"]],
                                      ensure_ascii=False),
             "draft": result["draft"], "source": result.get("draft_source"),
             "timings": json.dumps(result.get("timings_ms", {})), "replica": self.replica, "channel": channel},
        )
        return rid

    def record_ask(self, user: str, question_redacted: str, answer: dict, channel: str | None = None) -> str:
        rid = uuid.uuid4().hex[:16]
        self.db.execute(
            'INSERT INTO interactions (id, ts, "user", kind, redacted_text, draft, analysis_json, replica, channel)'
            " VALUES (:id, :ts, :user, 'ask', :text, :answer, :analysis, :replica, :channel)",
            {"id": rid, "ts": time.time(), "user": user, "text": question_redacted, "answer": answer["answer"],
             "analysis": json.dumps({"found": answer["found"], "citations": answer["citations"]}, ensure_ascii=False),
             "replica": self.replica, "channel": channel},
        )
        return rid

    def feedback(self, rid: str, kind: str, final_text: str) -> None:
        if kind not in FEEDBACK:
            raise ValueError(kind)
        row = self.get(rid)
        final = redact(final_text or row["draft"] or "")
        self.db.execute(
            "UPDATE interactions SET feedback=:kind, feedback_ts=:ts, final_text=:final, edit_distance=:dist"
            " WHERE id=:id",
            {"kind": kind, "ts": time.time(), "final": final, "dist": edit_distance(row["draft"] or "", final),
             "id": rid},
        )

    def rate(self, rid: str, rating: int, reasons: list[str], comment: str) -> None:
        bad = [r for r in reasons if r not in REASON_TAGS]
        if bad or not 1 <= rating <= 5:
            raise ValueError(f"rating {rating} / reasons {bad}")
        self.db.execute("UPDATE interactions SET rating=:r, reasons_json=:reasons, comment=:c WHERE id=:id",
                        {"r": rating, "reasons": json.dumps(reasons, ensure_ascii=False), "c": redact(comment),
                         "id": rid})

    def get(self, rid: str) -> dict:
        row = self.db.one("SELECT * FROM interactions WHERE id=:id", {"id": rid})
        if row is None:
            raise KeyError(rid)
        return row

    def query(self, *, kind: str | None = "suggest", flag: str | None = None, feedback: str | None = None,
              rating: int | None = None, since: float | None = None, until: float | None = None,
              limit: int | None = 500) -> list[dict]:
        sql, args = "SELECT * FROM interactions WHERE 1=1", {"limit": limit}
        for clause, name, value in (("kind=:kind", "kind", kind), ("feedback=:feedback", "feedback", feedback),
                                    ("rating=:rating", "rating", rating), ("ts>=:since", "since", since),
                                    ("ts<:until", "until", until)):
            if value is not None:
                sql += f" AND {clause}"
                args[name] = value
        if flag:
            sql += " AND (',' || flags || ',') LIKE :flag"
            args["flag"] = f"%,{flag},%"
        return self.db.all(sql + " ORDER BY ts DESC" + (" LIMIT :limit" if limit is not None else ""), args)

    def count(self, kind: str | None = None) -> int:
        sql = "SELECT COUNT(*) AS n FROM interactions" + (" WHERE kind=:kind" if kind else "")
        return int(self.db.one(sql, {"kind": kind})["n"])

    def stats(self) -> dict:
        """Shares and distances counted by the database over every suggestion; the techniques staff
        edit away are read from the most recent judged rows only, which bounds the transfer."""
        counts = {r["feedback"]: int(r["n"]) for r in self.db.all(
            "SELECT feedback, COUNT(*) AS n FROM interactions WHERE kind='suggest' GROUP BY feedback")}
        total = sum(counts.values())
        judged = sum(n for k, n in counts.items() if k)
        share = {k: (counts.get(k, 0) / judged if judged else 0.0) for k in FEEDBACK}
        mean = self.db.one("SELECT AVG(COALESCE(edit_distance, 0)) AS d FROM interactions"
                           " WHERE kind='suggest' AND feedback='edited'")["d"]
        dropped: dict[str, int] = {}
        for r in self.db.all("SELECT techniques_json FROM interactions WHERE kind='suggest'"
                             " AND feedback IN ('edited', 'rejected') ORDER BY ts DESC LIMIT :n",
                             {"n": STATS_RECENT_JUDGED}):
            for t in json.loads(r["techniques_json"] or "[]")[:3]:
                dropped[t["title"]] = dropped.get(t["title"], 0) + 1
        return {
            "suggestions": total, "with_feedback": judged, "share": share,
            "mean_edit_distance": float(mean or 0.0),
            "techniques_edited_or_rejected": dict(sorted(dropped.items(), key=lambda kv: -kv[1])[:10]),
        }

    def export_csv(self, path: Path, rows: list[dict]) -> Path:
        """Chinese headers and labels, the same names the review screen shows (assistant.labels)."""
        with open(path, "w", newline="", encoding="utf-8-sig") as fh:
            w = csv.writer(fh)
            w.writerow(CSV_COLUMNS.values())
            for r in rows:
                w.writerow([csv_safe(_csv_cell(c, r.get(c))) for c in CSV_COLUMNS])
        return path


CSV_COLUMNS = {"id": "编号", "ts": "时间", "user": "用户", "domain": "领域", "flags": "风险",
               "redacted_text": "客户原话(已脱敏)", "draft": "建议草稿", "draft_source": "草稿来源",
               "final_text": "员工最终回复", "feedback": "反馈", "edit_distance": "编辑距离(字)", "rating": "评分",
               "reasons_json": "原因", "comment": "评语"}


def _csv_cell(column: str, value: object) -> object:
    from assistant.labels import DOMAINS, DRAFT_SOURCES, FLAGS

    if value is None:
        return None
    if column == "ts":
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(value))
    if column == "flags":
        return "、".join(FLAGS.get(f, f) for f in str(value).split(",") if f)
    if column == "reasons_json":
        return "、".join(json.loads(value or "[]"))
    table = {"domain": DOMAINS, "draft_source": DRAFT_SOURCES, "feedback": FEEDBACK}.get(column)
    return table.get(value, value) if table else value


def promote_to_case(row: dict, folder: Path, techniques: list[str] | None = None,
                    flags: list[str] | None = None) -> Path:
    """A dev eval case from a reviewed suggestion. The trainer's correction is the expected answer:
    the techniques and flags the trainer marked and the reply staff finally sent. Without a
    correction (None) the assistant's own picks and flags are kept, as a plain record."""
    import yaml

    a = json.loads(row["analysis_json"] or "{}")
    marked = techniques is not None
    if techniques is None:
        techniques = [t["id"] for t in json.loads(row["techniques_json"] or "[]")][:3]
    case = {
        "id": f"promoted-{row['id']}", "split": "dev", "domain": row["domain"] or "bank",
        "scenario": f"培训审阅提升的真实交互({time.strftime('%Y-%m-%d', time.localtime(row['ts']))})",
        "text": row["redacted_text"],
        "expect": {"techniques_any": list(techniques), "flags": list(a.get("flags", []) if flags is None else flags)},
        "draft": {"next_step": True},
    }
    if row["final_text"]:
        case["reference"] = row["final_text"]
    case["notes"] = " ".join(x for x in (
        row["comment"] or "", f"评分 {row['rating']}" if row["rating"] else "",
        "期望技巧由培训师标注" if marked else "") if x)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{case['id']}.yaml"
    path.write_text(yaml.safe_dump([case], allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def open_audit(settings) -> AuditLog:
    return AuditLog(open_database(settings.database_url("audit.db")),
                    settings.replica or f"{socket.gethostname()}:{settings.port}")


def sweep_exports(folder: Path, ttl_s: float, now: float | None = None) -> int:
    """Remove exported files older than ttl_s: an export is for downloading now, not a second copy
    of the log. Returns how many went; a file another replica or request removed first is skipped.
    ttl_s <= 0 keeps every file."""
    if ttl_s <= 0 or not folder.is_dir():
        return 0
    cutoff = (time.time() if now is None else now) - ttl_s
    removed = 0
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    if entry.is_dir(follow_symlinks=False) or entry.stat(follow_symlinks=False).st_mtime >= cutoff:
                        continue
                    os.unlink(entry.path)
                    removed += 1
                except OSError:
                    continue
    except OSError as exc:  # an unreadable folder must not stop the service; the next export tries again
        print(f"导出目录清理失败 / could not sweep {folder}: {exc}", file=sys.stderr, flush=True)
    return removed
