"""Collaboration-network measures on 100,000 synthetic actors and 1,000,000 ties: time and peak memory.

Run: .venv/bin/python bench/network_measures.py [actors] [ties]
Seeded synthetic data: actors in four sectors spread over 1,000 neighbourhoods; 70 % of ties stay in the
neighbourhood, the rest go anywhere; kinds, weights 1-3 and dates over 2022-2025 at random.
Brokerage on a graph this size is networkx's k-pivot approximation (seeded), never the exact betweenness.
Peak memory is the process's peak resident set size during the step (Linux VmHWM, reset before each step).
"""

import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from peak_memory import MB, peak_since, reset_peak, status  # bench/, the script's own folder

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from samskab.insights.network import (
    Actor,
    Tie,
    brokerage,
    build_graph,
    layout,
    network_svg,
    network_table,
    new_ties_per_quarter,
    tie_summary,
)

SEED = 42
SECTORS = np.array(["municipality", "association", "citizen", "business"])
SECTOR_SHARES = [0.10, 0.25, 0.50, 0.15]
KINDS = ("partnership", "pledge", "action")


def measure(label: str, fn: Callable[[], Any]) -> Any:
    before = status("VmRSS:")
    reset = reset_peak()
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    peak = peak_since(reset)
    print(f"{label:<52} {elapsed:8.2f} s   peak RSS {peak / MB:7.0f} MB (+{(peak - before) / MB:5.0f} MB)")
    return result


def synthetic(n_actors: int, n_ties: int) -> tuple[list[Actor], list[Tie]]:
    rng = np.random.default_rng(SEED)
    sectors = rng.choice(len(SECTORS), n_actors, p=SECTOR_SHARES)
    actors = [Actor(i, SECTORS[s]) for i, s in enumerate(sectors.tolist())]
    hood_size = max(n_actors // 1000, 2)
    a = rng.integers(0, n_actors, n_ties)
    local = rng.random(n_ties) < 0.7
    near = (a // hood_size) * hood_size + rng.integers(0, hood_size, n_ties)
    b = np.where(local, np.minimum(near, n_actors - 1), rng.integers(0, n_actors, n_ties))
    days = [date(2022, 1, 1) + timedelta(days=d) for d in range(4 * 365)]
    day = rng.integers(0, len(days), n_ties)
    kind = rng.integers(0, len(KINDS), n_ties)
    weight = rng.integers(1, 4, n_ties).astype(float)
    ties = [
        Tie(x, y, KINDS[k], w, days[d])
        for x, y, k, w, d in zip(a.tolist(), b.tolist(), kind.tolist(), weight.tolist(), day.tolist(), strict=True)
    ]
    return actors, ties


def main() -> None:
    n_actors = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    n_ties = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    print(f"{n_actors:,} actors, {n_ties:,} ties (seed {SEED})")
    actors, ties = measure("synthetic data (not a measure)", lambda: synthetic(n_actors, n_ties))
    total = time.perf_counter()
    graph = measure("build graph (pairs, weights, first dates)", lambda: build_graph(actors, ties))
    print(f"  -> {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} distinct pairs")
    summary = measure("bridging vs bonding", lambda: tie_summary(graph))
    print(
        f"  -> bridging {summary.bridging_pairs:,} pairs (weight {summary.bridging_weight:,.0f}), "
        f"bonding {summary.bonding_pairs:,} (weight {summary.bonding_weight:,.0f})"
    )
    quarters = measure("new ties per quarter", lambda: new_ties_per_quarter(graph))
    print(f"  -> {len(quarters)} quarters, first {quarters[0]}")
    broker = measure("brokerage (betweenness, APPROXIMATE)", lambda: brokerage(graph))
    print(
        f"  -> exact={broker.exact}, k={broker.pivots} pivot sources sampled with a fixed seed "
        f"(exact betweenness would need {graph.number_of_nodes():,} sources)"
    )
    positions = measure("layout (sector-wedge; spring only up to 500 nodes)", lambda: layout(graph))
    print(f"  -> {len(positions):,} coordinates in [0, 1]")
    rows = measure("table (one row per actor)", lambda: network_table(graph, broker))
    print(f"  -> top broker {rows[0].actor} ({rows[0].sector}, brokerage {rows[0].brokerage:.5f})")
    svg = measure(
        "SVG of the 300 strongest actors (spring layout)",
        lambda: network_svg(graph, title="Samarbejdsnetværk", description="Syntetisk netværk", sector_labels={}),
    )
    print(f"  -> {len(svg) / 1024:.0f} KiB of SVG")
    print(f"{'total (measures only)':<52} {time.perf_counter() - total:8.2f} s")


if __name__ == "__main__":
    main()
