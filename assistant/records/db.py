"""Relational store seam: SQLite files under ASSISTANT_HOME by default, PostgreSQL by URL.

SQLAlchemy Core keeps the SQL portable; each store (audit, users, register) owns a numbered list
of migrations, recorded in schema_migrations, so an upgrade only ever adds. Migrations run under a
lock (a PostgreSQL advisory lock, or a file lock beside the SQLite file) because replicas start
together.
"""

from __future__ import annotations

import fcntl
import shlex
import sqlite3
import sys
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError, MissingDependency, StoreUnavailable


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Any], None]  # receives a SQLAlchemy Connection inside the migration transaction


class Database:
    def __init__(self, url: str) -> None:
        try:
            from sqlalchemy import create_engine, event
        except ImportError:
            raise MissingDependency("SQLAlchemy", "pip install SQLAlchemy==2.1.9") from None
        self.url = url
        self.dialect = url.split(":", 1)[0].split("+", 1)[0]
        try:
            if self.dialect == "sqlite":
                self.path: Path | None = Path(url.split("///", 1)[1])
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.engine = create_engine(url, connect_args={"timeout": 2.0})

                @event.listens_for(self.engine, "connect")
                def _pragmas(conn, _record) -> None:
                    # pysqlite commits before DDL on its own; taking BEGIN over makes a failed
                    # migration roll back whole, as it does on PostgreSQL
                    conn.isolation_level = None
                    conn.execute("PRAGMA journal_mode=WAL")
                    conn.execute("PRAGMA synchronous=NORMAL")

                @event.listens_for(self.engine, "begin")
                def _begin(conn) -> None:
                    conn.exec_driver_sql("BEGIN")
            else:
                self.path = None
                self.engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
        except ImportError:
            raise MissingDependency("psycopg", "pip install 'psycopg[binary]==3.3.9'") from None

    @property
    def display_url(self) -> str:
        """The URL without its password, for logs and errors."""
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def begin(self) -> Iterator[Any]:
        from sqlalchemy.exc import InterfaceError, OperationalError

        try:
            with self.engine.begin() as conn:
                yield conn
        except (OperationalError, InterfaceError) as exc:
            if self.dialect == "sqlite":
                raise  # locked / full: callers already report these with the file in question
            raise StoreUnavailable(f"数据库不可用({self.display_url}):{exc.orig}",
                                   f"database unavailable ({self.display_url}): {exc.orig}") from None

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> int:
        from sqlalchemy import text

        with self.begin() as conn:
            return conn.execute(text(sql), dict(params or {})).rowcount

    def all(self, sql: str, params: Mapping[str, Any] | None = None) -> list[dict]:
        from sqlalchemy import text

        with self.begin() as conn:
            return [dict(r._mapping) for r in conn.execute(text(sql), dict(params or {}))]

    def one(self, sql: str, params: Mapping[str, Any] | None = None) -> dict | None:
        rows = self.all(sql, params)
        return rows[0] if rows else None

    # ---- migrations ------------------------------------------------------------------------
    def migrate(self, component: str, migrations: list[Migration]) -> int:
        """Apply the migrations of `component` not yet recorded; returns the schema version."""
        from sqlalchemy import text

        with self._migration_lock(component), self.begin() as conn:
            if self.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": zlib.crc32(component.encode())})
            conn.execute(text(
                "CREATE TABLE IF NOT EXISTS schema_migrations (component VARCHAR(40) NOT NULL,"
                " version INTEGER NOT NULL, description TEXT, applied_at FLOAT NOT NULL,"
                " PRIMARY KEY (component, version))"))
            done = {r[0] for r in conn.execute(
                text("SELECT version FROM schema_migrations WHERE component=:c"), {"c": component})}
            for m in sorted(migrations, key=lambda m: m.version):
                if m.version in done:
                    continue
                m.apply(conn)
                conn.execute(text("INSERT INTO schema_migrations VALUES (:c, :v, :d, :t)"),
                             {"c": component, "v": m.version, "d": m.description, "t": time.time()})
                done.add(m.version)
        return max(done, default=0)

    def schema_version(self, component: str) -> int:
        row = self.one("SELECT MAX(version) AS v FROM schema_migrations WHERE component=:c", {"c": component})
        return int(row["v"] or 0) if row else 0

    @contextmanager
    def _migration_lock(self, component: str) -> Iterator[None]:
        if self.path is None:
            yield  # PostgreSQL: the advisory lock inside the transaction
            return
        with open(self.path.with_name(self.path.name + ".migrate.lock"), "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            yield

    def dispose(self) -> None:
        self.engine.dispose()


def create_table(conn: Any, table: Any, *indexes: Any) -> None:
    """CREATE TABLE / INDEX if absent: a database made before versioning is adopted as version 1."""
    table.create(conn, checkfirst=True)
    for ix in indexes:
        ix.create(conn, checkfirst=True)


def add_column(conn: Any, table: str, column: str, ddl_type: str) -> None:
    from sqlalchemy import inspect, text

    if column not in {c["name"] for c in inspect(conn).get_columns(table)}:
        conn.execute(text(f'ALTER TABLE {table} ADD COLUMN "{column}" {ddl_type}'))


# what "this store cannot be read" looks like: a driver error, an unreachable server, a file the
# process may not open
UNREADABLE = (sqlite3.Error, OSError, StoreUnavailable)
_LOGGED: dict[str, float] = {}
LOG_EVERY_S = 60.0


def unreadable_errors() -> tuple[type[BaseException], ...]:
    from sqlalchemy.exc import SQLAlchemyError

    return (*UNREADABLE, SQLAlchemyError)


def _is_broken_file(exc: BaseException) -> bool:
    """A damaged SQLite file (garbage header, malformed pages), as opposed to a locked or full one."""
    from sqlalchemy.exc import DBAPIError

    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    return isinstance(orig, sqlite3.DatabaseError) and not isinstance(orig, sqlite3.OperationalError)


def move_aside_command(path: Path) -> str:
    """The shell line that moves a broken SQLite file (with its WAL and shared-memory files) aside."""
    files = [path] + [p for p in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))
                      if p.exists()]
    return " && ".join(f"mv {shlex.quote(str(f))} {shlex.quote(str(f) + '.broken')}" for f in files)


def store_failure(url: str, what_zh: str, what_en: str, exc: BaseException) -> StoreUnavailable:
    """A bilingual one-line account of why a store cannot be read; for a broken SQLite file it
    gives the command that moves the file aside (a new empty one is made on the next start)."""
    if isinstance(exc, StoreUnavailable):
        return StoreUnavailable(f"{what_zh}不可用:{exc.zh}", f"{what_en} unavailable: {exc.en}")
    detail = f"{type(exc).__name__}: {getattr(exc, 'orig', None) or exc}".splitlines()[0]
    dialect = url.split(":", 1)[0].split("+", 1)[0]
    if dialect == "sqlite" and _is_broken_file(exc):
        path = Path(url.split("///", 1)[1])
        cmd = move_aside_command(path)
        return StoreUnavailable(
            f"{what_zh}已损坏({path},{detail})。请停止服务,把文件移到一边后重启:{cmd};"
            "用户账号在同一文件中,须重新添加(python -m assistant user add)",
            f"the {what_en} is broken ({path}, {detail}). Stop the service, move the file aside and restart: "
            f"{cmd}; the user accounts live in the same file and must be added again "
            "(python -m assistant user add)")
    shown = url if dialect == "sqlite" else url.split("@", 1)[-1]  # never the password
    return StoreUnavailable(f"{what_zh}无法读取({shown}):{detail}", f"the {what_en} cannot be read ({shown}): {detail}")


def log_store_failure(error: AssistantError) -> None:
    """To stderr, each distinct message at most once a minute: /healthz polls must not flood the log."""
    now = time.monotonic()
    if now - _LOGGED.get(error.message, -LOG_EVERY_S) >= LOG_EVERY_S:
        _LOGGED[error.message] = now
        print(error.message, file=sys.stderr, flush=True)


_DATABASES: dict[str, Database] = {}


def open_database(url: str) -> Database:
    """One engine (and pool) per URL per process."""
    db = _DATABASES.get(url)
    if db is None:
        db = _DATABASES[url] = Database(url)
    return db
