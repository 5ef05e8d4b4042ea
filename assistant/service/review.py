"""The trainer's loop: what staff did with a suggestion, ratings, the queue, and promotion to an eval case."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from assistant.errors import InputError
from assistant.index.common import LoadedIndex
from assistant.labels import FLAGS
from assistant.records.audit import FEEDBACK, AuditLog, promote_to_case
from assistant.records.users import LOCAL, User
from assistant.service.guards import export_path, limited, own_interaction
from assistant.settings import Settings


class ReviewService:
    def __init__(self, settings: Settings, audit: Callable[[], AuditLog], index: Callable[[], LoadedIndex]) -> None:
        self.settings = settings
        self._audit = audit
        self._index = index

    def feedback(self, audit_id: str, kind: str, final_text: str, user: User = LOCAL) -> None:
        user.require("feedback")
        if kind not in FEEDBACK:
            raise InputError(f"未知的反馈类型 {kind[:20]}", f"unknown feedback kind {kind[:20]}")
        audit = self._audit()
        own_interaction(audit, audit_id, user)
        final_text = limited(final_text, "最终回复", "final reply", self.settings.max_input_chars)
        audit.feedback(audit_id, kind, final_text)

    def rate(self, audit_id: str, rating: int, reasons: list[str], comment: str, user: User = LOCAL) -> None:
        user.require("rate")
        comment = limited(comment, "评语", "comment", self.settings.max_comment_chars)
        self._audit().rate(audit_id, rating, reasons, comment)

    def queue(self, user: User = LOCAL, **filters) -> list[dict]:
        user.require("review")
        return self._audit().query(**filters)

    def stats(self, user: User = LOCAL) -> dict:
        user.require("review")
        return self._audit().stats()

    def export(self, user: User = LOCAL, **filters) -> Path:
        user.require("export")
        audit = self._audit()
        return audit.export_csv(export_path(self.settings, "review", "csv"), audit.query(**filters, limit=None))

    def promote(self, audit_id: str, user: User = LOCAL, techniques: list[str] | None = None,
                flags: list[str] | None = None) -> Path:
        """Turn a reviewed interaction into a dev eval case (a YAML file under ASSISTANT_HOME/eval).
        The trainer's correction is the expected answer: the card ids and flags the trainer marked
        (None keeps the assistant's own), and the reply staff finally sent."""
        user.require("promote")
        if techniques is not None:
            known = {c.id for c in self._index().cards}
            if not techniques or set(techniques) - known:
                raise InputError("请勾选至少一个正确的技巧", "mark at least one known technique")
        if flags is not None and set(flags) - set(FLAGS):
            raise InputError("未知的风险标记", "unknown risk flag")
        return promote_to_case(self._audit().get(audit_id), self.settings.resolved_home() / "eval" / "promoted",
                               techniques, flags)
