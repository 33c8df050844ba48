import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def withdraw_second_pledges(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Before a registered resource may stand pledged only once to a partnership: of the pledges that count it
    twice, the first stands and the later ones are withdrawn (by nobody in particular, now)."""
    Pledge = apps.get_model("partnerships", "Pledge")
    standing: set[tuple[int, int, int]] = set()
    later = []
    pledges = Pledge.objects.filter(resource__isnull=False).order_by("pk")
    for pk, partnership, actor, resource in pledges.values_list("pk", "partnership_id", "actor_id", "resource_id"):
        if (partnership, actor, resource) in standing:
            later.append(pk)
        standing.add((partnership, actor, resource))
    Pledge.objects.filter(pk__in=later).update(withdrawn_at=django.utils.timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0019_membership_colleague"),
        ("partnerships", "0013_agenda_status_changed_by_person"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ActionChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("status", "Status changed"), ("edit", "Edited")], max_length=10)),
                (
                    "from_status",
                    models.CharField(
                        blank=True,
                        choices=[("planned", "Planned"), ("underway", "Underway"), ("done", "Done")],
                        max_length=10,
                    ),
                ),
                (
                    "to_status",
                    models.CharField(
                        blank=True,
                        choices=[("planned", "Planned"), ("underway", "Underway"), ("done", "Done")],
                        max_length=10,
                    ),
                ),
                ("edited", models.CharField(blank=True, max_length=200)),
                ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "action",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="changes", to="partnerships.action"
                    ),
                ),
                (
                    "actor",
                    models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="actors.actor"),
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
            options={
                "ordering": ["-changed_at", "-pk"],
            },
        ),
        migrations.AddField(
            model_name="action",
            name="updated_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="pledge",
            name="updated_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="pledge",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="pledge",
            name="withdrawn_by_user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(withdraw_second_pledges, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="pledge",
            constraint=models.UniqueConstraint(
                condition=models.Q(("resource__isnull", False), ("withdrawn_at__isnull", True)),
                fields=("partnership", "actor", "resource"),
                name="one_standing_pledge_per_resource",
            ),
        ),
    ]
