from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samskab.actors.models import Actor, Membership, Municipality, Sector, Theme

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from samskab.accounts.models import User


class ChallengeQuerySet(models.QuerySet["Challenge"]):
    # The list's status filter, for the pages and the API alike: "" is every challenge still being worked on.
    STATUS_FILTERS = ("open", "in_partnership", "closed", "all")

    def with_closed_partnerships(self) -> ChallengeQuerySet:
        """Each challenge's `closed_partnerships` in the same query: the number of its partnerships where none is
        still at work."""
        partnerships = Partnership.objects.filter(challenge=OuterRef("pk"))
        count = partnerships.order_by().values("challenge").annotate(n=Count("pk")).values("n")
        return self.annotate(
            closed_count=Case(
                When(Exists(partnerships.filter(closed_at=None)), then=Value(0)),
                default=Coalesce(Subquery(count), Value(0)),
            )
        )

    def search(
        self, *, q: str = "", municipality: str = "", theme: str = "", place: str = "", status: str = ""
    ) -> ChallengeQuerySet:
        """The challenge list's search and filters. `q`: every Danish word (stemmed, stop words left out) must
        appear in the title, description, place or who it affects. `place` matches whole, in any case.
        `status`: one of `STATUS_FILTERS`, or "" for those not closed (open or in a partnership)."""
        from samskab.actors import search as danish

        qs: ChallengeQuerySet = self
        if municipality:
            qs = qs.filter(municipality_id=municipality)
        if theme:
            qs = qs.filter(themes__slug=theme)  # one theme, so one row per challenge
        if place:
            qs = qs.filter(place__in=self.spellings_of_place(place))
        if status == "all":
            pass
        elif status:
            qs = qs.filter(status=status)
        else:
            qs = qs.exclude(status=Challenge.Status.CLOSED)
        if not q.strip():
            return qs
        stems = danish.stems(q)
        if not stems:  # only signs or small words ("%", "og"): nothing to search for, so no match
            return qs.none()
        for stem in stems:
            # SQLite compares only ASCII letters without case, so "ørestad" would miss "Ørestad": the word is
            # also looked for as written at the start of a sentence or in capitals (PostgreSQL needs none of it).
            spellings = {stem} if stem.isascii() else {stem, stem.capitalize(), stem.upper()}
            found = Q()
            for spelling in spellings:
                for field in ("title", "description", "place", "affected"):
                    found |= Q(**{f"{field}__icontains": spelling})
            qs = qs.filter(found)
        return qs

    def places(self) -> list[str]:
        """The distinct places the challenges name, one spelling of each ("Ørestad" and "ørestad" are one), sorted
        (for the filter's choices)."""
        names: dict[str, str] = {}
        for name in self.exclude(place="").order_by("place").values_list("place", flat=True).distinct():
            names.setdefault(name.casefold(), name)
        return sorted(names.values(), key=str.casefold)

    def spellings_of_place(self, place: str) -> list[str]:
        """Every spelling of the place the challenges use, however it is written (Python's casefold knows Æ, Ø and
        Å, SQLite's LOWER only ASCII)."""
        wanted = place.strip().casefold()
        names = self.exclude(place="").order_by().values_list("place", flat=True).distinct()
        return [name for name in names if name.casefold() == wanted]


class Challenge(models.Model):
    """A social challenge raised by any actor: what they see, where, and who it affects. The people of the actor
    that raised it may edit it, close it (saying why, if they like) and open it again."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PARTNERSHIP = "in_partnership", _("In a partnership")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("what do you see?"), max_length=5000)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="challenges")
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="challenges"
    )
    place = models.CharField(_("neighbourhood or place"), max_length=120, blank=True)
    affected = models.TextField(_("who does it affect?"), blank=True, max_length=2000)
    raised_by = models.ForeignKey(
        Actor, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="challenges_raised"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    # When someone last saved an edit, and who: the version a stale edit is refused by (`lib.forms.check_unchanged`).
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True, max_length=2000)

    objects = ChallengeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:challenge", kwargs={"pk": self.pk})

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def may_edit(self, user: User | AnonymousUser) -> bool:
        """Whether `user` is one of the people of the actor that raised the challenge: they edit, close and reopen
        it. Nobody else may, whatever their sector."""
        return self.raised_by.has_member(user)

    @property
    def closed_partnerships(self) -> int:
        """How many partnerships took the challenge up, once every one of them has closed; 0 while one works on it.
        Lists annotate it (`ChallengeQuerySet.with_closed_partnerships`); elsewhere it is read."""
        if "closed_count" in self.__dict__:
            return self.__dict__["closed_count"]
        if self.partnerships.filter(closed_at=None).exists():
            return 0
        return self.partnerships.count()


class Phase(models.TextChoices):
    """The phases of a partnership, in their usual order; members may go back to any of them."""

    DEFINE = "define", _("Define the problem together")
    CONTRIBUTORS = "contributors", _("Who could contribute?")
    IDEAS = "ideas", _("Ideas")
    DECIDE = "decide", _("Decide")
    ACT = "act", _("Act")
    LEARN = "learn", _("Learn")


def taking_part(user: User) -> Q:
    """Partnerships `user` takes part in: through an actor they act for, or, in employee involvement, through any
    place in a member actor, a colleague's included (`Membership.Role.COLLEAGUE`). One condition, so that the
    membership and its role are the same row."""
    return Q(members__actor__memberships__user=user) & (
        Q(members__actor__memberships__role__in=Membership.ACTING) | Q(kind=Partnership.Kind.EMPLOYEE_INVOLVEMENT)
    )


class PartnershipQuerySet(models.QuerySet["Partnership"]):
    def visible_to(self, user: User | AnonymousUser) -> PartnershipQuerySet:
        """Public partnerships, plus members-only ones the user takes part in."""
        public = Q(visibility=Partnership.Visibility.PUBLIC)
        if not user.is_authenticated:
            return self.filter(public)
        return self.filter(public | taking_part(user)).distinct()

    def of_user(self, user: User | AnonymousUser) -> PartnershipQuerySet:
        """The partnerships the user takes part in, members-only ones included."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(pk__in=self.filter(taking_part(user)).values("pk"))

    def for_front_page(self) -> PartnershipQuerySet:
        return self.filter(visibility=Partnership.Visibility.PUBLIC).select_related("challenge")

    def ongoing(self) -> PartnershipQuerySet:
        """Those not closed: the partnership list's default."""
        return self.filter(closed_at=None)

    def closed(self) -> PartnershipQuerySet:
        return self.exclude(closed_at=None)


class Partnership(models.Model):
    """A shared space where member actors with equal rights work on a challenge."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: anyone can read along")
        MEMBERS = "members", _("Members only")

    class Kind(models.TextChoices):
        CO_CREATION = "co_creation", _("Co-creation")
        EMPLOYEE_INVOLVEMENT = "employee_involvement", _("Employee involvement")

    challenge = models.ForeignKey(
        Challenge, null=True, blank=True, on_delete=models.PROTECT, related_name="partnerships"
    )
    title = models.CharField(_("title"), max_length=150)
    purpose = models.TextField(_("purpose"), blank=True, max_length=5000)
    room_for_change = models.TextField(
        _("room for change"),
        blank=True,
        max_length=5000,
        help_text=_(
            "For employee involvement: what is decided already, and what the staff may shape. For example: the "
            "reform's goals are fixed; how the lessons are organised is ours to decide."
        ),
    )
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.CO_CREATION)
    phase = models.CharField(_("current phase"), max_length=20, choices=Phase.choices, default=Phase.DEFINE)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When a member last saved the shared description, and for whom: the version a stale edit is refused by.
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by_actor = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Closed by a consent decision (`closing_decision`, `services.core.close_on_consent`): from then on every write
    # through `services.core.check_member` is refused, until a member who speaks for its actor reopens it. Both are
    # cleared then; `ClosingChange` keeps the history.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closing_decision = models.ForeignKey("Decision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:detail", kwargs={"pk": self.pk})

    def is_member(self, actor: Actor) -> bool:
        return self.members.filter(actor=actor).exists()

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def name_of(self, person: User | None, *, to_member: bool) -> str | None:
        """How a person who answered or commented is named to a reader: never by address, and where each person
        has a voice only to the members (None: not named)."""
        if person is None or (self.voices_are_people and not to_member):
            return None
        return person.name or (str(_("A person who has not given a name")) if self.voices_are_people else None)

    def who_acted(self, person: User | None, actor: Actor) -> str:
        """How a notice to the partnership's people names who did something: where each person has a voice, the
        person, as members see them (`name_of`); in co-creation, where actors take part, the actor."""
        return (self.name_of(person, to_member=True) if self.voices_are_people else None) or actor.name

    @property
    def voices_are_people(self) -> bool:
        """Whether each person has a voice in consent decisions. In co-creation actors decide, one voice each,
        whatever their size; in employee involvement the staff are one actor, so each of them answers for
        themselves, and a leader's proposal cannot pass without them."""
        return self.kind == self.Kind.EMPLOYEE_INVOLVEMENT

    @property
    def roles_taking_part(self) -> tuple[str, ...]:
        """The places in a member actor that take part: those acting for it, and in employee involvement, where the
        staff are the actor, every colleague too."""
        return tuple(Membership.Role.values) if self.voices_are_people else Membership.ACTING

    def member_actors_of(self, user: User | AnonymousUser) -> models.QuerySet[Actor]:
        """The actors through which `user` takes part in this partnership (usually one)."""
        if not user.is_authenticated:
            return Actor.objects.none()
        return Actor.objects.filter(
            partnership_memberships__partnership=self,
            memberships__user=user,
            memberships__role__in=self.roles_taking_part,
        ).distinct()

    def workplaces_administered_by(self, user: User | AnonymousUser) -> models.QuerySet[Actor]:
        """In employee involvement, the member actors `user` administers: colleagues are invited into the actor
        (from its page), not actors into the process (`permissions.STAFF_PROCESS_IS_INTERNAL`). None elsewhere."""
        if not self.voices_are_people:
            return Actor.objects.none()
        return Actor.objects.administered_by(user).filter(partnership_memberships__partnership=self).order_by("name")

    def actors_acted_for(self, user: User | AnonymousUser) -> models.QuerySet[Actor]:
        """The member actors `user` acts for (as administrator or member). Beyond taking part, they speak for the
        partnership as a whole: they invite actors, edit its description and visibility, and pass the facilitator
        role on. In co-creation these are `member_actors_of`; in employee involvement not every colleague's."""
        return Actor.objects.of_user(user).filter(partnership_memberships__partnership=self).distinct()

    def takes_part_through(self, user: User | AnonymousUser, actor: Actor) -> bool:
        """Whether `user` may act in this partnership on behalf of `actor`, a member of it."""
        return self.member_actors_of(user).filter(pk=actor.pk).exists()

    def people(self, *, through: Iterable[Actor | int] | None = None) -> models.QuerySet[User]:
        """The active people taking part through the member actors (or only through the actors `through`), each
        once: whom the partnership's notices reach, and where `voices_are_people`, the voices."""
        from samskab.accounts.models import User

        taking_part = Q(
            actor_memberships__actor__partnership_memberships__partnership=self,
            actor_memberships__role__in=self.roles_taking_part,
        )
        if through is not None:  # in the same filter, so that the membership is the one whose role was checked
            taking_part &= Q(actor_memberships__actor__in=list(through))
        people = User.objects.filter(taking_part)
        return User.objects.filter(pk__in=people.values("pk"), is_active=True).order_by("name", "email")

    def has_member_user(self, user: User | AnonymousUser) -> bool:
        return self.member_actors_of(user).exists()

    def members_by_sector(self) -> list[tuple[str, str, list[PartnershipMember]]]:
        members = list(self.members.select_related("actor").order_by("actor__name"))
        return [
            (sector.value, str(sector.label), [m for m in members if m.actor.sector == sector.value])
            for sector in Sector
        ]


class PartnershipMember(models.Model):
    """An actor's place in a partnership. All members have equal rights; facilitating is procedural."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        FACILITATOR = "facilitator", _("Facilitator")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="members")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="partnership_memberships")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "actor"], name="unique_partnership_member")]
        ordering = ["joined_at"]
        verbose_name = _("partnership member")
        verbose_name_plural = _("partnership members")

    def __str__(self) -> str:
        return f"{self.actor} · {self.partnership}"


class PartnershipInvitationQuerySet(models.QuerySet["PartnershipInvitation"]):
    def pending(self) -> PartnershipInvitationQuerySet:
        return self.filter(status=PartnershipInvitation.Status.PENDING)

    def answerable_by(self, user: User | AnonymousUser) -> PartnershipInvitationQuerySet:
        """Invitations the user may accept or decline: those to actors the user administers."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(actor__memberships__user=user, actor__memberships__role=Membership.Role.ADMIN)


class PartnershipInvitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="invitations")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="partnership_invitations")
    invited_by_actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="+")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("message"), blank=True, max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who withdrew it (a member actor, `responded_by` the person), where it was withdrawn rather than answered.
    withdrawn_by_actor = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = PartnershipInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "actor"],
                condition=Q(status="pending"),
                name="one_pending_invitation_per_actor",
            )
        ]

    def __str__(self) -> str:
        return f"{self.actor} → {self.partnership}"


class JoinRequest(models.Model):
    """An actor asks to take part in a public partnership: the other way in beside an invitation. Any member lets it
    in or, saying why, does not; the people who asked may withdraw it while it waits."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting an answer")
        ACCEPTED = "accepted", _("Let in")
        DECLINED = "declined", _("Not let in")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="join_requests")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    message = models.TextField(_("what your actor would bring"), blank=True, max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The member actor that let it in or not (none when the actor withdrew it), and why not.
    responded_by_actor = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("why not"), blank=True, max_length=2000)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "actor"],
                condition=Q(status="pending"),
                name="one_pending_join_request_per_actor",
            )
        ]

    def __str__(self) -> str:
        return f"{self.actor} ? {self.partnership}"


class PhaseChange(models.Model):
    """The permanent log of phase changes: who moved the partnership where, and when."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="phase_changes")
    from_phase = models.CharField(max_length=20, choices=Phase.choices, blank=True)
    to_phase = models.CharField(max_length=20, choices=Phase.choices)
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.from_phase} → {self.to_phase}"


class FacilitatorChange(models.Model):
    """The log of who held the (procedural) facilitator role, and who passed it on."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="facilitator_changes")
    to_actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="+")
    by_actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]


class VisibilityChange(models.Model):
    """The log of who may read a partnership: made members-only by a member at once, made public only by a
    consent decision (`decision`), since what the members wrote for each other becomes readable by anyone."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="visibility_changes")
    to_visibility = models.CharField(max_length=10, choices=Partnership.Visibility.choices)
    by_actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decision = models.ForeignKey(
        "Decision", null=True, blank=True, on_delete=models.SET_NULL, related_name="visibility_changes"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]


class MemberDeparture(models.Model):
    """The log of member actors that left a partnership: who decided it for the actor, and when. What the actor
    said, pledged and decided while a member stays in the partnership's record."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="departures")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("why (optional)"), max_length=300, blank=True)

    class Meta:
        ordering = ["-left_at", "-pk"]


class ClosingChange(models.Model):
    """The log of a partnership's closing and reopening. It is closed only by a consent decision (`decision`), in
    the name of the actor that proposed it; a member who speaks for its actor reopens it at once, saying why
    (`reason`), and everyone else taking part is told."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="closing_changes")
    closed = models.BooleanField()  # True: closed; False: reopened
    by_actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decision = models.ForeignKey("Decision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("why"), blank=True, max_length=1000)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.partnership}: {'closed' if self.closed else 'reopened'}"
