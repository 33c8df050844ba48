"""Who could contribute? Gather candidates from the registry and ask the coalition finder.

The database narrows the registry to a few thousand plausible actors (in the area, offering a needed kind or
working with a requested theme, not opted out, not already members); the pure module
`samskab.actors.coalitions` ranks them and builds the coalitions (docs/coalition-finder.md). Its reasons and
explanations are data; they are worded here, in the active language.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations
from typing import Any, assert_never

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from samskab.actors import coalitions
from samskab.actors.models import Actor, Resource, ResourceKind, Sector, Theme
from samskab.lib.geo import bounding_box
from samskab.lib.text import join_list

from .models import Partnership, PartnershipInvitation, PartnershipMember, PartnershipNeed, pledged_towards
from .services import same_unit

MAX_CANDIDATES = 5000
MAX_AREA_ACTORS = 20000
DEFAULT_RADIUS_KM = 15


@dataclass
class Request:
    needs: list[coalitions.Need]
    themes: list[str]
    centre: tuple[float, float] | None
    radius_km: float


def area_centre(partnership: Partnership, neighbourhood: str = "") -> tuple[float, float] | None:
    """The middle of the chosen neighbourhood's actors, else of the members, else of the municipality's."""
    municipality = partnership.challenge.municipality_id if partnership.challenge else None
    if neighbourhood and municipality and (centre := Actor.objects.neighbourhood_centre(municipality, neighbourhood)):
        return centre
    return Actor.objects.filter(partnership_memberships__partnership=partnership).centre() or (
        Actor.objects.filter(municipality_id=municipality).centre() if municipality else None
    )


def default_request(partnership: Partnership) -> Request:
    # The services keep each need positive and each kind in one unit; needs recorded before they did are left out
    # here rather than stopping the search (the finder refuses them).
    needs: list[coalitions.Need] = []
    units: dict[str, str] = {}
    for n in PartnershipNeed.objects.filter(partnership=partnership, amount__gt=0):
        if units.setdefault(n.kind, same_unit(n.unit)) == same_unit(n.unit):
            needs.append(coalitions.Need(kind=n.kind, amount=float(n.amount), unit=n.unit))
    themes = list(partnership.challenge.themes.values_list("slug", flat=True)) if partnership.challenge else []
    place = partnership.challenge.place if partnership.challenge else ""
    return Request(needs=needs, themes=themes, centre=area_centre(partnership, place), radius_km=DEFAULT_RADIUS_KM)


def candidates_for(partnership: Partnership, request: Request) -> tuple[list[coalitions.Candidate], set[int]]:
    """Plausible actors for the request, and the ids of the current members.

    The area (a bounding box on indexed coordinates, or the municipality) is narrowed in SQL; whether an actor
    offers a needed kind or works with a requested theme is decided here, from the resources and themes we fetch
    for the finder anyway — cheaper than correlated subqueries over 300k resources.
    """
    member_ids = set(PartnershipMember.objects.filter(partnership=partnership).values_list("actor_id", flat=True))
    qs = Actor.objects.filter(open_to_suggestions=True).exclude(pk__in=member_ids).order_by("pk")
    columns = ("pk", "name", "sector", "latitude", "longitude")
    municipality = partnership.challenge.municipality_id if partnership.challenge is not None else None
    if request.centre is not None:
        # Near the area's centre: actors with a position to be near to (`Actor.objects.placed`: coordinates and a
        # public address); then those without one in the municipality, whose place is unknown to the finder
        # (neither rewarded nor ruled out), so keeping one's address private does not keep one out.
        # In a crowded area a quarter of the places is kept for the latter (`_fair_share`).
        south, north, west, east = bounding_box(*request.centre, request.radius_km)
        near = qs.placed().filter(latitude__range=(south, north), longitude__range=(west, east))
        placed = list(near.values_list(*columns)[:MAX_AREA_ACTORS])
        unplaced = []
        if municipality is not None:
            room = MAX_AREA_ACTORS - min(len(placed), MAX_AREA_ACTORS - MAX_AREA_ACTORS // 4)
            unplaced = [
                (pk, name, sector, None, None)
                for pk, name, sector in qs.filter(municipality_id=municipality)
                .unplaced()
                .values_list(*columns[:3])[:room]
            ]
        rows = _fair_share(placed, unplaced, MAX_AREA_ACTORS)
    else:
        if municipality is not None:
            qs = qs.filter(municipality_id=municipality)
        rows = [(pk, name, sector, None, None) for pk, name, sector in qs.values_list(*columns[:3])[:MAX_AREA_ACTORS]]
    ids = [row[0] for row in rows]
    kinds = {n.kind for n in request.needs}
    wanted_themes = set(request.themes)
    # Plain tuples rather than model instances: thousands of candidates, built on every request.
    offers: dict[int, list[coalitions.Offer]] = defaultdict(list)
    for actor_id, kind, quantity, title, availability, unit in _among(Resource.objects, "actor_id", ids).values_list(
        "actor_id", "kind", "quantity", "title", "availability", "unit"
    ):
        offers[actor_id].append(
            coalitions.Offer(
                kind=kind,
                amount=float(quantity) if quantity is not None else None,
                title=title,
                availability=availability,
                unit=unit,
            )
        )
    themes: dict[int, set[str]] = defaultdict(set)
    for actor_id, slug in _among(Actor.themes.through.objects, "actor_id", ids).values_list("actor_id", "theme__slug"):
        themes[actor_id].add(slug)
    candidates = [
        coalitions.Candidate(
            id=pk, name=name, sector=sector, lat=lat, lon=lon, themes=frozenset(themes[pk]), offers=offers[pk]
        )
        for pk, name, sector, lat, lon in rows
        if any(o.kind in kinds for o in offers[pk]) or themes[pk] & wanted_themes
    ]
    placed_candidates = [c for c in candidates if c.lat is not None]
    unplaced_candidates = [c for c in candidates if c.lat is None]
    return _fair_share(placed_candidates, unplaced_candidates, MAX_CANDIDATES), member_ids


def _fair_share[T](placed: list[T], unplaced: list[T], limit: int) -> list[T]:
    """At most `limit` of the actors with a position and those without, a quarter of the places kept for the
    latter unless the former leave them more: a crowded city must not crowd out those who keep their address
    private, whose place the finder does not know."""
    n_unplaced = min(len(unplaced), max(limit // 4, limit - len(placed)))
    return placed[: limit - n_unplaced] + unplaced[:n_unplaced]


def _among(manager: Any, column: str, ids: list[int]) -> Any:
    """`column IN ids` for thousands of ids: one array parameter on PostgreSQL (binding and planning thousands
    of separate parameters costs more than the query itself)."""
    if connection.vendor == "postgresql":
        table = manager.model._meta.db_table
        return manager.filter(RawSQL(f'"{table}"."{column}" = ANY(%s)', [list(ids)], output_field=BooleanField()))
    return manager.filter(**{f"{column}__in": ids})


def existing_ties(actor_ids: Collection[int]) -> set[frozenset[int]]:
    """Pairs of these actors that already work together in some public partnership. A partnership for its
    members only is left out: "a new tie" or not would tell anyone that two actors work together there."""
    by_partnership: dict[int, list[int]] = defaultdict(list)
    public = PartnershipMember.objects.filter(partnership__visibility=Partnership.Visibility.PUBLIC)
    rows = _among(public, "actor_id", list(actor_ids)).values_list("partnership_id", "actor_id")
    for partnership_id, actor_id in rows:
        by_partnership[partnership_id].append(actor_id)
    ties: set[frozenset[int]] = set()
    for members in by_partnership.values():
        if len(members) <= 60:  # a very large partnership says little about who actually works together
            ties.update(frozenset(pair) for pair in combinations(sorted(members), 2))
    return ties


@dataclass(frozen=True)
class Suggestion:
    """An actor on its own, with its reasons in the active language."""

    candidate_id: int
    score: float
    reasons: list[str]
    distance_m: float | None


@dataclass(frozen=True)
class Coalition:
    """A proposed coalition, with its explanation and its members' reasons in the active language."""

    member_ids: list[int]
    coverage: dict[str, float]
    total_coverage: float
    sectors: list[str]
    new_ties: int
    explanation: str
    reasons: dict[int, list[str]]


@dataclass(frozen=True)
class Found:
    """The suggestions, best first, and the coalitions, best first."""

    suggestions: list[Suggestion]
    coalitions: list[Coalition]


def find(partnership: Partnership, request: Request) -> Found:
    """The coalition finder's answer for the request, worded in the active language. Without needs, the actors
    that work with the requested themes in the area, and no coalitions."""
    candidates, member_ids = candidates_for(partnership, request)
    # What the members have pledged counts as the partnership's pages count it: in the need's unit, or in none.
    totals = partnership.pledges.totals()
    pledged = {need.kind: float(pledged_towards(totals, need.kind, need.unit)) for need in request.needs}
    result = coalitions.find_coalitions(
        needs=request.needs,
        candidates=candidates,
        ties=existing_ties([c.id for c in candidates] + list(member_ids)),
        member_ids=member_ids,
        area_centre=request.centre,
        themes=request.themes,
        already_covered=pledged,
        # Without needs a coalition would cover nothing: the actors are ranked by theme, area and new ties alone.
        alternatives=3 if request.needs else 0,
    )
    theme_names = {t.slug: t.name for t in Theme.objects.filter(slug__in=request.themes)}
    return Found(
        suggestions=[
            Suggestion(
                candidate_id=s.candidate_id,
                score=s.score,
                reasons=[describe_reason(r, theme_names) for r in s.reasons],
                distance_m=s.distance_m,
            )
            for s in result.suggestions
        ],
        coalitions=[
            Coalition(
                member_ids=c.member_ids,
                coverage=c.coverage,
                total_coverage=c.total_coverage,
                sectors=c.sectors,
                new_ties=c.new_ties,
                explanation=describe_explanation(c.explanation),
                reasons={i: [describe_reason(r, theme_names) for r in rs] for i, rs in c.reasons.items()},
            )
            for c in result.coalitions
        ],
    )


def describe_reason(reason: coalitions.Reason, theme_names: Mapping[str, str]) -> str:
    """One reason as a phrase in the active language; `theme_names` maps theme slugs to names."""
    match reason:
        case coalitions.OfferReason(offer=offer):
            what = offer.title or _offered_kind(offer)
            if offer.availability:
                # Translators: a reason to suggest an actor, e.g. "offers The hall (Tuesday evenings)".
                return _("offers %(what)s (%(availability)s)") % {"what": what, "availability": offer.availability}
            # Translators: a reason to suggest an actor, e.g. "offers The hall".
            return _("offers %(what)s") % {"what": what}
        case coalitions.DistanceReason(metres=metres):
            # Translators: a reason to suggest an actor, e.g. "600 m from the area".
            return _("%(distance)s from the area") % {"distance": format_distance(metres)}
        case coalitions.ThemeReason(themes=themes):
            names = [_lower_first(name) for name, _slug in sorted((theme_names.get(t, t), t) for t in themes)]
            return _("works with %(themes)s") % {"themes": join_list(names, themes=True)}
        case coalitions.NewTieReason(new=new, others=others):
            if new == others:
                return _("new tie: no collaboration with the others yet")
            return ngettext(
                "new tie to %(new)s of the %(others)s others", "new ties to %(new)s of the %(others)s others", new
            ) % {"new": new, "others": others}
        case coalitions.SectorReason(sector=sector):
            # Translators: a reason for an actor in a coalition that offers nothing needed, e.g. "the coalition's
            # only business: there for the span of sectors".
            return _("the coalition's only %(sector)s: there for the span of sectors") % {
                "sector": _lower_first(str(Sector(sector).label))
            }
        case _:
            assert_never(reason)


def describe_explanation(explanation: coalitions.Explanation) -> str:
    """What a coalition achieves, as sentences in the active language."""
    e = explanation
    sectors = ngettext("%(count)s sector (%(names)s)", "%(count)s sectors (%(names)s)", len(e.sectors)) % {
        "count": len(e.sectors),
        "names": join_list([_lower_first(str(Sector(s).label)) for s in e.sectors]),
    }
    sentences = [
        ngettext(
            "Covers %(percent)s of the needs with %(count)s actor from %(sectors)s.",
            "Covers %(percent)s of the needs with %(count)s actors from %(sectors)s.",
            e.actors,
        )
        % {"percent": format_percent(e.coverage), "count": e.actors, "sectors": sectors}
    ]
    if e.mean_distance_m is not None and e.located == e.actors:
        sentences.append(_("On average %(distance)s from the area.") % {"distance": format_distance(e.mean_distance_m)})
    elif e.mean_distance_m is not None:
        sentences.append(
            ngettext(
                "On average %(distance)s from the area, for the %(located)s actor whose place is known.",
                "On average %(distance)s from the area, for the %(located)s actors whose place is known.",
                e.located,
            )
            % {"distance": format_distance(e.mean_distance_m), "located": e.located}
        )
    if e.new_ties == 0:
        sentences.append(_("No new ties."))
    else:
        sentences.append(ngettext("%(count)s new tie.", "%(count)s new ties.", e.new_ties) % {"count": e.new_ties})
    if e.shortfalls:
        short = [
            # Translators: a need not fully covered and the share of it covered, e.g. "funding (50 %)".
            pgettext("need and share covered", "%(need)s (%(percent)s)")
            % {"need": _kind_name(s.kind), "percent": format_percent(s.coverage)}
            for s in e.shortfalls
        ]
        sentences.append(_("Not fully covered, not even with all candidates: %(needs)s.") % {"needs": join_list(short)})
    if e.compared is not None:
        parts = []
        if e.compared.left_out:
            parts.append(
                pgettext("compared with coalition 1", "without %(names)s") % {"names": join_list(e.compared.left_out)}
            )
        if e.compared.brought_in:
            parts.append(
                pgettext("compared with coalition 1", "with %(names)s") % {"names": join_list(e.compared.brought_in)}
            )
        sentences.append(_("Compared with coalition 1: %(differences)s.") % {"differences": "; ".join(parts)})
    return " ".join(sentences)


def format_number(x: float) -> str:
    """A whole number, or one decimal, in the active language's notation: "1.250" and "2,5" in Danish."""
    if abs(x - round(x)) < 1e-9:
        return number_format(round(x), force_grouping=True)
    return number_format(Decimal(f"{x:.1f}"), decimal_pos=1, force_grouping=True)  # rounded, not cut off


def format_distance(metres: float) -> str:
    """Metres to the tens below 1 km, km to a tenth below 10 km: "35 m", "610 m", "1,2 km", "12 km" in Danish."""
    # The symbols m and km are the same in every language; only the number's notation changes.
    if metres < 100:
        return f"{round(metres)} m"
    if round(metres, -1) < 1000:
        return f"{round(metres, -1):.0f} m"
    km = metres / 1000
    if km < 9.95:
        return f"{number_format(Decimal(f'{km:.1f}'.removesuffix('.0')))} km"
    return f"{format_number(round(km))} km"


def format_percent(fraction: float) -> str:
    """A whole percentage, "100 %" (in Danish) only when fully covered: it never rounds up to it."""
    percent = 100 if fraction >= 1 - 1e-9 else min(99, math.floor(fraction * 100 + 1e-9))
    # Translators: a percentage; Danish puts a space before the sign ("50 %").
    return pgettext("percentage", "%(percent)s%%") % {"percent": percent}


def _offered_kind(offer: coalitions.Offer) -> str:
    name = _kind_name(offer.kind)
    if offer.amount is None:
        return name
    amount = format_number(offer.amount) + (f" {offer.unit}" if offer.unit else "")
    # Translators: an offered resource kind and its amount, e.g. "volunteer hours (10 hours)".
    return pgettext("offered kind and amount", "%(kind)s (%(amount)s)") % {"kind": name, "amount": amount}


def _kind_name(kind: str) -> str:
    return _lower_first(str(dict(ResourceKind.choices).get(kind, kind)))


def _lower_first(s: str) -> str:
    return s[:1].lower() + s[1:]


def pending_invitations(partnership: Partnership) -> set[int]:
    return set(
        PartnershipInvitation.objects.pending().filter(partnership=partnership).values_list("actor_id", flat=True)
    )


def actors_by_id(ids: Sequence[int]) -> dict[int, Actor]:
    return {a.pk: a for a in Actor.objects.filter(pk__in=ids)}
