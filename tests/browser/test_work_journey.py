"""In the browser: a citizen with the link votes by keyboard; members use the agenda, proposals and the
action plan; every page passes axe-core."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from samskab.opinions.models import Conversation, Vote

from .conftest import assert_accessible
from .test_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_with_the_link_votes_by_keyboard(page: Page, live_server: object) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    conversation = Conversation.objects.get()
    page.goto(str(live_server) + conversation.get_link_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(conversation.question)
    assert_accessible(page)
    page.get_by_label("Borger").check()
    page.get_by_role("button", name="Start").click()
    card = page.locator("#vote-card")
    first = card.locator("blockquote").inner_text()
    # Keyboard only: focus the "Enig" button and press Enter; htmx swaps in the next card.
    card.get_by_role("button", name="Enig", exact=True).focus()
    page.keyboard.press("Enter")
    expect(card.locator("blockquote")).not_to_have_text(first)
    card.get_by_role("button", name="Uenig").focus()
    page.keyboard.press("Enter")
    expect(card).to_contain_text("Udsagn 3 af")
    assert_accessible(page)
    mine = Vote.objects.filter(participant__user__isnull=True).exclude(participant__cookie_key__startswith="demo-")
    assert sorted(mine.values_list("value", flat=True)) == [-1, 1]
    assert set(mine.values_list("participant__sector", flat=True)) == {"citizen"}
    page.get_by_role("link", name="Se meningskortet").click()
    expect(page.locator("svg[role=img]")).to_be_visible()
    expect(page.get_by_role("heading", name="Udsagn der bygger bro mellem sektorerne")).to_be_visible()
    assert_accessible(page)


def test_members_work_together(browser: Browser, live_server: object) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    base = str(live_server)
    lars = log_in(browser, base, "lars@egeaa.demo")
    lars.get_by_role("link", name="Partnerskaber", exact=True).click()
    lars.get_by_role("link", name=re.compile("unge i Nørreby")).first.click()
    for section in ("Dagsorden", "Møder", "Forslag", "Beslutningslog", "Handleplan og ressourcer", "Magtbalance"):
        nav = lars.get_by_role("navigation", name="Partnerskabet")
        nav.get_by_role("link", name=section).click()
        expect(nav.locator("[aria-current=page]")).to_have_text(section)  # the new page, not the one left
        assert_accessible(lars)
    lars.get_by_role("navigation", name="Partnerskabet").get_by_role("link", name="Forslag").click()
    lars.get_by_role("link", name="Ti fritidsjob i Nørreby").click()
    expect(lars.get_by_text("Jobcentret skal med")).to_be_visible()
    lars.get_by_label("Samtykke", exact=True).check()
    lars.get_by_role("button", name="Send svar").click()
    expect(lars.get_by_role("row", name=re.compile("Nørreby Boldklub"))).to_contain_text("Samtykke")
    assert_accessible(lars)
