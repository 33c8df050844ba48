from typing import Any

from django.dispatch import receiver

from samskab.accounts.personal_data import collect

from .models import Participant, Statement, StatementReport, Vote


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
