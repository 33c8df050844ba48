"""Who could contribute? Gather candidates from the registry and ask the coalition finder.

The database narrows the registry to a few thousand plausible actors (in the area, offering a needed kind or
working with a requested theme, not opted out, not already members); the pure module
`samskab.actors.coalitions` ranks them and builds the coalitions (docs/coalition-finder.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from samskab.actors import coalitions
from samskab.actors.models import Actor, Resource, Theme
from samskab.lib.geo import bounding_box

from .models import Partnership, PartnershipInvitation, PartnershipMember, PartnershipNeed

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
    needs = [
        coalitions.Need(kind=n.kind, amount=float(n.amount), unit=n.unit)
        for n in PartnershipNeed.objects.filter(partnership=partnership)
    ]
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
    qs = Actor.objects.filter(open_to_suggestions=True).exclude(pk__in=member_ids)
    if request.centre is not None:
        south, north, west, east = bounding_box(*request.centre, request.radius_km)
        qs = qs.filter(latitude__range=(south, north), longitude__range=(west, east))
    elif partnership.challenge is not None:
        qs = qs.filter(municipality_id=partnership.challenge.municipality_id)
    rows = list(qs.order_by("pk").values_list("pk", "name", "sector", "latitude", "longitude")[:MAX_AREA_ACTORS])
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
    return candidates[:MAX_CANDIDATES], member_ids


def _among(manager: Any, column: str, ids: list[int]) -> Any:
    """`column IN ids` for thousands of ids: one array parameter on PostgreSQL (binding and planning thousands
    of separate parameters costs more than the query itself)."""
    if connection.vendor == "postgresql":
        table = manager.model._meta.db_table
        return manager.filter(RawSQL(f'"{table}"."{column}" = ANY(%s)', [list(ids)], output_field=BooleanField()))
    return manager.filter(**{f"{column}__in": ids})


def existing_ties(actor_ids: Collection[int]) -> set[frozenset[int]]:
    """Pairs of these actors that already work together in some partnership."""
    by_partnership: dict[int, list[int]] = defaultdict(list)
    rows = _among(PartnershipMember.objects, "actor_id", list(actor_ids)).values_list("partnership_id", "actor_id")
    for partnership_id, actor_id in rows:
        by_partnership[partnership_id].append(actor_id)
    ties: set[frozenset[int]] = set()
    for members in by_partnership.values():
        if len(members) <= 60:  # a very large partnership says little about who actually works together
            ties.update(frozenset(pair) for pair in combinations(sorted(members), 2))
    return ties


def find(partnership: Partnership, request: Request) -> coalitions.CoalitionResult:
    candidates, member_ids = candidates_for(partnership, request)
    pledged: dict[str, float] = defaultdict(float)
    for kind, quantity in partnership.pledges.values_list("kind", "quantity"):
        pledged[kind] += float(quantity or 0)
    return coalitions.find_coalitions(
        needs=request.needs,
        candidates=candidates,
        ties=existing_ties([c.id for c in candidates] + list(member_ids)),
        member_ids=member_ids,
        area_centre=request.centre,
        themes=request.themes,
        theme_names={t.slug: t.name_da for t in Theme.objects.all()},
        already_covered=dict(pledged),
    )


def pending_invitations(partnership: Partnership) -> set[int]:
    return set(
        PartnershipInvitation.objects.pending().filter(partnership=partnership).values_list("actor_id", flat=True)
    )


def actors_by_id(ids: Sequence[int]) -> dict[int, Actor]:
    return {a.pk: a for a in Actor.objects.filter(pk__in=ids)}
