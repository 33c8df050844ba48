"""Conversations in a real browser: Mette brings a Polis conversation in from the menu, opens it again and takes
part at once, and lets citizens in; a citizen on a phone without JavaScript finds the next card where she is
after each vote and the refusal of an empty statement in view; a screen-reader user hears that the vote was saved.
Every page passes an axe-core scan."""

import os

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from samskab.opinions.models import Conversation, Participant

from .conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Hvad er egentlig problemet med de unge på hjørnet?"
HEADER = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
COMMENTS = HEADER + "1,x,0,0,1,0,1,Hallen burde være åben fredag aften\n2,x,1,1,0,1,1,Der mangler lys på stien\n"
PARTICIPANTS = "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n0,0,1,2,1,1,1,-1\n1,0,1,1,0,1,,-1\n"
PHONE = {"width": 375, "height": 667}


def load_demo() -> None:
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def in_view(page: Page, selector: str) -> bool:
    """Whether the element is inside the window as the page now stands (scrolled or not)."""
    return page.evaluate(
        """selector => {
          const box = document.querySelector(selector).getBoundingClientRect();
          return box.top >= 0 && box.bottom <= window.innerHeight;
        }""",
        selector,
    )


def test_mette_brings_in_a_polis_conversation_opens_it_again_and_takes_part(
    browser: Browser, live_server: object
) -> None:
    load_demo()
    base = str(live_server)
    mette = log_in(browser, base, "mette@egeaa.demo")
    mette.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Samtaler").click()
    expect(mette.get_by_role("heading", level=1)).to_have_text("Offentlige samtaler")
    assert_accessible(mette)
    mette.get_by_role("link", name="Hent en samtale fra Polis").click()
    mette.get_by_label("Samtalens spørgsmål").fill("Hvad skal hallen bruges til?")
    for label, name, content in (
        ("comments.csv", "comments.csv", COMMENTS),
        ("participants-votes.csv", "participants-votes.csv", PARTICIPANTS),
    ):
        mette.get_by_label(label, exact=True).set_input_files(
            {"name": name, "mimeType": "text/csv", "buffer": content.encode()}
        )
    mette.get_by_role("button", name="Importér").click()
    expect(mette.get_by_role("heading", level=1)).to_have_text("Hvad skal hallen bruges til?")

    # Opened again, the card is hers to vote on: no guests' question, no dead end.
    mette.get_by_role("button", name="Åbn samtalen igen").click()
    card = mette.locator("#vote-card")
    expect(card).to_contain_text("Udsagn 1 af 2")
    expect(card.get_by_text("Jeg deltager som")).to_have_count(0)
    assert_accessible(mette)
    mette.get_by_role("button", name="Enig", exact=True).click()
    expect(card).to_contain_text("Udsagn 2 af 2")
    conversation = Conversation.objects.get(question="Hvad skal hallen bruges til?")
    assert Participant.objects.get(conversation=conversation, user__email="mette@egeaa.demo").sector == "municipality"

    # She lets citizens in and adds a statement of her own to start from.
    mette.get_by_role("link", name="Ret samtalen").click()
    assert_accessible(mette)
    mette.get_by_label("Personer uden konto må deltage").check()
    mette.get_by_label("Tilføj startudsagn").fill("Hallen står tom de fleste aftener i weekenden.")
    mette.get_by_role("button", name="Gem ændringerne").click()
    expect(mette.get_by_text("Samtalen er ændret.")).to_be_visible()
    mette.context.close()

    # A citizen without an account finds it in the list and takes part.
    citizen = browser.new_context(locale="da-DK").new_page()
    citizen.set_default_timeout(10_000)
    citizen.goto(base + "/samtaler/")
    citizen.get_by_role("link", name="Hvad skal hallen bruges til?", exact=True).click()
    citizen.get_by_label("Borger").check()
    citizen.get_by_role("button", name="Start").click()
    expect(citizen.locator("#vote-card")).to_contain_text("Udsagn 1 af 3")
    assert_accessible(citizen)
    citizen.context.close()


def test_without_javascript_on_a_phone_the_next_card_is_in_view(browser: Browser, live_server: object) -> None:
    load_demo()
    conversation = Conversation.objects.get(question=QUESTION)
    page = browser.new_context(locale="da-DK", java_script_enabled=False, viewport=PHONE).new_page()
    page.set_default_timeout(10_000)
    page.goto(str(live_server) + conversation.get_link_url())
    page.get_by_label("Borger").check()
    page.get_by_role("button", name="Start").click()
    expect(page.locator("#vote-card")).to_contain_text("Udsagn 1 af")
    for n in range(2, 4):
        page.get_by_role("button", name="Enig", exact=True).click()
        expect(page.locator("#vote-card")).to_contain_text(f"Udsagn {n} af")
        # Back at the card, not at the top of the page, with the saved vote said where she looks.
        assert page.evaluate("window.scrollY") > 0
        assert in_view(page, "#vote-card .samskab-recorded")
        expect(page.locator("#vote-card .samskab-recorded")).to_have_text("Gemt: “Enig” om det forrige udsagn.")

    # An empty statement is refused with the summary in view, and the card is not lost.
    page.get_by_role("button", name="Send udsagn").click()
    expect(page.locator("#error-summary")).to_contain_text("Skriv et udsagn, før du sender det.")
    assert in_view(page, "#error-summary")
    page.get_by_label("Dit udsagn").fill("Der mangler et sted, hvor de unge selv bestemmer reglerne.")
    page.get_by_role("button", name="Send udsagn").click()
    expect(page.locator("#vote-card")).to_contain_text("Tak. Dit udsagn vises nu for de andre.")
    assert in_view(page, "#vote-card .samskab-recorded")
    page.context.close()


def test_a_screen_reader_hears_that_the_vote_was_saved(browser: Browser, live_server: object) -> None:
    load_demo()
    conversation = Conversation.objects.get(question=QUESTION)
    total = conversation.statements.exclude(moderation="hidden").count()
    page = browser.new_context(locale="da-DK").new_page()
    page.set_default_timeout(10_000)
    page.goto(str(live_server) + conversation.get_link_url())
    page.get_by_label("Borger").check()
    page.get_by_role("button", name="Start").click()
    page.wait_for_function("() => window.htmx !== undefined")
    status = page.locator("#vote-status")
    assert status.get_attribute("aria-live") == "polite"
    expect(page.locator("#vote-card #vote-status")).to_have_count(0)  # outside the card that htmx replaces
    page.evaluate("document.getElementById('vote-status').dataset.kept = 'yes'")

    page.get_by_role("button", name="Enig", exact=True).click()
    expect(page.locator("#statement-text")).to_be_focused()
    expect(status).to_have_text(f"Gemt: “Enig” om det forrige udsagn. Udsagn 2 af {total}")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Uenig", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(status).to_have_text(f"Gemt: “Uenig” om det forrige udsagn. Udsagn 3 af {total}")
    # The same region both times: one that stayed on the page, as screen readers only read those.
    assert page.evaluate("document.getElementById('vote-status').dataset.kept") == "yes"
    assert_accessible(page)
    page.context.close()
