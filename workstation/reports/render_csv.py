"""Reports as CSV: one row per table row, raw numbers, safe to open in a spreadsheet.

Every table goes into one file with `section` and `table` columns in front, so a script can
filter and a person can pivot. Numbers stay raw (seconds, percents, amounts). A text cell
that a spreadsheet would take for a formula (starting with `=`, `+`, `-`, `@`, a tab or a
carriage return: OWASP's CSV injection list) is prefixed with a quote, so campaign names or
captions from outside can never run as formulas, and escape sequences are made inert.
"""

from __future__ import annotations

import csv
import io

from workstation.reports.model import Report, Value
from workstation.text import csv_cell


def cell(value: Value) -> str | int | float:
    """A value as a CSV cell: numbers raw, text defused (`text.csv_cell`)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return csv_cell(value)


def to_csv(report: Report) -> str:
    """The report's tables as one CSV document (header: section, table, then columns)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for section in report.sections:
        for table in section.tables:
            writer.writerow([cell(c) for c in ("section", "table", *table.columns)])
            for row in table.rows:
                writer.writerow([cell(section.key), cell(table.title), *(cell(v) for v in row)])
            writer.writerow([])
    return out.getvalue()
