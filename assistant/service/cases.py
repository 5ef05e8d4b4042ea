"""The complaint register as staff and managers use it: roles, branches and field limits checked here."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from assistant.labels import PURPOSES
from assistant.records.audit import AuditLog
from assistant.records.register import Register
from assistant.records.users import LOCAL, User
from assistant.service.guards import export_path, limited, own_interaction
from assistant.settings import Settings

CLOSED = ("已办结", "已回访")


class CaseService:
    def __init__(self, settings: Settings, audit: Callable[[], AuditLog], store: Callable[[], Register]) -> None:
        self.settings = settings
        self._audit = audit
        self._store = store

    @property
    def store(self) -> Register:
        return self._store()

    def _field(self, text: str, zh: str, en: str) -> str:
        return limited(text, zh, en, self.settings.max_field_chars)

    def from_suggestion(self, audit_id: str, user: User = LOCAL, *, name: str = "", phone: str = "",
                        branch: str = "", formal: bool = False) -> str:
        """One click from a logged suggestion: matter, demand and flags pre-filled, staff add name and phone.
        Only from one's own suggestion, and into one's own branch (the administrator excepted)."""
        user.require("feedback")
        row = own_interaction(self._audit(), audit_id, user)
        name = self._field(name, "客户姓名", "name")
        phone = self._field(phone, "联系电话", "phone")
        if user.role != "admin":
            branch = ""
        analysis = json.loads(row["analysis_json"] or "{}")
        demand = "、".join(PURPOSES[p] for p in analysis.get("purposes", []))
        return self.store.create(user, branch=branch or user.branch or "本网点", matter=row["redacted_text"],
                                 demand=demand, flags=analysis.get("flags", []), name=name, phone=phone,
                                 formal=formal, audit_id=audit_id, topic=analysis.get("topic"))

    def list(self, user: User = LOCAL, overdue_only: bool = False, since=None, until=None) -> list[dict]:
        """Staff see their branch; managers and trainers see every branch."""
        branch = None if user.role in ("manager", "trainer", "admin") else (user.branch or None)
        rows = self.store.list(since, until, branch=branch)
        return [r for r in rows if r["overdue"] and r["status"] not in CLOSED] if overdue_only else rows

    def move(self, case_id: str, status: str, user: User = LOCAL) -> None:
        user.require("feedback")
        if status == "上报结果":
            self.store.report(case_id, user)
        else:
            self.store.move(case_id, status, user)

    def stats(self, user: User = LOCAL, since=None, until=None) -> dict:
        user.require("review")
        return self.store.report_stats(since, until)

    def contact(self, case_id: str, user: User = LOCAL) -> dict[str, str]:
        return self.store.contact(case_id, user)

    def update(self, case_id: str, user: User = LOCAL, *, hand_over: str = "", responsibility: str = "",
               count_class: str = "", reason: str = "") -> None:
        user.require("feedback")
        hand_over = self._field(hand_over, "转交对象", "hand-over")
        reason = self._field(reason, "调整理由", "reason")
        if hand_over:
            self.store.hand_over(case_id, hand_over, user)
        if responsibility:
            self.store.set_responsibility(case_id, responsibility, user)
        if count_class:
            self.store.override_count(case_id, count_class, reason, user)

    def export(self, user: User = LOCAL, since=None, until=None) -> Path:
        user.require("export")
        return self.store.export(export_path(self.settings, "register", "xlsx"), since, until)
