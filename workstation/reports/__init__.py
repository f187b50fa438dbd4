"""Reports for people who never open the workstation: triage, performance, strategy.

`data.build` assembles a `model.Report`; `render` turns it into one of `FORMATS`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the command line lists FORMATS at every start: the model loads the rules
    from workstation.reports.model import Report

FORMATS = ("table", "md", "csv", "json", "html")


def render(report: Report, fmt: str) -> str:
    """The report in a format of `FORMATS`.

    Raises:
        ValueError: an unknown format.
    """
    if fmt == "table":
        from workstation.reports.render_text import text

        return text(report)
    if fmt == "md":
        from workstation.reports.render_text import markdown

        return markdown(report)
    if fmt == "csv":
        from workstation.reports.render_csv import to_csv

        return to_csv(report)
    if fmt == "json":
        return json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        from workstation.reports.render_html import to_html

        return to_html(report)
    raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
