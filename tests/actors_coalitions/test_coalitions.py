"""The coalition finder, without a database.

Mette, the co-creation consultant, has a partnership in the "who could contribute" phase. She lists what
the defined problem needs; the finder proposes actors and coalitions. The small cases are small enough to
know the best answer by hand.
"""

import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samskab.actors.coalitions import (
    SECTORS,
    Candidate,
    Comparison,
    DistanceReason,
    Explanation,
    Need,
    NewTieReason,
    Offer,
    OfferReason,
    SectorReason,
    Shortfall,
    ThemeReason,
    Weights,
    find_coalitions,
    greedy_cover,
    haversine_m,
)

CENTRE = (55.68, 12.57)
METRES_PER_DEGREE_LAT = 6_371_008.8 * 3.141592653589793 / 180
NO_TIES_YET = NewTieReason(new=1, others=1)  # the one current member has never worked with it


def actor(id: int, sector: str, *offers: Offer, metres: float | None = 500, themes: tuple[str, ...] = ()) -> Candidate:
    """A candidate `metres` due north of the area's centre (None: no address)."""
    lat = None if metres is None else CENTRE[0] + metres / METRES_PER_DEGREE_LAT
    lon = None if metres is None else CENTRE[1]
    return Candidate(
        id=id, name=f"Aktør {id}", sector=sector, lat=lat, lon=lon, themes=frozenset(themes), offers=offers
    )


HALL = Offer("premises", None, "Hallen", "tirsdag aften")


def neighbourhood() -> list[Candidate]:
    """Lars's sports club, Jens's grocery store, Sofie, the school and Bo, who lives far out."""
    return [
        Candidate(
            1,
            "Idrætsforeningen",
            "association",
            CENTRE[0] + 600 / METRES_PER_DEGREE_LAT,
            CENTRE[1],
            frozenset({"boern-unge", "idraet"}),
            [HALL, Offer("volunteer_hours", 6, "trænere", unit="timer")],
        ),
        actor(2, "business", Offer("jobs", 2, "studiejob"), metres=1200),
        actor(3, "citizen", Offer("volunteer_hours", 4, "lektiehjælp"), metres=300, themes=("boern-unge",)),
        actor(4, "municipality", Offer("premises", 1, "Aulaen"), metres=2700),
        actor(5, "citizen", Offer("volunteer_hours", 10), metres=7800),
    ]


NEEDS = [Need("premises", 1), Need("volunteer_hours", 10, "timer"), Need("jobs", 2)]


def test_distances_as_the_crow_flies() -> None:
    # Copenhagen City Hall to Aarhus City Hall, about 157 km as the crow flies.
    assert haversine_m(55.6761, 12.5683, 56.1535, 10.2036) == pytest.approx(157_000, rel=0.01)


def test_mette_gets_the_smallest_full_cover_nearby() -> None:
    # Netto is the only one with jobs. Premises: the hall or the school hall. Ten hours: the club's six plus
    # Sofie's four, or Bo's ten. No two actors cover everything, so three is the fewest; of the three-actor
    # covers {club, Netto, Sofie} is the nearest and spans three sectors.
    result = find_coalitions(needs=NEEDS, candidates=neighbourhood(), area_centre=CENTRE)
    best = result.coalitions[0]
    assert best.member_ids == [1, 2, 3]
    assert best.coverage == {"premises": 1.0, "volunteer_hours": 1.0, "jobs": 1.0}
    assert best.total_coverage == 1.0
    assert best.sectors == ["association", "citizen", "business"]
    assert best.mean_distance_m == pytest.approx(700, abs=1)
    assert best.new_ties == 3
    assert all(c.objective <= best.objective for c in result.coalitions)


def test_three_sectors_even_when_the_associations_are_closer() -> None:
    # Three associations next door could cover everything; so could three actors from three sectors
    # further away. The span wins, with the nearest association in it.
    needs = [Need("premises", 1), Need("volunteer_hours", 10), Need("funding", 5000)]
    candidates = [
        actor(1, "association", Offer("premises", 1), metres=100),
        actor(2, "association", Offer("volunteer_hours", 10), metres=200),
        actor(3, "association", Offer("funding", 5000), metres=300),
        actor(4, "municipality", Offer("premises", 1), metres=2000),
        actor(5, "citizen", Offer("volunteer_hours", 10), metres=2000),
        actor(6, "business", Offer("funding", 5000), metres=2000),
    ]
    best = find_coalitions(needs=needs, candidates=candidates, area_centre=CENTRE).coalitions[0]
    assert best.member_ids == [1, 5, 6]
    assert best.sectors == ["association", "citizen", "business"]
    assert best.total_coverage == 1.0

    no_span = Weights(sector_span=0, sectors_wanted=1)
    nearest = find_coalitions(needs=needs, candidates=candidates, area_centre=CENTRE, weights=no_span)
    assert nearest.coalitions[0].member_ids == [1, 2, 3]


def test_two_sectors_are_enough_when_only_two_exist() -> None:
    candidates = [
        actor(1, "association", Offer("premises", 1)),
        actor(2, "citizen", Offer("volunteer_hours", 10)),
        actor(3, "citizen", Offer("volunteer_hours", 10), metres=100),
    ]
    needs = [Need("premises", 1), Need("volunteer_hours", 10)]
    result = find_coalitions(needs=needs, candidates=candidates, area_centre=CENTRE)
    assert result.coalitions[0].member_ids == [1, 3]
    assert result.coalitions[0].sectors == ["association", "citizen"]


def test_the_nearer_of_two_equal_offers() -> None:
    candidates = [
        actor(1, "association", Offer("premises", 1, "Klubhuset"), metres=5000),
        actor(2, "association", Offer("premises", 1, "Foreningshuset"), metres=300),
    ]
    result = find_coalitions(needs=[Need("premises", 1)], candidates=candidates, area_centre=CENTRE)
    assert result.coalitions[0].member_ids == [2]
    assert [s.candidate_id for s in result.suggestions] == [2, 1]
    assert result.suggestions[0].reasons[1] == DistanceReason(pytest.approx(300))
    assert result.suggestions[1].distance_m == 5000


def test_one_actor_that_covers_it_all_beats_two_nearer_ones() -> None:
    candidates = [
        actor(1, "association", Offer("premises", 1), Offer("volunteer_hours", 10), metres=1000),
        actor(2, "association", Offer("premises", 1), metres=500),
        actor(3, "association", Offer("volunteer_hours", 10), metres=500),
    ]
    needs = [Need("premises", 1), Need("volunteer_hours", 10)]
    result = find_coalitions(needs=needs, candidates=candidates, area_centre=CENTRE)
    assert result.coalitions[0].member_ids == [1]
    assert result.coalitions[1].member_ids == [2, 3]


def test_a_new_tie_is_preferred_to_an_old_one() -> None:
    # Mette's unit (100) already works with association 1; association 2 is just as good and new to her.
    candidates = [actor(1, "association", Offer("premises", 1)), actor(2, "association", Offer("premises", 1))]
    result = find_coalitions(
        needs=[Need("premises", 1)],
        candidates=candidates,
        ties=[frozenset({100, 1})],
        member_ids=[100],
        area_centre=CENTRE,
    )
    best = result.coalitions[0]
    assert best.member_ids == [2]
    assert best.new_ties == 1
    assert NO_TIES_YET in best.reasons[2]
    by_id = {s.candidate_id: s for s in result.suggestions}
    assert NO_TIES_YET in by_id[2].reasons
    assert not any(isinstance(r, NewTieReason) for r in by_id[1].reasons)
    assert [s.candidate_id for s in result.suggestions] == [2, 1]


def test_members_and_those_who_opted_out_are_never_proposed() -> None:
    candidates = [
        actor(1, "association", Offer("premises", 1), Offer("volunteer_hours", 10), metres=50),  # member
        actor(2, "business", Offer("premises", 1), Offer("volunteer_hours", 10), metres=50),  # opted out
        actor(3, "citizen", Offer("volunteer_hours", 10)),
        actor(4, "municipality", Offer("premises", 1)),
        actor(5, "association", Offer("premises", 1), metres=3000),
    ]
    needs = [Need("premises", 1), Need("volunteer_hours", 10)]
    result = find_coalitions(needs=needs, candidates=candidates, member_ids={1}, opted_out_ids={2}, area_centre=CENTRE)
    proposed = {i for c in result.coalitions for i in c.member_ids}
    suggested = {s.candidate_id for s in result.suggestions}
    assert not ({1, 2} & (proposed | suggested))
    assert result.coalitions[0].member_ids == [3, 4, 5]
    assert result.coalitions[0].total_coverage == 1.0


def test_what_the_members_bring_is_not_asked_for_again() -> None:
    candidates = [actor(1, "association", Offer("premises", 1)), actor(2, "citizen", Offer("volunteer_hours", 5))]
    needs = [Need("premises", 1), Need("volunteer_hours", 5)]
    result = find_coalitions(needs=needs, candidates=candidates, already_covered={"premises": 1})
    assert result.coalitions[0].member_ids == [2]
    assert result.suggestions[0].candidate_id == 2


def test_three_distinct_alternatives() -> None:
    # Every need has a provider in three sectors: plenty of different full covers.
    kinds = ["premises", "volunteer_hours", "jobs"]
    candidates = [
        actor(10 * k + s, sector, Offer(kind, 5), metres=300 + 100 * s)
        for k, kind in enumerate(kinds)
        for s, sector in enumerate(["association", "citizen", "business"])
    ]
    result = find_coalitions(needs=[Need(k, 5) for k in kinds], candidates=candidates, area_centre=CENTRE)
    sets = [frozenset(c.member_ids) for c in result.coalitions]
    assert len(sets) == 3
    assert len(set(sets)) == 3
    for coalition in result.coalitions:
        assert coalition.total_coverage == 1.0
        assert len(coalition.sectors) == 3
    assert result.coalitions[0].objective == max(c.objective for c in result.coalitions)
    assert result.coalitions[0].explanation.compared is None
    compared = result.coalitions[1].explanation.compared
    assert compared is not None and compared.left_out
    assert [c.explanation.actors for c in result.coalitions] == [len(c.member_ids) for c in result.coalitions]


def test_the_only_provider_is_in_every_alternative() -> None:
    result = find_coalitions(needs=NEEDS, candidates=neighbourhood(), area_centre=CENTRE)
    assert len(result.coalitions) == 3
    assert all(2 in c.member_ids for c in result.coalitions)  # only Netto offers jobs
    assert len({frozenset(c.member_ids) for c in result.coalitions}) == 3


def test_short_supply_is_covered_as_far_as_it_goes_and_said_so() -> None:
    candidates = [
        actor(1, "association", Offer("volunteer_hours", 30)),
        actor(2, "citizen", Offer("volunteer_hours", 20)),
    ]
    result = find_coalitions(needs=[Need("volunteer_hours", 100)], candidates=candidates)
    best = result.coalitions[0]
    assert best.member_ids == [1, 2]
    assert best.coverage == {"volunteer_hours": 0.5}
    assert best.explanation.shortfalls == (Shortfall("volunteer_hours", 0.5),)


def test_reasons_and_explanation_are_data_in_no_language() -> None:
    # samskab.partnerships.contributors words them in the reader's language (tests/test_contributors.py).
    result = find_coalitions(
        needs=NEEDS,
        candidates=neighbourhood(),
        member_ids=[100],
        area_centre=CENTRE,
        themes={"boern-unge", "aeldre"},
    )
    club = next(s for s in result.suggestions if s.candidate_id == 1)
    assert club.reasons == [
        OfferReason(HALL),  # the whole need, so first
        OfferReason(Offer("volunteer_hours", 6, "trænere", unit="timer")),
        DistanceReason(pytest.approx(600)),
        ThemeReason(("boern-unge",)),
        NO_TIES_YET,
    ]
    assert club.covered == {"premises": 1.0, "volunteer_hours": 6.0}
    bo = next(s for s in result.suggestions if s.candidate_id == 5)
    assert bo.reasons[:2] == [OfferReason(Offer("volunteer_hours", 10)), DistanceReason(pytest.approx(7800))]
    best = result.coalitions[0]
    assert best.explanation == Explanation(
        coverage=1.0,
        actors=3,
        sectors=("association", "citizen", "business"),
        mean_distance_m=pytest.approx(700),
        new_ties=6,
        shortfalls=(),
        compared=None,
        located=3,
    )
    # In a coalition the club is new to the member and to the two other actors.
    assert NewTieReason(new=3, others=3) in best.reasons[1]


def test_a_partly_new_tie_and_the_differences_from_the_first_proposal() -> None:
    # Sofie (3) has worked with the club (1) before, not with Netto (2) or the member (100).
    ties = [frozenset({1, 3})]
    result = find_coalitions(needs=NEEDS, candidates=neighbourhood(), ties=ties, member_ids=[100], area_centre=CENTRE)
    first, second = result.coalitions[:2]
    assert first.member_ids == [1, 2, 3]
    assert NewTieReason(new=2, others=3) in first.reasons[3]
    assert first.explanation.new_ties == 5
    names = {c.id: c.name for c in neighbourhood()}
    assert second.explanation.compared == Comparison(
        left_out=tuple(names[i] for i in sorted(set(first.member_ids) - set(second.member_ids))),
        brought_in=tuple(names[i] for i in sorted(set(second.member_ids) - set(first.member_ids))),
    )


def test_matched_themes_in_one_reason() -> None:
    candidates = [actor(1, "association", Offer("premises", 1), themes=("boern-unge", "idraet"))]
    result = find_coalitions(needs=[Need("premises", 1)], candidates=candidates, themes=["idraet", "boern-unge"])
    assert ThemeReason(("boern-unge", "idraet")) in result.suggestions[0].reasons


def test_an_offer_without_a_number_counts_as_one_or_a_quarter_of_the_need() -> None:
    candidates = [
        actor(1, "association", Offer("premises", None, "Hallen")),
        actor(2, "citizen", Offer("volunteer_hours", None, "trænere")),
        actor(3, "business", Offer("volunteer_hours", 3, unit="kr.")),  # another unit: like no number
        actor(4, "citizen", Offer("volunteer_hours", 5, unit="Timer")),
    ]
    needs = [Need("premises", 1), Need("volunteer_hours", 10, "timer")]
    result = find_coalitions(needs=needs, candidates=candidates)
    covered = {s.candidate_id: s.covered for s in result.suggestions}
    assert covered == {
        1: {"premises": 1.0},
        2: {"volunteer_hours": 2.5},
        3: {"volunteer_hours": 2.5},
        4: {"volunteer_hours": 5.0},
    }
    assert result.coalitions[0].member_ids == [1, 2, 3, 4]


def test_same_answer_whatever_the_order() -> None:
    candidates = [*neighbourhood(), actor(6, "association", Offer("volunteer_hours", 4), metres=300)]
    ties = [frozenset({1, 3}), frozenset({2, 100}), frozenset({4, 6})]
    kwargs: dict[str, Any] = {"needs": NEEDS, "member_ids": [100], "area_centre": CENTRE, "themes": {"boern-unge"}}
    first = find_coalitions(candidates=candidates, ties=ties, **kwargs)
    for seed in range(5):
        shuffled = candidates[:]
        random.Random(seed).shuffle(shuffled)
        assert find_coalitions(candidates=shuffled, ties=list(reversed(ties)), **kwargs) == first


def test_equal_candidates_go_to_the_lowest_id() -> None:
    candidates = [actor(i, "association", Offer("premises", 1)) for i in (7, 3, 5)]
    result = find_coalitions(needs=[Need("premises", 1)], candidates=candidates)
    assert result.coalitions[0].member_ids == [3]
    assert [s.candidate_id for s in result.suggestions] == [3, 5, 7]


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        find_coalitions(needs=[Need("premises", 0)], candidates=[])
    with pytest.raises(ValueError, match="sector"):
        find_coalitions(needs=[Need("premises", 1)], candidates=[actor(1, "church", Offer("premises", 1))])
    with pytest.raises(ValueError, match="twice"):
        find_coalitions(needs=[], candidates=[actor(1, "citizen"), actor(1, "citizen")])


def test_nothing_to_propose() -> None:
    result = find_coalitions(needs=[Need("funding", 1000)], candidates=[actor(1, "citizen", Offer("premises", 1))])
    assert result.suggestions == []
    assert result.coalitions == []


# --- property: never worse than a plain greedy cover -----------------------------------------------------

KINDS = ["premises", "volunteer_hours", "equipment", "funding"]
UNQUANTIFIED_SHARE = 0.25


def reference_coverage(needs: dict[str, float], offers: list[Offer]) -> float:
    """Coverage of `needs` by `offers`, written out independently of the module."""
    if not needs:
        return 1.0
    got = dict.fromkeys(needs, 0.0)
    for offer in offers:
        if offer.kind in needs:
            amount = needs[offer.kind]
            got[offer.kind] += max(1.0, UNQUANTIFIED_SHARE * amount) if offer.amount is None else max(0.0, offer.amount)
    return sum(min(1.0, got[k] / needs[k]) for k in needs) / len(needs)


def plain_greedy_coverage(needs: dict[str, float], candidates: list[Candidate]) -> float:
    """Take whoever adds the most coverage until nobody adds any."""
    chosen: list[Offer] = []
    left = list(candidates)
    while left:
        now = reference_coverage(needs, chosen)
        gains = [reference_coverage(needs, chosen + list(c.offers)) - now for c in left]
        best = max(range(len(left)), key=lambda x: gains[x])
        if gains[best] <= 1e-12:
            break
        chosen += left.pop(best).offers
    return reference_coverage(needs, chosen)


offers = st.builds(
    Offer,
    kind=st.sampled_from(KINDS),
    amount=st.one_of(st.none(), st.integers(0, 40).map(float)),
    title=st.just("tilbud"),
)


@st.composite
def problems(draw: st.DrawFn) -> dict:
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=4, unique=True))
    needs = [Need(kind, float(draw(st.integers(1, 60)))) for kind in kinds]
    n = draw(st.integers(1, 12))
    candidates = [
        Candidate(
            id=i,
            name=f"Aktør {i}",
            sector=draw(st.sampled_from(SECTORS)),
            lat=CENTRE[0] + draw(st.floats(-0.05, 0.05)),
            lon=CENTRE[1] + draw(st.floats(-0.05, 0.05)),
            offers=draw(st.lists(offers, max_size=3)),
        )
        for i in range(1, n + 1)
    ]
    ids = [*range(1, n + 1), 100, 101]
    ties = draw(st.lists(st.sets(st.sampled_from(ids), min_size=2, max_size=2).map(frozenset), max_size=10))
    members = draw(st.sets(st.sampled_from(ids), max_size=3)) | {100}
    opted_out = draw(st.sets(st.sampled_from(ids[:n]), max_size=2))
    return {
        "needs": needs,
        "candidates": candidates,
        "ties": ties,
        "member_ids": members,
        "opted_out_ids": opted_out,
        "area_centre": CENTRE,
    }


@settings(max_examples=200, deadline=None)
@given(problems())
def test_every_coalition_covers_at_least_what_plain_greedy_covers(problem: dict) -> None:
    result = find_coalitions(**problem)
    needs = {need.kind: need.amount for need in problem["needs"]}
    excluded = problem["member_ids"] | problem["opted_out_ids"]
    eligible = [c for c in problem["candidates"] if c.id not in excluded]
    greedy = plain_greedy_coverage(needs, eligible)
    by_id = {c.id: c for c in problem["candidates"]}
    useful_sectors = {c.sector for c in eligible if reference_coverage(needs, list(c.offers)) > 0}

    module_greedy = greedy_cover(problem["needs"], eligible)
    assert reference_coverage(needs, [o for i in module_greedy for o in by_id[i].offers]) == pytest.approx(
        greedy, abs=1e-9
    )
    if greedy > 0:
        assert result.coalitions
    for coalition in result.coalitions:
        assert not set(coalition.member_ids) & excluded
        covered = reference_coverage(needs, [o for i in coalition.member_ids for o in by_id[i].offers])
        assert covered >= greedy - 1e-9
        assert coalition.total_coverage == pytest.approx(covered, abs=1e-9)
        assert len(coalition.sectors) >= min(3, len(useful_sectors))
    assert len({frozenset(c.member_ids) for c in result.coalitions}) == len(result.coalitions)
    assert len(result.coalitions) <= 3


def test_an_actor_there_for_its_sector_says_so_and_the_distance_says_over_whom() -> None:
    # Only the club offers anything; the citizen and the business work with a requested theme and come in for the
    # span of sectors. The business, whose address is private, has no distance.
    candidates = [
        actor(1, "association", Offer("premises", 1)),
        actor(2, "citizen", metres=900, themes=("aeldre",)),
        actor(3, "business", metres=None, themes=("aeldre",)),
    ]
    found = find_coalitions(needs=[Need("premises", 1)], candidates=candidates, area_centre=CENTRE, themes={"aeldre"})
    best = found.coalitions[0]
    assert best.member_ids == [1, 2, 3]
    assert SectorReason("citizen") == best.reasons[2][0] and SectorReason("business") == best.reasons[3][0]
    assert not any(isinstance(r, SectorReason) for r in best.reasons[1])  # it offers what is needed
    assert (best.explanation.actors, best.explanation.located) == (3, 2)
    assert best.explanation.mean_distance_m == pytest.approx(700)
