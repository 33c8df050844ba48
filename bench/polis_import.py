"""Importing a Polis conversation: how long the largest import a page accepts takes, and what an oversized
file costs before it is refused.

    DATABASE_URL=sqlite:////tmp/bench-import.sqlite3 .venv/bin/python bench/polis_import.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samskab_bench .venv/bin/python bench/polis_import.py

Writes two openData folders to a temporary directory:
- the largest import allowed: 1,000 participants × 500 statements, every cell voted (500,000 votes, 1.2 MB);
- a dense participants-votes.csv just under the 5 MB upload limit (2,000 × 1,000, two million votes).
Runs `exchange.import_files` (what the import page calls) on each and prints the time, and the process's peak
memory after each step. The map recomputation is queued, not run. The first step loads the demo if the
database has no users, to have a member to import as.
"""

import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.dummy.DummyBackend")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

COMMENTS_HEADER = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
PARTICIPANTS_HEADER = "participant,group-id,n-comments,n-votes,n-agree,n-disagree,"


def write_folder(folder: Path, participants: int, statements: int) -> None:
    rng = random.Random(1)
    folder.mkdir()
    with (folder / "comments.csv").open("w") as comments:
        comments.write(COMMENTS_HEADER)
        for s in range(statements):
            comments.write(f"1400000000000,x,{s},{s % participants},0,0,1,Udsagn nummer {s}\n")
    with (folder / "participants-votes.csv").open("w") as votes:
        votes.write(PARTICIPANTS_HEADER + ",".join(map(str, range(statements))) + "\n")
        for p in range(participants):
            cells = ",".join(rng.choice(("1", "-1", "0")) for _ in range(statements))
            votes.write(f"{p},,0,{statements},0,0,{cells}\n")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    from samskab.actors.models import Membership
    from samskab.opinions import exchange
    from samskab.opinions.models import Conversation

    call_command("migrate", verbosity=0)
    membership = Membership.objects.select_related("user", "actor").first()
    if membership is None:
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        membership = Membership.objects.select_related("user", "actor").get(user__email="mette@egeaa.demo")
    print(f"database: {connection.vendor}; peak memory before: {peak_mb():.0f} MB")
    with tempfile.TemporaryDirectory() as tmp:
        for name, participants, statements in (("largest", 1_000, 500), ("dense", 2_000, 1_000)):
            folder = Path(tmp) / name
            write_folder(folder, participants, statements)
            size = (folder / "participants-votes.csv").stat().st_size / 1e6
            with (
                (folder / "comments.csv").open("rb") as comments,
                (folder / "participants-votes.csv").open("rb") as votes,
            ):
                started = time.perf_counter()
                try:
                    conversation = exchange.import_files(
                        user=membership.user,
                        actor=membership.actor,
                        partnership=None,
                        question=f"Benchmark: import {name}",
                        files={"comments": comments, "participants_votes": votes, "votes": None},
                    )
                except exchange.ImportProblems as refused:
                    outcome = f"refused ({refused.problems[0][0]})"
                else:
                    outcome = f"imported {conversation.statements.count()} statements"
                elapsed = time.perf_counter() - started
                Conversation.objects.filter(question__startswith="Benchmark: import").delete()
            print(
                f"{name}: {participants:,} × {statements:,} ({participants * statements:,} votes, {size:.1f} MB): "
                f"{outcome} in {elapsed:.1f} s; peak memory {peak_mb():.0f} MB"
            )


if __name__ == "__main__":
    main()
