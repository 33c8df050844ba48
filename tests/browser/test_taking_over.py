"""On a phone, Lars, who also chairs Egeå Skakklub, takes over the club's profile that the register import made: the
club's mailbox confirms him by its link. Mette confirms the bike shop's owner, as the register has no email for it.
Every page on the way passes an axe-core scan and none scrolls sideways."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from samskab.accounts.models import User
from samskab.actors.models import Actor

from .conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390


def check(page: Page) -> None:
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE, page.url


def test_lars_takes_over_the_chess_club_and_mette_confirms_the_bike_shop(
    browser: Browser, live_server: object, mailoutbox: list
) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    base = str(live_server)
    club = Actor.objects.get(name="Egeå Skakklub")
    shop = Actor.objects.get(name="Nørreby Cykelværksted ApS")

    lars = log_in(browser, base, "lars@egeaa.demo", width=PHONE)
    lars.goto(base + club.get_absolute_url())
    expect(lars.get_by_role("heading", name="Ingen handler for Egeå Skakklub på Samskab endnu")).to_be_visible()
    check(lars)
    lars.get_by_role("link", name="Jeg hører til Egeå Skakklub: overtag profilen").click()
    expect(lars.get_by_text("s•••@e•••.demo", exact=False)).to_be_visible()
    check(lars)
    lars.get_by_label("Hvem er du hos aktøren?").fill("Formand")
    lars.get_by_role("button", name="Bed om at overtage profilen").click()
    expect(lars.get_by_text("Din anmodning er sendt til den e-mail, registret har for Egeå Skakklub")).to_be_visible()
    expect(lars.get_by_role("button", name="Træk anmodningen tilbage")).to_be_visible()
    check(lars)

    [letter] = [m for m in mailoutbox if m.to == ["skak@egeaa.demo"]]
    link = next(line for line in letter.body.splitlines() if "/overtagelse/" in line).replace("http://testserver", base)
    mailbox = browser.new_context(locale="da-DK", viewport={"width": PHONE, "height": 800}).new_page()
    mailbox.goto(link)
    expect(mailbox.get_by_role("heading", name="Handler Lars Brandt for Egeå Skakklub?")).to_be_visible()
    check(mailbox)
    mailbox.get_by_role("button", name="Ja, Lars Brandt handler for Egeå Skakklub").click()
    expect(mailbox.get_by_text("Tak: anmodningen er bekræftet")).to_be_visible()
    check(mailbox)

    lars.reload()
    expect(lars.get_by_role("link", name="Redigér profil")).to_be_visible()
    expect(lars.get_by_text("Ingen handler for")).to_have_count(0)

    jens = log_in(browser, base, "jens@egeaa.demo", width=PHONE)
    jens.goto(base + shop.get_absolute_url())
    jens.get_by_role("link", name="Jeg hører til Nørreby Cykelværksted ApS: overtag profilen").click()
    expect(jens.get_by_text("Registret har ingen e-mail for Nørreby Cykelværksted ApS")).to_be_visible()
    jens.get_by_role("button", name="Bed om at overtage profilen").click()
    expect(jens.get_by_text("Din anmodning er sendt til kommunens administratorer")).to_be_visible()

    mette = log_in(browser, base, "mette@egeaa.demo", width=PHONE)
    mette.goto(base + shop.get_absolute_url())
    mette.get_by_role("link", name=f"{User.objects.get(email='jens@egeaa.demo').name} beder om").click()
    check(mette)
    mette.get_by_text("Nej", exact=True).click()
    mette.get_by_role("button", name="Send svaret").click()
    expect(mette.locator("#error-summary")).to_contain_text("Skriv hvorfor ikke")
    check(mette)
    mette.get_by_text("Ja, personen handler for den").click()
    mette.get_by_role("button", name="Send svaret").click()
    expect(mette.get_by_text("administrerer nu Nørreby Cykelværksted ApS")).to_be_visible()
    assert shop.is_admin(User.objects.get(email="jens@egeaa.demo"))
