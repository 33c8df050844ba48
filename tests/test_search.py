"""Danish search: the same queries give the same actors on SQLite and PostgreSQL (the suite runs on both)."""

import math
import random

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from samskab.actors import search
from samskab.actors.models import Actor, Municipality, Resource, Sector
from samskab.actors.search import similarity, stems
from samskab.lib.geo import EARTH_RADIUS_M, distance_m, format_distance
from samskab.lib.pagination import CountedPaginator
from samskab.partnerships.models import Partnership

from .conftest import Persona


@pytest.fixture
def register(db: None) -> dict[str, Actor]:
    odense = Municipality.objects.get(code="0461")
    aarhus = Municipality.objects.get(code="0751")
    rows = [
        ("Fodboldklubben Vollsmose", Sector.ASSOCIATION, "Fodbold for drenge og piger", odense, 55.41, 10.43),
        ("Ungdomsklubben Bolbro", Sector.MUNICIPALITY, "Fritidstilbud om aftenen", odense, 55.40, 10.35),
        ("Ældresagen Odense", Sector.ASSOCIATION, "Besøgsvenner til ældre medborgere", odense, 55.39, 10.39),
        ("Købmand Østergaard", Sector.BUSINESS, "Dagligvarer og studiejob", odense, 55.40, 10.40),
        ("Århus Svømmeklub", Sector.ASSOCIATION, "Svømning for børn og unge", aarhus, 56.15, 10.20),
    ]
    actors = {}
    for name, sector, description, municipality, lat, lon in rows:
        actors[name] = Actor.objects.create(
            name=name,
            slug=name.lower().replace(" ", "-").replace("æ", "ae").replace("ø", "oe").replace("å", "aa"),
            sector=sector,
            description=description,
            municipality=municipality,
            latitude=lat,
            longitude=lon,
            public_fields=["address"],
        )
    Resource.objects.create(actor=actors["Købmand Østergaard"], kind="jobs", title="Studiejob")
    return actors


def found(q: str = "", **filters: object) -> list[str]:
    actors, _fuzzy = Actor.objects.search(q=q, **filters)  # type: ignore[arg-type]
    return sorted(actors.values_list("name", flat=True))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("fodbold", ["Fodboldklubben Vollsmose"]),  # a word is a prefix of a compound
        ("unge", ["Ungdomsklubben Bolbro", "Århus Svømmeklub"]),  # stem "ung" prefixes "ungdomsklub" and matches "unge"
        ("ældre", ["Ældresagen Odense"]),  # æ, and the stem "ældr"
        ("ÆLDRE besøgsvenner", ["Ældresagen Odense"]),  # every word must match, any case
        ("østergaard", ["Købmand Østergaard"]),  # ø
        ("århus", ["Århus Svømmeklub"]),  # å
    ],
)
def test_danish_stemming_and_letters(register: dict[str, Actor], query: str, expected: list[str]) -> None:
    assert found(query) == expected


def test_a_word_inside_a_compound_name_is_found(register: dict[str, Actor]) -> None:
    # "klub" begins no word of "Århus Svømmeklub", so whole-word search does not find it; the name contains it.
    # "Klubhuset" is found by its first word; both ways count together.
    Actor.objects.create(
        name="Klubhuset",
        slug="klubhuset",
        sector=Sector.ASSOCIATION,
        municipality=register["Århus Svømmeklub"].municipality,
    )
    actors, fuzzy = Actor.objects.search(q="klub")
    assert fuzzy is False
    assert sorted(actors.values_list("name", flat=True)) == [
        "Fodboldklubben Vollsmose",
        "Klubhuset",
        "Ungdomsklubben Bolbro",
        "Århus Svømmeklub",
    ]
    assert found("KLUB", municipality="0751") == ["Klubhuset", "Århus Svømmeklub"]  # with a filter, any case
    assert found("klub bolbro") == ["Ungdomsklubben Bolbro"]  # every word
    assert found("sagen") == ["Ældresagen Odense"]
    # "_" stands for itself, not for any one letter (which would match "svømmeklub"); only typo tolerance,
    # flagged as such, may offer the name.
    actors, fuzzy = Actor.objects.search(q="svømm_klub")
    assert fuzzy or not actors.exists()
    assert not search.full_text(Actor.objects.all(), "svømm_klub").exists()
    page = Client().get(reverse("actors:directory"), {"q": "klub"}).content.decode()
    assert "Århus Svømmeklub" in page and "staves næsten ens" not in page


def test_typos_in_names_are_tolerated_when_nothing_matches_exactly(register: dict[str, Actor]) -> None:
    actors, fuzzy = Actor.objects.search(q="Fodbolklubben")
    assert fuzzy is True
    assert list(actors.values_list("name", flat=True)) == ["Fodboldklubben Vollsmose"]
    actors, fuzzy = Actor.objects.search(q="Østergård")
    assert list(actors.values_list("name", flat=True)) == ["Købmand Østergaard"]
    actors, fuzzy = Actor.objects.search(q="xylofon")
    assert (list(actors), fuzzy) == ([], False)


def test_the_closest_names_are_the_typo_candidates_not_the_first_found(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With room for only two candidates, the name closest to the typo must still be among them, even when
    # similar names were registered before it.
    monkeypatch.setattr(search, "FUZZY_CANDIDATES", 2)
    odense = Municipality.objects.get(code="0461")
    names = ["Fodboldklub Øst", "Fodboldklubhuset", "Fodboldklubs Venner", "Fodboldklubben Nord"]
    for i, name in enumerate(names):
        Actor.objects.create(name=name, slug=f"klub-{i}", sector=Sector.ASSOCIATION, municipality=odense)
    actors, fuzzy = Actor.objects.search(q="Fodbolklubben")
    assert fuzzy is True
    assert actors.values_list("name", flat=True)[0] == "Fodboldklubben Nord"


def test_a_filtered_typo_search_finds_every_close_name_inside_the_filter(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Closer names elsewhere in the country must not take the candidates' places: the pool is chosen among
    # the actors the filters leave.
    monkeypatch.setattr(search, "FUZZY_CANDIDATES", 2)
    odense, aarhus = Municipality.objects.get(code="0461"), Municipality.objects.get(code="0751")
    for i in range(8):
        Actor.objects.create(name=f"Boldklub {i}", slug=f"boldklub-{i}", sector=Sector.ASSOCIATION, municipality=odense)
    for name in ("Boldklubben Syd", "Boldklubben Nord"):
        Actor.objects.create(
            name=name, slug=name.lower().replace(" ", "-"), sector=Sector.ASSOCIATION, municipality=aarhus
        )
    actors, fuzzy = Actor.objects.search(q="boldklbu", municipality="0751")
    assert fuzzy is True
    assert sorted(actors.values_list("name", flat=True)) == ["Boldklubben Nord", "Boldklubben Syd"]


def test_filters_combine_with_search(register: dict[str, Actor]) -> None:
    assert found("unge", sector=Sector.ASSOCIATION) == ["Århus Svømmeklub"]
    assert found(municipality="0751") == ["Århus Svømmeklub"]
    assert found(resource_kind="jobs") == ["Købmand Østergaard"]
    near_vollsmose = found(lat=55.41, lon=10.43, km=2)
    assert near_vollsmose == ["Fodboldklubben Vollsmose"]
    assert "Århus Svømmeklub" not in found(lat=55.40, lon=10.40, km=20)


def test_a_private_address_is_not_given_away_by_distance(register: dict[str, Actor]) -> None:
    # A citizen at home in Vollsmose, address private: the directory and the API never find her by distance, for
    # a few 50 m circles would tell where she lives; she is still found by her name and her municipality.
    odense = Municipality.objects.get(code="0461")
    home = (55.3968, 10.4295)
    Actor.objects.create(
        name="Sofie Andersen",
        slug="sofie",
        sector=Sector.CITIZEN,
        municipality=odense,
        latitude=home[0],
        longitude=home[1],
        neighbourhood="Vollsmose",
    )
    assert "Sofie Andersen" not in found(lat=home[0], lon=home[1], km=0.05)
    assert "Sofie Andersen" not in found(lat=home[0], lon=home[1], km=20)
    assert found("Sofie") == ["Sofie Andersen"] and "Sofie Andersen" in found(municipality="0461")
    api = Client().get("/api/v1/actors/", {"lat": home[0], "lon": home[1], "km": 0.05}).json()
    assert api["items"] == []
    # Measured from Vollsmose, whose centre is the club's public address alone: the club is in reach, she is not.
    Actor.objects.filter(name="Fodboldklubben Vollsmose").update(neighbourhood="Vollsmose")
    assert Actor.objects.neighbourhood_centre("0461", "vollsmose") == (55.41, 10.43)
    page = Client().get(reverse("actors:directory"), {"near": "Vollsmose", "km": "25"}).content.decode()
    assert "Fodboldklubben Vollsmose" in page and "Sofie Andersen" not in page
    # Showing her address puts her on the map, and in reach.
    Actor.objects.filter(name="Sofie Andersen").update(public_fields=["address"])
    assert "Sofie Andersen" in found(lat=home[0], lon=home[1], km=0.05)


def test_many_matches_are_paged_by_name_with_the_same_result(
    register: dict[str, Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite pages a result of many matches through the name index; the page and the count do not change.
    def page(q: str, **filters: object) -> tuple[list[str], int]:
        actors, _fuzzy = Actor.objects.for_directory().search(q=q, **filters)  # type: ignore[arg-type]
        paginator = CountedPaginator(actors, 2)
        return [a.name for a in paginator.page(1).object_list], paginator.count

    queries = [
        ("unge", {}),
        ("fodbold", {"municipality": "0461"}),
        ("ældre", {"sector": Sector.ASSOCIATION}),
        ("klub", {}),
        ("", {"resource_kind": "jobs"}),  # counted from the resources' index, then paged either way
        ("", {"resource_kind": "jobs", "sector": Sector.BUSINESS}),
    ]
    looked_up = [page(q, **f) for q, f in queries]
    monkeypatch.setattr(search, "PAGE_BY_NAME_FROM", 1)
    assert [page(q, **f) for q, f in queries] == looked_up
    assert looked_up[0] == (["Ungdomsklubben Bolbro", "Århus Svømmeklub"], 2)
    assert looked_up[3] == (["Fodboldklubben Vollsmose", "Ungdomsklubben Bolbro"], 3)  # inside compound names
    assert looked_up[4] == looked_up[5] == (["Købmand Østergaard"], 1)


def test_a_radius_keeps_exactly_the_actors_within_the_great_circle_distance(db: None) -> None:
    # Points scattered over the box around Vollsmose, and two due north just inside and outside 2 km: the
    # database's filter agrees with the haversine distance of every point.
    odense = Municipality.objects.get(code="0461")
    centre = (55.41, 10.43)
    rng = random.Random(7)
    points = [(centre[0] + rng.uniform(-0.03, 0.03), centre[1] + rng.uniform(-0.05, 0.05)) for _ in range(60)]
    north = math.degrees(2000 / EARTH_RADIUS_M)
    points += [(centre[0] + north * 0.999, centre[1]), (centre[0] + north * 1.001, centre[1])]
    Actor.objects.bulk_create(
        Actor(
            name=f"A{i}",
            slug=f"a{i}",
            sector=Sector.CITIZEN,
            municipality=odense,
            latitude=lat,
            longitude=lon,
            public_fields=["address"],
        )
        for i, (lat, lon) in enumerate(points)
    )
    inside = {f"A{i}" for i, (lat, lon) in enumerate(points) if distance_m(*centre, lat, lon) <= 2000}
    assert f"A{len(points) - 2}" in inside and f"A{len(points) - 1}" not in inside
    assert 5 < len(inside) < 55
    assert set(found(lat=centre[0], lon=centre[1], km=2)) == inside


def test_directory_page_searches_in_danish(register: dict[str, Actor]) -> None:
    html = Client().get(reverse("actors:directory"), {"q": "fodbold"}).content.decode()
    assert "Fodboldklubben Vollsmose" in html
    assert "Ungdomsklubben Bolbro" not in html
    typo = Client().get(reverse("actors:directory"), {"q": "Fodbolklubben"}).content.decode()
    assert "Fodboldklubben Vollsmose" in typo
    assert "Ingen præcise træf" in typo
    # A search of signs or small words only has nothing to look for: no actor matches it, rather than all.
    for nothing in ("%", "og", "_ *"):
        html = Client().get(reverse("actors:directory"), {"q": nothing}).content.decode()
        assert "Fodboldklubben Vollsmose" not in html and "Ungdomsklubben Bolbro" not in html
    assert Client().get(reverse("actors:directory")).content.decode().count("Fodboldklubben Vollsmose") >= 1


def test_search_index_follows_edits(register: dict[str, Actor]) -> None:
    actor = register["Købmand Østergaard"]
    actor.description = "Nu også med cykelværksted"
    actor.save()
    assert found("cykel") == ["Købmand Østergaard"]
    actor.delete()
    assert found("cykel") == []


def test_stems_and_trigrams_match_postgresql() -> None:
    # PostgreSQL: to_tsvector('danish', 'Fodboldklubben for unge og ældre børn') = 'børn' 'fodboldklub' 'ung' 'ældr'
    assert stems("Fodboldklubben for unge og ældre børn") == ["fodboldklub", "ung", "ældr", "børn"]
    # pg_trgm: similarity('word', 'word') = 1, and one letter dropped keeps most trigrams.
    assert similarity("fodbold", "fodbold") == 1.0
    assert 0.5 < similarity("fodbolklubben", "fodboldklubben") < 1.0


def test_distances_in_danish_format() -> None:
    assert format_distance(612) == "600 m"
    assert format_distance(1234) == "1,2 km"
    assert 1100 < distance_m(55.40, 10.40, 55.41, 10.40) < 1125


def test_a_citizen_actor_left_by_a_deleted_account_is_not_listed(
    personas: dict[str, Persona], partnership: Partnership
) -> None:
    from samskab.accounts.personal_data import delete_account

    sofie = personas["sofie"]
    assert sofie.actor is not None
    name = sofie.actor.name
    assert name in Client().get(reverse("actors:directory"), {"q": name}).content.decode()
    delete_account(sofie.user)
    actor = Actor.objects.get(pk=sofie.actor.pk)
    assert actor.name == "Anonym borger" and actor.anonymised_at is not None
    assert not Actor.objects.for_directory().filter(pk=actor.pk).exists()
    # Nor can a partnership invite it: nobody is left to answer.
    from samskab.partnerships import services as partnership_services

    fie = personas["fie"]
    with pytest.raises(ValidationError):
        partnership_services.invite_actor(user=fie.user, partnership=partnership, by_actor=fie.actor, actor=actor)
    directory = Client().get(reverse("actors:directory")).content.decode()
    assert "Anonym borger" not in directory
    listed = Client().get("/api/v1/actors/", {"q": "borger"}).json()["items"]
    assert not [a for a in listed if a["name"] == "Anonym borger"]
