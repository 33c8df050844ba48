"""`manage.py opinion_groups PATH`: the opinion groups of a Polis openData folder, as CSV on stdout.

Reads comments.csv, participants-votes.csv and (when present) votes.csv, runs the opinion-map engine and
prints `participant,group` for every participant placed in a group, after one header line. Nothing else
goes to stdout, so the output can be piped; a summary goes to stderr. Touches no database.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samskab.opinions import mapping, polis_io


class Command(BaseCommand):
    help = "Print participant,group for the opinion groups of a Polis openData folder (no database)."
    requires_system_checks: list[str] = []  # settings are needed, checks (which may query) are not
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="folder with comments.csv, participants-votes.csv and votes.csv")
        parser.add_argument("--seed", type=int, default=0, help="seed of the group k-means restarts")
        parser.add_argument(
            "--keep-moderated",
            action="store_true",
            help="keep moderated-out statements in the map instead of zeroing them as Polis does",
        )

    def handle(self, *args: Any, path: str, seed: int, keep_moderated: bool, **options: Any) -> None:
        try:
            conversation = polis_io.read_opendata(path)
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        except polis_io.PolisDataError as error:
            lines = [f"{error.path}: line {line}: {message}" for line, message in error.problems]
            raise CommandError("invalid openData folder:\n" + "\n".join(lines)) from error
        result = mapping.compute_opinion_map(
            conversation.vote_matrix(),
            statements=conversation.statement_ids,
            moderated_out=() if keep_moderated else conversation.moderated_out,
            seed=seed,
        )
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["participant", "group"])
        for participant in result.participants:
            group = result.participant_group.get(participant)
            if group is not None:
                writer.writerow([participant, group])
        self.stdout.write(buffer.getvalue(), ending="")
        sizes = ", ".join(f"group {g.id}: {len(g.members)}" for g in result.groups) or "no groups"
        self.stderr.write(
            f"{result.n_participants} participants, {result.n_participants_in} in the conversation, "
            f"{result.n_votes} votes; {sizes}"
        )
