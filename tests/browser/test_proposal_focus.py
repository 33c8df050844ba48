"""In the browser, by keyboard alone: Sofie comments on the shop's proposal of jobs for the young people in
Nørreby. htmx swaps the discussion in place; focus never falls back to the top of the page. Sent empty, the comment
is refused and focus goes to the error summary, whose link leads to the field; sent with text, the status line says
it was added and focus is on the new comment, from where the next Tab reaches its reply link. Mette's correction in
the decision log shows the entry as it read beside the correction, and the page passes axe."""

import re

from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from samskab.partnerships.models import Partnership, ProposalComment

from .conftest import assert_accessible, log_in


def focused(page: Page) -> str:
    """The id of the element that has focus ("" for one without; "BODY" when focus fell to the page)."""
    return page.evaluate("document.activeElement === document.body ? 'BODY' : document.activeElement.id")


def test_sofie_comments_by_keyboard_and_focus_follows(browser: Browser, live_server: object) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    base = str(live_server)
    partnership = Partnership.objects.get(title="Fællesskaber for unge i Nørreby")
    proposal = partnership.proposals.get(title="Ti fritidsjob i Nørreby")
    sofie = log_in(browser, base, "sofie@egeaa.demo")
    sofie.goto(base + proposal.get_absolute_url())
    status = sofie.locator("#discussion-status")

    field = sofie.get_by_label("Din kommentar")
    field.focus()
    sofie.keyboard.press("Tab")
    expect(sofie.get_by_role("button", name="Send kommentar")).to_be_focused()
    sofie.keyboard.press("Enter")  # nothing written
    summary = sofie.locator("#discussion #error-summary")
    expect(summary).to_contain_text("Skriv din kommentar.")
    expect(summary).to_be_focused()
    expect(status).to_have_text("")
    assert_accessible(sofie)

    sofie.keyboard.press("Tab")
    expect(summary.get_by_role("link", name=re.compile("Din kommentar"))).to_be_focused()
    sofie.keyboard.press("Enter")
    expect(field).to_be_focused()
    sofie.keyboard.type("Kan jobcentret hjælpe med ansøgningerne?")
    sofie.keyboard.press("Tab")
    sofie.keyboard.press("Enter")

    thread = sofie.locator("#discussion")
    expect(thread.get_by_text("Kan jobcentret hjælpe med ansøgningerne?")).to_be_visible()
    posted = ProposalComment.objects.get(text="Kan jobcentret hjælpe med ansøgningerne?")
    expect(sofie.locator(f"#kommentar-{posted.pk}")).to_be_focused()
    expect(status).to_have_text(re.compile(r"^Din kommentar er tilføjet drøftelsen\. Drøftelse: \d+ kommentar"))
    assert focused(sofie) != "BODY"
    expect(field).to_have_value("")
    assert_accessible(sofie)

    sofie.keyboard.press("Tab")  # on from the new comment: its reply link
    expect(sofie.locator(f"#kommentar-{posted.pk}").get_by_role("link", name=re.compile("^Svar"))).to_be_focused()


def test_a_correction_in_the_log_shows_what_it_changed_and_passes_axe(browser: Browser, live_server: object) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    base = str(live_server)
    partnership = Partnership.objects.get(title="Fællesskaber for unge i Nørreby")
    mette = log_in(browser, base, "mette@egeaa.demo")
    mette.goto(f"{base}/partnerskaber/{partnership.pk}/beslutninger/")
    entry = mette.locator("section", has=mette.get_by_role("heading", name=re.compile("Fredagsåben hal"))).first
    entry.get_by_text("Registrér en rettelse").click()
    field = entry.get_by_label("Sådan skal posten lyde")
    field.fill(field.input_value().replace("to trænere", "tre trænere"))
    entry.get_by_role("button", name="Tilføj rettelse").click()
    correction = mette.get_by_role("heading", name=re.compile("Rettelse af “Fredagsåben hal i tre måneder”"))
    expect(correction).to_be_visible()
    expect(mette.get_by_text("Posten lød").first).to_be_visible()
    assert_accessible(mette)
