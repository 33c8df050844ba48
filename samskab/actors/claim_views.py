"""Taking over an actor nobody administers: asking, the register address's link, and the municipality's answer
(`claims`).

Every view reads: fetch with permission → validate → call a service → render.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samskab.lib.forms import apply_service
from samskab.lib.http import AuthenticatedRequest

from . import claims
from .forms import ClaimAnswerForm, ClaimForm
from .models import ActorClaim
from .permissions import get_actor_for


@login_required
def claim(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The person asks to administer the actor; the page says who confirms it, and what they will see."""
    actor = get_actor_for(request.user, slug)
    if not claims.claimable(actor):
        if claims.administered(actor):
            messages.info(request, _("%(name)s has an administrator already.") % {"name": actor.name})
        return redirect(actor)
    at_once = bool(actor.contact_email) and claims.has_confirmed(request.user, actor.contact_email)
    form = ClaimForm(request.POST if request.method == "POST" else None)
    if at_once:  # nobody confirms: there is nothing to tell anyone
        del form.fields["message"]
    made = apply_service(
        form, lambda d: claims.claim_actor(actor=actor, user=request.user, message=d.get("message", ""))
    )
    if made is not None:
        if made.status == ActorClaim.Status.ACCEPTED:
            text = _("You administer %(name)s now: your confirmed email is the one in the register.")
        elif made.emailed_to:
            text = _(
                "Your request is sent to the email the register has for %(name)s, and to the municipality. You are "
                "told when there is an answer."
            )
        else:
            text = _("Your request is sent to the municipality's administrators. You are told when they answer.")
        messages.success(request, text % {"name": actor.name})
        return redirect(actor)
    if at_once:
        intro = _(
            "Your confirmed email is the one %(municipality)s Municipality's register has for %(name)s: you take "
            "the profile over at once."
        )
    elif actor.contact_email:
        intro = _(
            "A link goes to the email that %(municipality)s Municipality's register has for %(name)s (%(email)s). "
            "Whoever reads it confirms that you act for %(name)s, or refuses. The email carries your name, your "
            "email address and what you write here. The municipality's administrators on Samskab are told too, and "
            "may confirm it."
        )
    else:
        intro = _(
            "The register has no email for %(name)s, so the administrators of %(municipality)s Municipality on "
            "Samskab confirm that you act for it, or say why not. They see your name, your email address and what "
            "you write here."
        )
    context = {
        "form": form,
        "title": _("Take over %(name)s") % {"name": actor.name},
        "intro": intro
        % {
            "name": actor.name,
            "municipality": actor.municipality.name,
            "email": claims.masked(actor.contact_email),
        },
        "submit": _("Take over the profile") if at_once else _("Ask to take over the profile"),
        "cancel": actor,
    }
    return render(request, "form_page.html", context)


def claim_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link emailed to the register's address. No login: reading that address is the proof. A button, not the
    link itself, answers, so a mail program that opens links answers nothing."""
    found = get_object_or_404(
        ActorClaim.objects.select_related("actor__municipality", "user"), token_hash=ActorClaim.hash_token(token)
    )
    if request.method == "POST":
        answer = request.POST.get("answer")
        if answer not in ("accept", "decline"):
            raise Http404
        try:
            found = claims.answer_by_link(claim=found, accept=answer == "accept")
        except ValidationError:  # answered meanwhile, in another tab or by the municipality
            found.refresh_from_db()
            return render(request, "actors/claim_link.html", {"claim": found, "too_late": True})
        return render(request, "actors/claim_link.html", {"claim": found, "answered": True})
    return render(request, "actors/claim_link.html", {"claim": found})


@login_required
def answer_claim(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """A municipal administrator confirms that the person acts for the actor, or says why not."""
    actor = get_actor_for(request.user, slug)
    if not claims.answers_for(actor, request.user):
        raise Http404
    found = get_object_or_404(ActorClaim.objects.select_related("user"), pk=pk, actor=actor)
    if found.user_id == request.user.pk:
        raise PermissionDenied(claims.NOT_ONE_S_OWN)
    if found.status != ActorClaim.Status.PENDING:  # no form to fill in in vain
        messages.info(request, " ".join(claims.no_longer_waiting(found).messages))
        return redirect(actor)
    form = ClaimAnswerForm(request.POST or None)
    answered = apply_service(
        form,
        lambda d: claims.answer_claim(
            claim=found, user=request.user, accept=d["answer"] == "accept", reason=d["reason"]
        ),
    )
    names = {"person": found.user.name or found.user.email, "name": actor.name}
    if answered is not None:
        if answered.status == ActorClaim.Status.ACCEPTED:
            messages.success(request, _("%(person)s administers %(name)s now.") % names)
        else:
            messages.info(request, _("%(person)s is told why not.") % names)
        return redirect(actor)
    context = {
        "form": form,
        "claim": found,
        "title": _("Does %(person)s act for %(name)s?") % names,
        "intro": _(
            "Nobody administers %(name)s on Samskab. If you confirm, %(person)s will administer its page, invite the "
            "people behind it and answer invitations on its behalf, and the municipality's register no longer "
            "changes it. Other requests waiting for it are then closed."
        )
        % names,
        "submit": _("Send the answer"),
        "cancel": actor,
    }
    return render(request, "actors/claim_answer.html", context)


@login_required
@require_POST
def withdraw_claim(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    actor = get_actor_for(request.user, slug)
    found = get_object_or_404(ActorClaim, pk=pk, actor=actor, user=request.user)
    try:
        claims.withdraw_claim(claim=found, user=request.user)
    except ValidationError as answered:
        messages.info(request, " ".join(answered.messages))
    else:
        messages.info(request, _("Your request to take over %(name)s is withdrawn.") % {"name": actor.name})
    return redirect(actor)
