"""Asking to take part: an actor that reads a public partnership asks to join it, and any member lets it in or says
why not. The other way in beside an invitation (`core.invite_actor`), so that who takes part is not only who the
members thought of: a sports club or a grocer who sees the work can offer itself.

Nothing here looks at an actor's sector: any member answers, as any member invites.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samskab.accounts.models import NotificationKind
from samskab.accounts.notifications import notify
from samskab.actors.models import Actor
from samskab.lib.forms import check_length, field_refusal

from ..models import JoinRequest, Partnership, PartnershipInvitation, PartnershipMember
from ..permissions import STAFF_PROCESS_IS_INTERNAL
from .core import check_open, check_speaks_for
from .notify import MESSAGE_SHOWN, administrators, notify_members, tell_newcomer_of_open_proposals

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from samskab.accounts.models import User

ONLY_ITS_ADMINISTRATORS = gettext_lazy(
    "Only an actor's administrators ask for it to take part, as they answer its invitations."
)
REASON_MAX_LENGTH = 2000


def join_requests_url(partnership: Partnership) -> str:
    return reverse("partnerships:detail", args=[partnership.pk]) + "#anmodninger"


def actors_who_may_ask(user: User | AnonymousUser, partnership: Partnership) -> QuerySet[Actor]:
    """The actors `user` administers that could ask to take part now: not members, not invited, not asking already,
    in an open, public partnership that is not a workplace's own process. One query, when it is read."""
    if (
        partnership.visibility != Partnership.Visibility.PUBLIC
        or partnership.voices_are_people
        or partnership.is_closed
    ):
        return Actor.objects.none()
    invited = partnership.invitations.pending().values("actor_id")
    asking = partnership.join_requests.filter(status=JoinRequest.Status.PENDING).values("actor_id")
    return (
        Actor.objects.administered_by(user)  # none for a visitor
        .filter(anonymised_at__isnull=True)
        .exclude(partnership_memberships__partnership=partnership)
        .exclude(pk__in=invited)
        .exclude(pk__in=asking)
        .distinct()
        .order_by("name")
    )


@transaction.atomic
def ask_to_join(*, user: User, partnership: Partnership, actor: Actor, message: str = "") -> JoinRequest:
    """An actor's administrators ask for it to take part in a public, open partnership (a members-only one is
    joined by invitation: nobody outside may read it to ask). The members are told, with the message. Refused: a
    member already, an actor invited (it answers the invitation instead), a second request while one waits, and a
    workplace's own process (`STAFF_PROCESS_IS_INTERNAL`)."""
    if not actor.is_admin(user):
        raise PermissionDenied(ONLY_ITS_ADMINISTRATORS)
    if partnership.visibility != Partnership.Visibility.PUBLIC:
        raise PermissionDenied(gettext_lazy("A partnership open only to its members is joined by invitation."))
    if partnership.voices_are_people:
        raise ValidationError(STAFF_PROCESS_IS_INTERNAL, code="internal")
    Partnership.objects.select_for_update().get(pk=partnership.pk)  # members join one at a time
    check_open(partnership)
    if partnership.is_member(actor):
        raise ValidationError(_("%(actor)s is already a member.") % {"actor": actor.name}, code="member")
    if partnership.invitations.pending().filter(actor=actor).exists():
        raise ValidationError(
            _("%(actor)s is already invited: answer the invitation under Invitations.") % {"actor": actor.name},
            code="invited",
        )
    message = message.strip()
    check_length("message", message, REASON_MAX_LENGTH, _("Write at most %(max)d characters; this is %(length)d."))
    try:
        with transaction.atomic():
            request = JoinRequest.objects.create(partnership=partnership, actor=actor, user=user, message=message)
    except IntegrityError:
        raise ValidationError(
            _("%(actor)s has already asked to take part and awaits an answer.") % {"actor": actor.name},
            code="pending",
        ) from None
    text = _("%(actor)s (%(sector)s) asks to take part in “%(title)s”. Any member can let it in.") % {
        "actor": actor.name,
        "sector": actor.get_sector_display().lower(),
        "title": partnership.title,
    }
    if message:
        text += " " + _("Their message: “%(message)s”") % {"message": Truncator(message).chars(MESSAGE_SHOWN)}
    notify_members(partnership, kind=NotificationKind.MEMBERSHIP, text=text, url=join_requests_url(partnership))
    return request


@transaction.atomic
def answer_join_request(
    *, user: User, request: JoinRequest, by_actor: Actor, accept: bool, reason: str = ""
) -> JoinRequest:
    """Any member lets the asking actor in, which makes it an equal member at once, or does not, saying why: the
    asking actor's administrators are told either way, and the members are told who joined. Answering an answered
    request changes nothing (a second click, or another member first)."""
    partnership = request.partnership
    check_speaks_for(user, partnership, by_actor)
    locked = JoinRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != JoinRequest.Status.PENDING:
        return locked
    reason = reason.strip()
    if not accept and not reason:
        raise field_refusal("reason", _("Say why not: the actor that asked is told."), code="reason")
    check_length("reason", reason, REASON_MAX_LENGTH, _("Write at most %(max)d characters; this is %(length)d."))
    if accept:
        check_open(partnership)
    locked.status = JoinRequest.Status.ACCEPTED if accept else JoinRequest.Status.DECLINED
    locked.responded_at, locked.responded_by, locked.responded_by_actor = timezone.now(), user, by_actor
    locked.reason = "" if accept else reason
    locked.save(update_fields=["status", "responded_at", "responded_by", "responded_by_actor", "reason"])
    names = {"member": by_actor.name, "actor": locked.actor.name, "title": partnership.title}
    if accept:
        _member, joined = PartnershipMember.objects.get_or_create(partnership=partnership, actor=locked.actor)
        if joined:
            tell_newcomer_of_open_proposals(partnership, locked.actor)
        PartnershipInvitation.objects.pending().filter(partnership=partnership, actor=locked.actor).update(
            status=PartnershipInvitation.Status.ACCEPTED, responded_at=locked.responded_at
        )
        told = _("%(member)s has let %(actor)s into “%(title)s”: it is an equal member from now on.") % names
        notify_members(
            partnership,
            kind=NotificationKind.MEMBERSHIP,
            text=_("%(actor)s has joined “%(title)s” as an equal member, let in by %(member)s.") % names,
            url=partnership.get_absolute_url(),
            except_actor=locked.actor,
        )
    else:
        told = _("%(member)s did not let %(actor)s into “%(title)s”. Why: “%(reason)s”") % (names | {"reason": reason})
    notify(
        administrators(locked.actor),
        kind=NotificationKind.MEMBERSHIP,
        text=told,
        url=partnership.get_absolute_url(),
    )
    return locked


@transaction.atomic
def withdraw_join_request(*, user: User, request: JoinRequest) -> JoinRequest:
    """The asking actor's administrators withdraw a request that waits; one answered stays as it was answered."""
    if not request.actor.is_admin(user):
        raise PermissionDenied(ONLY_ITS_ADMINISTRATORS)
    locked = JoinRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status == JoinRequest.Status.PENDING:
        locked.status, locked.responded_at, locked.responded_by = JoinRequest.Status.WITHDRAWN, timezone.now(), user
        locked.save(update_fields=["status", "responded_at", "responded_by"])
    return locked
