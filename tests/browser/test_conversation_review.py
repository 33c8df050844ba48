"""Conversations after a review in the browser: a refused statement or an unchosen sector leaves focus on the error
summary, not on the page; the Back button and a second send do not open the same conversation twice; a teacher is
told he takes part for his school and chooses to take part as a private person. Every page passes axe-core."""

import pytest
from playwright.sync_api import Browser, Page, expect

from samskab.opinions import services
from samskab.opinions.models import Conversation, Participant

from ..conftest import Persona
from .conftest import PASSWORD, assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEEDS = [
    "De unge keder sig, fordi der ikke er noget at lave om aftenen.",
    "Problemet er utryghed for de ældre, der går forbi.",
    "De unge mangler voksne, de stoler på.",
]


def focused_after_loading(page: Page) -> str:
    """The id (or tag) of the focused element once the page has loaded and been drawn: by then the browser has
    moved focus to the place the URL points to (`#write`, `#vote-card`), which is what took it from the summary."""
    page.wait_for_load_state("load")
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    return page.evaluate("() => document.activeElement.id || document.activeElement.tagName")


def signed_in(browser: Browser, base: str, persona: Persona) -> Page:
    persona.user.set_password(PASSWORD)
    persona.user.save(update_fields=["password"])
    return log_in(browser, base, persona.user.email)


def test_focus_lands_on_the_error_summary_after_a_refused_sector_or_statement(
    browser: Browser, live_server: object, personas: dict[str, Persona]
) -> None:
    sofie = personas["sofie"]
    assert sofie.actor is not None
    conversation = services.start_conversation(
        user=sofie.user,
        actor=sofie.actor,
        partnership=None,
        question="Hvad skal der ske på torvet?",
        seed_statements=SEEDS,
        allow_anonymous=True,
    )
    page = browser.new_context(locale="da-DK").new_page()
    page.set_default_timeout(10_000)
    page.goto(str(live_server) + conversation.get_absolute_url())

    # "Start" without choosing a sector: the card comes back (at #vote-card) with the summary, which has focus.
    page.get_by_role("button", name="Start").click()
    expect(page.locator("#error-summary")).to_contain_text("Vælg hvilken sektor du hører til.")
    assert page.url.endswith("#vote-card")
    assert focused_after_loading(page) == "error-summary"
    assert_accessible(page)
    page.keyboard.press("Tab")  # on from the summary: its link to the first choice
    expect(page.locator("#error-summary a").first).to_be_focused()

    page.get_by_label("Borger").check()
    page.get_by_role("button", name="Start").click()
    expect(page.locator("#vote-card")).to_contain_text("Udsagn 1 af 3")

    # An empty statement: back at #write with the summary, which has focus.
    page.get_by_role("button", name="Send udsagn").click()
    expect(page.locator("#error-summary")).to_contain_text("Skriv et udsagn, før du sender det.")
    assert page.url.endswith("#write")
    assert focused_after_loading(page) == "error-summary"
    assert page.locator("#write").get_attribute("tabindex") is None  # lent to hand focus on, and given back
    assert_accessible(page)
    page.context.close()


def test_sending_the_new_conversation_again_after_going_back_opens_it_once(
    browser: Browser, live_server: object, personas: dict[str, Persona]
) -> None:
    base = str(live_server)
    sofie = signed_in(browser, base, personas["sofie"])
    sofie.goto(f"{base}/samtaler/ny/")
    question = "Hvad skal der ske med den gamle skole?"
    sofie.get_by_label("Spørgsmål").fill(question)
    sofie.get_by_label("Startudsagn").fill("\n".join(SEEDS))
    sofie.get_by_role("button", name="Åbn samtalen").click()
    expect(sofie.get_by_role("heading", level=1)).to_have_text(question)
    first = Conversation.objects.get(question=question)

    sofie.go_back()
    expect(sofie.get_by_role("heading", level=1)).to_have_text("Åbn en offentlig samtale")
    sofie.get_by_label("Spørgsmål").fill(question)  # as the browser kept it, or typed again
    sofie.get_by_role("button", name="Åbn samtalen").click()
    summary = sofie.locator("#error-summary")
    expect(summary).to_contain_text("Du åbnede samme spørgsmål for lidt siden.")
    expect(sofie.get_by_label("Spørgsmål")).to_have_value(question)  # what was typed stays
    assert_accessible(sofie)
    assert Conversation.objects.filter(question=question).count() == 1
    summary.get_by_role("link", name="Gå til den samtale, du åbnede").click()
    expect(sofie).to_have_url(f"{base}{first.get_absolute_url()}")
    sofie.context.close()


def test_a_teacher_is_told_he_takes_part_for_his_school_and_takes_part_as_a_private_person(
    browser: Browser, live_server: object, personas: dict[str, Persona], omar: Persona
) -> None:
    sofie = personas["sofie"]
    assert sofie.actor is not None
    conversation = services.start_conversation(
        user=sofie.user, actor=sofie.actor, partnership=None, question="Hvad mangler i byen?", seed_statements=SEEDS
    )
    base = str(live_server)
    page = signed_in(browser, base, omar)
    page.goto(base + conversation.get_absolute_url())
    card = page.locator("#vote-card")
    expect(card).to_contain_text("Du deltager som kommunal medarbejder (Nørreby Skole).")
    assert_accessible(page)
    card.get_by_role("button", name="Deltag i stedet som borger (privatperson)").click()
    expect(card).to_contain_text("Udsagn 1 af 3")
    expect(card.get_by_text("Du deltager som")).to_have_count(0)
    card.get_by_role("button", name="Enig", exact=True).click()
    expect(card).to_contain_text("Udsagn 2 af 3")
    participant = Participant.objects.get(conversation=conversation, user=omar.user)
    assert (participant.sector, participant.actor, participant.votes.count()) == ("citizen", None, 1)
    page.context.close()
