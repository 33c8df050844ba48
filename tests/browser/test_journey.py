"""Sofie raises a challenge, Mette starts a partnership from it and invites the sports club, Lars accepts for
the club, and everyone sees it on the partnership home. Every page on the way passes an axe-core scan."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from samskab.partnerships.models import Partnership, PartnershipMember

from .conftest import assert_accessible, axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Unge uden fritidsjob i Havnekvarteret"


def test_from_challenge_to_partnership(browser: Browser, live_server: object) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    base = str(live_server)

    # Sofie raises a challenge; an empty form first gives the design system's error summary.
    sofie = log_in(browser, base, "sofie@egeaa.demo")
    assert_accessible(sofie)
    sofie.get_by_role("link", name="Rejs en udfordring").first.click()
    expect(sofie.get_by_role("heading", level=1)).to_have_text("Rejs en udfordring")
    assert_accessible(sofie)
    sofie.get_by_role("button", name="Offentliggør udfordringen").click()
    summary = sofie.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Dette felt er påkrævet")
    assert_accessible(sofie)
    sofie.get_by_label("Titel").fill(TITLE)
    sofie.get_by_label("Hvad ser du?").fill("Mange unge i Havnekvarteret søger fritidsjob uden at få svar.")
    sofie.get_by_label("Kvarter eller sted").fill("Havnekvarteret")
    sofie.get_by_label("Børn og unge").check()
    sofie.get_by_role("button", name="Offentliggør udfordringen").click()
    expect(sofie.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_accessible(sofie)
    challenge_url = sofie.url

    # Mette starts a partnership from it and invites the sports club.
    mette = log_in(browser, base, "mette@egeaa.demo")
    mette.goto(challenge_url)
    mette.get_by_role("link", name="Start et partnerskab om udfordringen").click()
    expect(mette.get_by_role("heading", level=1)).to_have_text("Start et partnerskab")
    assert_accessible(mette)
    expect(mette.get_by_label("Titel")).to_have_value(TITLE)
    mette.get_by_role("button", name="Start partnerskabet").click()
    expect(mette.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_accessible(mette)
    mette.get_by_role("link", name="Invitér en aktør").click()
    expect(mette.get_by_role("heading", level=1)).to_have_text("Invitér en aktør")
    assert_accessible(mette)
    mette.get_by_label("Aktør, der skal inviteres").select_option(label="Nørreby Boldklub (Forening)")
    mette.get_by_label("Besked").fill("Vil I være med? I kender de unge fra hallen.")
    mette.get_by_role("button", name="Send invitation").click()
    expect(mette.get_by_text("Nørreby Boldklub er inviteret.")).to_be_visible()
    partnership_url = mette.url

    # Lars accepts for the club.
    lars = log_in(browser, base, "lars@egeaa.demo")
    lars.get_by_role("link", name="Invitationer", exact=True).click()
    expect(lars.get_by_role("heading", level=1)).to_have_text("Invitationer til partnerskaber")
    assert_accessible(lars)
    invitation = lars.get_by_role("region", name=re.compile(TITLE))
    invitation.get_by_role("button", name="Acceptér").click()
    expect(lars.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_accessible(lars)

    partnership = Partnership.objects.get(title=TITLE)
    assert PartnershipMember.objects.filter(partnership=partnership, actor__name="Nørreby Boldklub").exists()

    # Everyone — the members, Sofie and an anonymous visitor — sees the club among the members.
    anonymous = browser.new_context(locale="da-DK").new_page()
    for page in (mette, lars, sofie, anonymous):
        page.goto(partnership_url)
        associations = page.get_by_role("heading", name=re.compile("^Forening")).locator(
            "xpath=following-sibling::ul[1]"
        )
        expect(associations).to_contain_text("Nørreby Boldklub")
        municipal = page.get_by_role("heading", name=re.compile("^Kommune")).locator("xpath=following-sibling::ul[1]")
        expect(municipal).to_contain_text("Center for Samskabelse")
    assert_accessible(anonymous)


def test_outsider_pages_are_accessible_and_in_danish(page: Page, live_server: object) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    base = str(live_server)
    for path in ("/", "/aktoerer/", "/aktoerer/kort/", "/udfordringer/", "/partnerskaber/", "/konto/signup/"):
        page.goto(base + path)
        expect(page.locator("html")).to_have_attribute("lang", "da")
        assert_accessible(page)
    page.goto(base + "/aktoerer/")
    page.get_by_label("Søg på navn, beskrivelse, ressourcer eller temaer").fill("boldklub")
    page.get_by_role("button", name="Søg").click()
    expect(page.locator("#results")).to_contain_text("Nørreby Boldklub")
    # The new count is announced through the status line that stays on the page.
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^\d+ aktør(er)? fundet$"))
    page.get_by_role("link", name="Nørreby Boldklub").click()
    expect(page.get_by_role("heading", name="Hvad vi kan tilbyde")).to_be_visible()
    assert_accessible(page)


def test_the_accessibility_scan_does_catch_violations(page: Page) -> None:
    """Guards the guard: a page with an unlabelled input and an image without alt text must fail the scan."""
    page.set_content('<html lang="da"><body><main><img src="x.png"><input type="text"></main></body></html>')
    found = {violation["id"] for violation in axe_violations(page)}
    assert {"image-alt", "label"} <= found


def test_a_pin_set_on_the_map_fills_in_the_coordinates(browser: Browser, live_server: object) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    lars = log_in(browser, str(live_server), "lars@egeaa.demo")
    lars.goto(str(live_server) + "/aktoerer/noerreby-boldklub/rediger/")
    pin_map = lars.get_by_role("region", name="Sæt nålen på kortet")
    expect(pin_map).to_be_visible()
    assert_accessible(lars)
    pin_map.click(position={"x": 120, "y": 90})
    assert lars.get_by_label("Breddegrad").input_value() != ""
    lars.get_by_role("button", name="Gem").click()
    expect(lars.get_by_role("heading", level=1)).to_have_text("Nørreby Boldklub")
