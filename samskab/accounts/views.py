from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from samskab.lib.http import AuthenticatedRequest

from . import my_page, personal_data, services
from .forms import ApiTokenForm, DeleteAccountForm, NameForm, NotificationChoicesForm, kind_label
from .models import NotificationPreference

NEW_KEY_SESSION_KEY = "samskab_new_api_key"


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    """My page. A new API key is shown once, on the page the creating POST redirects to, so a reload neither
    shows it again nor creates another."""
    form = ApiTokenForm(request.POST or None)
    if form.is_valid():
        _token, key = services.create_api_token(user=request.user, **form.cleaned_data)
        request.session[NEW_KEY_SESSION_KEY] = key
        return redirect("accounts:profile")
    context = {
        "memberships": request.user.actor_memberships.select_related("actor"),
        "sections": my_page.sections_for(request.user),
        "tokens": request.user.api_tokens.all(),
        "form": form,
        "new_key": request.session.pop(NEW_KEY_SESSION_KEY, None),
    }
    return render(request, "accounts/profile.html", context)


@login_required
def change_name(request: AuthenticatedRequest) -> HttpResponse:
    """The person puts right the name their partners see."""
    form = NameForm(request.POST or None, initial={"name": request.user.name})
    if form.is_valid():
        before = request.user.name
        try:
            renamed = services.change_name(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as refusal:
            form.add_error("name", refusal)
        else:
            if request.user.name == before:
                messages.info(request, _("Your name is as it was: nothing changed."))
            elif renamed:
                messages.success(
                    request,
                    _(
                        "Your name is changed, and so is your citizen profile's, the name your partners see on what "
                        "you do as a citizen."
                    ),
                )
            else:
                messages.success(
                    request,
                    _(
                        "Your name is changed. Your partners see it where you act for an actor, beside the actor's "
                        "name."
                    ),
                )
            return redirect("accounts:profile")
    return render(request, "accounts/change_name.html", {"form": form})


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
    current = dict(request.user.notification_preferences.values_list("kind", "email"))
    memberships = request.user.actor_memberships  # its model, not an import: actors builds on accounts
    acts_for_actor = memberships.filter(role__in=memberships.model.ACTING).exists()
    if request.POST.get("do") == "read":  # the list's own button, apart from the email choices
        services.mark_notifications_read(user=request.user)
        messages.success(request, _("Your notifications are marked as read."))
        return redirect("accounts:notifications")
    form = NotificationChoicesForm(request.POST or None, current=current, acts_for_actor=acts_for_actor)
    if form.is_valid():
        services.save_notification_choices(user=request.user, choices=form.cleaned_data)
        messages.success(request, _("Your choices are saved."))
        return redirect("accounts:notifications")
    items = list(request.user.notifications.all()[:50])
    context = {"items": items, "unread": any(n.read_at is None for n in items), "form": form}
    return render(request, "accounts/notifications.html", context)


@csrf_exempt  # the signed token is the authority; a mail program's one-click unsubscribe posts without a form
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an email asks first; the button (or the mail program's one-click unsubscribe, RFC 8058) turns
    that kind of email off. No login needed: the link is signed. Opening the link changes nothing, so a mail
    scanner that follows every link does not unsubscribe anyone."""
    from .notifications import email_preference, unsubscribe_target
    from .notifications import unsubscribe as do_unsubscribe

    if request.method == "POST" and do_unsubscribe(token) is not None:  # reloading the answer sends nothing again
        return redirect("accounts:unsubscribe", token=token)
    target = unsubscribe_target(token)
    context = {
        "ok": target is not None,
        "done": target is not None and email_preference(*target) == NotificationPreference.Email.NONE,
        "label": kind_label(target[1]) if target else None,
    }
    return render(request, "accounts/unsubscribed.html", context)


@login_required
def my_data(request: AuthenticatedRequest) -> HttpResponse:
    """What the download holds, in plain words, and the download itself."""
    return render(request, "accounts/my_data.html")


@login_required
def download_data(request: AuthenticatedRequest) -> HttpResponse:
    """Everything Samskab holds about the person, as JSON."""
    response = HttpResponse(personal_data.export(request.user), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mine-data-samskab.json"'
    return response


@login_required
def delete_account(request: AuthenticatedRequest) -> HttpResponse:
    """Delete the account after the password is confirmed; contributions stay, anonymised. Refused while the
    person is the last administrator of an actor others belong to."""
    obstacles = personal_data.obstacles(request.user)
    blocked = any(obstacle.blocks for obstacle in obstacles)
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if not blocked and form.is_valid():
        try:
            personal_data.delete_account(request.user)
        except personal_data.AccountStillNeeded:
            messages.error(request, _("Your account could not be deleted yet. See why below."))
            return redirect("accounts:delete_account")
        logout(request)
        messages.success(request, _("Your account has been deleted. What you contributed stays, without your name."))
        return redirect("home")
    context = {
        "form": form,
        "blocking": [obstacle for obstacle in obstacles if obstacle.blocks],
        "notes": [obstacle for obstacle in obstacles if not obstacle.blocks],
    }
    return render(request, "accounts/delete_account.html", context)
