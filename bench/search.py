"""Time the actor directory's search on a database filled by bench/generate_actors.py; print p50/p95/max.

Each query is what the directory page does: `Actor.objects.for_directory().search(...)`, then the count and
the first page of 20 actors (with their municipality and themes). The target is under 50 ms at the 95th
percentile with 100k actors, on SQLite and on PostgreSQL.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 DJANGO_SETTINGS_MODULE=config.settings \\
        .venv/bin/python bench/search.py [--runs 3] [--explain] [--cpu]

An actor is found by its name, description, resources and themes (samskab/actors/search.py), so broad words
such as "fællesskab" (a theme's name) match a third of the actors. With `--cpu` the times are the process's CPU
time rather than the clock's: on a machine shared with other work, that is what SQLite, which runs inside the
process, would take alone. It says nothing of PostgreSQL's share, which runs in the server.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from django.db import connection, reset_queries  # noqa: E402

from samskab.actors.models import Actor  # noqa: E402
from samskab.lib.pagination import CountedPaginator  # noqa: E402

ODENSE, KBH, AARHUS, AALBORG, BORNHOLM = "0461", "0101", "0751", "0851", "0400"
QUERIES: list[dict[str, Any]] = [
    # Words only
    {"q": "fodbold"},
    {"q": "unge"},
    {"q": "ældre"},
    {"q": "fællesskab"},
    {"q": "boldklub"},
    {"q": "skak"},
    {"q": "lektiehjælp"},
    {"q": "integration sprogcafé"},
    {"q": "frivillige besøgsvenner"},
    {"q": "mødelokaler"},
    {"q": "natur miljø"},
    {"q": "musik sang"},
    {"q": "svømning"},
    {"q": "job praktik unge"},
    {"q": "Vollsmose"},
    {"q": "Bøgeskov roklub"},
    {"q": "købmand"},
    {"q": "plejecenter"},
    {"q": "Mette Nielsen"},
    {"q": "teater drama"},
    # Typos: no full-text hit, so the fuzzy name search runs
    {"q": "fodbld klub"},
    {"q": "skakklbu"},
    {"q": "bibliotk"},
    {"q": "Volsmose"},
    {"q": "zxqwy"},
    # Words and filters
    {"q": "fodbold", "municipality": ODENSE},
    {"q": "unge", "municipality": KBH, "sector": "association"},
    {"q": "ældre", "theme": "aeldre"},
    {"q": "fællesskab", "theme": "ensomhed", "municipality": AARHUS},
    {"q": "klub", "resource_kind": "premises"},
    {"q": "hallen", "resource_kind": "premises", "municipality": ODENSE},
    {"q": "cykel", "sector": "business"},
    {"q": "skole", "sector": "municipality", "municipality": AALBORG},
    {"q": "kor", "neighbourhood": "Vollsmose"},
    {"q": "frivillige", "resource_kind": "volunteer_hours", "theme": "frivillighed"},
    {"q": "unge", "need_kind": "volunteer_hours"},
    {"q": "klub", "need_kind": "premises", "municipality": ODENSE},
    {"q": "unge", "lat": 55.40, "lon": 10.39, "km": 5},
    {"q": "fodbold", "lat": 55.68, "lon": 12.57, "km": 10},
    # Filters only (the directory without a search word)
    {},
    {"municipality": ODENSE},
    {"municipality": BORNHOLM},
    {"sector": "business"},
    {"theme": "idraet"},
    {"theme": "integration", "municipality": KBH},
    {"resource_kind": "jobs"},
    {"resource_kind": "funding", "sector": "business"},
    {"need_kind": "funding"},
    {"need_kind": "expertise", "sector": "association", "municipality": KBH},
    {"resource_kind": "premises", "need_kind": "volunteer_hours"},
    {"neighbourhood": "Vollsmose"},
    {"neighbourhood": "Havnen", "municipality": AARHUS},
    {"sector": "citizen", "theme": "aeldre", "resource_kind": "volunteer_hours"},
    {"lat": 55.40, "lon": 10.39, "km": 3},
    {"lat": 56.15, "lon": 10.20, "km": 15, "sector": "association"},
]


CLOCK = time.perf_counter


def run(filters: dict[str, Any]) -> tuple[float, int, int]:
    """Milliseconds for the count and the first page, the count, and the number of SQL queries."""
    reset_queries()
    start = CLOCK()
    actors, _fuzzy = Actor.objects.for_directory().search(**filters)
    paginator = CountedPaginator(actors, 20)  # as the directory page does
    count = paginator.count
    page = list(paginator.page(1).object_list) if count else []
    elapsed = (CLOCK() - start) * 1000
    assert len(page) == min(count, 20)
    return elapsed, count, len(connection.queries)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def explain(filters: dict[str, Any]) -> None:
    actors, _fuzzy = Actor.objects.for_directory().search(**filters)
    options = {"analyze": True} if connection.vendor == "postgresql" else {}
    print(f"\n--- {filters}\n{actors[:20].explain(**options)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed passes over the queries (after one warm-up)")
    parser.add_argument("--explain", action="store_true", help="print the query plans of the five slowest")
    parser.add_argument("--cpu", action="store_true", help="time by the process's CPU time (see above)")
    args = parser.parse_args()
    if args.cpu:
        global CLOCK
        CLOCK = time.process_time

    from django.conf import settings

    settings.DEBUG = True  # count queries
    total = Actor.objects.count()
    clock = ", CPU time" if args.cpu else ""
    print(f"{connection.vendor}: {total:,} actors, {len(QUERIES)} queries × {args.runs} runs{clock}")
    for filters in QUERIES:
        run(filters)  # warm-up: connection, caches, stemmer
    timings: dict[int, list[float]] = {i: [] for i in range(len(QUERIES))}
    counts: dict[int, tuple[int, int]] = {}
    for _ in range(args.runs):
        for i, filters in enumerate(QUERIES):
            elapsed, count, n_queries = run(filters)
            timings[i].append(elapsed)
            counts[i] = (count, n_queries)
    everything = [t for ts in timings.values() for t in ts]
    print(
        f"search + count + first page: p50 {statistics.median(everything):.1f} ms, "
        f"p95 {percentile(everything, 95):.1f} ms, max {max(everything):.1f} ms"
    )
    slowest = sorted(timings, key=lambda i: -statistics.median(timings[i]))
    print("slowest (median ms, hits, SQL queries):")
    for i in slowest[:10]:
        count, n_queries = counts[i]
        print(f"  {statistics.median(timings[i]):8.1f}  {count:7,}  {n_queries}  {QUERIES[i]}")
    if args.explain:
        for i in slowest[:5]:
            explain(QUERIES[i])


if __name__ == "__main__":
    main()
