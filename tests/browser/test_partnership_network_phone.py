"""Sofie, a citizen member, opens her partnership's collaboration network on a 375 px phone: a hint tells her to
scroll sideways, the drawing scrolls inside its own wrapper (not the page), and the page passes axe-core. On a wide
screen, where nothing needs scrolling, the hint is gone."""

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, expect

from samskab.partnerships.models import Partnership

from ..conftest import Persona
from .conftest import PASSWORD, assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = 375


def test_sofie_scrolls_the_network_sideways_on_a_phone(
    browser: Browser, live_server: object, partnership: Partnership, sofie: Persona
) -> None:
    sofie.user.set_password(PASSWORD)
    sofie.user.save()
    base = str(live_server)
    page = log_in(browser, base, sofie.user.email, width=PHONE)
    page.goto(base + reverse("insights:partnership_network", args=[partnership.pk]))

    hint = page.locator(".samskab-scroll-hint--network")
    expect(hint).to_be_visible()
    expect(hint).to_have_text("Rul til siden for at se hele diagrammet.")
    wrapper = page.locator("svg.samskab-network").locator("xpath=..")
    assert wrapper.evaluate("w => w.scrollWidth > w.clientWidth")  # the drawing scrolls inside its wrapper ...
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE  # ... and the page does not
    assert_accessible(page)

    page.set_viewport_size({"width": 1280, "height": 800})
    expect(hint).to_be_hidden()
