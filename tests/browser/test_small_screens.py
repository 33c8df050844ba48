"""On a phone (375 px wide), or a desktop zoomed to 400 %, Karin still reaches every menu and her own links,
no page is wider than the screen, and tables too wide for it scroll inside their own focusable region; the
opinion map's sector tables fit the phone without breaking a sector's name. On a 390 px phone Lars prioritises
the agenda, and titles of one long word or a long link break instead of widening the page. On a 1280 px screen
the cards use the page's width and the vote buttons look different from each other."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from samskab.actors.models import Actor
from samskab.opinions.models import Conversation
from samskab.partnerships.models import AgendaItem, AgendaPriority, Challenge, Partnership
from samskab.surveys.demo import PARTNER_SURVEY, load_demo_surveys
from samskab.surveys.models import Survey

from .conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = 375


def assert_fits(page: Page, screen: int = PHONE) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= screen, f"{page.url} is {width} px wide"


# The words inside `selector` that the browser has broken across two lines ("Komm|une").
BROKEN_WORDS = """selector => [...document.querySelectorAll(selector)].flatMap(cell => {
  const broken = [];
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const word of node.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      if (range.getClientRects().length > 1) broken.push(word[0]);
    }
  }
  return broken;
})"""


def test_a_phone_reaches_every_menu_and_no_page_is_wider_than_it(browser: Browser, live_server: object) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    load_demo_surveys()
    base = str(live_server)
    karin = log_in(browser, base, "karin@egeaa.demo", width=PHONE)

    karin.goto(base + "/")
    expect(karin.get_by_role("button", name="Log ud")).to_be_visible()
    expect(karin.get_by_role("link", name="Notifikationer")).to_be_visible()
    menu = karin.get_by_role("navigation", name="Hovedmenu")
    expect(menu.get_by_role("link", name="Forside")).to_be_visible()
    # Menu items that do not fit move under "Mere", which opens by keyboard.
    more = menu.get_by_role("button", name="Mere")
    more.focus()
    karin.keyboard.press("Enter")
    karin.keyboard.press("Tab")
    karin.keyboard.press("Escape")  # closed again, and back on the button that opened it
    expect(more).to_be_focused()
    karin.keyboard.press("Enter")
    menu.get_by_role("link", name="Aktører").click()
    expect(karin.get_by_role("heading", level=1)).to_have_text("Aktører")
    # The section one is in sits under "Mere": the button carries its mark, as a visible section would.
    expect(menu.locator(".more-option")).to_have_class(re.compile(r"\bactive\b"))
    assert (
        menu.get_by_role("button", name="Mere").evaluate("b => getComputedStyle(b.firstElementChild).borderBottomWidth")
        == "4px"
    )
    karin.goto(base + "/")
    expect(menu.locator(".more-option")).not_to_have_class(re.compile(r"\bactive\b"))
    karin.go_back()
    assert_fits(karin)
    assert_accessible(karin)
    # The directory's further pages are reached on a phone too: where we are, and the way on.
    pages = karin.get_by_role("navigation", name="Sider")
    expect(pages.get_by_text("Side 1 af 3", exact=True).locator("visible=true")).to_have_count(1)
    pages.get_by_role("link", name="Næste").click()
    expect(karin.get_by_role("navigation", name="Sider").locator(".pagination-mobile")).to_have_text("Side 2 af 3")
    expect(karin.get_by_role("navigation", name="Sider").get_by_role("link", name="Forrige")).to_be_visible()
    assert_fits(karin)

    conversation = Conversation.objects.filter(partnership__isnull=False).order_by("pk").first()
    assert conversation is not None
    survey = Survey.objects.get(title=PARTNER_SURVEY)
    for path in (
        f"/samtaler/{conversation.pk}/resultater/",
        survey.get_absolute_url(),
        "/kommune/netvaerk/",
        "/kommune/oversigt/",
    ):
        karin.goto(base + path)
        assert_fits(karin)
        assert karin.evaluate(BROKEN_WORDS, "caption") == []  # a table's caption reads as a line, not a letter a line
        assert_accessible(karin)
    # The opinion map's tables of agreement by sector fit the phone whole: no sector's name broken mid-word,
    # and the "Har stemt" column on the screen, not scrolled off it.
    karin.goto(base + f"/samtaler/{conversation.pk}/resultater/")
    sector_tables = karin.locator(".samskab-bars")
    assert sector_tables.count() > 0
    assert karin.evaluate(BROKEN_WORDS, ".samskab-bars :is(th, td)") == []
    for index in range(sector_tables.count()):
        region = sector_tables.nth(index).locator("xpath=..")
        assert region.evaluate("r => r.scrollWidth <= r.clientWidth"), "a sector table is wider than the phone"
    karin.goto(base + "/kommune/oversigt/")
    # A table wider than the phone scrolls in a region the keyboard can reach, named by its caption.
    regions = karin.locator(".table--responsive-scroll[role=region]")
    assert regions.count() > 0
    assert regions.first.get_attribute("tabindex") == "0" and regions.first.get_attribute("aria-label")

    # In English the overflow menu is "More", as the rest of the page.
    karin.goto(base + "/")
    karin.get_by_role("button", name="English").click()
    expect(karin.locator("html")).to_have_attribute("lang", "en")
    english = karin.get_by_role("navigation", name="Main menu")
    expect(english.get_by_role("button", name="More")).to_be_visible()
    expect(english.get_by_role("button", name="Mere")).to_have_count(0)


NARROW_PHONE = 390
LONG_WORD = "Ungdomsfritidsklubsmedarbejderuddannelsessamarbejdsprojektet"  # 60 letters
LONG_URL = "https://www.kommune.dk/borger/fritid/foreninger/tilskud/ansoegning-om-lokaletilskud-til-ungdomsarbejde-2027"


def test_on_a_390_px_phone_lars_prioritises_the_agenda_and_keeps_what_he_typed(
    browser: Browser, live_server: object
) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    base = str(live_server)
    partnership = Partnership.objects.get(title__contains="unge i Nørreby")
    # The items still to be prioritised: the one a decision dealt with takes no points.
    first, second = (
        AgendaItem.objects.filter(partnership=partnership).exclude(status=AgendaItem.Status.DONE).order_by("pk")[:2]
    )
    mine = AgendaPriority.objects.filter(actor__memberships__user__email="lars@egeaa.demo", item__in=[first, second])
    before = sorted(mine.values_list("points", flat=True))
    lars = log_in(browser, base, "lars@egeaa.demo", width=NARROW_PHONE)
    lars.goto(base + f"/partnerskaber/{partnership.pk}/dagsorden/")
    assert lars.evaluate(BROKEN_WORDS, "caption") == []
    # The stacked table's caption is set off inside its border, not pressed against it.
    caption = lars.locator(".samskab-agenda > caption")
    assert caption.evaluate("c => [getComputedStyle(c).paddingLeft, getComputedStyle(c).borderBottomStyle]") == [
        "16px",
        "solid",
    ]
    fields = lars.get_by_role("spinbutton", name=re.compile("^Point til"))
    assert fields.count() >= 2
    for index in range(fields.count()):  # every points field lies on the screen, none to the right of it
        box = fields.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= NARROW_PHONE
    assert_fits(lars, NARROW_PHONE)
    assert_accessible(lars)

    # More points than an actor has: refused in Danish, with the numbers he typed still in their fields.
    lars.get_by_label(f"Point til {first.title}").fill("4")
    lars.get_by_label(f"Point til {second.title}").fill("3")
    lars.get_by_role("button", name="Gem prioriteringer").click()
    expect(lars.locator("#error-summary")).to_contain_text("Hver aktør har 5 point at fordele; du gav 7.")
    # An alert has the icon of its kind in the room the design system leaves for it.
    icon = lars.locator(".alert-error").first.evaluate("a => getComputedStyle(a, '::before').maskImage")
    assert "error.svg" in icon, icon
    expect(lars.get_by_label(f"Point til {first.title}")).to_have_value("4")
    expect(lars.get_by_label(f"Point til {second.title}")).to_have_value("3")
    mine = AgendaPriority.objects.filter(actor__memberships__user__email="lars@egeaa.demo", item__in=[first, second])
    assert sorted(mine.values_list("points", flat=True)) == before
    assert_fits(lars, NARROW_PHONE)
    assert_accessible(lars)

    lars.get_by_label(f"Point til {first.title}").fill("2")
    lars.get_by_role("button", name="Gem prioriteringer").click()
    expect(lars.get_by_text("Din aktørs prioriteringer er gemt.")).to_be_visible()
    expect(lars.get_by_label(f"Point til {first.title}")).to_have_value("2")


def test_titles_of_one_long_word_or_a_long_link_do_not_widen_a_390_px_page(
    browser: Browser, live_server: object
) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    base = str(live_server)
    partnership = Partnership.objects.get(title__contains="unge i Nørreby")
    Partnership.objects.filter(pk=partnership.pk).update(title=LONG_WORD, purpose=f"Se {LONG_URL}")
    challenge = Challenge.objects.order_by("pk").first()
    assert challenge is not None
    Challenge.objects.filter(pk=challenge.pk).update(title=LONG_URL[:150], description=f"{LONG_WORD} {LONG_URL}")
    actor = Actor.objects.filter(memberships__user__email="lars@egeaa.demo").order_by("pk").first()
    assert actor is not None
    Actor.objects.filter(pk=actor.pk).update(name=LONG_WORD, description=LONG_URL, website=LONG_URL[:200])
    AgendaItem.objects.filter(partnership=partnership).update(title=LONG_WORD, description=LONG_URL)

    lars = log_in(browser, base, "lars@egeaa.demo", width=NARROW_PHONE)
    for path in (
        "/",
        reverse("partnerships:list"),
        partnership.get_absolute_url(),
        reverse("partnerships:agenda", args=[partnership.pk]),
        reverse("partnerships:challenges"),
        challenge.get_absolute_url(),
        reverse("actors:directory"),
        actor.get_absolute_url(),
    ):
        lars.goto(base + path)
        expect(lars.get_by_role("heading", level=1)).to_be_visible()
        assert_fits(lars, NARROW_PHONE)
    expect(lars.get_by_role("heading", level=1)).to_have_text(LONG_WORD)
    assert_accessible(lars)


def test_on_a_1280_px_screen_the_cards_fill_the_page_and_the_vote_buttons_differ(
    browser: Browser, live_server: object
) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    base = str(live_server)
    lars = log_in(browser, base, "lars@egeaa.demo")
    lars.goto(base + "/")
    # The section one is in is marked in the menu, to the eye as well as by aria-current.
    front = lars.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Forside")
    expect(front).to_have_attribute("aria-current", "page")
    assert front.evaluate("a => getComputedStyle(a.firstElementChild).borderBottomWidth") == "4px"
    # The card grid spans the page in three columns, not two narrow ones in its left part.
    grid = lars.locator(".samskab-cards").first
    expect(grid).to_be_visible()
    widths = grid.evaluate(
        "grid => [grid.getBoundingClientRect().width, grid.closest('main').getBoundingClientRect().width,"
        " getComputedStyle(grid).gridTemplateColumns.split(' ').length]"
    )
    assert widths[0] >= 0.95 * widths[1] and widths[2] >= 3, widths

    # "Enig", "Uenig" and "Spring over" are told apart by more than their words: each has its own look.
    conversation = Conversation.objects.filter(partnership__isnull=False).order_by("pk").first()
    assert conversation is not None
    lars.goto(base + conversation.get_absolute_url())
    card = lars.locator("#vote-card")
    looks = {
        card.get_by_role("button", name=name, exact=True).evaluate(
            "b => getComputedStyle(b).backgroundColor + ' ' + getComputedStyle(b, '::before').maskImage"
        )
        for name in ("Enig", "Uenig", "Spring over / ved ikke")
    }
    assert len(looks) == 3, looks
    assert_accessible(lars)
