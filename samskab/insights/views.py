from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samskab.partnerships.models import Partnership
from samskab.partnerships.permissions import get_partnership_for

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
