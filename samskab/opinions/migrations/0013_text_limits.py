"""Limits on free text, checked before saving (`samskab.lib.models.refuse_overlong_text`). Text columns have no
length in the database, so only the state changes: no table is rebuilt."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('opinions', '0012_question_changed'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='conversation',
                    name='description',
                    field=models.TextField(blank=True, max_length=5000, verbose_name='introduction'),
                ),
                migrations.AlterField(
                    model_name='problemdefinition',
                    name='adopted_text',
                    field=models.TextField(blank=True, max_length=5000),
                ),
                migrations.AlterField(
                    model_name='problemdefinition',
                    name='text',
                    field=models.TextField(blank=True, max_length=5000, verbose_name='problem definition'),
                ),
            ],
        ),
    ]
