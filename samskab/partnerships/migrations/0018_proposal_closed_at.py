from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def close_decided_proposals(apps, schema_editor):
    """A passed proposal closed at its decision, one that failed at its deadline; a withdrawal's moment is unknown."""
    Proposal = apps.get_model("partnerships", "Proposal")
    Decision = apps.get_model("partnerships", "Decision")
    decided = Decision.objects.filter(proposal=OuterRef("pk")).order_by("decided_at").values("decided_at")[:1]
    Proposal.objects.filter(status="passed").update(closed_at=Subquery(decided))
    Proposal.objects.filter(status="not_passed").update(closed_at=models.F("deadline"))


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0017_person_in_corrections_and_meeting_changes"),
    ]

    operations = [
        migrations.AddField(
            model_name="proposal",
            name="closed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(close_decided_proposals, migrations.RunPython.noop),
    ]
