"""On a phone (375 px wide), or a desktop zoomed to 400 %, Karin still reaches every menu and her own links,
no page is wider than the screen, and tables too wide for it scroll inside their own focusable region."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from samskab.opinions.models import Conversation
from samskab.surveys.demo import PARTNER_SURVEY, load_demo_surveys
from samskab.surveys.models import Survey

from .conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = 375


def assert_fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE, f"{page.url} is {width} px wide"


def test_a_phone_reaches_every_menu_and_no_page_is_wider_than_it(browser: Browser, live_server: object) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    load_demo_surveys()
    base = str(live_server)
    karin = log_in(browser, base, "karin@egeaa.demo", width=PHONE)

    karin.goto(base + "/")
    expect(karin.get_by_role("button", name="Log ud")).to_be_visible()
    expect(karin.get_by_role("link", name="Notifikationer")).to_be_visible()
    menu = karin.get_by_role("navigation", name="Hovedmenu")
    expect(menu.get_by_role("link", name="Forside")).to_be_visible()
    # Menu items that do not fit move under "Mere", which opens by keyboard.
    more = menu.get_by_role("button", name="Mere")
    more.focus()
    karin.keyboard.press("Enter")
    menu.get_by_role("link", name="Aktører").click()
    expect(karin.get_by_role("heading", level=1)).to_have_text("Aktører")
    assert_fits(karin)
    assert_accessible(karin)

    conversation = Conversation.objects.filter(partnership__isnull=False).order_by("pk").first()
    assert conversation is not None
    survey = Survey.objects.get(title=PARTNER_SURVEY)
    for path in (
        f"/samtaler/{conversation.pk}/resultater/",
        survey.get_absolute_url(),
        "/kommune/netvaerk/",
        "/kommune/oversigt/",
    ):
        karin.goto(base + path)
        assert_fits(karin)
        assert_accessible(karin)
    # A table wider than the phone scrolls in a region the keyboard can reach, named by its caption.
    regions = karin.locator(".table--responsive-scroll[role=region]")
    assert regions.count() > 0
    assert regions.first.get_attribute("tabindex") == "0" and regions.first.get_attribute("aria-label")

    # In English the overflow menu is "More", as the rest of the page.
    karin.goto(base + "/")
    karin.get_by_role("button", name="English").click()
    expect(karin.locator("html")).to_have_attribute("lang", "en")
    english = karin.get_by_role("navigation", name="Main menu")
    expect(english.get_by_role("button", name="More")).to_be_visible()
    expect(english.get_by_role("button", name="Mere")).to_have_count(0)
