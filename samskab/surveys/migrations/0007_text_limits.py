"""Limits on free text, checked before saving (`samskab.lib.models.refuse_overlong_text`). Text columns have no
length in the database, so only the state changes: no table is rebuilt."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('surveys', '0006_mixing_pool_and_tokens_per_person'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='answer',
                    name='text',
                    field=models.TextField(blank=True, max_length=2000),
                ),
                migrations.AlterField(
                    model_name='wave',
                    name='follow_up',
                    field=models.TextField(blank=True, max_length=3000, verbose_name='what we do with the results'),
                ),
            ],
        ),
    ]
