"""Every write to actors, memberships, resources and needs goes through these functions."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samskab.lib.forms import AlreadyThere, EditedMeanwhile
from samskab.lib.text import first_alike, unique_slug

from .models import (
    RESERVED_SLUGS,
    Actor,
    ActorInvitation,
    Membership,
    MunicipalAdministrator,
    Need,
    Resource,
    Sector,
    Theme,
)

if TYPE_CHECKING:
    from samskab.accounts.models import User

ACTOR_FIELDS = (
    "name",
    "description",
    "municipality",
    "neighbourhood",
    "address",
    "latitude",
    "longitude",
    "contact_email",
    "contact_phone",
    "website",
    "public_fields",
    "external_id",
    "open_to_suggestions",
)
RESOURCE_FIELDS = ("kind", "title", "description", "quantity", "unit", "availability")
NEED_FIELDS = ("kind", "description")
# How many slugs `save_with_free_slug` tries. An attempt fails only when another actor took its slug in the
# meantime, so this outlasts twenty people creating actors of one name at the same instant.
SLUG_ATTEMPTS = 20


def save_with_free_slug(actor: Actor, text: str) -> None:
    """Save the actor under the first slug made from `text` that no other actor has.

    `unique_slug` looks before the row is written, so two people who create "Samme Navn" at the same instant both
    choose "samme-navn", and the unique index refuses the second. Each attempt runs in a savepoint, so a refusal
    leaves the caller's transaction usable; the next attempt looks again and sees the slug the other transaction
    committed (READ COMMITTED), so it takes the next suffix. Any other IntegrityError is raised."""
    for attempt in range(1, SLUG_ATTEMPTS + 1):
        actor.slug = unique_slug(Actor, text, reserved=RESERVED_SLUGS)
        try:
            with transaction.atomic():
                actor.save()
        except IntegrityError:
            taken = Actor.objects.filter(slug=actor.slug).exclude(pk=actor.pk).exists()
            if not taken or attempt == SLUG_ATTEMPTS:
                raise
        else:
            return


class ChangedMeanwhile(EditedMeanwhile):
    """Someone saved the actor, resource or need after this person opened its form (another administrator, or the
    same person in another window). Nothing is saved: the page shows what changed (`fields`), the form keeps what
    the person typed, and it carries the version saved now (`current`), so saving again replaces it."""

    def __init__(self, fields: list[str], current: str) -> None:
        ValidationError.__init__(
            self,
            _(
                "Changes were saved in another window or by another administrator while you were editing. They are "
                "shown above, and what you typed is kept in the form: combine them, and save again to replace them."
            ),
            code="edited_meanwhile",
        )
        self.fields = fields
        self.current = current


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:10]


def version(values: Mapping[str, object]) -> str:
    """The version of what a form edits, for the form to send back: a digest of each field's saved value.

    Actors, resources and needs keep no time of their last change; comparing the values tells, field by field,
    what someone else saved after the form was opened (`changed_since`)."""
    return ";".join(f"{name}:{_digest(value)}" for name, value in values.items())


def changed_since(seen: str, values: Mapping[str, object]) -> list[str]:
    """The fields whose saved value is no longer the one in the version `seen` (`version`); every field when
    `seen` is no version at all."""
    digests = dict(part.split(":", 1) for part in seen.split(";") if ":" in part)
    return [name for name, value in values.items() if digests.get(name) != _digest(value)]


def actor_values(actor: Actor) -> dict[str, object]:
    """What the actor's form edits, as saved: `version` is taken of these."""
    values: dict[str, object] = {name: getattr(actor, name) for name in ACTOR_FIELDS}
    values["municipality"] = actor.municipality_id
    values["themes"] = sorted(actor.themes.values_list("slug", flat=True))
    return values


def resource_values(resource: Resource) -> dict[str, object]:
    return {name: getattr(resource, name) for name in RESOURCE_FIELDS}


def need_values(need: Need) -> dict[str, object]:
    return {name: getattr(need, name) for name in NEED_FIELDS}


def _check_unchanged(seen: str, values: Mapping[str, object], written: Iterable[str]) -> None:
    """Raise `ChangedMeanwhile` when a field about to be written was saved by someone else after the version the
    person opened (`seen`). Callers that do not edit from a form, such as the demo loader, give no version and
    are not checked."""
    written = set(written)
    changed = [name for name in changed_since(seen, values) if name in written]
    if changed:
        raise ChangedMeanwhile(changed, version(values))


def check_pin(actor: Actor) -> None:
    """Latitude and longitude come together or not at all: half a pin places the actor nowhere, and it would
    keep the address from being looked up."""
    if (actor.latitude is None) == (actor.longitude is None):
        return
    missing = "longitude" if actor.longitude is None else "latitude"
    raise ValidationError({missing: _("Give both latitude and longitude, or neither.")}, code="half_pin")


def may_create_sector(user: User, sector: str, municipality_code: str | None) -> bool:
    """Anyone may create an association, a business or themselves as a citizen; municipal actors
    are created by an administrator of that municipality."""
    if sector != Sector.MUNICIPALITY:
        return True
    return MunicipalAdministrator.objects.filter(user=user, municipality_id=municipality_code).exists()


@transaction.atomic
def create_actor(*, user: User, sector: str, themes: Iterable[Theme] = (), **fields: Any) -> Actor:
    """Create an actor with `user` as its first administrator."""
    municipality = fields.get("municipality")
    if not may_create_sector(user, sector, getattr(municipality, "code", None)):
        raise PermissionDenied(gettext_lazy("Only a municipal administrator may create municipal actors."))
    unknown = set(fields) - set(ACTOR_FIELDS)
    if unknown:
        raise TypeError(f"unknown actor fields: {sorted(unknown)}")
    _check_not_created_before(user=user, sector=sector, name=fields["name"], municipality=municipality)
    actor = Actor(sector=sector, created_by=user, **fields)
    check_pin(actor)
    save_with_free_slug(actor, fields["name"])
    actor.themes.set(themes)
    Membership.objects.create(actor=actor, user=user, role=Membership.Role.ADMIN)
    return actor


def _check_not_created_before(*, user: User, sector: str, name: str, municipality: Any) -> None:
    """Refuse (`AlreadyThere`) a second citizen actor for the person, who is one citizen, and an actor the person
    created before under the same name in the same municipality: the form sent again after going back.

    The person's row is locked, so the form sent twice at once creates one actor."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    mine = Actor.objects.filter(anonymised_at__isnull=True)
    if sector == Sector.CITIZEN:
        citizen = mine.administered_by(user).filter(sector=Sector.CITIZEN).order_by("pk").first()
        if citizen is not None:
            raise AlreadyThere(
                _("You are already on Samskab as a citizen: %(name)s. A person has one citizen actor.")
                % {"name": citizen.name},
                field="sector",
                url=citizen.get_absolute_url(),
                link=_("Go to %(name)s") % {"name": citizen.name},
            )
    if sector != Sector.CITIZEN:  # made by the register import, say, and waiting to be taken over, not copied
        from .claims import is_administered

        # Narrowed by length in the database first: a municipality's register may hold thousands nobody acts for.
        size = len(" ".join(name.split()))
        waiting = (
            mine.filter(municipality=municipality)
            .exclude(sector=Sector.CITIZEN)
            .annotate(size=Length("name"))
            .filter(size__gte=size, size__lte=size + 2)
            .annotate(ok=is_administered())
        )
        nobody_s = first_alike(waiting.filter(ok=False).only("pk", "slug", "name").order_by("pk"), name=name)
        if nobody_s is not None:
            raise AlreadyThere(
                _(
                    "%(name)s is on Samskab already, and nobody acts for it yet. If you belong to it, take its profile "
                    "over rather than make a second one."
                )
                % {"name": nobody_s.name},
                field="name",
                url=reverse("actors:claim", kwargs={"slug": nobody_s.slug}),
                link=_("Take over %(name)s") % {"name": nobody_s.name},
            )
    same_place = mine.filter(created_by=user, municipality=municipality).only("pk", "slug", "name")
    earlier = first_alike(same_place.order_by("pk"), name=name)
    if earlier is not None:
        raise AlreadyThere(
            _(
                "You have already created %(name)s in %(municipality)s. A new actor needs a name that tells the two "
                "apart."
            )
            % {"name": earlier.name, "municipality": municipality},
            field="name",
            url=earlier.get_absolute_url(),
            link=_("Go to %(name)s") % {"name": earlier.name},
        )


@transaction.atomic
def update_actor(
    *, actor: Actor, user: User, themes: Iterable[Theme] | None = None, seen: str | None = None, **fields: Any
) -> Actor:
    """An administrator changes the actor. `seen` is the version the form was opened with (`version` of
    `actor_values`): a field someone else saved since is not overwritten (`ChangedMeanwhile`)."""
    if not actor.is_admin(user):
        raise PermissionDenied
    # Read afresh under a lock: two saves in turn, each checked against what the other wrote.
    actor = Actor.objects.select_for_update().get(pk=actor.pk)
    if seen is not None:
        _check_unchanged(seen, actor_values(actor), [*fields, *(["themes"] if themes is not None else [])])
    moved_to = fields.get("municipality", actor.municipality)
    if (
        actor.sector == Sector.MUNICIPALITY
        and getattr(moved_to, "pk", moved_to) != actor.municipality_id
        and not may_create_sector(user, Sector.MUNICIPALITY, getattr(moved_to, "pk", moved_to))
    ):
        # Its leaders see their municipality's overview and run its surveys: only that municipality's
        # administrators may move a municipal actor to it.
        raise ValidationError(
            {"municipality": _("A municipal actor stays in its municipality.")}, code="municipal_actor_moved"
        )
    for name, value in fields.items():
        if name not in ACTOR_FIELDS:
            raise TypeError(f"unknown actor field: {name}")
        setattr(actor, name, value)
    check_pin(actor)
    actor.save()
    if themes is not None:
        actor.themes.set(themes)
    return actor


@transaction.atomic
def save_resource(*, actor: Actor, user: User, resource: Resource, seen: str | None = None) -> Resource:
    """An administrator adds a resource, or saves an edited one. `seen`, for an edit, is the version the form was
    opened with (`version` of `resource_values`): what someone else saved since is not overwritten
    (`ChangedMeanwhile`). A second resource of the same title is refused (`AlreadyThere`)."""
    if not actor.is_admin(user):
        raise PermissionDenied
    # The actor's row is locked, so the form sent twice at once adds one resource.
    Actor.objects.select_for_update().get(pk=actor.pk)
    if resource.pk is not None:
        saved = Resource.objects.select_for_update().filter(pk=resource.pk, actor=actor).first()
        if saved is None:
            raise ValidationError(
                _("The resource was removed while you were editing it. Add it again if it is still offered."),
                code="removed",
            )
        if seen is not None:
            _check_unchanged(seen, resource_values(saved), RESOURCE_FIELDS)
    others = Resource.objects.filter(actor=actor).exclude(pk=resource.pk).order_by("pk")
    twin = first_alike(others, title=resource.title)
    if twin is not None:
        raise AlreadyThere(
            _("%(name)s already offers a resource called “%(title)s”.") % {"name": actor.name, "title": twin.title},
            field="title",
            url=reverse("actors:resource_edit", args=[actor.slug, twin.pk]),
            link=_("Go to %(title)s") % {"title": twin.title},
        )
    resource.actor = actor
    resource.save()
    return resource


def delete_resource(*, resource: Resource, user: User) -> None:
    if not resource.actor.is_admin(user):
        raise PermissionDenied
    resource.delete()


@transaction.atomic
def save_need(*, actor: Actor, user: User, need: Need, seen: str | None = None) -> Need:
    """An administrator adds a need, or saves an edited one: as `save_resource`, a need of the same kind and
    description is refused (`AlreadyThere`), and what someone else saved since is not overwritten."""
    if not actor.is_admin(user):
        raise PermissionDenied
    Actor.objects.select_for_update().get(pk=actor.pk)  # the form sent twice at once adds one need
    if need.pk is not None:
        saved = Need.objects.select_for_update().filter(pk=need.pk, actor=actor).first()
        if saved is None:
            raise ValidationError(
                _("The need was removed while you were editing it. Add it again if it is still there."),
                code="removed",
            )
        if seen is not None:
            _check_unchanged(seen, need_values(saved), NEED_FIELDS)
    others = Need.objects.filter(actor=actor, kind=need.kind).exclude(pk=need.pk).order_by("pk")
    twin = first_alike(others, description=need.description)
    if twin is not None:
        raise AlreadyThere(
            _("%(name)s has already recorded this need.") % {"name": actor.name},
            field="description",
            url=reverse("actors:need_edit", args=[actor.slug, twin.pk]),
            link=_("Go to the need"),
        )
    need.actor = actor
    need.save()
    return need


def delete_need(*, need: Need, user: User) -> None:
    if not need.actor.is_admin(user):
        raise PermissionDenied
    need.delete()


CITIZEN_IS_ONE_PERSON = gettext_lazy("A citizen profile is one person's own: nobody else can be invited to act as you.")


@transaction.atomic
def invite_person(*, actor: Actor, user: User, email: str, role: str = Membership.Role.MEMBER) -> ActorInvitation:
    """An actor admin invites a person by email; the email goes out through the task queue.

    Raises ValidationError if someone with that address is already part of the actor, or already has an
    invitation waiting (one address, one pending invitation: a double click sends one email)."""
    if not actor.is_admin(user):
        raise PermissionDenied
    if actor.sector == Sector.CITIZEN:
        raise ValidationError(CITIZEN_IS_ONE_PERSON, code="citizen_is_one_person")
    Actor.objects.select_for_update().get(pk=actor.pk)
    if actor.has_member_with_email(email):
        raise ValidationError(
            _("%(email)s is already part of %(name)s, so no invitation was sent.")
            % {"email": email, "name": actor.name},
            code="already_member",
        )
    email = email.strip().lower()
    waiting = ActorInvitation.objects.pending().filter(actor=actor, email=email).first()
    if waiting is not None:
        raise ValidationError(
            _("%(email)s was invited on %(date)s, and the invitation is still waiting to be accepted.")
            % {"email": email, "date": date_format(timezone.localtime(waiting.created_at), "j. F Y")},
            code="already_invited",
        )
    # A token nobody knows until the email is sent: the task issues the one the link carries.
    invitation = ActorInvitation.objects.create(
        actor=actor,
        email=email,
        role=role,
        invited_by=user,
        token_hash=ActorInvitation.unknown_token(),
    )
    from .tasks import send_actor_invitation

    transaction.on_commit(lambda: send_actor_invitation.enqueue(invitation.pk))
    return invitation


@transaction.atomic
def withdraw_person_invitation(*, actor: Actor, user: User, invitation: ActorInvitation) -> bool:
    """An administrator withdraws a pending invitation (its link stops working). False when it was accepted
    meanwhile: the person is part of the actor already."""
    if not actor.is_admin(user) or invitation.actor_id != actor.pk:
        raise PermissionDenied
    deleted, _kinds = ActorInvitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).delete()
    return deleted > 0


@transaction.atomic
def accept_person_invitation(*, invitation: ActorInvitation, user: User) -> Membership:
    """Join the actor. The invitation is bound to the email it was sent to and is used once. One withdrawn
    meanwhile is gone (404)."""
    try:
        invitation = ActorInvitation.objects.select_for_update().get(pk=invitation.pk)
    except ActorInvitation.DoesNotExist:
        raise Http404 from None
    if not invitation.is_for(user):
        raise PermissionDenied(gettext_lazy("This invitation was sent to another email address."))
    membership, _created = Membership.objects.get_or_create(
        actor=invitation.actor, user=user, defaults={"role": invitation.role}
    )
    if invitation.accepted_at is None:
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return membership


@transaction.atomic
def set_role(*, actor: Actor, user: User, membership: Membership, role: str) -> Membership:
    """An administrator makes another person an administrator too (so the actor outlives their account), lets a
    colleague act for the actor, or keeps a member to the actor's own processes. Administration is never taken
    away here: an administrator steps down by leaving."""
    if not actor.is_admin(user) or membership.actor_id != actor.pk or role not in Membership.Role.values:
        raise PermissionDenied
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Membership.Role.ADMIN and role != Membership.Role.ADMIN:
        raise PermissionDenied(gettext_lazy("Another administrator's role cannot be changed here."))
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


def make_admin(*, actor: Actor, user: User, membership: Membership) -> Membership:
    return set_role(actor=actor, user=user, membership=membership, role=Membership.Role.ADMIN)


def actors_left_without_admin(user: User) -> tuple[list[Actor], list[Actor]]:
    """The actors the person is the only administrator of, if their account went: those where others are
    members (someone must take over first), and those with nobody else in them.

    Citizen actors that are the person themself are left out: deleting the account anonymises them."""
    blocking: list[Actor] = []
    alone: list[Actor] = []
    administered = Actor.objects.filter(memberships__user=user, memberships__role=Membership.Role.ADMIN).distinct()
    for actor in administered:
        others = actor.memberships.exclude(user=user)
        if others.filter(role=Membership.Role.ADMIN).exists():
            continue
        if others.exists():
            blocking.append(actor)
        elif actor.sector != Sector.CITIZEN:
            alone.append(actor)
    return blocking, alone
