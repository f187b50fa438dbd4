"""Charts as inline SVG: bars or a line over labelled points, no script, no network.

The HTML report must open from a mail attachment on a machine without internet and print
cleanly, so charts are drawn here as plain SVG elements. Labels are escaped (they can be
campaign names from a CSV). Negative values (sentiment, a losing ROI) hang below a zero line.
"""

from __future__ import annotations

from html import escape

from workstation.reports.model import Chart, shown

WIDTH, HEIGHT = 640, 200
_LEFT, _BOTTOM, _TOP = 56, 40, 16


def chart(c: Chart) -> str:
    """One chart as an `<svg>` element with a title for screen readers."""
    values = [v for v in c.values if v is not None]
    if not values:
        return f'<p class="empty">{escape(c.title)}: nothing to draw.</p>'
    high, low = max(max(values), 0.0), min(min(values), 0.0)
    if high == low:
        high = low + 1.0
    plot_w, plot_h = WIDTH - _LEFT - 8, HEIGHT - _BOTTOM - _TOP

    def y(v: float) -> float:
        return _TOP + (high - v) / (high - low) * plot_h

    n = len(c.values)
    step = plot_w / max(n, 1)
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
             f'height="{HEIGHT}" role="img" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(c.title)}</title>",
             f'<line class="axis" x1="{_LEFT}" y1="{y(0):.1f}" x2="{WIDTH - 8}" '
             f'y2="{y(0):.1f}"/>']
    for v in (high, low) if low < 0 else (high,):
        parts.append(f'<text class="tick" x="{_LEFT - 4}" y="{y(v) + 4:.1f}" '
                     f'text-anchor="end">{escape(shown(c.unit, v))}</text>')
    points = []
    for i, (label, v) in enumerate(zip(c.labels, c.values, strict=True)):
        x = _LEFT + i * step
        if v is not None:
            if c.kind == "bars":
                top, bottom = sorted((y(v), y(0)))
                parts.append(f'<rect class="bar" x="{x + step * 0.15:.1f}" y="{top:.1f}" '
                             f'width="{step * 0.7:.1f}" height="{max(bottom - top, 0.5):.1f}">'
                             f"<title>{escape(label)}: {escape(shown(c.unit, v))}</title>"
                             "</rect>")
            else:
                points.append(f"{x + step / 2:.1f},{y(v):.1f}")
                parts.append(f'<circle class="dot" cx="{x + step / 2:.1f}" cy="{y(v):.1f}" '
                             f'r="2.5"><title>{escape(label)}: '
                             f"{escape(shown(c.unit, v))}</title></circle>")
        every = max(1, n // 12)
        if i % every == 0:
            parts.append(f'<text class="label" x="{x + step / 2:.1f}" y="{HEIGHT - _BOTTOM + 14}"'
                         f' text-anchor="middle">{escape(label[:14])}</text>')
    if points:
        parts.insert(3, f'<polyline class="line" points="{" ".join(points)}"/>')
    parts.append("</svg>")
    return "".join(parts)
