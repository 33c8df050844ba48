from typing import Any

from django.db import migrations


def drop_shared_points_in_involvement(apps: Any, schema_editor: Any) -> None:
    """Points an employee-involvement process held per actor before each person had their own: nobody could change
    them any more, yet they would count in every total, so they go. Co-creation keeps its points per actor."""
    priority = apps.get_model("partnerships", "AgendaPriority")
    priority.objects.filter(user__isnull=True, item__partnership__kind="employee_involvement").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0010_agenda_points_per_person"),
    ]

    operations = [migrations.RunPython(drop_shared_points_in_involvement, migrations.RunPython.noop)]
