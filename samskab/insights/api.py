from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from samskab.accounts.api import caller
from samskab.partnerships.permissions import get_partnership_for

from .events import events_for, member_sectors
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
