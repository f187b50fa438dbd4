"""Reports as one self-contained HTML file: styles inline, charts as SVG, no script.

People who never open the workstation read this in a browser or print it for a meeting, so
it carries everything it needs (no font, script or image fetched from anywhere) and a print
stylesheet (no page break inside a table row or chart). Every text is HTML-escaped: cells come
from platforms and campaign files.
"""

from __future__ import annotations

from html import escape

from workstation.reports.model import Report, Table, shown
from workstation.reports.svg import chart

_STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330;margin:2rem auto;
max-width:1100px;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:2px solid #3b6ea5;padding-bottom:.2rem;
margin-top:2rem}h3{font-size:1rem;margin-bottom:.3rem}
.meta{color:#5b6475}.problem{background:#fff4e5;border-left:4px solid #e0a030;padding:.4rem .6rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0 .2rem;font-size:13px}
th,td{border-bottom:1px solid #d8dde6;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#eef2f7}td.n{text-align:right;font-variant-numeric:tabular-nums}
.note{color:#5b6475;font-size:12px;margin:.2rem 0 1rem}
.status-met{color:#1f7a3a;font-weight:600}.status-missed{color:#b3261e;font-weight:600}
svg.chart{max-width:100%;height:auto;display:block;margin:.5rem 0}
.bar{fill:#3b6ea5}.line{fill:none;stroke:#3b6ea5;stroke-width:2}.dot{fill:#3b6ea5}
.axis{stroke:#8a93a3}.tick,.label{font-size:10px;fill:#5b6475}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr,svg{break-inside:avoid}
a{color:inherit;text-decoration:none}}
"""


def _table(table: Table) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in table.columns)
    body = []
    for row in table.rows:
        cells = []
        for column, unit, value in zip(table.columns, table.units, row, strict=True):
            text = escape(shown(unit, value))
            css = ' class="n"' if unit != "text" else (
                f' class="status-{text}"' if column == "Status" and text in ("met", "missed")
                else "")
            cells.append(f"<td{css}>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(table.columns)}">none</td></tr>')
    note = f'<p class="note">{escape(table.note)}</p>' if table.note else ""
    return (f"<h3>{escape(table.title)}</h3><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>{note}")


def to_html(report: Report) -> str:
    """The report as a complete HTML document."""
    title = f"{report.title}: {report.period}"
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>",
           f"<h1>{escape(title)}</h1>",
           f'<p class="meta">{escape(report.start.strftime("%Y-%m-%d %H:%M"))} to '
           f'{escape(report.end.strftime("%Y-%m-%d %H:%M"))} ({escape(report.zone)}); '
           f"generated {report.generated_at:%Y-%m-%d %H:%M} UTC</p>"]
    out += [f'<p class="problem">{escape(p)}</p>' for p in report.problems]
    for section in report.sections:
        out.append(f'<section id="{escape(section.key)}"><h2>{escape(section.title)}</h2>')
        if section.text:
            out.append(f"<p>{escape(section.text)}</p>")
        out += [_table(t) for t in section.tables]
        for c in section.charts:
            out.append(f"<h3>{escape(c.title)}</h3>{chart(c)}")
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
