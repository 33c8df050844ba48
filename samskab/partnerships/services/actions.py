from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samskab.accounts.models import NotificationKind
from samskab.accounts.notifications import notify
from samskab.actors.coalitions import same_unit
from samskab.actors.models import Actor, Resource
from samskab.lib.forms import check_unchanged, field_refusal

from ..models import Action, Decision, Partnership, PartnershipNeed, Pledge
from ..models.actions import ActionChange
from .core import check_member

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise

    from samskab.accounts.models import User

ONLY_THE_PLEDGER = gettext_lazy("Only the people of the actor that made a pledge may correct or withdraw it.")
ONLY_THE_COLLEAGUE = gettext_lazy(
    "Only the colleague who made a pledge, or those who act for the workplace, may correct or withdraw it."
)


@transaction.atomic
def create_action(
    *,
    user: User,
    partnership: Partnership,
    by_actor: Actor,
    title: str,
    owners: Iterable[Actor],
    description: str = "",
    deadline: date | None = None,
    decision: Decision | None = None,
    responsible_people: Iterable[User] = (),
) -> Action:
    """Any member adds an action to the plan; any member actors can own it. `decision`, one of the partnership's
    decisions, is the decision the action carries out. Where each person has a voice (employee involvement), the
    colleagues responsible for it can be named among those taking part (`responsible_people`)."""
    check_member(user, partnership, by_actor)
    responsible_people = list(responsible_people)
    _check_responsible(partnership, responsible_people)
    if decision is not None and decision.partnership_id != partnership.pk:
        raise ValidationError(
            {"decision": _("The decision belongs to another partnership. Choose one of this partnership's decisions.")},
            code="decision",
        )
    owners = list(owners)
    if deadline is not None and deadline < timezone.localdate():
        raise ValidationError(_("The deadline cannot lie in the past."), code="deadline")
    _check_owners(partnership, owners)
    action = Action.objects.create(
        partnership=partnership,
        title=title,
        description=description,
        deadline=deadline,
        decision=decision,
        created_by=by_actor,
    )
    action.owners.set(owners)
    action.responsible_people.set(responsible_people)
    _notify_owners(action, user=user, by_actor=by_actor, owners=owners, people=responsible_people, assigned=True)
    return action


def _check_responsible(partnership: Partnership, people: list[User]) -> None:
    if people:
        taking_part = set(partnership.people().values_list("pk", flat=True)) if partnership.voices_are_people else set()
        if {p.pk for p in people} - taking_part:
            raise ValidationError(
                _("Only colleagues taking part in the process can be responsible for an action."),
                code="not_taking_part",
            )


def _check_owners(partnership: Partnership, owners: list[Actor]) -> None:
    if not owners:
        raise ValidationError(_("An action needs at least one owner."), code="owners")
    members = set(partnership.members.values_list("actor_id", flat=True))
    if {o.pk for o in owners} - members:
        raise ValidationError(_("Only member actors can own an action."), code="not_member")


def _owners_people(partnership: Partnership, *, owners: Iterable[Actor], people: Iterable[User]) -> QuerySet[User]:
    """Who an action is given to: in co-creation the people of its owner actors; in employee involvement, where the
    staff are one actor that owns every action, the colleagues responsible for it."""
    if partnership.voices_are_people:
        return partnership.people().filter(pk__in=[p.pk for p in people])
    return partnership.people(through=owners)


def _notify_owners(
    action: Action,
    *,
    user: User,
    by_actor: Actor,
    owners: Iterable[Actor],
    people: Iterable[User],
    assigned: bool = False,
    text: str = "",
    told: QuerySet[User] | None = None,
) -> None:
    """Tell those the action is given to (`_owners_people` of `owners` and `people`) what another member did to
    it: that it is theirs now (`assigned`), or `text`. Nobody is told of what they did themselves, nor, in
    co-creation, of what their own actor did; those `told` already are left out."""
    partnership = action.partnership
    recipients = _owners_people(partnership, owners=owners, people=people).exclude(pk=user.pk)
    if not partnership.voices_are_people:
        recipients = recipients.exclude(pk__in=partnership.people(through=[by_actor]).values("pk"))
    if told is not None:
        recipients = recipients.exclude(pk__in=told)
    names = {"who": partnership.who_acted(user, by_actor), "title": action.title, "partnership": partnership.title}
    if assigned:
        text = (
            _("%(who)s has made you responsible for the action “%(title)s” in “%(partnership)s”.")
            if partnership.voices_are_people
            else _("%(who)s has given your actor the action “%(title)s” in “%(partnership)s”.")
        ) % names
    url = reverse("partnerships:together", args=[partnership.pk]) + f"#action-{action.pk}"
    notify(recipients, kind=NotificationKind.ACTION, text=text, url=url)


def _status_text(status: str) -> str:
    texts: dict[str, str] = {
        Action.Status.DONE: _("%(who)s has marked the action “%(title)s” in “%(partnership)s” done."),
        Action.Status.UNDERWAY: _("%(who)s has marked the action “%(title)s” in “%(partnership)s” underway."),
        Action.Status.PLANNED: _("%(who)s has set the action “%(title)s” in “%(partnership)s” back to planned."),
    }
    return texts[status]


@transaction.atomic
def update_action_status(*, user: User, action: Action, by_actor: Actor, status: str) -> Action:
    """Any member moves an action along (or back). Who did it, for which member actor, and when is recorded
    (`ActionChange`), and those the action is given to are told when someone else did it. Setting the status an
    action has already changes nothing (a second click), so the record keeps who actually changed it."""
    check_member(user, action.partnership, by_actor)
    if status not in Action.Status.values:
        raise ValidationError(_("Unknown status."), code="status")
    # Lock the row: two members changing it at once are recorded one after the other, each from what it was.
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if locked.status == status:
        return locked
    ActionChange.objects.create(
        action=locked,
        kind=ActionChange.Kind.STATUS,
        from_status=locked.status,
        to_status=status,
        actor=by_actor,
        user=user,
    )
    locked.status = status
    locked.save(update_fields=["status"])
    partnership = locked.partnership
    names = {"who": partnership.who_acted(user, by_actor), "title": locked.title, "partnership": partnership.title}
    _notify_owners(
        locked,
        user=user,
        by_actor=by_actor,
        owners=locked.owners.all(),
        people=locked.responsible_people.all(),
        text=_status_text(status) % names,
    )
    return locked


@transaction.atomic
def edit_action(
    *,
    user: User,
    action: Action,
    by_actor: Actor,
    title: str,
    description: str,
    owners: Iterable[Actor],
    deadline: date | None,
    responsible_people: Iterable[User] | None = None,
    seen: str | None = None,
) -> Action:
    """Any member edits an action: its title, description, deadline, owners and (in employee involvement) the
    colleagues responsible. A deadline that has passed may stay, but a new one cannot lie in the past. `seen` is
    the version the member opened (`lib.forms.version_of(action.updated_at)`): if another member saved since,
    nothing is saved (`EditedMeanwhile`). The edit is recorded (`ActionChange`, with what changed); those the
    action is given to now are told it is theirs, the others it was given to that it changed. `responsible_people`
    None leaves them as they are."""
    partnership = action.partnership
    check_member(user, partnership, by_actor)
    # Lock the row: of two members saving at once, the second sees the first's version and is refused.
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if seen is not None:
        last_edit = locked.changes.filter(kind=ActionChange.Kind.EDIT).select_related("actor", "user").first()
        check_unchanged(
            seen, locked.updated_at, partnership.who_acted(last_edit.user, last_edit.actor) if last_edit else ""
        )
    owners = list(owners)
    _check_owners(partnership, owners)
    old_people = list(locked.responsible_people.all())
    people = old_people if responsible_people is None else list(responsible_people)
    _check_responsible(partnership, people)
    if deadline is not None and deadline != locked.deadline and deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline cannot lie in the past.")}, code="deadline")
    old_owners = list(locked.owners.all())
    changed = [
        name
        for name, before, after in [
            ("title", locked.title, title),
            ("description", locked.description, description),
            ("deadline", locked.deadline, deadline),
            ("owners", {o.pk for o in old_owners}, {o.pk for o in owners}),
            ("responsible_people", {p.pk for p in old_people}, {p.pk for p in people}),
        ]
        if before != after
    ]
    if not changed:  # saved as it was: nothing to record or tell
        return locked
    now = timezone.now()
    locked.title, locked.description, locked.deadline, locked.updated_at = title, description, deadline, now
    locked.save(update_fields=["title", "description", "deadline", "updated_at"])
    locked.owners.set(owners)
    locked.responsible_people.set(people)
    ActionChange.objects.create(
        action=locked, kind=ActionChange.Kind.EDIT, edited=",".join(changed), actor=by_actor, user=user, changed_at=now
    )
    old_owner_ids, old_people_ids = {o.pk for o in old_owners}, {p.pk for p in old_people}
    new_owners = [o for o in owners if o.pk not in old_owner_ids]
    new_people = [p for p in people if p.pk not in old_people_ids]
    _notify_owners(locked, user=user, by_actor=by_actor, owners=new_owners, people=new_people, assigned=True)
    # The rest it was given to, before or after, are told what changed (removed owners learn it is no longer theirs).
    names = {
        "who": partnership.who_acted(user, by_actor),
        "title": locked.title,
        "partnership": partnership.title,
        "changes": ActionChange.words_for(",".join(changed)),
    }
    _notify_owners(
        locked,
        user=user,
        by_actor=by_actor,
        owners=old_owners,
        people=old_people,
        text=_("%(who)s has changed the action “%(title)s” in “%(partnership)s”: %(changes)s.") % names,
        told=_owners_people(partnership, owners=new_owners, people=new_people),
    )
    return locked


@transaction.atomic
def pledge(
    *,
    user: User,
    partnership: Partnership,
    actor: Actor,
    kind: str,
    description: str,
    quantity: Decimal | None = None,
    unit: str = "",
    resource: Resource | None = None,
    action: Action | None = None,
) -> Pledge:
    """A member actor pledges a resource: one of its registered resources, or something ad hoc; for one of the
    partnership's actions, or for the partnership as a whole."""
    check_member(user, partnership, actor)
    if resource is not None and resource.actor_id != actor.pk:
        raise PermissionDenied(gettext_lazy("An actor pledges only its own resources."))
    if action is not None and action.partnership_id != partnership.pk:
        raise ValidationError(
            {"action": _("The action belongs to another partnership. Choose one of this partnership's actions.")},
            code="action",
        )
    if quantity is not None and quantity < 0:
        raise ValidationError(_("The amount cannot be negative."), code="negative")
    if resource is not None and kind and kind != resource.kind:  # the resource's kind counts, not another one
        raise field_refusal(
            "kind",
            _(
                "“%(resource)s” is registered as %(kind)s. Leave the kind empty when you pledge a registered "
                "resource, or choose %(kind)s."
            )
            % {"resource": resource.title, "kind": resource.get_kind_display().lower()},
            code="kind",
        )
    if resource is not None and Pledge.objects.standing().filter(partnership=partnership, resource=resource).exists():
        raise _pledged_already(actor, resource)
    try:
        with transaction.atomic():  # the constraint refuses the second of two pledges of it at the same instant
            return Pledge.objects.create(
                partnership=partnership,
                actor=actor,
                resource=resource,
                action=action,
                kind=resource.kind if resource else kind,
                description=description or (resource.title if resource else ""),
                quantity=quantity if quantity is not None else (resource.quantity if resource else None),
                unit=unit or (resource.unit if resource else ""),
                user=user,
            )
    except IntegrityError:
        if resource is None:
            raise
        raise _pledged_already(actor, resource) from None


def _pledged_already(actor: Actor, resource: Resource) -> ValidationError:
    """A registered resource is pledged once to a partnership (`one_standing_pledge_per_resource`): pledged twice,
    what we have together would count it twice."""
    return ValidationError(
        {
            "resource": _(
                "%(actor)s has already pledged “%(resource)s” to this partnership. Correct that pledge if the amount "
                "has changed, or withdraw it first."
            )
            % {"actor": actor.name, "resource": resource.title}
        },
        code="pledged",
    )


def pledges_changeable_by(user: User, partnership: Partnership, pledges: Iterable[Pledge]) -> set[int]:
    """The ids of the `pledges` that `user` may correct or withdraw (`check_pledger`), in two queries."""
    pledges = list(pledges)
    if not pledges or not user.is_authenticated:
        return set()
    taking_part = set(partnership.member_actors_of(user).values_list("pk", flat=True))
    acting = (
        set(partnership.actors_acted_for(user).values_list("pk", flat=True)) if partnership.voices_are_people else set()
    )
    people_voices = partnership.voices_are_people
    return {p.pk for p in pledges if _may_change(p, user, taking_part, acting, people_voices=people_voices) is None}


def _may_change(
    pledge: Pledge, user: User, taking_part: set[int], acting: set[int], *, people_voices: bool
) -> StrPromise | None:
    """None if `user` may correct or withdraw `pledge`, else the reason why not. The pledging actor's people may;
    where each person has a voice (employee involvement, whose staff are one actor), the colleague who pledged,
    and those who act for the workplace."""
    if pledge.actor_id not in taking_part:
        return ONLY_THE_PLEDGER
    if people_voices and pledge.user_id != user.pk and pledge.actor_id not in acting:
        return ONLY_THE_COLLEAGUE
    return None


def check_pledger(user: User, pledge: Pledge) -> None:
    """Refuse (PermissionDenied) a `user` who may not correct or withdraw `pledge`."""
    partnership = pledge.partnership
    taking_part = set(partnership.member_actors_of(user).values_list("pk", flat=True))
    acting = set(partnership.actors_acted_for(user).values_list("pk", flat=True))
    reason = _may_change(pledge, user, taking_part, acting, people_voices=partnership.voices_are_people)
    if reason is not None:
        raise PermissionDenied(reason)


def _locked_standing(pledge: Pledge) -> Pledge:
    locked = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if locked.withdrawn_at is not None:
        raise ValidationError(_("This pledge has been withdrawn. Pledge again if you can after all."), code="withdrawn")
    return locked


@transaction.atomic
def correct_pledge(
    *,
    user: User,
    pledge: Pledge,
    description: str,
    quantity: Decimal | None,
    unit: str,
    seen: str | None = None,
) -> Pledge:
    """The pledging actor's people (`check_pledger`) correct what it pledged: the description, the amount and its
    unit. `seen` is the version they opened (`lib.forms.version_of(pledge.updated_at)`): if it was corrected since,
    nothing is saved (`EditedMeanwhile`)."""
    check_pledger(user, pledge)
    locked = _locked_standing(pledge)
    check_unchanged(seen, locked.updated_at, locked.actor.name)
    if not description.strip():
        raise ValidationError({"description": _("Say what you pledge.")}, code="required")
    if quantity is not None and quantity < 0:
        raise ValidationError({"quantity": _("The amount cannot be negative.")}, code="negative")
    locked.description, locked.quantity, locked.unit = description, quantity, unit
    locked.updated_at = timezone.now()
    locked.save(update_fields=["description", "quantity", "unit", "updated_at"])
    return locked


@transaction.atomic
def withdraw_pledge(*, user: User, pledge: Pledge) -> Pledge:
    """The pledging actor's people (`check_pledger`) withdraw its pledge. It stays on record, withdrawn (by whom and
    when), and counts nowhere: not in what we have together, the needs, the coalition finder or the power balance.
    Withdrawing a withdrawn pledge changes nothing (a second click). Those given the action it was for are told."""
    check_pledger(user, pledge)
    locked = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if locked.withdrawn_at is not None:
        return locked
    locked.withdrawn_at, locked.withdrawn_by_user = timezone.now(), user
    locked.save(update_fields=["withdrawn_at", "withdrawn_by_user"])
    action = locked.action
    if action is not None:
        partnership = locked.partnership
        names = {
            "who": partnership.who_acted(user, locked.actor),
            "pledge": locked.description,
            "title": action.title,
            "partnership": partnership.title,
        }
        _notify_owners(
            action,
            user=user,
            by_actor=locked.actor,
            owners=action.owners.all(),
            people=action.responsible_people.all(),
            text=_("%(who)s has withdrawn the pledge “%(pledge)s” for the action “%(title)s” in “%(partnership)s”.")
            % names,
        )
    return locked


def _check_need(partnership: Partnership, *, kind: str, amount: Decimal, unit: str, need_pk: int | None) -> None:
    """A need is a positive amount, in the one unit the partnership counts that kind in: "40 timer" and
    "2 uger" of volunteers cannot be added up, nor measured against the same pledges."""
    if not amount > 0:
        raise ValidationError({"amount": _("The amount must be more than 0.")}, code="not_positive")
    others = PartnershipNeed.objects.filter(partnership=partnership, kind=kind)
    if need_pk is not None:
        others = others.exclude(pk=need_pk)
    for other in others:
        if same_unit(other.unit) != same_unit(unit):
            message = (
                _(
                    "The partnership counts this kind in “%(unit)s” already. Use that unit, or change the other "
                    "need first."
                )
                % {"unit": other.unit}
                if other.unit.strip()
                else _(
                    "The partnership counts this kind without a unit already. Leave the unit empty, or change the "
                    "other need first."
                )
            )
            raise ValidationError({"unit": message}, code="unit")


@transaction.atomic
def add_need(
    *,
    user: User,
    partnership: Partnership,
    by_actor: Actor | None,
    kind: str,
    amount: Decimal,
    unit: str = "",
    description: str = "",
) -> PartnershipNeed:
    """Any member records what the defined problem needs; pledges and the coalition finder measure against it."""
    if by_actor is None:
        raise PermissionDenied(gettext_lazy("Only members of the partnership may do this."))
    check_member(user, partnership, by_actor)
    Partnership.objects.select_for_update().get(pk=partnership.pk)  # two needs at once cannot mix units
    _check_need(partnership, kind=kind, amount=amount, unit=unit, need_pk=None)
    return PartnershipNeed.objects.create(
        partnership=partnership, kind=kind, amount=amount, unit=unit, description=description
    )


@transaction.atomic
def update_need(
    *,
    user: User,
    need: PartnershipNeed,
    by_actor: Actor | None,
    kind: str,
    amount: Decimal,
    unit: str,
    description: str,
) -> PartnershipNeed:
    """Any member corrects a need as the work shows what it takes."""
    if by_actor is None:
        raise PermissionDenied(gettext_lazy("Only members of the partnership may do this."))
    partnership = need.partnership
    check_member(user, partnership, by_actor)
    Partnership.objects.select_for_update().get(pk=partnership.pk)
    if not PartnershipNeed.objects.filter(pk=need.pk).exists():  # removed by another member meanwhile
        raise ValidationError(_("Another member has removed this need meanwhile."), code="removed")
    _check_need(partnership, kind=kind, amount=amount, unit=unit, need_pk=need.pk)
    need.kind, need.amount, need.unit, need.description = kind, amount, unit, description
    need.save(update_fields=["kind", "amount", "unit", "description"])
    return need


@transaction.atomic
def remove_need(*, user: User, need: PartnershipNeed, by_actor: Actor | None) -> None:
    """Any member removes a need the partnership no longer has."""
    if by_actor is None:
        raise PermissionDenied(gettext_lazy("Only members of the partnership may do this."))
    check_member(user, need.partnership, by_actor)
    Partnership.objects.select_for_update().get(pk=need.partnership_id)  # not while another member edits it
    PartnershipNeed.objects.filter(pk=need.pk).delete()  # twice (a double click) is once
