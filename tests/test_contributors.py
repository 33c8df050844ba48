"""Who could contribute? The coalition finder inside a partnership, end to end through the page."""

import re
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify

from samskab.actors.coalitions import (
    Comparison,
    DistanceReason,
    Explanation,
    NewTieReason,
    Offer,
    OfferReason,
    SectorReason,
    Shortfall,
    ThemeReason,
)
from samskab.actors.models import Actor, Municipality, Resource, Sector, Theme
from samskab.partnerships import services
from samskab.partnerships.contributors import (
    describe_explanation,
    describe_reason,
    format_distance,
    format_number,
    format_percent,
)
from samskab.partnerships.models import Partnership, PartnershipInvitation, PartnershipMember

from .conftest import Persona


@pytest.fixture
def registry(partnership: Partnership, personas: dict[str, Persona]) -> dict[str, Actor]:
    odense = Municipality.objects.get(code="0461")
    for persona in personas.values():
        actor = persona.actor
        assert actor is not None
        actor.latitude, actor.longitude = 55.41, 10.43
        actor.public_fields = [*actor.public_fields, "address"]
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
            public_fields=["address"],
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


def test_only_pledges_in_the_need_s_unit_are_not_asked_for_again(
    partnership: Partnership, registry: dict[str, Actor], personas: dict[str, Persona]
) -> None:
    url = reverse("partnerships:contributors", args=[partnership.pk])
    lars = personas["lars"]

    def proposed() -> str:
        html = personas["sofie"].client().get(url).content.decode()
        return html[html.index('id="coalition-1"') : html.index("<table")]

    def pledge(quantity: int, unit: str) -> None:
        services.pledge(
            user=lars.user,
            partnership=partnership,
            actor=lars.actor,
            kind="volunteer_hours",
            description="Lektiehjælp",
            quantity=Decimal(quantity),
            unit=unit,
        )

    pledge(50, "kroner")  # 50 kroner are not 4 hours of volunteers
    assert "Lektiecafé Vollsmose" in proposed()
    pledge(4, "")
    assert "Lektiecafé Vollsmose" not in proposed() and "Bageren i Vollsmose" in proposed()


def text(html: str) -> str:
    """What a reader sees: no tags, single spaces."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_sofie_reads_the_reasons_in_plain_danish(
    partnership: Partnership, registry: dict[str, Actor], personas: dict[str, Persona]
) -> None:
    html = personas["sofie"].client().get(reverse("partnerships:contributors", args=[partnership.pk])).content.decode()
    page = text(html)
    assert (
        "Dækker 100 % af behovene med 3 aktører fra 3 sektorer (forening, borger og virksomhed). "
        "Gennemsnitligt 150 m fra området. 18 nye forbindelser."
    ) in page
    assert (
        "tilbyder Vollsmose Svømmeklub: premises · 220 m fra området · "
        "ny forbindelse: intet samarbejde med de andre endnu"
    ) in page


def test_after_switching_to_english_sofie_reads_english_reasons(
    partnership: Partnership, registry: dict[str, Actor], personas: dict[str, Persona]
) -> None:
    lars = personas["lars"]
    services.add_need(user=lars.user, partnership=partnership, by_actor=lars.actor, kind="funding", amount=Decimal(9))
    client = personas["sofie"].client()
    url = reverse("partnerships:contributors", args=[partnership.pk])
    client.post(reverse("set_language"), {"language": "en", "next": url})  # the language switch in the header
    page = text(client.get(url).content.decode())
    coalition = page[page.index("Coalition 1") : page.index("Actors who could contribute")]
    assert (
        "Covers 75% of the needs with 3 actors from 3 sectors (association, citizen and business). "
        "On average 150 m from the area. 18 new ties. "
        "Not fully covered, not even with all candidates: funding (0%)."  # nobody offers funding
    ) in coalition
    assert (
        "offers Vollsmose Svømmeklub: premises · 220 m from the area · new tie: no collaboration with the others yet"
    ) in coalition
    for danish in ("tilbyder", "fra området", "forbindelse", "finansiering", "forening"):
        assert danish not in page

    # Themes are named in English too, each once, joined so that the "and" inside a name stays clear.
    registry["Vollsmose Svømmeklub"].themes.set(Theme.objects.filter(slug__in=["idraet", "boern-unge"]))
    page = text(client.get(url, {"themes": ["idraet", "boern-unge"]}).content.decode())
    assert "works with children and young people as well as sport and exercise" in page


def test_a_members_only_partnership_is_not_given_away_as_an_existing_tie(
    partnership: Partnership, private_partnership: Partnership, registry: dict[str, Actor]
) -> None:
    # The baker works with the partnership's members in a partnership for its members only. The finder, which
    # anyone may open on a public partnership, must not tell: its "new tie" reasons stay as they were.
    url = f"/api/v1/partnerships/{partnership.pk}/coalitions"

    def baker() -> list[str]:
        return next(
            s["reasons"] for s in Client().get(url).json()["suggestions"] if s["actor"]["name"] == "Bageren i Vollsmose"
        )

    before = baker()
    PartnershipMember.objects.create(partnership=private_partnership, actor=registry["Bageren i Vollsmose"])
    assert baker() == before
    Partnership.objects.filter(pk=private_partnership.pk).update(visibility=Partnership.Visibility.PUBLIC)
    assert baker() != before  # in a public partnership the tie is no secret, and counts


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
    # Who has been invited is for the members, as on the partnership's page.
    badge = '<span class="samskab-sector">inviteret</span>'
    assert badge in personas["jens"].client().get(url).content.decode()
    assert badge not in Client().get(url).content.decode()


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


def test_a_private_address_gives_no_distance_and_no_place_on_the_map(
    partnership: Partnership, registry: dict[str, Actor], personas: dict[str, Persona]
) -> None:
    # The homework café keeps its address private and is alone in Nordby. It is still suggested (it is in the
    # municipality), but no distance is given, Nordby has no centre to measure from, and a challenge raised there is
    # not put on the map at the café's door.
    import json

    cafe = registry["Lektiecafé Vollsmose"]
    Actor.objects.filter(pk=cafe.pk).update(public_fields=[], neighbourhood="Nordby", latitude=55.70)
    url = f"/api/v1/partnerships/{partnership.pk}/coalitions"
    suggested = {s["actor"]["name"]: s for s in Client().get(url).json()["suggestions"]}
    assert suggested["Lektiecafé Vollsmose"]["distance_m"] is None
    assert suggested["Vollsmose Svømmeklub"]["distance_m"] is not None
    assert not any("km" in r or " m " in r for r in suggested["Lektiecafé Vollsmose"]["reasons"])
    assert Actor.objects.neighbourhood_centre("0461", "Nordby") is None
    # Asked to start from Nordby, the finder falls back to the members' centre, and still gives the café no distance.
    nordby = {s["actor"]["name"]: s for s in Client().get(url, {"neighbourhood": "Nordby"}).json()["suggestions"]}
    assert nordby["Lektiecafé Vollsmose"]["distance_m"] is None

    lars = personas["lars"]
    services.raise_challenge(
        user=lars.user,
        actor=lars.actor,
        title="Mørke stier i Nordby",
        description="Stierne er ikke oplyst om aftenen.",
        municipality=Municipality.objects.get(code="0461"),
        place="Nordby",
    )

    def challenge_points() -> list[tuple[float, float]]:
        html = Client().get("/aktoerer/kort/").content.decode()
        found = re.search(r'id="challenge-points"[^>]*>(.*?)</script>', html, re.S)
        assert found is not None
        return [(p["lat"], p["lon"]) for p in json.loads(found.group(1)) if p["name"] == "Mørke stier i Nordby"]

    assert challenge_points() == []
    Actor.objects.filter(pk=cafe.pk).update(public_fields=["address"])  # shown, it places Nordby
    assert challenge_points() == [(55.70, 10.43)]


@pytest.mark.parametrize("limit", ["MAX_AREA_ACTORS", "MAX_CANDIDATES"])
def test_a_crowded_area_does_not_crowd_out_actors_whose_address_is_private(
    partnership: Partnership, registry: dict[str, Actor], monkeypatch: pytest.MonkeyPatch, limit: str
) -> None:
    # The finder looks at a bounded number of actors in the area, and weighs a bounded number of candidates. With
    # room for four, and more placed actors near Vollsmose than that, the night café (address private, so placed
    # nowhere, and the newest of them all) still has a place among them.
    from samskab.partnerships import contributors

    monkeypatch.setattr(contributors, limit, 4)
    odense = Municipality.objects.get(code="0461")
    for i, name in enumerate(["Lokale 0", "Lokale 1", "Lokale 2", "Lokale 3", "Nattecafé"]):
        actor = Actor.objects.create(
            name=name,
            slug=f"lokale-{i}",
            sector=Sector.ASSOCIATION,
            municipality=odense,
            latitude=55.41,
            longitude=10.43,
            open_to_suggestions=True,
            public_fields=[] if name == "Nattecafé" else ["address"],
        )
        kind = "volunteer_hours" if name == "Nattecafé" else "premises"
        Resource.objects.create(actor=actor, kind=kind, title=name, quantity=1, unit="")
    suggested = {
        s["actor"]["name"]
        for s in Client().get(f"/api/v1/partnerships/{partnership.pk}/coalitions").json()["suggestions"]
    }
    assert "Nattecafé" in suggested


# --- the wording, without the page --------------------------------------------------------------------

THEMES_DA = {"boern-unge": "Børn og unge", "idraet": "Idræt og bevægelse"}
THEMES_EN = {"boern-unge": "Children and young people", "idraet": "Sport and exercise"}
HALL = Offer("premises", None, "Hallen", "tirsdag aften")
CLUB = [
    OfferReason(HALL),
    OfferReason(Offer("volunteer_hours", 10)),
    OfferReason(Offer("funding", 1250.0, unit="kr.")),
    DistanceReason(7812.0),
    ThemeReason(("idraet", "boern-unge")),
    NewTieReason(new=1, others=1),
    NewTieReason(new=2, others=3),
]
SHORT = Explanation(
    coverage=0.999,
    actors=1,
    sectors=("association",),
    mean_distance_m=600.4,
    new_ties=1,
    shortfalls=(Shortfall("volunteer_hours", 0.5),),
    compared=Comparison(left_out=("Netto", "Skolen", "Bo"), brought_in=("Hallen",)),
    located=1,
)


def test_numbers_and_distances_in_the_reader_s_notation() -> None:
    with translation.override("da"):
        assert [format_distance(m) for m in (35, 600, 613, 998, 1234, 12_345)] == [
            "35 m",
            "600 m",
            "610 m",
            "1 km",
            "1,2 km",
            "12 km",
        ]
        assert (format_number(1250), format_number(2.5), format_number(2.96)) == ("1.250", "2,5", "3,0")
    with translation.override("en"):
        assert (format_distance(1234), format_number(1250), format_number(2.5)) == ("1.2 km", "1,250", "2.5")
        assert (format_percent(0.999), format_percent(1.0), format_percent(0.0)) == ("99%", "100%", "0%")


def test_reasons_and_explanations_in_danish() -> None:
    with translation.override("da"):
        assert [describe_reason(r, THEMES_DA) for r in CLUB] == [
            "tilbyder Hallen (tirsdag aften)",
            "tilbyder frivillige timer (10)",
            "tilbyder finansiering (1.250 kr.)",
            "7,8 km fra området",
            "arbejder med børn og unge samt idræt og bevægelse",
            "ny forbindelse: intet samarbejde med de andre endnu",
            "nye forbindelser til 2 af de 3 andre",
        ]
        assert (format_percent(0.999), format_percent(1.0)) == ("99 %", "100 %")
        assert describe_explanation(SHORT) == (
            "Dækker 99 % af behovene med 1 aktør fra 1 sektor (forening). Gennemsnitligt 600 m fra området. "
            "1 ny forbindelse. Ikke fuldt dækket, heller ikke med alle kandidater: frivillige timer (50 %). "
            "I forhold til koalition 1: uden Netto, Skolen og Bo; med Hallen."
        )
        assert describe_reason(SectorReason("business"), THEMES_DA) == (
            "koalitionens eneste virksomhed: med for spredningen over sektorer"
        )
        partly_placed = replace(SHORT, actors=3, located=2, compared=None, shortfalls=())
        assert "Gennemsnitligt 600 m fra området, for de 2 aktører, hvis sted kendes." in describe_explanation(
            partly_placed
        )


def test_reasons_and_explanations_in_english() -> None:
    with translation.override("en"):
        assert [describe_reason(r, THEMES_EN) for r in CLUB] == [
            "offers Hallen (tirsdag aften)",  # the actor's own words stay as written
            "offers volunteer hours (10)",
            "offers funding (1,250 kr.)",
            "7.8 km from the area",
            "works with children and young people as well as sport and exercise",
            "new tie: no collaboration with the others yet",
            "new ties to 2 of the 3 others",
        ]
        assert describe_explanation(SHORT) == (
            "Covers 99% of the needs with 1 actor from 1 sector (association). On average 600 m from the area. "
            "1 new tie. Not fully covered, not even with all candidates: volunteer hours (50%). "
            "Compared with coalition 1: without Netto, Skolen and Bo; with Hallen."
        )
        assert describe_reason(SectorReason("business"), THEMES_EN) == (
            "the coalition's only business: there for the span of sectors"
        )


def test_needs_are_positive_in_one_unit_per_kind_and_members_correct_or_remove_them(
    partnership: Partnership, registry: dict[str, Actor], personas: dict[str, Persona]
) -> None:
    from samskab.partnerships.models import PartnershipNeed

    lars = personas["lars"].client()
    together = reverse("partnerships:together", args=[partnership.pk])
    before = PartnershipNeed.objects.count()
    zero = lars.post(together, {"do": "need", "kind": "jobs", "amount": "0", "unit": ""}).content.decode()
    assert "Mængden skal være større end 0." in zero
    other_unit = {"do": "need", "kind": "volunteer_hours", "amount": "2", "unit": "uger", "description": "Sommer"}
    mixed = lars.post(together, other_unit).content.decode()
    assert "Partnerskabet opgør allerede behov af denne type uden enhed." in mixed and 'value="uger"' in mixed
    assert PartnershipNeed.objects.count() == before

    # What a need still lacks counts the pledges of its kind in its unit only.
    lars_actor = personas["lars"].actor
    for quantity, unit in (("3", ""), ("50", "kroner")):
        services.pledge(
            user=personas["lars"].user,
            partnership=partnership,
            actor=lars_actor,
            kind="volunteer_hours",
            description="Lektiehjælp",
            quantity=Decimal(quantity),
            unit=unit,
        )
    page = text(lars.get(together).content.decode())
    assert (
        "Frivillige timer: behov 4, givet tilsagn om 3, mangler 1 (også givet tilsagn i andre enheder: 50 kroner)"
        in page
    )
    # A pledge that gives no unit counts towards a need in a unit.
    services.add_need(
        user=personas["lars"].user,
        partnership=partnership,
        by_actor=lars_actor,
        kind="equipment",
        amount=Decimal(5),
        unit="stk",
    )
    services.pledge(
        user=personas["lars"].user,
        partnership=partnership,
        actor=lars_actor,
        kind="equipment",
        description="Bolde",
        quantity=Decimal(2),
        unit="",
    )
    assert "Udstyr: behov 5 stk, givet tilsagn om 2, mangler 3" in text(lars.get(together).content.decode())
    # The pledges table keeps the units apart too: 3 hours and 50 kroner are two rows, not "53".
    assert "Frivillige timer 0 3 0 0 3 1" in page and "Frivillige timer (kroner) 0 50 0 0 50 1" in page

    # A need recorded before the rules held (zero, or in a second unit) does not stop the search for contributors.
    PartnershipNeed.objects.create(partnership=partnership, kind="jobs", amount=0)
    PartnershipNeed.objects.create(partnership=partnership, kind="premises", amount=2, unit="m²")
    contributors = personas["sofie"].client().get(reverse("partnerships:contributors", args=[partnership.pk]))
    assert contributors.status_code == 200 and "Vollsmose Svømmeklub" in contributors.content.decode()

    # Members correct a need or remove it; others may not.
    need = PartnershipNeed.objects.get(kind="volunteer_hours")
    url = reverse("partnerships:need", args=[partnership.pk, need.pk])
    assert personas["nora"].client().post(url, {"do": "remove"}).status_code == 403
    refused = lars.post(url, {"do": "save", "kind": "volunteer_hours", "amount": "-1", "unit": ""}).content.decode()
    assert "Mængden skal være større end 0." in refused and 'value="-1"' in refused
    lars.post(url, {"do": "save", "kind": "volunteer_hours", "amount": "6", "unit": "", "description": "Lektier"})
    need.refresh_from_db()
    assert (need.amount, need.description) == (Decimal(6), "Lektier")
    assert "Frivillige timer (Lektier): behov 6, givet tilsagn om 3, mangler 3" in text(
        lars.get(together).content.decode()
    )
    lars.post(url, {"do": "remove"})
    assert not PartnershipNeed.objects.filter(pk=need.pk).exists()
    # A member who opened the need before it was removed is told so when saving, rather than meeting an error.
    with pytest.raises(ValidationError, match="fjernet behovet imens"):
        services.update_need(
            user=personas["lars"].user,
            need=need,
            by_actor=lars_actor,
            kind="volunteer_hours",
            amount=Decimal(7),
            unit="",
            description="",
        )
    assert lars.post(url, {"do": "remove"}).status_code == 404  # the page is gone too
