"""The API says what it will not do instead of doing nothing quietly.

Sofie's script edits her challenge with a Danish field name, tries to close it by editing its status, sends the
same edit twice, and edits it with a version made up by hand; a program searches the actor directory within 5 km
of nowhere; Sofie pledges on behalf of an actor that is not hers. Each is told what went wrong, and nothing
changes that was not asked for.
"""

from typing import Any

import pytest
from django.test import Client
from django.utils.translation import gettext, override

from samskab.actors.models import Actor, Sector
from samskab.partnerships.models import AgendaItem, Challenge, Partnership, Pledge

from .conftest import Persona
from .test_api import API, bearer


def danish(msgid: str) -> str:
    with override("da"):
        return gettext(msgid)


def send(method: str, url: str, payload: Any, persona: Persona) -> Any:
    call = getattr(Client(), method)
    return call(f"{API}{url}", payload, content_type="application/json", headers=bearer(persona))


def messages(response: Any) -> list[str]:
    return [error["msg"] for error in response.json()["detail"]]


# 1. Unknown fields are refused by name, on every endpoint -----------------------------------------------------


def test_a_misspelt_field_in_an_edit_is_refused_by_name(challenge: Challenge, sofie: Persona) -> None:
    title, version = challenge.title, Client().get(f"{API}/challenges/{challenge.pk}").json()["version"]
    refused = send("patch", f"/challenges/{challenge.pk}", {"titel": "Larm i gården", "version": version}, sofie)
    assert refused.status_code == 422
    assert messages(refused) == [
        "Ukendt felt “titel”: det læses ikke her. Felterne er “version”, “title”, “description”, “municipality”, "
        "“place”, “affected” og “themes”."
    ]
    challenge.refresh_from_db()
    assert (challenge.title, challenge.updated_at) == (title, None)


def test_a_new_challenge_with_a_field_no_one_reads_is_not_raised(sofie: Persona) -> None:
    assert sofie.actor is not None
    body = {"actor_id": sofie.actor.pk, "title": "Støj", "description": "Larm om natten", "municipality": "0461"}
    refused = send("post", "/challenges", {**body, "foo": 1, "bar": 2}, sofie)
    assert refused.status_code == 422
    assert messages(refused)[0].startswith("Ukendte felter “foo” og “bar”: de læses ikke her.")
    assert not Challenge.objects.filter(title="Støj").exists()


def test_status_is_not_edited_but_the_close_endpoint_is_named(challenge: Challenge, sofie: Persona) -> None:
    version = Client().get(f"{API}/challenges/{challenge.pk}").json()["version"]
    refused = send("patch", f"/challenges/{challenge.pk}", {"status": "closed", "version": version}, sofie)
    assert refused.status_code == 422
    assert messages(refused) == [
        "Feltet “status” kan ikke ændres her: luk udfordringen med POST /api/v1/challenges/{id}/close (med en note "
        "om hvorfor, hvis du vil), og åbn den igen med POST /api/v1/challenges/{id}/reopen."
    ]
    challenge.refresh_from_db()
    assert not challenge.is_closed
    closed = send("post", f"/challenges/{challenge.pk}/close", {"note": "Løst af boldklubben"}, sofie)
    assert (closed.status_code, closed.json()["status"]) == (200, "closed")


def test_every_request_body_refuses_unknown_fields(partnership: Partnership, jens: Persona) -> None:
    """The shared rule holds for the partnership's work as for opinion maps: an agenda item with a "prioritet"
    is not added without it."""
    refused = send("post", f"/partnerships/{partnership.pk}/agenda", {"title": "Lys", "prioritet": 1}, jens)
    assert refused.status_code == 422
    assert "“prioritet”" in messages(refused)[0]
    assert not AgendaItem.objects.exists()


# 2. and 3. An edit that changes nothing saves nothing; a never-edited challenge has a version -------------------


def test_an_edit_that_changes_nothing_leaves_the_version_for_others(challenge: Challenge, sofie: Persona) -> None:
    read = Client().get(f"{API}/challenges/{challenge.pk}").json()
    assert read["version"] and read["updated_at"] is None  # a version to send, though it was never edited
    same = send("patch", f"/challenges/{challenge.pk}", {"title": read["title"], "version": read["version"]}, sofie)
    assert same.status_code == 200
    assert (same.json()["version"], same.json()["updated_at"]) == (read["version"], None)
    challenge.refresh_from_db()
    assert challenge.updated_at is None
    # Another client that read it before the empty edit still edits it.
    edited = send("patch", f"/challenges/{challenge.pk}", {"place": "Vollsmose", "version": read["version"]}, sofie)
    assert edited.status_code == 200
    assert edited.json()["place"] == "Vollsmose" and edited.json()["version"] != read["version"]
    # The version the challenge was raised with is stale now.
    stale = send("patch", f"/challenges/{challenge.pk}", {"place": "Bolbro", "version": read["version"]}, sofie)
    assert stale.status_code == 409
    assert stale.json()["detail"].endswith(f"(dens version er nu {edited.json()['version']}).")


def test_a_made_up_version_of_a_never_edited_challenge_is_told_the_real_one(
    challenge: Challenge, sofie: Persona
) -> None:
    version = Client().get(f"{API}/challenges/{challenge.pk}").json()["version"]
    refused = send("patch", f"/challenges/{challenge.pk}", {"place": "Vollsmose", "version": "1"}, sofie)
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "Den version, du sendte, er ikke udfordringens, så intet er gemt. Den er ikke redigeret, siden den blev "
        f"rejst; dens version er {version}."
    )
    challenge.refresh_from_db()
    assert challenge.place != "Vollsmose" and challenge.updated_at is None


# 4. A search around half a place ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "reason"),
    [
        ({"km": 5}, "A distance (km) needs a place to measure from: give latitude and longitude too."),
        ({"lat": 55.4, "lon": 10.4}, "A search around a place needs a distance: give km with latitude and longitude."),
    ],
)
def test_a_distance_without_a_place_is_refused(place: dict[str, float], reason: str, lars: Persona) -> None:
    refused = Client().get(f"{API}/actors/", place)
    assert refused.status_code == 422
    assert messages(refused) == [danish(reason)]
    assert danish(reason) != reason  # translated


# 5. Acting for an actor that is not one's own ----------------------------------------------------------------


def test_pledging_for_an_actor_one_does_not_belong_to_says_so(partnership: Partnership, sofie: Persona) -> None:
    """Sofie, a member through her own citizen actor, names the sports club's actor (a member she is not part
    of): she is told she can only act for her own actors, not that her actor needs an invitation."""
    club = Actor.objects.get(name="Vollsmose Boldklub")
    body = {"actor_id": club.pk, "kind": "volunteer_hours", "description": "To timer om ugen"}
    refused = send("post", f"/partnerships/{partnership.pk}/pledges", body, sofie)
    assert (refused.status_code, refused.json()) == (
        403,
        {"detail": "Du kan kun handle på vegne af en aktør, du selv er en del af."},
    )
    stranger = Actor.objects.create(
        name="Fremmed Forening", slug="fremmed-forening", sector=Sector.ASSOCIATION, municipality_id="0461"
    )
    refused = send("post", f"/partnerships/{partnership.pk}/pledges", {**body, "actor_id": stranger.pk}, sofie)
    assert refused.json()["detail"] == "Du kan kun handle på vegne af en aktør, du selv er en del af."
    assert not Pledge.objects.exists()


def test_acting_for_ones_own_actor_that_is_no_member_is_told_to_be_invited(
    partnership: Partnership, sofie: Persona, nora: Persona
) -> None:
    """Sofie also helps in Nora's garden association, which is not in the partnership: for it, she is told that
    it can be invited."""
    from samskab.actors.models import Membership

    assert nora.actor is not None
    Membership.objects.create(actor=nora.actor, user=sofie.user, role=Membership.Role.MEMBER)
    body = {"actor_id": nora.actor.pk, "kind": "volunteer_hours", "description": "To timer om ugen"}
    refused = send("post", f"/partnerships/{partnership.pk}/pledges", body, sofie)
    assert (refused.status_code, refused.json()["detail"]) == (
        403,
        "Det kan kun folkene i partnerskabets medlemsaktører. Din aktør kan blive inviteret af et medlem.",
    )
