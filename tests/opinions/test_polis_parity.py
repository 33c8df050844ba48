"""The engine against Polis itself, on the reference data in ../shared/data/polis (read in place).

fixtures/: five conversations with the Polis math engine's own output. Given the same votes and Polis's own
group labels, representative statements, consensus and group-informed consensus must come out the same.
opendata/: eight exported conversations; our groups are compared with Polis's `group-id` by adjusted Rand
index. Polis's live engine is path-dependent (warm starts, sticky membership, k smoothing), so a one-shot
computation cannot reach 1 everywhere; the floors below pin what this engine reaches, so a change that
makes it worse fails. The issue's target (at least red-dwarf's ARI on every conversation and a mean of
0.90) is not met: canadian-electoral-reform 0.96 (red-dwarf 1.00); mean 0.886 (red-dwarf 0.77).
docs/benchmarks.md shows why: the base clusters' starting order alone moves each conversation's ARI by
about ±0.04, and Polis's reference groups are one such draw from its history.
"""

import functools
import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from samskab.opinions import mapping, polis_io
from samskab.opinions.mapping import VoteRecord, compute_opinion_map

POLIS = Path(__file__).resolve().parents[3] / "shared" / "data" / "polis"

FIXTURES = [
    "150ptpt-3gp-no-strict-no-meta",
    "25ptpt-3gp-no-strict-with-meta",
    "50ptpt-3gp-strict-no-meta",
    "above-100-ptpts",
    "below-100-ptpts",
]

# conversation: (our adjusted Rand index floor, red-dwarf 0.4.0's from the data README)
OPENDATA = {
    "15-per-hour-seattle": (0.88, 0.46),
    "american-assembly.bowling-green": (0.55, 0.42),
    "austria-climate.5twd2jsnkf.2022-08-08": (0.97, 0.95),
    "brexit-consensus": (0.85, 0.64),
    "canadian-electoral-reform": (0.96, 1.00),
    "scoop-hivemind.biodiversity": (0.98, 0.95),
    "scoop-hivemind.taxes": (0.92, 0.91),
    "vtaiwan.uberx": (0.92, 0.83),
}
MEAN_FLOOR = 0.88


def polis_data(*parts: str) -> Path:
    """A path under ../shared/data/polis; a missing folder fails the test (never a silent skip)."""
    path = POLIS.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"{path} is missing: these tests need the shared Polis reference data", pytrace=False)
    return path


# --- fixtures: exact parity given Polis's groups --------------------------------------------------------


def _id(item: dict[str, Any], *keys: str) -> str:
    return str(next(item[k] for k in keys if k in item))


@functools.cache
def fixture_map(name: str) -> tuple[mapping.OpinionMap, dict[str, Any], list[str]]:
    folder = polis_data("fixtures", name)
    math = json.loads((folder / "math-pca2.json").read_text())
    votes = json.loads((folder / "votes.json").read_text())
    comments = json.loads((folder / "comments.json").read_text())
    votes.sort(key=lambda v: float(v["modified"]))
    records = [
        VoteRecord(_id(v, "participant_id", "pid"), _id(v, "statement_id", "tid"), int(v["vote"])) for v in votes
    ]
    statements = sorted((_id(c, "statement_id", "tid") for c in comments), key=int)
    # Polis moderates out what a moderator rejected and every meta statement.
    moderated = [
        _id(c, "statement_id", "tid") for c in comments if c.get("moderated", c.get("mod")) == -1 or c["is_meta"]
    ]
    assert sorted(moderated, key=int) == sorted((str(t) for t in math["mod-out"]), key=int)
    base = dict(zip(math["base-clusters"]["id"], math["base-clusters"]["members"], strict=True))
    groups = {str(p): g["id"] for g in math["group-clusters"] for b in g["members"] for p in base[b]}
    return (
        compute_opinion_map(records, statements=statements, moderated_out=moderated, fixed_groups=groups),
        math,
        statements,
    )


@pytest.mark.parametrize("name", FIXTURES)
def test_representative_statements_and_consensus_equal_polis(name: str) -> None:
    result, math, _statements = fixture_map(name)

    assert {str(g.id) for g in result.groups} == set(math["repness"])
    for group in result.groups:
        expected = math["repness"][str(group.id)]
        assert [r.statement for r in group.representative] == [str(e["tid"]) for e in expected]
        for ours, polis in zip(group.representative, expected, strict=True):
            assert ours.direction == polis["repful-for"]
            assert ours.best_agree == polis.get("best-agree", False)
            assert (ours.n_success, ours.n_trials) == (polis["n-success"], polis["n-trials"])
            assert ours.p_success == pytest.approx(polis["p-success"], abs=1e-9)
            assert ours.p_test == pytest.approx(polis["p-test"], abs=1e-9)
            assert ours.repness == pytest.approx(polis["repness"], abs=1e-9)
            # Polis publishes the two-proportion z-score in single precision.
            assert np.float32(ours.repness_test) == np.float32(polis["repness-test"])

    for direction in ("agree", "disagree"):
        ours_c = getattr(result.consensus, direction)
        expected_c = math["consensus"][direction]
        assert [c.statement for c in ours_c] == [str(e["tid"]) for e in expected_c]
        for ours_item, polis_item in zip(ours_c, expected_c, strict=True):
            assert (ours_item.n_success, ours_item.n_trials) == (
                polis_item["n-success"],
                polis_item["n-trials"],
            )
            assert ours_item.p_success == pytest.approx(polis_item["p-success"], abs=1e-9)
            assert ours_item.p_test == pytest.approx(polis_item["p-test"], abs=1e-9)

    expected_gac = math["group-aware-consensus"]
    assert set(result.group_informed_consensus) == set(expected_gac)
    for statement, value in expected_gac.items():
        assert result.group_informed_consensus[statement] == pytest.approx(value, abs=1e-9)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return abs(float(a @ b)) / float(np.linalg.norm(a) * np.linalg.norm(b))


@pytest.mark.parametrize("name", FIXTURES)
def test_pca_matches_polis_up_to_sign(name: str) -> None:
    result, math, statements = fixture_map(name)
    columns = [statements.index(str(t)) for t in math["tids"]]
    polis_projection = np.asarray(math["pca"]["comment-projection"])
    for i in range(2):
        assert cosine(result.pca.components[i, columns], np.asarray(math["pca"]["comps"][i])) >= 0.99
        assert cosine(result.statement_coordinates[columns, i], polis_projection[i]) >= 0.99


@pytest.mark.parametrize("name", FIXTURES)
def test_comment_priorities_match_polis(name: str) -> None:
    result, math, _statements = fixture_map(name)
    meta = {str(t) for t in math["meta-tids"]}
    expected = {k: v for k, v in math["comment-priorities"].items() if k not in meta and k in result.priorities}
    if name == "50ptpt-3gp-strict-no-meta":
        # Polis stored 49 (its meta priority) for every statement of this fixture, which its votes do not
        # explain; red-dwarf flags the same fixture's data as incomplete.
        assert set(expected.values()) == {49}
        return
    assert len(expected) >= len(result.priorities) - 1
    for statement, value in expected.items():
        assert result.priorities[statement] == pytest.approx(value, rel=1e-9)


@pytest.mark.parametrize("name", FIXTURES)
def test_group_kmeans_from_polis_start_gives_polis_groups_on_its_base_clusters(name: str) -> None:
    # Polis's groups are the weighted k-means of its base-cluster centres (weights: members) started from the
    # first k distinct centres in id order, and usually not the lowest sum of squares (docs/benchmarks.md).
    math = json.loads((polis_data("fixtures", name) / "math-pca2.json").read_text())
    base = math["base-clusters"]
    order = np.argsort(base["id"])
    ids = np.asarray(base["id"])[order]
    centres = np.column_stack([base["x"], base["y"]])[order]
    weights = np.asarray(base["count"], dtype=np.float64)[order]
    group_of = {b: g["id"] for g in math["group-clusters"] for b in g["members"]}
    polis = np.asarray([group_of[b] for b in ids])
    k = len(math["group-clusters"])
    found, labels = mapping.weighted_kmeans(
        centres, weights, mapping._first_distinct(centres, k), max_iterations=mapping.GROUP_ITERATIONS
    )
    assert adjusted_rand_score(polis, labels) == 1.0
    polis_centres = np.asarray([g["center"] for g in sorted(math["group-clusters"], key=lambda g: g["id"])])
    assert np.allclose(found[[labels[polis == g][0] for g in range(k)]], polis_centres, atol=1e-9)


# --- opendata: our groups against Polis's group-id ------------------------------------------------------


def opendata_map(name: str) -> tuple[mapping.OpinionMap, polis_io.PolisConversation]:
    conversation = polis_io.read_opendata(polis_data("opendata", name))
    result = compute_opinion_map(
        conversation.vote_matrix(),
        statements=conversation.statement_ids,
        moderated_out=conversation.moderated_out,
    )
    return result, conversation


def ari_against_polis(result: mapping.OpinionMap, conversation: polis_io.PolisConversation) -> tuple[float, int]:
    """ARI over the participants both engines placed in a group, and how many those are."""
    polis = conversation.polis_groups
    both = [p for p in polis if p in result.participant_group]
    return adjusted_rand_score([polis[p] for p in both], [result.participant_group[p] for p in both]), len(both)


_ARI: dict[str, float] = {}


@pytest.mark.parametrize("name", list(OPENDATA))
def test_groups_agree_with_polis(name: str) -> None:
    floor, _red_dwarf = OPENDATA[name]
    result, conversation = opendata_map(name)
    ari, compared = ari_against_polis(result, conversation)
    _ARI[name] = ari

    assert ari >= floor, f"{name}: adjusted Rand index {ari:.3f} < {floor}"
    # Polis grouped a few people with fewer than 7 votes (its membership is sticky); we group the rest.
    assert compared >= 0.95 * len(conversation.polis_groups)
    assert len(result.groups) == 2  # Polis found two groups in each


def test_mean_agreement_with_polis() -> None:
    scores = [_ARI[name] if name in _ARI else ari_against_polis(*opendata_map(name))[0] for name in OPENDATA]
    assert np.mean(scores) >= MEAN_FLOOR


def test_real_votes_in_another_row_order_give_the_same_groups() -> None:
    conversation = polis_io.read_opendata(polis_data("opendata", "canadian-electoral-reform"))
    matrix = conversation.vote_matrix()
    rows = matrix.entry_rows()
    records = [
        VoteRecord(matrix.participants[r], matrix.statements[c], int(v))
        for r, c, v in zip(rows, matrix.indices, matrix.values, strict=True)
    ]
    shuffled = records[:]
    random.Random(2).shuffle(shuffled)
    statements, moderated = conversation.statement_ids, conversation.moderated_out

    first = compute_opinion_map(records, statements=statements, moderated_out=moderated)
    second = compute_opinion_map(shuffled, statements=statements, moderated_out=moderated)
    assert first.participant_group == second.participant_group
