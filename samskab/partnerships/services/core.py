"""Every write to challenges and partnerships goes through these functions.

The HTML views, the API and the demo loader call them; none of them looks at an actor's sector.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samskab.accounts.models import NotificationKind
from samskab.actors.models import Actor, Municipality, Sector, Theme
from samskab.lib.forms import AlreadyThere, check_length, check_unchanged, field_refusal
from samskab.lib.text import first_alike

from ..models import (
    Action,
    Challenge,
    ClosingChange,
    Decision,
    FacilitatorChange,
    GroundRules,
    JoinRequest,
    MemberDeparture,
    Partnership,
    PartnershipInvitation,
    PartnershipMember,
    Phase,
    PhaseChange,
    Pledge,
    PledgesOnLeaving,
    Proposal,
    VisibilityChange,
)
from ..models.decisions import default_ground_rules
from ..permissions import LEAVE_REFUSED, NOT_FOR_COLLEAGUES, STAFF_PROCESS_IS_INTERNAL
from ..signals import proposal_passed

if TYPE_CHECKING:
    from samskab.accounts.models import User


def _check_acts_for(user: User, actor: Actor) -> None:
    if not actor.has_member(user):
        raise PermissionDenied(gettext_lazy("You can only act on behalf of an actor you belong to."))


@transaction.atomic
def raise_challenge(
    *,
    user: User,
    actor: Actor,
    title: str,
    description: str,
    municipality: Municipality,
    place: str = "",
    affected: str = "",
    themes: Iterable[Theme] = (),
) -> Challenge:
    """Any actor, of any sector, may raise a challenge. The same challenge raised again by the same actor while the
    first is not closed (mostly the form sent again after going back in the browser) is refused (`AlreadyThere`)."""
    _check_acts_for(user, actor)
    Actor.objects.select_for_update().get(pk=actor.pk)  # the form sent twice at once raises one challenge
    raised = Challenge.objects.filter(raised_by=actor).exclude(status=Challenge.Status.CLOSED).order_by("pk")
    twin = first_alike(raised, title=title, description=description)
    if twin is not None:
        raise AlreadyThere(
            _("%(actor)s has already raised this challenge: “%(title)s”.") % {"actor": actor.name, "title": twin.title},
            field="title",
            url=twin.get_absolute_url(),
            link=_("Go to the challenge"),
        )
    challenge = Challenge.objects.create(
        title=title,
        description=description,
        municipality=municipality,
        place=place,
        affected=affected,
        raised_by=actor,
        created_by=user,
    )
    challenge.themes.set(themes)
    return challenge


def _check_raised_by_user(user: User, challenge: Challenge) -> None:
    if not challenge.may_edit(user):
        raise PermissionDenied(gettext_lazy("Only the people of the actor that raised the challenge may change it."))


@transaction.atomic
def update_challenge(
    *,
    user: User,
    challenge: Challenge,
    title: str,
    description: str,
    municipality: Municipality,
    place: str = "",
    affected: str = "",
    themes: Iterable[Theme] = (),
    seen: str | None = None,
) -> Challenge:
    """The people of the actor that raised the challenge edit what it says, open or closed. `seen` is the version
    they opened (`lib.forms.version_of`): if someone else saved since, nothing is saved (`EditedMeanwhile`), so a
    form opened before cannot put back what the other person changed. An edit that changes nothing saves nothing:
    a new version would only refuse the edits of others who opened the challenge before it."""
    _check_raised_by_user(user, challenge)
    locked = Challenge.objects.select_related("updated_by").select_for_update(of=("self",)).get(pk=challenge.pk)
    themes = list(themes)
    same = (locked.title, locked.description, locked.municipality_id, locked.place, locked.affected) == (
        title,
        description,
        municipality.pk,
        place,
        affected,
    )
    if same and set(locked.themes.values_list("pk", flat=True)) == {theme.pk for theme in themes}:
        return locked
    check_unchanged(seen, locked.updated_at, str(locked.updated_by or ""))
    locked.title, locked.description, locked.municipality = title, description, municipality
    locked.place, locked.affected = place, affected
    locked.updated_at, locked.updated_by = timezone.now(), user
    locked.save(update_fields=["title", "description", "municipality", "place", "affected", "updated_at", "updated_by"])
    locked.themes.set(themes)
    return locked


@transaction.atomic
def set_challenge_status(*, user: User, challenge: Challenge, closed: bool, note: str = "") -> Challenge:
    """The people of the actor that raised the challenge close it (with a note on why, if they like) or open it
    again: reopened, it is in a partnership again if one was started on it. Closing a closed challenge, or
    reopening an open one, is refused, so a second click cannot replace the first one's note."""
    _check_raised_by_user(user, challenge)
    locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if closed == locked.is_closed:
        message = _("The challenge is already closed.") if closed else _("The challenge is already open.")
        raise ValidationError(message, code="same_status")
    if closed:
        locked.status, locked.closed_at, locked.closing_note = Challenge.Status.CLOSED, timezone.now(), note
    else:
        in_partnership = locked.partnerships.exists()
        locked.status = Challenge.Status.IN_PARTNERSHIP if in_partnership else Challenge.Status.OPEN
        locked.closed_at, locked.closing_note = None, ""
    locked.save(update_fields=["status", "closed_at", "closing_note"])
    return locked


@transaction.atomic
def start_partnership(
    *,
    user: User,
    actor: Actor,
    challenge: Challenge | None,
    title: str,
    purpose: str = "",
    visibility: str = Partnership.Visibility.PUBLIC,
    kind: str = Partnership.Kind.CO_CREATION,
    room_for_change: str = "",
) -> Partnership:
    """Start a partnership; the starting actor becomes its first member and facilitator. On a challenge, the people
    of the actor that raised it are told (`notify_challenge_taken_up`); a closed challenge takes no new one.
    `room_for_change` (what is decided already, what may be shaped) belongs to employee involvement. The same
    partnership started again by the same actor on the same challenge while the first is open (mostly the form sent
    again after going back in the browser) is refused (`AlreadyThere`)."""
    _check_acts_for(user, actor)
    if kind == Partnership.Kind.EMPLOYEE_INVOLVEMENT and actor.sector == Sector.CITIZEN:
        raise ValidationError(
            _("Employee involvement is a workplace's: start it as your workplace's actor, not as a citizen."),
            code="citizen",
        )
    if challenge is not None:
        # Locked, so that the challenge cannot be closed between this check and the partnership.
        challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
        if challenge.is_closed:
            raise ValidationError(
                _("The challenge is closed. The people who raised it can open it again."), code="closed"
            )
    Actor.objects.select_for_update().get(pk=actor.pk)  # the form sent twice at once starts one partnership
    started = Partnership.objects.filter(
        challenge=challenge, kind=kind, closed_at__isnull=True, members__actor=actor, created_by=user
    ).order_by("pk")
    twin = first_alike(started, title=title, purpose=purpose)
    if twin is not None:
        raise AlreadyThere(
            _("You have already started “%(title)s”.") % {"title": twin.title},
            field="title",
            url=twin.get_absolute_url(),
            link=_("Go to the partnership"),
        )
    partnership = Partnership.objects.create(
        challenge=challenge,
        title=title,
        purpose=purpose,
        visibility=visibility,
        kind=kind,
        room_for_change=room_for_change if kind == Partnership.Kind.EMPLOYEE_INVOLVEMENT else "",
        created_by=user,
    )
    PartnershipMember.objects.create(partnership=partnership, actor=actor, role=PartnershipMember.Role.FACILITATOR)
    with translation.override(settings.LANGUAGE_CODE):
        GroundRules.objects.create(partnership=partnership, text=default_ground_rules(kind))
    PhaseChange.objects.create(
        partnership=partnership, from_phase="", to_phase=partnership.phase, actor=actor, user=user
    )
    if challenge is not None and challenge.status == Challenge.Status.OPEN:
        challenge.status = Challenge.Status.IN_PARTNERSHIP
        challenge.save(update_fields=["status"])
    if challenge is not None:
        from .notify import notify_challenge_taken_up

        notify_challenge_taken_up(partnership, started_by=actor, except_user=user)
    return partnership


PARTNERSHIP_CLOSED = gettext_lazy(
    "The partnership is closed: everything written here can still be read, but nothing can be added or changed. "
    "A member who speaks for its actor can reopen it, saying why."
)


def check_open(partnership: Partnership) -> None:
    """Refuse (`PARTNERSHIP_CLOSED`) while the partnership is closed. Read afresh, not from `partnership`: a page
    opened before the closing decision passed holds a copy that does not know."""
    closed_at = Partnership.objects.filter(pk=partnership.pk).values_list("closed_at", flat=True).first()
    if closed_at is not None:
        raise PermissionDenied(PARTNERSHIP_CLOSED)


def check_member(user: User, partnership: Partnership, actor: Actor, *, while_closed: bool = False) -> None:
    """`actor` is a member, and `user` takes part through it: acts for it, or in employee involvement, is one of
    its colleagues (`Partnership.member_actors_of`). A closed partnership is read-only (`check_open`): only what
    `while_closed` allows goes through, reopening it and leaving it."""
    if not partnership.takes_part_through(user, actor):
        if not actor.memberships.filter(user=user).exists():
            raise PermissionDenied(gettext_lazy("You can only act on behalf of an actor you belong to."))
        raise PermissionDenied(gettext_lazy("Only members of the partnership may do this."))
    if not while_closed:
        check_open(partnership)


def check_speaks_for(user: User, partnership: Partnership, actor: Actor, *, while_closed: bool = False) -> None:
    """`check_member`, and `user` acts for `actor` (`Partnership.actors_acted_for`): a colleague takes part in the
    workplace's own process, but does not steer it (`NOT_FOR_COLLEAGUES`)."""
    check_member(user, partnership, actor, while_closed=while_closed)
    if not actor.has_member(user):
        raise PermissionDenied(NOT_FOR_COLLEAGUES)


def invite_actor(
    *, user: User, partnership: Partnership, by_actor: Actor, actor: Actor, message: str = ""
) -> PartnershipInvitation:
    """Any member may invite another actor. The invited actor's administrators are notified (`notify_invited`).

    An employee-involvement process is the workplace's own: its staff take part as the workplace's colleagues,
    and no other actor is invited into it (`STAFF_PROCESS_IS_INTERNAL`), as its surveys of trust in the leadership
    and its conversations are the staff's."""
    check_speaks_for(user, partnership, by_actor)
    if partnership.voices_are_people:
        raise ValidationError(STAFF_PROCESS_IS_INTERNAL, code="internal")
    if actor.anonymised_at is not None:  # nobody is left to answer for it
        raise ValidationError(_("This actor no longer exists and cannot be invited."), code="anonymised")
    if partnership.is_member(actor):
        raise ValidationError(_("%(actor)s is already a member.") % {"actor": actor.name}, code="member")
    if partnership.join_requests.filter(actor=actor, status=JoinRequest.Status.PENDING).exists():  # `joining`
        raise ValidationError(
            _("%(actor)s has asked to take part already: let it in by answering its request.") % {"actor": actor.name},
            code="asked",
        )
    try:
        with transaction.atomic():
            invitation = PartnershipInvitation.objects.create(
                partnership=partnership,
                actor=actor,
                invited_by_actor=by_actor,
                invited_by=user,
                message=message,
            )
    except IntegrityError:
        raise ValidationError(
            _("%(actor)s has already been invited and has not answered yet.") % {"actor": actor.name},
            code="pending",
        ) from None
    from .notify import notify_invited

    notify_invited(invitation)
    return invitation


@transaction.atomic
def respond_to_invitation(*, user: User, invitation: PartnershipInvitation, accept: bool) -> PartnershipInvitation:
    """An administrator of the invited actor accepts or declines. Answering twice changes nothing."""
    invitation = PartnershipInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.actor.is_admin(user):
        raise PermissionDenied(gettext_lazy("Only the invited actor's administrators may answer."))
    if invitation.status != PartnershipInvitation.Status.PENDING:
        return invitation
    if accept and invitation.partnership.voices_are_people:  # sent before staff processes were the staff's own
        raise ValidationError(STAFF_PROCESS_IS_INTERNAL, code="internal")
    if accept:  # sent before the partnership closed: declining still answers it
        check_open(invitation.partnership)
    invitation.status = PartnershipInvitation.Status.ACCEPTED if accept else PartnershipInvitation.Status.DECLINED
    invitation.responded_at = timezone.now()
    invitation.responded_by = user
    invitation.save(update_fields=["status", "responded_at", "responded_by"])
    if accept:
        _member, joined = PartnershipMember.objects.get_or_create(
            partnership=invitation.partnership, actor=invitation.actor
        )
        # A request to take part sent meanwhile is answered by joining: no member may still refuse a member.
        invitation.partnership.join_requests.filter(actor=invitation.actor, status=JoinRequest.Status.PENDING).update(
            status=JoinRequest.Status.ACCEPTED, responded_at=invitation.responded_at
        )
        if joined:
            from .notify import notify_members, tell_newcomer_of_open_proposals

            tell_newcomer_of_open_proposals(invitation.partnership, invitation.actor)
            notify_members(
                invitation.partnership,
                kind=NotificationKind.MEMBERSHIP,
                text=_("%(actor)s has joined “%(title)s” as an equal member.")
                % {"actor": invitation.actor.name, "title": invitation.partnership.title},
                url=invitation.partnership.get_absolute_url(),
                except_actor=invitation.actor,
            )
    return invitation


@transaction.atomic
def withdraw_invitation(*, user: User, invitation: PartnershipInvitation, by_actor: Actor) -> PartnershipInvitation:
    """Any member withdraws an invitation not yet answered (sent by mistake, or no longer wanted); the invited
    actor's administrators are told. An answered invitation stays as it was answered."""
    partnership = invitation.partnership
    check_speaks_for(user, partnership, by_actor)
    invitation = PartnershipInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != PartnershipInvitation.Status.PENDING:
        raise ValidationError(
            _("The invitation has already been answered (%(status)s) and can no longer be withdrawn.")
            % {"status": invitation.get_status_display().lower()},
            code="answered",
        )
    invitation.status = PartnershipInvitation.Status.WITHDRAWN
    invitation.responded_at, invitation.responded_by, invitation.withdrawn_by_actor = timezone.now(), user, by_actor
    invitation.save(update_fields=["status", "responded_at", "responded_by", "withdrawn_by_actor"])
    from .notify import notify_invitation_withdrawn

    notify_invitation_withdrawn(invitation)
    return invitation


@transaction.atomic
def leave_partnership(
    *,
    user: User,
    partnership: Partnership,
    actor: Actor,
    note: str = "",
    pledges: str | None = None,
    while_closed: bool = False,
) -> MemberDeparture:
    """An actor's administrators take it out of a partnership; the other members are told and the departure is
    logged. What the actor said and decided stays in the record. An actor with standing pledges says what becomes
    of them (`pledges`, a `PledgesOnLeaving`): it keeps them, and the plan still counts them, marked as an actor's
    that has left; or it withdraws them, as `withdraw_pledge` does, and they count nowhere. The others are told
    which. A facilitator's role passes to the member that joined first. The last member cannot leave (nobody
    would be left to read or close the partnership), nor does anyone leave the workplace's own process, whose
    staff are its one member (a colleague leaves it on their own).

    A closed partnership is not left (`PARTNERSHIP_CLOSED`): the facilitator role would pass and everyone be told in
    a partnership where nothing more happens, and the actions left behind could not be handed on. Only deleting an
    account takes the person's own citizen actor out of it (`while_closed`, set by `personal_data` alone): nobody is
    left to speak for that actor."""
    check_speaks_for(user, partnership, actor, while_closed=True)
    if not actor.is_admin(user):  # a member of the actor cannot take it out, as they cannot bring it in
        raise PermissionDenied(LEAVE_REFUSED)
    Partnership.objects.select_for_update().get(pk=partnership.pk)  # departures one at a time
    if not while_closed:  # checked under the lock: a closing that passes meanwhile waits for this departure
        check_open(partnership)
    membership = PartnershipMember.objects.get(partnership=partnership, actor=actor)
    others = PartnershipMember.objects.filter(partnership=partnership).exclude(pk=membership.pk).order_by("joined_at")
    successor = others.select_related("actor").first()
    if successor is None:
        raise ValidationError(
            _("%(actor)s is the partnership's last member and cannot leave it.") % {"actor": actor.name},
            code="last_member",
        )
    standing = list(
        Pledge.objects.standing().select_for_update().filter(partnership=partnership, actor=actor).order_by("pk")
    )
    named = ", ".join(f"“{p.description}”" for p in standing)
    if standing and pledges not in PledgesOnLeaving.values:
        raise field_refusal(
            "pledges",
            _("%(actor)s has pledged %(pledges)s here. Say whether it holds to these pledges or withdraws them.")
            % {"actor": actor.name, "pledges": named},
            code="pledges",
        )
    departure = MemberDeparture.objects.create(
        partnership=partnership, actor=actor, user=user, joined_at=membership.joined_at, note=note.strip()
    )
    withdrawing = bool(standing) and pledges == PledgesOnLeaving.WITHDRAW
    if withdrawing:
        Pledge.objects.filter(pk__in=[p.pk for p in standing]).update(
            withdrawn_at=departure.left_at, withdrawn_by_user=user
        )
    handed_on = membership.role == PartnershipMember.Role.FACILITATOR
    membership.delete()
    if handed_on:
        others.filter(pk=successor.pk).update(role=PartnershipMember.Role.FACILITATOR)
        FacilitatorChange.objects.create(partnership=partnership, to_actor=successor.actor, by_actor=actor, user=user)
    text = _("%(actor)s has left “%(title)s”.") % {"actor": actor.name, "title": partnership.title}
    if departure.note:
        text += " " + _("Why: “%(note)s”") % {"note": departure.note}
    if handed_on:
        text += " " + _("%(successor)s now facilitates.") % {"successor": successor.actor.name}
    if withdrawing:
        text += " " + _("Its pledges are withdrawn: %(pledges)s.") % {"pledges": named}
    elif standing:
        text += " " + _("It keeps its pledges: %(pledges)s.") % {"pledges": named}
    owned = list(
        Action.objects.still_open()
        .filter(partnership=partnership, owners=actor)
        .order_by("pk")
        .values_list("title", flat=True)
    )
    if owned:  # the others see which actions now want a member to see to them
        text += " " + _("It was responsible for: %(actions)s.") % {"actions": ", ".join(f"“{t}”" for t in owned)}
    from .notify import notify_members

    notify_members(partnership, kind=NotificationKind.MEMBERSHIP, text=text, url=partnership.get_absolute_url())
    return departure


NOTE_SHOWN = 200  # characters of a phase change's note in the notification, which holds 400 in all


@transaction.atomic
def change_phase(
    *, user: User, partnership: Partnership, by_actor: Actor, to_phase: str, note: str = ""
) -> PhaseChange:
    """Any member may move the partnership to any phase, forwards or back (in employee involvement, those who act
    for the workplace); the change is logged."""
    check_speaks_for(user, partnership, by_actor)
    if to_phase not in Phase.values:
        raise ValidationError(_("Unknown phase."), code="phase")
    # Lock the row so two members changing phase at once log a true from → to chain.
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if to_phase == locked.phase:  # a change from a phase to itself would only clutter the log
        raise ValidationError(_("The partnership is already in this phase."), code="same_phase")
    change = PhaseChange.objects.create(
        partnership=locked, from_phase=locked.phase, to_phase=to_phase, actor=by_actor, user=user, note=note
    )
    locked.phase = to_phase
    locked.save(update_fields=["phase"])
    partnership.phase = to_phase
    from .notify import notify_others

    text = _("%(who)s moved “%(title)s” from the phase “%(from)s” to “%(to)s”.") % {
        "who": locked.who_acted(user, by_actor),
        "title": locked.title,
        "from": Phase(change.from_phase).label,
        "to": Phase(to_phase).label,
    }
    if note.strip():
        text += " " + _("Why: “%(note)s”") % {"note": Truncator(note.strip()).chars(NOTE_SHOWN)}
    notify_others(
        locked, kind=NotificationKind.PROCESS, text=text, url=locked.get_absolute_url(), user=user, actor=by_actor
    )
    return change


@transaction.atomic
def update_partnership(
    *,
    user: User,
    partnership: Partnership,
    by_actor: Actor,
    title: str,
    purpose: str,
    visibility: str,
    seen: str | None = None,
    room_for_change: str | None = None,
) -> Proposal | None:
    """Any member may edit the shared description and visibility (and, in employee involvement, the room for
    change; None leaves it as it is). `seen` is the version the member opened
    (`lib.forms.version_of`): if another member saved since, nothing is saved (`EditedMeanwhile`), so a form
    opened before cannot put back what the other member changed.

    Who may read it: a member makes it members-only at once (the others are told and it is logged); making it
    public opens a consent proposal instead (`propose_making_public`), which is returned."""
    check_speaks_for(user, partnership, by_actor)
    if visibility not in Partnership.Visibility.values:
        raise ValidationError(_("Unknown visibility."), code="visibility")
    locked = (
        Partnership.objects.select_related("updated_by_actor").select_for_update(of=("self",)).get(pk=partnership.pk)
    )
    check_unchanged(seen, locked.updated_at, str(locked.updated_by_actor or ""))
    widened = locked.visibility == Partnership.Visibility.MEMBERS and visibility == Partnership.Visibility.PUBLIC
    narrowed = locked.visibility == Partnership.Visibility.PUBLIC and visibility == Partnership.Visibility.MEMBERS
    if widened and _open_make_public(locked) is not None:
        raise ValidationError(MAKE_PUBLIC_PENDING, code="make_public_pending")
    locked.title, locked.purpose = title, purpose
    if not widened:  # made public only by consent (`propose_making_public`); members-only at once
        locked.visibility = visibility
    if room_for_change is not None and locked.voices_are_people:
        locked.room_for_change = room_for_change
    locked.updated_at, locked.updated_by_actor = timezone.now(), by_actor
    locked.save(update_fields=["title", "purpose", "visibility", "room_for_change", "updated_at", "updated_by_actor"])
    if narrowed:
        VisibilityChange.objects.create(
            partnership=locked, to_visibility=Partnership.Visibility.MEMBERS, by_actor=by_actor, user=user
        )
        from .notify import notify_others

        notify_others(
            locked,
            kind=NotificationKind.MEMBERSHIP,
            text=_("%(who)s has made “%(title)s” members-only: only its members can read it now.")
            % {"who": locked.who_acted(user, by_actor), "title": locked.title},
            url=locked.get_absolute_url(),
            user=user,
            actor=by_actor,
        )
    return propose_making_public(user=user, partnership=locked, by_actor=by_actor) if widened else None


MAKE_PUBLIC_PENDING = gettext_lazy(
    "A proposal to make the partnership public is already open. Respond to it instead of proposing it again."
)
MAKE_PUBLIC_PERIOD = timedelta(days=7)


def _open_make_public(partnership: Partnership) -> Proposal | None:
    return partnership.proposals.filter(kind=Proposal.Kind.MAKE_PUBLIC, status=Proposal.Status.OPEN).first()


def propose_making_public(*, user: User, partnership: Partnership, by_actor: Actor) -> Proposal:
    """Making a members-only partnership public is a consent decision: what the members wrote for each other
    (minutes, proposals and objections, conversations) becomes readable by anyone, so every member may object.
    The proposal is open for a week; when all have consented sooner, or nobody else has a voice, it passes at
    once, and `make_public_on_consent` opens the partnership."""
    from .decisions import propose

    with translation.override(settings.LANGUAGE_CODE):  # the record is in the partnership's language
        text = _(
            "We make the partnership public: anyone can read along, without an account. Everything already written "
            "here becomes readable too: the agenda and minutes, the proposals with their responses and objections, "
            "the decisions, the action plan, the conversations and their results. A member who objects keeps it "
            "members-only."
        )
        title = str(Proposal.Kind.MAKE_PUBLIC.label)
    return propose(
        user=user,
        partnership=partnership,
        by_actor=by_actor,
        title=title,
        text=text,
        deadline=timezone.now() + MAKE_PUBLIC_PERIOD,
        kind=Proposal.Kind.MAKE_PUBLIC,
    )


@receiver(proposal_passed)
@transaction.atomic
def make_public_on_consent(sender: type, proposal: Proposal, decision: Decision, **kwargs: object) -> None:
    """When a proposal to make the partnership public passes, it is public from then on, logged with the
    decision; the members are told. A member may make it members-only again at once."""
    if proposal.kind != Proposal.Kind.MAKE_PUBLIC:
        return
    partnership = Partnership.objects.select_for_update().get(pk=proposal.partnership_id)
    if partnership.visibility == Partnership.Visibility.PUBLIC:
        return
    partnership.visibility = Partnership.Visibility.PUBLIC
    partnership.save(update_fields=["visibility"])
    VisibilityChange.objects.create(
        partnership=partnership,
        to_visibility=Partnership.Visibility.PUBLIC,
        by_actor=proposal.proposed_by,
        user=proposal.proposed_by_user,
        decision=decision,
    )
    from .notify import notify_members

    notify_members(
        partnership,
        kind=NotificationKind.MEMBERSHIP,
        text=_("“%(title)s” is public by consent: anyone can read along now.") % {"title": partnership.title},
        url=partnership.get_absolute_url(),
    )


CLOSE_PENDING = gettext_lazy(
    "A proposal to close the partnership is already open. Respond to it instead of proposing it again."
)
CLOSE_PERIOD = timedelta(days=7)
# Why a partnership is closed, or reopened: a few sentences, shown in the proposal or told to the others.
CLOSING_REASON_MAX_LENGTH = 1000


def open_close_proposal(partnership: Partnership) -> Proposal | None:
    return partnership.proposals.filter(kind=Proposal.Kind.CLOSE, status=Proposal.Status.OPEN).first()


def _check_reason_length(field: str, text: str) -> None:
    check_length(field, text, CLOSING_REASON_MAX_LENGTH, _("Write at most %(max)d characters; this is %(length)d."))


@transaction.atomic
def propose_closing(*, user: User, partnership: Partnership, by_actor: Actor, note: str = "") -> Proposal:
    """Closing a partnership is a consent decision, as making it public is: any member actor's people who speak for
    it propose it (with a note on why, if they like), it is open for a week, and when it passes `close_on_consent`
    closes it. One such proposal is open at a time. When all have consented sooner, or nobody else has a voice, it
    passes at once. In a staff process those who act for the workplace propose it (`check_speaks_for`), as only
    they reopen it; a colleague responds to the proposal."""
    from .decisions import propose

    check_speaks_for(user, partnership, by_actor)
    note = note.strip()
    _check_reason_length("note", note)
    Partnership.objects.select_for_update().get(pk=partnership.pk)  # two members proposing at once make one proposal
    if open_close_proposal(partnership) is not None:
        raise ValidationError(CLOSE_PENDING, code="close_pending")
    with translation.override(settings.LANGUAGE_CODE):  # the record is in the partnership's language
        if partnership.voices_are_people:  # a workplace's own process, in its colleagues' words
            text = _(
                "We close the process. Everything written here stays readable to those who may read it now, but "
                "nothing more can be added or changed: no agenda items, meetings, proposals, actions or lessons. "
                "Proposals still open when it closes are withdrawn. Those who act for the workplace can reopen it at "
                "any time, saying why."
            )
            title = _("Close the process")
        else:
            text = _(
                "We close the partnership. Everything written here stays readable to those who may read it now, but "
                "nothing more can be added or changed: no agenda items, meetings, proposals, actions, pledges or "
                "lessons. Proposals still open when it closes are withdrawn. A member who speaks for its actor can "
                "reopen it at any time, saying why."
            )
            title = str(Proposal.Kind.CLOSE.label)
        if note:
            text += "\n\n" + _("Why we close it: %(note)s") % {"note": note}
    return propose(
        user=user,
        partnership=partnership,
        by_actor=by_actor,
        title=title,
        text=text,
        deadline=timezone.now() + CLOSE_PERIOD,
        kind=Proposal.Kind.CLOSE,
    )


@receiver(proposal_passed)
@transaction.atomic
def close_on_consent(sender: type, proposal: Proposal, decision: Decision, **kwargs: object) -> None:
    """When a proposal to close the partnership passes, it is closed from the decision's moment, logged with the
    decision, and everyone is told. The proposals still open whose deadline lies after that moment are withdrawn:
    nobody could respond to them any more, and silence must not pass them. (One due before it is settled as it
    would have been.)"""
    if proposal.kind != Proposal.Kind.CLOSE:
        return
    partnership = Partnership.objects.select_for_update().get(pk=proposal.partnership_id)
    if partnership.closed_at is not None:
        return
    partnership.closed_at, partnership.closing_decision = decision.decided_at, decision
    partnership.save(update_fields=["closed_at", "closing_decision"])
    ClosingChange.objects.create(
        partnership=partnership,
        closed=True,
        by_actor=proposal.proposed_by,
        user=proposal.proposed_by_user,
        decision=decision,
    )
    lapsed = list(
        Proposal.objects.select_for_update()
        .filter(partnership=partnership, status=Proposal.Status.OPEN, deadline__gt=decision.decided_at)
        .exclude(pk=proposal.pk)
        .order_by("pk")
    )
    Proposal.objects.filter(pk__in=[p.pk for p in lapsed]).update(
        status=Proposal.Status.WITHDRAWN, closed_at=decision.decided_at
    )
    text = _(
        "“%(title)s” is closed by consent. Everything written in it stays readable, but nothing more can be added "
        "or changed. A member can reopen it, saying why."
    ) % {"title": partnership.title}
    if lapsed:
        text += " " + _("Withdrawn, as they were still open: %(proposals)s.") % {
            "proposals": ", ".join(f"“{p.title}”" for p in lapsed)
        }
    from .agenda import cancel_on_closing
    from .notify import notify_members

    notify_members(
        partnership,
        kind=NotificationKind.DECISION,
        text=text,
        url=reverse("partnerships:learn", args=[partnership.pk]),
    )
    cancel_on_closing(partnership, proposal=proposal, at=decision.decided_at)
    _answer_the_waiting_on_closing(partnership, at=decision.decided_at)


def _answer_the_waiting_on_closing(partnership: Partnership, *, at: datetime) -> None:
    """Nobody joins a closed partnership: the invitations and requests to join that wait are answered by the closing,
    and the administrators of each actor they concern are told, instead of finding a refusal when they answer."""
    from samskab.accounts.notifications import notify

    from .notify import administrators

    names = {"title": partnership.title}
    invitations = list(PartnershipInvitation.objects.select_for_update().pending().filter(partnership=partnership))
    PartnershipInvitation.objects.filter(pk__in=[i.pk for i in invitations]).update(
        status=PartnershipInvitation.Status.WITHDRAWN, responded_at=at
    )

    def tell(actor: Actor, kind: str, text: str) -> None:
        notify(administrators(actor), kind=kind, text=text % (names | {"name": actor.name}), url=url)

    url = partnership.get_absolute_url()
    for invitation in invitations:
        tell(
            invitation.actor,
            NotificationKind.INVITATION,
            _("“%(title)s” is closed by consent, so the invitation for %(name)s to join it no longer stands."),
        )
    requests = list(
        JoinRequest.objects.select_for_update().filter(partnership=partnership, status=JoinRequest.Status.PENDING)
    )
    reason = _("“%(title)s” is closed by consent.") % names
    JoinRequest.objects.filter(pk__in=[r.pk for r in requests]).update(
        status=JoinRequest.Status.DECLINED, responded_at=at, reason=reason
    )
    for request in requests:
        tell(
            request.actor,
            NotificationKind.MEMBERSHIP,
            _("%(name)s's request to join “%(title)s” is closed: the partnership is closed by consent."),
        )


@transaction.atomic
def reopen_partnership(*, user: User, partnership: Partnership, by_actor: Actor, reason: str) -> ClosingChange:
    """A member who speaks for its actor (`check_speaks_for`) reopens a closed partnership at once, saying why: it
    closed by consent, but one member's need to carry on is enough to open it again, and nothing written in it
    changes. Logged, and everyone else taking part is told why. Reopening an open partnership is refused, so a
    second click does not log a second reopening."""
    check_speaks_for(user, partnership, by_actor, while_closed=True)
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if locked.closed_at is None:
        raise ValidationError(_("The partnership is not closed, so there is nothing to reopen."), code="not_closed")
    reason = reason.strip()
    if not reason:
        raise field_refusal("reason", _("Say why you reopen the partnership: the others are told."), code="empty")
    _check_reason_length("reason", reason)
    change = ClosingChange.objects.create(partnership=locked, closed=False, by_actor=by_actor, user=user, reason=reason)
    locked.closed_at = locked.closing_decision = None
    locked.save(update_fields=["closed_at", "closing_decision"])
    partnership.closed_at = partnership.closing_decision = None
    from .notify import notify_others

    notify_others(
        locked,
        kind=NotificationKind.DECISION,
        text=_("%(who)s has reopened “%(title)s”: members can add and change things in it again. Why: “%(reason)s”")
        % {"who": locked.who_acted(user, by_actor), "title": locked.title, "reason": reason},
        url=locked.get_absolute_url(),
        user=user,
        actor=by_actor,
    )
    return change


@transaction.atomic
def hand_over_facilitation(*, user: User, partnership: Partnership, by_actor: Actor, to_actor: Actor) -> None:
    """Any member passes the facilitator role to any member actor (itself included); the role rotates and is
    logged. It is procedural: it plans and moderates, and gives no extra say in decisions."""
    check_speaks_for(user, partnership, by_actor)
    if not partnership.is_member(to_actor):
        raise ValidationError(_("Only a member actor can hold the facilitator role."), code="not_member")
    Partnership.objects.select_for_update().get(pk=partnership.pk)
    holder = PartnershipMember.objects.filter(partnership=partnership, role=PartnershipMember.Role.FACILITATOR)
    if holder.filter(actor=to_actor).exists():  # a second click, or a choice of the one holding it
        raise ValidationError(
            _("%(name)s is the facilitator already.") % {"name": to_actor.name}, code="already_facilitator"
        )
    PartnershipMember.objects.filter(partnership=partnership).exclude(actor=to_actor).update(
        role=PartnershipMember.Role.MEMBER
    )
    PartnershipMember.objects.filter(partnership=partnership, actor=to_actor).update(
        role=PartnershipMember.Role.FACILITATOR
    )
    FacilitatorChange.objects.create(partnership=partnership, to_actor=to_actor, by_actor=by_actor, user=user)
    from .notify import notify_others

    notify_others(
        partnership,
        kind=NotificationKind.PROCESS,
        text=_("%(who)s gave the facilitator role in “%(title)s” to %(to)s.")
        % {"who": partnership.who_acted(user, by_actor), "title": partnership.title, "to": to_actor.name},
        url=partnership.get_absolute_url(),
        user=user,
        actor=by_actor,
    )
