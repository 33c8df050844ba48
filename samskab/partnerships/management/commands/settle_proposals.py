from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from samskab.partnerships import services


class Command(BaseCommand):
    help = (
        "Settle proposals whose deadline has passed and remind members of deadlines within 24 hours. "
        "Run every few minutes from cron or a systemd timer (pages also settle what they show)."
    )

    def handle(self, *args: object, **options: object) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            settled = services.settle_due_proposals()
            reminded = services.remind_deadlines()
        self.stdout.write(f"{settled} proposals settled, {reminded} deadline reminders sent")
