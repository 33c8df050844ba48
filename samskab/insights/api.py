from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from samskab.accounts.api import caller
from samskab.partnerships.permissions import get_partnership_for

from .events import events_for, member_sectors
from .partnership_network import partnership_network
from .power import initiative_over_time, power_balance

router = Router(tags=["power balance"])


class PowerBalanceOut(Schema):
    applies: bool = Field(
        ...,
        description="False for employee involvement: one organisation is one sector, so the sectors' balance "
        "says nothing there (the balance that matters, between leaders and staff, is not measured)",
    )
    shares: dict[str, dict[str, float]]
    counts: dict[str, dict[str, int]]
    evenness: float | None
    municipality_share: float | None
    fair_share: float | None
    warning: bool
    over_time: list[dict[str, Any]]


@router.get(
    "/partnerships/{partnership_id}/power-balance",
    response=PowerBalanceOut,
    summary="Who sets the agenda, proposes, decides and contributes, by sector (docs/power-balance.md)",
)
def partnership_power_balance(request: HttpRequest, partnership_id: int) -> dict[str, Any]:
    partnership = get_partnership_for(caller(request), partnership_id)
    events = events_for([partnership])
    balance = power_balance(events, member_sectors([partnership]))
    return {
        "applies": not partnership.voices_are_people,
        **balance.__dict__,
        "over_time": [{"month": m, "shares": s, "initiatives": t} for m, s, t in initiative_over_time(events)],
    }


class NetworkActorOut(Schema):
    id: int
    name: str
    sector: str
    member: bool = Field(..., description="A member actor of this partnership")


class TieOut(Schema):
    actors: tuple[int, int]
    bridging: bool = Field(..., description="Across two sectors (bridging); within one, bonding")
    first: str = Field(..., description="The day of the pair's first tie, YYYY-MM-DD")
    new: bool = Field(..., description="First tied on or after the day the partnership started")
    weight: float


class NetworkOut(Schema):
    applies: bool = Field(
        ..., description="False for employee involvement: one organisation is one actor, with no ties to draw"
    )
    started: str = Field(..., description="The day the partnership started, YYYY-MM-DD")
    partnerships_counted: list[int] = Field(
        ..., description="The other partnerships the caller may read whose ties are counted; nothing from others"
    )
    actors: list[NetworkActorOut]
    ties: list[TieOut]
    by_quarter: list[dict[str, Any]] = Field(..., description='New ties per quarter ("2026-Q1"), by kind')


@router.get(
    "/partnerships/{partnership_id}/network",
    response=NetworkOut,
    summary="The partnership's collaboration network: its member actors, the ties among them and to the actors they "
    "work with in the other partnerships the caller may read, bridging or bonding, and new since it started",
)
def partnership_network_api(request: HttpRequest, partnership_id: int) -> dict[str, Any]:
    user = caller(request)
    partnership = get_partnership_for(user, partnership_id)
    net = partnership_network(partnership, user)
    graph = net.panel.graph
    sector = dict(graph.nodes(data="sector"))
    return {
        "applies": not partnership.voices_are_people,
        "started": net.start.isoformat(),
        "partnerships_counted": [p.pk for p in net.elsewhere],
        "actors": [
            {
                "id": node,
                "name": net.panel.names.get(node, str(node)),
                "sector": sector[node],
                "member": node in net.members,
            }
            for node in sorted(graph.nodes, key=str)
        ],
        "ties": [
            {
                "actors": (a, b),
                "bridging": sector[a] != sector[b],
                "first": first.isoformat(),
                "new": first >= net.start,
                "weight": weight,
            }
            for a, b, first, weight in sorted(
                (min(a, b), max(a, b), d["first"], d["weight"]) for a, b, d in graph.edges(data=True)
            )
        ],
        "by_quarter": [
            {"quarter": q.quarter, "bridging": q.bridging, "bonding": q.bonding} for q in net.panel.quarters
        ],
    }
