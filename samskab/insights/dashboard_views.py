"""The municipality's dashboard and collaboration network: pages, downloads and the read-only API.

Only for people in a municipal actor (as the portfolio power balance). Every figure is drawn beside a table
with the same numbers, and every table downloads as CSV and XLSX.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError

from samskab.accounts.api import caller
from samskab.lib.http import AuthenticatedRequest
from samskab.lib.tables import Sheet, tabular_response
from samskab.surveys.api import results_payload

from . import dashboard

SURVEYS_SHEET = "maalinger"


@login_required
def municipality_dashboard(request: AuthenticatedRequest) -> HttpResponse:
    portfolio = dashboard.portfolio_for(request.user)
    context = portfolio.power | {
        "municipality": portfolio.municipality,
        "partnerships": portfolio.co_creation,
        "hidden_partnerships": dashboard.hidden_co_creation(portfolio),
        "employee_involvement": portfolio.employee_involvement,
        "employee_involvement_visible": portfolio.employee_involvement_visible,
        "all_sectors": dashboard.all_sectors_count(portfolio),
        "tables": [
            ("faser", dashboard.phases_sheet(portfolio)),
            ("sektorer", dashboard.sectors_sheet(portfolio)),
            ("tilsagn", dashboard.pledges_sheet(portfolio)),
        ],
        "power_sheets": [
            ("magtbalance", dashboard.power_sheet(portfolio)),
            ("magtbalance-over-tid", dashboard.power_over_time_sheet(portfolio)),
        ],
        "survey_panels": dashboard.survey_panels(portfolio),
        "network": portfolio.network,
    }
    return render(request, "insights/dashboard.html", context)


@login_required
def collaboration_network(request: AuthenticatedRequest) -> HttpResponse:
    portfolio = dashboard.portfolio_for(request.user)
    panel = portfolio.network
    context = {
        "municipality": portfolio.municipality,
        "hidden_partnerships": dashboard.hidden_co_creation(portfolio),
        "network": panel,
        "svg": panel.svg(),
        "quarters_chart": panel.quarters_chart(),
        "tables": [
            ("netvaerk-aktoerer", panel.actors_sheet),
            ("netvaerk-baand", panel.ties_sheet),
            ("netvaerk-kvartaler", panel.quarters_sheet),
        ],
    }
    return render(request, "insights/network.html", context)


@login_required
def dashboard_export(request: AuthenticatedRequest, table: str, fmt: str) -> HttpResponse:
    if table not in dashboard.SHEETS:
        raise Http404
    portfolio = dashboard.portfolio_for(request.user)
    sheet = dashboard.SHEETS[table](portfolio)
    return tabular_response(fmt, f"{portfolio.municipality.code}-{table}", [sheet])


# --- the API ----------------------------------------------------------------------------------------------

api_router = Router(tags=["municipality dashboard"])


def _portfolio(request: HttpRequest) -> dashboard.Portfolio:
    try:
        return dashboard.portfolio_for(caller(request))
    except PermissionDenied:
        raise HttpError(403, _("Only people in one of the municipality's own actors see its dashboard.")) from None


def _sheet(sheet: Sheet) -> dict[str, Any]:
    return {"title": sheet.title, "headers": list(sheet.headers), "rows": [list(row) for row in sheet.rows]}


@api_router.get("/dashboard", summary="The municipality's dashboard: every aggregate as a table")
def api_dashboard(request: HttpRequest) -> dict[str, Any]:
    """The tables of the dashboard page, plus each visible survey's safe results (as /surveys/{id}/results).
    `partnerships` counts the co-creation partnerships, which the power balance, sector, pledge and network
    tables cover; the internal employee-involvement processes are counted apart."""
    portfolio = _portfolio(request)
    tables = {name: _sheet(build(portfolio)) for name, build in dashboard.SHEETS.items() if name != SURVEYS_SHEET}
    return {
        "municipality": portfolio.municipality.code,
        "partnerships": len(portfolio.co_creation),
        "employee_involvement_processes": len(portfolio.employee_involvement),
        "tables": tables,
        "surveys": [results_payload(panel.results) for panel in dashboard.survey_panels(portfolio)],
    }


@api_router.get("/network", summary="The collaboration network: actors, ties and measures")
def api_network(request: HttpRequest) -> dict[str, Any]:
    portfolio = _portfolio(request)
    panel = portfolio.network
    broker = panel.broker.scores
    return {
        "actors": [
            {
                "id": node,
                "name": panel.names.get(node, ""),
                "sector": sector,
                "brokerage": round(broker.get(node, 0.0), 4),
            }
            for node, sector in panel.graph.nodes(data="sector")
        ],
        "ties": [
            {
                "a": a,
                "b": b,
                "weight": data["weight"],
                "first": data["first"].isoformat(),
                "bridging": panel.graph.nodes[a]["sector"] != panel.graph.nodes[b]["sector"],
            }
            for a, b, data in panel.graph.edges(data=True)
        ],
        "bridging_share": panel.bridging_share,
        "brokerage_exact": panel.broker.exact,
        "new_ties_per_quarter": [
            {"quarter": q.quarter, "bridging": q.bridging, "bonding": q.bonding} for q in panel.quarters
        ],
    }
