"""Collaboration network measures on small networks worked out by hand."""

import itertools
import xml.etree.ElementTree as ET
from datetime import date

import networkx as nx
import pytest

from samskab.insights import network
from samskab.insights.network import (
    Actor,
    Tie,
    brokerage,
    build_graph,
    layout,
    network_svg,
    network_table,
    new_ties_per_quarter,
    tie_summary,
)

SVG = "{http://www.w3.org/2000/svg}"

# A chain: Jens's grocery store - Sofie - Lars's sports club - Mette's municipal unit - the school.
ACTORS = [
    Actor("jens", "business"),
    Actor("sofie", "citizen"),
    Actor("lars", "association"),
    Actor("mette", "municipality"),
    Actor("school", "municipality"),
]
TIES = [
    Tie("mette", "lars", "partnership", 1.0, date(2024, 1, 5)),
    Tie("lars", "mette", "pledge", 2.0, date(2023, 12, 1)),  # same pair: weight 3, first 2023-12-01
    Tie("mette", "school", "action", 1.0, date(2024, 7, 1)),
    Tie("sofie", "lars", "pledge", 1.0, date(2024, 2, 1)),
    Tie("jens", "sofie", "action", 3.0, date(2024, 2, 20)),
    Tie("sofie", "sofie", "action", 1.0, date(2024, 3, 1)),  # a self-tie means nothing
]


@pytest.fixture
def graph() -> nx.Graph:
    return build_graph(ACTORS, TIES)


def test_ties_between_the_same_actors_are_one_weighted_dated_pair(graph: nx.Graph) -> None:
    assert graph.number_of_edges() == 4
    assert graph.edges["lars", "mette"] == {"weight": 3.0, "first": date(2023, 12, 1), "ties": 2}


def test_bridging_and_bonding(graph: nx.Graph) -> None:
    # Bridging: mette-lars (3), sofie-lars (1), jens-sofie (3) = 3 pairs, weight 7.
    # Bonding: mette-school, both municipal (1) = 1 pair, weight 1.
    summary = tie_summary(graph)
    assert (summary.bridging_pairs, summary.bridging_weight) == (3, 7.0)
    assert (summary.bonding_pairs, summary.bonding_weight) == (1, 1.0)
    assert summary.bridging_share == 0.75
    assert summary.by_sectors[("association", "municipality")] == (1, 3.0)
    assert summary.by_sectors[("municipality", "municipality")] == (1, 1.0)


def test_new_ties_per_quarter_count_each_pair_once_at_its_first_date(graph: nx.Graph) -> None:
    # lars-mette first met 2023-12 (Q4); sofie-lars and jens-sofie in 2024-Q1; no new pair in Q2;
    # mette-school in Q3 (bonding).
    got = [(q.quarter, q.bridging, q.bonding) for q in new_ties_per_quarter(graph)]
    assert got == [("2023-Q4", 1, 0), ("2024-Q1", 2, 0), ("2024-Q2", 0, 0), ("2024-Q3", 0, 1)]
    assert new_ties_per_quarter(build_graph(ACTORS, [])) == []
    # On to today's quarter, so that quiet recent quarters show as quiet rather than not at all.
    until = [(q.quarter, q.total) for q in new_ties_per_quarter(graph, until=date(2025, 2, 1))]
    assert until[-3:] == [("2024-Q3", 1), ("2024-Q4", 0), ("2025-Q1", 0)]
    assert new_ties_per_quarter(graph, until=date(2024, 1, 1)) == new_ties_per_quarter(graph)  # never cuts short


def test_brokerage_on_a_chain_by_hand(graph: nx.Graph) -> None:
    # Chain jens - sofie - lars - mette - school; 4 * 3 / 2 = 6 pairs of others per actor.
    # lars sits between {jens, sofie} and {mette, school}: 4 pairs -> 4 / 6.
    # sofie: jens with lars, mette, school -> 3 / 6; mette likewise 3 / 6; the ends broker nothing.
    result = brokerage(graph)
    assert result.exact and result.pivots is None
    assert result.scores == pytest.approx({"jens": 0, "sofie": 0.5, "lars": 4 / 6, "mette": 0.5, "school": 0})


def test_large_graphs_use_seeded_pivots(monkeypatch: pytest.MonkeyPatch) -> None:
    big = nx.connected_watts_strogatz_graph(200, 4, 0.1, seed=1)
    actors = [Actor(v, "citizen" if v % 2 else "association") for v in big]
    ties = [Tie(a, b, "action", 1.0, date(2024, 1, 1)) for a, b in big.edges]
    graph = build_graph(actors, ties)
    monkeypatch.setattr(network, "BETWEENNESS_BUDGET", 10_000)  # 200 * (200 + 400) = 120,000 is over
    first, second = brokerage(graph), brokerage(graph)
    # k = max(MIN_PIVOTS, 10,000 // 600) = 16 sources, same seed, same answer.
    assert not first.exact and first.pivots == 16
    assert first.scores == second.scores
    assert brokerage(graph, k=500).exact  # more pivots than nodes is just the exact computation


def test_bad_ties_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown actor"):
        build_graph(ACTORS, [Tie("mette", "nora", "pledge", 1.0, date(2024, 1, 1))])
    with pytest.raises(ValueError, match="weights must be positive"):
        build_graph(ACTORS, [Tie("mette", "lars", "pledge", 0.0, date(2024, 1, 1))])


def test_layout_is_deterministic_and_in_the_unit_square(graph: nx.Graph, monkeypatch: pytest.MonkeyPatch) -> None:
    spring = layout(graph)
    assert spring == layout(graph)
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in spring.values())
    monkeypatch.setattr(network, "SPRING_MAX_NODES", 3)  # force the cheap sector-wedge layout
    wedge = layout(graph)
    assert wedge == layout(graph) and wedge.keys() == spring.keys()
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in wedge.values())
    assert len(set(wedge.values())) == len(wedge)
    assert layout(build_graph([Actor("alone", "citizen")], [])) == {"alone": (0.5, 0.5)}


def test_table_lists_every_actor_most_brokering_first(graph: nx.Graph) -> None:
    rows = network_table(graph, brokerage(graph))
    assert [r.actor for r in rows][:1] == ["lars"]
    lars = rows[0]
    # lars: tied to mette (weight 3) and sofie (1), both in other sectors.
    assert (lars.sector, lars.ties, lars.bridging_ties, lars.weight) == ("association", 2, 2, 4.0)
    mette = next(r for r in rows if r.actor == "mette")
    assert (mette.ties, mette.bridging_ties) == (2, 1)  # the school is municipal too
    assert {r.actor for r in rows} == {a.id for a in ACTORS}


def test_svg_is_accessible_and_escapes_text(graph: nx.Graph) -> None:
    svg = network_svg(
        graph,
        title="Samarbejde & netværk",
        description="5 aktører, 3 brobyggende og 1 sammenbindende bånd. Se tabellen nedenfor.",
        sector_labels={
            "municipality": "Kommune",
            "association": "Forening",
            "citizen": "Borger",
            "business": "Virksomhed",
        },
        node_labels={"lars": "Lars <idrætsforening>"},
    )
    root = ET.fromstring(svg)  # well-formed, so the labels were escaped
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == "Samarbejde & netværk"
    assert root.find(f"{SVG}desc").get("id") == desc_id
    legend = [t.text for t in root.iter(f"{SVG}text")]
    assert legend == ["Forening", "Virksomhed", "Borger", "Kommune"]  # sorted by sector id
    actors = root.find(f"{SVG}g[@class='actors']")
    assert len(list(actors)) == 5
    assert "Lars <idrætsforening>" in [t.text for t in actors.iter(f"{SVG}title")]
    lines = list(root.find(f"{SVG}g[@class='ties']"))
    # 4 pairs; only the bonding tie mette-school is dashed.
    assert len(lines) == 4 and sum(1 for line in lines if line.get("stroke-dasharray")) == 1


def test_svg_of_a_big_network_draws_only_the_strongest_actors() -> None:
    big = nx.barabasi_albert_graph(400, 2, seed=3)
    graph = build_graph(
        [Actor(v, "citizen") for v in big], [Tie(a, b, "action", 1.0, date(2024, 1, 1)) for a, b in big.edges]
    )
    svg = network_svg(graph, title="t", description="d", sector_labels={}, max_nodes=50)
    actors = ET.fromstring(svg).find(f"{SVG}g[@class='actors']")
    assert len(list(actors)) == 50
    assert svg == network_svg(graph, title="t", description="d", sector_labels={}, max_nodes=50)


NAMES = {
    "jens": "Købmand Jensen",
    "sofie": "Sofie Andersen",
    "lars": "Nørreby Boldklub",
    "mette": "Center for Samskabelse og Frivillighed i Egeå Kommune",
    "school": "Nørreby Skole",
}


def label_boxes(root: ET.Element) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each visible name in the drawing with the box it takes (as wide as the drawing reckons text to be)."""
    boxes = []
    for text in root.find(f"{SVG}g[@class='labels']"):
        x, y, width = float(text.get("x")), float(text.get("y")), network._text_width(text.text)
        left = {"start": x, "end": x - width, "middle": x - width / 2}[text.get("text-anchor")]
        boxes.append((text.text, (left, y - network.LABEL_FONT, left + width, y)))
    return boxes


def test_the_most_central_actors_are_named_in_the_drawing(graph: nx.Graph) -> None:
    # Karin sees who the brokers are without hovering: the three most central actors carry their names.
    order = [row.actor for row in network_table(graph, brokerage(graph))]
    svg = network_svg(
        graph, title="t", description="d", sector_labels={}, node_labels=NAMES, labelled=order, max_labels=3
    )
    root = ET.fromstring(svg)
    names = [name for name, _box in label_boxes(root)]
    assert names[0] == "Nørreby Boldklub" and len(names) == 3
    # A long name is cut in the drawing and whole in the mark's tooltip (and in the table).
    assert "Center for Samskabelse og Fri…" in names
    assert NAMES["mette"] in [t.text for t in root.find(f"{SVG}g[@class='actors']").iter(f"{SVG}title")]
    # Without names to show, nothing is labelled.
    assert label_boxes(ET.fromstring(network_svg(graph, title="t", description="d", sector_labels={}))) == []


def test_names_in_a_crowded_drawing_neither_overlap_nor_leave_it() -> None:
    big = nx.barabasi_albert_graph(120, 3, seed=5)
    graph = build_graph(
        [Actor(v, "citizen" if v % 3 else "association") for v in big],
        [Tie(a, b, "action", 1.0, date(2024, 1, 1)) for a, b in big.edges],
    )
    by_degree = sorted(graph.nodes, key=lambda v: -graph.degree(v))
    svg = network_svg(
        graph,
        title="t",
        description="d",
        sector_labels={},
        node_labels={v: f"Forening nummer {v} i Egeå" for v in graph.nodes},
        labelled=by_degree,
    )
    boxes = label_boxes(ET.fromstring(svg))
    assert 4 <= len(boxes) <= network.MAX_LABELS
    for (_a, a), (_b, b) in itertools.combinations(boxes, 2):
        assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    assert all(box[0] >= 0 and box[2] <= 640 and box[3] <= 480 for _name, box in boxes)
