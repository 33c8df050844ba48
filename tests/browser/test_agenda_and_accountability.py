"""In the browser: Lars marks what the meeting dealt with and puts back what it did not reach, then plans an
action that follows from a decision and sees it in the decision log; every page passes axe-core."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, expect

from samskab.partnerships.models import Action, AgendaItem, Decision, Partnership

from .conftest import assert_accessible
from .test_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lars_deals_with_the_meetings_items_and_follows_a_decision_up(browser: Browser, live_server: object) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    partnership = Partnership.objects.get(title__contains="unge i Nørreby")
    jobs = AgendaItem.objects.get(partnership=partnership, title="Fritidsjob i butikkerne")
    lars = log_in(browser, str(live_server), "lars@egeaa.demo")
    lars.goto(str(live_server) + jobs.meeting.get_absolute_url())  # type: ignore[union-attr]
    # The item the passed proposal was about was dealt with by the decision, months ago: not on the coming meeting.
    expect(lars.get_by_text("Fritidsjob i butikkerne").first).to_be_visible()
    expect(lars.get_by_text("Fredagsåben hal for de unge")).to_have_count(0)
    assert_accessible(lars)
    lars.get_by_role("button", name="Tilbage på dagsordenen Fritidsjob i butikkerne").click()
    expect(lars.get_by_text("“Fritidsjob i butikkerne” er tilbage på den åbne dagsorden.")).to_be_visible()
    jobs.refresh_from_db()
    assert (jobs.status, jobs.meeting) == ("open", None)

    nav = lars.get_by_role("navigation", name="Partnerskabet")
    nav.get_by_role("link", name="Dagsorden").click()
    lars.get_by_role("button", name="Behandlet Fritidsjob i butikkerne").click()
    expect(lars.get_by_text("“Fritidsjob i butikkerne” er markeret som behandlet.")).to_be_visible()
    lars.get_by_text("Behandlet (2 punkter)").click()
    expect(lars.get_by_text(re.compile("Markeret som behandlet af Nørreby Boldklub"))).to_be_visible()
    expect(lars.get_by_text(re.compile("Behandlet med beslutningen om"))).to_be_visible()
    assert_accessible(lars)

    decision = Decision.objects.get(partnership=partnership)
    nav.get_by_role("link", name="Handleplan og ressourcer").click()
    lars.get_by_text("Tilføj en handling").click()
    lars.get_by_label("Handling", exact=True).fill("Lås og rengøring efter fredagene")
    lars.get_by_label("Nørreby Boldklub").check()
    lars.get_by_label(re.compile("Følger af beslutning")).select_option(str(decision.pk))
    lars.get_by_role("button", name="Tilføj handling").click()
    added = Action.objects.get(title="Lås og rengøring efter fredagene")
    expect(lars.locator(f"#action-{added.pk}").get_by_text("Følger af beslutning:")).to_be_visible()
    assert_accessible(lars)
    assert added.decision == decision
    nav.get_by_role("link", name="Beslutningslog").click()
    expect(lars.get_by_role("link", name="Lås og rengøring efter fredagene")).to_be_visible()
    assert_accessible(lars)
