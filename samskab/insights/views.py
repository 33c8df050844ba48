from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from samskab.actors.models import Actor, Sector
from samskab.partnerships.models import Partnership
from samskab.partnerships.permissions import get_partnership_for

from .charts import line_chart
from .events import events_for, member_sectors
from .power import METRICS, SECTORS, initiative_over_time, power_balance

METRIC_LABELS = {
    "agenda_items": _("Agenda items raised"),
    "statements": _("Statements written"),
    "proposals": _("Proposals made"),
    "decisions": _("Decisions initiated"),
    "objections": _("Objections raised"),
    "actions_owned": _("Actions owned"),
    "pledges": _("Resources pledged"),
    "meetings_attended": _("Meetings attended"),
}


def _context(partnerships: list[Partnership]) -> dict:
    events = events_for(partnerships)
    balance = power_balance(events, member_sectors(partnerships))
    labels = dict(Sector.choices)
    rows = [
        {
            "metric": str(METRIC_LABELS[m]),
            "shares": [round(100 * balance.shares[m][s]) for s in SECTORS],
            "total": sum(balance.counts[m].values()),
        }
        for m in METRICS
    ]
    series = initiative_over_time(events)
    chart = line_chart(
        [month for month, _s, _t in series],
        [(str(labels[s]), [shares[s] for _m, shares, _t in series]) for s in SECTORS],
        title=_("Share of the initiative by sector over time"),
        description=_("Cumulative share of agenda items, proposals and decisions by sector, month by month."),
    )
    return {
        "balance": balance,
        "rows": rows,
        "sector_labels": [labels[s] for s in SECTORS],
        "series": [(month, [round(100 * shares[s]) for s in SECTORS], total) for month, shares, total in series],
        "chart": chart,
        "municipality_share": None if balance.municipality_share is None else round(100 * balance.municipality_share),
        "fair_share": None if balance.fair_share is None else round(100 * balance.fair_share),
        "evenness": None if balance.evenness is None else round(balance.evenness, 2),
    }


def partnership_power_balance(request: HttpRequest, pk: int) -> HttpResponse:
    """Visible to everyone who may see the partnership, so never only to the municipality."""
    partnership = get_partnership_for(request.user, pk)
    context = _context([partnership]) | {
        "partnership": partnership,
        "section": "power",
        "is_member": partnership.has_member_user(request.user),
    }
    return render(request, "insights/power_balance.html", context)


def portfolio_power_balance(request: HttpRequest) -> HttpResponse:
    """The same view across all the municipality's partnerships, for people in its municipal actors."""
    municipal = Actor.objects.of_user(request.user).filter(sector=Sector.MUNICIPALITY).first()
    if municipal is None:
        raise PermissionDenied
    partnerships = list(
        Partnership.objects.filter(members__actor__municipality_id=municipal.municipality_id).distinct()
    )
    context = _context(partnerships) | {"municipality": municipal.municipality, "partnerships": partnerships}
    return render(request, "insights/portfolio_power_balance.html", context)
