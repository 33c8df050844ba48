"""Turn a computed opinion map into what pages show: JSON for storage, an SVG map, tables and bars."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import numpy as np
from django.db.models import Count
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from samskab.actors.models import Sector
from samskab.lib.colours import AMBER, BLUE, GREEN, PINK, SKY, VERMILLION
from samskab.lib.tables import Sheet
from samskab.lib.text import join_list
from samskab.surveys.services import base_threshold

from . import mapping
from .models import Conversation, OpinionMapSnapshot, Participant, Statement, Vote

MAX_POINTS = 3000
GROUP_LETTERS = "ABCDEFGHIJ"
GROUP_COLOURS = [BLUE, VERMILLION, GREEN, PINK, AMBER, SKY]  # safe for colour-blind readers
SVG_W, SVG_H, PAD = 640, 420, 24
BRIDGING_MIN_AGREE = 0.5
# Where many are unsure (as in Polis's report): at least this share passed, among at least this many votes.
UNSURE_PASS_SHARE = 0.3
UNSURE_MIN_VOTES = 5
UNSURE_COUNT = 5
# The results are shown from this many voters: with fewer, each could read the others' votes off the shares.
RESULTS_MIN_VOTERS = mapping.SECTOR_MIN_VOTERS
# The form of a snapshot's JSON: raised whenever what `shown_result` relies on changes (here: sectors withheld,
# pooled and counted among the voters in no group; the consensus statements' counts). A snapshot of another form
# is shown without its sector figures and recomputed (`is_stale`).
SNAPSHOT_FORM = 3


def min_voters(conversation: Conversation) -> int:
    """The fewest people behind any figure the results show (`shown_result`): a statement's shares or counts, a
    group's votes on it, a statement that sets a group apart, a clear majority. In co-creation as many as a
    sector's figures need (`mapping.SECTOR_MIN_VOTERS`); among colleagues, who know each other and whose leader
    reads the results, the surveys' anonymity threshold (at least 5, `surveys.services.base_threshold`)."""
    partnership = conversation.partnership
    if partnership is not None and partnership.voices_are_people:
        return max(RESULTS_MIN_VOTERS, base_threshold())
    return RESULTS_MIN_VOTERS


def _hull(points: np.ndarray) -> list[list[float]]:
    if len(points) < 3:
        return points.round(4).tolist()
    try:
        from scipy.spatial import ConvexHull

        hull = ConvexHull(points)
    except Exception:
        return points.round(4).tolist()
    return points[hull.vertices].round(4).tolist()


def snapshot_json(result: mapping.OpinionMap, participant_sectors: dict[str, str] | None = None) -> dict[str, Any]:
    """The JSON kept with a snapshot: only what the pages and the API need, with statement ids as strings.
    With `participant_sectors`, each group also counts its members by sector, and so do the voters in no group
    (kept for `shown_result`, never shown)."""
    sectors_of = participant_sectors or {}
    coords = np.asarray(result.coordinates, dtype=float).reshape(-1, 2)
    index = {p: i for i, p in enumerate(result.participants)}
    rng = random.Random(0)
    sample = list(range(len(result.participants)))
    if len(sample) > MAX_POINTS:
        sample = sorted(rng.sample(sample, MAX_POINTS))
    ungrouped = [p for p in result.participants if p not in result.participant_group]
    groups = []
    for group in result.groups:
        rows = [index[m] for m in group.members if m in index]
        points = coords[rows] if rows else np.zeros((0, 2))
        groups.append(
            {
                "id": int(group.id),
                "size": len(group.members),
                "hull": _hull(points) if len(points) else [],
                "centre": points.mean(axis=0).round(4).tolist() if len(points) else [0.0, 0.0],
                "sectors": dict(Counter(sectors_of[m] for m in group.members if sectors_of.get(m))),
                "representative": [_repness_json(r) for r in group.representative],
                "reserve": [_repness_json(r) for r in group.reserve],
            }
        )
    overall = np.stack([result.votes.agree, result.votes.disagree, result.votes.seen], axis=1).tolist()
    g = result.group_votes
    per_group = np.stack([g.agree, g.disagree, g.seen], axis=2).transpose(1, 0, 2).tolist()  # statement, group
    return {
        "participants": [str(result.participants[i]) for i in sample],
        "coords": coords[sample].round(4).tolist() if len(sample) else [],
        "point_groups": [result.participant_group.get(result.participants[i], -1) for i in sample],
        "form": SNAPSHOT_FORM,
        "participant_groups": {str(p): int(g) for p, g in result.participant_group.items()},
        "groups": groups,
        "ungrouped_sectors": dict(Counter(sectors_of[p] for p in ungrouped if sectors_of.get(p))),
        "consensus": _consensus_json(result),
        "group_informed_consensus": {str(k): round(float(v), 6) for k, v in result.group_informed_consensus.items()},
        "bridging": [
            {
                "statement": str(b.statement),
                "score": round(float(b.score), 6),
                "min_agree": round(float(b.min_agree), 4),
                "divisive": bool(b.divisive),
                "per_sector": {sector: _shares_json(shares) for sector, shares in b.per_sector.items()},
                "withheld": list(b.withheld),
                "pooled": _shares_json(b.pooled) if b.pooled is not None else None,
            }
            for b in result.bridging
        ],
        "priorities": {str(k): round(float(v), 6) for k, v in result.priorities.items()},
        # Every voted statement: [agree, disagree, seen] overall, then the same per group (in group order).
        "votes": {str(result.statements[j]): [overall[j], per_group[j]] for j in np.flatnonzero(result.votes.seen)},
        "statement_coords": {str(k): [round(float(x), 4) for x in v] for k, v in _statement_coords(result).items()},
    }


def _repness_json(r: mapping.Repness) -> dict[str, Any]:
    return {
        "statement": str(r.statement),
        "direction": r.direction,
        "agree": round(float(r.agree_share), 4),
        "disagree": round(float(r.disagree_share), 4),
        "repness": round(float(r.repness), 4),
    }


def _shares_json(shares: mapping.SectorShares) -> dict[str, Any]:
    return {
        "agree": round(float(shares.agree), 4),
        "disagree": round(float(shares.disagree), 4),
        "pass": round(float(shares.pass_), 4),
        "seen": int(shares.seen),
    }


def _statement_coords(result: mapping.OpinionMap) -> dict[str, Any]:
    coords = result.statement_coordinates
    if isinstance(coords, dict):
        return coords
    return dict(zip(result.statements_in_map, np.asarray(coords).reshape(-1, 2).tolist(), strict=False))


def _consensus_json(result: mapping.OpinionMap) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {"agree": [], "disagree": []}
    for direction in ("agree", "disagree"):
        for item in getattr(result.consensus, direction, []):
            out[direction].append(
                {
                    "statement": str(item.statement),
                    "share": round(float(item.share), 4),
                    "count": int(item.n_success),  # those who agree (or disagree)
                    "seen": int(item.n_trials),  # of everybody who voted on it
                }
            )
    return out


def _scale(coords: list[list[float]]) -> tuple[Any, Any]:
    array = np.asarray(coords, dtype=float).reshape(-1, 2)
    if len(array) == 0:
        return (lambda x: SVG_W / 2), (lambda y: SVG_H / 2)
    lo, hi = array.min(axis=0), array.max(axis=0)
    span = np.where(hi - lo > 1e-9, hi - lo, 1.0)

    def sx(x: float) -> float:
        return round(PAD + (x - lo[0]) / span[0] * (SVG_W - 2 * PAD), 1)

    def sy(y: float) -> float:
        return round(SVG_H - PAD - (y - lo[1]) / span[1] * (SVG_H - 2 * PAD), 1)

    return sx, sy


def map_svg(data: dict[str, Any], *, you: str | None = None) -> SafeString:
    """The opinion map as inline SVG: participants as points, each group outlined and lettered. `you` is the
    visitor's participant id: their point, if drawn, gets a black ring (only they are shown it)."""
    all_points = data["coords"] + [p for g in data["groups"] for p in g["hull"]]
    sx, sy = _scale(all_points)
    hulls = format_html_join(
        "",
        '<polygon points="{}" fill="{}" fill-opacity="0.12" stroke="{}" stroke-width="2"/>',
        (
            (
                " ".join(f"{sx(x)},{sy(y)}" for x, y in g["hull"]),
                GROUP_COLOURS[i % len(GROUP_COLOURS)],
                GROUP_COLOURS[i % len(GROUP_COLOURS)],
            )
            for i, g in enumerate(data["groups"])
            if len(g["hull"]) >= 3
        ),
    )
    colour_of = {g["id"]: GROUP_COLOURS[i % len(GROUP_COLOURS)] for i, g in enumerate(data["groups"])}
    points = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="3" fill="{}"/>',
        (
            (sx(x), sy(y), colour_of.get(gid, "#6f6f6f"))
            for (x, y), gid in zip(data["coords"], data["point_groups"], strict=False)
        ),
    )
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="20" font-weight="700" fill="{}" stroke="#fff" stroke-width="4" '
        'paint-order="stroke">{}</text>',
        (
            (sx(g["centre"][0]), sy(g["centre"][1]), GROUP_COLOURS[i % len(GROUP_COLOURS)], GROUP_LETTERS[i])
            for i, g in enumerate(data["groups"])
        ),
    )
    grouped = sum(1 for gid in data["point_groups"] if gid in colour_of)
    description = _(
        "%(people)d participants, %(grouped)d of them in %(groups)d opinion groups; grey points are in no group "
        "yet. The table below gives the same information."
    ) % {"people": len(data["coords"]), "grouped": grouped, "groups": len(data["groups"])}
    ring = SafeString("")
    if you is not None and you in data["participants"]:
        x, y = data["coords"][data["participants"].index(you)]
        ring = format_html(
            '<circle class="samskab-you" cx="{}" cy="{}" r="8" fill="none" stroke="#000" stroke-width="2.5"/>',
            sx(x),
            sy(y),
        )
        description += " " + _("Your own point has a black ring.")
    return format_html(
        '<svg viewBox="0 0 {w} {h}" width="100%" role="img" aria-labelledby="map-title map-desc" class="samskab-map">'
        '<title id="map-title">{title}</title><desc id="map-desc">{desc}</desc>'
        '<rect width="{w}" height="{h}" fill="#fff" stroke="#bfbfbf"/>{hulls}{points}{ring}{labels}</svg>',
        w=SVG_W,
        h=SVG_H,
        title=_("Opinion map"),
        desc=description,
        hulls=hulls,
        points=points,
        ring=ring,
        labels=labels,
    )


def your_place(
    conversation: Conversation, snapshot: OpinionMapSnapshot, participant: Participant | None
) -> dict | None:
    """Where the visitor stands on the map shown: the letter and colour of their group (and whether it is too
    small for its votes to be shown) and whether their point is drawn; or, in no group yet, how many votes they
    have, how many count a person in a group and how many more they need."""
    if participant is None:
        return None
    data = snapshot.result
    key = str(participant.pk)
    group_ids = [g["id"] for g in data["groups"]]
    group = data["participant_groups"].get(key)
    visible = conversation.statements.exclude(moderation=Statement.Moderation.HIDDEN).count()
    on_map = key in data["participants"]
    votes = participant.votes.exclude(statement__moderation=Statement.Moderation.HIDDEN).count()
    needed = mapping.votes_to_be_placed(visible)
    place: dict[str, Any] = {
        "votes": votes,
        "needed": needed,
        "more": max(0, needed - votes),
        "all_answered": votes >= visible,  # nothing more to take a stand on: no link to do it
        "on_map": on_map,
        "groups_exist": bool(group_ids),
        # Above MAX_POINTS the drawing is a sample: someone in the maths may have no point of their own.
        "not_drawn": not on_map
        and len(data["participants"]) >= MAX_POINTS
        and participant.votes.filter(voted_at__lte=snapshot.votes_until or snapshot.computed_at).exists(),
        "drawn": number_format(MAX_POINTS, force_grouping=True),
    }
    if group in group_ids:
        i = group_ids.index(group)
        place |= {
            "letter": GROUP_LETTERS[i],
            "colour": GROUP_COLOURS[i % len(GROUP_COLOURS)],
            "group_too_small": data["groups"][i]["size"] < min_voters(conversation),
        }
    return place


def hidden_statements(conversation: Conversation) -> set[str]:
    hidden = conversation.statements.filter(moderation=Statement.Moderation.HIDDEN)
    return {str(pk) for pk in hidden.values_list("pk", flat=True)}


def shown_result(data: dict[str, Any], hidden: set[str], *, floor: int, sectors: bool = True) -> dict[str, Any]:
    """A snapshot's results as the page, the downloads and the API may show them.

    - Without the statements hidden now. The next map leaves them out of the maths anyway; until it is ready,
      neither the page nor the API shows a statement the facilitator has hidden.
    - No figure rests on fewer than `floor` people (`min_voters`). A statement's agree and disagree counts are
      shown from `floor` voters (how many voted on it is always shown: it says who took part, not how); a group's
      votes on a statement from `floor` of the group, and never where everybody's less the shown groups' would
      come from 1 to `floor` - 1 people (`_shown_groups`). Counts not shown are None, whether few or nobody
      voted. A statement sets a group apart (`representative`) only where the group's votes on it are shown and
      the other groups' it is compared with come from nobody or from at least `floor`; a group smaller than
      `floor` (`too_small`) has none. Where one of Polis's five may not be shown, the group's next passing
      statement (`reserve`) takes its place. Each says in `stance` how it sets the group apart, in words its shares bear
      out (`_stance`). A clear majority (`consensus`, with its `count` of `seen`) needs `floor` voters, and a
      statement's group-informed consensus score every group's votes on it shown.
    - The groups count their members by sector only while every sector among them has at least
      `mapping.SECTOR_MIN_VOTERS` members: a partnership's one business member would otherwise be placed in
      their group (and leaving out one sector's column would not help: a group's size gives away the rest).
      The voters in no group count as one more group here: were a sector's only voter among them, the counts
      would say so, and their votes are the overall counts less the groups'.
    - Sector bridging only where the sectors are compared (`sectors`, `Conversation.compares_sectors`): colleagues
      share one sector, whose figures would be everybody's, from fewer than `floor`.
    - A map kept in an older form (`is_stale`) shows neither bridging nor the groups' sectors (`recomputing`):
      it may hold a sector's figures from fewer than three voters. Its conversation's next map has them.
    """

    def keep(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [item for item in items if item["statement"] not in hidden]

    stale = is_stale(data)
    in_groups: Counter[str] = Counter()
    for g in data["groups"]:
        in_groups.update(g.get("sectors", {}))
    counts = [*in_groups.values(), *data.get("ungrouped_sectors", {}).values()]  # the grouped, and those in none
    few = bool(data["groups"]) and (stale or any(0 < n < mapping.SECTOR_MIN_VOTERS for n in counts))
    raw = {s: v for s, v in data.get("votes", {}).items() if s not in hidden}
    votes = {s: _withheld(overall, per_group, floor) for s, (overall, per_group) in raw.items()}
    groups = []
    for i, g in enumerate(data["groups"]):
        too_small = g["size"] < floor
        representative: list[dict[str, Any]] = []
        chosen = [] if too_small else keep(g["representative"])
        # Polis's five first; where one may not be shown, the next passing statement in rank order instead.
        for r in chosen + ([] if too_small else keep(g.get("reserve", []))):
            if len(representative) == mapping.REPRESENTATIVE_COUNT:
                break
            compared = _compared(raw, votes, r["statement"], i, floor)
            if compared is not None:
                representative.append(r | {"stance": _stance(r["direction"], *compared)})
        representative.sort(key=lambda r: r["direction"] != "agree")  # agrees first, as Polis lists them
        groups.append(
            {key: value for key, value in g.items() if key != "reserve"}
            | {
                "representative": representative,
                "too_small": too_small,
                # Statements set the group apart, but none may be shown: say so rather than that none does.
                "representative_withheld": not too_small and not representative and bool(chosen),
                "sectors": {} if few else g.get("sectors", {}),
            }
        )

    def majority(direction: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        shown = []
        for item in keep(items):
            count, seen = item.get("count"), item.get("seen")
            if seen is None and item["statement"] in raw:  # kept in an older form: the counts are in the votes
                overall = raw[item["statement"]][0]
                count, seen = overall[0 if direction == "agree" else 1], overall[2]
            if seen is not None and seen >= floor:
                shown.append(item | {"count": count, "seen": seen})
        return shown

    return data | {
        "groups": groups,
        "sectors_withheld": few,
        "recomputing": stale,
        "min_voters": floor,
        "consensus": {direction: majority(direction, items) for direction, items in data["consensus"].items()},
        "group_informed_consensus": {
            s: v
            for s, v in data["group_informed_consensus"].items()
            if s in votes and all(cell[2] is not None for cell in votes[s][1])
        },
        "bridging": [] if stale or not sectors else keep(data["bridging"]),
        "votes": votes,
    }


def _shown_groups(seen: int, groups_seen: list[int], floor: int) -> list[bool]:
    """Which groups' votes on a statement may be shown, of `seen` voters in all: those of `floor` voters or more,
    and while everybody's votes less the shown groups' (the other groups' and those in no group) come from 1 to
    `floor` - 1 people, not the smallest shown group either, as the sectors (`mapping.sector_bridging`)."""
    if seen < floor:
        return [False] * len(groups_seen)
    shown = [n >= floor for n in groups_seen]
    while 0 < seen - sum(n for n, ok in zip(groups_seen, shown, strict=True) if ok) < floor:
        smallest = min((i for i, ok in enumerate(shown) if ok), key=lambda i: groups_seen[i])
        shown[smallest] = False
    return shown


def _withheld(overall: list[int], per_group: list[list[int]], floor: int) -> list[Any]:
    """A statement's [agree, disagree, seen] and its groups', with the counts that may not be shown as None
    (`shown_result`)."""
    agree, disagree, seen = overall
    shown = _shown_groups(seen, [n for _a, _d, n in per_group], floor)
    return [
        [agree, disagree, seen] if seen >= floor else [None, None, seen],
        [list(cell) if ok else [None, None, None] for cell, ok in zip(per_group, shown, strict=True)],
    ]


def _compared(
    raw: dict[str, Any], shown: dict[str, Any], statement: str, group: int, floor: int
) -> tuple[int, int, int, int, int, int] | None:
    """A group's agree, disagree and seen on a statement, then the other groups' together, where the statement
    may be shown as setting the group apart: the group's votes on it are shown, and the others' (what it is
    compared with) come from nobody or from at least `floor`. None otherwise."""
    if statement not in raw:
        return None
    agree, disagree, seen = shown[statement][1][group]
    if seen is None:
        return None
    others = [cell for j, cell in enumerate(raw[statement][1]) if j != group]
    others_agree, others_disagree, others_seen = (sum(cell[k] for cell in others) for k in range(3))
    if 0 < others_seen < floor:
        return None
    return agree, disagree, seen, others_agree, others_disagree, others_seen


def _stance(
    direction: str, agree: int, disagree: int, seen: int, others_agree: int, others_disagree: int, others_seen: int
) -> str:
    """How a statement sets a group apart, in words its shares bear out: `agrees_more` or `disagrees_more` (than
    the other groups), else the group's own `agrees` or `disagrees` (a majority of it), or `divided`.

    Polis reports a representative statement in the direction of its stronger test against the other groups
    (`mapping.representative_statements`), on smoothed counts: a statement everybody agrees with, kept by the
    best-agree rule, can come out as "disagree" with nobody in the group disagreeing. "More than the others" is
    said only where the plain shares show it."""
    if others_seen:
        if direction == "agree" and agree * others_seen > others_agree * seen:
            return "agrees_more"
        if direction == "disagree" and disagree * others_seen > others_disagree * seen:
            return "disagrees_more"
    if 2 * agree > seen:
        return "agrees"
    if 2 * disagree > seen:
        return "disagrees"
    return "divided"


def is_stale(data: dict[str, Any]) -> bool:
    """Whether a snapshot's result is kept in another form than `SNAPSHOT_FORM`: `shown_result` shows it only in
    part, and it wants recomputing."""
    return data.get("form") != SNAPSHOT_FORM


def map_context(conversation: Conversation, result: dict[str, Any], n_participants: int) -> dict[str, Any]:
    """The results page's groups, consensus and bridging, with statement ids resolved to their text
    (the map itself is `map_svg`). `result` is a snapshot's result, or the parts of it needed."""
    statements = list(conversation.statements.values_list("pk", "text", "moderation"))
    texts = {str(pk): text for pk, text, _moderation in statements}
    floor = min_voters(conversation)
    data = shown_result(
        result,
        {str(pk) for pk, _text, m in statements if m == Statement.Moderation.HIDDEN},
        floor=floor,
        sectors=conversation.compares_sectors,
    )

    def text(statement_id: str) -> str:
        return texts.get(statement_id, "")

    sector_labels = dict(Sector.choices)
    groups = [
        {
            "letter": GROUP_LETTERS[i],
            "colour": GROUP_COLOURS[i % len(GROUP_COLOURS)],
            "size": g["size"],
            "share": round(100 * g["size"] / max(1, n_participants)),
            # Members by sector, in the sectors' order (maps made before sectors were counted have none).
            "sectors": [g.get("sectors", {}).get(sector, 0) for sector in sector_labels],
            "too_small": g["too_small"],
            "representative_withheld": g["representative_withheld"],
            "representative": [r | {"text": text(r["statement"])} for r in g["representative"]],
        }
        for i, g in enumerate(data["groups"])
    ]
    sector_rank = {sector: i for i, sector in enumerate(sector_labels)}  # every table lists sectors alike
    bridging = []
    for b in data["bridging"]:
        bars = [
            {
                "code": sector,
                "sector": sector_labels.get(sector, sector),
                "agree": round(100 * s["agree"]),
                "disagree": round(100 * s["disagree"]),
                "pass": max(0, 100 - round(100 * s["agree"]) - round(100 * s["disagree"])),
                "seen": s["seen"],
            }
            for sector, s in b["per_sector"].items()
        ]
        pool = b.get("pooled")
        # The withheld sectors keep a row each (the download's columns), but a pool shows them as one row.
        bars += [
            {"code": code, "sector": sector_labels.get(code, code), "withheld": True, "in_pool": pool is not None}
            for code in b["withheld"]
        ]
        bars.sort(key=lambda bar: sector_rank.get(bar["code"], len(sector_rank)))
        if pool is not None:  # after the shown ones
            names = [str(bar["sector"]) for bar in bars if bar.get("in_pool")]
            names = names[:1] + [name.lower() for name in names[1:]]
            bars.append(
                {
                    "code": "",
                    "sector": _("%(sectors)s together") % {"sectors": join_list(names)},
                    "pooled": True,
                    "agree": round(100 * pool["agree"]),
                    "disagree": round(100 * pool["disagree"]),
                    "pass": max(0, 100 - round(100 * pool["agree"]) - round(100 * pool["disagree"])),
                    "seen": pool["seen"],
                }
            )
        bridging.append(b | {"text": text(b["statement"]), "bars": bars})
    consensus = {
        direction: [c | {"text": text(c["statement"]), "percent": round(100 * c["share"])} for c in items]
        for direction, items in data["consensus"].items()
    }
    # Everyone who has voted is on the map; only those with enough votes are counted in a group (Polis's
    # in-conversation rule). The rest are the grey points, and the groups table's last row.
    grouped = sum(g["size"] for g in groups)
    ungrouped = max(0, n_participants - grouped) if groups else 0
    sectors_present = len({s for b in data["bridging"] for s in [*b["per_sector"], *b["withheld"]]})
    return {
        "all_statements": _all_statements(data, texts),
        "sector_names": list(sector_labels.values()),
        "grouped": grouped,
        "ungrouped": ungrouped,
        "ungrouped_share": round(100 * ungrouped / max(1, n_participants)),
        # Only worth a column each where at least two sectors are among the grouped.
        "groups_by_sector": len({i for g in groups for i, n in enumerate(g["sectors"]) if n}) >= 2,
        "unsure": [row | {"text": texts[row["statement"]]} for row in unsure_statements(data)],
        "groups": groups,
        "consensus": consensus,
        # Bridging: every sector shown, and the pool of the withheld ones, more likely agrees than not (smoothed),
        # best score first. Without a pool a withheld sector stands at exactly one half, so it holds the
        # statement back (`mapping.sector_bridging`).
        # One sector alone bridges nothing, however much it agrees.
        "bridging": [b for b in bridging if bridges_the_sectors(b)][:10] if sectors_present >= 2 else [],
        "divisive": [b for b in bridging if b["divisive"]][:10],
        "all_bridging": bridging,  # every statement's per-sector bars, best bridging score first
        "sectors_present": sectors_present,
        "all_groups_agree": [
            row | {"text": text(row["statement"])} for row in all_groups_agree(data, [g["letter"] for g in groups])
        ],
        "sectors_withheld": data["sectors_withheld"],
        "recomputing": data["recomputing"],
        "sector_min_voters": mapping.SECTOR_MIN_VOTERS,
        "figures_min_voters": floor,
        "groups_too_small": any(g["too_small"] for g in groups),
    }


def all_groups_agree(data: dict[str, Any], letters: list[str]) -> list[dict[str, Any]]:
    """Statements a majority of every opinion group agrees with (at least two groups), best group-informed
    consensus first (Polis's group-aware consensus), at most `mapping.CONSENSUS_COUNT`, each with every group's
    agree share. Polis's own consensus, shown beside it, is the majority of everybody, whom one large group can
    make on its own."""
    if len(letters) < 2:
        return []
    scores = data["group_informed_consensus"]  # only where every group's votes are shown (`shown_result`)
    rows = [
        (-scores[statement], int(statement), statement, per_group)
        for statement, (_overall, per_group) in data.get("votes", {}).items()
        if statement in scores
        and len(per_group) == len(letters)
        and all(s is not None and 2 * a > s for a, _d, s in per_group)
    ]
    return [
        {
            "statement": statement,
            "groups": [
                {"letter": letter, "agree": round(100 * a / s)}
                for letter, (a, _d, s) in zip(letters, per_group, strict=True)
            ],
        }
        for _score, _id, statement, per_group in sorted(rows)[: mapping.CONSENSUS_COUNT]
    ]


def bridges_the_sectors(row: dict[str, Any]) -> bool:
    """A bridging row that the page lists as bridging the sectors (see `map_context`)."""
    return not row["divisive"] and row.get("min_agree", 0) > BRIDGING_MIN_AGREE


def results_sheets(conversation: Conversation, snapshot: OpinionMapSnapshot) -> list[Sheet]:
    """The results page as spreadsheets: every statement's votes, the groups, and the sectors' votes on each
    statement. Hidden statements are left out, as on the page; so are the sectors where the page compares none
    (`Conversation.compares_sectors`: colleagues in an involvement process), and, as empty cells, the figures
    too few people stand behind (`shown_result`)."""
    context = map_context(conversation, snapshot.result, snapshot.n_participants)
    letters = [g["letter"] for g in context["groups"]]
    statements = Sheet(
        _("Statements"),
        [
            _("Statement"),
            _("Votes"),
            _("Agree (%)"),
            _("Disagree (%)"),
            _("Pass (%)"),
            *(_("Group %(letter)s agrees (%%)") % {"letter": letter} for letter in letters),
        ],
        [
            [row["text"], row["seen"], row["agree"], row["disagree"], row["pass"], *row["groups"]]
            for row in context["all_statements"]
        ],
    )
    by_sector = conversation.compares_sectors and not context["sectors_withheld"]  # as on the page
    groups = Sheet(
        _("Groups"),
        [_("Group"), _("Participants"), _("Share (%)"), *(context["sector_names"] if by_sector else [])],
        [[g["letter"], g["size"], g["share"], *(g["sectors"] if by_sector else [])] for g in context["groups"]],
    )
    if not conversation.compares_sectors:
        return [statements, groups]
    sector_columns = [
        header % {"sector": name}
        for name in context["sector_names"]
        for header in (_("%(sector)s: agree (%%)"), _("%(sector)s: disagree (%%)"), _("%(sector)s: votes"))
    ]
    pool_columns = [_("Shown together"), _("Together: agree (%)"), _("Together: disagree (%)"), _("Together: votes")]
    yes, no = _("yes"), _("no")
    rows = []
    for row in context["all_bridging"]:
        bars = {bar["code"]: bar for bar in row["bars"]}
        cells = [_sector_cells(bars.get(s)) for s in Sector]
        bridges = bridges_the_sectors(row) and context["sectors_present"] >= 2  # as on the page
        flags = [yes if bridges else no, yes if row["divisive"] else no]
        pool = bars.get("")  # the withheld sectors together (see `map_context`)
        together = [pool["sector"], pool["agree"], pool["disagree"], pool["seen"]] if pool else ["", "", "", ""]
        rows.append([row["text"], *flags, *(value for cell in cells for value in cell), *together])
    sectors = Sheet(
        _("Sectors"),
        [_("Statement"), _("Bridges the sectors"), _("Divides the sectors"), *sector_columns, *pool_columns],
        rows,
    )
    return [statements, groups, sectors]


def _sector_cells(bar: dict[str, Any] | None) -> tuple[Any, Any, Any]:
    """A sector's agree %, disagree % and votes in the sectors sheet: empty where it has no votes, all three
    empty where they are withheld (too few voters to show)."""
    if bar is None:
        return "", "", 0
    if bar.get("withheld"):
        return "", "", ""
    return bar["agree"], bar["disagree"], bar["seen"]


def _percent(part: int | None, whole: int | None) -> int | None:
    return round(100 * part / whole) if part is not None and whole else None


def statement_votes(data: dict[str, Any]) -> list[tuple[str, list[int], list[list[int]]]]:
    """A snapshot's votes on every statement, most voted first (then by id): (statement, [agree, disagree,
    seen], the same per group)."""
    return sorted(
        ((s, overall, per_group) for s, (overall, per_group) in data.get("votes", {}).items()),
        key=lambda row: (-row[1][2], int(row[0])),
    )


def unsure_statements(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Statements many passed on ("pass / don't know"), most passed first: perhaps knowledge is missing, or the
    statement is unclear. Worth asking about before the problem is defined. `data` as `shown_result` gives it
    (hidden statements left out); for the page and the API."""
    rows = [
        ((seen - agree - disagree) / seen, seen, statement)
        for statement, (agree, disagree, seen), _groups in statement_votes(data)
        if agree is not None and seen >= UNSURE_MIN_VOTES and seen - agree - disagree >= UNSURE_PASS_SHARE * seen
    ]
    return [
        {"statement": statement, "seen": seen, "pass_share": round(100 * share)}
        for share, seen, statement in sorted(rows, key=lambda row: (-row[0], -row[1]))[:UNSURE_COUNT]
    ]


def _all_statements(data: dict[str, Any], texts: dict[str, str]) -> list[dict[str, Any]]:
    """The results page's table of every statement: agree, disagree and pass shares overall, and the agree
    share in each group (None where too few have voted on it to be shown, `shown_result`)."""
    return [
        {
            "statement": statement,
            "text": texts[statement],
            "seen": seen,
            "agree": _percent(agree, seen),
            "disagree": _percent(disagree, seen),
            "pass": _percent(None if agree is None else seen - agree - disagree, seen),
            "groups": [_percent(a, n) for a, _d, n in per_group],
        }
        for statement, (agree, disagree, seen), per_group in statement_votes(data)
        if statement in texts
    ]


def participation_by_sector(conversation: Conversation) -> tuple[list[dict[str, Any]], int]:
    """How many people of each sector have voted, counted now (the map may be a little older), and how many
    whose sector is unknown (imported from Polis)."""
    counts = dict(
        Participant.objects.filter(conversation=conversation, votes__isnull=False)
        .values("sector")
        .annotate(n=Count("pk", distinct=True))
        .values_list("sector", "n")
    )
    return [{"sector": label, "count": counts.get(value, 0)} for value, label in Sector.choices], counts.get("", 0)


def next_statement_for(
    conversation: Conversation, participant: Participant | None, *, asked: int | None = None
) -> tuple[Statement | None, int, int]:
    """The statement to show next, with how many the participant has voted on and how many there are.

    Polis's priority (tell most about where the participant stands) comes from the latest map, of which only
    the priorities are read, so showing a card costs a few small queries however many votes the conversation
    holds; statements written since the map count as new ones and come early. `asked` is a statement the
    participant asked for by link (the one a near-duplicate points to); it is shown if it is visible in this
    conversation, voted on or not.
    """
    visible = list(conversation.statements.exclude(moderation=Statement.Moderation.HIDDEN).values_list("pk", flat=True))
    voted_ids: set[int] = set()
    if participant is not None:
        voted_ids = set(Vote.objects.filter(participant=participant).values_list("statement_id", flat=True))
    remaining = [str(pk) for pk in visible if pk not in voted_ids]
    done = len(visible) - len(remaining)
    if asked in visible:
        return Statement.objects.get(pk=asked), done, len(visible)
    if not remaining:
        return None, done, len(visible)
    priorities = conversation.maps.order_by("-computed_at").values_list("result__priorities", flat=True).first()
    chosen_id = mapping.next_statement(
        candidates=remaining,
        priorities=priorities or {},
        seed=(participant.pk if participant else 0) * 7919 + done,
    )
    assert chosen_id is not None
    return Statement.objects.get(pk=chosen_id), done, len(visible)


def suggestions_for_definition(partnership: Any) -> dict[str, list[dict[str, Any]]]:
    """Bridging and consensus statements from the partnership's conversations, to draft the definition from."""
    out: dict[str, list[dict[str, Any]]] = {"bridging": [], "consensus": []}
    from .services import enough_voters, published_maps, recompute_if_stale

    for conversation in partnership.conversations.all():
        # The map the results page shows (`services.shown_map`), only the parts used: a snapshot also holds every
        # participant's position and group.
        latest = (
            published_maps(conversation)
            .values("n_participants", "result__form", "result__bridging", "result__consensus")
            .first()
        )
        if latest is None or not enough_voters(conversation):  # as `services.shown_map`
            continue
        needed = {
            "groups": [],
            "group_informed_consensus": {},
            "bridging": latest["result__bridging"] or [],
            "consensus": latest["result__consensus"] or {},
            "form": latest["result__form"],
        }
        recompute_if_stale(conversation, needed)  # shown without bridging until a newer map is published
        context = map_context(conversation, needed, latest["n_participants"])
        # Colleagues in an involvement process share one sector: there is nothing to bridge, only what most agree on.
        bridges = context["bridging"][:5] if conversation.compares_sectors else []
        out["bridging"] += bridges
        bridging = {b["statement"] for b in bridges}
        # A statement that bridges the sectors is offered once, there, even when a clear majority agrees too.
        out["consensus"] += [c for c in context["consensus"].get("agree", []) if c["statement"] not in bridging][:5]
    return out
