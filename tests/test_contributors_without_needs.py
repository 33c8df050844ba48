"""Who could contribute, before anyone has recorded what the problem needs: not a dead end."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from samskab.actors.coalitions import Comparison, Explanation
from samskab.actors.models import Actor, Theme
from samskab.partnerships.contributors import describe_explanation
from samskab.partnerships.models import Partnership, PartnershipNeed

from .conftest import Persona

NO_NEEDS = "Uden registrerede behov foreslås aktørerne nedenfor alene ud fra tema og område."
RECORD = "Registrér, hvad problemet kræver"


def words(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def gardeners(partnership: Partnership, nora: Persona) -> Actor:
    """Nora's garden association, not a member, works with children and young people in Vollsmose."""
    actor = nora.actor
    assert actor is not None
    actor.themes.set(Theme.objects.filter(slug="boern-unge"))
    return actor


def test_without_needs_actors_are_still_suggested_by_theme_and_area(partnership: Partnership, gardeners: Actor) -> None:
    """Nobody has recorded the needs yet. A visitor looks for actors working with children and young people: the
    garden association is suggested, with its reason, and the page says that recording needs brings coalitions."""
    assert not PartnershipNeed.objects.filter(partnership=partnership).exists()
    url = reverse("partnerships:contributors", args=[partnership.pk])

    response = Client().get(url, {"themes": ["boern-unge"], "radius_km": "15"})

    page = words(response.content.decode())
    assert NO_NEEDS in page
    assert "Haveforeningen Solsikken" in page and "arbejder med børn og unge" in page
    assert "Koalition 1" not in page  # a coalition would cover nothing
    assert "Vollsmose Boldklub" not in page.split("Aktører, der kan bidrage")[1]  # members are not suggested


def test_the_challenge_s_themes_are_searched_by_default(partnership: Partnership, gardeners: Actor) -> None:
    assert partnership.challenge is not None
    partnership.challenge.themes.set(Theme.objects.filter(slug="boern-unge"))

    page = words(Client().get(reverse("partnerships:contributors", args=[partnership.pk])).content.decode())

    assert "Haveforeningen Solsikken" in page


def test_with_no_theme_chosen_the_page_says_what_to_do(partnership: Partnership, gardeners: Actor) -> None:
    url = reverse("partnerships:contributors", args=[partnership.pk])
    page = words(Client().get(url, {"radius_km": "15"}).content.decode())
    assert "Vælg et eller flere temaer for at finde aktører, der arbejder med dem." in page
    page = words(Client().get(url, {"themes": ["idraet"], "radius_km": "15"}).content.decode())
    assert "Ingen aktør i området arbejder med de valgte temaer." in page


def test_only_members_are_offered_to_record_the_needs(
    partnership: Partnership, personas: dict[str, Persona], gardeners: Actor
) -> None:
    """The link leads to a form only members may use: Sofie, a member, sees it; Nora and a visitor do not."""
    url = reverse("partnerships:contributors", args=[partnership.pk])
    assert RECORD in words(personas["sofie"].client().get(url).content.decode())
    assert RECORD not in words(personas["nora"].client().get(url).content.decode())
    assert RECORD not in words(Client().get(url).content.decode())


def test_alternatives_are_compared_with_coalition_1_in_danish() -> None:
    explanation = Explanation(
        coverage=1.0,
        actors=2,
        sectors=("association", "business"),
        mean_distance_m=None,
        new_ties=1,
        shortfalls=(),
        compared=Comparison(left_out=("Netto",), brought_in=("Hallen",)),
    )
    with translation.override("da"):
        assert describe_explanation(explanation).endswith("I forhold til koalition 1: uden Netto; med Hallen.")
