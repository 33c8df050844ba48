"""Citizen actors left nameless by accounts deleted before `anonymised_at` existed get it now, so they leave the
directory like those anonymised since."""

from django.db import migrations
from django.utils import timezone


def mark(apps, schema_editor):  # type: ignore[no-untyped-def]
    Actor = apps.get_model("actors", "Actor")
    Actor.objects.filter(
        sector="citizen", name="Anonym borger", memberships__isnull=True, anonymised_at__isnull=True
    ).update(anonymised_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("actors", "0011_actor_anonymised_at")]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
