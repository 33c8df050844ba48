"""Live use of an opinion map: how long recording a vote takes with 100k participants.

    DATABASE_URL=sqlite:////tmp/bench-votes.sqlite3 .venv/bin/python bench/vote_recording.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samskab_bench .venv/bin/python bench/vote_recording.py

Builds (once) a conversation with 100,000 participants, 2,000 statements and 1,000,000 votes, then records
2,000 votes through `record_vote` (the function the page and the API call) and prints p50/p95/max in ms.
The map recomputation is queued, not run (the tasks backend is the dummy one here, as a worker would take it).
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.dummy.DummyBackend")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

PARTICIPANTS, STATEMENTS, VOTES, SAMPLES = 100_000, 2_000, 1_000_000, 2_000
QUESTION = "Benchmark: record a vote"


def build() -> int:
    from samskab.opinions.models import Conversation, Participant, Statement, Vote

    conversation = Conversation.objects.filter(question=QUESTION).first()
    if conversation is not None:
        return conversation.pk
    started = time.perf_counter()
    conversation = Conversation.objects.create(question=QUESTION, allow_anonymous=True)
    Participant.objects.bulk_create(
        (
            Participant(conversation=conversation, cookie_key=f"b{i}", sector="citizen", number=i + 1)
            for i in range(PARTICIPANTS)
        ),
        batch_size=5000,
    )
    Statement.objects.bulk_create(
        (Statement(conversation=conversation, text=f"Udsagn {i}", normalised=f"udsagn {i}") for i in range(STATEMENTS)),
        batch_size=5000,
    )
    people = list(Participant.objects.filter(conversation=conversation).values_list("pk", flat=True))
    statements = list(Statement.objects.filter(conversation=conversation).values_list("pk", flat=True))
    rng, now = random.Random(1), timezone.now()
    pairs = set()
    while len(pairs) < VOTES:
        pairs.add((rng.choice(people), rng.choice(statements)))
    Vote.objects.bulk_create(
        (Vote(participant_id=p, statement_id=s, value=rng.choice((-1, 0, 1)), voted_at=now) for p, s in pairs),
        batch_size=10_000,
    )
    print(
        f"built {PARTICIPANTS:,} participants, {STATEMENTS:,} statements, {VOTES:,} votes"
        f" in {time.perf_counter() - started:.1f} s"
    )
    return conversation.pk


def main() -> None:
    call_command("migrate", verbosity=0)
    from samskab.opinions.models import Conversation, Participant, Statement
    from samskab.opinions.services import record_vote

    conversation = Conversation.objects.get(pk=build())
    rng = random.Random(2)
    people = list(Participant.objects.filter(conversation=conversation).values_list("pk", flat=True)[:20_000])
    statements = list(Statement.objects.filter(conversation=conversation))
    timings = []
    for _ in range(SAMPLES):
        participant = Participant.objects.select_related("conversation").get(pk=rng.choice(people))
        statement = rng.choice(statements)
        started = time.perf_counter()
        record_vote(statement=statement, participant=participant, value=rng.choice((-1, 0, 1)))
        timings.append((time.perf_counter() - started) * 1000)
        Conversation.objects.filter(pk=conversation.pk).update(map_requested_at=None)
    timings.sort()
    p50, p95 = statistics.median(timings), timings[int(0.95 * len(timings)) - 1]
    print(
        f"{connection.vendor}: record_vote over {SAMPLES} votes:"
        f" p50 {p50:.2f} ms, p95 {p95:.2f} ms, max {timings[-1]:.2f} ms"
    )


if __name__ == "__main__":
    main()
