import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0019_membership_colleague"),
        ("partnerships", "0015_meetings_and_minutes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="partnershipinvitation",
            name="withdrawn_by_actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="actors.actor",
            ),
        ),
        migrations.AlterField(
            model_name="partnershipinvitation",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Awaiting an answer"),
                    ("accepted", "Accepted"),
                    ("declined", "Declined"),
                    ("withdrawn", "Withdrawn"),
                ],
                default="pending",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="proposal",
            name="kind",
            field=models.CharField(
                choices=[
                    ("general", "Proposal"),
                    ("problem_definition", "Adopt the joint problem definition"),
                    ("ground_rules", "Change the ground rules"),
                    ("make_public", "Make the partnership public"),
                ],
                default="general",
                max_length=20,
            ),
        ),
        migrations.CreateModel(
            name="MemberDeparture",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("joined_at", models.DateTimeField()),
                ("left_at", models.DateTimeField(auto_now_add=True)),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="why (optional)")),
                (
                    "actor",
                    models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="actors.actor"),
                ),
                (
                    "partnership",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="departures",
                        to="partnerships.partnership",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"ordering": ["-left_at", "-pk"]},
        ),
        migrations.CreateModel(
            name="VisibilityChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "to_visibility",
                    models.CharField(
                        choices=[("public", "Public: anyone can read along"), ("members", "Members only")],
                        max_length=10,
                    ),
                ),
                ("changed_at", models.DateTimeField(auto_now_add=True)),
                (
                    "by_actor",
                    models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="actors.actor"),
                ),
                (
                    "decision",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="visibility_changes",
                        to="partnerships.decision",
                    ),
                ),
                (
                    "partnership",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="visibility_changes",
                        to="partnerships.partnership",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"ordering": ["-changed_at", "-pk"]},
        ),
    ]
