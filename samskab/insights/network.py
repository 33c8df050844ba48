"""The collaboration network: actors are nodes, shared partnerships, pledges and actions are ties.

Pure Python with networkx (no Django): the caller turns rows into `Actor`s and `Tie`s. Many ties between the
same two actors make one edge whose weight is the sum of their weights and whose date is the first tie's
date, so "new ties" means pairs that had never worked together before. A tie is bridging when it joins
two sectors and bonding when it stays within one (Putnam's terms, as in the research note).

Brokerage is betweenness centrality on hops (the weights are strengths, not distances). It is exact while
nodes x (nodes + edges) stays under `BETWEENNESS_BUDGET`, the cost of a few seconds; beyond that it is
networkx's k-pivot approximation with a fixed seed, k = budget / (nodes + edges) and at least
`MIN_PIVOTS`, and `Brokerage.exact` says which was used.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

import networkx as nx
import numpy as np

from samskab.lib.colours import AMBER, BLUE, GREEN, PINK

from .marks import mark

SEED = 20240601
BETWEENNESS_BUDGET = 20_000_000  # node visits + edge visits; about 2 microseconds each in networkx
MIN_PIVOTS = 10
SPRING_MAX_NODES = 500  # spring layout is quadratic per iteration; bigger graphs get the sector-wedge layout
SVG_MAX_NODES = 300
SVG_MAX_EDGES = 2_000

# Okabe-Ito colours (safe for colour-blind readers) plus a shape per sector, so colour is not the only cue;
# every mark has a dark outline for 3:1 contrast on white (WCAG 1.4.11).
SECTOR_STYLE: dict[str, tuple[str, str]] = {
    "municipality": (BLUE, "circle"),
    "association": (AMBER, "square"),
    "citizen": (GREEN, "diamond"),
    "business": (PINK, "triangle"),
}
OTHER_STYLE = ("#999999", "circle")
OUTLINE = "#1a1a1a"


@dataclass(frozen=True, slots=True)
class Actor:
    id: Hashable
    sector: str


@dataclass(frozen=True, slots=True)
class Tie:
    """One shared partnership, pledge or action between actors `a` and `b` (order does not matter)."""

    a: Hashable
    b: Hashable
    kind: str  # "partnership", "pledge", "action", ...
    weight: float
    date: date


def build_graph(actors: Iterable[Actor], ties: Iterable[Tie]) -> nx.Graph:
    """An undirected graph: nodes carry `sector`; edges carry `weight` (sum), `first` (earliest date) and
    `ties` (count). Self-ties are ignored; a tie naming an unknown actor or with weight <= 0 raises."""
    graph = nx.Graph()
    nodes = {a.id: a.sector for a in actors}
    graph.add_nodes_from((node, {"sector": sector}) for node, sector in nodes.items())
    pairs: dict[tuple[Hashable, Hashable], list] = {}
    unknown: set[Hashable] = set()
    for tie in ties:
        a, b = tie.a, tie.b
        if a == b:
            continue
        if a not in nodes or b not in nodes:
            unknown.update(x for x in (a, b) if x not in nodes)
            continue
        if not tie.weight > 0:
            raise ValueError(f"tie {a!r}-{b!r} has weight {tie.weight!r}; weights must be positive")
        key = (a, b) if a < b else (b, a)  # type: ignore[operator]
        agg = pairs.get(key)
        if agg is None:
            pairs[key] = [tie.weight, tie.date, 1]
        else:
            agg[0] += tie.weight
            agg[2] += 1
            if tie.date < agg[1]:
                agg[1] = tie.date
    if unknown:
        shown = ", ".join(repr(x) for x in sorted(unknown, key=str)[:5])
        raise ValueError(f"ties name {len(unknown)} unknown actor(s): {shown}")
    graph.add_edges_from((a, b, {"weight": w, "first": d, "ties": n}) for (a, b), (w, d, n) in pairs.items())
    return graph


def _bridging(graph: nx.Graph, a: Hashable, b: Hashable) -> bool:
    return graph.nodes[a]["sector"] != graph.nodes[b]["sector"]


@dataclass(frozen=True)
class TieSummary:
    bridging_pairs: int
    bridging_weight: float
    bonding_pairs: int
    bonding_weight: float
    by_sectors: Mapping[tuple[str, str], tuple[int, float]]  # sorted sector pair -> (pairs, weight)

    @property
    def bridging_share(self) -> float:
        """Share of actor pairs that cross sectors (NaN without ties)."""
        total = self.bridging_pairs + self.bonding_pairs
        return self.bridging_pairs / total if total else float("nan")


def tie_summary(graph: nx.Graph) -> TieSummary:
    """Bridging (across sectors) versus bonding (within a sector) actor pairs and their total weights."""
    by: dict[tuple[str, str], list] = defaultdict(lambda: [0, 0.0])
    sector = nx.get_node_attributes(graph, "sector")
    for a, b, w in graph.edges(data="weight"):
        sa, sb = sector[a], sector[b]
        agg = by[(sa, sb) if sa <= sb else (sb, sa)]
        agg[0] += 1
        agg[1] += w
    bridging = [v for k, v in by.items() if k[0] != k[1]]
    bonding = [v for k, v in by.items() if k[0] == k[1]]
    return TieSummary(
        bridging_pairs=sum(v[0] for v in bridging),
        bridging_weight=float(sum(v[1] for v in bridging)),
        bonding_pairs=sum(v[0] for v in bonding),
        bonding_weight=float(sum(v[1] for v in bonding)),
        by_sectors={k: (v[0], float(v[1])) for k, v in sorted(by.items())},
    )


@dataclass(frozen=True)
class QuarterCount:
    quarter: str  # "2025-Q3"
    bridging: int
    bonding: int

    @property
    def total(self) -> int:
        return self.bridging + self.bonding


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def new_ties_per_quarter(graph: nx.Graph, *, until: date | None = None) -> list[QuarterCount]:
    """Pairs of actors tied for the first time, per quarter of their first tie, from the first quarter to
    the last with no gaps (a quarter without new ties shows zeros); with `until`, on to that day's quarter, so that
    recent quarters without new ties show too."""
    counts: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    sector = nx.get_node_attributes(graph, "sector")
    for a, b, first in graph.edges(data="first"):
        counts[(first.year, (first.month - 1) // 3)][0 if sector[a] != sector[b] else 1] += 1
    if not counts:
        return []
    (y0, q0), (y1, q1) = min(counts), max(counts)
    if until is not None:
        y1, q1 = max((y1, q1), (until.year, (until.month - 1) // 3))
    out = []
    for index in range(y0 * 4 + q0, y1 * 4 + q1 + 1):
        year, q = divmod(index, 4)
        bridging, bonding = counts.get((year, q), (0, 0))
        out.append(QuarterCount(f"{year}-Q{q + 1}", bridging, bonding))
    return out


@dataclass(frozen=True)
class Brokerage:
    scores: Mapping[Hashable, float]  # normalised betweenness, 0..1
    exact: bool
    pivots: int | None  # k sources sampled when approximate


def brokerage(graph: nx.Graph, *, k: int | None = None, seed: int = SEED) -> Brokerage:
    """Each actor's betweenness centrality (normalised): how often it lies on shortest paths between
    others, i.e. how much it brokers between actors who are not tied directly.

    Exact for small graphs; see the module docstring for when the seeded k-pivot approximation is used.
    Passing `k` forces the approximation with that many pivots (capped at the number of nodes).
    """
    n = graph.number_of_nodes()
    size = n + graph.number_of_edges()
    if k is None and n * size <= BETWEENNESS_BUDGET:
        return Brokerage(nx.betweenness_centrality(graph, normalized=True), exact=True, pivots=None)
    if k is None:
        k = max(MIN_PIVOTS, BETWEENNESS_BUDGET // max(size, 1))
    k = min(k, n)
    if k >= n:
        return Brokerage(nx.betweenness_centrality(graph, normalized=True), exact=True, pivots=None)
    scores = nx.betweenness_centrality(graph, k=k, normalized=True, seed=seed)
    return Brokerage(scores, exact=False, pivots=k)


def layout(graph: nx.Graph, *, seed: int = SEED) -> dict[Hashable, tuple[float, float]]:
    """Deterministic drawing coordinates in [0, 1] x [0, 1].

    Up to `SPRING_MAX_NODES` nodes: a force-directed (spring) layout with a fixed seed. Bigger graphs get
    the cheap sector-wedge layout: each sector a wedge of a disc sized by its share of actors, the best
    connected actors nearest the centre.
    """
    if graph.number_of_nodes() == 0:
        return {}
    if graph.number_of_nodes() <= SPRING_MAX_NODES:
        raw = nx.spring_layout(graph, seed=seed, weight="weight")
        nodes = list(raw)
        xy = np.array([raw[v] for v in nodes], dtype=np.float64)
    else:
        nodes, xy = _wedge_layout(graph)
    return dict(zip(nodes, map(tuple, _unit_square(xy).tolist()), strict=True))


def _wedge_layout(graph: nx.Graph) -> tuple[list[Hashable], np.ndarray]:
    strength = dict(graph.degree(weight="weight"))
    by_sector: dict[str, list[Hashable]] = defaultdict(list)
    for node, sector in graph.nodes(data="sector"):
        by_sector[sector].append(node)
    total = graph.number_of_nodes()
    golden = (math.sqrt(5) - 1) / 2
    nodes: list[Hashable] = []
    parts = []
    start = 0.0
    for sector in sorted(by_sector, key=str):
        members = sorted(by_sector[sector], key=lambda v: (-strength[v], str(v)))
        wedge = 2 * math.pi * len(members) / total
        rank = np.arange(len(members), dtype=np.float64)
        radius = np.sqrt((rank + 0.5) / len(members))  # even density over the wedge's area
        angle = start + wedge * (0.05 + 0.9 * ((rank * golden) % 1.0))  # margins keep wedges apart
        parts.append(np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]))
        nodes.extend(members)
        start += wedge
    return nodes, np.vstack(parts)


def _unit_square(xy: np.ndarray) -> np.ndarray:
    """Scale into [0, 1] keeping the aspect ratio, centred."""
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    span = float((hi - lo).max())
    if span == 0:
        return np.full_like(xy, 0.5)
    return (xy - lo) / span + (1 - (hi - lo) / span) / 2


@dataclass(frozen=True)
class ActorRow:
    actor: Hashable
    sector: str
    ties: int  # other actors tied to
    bridging_ties: int  # of which in another sector
    weight: float  # sum of tie weights
    brokerage: float


def network_table(graph: nx.Graph, broker: Brokerage | None = None) -> list[ActorRow]:
    """One row per actor, most brokering first: the table that accompanies (and replaces, for screen
    readers) the drawing."""
    sector = nx.get_node_attributes(graph, "sector")
    bridging: dict[Hashable, int] = defaultdict(int)
    for a, b in graph.edges():
        if sector[a] != sector[b]:
            bridging[a] += 1
            bridging[b] += 1
    scores = broker.scores if broker else {}
    strength = dict(graph.degree(weight="weight"))
    rows = [
        ActorRow(v, sector[v], graph.degree(v), bridging[v], float(strength[v]), float(scores.get(v, 0.0)))
        for v in graph.nodes
    ]
    rows.sort(key=lambda r: (-r.brokerage, -r.weight, str(r.actor)))
    return rows


def drawn_subgraph(graph: nx.Graph, max_nodes: int = SVG_MAX_NODES) -> nx.Graph:
    """The graph itself when small, else the `max_nodes` actors with the most tie weight and their ties."""
    if graph.number_of_nodes() <= max_nodes:
        return graph
    strength = graph.degree(weight="weight")
    top = sorted(graph.nodes, key=lambda v: (-strength[v], str(v)))[:max_nodes]
    return graph.subgraph(top)


LABEL_FONT = 14
LABEL_CHARACTERS = 30  # a longer name is cut with "…" in the drawing; its tooltip and the table have it whole
MAX_LABELS = 8


def network_svg(
    graph: nx.Graph,
    *,
    title: str,
    description: str,
    sector_labels: Mapping[str, str],
    node_labels: Mapping[Hashable, str] | None = None,
    labelled: Sequence[Hashable] = (),
    max_labels: int = MAX_LABELS,
    positions: Mapping[Hashable, tuple[float, float]] | None = None,
    max_nodes: int = SVG_MAX_NODES,
    width: int = 640,
    height: int = 480,
    id_prefix: str = "network",
    seed: int = SEED,
) -> str:
    """A self-contained, accessible SVG of the network (server-side, no JavaScript).

    Texts come from the caller, translated: `title` and `description` become <title>/<desc> referenced by
    `aria-labelledby`; `sector_labels` names the legend; `node_labels` (optional) give each node a tooltip, and
    the first `max_labels` drawn nodes of `labelled` (the most central first) a visible name beside their mark,
    on a white halo, where it overlaps no other name and stays inside the drawing (else it is left out: the
    table beside the drawing names every actor). Large graphs are drawn as their `max_nodes` strongest actors
    (laid out afresh unless `positions` are given) and at most `SVG_MAX_EDGES` heaviest ties; say so in
    `description` and link the full table. Bridging ties are solid, bonding ties dashed.
    """
    sub = drawn_subgraph(graph, max_nodes)
    pos = positions if positions is not None else layout(sub, seed=seed)
    legend_h = 28
    pad = 20
    plot_w, plot_h = width - 2 * pad, height - 2 * pad - legend_h

    # The drawing fills the plot both ways (a layout is free to turn and stretch), which leaves room for names.
    xs, ys = [pos[v][0] for v in sub], [pos[v][1] for v in sub]
    x0, y0 = min(xs, default=0.0), min(ys, default=0.0)
    x_span, y_span = max(xs, default=0.0) - x0, max(ys, default=0.0) - y0

    def xy(v: Hashable) -> tuple[float, float]:
        x, y = pos[v]
        x = (x - x0) / x_span if x_span else 0.5
        y = (y - y0) / y_span if y_span else 0.5
        return pad + x * plot_w, pad + legend_h + y * plot_h

    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'class="samskab-network" tabindex="0" role="img" aria-labelledby="{title_id} {desc_id}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
    ]
    sectors_present = sorted({s for _, s in sub.nodes(data="sector")}, key=str)
    out.append(f'<g class="legend" font-family="sans-serif" font-size="{LABEL_FONT}" fill="#1a1a1a">')
    x = float(pad)
    for sector in sectors_present:
        colour, shape = SECTOR_STYLE.get(sector, OTHER_STYLE)
        out.append(f'<g stroke="{OUTLINE}">{mark(shape, x + 6, pad + 6, 5, colour)}</g>')
        label = sector_labels.get(sector, sector)
        out.append(f'<text x="{x + 16:.1f}" y="{pad + 11}">{escape(label)}</text>')
        x += 32 + _text_width(label)
    out.append("</g>")

    edges = sorted(sub.edges(data="weight"), key=lambda e: (-e[2], str(e[0]), str(e[1])))[:SVG_MAX_EDGES]
    max_w = max((w for _, _, w in edges), default=1.0)
    out.append('<g class="ties" stroke="#555555" stroke-opacity="0.6" fill="none">')
    for a, b, w in sorted(edges, key=lambda e: (str(e[0]), str(e[1]))):
        (x1, y1), (x2, y2) = xy(a), xy(b)
        stroke = 0.5 + 2.5 * math.log1p(w) / math.log1p(max_w)
        dash = "" if _bridging(sub, a, b) else ' stroke-dasharray="4 3"'
        coords = f'x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"'
        out.append(f'<line {coords} stroke-width="{stroke:.2f}"{dash}/>')
    out.append("</g>")

    out.append(f'<g class="actors" stroke="{OUTLINE}" stroke-width="1">')
    for v in sorted(sub.nodes, key=str):
        colour, shape = SECTOR_STYLE.get(sub.nodes[v]["sector"], OTHER_STYLE)
        cx, cy = xy(v)
        label = node_labels.get(v) if node_labels else None
        node_mark = mark(shape, cx, cy, 4.5, colour)
        if label:
            node_mark = f"<g>{node_mark}<title>{escape(label)}</title></g>"
        out.append(node_mark)
    out.append("</g>")

    placed = _place_labels(
        [(v, *xy(v), node_labels.get(v, "")) for v in labelled if v in sub and node_labels and node_labels.get(v)],
        marks=[xy(v) for v in sub.nodes],
        max_labels=max_labels,
        bounds=(0.0, pad + legend_h - 6.0, float(width), float(height)),
    )
    out.append(
        f'<g class="labels" font-family="sans-serif" font-size="{LABEL_FONT}" fill="#1a1a1a" stroke="#ffffff" '
        'stroke-width="3" stroke-linejoin="round" paint-order="stroke">'
    )
    out += [
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{escape(text)}</text>' for x, y, anchor, text in placed
    ]
    out.append("</g></svg>")
    return "\n".join(out)


def _text_width(text: str) -> float:
    """A generous estimate of the width of `text` at the labels' size."""
    return 0.6 * LABEL_FONT * len(text)


type Box = tuple[float, float, float, float]  # left, top, right, bottom


def _place_labels(
    nodes: Sequence[tuple[Hashable, float, float, str]],
    *,
    marks: Sequence[tuple[float, float]] = (),
    max_labels: int,
    bounds: Box,
) -> list[tuple[float, float, str, str]]:
    """Visible names for up to `max_labels` of `nodes` (id, x, y, name; most important first): each to the right
    of its mark, else left, above or below, wherever it covers no name placed before and no actor's mark (at
    `marks`) and stays in `bounds`. Returns (x, y, text-anchor, text) for each name placed."""
    placed: list[tuple[float, float, str, str]] = []
    obstacles: list[Box] = [(x - 6, y - 6, x + 6, y + 6) for x, y in marks]
    boxes: list[Box] = []
    for _v, cx, cy, name in nodes:
        if len(placed) >= max_labels:
            break
        text = name if len(name) <= LABEL_CHARACTERS else name[: LABEL_CHARACTERS - 1].rstrip() + "…"
        w, h = _text_width(text), LABEL_FONT
        candidates = [
            (cx + 8, cy + 5, "start", (cx + 8, cy - h / 2 - 1, cx + 8 + w, cy + h / 2 + 1)),
            (cx - 8, cy + 5, "end", (cx - 8 - w, cy - h / 2 - 1, cx - 8, cy + h / 2 + 1)),
            (cx, cy - 9, "middle", (cx - w / 2, cy - 9 - h, cx + w / 2, cy - 7)),
            (cx, cy + 9 + h, "middle", (cx - w / 2, cy + 9, cx + w / 2, cy + 11 + h)),
        ]
        for x, y, anchor, box in candidates:
            inside = bounds[0] <= box[0] and bounds[1] <= box[1] and box[2] <= bounds[2] and box[3] <= bounds[3]
            if inside and not any(_overlap(box, other) for other in (*boxes, *obstacles)):
                placed.append((x, y, anchor, text))
                boxes.append(box)
                break
    return placed


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
