"""In the browser: a citizen with the link votes by keyboard; members use the agenda, proposals and the
action plan; a form sent twice in a hurry is sent once; the pin map asks no tile server when tiles are off;
every page passes axe-core."""

import json
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Browser, Page, Route, expect

from samskab.opinions.models import Conversation, Vote
from samskab.partnerships.models import AgendaItem, Partnership

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
    expect(page.get_by_role("heading", name="Udsagn, der bygger bro mellem sektorerne")).to_be_visible()
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


# While a post is on its way Playwright cannot read the page, so the page notes each submit of the form (whether it
# went ahead, and the button's state) in sessionStorage, to be read once the next page has loaded.
NOTE_SUBMITS = """() => {
  const button = document.getElementById("id_title").form.querySelector("[type=submit]");
  sessionStorage.setItem("submits", "[]");
  window.addEventListener("submit", (event) => {
    const notes = JSON.parse(sessionStorage.getItem("submits"));
    notes.push({sent: !event.defaultPrevented, busy: button.getAttribute("aria-disabled")});
    sessionStorage.setItem("submits", JSON.stringify(notes));
  });
  button.scrollIntoView({block: "center"});
  const box = button.getBoundingClientRect();
  return [box.x + 5, box.y + 5];
}"""


def hold_posts(page: Page, url: str) -> list[Route]:
    """Posts to `url` wait, as on a slow server, until the test lets them through."""
    held: list[Route] = []
    page.route(url, lambda route: held.append(route) if route.request.method == "POST" else route.continue_())
    return held


def test_an_item_sent_twice_while_the_first_is_on_its_way_is_added_once(browser: Browser, live_server: object) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    base = str(live_server)
    partnership = Partnership.objects.get(title__contains="unge i Nørreby")
    agenda = base + reverse("partnerships:agenda", args=[partnership.pk])
    lars = log_in(browser, base, "lars@egeaa.demo")
    lars.goto(agenda)
    held = hold_posts(lars, agenda)
    lars.get_by_label("Hvad skal vi tage op?").fill("Cykelparkering ved hallen")
    x, y = lars.evaluate(NOTE_SUBMITS)
    lars.mouse.click(x, y)
    lars.wait_for_timeout(300)
    assert len(held) == 1
    # Impatient, he presses Enter on the button and clicks it again: nothing more is sent.
    lars.keyboard.press("Enter")
    lars.mouse.click(x, y)
    lars.wait_for_timeout(500)
    assert len(held) == 1
    assert "title=Cykelparkering" in (held[0].request.post_data or "")
    held[0].continue_()
    expect(lars.get_by_text("Punktet er sat på dagsordenen.")).to_be_visible()
    assert AgendaItem.objects.filter(partnership=partnership, title="Cykelparkering ved hallen").count() == 1
    submits = json.loads(lars.evaluate("sessionStorage.getItem('submits')"))
    assert submits == [{"sent": True, "busy": "true"}, {"sent": False, "busy": "true"}, {"sent": False, "busy": "true"}]

    # Going back gives a form that can be sent again.
    lars.go_back()
    expect(lars.get_by_role("button", name="Sæt på dagsordenen")).not_to_have_attribute("aria-disabled", "true")
    assert_accessible(lars)

    # A form with several buttons still sends the pressed one: "English" switches the language.
    lars.get_by_role("button", name="English").click()
    expect(lars.locator("html")).to_have_attribute("lang", "en")


def test_a_page_shown_again_from_the_back_forward_cache_can_send_its_form_again(
    browser: Browser, live_server: object
) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    base = str(live_server)
    partnership = Partnership.objects.get(title__contains="unge i Nørreby")
    agenda = base + reverse("partnerships:agenda", args=[partnership.pk])
    lars = log_in(browser, base, "lars@egeaa.demo")
    lars.goto(agenda)
    held = hold_posts(lars, agenda)
    lars.get_by_label("Hvad skal vi tage op?").fill("Bænke ved stien")
    x, y = lars.evaluate(NOTE_SUBMITS)
    # The first post is on its way when the browser shows the page again from its back/forward cache, as after
    # Back: the form is released, and sent again.
    lars.evaluate(
        "() => { const form = document.getElementById('id_title').form;"
        " form.addEventListener('submit', () => setTimeout(() =>"
        " window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true})), 0), {once: true}); }"
    )
    lars.mouse.click(x, y)
    lars.wait_for_timeout(300)
    lars.mouse.click(x, y)
    lars.wait_for_timeout(500)
    assert len(held) == 2
    held[-1].continue_()  # the browser gave up the first post for the second
    expect(lars.get_by_text("Punktet er sat på dagsordenen.")).to_be_visible()
    submits = json.loads(lars.evaluate("sessionStorage.getItem('submits')"))
    assert [note["sent"] for note in submits] == [True, True]


def test_the_pin_map_asks_no_tile_server_when_tiles_are_off(
    browser: Browser, live_server: object, settings: Any
) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    base = str(live_server)
    lars = log_in(browser, base, "lars@egeaa.demo")
    asked: list[str] = []

    def tile(route: Route) -> None:
        asked.append(route.request.url)
        route.fulfill(status=204)

    lars.route(re.compile(r".*(openstreetmap|/tiles/).*"), tile)
    settings.MAP_TILES_URL = ""
    lars.goto(base + reverse("actors:create"))
    expect(lars.get_by_role("heading", level=1)).to_be_visible()
    lars.wait_for_load_state("networkidle")
    expect(lars.locator("#pin-map")).to_be_hidden()
    expect(lars.get_by_label("Breddegrad")).to_be_visible()  # the pin is typed in by hand
    assert asked == []
    assert_accessible(lars)

    settings.MAP_TILES_URL = base + "/tiles/{z}/{x}/{y}.png"
    lars.reload()
    expect(lars.locator("#pin-map")).to_be_visible()
    lars.wait_for_load_state("networkidle")
    assert asked and all(url.startswith(base + "/tiles/") for url in asked)

    # A position outside Denmark is refused and shown back in its fields; the map stays on Denmark, pinless,
    # rather than setting off for 99999999999999 degrees (which would never finish).
    lars.get_by_label("Navn").fill("Klubhuset")
    lars.get_by_label("Breddegrad").fill("99999999999999")
    lars.get_by_label("Længdegrad").fill("99999999999999")
    asked.clear()
    lars.get_by_role("button", name="Opret").click()
    expect(lars.get_by_text("En breddegrad i Danmark ligger mellem 54,4 og 57,9.").first).to_be_visible(timeout=10_000)
    expect(lars.get_by_label("Længdegrad")).to_have_value("99999999999999")
    lars.wait_for_load_state("networkidle")
    expect(lars.locator("#pin-map .leaflet-marker-icon")).to_have_count(0)
    zooms = {int(url.split("/tiles/")[1].split("/")[0]) for url in asked}
    assert zooms == {7}, asked[:5]  # the whole of Denmark, as before a pin is set
