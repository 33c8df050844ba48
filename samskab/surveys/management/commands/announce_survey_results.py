from django.core.management.base import BaseCommand

from samskab.surveys import services


class Command(BaseCommand):
    help = (
        "Mix the last pooled answers of each round that has closed into its responses, written once more in random "
        "order, and tell the people of each partnership that a round of its survey has closed, with its results or "
        "why they are withheld; once per round. Run every few minutes from cron or a systemd timer (the survey's "
        "pages also settle their own survey)."
    )

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(f"{services.mix_closed_rounds()} survey rounds mixed")
        self.stdout.write(f"{services.announce_results()} survey rounds announced")
