"""The municipality's dashboard and collaboration network: pages, downloads and the read-only API.

Only for the administrators of the municipality's own actors (as the portfolio power balance), and only from
the partnerships they may read (`dashboard.Portfolio`). Every figure is drawn beside a table
with the same numbers, and every table downloads as CSV and XLSX.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from ninja import Router
from ninja.errors import HttpError

from samskab.accounts.api import caller
from samskab.lib.http import AuthenticatedRequest
from samskab.lib.tables import Sheet, tabular_response
from samskab.partnerships.models import Phase
from samskab.surveys.api import results_payload

from . import dashboard

SURVEYS_SHEET = "maalinger"
ROWS_PER_PAGE = 25  # a municipality may have hundreds of partnerships; the download has them all


class PartnershipListForm(forms.Form):
    """The dashboard's list of partnerships: those at work in one phase, the closed ones, or all; and the order
    (GET)."""

    is_filter = True

    phase = forms.ChoiceField(
        label=gettext_lazy("Phase"),
        required=False,
        choices=[("", gettext_lazy("All phases")), *Phase.choices, (dashboard.CLOSED, dashboard.CLOSED_LABEL)],
    )
    order = forms.ChoiceField(
        label=gettext_lazy("Order"),
        required=False,
        choices=[
            ("titel", gettext_lazy("By title")),
            ("aktivitet", gettext_lazy("Latest activity first")),
            ("kommunens-andel", gettext_lazy("The municipality's largest share of the initiative first")),
        ],
    )

    def choices(self) -> dict[str, str]:
        """The valid phase and order; an invalid one is reported on the form and left at its default."""
        valid: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()
            valid = self.cleaned_data
        return {"phase": valid.get("phase") or "", "order": valid.get("order") or "titel"}


@login_required
def municipality_dashboard(request: AuthenticatedRequest) -> HttpResponse:
    portfolio = dashboard.portfolio_for(request.user)
    form = PartnershipListForm(request.GET or None)
    choices = form.choices()
    rows = dashboard.partnership_rows(portfolio, **choices)
    query = request.GET.copy()
    query.pop("side", None)
    context = portfolio.power | {
        "municipality": portfolio.municipality,
        "partnerships": portfolio.co_creation,
        "left_out": portfolio.left_out,
        "list_form": form,
        "closed_only": choices["phase"] == dashboard.CLOSED,
        "page": Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("side")),
        "query": query.urlencode(),
        "employee_involvement": portfolio.employee_involvement,
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
        "left_out": portfolio.left_out,
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
        raise HttpError(403, str(dashboard.LEADERS_ONLY)) from None


def _sheet(sheet: Sheet) -> dict[str, Any]:
    return {"title": sheet.title, "headers": list(sheet.headers), "rows": [list(row) for row in sheet.rows]}


@api_router.get("/dashboard", summary="The municipality's dashboard: every aggregate as a table")
def api_dashboard(request: HttpRequest) -> dict[str, Any]:
    """The tables of the dashboard page, plus each visible survey's safe results (as /surveys/{id}/results).
    Everything comes from the municipality's partnerships the caller may read (public ones, and members-only ones
    they take part in). `partnerships` counts the co-creation partnerships, which the partnership list, the power
    balance, sector, pledge and network tables cover; the internal employee-involvement processes are counted
    apart. `members_only_left_out` counts the members-only partnerships on the municipality's challenges that the
    caller is not part of, as each challenge's page does."""
    portfolio = _portfolio(request)
    tables = {name: _sheet(build(portfolio)) for name, build in dashboard.SHEETS.items() if name != SURVEYS_SHEET}
    return {
        "municipality": portfolio.municipality.code,
        "partnerships": len(portfolio.co_creation),
        "employee_involvement_processes": len(portfolio.employee_involvement),
        "members_only_left_out": portfolio.left_out,
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
