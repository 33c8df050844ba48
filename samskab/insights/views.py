from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samskab.partnerships.permissions import get_partnership_for

from .dashboard import portfolio_for, power_context


def partnership_power_balance(request: HttpRequest, pk: int) -> HttpResponse:
    """Visible to everyone who may see the partnership, so never only to the municipality."""
    partnership = get_partnership_for(request.user, pk)
    context = power_context([partnership]) | {
        "partnership": partnership,
        "section": "power",
        "is_member": partnership.has_member_user(request.user),
    }
    return render(request, "insights/power_balance.html", context)


@login_required
def portfolio_power_balance(request: HttpRequest) -> HttpResponse:
    """The same view across all the municipality's partnerships, for people in its municipal actors."""
    portfolio = portfolio_for(request.user)
    context = portfolio.power | {"municipality": portfolio.municipality, "partnerships": portfolio.partnerships}
    return render(request, "insights/portfolio_power_balance.html", context)
