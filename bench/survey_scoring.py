"""Scoring 100,000 synthetic responses to COPSOQ III (selected scales): time and peak memory per step.

Run: .venv/bin/python bench/survey_scoring.py [respondents]
Answers are seeded and drawn around a latent level per respondent and scale, with 5 % left unanswered and
2 % "I have no superior" on the leadership items; 200 teams answer in two waves.
"""

import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from samskab.surveys.instruments import get_instrument
from samskab.surveys.scoring import (
    compare_means,
    cronbach_alpha_by,
    group_means,
    item_points,
    safe_to_show,
    score_instrument,
)

SEED = 42
TEAMS = 200
MB = 1024 * 1024


def measure(label: str, fn: Callable[[], Any]) -> Any:
    tracemalloc.start()
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<44} {elapsed * 1000:9.1f} ms   peak {peak / MB:7.1f} MB")
    return result


def synthetic_answers(n: int, instrument) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(SEED)
    latent = {s.id: rng.normal(2.3, 0.8, n) for s in instrument.scales}
    answers = {}
    for item in instrument.items:
        position = np.clip(np.rint(latent[item.scale] + rng.normal(0, 0.7, n)), 0, 4)
        if item.reversed:
            position = 4 - position  # reversed items are asked the other way round
        values = position * 25.0
        values[rng.random(n) < 0.05] = np.nan
        if item.scale == "QL":
            values[rng.random(n) < 0.02] = np.nan  # "I have no superior"
        answers[item.id] = values
    teams = rng.integers(0, TEAMS, n)
    waves = rng.integers(1, 3, n)
    return answers, teams, waves


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    instrument = get_instrument("copsoq3-selected")
    answers, teams, waves = synthetic_answers(n, instrument)
    items = len(instrument.items)
    print(
        f"COPSOQ III selected scales: {n:,} respondents x {items} items, {len(instrument.scales)} scales, "
        f"{TEAMS} teams x 2 waves (numpy {np.__version__})"
    )
    print("peak = largest memory traced by tracemalloc during the step (numpy arrays included)")

    total = time.perf_counter()
    scores = measure("person scores, all scales", lambda: score_instrument(instrument, answers))
    team_wave = np.char.add(teams.astype(str), np.char.add("/", waves.astype(str)))
    stats = measure(
        "group means + 95 % t-CI, 400 team-waves x 6",
        lambda: {s: group_means(v, team_wave) for s, v in scores.items()},
    )
    measure(
        "Cronbach's alpha per scale and wave",
        lambda: {s.id: cronbach_alpha_by(item_points(instrument, s.id, answers), waves) for s in instrument.scales},
    )
    counts = {g.group: g.n for g in stats["TM"]}
    measure("differencing guard over 400 team-waves", lambda: safe_to_show(counts, 5))
    by_group = {g.group: g.mean for g in stats["TM"]}
    measure(
        "wave-to-wave differences, 200 teams",
        lambda: [compare_means(by_group[f"{t}/1"], by_group[f"{t}/2"]) for t in range(TEAMS)],
    )
    print(f"{'total':<44} {(time.perf_counter() - total) * 1000:9.1f} ms")


if __name__ == "__main__":
    main()
