from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samskab.actors.coalitions import same_unit
from samskab.actors.models import Actor, Resource

from ..models import Action, Decision, Partnership, PartnershipNeed, Pledge
from .core import check_member

if TYPE_CHECKING:
    from samskab.accounts.models import User


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
    if responsible_people:
        taking_part = set(partnership.people().values_list("pk", flat=True)) if partnership.voices_are_people else set()
        if {p.pk for p in responsible_people} - taking_part:
            raise ValidationError(
                _("Only colleagues taking part in the process can be responsible for an action."),
                code="not_taking_part",
            )
    if decision is not None and decision.partnership_id != partnership.pk:
        raise ValidationError(
            {"decision": _("The decision belongs to another partnership. Choose one of this partnership's decisions.")},
            code="decision",
        )
    owners = list(owners)
    if not owners:
        raise ValidationError(_("An action needs at least one owner."), code="owners")
    if deadline is not None and deadline < timezone.localdate():
        raise ValidationError(_("The deadline cannot lie in the past."), code="deadline")
    members = set(partnership.members.values_list("actor_id", flat=True))
    if {o.pk for o in owners} - members:
        raise ValidationError(_("Only member actors can own an action."), code="not_member")
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
    return action


@transaction.atomic
def update_action_status(*, user: User, action: Action, by_actor: Actor, status: str) -> Action:
    check_member(user, action.partnership, by_actor)
    if status not in Action.Status.values:
        raise ValidationError(_("Unknown status."), code="status")
    Action.objects.filter(pk=action.pk).update(status=status)
    action.status = status
    return action


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
