from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from samskab.actors.models import Actor, Resource, ResourceKind

from .core import Partnership


class Action(models.Model):
    """A step in the shared action plan, owned by one or more member actors."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDERWAY = "underway", _("Underway")
        DONE = "done", _("Done")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owners = models.ManyToManyField(Actor, verbose_name=_("owners"), related_name="+")
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    created_by = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.title


class Pledge(models.Model):
    """A member actor's promise of a resource to the partnership: from its registered resources or ad hoc."""

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

    class Meta:
        ordering = ["kind", "pk"]

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
