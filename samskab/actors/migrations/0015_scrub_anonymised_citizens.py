"""Citizens anonymised before their register id, neighbourhood, themes, resources and needs were cleared with
the rest (samskab.actors.personal_data.anonymise_own_citizen_actor) lose them now."""

from django.db import migrations


def scrub(apps, schema_editor):  # type: ignore[no-untyped-def]
    Actor = apps.get_model("actors", "Actor")
    Resource = apps.get_model("actors", "Resource")
    Need = apps.get_model("actors", "Need")
    anonymised = Actor.objects.filter(anonymised_at__isnull=False)
    Resource.objects.filter(actor__in=anonymised).delete()
    Need.objects.filter(actor__in=anonymised).delete()
    Actor.themes.through.objects.filter(actor__in=anonymised).delete()
    anonymised.update(external_id="", neighbourhood="")


class Migration(migrations.Migration):
    dependencies = [("actors", "0014_public_fields_validated")]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
