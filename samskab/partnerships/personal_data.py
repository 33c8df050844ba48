from typing import Any

from django.dispatch import receiver

from samskab.accounts.personal_data import collect

from .models import Challenge, PhaseChange, Proposal, Response


@receiver(collect)
def partnership_work_of(sender: type, user: Any, **kwargs: Any) -> tuple[str, Any]:
    return "partnerships", {
        "challenges_raised": list(
            Challenge.objects.filter(created_by=user).values("title", "description", "created_at")
        ),
        "phase_changes": list(
            PhaseChange.objects.filter(user=user).values("partnership__title", "from_phase", "to_phase", "changed_at")
        ),
        "proposals": list(
            Proposal.objects.filter(proposed_by_user=user).values("partnership__title", "title", "created_at")
        ),
        "responses": list(
            Response.objects.filter(user=user).values("version__proposal__title", "kind", "reason", "responded_at")
        ),
    }
