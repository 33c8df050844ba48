"""Limits on free text, checked before saving (`samskab.lib.models.refuse_overlong_text`). Text columns have no
length in the database, so only the state changes: no table is rebuilt."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0019_learning_and_closing'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='action',
                    name='description',
                    field=models.TextField(blank=True, max_length=5000, verbose_name='description'),
                ),
                migrations.AlterField(
                    model_name='agendaitem',
                    name='description',
                    field=models.TextField(blank=True, max_length=5000, verbose_name='description'),
                ),
                migrations.AlterField(
                    model_name='challenge',
                    name='affected',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='who does it affect?'),
                ),
                migrations.AlterField(
                    model_name='challenge',
                    name='closing_note',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='closing note'),
                ),
                migrations.AlterField(
                    model_name='challenge',
                    name='description',
                    field=models.TextField(max_length=5000, verbose_name='what do you see?'),
                ),
                migrations.AlterField(
                    model_name='closingchange',
                    name='reason',
                    field=models.TextField(blank=True, max_length=1000, verbose_name='why'),
                ),
                migrations.AlterField(
                    model_name='decision',
                    name='text',
                    field=models.TextField(max_length=20000, verbose_name='decision'),
                ),
                migrations.AlterField(
                    model_name='groundrules',
                    name='text',
                    field=models.TextField(max_length=10000, verbose_name='ground rules'),
                ),
                migrations.AlterField(
                    model_name='lesson',
                    name='text',
                    field=models.TextField(max_length=1000, verbose_name='lesson'),
                ),
                migrations.AlterField(
                    model_name='meeting',
                    name='cancel_reason',
                    field=models.TextField(blank=True, max_length=1000, verbose_name='reason for cancelling'),
                ),
                migrations.AlterField(
                    model_name='meeting',
                    name='minutes',
                    field=models.TextField(blank=True, max_length=100000, verbose_name='minutes'),
                ),
                migrations.AlterField(
                    model_name='minutesversion',
                    name='text',
                    field=models.TextField(max_length=100000, verbose_name='minutes'),
                ),
                migrations.AlterField(
                    model_name='partnership',
                    name='purpose',
                    field=models.TextField(blank=True, max_length=5000, verbose_name='purpose'),
                ),
                migrations.AlterField(
                    model_name='partnership',
                    name='room_for_change',
                    field=models.TextField(blank=True, help_text="For employee involvement: what is decided already, and what the staff may shape. For example: the reform's goals are fixed; how the lessons are organised is ours to decide.", max_length=5000, verbose_name='room for change'),
                ),
                migrations.AlterField(
                    model_name='partnershipinvitation',
                    name='message',
                    field=models.TextField(blank=True, max_length=2000, verbose_name='message'),
                ),
                migrations.AlterField(
                    model_name='proposalcomment',
                    name='text',
                    field=models.TextField(max_length=2000, verbose_name='comment'),
                ),
                migrations.AlterField(
                    model_name='proposalversion',
                    name='text',
                    field=models.TextField(max_length=10000, verbose_name='proposal'),
                ),
                migrations.AlterField(
                    model_name='response',
                    name='reason',
                    field=models.TextField(blank=True, max_length=5000, verbose_name='reason'),
                ),
            ],
        ),
    ]
