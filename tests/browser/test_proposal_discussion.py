"""In the browser, with axe-core: Omar asks about his leader's proposal on a phone before he responds. htmx puts his
comment into the thread without reloading the page; a reply link opens the form as a reply. A comment he has typed
but not sent is still there when the page comes back after his response is refused."""

import re

from django.core.management import call_command
from playwright.sync_api import Browser, expect

from samskab.partnerships.models import Partnership, ProposalComment

from .conftest import assert_accessible, log_in

PHONE = 375


def test_omar_asks_before_he_responds(browser: Browser, live_server: object) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    base = str(live_server)
    proposal = Partnership.objects.get(kind=Partnership.Kind.EMPLOYEE_INVOLVEMENT).proposals.get()
    omar = log_in(browser, base, "omar@egeaa.demo", width=PHONE)
    omar.goto(base + proposal.get_absolute_url())
    expect(omar.get_by_role("heading", name="Skriv i drøftelsen")).to_be_visible()
    assert_accessible(omar)

    omar.get_by_role("button", name="Send kommentar").click()  # nothing written yet
    expect(omar.locator("#error-summary")).to_contain_text("Skriv din kommentar.")
    omar.get_by_label("Din kommentar").fill("Hvilke uger tænker du på?")
    url = omar.url
    omar.get_by_role("button", name="Send kommentar").click()
    thread = omar.locator("#discussion")
    expect(thread.get_by_role("heading", name=re.compile(r"Drøftelse: \d+ kommentar"))).to_be_visible()
    expect(thread.get_by_text("Hvilke uger tænker du på?")).to_be_visible()
    expect(omar.get_by_label("Din kommentar")).to_have_value("")
    assert omar.url == url  # the thread alone was swapped in, without a new page
    assert_accessible(omar)
    mine = ProposalComment.objects.get(user__email="omar@egeaa.demo")

    omar.get_by_role("link", name=re.compile("^Svar")).last.click()
    expect(omar.get_by_role("heading", name="Dit svar på kommentaren")).to_be_visible()
    assert_accessible(omar)
    omar.get_by_label("Din kommentar").fill("Og hvem dækker vagterne?")
    omar.get_by_role("button", name="Send svaret").click()
    expect(thread.get_by_text("Og hvem dækker vagterne?")).to_be_visible()
    assert ProposalComment.objects.get(text="Og hvem dækker vagterne?").reply_to == mine

    # He starts another comment, then sends an objection without a reason: the page comes back with the refusal,
    # and the comment he had not sent is still in its box.
    omar.get_by_label("Din kommentar").fill("Jeg kommer med et forslag til uger.")
    omar.get_by_label("Indsigelse", exact=False).first.check()
    omar.get_by_role("button", name="Send svar").click()
    expect(omar.locator("#error-summary")).to_be_visible()
    expect(omar.get_by_label("Din kommentar")).to_have_value("Jeg kommer med et forslag til uger.")
    # Sent, it is gone from the box and does not come back.
    omar.get_by_role("button", name=re.compile("^Send (kommentar|svaret)$")).click()
    expect(thread.get_by_text("Jeg kommer med et forslag til uger.")).to_be_visible()
    omar.reload()
    expect(omar.get_by_label("Din kommentar")).to_have_value("")
