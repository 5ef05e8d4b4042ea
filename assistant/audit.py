"""Audit log: every suggestion, answer, edit and rating, redacted, in SQLite (WAL) under ASSISTANT_HOME.

Writes never break the desk: a locked database or a full disk is reported to the caller, which
keeps the suggestion and surfaces the failure. Rows already stored are never rewritten except by
the feedback and rating columns they own.
"""

from __future__ import annotations

import csv
import difflib
import json
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from assistant.redact import redact

SCHEMA = """
CREATE TABLE IF NOT EXISTS interactions (
    id TEXT PRIMARY KEY,
    ts REAL NOT NULL,
    user TEXT NOT NULL,
    kind TEXT NOT NULL,
    domain TEXT,
    redacted_text TEXT NOT NULL,
    flags TEXT NOT NULL DEFAULT '',
    analysis_json TEXT,
    techniques_json TEXT,
    draft TEXT,
    draft_source TEXT,
    timings_json TEXT,
    final_text TEXT,
    feedback TEXT,
    feedback_ts REAL,
    edit_distance INTEGER,
    rating INTEGER,
    reasons_json TEXT,
    comment TEXT
);
CREATE INDEX IF NOT EXISTS ix_ts ON interactions(ts);
"""
FEEDBACK = {"adopted": "采用", "edited": "修改后采用", "rejected": "不采用"}
REASON_TAGS = ["答非所问", "内容缺失", "事实错误", "话术不当", "违规承诺", "其他"]
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def edit_distance(a: str, b: str) -> int:
    """Character edits between the suggestion and what staff sent (insert + delete + replace)."""
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in sm.get_opcodes() if tag != "equal")


def csv_safe(value: object) -> str:
    """Spreadsheet formula injection: a cell that starts with = + - @ is prefixed with a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


@dataclass
class AuditLog:
    path: Path

    def __post_init__(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._conn() as c:
            c.executescript(SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=2.0, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.row_factory = sqlite3.Row
            self._local.conn = conn
        return conn

    def record_suggest(self, user: str, result: dict) -> str:
        a = result["analysis"]
        rid = uuid.uuid4().hex[:16]
        self._conn().execute(
            "INSERT INTO interactions (id, ts, user, kind, domain, redacted_text, flags, analysis_json, techniques_json,"
            " draft, draft_source, timings_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (rid, time.time(), user, "suggest", a["domain"], result["redacted_text"], ",".join(a["flags"]),
             json.dumps(a, ensure_ascii=False),
             json.dumps([{"id": t["id"], "title": t["title"]} for t in result["techniques"]], ensure_ascii=False),
             result["draft"], result.get("draft_source"), json.dumps(result.get("timings_ms", {}))),
        )
        return rid

    def record_ask(self, user: str, question_redacted: str, answer: dict) -> str:
        rid = uuid.uuid4().hex[:16]
        self._conn().execute(
            "INSERT INTO interactions (id, ts, user, kind, redacted_text, draft, analysis_json) VALUES (?,?,?,?,?,?,?)",
            (rid, time.time(), user, "ask", question_redacted, answer["answer"],
             json.dumps({"found": answer["found"], "citations": answer["citations"]}, ensure_ascii=False)),
        )
        return rid

    def feedback(self, rid: str, kind: str, final_text: str) -> None:
        if kind not in FEEDBACK:
            raise ValueError(kind)
        row = self.get(rid)
        final = redact(final_text or row["draft"] or "")
        self._conn().execute(
            "UPDATE interactions SET feedback=?, feedback_ts=?, final_text=?, edit_distance=? WHERE id=?",
            (kind, time.time(), final, edit_distance(row["draft"] or "", final), rid),
        )

    def rate(self, rid: str, rating: int, reasons: list[str], comment: str) -> None:
        bad = [r for r in reasons if r not in REASON_TAGS]
        if bad or not 1 <= rating <= 5:
            raise ValueError(f"rating {rating} / reasons {bad}")
        self._conn().execute("UPDATE interactions SET rating=?, reasons_json=?, comment=? WHERE id=?",
                             (rating, json.dumps(reasons, ensure_ascii=False), redact(comment), rid))

    def get(self, rid: str) -> sqlite3.Row:
        row = self._conn().execute("SELECT * FROM interactions WHERE id=?", (rid,)).fetchone()
        if row is None:
            raise KeyError(rid)
        return row

    def query(self, *, kind: str | None = "suggest", flag: str | None = None, feedback: str | None = None,
              rating: int | None = None, since: float | None = None, until: float | None = None,
              limit: int = 500) -> list[dict]:
        sql, args = "SELECT * FROM interactions WHERE 1=1", []
        for clause, value in (("kind=?", kind), ("feedback=?", feedback), ("rating=?", rating),
                              ("ts>=?", since), ("ts<?", until)):
            if value is not None:
                sql += f" AND {clause}"
                args.append(value)
        if flag:
            sql += " AND (',' || flags || ',') LIKE ?"
            args.append(f"%,{flag},%")
        sql += " ORDER BY ts DESC LIMIT ?"
        args.append(limit)
        return [dict(r) for r in self._conn().execute(sql, args).fetchall()]

    def count(self, kind: str | None = None) -> int:
        sql = "SELECT COUNT(*) FROM interactions" + (" WHERE kind=?" if kind else "")
        return self._conn().execute(sql, (kind,) if kind else ()).fetchone()[0]

    def stats(self) -> dict:
        rows = self.query(limit=100_000)
        judged = [r for r in rows if r["feedback"]]
        share = {k: (sum(r["feedback"] == k for r in judged) / len(judged) if judged else 0.0) for k in FEEDBACK}
        edited = [r for r in judged if r["feedback"] == "edited"]
        dropped: dict[str, int] = {}
        for r in judged:
            if r["feedback"] in ("edited", "rejected"):
                for t in json.loads(r["techniques_json"] or "[]")[:3]:
                    dropped[t["title"]] = dropped.get(t["title"], 0) + 1
        return {
            "suggestions": len(rows), "with_feedback": len(judged), "share": share,
            "mean_edit_distance": (sum(r["edit_distance"] or 0 for r in edited) / len(edited)) if edited else 0.0,
            "techniques_edited_or_rejected": dict(sorted(dropped.items(), key=lambda kv: -kv[1])[:10]),
        }

    def export_csv(self, path: Path, rows: list[dict]) -> Path:
        cols = ["id", "ts", "user", "domain", "flags", "redacted_text", "draft", "draft_source", "final_text",
                "feedback", "edit_distance", "rating", "reasons_json", "comment"]
        with open(path, "w", newline="", encoding="utf-8-sig") as fh:
            w = csv.writer(fh)
            w.writerow(cols)
            for r in rows:
                w.writerow([csv_safe(time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(r["ts"])) if c == "ts"
                                     else r.get(c)) for c in cols])
        return path


def promote_to_case(row: sqlite3.Row, folder: Path) -> Path:
    """A dev eval case from a logged suggestion: expectations start from what the trainer accepted."""
    import yaml

    a = json.loads(row["analysis_json"] or "{}")
    techniques = [t["id"] for t in json.loads(row["techniques_json"] or "[]")]
    case = {
        "id": f"promoted-{row['id']}", "split": "dev", "domain": row["domain"] or "bank",
        "scenario": f"培训审阅提升的真实交互({time.strftime('%Y-%m-%d', time.localtime(row['ts']))})",
        "text": row["redacted_text"],
        "expect": {"techniques_any": techniques[:3], "flags": a.get("flags", [])},
        "draft": {"next_step": True},
        "notes": (row["comment"] or "") + (f" 员工最终回复:{row['final_text']}" if row["final_text"] else ""),
    }
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{case['id']}.yaml"
    path.write_text(yaml.safe_dump([case], allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
