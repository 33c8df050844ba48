"""On a 375 px phone Lars reads every action of the partnership's plan whole, without a word broken mid-word,
and reaches each action's status control on the screen; the page passes axe-core. On a desktop the plan is
still a table with its column headers."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from samskab.partnerships import services
from samskab.partnerships.models import Partnership

from ..conftest import Persona
from .conftest import assert_accessible
from .test_small_screens import BROKEN_WORDS, PHONE, assert_fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Long Danish compounds, as real action titles and owners' names have them.
ACTIONS = [
    ("Fritidsjobformidling i butikkerne omkring Vollsmose Torv", "Købmanden og boldklubben finder elevjobs."),
    ("Weekendåbning af idrætshallen", "Trænere og nøgleansvarlige på skift, så hallen er åben fredag aften."),
    ("Forældrenetværksmøder", ""),
]

# Elements of the plan whose content is wider than their box: text that a too-narrow cell clips or pushes out.
OVERFLOWING = """selector => [...document.querySelectorAll(selector)]
  .filter(element => element.scrollWidth > element.clientWidth + 1)
  .map(element => element.tagName + ': ' + element.textContent.trim().slice(0, 40))"""


# Status selects narrower than their longest choice, which is then cut off ("Planlag").
CLIPPED_SELECTS = """selector => [...document.querySelectorAll(selector)].filter(select => {
  const probe = select.cloneNode(true);
  probe.style.cssText = 'position: absolute; width: auto; max-width: none; visibility: hidden';
  document.body.append(probe);
  const needed = probe.getBoundingClientRect().width;
  probe.remove();
  return select.getBoundingClientRect().width + 0.5 < needed;
}).map(select => select.id)"""


def _signed_in(browser: Browser, base: str, persona: Persona, width: int) -> Page:
    client = Client()
    client.force_login(persona.user)
    context = browser.new_context(locale="da-DK", viewport={"width": width, "height": 800})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def test_lars_reads_the_action_plan_and_reaches_each_status_on_a_phone(
    browser: Browser, live_server: object, partnership: Partnership, lars: Persona, jens: Persona, mette: Persona
) -> None:
    assert lars.actor and jens.actor and mette.actor
    for title, description in ACTIONS:
        services.create_action(
            user=lars.user,
            partnership=partnership,
            by_actor=lars.actor,
            title=title,
            description=description,
            owners=[lars.actor, jens.actor, mette.actor],
            deadline=datetime.date(2031, 9, 30),
        )
    base = str(live_server)
    url = base + f"/partnerskaber/{partnership.pk}/handleplan/"
    page = _signed_in(browser, base, lars, PHONE)
    page.goto(url)
    expect(page.get_by_role("heading", name="Handleplan", exact=True)).to_be_visible()

    assert_fits(page)
    plan = "table.samskab-actions"
    assert page.evaluate(BROKEN_WORDS, plan) == []
    assert page.evaluate(OVERFLOWING, f"{plan} :is(td, th, strong, li, select)") == []
    for title, _description in ACTIONS:
        status = page.get_by_label(f"Status for {title}")
        update = page.get_by_role("button", name=f"Opdatér {title}")
        for control in (status, update):
            control.scroll_into_view_if_needed()
            box = control.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE, (title, box)
    # Each action's facts keep their names on the phone, where the table's headers are not shown.
    named = page.evaluate(
        "selector => [...document.querySelector(selector).querySelectorAll('td')]"
        ".map(cell => getComputedStyle(cell, '::before').content)",
        f"{plan} tbody tr",
    )
    assert named == ['"Handling"', '"Ansvarlige"', '"Frist"', '"Status"']
    assert_accessible(page)

    # The status changes from the phone.
    title = ACTIONS[0][0]
    page.get_by_label(f"Status for {title}").select_option(label="I gang")
    page.get_by_role("button", name=f"Opdatér {title}").click()
    expect(page.get_by_text("Handlingens status er gemt.")).to_be_visible()
    assert partnership.actions.get(title=title).status == "underway"

    assert page.evaluate(CLIPPED_SELECTS, f"{plan} select") == []

    # On a desktop, wide or narrow, the plan stays a table; no word breaks and every status shows whole.
    desktop = _signed_in(browser, base, lars, 1280)
    desktop.goto(url)
    for width in (1280, 800):
        desktop.set_viewport_size({"width": width, "height": 800})
        expect(desktop.get_by_role("columnheader", name="Ansvarlige")).to_be_visible()
        assert_fits(desktop, width)
        assert desktop.evaluate(BROKEN_WORDS, plan) == [], width
        assert desktop.evaluate(CLIPPED_SELECTS, f"{plan} select") == [], width
        assert desktop.evaluate(OVERFLOWING, f"{plan} :is(td, th, strong, li)") == [], width
