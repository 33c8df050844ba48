"""Limits on free text, checked before saving (`samskab.lib.models.refuse_overlong_text`). Text columns have no
length in the database, so only the state changes: no table is rebuilt."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('actors', '0021_need_kind_index'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='actor',
                    name='description',
                    field=models.TextField(blank=True, max_length=5000, verbose_name='description'),
                ),
                migrations.AlterField(
                    model_name='resource',
                    name='description',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='description'),
                ),
            ],
        ),
    ]
