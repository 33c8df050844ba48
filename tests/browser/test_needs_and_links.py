"""On a phone, Lars corrects what the partnership needs, and Mette closes and reopens the neighbourhood survey's
open link. Every page on the way passes an axe-core scan and none scrolls sideways."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from samskab.partnerships.models import PartnershipNeed
from samskab.surveys.demo import COMMUNITY_SURVEY, load_demo_surveys
from samskab.surveys.models import Survey

from .conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390


def assert_fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE, page.url


def test_lars_corrects_a_need_and_mette_closes_the_open_link(browser: Browser, live_server: object) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    load_demo_surveys()
    base = str(live_server)
    hours = PartnershipNeed.objects.get(kind="volunteer_hours")

    lars = log_in(browser, base, "lars@egeaa.demo", width=PHONE)
    lars.goto(base + f"/partnerskaber/{hours.partnership_id}/handleplan/")
    # A second need for volunteers in another unit is refused on the field, with what he typed kept.
    lars.get_by_text("Registrér et behov").click()
    form = lars.locator("form:has(input[name='do'][value='need'])")
    form.get_by_label("Type").select_option("volunteer_hours")
    form.get_by_label("Mængde").fill("2")
    form.get_by_label("Enhed").fill("uger")
    form.get_by_role("button", name="Tilføj behov").click()
    expect(lars.locator("#error-summary")).to_contain_text("opgør allerede behov af denne type i “timer om ugen”")
    expect(lars.locator("form:has(input[name='do'][value='need'])").get_by_label("Enhed")).to_have_value("uger")
    assert_accessible(lars)
    assert_fits(lars)

    # He corrects the existing need instead.
    lars.get_by_role("link", name=re.compile(r"^Ret Frivillige timer")).click()
    expect(lars.get_by_role("heading", name="Ret et behov")).to_be_visible()
    assert_accessible(lars)
    assert_fits(lars)
    lars.get_by_label("Mængde").fill("12")
    lars.get_by_role("button", name="Gem").click()
    expect(lars.get_by_text(re.compile(r"Frivillige timer: behov 12 timer om ugen"))).to_be_visible()
    hours.refresh_from_db()
    assert hours.amount == 12

    community = Survey.objects.get(title=COMMUNITY_SURVEY)
    mette = log_in(browser, base, "mette@egeaa.demo", width=PHONE)
    mette.goto(base + community.get_absolute_url())
    mette.get_by_role("button", name="Luk linket").click()
    expect(mette.get_by_text("Linket er lukket: borgerne kan ikke svare, før du åbner det.")).to_be_visible()
    assert_accessible(mette)
    assert_fits(mette)
    citizen = browser.new_context(locale="da-DK").new_page()
    assert citizen.goto(base + community.get_link_url()).status == 404
    mette.get_by_role("button", name="Åbn linket").click()
    expect(mette.locator(".samskab-key")).to_contain_text(community.get_link_url())
    assert citizen.goto(base + community.get_link_url()).ok
