"""A coalition proposal end to end: the database narrows 100k actors to the plausible ones, the finder ranks
them and builds three coalitions. Run on a database filled by bench/generate_actors.py:

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/coalition_proposal.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samskab_bench .venv/bin/python bench/coalition_proposal.py

Prints p50/p95/max in ms over 60 proposals for partnerships in different places, and the candidate counts.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from samskab.actors import coalitions  # noqa: E402
from samskab.actors.models import Actor  # noqa: E402
from samskab.partnerships import contributors  # noqa: E402
from samskab.partnerships.models import Challenge, Partnership  # noqa: E402

RUNS = 60
NEEDS = [
    coalitions.Need(kind="premises", amount=2),
    coalitions.Need(kind="volunteer_hours", amount=20),
    coalitions.Need(kind="jobs", amount=5),
    coalitions.Need(kind="expertise", amount=2),
]


def main() -> None:
    rng = random.Random(3)
    places = list(
        Actor.objects.filter(latitude__isnull=False).values_list("pk", "latitude", "longitude", "municipality_id")[
            :20_000
        ]
    )
    if not places:
        sys.exit("Fill the database first: bench/generate_actors.py")
    timings, sizes = [], []
    with transaction.atomic():
        for _ in range(RUNS):
            actor_id, lat, lon, municipality = rng.choice(places)
            challenge = Challenge.objects.create(
                title="Bench", description="x", municipality_id=municipality, raised_by_id=actor_id
            )
            partnership = Partnership.objects.create(challenge=challenge, title="Bench")
            request = contributors.Request(
                needs=NEEDS,
                themes=rng.sample(["boern-unge", "ensomhed", "idraet", "integration"], 2),
                centre=(lat, lon),
                radius_km=10,
            )
            started = time.perf_counter()
            contributors.find(partnership, request)  # the database's narrowing, the ties, and the finder
            timings.append((time.perf_counter() - started) * 1000)
            sizes.append(len(contributors.candidates_for(partnership, request)[0]))
        transaction.set_rollback(True)
    timings.sort()
    p95 = timings[int(0.95 * len(timings)) - 1]
    print(
        f"{connection.vendor}: coalition proposal over {RUNS} partnerships"
        f" (candidates median {int(statistics.median(sizes))}, max {max(sizes)}):"
        f" p50 {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms, max {timings[-1]:.0f} ms"
    )


if __name__ == "__main__":
    main()
