"""A participant's sector may be unknown: Polis records none, so those imported from it belong to no sector
rather than to the citizens, as they were first recorded."""

from django.db import migrations, models


def unknown_for_imported(apps, schema_editor):  # type: ignore[no-untyped-def]
    Participant = apps.get_model("opinions", "Participant")
    imported = Participant.objects.exclude(external_id="").filter(conversation__imported_from__gt="")
    conversations = set(imported.values_list("conversation_id", flat=True))
    imported.update(sector="")
    # Their maps counted everybody as a citizen. Marked as kept in another form, they are shown without their
    # sector figures and computed again when next asked for (`presentation.is_stale`).
    Snapshot = apps.get_model("opinions", "OpinionMapSnapshot")
    for snapshot in Snapshot.objects.filter(conversation_id__in=conversations).iterator(chunk_size=10):
        snapshot.result = snapshot.result | {"form": None}
        snapshot.save(update_fields=["result"])


class Migration(migrations.Migration):
    dependencies = [("opinions", "0006_renormalise_statements")]

    operations = [
        migrations.AlterField(
            model_name="participant",
            name="sector",
            field=models.CharField(
                blank=True,
                choices=[
                    ("municipality", "Municipality"),
                    ("association", "Association"),
                    ("citizen", "Citizen"),
                    ("business", "Business"),
                ],
                max_length=20,
                verbose_name="sector",
            ),
        ),
        migrations.RunPython(unknown_for_imported, migrations.RunPython.noop),
    ]
