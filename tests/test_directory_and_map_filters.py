"""The directory's and the map's filters: a filter that cannot be applied is reported, never silently left out."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from samskab.actors.models import Sector, Theme
from samskab.partnerships import services

from .conftest import Persona


def words(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def placed(personas: dict[str, Persona]) -> dict[str, Persona]:
    """Every persona's actor in Vollsmose, with a public address on the map."""
    for persona in personas.values():
        actor = persona.actor
        assert actor is not None
        actor.latitude, actor.longitude = 55.41, 10.43
        actor.public_fields = ["address"]
        actor.save()
    return personas


def test_near_without_a_distance_asks_for_one_and_lists_nobody(placed: dict[str, Persona]) -> None:
    """Sofie picks "Near: Vollsmose" and forgets "Within". Listing every actor would look like the answer; she is
    asked how far, at the field, and no count is shown."""
    response = Client().get(reverse("actors:directory"), {"near": "Vollsmose"})

    page = words(response.content.decode())
    assert "Vælg, hvor langt fra Vollsmose der skal søges." in page
    assert "fundet" not in page
    assert "Vollsmose Boldklub" not in page
    assert "km" in response.context["form"].errors
    assert response.context["page"].paginator.count == 0

    # A distance without a place is the same half a filter.
    page = words(Client().get(reverse("actors:directory"), {"km": "5"}).content.decode())
    assert "Vælg det sted, afstanden skal måles fra." in page and "fundet" not in page

    # Both: the search runs.
    page = words(Client().get(reverse("actors:directory"), {"near": "Vollsmose", "km": "5"}).content.decode())
    assert "6 aktører fundet" in page and "Vollsmose Boldklub" in page


def test_a_search_text_too_long_gives_the_error_and_no_misleading_count(placed: dict[str, Persona]) -> None:
    url = reverse("actors:directory")
    response = Client().get(url, {"q": "fodbold " * 13})

    page = words(response.content.decode())
    assert "Der er et problem" in page
    assert "må højst have 100 tegn" in page
    assert "aktører fundet" not in page and "Vollsmose Boldklub" not in page
    assert re.search(r"<title>\s*Fejl: Aktører", response.content.decode())  # the page's title says it too

    # Typed in the search box, the results are fetched by htmx: the error comes with them.
    fragment = Client().get(url, {"q": "fodbold " * 13}, headers={"HX-Request": "true"}).content.decode()
    assert 'id="error-summary"' in fragment and "aktører fundet" not in words(fragment)


def test_the_map_filters_the_challenges_as_far_as_they_apply(placed: dict[str, Persona]) -> None:
    """A citizen's challenge in Vollsmose sits on the map. Filtering for businesses leaves out both the actors who
    are not businesses and the challenge raised by a citizen, and the page says how challenges are filtered."""
    sofie = placed["sofie"]
    assert sofie.actor is not None
    challenge = services.raise_challenge(
        user=sofie.user,
        actor=sofie.actor,
        title="Ingen legeplads i Vollsmose",
        description="Børnene leger på parkeringspladsen.",
        municipality=sofie.actor.municipality,
        place="Vollsmose",
        themes=Theme.objects.filter(slug="boern-unge"),
    )
    url = reverse("actor_map")

    def shown(**filters: str) -> tuple[str, list[str]]:
        response = Client().get(url, filters)
        return words(response.content.decode()), [c["name"] for c in response.context["challenges"]]

    page, challenges = shown()
    assert challenges == [challenge.title] and "1 åben udfordring på kortet" in page

    page, challenges = shown(sector=Sector.BUSINESS)
    assert "1 aktør på kortet" in page  # Jens's shop
    assert challenges == [] and "0 åbne udfordringer på kortet" in page
    assert "Ingen åben udfordring på kortet passer til filtrene." in page
    assert "Deres sektor er sektoren for den aktør, der rejste dem" in page

    assert shown(sector=Sector.CITIZEN)[1] == [challenge.title]
    assert shown(theme="boern-unge")[1] == [challenge.title]
    assert shown(theme="idraet")[1] == []
    assert shown(municipality="0751")[1] == []
    assert shown(near="Vollsmose", km="1")[1] == [challenge.title]
    assert shown(q="legeplads")[1] == [challenge.title]
    assert shown(q="svømmehal")[1] == []


def test_the_map_reports_a_half_filter_instead_of_showing_everything(placed: dict[str, Persona]) -> None:
    response = Client().get(reverse("actor_map"), {"near": "Vollsmose"})

    page = words(response.content.decode())
    assert "Vælg, hvor langt fra Vollsmose der skal søges." in page
    assert response.context["points"] == [] and response.context["challenges"] == []
    assert "på kortet" not in page.split("Der er et problem")[1]


def test_the_footer_separates_the_api_link_from_the_licence(db: None) -> None:
    html = Client().get(reverse("home")).content.decode()
    footer = html[html.index("<footer") :]
    assert re.search(r">API</a> ·\s+Licens: AGPL-3.0", footer)
