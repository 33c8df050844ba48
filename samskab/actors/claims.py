"""Taking over an actor nobody administers (`ActorClaim`).

The municipality's register import makes associations and businesses that nobody acts for yet: nobody edits their
page, answers an invitation or takes part for them until someone takes the profile over. A person asks; the actor's
email in the register gets a link with which whoever reads it confirms or refuses (the address proves the claim, as
a password-reset link does); the municipality's administrators, who imported the actor, may answer too, and are the
only ones who can for an actor without an email. The confirmed person becomes its administrator, and the other
claims waiting for it are closed.

Every function takes the actor's row lock first, so two answers, or an answer and a second claim, never cross.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samskab.accounts.models import NotificationKind, User
from samskab.accounts.notifications import notify
from samskab.lib.text import local_moment

from .models import Actor, ActorClaim, Membership, MunicipalAdministrator, Sector

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# Sent when someone takes an actor over (`actor`, `user`): the apps above tell them what waits for the actor.
taken_over = Signal()

ONLY_THE_MUNICIPALITY = gettext_lazy("Only the municipality's administrators on Samskab may answer this request.")
NOT_ONE_S_OWN = gettext_lazy(
    "Nobody confirms their own request: another of the municipality's administrators, or whoever reads the actor's "
    "email in the register, answers it."
)
CITIZENS_ARE_THEIR_OWN = gettext_lazy("A citizen's profile is only ever their own: it cannot be taken over.")
ADMINISTERED = gettext_lazy(
    "%(name)s has an administrator on Samskab already, and only they let people in: ask someone you know there to "
    "invite you."
)
NO_LONGER_WAITING = gettext_lazy("The request is no longer waiting: %(status)s.")
ASK_AGAIN_AFTER = dt.timedelta(days=1)  # after a request withdrawn or refused: one email to the register a day


ADMINISTERS = Q(role=Membership.Role.ADMIN, user__is_active=True)


def administered(actor: Actor) -> bool:
    """Whether someone can act for the actor: an active administrator."""
    return actor.memberships.filter(ADMINISTERS).exists()


def is_administered() -> Exists:
    """`administered` as an expression, for a query of actors."""
    return Exists(Membership.objects.filter(ADMINISTERS, actor=OuterRef("pk")))


def claimable(actor: Actor) -> bool:
    """An association, business or municipal unit that nobody administers. A citizen's page is only ever its own."""
    return actor.sector != Sector.CITIZEN and actor.anonymised_at is None and not administered(actor)


def waiting_for(user: User | AnonymousUser) -> QuerySet[Actor]:
    """The actors nobody administers whose email in the register is one the person has confirmed: theirs to take
    over at once (`claim_actor`). Someone who signed up from the register's email, and confirmed the address on
    another device than the one they signed up on, is shown them on the front page instead of losing the way."""
    if not user.is_authenticated:
        return Actor.objects.none()
    from allauth.account.models import EmailAddress

    emails = [e.lower() for e in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)]
    if not emails:
        return Actor.objects.none()
    matching = Q()
    for email in emails:
        matching |= Q(contact_email__iexact=email)
    return (
        Actor.objects.filter(matching, anonymised_at__isnull=True)
        .exclude(sector=Sector.CITIZEN)
        .exclude(is_administered())
        .order_by("name")
    )


def municipal_administrators(actor: Actor) -> QuerySet[User]:
    return User.objects.filter(
        pk__in=MunicipalAdministrator.objects.filter(municipality_id=actor.municipality_id).values("user_id"),
        is_active=True,
    )


def answers_for(actor: Actor, user: User | AnonymousUser) -> bool:
    """Whether the person answers claims for the actor: an administrator of its municipality on Samskab."""
    return (
        user.is_authenticated
        and MunicipalAdministrator.objects.filter(user=user, municipality_id=actor.municipality_id).exists()
    )


def ask_again_from(actor: Actor, user: User) -> dt.datetime | None:
    """When the person may ask again, having asked a moment ago (withdrawn or refused since); None: now."""
    recent = (
        ActorClaim.objects.filter(actor=actor, user=user, created_at__gt=timezone.now() - ASK_AGAIN_AFTER)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return None if recent is None else recent + ASK_AGAIN_AFTER


def masked(email: str) -> str:
    """The register's address as the claimant is shown it: enough to recognise it, not to write to it or to find
    whose it is (a club's own domain would tell most of it)."""
    local, _at, domain = email.partition("@")
    host, dot, top = domain.rpartition(".")
    return f"{local[:1]}•••@{host[:1]}•••{dot}{top}"


def no_longer_waiting(claim: ActorClaim) -> ValidationError:
    """The refusal of an answer or a withdrawal that would change nothing: the request was answered meanwhile."""
    return ValidationError(NO_LONGER_WAITING % {"status": claim.get_status_display().lower()}, code="answered")


def answer_url(claim: ActorClaim) -> str:
    return reverse("actors:answer_claim", kwargs={"slug": claim.actor.slug, "pk": claim.pk})


def _lock(actor: Actor) -> Actor:
    return Actor.objects.select_for_update().get(pk=actor.pk)


@transaction.atomic
def claim_actor(*, actor: Actor, user: User, message: str = "") -> ActorClaim:
    """The person asks to administer the actor. Confirmed at once when the person's own confirmed address is the
    register's; otherwise a link goes to that address, and the municipality's administrators are told."""
    actor = _lock(actor)
    if actor.sector == Sector.CITIZEN:
        raise PermissionDenied(CITIZENS_ARE_THEIR_OWN)
    if actor.anonymised_at is not None:
        raise PermissionDenied
    if administered(actor):
        raise ValidationError(ADMINISTERED % {"name": actor.name}, code="administered")
    mine = ActorClaim.objects.filter(actor=actor, user=user)
    waiting = mine.filter(status=ActorClaim.Status.PENDING).first()
    if waiting is not None:
        raise ValidationError(
            _("You asked to take over %(name)s on %(date)s, and the request is still waiting for an answer.")
            % {"name": actor.name, "date": date_format(timezone.localtime(waiting.created_at), "j. F Y")},
            code="already_asked",
        )
    # Withdrawn or refused a moment ago: another request now would only write to the same address again.
    again = ask_again_from(actor, user)
    if again is not None:
        raise ValidationError(
            _(
                "You asked to take over %(name)s a moment ago. So that its email and the municipality are not "
                "written to again and again, you can ask again from %(when)s."
            )
            % {"name": actor.name, "when": local_moment(again)},
            code="too_soon",
        )
    answerers = list(municipal_administrators(actor).exclude(pk=user.pk))  # nobody confirms their own request
    if not actor.contact_email and not answerers:
        raise ValidationError(
            _(
                "Nobody can confirm that you act for %(name)s: the register has no email for it, and "
                "%(municipality)s Municipality has no other administrators on Samskab to confirm it. Ask the "
                "municipality to add one."
            )
            % {"name": actor.name, "municipality": actor.municipality.name},
            code="nobody_to_confirm",
        )
    claim = ActorClaim.objects.create(
        actor=actor,
        user=user,
        message=message,
        emailed_to=actor.contact_email,
        token_hash=ActorClaim.unknown_token(),  # the task issues the one the link carries
    )
    if actor.contact_email and has_confirmed(user, actor.contact_email):
        _accept(claim, by=None)
        return claim
    if actor.contact_email:
        from .tasks import send_claim_confirmation

        transaction.on_commit(lambda: send_claim_confirmation.enqueue(claim.pk))
    notify(
        answerers,
        kind=NotificationKind.CLAIM,
        text=_("%(person)s asks to take over the profile of %(name)s, from the register, and to administer it.")
        % {"person": user.name or user.email, "name": actor.name},
        url=answer_url(claim),
    )
    return claim


def has_confirmed(user: User, email: str) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


@transaction.atomic
def answer_by_link(*, claim: ActorClaim, accept: bool) -> ActorClaim:
    """Whoever reads the register's address confirms or refuses with the link. A request answered meanwhile (in
    another tab, or by the municipality) is refused (`no_longer_waiting`), and stays as it was answered."""
    _lock(claim.actor)
    claim = ActorClaim.objects.select_related("actor", "user").get(pk=claim.pk)
    if claim.status != ActorClaim.Status.PENDING:
        raise no_longer_waiting(claim)
    if accept:
        _accept(claim, by=None)
    else:
        _decline(claim, by=None, reason="")
    return claim


@transaction.atomic
def answer_claim(*, claim: ActorClaim, user: User, accept: bool, reason: str = "") -> ActorClaim:
    """A municipal administrator confirms the claim, or says why not; one answered meanwhile is refused."""
    _lock(claim.actor)
    claim = ActorClaim.objects.select_related("actor", "user").get(pk=claim.pk)
    if not answers_for(claim.actor, user):
        raise PermissionDenied(ONLY_THE_MUNICIPALITY)
    if claim.user_id == user.pk:
        raise PermissionDenied(NOT_ONE_S_OWN)
    if claim.status != ActorClaim.Status.PENDING:
        raise no_longer_waiting(claim)
    if accept:
        _accept(claim, by=user)
    else:
        if not reason.strip():
            raise ValidationError({"reason": _("Say why not: the person who asked is told.")}, code="no_reason")
        _decline(claim, by=user, reason=reason.strip())
    return claim


@transaction.atomic
def withdraw_claim(*, claim: ActorClaim, user: User) -> ActorClaim:
    """The person who asked takes it back while it waits; one answered meanwhile is refused."""
    if claim.user_id != user.pk:
        raise PermissionDenied
    _lock(claim.actor)
    claim = ActorClaim.objects.select_related("actor", "user").get(pk=claim.pk)
    if claim.status != ActorClaim.Status.PENDING:
        raise no_longer_waiting(claim)
    claim.status, claim.responded_at = ActorClaim.Status.WITHDRAWN, timezone.now()
    claim.save(update_fields=["status", "responded_at"])
    return claim


def _accept(claim: ActorClaim, *, by: User | None) -> None:
    actor, now = claim.actor, timezone.now()
    Membership.objects.update_or_create(actor=actor, user=claim.user, defaults={"role": Membership.Role.ADMIN})
    _answer(claim, ActorClaim.Status.ACCEPTED, by=by, now=now)
    notify(
        [claim.user],
        kind=NotificationKind.CLAIM,
        text=_(
            "You administer %(name)s now: edit its page, invite the people behind it, and answer invitations on its "
            "behalf."
        )
        % {"name": actor.name},
        url=actor.get_absolute_url(),
    )
    taken_over.send(sender=ActorClaim, actor=actor, user=claim.user)
    others = list(ActorClaim.objects.filter(actor=actor, status=ActorClaim.Status.PENDING).select_related("user"))
    if others:
        ActorClaim.objects.filter(pk__in=[other.pk for other in others]).update(
            status=ActorClaim.Status.OVERTAKEN, responded_at=now
        )
        notify(
            [other.user for other in others],
            kind=NotificationKind.CLAIM,
            text=ADMINISTERED % {"name": actor.name},
            url=actor.get_absolute_url(),
        )


def _decline(claim: ActorClaim, *, by: User | None, reason: str) -> None:
    claim.reason = reason
    _answer(claim, ActorClaim.Status.DECLINED, by=by, now=timezone.now())
    if by is None:
        text = _(
            "Your request to take over %(name)s was refused by whoever reads its email in the register. If you do "
            "act for it, talk to them, or ask again tomorrow: the municipality's administrators can confirm it too."
        )
    else:
        text = _("%(municipality)s Municipality did not confirm that you may take over %(name)s: %(reason)s")
    notify(
        [claim.user],
        kind=NotificationKind.CLAIM,
        text=text % {"name": claim.actor.name, "municipality": claim.actor.municipality.name, "reason": reason},
        url=claim.actor.get_absolute_url(),
    )


def _answer(claim: ActorClaim, status: str, *, by: User | None, now: dt.datetime) -> None:
    claim.status = status
    claim.responded_at = now
    claim.responded_by = by
    claim.save(update_fields=["status", "responded_at", "responded_by", "reason"])
