"""Karin reads her dashboards on a 375 px phone: every chart's text is at least 10 px as drawn (the chart keeps a
minimum width and scrolls sideways inside its own wrapper, which the keyboard can reach), its legend is a list of
names at the page's text size below it, the network names its most central actors, and no page is wider than the
phone."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page

from samskab.surveys.demo import load_demo_surveys

from .conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = 375
READABLE = 10  # px: the smallest text as drawn on the screen

# For each SVG, the drawn size of its smallest text: font size in the SVG's units times the scale it is drawn at.
SMALLEST_TEXT = """selector => [...document.querySelectorAll(selector)].map(svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const sizes = [...svg.querySelectorAll("text")].map(text => parseFloat(getComputedStyle(text).fontSize) * scale);
  return Math.min(...sizes);
})"""


def assert_fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE, f"{page.url} is {width} px wide"


def test_karins_charts_are_readable_on_a_phone(browser: Browser, live_server: object) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    load_demo_surveys()
    base = str(live_server)
    karin = log_in(browser, base, "karin@egeaa.demo", width=PHONE)

    karin.goto(base + "/kommune/oversigt/")
    charts = karin.locator("svg.samskab-chart")
    assert charts.count() >= 2  # the power balance over time and at least one survey
    assert min(karin.evaluate(SMALLEST_TEXT, "svg.samskab-chart")) >= READABLE
    for index in range(charts.count()):
        chart = charts.nth(index)
        wrapper = chart.locator("xpath=..")
        assert wrapper.evaluate("w => w.scrollWidth > w.clientWidth")  # it scrolls inside, not the page
        assert chart.get_attribute("tabindex") == "0"
        # The legend is HTML below the chart, in the page's own text size, every name on the screen.
        legend = wrapper.locator("xpath=following-sibling::ul[1]")
        assert legend.get_attribute("class") == "samskab-legend"
        for item in legend.locator("li").all():
            box = item.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE
            assert float(item.evaluate("li => getComputedStyle(li).fontSize")[:-2]) >= 14
    # The over-time chart has a line through the demo's months and a marker on each.
    over_time = charts.first
    assert over_time.locator("polyline").count() >= 1 and over_time.locator(".samskab-chart__point").count() >= 8
    assert_fits(karin)
    assert_accessible(karin)

    karin.goto(base + "/kommune/netvaerk/")
    drawing = karin.locator("svg.samskab-network")
    assert drawing.locator("g.labels text").count() >= 4
    assert karin.evaluate(SMALLEST_TEXT, "svg.samskab-network")[0] >= READABLE
    assert min(karin.evaluate(SMALLEST_TEXT, "svg.samskab-chart")) >= READABLE  # new ties per quarter
    assert_fits(karin)
    assert_accessible(karin)
