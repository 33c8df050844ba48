from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0015_meetings_and_minutes")]

    operations: list[migrations.operations.base.Operation] = []
