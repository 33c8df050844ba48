"""Read the partnerships' activity as power-balance events (insights owns no data of its own here)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from samskab.partnerships.models import (
    Action,
    AgendaItem,
    Attendance,
    Decision,
    Partnership,
    Pledge,
    Proposal,
    Response,
)

from .power import Event


def events_for(partnerships: QuerySet[Partnership] | Iterable[Partnership]) -> list[Event]:
    """Every counted contribution, with the sector of the actor (or participant) that made it and the partnership it
    was made in."""
    ids = [p.pk for p in partnerships]
    events: list[Event] = []
    events += [
        Event("agenda_items", s, t, p)
        for s, t, p in AgendaItem.objects.filter(partnership__in=ids).values_list(
            "raised_by__sector", "created_at", "partnership_id"
        )
    ]
    # Statements written in the opinion maps are not counted: each carries its author's own agree vote, so a new
    # statement counted for a sector with one member would give away that member's vote, which the opinion maps
    # show only from three voters of a sector.
    events += [
        Event("proposals", s, t, p)
        for s, t, p in Proposal.objects.filter(partnership__in=ids).values_list(
            "proposed_by__sector", "created_at", "partnership_id"
        )
    ]
    # A correction puts right the record of a decision that someone else's proposal brought about: it initiates
    # nothing, and counted, one member could raise its sector's initiative by rewording the log.
    events += [
        Event("decisions", s, t, p)
        for s, t, p in Decision.objects.filter(partnership__in=ids, corrects__isnull=True).values_list(
            "initiated_by__sector", "decided_at", "partnership_id"
        )
    ]
    events += [
        Event("objections", s, t, p)
        for s, t, p in Response.objects.filter(
            version__proposal__partnership__in=ids, kind=Response.Kind.OBJECTION
        ).values_list("actor__sector", "responded_at", "version__proposal__partnership_id")
    ]
    events += [
        Event("actions_owned", s, t, p)
        for s, t, p in Action.owners.through.objects.filter(action__partnership__in=ids).values_list(
            "actor__sector", "action__created_at", "action__partnership_id"
        )
    ]
    events += [
        Event("pledges", s, t, p)
        for s, t, p in Pledge.objects.standing()
        .filter(partnership__in=ids)
        .values_list("actor__sector", "created_at", "partnership_id")
    ]
    events += [
        Event("meetings_attended", s, t, p)
        for s, t, p in Attendance.objects.filter(meeting__partnership__in=ids, present=True).values_list(
            "actor__sector", "meeting__starts_at", "meeting__partnership_id"
        )
    ]
    return events


def member_sectors(partnerships: Iterable[Partnership]) -> list[str]:
    from samskab.partnerships.models import PartnershipMember

    return list(
        PartnershipMember.objects.filter(partnership__in=[p.pk for p in partnerships]).values_list(
            "actor__sector", flat=True
        )
    )
