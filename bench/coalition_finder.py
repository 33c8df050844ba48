"""Time the coalition finder on synthetic, seeded candidate sets; print p50/p95 per size.

The target is a proposal (ranked list and three coalitions) in under 200 ms at the 95th percentile. In
production the database first narrows 100k actors and 300k resources over 98 municipalities down to the
candidates for one partnership's area, themes and resource kinds, so this times 2,000 and 5,000 candidates
with 20 needs, as the function sees them.

    .venv/bin/python bench/coalition_finder.py [--runs 200] [--sizes 2000 5000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from samskab.actors.coalitions import Candidate, Need, Offer, find_coalitions

SECTORS = ["association"] * 40 + ["citizen"] * 35 + ["business"] * 15 + ["municipality"] * 10
THEMES = [f"theme-{i}" for i in range(15)]
N_KINDS = 20
CENTRE = (55.68, 12.57)


def instance(seed: int, n: int, n_needs: int = 20) -> dict:
    """One partnership's candidate set: `n` actors within ~15 km of the area, three resources each on
    average (300k over 100k actors), a sparse tie graph and five current members."""
    rnd = random.Random(seed)
    kinds = [f"kind-{k}" for k in range(N_KINDS)]
    needs = [Need(kind, float(rnd.choice([1, 2, 5, 10, 20, 40]))) for kind in kinds[:n_needs]]
    need_amount = {need.kind: need.amount for need in needs}
    candidates = []
    for i in range(n):
        offers: list[Offer] = []
        for _ in range(rnd.choice([1, 2, 3, 3, 4, 5])):
            kind = rnd.choice(kinds)
            quantified = rnd.random() < 0.8
            amount = round(need_amount.get(kind, 10) * rnd.uniform(0.05, 0.6), 1) if quantified else None
            when = rnd.choice(["", "tirsdag aften"])
            offers.append(Offer(kind, amount, f"ressource {i}-{len(offers)}", when))
        candidates.append(
            Candidate(
                id=1000 + i,
                name=f"Aktør {i}",
                sector=rnd.choice(SECTORS),
                lat=CENTRE[0] + rnd.gauss(0, 0.06) if rnd.random() < 0.9 else None,
                lon=CENTRE[1] + rnd.gauss(0, 0.1),
                themes=frozenset(rnd.sample(THEMES, rnd.randint(0, 3))),
                offers=offers,
            )
        )
    members = list(range(1, 6))
    everyone = members + [c.id for c in candidates]
    ties = {frozenset(rnd.sample(everyone, 2)) for _ in range(3 * n // 2)}
    opted_out = {c.id for c in rnd.sample(candidates, n // 100)}
    return {
        "needs": needs,
        "candidates": candidates,
        "ties": ties,
        "member_ids": members,
        "opted_out_ids": opted_out,
        "area_centre": CENTRE,
        "themes": set(rnd.sample(THEMES, 2)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 5000])
    parser.add_argument("--needs", type=int, default=20)
    args = parser.parse_args()
    print(f"coalition finder: {args.runs} runs (seeded instances) per size, {args.needs} needs")
    for n in args.sizes:
        find_coalitions(**instance(-1, n, args.needs))  # warm-up
        times: list[float] = []
        cpu_times: list[float] = []
        sizes: list[int] = []
        coalitions: list[int] = []
        for run in range(args.runs):
            # A fresh instance per run, built outside the timing. Holding all of them at once would time
            # Python's full garbage collections of a million objects the web worker never holds.
            kwargs = instance(run, n, args.needs)
            start, cpu = time.perf_counter(), time.process_time()
            result = find_coalitions(**kwargs)
            times.append((time.perf_counter() - start) * 1000)
            cpu_times.append((time.process_time() - cpu) * 1000)
            coalitions.append(len(result.coalitions))
            sizes.extend(len(c.member_ids) for c in result.coalitions)
        q = statistics.quantiles(times, n=100)
        c = statistics.quantiles(cpu_times, n=100)
        print(
            f"  {n:>5} candidates: wall p50 {q[49]:6.1f} ms  p95 {q[94]:6.1f} ms  max {max(times):6.1f} ms"
            f" | cpu p50 {c[49]:6.1f} ms  p95 {c[94]:6.1f} ms"
            f" | coalitions/run {statistics.mean(coalitions):.2f}, actors/coalition {statistics.mean(sizes):.1f}"
        )


if __name__ == "__main__":
    main()
