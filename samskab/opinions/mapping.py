"""The opinion-map engine: Polis's maths on sparse vote matrices, plus bridging across sectors.

Pure module (numpy, scipy and scikit-learn only; no Django), so it runs and is tested without a database.
The Django side calls `compute_opinion_map` and `next_statement`; everything else is public for tests,
benchmarks and the `opinion_groups` command.

What is computed, step by step (Polis's definitions unless stated; see docs in each function):

1. The vote matrix keeps the last vote per participant and statement (agree +1, disagree -1, pass 0).
   Columns are the given statements; a statement counts as a matrix column ("voted") once it has a vote.
   Participants are rows in a canonical order (numeric ids numerically, others as strings), so the
   result never depends on the order in which votes or participants were handed in, only on the votes
   and, for repeated votes on the same statement, on their time order.
2. Moderated-out statements are zeroed for every participant, as Polis does: they drop out of the PCA
   but still count as "voted" in the sparsity scaling of every participant.
3. PCA with two components on the mean-imputed matrix over all participants, computed exactly from the
   sparse centred matrix (imputed cells are zero after centring, so nothing participants x statements is
   ever dense). Participants are projected with Polis's sparsity-aware scaling sqrt(N / own votes); each
   statement is projected as a virtual participant who agreed with it alone.
4. Participants with at least min(7, N) votes are "in the conversation"; if fewer than 15 are, the top
   voters are added up to 15. Only they are clustered and counted in group statistics.
5. Base clusters: k-means with k = 100 (fewer if fewer distinct positions) on the in-conversation
   projections, started from the first distinct positions in canonical order. Opinion groups: weighted
   k-means on the base-cluster centres for k = 2..min(5, 2 + bases // 12), from Polis's start unless one
   of several seeded starts is clearly better, k chosen by silhouette (member-weighted, preferring the
   smaller k unless a larger one is clearly better; see `group_clusters` for why this departs from Polis),
   never allowing a group smaller than `min_group_size`.
6. Representative statements (repness), consensus and group-informed consensus exactly as Polis.
7. Sector bridging: group-informed consensus with sectors in place of opinion groups, per-sector shares
   and a "divisive" flag (see `sector_bridging`); optionally a Community-Notes-style matrix-factorisation
   intercept that needs no sectors (`matrix_factorisation_bridging`).

Fixed seeds throughout: the same votes give the same map, bit for bit.

Sign convention everywhere: agree = +1, disagree = -1 (Polis's openData and red-dwarf convention; Polis's
own database and Clojure maths use the opposite sign, which changes nothing here but the sign of axes).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import svds
from scipy.spatial import cKDTree

AGREE, DISAGREE, PASS = 1, -1, 0

# Polis's constants (math/src/polismath/math/conversation.clj and friends).
MIN_VOTES_IN_CONVERSATION = 7  # a participant counts from min(7, number of voted statements) votes
GREEDY_PARTICIPANTS = 15  # ... or as one of the 15 most active voters while the conversation is young
BASE_K = 100  # base clusters
BASE_ITERATIONS = 100
MAX_GROUPS = 5
GROUP_ITERATIONS = 100  # Polis means 100; its Clojure passes the option under the wrong key and runs 20
KMEANS_TOLERANCE = 0.01  # k-means stops when no centre moves by this much
Z_90 = 1.2816  # one-sided 90 % critical value, as hard-coded by Polis (stats.clj z-sig-90?)
REPRESENTATIVE_COUNT = 5
RESERVE_COUNT = 10  # representative statements kept beyond the five, for the results' floor (presentation)
CONSENSUS_COUNT = 5
META_PRIORITY = 7.0  # Polis shows meta statements with a fixed priority 7² = 49

# Ours, not Polis's.
MIN_GROUP_SIZE = 2  # no opinion group with fewer members (Polis can produce singleton groups)
GROUP_RESTARTS = 32  # extra seeded k-means++ starts for the group k-means (cheap: at most 100 points)
POLIS_START_MARGIN = 0.003  # Polis's start is kept while within 0.3 % of the lowest within-group sum of squares
SILHOUETTE_MARGIN = 0.02  # a larger k must beat the silhouette of a smaller one by more than this
BASE_SAMPLE = 100_000  # base k-means on a sample above this many participants, then refined on all
BASE_FULL_ITERATIONS = 5  # Lloyd steps on everybody after the sample
GRAM_COLUMNS = 2_000  # PCA through the statements x statements Gram matrix up to this many statements
GRAM_WORK = 50_000_000  # ... and this many multiply-adds to build it (sum of squared votes per person)
DIVISIVE_SHARE = 0.6  # a sector with this share of agree (another: of disagree) makes a statement divisive
DIVISIVE_MIN_SEEN = 3  # ... counting only sectors with at least this many votes on it
SECTOR_MIN_VOTERS = 3  # a sector's votes on a statement are shown, and counted in bridging, from this many voters
MF_SWEEPS = 50
MF_TOLERANCE = 1e-5  # stop when no statement intercept moves by more than this in a sweep
MF_INTERCEPT_PENALTY = 0.15  # Community Notes' lambda for intercepts (5 x 0.03)
MF_FACTOR_PENALTY = 0.03  # ... and for factors
_CHUNK = 50_000  # above this many points, nearest centres come from a k-d tree


# ---------------------------------------------------------------------------------------------------------
# Input: votes and the vote matrix
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VoteRecord:
    """One vote. +1 agree, -1 disagree, 0 pass. In an iterable of records, later records win."""

    participant: str
    statement: str
    value: int


def _canonical_order(ids: Sequence[str]) -> np.ndarray:
    """Indices that sort `ids` canonically: numerically when every id is an integer, else as strings.

    Canonical row order is what makes the whole map independent of input order (k-means starts from the
    first distinct positions in row order, and floating-point sums depend on order).
    """
    if len(ids) == 0:
        return np.zeros(0, dtype=np.int64)
    as_str = np.asarray(ids, dtype=str)
    try:
        as_int = as_str.astype(np.int64)
    except (ValueError, OverflowError):
        return np.argsort(as_str, kind="stable")
    return np.lexsort((as_str, as_int))


@dataclass(frozen=True, eq=False)
class VoteMatrix:
    """Participants x statements, the last vote of each participant on each statement, in CSR form.

    Invariants: rows are the participants with at least one vote, in canonical order (see
    `_canonical_order`); columns are `statements` in the given order; within a row, column indices are
    strictly increasing; `values` holds -1/0/+1 with passes stored explicitly (a missing vote is an
    absent entry, never a zero). Build it with `from_records` or `from_arrays`.
    """

    participants: tuple[str, ...]
    statements: tuple[str, ...]
    indptr: np.ndarray  # int64, len(participants) + 1
    indices: np.ndarray  # int32 column of each vote
    values: np.ndarray  # int8 vote

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.participants), len(self.statements)

    @property
    def n_votes(self) -> int:
        return int(self.values.size)

    def votes_per_participant(self) -> np.ndarray:
        return np.diff(self.indptr)

    def entry_rows(self) -> np.ndarray:
        """The row of every stored vote (aligned with `indices` and `values`)."""
        return np.repeat(np.arange(len(self.participants), dtype=np.int32), np.diff(self.indptr))

    def to_csr(self, dtype: type = np.float64) -> sp.csr_matrix:
        """The votes as a scipy CSR matrix. Passes become explicit zeros: count them from `indices`."""
        return sp.csr_matrix((self.values.astype(dtype), self.indices.copy(), self.indptr.copy()), shape=self.shape)

    @classmethod
    def from_arrays(
        cls,
        participant_codes: np.ndarray,
        statement_codes: np.ndarray,
        values: np.ndarray,
        *,
        participants: Sequence[str],
        statements: Sequence[str],
    ) -> VoteMatrix:
        """Build from parallel arrays of votes in time order (later votes on the same pair win).

        `participant_codes[i]` indexes `participants`, `statement_codes[i]` indexes `statements`; votes with
        a negative statement code are dropped (a statement not in the conversation). Participants without a
        remaining vote are not rows. Raises ValueError for a vote value outside -1/0/+1, a code out of
        range or a repeated participant id. Memory: a few int64 arrays of the number of votes; nothing
        participants x statements.
        """
        p = np.asarray(participant_codes, dtype=np.int64)
        s = np.asarray(statement_codes, dtype=np.int64)
        v = np.asarray(values)
        if not (p.shape == s.shape == v.shape) or p.ndim != 1:
            raise ValueError("participant_codes, statement_codes and values must be 1-D and of equal length")
        n_participants, n_statements = len(participants), len(statements)
        if len(set(participants)) != n_participants:
            raise ValueError("participant ids must not repeat")
        keep = s >= 0
        if not keep.all():
            p, s, v = p[keep], s[keep], v[keep]
        if p.size and (p.min() < 0 or p.max() >= n_participants or s.max() >= n_statements):
            raise ValueError("a participant or statement code is out of range")
        if v.size and not np.isin(v, (-1, 0, 1)).all():
            bad = v[~np.isin(v, (-1, 0, 1))][0]
            raise ValueError(f"a vote must be -1, 0 or 1, not {bad!r}")
        # Rank participants canonically and keep only those with votes.
        order = _canonical_order(participants)
        rank = np.empty(n_participants, dtype=np.int64)
        rank[order] = np.arange(n_participants)
        width = max(n_statements, 1)
        key = rank[p] * width + s
        del p
        # Sort by (participant, statement, time): then the last entry of each pair is the last vote, and
        # the sorted keys are the CSR layout. Appending the vote's position makes keys unique, so numpy's
        # fast (unstable) value sort gives the stable order; fall back to a stable argsort on overflow.
        n_votes = key.size
        if n_votes and n_participants * width <= np.iinfo(np.int64).max // n_votes:
            key *= n_votes
            key += np.arange(n_votes)
            key.sort()
            position = key % n_votes
            key //= n_votes
        else:
            position = np.argsort(key, kind="stable")
            key = key[position]
        last = np.ones(key.size, dtype=bool)
        last[:-1] = key[1:] != key[:-1]
        vals = v[position[last]].astype(np.int8)
        del position
        key = key[last]
        rows = key // width
        cols = (key - rows * width).astype(np.int32)
        del key
        starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]]) if rows.size else np.zeros(0, np.int64)
        present = rows[starts]
        indptr = np.append(starts, rows.size).astype(np.int64)
        ids = [participants[i] for i in order[present]]
        return cls(
            participants=tuple(ids),
            statements=tuple(statements),
            indptr=indptr,
            indices=cols,
            values=vals,
        )

    @classmethod
    def from_records(cls, records: Iterable[VoteRecord], *, statements: Sequence[str]) -> VoteMatrix:
        """Build from vote records in time order; votes on statements not in `statements` are ignored.

        Ids are compared as strings (an int id 5 is the statement "5").
        """
        records = records if isinstance(records, list) else list(records)
        statements = [str(s) for s in statements]
        statement_code = {s: i for i, s in enumerate(statements)}
        participant_code: dict[str, int] = {}
        n = len(records)
        # Three C-speed passes over the records instead of one Python loop with appends: this is the path
        # the Django side takes, so it is worth a few seconds at 5 million votes.
        s_codes = np.fromiter((statement_code.get(r.statement, -1) for r in records), np.int64, n)
        p_codes = np.fromiter(
            (participant_code.setdefault(r.participant, len(participant_code)) for r in records), np.int64, n
        )
        values = np.fromiter((r.value for r in records), np.int64, n)
        if not all(type(p) is str for p in participant_code) or any(
            type(records[i].statement) is not str for i in np.flatnonzero(s_codes < 0)
        ):
            participant_code = {}
            s_codes = np.fromiter((statement_code.get(str(r.statement), -1) for r in records), np.int64, n)
            p_codes = np.fromiter(
                (participant_code.setdefault(str(r.participant), len(participant_code)) for r in records),
                np.int64,
                n,
            )
        return cls.from_arrays(p_codes, s_codes, values, participants=list(participant_code), statements=statements)

    def reindexed(self, statements: Sequence[str]) -> VoteMatrix:
        """The same votes with columns `statements` (votes on statements not listed are dropped)."""
        statements = [str(s) for s in statements]
        if tuple(statements) == self.statements:
            return self
        new_code = {s: i for i, s in enumerate(statements)}
        remap = np.asarray([new_code.get(s, -1) for s in self.statements], dtype=np.int64)
        return VoteMatrix.from_arrays(
            self.entry_rows().astype(np.int64),
            remap[self.indices] if self.indices.size else np.zeros(0, dtype=np.int64),
            self.values,
            participants=self.participants,
            statements=statements,
        )


@dataclass(frozen=True)
class VoteCounts:
    """Agree, disagree and seen (agree + disagree + pass) counts, each an array over statements."""

    agree: np.ndarray
    disagree: np.ndarray
    seen: np.ndarray


def statement_counts(matrix: VoteMatrix, rows: np.ndarray | None = None) -> VoteCounts:
    """Vote counts per statement over all rows, or over the rows selected by the boolean mask `rows`."""
    n = len(matrix.statements)
    cols, vals = matrix.indices, matrix.values
    if rows is not None:
        chosen = np.repeat(rows, np.diff(matrix.indptr))
        cols, vals = cols[chosen], vals[chosen]
    return VoteCounts(
        agree=np.bincount(cols[vals == AGREE], minlength=n),
        disagree=np.bincount(cols[vals == DISAGREE], minlength=n),
        seen=np.bincount(cols, minlength=n),
    )


def group_counts(matrix: VoteMatrix, labels: np.ndarray, n_groups: int) -> VoteCounts:
    """Vote counts per group and statement (arrays n_groups x statements); rows labelled -1 are skipped."""
    n = len(matrix.statements)
    entry_label = np.repeat(labels.astype(np.int64), np.diff(matrix.indptr))
    chosen = entry_label >= 0
    key = entry_label[chosen] * n + matrix.indices[chosen]
    vals = matrix.values[chosen]
    size = n_groups * n

    def count(k: np.ndarray) -> np.ndarray:
        return np.bincount(k, minlength=size).reshape(n_groups, n)

    return VoteCounts(agree=count(key[vals == AGREE]), disagree=count(key[vals == DISAGREE]), seen=count(key))


# ---------------------------------------------------------------------------------------------------------
# PCA and projections
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pca:
    """Two principal components over all statements (zero for unvoted and moderated-out statements)."""

    center: np.ndarray  # column means of the voted entries (0 where moderated out or unvoted)
    components: np.ndarray  # 2 x statements, unit rows, sign fixed so each row's largest entry is > 0
    n_columns: int  # N: statements with at least one vote, moderated-out ones included


def votes_to_be_placed(n_statements: int) -> int:
    """How many votes put a participant in the conversation: min(7, statements), as Polis."""
    return min(MIN_VOTES_IN_CONVERSATION, n_statements)


def in_conversation(votes_per_participant: np.ndarray, n_columns: int) -> np.ndarray:
    """Polis's in-conversation rule as a boolean mask over participants (rows in canonical order).

    A participant is in once they have min(7, N) votes, N = statements with a vote. While fewer than 15
    are in, the most active voters are added (ties in row order) until there are 15 or nobody is left.
    Polis keeps membership "sticky" across updates; a one-shot computation cannot, and does not.
    """
    counts = np.asarray(votes_per_participant)
    inside = counts >= votes_to_be_placed(n_columns)
    inside &= counts > 0
    missing = GREEDY_PARTICIPANTS - int(inside.sum())
    if missing > 0:
        candidates = np.flatnonzero(~inside & (counts > 0))
        by_votes = candidates[np.argsort(-counts[candidates], kind="stable")]
        inside[by_votes[:missing]] = True
    return inside


def _fix_signs(components: np.ndarray) -> np.ndarray:
    """Flip each component so its largest-magnitude entry (first one on ties) is positive."""
    out = components.copy()
    for i, row in enumerate(out):
        if row.size and row[np.argmax(np.abs(row))] < 0:
            out[i] = -row
    return out


def principal_components(matrix: VoteMatrix, moderated_out: np.ndarray, *, n_components: int = 2, seed: int = 0) -> Pca:
    """Polis's PCA: top components of the column-mean-imputed, centred vote matrix over all participants.

    `moderated_out` is a boolean mask over statements. Because imputed cells equal the column mean, they
    are zero once centred, so the centred matrix has exactly the sparsity of the votes; moderated-out
    columns are constant (zeroed) and drop out. Exact: eigenvectors of the small statements x statements
    Gram matrix when that is cheap, else ARPACK (svds) from a seeded start vector; both give the same
    subspace. Polis uses power iteration (and a mini-batch approximation above 10,000 participants);
    components agree up to sign.
    """
    n_rows, n_cols = matrix.shape
    counts = np.bincount(matrix.indices, minlength=n_cols)
    voted = counts > 0
    sums = np.bincount(matrix.indices, weights=matrix.values.astype(np.float64), minlength=n_cols)
    center = np.divide(sums, counts, out=np.zeros(n_cols), where=voted)
    center[moderated_out] = 0.0
    used = np.flatnonzero(voted & ~moderated_out)
    components = np.zeros((n_components, n_cols))
    pca = Pca(center=center, components=components, n_columns=int(voted.sum()))
    if n_rows == 0 or used.size == 0:
        return pca
    y = centred_matrix(matrix, pca.center, moderated_out)[:, used]
    k = min(n_components, *y.shape)
    gram_cost = float((np.diff(y.indptr).astype(np.float64) ** 2).sum())
    if (used.size <= GRAM_COLUMNS and gram_cost <= GRAM_WORK) or min(y.shape) <= n_components + 1:
        # Few statements: the statements x statements Gram matrix is small and its eigenvectors are the
        # right singular vectors; exact and far quicker than ARPACK's start-up.
        gram = (y.T @ y).toarray()
        _w, vectors = np.linalg.eigh(gram)
        top = vectors[:, ::-1][:, :k].T
    else:
        v0 = np.random.default_rng(seed).standard_normal(min(y.shape))
        _u, s, vt = svds(y, k=k, v0=v0, solver="arpack", return_singular_vectors="vh")
        top = vt[np.argsort(-s, kind="stable")]
    components[:k, used] = _fix_signs(top)
    return pca


def centred_matrix(matrix: VoteMatrix, center: np.ndarray, moderated_out: np.ndarray) -> sp.csr_matrix:
    """Votes minus column means, on the voted cells only; moderated-out columns are left out (zero)."""
    keep = ~moderated_out[matrix.indices]
    indices = matrix.indices[keep]  # fresh arrays: scipy may modify what it is given in place
    data = matrix.values[keep].astype(np.float64) - center[indices]
    indptr = np.zeros_like(matrix.indptr)
    np.cumsum(np.add.reduceat(keep, matrix.indptr[:-1]) * (np.diff(matrix.indptr) > 0), out=indptr[1:])
    return sp.csr_matrix((data, indices, indptr), shape=matrix.shape)


def project_participants(matrix: VoteMatrix, pca: Pca, moderated_out: np.ndarray) -> np.ndarray:
    """Polis's sparsity-aware projection, n x 2.

    proj_u = sqrt(N / n_u) · Σ_{j voted by u} (x_uj - c_j) · p_j, where N = statements with a vote and
    n_u = the participant's votes on them, with every voted moderated-out statement counted as voted
    for everybody (Polis zeroes those columns for all, so they are "non-missing" for all). The factor
    pushes people with few votes outwards, where their votes would place them if they had voted more.
    """
    if not matrix.participants:
        return np.zeros((0, 2))
    voted = np.bincount(matrix.indices, minlength=len(matrix.statements)) > 0
    y = centred_matrix(matrix, pca.center, moderated_out)
    raw = np.asarray(y @ pca.components.T)
    n_modout = int((voted & moderated_out).sum())
    own = np.bincount(matrix.entry_rows()[~moderated_out[matrix.indices]], minlength=len(matrix.participants))
    n_u = np.maximum(own + n_modout, 1)
    return raw * np.sqrt(pca.n_columns / n_u)[:, None]


def project_statements(pca: Pca) -> np.ndarray:
    """Each statement projected as a virtual participant who agreed with it and voted on nothing else.

    = sqrt(N) · (1 - c_j) · p_j. Zero for moderated-out and unvoted statements. The length of this point
    is Polis's "extremity" of the statement.
    """
    scale = math.sqrt(max(pca.n_columns, 1))
    return (scale * (1.0 - pca.center) * pca.components).T.copy()


def loading_order(matrix: VoteMatrix, rows: np.ndarray) -> np.ndarray:
    """`rows` (participant rows) in the order Polis's matrix holds them when it loads a conversation.

    Polis reads the votes ordered by statement id, then participant id, and appends a participant to its
    matrix when it first meets them: by the first statement (in id order) they voted on, then by id. The
    base clusters start from the first distinct positions in this order, so it decides which of several
    near-equal clusterings the k-means lands in. Statement ids are ranked canonically (numerically when
    all are integers), so the order depends only on the votes, never on the order of the input.
    """
    rows = np.asarray(rows, dtype=np.int64)
    if rows.size == 0:
        return rows
    column_rank = np.empty(len(matrix.statements), dtype=np.int64)
    column_rank[_canonical_order(matrix.statements)] = np.arange(len(matrix.statements))
    counts = np.diff(matrix.indptr)
    first = np.full(len(matrix.participants), len(matrix.statements), dtype=np.int64)
    voted = counts > 0
    first[voted] = np.minimum.reduceat(column_rank[matrix.indices], matrix.indptr[:-1][voted])
    return rows[np.lexsort((rows, first[rows]))]


# ---------------------------------------------------------------------------------------------------------
# Clustering
# ---------------------------------------------------------------------------------------------------------


def _nearest(points: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Index of the nearest centre for every point: one points x centres distance matrix while that is
    small, a k-d tree over the centres for many points (exact either way)."""
    if len(points) > _CHUNK:
        return cKDTree(centres).query(points, workers=-1)[1].astype(np.int64)
    d = points @ (-2.0 * centres.T)
    d += (centres**2).sum(axis=1)
    return d.argmin(axis=1)


def weighted_kmeans(
    points: np.ndarray,
    weights: np.ndarray,
    init: np.ndarray,
    *,
    max_iterations: int,
    tolerance: float = KMEANS_TOLERANCE,
) -> tuple[np.ndarray, np.ndarray]:
    """Lloyd's k-means as Polis runs it: weighted means, empty clusters dropped, stop when no centre moves
    by `tolerance` or more. Returns (centres, labels); labels index the returned centres."""
    centres = np.asarray(init, dtype=np.float64).copy()
    labels = _nearest(points, centres)
    for _ in range(max_iterations):
        k = len(centres)
        mass = np.bincount(labels, weights=weights, minlength=k)
        sums = np.stack(
            [np.bincount(labels, weights=weights * points[:, d], minlength=k) for d in range(points.shape[1])],
            axis=1,
        )
        alive = mass > 0
        new = sums[alive] / mass[alive, None]
        converged = bool(alive.all()) and float(np.abs(new - centres).max(initial=0.0)) < tolerance
        centres = new
        labels = _nearest(points, centres)
        if converged:
            break
    # Relabel so labels are contiguous over the centres that still have members.
    used = np.unique(labels)
    if used.size < len(centres):
        remap = np.full(len(centres), -1, dtype=np.int64)
        remap[used] = np.arange(used.size)
        centres, labels = centres[used], remap[labels]
    return centres, labels


def _first_distinct(points: np.ndarray, k: int) -> np.ndarray:
    """The first `k` distinct rows of `points`, in row order (Polis's k-means initialisation)."""
    _, first = np.unique(points, axis=0, return_index=True)
    return points[np.sort(first)[:k]]


@dataclass(frozen=True)
class BaseClusters:
    centres: np.ndarray  # b x 2
    sizes: np.ndarray  # members per base cluster
    labels: np.ndarray  # base cluster of each clustered participant


def base_clusters(points: np.ndarray, *, k: int = BASE_K, seed: int = 0) -> BaseClusters:
    """Polis's first stage: k-means with k = 100 on participant positions, from the first distinct rows.

    Above `BASE_SAMPLE` participants the k-means runs on a seeded random sample of that size (kept in row
    order, so it starts as Polis would on those rows) and then on everybody for at most
    `BASE_FULL_ITERATIONS` Lloyd steps from there. Polis itself approximates at scale (mini-batch PCA above
    10,000 participants); 100 centres in two dimensions are well placed by 100,000 points.
    """
    if len(points) == 0:
        return BaseClusters(np.zeros((0, 2)), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    ones = np.ones(len(points))
    if len(points) > BASE_SAMPLE:
        sample = np.sort(np.random.default_rng(seed).choice(len(points), BASE_SAMPLE, replace=False))
        init, _ = weighted_kmeans(
            points[sample], ones[sample], _first_distinct(points[sample], k), max_iterations=BASE_ITERATIONS
        )
        centres, labels = weighted_kmeans(points, ones, init, max_iterations=BASE_FULL_ITERATIONS)
    else:
        centres, labels = weighted_kmeans(points, ones, _first_distinct(points, k), max_iterations=BASE_ITERATIONS)
    return BaseClusters(centres, np.bincount(labels, minlength=len(centres)), labels)


def silhouette(points: np.ndarray, labels: np.ndarray, weights: np.ndarray | None = None) -> float:
    """Mean silhouette with Euclidean distances; a point alone in its cluster scores 0 (as Polis).

    Without weights this is Polis's silhouette of the base-cluster centres. With weights (members per base
    cluster) it is the silhouette the participants would have if each sat at its base-cluster centre:
    a = weighted mean distance to the other members of its own cluster, b = the smallest weighted mean
    distance to another cluster, averaged with the weights.
    """
    n = len(points)
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    k = int(labels.max()) + 1 if n else 0
    if n < 2 or k < 2:
        return 0.0
    d = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
    member = np.eye(k)[labels] * w[:, None]  # n x k: weight of each point in each cluster
    mass = member.sum(axis=0)
    sums = d @ member  # n x k: weighted total distance to each cluster
    own = mass[labels] - 1.0  # the others in one's own cluster (one's base-mates sit at distance 0)
    a = np.divide(sums[np.arange(n), labels], own, out=np.zeros(n), where=own > 0)
    other = np.where(np.eye(k, dtype=bool)[labels] | (mass <= 0)[None, :], np.inf, sums / np.maximum(mass, 1e-300))
    b = other.min(axis=1)
    top = np.maximum(a, b)
    s = np.divide(b - a, top, out=np.zeros(n), where=(own > 0) & np.isfinite(b) & (top > 0))
    return float((s * w).sum() / w.sum())


def _kmeans_pp(points: np.ndarray, weights: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    chosen = [int(rng.choice(len(points), p=weights / weights.sum()))]
    for _ in range(1, k):
        d = ((points[:, None, :] - points[chosen][None, :, :]) ** 2).sum(axis=2).min(axis=1) * weights
        if d.sum() <= 0:
            break
        chosen.append(int(rng.choice(len(points), p=d / d.sum())))
    return points[chosen]


@dataclass(frozen=True)
class GroupClustering:
    k: int  # 0 when no grouping was possible
    labels: np.ndarray  # group of each base cluster (-1 everywhere when k == 0)
    centres: np.ndarray
    silhouettes: dict[int, float]  # score of every k tried; -1 marks a k rejected for a too small group


def group_clusters(
    centres: np.ndarray,
    sizes: np.ndarray,
    *,
    max_groups: int = MAX_GROUPS,
    min_group_size: int = MIN_GROUP_SIZE,
    seed: int = 0,
) -> GroupClustering:
    """Polis's second stage: weighted k-means on base-cluster centres (weights = members), k by silhouette.

    k runs over 2..min(max_groups, 2 + bases // 12), as Polis. For each k the weighted k-means starts from
    Polis's start (the first k distinct centres) and from `GROUP_RESTARTS` seeded k-means++ starts. Polis's
    start's solution is kept while its weighted within-group sum of squares is within `POLIS_START_MARGIN`
    (a fraction) of the lowest found; otherwise the lowest is kept. Near-equal solutions are common
    (the openData conversations have several within 0.5 %), and among them the one Polis's own start
    reaches is the likeliest to be Polis's; a start that lands clearly worse (on canadian-electoral-reform
    it is 30 % worse) is not kept just because it is Polis's. The margin was set on the eight openData
    conversations; docs/benchmarks.md shows it also helps from random starting orders.

    Choosing k (two deliberate departures from Polis, both measured on the openData conversations):
    - the silhouette is weighted by members (`silhouette` with weights), i.e. it scores how well the
      participants are separated, not how well the base clusters are; Polis weighs a base cluster of one
      person like one of fifty;
    - the smallest k whose silhouette is within `SILHOUETTE_MARGIN` of the best wins. This stands in for
      Polis's k smoothing, which only switches to a new k after it has been best on 4 updates in a row, so
      a k that is barely better does not displace the simpler map.
    A k whose smallest group has fewer than `min_group_size` members is rejected (scored -1): no
    singleton groups. If no k qualifies, k = 0: no groups.
    """
    n_base = len(centres)
    none = GroupClustering(0, np.full(n_base, -1, dtype=np.int64), np.zeros((0, 2)), {})
    if n_base < 2:
        return none
    weights = sizes.astype(np.float64)
    rng = np.random.default_rng(seed)
    top_k = min(max_groups, 2 + n_base // 12, n_base)
    solutions: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    scores: dict[int, float] = {}
    for k in range(2, top_k + 1):
        starts = [_first_distinct(centres, k)]
        starts += [_kmeans_pp(centres, weights, k, rng) for _ in range(GROUP_RESTARTS)]
        found: list[tuple[float, np.ndarray, np.ndarray]] = []
        polis: tuple[float, np.ndarray, np.ndarray] | None = None
        for i, start in enumerate(starts):
            if len(start) < k:
                continue
            c, lab = weighted_kmeans(centres, weights, start, max_iterations=GROUP_ITERATIONS)
            if len(c) < k:
                continue
            found.append((float((weights * ((centres - c[lab]) ** 2).sum(axis=1)).sum()), c, lab))
            polis = found[-1] if i == 0 else polis
        if not found:
            continue
        lowest = min(found, key=lambda f: f[0])  # the first of equal ones
        kept = polis if polis is not None and polis[0] <= lowest[0] * (1.0 + POLIS_START_MARGIN) else lowest
        _inertia, c, lab = kept
        if np.bincount(lab, weights=weights, minlength=k).min() < min_group_size:
            scores[k] = -1.0
            continue
        scores[k] = silhouette(centres, lab, weights)
        solutions[k] = (c, lab)
    if not solutions:
        return GroupClustering(0, none.labels, none.centres, scores)
    top = max(scores[k] for k in solutions)
    k = min(k for k in solutions if scores[k] >= top - SILHOUETTE_MARGIN)
    c, lab = solutions[k]
    return GroupClustering(k, lab, c, scores)


# ---------------------------------------------------------------------------------------------------------
# Statement statistics: repness, consensus, group-informed consensus
# ---------------------------------------------------------------------------------------------------------


def _smoothed(successes: np.ndarray, trials: np.ndarray) -> np.ndarray:
    return (successes + 1.0) / (trials + 2.0)


def one_proportion_z(successes: np.ndarray, trials: np.ndarray) -> np.ndarray:
    """Polis's one-proportion test against 1/2 with pseudo-counts: 2·sqrt(n+1)·((s+1)/(n+1) - 1/2)."""
    n = trials + 1.0
    return 2.0 * np.sqrt(n) * ((successes + 1.0) / n - 0.5)


def two_proportion_z(s1: np.ndarray, s2: np.ndarray, n1: np.ndarray, n2: np.ndarray) -> np.ndarray:
    """Polis's two-proportion z-test with one pseudo-count added to each of the four counts; 0 when the
    pooled proportion is 1."""
    s1, s2, n1, n2 = (np.asarray(x, dtype=np.float64) + 1.0 for x in (s1, s2, n1, n2))
    pooled = (s1 + s2) / (n1 + n2)
    denominator = np.sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s1 / n1 - s2 / n2) / denominator
    return np.where(pooled >= 1.0, 0.0, z)


@dataclass(frozen=True)
class Repness:
    """A statement that sets a group apart, with Polis's statistics for its direction.

    agree_share / disagree_share are the plain shares of the group's votes (passes count as seen);
    p_success is the smoothed probability (n_success + 1) / (n_trials + 2); repness is that probability
    divided by the same for the members of all other groups pooled; repness_test and p_test are the
    z-scores (two-proportion against the other groups, one-proportion against 1/2).
    """

    statement: str
    direction: Literal["agree", "disagree"]
    agree_share: float
    disagree_share: float
    repness: float
    repness_test: float
    p_success: float
    p_test: float
    n_success: int
    n_trials: int
    best_agree: bool = False


@dataclass(frozen=True)
class _RepStats:
    na: np.ndarray
    nd: np.ndarray
    ns: np.ndarray
    pa: np.ndarray
    pd: np.ndarray
    pat: np.ndarray
    pdt: np.ndarray
    ra: np.ndarray
    rd: np.ndarray
    rat: np.ndarray
    rdt: np.ndarray


def _repness_stats(counts: VoteCounts) -> _RepStats:
    na, nd, ns = counts.agree, counts.disagree, counts.seen  # groups x statements
    rest_a, rest_d, rest_s = na.sum(0) - na, nd.sum(0) - nd, ns.sum(0) - ns
    pa, pd = _smoothed(na, ns), _smoothed(nd, ns)
    return _RepStats(
        na=na,
        nd=nd,
        ns=ns,
        pa=pa,
        pd=pd,
        pat=one_proportion_z(na, ns),
        pdt=one_proportion_z(nd, ns),
        ra=pa / _smoothed(rest_a, rest_s),
        rd=pd / _smoothed(rest_d, rest_s),
        rat=two_proportion_z(na, rest_a, ns, rest_s),
        rdt=two_proportion_z(nd, rest_d, ns, rest_s),
    )


def representative_statements(
    counts: VoteCounts,
    statements: Sequence[str],
    eligible: np.ndarray,
    *,
    count: int = REPRESENTATIVE_COUNT,
    reserve: list[list[Repness]] | None = None,
) -> list[list[Repness]]:
    """Polis's representative statements for each group (repness.clj select-rep-comments).

    `counts` are per group x statement over in-conversation members; `eligible` masks the statements that
    may be chosen (voted and not moderated out). A statement passes when (pat > z90 and rat > z90) or
    (pdt > z90 and rdt > z90); its direction is agree when rat > rdt. Passing statements are ranked by
    repness · repness_test · p_success · p_test of their direction. The "best agree" statement is found
    walking statements in order: skip if nobody agreed or disagreed; with a current best of ra > 1 replace
    it when ra·rat·pa·pat is higher; with a current best of ra ≤ 1 when pa·pat is higher; with none
    accept when pat > z90 or (ra > 1 and pa > 1/2). Result per group: the best agree first, then the
    ranked passing statements without it, the first `count`, agrees before disagrees (stable). When none
    passes: the best agree alone, else the statement with the highest max(rat, rdt).

    As in Polis, every chosen statement, the best agree included, is reported in the direction of its
    larger repness test (rat vs rdt), so a "best agree" can come out as direction "disagree" (Polis's
    fixture 50ptpt-3gp-strict-no-meta has one); `best_agree` marks it either way.

    With a `reserve` list, each group's next `RESERVE_COUNT` passing statements after the chosen, in rank order,
    are appended to it: the results may not show a chosen statement whose votes come from too few people, and
    show the next one instead (`presentation.shown_result`). Polis's choice itself does not change.
    """
    if reserve is not None:
        reserve.clear()
    st = _repness_stats(counts)
    n_groups = st.na.shape[0]
    index = np.flatnonzero(eligible)
    out: list[list[Repness]] = []
    for g in range(n_groups):

        def make(j: int, direction: str, best_agree: bool = False, g: int = g) -> Repness:
            agree = direction == "agree"
            n_trials = int(st.ns[g, j])
            return Repness(
                statement=statements[j],
                direction="agree" if agree else "disagree",
                agree_share=float(st.na[g, j] / n_trials) if n_trials else 0.0,
                disagree_share=float(st.nd[g, j] / n_trials) if n_trials else 0.0,
                repness=float((st.ra if agree else st.rd)[g, j]),
                repness_test=float((st.rat if agree else st.rdt)[g, j]),
                p_success=float((st.pa if agree else st.pd)[g, j]),
                p_test=float((st.pat if agree else st.pdt)[g, j]),
                n_success=int((st.na if agree else st.nd)[g, j]),
                n_trials=n_trials,
                best_agree=best_agree,
            )

        def direction(j: int, g: int = g) -> str:
            return "agree" if st.rat[g, j] > st.rdt[g, j] else "disagree"

        def agree_metric(j: int, g: int = g) -> float:
            return float(st.ra[g, j] * st.rat[g, j] * st.pa[g, j] * st.pat[g, j])

        best: int | None = None
        for j in index.tolist():
            if st.na[g, j] == 0 and st.nd[g, j] == 0:
                continue
            if best is None:
                if st.pat[g, j] > Z_90 or (st.ra[g, j] > 1.0 and st.pa[g, j] > 0.5):
                    best = j
            elif st.ra[g, best] > 1.0:
                if agree_metric(j) > agree_metric(best):
                    best = j
            elif st.pa[g, j] * st.pat[g, j] > st.pa[g, best] * st.pat[g, best]:
                best = j

        agree_ok = (st.pat[g, index] > Z_90) & (st.rat[g, index] > Z_90)
        disagree_ok = (st.pdt[g, index] > Z_90) & (st.rdt[g, index] > Z_90)
        passing = index[agree_ok | disagree_ok]
        if passing.size == 0:
            if best is not None:
                out.append([make(best, direction(best), best_agree=True)])
            elif index.size:
                strength = np.maximum(st.rat[g, index], st.rdt[g, index])
                strongest = int(index[int(np.argmax(strength))])
                out.append([make(strongest, direction(strongest))])
            else:
                out.append([])
            if reserve is not None:
                reserve.append([])
            continue
        is_agree = st.rat[g, passing] > st.rdt[g, passing]
        metric = np.where(
            is_agree,
            st.ra[g, passing] * st.rat[g, passing] * st.pa[g, passing] * st.pat[g, passing],
            st.rd[g, passing] * st.rdt[g, passing] * st.pd[g, passing] * st.pdt[g, passing],
        )
        ranked = [
            make(int(passing[i]), "agree" if is_agree[i] else "disagree") for i in np.argsort(-metric, kind="stable")
        ]
        chosen = [make(best, direction(best), best_agree=True)] if best is not None else []
        chosen += [r for r in ranked if best is None or r.statement != statements[best]]
        if reserve is not None:
            reserve.append(chosen[count : count + RESERVE_COUNT])
        chosen = chosen[:count]
        out.append(sorted(chosen, key=lambda r: r.direction != "agree"))
    return out


@dataclass(frozen=True)
class ConsensusStatement:
    """A statement most participants agree (or disagree) with; share = n_success / n_trials."""

    statement: str
    direction: Literal["agree", "disagree"]
    share: float
    n_success: int
    n_trials: int
    p_success: float
    p_test: float


@dataclass(frozen=True)
class Consensus:
    agree: list[ConsensusStatement] = field(default_factory=list)
    disagree: list[ConsensusStatement] = field(default_factory=list)


def consensus_statements(
    counts: VoteCounts, statements: Sequence[str], eligible: np.ndarray, *, count: int = CONSENSUS_COUNT
) -> Consensus:
    """Polis's consensus ("majority opinion"), over all participants' votes.

    Agree candidates need p = (agrees + 1)/(seen + 2) > 1/2 and its one-proportion z > z90; they are
    ranked by p · z (stable in statement order) and the first `count` kept. The same for disagree.
    """

    def pick(successes: np.ndarray, direction: Literal["agree", "disagree"]) -> list[ConsensusStatement]:
        p = _smoothed(successes, counts.seen)
        z = one_proportion_z(successes, counts.seen)
        candidates = np.flatnonzero(eligible & (p > 0.5) & (z > Z_90))
        ranked = candidates[np.argsort(-(p[candidates] * z[candidates]), kind="stable")][:count]
        return [
            ConsensusStatement(
                statement=statements[j],
                direction=direction,
                share=float(successes[j] / counts.seen[j]),
                n_success=int(successes[j]),
                n_trials=int(counts.seen[j]),
                p_success=float(p[j]),
                p_test=float(z[j]),
            )
            for j in ranked
        ]

    return Consensus(agree=pick(counts.agree, "agree"), disagree=pick(counts.disagree, "disagree"))


def group_informed_consensus(counts: VoteCounts) -> np.ndarray:
    """Polis's group-aware consensus per statement: Π over groups of (agrees + 1) / (seen + 2).

    A statement scores high only if every group tends to agree; a group that never saw it contributes 1/2.
    The product shrinks as groups are added, so compare scores only within one map.
    """
    return np.prod(_smoothed(counts.agree, counts.seen), axis=0)


# ---------------------------------------------------------------------------------------------------------
# Sector bridging
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectorShares:
    """One sector's votes on a statement: shares of agree, disagree and pass among `seen` votes."""

    agree: float
    disagree: float
    pass_: float
    seen: int


@dataclass(frozen=True)
class SectorBridging:
    """How far a statement is supported by every sector (see `sector_bridging`)."""

    statement: str
    score: float
    per_sector: dict[str, SectorShares]  # the sectors shown (see `sector_bridging`)
    divisive: bool
    min_agree: float  # the lowest smoothed agree probability over the sectors
    withheld: tuple[str, ...] = ()  # the other sectors present: too few (perhaps none) voted on it to be shown
    # Everybody not in a shown sector, together, where they count (see `sector_bridging`); else None.
    pooled: SectorShares | None = None


def sector_bridging(
    matrix: VoteMatrix,
    participant_sectors: Mapping[str, str],
    eligible: np.ndarray,
    *,
    min_voters: int = SECTOR_MIN_VOTERS,
    overall: VoteCounts | None = None,
) -> list[SectorBridging]:
    """Bridging across sectors, for every eligible statement, sorted by score (high first; ties in order).
    `overall`: the statements' counts over everybody, where the caller has them (`statement_counts`).

    Score = group-informed consensus with sectors as the groups: Π over the sectors present of
    (agrees_s + 1) / (seen_s + 2). Sectors present are those of participants with at least one vote and
    a known sector; a sector that has not seen a statement contributes 1/2. Why one large sector cannot
    outvote the others: each sector contributes exactly one factor, whatever its size. Size only makes a
    sector's own factor more certain (closer to its true agreement), so 1,000 agreeing citizens cannot lift a
    statement that businesses reject: the businesses' factor stays small and multiplies the score down. (A
    plain agree share over everybody would be decided by the citizens.)

    Divisive: True when, among sectors with at least `DIVISIVE_MIN_SEEN` (3) votes on the statement, one
    sector's agree share (agrees / seen) is ≥ 0.6 and another sector's disagree share is ≥ 0.6.

    Votes stay pseudonymous: who belongs to which sector is no secret in a partnership, so a sector's shares on
    a statement are shown only when at least `min_voters` of it voted on it, or its one business member's vote
    would be on show. Nor may the rest be worked out from the statement's overall counts: while the votes not
    shown (everybody's minus the shown sectors') come from fewer than `min_voters` people, the smallest shown
    sector is withheld too. Every sector present and not shown is listed in `withheld` and treated alike,
    whether 1, 2 or nobody from it voted on the statement: were those that voted told apart, the statements a
    sector's one member voted on would stand out. A withheld sector counts as one that has not seen the
    statement (1/2, and out of the divisive test).

    The withheld sectors still speak together (`pooled`), where at least one sector is shown and someone outside
    the shown sectors voted: the votes of everybody not in a shown sector (participants without a sector
    included), which the rule above makes at least `min_voters` people and which anyone can work out anyway
    (everybody's counts less the shown sectors'). The pool then stands for one of the withheld sectors, with
    (agrees_pool + 1) / (seen_pool + 2), in the score, the lowest agreement and, from `DIVISIVE_MIN_SEEN` votes,
    the divisive test; the others stay at 1/2 in the score, and out of the lowest agreement. Which of the
    withheld sectors voted cannot be said, so the pool speaks once, never for each of them: a statement seen
    by the municipality and one association member is not made to look supported by businesses. So a small
    partnership, with one business member and two associations, can still find what bridges the municipality,
    the citizens and the rest, a little below a statement on which every sector is shown.
    """
    statements = matrix.statements
    sector_of_row = [participant_sectors.get(p) for p in matrix.participants]
    names = sorted({s for s in sector_of_row if s is not None})
    if not names:
        return []
    code = {s: i for i, s in enumerate(names)}
    labels = np.asarray([code[s] if s is not None else -1 for s in sector_of_row], dtype=np.int64)
    counts = group_counts(matrix, labels, len(names))
    seen = counts.seen
    shown = seen >= min_voters
    overall = overall if overall is not None else statement_counts(matrix)
    rest = overall.seen - (seen * shown).sum(axis=0)  # the votes the shown sectors do not hold
    for j in np.flatnonzero((rest > 0) & (rest < min_voters)):
        while 0 < rest[j] < min_voters and shown[:, j].any():
            candidates = np.flatnonzero(shown[:, j])
            smallest = int(candidates[np.argmin(seen[candidates, j])])  # the first of equal ones
            shown[smallest, j] = False
            rest[j] += seen[smallest, j]
    # The pool: everybody not in a shown sector, where a sector is shown and a sector is withheld.
    pool_seen = rest
    pool_agree = overall.agree - (counts.agree * shown).sum(axis=0)
    pool_disagree = overall.disagree - (counts.disagree * shown).sum(axis=0)
    pooled = shown.any(axis=0) & ~shown.all(axis=0) & (pool_seen > 0)
    p_pool = np.where(pooled, _smoothed(pool_agree, pool_seen), 0.5)
    p_agree = np.where(shown, _smoothed(counts.agree, seen), 0.5)
    # Group-informed consensus over the sectors; the pool in the place of one withheld sector.
    score = p_agree.prod(axis=0) * np.where(pooled, 2 * p_pool, 1.0)
    # The lowest agreement among those who speak: the shown sectors and the pool, else every sector (1/2 for
    # the withheld ones, so a statement with a withheld sector and no pool never bridges).
    min_agree = np.where(pooled, np.minimum(np.where(shown, p_agree, np.inf).min(axis=0), p_pool), p_agree.min(axis=0))
    with np.errstate(divide="ignore", invalid="ignore"):
        agree_share = np.where(seen > 0, counts.agree / seen, 0.0)
        disagree_share = np.where(seen > 0, counts.disagree / seen, 0.0)
        pool_agree_share = np.where(pool_seen > 0, pool_agree / pool_seen, 0.0)
        pool_disagree_share = np.where(pool_seen > 0, pool_disagree / pool_seen, 0.0)
    enough = shown & (seen >= DIVISIVE_MIN_SEEN)
    pool_enough = pooled & (pool_seen >= DIVISIVE_MIN_SEEN)
    some_agree = ((agree_share >= DIVISIVE_SHARE) & enough).any(axis=0)
    some_disagree = ((disagree_share >= DIVISIVE_SHARE) & enough).any(axis=0)
    # Two different sectors (the pool being one): a sector cannot have both shares ≥ 0.6, so "any and any" suffices.
    divisive = (some_agree | (pool_enough & (pool_agree_share >= DIVISIVE_SHARE))) & (
        some_disagree | (pool_enough & (pool_disagree_share >= DIVISIVE_SHARE))
    )
    out = []
    for j in np.flatnonzero(eligible)[np.argsort(-score[eligible], kind="stable")]:
        per_sector = {
            name: SectorShares(
                agree=float(agree_share[i, j]),
                disagree=float(disagree_share[i, j]),
                pass_=float((seen[i, j] - counts.agree[i, j] - counts.disagree[i, j]) / seen[i, j])
                if seen[i, j]
                else 0.0,
                seen=int(seen[i, j]),
            )
            for i, name in enumerate(names)
            if shown[i, j]
        }
        out.append(
            SectorBridging(
                statement=statements[j],
                score=float(score[j]),
                per_sector=per_sector,
                divisive=bool(divisive[j]),
                min_agree=float(min_agree[j]),
                withheld=tuple(name for i, name in enumerate(names) if not shown[i, j]),
                pooled=SectorShares(
                    agree=float(pool_agree_share[j]),
                    disagree=float(pool_disagree_share[j]),
                    pass_=float((pool_seen[j] - pool_agree[j] - pool_disagree[j]) / pool_seen[j]),
                    seen=int(pool_seen[j]),
                )
                if pooled[j]
                else None,
            )
        )
    return out


def matrix_factorisation_bridging(
    matrix: VoteMatrix,
    eligible: np.ndarray,
    *,
    seed: int = 0,
    sweeps: int = MF_SWEEPS,
    intercept_penalty: float = MF_INTERCEPT_PENALTY,
    factor_penalty: float = MF_FACTOR_PENALTY,
) -> np.ndarray:
    """Community Notes' bridging model on agree/disagree votes; returns each statement's intercept.

    Model: r_us = mu + i_u + i_s + f_u * f_s, with r = 1 for agree and 0 for disagree (passes are missing),
    one factor dimension, least squares plus L2 penalties as Community Notes sets them: each penalty is
    lambda times the *mean* of the squared parameters against the *mean* squared error, lambda = 0.15 for
    intercepts and 0.03 for factors. Intercepts are penalised five times harder, so agreement that follows
    the main divide is explained by the factors, and a statement earns a high intercept only if people on
    both sides of the divide agree with it. It needs no sectors (it finds the divide itself), which is
    where it adds to `sector_bridging`: when people disagree along a line that is not their sector.

    Fitted by alternating exact block updates (each block has a closed form) from a seeded start until no
    intercept moves by `MF_TOLERANCE` (at most `sweeps` sweeps), so it is deterministic. Ineligible
    statements and statements without an agree or disagree vote get NaN.
    """
    n_p, n_s = matrix.shape
    keep = (matrix.values != PASS) & eligible[matrix.indices]
    out = np.full(n_s, np.nan)
    if not keep.any():
        return out
    indptr = np.zeros(n_p + 1, dtype=np.int64)
    np.cumsum(np.bincount(matrix.entry_rows()[keep], minlength=n_p), out=indptr[1:])
    indices = matrix.indices[keep]
    r = (matrix.values[keep] == AGREE).astype(np.float64)
    # Every update is a handful of sparse products with the rating pattern S and the ratings R.
    pattern = sp.csr_matrix((np.ones(r.size), indices, indptr), shape=(n_p, n_s))
    ratings = sp.csr_matrix((r, indices.copy(), indptr.copy()), shape=(n_p, n_s))
    pattern_t, ratings_t = pattern.T.tocsr(), ratings.T.tocsr()
    n = float(r.size)
    count_u, count_s = (
        np.diff(pattern.indptr).astype(np.float64),
        np.diff(pattern_t.indptr).astype(np.float64),
    )
    agree_u, agree_s = ratings @ np.ones(n_s), ratings_t @ np.ones(n_p)
    rated_u, rated_s = count_u > 0, count_s > 0
    # lambda * mean(param^2) against the mean error is, in sums, lambda * N / (number of params) each.
    lam_iu = intercept_penalty * n / int(rated_u.sum())
    lam_is = intercept_penalty * n / int(rated_s.sum())
    lam_fu = factor_penalty * n / int(rated_u.sum())
    lam_fs = factor_penalty * n / int(rated_s.sum())
    rng = np.random.default_rng(seed)
    mu = float(r.mean())
    i_u, i_s = np.zeros(n_p), np.zeros(n_s)
    f_u, f_s = rng.normal(0.0, 0.1, n_p), rng.normal(0.0, 0.1, n_s)
    for _ in range(sweeps):
        # Sum over a statement's raters of f_u * (r - mu - i_u - i_s), and of f_u^2.
        a, b, c = (pattern_t @ np.column_stack([f_u, f_u * i_u, f_u**2])).T
        f_s = (ratings_t @ f_u - mu * a - b - i_s * a) / (c + lam_fs)
        a, b, c = (pattern @ np.column_stack([f_s, f_s * i_s, f_s**2])).T
        f_u = (ratings @ f_s - mu * a - b - i_u * a) / (c + lam_fu)
        fit_s = f_s * (pattern_t @ f_u)  # sum over raters of f_u * f_s
        previous = i_s
        i_s = (agree_s - mu * count_s - pattern_t @ i_u - fit_s) / (count_s + lam_is)
        fit_u = f_u * (pattern @ f_s)
        i_u = (agree_u - mu * count_u - pattern @ i_s - fit_u) / (count_u + lam_iu)
        mu = float((agree_u.sum() - count_u @ i_u - count_s @ i_s - fit_u.sum()) / (n + intercept_penalty * n))
        if np.abs(i_s - previous).max() < MF_TOLERANCE:
            break
    out[rated_s] = i_s[rated_s]
    return out


# ---------------------------------------------------------------------------------------------------------
# Which statement to show next
# ---------------------------------------------------------------------------------------------------------

NEW_STATEMENT_PRIORITY = ((1 - 0.5) * (0 + 1) * 0.5 * 9) ** 2  # no votes, extremity 0


def statement_priority(
    *, n_agree: np.ndarray | None, n_pass: np.ndarray, n_seen: np.ndarray, extremity: np.ndarray
) -> np.ndarray:
    """Polis's comment priority: (importance · newness)².

    importance = (1 - p_pass) · (1 + extremity) · p_agree, with p = (count + 1) / (seen + 2);
    newness = 1 + 8 · 2^(-seen / 5). Statements far out on the map (large extremity) tell most about where
    a participant stands; new ones are shown early so they quickly gather the votes to be placed.
    With `n_agree` None the p_agree factor is left out (it only favours statements people agree with).
    """
    n_seen = np.asarray(n_seen, dtype=np.float64)
    importance = (1.0 - _smoothed(np.asarray(n_pass, dtype=np.float64), n_seen)) * (1.0 + extremity)
    if n_agree is not None:
        importance = importance * _smoothed(np.asarray(n_agree, dtype=np.float64), n_seen)
    return (importance * (1.0 + 8.0 * np.power(2.0, -n_seen / 5.0))) ** 2


def next_statement(
    *,
    candidates: Sequence[str],
    votes_seen: Mapping[str, int] | None = None,
    passes: Mapping[str, int] | None = None,
    agrees: Mapping[str, int] | None = None,
    statement_coordinates: Mapping[str, Sequence[float]] | None = None,
    voted: Collection[str] = (),
    meta: Collection[str] = (),
    seed: int | str = 0,
    weighted: bool = False,
    priorities: Mapping[str, float] | None = None,
) -> str | None:
    """The statement to show a participant next, or None when nothing is left.

    `candidates` are the statements that may be shown (visible ones); those in `voted` (the participant's
    own votes) are skipped. Each remaining statement gets Polis's priority (`statement_priority`) from its
    vote counts so far (`votes_seen` = all votes incl. passes, `passes`, optionally `agrees`) and its
    extremity, the distance of its point in `statement_coordinates` from the centre (0 when unknown, e.g.
    new since the last map). Meta statements get Polis's fixed priority 49.

    Default: the highest priority wins; exact ties are broken by a random draw seeded with `seed` (pass
    e.g. the participant id, so one participant sees a stable order while different participants spread
    over tied statements). With `weighted=True` the statement is drawn with probability proportional to its
    priority, as Polis's server does, again from `seed`. Deterministic for the same inputs and seed.
    With `priorities` (from the last map) the counts and coordinates are not needed.
    """
    seen_set = {str(v) for v in voted}
    remaining = [str(c) for c in candidates if str(c) not in seen_set]
    if not remaining:
        return None
    votes_seen, passes, coords = votes_seen or {}, passes or {}, statement_coordinates or {}
    seen = np.asarray([votes_seen.get(c, 0) for c in remaining], dtype=np.float64)
    n_pass = np.asarray([passes.get(c, 0) for c in remaining], dtype=np.float64)
    n_agree = None if agrees is None else np.asarray([agrees.get(c, 0) for c in remaining], dtype=np.float64)
    extremity = np.asarray(
        [math.hypot(*(list(coords.get(c, (0.0, 0.0)))[:2] or [0.0, 0.0])) for c in remaining],
        dtype=np.float64,
    )
    if priorities is not None:
        # Priorities from the last map (`OpinionMap.priorities`), as Polis serves them between math runs;
        # statements written since then have no votes yet and get a new statement's priority.
        priority = np.asarray([priorities.get(c, NEW_STATEMENT_PRIORITY) for c in remaining], dtype=np.float64)
    else:
        priority = statement_priority(n_agree=n_agree, n_pass=n_pass, n_seen=seen, extremity=extremity)
    meta_set = {str(m) for m in meta}
    priority = np.where([c in meta_set for c in remaining], META_PRIORITY**2, priority)
    numeric_seed = seed if isinstance(seed, int) else zlib.crc32(str(seed).encode())
    rng = np.random.default_rng(abs(numeric_seed))
    if weighted and priority.sum() > 0:
        return remaining[int(rng.choice(len(remaining), p=priority / priority.sum()))]
    top = np.flatnonzero(priority >= priority.max() * (1.0 - 1e-12))
    return remaining[int(top[rng.integers(len(top))])]


# ---------------------------------------------------------------------------------------------------------
# The whole map
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """An opinion group: id 0.. in order of size (largest first), members in canonical order."""

    id: int
    members: list[str]
    representative: list[Repness]
    center: tuple[float, float]
    reserve: list[Repness] = field(default_factory=list)  # the next passing statements (representative_statements)


@dataclass(frozen=True)
class OpinionMap:
    """A computed opinion map. Arrays are read-only by convention; nothing refers back to the input.

    participants / coordinates: everybody with at least one vote (rows in canonical order) and their map
    positions; in_conversation marks who was clustered. statements / statement_coordinates: the statements
    passed in, in that order (statements_in_map is the same tuple), each as a point (0, 0 when unvoted or
    moderated out). groups: the opinion groups (empty when the conversation is too small to split into
    two groups of at least `MIN_GROUP_SIZE`); participant_group: in-conversation participant → group id.
    consensus and group_informed_consensus (per voted statement; empty without groups) as Polis.
    bridging: per non-moderated voted statement, by sector, sorted by score (empty without sectors).
    priorities: Polis's comment priority per non-moderated statement, for `next_statement`.
    votes / group_votes: agree, disagree and seen counts per statement, overall and per group (Polis's
    report shows these for every statement).
    """

    participants: tuple[str, ...]
    coordinates: np.ndarray
    in_conversation: np.ndarray
    statements: tuple[str, ...]
    statement_coordinates: np.ndarray
    statement_extremity: np.ndarray
    pca: Pca
    groups: list[Group]
    participant_group: dict[str, int]
    consensus: Consensus
    group_informed_consensus: dict[str, float]
    bridging: list[SectorBridging]
    priorities: dict[str, float]
    mf_bridging: dict[str, float]  # Community-Notes-style intercepts (only with mf_bridging=True)
    n_participants: int  # with at least one vote
    n_participants_in: int  # in the conversation (clustered)
    n_votes: int  # distinct (participant, statement) votes, the last of each
    n_statements_voted: int
    silhouettes: dict[int, float]
    votes: VoteCounts  # per statement, over everybody
    group_votes: VoteCounts  # per group and statement (groups x statements; no rows without groups)

    @property
    def statements_in_map(self) -> tuple[str, ...]:
        return self.statements


def compute_opinion_map(
    votes: Iterable[VoteRecord] | VoteMatrix,
    *,
    statements: Sequence[str],
    moderated_out: Collection[str] = (),
    participant_sectors: Mapping[str, str] | None = None,
    seed: int = 0,
    fixed_groups: Mapping[str, int] | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
    mf_bridging: bool = False,
    sector_min_voters: int = SECTOR_MIN_VOTERS,
) -> OpinionMap:
    """Compute the opinion map of a conversation from its votes.

    votes: VoteRecords in time order (later votes on the same statement replace earlier ones) or a
    VoteMatrix. Votes on statements not in `statements` are ignored; ids are compared as strings.
    statements: every statement of the conversation, each once (ValueError otherwise), in display order.
    moderated_out: statements zeroed as Polis does (out of PCA, repness, consensus and bridging, still
    counted as voted in the projection scaling). participant_sectors: participant → sector, for bridging, where a
    sector's votes on a statement count from `sector_min_voters` voters (see `sector_bridging`).
    seed: fixes the group k-means restarts and the ARPACK start; the result is a pure function of the
    votes, the arguments and the seed, whatever the order of participants in the input.
    mf_bridging: also fit `matrix_factorisation_bridging` (off by default: the slowest step at scale).
    fixed_groups: if given, these labels (participant → group id) replace the clustering: the participants
    listed (with votes) are the in-conversation set. For replaying another engine's groups, e.g. Polis's.

    Small inputs never fail: with no votes the map is empty; with too few participants to form two groups
    of `min_group_size` (e.g. 3 participants and 2 statements) there are no groups, no representative
    statements and no group-informed consensus, while positions, consensus and bridging are still given.
    """
    statements = tuple(str(s) for s in statements)
    if len(set(statements)) != len(statements):
        raise ValueError("statements must not repeat")
    if isinstance(votes, VoteMatrix):
        matrix = votes.reindexed(statements)
    else:
        matrix = VoteMatrix.from_records(votes, statements=statements)
    n_p, n_s = matrix.shape
    mod_set = {str(s) for s in moderated_out}
    modout = np.fromiter((s in mod_set for s in statements), dtype=bool, count=n_s)

    pca = principal_components(matrix, modout, seed=seed)
    coordinates = project_participants(matrix, pca, modout)
    statement_xy = project_statements(pca)
    extremity = np.sqrt((statement_xy**2).sum(axis=1))

    all_counts = statement_counts(matrix)
    voted = all_counts.seen > 0
    eligible = voted & ~modout

    # Who is clustered, and into which groups (internal labels 0..n-1; `external` holds the group ids).
    if fixed_groups is None:
        inside = in_conversation(matrix.votes_per_participant(), pca.n_columns)
        rows = loading_order(matrix, np.flatnonzero(inside))
        base = base_clusters(coordinates[rows], seed=seed)
        clustering = group_clusters(base.centres, base.sizes, seed=seed, min_group_size=min_group_size)
        labels = np.full(n_p, -1, dtype=np.int64)
        if clustering.k:
            labels[rows] = clustering.labels[base.labels]
        labels = _relabel_by_size(labels)
        external = list(range(int(labels.max(initial=-1)) + 1))
        silhouettes = clustering.silhouettes
    else:
        given = {str(p): int(g) for p, g in fixed_groups.items()}
        external = sorted({given[p] for p in matrix.participants if p in given})
        internal = {g: i for i, g in enumerate(external)}
        labels = np.asarray([internal.get(given.get(p, -1), -1) for p in matrix.participants], dtype=np.int64)
        inside = labels >= 0
        silhouettes = {}
    n_groups = len(external) if labels.size and labels.max() >= 0 else 0

    group_list: list[Group] = []
    gac: dict[str, float] = {}
    counts = group_counts(matrix, labels, n_groups)
    if n_groups:
        reserve: list[list[Repness]] = []
        reps = representative_statements(counts, statements, eligible, reserve=reserve)
        for g in range(n_groups):
            rows = np.flatnonzero(labels == g)
            centre = coordinates[rows].mean(axis=0)
            group_list.append(
                Group(
                    id=external[g],
                    members=[matrix.participants[i] for i in rows],
                    representative=reps[g],
                    center=(float(centre[0]), float(centre[1])),
                    reserve=reserve[g],
                )
            )
        gac_values = group_informed_consensus(counts)
        gac = {statements[j]: float(gac_values[j]) for j in np.flatnonzero(voted)}

    in_counts = statement_counts(matrix, inside) if inside.any() else all_counts
    priority = statement_priority(
        n_agree=in_counts.agree,
        n_pass=in_counts.seen - in_counts.agree - in_counts.disagree,
        n_seen=in_counts.seen,
        extremity=extremity,
    )
    return OpinionMap(
        participants=matrix.participants,
        coordinates=coordinates,
        in_conversation=inside,
        statements=statements,
        statement_coordinates=statement_xy,
        statement_extremity=extremity,
        pca=pca,
        groups=group_list,
        participant_group={matrix.participants[i]: external[labels[i]] for i in np.flatnonzero(labels >= 0)},
        consensus=consensus_statements(all_counts, statements, eligible),
        group_informed_consensus=gac,
        bridging=sector_bridging(
            matrix, participant_sectors, eligible, min_voters=sector_min_voters, overall=all_counts
        )
        if participant_sectors
        else [],
        priorities={statements[j]: float(priority[j]) for j in np.flatnonzero(~modout)},
        mf_bridging=_mf_scores(matrix, eligible, seed) if mf_bridging else {},
        n_participants=n_p,
        n_participants_in=int(inside.sum()),
        n_votes=matrix.n_votes,
        n_statements_voted=pca.n_columns,
        silhouettes=silhouettes,
        votes=all_counts,
        group_votes=counts,
    )


def _mf_scores(matrix: VoteMatrix, eligible: np.ndarray, seed: int) -> dict[str, float]:
    scores = matrix_factorisation_bridging(matrix, eligible, seed=seed)
    return {matrix.statements[j]: float(scores[j]) for j in np.flatnonzero(np.isfinite(scores))}


def _relabel_by_size(labels: np.ndarray) -> np.ndarray:
    """Group ids 0.. by size, largest first; equal sizes by their first member in row order."""
    if labels.size == 0 or labels.max() < 0:
        return labels
    ids = np.unique(labels[labels >= 0])
    sizes = np.asarray([(labels == g).sum() for g in ids])
    firsts = np.asarray([np.argmax(labels == g) for g in ids])
    order = np.lexsort((firsts, -sizes))
    remap = np.full(int(labels.max()) + 1, -1, dtype=np.int64)
    remap[ids[order]] = np.arange(len(ids))
    out = np.full_like(labels, -1)
    out[labels >= 0] = remap[labels[labels >= 0]]
    return out
