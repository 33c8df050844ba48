from typing import Any

from django.db import migrations


def close_links_into_staff_processes(apps: Any, schema_editor: Any) -> None:
    """A conversation in an employee-involvement process is for its colleagues: one opened before the rule with a
    link for people without an account keeps its votes, but the link stops letting strangers in."""
    conversation = apps.get_model("opinions", "Conversation")
    conversation.objects.filter(partnership__kind="employee_involvement", allow_anonymous=True).update(
        allow_anonymous=False
    )


class Migration(migrations.Migration):
    dependencies = [
        ("opinions", "0009_adopted_statements"),
        ("partnerships", "0013_agenda_status_changed_by_person"),
    ]

    operations = [migrations.RunPython(close_links_into_staff_processes, migrations.RunPython.noop)]
