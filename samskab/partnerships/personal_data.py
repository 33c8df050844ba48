"""A person's data in the partnerships: the download, and what deleting the account does to their work here.

Deleting the account takes the person's own citizen actor (`actors.personal_data.own_citizen_actors`, already
"Anonym borger" by now: the actors app answers `forget` first) out of every partnership through
`services.leave_partnership`, as if it had left: nobody is left to speak for it, so it must not stay a voice that
consents by silence, count in the fair shares, or be handed the facilitator role. So does an association, business
or municipal unit that nobody but the person is in (`actors.personal_data.organisations_left_empty`): it keeps its
name and its pledges, as the organisation itself has not gone, but nobody on Samskab speaks for it any more.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samskab.accounts.personal_data import Obstacle, check, collect, forget
from samskab.actors.models import Actor, Membership
from samskab.actors.personal_data import organisations_left_empty, own_citizen_actors

from . import my_page  # noqa: F401  (answers My page; loaded here as apps.ready loads this module)
from .models import (
    Action,
    AgendaItem,
    AgendaPriority,
    Challenge,
    ClosingChange,
    Decision,
    FacilitatorChange,
    JoinRequest,
    Lesson,
    Meeting,
    MemberDeparture,
    MinutesVersion,
    Partnership,
    PartnershipInvitation,
    PartnershipMember,
    PhaseChange,
    Pledge,
    PledgesOnLeaving,
    Proposal,
    ProposalComment,
    Response,
    VisibilityChange,
)
from .models.actions import ActionChange
from .services import leave_partnership
from .services.notify import notify_invitation_withdrawn


@receiver(collect)
def partnership_work_of(sender: type, user: Any, **kwargs: Any) -> tuple[str, Any]:
    return "partnerships", {
        "challenges_raised": list(
            Challenge.objects.filter(created_by=user).values("title", "description", "created_at")
        ),
        "partnerships_started": list(Partnership.objects.filter(created_by=user).values("title", "created_at")),
        "requests_to_take_part": list(
            JoinRequest.objects.filter(user=user).values(
                "partnership__title", "actor__name", "message", "created_at", "status", "responded_at", "reason"
            )
        ),
        "invitations_sent": list(
            PartnershipInvitation.objects.filter(invited_by=user).values(
                "partnership__title", "actor__name", "message", "created_at"
            )
        ),
        "invitations_answered": list(
            PartnershipInvitation.objects.filter(responded_by=user).values(
                "partnership__title", "status", "responded_at"
            )
        ),
        "agenda_items_raised": list(
            AgendaItem.objects.filter(raised_by_user=user).values(
                "partnership__title", "title", "description", "created_at"
            )
        ),
        "agenda_items_dealt_with": list(
            AgendaItem.objects.filter(status_changed_by_user=user)
            .order_by("pk")
            .values("partnership__title", "title", "status", "status_changed_at")
        ),
        # Only where points are a person's own (employee involvement); an actor's shared points are the actor's.
        "agenda_priorities": list(
            AgendaPriority.objects.filter(user=user)
            .order_by("pk")
            .values("item__partnership__title", "item__title", "points")
        ),
        "minutes_written": list(
            MinutesVersion.objects.filter(written_by_user=user)
            .order_by("pk")
            .values("meeting__partnership__title", "meeting__title", "number", "text", "created_at")
        ),
        # A meeting keeps who changed it last; who made an earlier change is only in the notifications sent then.
        "meetings_changed": list(
            Meeting.objects.filter(updated_by_user=user)
            .order_by("pk")
            .values("partnership__title", "title", "starts_at", "place", "updated_at")
        ),
        "meetings_cancelled": list(
            Meeting.objects.filter(cancelled_by_user=user)
            .order_by("pk")
            .values("partnership__title", "title", "starts_at", "cancel_reason", "cancelled_at")
        ),
        "actions_responsible_for": list(
            Action.objects.filter(responsible_people=user).order_by("pk").values("partnership__title", "title")
        ),
        "pledges": list(
            Pledge.objects.filter(user=user).values(
                "partnership__title", "kind", "description", "quantity", "unit", "created_at", "withdrawn_at"
            )
        ),
        "pledges_withdrawn": list(
            Pledge.objects.filter(withdrawn_by_user=user).values("partnership__title", "description", "withdrawn_at")
        ),
        "action_changes": list(
            ActionChange.objects.filter(user=user)
            .order_by("pk")
            .values("action__partnership__title", "action__title", "kind", "to_status", "edited", "changed_at")
        ),
        "facilitator_handovers": list(
            FacilitatorChange.objects.filter(user=user).values("partnership__title", "to_actor__name", "changed_at")
        ),
        "departures": list(
            MemberDeparture.objects.filter(user=user).values("partnership__title", "actor__name", "note", "left_at")
        ),
        "visibility_changes": list(
            VisibilityChange.objects.filter(user=user, decision__isnull=True).values(
                "partnership__title", "to_visibility", "changed_at"
            )
        ),
        "phase_changes": list(
            PhaseChange.objects.filter(user=user).values("partnership__title", "from_phase", "to_phase", "changed_at")
        ),
        "proposals": list(
            Proposal.objects.filter(proposed_by_user=user).values("partnership__title", "title", "created_at")
        ),
        "decision_corrections": list(
            Decision.objects.filter(initiated_by_user=user)
            .order_by("pk")
            .values("partnership__title", "corrects__text", "text", "decided_at")
        ),
        "responses": list(
            Response.objects.filter(user=user).values("version__proposal__title", "kind", "reason", "responded_at")
        ),
        "proposal_comments": list(
            ProposalComment.objects.filter(user=user).values(
                "proposal__partnership__title",
                "proposal__title",
                "version__number",
                "actor__name",
                "text",
                "created_at",
            )
        ),
        # Lessons learned stay when the account goes (`Lesson.user` is SET_NULL), as comments do.
        "lessons": list(
            Lesson.objects.filter(user=user)
            .order_by("pk")
            .values("partnership__title", "actor__name", "kind", "text", "created_at", "withdrawn_at")
        ),
        "lessons_withdrawn": list(
            Lesson.objects.filter(withdrawn_by_user=user)
            .order_by("pk")
            .values("partnership__title", "actor__name", "text", "withdrawn_at")
        ),
        "reopenings": list(
            ClosingChange.objects.filter(user=user, closed=False)
            .order_by("pk")
            .values("partnership__title", "by_actor__name", "reason", "changed_at")
        ),
    }


# --- Deleting the account ---------------------------------------------------------------------------------------


def _next_member(membership: PartnershipMember) -> PartnershipMember | None:
    """The member that would take over the facilitator role, as `leave_partnership` picks it: the one that joined
    first. None: `membership` is the partnership's last member."""
    others = PartnershipMember.objects.filter(partnership_id=membership.partnership_id).exclude(pk=membership.pk)
    return others.select_related("actor").order_by("joined_at").first()


@receiver(check)
def partnership_work_left_behind(sender: type, user: Any, **kwargs: Any) -> list[Obstacle]:
    """What the deletion page tells the person about their partnerships and challenges. Nothing here refuses the
    deletion: a person may always leave Samskab."""
    found: list[Obstacle] = []
    for actor, pledges in _actors_left_without_people(user):
        citizen = pledges == PledgesOnLeaving.WITHDRAW
        memberships = PartnershipMember.objects.filter(actor=actor).select_related("partnership")
        for membership in memberships.order_by("partnership__title", "pk"):
            partnership = membership.partnership
            names = {"actor": actor.name, "title": partnership.title}
            successor = _next_member(membership)
            if successor is None and citizen:
                text = (
                    _(
                        "%(actor)s is the only member of “%(title)s”. The partnership stays as it is, with an "
                        "anonymous citizen as its only member, but nobody can carry it on: invitations not yet "
                        "answered are withdrawn and its conversations close. Invite another actor first if it should "
                        "live on."
                    )
                    % names
                )
            elif successor is None:
                text = (
                    _(
                        "%(actor)s is the only member of “%(title)s”, and you are the only one who acts for it. The "
                        "partnership stays as it is, but nobody can carry it on: invitations not yet answered are "
                        "withdrawn and its conversations close. Invite someone to take over %(actor)s first if it "
                        "should live on."
                    )
                    % names
                )
            elif citizen:
                text = (
                    _(
                        "%(actor)s leaves “%(title)s”. The other members are told that a member left because its "
                        "account was deleted, without your name, and its pledges there are withdrawn."
                    )
                    % names
                )
            else:
                text = (
                    _(
                        "%(actor)s leaves “%(title)s”, as nobody else acts for it: it would otherwise count as "
                        "consenting to every proposal. The other members are told why, without your name; its "
                        "pledges there stand, so they can still ask %(actor)s. Invite someone to take over %(actor)s "
                        "first if it should stay a member."
                    )
                    % names
                )
            if successor is not None and membership.role == PartnershipMember.Role.FACILITATOR:
                text += " " + _("%(successor)s takes over as facilitator.") % {"successor": successor.actor.name}
            owned = [a.title for a in partnership.actions.still_open().filter(owners=actor)]
            if successor is not None and owned:
                text += " " + _(
                    "The others are told that it was responsible for %(actions)s, to give to another member."
                ) % {"actions": ", ".join(f"“{title}”" for title in owned)}
            found.append(
                Obstacle(text, url=partnership.get_absolute_url(), blocks=False, link=_("Go to the partnership"))
            )
    found += [
        Obstacle(
            _(
                "Once your account is gone, nobody can change or close your challenge “%(title)s”; it stays "
                "readable. Close it first if it is done."
            )
            % {"title": challenge.title},
            url=challenge.get_absolute_url(),
            blocks=False,
            link=_("Go to the challenge"),
        )
        for challenge in _challenges_left_alone(user)
    ]
    return found


def _challenges_left_alone(user: Any) -> list[Challenge]:
    """The open challenges raised by actors nobody but the person acts for: only their people change or close a
    challenge (`Challenge.may_edit`), so after the deletion nobody could."""
    others = Membership.objects.filter(role__in=Membership.ACTING).exclude(user=user).values("actor_id")
    alone = Actor.objects.of_user(user).exclude(pk__in=others).values("pk")
    raised = Challenge.objects.filter(raised_by__in=alone).exclude(status=Challenge.Status.CLOSED)
    return list(raised.order_by("title", "pk"))


def _actors_left_without_people(user: Any) -> list[tuple[Actor, PledgesOnLeaving]]:
    """The actors nobody is left to act for once the account goes, each with what becomes of its pledges when it
    leaves a partnership (`PledgesOnLeaving`): the person's own citizen actor withdraws them, as it can no longer
    deliver them; an organisation keeps them, as it has not gone, only its last person on Samskab."""
    return [(actor, PledgesOnLeaving.WITHDRAW) for actor in own_citizen_actors(user)] + [
        (actor, PledgesOnLeaving.KEEP) for actor in organisations_left_empty(user)
    ]


@receiver(forget)
def actors_left_without_people_leave_partnerships(sender: type, user: Any, **kwargs: Any) -> None:
    """The person's own citizen actor leaves every partnership as `leave_partnership` has any actor leave: the
    departure is logged, the facilitator role passes on, its standing pledges are withdrawn (it can no longer
    deliver them), and the others are told a member left because its account was deleted; the actor is named only
    as "Anonym borger". Invitations to it that nobody can now answer are withdrawn. An organisation nobody else acts
    for leaves in the same way, under its own name and keeping its pledges, the others told why.

    A partnership it is the last member of cannot be left empty (`leave_partnership` refuses it): it stays as it
    is, a record with the anonymous citizen as its only member, and nobody can carry it on. Its pledges are
    withdrawn all the same, and its invitations not yet answered too, so that nobody joins a partnership that
    nobody runs; the opinion maps' receiver closes its conversations."""
    with translation.override(settings.LANGUAGE_CODE):  # the record is in the partnership's language
        notes = {
            PledgesOnLeaving.WITHDRAW: _("Its account was deleted."),
            PledgesOnLeaving.KEEP: _(
                "Nobody is left on Samskab to act for it: the last person in it deleted their account."
            ),
        }
    for actor, pledges in _actors_left_without_people(user):
        memberships = PartnershipMember.objects.filter(actor=actor).select_related("partnership").order_by("pk")
        for membership in memberships:
            partnership = membership.partnership
            try:
                leave_partnership(  # a closed partnership too: nobody is left to speak for the actor
                    user=user,
                    partnership=partnership,
                    actor=actor,
                    note=notes[pledges],
                    pledges=pledges,
                    while_closed=True,
                )
            except ValidationError as refusal:
                if refusal.code != "last_member":
                    raise
                _left_alone(partnership=partnership, actor=actor, user=user)
        now = timezone.now()
        PartnershipInvitation.objects.pending().filter(actor=actor).update(
            status=PartnershipInvitation.Status.WITHDRAWN, responded_at=now
        )
        JoinRequest.objects.filter(actor=actor, status=JoinRequest.Status.PENDING).update(
            status=JoinRequest.Status.WITHDRAWN, responded_at=now
        )


def _left_alone(*, partnership: Partnership, actor: Actor, user: Any) -> None:
    """The partnership whose last member is the anonymised citizen: its pledges are withdrawn, and the invitations
    it sent that wait for an answer are withdrawn in its name, the invited actors told."""
    now = timezone.now()
    Pledge.objects.standing().filter(partnership=partnership, actor=actor).update(
        withdrawn_at=now, withdrawn_by_user=user
    )
    waiting = PartnershipInvitation.objects.pending().select_for_update().filter(partnership=partnership)
    for invitation in waiting.order_by("pk"):
        invitation.status = PartnershipInvitation.Status.WITHDRAWN
        invitation.responded_at, invitation.responded_by, invitation.withdrawn_by_actor = now, user, actor
        invitation.save(update_fields=["status", "responded_at", "responded_by", "withdrawn_by_actor"])
        notify_invitation_withdrawn(invitation)
