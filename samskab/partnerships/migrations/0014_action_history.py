from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0013_agenda_status_changed_by_person")]

    operations: list[migrations.operations.base.Operation] = []
