"""The demo's dates agree with one another: a page never says an item was dealt with months after the decision
that dealt with it, nor that a partnership started ten months ago began today."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from samskab.partnerships.models import AgendaItem, Decision, Partnership


@pytest.mark.django_db
def test_the_street_partnerships_dates_agree() -> None:
    call_command("load_demo", stdout=StringIO())
    streets = Partnership.objects.get(title="Fællesskaber for unge i Nørreby")
    decision = Decision.objects.get(partnership=streets)
    assert decision.proposal is not None and decision.proposal.agenda_item is not None
    item = AgendaItem.objects.get(pk=decision.proposal.agenda_item.pk)
    assert item.status == AgendaItem.Status.DONE
    assert item.status_changed_at is not None
    assert abs(item.status_changed_at - decision.decided_at) < timedelta(minutes=1)
    start = streets.phase_changes.get(from_phase="")
    assert start.changed_at == streets.created_at
    assert streets.challenge is not None and streets.challenge.created_at < streets.created_at  # raised, then taken up
    # The coming meeting holds the items still open, not the one the decision dealt with months ago.
    meeting = streets.meetings.get()
    assert item not in meeting.agenda_items.all() and meeting.agenda_items.exists()
    proposal = decision.proposal
    assert proposal.closed_at == decision.decided_at and proposal.voices_counted_at == decision.decided_at
