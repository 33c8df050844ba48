"""On a 375 px phone, a visitor reads the opinion map's groups table, wider than the screen with its sector columns:
its caption starts on the screen and stays there while the table is scrolled sideways. The page passes axe, with
the figures too few people stand behind read out as "too few to show"."""

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from samskab.actors.models import Sector
from samskab.opinions import services
from samskab.opinions.models import Conversation
from samskab.partnerships.models import Partnership

from ..conftest import Persona
from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = 375
CAPTION = "Meningsgrupperne (de samme oplysninger som på kortet)"

# The caption's lines of text and the scrolling wrapper around its table, as boxes on the screen.
CAPTION_BOXES = """caption => {
  const range = document.createRange();
  range.selectNodeContents(caption);
  const wrapper = caption.closest('.table--responsive-scroll').getBoundingClientRect();
  return {
    lines: [...range.getClientRects()].map(r => [r.left, r.right]),
    wrapper: [wrapper.left, wrapper.right],
    scrolls: caption.closest('.table--responsive-scroll').scrollWidth > wrapper.width,
  };
}"""


def test_the_groups_table_caption_stays_on_a_phone_screen(
    browser: Browser, live_server: object, partnership: Partnership, fie: Persona
) -> None:
    assert fie.actor is not None
    conversation = services.start_conversation(
        user=fie.user,
        actor=fie.actor,
        partnership=partnership,
        question="Hvad skal der ske på Vollsmose Torv?",
        seed_statements=[
            "Torvet skal være et sted for alle aldre.",
            "Der skal være en scene på torvet.",
            "Boldbanen skal ligge midt på torvet.",
            "Torvet skal lukkes for biler om aftenen.",
            "Der skal være flere bænke i skyggen.",
            "Markedet skal flytte til lørdag.",
            "Der skal være lys på torvet hele natten.",
        ],
        allow_anonymous=True,
    )
    statements = list(conversation.statements.order_by("pk"))
    # Three citizens agree with everything, three association members only with the first: two groups, each of
    # one sector, counted by sector in the table. They vote in one burst, computed once, as by the task worker.
    Conversation.objects.filter(pk=conversation.pk).update(map_requested_at=timezone.now())
    for sector, values in ((Sector.CITIZEN, [1] * 7), (Sector.ASSOCIATION, [1] + [-1] * 6)):
        for i in range(3):
            person = services.participant_for_cookie(
                conversation=conversation, cookie_key=f"{sector}-{i}", sector=sector
            )
            for statement, value in zip(statements, values, strict=True):
                services.record_vote(statement=statement, participant=person, value=value)
    services.compute_map(conversation)
    snapshot = conversation.latest_map()
    assert snapshot is not None and sorted(g["size"] for g in snapshot.result["groups"]) == [3, 3]

    page = browser.new_context(locale="da-DK", viewport={"width": PHONE, "height": 800}).new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server}/samtaler/{conversation.pk}/resultater/")
    caption = page.locator("caption", has_text=CAPTION)
    expect(caption).to_be_visible()
    expect(page.get_by_role("columnheader", name="Virksomhed").first).to_be_attached()

    boxes = caption.evaluate(CAPTION_BOXES)
    assert boxes["scrolls"], "the table with its sector columns is wider than the phone"
    left, right = boxes["wrapper"]
    assert all(left - 2 <= a and b <= right + 2 for a, b in boxes["lines"]), boxes
    # Scrolled to its far end, the table keeps its caption in view.
    caption.evaluate("c => { const w = c.closest('.table--responsive-scroll'); w.scrollLeft = w.scrollWidth; }")
    boxes = caption.evaluate(CAPTION_BOXES)
    assert all(left - 2 <= a and b <= right + 2 for a, b in boxes["lines"]), boxes
    # The scrolling region is named by the caption, for keyboard and screen-reader users.
    region = page.get_by_role("region", name=CAPTION)
    expect(region).to_have_attribute("tabindex", "0")

    page.get_by_text("Vis stemmerne på alle 7 udsagn").click()
    expect(page.locator(".samskab-all-statements caption")).to_be_visible()
    assert_accessible(page)


def test_every_scrolling_tables_caption_starts_on_a_phone_screen(
    browser: Browser, live_server: object, partnership: Partnership
) -> None:
    # The power-balance page's tables have a column per sector: wider than a phone, they scroll inside their
    # wrappers, and each caption starts at the wrapper's left edge instead of centred over the whole table.
    page = browser.new_context(locale="da-DK", viewport={"width": PHONE, "height": 800}).new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server}/partnerskaber/{partnership.pk}/magtbalance/")
    captions = page.locator(".table--responsive-scroll > .table > caption:not(.sr-only)")
    expect(captions.first).to_be_visible()
    scrolling = 0
    for i in range(captions.count()):
        boxes = captions.nth(i).evaluate(CAPTION_BOXES)
        left, right = boxes["wrapper"]
        assert all(left - 2 <= a and b <= right + 2 for a, b in boxes["lines"]), boxes
        scrolling += boxes["scrolls"]
    assert scrolling, "at least one table is wider than the phone"
    assert_accessible(page)
