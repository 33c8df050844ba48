"""Small server-rendered SVG charts. Each chart is shown beside a table with the same numbers."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from samskab.lib.colours import AMBER, BLUE, GREEN, PINK, SKY, VERMILLION

# Colours safe for colour-blind readers, plus dash patterns, so colour is not the only cue.
COLOURS = [BLUE, GREEN, VERMILLION, PINK, AMBER, SKY]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "", "4 4"]
TICKS = (0, 0.25, 0.5, 0.75, 1)  # horizontal grid lines, as fractions of the value range


def _style(k: int) -> tuple[str, str]:
    """Colour and dash pattern of the k-th series."""
    return COLOURS[k % len(COLOURS)], DASHES[k % len(DASHES)]


def _grid(left: int, plot_w: float, lines: Sequence[tuple[float, object]]) -> SafeString:
    """Horizontal grid lines at the given heights, each labelled at the left."""
    return format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#e0e0e0"/>'
        '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#333">{}</text>',
        ((left, left + plot_w, y, y, left - 6, y + 4, label) for y, label in lines),
    )


def _x_labels(labels: Sequence[str], x: Callable[[int], float], y: float) -> SafeString:
    return format_html_join(
        "",
        '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#333">{}</text>',
        ((x(i), y, label) for i, label in enumerate(labels)),
    )


LEGEND_CHARACTER_WIDTH = 6.6  # px per character of 12 px text, a generous average
LEGEND_LINES = 3  # a longer name is cut there, with "…"; the table beside the chart has it whole


def _legend_lines(name: str, characters: int) -> list[str]:
    """A series' name in lines of whole words of at most `characters` (a word longer than a line is cut)."""
    lines: list[str] = []
    for word in name.split():
        if lines and len(lines[-1]) + 1 + len(word) <= characters:
            lines[-1] += " " + word
        else:
            lines.append(word if len(word) <= characters else word[: characters - 1] + "…")
    if len(lines) > LEGEND_LINES:
        last = lines[LEGEND_LINES - 1]
        lines = [*lines[: LEGEND_LINES - 1], (last if len(last) < characters else last[:-1]) + "…"]
    return lines or [""]


def _legend(
    names: Sequence[str], *, x: float, room: float, top: float, stroke_width: float
) -> tuple[list[SafeString], float]:
    """Each series' line sample and name, one below the other, to the right of the plot, in `room` px; a long
    name wraps. Returns the parts and where the legend ends."""
    characters = max(8, int((room - 26) / LEGEND_CHARACTER_WIDTH))
    parts = []
    y = top + 14
    for k, name in enumerate(names):
        colour, dash = _style(k)
        lines = _legend_lines(name, characters)
        spans = format_html_join(
            "",
            '<tspan x="{}" dy="{}">{}</tspan>',
            ((x + 26, 0 if i == 0 else 14, line) for i, line in enumerate(lines)),
        )
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="{}" stroke-dasharray="{}"/>'
                '<text y="{}" font-size="12" fill="#1a1a1a"><title>{}</title>{}</text>',
                x,
                x + 22,
                y,
                y,
                colour,
                stroke_width,
                dash,
                y + 4,
                name,
                spans,
            )
        )
        y += 14 * len(lines) + 6
    return parts, y


def _svg(*, width: int, height: int, title: str, description: str, parts: Sequence[SafeString]) -> SafeString:
    """The chart element: titled and described for screen readers, which also get the table beside it."""
    return format_html(
        '<svg viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{title}" class="samskab-chart">'
        "<title>{title}</title><desc>{desc}</desc>{parts}</svg>",
        w=width,
        h=height,
        title=title,
        desc=description,
        parts=format_html_join("", "{}", ((part,) for part in parts)),
    )


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
    left, right, top, bottom = 48, 190, 16, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(1, len(labels) - 1)

    def x(i: int) -> float:
        return round(left + plot_w * (i / n if len(labels) > 1 else 0.5), 1)

    def y(v: float) -> float:
        return round(top + plot_h * (1 - min(max(v / y_max, 0), 1)), 1)

    parts = [
        _grid(left, plot_w, [(y(t * y_max), f"{round(t * 100)} %" if percent else round(t * y_max, 1)) for t in TICKS]),
        _x_labels(labels, x, height - 12),
    ]
    for k, (_name, values) in enumerate(series):
        colour, dash = _style(k)
        points = " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values) if v is not None)
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5" stroke-dasharray="{}"/>',
                points,
                colour,
                dash,
            )
        )
    legend, end = _legend([name for name, _v in series], x=width - right + 8, room=right - 8, top=top, stroke_width=2.5)
    height = max(height, round(end))  # a long legend gets the room it needs below the plot
    return _svg(width=width, height=height, title=title, description=description, parts=[*parts, *legend])


def ci_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[tuple[float | None, float | None, float | None]]]],
    *,
    title: str,
    description: str,
    y_min: float = 0.0,
    y_max: float = 100.0,
    width: int = 640,
    height: int = 300,
) -> SafeString:
    """Means with confidence-interval whiskers per label, one line per series (mean, low, high; None = hidden)."""
    left, right, top, bottom = 48, 190, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(labels)
    span = (y_max - y_min) or 1.0

    def x(i: int, k: float) -> float:
        step = plot_w / max(n, 1)
        offset = (k - (len(series) - 1) / 2) * min(6.0, step / (2 * max(len(series), 1)))  # keep whiskers apart
        return round(left + step * (i + 0.5) + offset, 1)

    def y(v: float) -> float:
        return round(top + plot_h * (1 - min(max((v - y_min) / span, 0), 1)), 1)

    ticks = [y_min + t * span for t in TICKS]
    parts = [
        _grid(left, plot_w, [(y(t), f"{t:g}") for t in ticks]),
        _x_labels(labels, lambda i: x(i, (len(series) - 1) / 2), height - 14),
    ]
    for k, (_name, values) in enumerate(series):
        colour, dash = _style(k)
        points = [(x(i, k), y(m)) for i, (m, _lo, _hi) in enumerate(values) if m is not None]
        if len(points) > 1:
            parts.append(
                format_html(
                    '<polyline points="{}" fill="none" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>',
                    " ".join(f"{px},{py}" for px, py in points),
                    colour,
                    dash,
                )
            )
        for i, (mean, low, high) in enumerate(values):
            if mean is None:
                continue
            if low is not None and high is not None:
                parts.append(
                    format_html(
                        '<line x1="{x}" x2="{x}" y1="{lo}" y2="{hi}" stroke="{c}" stroke-width="1.5"/>',
                        x=x(i, k),
                        lo=y(low),
                        hi=y(high),
                        c=colour,
                    )
                )
            parts.append(
                format_html('<circle cx="{}" cy="{}" r="4" fill="{}" stroke="#1a1a1a"/>', x(i, k), y(mean), colour)
            )
    legend, end = _legend([name for name, _v in series], x=width - right + 8, room=right - 8, top=top, stroke_width=2)
    height = max(height, round(end))
    return _svg(width=width, height=height, title=title, description=description, parts=[*parts, *legend])
