"""Who could contribute? The coalition finder inside a partnership, end to end through the page."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.text import slugify

from samskab.actors.models import Actor, Municipality, Resource, Sector
from samskab.partnerships import services
from samskab.partnerships.models import Partnership, PartnershipInvitation

from .conftest import Persona


@pytest.fixture
def registry(partnership: Partnership, personas: dict[str, Persona]) -> dict[str, Actor]:
    odense = Municipality.objects.get(code="0461")
    for persona in personas.values():
        actor = persona.actor
        assert actor is not None
        actor.latitude, actor.longitude = 55.41, 10.43
        actor.save()
    made = {}
    for name, sector, kind, quantity, lat, _lon, opted_in in [
        ("Vollsmose Svømmeklub", Sector.ASSOCIATION, "premises", 2, 55.412, 10.432, True),
        ("Bageren i Vollsmose", Sector.BUSINESS, "jobs", 3, 55.409, 10.428, True),
        ("Lektiecafé Vollsmose", Sector.CITIZEN, "volunteer_hours", 4, 55.411, 10.431, True),
        ("Fjernt Firma", Sector.BUSINESS, "jobs", 10, 55.70, 10.43, True),
        ("Privat Forening", Sector.ASSOCIATION, "premises", 5, 55.410, 10.430, False),
    ]:
        actor = Actor.objects.create(
            name=name,
            slug=slugify(name.replace("ø", "oe")),
            sector=sector,
            municipality=odense,
            latitude=lat,
            longitude=10.43,
            open_to_suggestions=opted_in,
        )
        Resource.objects.create(actor=actor, kind=kind, title=f"{name}: {kind}", quantity=quantity, unit="")
        made[name] = actor
    lars = personas["lars"]
    for kind, amount in (("premises", 1), ("jobs", 3), ("volunteer_hours", 4)):
        services.add_need(
            user=lars.user, partnership=partnership, by_actor=lars.actor, kind=kind, amount=Decimal(amount)
        )
    return made


def test_suggestions_cover_the_needs_with_reasons_and_leave_out_members_and_opted_out(
    partnership: Partnership, registry: dict[str, Actor], personas: dict[str, Persona]
) -> None:
    html = personas["sofie"].client().get(reverse("partnerships:contributors", args=[partnership.pk])).content.decode()
    coalitions = html[html.index('id="coalition-1"') : html.index("<table")]
    for name in ("Vollsmose Svømmeklub", "Bageren i Vollsmose", "Lektiecafé Vollsmose"):
        assert name in coalitions
    assert "Privat Forening" not in html  # opted out of suggestions
    assert "Vollsmose Boldklub" not in coalitions  # already a member
    assert "tilbyder" in html  # reasons in plain Danish


def test_the_danish_reasons_name_resources_in_danish_whatever_the_page_language(
    partnership: Partnership, registry: dict[str, Actor], personas: dict[str, Persona]
) -> None:
    lars = personas["lars"]
    services.add_need(user=lars.user, partnership=partnership, by_actor=lars.actor, kind="funding", amount=Decimal(9))
    client = personas["sofie"].client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("partnerships:contributors", args=[partnership.pk])).content.decode()
    assert "Funding" in html  # the page itself is in English
    coalitions = html[html.index('id="coalition-1"') : html.index("<table")]
    assert "finansiering (0 %)" in coalitions and "Funding" not in coalitions  # nobody offers funding


def test_one_click_invites_a_whole_coalition(
    partnership: Partnership, registry: dict[str, Actor], personas: dict[str, Persona]
) -> None:
    ids = [registry[n].pk for n in ("Vollsmose Svømmeklub", "Bageren i Vollsmose")]
    url = reverse("partnerships:contributors", args=[partnership.pk])
    assert personas["jens"].client().post(url, {"invite": ids}).status_code == 302
    assert set(PartnershipInvitation.objects.values_list("actor_id", flat=True)) == set(ids)
    personas["jens"].client().post(url, {"invite": ids})  # again: nothing new, no duplicates
    assert PartnershipInvitation.objects.count() == 2
    assert personas["nora"].client().post(url, {"invite": ids}).status_code == 403
    assert Client().get(url).status_code == 200  # a public partnership can be read by anyone


def test_coalitions_through_the_api(partnership: Partnership, registry: dict[str, Actor]) -> None:
    data = Client().get(f"/api/v1/partnerships/{partnership.pk}/coalitions").json()
    names = {m["name"] for c in data["coalitions"] for m in c["members"]}
    assert {"Vollsmose Svømmeklub", "Bageren i Vollsmose", "Lektiecafé Vollsmose"} <= names
    assert all(s["reasons"] for s in data["suggestions"])


def test_the_search_can_start_from_a_neighbourhood_named_in_any_case(
    partnership: Partnership, registry: dict[str, Actor]
) -> None:
    # "Fjernt Firma" is alone in Nordby, 32 km north of Vollsmose: measured from there it is at distance 0 and
    # the Vollsmose actors fall outside a 5 km radius.
    Actor.objects.filter(pk=registry["Fjernt Firma"].pk).update(neighbourhood="Nordby")
    url = f"/api/v1/partnerships/{partnership.pk}/coalitions"
    near = Client().get(url, {"neighbourhood": "NORDBY", "radius_km": 5}).json()["suggestions"]
    assert [(s["actor"]["name"], s["distance_m"]) for s in near] == [("Fjernt Firma", 0)]
