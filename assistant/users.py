"""Users and roles from a file under ASSISTANT_HOME; passwords stored as salted PBKDF2 hashes only."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

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


class UserStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _load(self) -> dict:
        if not self.path.exists():
            return {}
        return json.loads(self.path.read_text(encoding="utf-8"))

    @property
    def enabled(self) -> bool:
        return bool(self._load())

    def add(self, name: str, role: str, password: str, branch: str = "") -> None:
        if role not in ROLES:
            raise AssistantError(f"未知角色 {role}", f"unknown role {role}; one of {sorted(ROLES)}")
        if len(password) < 8:
            raise AssistantError("密码至少8位", "password needs at least 8 characters")
        users = self._load()
        users[name] = {"role": role, "hash": hash_password(password), "branch": branch}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(users, ensure_ascii=False, indent=1), encoding="utf-8")
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)

    def authenticate(self, name: str, password: str) -> User | None:
        entry = self._load().get(name)
        if entry and verify_password(password, entry["hash"]):
            return User(name, entry["role"], entry.get("branch", ""))
        return None

    def get(self, name: str | None) -> User:
        if not self.enabled:
            return LOCAL
        entry = self._load().get(name or "")
        if not entry:
            raise PermissionDenied("未登录或用户不存在", "not signed in or unknown user")
        return User(name, entry["role"], entry.get("branch", ""))
