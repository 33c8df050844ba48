"""A map is published only when enough people have voted since the one before it (`services.compute_map`). Each
conversation's latest map, shown until now, is marked published, so no results disappear on upgrade; one computed
from fewer people than the results need at all was never to be shown, and the first map computed from enough is
published instead."""

from typing import Any

from django.conf import settings
from django.db import migrations, models
from django.db.models import F

CO_CREATION_FLOOR = 3  # presentation.RESULTS_MIN_VOTERS
STAFF_FLOOR = 5  # surveys.scoring.MIN_THRESHOLD, or the site's higher SURVEY_MIN_RESPONDENTS


def publish_the_latest(apps: Any, schema_editor: Any) -> None:
    snapshot = apps.get_model("opinions", "OpinionMapSnapshot")
    among_colleagues = max(CO_CREATION_FLOOR, STAFF_FLOOR, int(getattr(settings, "SURVEY_MIN_RESPONDENTS", 0)))
    latest: dict[int, tuple[int, int, bool]] = {}
    rows = snapshot.objects.order_by("conversation_id", "-computed_at").values_list(
        "pk", "conversation_id", "n_participants", "conversation__partnership__kind"
    )
    for pk, conversation_id, n_participants, kind in rows.iterator():
        if conversation_id not in latest:
            latest[conversation_id] = (pk, n_participants, kind == "employee_involvement")
    shown = [
        pk
        for pk, n_participants, staff in latest.values()
        if n_participants >= (among_colleagues if staff else CO_CREATION_FLOOR)
    ]
    # Computed from the votes as they were when it was computed: those cast later count as new.
    snapshot.objects.filter(pk__in=shown).update(published=True, votes_until=F("computed_at"))


class Migration(migrations.Migration):
    dependencies = [("opinions", "0010_staff_conversations_without_link")]

    operations = [
        migrations.AddField(
            model_name="opinionmapsnapshot",
            name="published",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="opinionmapsnapshot",
            name="voters_since",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="opinionmapsnapshot",
            name="votes_digest",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="opinionmapsnapshot",
            name="votes_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(publish_the_latest, migrations.RunPython.noop),
    ]
