from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Model, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samskab.accounts.models import User
from samskab.lib.forms import apply_service
from samskab.lib.http import AuthenticatedRequest, HtmxRequest
from samskab.lib.pagination import CountedPaginator

from . import claims, page, services
from .forms import (
    ActorForm,
    CitizenEditForm,
    CitizenForm,
    DirectoryForm,
    InvitePersonForm,
    NeedForm,
    NewActorForm,
    ResourceForm,
)
from .geocoding import GeocoderUnavailable, get_geocoder
from .models import Actor, ActorClaim, ActorInvitation, Membership, MunicipalAdministrator, Need, Resource, Sector
from .permissions import get_actor_for

PAGE_SIZE = 20


def directory(request: HtmxRequest) -> HttpResponse:
    form = DirectoryForm(request.GET or None)
    filters = form.filters()
    if filters is None:  # the errors are shown instead of a list that ignores the wrong filter
        actors, fuzzy = Actor.objects.none(), False
    else:
        actors, fuzzy = Actor.objects.for_directory().search(**filters)
        if filters.get("need_kind"):  # each card says what the actor needs of that kind: why it was found
            needs = Need.objects.filter(kind=filters["need_kind"]).order_by("pk")
            actors = actors.prefetch_related(Prefetch("needs", queryset=needs, to_attr="matched_needs"))
    page = CountedPaginator(actors, PAGE_SIZE).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "fuzzy": fuzzy,
        "may_import": request.user.is_authenticated
        and MunicipalAdministrator.objects.filter(user=request.user).exists(),
    }
    template = "actors/directory.html#results" if request.htmx else "actors/directory.html"
    return render(request, template, context)


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    actor = get_actor_for(request.user, slug)
    if actor.anonymised_at is not None:
        # A citizen left behind by a deleted account: its contributions stay where they were made, but a page
        # gathering them all would let anyone who knew one of them find the rest (pseudonymous, not anonymous).
        raise Http404
    is_admin = actor.is_admin(request.user)
    people = actor.memberships.select_related("user").order_by("role", "user__name")
    context = {
        "actor": actor,
        "is_admin": is_admin,
        "is_colleague": Actor.objects.with_colleague(request.user).filter(pk=actor.pk).exists(),
        "resources": actor.resources.all(),
        "needs": actor.needs.all(),
        # Colleagues, who take part only in the actor's own processes, are the administrators' to see: to anyone
        # else they are not the actor, and a process may keep its people's names to its members.
        "people": people if is_admin else people.filter(role__in=Membership.ACTING),
        "sections": page.sections_for(actor, request.user),
        "waiting": actor.invitations.pending() if is_admin else [],
        "sees_private": is_admin,
        **_claims(actor, request.user),
    }
    return render(request, "actors/detail.html", context)


def _claims(actor: Actor, user: User | AnonymousUser) -> dict[str, object]:
    """For an actor nobody administers: the visitor's own request to take it over, and, to the municipality's
    administrators, the requests waiting for their answer and what the register said of it (its private fields:
    they imported them)."""
    if not claims.claimable(actor):
        return {"claimable": False}
    pending = actor.claims.filter(status=ActorClaim.Status.PENDING).select_related("user")
    municipal = claims.answers_for(actor, user)
    return {
        "claimable": True,
        "sees_private": municipal,
        "my_claim": pending.filter(user=user).first() if user.is_authenticated else None,
        # Asked a moment ago (withdrawn or refused since): when the button comes back, said instead of it.
        "ask_again_from": claims.ask_again_from(actor, user) if user.is_authenticated else None,
        "claims_to_answer": list(pending) if municipal else [],
    }


def _changed_meanwhile(form: forms.BaseForm, saved: Model, names: list[str]) -> list[tuple[str, str]]:
    """The fields someone else saved while the form was open, as they are saved now: (label, value as shown)."""
    rows = []
    for name in names:
        field = form.fields.get(name)
        if field is None:
            continue
        value = getattr(saved, name)
        display = getattr(saved, f"get_{name}_display", None)
        if name == "themes":
            shown = ", ".join(theme.name for theme in value.all())
        elif name == "public_fields":
            shown = ", ".join(str(dict(Actor.PublicField.choices).get(v, v)) for v in value)
        elif display is not None:
            shown = str(display())
        elif isinstance(value, bool):
            shown = _("Yes") if value else _("No")
        elif value is None:
            shown = ""
        else:
            shown = str(localize(value))
        rows.append((str(field.label), shown or "—"))
    return rows


@login_required
def create(request: AuthenticatedRequest) -> HttpResponse:
    """An organisation, or with ?som=borger the person's own citizen profile (`CitizenForm`)."""
    as_citizen = request.GET.get("som") == "borger"
    if as_citizen:
        mine = Actor.objects.administered_by(request.user).filter(sector=Sector.CITIZEN, anonymised_at=None).first()
        if mine is not None:  # one person, one citizen
            messages.info(request, _("You are on Samskab as a citizen already: %(name)s.") % {"name": mine.name})
            return redirect(mine)
    form = (CitizenForm if as_citizen else NewActorForm)(request.POST or None, user=request.user)
    if form.is_valid():
        data = dict(form.cleaned_data)
        sector, themes = data.pop("sector"), data.pop("themes")
        actor = apply_service(
            form, lambda _d: services.create_actor(user=request.user, sector=sector, themes=themes, **data)
        )
        if actor is not None:
            if actor.sector == Sector.CITIZEN:
                messages.success(request, _("Your citizen profile is made: it is you on Samskab."))
            else:
                messages.success(
                    request, _("%(name)s has been created. You are its administrator.") % {"name": actor.name}
                )
                _place_on_map(request, actor)
            return redirect(actor)
    if as_citizen:
        context = {
            "form": form,
            "title": _("Take part as yourself"),
            "intro": _(
                "As a citizen you take part in partnerships and conversations in your own name. You are one citizen: "
                "a person has one citizen profile."
            ),
            "submit": _("Make my profile"),
        }
        return render(request, "form_page.html", context)
    context = {"form": form, "title": _("Create an actor"), "submit": _("Create"), "map_pin": True}
    return render(request, "form_page.html", context)


def _place_on_map(request: AuthenticatedRequest, actor: Actor) -> None:
    """Look the address up when no pin was given and the address service is configured; never required. Not for a
    citizen, who is not put on the map."""
    if actor.latitude is not None or not actor.address or actor.sector == Sector.CITIZEN:
        return
    geocoder = get_geocoder()
    if geocoder is None:  # nothing looks the address up: say what a missing pin means
        messages.warning(
            request,
            _(
                "%(name)s is not on the map, and searches for actors near a place do not find it, until it has a pin. "
                "Set it on the map under Edit profile."
            )
            % {"name": actor.name},
        )
        return
    try:
        point = geocoder.geocode(actor.address)
    except GeocoderUnavailable:
        messages.warning(
            request, _("The address service did not answer. Set the pin by hand (latitude and longitude).")
        )
        return
    if point is None:
        messages.warning(request, _("The address was not found. Set the pin by hand (latitude and longitude)."))
        return
    services.update_actor(actor=actor, user=request.user, latitude=point.latitude, longitude=point.longitude)


@login_required
def edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    actor = get_actor_for(request.user, slug, admin=True)
    name = actor.name  # as saved: validating the form writes what was typed onto `actor`
    citizen = actor.sector == Sector.CITIZEN
    form = (CitizenEditForm if citizen else ActorForm)(
        request.POST or None, instance=actor, initial={"seen": services.version(services.actor_values(actor))}
    )
    if actor.sector == Sector.MUNICIPALITY:
        form.fields["municipality"].disabled = True
        form.fields["municipality"].help_text = _("A municipal actor stays in its municipality.")
    if form.is_valid():
        data = dict(form.cleaned_data)
        themes, seen = data.pop("themes"), data.pop("seen")
        updated = apply_service(
            form,
            lambda _d: services.update_actor(actor=actor, user=request.user, themes=themes, seen=seen, **data),
        )
        if updated is not None:
            messages.success(request, _("The changes have been saved."))
            _place_on_map(request, updated)
            return redirect(updated)
    changed = []
    if form.has_error(NON_FIELD_ERRORS, "edited_meanwhile"):
        saved = Actor.objects.get(pk=actor.pk)
        changed = _changed_meanwhile(
            form, saved, services.changed_since(request.POST.get("seen", ""), services.actor_values(saved))
        )
    context = {
        "form": form,
        "changed": changed,
        "name": name,
        "title": _("Edit your citizen profile") if citizen else _("Edit %(name)s") % {"name": name},
        "submit": _("Save"),
        "cancel": actor,
        "map_pin": "latitude" in form.fields,
    }
    return render(request, "actors/edit.html", context)


@login_required
def resource_form(request: AuthenticatedRequest, slug: str, pk: int | None = None) -> HttpResponse:
    actor = get_actor_for(request.user, slug, admin=True)
    resource = get_object_or_404(Resource, pk=pk, actor=actor) if pk else Resource(actor=actor)
    initial = {"seen": services.version(services.resource_values(resource))} if pk else None
    form = ResourceForm(request.POST or None, instance=resource, initial=initial)
    saved = apply_service(
        form,
        lambda data: services.save_resource(
            actor=actor, user=request.user, resource=form.save(commit=False), seen=data["seen"] if pk else None
        ),
    )
    if saved is not None:
        messages.success(request, _("The resource has been saved."))
        return redirect(actor)
    changed = []
    if pk and form.has_error(NON_FIELD_ERRORS, "edited_meanwhile"):
        now = Resource.objects.get(pk=pk)
        changed = _changed_meanwhile(
            form, now, services.changed_since(request.POST.get("seen", ""), services.resource_values(now))
        )
    title = _("Edit resource") if pk else _("What can %(name)s offer?") % {"name": actor.name}
    context = {
        "form": form,
        "changed": changed,
        "name": actor.name,
        "title": title,
        "submit": _("Save"),
        "cancel": actor,
    }
    return render(request, "actors/edit.html", context)


@login_required
@require_POST
def resource_delete(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    actor = get_actor_for(request.user, slug, admin=True)
    services.delete_resource(resource=get_object_or_404(Resource, pk=pk, actor=actor), user=request.user)
    messages.success(request, _("The resource has been removed."))
    return redirect(actor)


@login_required
def need_form(request: AuthenticatedRequest, slug: str, pk: int | None = None) -> HttpResponse:
    actor = get_actor_for(request.user, slug, admin=True)
    need = get_object_or_404(Need, pk=pk, actor=actor) if pk else Need(actor=actor)
    initial = {"seen": services.version(services.need_values(need))} if pk else None
    form = NeedForm(request.POST or None, instance=need, initial=initial)
    saved = apply_service(
        form,
        lambda data: services.save_need(
            actor=actor, user=request.user, need=form.save(commit=False), seen=data["seen"] if pk else None
        ),
    )
    if saved is not None:
        messages.success(request, _("The need has been saved."))
        return redirect(actor)
    changed = []
    if pk and form.has_error(NON_FIELD_ERRORS, "edited_meanwhile"):
        now = Need.objects.get(pk=pk)
        changed = _changed_meanwhile(
            form, now, services.changed_since(request.POST.get("seen", ""), services.need_values(now))
        )
    title = _("Edit need") if pk else _("What does %(name)s need?") % {"name": actor.name}
    context = {
        "form": form,
        "changed": changed,
        "name": actor.name,
        "title": title,
        "submit": _("Save"),
        "cancel": actor,
    }
    return render(request, "actors/edit.html", context)


@login_required
@require_POST
def need_delete(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    actor = get_actor_for(request.user, slug, admin=True)
    services.delete_need(need=get_object_or_404(Need, pk=pk, actor=actor), user=request.user)
    messages.success(request, _("The need has been removed."))
    return redirect(actor)


@login_required
def invite_person(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    actor = get_actor_for(request.user, slug, admin=True)
    if actor.sector == Sector.CITIZEN:
        messages.info(request, services.CITIZEN_IS_ONE_PERSON)
        return redirect(actor)
    # An employee-involvement process links here with ?rolle=colleague: its colleagues take part in it, not for the
    # actor elsewhere.
    asked = request.GET.get("rolle", "")
    form = InvitePersonForm(request.POST or None, initial={"role": asked} if asked in Membership.Role.values else None)
    if form.is_valid():
        try:
            services.invite_person(actor=actor, user=request.user, **form.cleaned_data)
        except ValidationError as error:  # already in the actor, or already invited
            form.add_error("email", error)
        else:
            messages.success(request, _("The invitation has been sent to %(email)s.") % form.cleaned_data)
            return redirect(actor)
    title = _("Invite a person to %(name)s") % {"name": actor.name}
    return render(
        request,
        "form_page.html",
        {"form": form, "title": title, "submit": _("Send invitation"), "cancel": actor},
    )


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation email. Someone without an account is asked to sign up with the invited
    address; the invitation then waits for them on My page as well."""
    invitation = get_object_or_404(
        ActorInvitation.objects.select_related("actor", "invited_by"), token_hash=ActorInvitation.hash_token(token)
    )
    if not request.user.is_authenticated:
        return render(request, "actors/accept_invitation.html", {"invitation": invitation, "anonymous": True})
    if not invitation.is_for(request.user):
        messages.error(
            request,
            _("This invitation was sent to %(email)s. Log in with that address to accept it.")
            % {"email": invitation.email},
        )
        return redirect("home")
    if request.method == "POST":
        return _joined(request, services.accept_person_invitation(invitation=invitation, user=request.user))
    return render(request, "actors/accept_invitation.html", {"invitation": invitation})


@login_required
@require_POST
def accept_waiting_invitation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Accepting from My page, where a waiting invitation is shown to the person it was sent to."""
    invitation = get_object_or_404(ActorInvitation.objects.select_related("actor"), pk=pk)
    if not invitation.is_for(request.user):
        raise Http404
    return _joined(request, services.accept_person_invitation(invitation=invitation, user=request.user))


def _joined(request: HttpRequest, membership: Membership) -> HttpResponse:
    """To the actor's page, told what the person now is: a colleague finds the staff's processes listed there."""
    names = {"name": membership.actor.name}
    if membership.role == Membership.Role.COLLEAGUE:
        text = _(
            "You are now a colleague at %(name)s: you take part in its own processes for the staff, listed under "
            "Partnerships below, with a voice of your own."
        )
    else:
        text = _("You are now part of %(name)s.")
    messages.success(request, text % names)
    return redirect(membership.actor)


@login_required
@require_POST
def set_role(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """A colleague lets act for the actor, or a member kept to the actor's own processes."""
    actor = get_actor_for(request.user, slug, admin=True)
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk, actor=actor)
    role = request.POST.get("role", "")
    if role not in (Membership.Role.MEMBER, Membership.Role.COLLEAGUE):
        raise PermissionDenied
    services.set_role(actor=actor, user=request.user, membership=membership, role=role)
    if role == Membership.Role.MEMBER:
        text = _("%(person)s is now a member and acts for %(name)s in its partnerships.")
    else:
        text = _("%(person)s is now a colleague and takes part only in the workplace's own processes.")
    messages.success(request, text % {"person": membership.user.name or membership.user.email, "name": actor})
    return redirect(f"{actor.get_absolute_url()}#personer")  # back where the person was changed


@login_required
@require_POST
def withdraw_invitation(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """An administrator takes back an invitation nobody has accepted yet: its link stops working."""
    actor = get_actor_for(request.user, slug, admin=True)
    invitation = get_object_or_404(ActorInvitation, pk=pk, actor=actor)
    if services.withdraw_person_invitation(actor=actor, user=request.user, invitation=invitation):
        messages.success(request, _("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email})
    else:
        messages.info(request, _("%(email)s had already accepted the invitation.") % {"email": invitation.email})
    return redirect(f"{actor.get_absolute_url()}#personer")  # back where the person was changed


@login_required
@require_POST
def make_admin(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    actor = get_actor_for(request.user, slug, admin=True)
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk, actor=actor)
    services.make_admin(actor=actor, user=request.user, membership=membership)
    messages.success(
        request, _("%(person)s is now an administrator of %(name)s.") % {"person": membership.user, "name": actor}
    )
    return redirect(f"{actor.get_absolute_url()}#personer")  # back where the person was changed
