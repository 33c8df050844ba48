from typing import Any

from django.dispatch import receiver

from samskab.accounts.personal_data import collect

from .models import (
    Action,
    AgendaItem,
    AgendaPriority,
    Challenge,
    Decision,
    FacilitatorChange,
    Meeting,
    MemberDeparture,
    MinutesVersion,
    Partnership,
    PartnershipInvitation,
    PhaseChange,
    Pledge,
    Proposal,
    ProposalComment,
    Response,
    VisibilityChange,
)
from .models.actions import ActionChange


@receiver(collect)
def partnership_work_of(sender: type, user: Any, **kwargs: Any) -> tuple[str, Any]:
    return "partnerships", {
        "challenges_raised": list(
            Challenge.objects.filter(created_by=user).values("title", "description", "created_at")
        ),
        "partnerships_started": list(Partnership.objects.filter(created_by=user).values("title", "created_at")),
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
    }
