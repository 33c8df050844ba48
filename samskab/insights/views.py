from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from samskab.lib.tables import tabular_response
from samskab.partnerships.models import Partnership
from samskab.partnerships.permissions import get_partnership_for

from . import partnership_network as partnership_networks
from .dashboard import portfolio_for, power_context


def partnership_power_balance(request: HttpRequest, pk: int) -> HttpResponse:
    """Visible to everyone who may see the partnership, so never only to the municipality. An employee-involvement
    process has one organisation and so one sector: the page says what its balance is about instead of showing
    shares between sectors that would say nothing."""
    partnership = get_partnership_for(request.user, pk)
    internal = partnership.kind == Partnership.Kind.EMPLOYEE_INVOLVEMENT
    context = ({} if internal else power_context([partnership])) | {
        "partnership": partnership,
        "internal": internal,
        "section": "power",
        "is_member": partnership.has_member_user(request.user),
    }
    return render(request, "insights/power_balance.html", context)


def partnership_network(request: HttpRequest, pk: int) -> HttpResponse:
    """Who the partnership's members work with, for everyone who may read the partnership (as its power balance),
    from the partnerships the reader may read (`partnership_network.partnership_network`). An employee-involvement
    process has one member actor: the page says what the network is about instead of drawing one mark."""
    partnership = get_partnership_for(request.user, pk)
    context: dict[str, object] = {"partnership": partnership, "section": "network"}
    if partnership.kind == Partnership.Kind.EMPLOYEE_INVOLVEMENT:
        return render(request, "insights/partnership_network.html", context | {"internal": True})
    found = partnership_networks.partnership_network(partnership, request.user)
    context |= {
        "network": found,
        "panel": found.panel,
        "svg": found.svg(),
        "quarters_chart": found.panel.quarters_chart(),
        "tables": [(name, build(found)) for name, build in partnership_networks.SHEETS.items()],
    }
    return render(request, "insights/partnership_network.html", context)


def partnership_network_export(request: HttpRequest, pk: int, table: str, fmt: str) -> HttpResponse:
    """One table of the partnership's network page as CSV or XLSX, for whoever may read the page."""
    partnership = get_partnership_for(request.user, pk)
    if table not in partnership_networks.SHEETS or partnership.kind == Partnership.Kind.EMPLOYEE_INVOLVEMENT:
        raise Http404
    sheet = partnership_networks.SHEETS[table](partnership_networks.partnership_network(partnership, request.user))
    return tabular_response(fmt, f"partnerskab-{partnership.pk}-{table}", [sheet])


@login_required
def portfolio_power_balance(request: HttpRequest) -> HttpResponse:
    """The same view across the municipality's co-creation partnerships that the person may read, for the
    administrators of its own actors (`dashboard.portfolio_for`); its employee-involvement processes are counted
    apart."""
    portfolio = portfolio_for(request.user)
    context = portfolio.power | {
        "municipality": portfolio.municipality,
        "partnerships": portfolio.co_creation,
        "left_out": portfolio.left_out,
        "employee_involvement": portfolio.employee_involvement,
    }
    return render(request, "insights/portfolio_power_balance.html", context)
