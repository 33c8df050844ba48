"""Load the 98 municipalities and the theme taxonomy from actors/data/. Re-running updates, never duplicates."""

from django.db import migrations

from samskab.actors.reference import load_reference_data


def load(apps, schema_editor):
    load_reference_data(apps.get_model("actors", "Municipality"), apps.get_model("actors", "Theme"))


class Migration(migrations.Migration):
    dependencies = [("actors", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
