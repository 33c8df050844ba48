"""The server-rendered charts, read back as the browser gets them: the SVG in its scrolling wrapper and the legend
as an HTML list below it. Karin reads them on the dashboard; every series must be visible and told apart, and
the axes must read as Danish numbers."""

import itertools
import xml.etree.ElementTree as ET

from django.utils import translation

from samskab.insights import charts
from samskab.lib import colours


def parse(html: str) -> ET.Element:
    return ET.fromstring(f"<chart>{html}</chart>")


def plot(html: str) -> ET.Element:
    svg = parse(html).find("div/svg")
    assert svg is not None
    return svg


def tick_labels(html: str) -> list[str]:
    """The y axis' labels: the texts at the left end of the grid lines, bottom to top."""
    svg = plot(html)
    return [text.text or "" for text in svg.iter("text") if text.get("text-anchor") == "end"]


def points(html: str) -> list[ET.Element]:
    return [g for g in plot(html).iter("g") if g.get("class") == "samskab-chart__point"]


def shape(mark: ET.Element) -> str:
    """A marker's shape: its element, and for a polygon its corners (3: a triangle, 4: a diamond)."""
    element = next(iter(mark))
    corners = len((element.get("points") or "").split())
    return f"{element.tag}{corners or ''}"


def fill(mark: ET.Element) -> str | None:
    return next(iter(mark)).get("fill")


def test_a_single_month_still_shows_a_marker_for_every_series() -> None:
    # The first month of a partnership: one point per sector. A polyline of one point draws nothing.
    html = str(
        charts.line_chart(
            ["2026-12"],
            [("Kommune", [0.0]), ("Forening", [0.5]), ("Borger", [0.17]), ("Virksomhed", [0.33])],
            title="Initiativ",
            description="d",
        )
    )
    marks = points(html)
    assert len(marks) == 4
    assert len({shape(mark) for mark in marks}) == 4 and len({fill(mark) for mark in marks}) == 4
    assert [mark.find("title").text for mark in marks][1] == "Forening, 2026-12: 50 %"  # type: ignore[union-attr]
    assert "<polyline" not in html
    # A longer series has its line and a marker on every point, also after a gap.
    longer = str(charts.line_chart(["jan", "feb", "mar"], [("Kommune", [0.2, None, 0.4])], title="t", description="d"))
    assert longer.count("<polyline") == 1 and len(points(longer)) == 2


def test_twelve_series_never_share_a_style() -> None:
    styles = [charts.series_style(k) for k in range(12)]
    assert len(set(styles)) == 12
    for a, b in itertools.combinations(styles, 2):
        if a.colour == b.colour or {a.colour, b.colour} == {colours.BLUE, colours.SKY}:
            # The same colour, or the two blues: both the dash and the marker differ.
            assert a.dash != b.dash and a.marker != b.marker, (a, b)
    assert len({charts.series_style(k) for k in range(84)}) == 84


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_every_series_colour_stands_out_from_the_white_background() -> None:
    # WCAG 1.4.11: lines and markers that carry meaning have at least 3:1 against white.
    for colour in charts.COLOURS:
        assert 1.05 / (relative_luminance(colour) + 0.05) >= 3, colour


def test_nine_survey_scales_are_told_apart_in_the_chart_and_its_legend() -> None:
    names = [f"Tillid {n}" for n in range(9)]
    html = str(
        charts.ci_chart(
            ["Før", "Efter"],
            [(name, [(5.0 + k / 10, 4.0, 6.0), (5.5, 5.0, 6.0)]) for k, name in enumerate(names)],
            title="Tillid",
            description="d",
            y_max=10,
        )
    )
    chart = parse(html)
    legend = chart.find("ul")
    assert legend is not None and legend.get("class") == "samskab-legend"
    items = legend.findall("li")
    assert [item.find("span").text for item in items] == names  # type: ignore[union-attr]
    samples = []
    for item in items:
        sample = item.find("svg")
        assert sample is not None and sample.get("aria-hidden") == "true"
        line = sample.find("line")
        marker = sample.find("g")
        assert line is not None and marker is not None
        samples.append((line.get("stroke"), line.get("stroke-dasharray"), shape(marker)))
    assert len(set(samples)) == 9
    # In the plot, each series' markers have its legend's colour and shape.
    for k, mark in enumerate(points(html)):
        assert (fill(mark), shape(mark)) == (samples[k // 2][0], samples[k // 2][2])
    # The names are HTML below the plot, not small text inside it.
    assert not any((text.text or "").startswith("Tillid") for text in plot(html).iter("text"))


def test_legend_names_wrap_in_html_and_stay_whole() -> None:
    name = "Åben dagsorden og fælles beslutninger i partnerskabet"
    html = str(
        charts.line_chart(
            ["2026-11", "2026-12"], [(name, [0.3, 0.5]), ("Tillid", [0.4, 0.6])], title="t", description="d"
        )
    )
    legend = parse(html).find("ul")
    assert legend is not None
    assert [li.find("span").text for li in legend.findall("li")] == [name, "Tillid"]  # type: ignore[union-attr]
    assert "…" not in html


def test_the_chart_scrolls_in_its_wrapper_and_can_be_reached_by_keyboard() -> None:
    html = str(charts.line_chart(["2026-12"], [("Kommune", [0.5])], title="Initiativ <over tid>", description="d"))
    wrapper = parse(html).find("div")
    assert wrapper is not None and wrapper.get("class") == "samskab-chart-scroll"
    svg = plot(html)
    assert svg.get("tabindex") == "0" and svg.get("role") == "img" and svg.get("aria-label") == "Initiativ <over tid>"
    assert "&lt;over tid&gt;" in html


def test_count_axes_have_whole_ticks() -> None:
    # New ties per quarter, at most 12: 0, 2, 4, ... 12, never "4.0".
    html = str(
        charts.line_chart(
            ["2026-Q1", "2026-Q2"],
            [("Brobyggende", [12, 3]), ("Sammenbindende", [1, 0])],
            title="t",
            description="d",
            y_max=12,
            percent=False,
            whole=True,
        )
    )
    assert tick_labels(html) == ["0", "2", "4", "6", "8", "10", "12"]
    assert tick_labels(
        str(charts.line_chart(["a"], [("x", [1])], title="t", description="d", y_max=1, percent=False, whole=True))
    ) == ["0", "1"]
    assert charts.nice_ticks(0, 3, whole=True) == [0, 1, 2, 3]


def test_axis_numbers_are_written_as_the_reader_writes_them() -> None:
    with translation.override("da"):
        survey = str(charts.ci_chart(["Før"], [("Tillid", [(5.0, 4.0, 6.0)])], title="t", description="d", y_max=10))
        assert tick_labels(survey) == ["0", "2", "4", "6", "8", "10"]  # not 2.5, 7.5
        fractions = str(
            charts.line_chart(["a", "b"], [("x", [0.1, 0.4])], title="t", description="d", y_max=0.5, percent=False)
        )
        assert tick_labels(fractions) == ["0,0", "0,1", "0,2", "0,3", "0,4", "0,5"]  # one decimal each
        shares = str(charts.line_chart(["a", "b"], [("x", [0.1, 0.4])], title="t", description="d"))
        assert tick_labels(shares) == ["0 %", "20 %", "40 %", "60 %", "80 %", "100 %"]
    with translation.override("en"):
        fractions = str(
            charts.line_chart(["a", "b"], [("x", [0.1, 0.4])], title="t", description="d", y_max=0.5, percent=False)
        )
        assert tick_labels(fractions)[-1] == "0.5"


def test_many_month_labels_are_thinned_so_they_never_overlap() -> None:
    months = [f"2026-{m:02d}" for m in range(1, 13)] + [f"2027-{m:02d}" for m in range(1, 13)]
    html = str(charts.line_chart(months, [("x", [0.5] * 24)], title="t", description="d"))
    labels = [text for text in plot(html).iter("text") if text.get("text-anchor") == "middle"]
    xs = [float(next(iter(text.findall("tspan"))).get("x") or 0) for text in labels]
    assert 2 < len(labels) < 24
    width = len("2026-01") * charts.CHARACTER_WIDTH
    assert all(b - a >= width for a, b in itertools.pairwise(xs))
    assert min(xs) - width / 2 >= 0 and max(xs) + width / 2 <= 480  # inside the drawing
