"""Users and roles in the relational store (SQLite under ASSISTANT_HOME, or the shared PostgreSQL);
passwords stored as salted PBKDF2 hashes only."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from assistant.db import Database, Migration, create_table, open_database
from assistant.errors import AssistantError, PermissionDenied

ROLES = {"staff": "一线员工", "manager": "网点负责人", "trainer": "培训师", "admin": "管理员"}
PERMISSIONS = {
    "suggest": {"staff", "manager", "trainer", "admin"},
    "ask": {"staff", "manager", "trainer", "admin"},
    "feedback": {"staff", "manager", "trainer", "admin"},
    "review": {"manager", "trainer", "admin"},
    "rate": {"trainer", "admin"},
    "export": {"manager", "trainer", "admin"},
    "promote": {"trainer", "admin"},
    "eval": {"trainer", "admin"},
    "reindex": {"admin"},
}
ITERATIONS = 200_000


@dataclass(frozen=True)
class User:
    name: str
    role: str
    branch: str = ""

    def require(self, action: str) -> None:
        if self.role not in PERMISSIONS.get(action, set()):
            raise PermissionDenied(f"角色 {ROLES.get(self.role, self.role)} 无权执行 {action}",
                                   f"role {self.role} may not {action}")


# one local user when no users file exists: the app binds to 127.0.0.1 by default
LOCAL = User("local", "admin")


def hash_password(password: str, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), bytes.fromhex(salt), ITERATIONS).hex()
    return f"pbkdf2_sha256${ITERATIONS}${salt}${digest}"


def verify_password(password: str, stored: str) -> bool:
    try:
        _, iterations, salt, digest = stored.split("$")
        got = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), bytes.fromhex(salt), int(iterations)).hex()
    except ValueError:
        return False
    return hmac.compare_digest(got, digest)


def _v1_users(conn) -> None:
    from sqlalchemy import Column, Float, MetaData, String, Table, Text

    create_table(conn, Table(
        "users", MetaData(),
        Column("name", String(64), primary_key=True), Column("role", String(16), nullable=False),
        Column("hash", Text, nullable=False), Column("branch", Text, nullable=False, server_default=""),
        Column("updated", Float, nullable=False),
    ))


MIGRATIONS = [Migration(1, "users table", _v1_users)]


class UserStore:
    def __init__(self, db: Database, legacy_file: Path | None = None) -> None:
        self.db = db
        db.migrate("users", MIGRATIONS)
        if legacy_file is not None and legacy_file.exists():
            self._import(legacy_file)

    def _import(self, path: Path) -> None:
        """Users of the file-based release are copied in once; the file is left where it was."""
        if self.db.one("SELECT name FROM users LIMIT 1"):
            return
        for name, entry in json.loads(path.read_text(encoding="utf-8")).items():
            self._put(name, entry["role"], entry["hash"], entry.get("branch", ""))

    def _put(self, name: str, role: str, hashed: str, branch: str) -> None:
        args = {"name": name, "role": role, "hash": hashed, "branch": branch, "t": time.time()}
        if not self.db.execute("UPDATE users SET role=:role, hash=:hash, branch=:branch, updated=:t"
                               " WHERE name=:name", args):
            self.db.execute("INSERT INTO users VALUES (:name, :role, :hash, :branch, :t)", args)

    def _entry(self, name: str) -> dict | None:
        return self.db.one("SELECT * FROM users WHERE name=:name", {"name": name})

    @property
    def enabled(self) -> bool:
        return self.db.one("SELECT name FROM users LIMIT 1") is not None

    def add(self, name: str, role: str, password: str, branch: str = "") -> None:
        if role not in ROLES:
            raise AssistantError(f"未知角色 {role}", f"unknown role {role}; one of {sorted(ROLES)}")
        if len(password) < 8:
            raise AssistantError("密码至少8位", "password needs at least 8 characters")
        if not name.strip():
            raise AssistantError("用户名不能为空", "user name is empty")
        self._put(name, role, hash_password(password), branch)

    def list(self) -> list[User]:
        return [User(r["name"], r["role"], r["branch"] or "")
                for r in self.db.all("SELECT name, role, branch FROM users ORDER BY name")]

    def remove(self, name: str) -> bool:
        """A departed employee can no longer sign in; what they logged stays in the audit log."""
        return self.db.execute("DELETE FROM users WHERE name=:name", {"name": name}) > 0

    def authenticate(self, name: str, password: str) -> User | None:
        entry = self._entry(name)
        if entry and verify_password(password, entry["hash"]):
            return User(name, entry["role"], entry["branch"] or "")
        return None

    def get(self, name: str | None) -> User:
        if not self.enabled:
            return LOCAL
        entry = self._entry(name or "")
        if not entry:
            raise PermissionDenied("未登录或用户不存在", "not signed in or unknown user")
        return User(entry["name"], entry["role"], entry["branch"] or "")


def open_user_store(settings) -> UserStore:
    """Users live beside the audit log; a users.json from the file-based release is imported once."""
    return UserStore(open_database(settings.database_url("audit.db")), settings.resolved_home() / "users.json")
