"""executemany without SQLAlchemy's per-row work, for the statements ingest runs per message.

SQLAlchemy processes every parameter of every row (type decorators, dict lookups); on the
thousands of rows of an ingest batch that costs more than SQLite itself. These statements
are compiled once per table and columns, and rows are converted with one function per column
type, producing exactly what the Core path would store: UTC datetimes (naive text on SQLite,
`timestamptz` on PostgreSQL), JSON text, integers for booleans on SQLite.

`select_in` is the reading side: the rows whose key is one of a batch's thousands of keys,
where SQLAlchemy would render and bind an expanding IN list parameter by parameter, and
read back as the Core path would (aware UTC datetimes, booleans, parsed JSON).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
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
        return _json
    if isinstance(column_type, Boolean) and sqlite:
        return lambda v: None if v is None else int(v)
    return None


def _json(v: Any) -> str:
    if not v and v.__class__ is dict:
        return "{}"  # most rows: json.dumps costs microseconds even for this
    return json.dumps(v)


_TIMES: dict[Any, str] = {}
"""Times already written as text: a batch writes the same few (its start) thousands of times."""


def _sqlite_time(v: Any) -> str | None:
    if v is None:
        return None
    found = _TIMES.get(v)
    if found is None:
        if len(_TIMES) >= 10_000:
            _TIMES.clear()
        as_utc = v if v.tzinfo is UTC else v.astimezone(UTC)
        found = _TIMES[v] = as_utc.isoformat(" ", "microseconds")[:26]  # without "+00:00"
    return found


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
            value = values[i]
            # Most times are unset: None stays None (NULL), except as JSON, which writes null.
            if value is not None or convert is _json:
                values[i] = convert(value)
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
    conn.exec_driver_sql(_insert_sql(conn, table, columns, ignore_conflicts),
                         _rows(_plan(conn, table, columns), columns, rows))


class Rows:
    """An INSERT of rows the caller builds as tuples, values already as the driver takes them.

    For the hottest table (a message per event) even `_rows`'s pass is too much: the caller
    builds each tuple once, converting with `converter(column)` only the values that need it.
    """

    def __init__(self, conn: Connection, table: Table, columns: Sequence[str]) -> None:
        self.conn = conn
        self.table = table
        self.columns = tuple(columns)
        self._plan = dict(zip(self.columns, _plan(conn, table, self.columns), strict=True))

    def converter(self, column: str) -> Callable[[Any], Any]:
        """What turns a Python value of `column` into the driver's."""
        return self._plan[column] or _same

    def value(self, column: str, value: Any) -> Any:
        """One value of `column` as the driver takes it."""
        return self.converter(column)(value)

    def insert(self, rows: Sequence[tuple[Any, ...]], *, ignore_conflicts: bool = False) -> None:
        """Insert the rows (tuples in the order of `columns`)."""
        if rows:
            self.conn.exec_driver_sql(_insert_sql(self.conn, self.table, self.columns,
                                                  ignore_conflicts), rows)


def _same(value: Any) -> Any:
    return value


def _insert_sql(conn: Connection, table: Table, columns: Sequence[str],
                ignore_conflicts: bool) -> str:
    names = ", ".join(columns)
    marks = ", ".join(_marks(conn, len(columns)))
    if conn.dialect.name == "sqlite":
        verb = "INSERT OR IGNORE" if ignore_conflicts else "INSERT"
        return f"{verb} INTO {table.name} ({names}) VALUES ({marks})"
    tail = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    return f"INSERT INTO {table.name} ({names}) VALUES ({marks}){tail}"


def select_in(conn: Connection, table: Table, columns: Sequence[str], key: str,
              values: Sequence[Any], **equal: Any) -> list[tuple[Any, ...]]:
    """The `columns` of the rows of `table` whose `key` is one of `values` (and whose columns
    named in `equal` hold those values), read as the Core path reads them."""
    if not values:
        return []
    mark = _marks(conn, 1)[0]
    head = (f"SELECT {', '.join(columns)} FROM {table.name} WHERE "
            + "".join(f"{name} = {mark} AND " for name in equal) + f"{key} IN (")
    fixed = tuple(equal.values())
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(values), IN_CHUNK):
        run = values[start:start + IN_CHUNK]
        rows += conn.exec_driver_sql(head + ", ".join([mark] * len(run)) + ")",
                                     fixed + tuple(run)).fetchall()
    sqlite = conn.dialect.name == "sqlite"
    readers = [(i, reader) for i, name in enumerate(columns)
               if (reader := _reader(table.c[name].type, sqlite)) is not None]
    if not readers:
        return [tuple(row) for row in rows]
    out = []
    for row in rows:
        values_ = list(row)
        for i, reader in readers:
            if values_[i] is not None:
                values_[i] = reader(values_[i])
        out.append(tuple(values_))
    return out


IN_CHUNK = 500
"""Keys per statement: far below SQLite's limit on bound parameters."""


def _reader(column_type: Any, sqlite: bool) -> Callable[[Any], Any] | None:
    if isinstance(getattr(column_type, "impl", column_type), DateTime):
        return _read_sqlite_time if sqlite else _read_time
    if sqlite and isinstance(column_type, JSON):
        return json.loads
    if sqlite and isinstance(column_type, Boolean):
        return bool
    return None


def _read_sqlite_time(v: str) -> datetime:
    found = datetime.fromisoformat(v)
    return found.replace(tzinfo=UTC) if found.tzinfo is None else found.astimezone(UTC)


def _read_time(v: datetime) -> datetime:
    return v.astimezone(UTC) if v.tzinfo is not UTC else v


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

