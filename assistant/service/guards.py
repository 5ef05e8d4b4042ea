"""Checks every service object applies the same way: field limits, ownership, export paths."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from assistant.errors import InputError, PermissionDenied, TooLong
from assistant.records.audit import AuditLog, sweep_exports
from assistant.records.users import User
from assistant.settings import Settings


def limited(text: str, zh: str, en: str, limit: int) -> str:
    """Free-text fields beside the customer's words get their own length limit."""
    text = (text or "").strip()
    if len(text) > limit:
        raise TooLong(f"{zh}过长({len(text)} 字),上限 {limit} 字", f"{en} too long ({len(text)} chars, "
                         f"limit {limit})")
    return text


def own_interaction(audit: AuditLog, audit_id: str, user: User) -> dict:
    """A suggestion is acted on by the person it was made for; the administrator may act on any."""
    try:
        row = audit.get(audit_id)
    except KeyError:
        raise InputError("找不到这条建议记录", "no such suggestion") from None
    if user.role != "admin" and row["user"] != user.name:
        raise PermissionDenied("只能处理自己的建议记录", "may only act on your own suggestions")
    return row


def export_path(settings: Settings, prefix: str, suffix: str) -> Path:
    out = settings.resolved_home() / "exports"
    out.mkdir(parents=True, exist_ok=True)
    # an export is downloaded now; older ones go so they are not there for whoever has the link
    sweep_exports(out, settings.export_ttl_s)
    # two people exporting in the same second must not get each other's file
    return out / f"{prefix}-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}.{suffix}"
