"""An actor's partnerships and what it has contributed, on its page: challenges raised, and agenda items raised,
decisions set going, resources pledged and actions taken on in the partnerships the viewer may see. Professionals
and the public see what associations, citizens and businesses bring."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.dispatch import receiver

from samskab.accounts.models import User
from samskab.actors.models import Actor, Sector
from samskab.actors.page import sections

from .models import Action, AgendaItem, Challenge, Decision, Partnership, Pledge

SHOWN = 10  # of each kind; the counts say how many there are in all


@receiver(sections)
def partnerships(
    sender: type, actor: Actor, user: User | AnonymousUser, **kwargs: Any
) -> tuple[str, dict[str, Any]] | None:
    """The actor's partnerships the viewer may see: the public ones, and members-only ones the viewer takes part in
    (a colleague of the actor sees only its own processes, not its other members-only partnerships)."""
    shown = Partnership.objects.visible_to(user).filter(members__actor=actor).order_by("-created_at")
    if not shown.exists():
        return None
    return "partnerships/_actor_partnerships.html", {"partnerships": shown}


@receiver(sections)
def contributions(
    sender: type, actor: Actor, user: User | AnonymousUser, **kwargs: Any
) -> tuple[str, dict[str, Any]] | None:
    visible = Partnership.objects.visible_to(user).values("pk")
    challenges = Challenge.objects.filter(raised_by=actor).order_by("-created_at")
    pledges = (
        Pledge.objects.standing()  # a withdrawn pledge is no contribution
        .filter(actor=actor, partnership__in=visible)
        .select_related("partnership", "action")
        .order_by("-created_at")
    )
    actions = Action.objects.filter(owners=actor, partnership__in=visible).select_related("partnership")
    items = AgendaItem.objects.filter(raised_by=actor, partnership__in=visible)
    # Decisions the actor set going: by proposing them, or by raising the agenda item another member proposed on.
    decided = (
        Decision.objects.filter(partnership__in=visible, corrects=None, proposal__isnull=False)
        .filter(Q(proposal__proposed_by=actor) | Q(proposal__agenda_item__raised_by=actor))
        .select_related("partnership", "proposal")
        .order_by("-decided_at")
    )
    counts = {
        "challenges": challenges.count(),
        "items": items.count(),
        "decisions": decided.count(),
        "pledges": pledges.count(),
        "actions": actions.count(),
        "actions_done": actions.filter(status=Action.Status.DONE).count(),
    }
    if not any(counts.values()):
        return None
    context = {
        "counts": counts,
        "challenges": challenges[:SHOWN],
        "decisions": decided[:SHOWN],
        "pledges": pledges[:SHOWN],
        "actions": actions.order_by("-pk")[:SHOWN],
        "speaks_as_one": actor.sector == Sector.CITIZEN,  # a citizen writes "I", an organisation "we"
    }
    return "partnerships/_actor_contributions.html", context
