"""Schema upgrades: Alembic, run in-process at start-up and by `workstation db upgrade`.

Several processes may start at once on one store; the upgrade runs inside one write
transaction that first takes the store's lock (BEGIN IMMEDIATE on SQLite, an advisory lock on
PostgreSQL) and re-reads the version, so exactly one of them migrates.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from . import db

if TYPE_CHECKING:
    from alembic.config import Config

HEAD = "0016"
"""The newest migration, so that start-up compares one row instead of loading Alembic (which
costs a tenth of a second); a test checks it against the migrations folder."""
_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_PG_LOCK_KEY = 0x57_53_4D_49  # "WSMI": any constant shared by every workstation process


def _config(conn: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


def head() -> str:
    """The newest revision of the migrations folder."""
    from alembic.script import ScriptDirectory

    revision = ScriptDirectory.from_config(_config()).get_current_head()
    assert revision is not None
    return revision


def current(conn: Connection) -> str | None:
    """The revision the store is at (None for an empty store)."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, target: str = "head") -> tuple[str | None, str]:
    """Bring the store to `target`; return (revision before, revision after)."""
    wanted = HEAD if target == "head" else target
    with db.read(engine) as conn:
        before = current(conn)
    if before == wanted:
        return before, wanted
    with db.write(engine) as conn:
        if not db.is_sqlite(conn):
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
        before = current(conn)
        if before != wanted:
            from alembic import command

            command.upgrade(_config(conn), target)
    return before, wanted
