import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def keep_existing_minutes(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Minutes written before versions were kept become each meeting's first version."""
    Meeting = apps.get_model("partnerships", "Meeting")
    MinutesVersion = apps.get_model("partnerships", "MinutesVersion")
    MinutesVersion.objects.bulk_create(
        MinutesVersion(
            meeting=meeting,
            number=1,
            text=meeting.minutes,
            written_by_id=meeting.minutes_updated_by_id,
            created_at=meeting.minutes_updated_at or meeting.created_at,
        )
        for meeting in Meeting.objects.exclude(minutes="")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0014_action_history"),
        ("actors", "0019_membership_colleague"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="updated_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="meeting",
            name="updated_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="actors.actor",
            ),
        ),
        migrations.AddField(
            model_name="meeting",
            name="sequence",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="meeting",
            name="cancelled_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="meeting",
            name="cancelled_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="actors.actor",
            ),
        ),
        migrations.AddField(
            model_name="meeting",
            name="cancel_reason",
            field=models.TextField(blank=True, verbose_name="reason for cancelling"),
        ),
        migrations.CreateModel(
            name="MinutesVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveIntegerField()),
                ("text", models.TextField(verbose_name="minutes")),
                ("created_at", models.DateTimeField()),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="minutes_versions",
                        to="partnerships.meeting",
                    ),
                ),
                (
                    "written_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="actors.actor",
                    ),
                ),
                (
                    "written_by_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-number"],
                "constraints": [
                    models.UniqueConstraint(fields=("meeting", "number"), name="one_minutes_version_per_number")
                ],
            },
        ),
        migrations.RunPython(keep_existing_minutes, migrations.RunPython.noop),
    ]
