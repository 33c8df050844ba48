"""A citizen's contribution is visible (BRIEF: professionals doubt that amateurs can help): Sofie raises the agenda
item that Lars's club proposes on, and the decision credits her item, on the decision log and on her own page."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samskab.partnerships import services
from samskab.partnerships.models import Partnership, Proposal

from .conftest import Persona

pytestmark = pytest.mark.django_db


def decide_on_sofies_item(partnership: Partnership, sofie: Persona, lars: Persona, title: str) -> Proposal:
    assert sofie.actor is not None and lars.actor is not None
    item = services.add_agenda_item(user=sofie.user, partnership=partnership, by_actor=sofie.actor, title=title)
    proposal = services.propose(
        user=lars.user,
        partnership=partnership,
        by_actor=lars.actor,
        title=f"Vi gør det: {title}",
        text="Hallen er åben fredag aften.",
        deadline=timezone.now() + timedelta(days=2),
        agenda_item=item,
    )
    Proposal.objects.filter(pk=proposal.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    services.settle_due_proposals()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PASSED
    return proposal


def test_the_decision_credits_the_citizens_item_and_her_page_counts_it(
    partnership: Partnership, private_partnership: Partnership, sofie: Persona, lars: Persona
) -> None:
    assert sofie.actor is not None and lars.actor is not None
    decide_on_sofies_item(partnership, sofie, lars, "Fredagsåben hal")
    decide_on_sofies_item(private_partnership, sofie, lars, "Lukket tema")

    log = Client().get(reverse("partnerships:decisions", args=[partnership.pk])).content.decode()
    assert f"Sat i gang af {lars.actor.name}" in log
    agenda = reverse("partnerships:agenda", args=[partnership.pk])
    assert f'fra dagsordenspunktet <a href="{agenda}">“Fredagsåben hal”</a>, rejst af {sofie.actor.name}' in log

    page = Client().get(sofie.actor.get_absolute_url()).content.decode()
    assert (
        "Det har jeg bidraget med" in page and "Hvad jeg kan tilbyde" in page and "Det har vi bidraget med" not in page
    )
    assert "Vi gør det: Fredagsåben hal" in page  # the decision she set going, in the public partnership
    assert "Vi gør det: Lukket tema" not in page  # not the members-only one, to a visitor
    assert "Vi gør det: Lukket tema" in sofie.client().get(sofie.actor.get_absolute_url()).content.decode()
    club = Client().get(lars.actor.get_absolute_url()).content.decode()
    assert "Det har vi bidraget med" in club and "Vi gør det: Fredagsåben hal" in club  # Lars's club proposed it
