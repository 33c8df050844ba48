"""Small server-rendered SVG charts. Each chart is shown beside a table with the same numbers."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# Okabe–Ito colours, distinguishable with the common colour-vision deficiencies, plus dash patterns.
COLOURS = ["#0072B2", "#009E73", "#D55E00", "#CC79A7", "#E69F00", "#56B4E9"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "", "4 4"]


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str,
    description: str,
    y_max: float = 1.0,
    percent: bool = True,
    width: int = 640,
    height: int = 280,
) -> SafeString:
    """A line chart of several series over the same labels (values 0..y_max)."""
    left, right, top, bottom = 48, 140, 16, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(1, len(labels) - 1)

    def x(i: int) -> float:
        return round(left + plot_w * (i / n if len(labels) > 1 else 0.5), 1)

    def y(v: float) -> float:
        return round(top + plot_h * (1 - min(max(v / y_max, 0), 1)), 1)

    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#e0e0e0"/><text x="{}" y="{}" font-size="11" '
        'text-anchor="end" fill="#333">{}</text>',
        (
            (
                left,
                left + plot_w,
                y(t * y_max),
                y(t * y_max),
                left - 6,
                y(t * y_max) + 4,
                f"{round(t * 100)} %" if percent else round(t * y_max, 1),
            )
            for t in (0, 0.25, 0.5, 0.75, 1)
        ),
    )
    xlabels = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#333">{}</text>',
        ((x(i), height - 12, label) for i, label in enumerate(labels)),
    )
    lines = []
    for k, (name, values) in enumerate(series):
        points = " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values) if v is not None)
        colour, dash = COLOURS[k % len(COLOURS)], DASHES[k % len(DASHES)]
        lines.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5" stroke-dasharray="{}"/>'
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2.5" stroke-dasharray="{}"/>'
                '<text x="{}" y="{}" font-size="12" fill="#1a1a1a">{}</text>',
                points,
                colour,
                dash,
                width - right + 8,
                width - right + 30,
                top + 14 + 18 * k,
                top + 14 + 18 * k,
                colour,
                dash,
                width - right + 34,
                top + 18 + 18 * k,
                name,
            )
        )
    return format_html(
        '<svg viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{title}" class="samskab-chart">'
        "<title>{title}</title><desc>{desc}</desc>{grid}{xlabels}{lines}</svg>",
        w=width,
        h=height,
        title=title,
        desc=description,
        grid=grid,
        xlabels=xlabels,
        lines=format_html_join("", "{}", ((line,) for line in lines)),
    )
