"""Lars answers the partners' survey from the survey page, sees the results of the closed round, a citizen
answers the neighbourhood's trust survey through the open link, and Karin reads the dashboard and the
network. Every page on the way passes an axe-core scan. Selectors use form names and addresses, not texts,
so the journey holds when the Danish catalogue changes."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, expect

from samskab.surveys.demo import COMMUNITY_SURVEY, PARTNER_SURVEY, load_demo_surveys
from samskab.surveys.models import PooledResponse, Response, Survey

from .conftest import assert_accessible
from .test_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_answering_and_reading_surveys(browser: Browser, live_server: object) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    load_demo_surveys()
    base = str(live_server)
    partners = Survey.objects.get(title=PARTNER_SURVEY)

    def answers() -> int:  # written, or waiting to be mixed in with others' (`PooledResponse`)
        return sum(model.objects.filter(wave__survey=partners).count() for model in (Response, PooledResponse))

    before = answers()

    lars = log_in(browser, base, "lars@egeaa.demo")
    lars.goto(base + partners.get_absolute_url())
    assert_accessible(lars)
    lars.locator("form[action$='/besvar/'] button").click()
    expect(lars.locator("input[name='EQ1']").first).to_be_visible()
    assert_accessible(lars)
    lars.locator("button[type='submit'].button-primary").click()  # nothing answered: the error summary
    summary = lars.locator("#error-summary")
    expect(summary).to_be_visible()
    assert_accessible(lars)
    lars.locator("input[name='EQ1'][value='75']").check()
    lars.locator("input[name='EQ2'][value='100']").check()
    lars.locator("textarea[name='FT_MORE_EQUAL']").fill("Flere møder i hallen")
    lars.locator("button[type='submit'].button-primary").click()
    expect(lars).to_have_url(re.compile(re.escape(f"{base}/maalinger/tak/?runde=")))
    assert_accessible(lars)
    assert answers() == before + 1

    lars.goto(f"{base}/maalinger/{partners.pk}/resultater/")
    expect(lars.locator("table caption").first).to_be_visible()
    assert_accessible(lars)

    community = Survey.objects.get(title=COMMUNITY_SURVEY)
    citizen = browser.new_context(locale="da-DK").new_page()
    citizen.goto(base + community.get_link_url())
    expect(citizen.locator("input[name='OECD_GT']").first).to_be_visible()
    assert_accessible(citizen)
    citizen.locator("input[name='OECD_GT'][value='7']").check()
    citizen.locator("button[type='submit'].button-primary").click()
    expect(citizen).to_have_url(re.compile(re.escape(f"{base}/maalinger/tak/?runde=")))
    citizen.goto(base + community.get_link_url())  # the same browser cannot answer twice
    expect(citizen.locator(".alert-warning")).to_be_visible()
    assert_accessible(citizen)

    karin = log_in(browser, base, "karin@egeaa.demo")
    for path in ("/kommune/oversigt/", "/kommune/netvaerk/"):
        karin.goto(base + path)
        expect(karin.locator("svg[role='img']").first).to_be_visible()
        assert_accessible(karin)
