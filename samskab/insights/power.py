"""The power-balance maths: who sets the agenda, proposes, decides and contributes, by sector.

Pure functions (no Django). The formula is documented in docs/power-balance.md.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

SECTORS = ("municipality", "association", "citizen", "business")
METRICS = (
    "agenda_items",
    "proposals",
    "decisions",
    "objections",
    "actions_owned",
    "pledges",
    "meetings_attended",
)
# Taking the initiative: setting the agenda, proposing, and initiating what gets decided.
INITIATIVE = ("agenda_items", "proposals", "decisions")
WARNING_FACTOR = 2.0


@dataclass(frozen=True)
class Event:
    metric: str
    sector: str
    at: datetime
    partnership: int | None = None  # whose activity it is, where several partnerships are read together


@dataclass(frozen=True)
class PowerBalance:
    shares: dict[str, dict[str, float]]  # metric → sector → share of that metric (0..1)
    counts: dict[str, dict[str, int]]
    evenness: float | None  # normalised Shannon entropy of initiative over the sectors present
    municipality_share: float | None  # of the initiative
    fair_share: float | None  # the municipality's share of member actors: one voice per actor
    warning: bool


def evenness(counts: Mapping[str, float], sectors_present: Sequence[str]) -> float | None:
    """Shannon entropy of the shares over the sectors present, divided by its maximum ln(k).

    1 means every sector present takes the same share; 0 means one sector does everything. Undefined (None)
    with fewer than two sectors present or nothing counted.
    """
    k = len(sectors_present)
    total = sum(counts.get(s, 0) for s in sectors_present)
    if k < 2 or total <= 0:
        return None
    entropy = -sum((c / total) * math.log(c / total) for s in sectors_present if (c := counts.get(s, 0)) > 0)
    # One sector with everything gives -(1 · ln 1) = -0.0, which would show as "-0": max() keeps the 0.0 first.
    return max(0.0, entropy / math.log(k))


def power_balance(events: Iterable[Event], member_sectors: Sequence[str]) -> PowerBalance:
    """Shares per metric and sector, evenness of the initiative, and the municipality's share of the initiative
    against its fair share (its share of the member actors). Warns above twice the fair share."""
    counts: dict[str, dict[str, int]] = {m: defaultdict(int) for m in METRICS}
    for event in events:
        counts[event.metric][event.sector] += 1
    shares = {
        metric: {s: (by.get(s, 0) / total if (total := sum(by.values())) else 0.0) for s in SECTORS}
        for metric, by in counts.items()
    }
    present = [s for s in SECTORS if s in member_sectors]
    initiative = {s: sum(counts[m].get(s, 0) for m in INITIATIVE) for s in SECTORS}
    total_initiative = sum(initiative.values())
    municipal_members = sum(1 for s in member_sectors if s == "municipality")
    fair = municipal_members / len(member_sectors) if member_sectors else None
    share = initiative["municipality"] / total_initiative if total_initiative else None
    warning = bool(fair and share is not None and share > WARNING_FACTOR * fair)
    return PowerBalance(
        shares=shares,
        counts={m: dict(by) for m, by in counts.items()},
        evenness=evenness(initiative, present),
        municipality_share=share,
        fair_share=fair,
        warning=warning,
    )


def initiative_over_time(events: Iterable[Event]) -> list[tuple[str, dict[str, float], int]]:
    """Per month (YYYY-MM), each sector's cumulative share of the initiative so far, and the total so far, from
    the first month with an initiative to the last with no month left out (a quiet month repeats the one before),
    so that a chart's months are evenly spaced in time."""
    by_month: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for event in events:
        if event.metric in INITIATIVE:
            by_month[(event.at.year, event.at.month)][event.sector] += 1
    if not by_month:
        return []
    (y0, m0), (y1, m1) = min(by_month), max(by_month)
    running: dict[str, int] = defaultdict(int)
    series = []
    for index in range(y0 * 12 + m0 - 1, y1 * 12 + m1):
        year, month = divmod(index, 12)
        for sector, n in by_month.get((year, month + 1), {}).items():
            running[sector] += n
        total = sum(running.values())
        series.append((f"{year}-{month + 1:02d}", {s: running[s] / total for s in SECTORS}, total))
    return series
