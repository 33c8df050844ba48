"""Asking to take part in a public partnership, and the members' answer (`services.joining`).

Every view reads: fetch with permission → validate → call a service → render. Any member answers; nothing here looks
at an actor's sector.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from samskab.actors.models import Sector
from samskab.lib.forms import apply_service
from samskab.lib.http import AuthenticatedRequest

from .. import services
from ..forms import JoinAnswerForm, JoinRequestForm
from ..models import JoinRequest
from ..permissions import get_partnership_for
from ..services.joining import actors_who_may_ask, join_requests_url


@login_required
def ask_to_join(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """An actor's administrators ask for it to take part; the page says what the members will see."""
    partnership = get_partnership_for(request.user, pk)
    actors = actors_who_may_ask(request.user, partnership)
    if not actors.exists():
        messages.info(request, _("None of the actors you administer can ask to take part in this partnership now."))
        return redirect(partnership)
    form = JoinRequestForm(request.POST or None)
    form.set_actors(actors)
    as_citizen = not actors.exclude(sector=Sector.CITIZEN).exists()  # the person themself: "you", not "your actor"
    if as_citizen:
        form.fields["message"].label = _("What would you bring?")
        form.fields["message"].help_text = pgettext(
            "a citizen, one person",
            "The members read it when they decide: what you can offer, and why this partnership.",
        )
    if apply_service(
        form,
        lambda d: services.ask_to_join(
            user=request.user, partnership=partnership, actor=d["actor"], message=d["message"]
        ),
    ):
        sent = (
            _("Your request is sent. The members are told, and any of them can let you in.")
            if as_citizen
            else _("Your request is sent. The members are told, and any of them can let your actor in.")
        )
        messages.success(request, sent)
        return redirect(partnership)
    context = {
        "form": form,
        "title": _("Ask to take part in “%(title)s”") % {"title": partnership.title},
        "intro": _(
            "Every member has one voice and the same rights, whatever its sector, a citizen's too. Say what you would "
            "bring: any member can let you in, or say why not."
        )
        if as_citizen
        else _(
            "Every member actor has one voice and the same rights, whatever its sector. Say what your actor would "
            "bring: any member can let it in, or say why not."
        ),
        "submit": _("Ask to take part"),
        "cancel": partnership,
    }
    return render(request, "form_page.html", context)


@login_required
def answer_join_request(request: AuthenticatedRequest, pk: int, request_pk: int) -> HttpResponse:
    """Any member who speaks for a member actor lets the asking actor in, or says why not."""
    partnership = get_partnership_for(request.user, pk, write=True)
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("actor"), pk=request_pk, partnership=partnership
    )
    if join_request.status != JoinRequest.Status.PENDING:
        messages.info(
            request,
            _("The request has already been answered: %(status)s.") % {"status": join_request.get_status_display()},
        )
        return redirect(join_requests_url(partnership))
    form = JoinAnswerForm(request.POST or None)
    form.set_actors(partnership.actors_acted_for(request.user))
    if answered := apply_service(
        form,
        lambda d: services.answer_join_request(
            user=request.user,
            request=join_request,
            by_actor=d["actor"],
            accept=d["answer"] == "accept",
            reason=d["reason"],
        ),
    ):
        if answered.status == JoinRequest.Status.ACCEPTED:
            messages.success(request, _("%(actor)s is a member now.") % {"actor": answered.actor.name})
        else:
            messages.info(request, _("%(actor)s is told why not.") % {"actor": answered.actor.name})
        return redirect(join_requests_url(partnership))
    context = {
        "form": form,
        "join_request": join_request,
        "title": _("%(name)s asks to take part") % {"name": join_request.actor.name},
        "intro": _(
            "Let it into “%(title)s” as an equal member, or say why not. Any member may answer; the actor that asked "
            "is told either way."
        )
        % {"title": partnership.title},
        "submit": _("Send the answer"),
        "cancel": partnership,
        "cancel_url": join_requests_url(partnership),
    }
    return render(request, "partnerships/join_request.html", context)


@login_required
@require_POST
def withdraw_join_request(request: AuthenticatedRequest, pk: int, request_pk: int) -> HttpResponse:
    """The asking actor's administrators withdraw their request while it waits."""
    partnership = get_partnership_for(request.user, pk)
    join_request = get_object_or_404(JoinRequest, pk=request_pk, partnership=partnership)
    if not join_request.actor.is_admin(request.user):
        raise Http404
    services.withdraw_join_request(user=request.user, request=join_request)
    messages.info(request, _("Your request to take part is withdrawn."))
    return redirect(partnership)
