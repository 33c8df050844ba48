"""A citizen with the secret link takes part in the demo's conversation in a real browser.

They state their sector once, vote card by card with the keyboard (htmx swaps only the card), write a
statement while the field counts the characters left, are refused a near-duplicate with a link to vote on it
instead, and find themselves on the opinion map. Without JavaScript the same card works with plain forms.
Every page passes an axe-core scan."""

import os

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from samskab.actors.models import Sector
from samskab.opinions import services
from samskab.opinions.models import Conversation, ProblemDefinition

from .conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Hvad er egentlig problemet med de unge på hjørnet?"


def join_as_citizen(browser: Browser, base: str, conversation: Conversation, *, javascript: bool = True) -> Page:
    page = browser.new_context(locale="da-DK", java_script_enabled=javascript).new_page()
    page.set_default_timeout(10_000)
    page.goto(base + conversation.get_link_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(QUESTION)
    if javascript:  # axe-core runs in the page
        assert_accessible(page)
    page.get_by_label("Borger").check()
    page.get_by_role("button", name="Start").click()
    expect(page.locator("#vote-card")).to_contain_text("Udsagn 1 af")
    return page


def test_a_citizen_takes_part_with_the_link(browser: Browser, live_server: object) -> None:
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    base = str(live_server)
    conversation = Conversation.objects.get(question=QUESTION)
    total = conversation.statements.count()

    page = join_as_citizen(browser, base, conversation)
    assert_accessible(page)

    # Seven votes by keyboard alone: htmx replaces the card, the page itself never reloads, and focus lands on
    # the next statement, from where Tab reaches "Enig" and then "Uenig". (Before htmx has loaded, a vote is
    # a plain form post and a page load, which is fine for people but not for this check.)
    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("window.stillTheSamePage = true")
    statement = page.locator("#statement-text")
    statement.focus()
    for n in range(1, 8):
        before = statement.inner_text()
        expect(statement).to_be_focused()
        page.keyboard.press("Tab")
        if n % 2 == 0:
            page.keyboard.press("Tab")
        expect(page.get_by_role("button", name="Enig" if n % 2 else "Uenig", exact=True)).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator("#vote-card")).to_contain_text(f"Udsagn {n + 1} af {total}")
        expect(statement).not_to_have_text(before)
    expect(statement).to_be_focused()
    assert page.evaluate("window.stillTheSamePage") is True
    assert_accessible(page)

    # A statement of their own, then a near-duplicate of an existing one, which links to voting on it.
    # The field counts the characters left as they type.
    counter = page.locator(".character-limit")
    expect(counter).to_have_text("Du har 280 tegn tilbage")
    # A pasted text that is too long is not cut mid-sentence: the counter says how much is over, and the
    # server refuses it with every character kept.
    pasted = "De unge mangler et sted at være om aftenen. " * 7  # 308 characters
    page.get_by_label("Dit udsagn").fill(pasted)
    expect(counter).to_have_text("Du har 27 tegn for meget")  # as the server counts: the last space does not
    page.get_by_role("button", name="Send udsagn").click()
    expect(page.locator("#error-summary")).to_contain_text("Et udsagn må højst være 280 tegn; dit er 307.")
    expect(page.get_by_label("Dit udsagn")).to_have_value(pasted)
    page.get_by_label("Dit udsagn").fill("x" * 279 + "  \n  é")  # spaces and a line break count as one space
    expect(counter).to_have_text("Du har 1 tegn for meget")
    page.get_by_label("Dit udsagn").fill("")
    page.get_by_label("Dit udsagn").press_sequentially("Der mangler et sted, hvor de unge selv bestemmer.")
    expect(counter).to_have_text("Du har 231 tegn tilbage")
    page.get_by_role("button", name="Send udsagn").click()
    expect(page.get_by_text("Dit udsagn vises nu for de andre")).to_be_visible()
    duplicate = "Bussen holder op med at køre kl 22 så de unge ikke kan komme hjem"
    page.get_by_label("Dit udsagn").fill(duplicate)
    page.get_by_role("button", name="Send udsagn").click()
    expect(page.get_by_label("Dit udsagn")).to_have_value(duplicate)  # what they typed is kept
    assert_accessible(page)
    page.get_by_role("link", name="Tag stilling til det i stedet").click()
    expect(statement).to_have_text("Bussen holder op med at køre kl. 22, så de unge kan ikke komme hjem.")

    # Two neighbours with the link vote meanwhile: a newer map is shown once three have voted since the one before.
    for neighbour in ("nabo-1", "nabo-2"):
        participant = services.participant_for_cookie(
            conversation=conversation, cookie_key=neighbour, sector=Sector.CITIZEN
        )
        services.record_vote(statement=conversation.statements.order_by("pk")[0], participant=participant, value=1)
    # The map places them (seven votes) and shows them where they stand.
    page.get_by_role("link", name="Se meningskortet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meningskort")
    expect(page.get_by_text("Du er i gruppe")).to_be_visible()
    expect(page.locator("svg .samskab-you")).to_have_count(1)
    assert_accessible(page)
    page.context.close()


def test_a_citizen_changes_an_answer(browser: Browser, live_server: object) -> None:
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    conversation = Conversation.objects.get(question=QUESTION)
    page = join_as_citizen(browser, str(live_server), conversation)
    page.wait_for_function("() => window.htmx !== undefined")
    first = page.locator("#statement-text").inner_text()
    page.get_by_role("button", name="Enig", exact=True).click()
    expect(page.locator("#statement-text")).not_to_have_text(first)

    # The answer is listed under the card (htmx swapped it in), with a link back to its card.
    page.get_by_text("Dit svar", exact=True).click()
    answers = page.locator(".samskab-answers li")
    expect(answers).to_have_count(1)
    expect(answers.first).to_contain_text(f"{first} — Enig")
    assert_accessible(page)
    answers.first.get_by_role("link", name="Skift").click()
    expect(page.locator("#statement-text")).to_have_text(first)
    expect(page.locator("#vote-card")).to_contain_text("Du har svaret “Enig”. Vælg igen for at ændre dit svar.")
    page.get_by_role("button", name="Uenig", exact=True).click()
    expect(page.locator("#statement-text")).not_to_have_text(first)
    page.get_by_text("Dit svar", exact=True).click()
    expect(page.locator(".samskab-answers li").first).to_contain_text(f"{first} — Uenig")
    page.context.close()


def test_the_card_works_without_javascript(browser: Browser, live_server: object) -> None:
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    conversation = Conversation.objects.get(question=QUESTION)
    page = join_as_citizen(browser, str(live_server), conversation, javascript=False)
    first = page.locator("#statement-text").inner_text()
    page.get_by_role("button", name="Spring over / ved ikke").click()
    expect(page.locator("#vote-card")).to_contain_text("Udsagn 2 af")
    expect(page.locator("#statement-text")).not_to_have_text(first)
    page.context.close()


def test_a_member_copies_the_citizen_link(browser: Browser, live_server: object) -> None:
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    conversation = Conversation.objects.get(question=QUESTION)
    mette = log_in(browser, str(live_server), "mette@egeaa.demo")
    mette.context.grant_permissions(["clipboard-read", "clipboard-write"])
    mette.goto(f"{live_server}/samtaler/{conversation.pk}/")
    mette.get_by_role("button", name="Kopiér linket").click()
    expect(mette.get_by_role("status")).to_have_text("Linket er kopieret.")
    assert mette.evaluate("navigator.clipboard.readText()") == f"{live_server}{conversation.get_link_url()}"
    assert_accessible(mette)
    mette.context.close()


def test_a_member_drafts_the_problem_definition_from_what_bridges(browser: Browser, live_server: object) -> None:
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    conversation = Conversation.objects.get(question=QUESTION)
    lars = log_in(browser, str(live_server), "lars@egeaa.demo")
    lars.goto(f"{live_server}/partnerskaber/{conversation.partnership_id}/problemformulering/")
    expect(lars.get_by_role("heading", level=1)).to_have_text("Den fælles problemformulering")
    assert_accessible(lars)

    # The first statement that bridges the sectors goes into the draft with its button, and is ticked.
    bridging = lars.locator("h3:has-text('Brobygning på tværs af sektorerne') + ul li").first
    text = bridging.locator(".samskab-use-text").inner_text()
    bridging.get_by_role("button", name="Brug i udkastet").click()
    bridging.get_by_role("button", name="Brug i udkastet").click()  # a second click adds nothing
    draft = lars.get_by_label("Vores fælles problemformulering")
    expect(draft).to_have_value(text)
    expect(lars.locator(".samskab-draft").get_by_label(text, exact=True)).to_be_checked()
    draft.press("End")
    draft.type(" Det er kernen i problemet.")
    lars.get_by_role("button", name="Gem udkastet").click()
    expect(lars.get_by_text("Udkastet er gemt")).to_be_visible()
    assert_accessible(lars)

    definition = ProblemDefinition.objects.get(partnership_id=conversation.partnership_id)
    assert definition.text == f"{text} Det er kernen i problemet."
    assert list(definition.statements.values_list("text", flat=True)) == [text]

    # Lars adds a sentence and proposes at once, without saving first: what he typed is what is proposed.
    draft.press("End")
    draft.type(" Vi begynder med aftenerne.")
    lars.get_by_label("Frist for indsigelser").press("Enter")  # Enter in the deadline proposes
    expect(lars.get_by_text("Udkastet er gemt og foreslået")).to_be_visible()
    expect(lars.locator("main")).to_contain_text("Det er kernen i problemet. Vi begynder med aftenerne.")
    definition.refresh_from_db()
    assert definition.text == f"{text} Det er kernen i problemet. Vi begynder med aftenerne."
    lars.context.close()


def test_the_facilitator_hides_a_statement_on_a_phone(browser: Browser, live_server: object) -> None:
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    conversation = Conversation.objects.get(question=QUESTION)
    mette = log_in(browser, str(live_server), "mette@egeaa.demo", width=390)
    mette.goto(f"{live_server}/samtaler/{conversation.pk}/moderation/")
    expect(mette.get_by_role("heading", level=1)).to_have_text("Moderation")
    statement = conversation.statements.exclude(moderation="hidden").order_by("-pk").first()
    assert statement is not None
    item = mette.locator(".samskab-moderation > li", has_text=statement.text)
    item.locator("summary").click()
    reason = item.get_by_label("Hvorfor skjule det?")
    # The whole form fits the phone's width: nothing is cut off or needs sideways scrolling.
    for control in (
        reason,
        item.get_by_label("Bemærkning til medlemmerne"),
        item.get_by_role("button", name="Skjul udsagnet"),
    ):
        box = control.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert mette.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(mette)
    reason.select_option(label="Uden for emnet")
    item.get_by_label("Bemærkning til medlemmerne").fill("Handler om trafik, ikke om de unge.")
    item.get_by_role("button", name="Skjul udsagnet").click()
    expect(mette.get_by_text("Udsagnet er skjult.")).to_be_visible()
    expect(mette.locator("table")).to_contain_text("Handler om trafik, ikke om de unge.")
    statement.refresh_from_db()
    assert statement.is_hidden
    mette.context.close()


def test_a_citizen_reports_a_statement_and_the_facilitator_keeps_it(browser: Browser, live_server: object) -> None:
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    conversation = Conversation.objects.get(question=QUESTION)
    citizen = join_as_citizen(browser, str(live_server), conversation)
    reported = citizen.locator("#statement-text").inner_text()
    citizen.get_by_text("Anmeld udsagnet").click()
    assert_accessible(citizen)
    citizen.get_by_label("Hvad er der galt med det?").select_option(label="Spam")
    citizen.get_by_role("button", name="Send anmeldelsen").click()
    expect(citizen.get_by_text("Tak. Facilitatoren ser på udsagnet.")).to_be_visible()
    expect(citizen.locator("#statement-text")).to_have_text(reported)  # the same card, to vote on or skip
    citizen.context.close()

    mette = log_in(browser, str(live_server), "mette@egeaa.demo")
    mette.goto(f"{live_server}/samtaler/{conversation.pk}/moderation/")
    first = mette.locator(".samskab-moderation > li").first
    expect(first).to_contain_text(reported)
    expect(first).to_contain_text("Anmeldt af deltagere: Spam (1)")
    assert_accessible(mette)
    first.get_by_label("Hvorfor udsagnet bliver stående (frivilligt)").fill("Det er en del af problemet.")
    first.get_by_role("button", name="Behold udsagnet").click()
    expect(mette.get_by_text("Udsagnet er beholdt")).to_be_visible()
    expect(mette.locator("table")).to_contain_text("Beholdt efter anmeldelser")
    expect(mette.locator("table")).to_contain_text("Det er en del af problemet.")
    expect(mette.locator(".samskab-reported")).to_have_count(0)
    mette.context.close()
