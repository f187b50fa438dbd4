"""The store: URLs, SQLite's WAL and write lock, migrations on both engines."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

from workstation import db, migrate, paths


def test_default_store_is_under_xdg_data_home(private_home: Path) -> None:
    assert db.resolve_url() == f"sqlite:///{private_home / 'data' / 'workstation' / 'workstation.db'}"


def test_env_and_argument_override_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKSTATION_DB", "postgresql://u@h/db")
    assert db.resolve_url() == "postgresql+psycopg://u@h/db"
    assert db.resolve_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


def test_unsupported_url_is_a_config_error() -> None:
    with pytest.raises(db.ConfigError, match="unsupported database engine 'mysql'"):
        db.make_engine("mysql://root@localhost/x")


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(sqlite_engine: Engine) -> None:
    with db.read(sqlite_engine) as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == db.BUSY_TIMEOUT_MS


def test_read_then_write_transactions_never_lose_an_update(sqlite_engine: Engine) -> None:
    """With deferred BEGIN, two read-then-write writers fail with 'database is locked'."""
    with db.write(sqlite_engine) as conn:
        conn.execute(text("CREATE TABLE counter (n INTEGER)"))
        conn.execute(text("INSERT INTO counter VALUES (0)"))
    errors: list[Exception] = []

    def bump() -> None:
        try:
            for _ in range(40):
                with db.write(sqlite_engine) as conn:
                    n = conn.execute(text("SELECT n FROM counter")).scalar_one()
                    conn.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})
        except Exception as exc:  # collected: an assertion in a thread would be lost
            errors.append(exc)

    threads = [threading.Thread(target=bump) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.read(sqlite_engine) as conn:
        assert conn.execute(text("SELECT n FROM counter")).scalar_one() == 120


def test_a_reader_does_not_block_a_writer(sqlite_engine: Engine) -> None:
    with db.read(sqlite_engine) as reader:
        reader.execute(text("SELECT count(*) FROM agent")).scalar_one()
        with db.write(sqlite_engine) as writer:
            writer.execute(text(
                "INSERT INTO agent (name, display_name, role, languages, capacity, active, "
                "created_at) VALUES ('a', '', 'agent', 'en', 1, 1, '2026-01-01 00:00:00')"
            ))


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
        assert migrate.current(conn) == migrate.head()


def test_a_store_made_by_the_first_migration_upgrades_without_losing_rows(
    store_url: str,
) -> None:
    engine = db.make_engine(store_url)
    with db.write(engine) as conn:
        command.upgrade(migrate._config(conn), "0001")
    with db.write(engine) as conn:
        conn.execute(text(
            "INSERT INTO contact (platform, external_id, handle, name, followers, verified, vip,"
            " banned, email, phone, first_seen, last_seen, extra) VALUES ('x', 'u1', 'h', 'n', 3,"
            " false, false, false, '', '', '2026-01-01 00:00:00', '2026-01-01 00:00:00', '{}')"
        ))
        conn.execute(text(
            "INSERT INTO conversation (platform, kind, thread_key, contact_id, campaign, status,"
            " lang, intents, tags, sentiment, priority, moderation, sla_policy, last_message_at,"
            " last_text, message_count, exchange_count, role, escalated, escalation_reason,"
            " resolution_code, created_at, updated_at, version) VALUES ('x', 'dm', 't1', 1, '',"
            " 'open', 'en', ' ', ' ', 0, 1, 'allow', '', '2026-01-01 00:00:00', 'hi', 1, 0,"
            " 'agent', false, '', '', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1)"
        ))
    before, after = migrate.upgrade(engine)
    assert (before, after) == ("0001", migrate.head())
    with db.read(engine) as conn:
        assert conn.execute(text("SELECT count(*) FROM contact")).scalar_one() == 1
        assert conn.execute(text("SELECT last_text FROM conversation")).scalar_one() == "hi"
        assert conn.execute(text("SELECT count(*) FROM outbox")).scalar_one() == 0
    engine.dispose()


def test_the_head_constant_names_the_newest_migration() -> None:
    assert migrate.HEAD == migrate.head()


def test_upgrading_twice_is_a_no_op(engine: Engine) -> None:
    assert migrate.upgrade(engine) == (migrate.head(), migrate.head())


def test_shipped_files_are_found_from_a_clone() -> None:
    assert paths.shipped("rules.toml").is_file()
    assert paths.shipped("templates").is_dir()


def test_a_waiting_writer_gets_the_lock_when_it_is_freed_and_gives_up_at_the_timeout(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sqlite3
    import threading

    from sqlalchemy import text

    holder = sqlite3.connect(sqlite_engine.url.database, isolation_level=None,
                             check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, holder.commit)
    release.start()
    with db.write(sqlite_engine) as conn:  # waits for the holder, then writes
        conn.execute(text("CREATE TABLE waited (x INTEGER)"))
    release.join()
    holder.execute("BEGIN IMMEDIATE")
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 50)
    with pytest.raises(Exception, match="locked"), db.write(sqlite_engine) as conn:
        conn.execute(text("CREATE TABLE never (x INTEGER)"))
    holder.rollback()
    holder.close()
