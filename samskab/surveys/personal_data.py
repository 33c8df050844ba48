from typing import Any

from django.dispatch import receiver

from samskab.accounts.personal_data import collect

from .models import Participation, Survey, Wave


@receiver(collect)
def surveys_of(sender: type, user: Any, **kwargs: Any) -> tuple[str, Any]:
    """Which survey rounds the person was invited to and whether they answered. The answers themselves are
    anonymous by design: nothing links them to the person, so they cannot be part of the download."""
    rows = Participation.objects.filter(user=user).select_related("wave__survey")
    return "surveys", {
        "rounds": [{"survey": p.wave.survey.title, "round": str(p.wave), "answered": p.answered} for p in rows],
        "surveys_started": list(Survey.objects.filter(created_by=user).values("title", "created_at")),
        "results_answered": list(
            Wave.objects.filter(follow_up_by=user).values("survey__title", "opens_at", "follow_up", "follow_up_at")
        ),
    }
