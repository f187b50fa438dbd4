"""executemany without SQLAlchemy's per-row work, for the statements ingest runs per message.

SQLAlchemy processes every parameter of every row (type decorators, dict lookups); on the
thousands of rows of an ingest batch that costs more than SQLite itself. These statements
are compiled once per table and columns, and rows are converted with one function per column
type, producing exactly what the Core path would store: UTC datetimes (naive text on SQLite,
`timestamptz` on PostgreSQL), JSON text, integers for booleans on SQLite.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Boolean, Connection, DateTime, Table


def _converter(column_type: Any, sqlite: bool) -> Callable[[Any], Any] | None:
    if isinstance(getattr(column_type, "impl", column_type), DateTime):
        if sqlite:
            # SQLAlchemy's SQLite DATETIME text: UTC, no offset, always microseconds.
            return _sqlite_time
        return None
    if isinstance(column_type, JSON):
        return lambda v: json.dumps(v)
    if isinstance(column_type, Boolean) and sqlite:
        return lambda v: None if v is None else int(v)
    return None


def _sqlite_time(v: Any) -> str | None:
    if v is None:
        return None
    if v.tzinfo is not UTC:
        v = v.astimezone(UTC)
    return v.isoformat(" ", "microseconds")[:26]  # without the "+00:00"


def _plan(conn: Connection, table: Table, columns: Sequence[str]) -> list[Callable[[Any], Any] | None]:
    sqlite = conn.dialect.name == "sqlite"
    return [_converter(table.c[name].type, sqlite) for name in columns]


def _rows(plan: list[Callable[[Any], Any] | None], columns: Sequence[str],
          rows: Sequence[dict[str, Any]]) -> list[tuple[Any, ...]]:
    # Columns are picked in one C call per row; only those with a converter are touched.
    pick = itemgetter(*columns)
    converted = [(i, convert) for i, convert in enumerate(plan) if convert is not None]
    if len(columns) == 1:
        only = plan[0] or (lambda v: v)
        return [(only(pick(row)),) for row in rows]
    if not converted:
        return [pick(row) for row in rows]
    out = []
    for row in rows:
        values = list(pick(row))
        for i, convert in converted:
            values[i] = convert(values[i])
        out.append(tuple(values))
    return out


def _marks(conn: Connection, count: int) -> list[str]:
    return ["?" if conn.dialect.paramstyle == "qmark" else "%s"] * count


def defaults(table: Table) -> dict[str, Any]:
    """The Python-side defaults of a table's columns (what the Core path would fill in)."""
    found: dict[str, Any] = {}
    for column in table.columns:
        default = column.default
        if default is None:
            continue
        if default.is_scalar:
            found[column.name] = default.arg
        elif default.is_callable:
            found[column.name] = default.arg(None)
    return found


def insert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]], *,
           ignore_conflicts: bool = False, fill: bool = False) -> None:
    """Insert `rows` (dicts with the same keys); skip unique-key collisions if asked.

    With `fill`, columns missing from the rows take their defaults.
    """
    if not rows:
        return
    if fill:
        base = {k: v for k, v in defaults(table).items() if k != "id"}
        rows = [{**base, **row} for row in rows]
    columns = list(rows[0])
    names = ", ".join(columns)
    marks = ", ".join(_marks(conn, len(columns)))
    if conn.dialect.name == "sqlite":
        verb = "INSERT OR IGNORE" if ignore_conflicts else "INSERT"
        sql = f"{verb} INTO {table.name} ({names}) VALUES ({marks})"
    else:
        tail = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
        sql = f"INSERT INTO {table.name} ({names}) VALUES ({marks}){tail}"
    conn.exec_driver_sql(sql, _rows(_plan(conn, table, columns), columns, rows))


def update_by_id(conn: Connection, table: Table, rows: Sequence[dict[str, Any]],
                 columns: Sequence[str]) -> None:
    """Set `columns` of each row identified by its `id`."""
    if not rows:
        return
    mark = _marks(conn, 1)[0]
    sets = ", ".join(f"{name} = {mark}" for name in columns)
    sql = f"UPDATE {table.name} SET {sets} WHERE id = {mark}"
    ordered = [*columns, "id"]
    conn.exec_driver_sql(sql, _rows(_plan(conn, table, ordered), ordered, rows))

