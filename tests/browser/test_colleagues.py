"""In the browser, with axe-core on every page: Anne invites a teacher into Nørreby Skole as a colleague, sees the
invitation waiting and withdraws it, and changes Camilla's role; Camilla, a colleague, is told what she is and
finds the staff process, but not the school's other work, as hers."""

import re

from django.core.management import call_command
from playwright.sync_api import Browser, expect

from samskab.actors.models import Actor, ActorInvitation, Membership
from samskab.partnerships.models import Partnership

from .conftest import assert_accessible, log_in


def test_anne_invites_a_colleague_and_camilla_knows_what_she_is(browser: Browser, live_server: object) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    base = str(live_server)
    school = Actor.objects.get(name="Nørreby Skole")
    process = Partnership.objects.get(kind=Partnership.Kind.EMPLOYEE_INVOLVEMENT)

    anne = log_in(browser, base, "anne@egeaa.demo")
    anne.goto(base + school.get_absolute_url())
    anne.get_by_role("link", name="Invitér en person").click()
    anne.get_by_label("E-mailadresse").fill("nina@egeaa.demo")
    anne.get_by_label("Kollega").check()
    assert_accessible(anne)
    anne.get_by_role("button", name="Send invitation").click()
    waiting = anne.get_by_role("heading", name="Invitationer, der venter på at blive accepteret")
    expect(waiting).to_be_visible()
    expect(anne.get_by_text(re.compile(r"nina@egeaa\.demo \(kollega, sendt"))).to_be_visible()
    assert_accessible(anne)
    anne.get_by_role("button", name="Træk tilbage nina@egeaa.demo").click()
    expect(anne.get_by_text("Invitationen til nina@egeaa.demo er trukket tilbage.")).to_be_visible()
    assert not ActorInvitation.objects.filter(email="nina@egeaa.demo").exists()

    # In the staff process, "who could contribute" is the staff: Anne is offered to invite colleagues, no actors.
    anne.goto(base + process.get_absolute_url())
    anne.get_by_role("navigation", name="Partnerskabet").get_by_role("link", name="Hvem kan bidrage?").click()
    expect(anne.get_by_text("En medarbejderinddragelse er arbejdspladsens egen.", exact=False)).to_be_visible()
    expect(anne.get_by_role("button", name="Find bidragydere")).to_have_count(0)
    assert_accessible(anne)
    anne.get_by_role("link", name="Invitér kolleger ind i Nørreby Skole").click()
    expect(anne.get_by_label("Kollega")).to_be_checked()
    anne.goto(base + school.get_absolute_url())

    anne.get_by_role("button", name="Gør til medlem Camilla Sørensen").click()
    expect(anne.get_by_text("Camilla Sørensen er nu medlem")).to_be_visible()
    anne.get_by_role("button", name="Gør til kollega Camilla Sørensen").click()
    expect(anne.get_by_text("Camilla Sørensen er nu kollega")).to_be_visible()
    assert Membership.objects.get(user__email="camilla.soerensen@egeaa.demo").role == Membership.Role.COLLEAGUE

    camilla = log_in(browser, base, "camilla.soerensen@egeaa.demo")
    expect(camilla.get_by_text("Du er kollega på Nørreby Skole", exact=False)).to_be_visible()
    expect(camilla.get_by_role("heading", name="Dine partnerskaber")).to_be_visible()
    assert_accessible(camilla)
    camilla.get_by_role("link", name=process.title).click()
    expect(camilla.get_by_role("heading", name="Råderummet")).to_be_visible()
    expect(camilla.get_by_role("link", name="Redigér partnerskabet")).to_have_count(0)
    assert_accessible(camilla)
    camilla.goto(base + school.get_absolute_url())
    expect(camilla.get_by_text("Du er kollega på Nørreby Skole", exact=False)).to_be_visible()
    camilla.goto(base + "/udfordringer/ny/")
    expect(camilla.get_by_text("Som kollega på Nørreby Skole deltager du", exact=False)).to_be_visible()
    assert_accessible(camilla)
