"""Survey scoring and anonymity rules. Pure numpy/scipy, no Django: arrays in, arrays and dataclasses out.

Scoring follows the COPSOQ rules (copsoq.se "Räkna ut resultatet", COPSOQ III):

1. An answer becomes 0-100 from its option's position on the k-point scale, 100 * position / (k - 1);
   on five points 0/25/50/75/100. Reversed items are flipped (100 - points).
2. A person's scale score is the mean of the scale's answered items, and only exists when at least half
   of the scale's items are answered.
3. A group's score is the mean of its people's scale scores, here with a 95 % t-interval.
4. Differences under 5 points are not of practical importance. Here a change is called noticeable only when it
   is also larger than the uncertainty: its 95 % interval (Welch) excludes 0 (`compare_groups`).
5. Cronbach's alpha is read only from `MIN_ALPHA_RESPONDENTS` complete answers, and never when negative
   (`reliability`).

Scales scored `mean` (the 0-10 trust items) keep their own values; reversed ones become min + max - value.

Anonymity (research note §4.1): nothing is shown for fewer than `threshold` respondents (5 by default,
never less), no two shown reports whose respondents differ by fewer than `threshold` people (differencing,
`safe_to_show`, `difference`: by who answered where that is known, else by counts), and free text is shown only
for groups at or above the threshold. A survey's results know which of their groups are nested (a round and its
sector rows) and apply the sharper form of the rule, the remainder of a total, in `services._disclose`; they
compare every round of every survey whose scales could be subtracted from theirs (`services.safe_results`).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

if TYPE_CHECKING:
    from samskab.surveys.instruments import Instrument

MIN_THRESHOLD = 5  # COPSOQ: no report for fewer than 5 people; a larger minimum may be agreed, never smaller
MEANINGFUL_DIFFERENCE = 5.0  # points on the 0-100 scale
# Cronbach's alpha from fewer complete answers than this swings too much from sample to sample to be read (its
# 95 % interval spans most of 0-1): a floor, not a guarantee.
MIN_ALPHA_RESPONDENTS = 10
LOW_ALPHA = 0.7  # the usual floor for a scale used to compare groups
COPENHAGEN = ZoneInfo("Europe/Copenhagen")

FloatArray = NDArray[np.float64]


# --- item and person scores -------------------------------------------------------------------------------


def points(positions: ArrayLike, k: int, reverse: ArrayLike = False) -> FloatArray:
    """Positions 0..k-1 (0 = the lowest option) as 0-100 points; NaN stays NaN (missing).

    `reverse` is a bool or one bool per column of `positions`.
    """
    if k < 2:
        raise ValueError("a scale needs at least two options")
    pos = np.asarray(positions, dtype=np.float64)
    flip = np.asarray(reverse, dtype=bool)
    pos = np.where(flip, (k - 1) - pos, pos)
    return 100.0 * pos / (k - 1)


def person_scores(item_points: ArrayLike) -> FloatArray:
    """Each row's mean over answered items (NaN = unanswered), or NaN unless at least half are answered.

    `item_points` is respondents x items for one scale.
    """
    x = np.asarray(item_points, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError("expected a respondents x items matrix")
    answered = ~np.isnan(x)
    n_answered = answered.sum(axis=1)
    total = np.where(answered, x, 0.0).sum(axis=1)
    enough = 2 * n_answered >= x.shape[1]  # "at least half": 2 of 3, 1 of 2, 2 of 4
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(enough & (n_answered > 0), total / n_answered, np.nan)


def item_points(instrument: Instrument, scale_id: str, answers: Mapping[str, ArrayLike]) -> FloatArray:
    """Respondents x items points for one scale, from the stored option values of each item.

    `answers[item_id]` holds one stored option value per respondent (None or NaN when unanswered, and
    for non-scored options such as "I have no superior"); all arrays are aligned by respondent. An item
    missing from `answers` counts as unanswered by everyone. Values that are not options raise ValueError.
    """
    scale = instrument.scale(scale_id)
    items = instrument.items_of(scale_id)
    n = _respondent_count(answers, [i.id for i in items])
    out = np.full((n, len(items)), np.nan)
    for col, item in enumerate(items):
        if item.id not in answers:
            continue
        rs = instrument.response_scale(item.response_scale or "")
        scored = np.asarray(rs.scored_values, dtype=np.float64)
        values = _as_values(answers[item.id])
        given = ~np.isnan(values)
        pos = np.searchsorted(scored, values[given])
        pos_clipped = np.minimum(pos, len(scored) - 1)
        bad = scored[pos_clipped] != values[given]
        if bad.any():
            wrong = sorted(set(values[given][bad].tolist()))[:5]
            raise ValueError(f"item {item.id!r}: {wrong} are not values of response scale {rs.id!r}")
        if scale.scoring == "points_0_100":
            col_points = points(pos_clipped, rs.k, item.reversed)
        else:
            v = values[given]
            col_points = scored[0] + scored[-1] - v if item.reversed else v
        out[given, col] = col_points
    return out


def score_scale(instrument: Instrument, scale_id: str, answers: Mapping[str, ArrayLike]) -> FloatArray:
    """Each respondent's score on one scale (NaN where fewer than half of its items are answered)."""
    return person_scores(item_points(instrument, scale_id, answers))


def score_instrument(instrument: Instrument, answers: Mapping[str, ArrayLike]) -> dict[str, FloatArray]:
    """Every scale's person scores, keyed by scale id."""
    return {s.id: score_scale(instrument, s.id, answers) for s in instrument.scales}


def _as_values(raw: ArrayLike) -> FloatArray:
    arr = np.asarray(raw)
    if arr.dtype == object:  # a list with None for unanswered
        arr = np.array([np.nan if v is None else v for v in arr.tolist()], dtype=np.float64)
    return arr.astype(np.float64, copy=False)


def _respondent_count(answers: Mapping[str, ArrayLike], item_ids: Sequence[str]) -> int:
    lengths = {len(answers[i]) for i in item_ids if i in answers}  # type: ignore[arg-type]
    if len(lengths) > 1:
        raise ValueError(f"answer arrays differ in length: {sorted(lengths)}")
    return lengths.pop() if lengths else 0


# --- groups -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupStats:
    group: Hashable
    n: int  # respondents with a score on this scale
    mean: float
    sd: float  # sample standard deviation (ddof=1); NaN for n < 2
    ci_low: float  # t-interval; NaN for n < 2
    ci_high: float


def group_means(scores: ArrayLike, groups: ArrayLike | None = None, *, confidence: float = 0.95) -> list[GroupStats]:
    """Mean, SD and t-based confidence interval of the scores per group, in sorted group order.

    People without a score (NaN) are left out and not counted. `groups` is one label per score; omitted,
    everyone is one group labelled "all". No anonymity rule is applied here; see `safe_to_show`.
    """
    x = np.asarray(scores, dtype=np.float64)
    labels = np.full(x.shape, "all", dtype=object) if groups is None else np.asarray(groups)
    if labels.shape != x.shape:
        raise ValueError("scores and groups differ in length")
    keep = ~np.isnan(x)
    x, labels = x[keep], labels[keep]
    if x.size == 0:
        return []
    names, inverse = np.unique(labels, return_inverse=True)
    n = np.bincount(inverse, minlength=len(names))
    mean = np.bincount(inverse, weights=x, minlength=len(names)) / n
    squares = np.bincount(inverse, weights=(x - mean[inverse]) ** 2, minlength=len(names))
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(squares / (n - 1))
        t = stats.t.ppf((1 + confidence) / 2, n - 1)
        half = t * sd / np.sqrt(n)
    sd = np.where(n > 1, sd, np.nan)
    half = np.where(n > 1, half, np.nan)
    return [
        GroupStats(_plain(name), int(n[i]), float(m), float(sd[i]), float(m - half[i]), float(m + half[i]))
        for i, (name, m) in enumerate(zip(names, mean, strict=True))
    ]


def _plain(value: object) -> Hashable:
    return value.item() if isinstance(value, np.generic) else value  # type: ignore[return-value]


def share_at_or_above(scores: ArrayLike, cutoff: float) -> float:
    """Share of the non-missing scores ≥ cutoff, e.g. OECD "high trust" = share answering 6-10."""
    x = np.asarray(scores, dtype=np.float64)
    x = x[~np.isnan(x)]
    return float(np.mean(x >= cutoff)) if x.size else float("nan")


def cronbach_alpha(item_points_matrix: ArrayLike) -> float:
    """Cronbach's alpha of respondents x items, over respondents who answered every item.

    alpha = k / (k - 1) * (1 - sum of item variances / variance of the row sums), variances with ddof=1.
    NaN when there are fewer than two items, fewer than two complete rows, or no variance in the sums.
    """
    x = np.asarray(item_points_matrix, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] < 2:
        return float("nan")
    x = x[~np.isnan(x).any(axis=1)]
    if x.shape[0] < 2:
        return float("nan")
    k = x.shape[1]
    total_var = x.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total_var))


def cronbach_alpha_by(item_points_matrix: ArrayLike, groups: ArrayLike) -> dict[Hashable, float]:
    """Cronbach's alpha per group label, e.g. per wave."""
    x = np.asarray(item_points_matrix, dtype=np.float64)
    labels = np.asarray(groups)
    return {_plain(g): cronbach_alpha(x[labels == g]) for g in np.unique(labels)}


class AlphaVerdict:
    """How a scale's Cronbach's alpha may be read (`reliability`)."""

    OK = "ok"  # shown
    LOW = "low"  # shown, below LOW_ALPHA: read the scale with care
    TOO_FEW = "too_few"  # fewer than MIN_ALPHA_RESPONDENTS complete answers: not shown
    INCOHERENT = "incoherent"  # below 0: the items pull against each other, not shown
    ALIKE = "alike"  # no variance in the sums (everyone answered alike): not computable
    SINGLE_ITEM = "single_item"  # alpha does not apply


@dataclass(frozen=True)
class Reliability:
    alpha: float  # NaN when it cannot be computed
    complete: int  # respondents who answered every item
    verdict: str  # an AlphaVerdict

    @property
    def shown(self) -> float | None:
        """The alpha to show, or None where it would mislead (too few answers, negative, not computable)."""
        return self.alpha if self.verdict in (AlphaVerdict.OK, AlphaVerdict.LOW) else None


def reliability(item_points_matrix: ArrayLike, *, min_respondents: int = MIN_ALPHA_RESPONDENTS) -> Reliability:
    """Cronbach's alpha and whether it means anything: only from `min_respondents` people who answered every
    item, and never below 0, which says that the items do not hang together as a scale at all (alpha has no
    lower bound: −5 is not "very unreliable", it is not a reliability)."""
    x = np.asarray(item_points_matrix, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] < 2:
        return Reliability(float("nan"), 0, AlphaVerdict.SINGLE_ITEM)
    complete = int((~np.isnan(x).any(axis=1)).sum())
    alpha = cronbach_alpha(x)
    if complete < min_respondents:
        verdict = AlphaVerdict.TOO_FEW
    elif not np.isfinite(alpha):
        verdict = AlphaVerdict.ALIKE
    elif alpha < 0:
        verdict = AlphaVerdict.INCOHERENT
    elif alpha < LOW_ALPHA:
        verdict = AlphaVerdict.LOW
    else:
        verdict = AlphaVerdict.OK
    return Reliability(alpha, complete, verdict)


@dataclass(frozen=True)
class Difference:
    delta: float  # later - earlier
    # True only when the change is both large (|delta| ≥ the minimum, 5 points on 0-100) and `distinguishable`;
    # False when either side is missing.
    meaningful: bool
    ci_low: float = float("nan")  # the 95 % interval of the difference (Welch); NaN when not computed
    ci_high: float = float("nan")
    large: bool = False  # |delta| ≥ the minimum important difference
    distinguishable: bool = False  # the interval excludes 0: more than chance between two samples


def compare_means(earlier: float, later: float, *, min_difference: float = MEANINGFUL_DIFFERENCE) -> Difference:
    """The change between two group means by size alone, flagged as not meaningful under `min_difference` points.
    Knows nothing of the uncertainty: use `compare_groups` where the scores are at hand."""
    delta = later - earlier
    large = bool(np.isfinite(delta) and abs(delta) >= min_difference)
    return Difference(delta, large, large=large)


def compare_groups(
    earlier: ArrayLike,
    later: ArrayLike,
    *,
    min_difference: float = MEANINGFUL_DIFFERENCE,
    confidence: float = 0.95,
) -> Difference:
    """The change in mean from one group's scores to another's, with the `confidence` interval of the difference.

    Welch's interval (unequal variances, Welch–Satterthwaite degrees of freedom):

        se = √(s₁²/n₁ + s₂²/n₂)    df = se⁴ / ((s₁²/n₁)²/(n₁−1) + (s₂²/n₂)²/(n₂−1))
        delta ± t(1 − (1 − confidence)/2; df) × se

    The rounds of a survey are anonymous, so they are compared as independent samples; where mostly the same
    people answer both, the true interval is narrower, so this errs towards "within the uncertainty". A change
    is `meaningful` only when it is at least `min_difference` *and* its interval excludes 0. NaN (no score) is
    left out; either group under 2 people gives no interval and no meaningful change.
    """
    a = np.asarray(earlier, dtype=np.float64)
    b = np.asarray(later, dtype=np.float64)
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    if a.size == 0 or b.size == 0:
        return Difference(float("nan"), False)
    delta = float(b.mean() - a.mean())
    large = bool(abs(delta) >= min_difference)
    if a.size < 2 or b.size < 2:
        return Difference(delta, False, large=large)
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = float(np.sqrt(va + vb))
    if se == 0:  # no spread in either group: the difference is exactly what it is
        low = high = delta
    else:
        df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
        half = float(stats.t.ppf((1 + confidence) / 2, df)) * se
        low, high = delta - half, delta + half
    distinguishable = bool(low > 0 or high < 0)
    return Difference(delta, large and distinguishable, low, high, large, distinguishable)


# --- anonymity --------------------------------------------------------------------------------------------


def _check_threshold(threshold: int) -> None:
    if threshold < MIN_THRESHOLD:
        raise ValueError(f"the anonymity threshold is at least {MIN_THRESHOLD}, got {threshold}")


def suppress_small(n: int, threshold: int = MIN_THRESHOLD) -> bool:
    """True when a group of `n` respondents is too small to show anything about."""
    _check_threshold(threshold)
    return n < threshold


def free_text_visible(n: int, threshold: int = MIN_THRESHOLD) -> bool:
    """Free-text answers of a group are shown only when it has at least `threshold` respondents."""
    return not suppress_small(n, threshold)


def visible_free_text(texts: Sequence[str], n_respondents: int, threshold: int = MIN_THRESHOLD) -> list[str]:
    """The group's free-text answers when it is large enough, else none; sorted so that the order in which
    people answered (which can be matched with who was in the room when) is not revealed."""
    if not free_text_visible(n_respondents, threshold):
        return []
    return sorted(t.strip() for t in texts if t and t.strip())


@dataclass(frozen=True)
class Respondents:
    """Who is behind a report, as far as is known: `n` people, and where the people who answered are known (a
    round's personal invitations), their ids in `known`, give or take `unsure`: at most `unsure` people are in one
    of the report and `known` but not in the other (answers that came in another way, people without a score on
    a scale). With nothing known, `unsure` is `n`."""

    n: int
    known: frozenset[Hashable] = frozenset()
    unsure: int | None = None

    @property
    def margin(self) -> int:
        return self.n if self.unsure is None else self.unsure


def respondents(report: int | Respondents) -> Respondents:
    return report if isinstance(report, Respondents) else Respondents(report)


def difference(a: int | Respondents, b: int | Respondents) -> int:
    """The fewest people who can be in one of two reports and not in the other: the size of the symmetric
    difference of their respondents where both are known, and never less than the difference of their counts.
    Subtracting two aggregates whose people differ by 1..threshold-1 gives those few people away."""
    a, b = respondents(a), respondents(b)
    return max(abs(a.n - b.n), len(a.known ^ b.known) - a.margin - b.margin)


@dataclass(frozen=True)
class Disclosure:
    shown: tuple[str, ...]
    suppressed: Mapping[str, str]  # group -> reason
    clashes: Mapping[str, str] = field(default_factory=dict)  # suppressed group -> the shown one it is too close to

    @property
    def ok(self) -> bool:
        """True when everything asked for can be shown as is."""
        return not self.suppressed


def safe_to_show(
    groups: Mapping[str, int | Respondents],
    threshold: int = MIN_THRESHOLD,
    shown_before: Mapping[str, int | Respondents] | None = None,
) -> Disclosure:
    """Which of several reports (groups, filters, rounds, by respondents) may be shown together, beside the
    reports `shown_before` (already decided: shown).

    Refuses a group below the threshold, and any two shown groups whose people differ by 1..threshold-1
    (`difference`): subtracting the two aggregates reveals the few people in between, whether one group holds the
    other (a filter, a round someone left) or both are the same people but one (two surveys with the same
    questions, one with the leader, one without). Where only counts are known, every pair is treated as possibly
    nested; equal counts are allowed then (nested and equal means the same people). The rule holds for reports of
    different moments too: the same people mostly answer every round, so two rounds' sums differ by the answers
    of those who left or joined, wherever the others answered alike.

    Groups are considered in the mapping's order and a group is kept when it clashes with none kept before it
    (those `shown_before` first), so put the report that matters most, or was shown first, first. A report once
    shown stays shown: the later one gives way. The result is deterministic. Limits: only pairs are checked; when
    shown groups are disjoint parts of a shown total, also check the remainder (the total minus the parts), since
    total minus parts reveals it (`services._disclose`).
    """
    _check_threshold(threshold)
    kept: dict[str, int | Respondents] = dict(shown_before or {})
    shown: list[str] = []
    suppressed: dict[str, str] = {}
    clashes: dict[str, str] = {}
    for name, report in groups.items():
        n = respondents(report).n
        if n < 0:
            raise ValueError(f"group {name!r} has a negative count")
        if n < threshold:
            suppressed[name] = f"fewer than {threshold} respondents ({n})"
            continue
        clash = next((other for other, m in kept.items() if 0 < difference(report, m) < threshold), None)
        if clash is not None:
            diff = difference(report, kept[clash])
            suppressed[name] = f"differs from {clash!r} by {diff} respondents, fewer than {threshold}"
            clashes[name] = clash
            continue
        kept[name] = report
        shown.append(name)
    return Disclosure(tuple(shown), suppressed, clashes)


def coarsen_timestamp(moment: datetime, unit: str = "week", tz: ZoneInfo = COPENHAGEN) -> date:
    """An aware timestamp rounded down to the local day, ISO week (its Monday) or month (its 1st).

    Exact submission times can identify a respondent ("Omar answered right after the staff meeting").
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime: pass an aware one (stored in UTC)")
    day = moment.astimezone(tz).date()
    if unit == "day":
        return day
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    raise ValueError(f"unknown unit {unit!r}: use 'day', 'week' or 'month'")


def iso_week_label(day: date) -> str:
    """ "2025-W07" for any day in ISO week 7 of ISO year 2025 (the ISO year can differ from the calendar's)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
