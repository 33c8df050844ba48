"""A person's data in the opinion maps: the download, and who facilitates their conversations once they are gone.

A standalone conversation is facilitated by the person who started it (`services.facilitator_users`); one in a
partnership by the people of the partnership's facilitating actor, a role that passes on when the person's citizen
actor leaves (the partnerships app answers `forget` before this one).
"""

from datetime import datetime
from typing import Any

from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from samskab.accounts.models import NotificationKind
from samskab.accounts.notifications import notify
from samskab.accounts.personal_data import Obstacle, check, collect, forget
from samskab.actors.models import Actor, Membership
from samskab.partnerships import personal_data as partnerships_data  # noqa: F401  (its `forget` receiver first)
from samskab.partnerships.models import PartnershipMember

from .models import Conversation, ModerationEntry, Participant, ProblemDefinition, Statement, StatementReport, Vote


@receiver(collect)
def opinion_work_of(sender: type, user: Any, **kwargs: Any) -> tuple[str, Any]:
    """What the person did in running the opinion maps: conversations started, moderation, problem definitions."""
    return "opinion_map_work", {
        "conversations_started": list(Conversation.objects.filter(created_by=user).values("question", "created_at")),
        "moderation": list(
            ModerationEntry.objects.filter(user=user).values("statement__text", "action", "reason", "note", "at")
        ),
        "problem_definitions_edited": list(
            ProblemDefinition.objects.filter(updated_by=user).values("partnership__title", "text", "updated_at")
        ),
        "problem_definitions_adopted": list(
            ProblemDefinition.objects.filter(adopted_by=user).values("partnership__title", "adopted_text", "adopted_at")
        ),
    }


@receiver(collect)
def opinions_of(sender: type, user: Any, **kwargs: Any) -> tuple[str, Any]:
    """The person's own statements, votes and reports (others only ever see them as "Deltager N")."""
    participants = Participant.objects.filter(user=user).select_related("conversation")
    return "opinion_maps", [
        {
            "conversation": p.conversation.question,
            "pseudonym": str(p),
            "sector": p.sector,
            "statements": list(Statement.objects.filter(author=p).values("text", "created_at", "moderation")),
            "votes": list(Vote.objects.filter(participant=p).values("statement__text", "value", "voted_at")),
            "reports": list(StatementReport.objects.filter(participant=p).values("statement__text", "reason", "at")),
        }
        for p in participants
    ]


# --- Deleting the account ---------------------------------------------------------------------------------------


def _successor(conversation: Conversation, user: Any) -> Membership | None:
    """Who takes over a standalone conversation the person started: someone else who acts for the actor it was
    started as, an administrator before a member, the longest there first. None for a conversation started as the
    person's own citizen actor, or an actor nobody else acts for."""
    actor = conversation.created_by_actor
    if actor is None or actor.anonymised_at is not None:
        return None
    others = Membership.objects.filter(actor=actor, role__in=Membership.ACTING, user__is_active=True).exclude(user=user)
    return min(
        others.select_related("user"), key=lambda m: (m.role != Membership.Role.ADMIN, m.joined_at, m.pk), default=None
    )


def _started_and_open(user: Any) -> list[Conversation]:
    return list(
        Conversation.objects.filter(partnership__isnull=True, created_by=user, is_open=True)
        .select_related("created_by_actor")
        .order_by("created_at", "pk")
    )


@receiver(check)
def conversations_facilitated(sender: type, user: Any, **kwargs: Any) -> list[Obstacle]:
    """The deletion page lists the open public conversations the person facilitates, and who takes each over."""
    found = []
    for conversation in _started_and_open(user):
        successor = _successor(conversation, user)
        if successor is not None:
            text = _("You facilitate the public conversation “%(question)s”. %(person)s from %(actor)s takes over.") % {
                "question": conversation.question,
                "person": successor.user.name or successor.user.email,
                "actor": successor.actor.name,
            }
        else:
            text = _(
                "You facilitate the public conversation “%(question)s”, and nobody else can: it closes when your "
                "account is deleted. Its statements and opinion map stay."
            ) % {"question": conversation.question}
        found.append(
            Obstacle(text, url=conversation.get_absolute_url(), blocks=False, link=_("Go to the conversation"))
        )
    return found


@receiver(forget)
def hand_on_or_close_conversations(sender: type, user: Any, **kwargs: Any) -> None:
    """No conversation is left without a facilitator to moderate it and receive its reports. A standalone one the
    person started passes to someone else who acts for the actor it was started as (`_successor`), who is told; if
    there is nobody, it closes, as its facilitator would close it, and its results stay. One in a partnership
    follows the partnership's facilitator role; it closes only where nobody but the person takes part any more
    (the anonymised citizen was the last member)."""
    now = timezone.now()
    for conversation in _started_and_open(user):
        successor = _successor(conversation, user)
        if successor is None:
            _close(conversation, by_actor=conversation.created_by_actor, at=now)
            continue
        Conversation.objects.filter(pk=conversation.pk).update(created_by=successor.user)
        notify(
            [successor.user],
            kind=NotificationKind.REPORT,
            text=_(
                "You now facilitate the public conversation “%(question)s”, opened by %(actor)s: the person who "
                "facilitated it has deleted their account."
            )
            % {"question": conversation.question, "actor": successor.actor.name},
            url=conversation.get_absolute_url(),
        )
    in_partnerships = Conversation.objects.filter(
        is_open=True, partnership__members__actor__memberships__user=user
    ).select_related("partnership")
    for conversation in {c.pk: c for c in in_partnerships}.values():
        partnership = conversation.partnership
        assert partnership is not None
        if not partnership.people().exclude(pk=user.pk).exists():
            facilitating = PartnershipMember.objects.filter(
                partnership=partnership, role=PartnershipMember.Role.FACILITATOR
            ).values("actor_id")
            _close(conversation, by_actor=Actor.objects.filter(pk__in=facilitating).first(), at=now)


def _close(conversation: Conversation, *, by_actor: Actor | None, at: datetime) -> None:
    """Close the conversation as `services.set_open` does: no more statements, votes or reports; the results stay."""
    Conversation.objects.filter(pk=conversation.pk, is_open=True).update(
        is_open=False, closed_at=at, closed_by_actor=by_actor
    )
