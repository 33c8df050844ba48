"""Anonymity helpers, tested the way Omar's curious colleague would try to find out what Omar answered."""

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samskab.surveys.scoring import (
    coarsen_timestamp,
    free_text_visible,
    iso_week_label,
    safe_to_show,
    suppress_small,
    visible_free_text,
)
from samskab.surveys.services import _disclose


def test_small_groups_are_suppressed() -> None:
    assert suppress_small(4, 5) and not suppress_small(5, 5)
    assert suppress_small(0)
    assert suppress_small(19, 20)  # offensive-behaviour items: 20
    with pytest.raises(ValueError):
        suppress_small(3, 2)  # nobody may lower the threshold below 5


def test_two_filters_of_7_and_5_are_refused() -> None:
    # |7 - 5| = 2 < 5: if the 5 are among the 7, the two means give away the other 2.
    result = safe_to_show({"all teachers": 7, "teachers over 40": 5}, 5)
    assert not result.ok
    assert result.shown == ("all teachers",)
    assert result.suppressed == {"teachers over 40": "differs from 'all teachers' by 2 respondents, fewer than 5"}


def test_leaving_one_person_out_is_refused() -> None:
    # Omar's school: 12 answered; "everyone but the part-timers" = 11 -> 12 * mean12 - 11 * mean11 = Omar.
    result = safe_to_show({"school": 12, "full-time": 11})
    assert result.suppressed.keys() == {"full-time"}


def test_the_report_listed_first_wins_a_clash() -> None:
    # The whole school (10) and the school without its caretaker (9): shown together they give the caretaker away.
    # The one listed first, the one that matters most, is kept.
    result = safe_to_show({"whole school": 10, "without the caretaker": 9})
    assert result.shown == ("whole school",)
    assert result.suppressed.keys() == {"without the caretaker"}
    # 9 and 14 differ by 5: both may be shown.
    assert safe_to_show({"whole school": 14, "without the part-timers": 9}).ok


def test_two_rounds_closer_than_the_threshold_are_not_both_shown() -> None:
    # Mostly the same people answer both rounds: six, then the same five after one left. The difference of the
    # two rounds' sums would be the leaver's answer wherever the others answered as before.
    assert set(_disclose({"baseline": 6, "follow-up": 5}, {}, 5)) == {"follow-up"}
    assert _disclose({"baseline": 6, "follow-up": 11}, {}, 5) == {}


def test_a_hidden_total_is_never_rebuilt_from_its_parts() -> None:
    counts = {"round": 10, "round:municipality": 5, "round:association": 5}
    parts = {"round": ["round:municipality", "round:association"]}
    assert _disclose(counts, parts, 5) == {}  # a shown total: its parts may add up to it
    # A total hidden for any reason: its shown parts must not add up to it, or anyone could rebuild it.
    hidden = _disclose(counts, parts, 5, never_shown={"round": "hidden"})
    assert set(hidden) == {"round", "round:association"}
    # Nor may they add up to it while a part is hidden: that would say nobody from the hidden part answered.
    counts |= {"round:business": 0}
    parts = {"round": [*parts["round"], "round:business"]}
    assert set(_disclose(counts, parts, 5)) == {"round:business", "round:association"}


def test_a_group_below_threshold_is_refused_even_alone() -> None:
    result = safe_to_show({"caretakers": 3})
    assert result.shown == () and result.suppressed == {"caretakers": "fewer than 5 respondents (3)"}


def test_equal_counts_are_the_same_people_when_nested() -> None:
    assert safe_to_show({"team": 8, "team, filtered by seniority": 8}).ok


def test_each_group_is_checked_against_every_shown_one() -> None:
    # all 20 kept; x 15 (|15 - 20| = 5 ok); y 10 (10 and 5 from the others, ok); z 12 (|12 - 15| = 3) refused;
    # w 4 too small.
    result = safe_to_show({"all": 20, "x": 15, "y": 10, "z": 12, "w": 4}, 5)
    assert result.shown == ("all", "x", "y")
    assert set(result.suppressed) == {"z", "w"}
    # A suppressed group cannot be used against the others: z is not among the shown, so 14 may appear.
    assert safe_to_show({"all": 20, "z": 12, "q": 14}).shown == ("all", "z")


def test_a_higher_threshold_for_sensitive_items() -> None:
    # Offensive behaviour: 20 respondents, and 10 between reports.
    assert safe_to_show({"school": 30, "department": 22}, 20).suppressed.keys() == {"department"}
    assert safe_to_show({"school": 40, "department": 20}, 20).ok


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 60), max_size=8), st.integers(5, 12))
def test_whatever_is_shown_is_pairwise_safe_and_nothing_is_refused_needlessly(counts, threshold) -> None:
    result = safe_to_show(counts, threshold)
    shown = [counts[name] for name in result.shown]
    assert all(n >= threshold for n in shown)
    assert all(a == b or abs(a - b) >= threshold for a in shown for b in shown)
    assert set(result.shown) | set(result.suppressed) == set(counts)
    for name in result.suppressed:
        n = counts[name]
        assert n < threshold or any(0 < abs(n - m) < threshold for m in shown)


def test_free_text_only_for_big_enough_groups() -> None:
    assert not free_text_visible(4) and free_text_visible(5)
    assert visible_free_text(["Mere tid til forberedelse", "Bedre kaffe"], 4) == []
    # Sorted, so the order in which people answered is not given away; blanks dropped.
    answers = ["Mere tid til forberedelse", " ", "Bedre kaffe"]
    assert visible_free_text(answers, 5) == ["Bedre kaffe", "Mere tid til forberedelse"]


def test_timestamps_are_coarsened_in_copenhagen_time() -> None:
    # 30 March 2025 22:30 UTC is 31 March 00:30 in Copenhagen (summer time began that morning, UTC+2).
    moment = datetime(2025, 3, 30, 22, 30, tzinfo=UTC)
    assert coarsen_timestamp(moment, "day") == date(2025, 3, 31)
    assert coarsen_timestamp(moment, "week") == date(2025, 3, 31)  # a Monday
    assert coarsen_timestamp(datetime(2025, 4, 3, 9, tzinfo=UTC), "week") == date(2025, 3, 31)
    assert coarsen_timestamp(moment, "month") == date(2025, 3, 1)
    with pytest.raises(ValueError, match="naive"):
        coarsen_timestamp(datetime(2025, 3, 30, 22, 30))  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError):
        coarsen_timestamp(moment, "hour")


def test_iso_week_labels_use_the_iso_year() -> None:
    # Sunday 3 January 2021 belongs to ISO week 53 of 2020.
    assert iso_week_label(date(2021, 1, 3)) == "2020-W53"
    assert iso_week_label(date(2025, 2, 12)) == "2025-W07"
