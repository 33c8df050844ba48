"""On a 375 px phone Lars runs the partners' survey: the round's buttons are on the screen, not in a column off
to its side, and after answering he is told when the results come and led on to the survey."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, expect

from samskab.surveys.demo import PARTNER_SURVEY, load_demo_surveys
from samskab.surveys.models import Survey

from .conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = 375


def test_on_a_phone_lars_reaches_the_rounds_buttons_and_the_thanks_page_leads_on(
    browser: Browser, live_server: object
) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    load_demo_surveys()
    base = str(live_server)
    survey = Survey.objects.get(title=PARTNER_SURVEY)
    lars = log_in(browser, base, "lars@egeaa.demo", width=PHONE)
    lars.goto(base + survey.get_absolute_url())
    assert lars.evaluate("document.documentElement.scrollWidth") <= PHONE
    for button in (lars.locator("form[action$='/inviter/'] button"), lars.locator("form[action$='/besvar/'] button")):
        expect(button).to_be_visible()
        box = button.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE, box
    assert_accessible(lars)

    lars.locator("form[action$='/besvar/'] button").click()
    lars.locator("input[name='EQ1'][value='75']").check()
    lars.locator("button[type='submit'].button-primary").click()
    expect(lars).to_have_url(re.compile(r"/maalinger/tak/\?runde="))
    lead_on = lars.get_by_role("link", name="Gå til målingen")
    expect(lead_on).to_be_visible()
    assert lars.evaluate("document.documentElement.scrollWidth") <= PHONE
    assert_accessible(lars)
    lead_on.click()
    expect(lars).to_have_url(base + survey.get_absolute_url())
