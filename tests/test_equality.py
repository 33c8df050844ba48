"""Equality by design: inside a partnership, what a member may do depends on membership alone.

The table covers every partnership action for every persona: a member from each of the four sectors, the
facilitator, an actor that is not a member, and an anonymous visitor. Members' rows are identical.
"""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samskab.actors.services import create_actor
from samskab.partnerships import services
from samskab.partnerships.models import AgendaItem, Partnership, PartnershipInvitation, PhaseChange

from .conftest import Persona, make_user

MEMBERS = ["municipal member", "association member", "citizen member", "business member", "facilitator"]
WHO = {
    "municipal member": "mette",
    "association member": "lars",
    "citizen member": "sofie",
    "business member": "jens",
    "facilitator": "fie",
    "non-member": "nora",
}


def client_for(who: str, personas: dict[str, Persona]) -> Client:
    return Client() if who == "anonymous" else personas[WHO[who]].client()


def view_public(client: Client, p: Partnership, personas: dict[str, Persona]) -> int:
    return client.get(reverse("partnerships:detail", args=[p.pk])).status_code


def change_phase(client: Client, p: Partnership, personas: dict[str, Persona]) -> int:
    return client.post(reverse("partnerships:phase", args=[p.pk]), {"phase": "ideas", "note": "Videre"}).status_code


def invite(client: Client, p: Partnership, personas: dict[str, Persona]) -> int:
    url = reverse("partnerships:invite", args=[p.pk])
    return client.post(url, {"invitee": personas["nora"].actor.pk, "message": "Vær med"}).status_code  # type: ignore[union-attr]


def edit(client: Client, p: Partnership, personas: dict[str, Persona]) -> int:
    data = {"title": "Nyt navn", "purpose": "Fælles formål", "visibility": "public"}
    return client.post(reverse("partnerships:edit", args=[p.pk]), data).status_code


def open_invite_form(client: Client, p: Partnership, personas: dict[str, Persona]) -> int:
    return client.get(reverse("partnerships:invite", args=[p.pk])).status_code


def _agenda_item(p: Partnership, personas: dict[str, Persona], status: str) -> AgendaItem:
    """Sofie's item on the agenda, with `status` (set as a setup, not through the action being tested)."""
    sofie = personas["sofie"]
    assert sofie.actor is not None
    title = f"Fredagsåben hal {p.agenda_items.count() + 1}"  # one per check: the same item twice is refused
    item = services.add_agenda_item(user=sofie.user, partnership=p, by_actor=sofie.actor, title=title)
    AgendaItem.objects.filter(pk=item.pk).update(status=status)
    return item


def mark_dealt_with(client: Client, p: Partnership, personas: dict[str, Persona]) -> int:
    item = _agenda_item(p, personas, AgendaItem.Status.SCHEDULED)
    url = reverse("partnerships:agenda_item_status", args=[p.pk, item.pk])
    return client.post(url, {"status": "done"}).status_code


def put_back_on_agenda(client: Client, p: Partnership, personas: dict[str, Persona]) -> int:
    item = _agenda_item(p, personas, AgendaItem.Status.DONE)
    url = reverse("partnerships:agenda_item_status", args=[p.pk, item.pk])
    return client.post(url, {"status": "open"}).status_code


def comment_on_proposal(client: Client, p: Partnership, personas: dict[str, Persona]) -> int:
    """Comment on Sofie's proposal (made as a setup)."""
    sofie = personas["sofie"]
    assert sofie.actor is not None
    proposal = services.propose(
        user=sofie.user,
        partnership=p,
        by_actor=sofie.actor,
        title="Fredagsåben hal",
        text="Vi åbner hallen fredag aften",
        deadline=timezone.now() + timedelta(days=2),
    )
    return client.post(
        proposal.get_absolute_url(), {"do": "comment", "version": 1, "text": "Hvem låser af?"}
    ).status_code


def let_in_who_asked(client: Client, p: Partnership, personas: dict[str, Persona]) -> int:
    """Answer a bakery's request to take part (made as a setup): let it in."""
    baker = make_user("bager@example.dk", "Bo Bager")
    bakery = create_actor(user=baker, sector="business", name="Bageriet", municipality=p.challenge.municipality)  # type: ignore[union-attr]
    asked = services.ask_to_join(user=baker, partnership=p, actor=bakery)
    url = reverse("partnerships:answer_join_request", args=[p.pk, asked.pk])
    return client.post(url, {"answer": "accept"}).status_code


ALLOWED = {"view": 200, "write": 302, "form": 200}
ACTIONS: dict[str, tuple[Callable[..., int], str]] = {
    "view the partnership home": (view_public, "view"),
    "open the invitation form": (open_invite_form, "form"),
    "change the phase": (change_phase, "write"),
    "invite an actor": (invite, "write"),
    "edit the shared description": (edit, "write"),
    "mark an agenda item dealt with": (mark_dealt_with, "write"),
    "put an agenda item back on the agenda": (put_back_on_agenda, "write"),
    "comment on a proposal": (comment_on_proposal, "write"),
    "let in an actor that asked to take part": (let_in_who_asked, "write"),
}
OUTSIDERS = {
    # A public partnership can be read by anyone; writing needs membership.
    "non-member": {"view": 200, "write": 403, "form": 403},
    "anonymous": {"view": 200, "write": 302, "form": 302},
}


def expected(who: str, kind: str) -> int:
    return ALLOWED[kind] if who in MEMBERS else OUTSIDERS[who][kind]


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("who", [*MEMBERS, "non-member", "anonymous"])
def test_permission_table(who: str, action: str, partnership: Partnership, personas: dict[str, Persona]) -> None:
    run, kind = ACTIONS[action]
    status = run(client_for(who, personas), partnership, personas)
    assert status == expected(who, kind), f"{who} / {action}"


@pytest.mark.parametrize("who", MEMBERS)
def test_every_member_changes_phase_with_the_same_effect(
    who: str, partnership: Partnership, personas: dict[str, Persona]
) -> None:
    persona = personas[WHO[who]]
    change_phase(persona.client(), partnership, personas)
    partnership.refresh_from_db()
    assert partnership.phase == "ideas"
    logged = PhaseChange.objects.filter(partnership=partnership).first()
    assert logged is not None
    assert (logged.from_phase, logged.to_phase, logged.actor, logged.user) == (
        "define",
        "ideas",
        persona.actor,
        persona.user,
    )
    # Everyone else taking part is told, whoever moved it.
    from samskab.accounts.models import Notification

    told = Notification.objects.filter(kind="process")
    others = {p.user.pk for name, p in personas.items() if name not in ("nora", WHO[who])}
    assert {n.user_id for n in told} == others
    assert f"{persona.actor.name} flyttede" in told.first().text  # type: ignore[union-attr]


@pytest.mark.parametrize("who", MEMBERS)
def test_every_member_invites_with_the_same_effect(
    who: str, partnership: Partnership, personas: dict[str, Persona]
) -> None:
    persona = personas[WHO[who]]
    invite(persona.client(), partnership, personas)
    invitation = PartnershipInvitation.objects.get(partnership=partnership)
    assert (invitation.actor, invitation.invited_by_actor) == (personas["nora"].actor, persona.actor)


@pytest.mark.parametrize("who", ["non-member", "anonymous"])
def test_outsiders_change_nothing(who: str, partnership: Partnership, personas: dict[str, Persona]) -> None:
    client = client_for(who, personas)
    for run, kind in ACTIONS.values():
        if kind == "write":
            run(client, partnership, personas)
    partnership.refresh_from_db()
    assert (partnership.phase, partnership.title) == ("define", "Unge i Vollsmose")
    assert not PartnershipInvitation.objects.exists()
    assert PhaseChange.objects.filter(partnership=partnership).count() == 1
    assert partnership.members.count() == 5  # nobody let in


@pytest.mark.parametrize(
    ("who", "status"),
    [*((m, 200) for m in MEMBERS), ("non-member", 404), ("anonymous", 404)],
)
def test_members_only_partnership_is_invisible_to_others(
    who: str, status: int, private_partnership: Partnership, personas: dict[str, Persona]
) -> None:
    client = client_for(who, personas)
    assert client.get(reverse("partnerships:detail", args=[private_partnership.pk])).status_code == status
    listed = client.get(reverse("partnerships:list")).content.decode()
    assert (private_partnership.title in listed) == (status == 200)


@pytest.mark.parametrize("who", [*MEMBERS, "non-member"])
def test_only_the_invited_actors_admin_answers(
    who: str, partnership: Partnership, personas: dict[str, Persona]
) -> None:
    """Nora's association is invited; no member, of any sector, can accept on its behalf."""
    invite(personas["fie"].client(), partnership, personas)
    invitation = PartnershipInvitation.objects.get()
    response = client_for(who, personas).post(
        reverse("partnerships:respond", args=[invitation.pk]), {"answer": "accept"}
    )
    invitation.refresh_from_db()
    if who == "non-member":
        assert response.status_code == 302
        assert invitation.status == PartnershipInvitation.Status.ACCEPTED
    else:
        assert response.status_code == 404
        assert invitation.status == PartnershipInvitation.Status.PENDING
