from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from samskab.actors.imports import expire_stale_reads


class Command(BaseCommand):
    help = (
        "Discard register files that have waited more than a day to be read (no task worker ran), so that an import "
        "never stays at “reading the file” for good. Run once an hour from cron or a systemd timer."
    )

    def handle(self, *args: object, **options: object) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            expired = expire_stale_reads()
        self.stdout.write(f"{expired} unread register files discarded")
