"""My page: the partnerships the person takes part in, the open actions that are theirs or their actors', and the
proposals waiting for their answer or their actor's. The same few queries however many there are."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, OuterRef, Q, Subquery
from django.dispatch import receiver
from django.utils import timezone

from samskab.accounts.models import User
from samskab.accounts.my_page import sections
from samskab.actors.models import Actor, Membership

from .models import Action, PartnershipMember, Proposal, ProposalVersion, Response

SHOWN = 20  # open actions listed; the page says how many there are in all


@dataclass(frozen=True)
class Awaited:
    """A proposal waiting for an answer from `actor` (or, where people have voices, from the person in it)."""

    proposal: Proposal
    actor: Actor


@receiver(sections)
def my_partnership_work(sender: type, user: User, **kwargs: Any) -> tuple[str, dict[str, Any]] | None:
    roles = dict(Membership.objects.filter(user=user).values_list("actor_id", "role"))
    places = [
        place
        for place in PartnershipMember.objects.filter(actor_id__in=roles)
        .select_related("partnership", "actor")
        .order_by("partnership__title", "partnership_id", "actor__name")
        # Where the person takes part (`models.taking_part`): through an actor they act for, or as a colleague
        # in the workplace's own process.
        if roles[place.actor_id] in Membership.ACTING or place.partnership.voices_are_people
    ]
    if not places:
        return None
    partnership_ids = {place.partnership_id for place in places}
    acting = [actor_id for actor_id, role in roles.items() if role in Membership.ACTING]
    owned = Action.owners.through.objects.filter(actor_id__in=acting).values("action_id")
    responsible = Action.responsible_people.through.objects.filter(user=user).values("action_id")
    actions = (
        Action.objects.still_open()
        .filter(partnership_id__in=partnership_ids)
        .filter(Q(pk__in=owned) | Q(pk__in=responsible))
    )
    context = {
        "places": places,
        "actions": list(
            actions.select_related("partnership").order_by(F("deadline").asc(nulls_last=True), "pk")[:SHOWN]
        ),
        "action_count": actions.count(),
        "awaited": _awaited(user, places, roles),
    }
    return "partnerships/_my_page.html", context


def _awaited(user: User, places: list[PartnershipMember], roles: dict[int, str]) -> list[Awaited]:
    """The open proposals whose latest version the person, or an actor they act for, has not answered yet (the
    proposer consents by proposing, as `services.decisions` counts it), soonest deadline first."""
    latest = ProposalVersion.objects.filter(proposal=OuterRef("pk")).order_by("-number").values("pk")[:1]
    proposals = list(
        Proposal.objects.filter(
            partnership_id__in={place.partnership_id for place in places},
            status=Proposal.Status.OPEN,
            deadline__gt=timezone.now(),
        )
        .annotate(latest_version=Subquery(latest))
        .select_related("partnership")
        .order_by("deadline", "pk")
    )
    answers = Response.objects.filter(version_id__in=[p.latest_version for p in proposals])  # type: ignore[attr-defined]
    by_actor, by_person = set(), set()
    for version_id, actor_id, user_id in answers.values_list("version_id", "actor_id", "user_id"):
        by_actor.add((version_id, actor_id))
        by_person.add((version_id, user_id))
    awaited = []
    for proposal in proposals:
        version = proposal.latest_version  # type: ignore[attr-defined]
        for place in (place for place in places if place.partnership_id == proposal.partnership_id):
            if proposal.partnership.voices_are_people:
                waiting = (version, user.pk) not in by_person and proposal.proposed_by_user_id != user.pk
            else:  # a colleague does not speak for the actor in co-creation
                waiting = (
                    roles[place.actor_id] in Membership.ACTING
                    and (version, place.actor_id) not in by_actor
                    and proposal.proposed_by_id != place.actor_id
                )
            if waiting:
                awaited.append(Awaited(proposal, place.actor))
    return awaited
