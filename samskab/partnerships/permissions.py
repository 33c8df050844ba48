"""Fetch a partnership or challenge and check the user's right to it in one call.

Inside a partnership, rights follow membership alone: a member actor's people may do everything any other
member may do, whatever the actor's sector. A members-only partnership is invisible (404) to everyone else,
except the people of an invited actor, who may read it while deciding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy

from samskab.actors.models import Actor

from .models import Challenge, Partnership, PartnershipInvitation

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from samskab.accounts.models import User


NOT_FOR_COLLEAGUES = gettext_lazy(
    "Only those who act for the workplace steer the process: they invite others, edit it, change its phase, run "
    "its surveys and pass the facilitator role on. As a colleague you take part in the process itself."
)


LEAVE_REFUSED = gettext_lazy(
    "Only an actor's administrators take it out of a partnership; the workplace's own process has no other member."
)

STAFF_PROCESS_IS_INTERNAL = gettext_lazy(
    "An employee-involvement process is the workplace's own: no other actor is invited into it. Its staff take "
    "part as colleagues of the workplace, invited by its administrators from the workplace's page."
)


MEMBERS_ONLY = gettext_lazy(
    "Only the people of the partnership's member actors may do this. Your actor can be invited by a member."
)


NOT_YOUR_ACTOR = gettext_lazy("You can only act on behalf of an actor you belong to.")


def get_partnership_for(
    user: User | AnonymousUser, pk: int, *, write: bool = False, invitees: bool = True
) -> Partnership:
    """The partnership if `user` may see it; with `write`, only if one of the user's actors is a member.

    An actor invited to a members-only partnership may read it while deciding; `invitees=False` keeps them
    out of what belongs to the members' own people, such as the answers to their surveys. An invitation into a
    staff process, which can only be declined (`STAFF_PROCESS_IS_INTERNAL`), shows nothing of it.
    """
    try:
        partnership = Partnership.objects.select_related("challenge").get(pk=pk)
    except (Partnership.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    is_member = partnership.has_member_user(user)
    if not is_member and partnership.visibility != Partnership.Visibility.PUBLIC:
        invited = (
            invitees
            and not partnership.voices_are_people
            and user.is_authenticated
            and PartnershipInvitation.objects.pending()
            .filter(
                partnership=partnership,
                actor__memberships__user=user,
                actor__memberships__role__in=partnership.roles_taking_part,
            )
            .exists()
        )
        if not invited:
            raise Http404
    if write and not is_member:
        raise PermissionDenied(MEMBERS_ONLY)
    return partnership


def get_challenge_for(user: User | AnonymousUser, pk: int, *, write: bool = False) -> Challenge:
    """Any challenge, open or closed, for anyone to read; with `write`, only if the user is one of the people of
    the actor that raised it (`Challenge.may_edit`)."""
    try:
        challenge = Challenge.objects.select_related("raised_by", "municipality").get(pk=pk)
    except (Challenge.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not challenge.may_edit(user):
        raise PermissionDenied(gettext_lazy("Only the people of the actor that raised the challenge may change it."))
    return challenge


def steering_actors(user: User | AnonymousUser, partnership: Partnership) -> QuerySet[Actor]:
    """The member actors on whose behalf a member steers the partnership (invites, edits it, changes its phase, runs
    its surveys, passes the facilitator role on): those they act for (`Partnership.actors_acted_for`). A colleague
    in the workplace's own process has none, and is told why (`NOT_FOR_COLLEAGUES`) rather than offered nothing."""
    actors = partnership.actors_acted_for(user)
    if not actors.exists():
        raise PermissionDenied(NOT_FOR_COLLEAGUES)
    return actors


def acting_actor_for(
    user: User | AnonymousUser, partnership: Partnership, actor_id: int | str | None, *, steering: bool = False
) -> Actor:
    """The member actor on whose behalf `user` acts. A user in several member actors must say which. `steering`:
    for what steers the partnership, one of `steering_actors`.

    An actor the user does not belong to is refused as not theirs (`NOT_YOUR_ACTOR`), whether or not it is a
    member; one of the user's own that is no member, as `MEMBERS_ONLY`."""
    actors = steering_actors(user, partnership) if steering else partnership.member_actors_of(user)
    if actor_id not in (None, ""):
        try:
            return actors.get(pk=actor_id)
        except (Actor.DoesNotExist, ValueError, TypeError):
            pass
        try:
            theirs = user.is_authenticated and (
                Actor.objects.filter(
                    pk=actor_id, memberships__user=user, memberships__role__in=partnership.roles_taking_part
                ).exists()
            )
        except (ValueError, TypeError):
            theirs = False
        if not theirs:
            raise PermissionDenied(NOT_YOUR_ACTOR)
        if steering and partnership.member_actors_of(user).filter(pk=actor_id).exists():
            raise PermissionDenied(NOT_FOR_COLLEAGUES)  # a member actor the user takes part in only as a colleague
        raise PermissionDenied(MEMBERS_ONLY)
    first = actors.first()
    if first is None:
        raise PermissionDenied(MEMBERS_ONLY)
    return first


def get_invitation_for(user: User | AnonymousUser, pk: int) -> PartnershipInvitation:
    """An invitation the user may answer, whether or not it is answered yet: one addressed to an actor the user
    administers."""
    try:
        return (
            PartnershipInvitation.objects.answerable_by(user)
            .select_related("partnership", "actor")
            .distinct()
            .get(pk=pk)
        )
    except (PartnershipInvitation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
