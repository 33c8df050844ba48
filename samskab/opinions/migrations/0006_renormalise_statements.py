"""Statements' `normalised` text as `services.normalise` now writes it: thousands written with a point or a space
are one number ("1.000" is "1000"), so near-duplicates compare numbers as they are meant."""

import re

from django.db import migrations


def normalise(text: str) -> str:  # services.normalise as of this migration
    text = re.sub(r"(?<=\d)[. ](?=\d{3}(?!\d))", "", text.lower())
    text = re.sub(r"[^\w\s]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def renormalise(apps, schema_editor):  # type: ignore[no-untyped-def]
    Statement = apps.get_model("opinions", "Statement")
    changed = []
    for statement in Statement.objects.only("pk", "text", "normalised").iterator(chunk_size=2000):
        if (new := normalise(statement.text)) != statement.normalised:
            statement.normalised = new
            changed.append(statement)
    Statement.objects.bulk_update(changed, ["normalised"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("opinions", "0005_statement_reports")]

    operations = [migrations.RunPython(renormalise, migrations.RunPython.noop)]
