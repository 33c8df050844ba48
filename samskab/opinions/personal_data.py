from typing import Any

from django.dispatch import receiver

from samskab.accounts.personal_data import collect

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
