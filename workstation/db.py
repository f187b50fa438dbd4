"""Engines, transactions and schema upgrades for both engines.

SQLite is shared by several processes on one host (agents over SSH, the workers), so every
connection runs in WAL mode with a busy timeout, and every transaction that may write starts
with `BEGIN IMMEDIATE`: a deferred transaction that reads and then writes fails at once with
"database is locked" when another process committed in between, whatever the timeout.
Read-only work asks for a deferred transaction through `read()` and never blocks a writer.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.engine import make_url

from . import paths

BUSY_TIMEOUT_MS = 15_000
_BEGIN_OPTION = "workstation_begin"


class ConfigError(Exception):
    """The store cannot be opened as configured (bad URL, unreachable server)."""


def resolve_url(url: str | None = None) -> str:
    """The store's URL: the argument, else `WORKSTATION_DB`, else the user's SQLite file.

    A bare path is accepted and taken as a SQLite file.
    """
    url = url or os.environ.get("WORKSTATION_DB") or ""
    if not url:
        return f"sqlite:///{paths.data_dir() / 'workstation.db'}"
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    if url.startswith(("postgresql://", "postgres://")):
        # psycopg 3 is the driver we ship; SQLAlchemy's default would be psycopg2.
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """Create an engine for `url` (see `resolve_url`) with the pragmas and begin mode set.

    Raises:
        ConfigError: the URL cannot be parsed or names an engine we do not support.
    """
    resolved = resolve_url(url)
    try:
        parsed = make_url(resolved)
    except Exception as exc:  # SQLAlchemy raises ArgumentError with a long message
        raise ConfigError(f"cannot parse database URL {resolved!r}") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, **kwargs
        )
        _configure_sqlite(engine)
        return engine
    if backend == "postgresql":
        if parsed.get_driver_name() != "psycopg":
            raise ConfigError("PostgreSQL URLs must use the psycopg driver: postgresql+psycopg://")
        return create_engine(parsed, pool_pre_ping=True, **kwargs)
    raise ConfigError(f"unsupported database engine {backend!r}: use sqlite:/// or postgresql://")


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event, not pysqlite, decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "IMMEDIATE")
        if mode == "IMMEDIATE":
            _begin_immediate(conn.connection.dbapi_connection)
        else:
            conn.exec_driver_sql(f"BEGIN {mode}")


def _begin_immediate(dbapi_connection: Any) -> None:
    """Take SQLite's write lock, looking for it every millisecond up to the busy timeout.

    SQLite's own wait sleeps longer and longer between looks (up to 100 ms), so a process that
    writes back to back (the workers composing and sending) wins every race against one that
    waits (an agent opening a conversation): measured, an agent's claim took 6.9 s at the
    95th percentile while sync ran. Looking every millisecond finds the gaps between the
    workers' transactions.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    dbapi_connection.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                dbapi_connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise
            time.sleep(0.001)
    finally:
        dbapi_connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def is_sqlite(engine: Engine | Connection) -> bool:
    """Whether the store is SQLite (as opposed to PostgreSQL)."""
    return engine.dialect.name == "sqlite"


@contextmanager
def write(engine: Engine) -> Iterator[Connection]:
    """A transaction that may write: `BEGIN IMMEDIATE` on SQLite, committed on success."""
    with engine.begin() as conn:
        yield conn


@contextmanager
def read(engine: Engine, *, jit: bool = True) -> Iterator[Connection]:
    """A read-only transaction that never takes SQLite's write lock.

    `jit=False` turns PostgreSQL's JIT compilation off for the transaction: the KPI
    statements carry `CASE` trees of hundreds of nodes, which it spent two seconds compiling
    for a query that runs in a fraction of one.
    """
    with engine.connect() as conn:
        conn = conn.execution_options(**{_BEGIN_OPTION: "DEFERRED"})
        try:
            if not jit and conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SET LOCAL jit = off")
            yield conn
        finally:
            conn.rollback()


def insert_ignore(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows, skipping those that collide with a unique key (another writer won)."""
    if rows:
        # Imported here: the PostgreSQL dialect costs every start a few hundredths of a second.
        from sqlalchemy.dialects import postgresql, sqlite

        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        conn.execute(dialect.insert(table).on_conflict_do_nothing(), rows)


def open_store(url: str | None = None, *, upgrade: bool = True) -> Engine:
    """Open the store and bring its schema to the current version.

    Raises:
        ConfigError: the URL is bad or the server does not answer.
    """
    engine = make_engine(url)
    if upgrade:
        from .migrate import upgrade as run_upgrade

        try:
            run_upgrade(engine)
        except ConfigError:
            raise
        except Exception as exc:
            if _is_connection_error(exc):
                raise ConfigError(f"cannot reach the database: {_first_line(exc)}") from exc
            raise
    return engine


def _is_connection_error(exc: Exception) -> bool:
    from sqlalchemy.exc import OperationalError

    return isinstance(exc, OperationalError) and "connect" in str(exc).lower() or (
        isinstance(exc, OperationalError) and "unable to open" in str(exc).lower()
    )


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
