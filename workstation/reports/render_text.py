"""Reports as plain-text tables (a terminal, an email) and as Markdown (a wiki, a PR).

Values come from the store and from campaign files, so both formats pass every cell through
`text.inert` (no escape sequences reach a terminal); Markdown also escapes the characters
that would turn a cell into markup or break the table (`|`, `*`, `_`, `` ` ``, `<`, `[`...).
"""

from __future__ import annotations

import re

from workstation.reports.model import Report, Table, shown
from workstation.text import inert

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")
"""What makes a cell markup (emphasis, links, HTML, code) or breaks a pipe table; `-`, `+`
and `.` only matter at the start of a line, where no cell is."""
CELL = 48
"""Characters a text-table cell keeps."""


def _cells(table: Table) -> list[list[str]]:
    return [[inert(shown(u, v), limit=CELL) for u, v in zip(table.units, row, strict=True)]
            for row in table.rows]


def text(report: Report) -> str:
    """The report as aligned plain-text tables."""
    out = [inert(f"{report.title} · {report.period} ({report.zone})"),
           f"generated {report.generated_at:%Y-%m-%d %H:%M} UTC", ""]
    for problem in report.problems:
        out.append(inert(f"! {problem}", limit=300))
    for section in report.sections:
        out += [inert(section.title), "=" * len(section.title)]
        for table in section.tables:
            out.append(inert(table.title))
            rows = _cells(table)
            header = [inert(c) for c in table.columns]
            widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]
            numeric = [u not in ("text",) for u in table.units]
            def fmt(cells: list[str]) -> str:
                return "  ".join(c.rjust(w) if n else c.ljust(w)
                                 for c, w, n in zip(cells, widths, numeric, strict=True)).rstrip()
            out.append(fmt(header))
            out.append("  ".join("-" * w for w in widths))
            out += [fmt(r) for r in rows] or ["(none)"]
            if table.note:
                out.append(inert(table.note))
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _md(value: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", inert(value)).replace("\n", " ")


def markdown(report: Report) -> str:
    """The report as Markdown: headings, pipe tables, notes in italics."""
    out = [f"# {_md(report.title)}: {_md(report.period)}", "",
           f"Time zone {_md(report.zone)}; generated "
           f"{report.generated_at:%Y-%m-%d %H:%M} UTC.", ""]
    for problem in report.problems:
        out += [f"> {_md(problem)}", ""]
    for section in report.sections:
        out += [f"## {_md(section.title)}", ""]
        for table in section.tables:
            out += [f"### {_md(table.title)}", ""]
            out.append("| " + " | ".join(_md(c) for c in table.columns) + " |")
            out.append("|" + "|".join("---:" if u != "text" else "---"
                                      for u in table.units) + "|")
            for row in table.rows:
                out.append("| " + " | ".join(_md(shown(u, v)) for u, v in
                                             zip(table.units, row, strict=True)) + " |")
            if not table.rows:
                out.append("| " + " | ".join("" for _ in table.columns) + " |")
            out.append("")
            if table.note:
                out += [f"*{_md(table.note)}*", ""]
    return "\n".join(out).rstrip() + "\n"
