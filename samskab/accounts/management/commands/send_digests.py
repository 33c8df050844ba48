from django.core.management.base import BaseCommand

from samskab.accounts.notifications import send_digests


class Command(BaseCommand):
    help = "Send the daily notification digests (run once a day from cron or a systemd timer)."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(f"{send_digests()} digests sent")
