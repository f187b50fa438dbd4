"""Shared fixtures: a private home for every test, and a store on each engine."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from tests.thread_factory import NOW, add_agents
from workstation import db, paths
from workstation.clock import FrozenClock

PG_ENV = "WORKSTATION_TEST_PG"


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point XDG dirs at the test's folder so a developer's own store never decides a result."""
    home = tmp_path / "home"
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("WORKSTATION_DB", raising=False)
    return home


def _pg_schema_url(base: str) -> Iterator[str]:
    """A fresh schema in the test server, dropped afterwards; yields a URL that uses it."""
    schema = f"ws_{uuid.uuid4().hex[:12]}"
    admin = create_engine(db.resolve_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{db.resolve_url(base)}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty store's URL, on SQLite and on PostgreSQL (skipped without a server)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set: no PostgreSQL server to test against")
    yield from _pg_schema_url(base)


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    """A migrated store on each engine."""
    engine = db.open_store(store_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """A migrated SQLite store, for what only concerns SQLite."""
    engine = db.open_store(f"sqlite:///{tmp_path / 'store.db'}")
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> FrozenClock:
    """The tests' now (tests.thread_factory.NOW), frozen."""
    return FrozenClock(NOW)


@pytest.fixture
def team(engine: Engine) -> Engine:
    """A store with the team of `add_agents`: julie, tom (agents), claire (senior), helene
    (supervisor)."""
    add_agents(engine)
    return engine


@pytest.fixture
def rules_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped rules.toml, in force through WORKSTATION_RULES."""
    path = tmp_path / "rules.toml"
    shutil.copy(paths.shipped("rules.toml"), path)
    monkeypatch.setenv("WORKSTATION_RULES", str(path))
    return path
