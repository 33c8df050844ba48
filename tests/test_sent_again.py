"""The same thing sent again, mostly after going back in the browser, where the page still holds what was typed: a
challenge, an agenda item, a proposal or a partnership is created once, and the second sending is told where the
first is.

Sofie raises a challenge and sends the form again; Lars puts an item on the agenda twice and proposes twice; Anne
starts her staff's process twice. What differs (another description, another actor, the first one closed or dealt
with) is created as usual.
"""

import pytest
from django.test import Client
from django.urls import reverse

from samskab.partnerships import services
from samskab.partnerships.models import AgendaItem, Challenge, Partnership, Proposal

from .conftest import Persona
from .test_api import API, bearer
from .test_governance import soon

pytestmark = pytest.mark.django_db

CHALLENGE = {
    "title": "Bænkene ved søen er væk",
    "description": "Der er ingen steder at sidde ved søen.",
    "municipality": "0461",
    "place": "Søen",
    "affected": "Ældre på gåtur",
}


def page(response: object) -> str:
    return " ".join(response.content.decode().split())  # type: ignore[attr-defined]


def test_a_challenge_sent_again_is_raised_once_and_the_page_links_to_it(sofie: Persona) -> None:
    url = reverse("partnerships:challenge_create")
    assert sofie.client().post(url, CHALLENGE).status_code == 302
    again = sofie.client().post(url, CHALLENGE)
    assert again.status_code == 200
    first = Challenge.objects.get()
    html = page(again)
    assert "Sofie Andersen har allerede rejst denne udfordring: “Bænkene ved søen er væk”." in html
    assert f'<a href="{first.get_absolute_url()}">Gå til udfordringen</a>' in html
    assert 'value="Bænkene ved søen er væk"' in html  # what was typed stays

    # Another description is another challenge; once the first is closed, the same may be raised anew.
    assert sofie.client().post(url, CHALLENGE | {"description": "Bænkene ved legepladsen mangler."}).status_code == 302
    services.set_challenge_status(user=sofie.user, challenge=first, closed=True)
    assert sofie.client().post(url, CHALLENGE).status_code == 302
    assert Challenge.objects.count() == 3

    assert sofie.actor is not None
    api = Client().post(
        f"{API}/challenges",
        CHALLENGE | {"actor_id": sofie.actor.pk},
        content_type="application/json",
        headers=bearer(sofie),
    )
    assert api.status_code == 422 and "har allerede rejst denne udfordring" in api.json()["detail"]
    assert Challenge.objects.count() == 3


def test_an_agenda_item_sent_again_is_added_once(partnership: Partnership, personas: dict[str, Persona]) -> None:
    lars, jens = personas["lars"], personas["jens"]
    url = reverse("partnerships:agenda", args=[partnership.pk])
    item = {"title": "Kaffe til møderne", "description": "Hvem sørger for kaffen?"}
    assert lars.client().post(url, item).status_code == 302
    again = lars.client().post(url, item)
    assert again.status_code == 200
    first = AgendaItem.objects.get()
    html = page(again)
    assert "“Kaffe til møderne” står allerede på dagsordenen." in html
    assert f'<a href="{url}#punkt-{first.pk}">Gå til punktet</a>' in html and f'id="punkt-{first.pk}"' in html
    assert 'value="Kaffe til møderne"' in html

    assert jens.client().post(url, item).status_code == 302  # another actor raises it too: its own item
    assert lars.actor is not None
    services.set_agenda_item_status(user=lars.user, item=first, by_actor=lars.actor, status="done")
    assert lars.client().post(url, item).status_code == 302  # dealt with, it may come back
    assert AgendaItem.objects.count() == 3


def test_a_proposal_sent_again_is_made_once(partnership: Partnership, personas: dict[str, Persona]) -> None:
    lars, fie = personas["lars"], personas["fie"]
    url = reverse("partnerships:proposals", args=[partnership.pk])
    data = {"title": "Fælles kalender", "text": "Vi deler én kalender for hallen.", "deadline": soon()}
    assert lars.client().post(url, data).status_code == 302
    first = Proposal.objects.get()
    told = fie.user.notifications.count()
    again = lars.client().post(url, data)
    assert again.status_code == 200
    html = page(again)
    assert "Det samme forslag, “Fælles kalender”, er allerede åbent for svar." in html
    assert f'<a href="{first.get_absolute_url()}">Gå til forslaget</a>' in html
    assert Proposal.objects.count() == 1 and fie.user.notifications.count() == told  # nobody told twice

    api = Client().post(
        f"{API}/partnerships/{partnership.pk}/proposals",
        {"title": data["title"], "text": data["text"], "deadline": first.deadline.isoformat()},
        content_type="application/json",
        headers=bearer(lars),
    )
    assert api.status_code == 422 and "allerede åbent for svar" in api.json()["detail"]
    assert lars.client().post(url, data | {"text": "Vi deler to kalendere."}).status_code == 302
    assert Proposal.objects.count() == 2


def test_an_involvement_process_sent_again_is_started_once(anne: Persona) -> None:
    assert anne.actor is not None
    url = reverse("partnerships:involvement_start")
    data = {"actor": anne.actor.pk, "title": "Ny læseplan", "purpose": "Hvordan gør vi?", "visibility": "members"}
    assert anne.client().post(url, data).status_code == 302
    again = anne.client().post(url, data)
    assert again.status_code == 200
    first = Partnership.objects.get(title="Ny læseplan")
    html = page(again)
    assert "Du har allerede startet “Ny læseplan”." in html
    assert f'<a href="{first.get_absolute_url()}">Gå til partnerskabet</a>' in html
    assert anne.client().post(url, data | {"purpose": "Hvem gør hvad?"}).status_code == 302  # another purpose
    assert Partnership.objects.filter(title="Ny læseplan").count() == 2
