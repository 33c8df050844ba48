"""Asking to take part. Nora's garden association reads the public Vollsmose partnership and offers itself; any member
(Jens's grocery here, Lars's club there) lets it in or says why not, and Nora's people are told either way. A
members-only partnership and a workplace's own process are joined by invitation only.
"""

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from samskab.accounts.models import Notification
from samskab.actors.models import Membership
from samskab.partnerships import services
from samskab.partnerships.models import JoinRequest, Partnership

from .conftest import PASSWORD, Persona, make_user
from .test_api import API, bearer

pytestmark = pytest.mark.django_db


def flat(response: Any) -> str:
    return " ".join(response.content.decode().split())


def told(persona: Persona) -> list[str]:
    return list(Notification.objects.filter(user=persona.user, kind="membership").values_list("text", flat=True))


def ask_url(partnership: Partnership) -> str:
    return reverse("partnerships:ask_to_join", args=[partnership.pk])


def test_nora_asks_jens_says_why_not_and_lars_lets_her_association_in(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    nora, jens, lars, sofie = personas["nora"], personas["jens"], personas["lars"], personas["sofie"]
    assert nora.actor is not None and jens.actor is not None and lars.actor is not None
    page = flat(nora.client().get(partnership.get_absolute_url()))
    assert f'href="{ask_url(partnership)}"' in page
    assert f'href="{ask_url(partnership)}"' not in flat(lars.client().get(partnership.get_absolute_url()))  # member
    assert f'href="{ask_url(partnership)}"' not in flat(Client().get(partnership.get_absolute_url()))

    form = flat(nora.client().get(ask_url(partnership)))
    assert "Bed om at være med i “Unge i Vollsmose”" in form and 'name="message"' in form
    sent = nora.client().post(ask_url(partnership), {"message": "Vi har en have, de unge kan passe."}, follow=True)
    asked = JoinRequest.objects.get()
    assert (asked.actor, asked.user, asked.status) == (nora.actor, nora.user, "pending")
    assert "Haveforeningen Solsikken bad om at være med den" in flat(sent) and "venter på medlemmernes svar" in flat(
        sent
    )
    assert any("Haveforeningen Solsikken (forening) beder om at være med" in t and "en have" in t for t in told(sofie))
    assert not told(nora)
    again = nora.client().get(ask_url(partnership), follow=True)  # nothing left to ask with
    assert "Ingen af de aktører, du administrerer, kan bede om at være med" in flat(again)
    with pytest.raises(ValidationError):
        services.ask_to_join(user=nora.user, partnership=partnership, actor=nora.actor)
    assert JoinRequest.objects.count() == 1

    # Any member answers, whatever its sector: Jens's grocery says no, and must say why.
    listed = flat(jens.client().get(partnership.get_absolute_url()))
    answer_url = reverse("partnerships:answer_join_request", args=[partnership.pk, asked.pk])
    assert 'id="anmodninger"' in listed and f'href="{answer_url}"' in listed
    answering = flat(jens.client().get(answer_url))
    assert "<h1>Haveforeningen Solsikken beder om at være med</h1>" in answering and "Send svaret" in answering
    assert f'href="{partnership.get_absolute_url()}#anmodninger" class="button button-secondary">Annullér' in answering
    silent = jens.client().post(answer_url, {"answer": "decline", "reason": " "})
    assert silent.status_code == 200 and silent.context["form"].errors["reason"]
    asked.refresh_from_db()
    assert asked.status == "pending"
    assert jens.client().post(answer_url, {"answer": "decline", "reason": "Vi er for mange."}).status_code == 302
    asked.refresh_from_db()
    assert (asked.status, asked.responded_by_actor, asked.reason) == ("declined", jens.actor, "Vi er for mange.")
    assert told(nora) == [
        "Købmand Madsen lod ikke Haveforeningen Solsikken komme med i “Unge i Vollsmose”. Begrundelse: “Vi er for "
        "mange.”"
    ]
    assert not partnership.is_member(nora.actor)

    # Asked again, and let in by Lars: an equal member at once, and everyone is told.
    assert nora.client().post(ask_url(partnership), {"message": "Vi kan også bage."}).status_code == 302
    second = JoinRequest.objects.get(status="pending")
    answer_url = reverse("partnerships:answer_join_request", args=[partnership.pk, second.pk])
    assert lars.client().post(answer_url, {"answer": "accept"}).status_code == 302
    assert partnership.is_member(nora.actor)
    assert any(t.startswith("Vollsmose Boldklub har ladet Haveforeningen Solsikken komme med") for t in told(nora))
    assert any("er kommet med i “Unge i Vollsmose” som ligeværdigt medlem" in t for t in told(sofie))
    late = jens.client().post(answer_url, {"answer": "decline", "reason": "For sent"}, follow=True)
    assert "Anmodningen er allerede besvaret" in flat(late)  # another member answered first
    second.refresh_from_db()
    assert second.status == "accepted"


def test_only_an_actors_administrators_ask_and_only_where_anyone_may_read(
    partnership: Partnership, private_partnership: Partnership, involvement: Partnership, personas: dict[str, Persona]
) -> None:
    nora = personas["nora"]
    assert nora.actor is not None
    helper = make_user("ib@have.dk", "Ib Have")
    Membership.objects.create(actor=nora.actor, user=helper, role=Membership.Role.MEMBER)
    with pytest.raises(PermissionDenied):
        services.ask_to_join(user=helper, partnership=partnership, actor=nora.actor)
    client = Client()
    client.login(email="ib@have.dk", password=PASSWORD)
    assert "Ingen af de aktører" in flat(client.get(ask_url(partnership), follow=True))

    assert nora.client().get(ask_url(private_partnership)).status_code == 404  # not readable, so nothing to ask
    with pytest.raises(PermissionDenied):
        services.ask_to_join(user=nora.user, partnership=private_partnership, actor=nora.actor)
    assert nora.client().get(ask_url(involvement)).status_code == 404

    fie = personas["fie"]
    assert fie.actor is not None
    services.invite_actor(user=fie.user, partnership=partnership, by_actor=fie.actor, actor=nora.actor)
    with pytest.raises(ValidationError, match="allerede inviteret"):
        services.ask_to_join(user=nora.user, partnership=partnership, actor=nora.actor)
    assert f'href="{ask_url(partnership)}"' not in flat(nora.client().get(partnership.get_absolute_url()))
    assert not JoinRequest.objects.exists()


def test_a_request_waits_until_withdrawn_and_the_api_does_the_same(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    nora, lars = personas["nora"], personas["lars"]
    assert nora.actor is not None
    url = f"{API}/partnerships/{partnership.pk}/join-requests"
    created = Client().post(
        url, {"actor_id": nora.actor.pk, "message": "En have"}, content_type="application/json", headers=bearer(nora)
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["status"], data["actor"]["name"], data["message"]) == ("pending", nora.actor.name, "En have")
    twice = Client().post(url, {"actor_id": nora.actor.pk}, content_type="application/json", headers=bearer(nora))
    assert twice.status_code == 422
    not_hers = Client().post(
        url,
        {"actor_id": personas["jens"].actor.pk},
        content_type="application/json",
        headers=bearer(nora),  # type: ignore[union-attr]
    )
    assert not_hers.status_code == 403

    assert [r["id"] for r in Client().get(url, headers=bearer(lars)).json()] == [data["id"]]
    assert [r["id"] for r in Client().get(url, headers=bearer(nora)).json()] == [data["id"]]
    assert Client().get(url, headers=bearer(personas["fie"])).status_code == 200
    no_reason = Client().post(
        f"{url}/{data['id']}/answer", {"accept": False}, content_type="application/json", headers=bearer(lars)
    )
    assert no_reason.status_code == 422
    not_member = Client().post(
        f"{url}/{data['id']}/answer", {"accept": True}, content_type="application/json", headers=bearer(nora)
    )
    assert not_member.status_code in (403, 404)

    page = flat(nora.client().get(partnership.get_absolute_url()))
    withdraw = reverse("partnerships:withdraw_join_request", args=[partnership.pk, data["id"]])
    assert f'action="{withdraw}"' in page
    assert nora.client().post(withdraw).status_code == 302
    assert JoinRequest.objects.get().status == "withdrawn"
    answered = Client().post(
        f"{url}/{data['id']}/answer", {"accept": True}, content_type="application/json", headers=bearer(lars)
    )
    assert answered.status_code == 200 and answered.json()["status"] == "withdrawn"  # nothing to answer any more
    assert not partnership.is_member(nora.actor)
    again = Client().post(url, {"actor_id": nora.actor.pk}, content_type="application/json", headers=bearer(nora))
    assert again.status_code == 201

    download = json.loads(nora.client().get(reverse("accounts:download_data")).content)["partnerships"]
    assert [r["status"] for r in download["requests_to_take_part"]] == ["withdrawn", "pending"]


def test_an_invitation_and_a_request_never_cross(partnership: Partnership, personas: dict[str, Persona]) -> None:
    """An actor asking is let in by answering its request, not invited past it; one invited before it asked, and
    joining by that invitation, leaves no request for a member to refuse."""
    nora, fie = personas["nora"], personas["fie"]
    assert nora.actor is not None and fie.actor is not None
    asked = services.ask_to_join(user=nora.user, partnership=partnership, actor=nora.actor)
    with pytest.raises(ValidationError, match="har allerede bedt om at være med"):
        services.invite_actor(user=fie.user, partnership=partnership, by_actor=fie.actor, actor=nora.actor)

    # Invited first (made as a setup, as before this rule), then asked: accepting the invitation answers the request.
    invitation = partnership.invitations.create(actor=nora.actor, invited_by_actor=fie.actor, invited_by=fie.user)
    services.respond_to_invitation(user=nora.user, invitation=invitation, accept=True)
    asked.refresh_from_db()
    assert asked.status == "accepted" and partnership.is_member(nora.actor)
    services.answer_join_request(user=fie.user, request=asked, by_actor=fie.actor, accept=False, reason="Nej")
    asked.refresh_from_db()
    assert asked.status == "accepted"  # nothing left to refuse
    assert not any("lod ikke" in text for text in told(nora))


def test_a_citizen_asking_is_spoken_to_as_themself(partnership: Partnership, odense: Any) -> None:
    """Ida, a citizen with no association, is told "you", not "your actor"."""
    from samskab.actors import services as actor_services

    ida = make_user("ida@example.dk", "Ida Holm")
    actor_services.create_actor(user=ida, sector="citizen", name="Ida Holm", municipality=odense)
    client = Client()
    client.force_login(ida)
    page = flat(client.get(partnership.get_absolute_url()))
    assert "Du tilbyder dig selv som borger" in page and "Jeres aktør" not in page
    form = flat(client.get(ask_url(partnership)))
    assert "Hvad vil du bidrage med?" in form and "også en borger" in form
    assert "hvad du kan tilbyde" in form and "hvad I kan tilbyde" not in form
    sent = flat(client.post(ask_url(partnership), {"message": "Jeg kan bage"}, follow=True))
    assert "enhver af dem kan lade dig komme med" in sent and "jeres aktør" not in sent
    assert "Du tilbyder dig selv" not in flat(Client().get(partnership.get_absolute_url()))  # nobody to offer


def test_an_actor_that_joins_while_proposals_are_open_is_told_which_wait_for_it(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    """Its silence counts as consent from the moment it joins: its people are told of the open proposals, and by
    when, whether it came in by a request or by an invitation."""
    from samskab.accounts.models import Notification

    from .test_governance import make_proposal

    nora, lars = personas["nora"], personas["lars"]
    assert nora.actor is not None and lars.actor is not None
    make_proposal(lars, partnership)
    assert nora.client().post(ask_url(partnership), {"message": ""}).status_code == 302
    asked = JoinRequest.objects.get()
    answer_url = reverse("partnerships:answer_join_request", args=[partnership.pk, asked.pk])
    assert lars.client().post(answer_url, {"answer": "accept"}).status_code == 302
    [waiting] = Notification.objects.filter(user=nora.user, kind="proposal")
    assert waiting.text.startswith("Haveforeningen Solsikken er medlem af “Unge i Vollsmose” nu")
    assert "“Fredagsåben hal” senest" in waiting.text and "tavshed tæller som samtykke" in waiting.text
    assert waiting.url == reverse("partnerships:proposals", args=[partnership.pk])
    assert not Notification.objects.filter(user=lars.user, kind="proposal", text__contains="medlem af").exists()
