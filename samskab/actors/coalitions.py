"""The coalition finder: who could contribute to a partnership's defined problem.

Pure: no Django, no database. The caller pre-filters candidate actors (area, theme, resource kind), maps
them to `Candidate`s and calls `find_coalitions`. The objective, its weights and the reasons for them are
in docs/coalition-finder.md. Reasons and explanations come back as data, in no language: the caller words
them (samskab.partnerships.contributors, through gettext).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

SECTORS = ("municipality", "association", "citizen", "business")
EARTH_RADIUS_M = 6_371_008.8
_ROUND = 12  # values equal to 12 decimals are ties, broken by the lowest id
_MAX_ROUNDS = 200
_SEARCH_BUDGET = 3000  # replacement evaluations per coalition; a dozen actors use about 100
_MAX_EXCLUSION_TRIES = 4


@dataclass(frozen=True)
class Need:
    """What the defined problem needs of one resource kind. Needs of the same kind are added up."""

    kind: str
    amount: float
    unit: str = ""


@dataclass(frozen=True)
class Offer:
    """A resource a candidate offers. With no amount, or a unit other than the need's, it counts as one
    unit (one room, one job) or `Weights.unquantified_share` of the need, whichever is more."""

    kind: str
    amount: float | None = None
    title: str = ""
    availability: str = ""
    unit: str = ""


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    sector: str  # one of SECTORS
    lat: float | None = None
    lon: float | None = None
    themes: frozenset[str] = frozenset()
    offers: Sequence[Offer] = ()


@dataclass(frozen=True)
class Weights:
    """Weights of the objective (see docs/coalition-finder.md). Coverage is worth 1 when every need is met."""

    sector_span: float = 0.15  # alpha: up to `sectors_wanted` sectors, alpha/3 each
    new_ties: float = 0.05  # beta: times the share of the coalition's pairs that have not worked together
    distance: float = 0.04  # gamma: per actor, times d / (d + distance_scale_m)
    size: float = 0.06  # delta: per actor
    themes: float = 0.02  # theta: per actor, times the share of the requested themes it works with
    reuse: float = 0.08  # lambda: alternatives only, per actor already in an earlier proposal
    distance_scale_m: float = 2000.0
    unquantified_share: float = 0.25
    sectors_wanted: int = 3


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class OfferReason:
    """It offers something needed: one of its three offers that count most."""

    offer: Offer


@dataclass(frozen=True)
class DistanceReason:
    """How far it is from the area's centre."""

    metres: float


@dataclass(frozen=True)
class ThemeReason:
    """It works with these requested themes (slugs, sorted)."""

    themes: tuple[str, ...]


@dataclass(frozen=True)
class NewTieReason:
    """It has not worked with `new` of the `others` it would work with (the members, and in a coalition the
    other coalition actors). `new == others`: with none of them."""

    new: int
    others: int


@dataclass(frozen=True)
class SectorReason:
    """In a coalition: it offers nothing the needs ask for, and is there as the coalition's only actor of its sector,
    which the sector span asks for."""

    sector: str


Reason = OfferReason | DistanceReason | ThemeReason | NewTieReason | SectorReason


@dataclass(frozen=True)
class Shortfall:
    """A need that not even all candidates together cover fully, and the share of it a coalition covers."""

    kind: str
    coverage: float


@dataclass(frozen=True)
class Comparison:
    """How a coalition differs from the first proposal: the names of the actors it leaves out and brings in,
    in id order."""

    left_out: tuple[str, ...]
    brought_in: tuple[str, ...]


@dataclass(frozen=True)
class Explanation:
    """What a coalition achieves, for people: `coverage` is the mean share of the needs covered;
    `mean_distance_m` is unrounded, over the `located` actors whose place is known; `compared` is None for the
    first proposal."""

    coverage: float
    actors: int
    sectors: tuple[str, ...]
    mean_distance_m: float | None
    new_ties: int
    shortfalls: tuple[Shortfall, ...]
    compared: Comparison | None
    located: int = 0  # the actors with a known place, over whom `mean_distance_m` is taken


@dataclass
class ActorSuggestion:
    candidate_id: int
    score: float
    reasons: list[Reason]
    covered: dict[str, float]  # kind → amount this actor would cover (capped at the need)
    distance_m: float | None


@dataclass
class CoalitionProposal:
    member_ids: list[int]
    coverage: dict[str, float]  # kind → fraction of the need covered, 0..1
    total_coverage: float  # mean of `coverage`
    sectors: list[str]
    mean_distance_m: float | None
    new_ties: int  # pairs within the coalition and with current members, not tied before
    objective: float
    explanation: Explanation
    reasons: dict[int, list[Reason]] = field(default_factory=dict)  # per member, in the coalition's context


@dataclass
class CoalitionResult:
    suggestions: list[ActorSuggestion]
    coalitions: list[CoalitionProposal]


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    return float(_haversine(np.array([lat1]), np.array([lon1]), lat2, lon2)[0])


def _haversine(lat: np.ndarray, lon: np.ndarray, lat0: float, lon0: float) -> np.ndarray:
    p1, p2 = np.radians(lat), math.radians(lat0)
    dp, dl = p2 - p1, np.radians(lon0 - lon)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * math.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def same_unit(unit: str) -> str:
    """A unit as compared: "Timer " and "timer" are one unit (needs and pledges are compared the same way)."""
    return " ".join(unit.lower().split())


class _Pool:
    """Eligible, useful candidates as arrays, indexed 0..n-1 in id order."""

    def __init__(
        self,
        *,
        needs: Sequence[Need],
        candidates: Sequence[Candidate],
        ties: Iterable[frozenset[int]],
        member_ids: Collection[int],
        opted_out_ids: Collection[int],
        area_centre: tuple[float, float] | None,
        themes: Collection[str],
        already_covered: Mapping[str, float],
        weights: Weights,
    ) -> None:
        self.weights = w = weights
        amounts: dict[str, float] = {}
        units: dict[str, str] = {}
        for need in needs:
            if not need.amount > 0:
                raise ValueError(f"need {need.kind!r} must have a positive amount")
            if need.kind in units and units[need.kind] != same_unit(need.unit):
                raise ValueError(f"two needs of kind {need.kind!r} in different units")
            units[need.kind] = same_unit(need.unit)
            amounts[need.kind] = amounts.get(need.kind, 0.0) + float(need.amount)
        self.kinds = list(amounts)
        self.amount = np.array([amounts[k] for k in self.kinds], dtype=float)
        self.base = np.array([float(already_covered.get(k, 0.0)) for k in self.kinds], dtype=float)
        row = {k: r for r, k in enumerate(self.kinds)}
        K = len(self.kinds)

        seen: set[int] = set()
        for c in candidates:
            if c.id in seen:
                raise ValueError(f"candidate {c.id} given twice")
            if c.sector not in SECTORS:
                raise ValueError(f"candidate {c.id} has unknown sector {c.sector!r}")
            seen.add(c.id)
        excluded = set(member_ids) | set(opted_out_ids)
        requested = frozenset(themes)
        self._row = row
        self._units = units
        self._unit_of = {"": ""}
        self._unquantified = [max(1.0, w.unquantified_share * a) for a in self.amount.tolist()]
        pool: list[Candidate] = []
        at_row: list[int] = []
        at_col: list[int] = []
        at_value: list[float] = []
        # One pass in plain Python: per-candidate numpy calls would cost more than the arithmetic.
        for c in sorted(candidates, key=lambda c: c.id):
            if c.id in excluded:
                continue
            useful = False
            for offer in c.offers:
                credit = self.credit(offer)
                if credit is not None:
                    useful = True
                    at_row.append(credit[0])
                    at_col.append(len(pool))
                    at_value.append(credit[1])
            if useful or (c.themes & requested):
                pool.append(c)
        contrib = np.zeros((K, len(pool)))
        np.add.at(contrib, (np.array(at_row, dtype=np.int64), np.array(at_col, dtype=np.int64)), at_value)
        np.minimum(contrib, self.amount[:, None], out=contrib)  # nobody covers more than the need
        # Useful: adds to what the members do not bring already, or works with a requested theme.
        adds = (np.minimum(self.base[:, None] + contrib, self.amount[:, None]) > self.base[:, None]).any(axis=0)
        keep = adds | np.array([bool(c.themes & requested) for c in pool], dtype=bool)
        self.cands = pool = [c for c, k in zip(pool, keep.tolist(), strict=True) if k]
        self.contrib = contrib[:, keep]
        n = self.n = len(pool)
        self.ids = np.array([c.id for c in pool], dtype=np.int64)
        self.index = {c.id: i for i, c in enumerate(pool)}
        self.sector = np.array([SECTORS.index(c.sector) for c in pool], dtype=np.int64)
        self.target = np.minimum(self.amount, self.base + self.contrib.sum(axis=1))
        self.tol = 1e-9 * np.maximum(1.0, self.amount)

        lat = np.array([np.nan if c.lat is None else c.lat for c in pool], dtype=float)
        lon = np.array([np.nan if c.lon is None else c.lon for c in pool], dtype=float)
        if area_centre is None:
            self.dist = np.full(n, np.nan)
        else:
            self.dist = _haversine(lat, lon, area_centre[0], area_centre[1])
        # An unknown place counts as `distance_scale_m` away: neither rewarded nor ruled out.
        far = np.where(np.isnan(self.dist), 0.5, self.dist / (self.dist + w.distance_scale_m))
        self.theme_share = np.array(
            [len(c.themes & requested) / len(requested) if requested else 0.0 for c in pool], dtype=float
        )
        self.cost = w.size + w.distance * far - w.themes * self.theme_share

        self.m = len(set(member_ids))
        members = set(member_ids)
        neighbours: list[list[int]] = [[] for _ in range(n)]
        self.member_ties = np.zeros(n)
        for tie in ties if isinstance(ties, set | frozenset) else set(ties):
            if len(tie) != 2:
                continue
            a, b = tie
            ia, ib = self.index.get(a), self.index.get(b)
            if ia is not None and ib is not None:
                neighbours[ia].append(ib)
                neighbours[ib].append(ia)
            elif ia is not None and b in members:
                self.member_ties[ia] += 1
            elif ib is not None and a in members:
                self.member_ties[ib] += 1
        self.adj = neighbours  # ties are a set of pairs, so no neighbour is listed twice
        present = np.zeros(len(SECTORS), dtype=bool)
        present[self.sector] = True
        self.required_sectors = min(w.sectors_wanted, int(present.sum()))

    def credit(self, offer: Offer) -> tuple[int, float] | None:
        """The need row an offer counts towards and how much it counts, or None if it counts nothing."""
        r = self._row.get(offer.kind)
        if r is None:
            return None
        if offer.amount is None:
            return r, self._unquantified[r]
        unit = self._unit_of.get(offer.unit)
        if unit is None:
            unit = self._unit_of[offer.unit] = same_unit(offer.unit)
        need_unit = self._units[offer.kind]
        if unit and need_unit and unit != need_unit:
            return r, self._unquantified[r]
        return (r, float(offer.amount)) if offer.amount > 0 else None

    def coverage_fractions(self, cov: np.ndarray) -> np.ndarray:
        return np.minimum(1.0, cov / self.amount)

    def coverage_value(self, cov: np.ndarray) -> float:
        return float(self.coverage_fractions(cov).mean()) if len(self.kinds) else 1.0

    def pairs(self, s: int | np.ndarray) -> float | np.ndarray:
        return s * (s - 1) / 2 + s * self.m

    def new_share(self, existing: float | np.ndarray, s: int) -> float | np.ndarray:
        """Share of the pairs a coalition of size `s` forms (with itself and the members) that are new."""
        p = self.pairs(s)
        return 1.0 - existing / p if p > 0 else 1.0 + 0 * existing

    def span(self, nsec: int | np.ndarray) -> float | np.ndarray:
        want = max(1, self.weights.sectors_wanted)
        return self.weights.sector_span * np.minimum(nsec, want) / want


class _State:
    """A coalition under construction, with what the objective needs kept up to date."""

    def __init__(self, pool: _Pool, penalty: np.ndarray) -> None:
        self.pool = pool
        self.k = pool.cost + penalty  # per-actor cost in this run
        self.members: list[int] = []
        self.in_s = np.zeros(pool.n, dtype=bool)
        self.cov = pool.base.copy()
        self.counts = np.zeros(len(SECTORS), dtype=np.int64)
        self.t = pool.member_ties.copy()  # each candidate's ties into members and coalition
        self.existing = 0.0  # ties among the pairs the coalition forms
        self.k_sum = 0.0
        self._rows: dict[int, np.ndarray] = {}

    def add(self, j: int) -> None:
        p = self.pool
        self.existing += self.t[j]
        self.members.append(j)
        self.in_s[j] = True
        self.counts[p.sector[j]] += 1
        self.t[p.adj[j]] += 1
        self._changed()

    def remove(self, i: int) -> None:
        p = self.pool
        self.members.remove(i)
        self.in_s[i] = False
        self.counts[p.sector[i]] -= 1
        self.t[p.adj[i]] -= 1
        self.existing -= self.t[i]
        self._changed()

    def _changed(self) -> None:
        p = self.pool
        self.cov = p.base + p.contrib[:, self.members].sum(axis=1)
        self.k_sum = float(self.k[self.members].sum())

    def adj_row(self, i: int) -> np.ndarray:
        row = self._rows.get(i)
        if row is None:
            row = np.zeros(self.pool.n)
            row[self.pool.adj[i]] = 1.0
            self._rows[i] = row
        return row

    def feasible(self) -> bool:
        return bool(np.all(self.cov >= self.pool.target - self.pool.tol))

    def nsec(self) -> int:
        return int((self.counts > 0).sum())

    def g(self) -> float:
        """The objective less coverage (coverage is fixed at its maximum once feasible)."""
        p = self.pool
        s = len(self.members)
        return float(p.span(self.nsec()) + p.weights.new_ties * p.new_share(self.existing, s) - self.k_sum)


def _argmax(values: np.ndarray) -> int:
    """Index of the largest value; equal values (to 12 decimals) go to the lowest index, i.e. lowest id."""
    return int(np.argmax(np.round(values, _ROUND)))


def _add_values(state: _State, cand: np.ndarray) -> np.ndarray:
    """The objective less coverage after adding each of `cand`."""
    p = state.pool
    present = state.counts > 0
    nsec = present.sum() + ~present[p.sector[cand]]
    s = len(state.members) + 1
    return (
        p.span(nsec)
        + p.weights.new_ties * p.new_share(state.existing + state.t[cand], s)
        - (state.k_sum + state.k[cand])
    )


def _build(state: _State, allowed: np.ndarray, *, per_cost: bool) -> None:
    """Greedy: among actors that add coverage, add the one with the largest gain in the objective (per
    unit of its cost if `per_cost`) until coverage is at its maximum; then add actors from missing
    sectors until the span is met."""
    p = state.pool
    K = len(p.kinds)
    if K:
        a = p.amount[:, None]
        # Coverage gain per need and actor, kept up to date: adding an actor changes only its own needs' rows.
        row_gain = (np.minimum(state.cov[:, None] + p.contrib, a) - np.minimum(state.cov[:, None], a)) / a
        gain = row_gain.sum(axis=0) / K
        eligible = allowed & (gain > 1e-12)
    while K and not state.feasible():
        # An actor that adds nothing now never will (coverage has diminishing returns), so skip it for good.
        eligible &= gain > 1e-12
        eligible &= ~state.in_s
        live = np.flatnonzero(eligible)
        if not live.size:
            break
        extra = _add_values(state, live) - state.g() + state.k[live]  # sector span and new ties
        if per_cost:  # Chvátal's rule for covering at a cost: the most gain per unit of cost
            j = int(live[_argmax((gain[live] + extra) / np.maximum(state.k[live], 1e-6))])
        else:  # the most net gain
            j = int(live[_argmax(gain[live] + extra - state.k[live])])
        state.add(j)
        rows = np.flatnonzero(p.contrib[:, j] > 0)
        cov, ar = state.cov[rows, None], a[rows]
        fresh = (np.minimum(cov + p.contrib[rows], ar) - np.minimum(cov, ar)) / ar
        gain += (fresh - row_gain[rows]).sum(axis=0) / K
        row_gain[rows] = fresh
    while state.nsec() < p.required_sectors:
        present = state.counts > 0
        cand = np.flatnonzero(allowed & ~state.in_s & ~present[p.sector])
        if not cand.size:
            break
        state.add(int(cand[_argmax(_add_values(state, cand))]))


def _covering(state: _State, removed: Sequence[int], cand: np.ndarray) -> np.ndarray:
    """Those of `cand` (indices) that keep coverage at its maximum when they replace `removed`."""
    p = state.pool
    deficit = p.target - (state.cov - p.contrib[:, list(removed)].sum(axis=1))
    for r in np.flatnonzero(deficit > p.tol):
        if not cand.size:
            break
        cand = cand[p.contrib[r, cand] >= deficit[r] - p.tol[r]]
    return cand


def _best_replacement(state: _State, removed: Sequence[int], cand: np.ndarray) -> tuple[float, int] | None:
    """Best objective (less coverage) after replacing `removed` by one of `cand` (all keeping coverage at
    its maximum), keeping the sector span met; with that actor's index."""
    if not cand.size:
        return None
    p = state.pool
    counts = state.counts.copy()
    for i in removed:
        counts[p.sector[i]] -= 1
    present = counts > 0
    nsec = present.sum() + ~present[p.sector[cand]]
    ok = nsec >= p.required_sectors
    cand, nsec = cand[ok], nsec[ok]
    if not cand.size:
        return None
    existing = state.existing - sum(state.t[i] for i in removed)
    t = state.t[cand].copy()
    for i in removed:
        t -= state.adj_row(i)[cand]
    if len(removed) == 2:
        existing += state.adj_row(removed[0])[removed[1]]
    s = len(state.members) - len(removed) + 1
    k_sum = state.k_sum - sum(state.k[i] for i in removed)
    values = p.span(nsec) + p.weights.new_ties * p.new_share(existing + t, s) - (k_sum + state.k[cand])
    best = _argmax(values)
    return float(values[best]), int(cand[best])


def _drop_value(state: _State, i: int) -> float | None:
    p = state.pool
    cov = state.cov - p.contrib[:, i]
    if not np.all(cov >= p.target - p.tol):
        return None
    counts = state.counts.copy()
    counts[p.sector[i]] -= 1
    nsec = int((counts > 0).sum())
    if nsec < p.required_sectors:
        return None
    s = len(state.members) - 1
    existing = state.existing - state.t[i]
    return float(p.span(nsec) + p.weights.new_ties * p.new_share(existing, s) - (state.k_sum - state.k[i]))


def _improve(state: _State, allowed: np.ndarray, budget: list[int]) -> None:
    """Local search from the greedy coalition. Moves, all keeping coverage at its maximum and the sector
    span met, tried in this order: drop one actor, replace two by one, replace one by another, add one.
    Takes the best improving move of the first kind that has one; stops when no move improves or the
    work `budget` is spent (a count of evaluations, not a clock, so the answer stays deterministic)."""
    if not state.feasible() or state.nsec() < state.pool.required_sectors:
        return
    for _ in range(_MAX_ROUNDS):
        move = _best_move(state, allowed, budget)
        if move is None:
            return
        removed, added = move
        for i in removed:
            state.remove(i)
        if added is not None:
            state.add(added)
        if budget[0] <= 0:
            return


def _best_move(state: _State, allowed: np.ndarray, budget: list[int]) -> tuple[tuple[int, ...], int | None] | None:
    current = state.g() + 1e-9  # a move must gain more than rounding
    members = sorted(state.members)
    free = allowed & ~state.in_s

    best = current
    move: tuple[tuple[int, ...], int | None] | None = None
    for i in members:
        value = _drop_value(state, i)
        if value is not None and value > best + 1e-12:
            best, move = value, ((i,), None)
    if move:
        return move
    # Whoever replaces two members also replaces each of them alone: search pairs among those.
    free_idx = np.flatnonzero(free)
    alone = {i: _covering(state, (i,), free_idx) for i in members}
    alone_mask = {}
    for i in members:
        alone_mask[i] = np.zeros(state.pool.n, dtype=bool)
        alone_mask[i][alone[i]] = True
    for x, i in enumerate(members):
        if not alone[i].size:
            continue
        for i2 in members[x + 1 :]:
            if not alone[i2].size:
                continue
            if budget[0] <= 0:
                return move
            budget[0] -= 1
            both = np.flatnonzero(alone_mask[i] & alone_mask[i2])
            found = _best_replacement(state, (i, i2), _covering(state, (i, i2), both))
            if found and found[0] > best + 1e-12:
                best, move = found[0], ((i, i2), found[1])
    if move:
        return move
    for i in members:
        budget[0] -= 1
        found = _best_replacement(state, (i,), alone[i])
        if found and found[0] > best + 1e-12:
            best, move = found[0], ((i,), found[1])
    if move:
        return move
    if free_idx.size:
        values = _add_values(state, free_idx)
        b = _argmax(values)
        if values[b] > best + 1e-12:
            return (), int(free_idx[b])
    return None


def _solve(pool: _Pool, penalty: np.ndarray, allowed: np.ndarray) -> _State:
    """Two greedy starts, each improved by local search; the better one. Gain per cost copes with needs
    of any size; net gain weighs the sector span fully. Each finds optima the other misses."""
    best = None
    budget = [_SEARCH_BUDGET]  # shared by both starts
    for per_cost in (True, False):
        state = _State(pool, penalty)
        _build(state, allowed, per_cost=per_cost)
        _improve(state, allowed, budget)
        if best is None or state.g() > best.g() + 1e-12:
            best = state
    assert best is not None
    return best


def _objective(pool: _Pool, members: Sequence[int]) -> float:
    """The full objective, without the alternatives' reuse penalty."""
    state = _State(pool, np.zeros(pool.n))
    for i in members:
        state.add(i)
    return pool.coverage_value(state.cov) + state.g()


def _reasons(pool: _Pool, i: int, *, tied: int, others: int, themes: Sequence[str]) -> list[Reason]:
    c = pool.cands[i]
    lines = []
    for offer in c.offers:
        credit = pool.credit(offer)
        if credit is not None:
            lines.append((min(1.0, credit[1] / pool.amount[credit[0]]), offer.title, offer.kind, offer))
    lines.sort(key=lambda x: (-x[0], x[1], x[2]))
    reasons: list[Reason] = [OfferReason(offer) for *_, offer in lines[:3]]
    if not np.isnan(pool.dist[i]):
        reasons.append(DistanceReason(float(pool.dist[i])))
    matched = tuple(t for t in themes if t in c.themes)
    if matched:
        reasons.append(ThemeReason(matched))
    if others and tied < others:
        reasons.append(NewTieReason(new=others - tied, others=others))
    return reasons


def _explain(
    pool: _Pool,
    members: Sequence[int],
    coverage: np.ndarray,
    distances: Sequence[float],
    new_ties: int,
    first: Sequence[int] | None,
) -> Explanation:
    compared = None
    if first is not None:
        compared = Comparison(
            left_out=tuple(pool.cands[i].name for i in sorted(set(first) - set(members))),
            brought_in=tuple(pool.cands[i].name for i in sorted(set(members) - set(first))),
        )
    return Explanation(
        coverage=float(coverage.mean()) if coverage.size else 1.0,
        actors=len(members),
        sectors=tuple(s for s in SECTORS if any(pool.cands[i].sector == s for i in members)),
        mean_distance_m=sum(distances) / len(distances) if distances else None,
        located=len(distances),
        new_ties=new_ties,
        shortfalls=tuple(
            Shortfall(k, float(f)) for k, f in zip(pool.kinds, coverage.tolist(), strict=True) if f < 1 - 1e-9
        ),
        compared=compared,
    )


def _proposal(
    pool: _Pool, members: Sequence[int], first: Sequence[int] | None, themes: Sequence[str]
) -> CoalitionProposal:
    members = sorted(members)
    state = _State(pool, np.zeros(pool.n))
    for i in members:
        state.add(i)
    fractions = pool.coverage_fractions(state.cov)
    known = [float(pool.dist[i]) for i in members if not np.isnan(pool.dist[i])]
    mean_distance = sum(known) / len(known) if known else None
    new_ties = round(float(pool.pairs(len(members))) - state.existing)
    others = len(members) - 1 + pool.m
    return CoalitionProposal(
        member_ids=[int(pool.ids[i]) for i in members],
        coverage={k: float(f) for k, f in zip(pool.kinds, fractions, strict=True)},
        total_coverage=pool.coverage_value(state.cov),
        sectors=[s for s in SECTORS if state.counts[SECTORS.index(s)]],
        mean_distance_m=None if mean_distance is None else round(mean_distance),
        new_ties=new_ties,
        objective=round(pool.coverage_value(state.cov) + state.g(), 6),
        explanation=_explain(pool, members, fractions, known, new_ties, first),
        reasons={int(pool.ids[i]): _member_reasons(pool, state, i, others=others, themes=themes) for i in members},
    )


def _member_reasons(pool: _Pool, state: _State, i: int, *, others: int, themes: Sequence[str]) -> list[Reason]:
    """A member's reasons in its coalition: an actor that offers nothing needed says it brings its sector."""
    reasons = _reasons(pool, i, tied=round(state.t[i]), others=others, themes=themes)
    sector = pool.cands[i].sector
    if not any(isinstance(r, OfferReason) for r in reasons) and state.counts[SECTORS.index(sector)] == 1:
        reasons.insert(0, SectorReason(sector))
    return reasons


def _suggestions(pool: _Pool, limit: int, themes: Sequence[str]) -> list[ActorSuggestion]:
    """Each actor on its own: what it covers of the needs, how close, themes, and how new a tie it is."""
    w = pool.weights
    K = len(pool.kinds)
    if not pool.n:
        return []
    if K:
        cov = pool.base[:, None]
        a = pool.amount[:, None]
        gain = ((np.minimum(cov + pool.contrib, a) - np.minimum(cov, a)) / a).sum(axis=0) / K
    else:
        gain = np.zeros(pool.n)
    new = 1.0 - pool.member_ties / pool.m if pool.m else np.ones(pool.n)
    score = gain + w.new_ties * new - (pool.cost - w.size)
    order = np.lexsort((pool.ids, -np.round(score, _ROUND)))[:limit]
    return [
        ActorSuggestion(
            candidate_id=int(pool.ids[i]),
            score=round(float(score[i]), 6),
            reasons=_reasons(pool, i, tied=round(pool.member_ties[i]), others=pool.m, themes=themes),
            covered={k: float(pool.contrib[r, i]) for r, k in enumerate(pool.kinds) if pool.contrib[r, i] > 0},
            distance_m=None if np.isnan(pool.dist[i]) else round(float(pool.dist[i])),
        )
        for i in order
    ]


def find_coalitions(
    *,
    needs: Sequence[Need],
    candidates: Sequence[Candidate],
    ties: Iterable[frozenset[int]] = (),
    member_ids: Collection[int] = (),
    opted_out_ids: Collection[int] = (),
    area_centre: tuple[float, float] | None = None,
    themes: Collection[str] = (),
    already_covered: Mapping[str, float] | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
    alternatives: int = 3,
    suggestion_limit: int = 50,
) -> CoalitionResult:
    """Ranked actors with reasons, and up to `alternatives` distinct coalitions with explanations (as data).

    Every coalition covers each need as far as all candidates together can (so at least what a plain
    greedy cover covers), spans `weights.sectors_wanted` sectors when the candidates do, and otherwise
    maximises the objective in docs/coalition-finder.md. Current members and opted-out actors are never
    proposed; `already_covered` is what the members bring already (kind → amount). `ties` are pairs of
    actor ids that have worked together. Deterministic: equal values go to the lowest id.
    """
    pool = _Pool(
        needs=needs,
        candidates=candidates,
        ties=ties,
        member_ids=member_ids,
        opted_out_ids=opted_out_ids,
        area_centre=area_centre,
        themes=themes,
        already_covered=already_covered or {},
        weights=weights,
    )
    theme_order = sorted(set(themes))
    suggestions = _suggestions(pool, suggestion_limit, theme_order)
    if not pool.n or alternatives < 1:
        return CoalitionResult(suggestions, [])

    everyone = np.ones(pool.n, dtype=bool)
    found: list[list[int]] = []
    used = np.zeros(pool.n)
    state = _solve(pool, np.zeros(pool.n), everyone)
    if state.members:
        found.append(sorted(state.members))
    while found and len(found) < alternatives:
        for i in found[-1]:
            used[i] += 1
        penalty = weights.reuse * used
        members = sorted(_solve(pool, penalty, everyone).members)
        if members in found:
            members = _by_exclusion(pool, penalty, found)
        if not members:
            break
        found.append(members)

    found.sort(key=lambda members: -round(_objective(pool, members), _ROUND))  # stable: ties keep order
    first = found[0] if found else None
    coalitions = [_proposal(pool, members, None if n == 0 else first, theme_order) for n, members in enumerate(found)]
    return CoalitionResult(suggestions, coalitions)


def _by_exclusion(pool: _Pool, penalty: np.ndarray, found: list[list[int]]) -> list[int]:
    """A coalition not found before, made by leaving out one key member of earlier proposals (largest
    coverage first), if coverage and sector span can still be met without it. Empty if none."""
    key = sorted(
        {i for members in found for i in members},
        key=lambda i: (-float((pool.contrib[:, i] / pool.amount).sum()), int(pool.ids[i])),
    )
    tries = 0
    for i in key:
        allowed = np.ones(pool.n, dtype=bool)
        allowed[i] = False
        supply = pool.base + pool.contrib[:, allowed].sum(axis=1)
        sectors = len(set(pool.sector[allowed].tolist()))
        if np.any(supply < pool.target - pool.tol) or sectors < pool.required_sectors:
            continue
        tries += 1
        members = sorted(_solve(pool, penalty, allowed).members)
        if members and members not in found:
            return members
        if tries >= _MAX_EXCLUSION_TRIES:
            break
    return []


def greedy_cover(
    needs: Sequence[Need],
    candidates: Sequence[Candidate],
    *,
    already_covered: Mapping[str, float] | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
) -> list[int]:
    """The plain greedy cover: repeatedly take the candidate that covers the most of what is still needed
    (lowest id on ties) until no candidate adds anything. The baseline every coalition is measured
    against."""
    pool = _Pool(
        needs=needs,
        candidates=candidates,
        ties=(),
        member_ids=(),
        opted_out_ids=(),
        area_centre=None,
        themes=(),
        already_covered=already_covered or {},
        weights=weights,
    )
    if not pool.kinds or not pool.n:
        return []
    state = _State(pool, np.zeros(pool.n))
    a = pool.amount[:, None]
    while True:
        cov = state.cov[:, None]
        gain = ((np.minimum(cov + pool.contrib, a) - np.minimum(cov, a)) / a).sum(axis=0)
        gain[state.in_s] = 0.0
        j = _argmax(gain)
        if gain[j] <= 1e-12:
            return [int(pool.ids[i]) for i in state.members]
        state.add(j)
