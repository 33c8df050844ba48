"""On a 375 px phone Lars reads the partners' survey results: every figure of a scale's table, its interval and
Cronbach's alpha included, is on the screen under its heading, not cut off in a box that scrolls sideways."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, expect

from samskab.surveys.demo import PARTNER_SURVEY, load_demo_surveys
from samskab.surveys.models import Survey

from .conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = 375


def test_on_a_phone_lars_reads_every_column_of_the_results(browser: Browser, live_server: object) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    load_demo_surveys()
    base = str(live_server)
    survey = Survey.objects.get(title=PARTNER_SURVEY)
    lars = log_in(browser, base, "lars@egeaa.demo", width=PHONE)
    lars.goto(f"{base}/maalinger/{survey.pk}/resultater/")
    table = lars.locator("table").first
    expect(table).to_be_visible()
    assert lars.evaluate("document.documentElement.scrollWidth") <= PHONE
    for title in ("95 % konfidensinterval", "Cronbachs alfa"):
        cell = table.locator(f'td[data-title="{title}"]').first
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE, (title, box)
    assert_accessible(lars)
