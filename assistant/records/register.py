"""Complaint register: first-contact records, workflow, deadlines, counting rules and statistics.

Contact details are encrypted at rest (Fernet); the key file is created 0600 under ASSISTANT_HOME
or comes from ASSISTANT_REGISTER_KEY. Matter and demand are stored redacted. Time comes from an
injected clock so deadlines are exact in tests.
"""

from __future__ import annotations

import os
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from assistant.errors import AssistantError, InputError, PermissionDenied
from assistant.records.audit import csv_safe, write_table
from assistant.records.db import Database, Migration, create_table, open_database
from assistant.records.users import User
from assistant.text.redact import redact

STATUSES = ["受理", "处理中", "已回复客户", "已办结", "已回访", "升级"]
NEXT = {
    "受理": {"处理中", "升级"},
    "处理中": {"已回复客户", "升级"},
    "已回复客户": {"已办结", "处理中", "升级"},
    "已办结": {"已回访", "处理中"},
    "已回访": {"处理中"},
    "升级": {"处理中", "已回复客户", "已办结"},
}
CLOSED = {"已办结", "已回访"}
RESPONSIBILITY = ["未定", "有责", "无责", "双方责任"]
COUNT_CLASSES = ["不纳入统计", "咨询类", "投诉"]
# the emergency plan's 15 situation types (四(三)1-15); 1 is the general complaint
PLAN_CLASSES = {
    1: "一般投诉", 2: "投产引发", 3: "挂失", 4: "紧急用款", 5: "ATM不能取款", 6: "客户信息异常",
    7: "业务异常", 8: "等待过长", 9: "再次/越级/群体", 10: "索赔", 11: "情绪暴躁/醉酒",
    12: "精神疾病/无理取闹", 13: "跨省业务", 14: "媒体", 15: "其他突发事件",
}
# the topic and the three JR/T 0169-2018 codes (bank); a real-estate topic's category and item fill
# business and cause, its channel stays empty
CODE_COLUMNS = ("topic", "business", "cause", "channel")
CODE_NAMES = {"topic": "主题", "business": "业务类别", "cause": "投诉原因", "channel": "办理渠道"}


def topic_codes(topic: dict | None) -> dict[str, str]:
    """The register's code columns from a suggestion's analysis["topic"] ({"id", "codes", …} or None)."""
    if not topic or topic.get("id") in (None, "", "other"):
        return {"topic": (topic or {}).get("id") or "", "business": "", "cause": "", "channel": ""}
    codes = topic.get("codes") or {}
    return {"topic": str(topic["id"]),
            "business": str(codes.get("business") or codes.get("business_type") or codes.get("category") or ""),
            "cause": str(codes.get("cause") or codes.get("item") or ""),
            "channel": str(codes.get("channel") or "")}


LIMITS = {"onsite": timedelta(hours=1), "reply": timedelta(hours=4), "report": timedelta(hours=8)}
FORMAL_DAYS, COMPLEX_DAYS = 15, 30



def _v1_tables(conn) -> None:
    from sqlalchemy import Column, Index, Integer, LargeBinary, MetaData, String, Table, Text

    md = MetaData()
    cases = Table(
        "cases", md,
        Column("id", String(32), primary_key=True), Column("received_at", Text, nullable=False),
        Column("branch", Text, nullable=False), Column("owner", Text, nullable=False), Column("handler", Text),
        Column("status", Text, nullable=False), Column("matter", Text, nullable=False), Column("demand", Text),
        Column("flags", Text, nullable=False, server_default=""), Column("plan_class", Integer, nullable=False),
        Column("name_enc", LargeBinary), Column("phone_enc", LargeBinary),
        *[Column(c, Integer, nullable=False, server_default="0")
          for c in ("formal", "complex", "external", "repeat", "escalated")],
        Column("responsibility", Text, nullable=False, server_default="未定"),
        Column("count_override", Text), Column("override_reason", Text), Column("audit_id", Text),
    )
    events = Table(
        "events", md,
        Column("case_id", Text, nullable=False), Column("ts", Text, nullable=False),
        Column("user", Text, nullable=False), Column("action", Text, nullable=False), Column("detail", Text),
    )
    create_table(conn, cases)
    create_table(conn, events, Index("ix_events", events.c.case_id))


def _v2_meta(conn) -> None:
    from sqlalchemy import Column, MetaData, String, Table, Text

    create_table(conn, Table("register_meta", MetaData(), Column("name", String(40), primary_key=True),
                             Column("value", Text, nullable=False)))


def _v3_codes(conn) -> None:
    from assistant.records.db import add_column

    for column in CODE_COLUMNS:
        add_column(conn, "cases", column, "TEXT")


MIGRATIONS = [
    Migration(1, "cases and events (the pre-versioning SQLite schema)", _v1_tables),
    # replicas sharing one database must share the key; a token encrypted with it proves they do
    Migration(2, "register_meta with the key check", _v2_meta),
    Migration(3, "topic and its classification codes (JR/T 0169-2018 business type, cause, channel)", _v3_codes),
]
KEY_CHECK = b"register-key-check"


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """For tests and drills: time moves only when told."""

    def __init__(self, start: datetime) -> None:
        self.t = start

    def now(self) -> datetime:
        return self.t

    def advance(self, **delta: float) -> None:
        self.t += timedelta(**delta)


def plan_class(flags: list[str], text: str) -> int:
    checks = [
        (14, "media_exposure" in flags), (11, "safety_risk" in flags),
        (9, bool({"group_complaint", "repeat_complaint", "regulator_escalation"} & set(flags))),
        (10, "compensation_claim" in flags), (3, "挂失" in text), (4, "用款" in text),
        (5, "ATM" in text.upper() or "取款机" in text), (6, "信息" in text and "异常" in text),
        (13, "跨省" in text or "外省" in text), (7, any(w in text for w in ("转账", "现金", "结算", "汇款"))),
        (8, any(w in text for w in ("排队", "等了", "等候", "叫号"))),
    ]
    return next((code for code, hit in checks if hit), 1)


def date_range(date_from: str | None, date_to: str | None) -> tuple[datetime | None, datetime | None]:
    """YYYY-MM-DD bounds, both days included; empty means open."""
    def day(text: str | None) -> datetime | None:
        text = (text or "").strip()
        if not text:
            return None
        try:
            return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError:
            raise InputError(f"日期格式应为 YYYY-MM-DD:{text[:20]}", f"dates are YYYY-MM-DD: {text[:20]}") from None

    since, until = day(date_from), day(date_to)
    if until is not None:
        until += timedelta(days=1)
    if since and until and since >= until:
        raise InputError("开始日期晚于结束日期", "the start date is after the end date")
    return since, until


def load_key(home: Path) -> bytes:
    env = os.environ.get("ASSISTANT_REGISTER_KEY")
    if env:
        return env.encode()
    from cryptography.fernet import Fernet

    path = home / "register.key"
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(Fernet.generate_key())
    return path.read_bytes().strip()


@dataclass
class Deadline:
    name: str
    due: datetime
    met_at: datetime | None

    def overdue(self, now: datetime) -> bool:
        return (self.met_at or now) > self.due

    def remaining(self, now: datetime) -> timedelta:
        return self.due - now


class Register:
    def __init__(self, db: Database, home: Path, clock: Clock | None = None) -> None:
        from cryptography.fernet import Fernet

        self.db = db
        self.path = db.path
        self.clock = clock or SystemClock()
        self.fernet = Fernet(load_key(home))
        db.migrate("register", MIGRATIONS)
        self._check_key()

    def _check_key(self) -> None:
        from cryptography.fernet import InvalidToken

        row = self.db.one("SELECT value FROM register_meta WHERE name='key_check'")
        if row is None:
            self.db.execute("INSERT INTO register_meta VALUES ('key_check', :v)",
                            {"v": self.fernet.encrypt(KEY_CHECK).decode()})
            return
        try:
            self.fernet.decrypt(row["value"].encode())
        except InvalidToken:
            raise AssistantError(
                "登记簿密钥与数据库中已加密的数据不符:多个实例共用数据库时须设置相同的 ASSISTANT_REGISTER_KEY",
                "the register key does not match the data already encrypted in this database; replicas sharing "
                "one database need the same ASSISTANT_REGISTER_KEY") from None

    def _event(self, case_id: str, user: User, action: str, detail: str = "") -> None:
        self.db.execute("INSERT INTO events VALUES (:c, :ts, :u, :a, :d)",
                        {"c": case_id, "ts": self.clock.now().isoformat(), "u": user.name, "a": action, "d": detail})

    # ---- records ---------------------------------------------------------------------------
    def create(self, user: User, *, branch: str, matter: str, demand: str = "", flags: list[str] = (),
               name: str = "", phone: str = "", formal: bool = False, external: bool = False,
               audit_id: str | None = None, topic: dict | None = None) -> str:
        """topic: the suggestion's analysis["topic"]; its classification codes are stored for the statistics."""
        user.require("feedback")
        cid = uuid.uuid4().hex[:12]
        enc = self.fernet.encrypt
        self.db.execute(
            "INSERT INTO cases (id, received_at, branch, owner, handler, status, matter, demand, flags, plan_class,"
            ' name_enc, phone_enc, formal, external, "repeat", escalated, audit_id) VALUES (:id, :at, :branch,'
            " :owner, :owner, '受理', :matter, :demand, :flags, :plan, :name, :phone, :formal, :external, :repeat,"
            " :escalated, :audit_id)",
            {"id": cid, "at": self.clock.now().isoformat(), "branch": branch, "owner": user.name,
             "matter": redact(matter), "demand": redact(demand), "flags": ",".join(flags),
             "plan": plan_class(list(flags), matter), "name": enc(name.encode()) if name else None,
             "phone": enc(phone.encode()) if phone else None, "formal": int(formal),
             "external": int(external or "regulator_escalation" in flags),
             "repeat": int("repeat_complaint" in flags), "escalated": int("regulator_escalation" in flags),
             "audit_id": audit_id},
        )
        codes = topic_codes(topic)
        if any(codes.values()):
            self.db.execute("UPDATE cases SET topic=:topic, business=:business, cause=:cause, channel=:channel"
                            " WHERE id=:id", {**codes, "id": cid})
        self._event(cid, user, "受理", "首问责任人受理")
        return cid

    def get(self, cid: str) -> dict:
        row = self.db.one("SELECT * FROM cases WHERE id=:id", {"id": cid})
        if row is None:
            raise KeyError(cid)
        for col in ("name_enc", "phone_enc"):  # PostgreSQL hands back memoryview
            if row[col] is not None:
                row[col] = bytes(row[col])
        return row

    def contact(self, cid: str, user: User) -> dict[str, str]:
        """Name and phone, decrypted only for the owning branch and for managers and trainers."""
        case = self.get(cid)
        if not (user.role in ("manager", "trainer", "admin") or (user.branch and user.branch == case["branch"])):
            raise PermissionDenied("无权查看联系方式", "may not see contact details")
        dec = self.fernet.decrypt
        return {"name": dec(case["name_enc"]).decode() if case["name_enc"] else "",
                "phone": dec(case["phone_enc"]).decode() if case["phone_enc"] else ""}

    def writable(self, cid: str, user: User) -> dict:
        """A case is changed by its branch only: its first-contact owner, or staff and managers of the
        same branch; the administrator may change any. Managers and trainers may read every branch."""
        case = self.get(cid)
        same_branch = bool(user.branch) and user.branch == case["branch"]
        if not (user.role == "admin" or case["owner"] == user.name or same_branch):
            raise PermissionDenied("只能处理本网点的投诉登记", "may only change cases of your own branch")
        return case

    def events(self, cid: str) -> list[dict]:
        return self.db.all("SELECT * FROM events WHERE case_id=:c ORDER BY ts", {"c": cid})

    def move(self, cid: str, status: str, user: User, detail: str = "") -> None:
        case = self.writable(cid, user)
        if status not in NEXT.get(case["status"], set()):
            raise AssistantError(f"不能从{case['status']}改为{status}", f"cannot move from {case['status']} to {status}")
        reopened = case["status"] in CLOSED and status == "处理中"
        self.db.execute('UPDATE cases SET status=:s, "repeat"=:r, escalated=:e WHERE id=:id',
                        {"s": status, "r": int(case["repeat"] or reopened),
                         "e": int(case["escalated"] or status == "升级"), "id": cid})
        self._event(cid, user, status, "重新打开,记为重复投诉" if reopened else detail)

    def hand_over(self, cid: str, to: str, user: User) -> None:
        """The handler changes; the first-contact owner stays on the record. Free text is redacted."""
        self.writable(cid, user)
        to = redact(to)
        self.db.execute("UPDATE cases SET handler=:h WHERE id=:id", {"h": to, "id": cid})
        self._event(cid, user, "转交", to)

    def report(self, cid: str, user: User) -> None:
        self.writable(cid, user)
        self._event(cid, user, "上报结果", "处理结果已报本级行投诉处理工作组")

    def set_responsibility(self, cid: str, value: str, user: User) -> None:
        if value not in RESPONSIBILITY:
            raise AssistantError(f"未知责任分类 {value}", f"unknown responsibility {value}")
        self.writable(cid, user)
        self.db.execute("UPDATE cases SET responsibility=:v WHERE id=:id", {"v": value, "id": cid})
        self._event(cid, user, "责任认定", value)

    def override_count(self, cid: str, klass: str, reason: str, user: User) -> None:
        user.require("review")
        if klass not in COUNT_CLASSES or not reason.strip():
            raise AssistantError("须选择统计分类并写明理由", "choose a counting class and give a reason")
        self.writable(cid, user)
        reason = redact(reason)
        self.db.execute("UPDATE cases SET count_override=:k, override_reason=:r WHERE id=:id",
                        {"k": klass, "r": reason, "id": cid})
        self._event(cid, user, "统计口径调整", f"{klass}:{reason}")

    # ---- deadlines and counting ------------------------------------------------------------
    def deadlines(self, cid: str) -> list[Deadline]:
        case = self.get(cid)
        received = datetime.fromisoformat(case["received_at"])
        first: dict[str, datetime] = {}
        for e in self.events(cid):
            first.setdefault(e["action"], datetime.fromisoformat(e["ts"]))
        out = [Deadline("1小时到场", received + LIMITS["onsite"], first.get("处理中")),
               Deadline("4小时回复客户", received + LIMITS["reply"], first.get("已回复客户")),
               Deadline("8小时上报结果", received + LIMITS["report"], first.get("上报结果"))]
        if case["formal"]:
            days = COMPLEX_DAYS if case["complex"] else FORMAL_DAYS
            out.append(Deadline(f"{days}日内作出处理决定", received + timedelta(days=days), first.get("已办结")))
        return out

    def overdue(self, cid: str) -> list[str]:
        now = self.clock.now()
        return [d.name for d in self.deadlines(cid) if d.overdue(now)]

    def count_class(self, cid: str) -> str:
        """The plan's counting rules: solved at the branch is not counted; solved in time after
        escalation is 咨询类; external, repeated or overdue cases are complaints. An override wins."""
        case = self.get(cid)
        if case["count_override"]:
            return case["count_override"]
        if case["external"] or case["repeat"] or self.overdue(cid):
            return "投诉"
        if case["escalated"]:
            return "咨询类"
        return "不纳入统计"

    # ---- lists and statistics ----------------------------------------------------------------
    def list(self, since: datetime | None = None, until: datetime | None = None, branch: str | None = None) -> list[dict]:
        sql, args = "SELECT * FROM cases WHERE 1=1", {}
        if since:
            sql += " AND received_at >= :since"
            args["since"] = since.isoformat()
        if until:
            sql += " AND received_at < :until"
            args["until"] = until.isoformat()
        if branch:
            sql += " AND branch = :branch"
            args["branch"] = branch
        rows = self.db.all(sql + " ORDER BY received_at DESC", args)
        now = self.clock.now()
        for r in rows:
            r["count_class"] = self.count_class(r["id"])
            r["overdue"] = self.overdue(r["id"])
            pending = [d for d in self.deadlines(r["id"]) if d.met_at is None and d.due > now]
            nxt = min(pending, key=lambda d: d.due, default=None)
            r["next_due"] = {"name": nxt.name, "seconds_left": int((nxt.due - now).total_seconds())} if nxt else None
            r.pop("name_enc", None)
            r.pop("phone_enc", None)
        return rows

    def overdue_list(self) -> list[dict]:
        return [r for r in self.list() if r["overdue"] and r["status"] not in CLOSED]

    def report_stats(self, since: datetime | None = None, until: datetime | None = None) -> dict:
        rows = self.list(since, until)
        by = {key: Counter() for key in ("count_class", "plan_class", "branch", "flag", "responsibility", "status",
                                         "topic", "business", "cause", "channel", "business×cause×channel")}
        for r in rows:
            for col in CODE_COLUMNS:
                by[col][r.get(col) or "未分类"] += 1
            by["business×cause×channel"][" × ".join(r.get(c) or "未分类" for c in ("business", "cause", "channel"))] += 1
            by["count_class"][r["count_class"]] += 1
            by["plan_class"][PLAN_CLASSES[r["plan_class"]]] += 1
            by["branch"][r["branch"]] += 1
            by["responsibility"][r["responsibility"]] += 1
            by["status"][r["status"]] += 1
            for f in filter(None, r["flags"].split(",")):
                by["flag"][f] += 1
        return {"total": len(rows), **{k: dict(v) for k, v in by.items()}}

    def export(self, path: Path, since: datetime | None = None, until: datetime | None = None) -> Path:
        rows = self.list(since, until)
        cols = ["id", "received_at", "branch", "owner", "handler", "status", "matter", "demand", "flags",
                "plan_class", "responsibility", "count_class", "overdue", *CODE_COLUMNS]
        table = [[r["id"], r["received_at"], r["branch"], r["owner"], r["handler"], r["status"], r["matter"],
                  r["demand"], r["flags"], PLAN_CLASSES[r["plan_class"]], r["responsibility"], r["count_class"],
                  ";".join(r["overdue"]), *[r.get(c) or "" for c in CODE_COLUMNS]] for r in rows]
        sheets = [("投诉登记", cols, [[csv_safe(v) for v in row] for row in table])]
        if path.suffix == ".xlsx":
            # branch names come from users: a branch called "=HYPERLINK(…)" stays text
            sheets.append(("统计", None, [[csv_safe(key), csv_safe(name), n]
                                        for key, counts in self.report_stats(since, until).items()
                                        if isinstance(counts, dict) for name, n in counts.items()]))
        return write_table(path, sheets)


def export_stats(stats: dict, path: Path) -> Path:
    """The statistics as rows (dimension, value, count): CSV or XLSX, as banks report them."""

    rows = [[csv_safe(key), csv_safe(name), n] for key, counts in stats.items() if isinstance(counts, dict)
            for name, n in counts.items()]
    return write_table(path, [("统计", ["维度 dimension", "分类 value", "件数 count"], rows)])


def open_register(settings, clock: Clock | None = None) -> Register:
    return Register(open_database(settings.database_url("register.db")), settings.resolved_home(), clock)
