"""Users and roles in the relational store (SQLite under ASSISTANT_HOME, or the shared PostgreSQL);
passwords stored as salted PBKDF2 hashes only."""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import secrets
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import AssistantError, PermissionDenied
from assistant.records.db import Database, Migration, create_table, open_database
from assistant.records.throttle import LoginThrottle, client_address

ROLES = {"staff": "一线员工", "manager": "网点负责人", "trainer": "培训师", "admin": "管理员"}
PERMISSIONS = {
    "suggest": {"staff", "manager", "trainer", "admin"},
    "ask": {"staff", "manager", "trainer", "admin"},
    "feedback": {"staff", "manager", "trainer", "admin"},
    "review": {"manager", "trainer", "admin"},
    "rate": {"trainer", "admin"},
    "export": {"manager", "trainer", "admin"},
    "promote": {"trainer", "admin"},
    "assign": {"trainer", "admin"},  # practice scenarios, to a person or a branch
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


def _v2_meta(conn) -> None:
    from sqlalchemy import Column, MetaData, String, Table, Text, text

    create_table(conn, Table("users_meta", MetaData(), Column("name", String(40), primary_key=True),
                             Column("value", Text, nullable=False)))
    if conn.execute(text("SELECT name FROM users LIMIT 1")).first() is not None:
        conn.execute(text("INSERT INTO users_meta VALUES ('had_users', '1')"))


def _v3_tokens(conn) -> None:
    from sqlalchemy import Column, Float, MetaData, String, Table, Text

    create_table(conn, Table(
        "api_tokens", MetaData(),
        # id is public (shown by `token list`, used to revoke); only the token's SHA-256 is stored
        Column("id", String(16), primary_key=True), Column("name", String(64), nullable=False, index=True),
        Column("hash", String(64), nullable=False, unique=True), Column("label", Text, nullable=False,
                                                                        server_default=""),
        Column("created", Float, nullable=False),
    ))


MIGRATIONS = [
    Migration(1, "users table", _v1_users),
    # once a store has had users it never falls back to the local single-user mode
    Migration(2, "users_meta with the had-users mark", _v2_meta),
    # the branch systems call the HTTP API with a per-user bearer token
    Migration(3, "api_tokens (hashed bearer tokens per user)", _v3_tokens),
]
# what a token starts with: someone who finds one in a log or a config file knows what it is
TOKEN_PREFIX = "tsa_"


def token_hash(token: str) -> str:
    """A token is 32 random bytes, so one fast hash suffices (no salt, no rounds: nothing to guess
    by dictionary), and the store can look it up by its hash."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@functools.cache
def _dummy_hash() -> str:
    """An unknown name is checked against this, so the time taken does not tell which names exist."""
    return hash_password(secrets.token_hex(16))


class UserStore:
    def __init__(self, db: Database, legacy_file: Path | None = None) -> None:
        self.db = db
        self._had_users = False
        self.throttle = LoginThrottle()
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
        """Login is required once the store has had a user, even after the last one is removed."""
        if self._had_users:
            return True
        if self.db.one("SELECT name FROM users LIMIT 1") is not None or \
                self.db.one("SELECT value FROM users_meta WHERE name='had_users'") is not None:
            self._had_users = True
        return self._had_users

    def add(self, name: str, role: str, password: str, branch: str = "") -> None:
        if role not in ROLES:
            raise AssistantError(f"未知角色 {role}", f"unknown role {role}; one of {sorted(ROLES)}")
        if len(password) < 8:
            raise AssistantError("密码至少8位", "password needs at least 8 characters")
        if not name.strip():
            raise AssistantError("用户名不能为空", "user name is empty")
        self._put(name, role, hash_password(password), branch)
        if not self.db.one("SELECT value FROM users_meta WHERE name='had_users'"):
            self.db.execute("INSERT INTO users_meta VALUES ('had_users', '1')")
        self._had_users = True

    def list(self) -> list[User]:
        return [User(r["name"], r["role"], r["branch"] or "")
                for r in self.db.all("SELECT name, role, branch FROM users ORDER BY name")]

    def remove(self, name: str) -> bool:
        """A departed employee can no longer sign in, and their API tokens go with them (a user added
        later under the same name does not inherit them); what they logged stays in the audit log."""
        self.db.execute("DELETE FROM api_tokens WHERE name=:name", {"name": name})
        return self.db.execute("DELETE FROM users WHERE name=:name", {"name": name}) > 0

    # ---- API tokens --------------------------------------------------------------------------
    def create_token(self, name: str, label: str = "") -> tuple[str, str]:
        """(id, token) for an existing user; the token is shown once and only its hash is kept."""
        if self._entry(name) is None:
            raise AssistantError(f"没有这个用户 {name}", f"no such user {name}")
        token_id, token = secrets.token_hex(4), TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.db.execute("INSERT INTO api_tokens (id, name, hash, label, created) VALUES (:id, :name, :hash,"
                        " :label, :t)", {"id": token_id, "name": name, "hash": token_hash(token),
                                         "label": label[:200], "t": time.time()})
        return token_id, token

    def tokens(self, name: str | None = None) -> list[dict]:
        sql = "SELECT id, name, label, created FROM api_tokens"
        return self.db.all(sql + (" WHERE name=:name" if name else "") + " ORDER BY name, created", {"name": name})

    def revoke_token(self, token_id: str) -> bool:
        return self.db.execute("DELETE FROM api_tokens WHERE id=:id", {"id": token_id}) > 0

    def authenticate_token(self, token: str, address: str | None = None) -> User | None:
        """The user a bearer token belongs to, with their role and branch as they are now; None for a
        missing, unknown or revoked token, or one whose user was removed. A bad token counts as a
        failed sign-in of its address, so guessing tokens locks the address as guessing passwords
        does; it names no user, so no user's name is locked by it. A store that does not answer
        raises (the caller answers 503), it never lets the request through."""
        keys = self.throttle.keys("", client_address.get() if address is None else address)[1:]
        if keys and self.throttle.locked(keys) > 0:
            return None
        row = self.db.one("SELECT u.name, u.role, u.branch FROM api_tokens t JOIN users u ON u.name = t.name"
                          " WHERE t.hash=:hash", {"hash": token_hash(token)}) if token else None
        if row is None:
            self.throttle.failed(keys)
            return None
        return User(row["name"], row["role"], row["branch"] or "")

    def authenticate(self, name: str, password: str, address: str | None = None) -> User | None:
        """Throttled per name and per address; every attempt costs one hash, known name or not."""
        keys = self.throttle.keys(name, client_address.get() if address is None else address)
        if self.throttle.locked(keys) > 0:
            verify_password(password, _dummy_hash())
            return None
        try:
            entry = self._entry(name)
        except Exception as exc:  # a database that stops answering refuses the sign-in, never lets it through
            print(f"登录失败:用户库不可读 / sign-in refused: user store unreadable: {type(exc).__name__}",
                  file=sys.stderr, flush=True)
            return None
        ok = verify_password(password, entry["hash"] if entry else _dummy_hash()) and entry is not None
        if not ok:
            self.throttle.failed(keys)
            return None
        self.throttle.succeeded(keys)
        return User(name, entry["role"], entry["branch"] or "")

    def ping(self) -> None:
        """One query: for the health check, which must see a database that stopped answering."""
        self.db.one("SELECT name FROM users LIMIT 1")

    def get(self, name: str | None) -> User:
        if not self.enabled:
            return LOCAL
        entry = self._entry(name or "")
        if not entry:
            raise PermissionDenied("未登录或用户不存在", "not signed in or unknown user")
        return User(entry["name"], entry["role"], entry["branch"] or "")


class ClosedUserStore:
    """The user store could not be read, so nobody can tell whether users exist: login stays required
    and every sign-in is refused (never the local administrator). It tries the store again now and
    then and serves from it once it reads and holds users; one that comes back empty stays closed
    until a restart, because an empty store would make everyone the local administrator."""

    RETRY_S = 30.0

    def __init__(self, settings, error: AssistantError) -> None:
        import threading

        self.settings = settings
        self.error = error
        self._store: UserStore | None = None
        self._tried = time.monotonic()
        self._lock = threading.Lock()

    def _real(self) -> UserStore | None:
        from assistant.records.db import log_store_failure

        if self._store is not None:
            return self._store
        with self._lock:
            if self._store is None and time.monotonic() - self._tried >= self.RETRY_S:
                self._tried = time.monotonic()
                store, error = _try_open(self.settings)
                if store is not None and store.enabled:
                    self._store = store
                    log_store_failure(AssistantError("用户库已恢复", "the user store is readable again"))
                elif store is not None:
                    self.error = AssistantError(
                        "用户库已可读但没有用户;为安全起见仍拒绝登录,请添加用户或重启服务",
                        "the user store is readable again but holds no users; sign-ins stay refused until "
                        "users are added or the service restarts")
                else:
                    self.error = error
        return self._store

    def _refuse(self) -> None:
        from assistant.records.db import log_store_failure

        log_store_failure(AssistantError(f"{self.error.zh};登录被拒绝", f"{self.error.en}; sign-in refused"))

    @property
    def available(self) -> bool:
        return self._real() is not None

    @property
    def enabled(self) -> bool:
        store = self._real()
        return True if store is None else store.enabled

    def authenticate(self, name: str, password: str, *args, **kwargs) -> User | None:
        store = self._real()
        if store is None:
            self._refuse()
            return None
        return store.authenticate(name, password, *args, **kwargs)

    def get(self, name: str | None) -> User:
        store = self._real()
        if store is None:
            self._refuse()
            raise PermissionDenied("用户库不可用,暂时无法登录", "the user store is unavailable; nobody can sign in")
        return store.get(name)

    def __getattr__(self, name: str):
        # list, add, remove and the rest of UserStore: the real store, or the reason it is missing
        if name.startswith("_"):
            raise AttributeError(name)
        store = self._real()
        if store is None:
            raise self.error
        return getattr(store, name)


def _try_open(settings) -> tuple[UserStore | None, AssistantError | None]:
    from assistant.records.db import store_failure, unreadable_errors

    url = settings.database_url("audit.db")
    try:
        return UserStore(open_database(url), settings.resolved_home() / "users.json"), None
    except unreadable_errors() as exc:
        return None, store_failure(url, "用户库", "user store", exc)


def open_user_store(settings) -> UserStore | ClosedUserStore:
    """Users live beside the audit log; a users.json from the file-based release is imported once.
    A store that cannot be read fails closed (ClosedUserStore) instead of stopping the service."""
    from assistant.records.db import log_store_failure

    store, error = _try_open(settings)
    if store is not None:
        return store
    log_store_failure(AssistantError(f"{error.zh};登录一律拒绝", f"{error.en}; every sign-in is refused"))
    return ClosedUserStore(settings, error)
