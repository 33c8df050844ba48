from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, IntegerField, Prefetch, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samskab.actors.models import Actor

from .core import Partnership

MINUTES_MAX_LENGTH = 100_000  # a long meeting's minutes, with room to spare

# Each member actor spreads this many priority points over the open agenda items; in employee involvement, where
# the staff are one actor, each person does.
PRIORITY_POINTS_PER_ACTOR = 5


class AgendaItemQuerySet(models.QuerySet["AgendaItem"]):
    def prioritised(self) -> "AgendaItemQuerySet":
        """Open items first, then those on a meeting's agenda, then those dealt with; within each, most priority
        points first, then oldest first."""
        order = Case(
            When(status=AgendaItem.Status.OPEN, then=Value(0)),
            When(status=AgendaItem.Status.SCHEDULED, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return self.annotate(total_points=Coalesce(Sum("priorities__points"), 0)).order_by(
            order, "-total_points", "created_at"
        )

    def for_meeting_choice(self, partnership: Partnership) -> "AgendaItemQuerySet":
        return self.filter(partnership=partnership, status=AgendaItem.Status.OPEN).prioritised()

    def for_meeting_edit(self, meeting: "Meeting") -> "AgendaItemQuerySet":
        """The items a meeting's agenda can be changed to: the open ones and those already on it, not dealt with."""
        on_it = models.Q(meeting=meeting, status=AgendaItem.Status.SCHEDULED)
        return self.filter(
            models.Q(status=AgendaItem.Status.OPEN) | on_it, partnership=meeting.partnership_id
        ).prioritised()

    def dealt_with(self) -> "AgendaItemQuerySet":
        """The items dealt with, most recently first."""
        return self.filter(status=AgendaItem.Status.DONE).order_by("-status_changed_at", "-pk")

    def with_how_dealt_with(self) -> "AgendaItemQuerySet":
        """With what a page says of who raised each item and how it was dealt with: the member actor that marked it
        (`status_changed_by`), or the passed proposals about it (`passed_proposals`, a list)."""
        from .decisions import Proposal

        passed = Proposal.objects.filter(status=Proposal.Status.PASSED).order_by("-pk")
        return self.select_related(
            "raised_by", "raised_by_user", "status_changed_by", "status_changed_by_user"
        ).prefetch_related(Prefetch("proposals", queryset=passed, to_attr="passed_proposals"))


class AgendaItem(models.Model):
    """Anything a member wants the partnership to take up. The agenda is open: any member adds items."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        SCHEDULED = "scheduled", _("On a meeting agenda")
        DONE = "done", _("Dealt with")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="agenda_items")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    raised_by = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="+")
    # The person who added it: named to the members in employee involvement, where the actor is the whole staff.
    raised_by_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    meeting = models.ForeignKey(
        "Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_items"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The last time the item was marked dealt with or put back on the agenda, and the member actor that did it;
    # no actor when a decision on a proposal about the item dealt with it.
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The person who changed it, named to members where each person has a voice (employee involvement).
    status_changed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.title


class AgendaPriority(models.Model):
    """How many of its priority points one member actor puts on one agenda item; where each person has a voice
    (`Partnership.voices_are_people`), how many of their own points one person (`user`) puts on it."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="priorities")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    # The person whose points these are, in employee involvement; none where the actor's points are shared. A deleted
    # account takes its points with it: they are a live wish that nobody could change any more, not a contribution.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="agenda_priorities"
    )
    points = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item", "actor"], condition=models.Q(user__isnull=True), name="one_priority_per_actor_and_item"
            ),
            models.UniqueConstraint(
                fields=["item", "user"], condition=models.Q(user__isnull=False), name="one_priority_per_person_and_item"
            ),
        ]


class Meeting(models.Model):
    """A meeting of the partnership's members. Changed or cancelled, it keeps its calendar identity: the same UID
    with a higher `sequence`, so the calendars that got its file follow (RFC 5545). A cancelled meeting stays, shown
    as cancelled, with why."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    # The current minutes, a copy of the newest `MinutesVersion`; saved when, by whom: the version a form checks.
    minutes = models.TextField(_("minutes"), blank=True, max_length=MINUTES_MAX_LENGTH)
    minutes_updated_at = models.DateTimeField(null=True, blank=True)
    minutes_updated_by = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The last change of time, place or agenda, and by which member actor: the version an edit form checks.
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The person who made that change, named to the members where each person has a voice (employee involvement). A
    # deleted account leaves the record, pointing at nobody.
    updated_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The iCalendar SEQUENCE: raised by every change a calendar shows, and by the cancellation.
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The person who cancelled it, named as `updated_by_user` is.
    cancelled_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True, max_length=1000)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:meeting", kwargs={"pk": self.partnership_id, "meeting_pk": self.pk})

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= timezone.now()


class MinutesVersion(models.Model):
    """One saved version of a meeting's minutes: every save keeps one, so no member can erase what another wrote."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes_versions")
    number = models.PositiveIntegerField()
    text = models.TextField(_("minutes"), max_length=MINUTES_MAX_LENGTH)
    written_by = models.ForeignKey(Actor, null=True, on_delete=models.SET_NULL, related_name="+")
    # The person who wrote it, named to the members where each person has a voice (employee involvement).
    written_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="one_minutes_version_per_number")]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.number}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    present = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "actor"], name="one_attendance_per_actor")]
