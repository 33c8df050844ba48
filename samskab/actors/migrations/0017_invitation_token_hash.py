"""An invitation to join an actor keeps only the SHA-256 of its link's token; the links already sent keep working."""

import hashlib

from django.db import migrations, models


def hash_tokens(apps, schema_editor):  # type: ignore[no-untyped-def]
    ActorInvitation = apps.get_model("actors", "ActorInvitation")
    for invitation in ActorInvitation.objects.only("pk", "token").iterator(chunk_size=1000):
        invitation.token_hash = hashlib.sha256(invitation.token.encode()).hexdigest()
        invitation.save(update_fields=["token_hash"])


class Migration(migrations.Migration):
    dependencies = [("actors", "0016_invitation_outlives_its_sender")]

    operations = [
        migrations.AddField(
            model_name="actorinvitation",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(hash_tokens, migrations.RunPython.noop),
        migrations.RemoveField(model_name="actorinvitation", name="token"),
        migrations.AlterField(
            model_name="actorinvitation",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
