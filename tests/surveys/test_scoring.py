"""COPSOQ scoring, worked by hand: the arithmetic is in the comments."""

import math

import numpy as np
import pytest
from django.template.defaultfilters import floatformat
from scipy import stats

from samskab.surveys.instruments import get_instrument, parse_instrument
from samskab.surveys.scoring import (
    MIN_ALPHA_RESPONDENTS,
    AlphaVerdict,
    compare_groups,
    compare_means,
    cronbach_alpha,
    cronbach_alpha_by,
    group_means,
    item_points,
    person_scores,
    points,
    reliability,
    score_instrument,
    score_scale,
    share_at_or_above,
)
from samskab.surveys.services import rounded

nan = float("nan")


def test_positions_on_a_five_point_scale_become_0_25_50_75_100() -> None:
    # 100 * position / (5 - 1)
    assert points([0, 1, 2, 3, 4], 5).tolist() == [0, 25, 50, 75, 100]
    # Reversed: 100 - points, so "to a very large extent" withholding information scores 0.
    assert points([0, 1, 2, 3, 4], 5, reverse=True).tolist() == [100, 75, 50, 25, 0]
    # Four points: 0, 100/3, 200/3, 100.
    assert points([0, 1, 2, 3], 4) == pytest.approx([0, 33.333, 66.667, 100], abs=1e-3)
    # Missing stays missing; one flag per column.
    got = points([[0, 4], [nan, 1]], 5, reverse=[False, True])
    assert got[0].tolist() == [0, 0] and math.isnan(got[1, 0]) and got[1, 1] == 75


def test_a_person_needs_at_least_half_of_the_items() -> None:
    four = [
        [100, 50, 0, 75],  # (100 + 50 + 0 + 75) / 4 = 56.25
        [100, nan, nan, 50],  # 2 of 4 answered: (100 + 50) / 2 = 75
        [nan, nan, nan, 25],  # 1 of 4: no score
    ]
    got = person_scores(four)
    assert got[:2].tolist() == [56.25, 75] and math.isnan(got[2])
    three = [[25, nan, nan], [25, 75, nan]]  # 1 of 3 is under half; 2 of 3: (25 + 75) / 2 = 50
    got = person_scores(three)
    assert math.isnan(got[0]) and got[1] == 50
    assert person_scores([[nan, 50]]).tolist() == [50]  # 1 of 2 is half


def test_vertical_trust_from_stored_answers() -> None:
    copsoq = get_instrument("copsoq3-selected")
    # TM1, TMX2, TM4 straight; TM3 ("does the management withhold information") reversed.
    answers = {
        "TM1": [100, 75, None],
        "TMX2": [50, None, None],
        "TM3": [0, 25, None],  # reversed: 100, 75
        "TM4": [100, None, 0],
    }
    # Omar: (100 + 50 + 100 + 100) / 4 = 87.5; second: (75 + 75) / 2 = 75; third: 1 of 4, no score.
    got = score_scale(copsoq, "TM", answers)
    assert got[:2].tolist() == [87.5, 75] and math.isnan(got[2])


def test_no_superior_counts_as_missing_and_unknown_values_are_refused() -> None:
    copsoq = get_instrument("copsoq3-selected").at_level("CORE")  # QL3, QL4
    got = score_scale(copsoq, "QL", {"QL3": np.array([75.0, nan]), "QL4": [None, 25]})
    assert got.tolist() == [75, 25]
    with pytest.raises(ValueError, match="not values of response scale"):
        score_scale(copsoq, "QL", {"QL3": [80], "QL4": [25]})


def test_zero_to_ten_scales_keep_their_values() -> None:
    trust = get_instrument("community-trust")
    # ESS social trust: (7 + 5 + 6) / 3 = 6; second person answered "don't know" twice: 1 of 3, no score.
    got = score_scale(
        trust, "ess_social_trust", {"ESS_PPLTRST": [7, 8], "ESS_PPLFAIR": [5, None], "ESS_PPLHLP": [6, None]}
    )
    assert got[0] == 6 and math.isnan(got[1])


def test_reversed_item_on_a_mean_scale_is_min_plus_max_minus_value() -> None:
    data = {
        "id": "zero-ten",
        "version": 1,
        "name_da": "Nul til ti",
        "name_en": "Zero to ten",
        "source": "tests",
        "source_da": "tests",
        "licence": "tests",
        "licence_da": "tests",
        "validated": False,
        "response_scales": [
            {
                "id": "z",
                "wording": {"da": "own", "en": "own"},
                "options": [{"value": v, "label_da": str(v), "label_en": str(v)} for v in range(11)],
            }
        ],
        "items": [
            {
                "id": i,
                "type": "choice",
                "text_da": i,
                "text_en": i,
                "response_scale": "z",
                "reversed": i == "B",
                "scale": "s",
                "sensitive": False,
                "wording": {"da": "own", "en": "own"},
            }
            for i in ("A", "B")
        ],
        "scales": [
            {"id": "s", "name_da": "S", "name_en": "S", "items": ["A", "B"], "scoring": "mean", "validated": False}
        ],
    }
    instrument = parse_instrument(data)
    # A = 8, B = 3 reversed: 0 + 10 - 3 = 7; mean (8 + 7) / 2 = 7.5
    assert item_points(instrument, "s", {"A": [8], "B": [3]}).tolist() == [[8, 7]]
    assert score_instrument(instrument, {"A": [8], "B": [3]})["s"].tolist() == [7.5]


def test_group_means_with_a_t_interval() -> None:
    # Team a: 50, 60, 70 -> mean 60; sd = sqrt((100 + 0 + 100) / 2) = 10; se = 10 / sqrt(3) = 5.7735;
    # t(0.975, df=2) = 4.3027 (table); half-width 4.3027 * 5.7735 = 24.841 -> [35.159, 84.841].
    # Team b: one score (a NaN is nobody) -> no interval.
    a, b = group_means([50, 60, 70, nan, 80], ["a", "a", "a", "b", "b"])
    assert (a.group, a.n, a.mean, a.sd) == ("a", 3, 60, 10)
    assert (a.ci_low, a.ci_high) == pytest.approx((35.159, 84.841), abs=1e-3)
    assert (b.group, b.n, b.mean) == ("b", 1, 80) and math.isnan(b.ci_low)
    (everyone,) = group_means([0, 100])
    # 0 and 100: mean 50, sd = sqrt(2 * 2500 / 1) = 70.71; t(0.975, 1) = 12.706; se = 50 -> ±635.3
    assert everyone.group == "all" and everyone.ci_high == pytest.approx(50 + 12.7062 * 50, abs=1e-2)


def test_cronbach_alpha_by_hand() -> None:
    # Item 1: 0, 50, 100 -> variance (2500 + 0 + 2500) / 2 = 2500; item 2: 25, 50, 75 -> 625.
    # Row sums 25, 100, 175 -> variance (5625 + 0 + 5625) / 2 = 5625.
    # alpha = 2 / 1 * (1 - (2500 + 625) / 5625) = 2 * 0.4444 = 0.8889
    matrix = [[0, 25], [50, 50], [100, 75], [nan, 0]]  # the incomplete row is left out
    assert cronbach_alpha(matrix) == pytest.approx(0.8889, abs=1e-4)
    # Perfectly opposite items: variances 2500 and 2500, sums constant (variance 0) -> undefined.
    assert math.isnan(cronbach_alpha([[0, 100], [50, 50], [100, 0]]))
    assert math.isnan(cronbach_alpha([[0], [50]]))  # one item
    by_wave = cronbach_alpha_by([[0, 25], [50, 50], [100, 75], [0, 0], [100, 100]], [1, 1, 1, 2, 2])
    # Wave 2: both items 0, 100 -> variances 5000 each, sums 0, 200 -> 20000; 2 * (1 - 10000 / 20000) = 1
    assert by_wave[1] == pytest.approx(0.8889, abs=1e-4) and by_wave[2] == pytest.approx(1.0)


def test_differences_under_five_points_are_not_meaningful() -> None:
    assert not compare_means(60, 64.9).meaningful
    assert compare_means(60, 65).meaningful and compare_means(60, 65).delta == 5
    assert compare_means(70, 62).meaningful and compare_means(70, 62).delta == -8
    assert not compare_means(nan, 80).meaningful
    assert not compare_means(6.0, 7.0, min_difference=1.5).meaningful  # a 0-10 scale needs its own minimum


def test_a_change_is_noticeable_only_above_the_minimum_and_outside_its_interval() -> None:
    # The QA's case: ten people each round, 50 -> 57.5 (+7.5 points), their intervals overlapping.
    before = [25, 25, 50, 50, 50, 50, 50, 50, 75, 75]
    after = [25, 50, 50, 50, 75, 75, 50, 75, 50, 75]
    diff = compare_groups(before, after)
    # Welch: se = √(s₁²/10 + s₂²/10), df = se⁴ / ((s₁²/10)²/9 + (s₂²/10)²/9), delta ± t(0.975; df) × se.
    s1, s2 = np.var(before, ddof=1), np.var(after, ddof=1)
    se = math.sqrt(s1 / 10 + s2 / 10)
    df = (s1 / 10 + s2 / 10) ** 2 / ((s1 / 10) ** 2 / 9 + (s2 / 10) ** 2 / 9)
    half = stats.t.ppf(0.975, df) * se
    assert diff.delta == pytest.approx(7.5)
    assert (diff.ci_low, diff.ci_high) == pytest.approx((7.5 - half, 7.5 + half))
    assert diff.ci_low < 0 < diff.ci_high
    assert diff.large and not diff.distinguishable and not diff.meaningful
    # The same interval as scipy's Welch test gives (later minus earlier).
    welch = stats.ttest_ind(after, before, equal_var=False).confidence_interval(0.95)
    assert (diff.ci_low, diff.ci_high) == pytest.approx((welch.low, welch.high))

    # A clear rise: large and outside the uncertainty.
    clear = compare_groups(before, [75] * 8 + [100, 50])
    assert clear.delta == 25 and clear.ci_low > 0 and clear.meaningful
    # Clear but small: outside the uncertainty, under the 5 points that matter in practice.
    small = compare_groups([50] * 40 + [48] * 40, [52] * 40 + [54] * 40)
    assert small.distinguishable and not small.large and not small.meaningful
    # On a 0-10 scale the minimum is 0.5, and a fall counts as a rise does.
    fall = compare_groups([8, 8, 9, 9, 8, 9], [6, 5, 6, 6, 5, 6], min_difference=0.5)
    assert fall.delta < 0 and fall.ci_high < 0 and fall.meaningful
    # No spread on either side: the difference is what it is; nothing to compare without two on each side.
    assert compare_groups([50] * 6, [75] * 11).meaningful
    assert not compare_groups([50], [75, 75]).meaningful and math.isnan(compare_groups([50], [75, 75]).ci_low)
    assert not compare_groups([nan, nan], [50, 50]).meaningful
    assert compare_groups([50, nan, 50, 60], [70, 70, 80, nan]).delta == pytest.approx(220 / 3 - 160 / 3)


def test_alpha_is_read_only_from_ten_complete_answers_and_never_below_zero() -> None:
    assert MIN_ALPHA_RESPONDENTS == 10
    agree = [[v, v] for v in (0, 25, 50, 75, 100)] * 2  # ten who answer both questions alike: alpha 1
    assert reliability(agree).verdict == AlphaVerdict.OK and reliability(agree).shown == pytest.approx(1.0)
    assert reliability(agree[:9]).verdict == AlphaVerdict.TOO_FEW and reliability(agree[:9]).shown is None
    # Ten rows, one with a question left out: nine complete answers are too few.
    gap = [*agree[:9], [50, nan]]
    assert reliability(gap).complete == 9 and reliability(gap).verdict == AlphaVerdict.TOO_FEW
    # Answers that pull against each other: alpha -1.95, which is no reliability at all.
    first, second = [0, 25, 50, 75, 100, 0, 25, 50, 75, 100], [50, 25, 100, 0, 25, 75, 50, 0, 50, 0]
    pulling = [[a, b] for a, b in zip(first, second, strict=True)]
    negative = reliability(pulling)
    assert negative.alpha == pytest.approx(-1.9459, abs=1e-4)
    assert negative.verdict == AlphaVerdict.INCOHERENT and negative.shown is None
    # Weakly related questions: shown, but low.
    weak = [[a, b] for a, b in zip([0, 25, 50, 75, 100] * 2, [50, 0, 75, 100, 25, 50, 25, 25, 100, 75], strict=True)]
    low = reliability(weak)
    assert 0 <= low.alpha < 0.7 and low.verdict == AlphaVerdict.LOW and low.shown == low.alpha
    # Everyone alike: no variance, nothing to judge; one question: alpha does not apply.
    assert reliability([[50, 50]] * 12).verdict == AlphaVerdict.ALIKE
    assert reliability([[50]] * 12).verdict == AlphaVerdict.SINGLE_ITEM


def test_share_of_high_trust() -> None:
    # 6-10 counts as high trust: 6, 9 of 5, 6, 9, 2 (the missing one is left out) -> 2 / 4
    assert share_at_or_above([5, 6, 9, 2, nan], 6) == 0.5


def test_scoring_is_vectorised_over_many_respondents() -> None:
    copsoq = get_instrument("copsoq3-selected")
    rng = np.random.default_rng(7)
    n = 20_000
    answers = {item.id: rng.choice([0.0, 25.0, 50.0, 75.0, 100.0, nan], n) for item in copsoq.items}
    scores = score_instrument(copsoq, answers)
    assert set(scores) == {"IN", "PR", "MW", "TM", "JU", "QL"}
    assert all(s.shape == (n,) for s in scores.values())
    finite = scores["IN"][~np.isnan(scores["IN"])]
    assert finite.min() >= 0 and finite.max() <= 100


def test_downloads_round_half_up_as_the_pages_do() -> None:
    for value in (56.25, 56.35, 0.05, 12.345, -3.25, 99.95):
        assert f"{rounded(value, 1):.1f}" == floatformat(value, 1).replace(",", "."), value
    assert rounded(56.25, 1) == 56.3
    assert rounded(float("nan"), 1) is None and rounded(None, 1) is None
