from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samskab.actors.coalitions import same_unit
from samskab.actors.models import Actor, Resource, ResourceKind

from .core import Partnership


class ActionQuerySet(models.QuerySet["Action"]):
    def still_open(self) -> "ActionQuerySet":
        """The actions not done yet: planned or underway."""
        return self.exclude(status=Action.Status.DONE)


class Action(models.Model):
    """A step in the shared action plan, owned by one or more member actors."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDERWAY = "underway", _("Underway")
        DONE = "done", _("Done")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    owners = models.ManyToManyField(Actor, verbose_name=_("owners"), related_name="+")
    # In employee involvement the staff are one actor, which says nothing of who sees to an action: the colleagues
    # responsible are named too. Empty in co-creation, where actors own actions.
    responsible_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible colleagues"), blank=True, related_name="+"
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    # The decision the action carries out (accountability: what became of what we decided). Always one of the
    # same partnership's decisions; `services.create_action` checks it.
    decision = models.ForeignKey(
        "Decision",
        verbose_name=_("follows from decision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    created_by = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # When a member last edited it (its `ActionChange` says who): the version a stale edit is refused by.
    updated_at = models.DateTimeField(null=True, blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        """Its deadline has passed (in Danish time) and it is not done."""
        return self.deadline is not None and self.deadline < timezone.localdate() and self.status != self.Status.DONE


class ActionChange(models.Model):
    """The permanent log of what members did to an action after adding it: who (the member actor, and the person)
    changed its status or edited it, and when. Written only by `services.actions`."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Status changed")
        EDIT = "edit", _("Edited")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    from_status = models.CharField(max_length=10, choices=Action.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Action.Status.choices, blank=True)
    # What an edit changed: names from `EDITABLE`, comma-separated ("title,deadline").
    edited = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    # The fields an edit may change, each named as the action's form names it.
    EDITABLE = {
        "title": _("title"),
        "description": _("description"),
        "deadline": _("deadline"),
        "owners": _("owners"),
        "responsible_people": _("responsible colleagues"),
    }

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action}: {self.kind}"

    @property
    def edited_words(self) -> str:
        return self.words_for(self.edited)

    @classmethod
    def words_for(cls, edited: str) -> str:
        """What an edit changed (`edited`), in words: "title, deadline"."""
        return ", ".join(str(cls.EDITABLE[name]) for name in edited.split(",") if name in cls.EDITABLE)


@dataclass
class PledgeTotal:
    """What was pledged of one kind in one unit, by sector: 3 hours and 50 kroner of volunteer work are two
    totals, not 53 of anything."""

    kind: str
    unit: str  # as the first pledge wrote it; "" for pledges that give none
    count: int = 0
    by_sector: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    # Pledges by sector, and the sectors whose pledges gave an amount: a network pledged without one is not 0.
    count_by_sector: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    amount_given: set[str] = field(default_factory=set)

    @property
    def total(self) -> Decimal:
        return sum(self.by_sector.values(), Decimal(0))

    @property
    def label(self) -> str:
        kind = str(ResourceKind(self.kind).label)
        return f"{kind} ({self.unit})" if self.unit else kind


class PledgesOnLeaving(models.TextChoices):
    """What becomes of an actor's standing pledges when it leaves a partnership (`leave_partnership`)."""

    KEEP = "keep", _("It keeps its pledges: the others can still count on them")
    WITHDRAW = "withdraw", _("It withdraws its pledges: they no longer count in the plan")


class PledgeQuerySet(models.QuerySet["Pledge"]):
    def standing(self) -> "PledgeQuerySet":
        """The pledges not withdrawn: what the partnership can count on."""
        return self.filter(withdrawn_at=None)

    def totals(self) -> dict[tuple[str, str], PledgeTotal]:
        """The standing pledges' totals keyed by kind and compared unit (`same_unit`), in the order of the kinds,
        then the units; a withdrawn pledge counts nowhere. One query."""
        totals: dict[tuple[str, str], PledgeTotal] = {}
        for kind, sector, quantity, unit in self.standing().values_list("kind", "actor__sector", "quantity", "unit"):
            key = (kind, same_unit(unit))
            total = totals.setdefault(key, PledgeTotal(kind, unit.strip()))
            total.count += 1
            total.count_by_sector[sector] += 1
            total.by_sector[sector] += quantity or Decimal(0)
            if quantity is not None:
                total.amount_given.add(sector)
        kinds = list(ResourceKind.values)
        return dict(sorted(totals.items(), key=lambda item: (kinds.index(item[0][0]), item[0][1])))


def pledged_towards(totals: dict[tuple[str, str], PledgeTotal], kind: str, unit: str) -> Decimal:
    """What pledges (`PledgeQuerySet.totals`) count towards a need of `kind` in `unit`: those in its unit, and
    those that give no unit. "10 timer" does not lessen a need of "2 uger", nor "50 kroner" one of "20 timer"."""
    unit = same_unit(unit)
    counted = [unit, ""] if unit else [""]
    return sum((totals[kind, u].total for u in counted if (kind, u) in totals), Decimal(0))


class Pledge(models.Model):
    """A member actor's promise of a resource to the partnership: from its registered resources or ad hoc. The
    actor's people may correct it, or withdraw it: a withdrawn pledge stays on record, but counts nowhere."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="pledges")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="pledges")
    resource = models.ForeignKey(Resource, null=True, blank=True, on_delete=models.SET_NULL, related_name="pledges")
    action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="pledges")
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # When its amount or description was last corrected: the version a stale correction is refused by.
    updated_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PledgeQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "pk"]
        constraints = [
            # A registered resource is pledged once to a partnership: pledged twice, "what we have together" would
            # count it twice, beyond what the resource holds. Withdrawn, it may be pledged again.
            models.UniqueConstraint(
                fields=["partnership", "actor", "resource"],
                condition=Q(resource__isnull=False, withdrawn_at__isnull=True),
                name="one_standing_pledge_per_resource",
            )
        ]

    def __str__(self) -> str:
        return self.description


class PartnershipNeed(models.Model):
    """What the defined problem needs, by resource kind and amount; pledges are measured against it."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="needs")
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=1, validators=[MinValueValidator(0)])
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return self.description or self.get_kind_display()
