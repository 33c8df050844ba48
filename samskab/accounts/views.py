from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samskab.lib.http import AuthenticatedRequest

from . import personal_data, services
from .forms import ApiTokenForm, DeleteAccountForm


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if form.is_valid():
        _token, new_key = services.create_api_token(user=request.user, **form.cleaned_data)
        form = ApiTokenForm()
    context = {
        "memberships": request.user.actor_memberships.select_related("actor"),
        "tokens": request.user.api_tokens.all(),
        "form": form,
        "new_key": new_key,
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def revoke_token(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    if not services.revoke_api_token(user=request.user, token_id=pk):
        raise Http404
    messages.success(request, _("The API key has been revoked."))
    return redirect("accounts:profile")


@login_required
def notifications(request: AuthenticatedRequest) -> HttpResponse:
    """The in-app notifications, and per kind whether they come by email at once, as a digest, or not."""
    from .models import NotificationKind, NotificationPreference

    if request.method == "POST":
        for kind in NotificationKind.values:
            choice = request.POST.get(f"email-{kind}")
            if choice in NotificationPreference.Email.values:
                NotificationPreference.objects.update_or_create(
                    user=request.user, kind=kind, defaults={"email": choice}
                )
        request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
        messages.success(request, _("Your choices are saved."))
        return redirect("accounts:notifications")
    prefs = dict(request.user.notification_preferences.values_list("kind", "email"))
    context = {
        "items": request.user.notifications.all()[:50],
        "kinds": [
            (kind, label, prefs.get(kind, NotificationPreference.Email.IMMEDIATE))
            for kind, label in NotificationKind.choices
        ],
        "email_choices": NotificationPreference.Email.choices,
    }
    return render(request, "accounts/notifications.html", context)


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One click from an email turns off that kind of email; no login needed (the link is signed)."""
    from .models import NotificationKind
    from .notifications import unsubscribe as do_unsubscribe

    result = do_unsubscribe(token)
    label = dict(NotificationKind.choices).get(result[1]) if result else None
    return render(request, "accounts/unsubscribed.html", {"ok": result is not None, "label": label})


@login_required
def download_data(request: AuthenticatedRequest) -> HttpResponse:
    """Everything Samskab holds about the person, as JSON."""
    response = HttpResponse(personal_data.export(request.user), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mine-data-samskab.json"'
    return response


@login_required
def delete_account(request: AuthenticatedRequest) -> HttpResponse:
    """Delete the account after the password is confirmed; contributions stay, anonymised."""
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if form.is_valid():
        personal_data.delete_account(request.user)
        logout(request)
        messages.success(request, _("Your account has been deleted. What you contributed stays, without your name."))
        return redirect("home")
    context = {
        "form": form,
        "title": _("Delete my account"),
        "intro": _(
            "Your login, your memberships of actors and your notifications are deleted. What you contributed "
            "(challenges, statements, votes, decisions) stays, no longer linked to you; if you took part as a "
            "citizen actor of your own, it becomes an anonymous citizen. Download your data first if you want it."
        ),
        "submit": _("Delete my account for good"),
    }
    return render(request, "form_page.html", context)
