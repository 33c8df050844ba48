from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samskab.actors.models import Membership

from . import services
from .forms import ApiTokenForm


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if form.is_valid():
        _token, new_key = services.create_api_token(user=request.user, **form.cleaned_data)
        form = ApiTokenForm()
    context = {
        "memberships": Membership.objects.filter(user=request.user).select_related("actor"),
        "tokens": request.user.api_tokens.all(),
        "form": form,
        "new_key": new_key,
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    services.revoke_api_token(user=request.user, token_id=pk)
    messages.success(request, _("The API key has been revoked."))
    return redirect("accounts:profile")
