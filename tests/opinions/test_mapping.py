"""The opinion-map engine on small, hand-made conversations: no database, milliseconds each.

The story: the partnership "Unge i Vollsmose" asks its members and the neighbourhood what the problem
really is. Mette's municipal unit, Lars's sports club, Sofie and her neighbours (citizens) and Jens's grocery
store (business) write statements and vote on each other's.
"""

import functools
import random

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from samskab.opinions import mapping
from samskab.opinions.mapping import VoteMatrix, VoteRecord, compute_opinion_map, next_statement


def planted(
    n: int = 240, m: int = 30, groups: int = 3, follow: float = 0.85, density: float = 0.7, seed: int = 1
) -> tuple[list[VoteRecord], dict[str, int], list[str]]:
    """Votes of `n` people in `groups` planted opinion groups: each votes its group's side with
    probability `follow`, passes 10 % of the time, and sees a statement with probability `density`."""
    rng = np.random.default_rng(seed)
    side = rng.choice([-1, 1], size=(groups, m))
    truth = {f"p{i:03d}": i % groups for i in range(n)}
    statements = [f"s{j}" for j in range(m)]
    records = []
    for person, group in truth.items():
        for j in np.flatnonzero(rng.random(m) < density):
            u = rng.random()
            value = 0 if u < 0.1 else int(side[group, j] if u < 0.1 + follow * 0.9 else -side[group, j])
            records.append(VoteRecord(person, statements[j], value))
    return records, truth, statements


def test_the_last_vote_counts_and_a_pass_is_a_vote() -> None:
    records = [
        VoteRecord("sofie", "s1", 1),
        VoteRecord("sofie", "s2", 0),
        VoteRecord("lars", "s1", -1),
        VoteRecord("sofie", "s1", -1),  # Sofie changed her mind
        VoteRecord("lars", "deleted", 1),  # a statement no longer in the conversation
    ]
    matrix = VoteMatrix.from_records(records, statements=["s1", "s2"])

    assert matrix.participants == ("lars", "sofie")
    assert matrix.n_votes == 3
    sofie = slice(matrix.indptr[1], matrix.indptr[2])
    assert dict(zip(matrix.indices[sofie].tolist(), matrix.values[sofie].tolist(), strict=True)) == {
        0: -1,
        1: 0,
    }


def test_a_vote_other_than_agree_disagree_or_pass_is_refused() -> None:
    with pytest.raises(ValueError, match="-1, 0 or 1"):
        VoteMatrix.from_records([VoteRecord("sofie", "s1", 2)], statements=["s1"])


def test_arrays_and_records_give_the_same_matrix() -> None:
    records, _truth, statements = planted(n=40, m=10)
    people = sorted({r.participant for r in records}, reverse=True)
    from_arrays = VoteMatrix.from_arrays(
        np.array([people.index(r.participant) for r in records]),
        np.array([statements.index(r.statement) for r in records]),
        np.array([r.value for r in records]),
        participants=people,
        statements=statements,
    )
    from_records = VoteMatrix.from_records(records, statements=statements)

    assert from_arrays.participants == from_records.participants
    for name in ("indptr", "indices", "values"):
        assert np.array_equal(getattr(from_arrays, name), getattr(from_records, name))


def test_numeric_participant_ids_sort_as_numbers() -> None:
    records = [VoteRecord(p, "s1", 1) for p in ("10", "9", "100", "1")]
    assert VoteMatrix.from_records(records, statements=["s1"]).participants == ("1", "9", "10", "100")


def dense_reference(values: np.ndarray, moderated: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Polis's PCA and projection written the slow, dense way: NaN = not voted."""
    rating = values.copy()
    rating[:, moderated] = 0.0  # moderated-out columns are zero for everybody, voted or not
    means = np.nanmean(rating, axis=0)
    filled = np.where(np.isnan(rating), means, rating)
    centred = filled - filled.mean(axis=0)
    _u, _s, vt = np.linalg.svd(centred, full_matrices=False)
    n_u = (~np.isnan(rating)).sum(axis=1)
    projection = centred @ vt[:2].T * np.sqrt(rating.shape[1] / n_u)[:, None]
    return vt[:2], projection


def test_sparse_pca_and_projection_equal_the_dense_polis_definition() -> None:
    rng = np.random.default_rng(7)
    values = rng.choice([-1.0, 0.0, 1.0], size=(60, 12))
    values[rng.random(values.shape) < 0.4] = np.nan
    values[:, :] = np.where(np.isnan(values).all(axis=0), 1.0, values)  # every statement has a vote
    statements = [f"s{j}" for j in range(12)]
    records = [
        VoteRecord(f"p{i:02d}", statements[j], int(values[i, j]))
        for i in range(60)
        for j in range(12)
        if not np.isnan(values[i, j])
    ]
    moderated = np.zeros(12, dtype=bool)
    moderated[[3, 8]] = True  # Mette's facilitator hid two statements as spam

    result = compute_opinion_map(records, statements=statements, moderated_out=["s3", "s8"])
    components, projection = dense_reference(values, moderated)

    for i in range(2):
        sign = np.sign(components[i] @ result.pca.components[i])
        assert np.allclose(result.pca.components[i], sign * components[i], atol=1e-10)
        assert np.allclose(result.coordinates[:, i], sign * projection[:, i], atol=1e-10)
    assert np.all(result.pca.components[:, moderated] == 0)
    assert np.all(result.statement_coordinates[moderated] == 0)


def test_who_is_in_the_conversation() -> None:
    # At least min(7, N) votes; with fewer than 15 such people the most active voters fill up to 15.
    counts = np.array([7, 6, 30, 1, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18])
    inside = mapping.in_conversation(counts, n_columns=40)
    assert inside.sum() == 15 and not inside[3]
    assert mapping.in_conversation(np.array([2, 2, 1]), n_columns=2).all()
    many = np.r_[np.full(20, 7), np.full(5, 6)]
    assert mapping.in_conversation(many, n_columns=40).tolist() == [True] * 20 + [False] * 5


def test_participants_load_in_polis_order_by_first_statement_then_id() -> None:
    # Statements ranked by id (2 < 5 < 7) whatever their display order; participants by the first of
    # those they voted on, ties by participant id.
    votes = [VoteRecord("1", "7", 1), VoteRecord("2", "5", -1), VoteRecord("3", "7", 0), VoteRecord("3", "2", 1)]
    votes.append(VoteRecord("10", "2", -1))
    matrix = VoteMatrix.from_records(votes, statements=["5", "2", "7"])
    assert matrix.participants == ("1", "2", "3", "10")
    order = mapping.loading_order(matrix, np.arange(4))
    assert [matrix.participants[i] for i in order] == ["3", "10", "2", "1"]
    assert list(mapping.loading_order(matrix, np.asarray([0, 1]))) == [1, 0]


def test_planted_opinion_groups_are_found() -> None:
    records, truth, statements = planted()
    result = compute_opinion_map(records, statements=statements)

    assert len(result.groups) == 3
    people = list(result.participant_group)
    assert adjusted_rand_score([truth[p] for p in people], [result.participant_group[p] for p in people]) > 0.9
    assert [len(g.members) for g in result.groups] == sorted((len(g.members) for g in result.groups), reverse=True)
    for group in result.groups:
        assert 1 <= len(group.representative) <= 5
        assert [r.direction for r in group.representative] == sorted(
            (r.direction for r in group.representative), key=lambda d: d != "agree"
        )


def test_the_same_votes_in_another_row_order_give_the_same_map() -> None:
    records, _truth, statements = planted(n=180, m=25, seed=3)
    shuffled = records[:]
    random.Random(5).shuffle(shuffled)  # each pair is voted once, so time order does not matter here

    first = compute_opinion_map(records, statements=statements)
    second = compute_opinion_map(shuffled, statements=statements)

    assert first.participants == second.participants
    assert first.participant_group == second.participant_group
    assert np.array_equal(first.coordinates, second.coordinates)
    assert [g.representative for g in first.groups] == [g.representative for g in second.groups]


def test_no_group_is_a_lonely_outlier() -> None:
    records, _truth, statements = planted(n=60, m=20, groups=2, seed=4)
    # One participant disagrees with everything everybody else thinks.
    records += [VoteRecord("contrarian", s, -1 if i % 2 else 1) for i, s in enumerate(statements)]
    result = compute_opinion_map(records, statements=statements)

    assert result.groups
    assert min(len(g.members) for g in result.groups) >= mapping.MIN_GROUP_SIZE


@pytest.mark.parametrize(
    ("height", "split"),
    [
        # Left | right is 0.2 % worse than top / bottom: a near tie, so Polis's start decides.
        (1.001, "left-right"),
        # Left | right is 2 % worse: clearly worse, so the best solution found wins.
        (1.01, "top-bottom"),
    ],
)
def test_polis_start_decides_between_near_equal_groupings(height: float, split: str) -> None:
    # Four base clusters at the corners of a rectangle. Polis's start (the first two distinct centres, the
    # bottom corners) leads k-means to split left from right; restarts also find top from bottom.
    centres = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, height], [1.0, height]])
    clustering = mapping.group_clusters(centres, np.ones(4, dtype=np.int64))

    left_right = [0, 1, 0, 1]
    top_bottom = [0, 0, 1, 1]
    assert clustering.k == 2
    assert adjusted_rand_score(clustering.labels, left_right if split == "left-right" else top_bottom) == 1.0


@pytest.mark.parametrize(
    "records",
    [
        [],
        [VoteRecord("sofie", "s1", 1)],
        [VoteRecord("sofie", "s1", 1), VoteRecord("lars", "s2", -1), VoteRecord("jens", "s1", 0)],
        [VoteRecord(p, s, 1) for p in ("sofie", "lars", "jens") for s in ("s1", "s2")],  # all agree
    ],
    ids=["no votes", "one vote", "three people two statements", "everybody agrees"],
)
def test_a_tiny_conversation_gives_a_map_without_groups(records: list[VoteRecord]) -> None:
    result = compute_opinion_map(records, statements=["s1", "s2"], participant_sectors={"sofie": "CITIZEN"})

    assert result.groups == [] and result.participant_group == {} and result.group_informed_consensus == {}
    assert result.coordinates.shape == (len(result.participants), 2)
    assert result.statement_coordinates.shape == (2, 2)
    assert np.isfinite(result.coordinates).all() and np.isfinite(result.statement_coordinates).all()
    assert result.n_votes == len({(r.participant, r.statement) for r in records})


def test_two_camps_that_vote_all_alike_are_two_groups() -> None:
    records = [VoteRecord(f"yes-{i}", s, 1) for i in range(10) for s in ("s1", "s2", "s3")]
    records += [VoteRecord(f"no-{i}", s, -1) for i in range(10) for s in ("s1", "s2", "s3")]
    result = compute_opinion_map(records, statements=["s1", "s2", "s3"])

    assert sorted(sorted(g.members) for g in result.groups) == [
        sorted(f"no-{i}" for i in range(10)),
        sorted(f"yes-{i}" for i in range(10)),
    ]


def test_statements_must_not_repeat() -> None:
    with pytest.raises(ValueError, match="repeat"):
        compute_opinion_map([], statements=["s1", "s1"])


def test_a_moderated_out_statement_is_never_shown_as_a_result() -> None:
    records, _truth, statements = planted(n=90, m=12, seed=2)
    sectors = {r.participant: ("CITIZEN" if int(r.participant[1:]) % 2 else "ASSOCIATION") for r in records}
    result = compute_opinion_map(records, statements=statements, moderated_out=["s0"], participant_sectors=sectors)

    shown = [r.statement for g in result.groups for r in g.representative]
    shown += [c.statement for c in result.consensus.agree + result.consensus.disagree]
    shown += [b.statement for b in result.bridging] + list(result.priorities)
    assert "s0" not in shown
    assert "s0" in result.group_informed_consensus  # Polis counts it there from the raw votes


def test_the_seed_fixes_the_result() -> None:
    records, _truth, statements = planted(n=150, m=20, seed=6)
    a = compute_opinion_map(records, statements=statements, seed=11)
    b = compute_opinion_map(records, statements=statements, seed=11)
    assert a.participant_group == b.participant_group and np.array_equal(a.coordinates, b.coordinates)


def vote_share(records: list[VoteRecord], people: list[str], statement: str, agree: float) -> None:
    """The first `agree` share of `people` agree with `statement`, the rest disagree."""
    cut = round(len(people) * agree)
    records += [VoteRecord(p, statement, 1 if i < cut else -1) for i, p in enumerate(people)]


def test_one_large_sector_cannot_outvote_the_others() -> None:
    municipality = [f"mette-{i}" for i in range(6)]
    association = [f"lars-{i}" for i in range(6)]
    citizens = [f"sofie-{i}" for i in range(200)]
    business = [f"jens-{i}" for i in range(5)]
    sectors = {p: "MUNICIPALITY" for p in municipality} | {p: "ASSOCIATION" for p in association}
    sectors |= {p: "CITIZEN" for p in citizens} | {p: "BUSINESS" for p in business}
    records: list[VoteRecord] = []
    # "Close the square at night": the citizens love it, every other sector rejects it.
    for people, share in ((citizens, 1.0), (municipality, 0.0), (association, 0.0), (business, 0.0)):
        vote_share(records, people, "close-the-square", share)
    # "The young need a place to be": two thirds agree in every sector.
    for people in (citizens, municipality, association, business):
        vote_share(records, people, "a-place-to-be", 2 / 3)

    result = compute_opinion_map(records, statements=["close-the-square", "a-place-to-be"], participant_sectors=sectors)
    by_statement = {b.statement: b for b in result.bridging}
    square, place = by_statement["close-the-square"], by_statement["a-place-to-be"]

    # A head count would pick the square (200 of 217 agree); the sectors pick a place to be.
    assert [b.statement for b in result.bridging] == ["a-place-to-be", "close-the-square"]
    assert place.score > 10 * square.score
    assert square.divisive and not place.divisive
    assert square.per_sector["CITIZEN"] == mapping.SectorShares(agree=1.0, disagree=0.0, pass_=0.0, seen=200)
    assert square.per_sector["BUSINESS"].disagree == 1.0
    assert set(place.per_sector) == {"MUNICIPALITY", "ASSOCIATION", "CITIZEN", "BUSINESS"}
    # More citizens agreeing changes nothing much: their factor is already close to 1.
    assert square.score == pytest.approx(201 / 202 * (1 / 8) ** 2 * (1 / 7), rel=1e-12)


def test_a_sector_that_has_not_seen_a_statement_holds_it_back() -> None:
    sectors = {"mette": "MUNICIPALITY", "sofie": "CITIZEN"}
    records = [VoteRecord("mette", "seen-by-both", 1), VoteRecord("sofie", "seen-by-both", 1)]
    records += [VoteRecord("sofie", "citizens-only", 1)]
    result = compute_opinion_map(
        records, statements=["seen-by-both", "citizens-only"], participant_sectors=sectors, sector_min_voters=1
    )
    scores = {b.statement: b.score for b in result.bridging}
    assert scores == {"seen-by-both": pytest.approx(4 / 9), "citizens-only": pytest.approx(1 / 3)}


def test_a_sector_with_too_few_voters_is_withheld_and_counts_only_within_the_pool() -> None:
    # The partnership's one business member disagrees with everything. His sector is known to all, so his shares
    # would be his votes: they are withheld. The rest would then be his vote too (everybody's minus the shown
    # sectors'), so the smallest shown sector, the first of equal ones, is withheld with his. The two withheld
    # sectors speak together: the five associations and he, six people whose votes anyone can work out anyway.
    sectors = {f"{s}-{i}": s.upper() for s in ("association", "citizen", "municipality") for i in range(5)}
    records = [VoteRecord(p, st, 1 if i % 5 else -1) for i, p in enumerate(sectors) for st in ("s1", "s2")]
    with_jens = records + [VoteRecord("jens", st, -1) for st in ("s1", "s2")]
    result = compute_opinion_map(with_jens, statements=["s1", "s2"], participant_sectors=sectors | {"jens": "BUSINESS"})
    alone = compute_opinion_map(records, statements=["s1", "s2"], participant_sectors=sectors)
    for row in result.bridging:
        assert row.withheld == ("ASSOCIATION", "BUSINESS")
        assert set(row.per_sector) == {"CITIZEN", "MUNICIPALITY"}
        # Four of the six agree: (4 + 1) / (6 + 2), for one of the two withheld sectors.
        assert row.pooled == mapping.SectorShares(agree=4 / 6, disagree=2 / 6, pass_=0.0, seen=6)
        assert row.min_agree == pytest.approx(5 / 8) and not row.divisive
    # Without him the association is shown, (4 + 1) / (5 + 2), and there is no business sector. With him, the pool
    # stands for one of the two and the other counts 1/2: which of them voted cannot be said.
    assert [b.score for b in result.bridging] == pytest.approx([b.score * 7 / 5 * 5 / 8 / 2 for b in alone.bridging])
    assert all(b.withheld == () and len(b.per_sector) == 3 for b in alone.bridging)
    # Had he voted on one statement only, the other would look the same: withheld for his sector as well.
    once = compute_opinion_map(
        [*records, VoteRecord("jens", "s1", -1)],
        statements=["s1", "s2"],
        participant_sectors=sectors | {"jens": "BUSINESS"},
    )
    assert {b.statement: b.withheld for b in once.bridging} == {
        "s1": ("ASSOCIATION", "BUSINESS"),  # his vote, and the association's with it (the rest would be his)
        "s2": ("BUSINESS",),
    }


def test_the_pool_speaks_once_and_never_for_a_sector_that_may_not_have_voted() -> None:
    # Forty citizens and three from the municipality agree; one association member agrees; no business voted.
    # The association's one vote withholds the municipality with it, and the pool of four agrees. It stands for
    # one withheld sector, not three: the statement must not look as if businesses supported it.
    sectors = {f"citizen-{i}": "CITIZEN" for i in range(40)} | {f"municipality-{i}": "MUNICIPALITY" for i in range(3)}
    sectors |= {f"association-{i}": "ASSOCIATION" for i in range(3)} | {f"business-{i}": "BUSINESS" for i in range(3)}
    records = [VoteRecord(p, "seen", 1) for p in sectors if p.startswith(("citizen", "municipality"))]
    records += [VoteRecord("association-0", "seen", 1)]
    records += [VoteRecord(p, "other", 1) for p in sectors]  # three or more from every sector
    result = compute_opinion_map(records, statements=["seen", "other"], participant_sectors=sectors)
    seen = next(b for b in result.bridging if b.statement == "seen")
    assert seen.withheld == ("ASSOCIATION", "BUSINESS", "MUNICIPALITY") and set(seen.per_sector) == {"CITIZEN"}
    assert seen.pooled is not None and seen.pooled.seen == 4
    assert seen.score == pytest.approx(41 / 42 * 5 / 6 * 0.5 * 0.5)
    assert seen.min_agree == pytest.approx(5 / 6)
    # Where all four are shown and agree, the statement ranks above it.
    everybody = next(b for b in result.bridging if b.statement == "other")
    assert everybody.pooled is None and everybody.score > seen.score


@pytest.mark.parametrize("seed", range(20))
def test_what_is_shown_of_the_sectors_never_gives_away_fewer_than_three_votes(seed: int) -> None:
    rng = np.random.default_rng(seed)
    sizes = dict(zip(("ASSOCIATION", "BUSINESS", "CITIZEN", "MUNICIPALITY"), rng.integers(0, 6, 4), strict=True))
    sectors = {f"{s}-{i}": s for s, n in sizes.items() for i in range(n)} | {"nobody-knows": ""}
    statements = [f"s{j}" for j in range(8)]
    records = [
        VoteRecord(p, st, int(rng.choice([-1, 0, 1]))) for p in sectors for st in statements if rng.random() < 0.6
    ]
    result = compute_opinion_map(
        records, statements=statements, participant_sectors={p: s for p, s in sectors.items() if s}
    )
    for row in result.bridging:
        j = result.statements.index(row.statement)
        shown = sum(s.seen for s in row.per_sector.values())
        assert all(s.seen >= mapping.SECTOR_MIN_VOTERS for s in row.per_sector.values())
        # Every sector present is shown or withheld, so the statements a sector's one member voted on are not told
        # apart from those nobody from it voted on.
        assert sorted([*row.per_sector, *row.withheld]) == sorted({sectors[r.participant] for r in records} - {""})
        if shown:  # with no sector shown, what is left is the statement's overall count, shown anyway
            assert not 0 < int(result.votes.seen[j]) - shown < mapping.SECTOR_MIN_VOTERS
        # The pool is everybody not in a shown sector, where a sector is shown beside withheld ones.
        rest = int(result.votes.seen[j]) - shown
        assert (row.pooled is not None) == bool(row.per_sector and row.withheld and rest)
        if row.pooled is not None:
            assert row.pooled.seen == rest >= mapping.SECTOR_MIN_VOTERS
            agreed = int(result.votes.agree[j]) - sum(round(s.agree * s.seen) for s in row.per_sector.values())
            assert round(row.pooled.agree * rest) == agreed
        assert not set(row.per_sector) & set(row.withheld)


def test_the_next_statement_is_the_most_telling_one_not_yet_voted() -> None:
    counts = {"s1": 40, "s2": 40, "s3": 40}
    coordinates = {"s1": (0.1, 0.0), "s2": (3.0, 4.0), "s3": (0.2, 0.1)}
    pick = functools.partial(next_statement, votes_seen=counts, statement_coordinates=coordinates)

    assert pick(candidates=["s1", "s2", "s3"]) == "s2"  # the most extreme
    assert pick(candidates=["s1", "s2", "s3"], voted=["s2"]) == "s3"
    assert pick(candidates=["s1", "s2", "s3"], voted=["s1", "s2", "s3"]) is None
    # A brand-new statement without votes or position is shown early.
    assert pick(candidates=["s1", "s3", "new"]) == "new"
    # Polis shows meta statements first.
    assert pick(candidates=["s1", "s2"], meta=["s1"]) == "s1"


def test_ties_are_broken_by_the_seed() -> None:
    tied = [f"s{i}" for i in range(10)]
    picks = {next_statement(candidates=tied, seed=seed) for seed in range(30)}
    assert len(picks) > 3
    assert next_statement(candidates=tied, seed="participant-17") == next_statement(
        candidates=tied, seed="participant-17"
    )
    weighted = next_statement(candidates=tied, seed=4, weighted=True)
    assert weighted == next_statement(candidates=tied, seed=4, weighted=True)


def test_priority_is_polis_comment_priority() -> None:
    # Polis: importance = (1 - p_pass)(1 + extremity) p_agree, priority = (importance (1 + 8 * 2^(-S/5)))^2
    value = mapping.statement_priority(
        n_agree=np.array([6.0]), n_pass=np.array([2.0]), n_seen=np.array([10.0]), extremity=np.array([1.5])
    )
    importance = (1 - 3 / 12) * 2.5 * (7 / 12)
    assert value[0] == pytest.approx((importance * (1 + 8 * 2 ** (-2))) ** 2)


def test_the_matrix_factorisation_rewards_agreement_across_the_divide() -> None:
    rng = np.random.default_rng(0)
    records: list[VoteRecord] = []
    east, west = [f"east-{i}" for i in range(300)], [f"west-{i}" for i in range(100)]

    def vote(people: list[str], statement: str, share: float) -> None:
        records.extend(VoteRecord(p, statement, 1 if rng.random() < share else -1) for p in people)

    for j in range(10):  # the statements that divide the neighbourhood
        for statement, east_share in ((f"east-view-{j}", 0.9), (f"west-view-{j}", 0.1)):
            vote(east, statement, east_share)
            vote(west, statement, 1 - east_share)
    vote(east, "both-sides", 0.75)  # 75 % everywhere
    vote(west, "both-sides", 0.75)
    vote(east, "east-only", 0.97)  # also about 75 % overall
    vote(west, "east-only", 0.1)
    statements = sorted({r.statement for r in records})

    result = compute_opinion_map(records, statements=statements, mf_bridging=True)
    again = compute_opinion_map(records, statements=statements, mf_bridging=True)

    best = max(result.mf_bridging, key=lambda s: result.mf_bridging[s])
    assert best == "both-sides"
    assert result.mf_bridging["both-sides"] > result.mf_bridging["east-only"] + 0.05
    assert result.mf_bridging == again.mf_bridging
    assert compute_opinion_map(records, statements=statements).mf_bridging == {}


def test_next_statement_from_the_last_maps_priorities() -> None:
    """Between maps the page serves the stored priorities; a statement written since counts as new."""
    from samskab.opinions.mapping import NEW_STATEMENT_PRIORITY

    stored = {"a": 3.0, "b": NEW_STATEMENT_PRIORITY * 2, "c": 1.0}
    assert next_statement(candidates=["a", "b", "c"], priorities=stored) == "b"
    assert next_statement(candidates=["a", "c", "new"], priorities=stored) == "new"  # 20.25 beats 3.0
    assert next_statement(candidates=["a", "c"], voted=["a"], priorities=stored) == "c"
