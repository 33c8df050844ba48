from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0014_action_history")]

    operations: list[migrations.operations.base.Operation] = []
