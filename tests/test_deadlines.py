"""Consent decides by silence, so every version of a proposal gives the members time to object, and a reminder
comes when the deadline nears, not straight after the proposal itself."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from samskab.accounts.models import Notification
from samskab.partnerships import services
from samskab.partnerships.models import Partnership, Proposal

from .conftest import Persona


def danish_date(moment) -> str:
    with translation.override("da"):
        return date_format(timezone.localtime(moment), "j. F Y")


def propose(persona: Persona, partnership: Partnership, *, hours: float) -> Proposal:
    assert persona.actor is not None
    return services.propose(
        user=persona.user,
        partnership=partnership,
        by_actor=persona.actor,
        title="Fredagsåben hal",
        text="Vi åbner hallen fredag aften",
        deadline=timezone.now() + timedelta(hours=hours),
    )


def test_an_amendment_near_the_deadline_gets_the_full_objection_period(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    lars = personas["lars"]
    proposal = propose(lars, partnership, hours=25)
    # Ten minutes before the deadline, Lars rewrites the proposal without choosing a new deadline.
    Proposal.objects.filter(pk=proposal.pk).update(deadline=timezone.now() + timedelta(minutes=10))
    page = lars.client().post(
        reverse("partnerships:proposal", args=[partnership.pk, proposal.pk]),
        {"do": "amend", "version": 1, "actor": lars.actor.pk, "text": "Vi åbner hallen fredag og lørdag aften"},
        follow=True,
    )
    assert page.status_code == 200
    proposal.refresh_from_db()
    assert proposal.current_version().text == "Vi åbner hallen fredag og lørdag aften"
    assert proposal.deadline >= timezone.now() + timedelta(hours=23, minutes=59)
    # The members are asked again with the new deadline, and the proposal does not pass meanwhile.
    told = Notification.objects.filter(kind="proposal", text__contains="version 2").first()
    assert told is not None and danish_date(proposal.deadline) in told.text
    services.settle_due_proposals()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.OPEN


def test_a_reminder_comes_near_the_deadline_not_straight_after_the_proposal(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    fresh = propose(personas["lars"], partnership, hours=24.1)
    Proposal.objects.filter(pk=fresh.pk).update(deadline=timezone.now() + timedelta(hours=23))  # within a day
    assert services.remind_deadlines() == 0  # the proposal's own notification has just said the same
    Proposal.objects.filter(pk=fresh.pk).update(created_at=timezone.now() - timedelta(hours=13))
    assert services.remind_deadlines() == 1
    assert services.remind_deadlines() == 0  # once
