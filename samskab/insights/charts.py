"""Small server-rendered SVG charts. Each chart is shown beside a table with the same numbers.

A chart is its SVG in a wrapper that scrolls sideways on a narrow screen, where the SVG keeps a minimum width
(samskab.css) so that its text stays readable on a phone, followed by its legend as an HTML list: the series'
names wrap and read at the page's own size. Numbers on the axes are formatted for the active language
("2,5" in Danish) and count axes have whole-number ticks.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from samskab.lib.colours import AMBER, BLUE, GREEN, PINK, SKY, VERMILLION

from .marks import SHAPES, mark

# Colours safe for colour-blind readers (the first four are the sectors' colours in the network drawing), dash
# patterns and marker shapes, so colour is never the only cue. The three lists have different lengths (6, 7, 4).
COLOURS = [BLUE, AMBER, GREEN, PINK, VERMILLION, SKY]
DASHES = ["", "8 4", "2 3", "8 3 2 3", "4 4", "12 3 2 3 2 3", "1 5"]
MARKERS = list(SHAPES)
OUTLINE = "#1a1a1a"
FONT = 14  # px in the SVG's own units; the SVG is never drawn narrower than its CSS min-width
CHARACTER_WIDTH = 0.6 * FONT  # a generous average, to keep labels apart
TARGET_TICKS = 5


@dataclass(frozen=True)
class SeriesStyle:
    colour: str
    dash: str
    marker: str


def series_style(k: int) -> SeriesStyle:
    """The k-th series' colour, dash pattern and marker shape. Cycling through lists of 6, 7 and 4, no two of the
    first 84 series look alike; among the first 12, two series of the same colour differ in both dash and
    marker, and so do blue and sky blue, the two colours nearest each other."""
    return SeriesStyle(COLOURS[k % len(COLOURS)], DASHES[k % len(DASHES)], MARKERS[k % len(MARKERS)])


def nice_ticks(lo: float, hi: float, *, whole: bool = False, count: int = TARGET_TICKS) -> list[float]:
    """Round values for the grid lines, from `lo` or just below it to `hi` or just above it, in about `count`
    steps of 1, 2 or 5 times a power of ten; with `whole`, steps of whole numbers (counts: 0, 2, 4, never 2.5)."""
    span = hi - lo if hi > lo else 1.0
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    fraction = raw / power  # 1 <= fraction < 10; rounded to the nearest nice step (Heckbert's "nice numbers")
    step = power * (1 if fraction < 1.5 else 2 if fraction < 3 else 5 if fraction < 7 else 10)
    if whole:
        step = max(1.0, float(round(step)))
    first = math.floor(lo / step + 1e-9)
    last = math.ceil(hi / step - 1e-9) if hi > lo else first + 1
    return [round(i * step, 10) for i in range(first, last + 1)]


def tick_label(value: float, *, step: float, percent: bool = False) -> str:
    """A tick's number in the active language, with as many decimals as the step needs (none for whole steps)."""
    if percent:
        return f"{number_format(round(100 * value), 0)} %"
    decimals = 0 if step >= 1 or step <= 0 else max(0, -math.floor(math.log10(step) + 1e-9))
    return str(number_format(round(value, decimals), decimals))


def _grid(left: float, plot_w: float, lines: Sequence[tuple[float, str]]) -> SafeString:
    """Horizontal grid lines at the given heights, each labelled at the left."""
    return format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#d9d9d9"/>'
        '<text x="{}" y="{}" font-size="{}" text-anchor="end" fill="#333">{}</text>',
        ((left, left + plot_w, y, y, left - 6, y + 5, FONT, label) for y, label in lines),
    )


LABEL_LINES = 2  # a longer label is cut there, with "…"; the table beside the chart has it whole
MIN_SHOWN = 2  # labels kept at least when thinning them so that each fits on LABEL_LINES lines


def _wrap(text: str, characters: int, max_lines: int = LABEL_LINES) -> list[str]:
    """`text` in lines of whole words of at most `characters` (a word longer than a line is cut)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= characters:
            lines[-1] += " " + word
        else:
            lines.append(word if len(word) <= characters else word[: characters - 1] + "…")
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        lines = [*lines[: max_lines - 1], (last if len(last) < characters else last[:-1]) + "…"]
    return lines or [""]


@dataclass(frozen=True)
class _LabelLayout:
    every: int  # only every n-th label is shown
    characters: int  # per line
    lines: int
    widest: int  # characters in the longest line shown


def _label_layout(labels: Sequence[str], slot: float) -> _LabelLayout:
    """Labels `slot` px apart wrap over up to two lines; when even a label's longest word is wider than its slot,
    only every n-th label is shown. So is it when a label would need a third line ("1. kvartal 2026" in a narrow
    slot), as long as at least `MIN_SHOWN` labels stay: a whole label every other slot reads better than each
    label cut short. Where thinning would leave fewer, the labels are cut with "…" instead."""
    longest = max((len(word) for label in labels for word in label.split()), default=1)
    every = max(1, math.ceil((longest * CHARACTER_WIDTH + 6) / max(slot, 1)))

    def characters_at(n: int) -> int:
        return max(longest, int(slot * n / CHARACTER_WIDTH) - 1)

    def whole(n: int) -> bool:
        """Whether every n-th label fits on LABEL_LINES lines."""
        return all(
            len(_wrap(label, characters_at(n), max_lines=LABEL_LINES + 1)) <= LABEL_LINES for label in labels[::n]
        )

    thinner = every
    while not whole(thinner) and math.ceil(len(labels) / (thinner + 1)) >= MIN_SHOWN:
        thinner += 1
    if whole(thinner):
        every = thinner
    characters = characters_at(every)
    wrapped = [_wrap(label, characters) for label in labels[::every]] or [[""]]
    return _LabelLayout(
        every, characters, max(len(lines) for lines in wrapped), max(len(line) for lines in wrapped for line in lines)
    )


def _x_labels(labels: Sequence[str], x: Callable[[int], float], y: float, layout: _LabelLayout) -> SafeString:
    """The labels under the plot, the first line's baseline at `y`, each whole in its tooltip."""
    parts = []
    for i, label in enumerate(labels):
        if i % layout.every:
            continue
        spans = format_html_join(
            "",
            '<tspan x="{}" dy="{}">{}</tspan>',
            ((x(i), 0 if n == 0 else FONT + 2, line) for n, line in enumerate(_wrap(label, layout.characters))),
        )
        parts.append(
            format_html(
                '<text y="{}" font-size="{}" text-anchor="middle" fill="#333"><title>{}</title>{}</text>',
                y,
                FONT,
                label,
                spans,
            )
        )
    return format_html_join("", "{}", ((part,) for part in parts))


def _marker(style: SeriesStyle, x: float, y: float, r: float = 4.5) -> SafeString:
    # `mark` writes numbers and the colour escaped as an attribute: nothing from the caller is unescaped.
    return mark_safe(mark(style.marker, x, y, r, style.colour))


def _legend(names: Sequence[str]) -> SafeString:
    """Each series' line, dash and marker beside its name, as an HTML list below the chart."""
    items = []
    for k, name in enumerate(names):
        style = series_style(k)
        sample = format_html(
            '<svg class="samskab-legend__sample" viewBox="0 0 40 16" width="40" height="16" aria-hidden="true" '
            'focusable="false"><line x1="2" x2="38" y1="8" y2="8" stroke="{}" stroke-width="2.5" '
            'stroke-dasharray="{}"/><g stroke="{}" stroke-width="1">{}</g></svg>',
            style.colour,
            style.dash,
            OUTLINE,
            _marker(style, 20, 8),
        )
        items.append(format_html("<li>{}<span>{}</span></li>", sample, name))
    return format_html('<ul class="samskab-legend">{}</ul>', format_html_join("", "{}", ((item,) for item in items)))


def _chart(
    *, width: int, height: int, title: str, description: str, parts: Sequence[SafeString], names: Sequence[str]
) -> SafeString:
    """The chart: an SVG titled and described for screen readers (who also get the table beside it), in a
    wrapper that scrolls sideways on a narrow screen, where a hint above it says so (samskab.css shows it only
    there). The SVG takes keyboard focus, so that the wrapper can be scrolled without a mouse. Then the legend."""
    return format_html(
        '<p class="samskab-scroll-hint">{hint}</p>'
        '<div class="samskab-chart-scroll"><svg viewBox="0 0 {w} {h}" width="100%" role="img" tabindex="0" '
        'aria-label="{title}" class="samskab-chart"><title>{title}</title><desc>{desc}</desc>{parts}</svg></div>'
        "{legend}",
        hint=_("Scroll sideways to see the whole chart."),
        w=width,
        h=height,
        title=title,
        desc=description,
        parts=format_html_join("", "{}", ((part,) for part in parts)),
        legend=_legend(names),
    )


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str,
    description: str,
    y_max: float = 1.0,
    percent: bool = True,
    whole: bool = False,
    width: int = 480,
    height: int = 260,
) -> SafeString:
    """A line chart of several series over the same labels (values 0..y_max; shares 0..1 when `percent`; `whole`
    for counts). Every point has a marker, so a series of one point shows too."""
    ticks = nice_ticks(0, y_max, whole=whole and not percent)
    low, high = ticks[0], ticks[-1]
    step = ticks[1] - ticks[0]
    left, right, top = 60, 16, 14
    plot_w = width - left - right
    gaps = max(1, len(labels) - 1)
    layout = _label_layout(labels, plot_w / gaps if len(labels) > 1 else plot_w)
    # The first and last points stand in from the plot's edges by half a label, so no label runs off the chart.
    inset = min(plot_w / 4, max(12.0, layout.widest * CHARACTER_WIDTH / 2 + 2))
    if len(labels) > 1:
        layout = _label_layout(labels, (plot_w - 2 * inset) / gaps)
    bottom = 14 + (FONT + 2) * layout.lines
    plot_h = height - top - bottom

    def x(i: int) -> float:
        return round(left + inset + (plot_w - 2 * inset) * (i / gaps if len(labels) > 1 else 0.5), 1)

    def y(v: float) -> float:
        return round(top + plot_h * (1 - min(max((v - low) / (high - low), 0), 1)), 1)

    x_labels = _x_labels(labels, x, height - bottom + FONT + 10, layout)
    parts = [_grid(left, plot_w, [(y(t), tick_label(t, step=step, percent=percent)) for t in ticks]), x_labels]
    for k, (name, values) in enumerate(series):
        style = series_style(k)
        points = [(i, v) for i, v in enumerate(values) if v is not None]
        if len(points) > 1:
            parts.append(
                format_html(
                    '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5" stroke-dasharray="{}"/>',
                    " ".join(f"{x(i)},{y(v)}" for i, v in points),
                    style.colour,
                    style.dash,
                )
            )
        for i, v in points:
            shown = tick_label(v, step=0.01 if percent else (1 if whole else 0.1), percent=percent)
            parts.append(
                format_html(
                    '<g class="samskab-chart__point" stroke="{}" stroke-width="1">{}<title>{}, {}: {}</title></g>',
                    OUTLINE,
                    _marker(style, x(i), y(v)),
                    name,
                    labels[i],
                    shown,
                )
            )
    return _chart(
        width=width,
        height=height,
        title=title,
        description=description,
        parts=parts,
        names=[name for name, _v in series],
    )


def ci_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[tuple[float | None, float | None, float | None]]]],
    *,
    title: str,
    description: str,
    y_min: float = 0.0,
    y_max: float = 100.0,
    width: int = 480,
    height: int = 300,
) -> SafeString:
    """Means with confidence-interval whiskers per label, one line per series (mean, low, high; None = hidden)."""
    ticks = nice_ticks(y_min, y_max)
    low, high = ticks[0], ticks[-1]
    step = ticks[1] - ticks[0]
    left, right, top = 52, 16, 14
    plot_w = width - left - right
    n = len(labels)
    slot = plot_w / max(n, 1)

    def x(i: int, k: float) -> float:
        offset = (k - (len(series) - 1) / 2) * min(6.0, slot / (2 * max(len(series), 1)))  # keep whiskers apart
        return round(left + slot * (i + 0.5) + offset, 1)

    def y(v: float) -> float:
        return round(top + plot_h * (1 - min(max((v - low) / (high - low), 0), 1)), 1)

    def centre(i: int) -> float:
        return x(i, (len(series) - 1) / 2)

    layout = _label_layout(labels, slot)
    bottom = 14 + (FONT + 2) * layout.lines
    plot_h = height - top - bottom
    x_labels = _x_labels(labels, centre, height - bottom + FONT + 10, layout)
    parts = [_grid(left, plot_w, [(y(t), tick_label(t, step=step)) for t in ticks]), x_labels]
    for k, (_name, values) in enumerate(series):
        style = series_style(k)
        points = [(x(i, k), y(m)) for i, (m, _lo, _hi) in enumerate(values) if m is not None]
        if len(points) > 1:
            parts.append(
                format_html(
                    '<polyline points="{}" fill="none" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>',
                    " ".join(f"{px},{py}" for px, py in points),
                    style.colour,
                    style.dash,
                )
            )
        for i, (mean, lo, hi) in enumerate(values):
            if mean is None:
                continue
            if lo is not None and hi is not None:
                parts.append(
                    format_html(
                        '<line x1="{x}" x2="{x}" y1="{lo}" y2="{hi}" stroke="{c}" stroke-width="1.5"/>',
                        x=x(i, k),
                        lo=y(lo),
                        hi=y(hi),
                        c=style.colour,
                    )
                )
            parts.append(
                format_html(
                    '<g class="samskab-chart__point" stroke="{}" stroke-width="1">{}</g>',
                    OUTLINE,
                    _marker(style, x(i, k), y(mean)),
                )
            )
    return _chart(
        width=width,
        height=height,
        title=title,
        description=description,
        parts=parts,
        names=[name for name, _v in series],
    )
