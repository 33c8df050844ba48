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

from django.db.models import Q

from samskab.actors import coalitions
from samskab.actors.models import Actor, ResourceKind, Theme
from samskab.lib.geo import bounding_box

from .models import Partnership, PartnershipInvitation, PartnershipMember, PartnershipNeed

MAX_CANDIDATES = 5000
DEFAULT_RADIUS_KM = 15


@dataclass
class Request:
    needs: list[coalitions.Need]
    themes: list[str]
    centre: tuple[float, float] | None
    radius_km: float


def area_centre(partnership: Partnership, neighbourhood: str = "") -> tuple[float, float] | None:
    """The middle of the chosen neighbourhood's actors, else of the members, else of the municipality's."""
    qs = Actor.objects.filter(latitude__isnull=False, longitude__isnull=False)
    municipality = partnership.challenge.municipality_id if partnership.challenge else None
    options = []
    if neighbourhood:
        options.append(qs.filter(neighbourhood__iexact=neighbourhood, municipality_id=municipality))
    options.append(qs.filter(partnership_memberships__partnership=partnership))
    if municipality:
        options.append(qs.filter(municipality_id=municipality))
    for option in options:
        points = list(option.values_list("latitude", "longitude")[:2000])
        if points:
            return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
    return None


def default_request(partnership: Partnership) -> Request:
    needs = [
        coalitions.Need(kind=n.kind, amount=float(n.amount), unit=n.unit)
        for n in PartnershipNeed.objects.filter(partnership=partnership)
    ]
    themes = list(partnership.challenge.themes.values_list("slug", flat=True)) if partnership.challenge else []
    place = partnership.challenge.place if partnership.challenge else ""
    return Request(needs=needs, themes=themes, centre=area_centre(partnership, place), radius_km=DEFAULT_RADIUS_KM)


def candidates_for(partnership: Partnership, request: Request) -> tuple[list[coalitions.Candidate], set[int]]:
    """Plausible actors for the request, and the ids of the current members."""
    member_ids = set(PartnershipMember.objects.filter(partnership=partnership).values_list("actor_id", flat=True))
    qs = Actor.objects.filter(open_to_suggestions=True).exclude(pk__in=member_ids)
    kinds = [n.kind for n in request.needs]
    relevant = Q(resources__kind__in=kinds) | Q(themes__slug__in=request.themes)
    qs = qs.filter(relevant)
    if request.centre is not None:
        south, north, west, east = bounding_box(*request.centre, request.radius_km)
        qs = qs.filter(latitude__range=(south, north), longitude__range=(west, east))
    elif partnership.challenge is not None:
        qs = qs.filter(municipality_id=partnership.challenge.municipality_id)
    ids = list(qs.distinct().order_by("pk").values_list("pk", flat=True)[:MAX_CANDIDATES])
    actors = Actor.objects.filter(pk__in=ids).prefetch_related("resources", "themes")
    candidates = [
        coalitions.Candidate(
            id=a.pk,
            name=a.name,
            sector=a.sector,
            lat=a.latitude,
            lon=a.longitude,
            themes=frozenset(t.slug for t in a.themes.all()),
            offers=[
                coalitions.Offer(
                    kind=r.kind,
                    amount=float(r.quantity) if r.quantity is not None else None,
                    title=r.title,
                    availability=r.availability,
                    unit=r.unit,
                )
                for r in a.resources.all()
            ],
        )
        for a in actors
    ]
    return candidates, member_ids


def existing_ties(actor_ids: Collection[int]) -> set[frozenset[int]]:
    """Pairs of these actors that already work together in some partnership."""
    by_partnership: dict[int, list[int]] = defaultdict(list)
    rows = PartnershipMember.objects.filter(actor_id__in=actor_ids).values_list("partnership_id", "actor_id")
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
        kind_names={k.value: str(k.label) for k in ResourceKind},
        already_covered=dict(pledged),
    )


def pending_invitations(partnership: Partnership) -> set[int]:
    return set(
        PartnershipInvitation.objects.pending().filter(partnership=partnership).values_list("actor_id", flat=True)
    )


def actors_by_id(ids: Sequence[int]) -> dict[int, Actor]:
    return {a.pk: a for a in Actor.objects.filter(pk__in=ids)}
