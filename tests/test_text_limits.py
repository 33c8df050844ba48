"""Every free text has a limit, on the pages, in the API and in the services beneath them: too long is refused with
a clear error at its field, what was typed stays, and nothing is saved. The limits live on the models
(`max_length`), and a check before every save (`lib.models.refuse_overlong_text`) holds every way in to them."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from samskab.actors.models import DESCRIPTION_MAX_LENGTH, Actor, Municipality, Resource
from samskab.opinions.models import Conversation
from samskab.partnerships import services
from samskab.partnerships.models import Challenge, Meeting, Partnership
from samskab.partnerships.models.agenda import MINUTES_MAX_LENGTH

from .conftest import Persona
from .test_api import API, bearer
from .test_api_meetings import meetings_url, new_meeting, refused_at, send

pytestmark = pytest.mark.django_db


def test_a_challenge_too_long_is_refused_at_its_field_on_the_page_and_in_the_api(sofie: Persona) -> None:
    seen = "Bænkene er væk. " * 400  # 6,400 characters
    data = {"title": "Bænke", "description": seen, "municipality": "0461", "affected": "Ældre"}
    page = sofie.client().post(reverse("partnerships:challenge_create"), data)
    assert page.status_code == 200
    assert page.context["form"].errors["description"] == ["Denne værdi må højst have 5000 tegn (den har 6399)."]
    html = page.content.decode()
    assert 'maxlength="5000"' in html and "Bænkene er væk. Bænkene er væk." in html  # what was typed stays

    assert sofie.actor is not None
    api = Client().post(
        f"{API}/challenges",
        {
            "actor_id": sofie.actor.pk,
            "title": "Bænke",
            "description": "Væk",
            "municipality": "0461",
            "affected": "x" * 2001,
        },
        content_type="application/json",
        headers=bearer(sofie),
    )
    assert api.status_code == 422 and refused_at(api) == ["affected"]
    assert not Challenge.objects.exists()


def test_every_save_is_held_to_the_limits_whoever_saves(sofie: Persona, odense: Municipality) -> None:
    """A service, a script or a command that skips the forms meets the same limit, with the field named."""
    assert sofie.actor is not None
    with pytest.raises(ValidationError) as refused:
        services.raise_challenge(
            user=sofie.user,
            actor=sofie.actor,
            title="Bænke",
            description="Væk",
            municipality=odense,
            affected="x" * 2001,
        )
    assert list(refused.value.message_dict) == ["affected"]
    assert refused.value.message_dict["affected"] == ["“Hvem påvirker det?” kan højst være 2000 tegn; her er der 2001."]
    assert not Challenge.objects.exists()
    actor = Actor.objects.get(pk=sofie.actor.pk)
    actor.description = "x" * (DESCRIPTION_MAX_LENGTH + 1)
    with pytest.raises(ValidationError):
        actor.save()
    with pytest.raises(ValidationError):  # a CharField too: SQLite would keep it, PostgreSQL fail unreadably
        Actor(name="x" * 151, sector="association", municipality=odense).save()
    assert not Actor.objects.filter(name__startswith="xxx").exists()


def test_a_resource_and_an_involvement_process_too_long_are_refused(
    lars: Persona, anne: Persona, involvement: Partnership
) -> None:
    assert lars.actor is not None and anne.actor is not None
    url = reverse("actors:resource_create", args=[lars.actor.slug])
    data = {"kind": "premises", "title": "Hallen", "description": "Stor hal. " * 300}
    page = lars.client().post(url, data)
    assert page.status_code == 200 and page.context["form"].errors["description"]
    assert not Resource.objects.filter(title="Hallen").exists()

    start = anne.client().post(
        reverse("partnerships:involvement_start"),
        {"actor": anne.actor.pk, "title": "Ny plan", "purpose": "Hvorfor? " * 700, "visibility": "members"},
    )
    assert start.status_code == 200 and start.context["form"].errors["purpose"]
    assert not Partnership.objects.filter(title="Ny plan").exists()


def test_minutes_and_a_conversations_introduction_too_long_are_refused_through_the_api(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    lars = personas["lars"]
    created = send("post", meetings_url(partnership), new_meeting(), lars).json()
    long = send(
        "put",
        f"{meetings_url(partnership)}/{created['id']}/minutes",
        {"minutes": "x" * (MINUTES_MAX_LENGTH + 1), "minutes_version": created["minutes_version"]},
        lars,
    )
    assert long.status_code == 422 and refused_at(long) == ["minutes"]
    assert Meeting.objects.get().minutes == ""

    url = f"{API}/partnerships/{partnership.pk}/conversations"
    too_long = Client().post(
        url, {"question": "Hvad?", "description": "x" * 5001}, content_type="application/json", headers=bearer(lars)
    )
    assert too_long.status_code == 422 and refused_at(too_long) == ["description"]
    empty = Client().post(url, {"question": " "}, content_type="application/json", headers=bearer(lars))
    assert empty.status_code == 422 and refused_at(empty) == ["question"]
    seeds = Client().post(
        url, {"question": "Hvad?", "seed_statements": ["Kort"]}, content_type="application/json", headers=bearer(lars)
    )
    assert seeds.status_code == 422 and seeds.json()["detail"].startswith("Startudsagn: Linje 1")  # field named
    assert not Conversation.objects.exists()
