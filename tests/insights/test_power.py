"""The power-balance maths, with hand-computed examples."""

import math
from datetime import UTC, datetime

import pytest

from samskab.insights.power import Event, evenness, initiative_over_time, power_balance

JAN, FEB = datetime(2026, 1, 10, tzinfo=UTC), datetime(2026, 2, 10, tzinfo=UTC)


def events(metric: str, **by_sector: int) -> list[Event]:
    return [Event(metric, sector, JAN) for sector, n in by_sector.items() for _ in range(n)]


def test_evenness_is_normalised_entropy() -> None:
    # Two sectors, 3 and 1: H = -(3/4 ln 3/4 + 1/4 ln 1/4) = 0.5623; / ln 2 = 0.8113.
    assert evenness({"municipality": 3, "citizen": 1}, ["municipality", "citizen"]) == pytest.approx(0.811278, abs=1e-6)
    assert evenness({"a": 2, "b": 2, "c": 2}, ["a", "b", "c"]) == pytest.approx(1.0)
    assert evenness({"a": 5}, ["a", "b"]) == 0.0
    assert evenness({"a": 5}, ["a"]) is None
    assert evenness({}, ["a", "b"]) is None


def test_municipality_warned_above_twice_its_fair_share() -> None:
    # 1 of 4 member actors is municipal: fair share 25 %. It raised 6 of 10 initiatives: 60 % > 50 % → warning.
    members = ["municipality", "association", "citizen", "business"]
    balance = power_balance(
        events("agenda_items", municipality=4, citizen=2) + events("proposals", municipality=2, association=2), members
    )
    assert balance.fair_share == 0.25
    assert balance.municipality_share == pytest.approx(0.6)
    assert balance.warning is True
    # 5 of 10 is exactly twice the fair share: not above it, no warning.
    calm = power_balance(events("agenda_items", municipality=5, citizen=5), members)
    assert (calm.municipality_share, calm.warning) == (0.5, False)


def test_shares_per_metric_and_one_large_sector_does_not_change_fairness() -> None:
    members = ["municipality", "association", "association", "association"]
    balance = power_balance(events("pledges", association=3, municipality=1), members)
    assert balance.shares["pledges"]["association"] == 0.75
    assert balance.shares["objections"]["association"] == 0.0
    assert balance.counts["pledges"] == {"association": 3, "municipality": 1}
    assert balance.evenness is None  # no initiative yet
    assert math.isclose(balance.fair_share or 0, 0.25)


def test_initiative_over_time_is_cumulative_per_month() -> None:
    series = initiative_over_time(
        [
            Event("agenda_items", "municipality", JAN),
            Event("proposals", "citizen", FEB),
            Event("pledges", "citizen", FEB),
        ]
    )
    assert [(m, round(s["municipality"], 2), t) for m, s, t in series] == [("2026-01", 1.0, 1), ("2026-02", 0.5, 2)]


def test_a_quiet_month_stays_on_the_time_axis() -> None:
    # Initiatives in January and April: February and March repeat January, so the months are evenly spaced.
    april = datetime(2026, 4, 2, tzinfo=UTC)
    series = initiative_over_time([Event("proposals", "citizen", JAN), Event("decisions", "municipality", april)])
    assert [(m, round(s["citizen"], 2), t) for m, s, t in series] == [
        ("2026-01", 1.0, 1),
        ("2026-02", 1.0, 1),
        ("2026-03", 1.0, 1),
        ("2026-04", 0.5, 2),
    ]
    assert initiative_over_time([Event("pledges", "citizen", JAN)]) == []  # pledges are no initiative
