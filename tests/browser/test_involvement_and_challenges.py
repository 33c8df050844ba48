"""In the browser, with axe-core on every page: Omar objects to his leader's proposal in the school's involvement
of its staff, each teacher answering for themselves; Sofie closes the challenge she raised, and finds it again."""

import re

from django.core.management import call_command
from playwright.sync_api import Browser, expect

from samskab.partnerships.models import Challenge, Partnership, Proposal, Response

from .conftest import assert_accessible, log_in

PHONE = 375


def test_omar_answers_for_himself_in_the_schools_involvement(browser: Browser, live_server: object) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    base = str(live_server)
    process = Partnership.objects.get(kind=Partnership.Kind.EMPLOYEE_INVOLVEMENT)
    omar = log_in(browser, base, "omar@egeaa.demo", width=PHONE)
    mine = omar.get_by_role("heading", name="Dine partnerskaber")
    expect(mine).to_be_visible()
    omar.get_by_role("link", name=process.title).click()
    expect(omar.get_by_role("heading", name="Råderummet")).to_be_visible()
    expect(omar.get_by_text(re.compile(r"\d+ personer deltager"))).to_be_visible()
    assert_accessible(omar)

    proposal = process.proposals.get()
    omar.goto(base + proposal.get_absolute_url())
    expect(omar.get_by_text("Alle, der deltager, har deres egen stemme.", exact=False)).to_be_visible()
    omar.get_by_role("radio", name="Indsigelse").check()
    omar.get_by_label("Begrundelse").fill("Blokkene falder oven i terminsprøverne.")
    omar.get_by_role("button", name="Send svar").click()
    expect(omar.get_by_text("Dit svar er registreret.")).to_be_visible()
    row = omar.get_by_role("row", name=re.compile("Omar"))
    expect(row).to_contain_text("Indsigelse")
    assert_accessible(omar)
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.OPEN
    answers = Response.objects.filter(version__proposal=proposal)
    assert answers.filter(user__email="omar@egeaa.demo", kind="objection").exists()
    assert answers.count() == 4  # three colleagues answered before him, each for themselves


def test_sofie_closes_her_challenge_and_finds_it_among_the_closed(browser: Browser, live_server: object) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    base = str(live_server)
    challenge = Challenge.objects.get(raised_by__name="Sofie Andersen")
    sofie = log_in(browser, base, "sofie@egeaa.demo")
    sofie.goto(base + challenge.get_absolute_url())
    assert_accessible(sofie)
    sofie.get_by_label(re.compile("Hvorfor lukkes udfordringen")).fill("Hallen holder nu åbent om fredagen.")
    sofie.get_by_role("button", name="Luk udfordringen").click()
    expect(sofie.get_by_role("heading", name=re.compile("Udfordringen blev lukket den"))).to_be_visible()
    expect(sofie.get_by_text("Hallen holder nu åbent om fredagen.")).to_be_visible()
    assert_accessible(sofie)

    sofie.goto(base + "/udfordringer/")
    expect(sofie.get_by_role("link", name=challenge.title)).to_have_count(0)  # closed ones are not listed at first
    sofie.get_by_label("Status").select_option(label="Lukket")
    sofie.get_by_label("Søg i udfordringerne").fill("gadehjørnerne")
    sofie.get_by_role("button", name="Søg").click()
    expect(sofie.get_by_role("link", name=challenge.title)).to_be_visible()
    assert_accessible(sofie)
