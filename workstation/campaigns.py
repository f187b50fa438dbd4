"""Campaign figures from the marketing team's CSV: what each campaign cost and brought in.

ROI and CAC need money the platforms' message APIs never show: spend, creator fees, attributed
revenue and customers, impressions. The team keeps them in a spreadsheet and imports it with
`workstation campaigns import FILE`. The file is validated like an event file: each bad row
is reported as `FILE:LINE: reason`, kept in the dead-letter table byte for byte, and the good
rows are still imported. A header the program does not know is a usage error (a typo in a
column name would otherwise drop a whole column of money silently). Importing the same
campaign, platform and period again replaces its figures: a corrected export is re-imported.

Columns (header names are case-insensitive; `;` separated files from a French Excel work too):
campaign (required), start and end (dates, required unless `period` is given: `2026-11` for a
month or `2026-Q4` for a quarter), platform, kind (paid, organic, ugc, influencer), creator,
spend, creator_fees, impressions, reach, likes, comments, shares, revenue, customers,
promo_code, redemptions. Amounts are plain numbers (`1250.50`), no currency sign or thousands
separator, so that "1,250" can never be misread as 1.25.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, select

from . import audit, db
from .clock import Clock, utcnow
from .models import CampaignResult, DeadLetter

KINDS = ("paid", "organic", "ugc", "influencer")
"""How a campaign reached people; the quarterly report weighs UGC and influencer ROI."""
AMOUNTS = ("spend", "creator_fees", "revenue")
COUNTS = ("impressions", "reach", "likes", "comments", "shares", "redemptions")
TEXTS = ("platform", "kind", "creator", "promo_code")
COLUMNS = ("campaign", "start", "end", "period", *TEXTS, *AMOUNTS, *COUNTS, "customers")
_TABLE = CampaignResult.__table__  # type: ignore[attr-defined]
_AMOUNT = re.compile(r"\d+(?:\.\d+)?")
_COUNT = re.compile(r"\d+")
_SLUG = re.compile(r"[\w.:/-]{1,128}")
_PERIOD = re.compile(r"(\d{4})-(?:(\d{2})|[Qq]([1-4]))")


class CampaignFileError(Exception):
    """The file cannot be read as a campaign CSV at all (a usage error, exit 2)."""


@dataclass
class ImportReport:
    """What an import did."""

    imported: int = 0
    """Rows written (new or replacing an earlier import)."""
    rejected: int = 0
    errors: list[str] = field(default_factory=list)
    """Each rejection as `FILE:LINE: reason`."""

    def summary(self) -> str:
        """The one line the CLI prints."""
        return f"imported {self.imported} campaign rows, rejected {self.rejected}"


@dataclass(frozen=True, slots=True)
class CampaignView:
    """A campaign row as listed to people and scripts."""

    campaign: str
    platform: str
    kind: str
    period_start: date
    period_end: date
    spend: float
    creator_fees: float
    impressions: int
    revenue: float
    customers: int | None
    promo_code: str
    redemptions: int

    def to_json(self) -> dict[str, Any]:
        """The row as JSON-ready values."""
        return {k: (v.isoformat() if isinstance(v, date) else v)
                for k, v in ((f, getattr(self, f)) for f in self.__slots__)}


def import_file(engine: Engine, raw: bytes, *, source: str, clock: Clock = utcnow,
                actor: str = "system") -> ImportReport:
    """Validate and import a campaign CSV in one transaction, with its audit event.

    Args:
        engine: the store.
        raw: the file's bytes.
        source: its name, for error lines and dead letters.
        clock: when the import happens.
        actor: who imports (their login), for the audit trail.

    Raises:
        CampaignFileError: no header, an unknown or missing column.
    """
    report = ImportReport()
    rows, rejects = parse(raw, source)
    now = clock()
    for line_no, reason, _ in rejects:
        report.errors.append(f"{source}:{line_no}: {reason}")
    with db.write(engine) as conn:
        for row in rows:
            _upsert(conn, {**row, "imported_at": now})
        if rejects:
            conn.execute(DeadLetter.__table__.insert(), [  # type: ignore[attr-defined]
                {"source": f"campaigns:{source}", "line_no": n, "reason": reason, "raw": text,
                 "created_at": now} for n, reason, text in rejects])
        audit.record(conn, "campaigns.imported", actor=actor, target_kind="file",
                     target_id=source[:200], at=now,
                     details={"imported": len(rows), "rejected": len(rejects),
                              "campaigns": sorted({r["campaign"] for r in rows})[:50]})
    report.imported, report.rejected = len(rows), len(rejects)
    return report


def parse(raw: bytes, source: str) -> tuple[list[dict[str, Any]], list[tuple[int, str, bytes]]]:
    """The valid rows and the rejected ones (line, reason, raw bytes) of a campaign CSV.

    Raises:
        CampaignFileError: no header, an unknown or missing column.
    """
    lines = raw.splitlines(keepends=True)
    if lines and lines[0].startswith(b"\xef\xbb\xbf"):
        lines[0] = lines[0][3:]
    records = _Records(lines)
    header_line = next(records, None)
    if header_line is None or not any(c.strip() for c in header_line[1]):
        raise CampaignFileError(f"{source}:1: empty file: a header line is needed")
    header = [c.strip().lower() for c in header_line[1]]
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise CampaignFileError(f"{source}:1: unknown column {unknown[0]!r} (known: "
                                f"{', '.join(COLUMNS)})")
    if len(set(header)) != len(header):
        raise CampaignFileError(f"{source}:1: a column is named twice")
    if "campaign" not in header or not ({"start", "end"} <= set(header) or "period" in header):
        raise CampaignFileError(f"{source}:1: the header needs `campaign` and either "
                                f"`start` and `end` or `period`")
    good: list[dict[str, Any]] = []
    rejects: list[tuple[int, str, bytes]] = []
    seen: dict[tuple[Any, ...], int] = {}
    for line_no, cells, text in records:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            rejects.append((line_no, f"{len(cells)} cells for {len(header)} columns", text))
            continue
        row, reason = _row(dict(zip(header, (c.strip() for c in cells), strict=True)))
        if row is None:
            rejects.append((line_no, reason, text))
            continue
        key = (row["campaign"], row["platform"], row["period_start"], row["period_end"])
        if key in seen:
            rejects.append((line_no, f"same campaign, platform and period as line {seen[key]}",
                            text))
            continue
        seen[key] = line_no
        good.append({**row, "source": source[:500], "line_no": line_no})
    return good, rejects


def list_campaigns(engine: Engine, *, since: date | None = None,
                   until: date | None = None) -> list[CampaignView]:
    """Imported campaign rows overlapping [since, until], newest period first."""
    c = _TABLE.c
    query = select(*(getattr(c, f) for f in CampaignView.__slots__)).order_by(
        c.period_start.desc(), c.campaign, c.platform)
    if since is not None:
        query = query.where(c.period_end >= since)
    if until is not None:
        query = query.where(c.period_start <= until)
    with db.read(engine) as conn:
        return [CampaignView(*r) for r in conn.execute(query)]


class _Records(Iterator[tuple[int, list[str], bytes]]):
    """CSV records with the line each starts on and its raw bytes (a cell may span lines)."""

    def __init__(self, lines: list[bytes]) -> None:
        self._lines = lines
        self._index = 0
        self._taken: list[bytes] = []
        self._delimiter = ";" if lines and lines[0].count(b";") > lines[0].count(b",") else ","
        self._reader = csv.reader(self._feed(), delimiter=self._delimiter, strict=True)

    def _feed(self) -> Iterable[str]:
        while self._index < len(self._lines):
            line = self._lines[self._index]
            self._index += 1
            self._taken.append(line)
            yield line.decode("utf-8", errors="replace")

    def __next__(self) -> tuple[int, list[str], bytes]:
        self._taken = []
        first = self._index + 1
        try:
            cells = next(self._reader)
        except csv.Error as exc:
            return first, ["\x00bad", str(exc)], b"".join(self._taken)
        raw = b"".join(self._taken)
        if b"\xef\xbf\xbd" not in raw and "\ufffd" in "".join(cells):
            cells = ["\x00bad", "not UTF-8 text"]
        return first, cells, raw


def _row(cells: dict[str, str]) -> tuple[dict[str, Any] | None, str]:
    if "\x00bad" in cells.values():
        return None, "not a CSV record"
    campaign = cells["campaign"]
    if not _SLUG.fullmatch(campaign):
        return None, "campaign must be a slug (letters, digits, - _ . : /), 1-128 characters"
    row: dict[str, Any] = {"campaign": campaign}
    period = _period(cells)
    if isinstance(period, str):
        return None, period
    row["period_start"], row["period_end"] = period
    for name in TEXTS:
        row[name] = cells.get(name, "")
    row["platform"] = row["platform"].lower()
    row["kind"] = (row["kind"] or "paid").lower()
    if row["kind"] not in KINDS:
        return None, f"kind: {row['kind']!r} is not one of {', '.join(KINDS)}"
    if len(row["creator"]) > 128 or len(row["promo_code"]) > 64 or len(row["platform"]) > 32:
        return None, "creator, promo_code or platform is too long"
    for name in AMOUNTS:
        value = cells.get(name, "") or "0"
        if not _AMOUNT.fullmatch(value):
            return None, f"{name}: {value[:40]!r} is not an amount such as 1250.50"
        row[name] = float(value)
    for name in (*COUNTS, "customers"):
        value = cells.get(name, "")
        if not value:
            row[name] = None if name == "customers" else 0
        elif not _COUNT.fullmatch(value):
            return None, f"{name}: {value[:40]!r} is not a whole number"
        else:
            row[name] = int(value)
    return row, ""


def _period(cells: dict[str, str]) -> tuple[date, date] | str:
    if cells.get("period"):
        match = _PERIOD.fullmatch(cells["period"])
        if not match:
            return f"period: {cells['period'][:40]!r} is not a month (2026-11) or quarter (2026-Q4)"
        year = int(match.group(1))
        first_month = int(match.group(2) or (int(match.group(3)) - 1) * 3 + 1)
        months = 1 if match.group(2) else 3
        if not 1 <= first_month <= 12:
            return f"period: no month {first_month}"
        end_month = first_month + months
        end = date(year + (end_month > 12), (end_month - 1) % 12 + 1, 1) - timedelta(days=1)
        return date(year, first_month, 1), end
    try:
        start = date.fromisoformat(cells.get("start", ""))
        end = date.fromisoformat(cells.get("end", ""))
    except ValueError:
        return "start and end must be dates such as 2026-11-01"
    if end < start:
        return "end is before start"
    return start, end


def _upsert(conn: Connection, row: dict[str, Any]) -> None:
    c = _TABLE.c
    conn.execute(_TABLE.delete().where(
        c.campaign == row["campaign"], c.platform == row["platform"],
        c.period_start == row["period_start"], c.period_end == row["period_end"]))
    conn.execute(_TABLE.insert(), row)

