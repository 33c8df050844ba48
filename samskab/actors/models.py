from __future__ import annotations

import hashlib
import math
import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import Avg, Count, Exists, ExpressionWrapper, F, FloatField, OuterRef, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cos, Power, Radians, Sin, Upper
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from samskab.accounts.models import User

# The addresses under /aktoerer/ that are pages of their own, not actors: no actor's slug may be one of them, or its
# page would be out of reach ("Kort" would open the map).
RESERVED_SLUGS = frozenset({"ny", "kort", "importer", "invitation", "invitationer", "overtagelse"})
DESCRIPTION_MAX_LENGTH = 5000  # an actor's own words about itself; a register import is held to it too


class Sector(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    ASSOCIATION = "association", _("Association")
    CITIZEN = "citizen", _("Citizen")
    BUSINESS = "business", _("Business")


class Municipality(models.Model):
    """One of the 98 Danish municipalities (reference data from DAGI, loaded by a migration)."""

    code = models.CharField(_("municipality code"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=80, unique=True)
    region = models.CharField(_("region"), max_length=80)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class MunicipalAdministrator(models.Model):
    """A person who may create the municipality's own actors (departments, schools, institutions)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="administrators")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "municipality"], name="unique_municipal_admin")]
        verbose_name = _("municipal administrator")
        verbose_name_plural = _("municipal administrators")

    def __str__(self) -> str:
        return f"{self.user} · {self.municipality}"


class Theme(models.Model):
    """A fixed taxonomy of social themes, kept as data (see actors/data/themes.csv)."""

    slug = models.SlugField(unique=True)
    name_da = models.CharField(max_length=80)
    name_en = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "da").startswith("en") else self.name_da


class ShowsAddress(models.Func):
    """Whether the actor shows its address (`"address" in public_fields`), in SQL.

    An actor's position is as private as its address: only actors that show it are found by distance, count in a
    place's centre or are measured from. SQLite stores the list as JSON text, in which the quoted name appears
    exactly when the list holds it (no other field's name contains it with its quotes); PostgreSQL asks jsonb.
    """

    conditional = True
    output_field = models.BooleanField()

    def __init__(self) -> None:
        super().__init__(F("public_fields"))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="(instr(%(expressions)s, '\"address\"') > 0)", **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="(%(expressions)s @> '[\"address\"]'::jsonb)", **extra)


def _counted_by_ids[QS: models.QuerySet](qs: QS, id_sets: list[models.QuerySet]) -> QS:
    """On SQLite, `qs` (filtered with Exists() on each subquery of actor ids in `id_sets`) counted once for the
    paginator (`known_count`).

    SQLite tests Exists() actor by actor, so counting the 10,000 actors with a theme reads all 100,000 (65 ms).
    The count instead looks the ids up from the theme's or the resource kind's index (14 ms). The page keeps
    Exists() when there are many, for the name index then finds 20 quickly, and looks the ids up when few.
    """
    from .search import PAGE_BY_NAME_FROM

    looked_up = qs
    for ids in id_sets:
        looked_up = looked_up.filter(pk__in=ids)
    count = looked_up.order_by().count()
    page = qs if count >= PAGE_BY_NAME_FROM else looked_up
    page.known_count = count  # type: ignore[attr-defined]
    return page


def validate_public_fields(value: Any) -> None:
    """`Actor.public_fields` is a list of `Actor.PublicField` values: a bare "address" would be found by
    `ShowsAddress` on SQLite (it reads the JSON as text) and not on PostgreSQL."""
    allowed = set(Actor.PublicField.values)
    if not isinstance(value, list) or not all(isinstance(item, str) and item in allowed for item in value):
        raise ValidationError(
            _("List the fields to show, each one of: %(fields)s.") % {"fields": ", ".join(sorted(allowed))},
            code="public_fields",
        )


def positioned() -> models.Q:
    """Actors whose position may be used: they have coordinates and show their address (`ShowsAddress`)."""
    return models.Q(ShowsAddress(), latitude__isnull=False, longitude__isnull=False)


class ActorQuerySet(models.QuerySet["Actor"]):
    def for_directory(self) -> ActorQuerySet:
        # The municipality is prefetched, not joined: with the join, SQLite's planner starts from the
        # municipalities and sorts every match by name, where without it the name index finds the first page
        # and stops (28 ms against 3 for three filters on 100,000 actors).
        # Anonymised actors are left out by id: the few ids come from a partial index, and testing an id needs no
        # row, so counts still run on the indexes alone. With 100,000 actors on SQLite this costs about 4 ms at
        # p95, a condition on the column 9 ms, the ids as literals 130 ms (docs/benchmarks.md).
        anonymised = Actor.objects.filter(anonymised_at__isnull=False).values("pk")
        return self.exclude(pk__in=anonymised).prefetch_related("municipality", "themes").order_by("name")

    def search(
        self,
        *,
        q: str = "",
        sector: str = "",
        theme: str = "",
        neighbourhood: str = "",
        municipality: str = "",
        resource_kind: str = "",
        need_kind: str = "",
        lat: float | None = None,
        lon: float | None = None,
        km: float | None = None,
        paged: bool = True,
    ) -> tuple[ActorQuerySet, bool]:
        """The directory's search and filters, for the pages and the API alike.

        Returns the actors and whether they were found by typo-tolerant name matching (no exact match); those
        come closest name first. Unless `paged` is False (the map takes the first few), SQLite counts the actors
        for the paginator now (`_counted_by_ids`).
        """
        from . import search

        qs: ActorQuerySet = self
        if sector:
            qs = qs.filter(sector=sector)
        if neighbourhood:
            qs = qs.filter(neighbourhood__iexact=neighbourhood)
        if municipality:
            qs = qs.filter(municipality_id=municipality)
        # Themes and resources as subqueries of actor ids, tested with Exists() rather than joined: no duplicate
        # rows, so no DISTINCT over every column (slow at 100k). SQLite counts them by the ids (`_counted_by_ids`).
        id_sets: list[models.QuerySet] = []
        if theme:
            id_sets.append(Actor.themes.through.objects.filter(theme__slug=theme).values("actor_id"))
        if resource_kind:
            id_sets.append(Resource.objects.filter(kind=resource_kind).values("actor_id"))
        if need_kind:
            id_sets.append(Need.objects.filter(kind=need_kind).values("actor_id"))
        for held in id_sets:
            qs = qs.filter(Exists(held.filter(actor_id=OuterRef("pk"))))
        if lat is not None and lon is not None and km:
            qs = qs.within(lat=lat, lon=lon, km=km)
        if not q.strip():
            if connection.vendor == "sqlite" and id_sets and paged:
                return _counted_by_ids(qs, id_sets), False
            return qs, False
        if not search.words(q):  # only signs or small words ("%", "og"): nothing to search for, so no match
            return qs.none(), False
        found = search.full_text(qs, q)
        if search.has_any(found):
            return search.page_of_matches(qs, q, found), False
        ids = search.fuzzy_names(qs, q)
        if not ids:
            return qs.none(), False
        # One CASE in plain SQL: as a Case() of When()s, compiling the ordering cost more than the query.
        whens = " ".join("WHEN %s THEN %s" for _ in ids)
        closest_first = RawSQL(
            f'CASE "actors_actor"."id" {whens} END', [v for i, pk in enumerate(ids) for v in (pk, i)]
        )
        return qs.filter(pk__in=ids).order_by(closest_first.asc(), "name"), True

    def placed(self) -> ActorQuerySet:
        """Actors whose position may be used (`positioned`)."""
        return self.filter(positioned())

    def unplaced(self) -> ActorQuerySet:
        """Actors whose position is unknown or private: no distance to them is ever given."""
        return self.exclude(positioned())

    def within(self, *, lat: float, lon: float, km: float) -> ActorQuerySet:
        """Placed actors (`placed`) within `km` of the point: a bounding box the indexes narrow, then the
        great-circle distance (`lib.geo.distance_m`), both in SQL. The haversine term itself is compared, so
        no inverse sine is needed: a <= sin²(d / 2R) exactly when the distance is at most d."""
        from samskab.lib.geo import EARTH_RADIUS_M, bounding_box

        south, north, west, east = bounding_box(lat, lon, km)
        phi = Radians(F("latitude"))
        half_dphi = (phi - Value(math.radians(lat))) / 2
        half_dlambda = (Radians(F("longitude")) - Value(math.radians(lon))) / 2
        haversine = Power(Sin(half_dphi), 2) + Value(math.cos(math.radians(lat))) * Cos(phi) * Power(
            Sin(half_dlambda), 2
        )
        limit = math.sin(km * 1000 / (2 * EARTH_RADIUS_M)) ** 2
        return (
            self.placed()
            .filter(latitude__range=(south, north), longitude__range=(west, east))
            .alias(haversine=ExpressionWrapper(haversine, output_field=FloatField()))
            .filter(haversine__lte=limit)
        )

    def centre(self) -> tuple[float, float] | None:
        """The mean position of these actors that are placed (`placed`); None if none is."""
        mean = self.placed().aggregate(lat=Avg("latitude"), lon=Avg("longitude"))
        return None if mean["lat"] is None else (mean["lat"], mean["lon"])

    def neighbourhood_centres(self) -> dict[tuple[str, str], tuple[float, float]]:
        """(municipality code, casefolded neighbourhood) -> the mean position of its placed actors (`placed`).

        Grouped in SQL by the names as written, then merged in Python, whose casefold knows Æ, Ø and Å
        (SQLite's LOWER knows only ASCII), so "Ørestad" and "ørestad" are one place on both databases.
        """
        merged: dict[tuple[str, str], tuple[int, float, float]] = {}
        rows = (
            self.exclude(neighbourhood="")
            .placed()
            .order_by()
            .values("municipality_id", "neighbourhood")
            .annotate(n=Count("pk"), lat=Avg("latitude"), lon=Avg("longitude"))
        )
        for row in rows:
            key = (row["municipality_id"], row["neighbourhood"].casefold())
            n, lat, lon = merged.get(key, (0, 0.0, 0.0))
            merged[key] = (n + row["n"], lat + row["lat"] * row["n"], lon + row["lon"] * row["n"])
        return {key: (lat / n, lon / n) for key, (n, lat, lon) in merged.items()}

    def neighbourhood_centre(self, municipality: str, neighbourhood: str) -> tuple[float, float] | None:
        """The mean position of the placed actors in one municipality's neighbourhood, named in any case."""
        centres = self.filter(municipality_id=municipality).neighbourhood_centres()
        return centres.get((municipality, neighbourhood.casefold()))

    def neighbourhoods(self) -> list[str]:
        """The distinct neighbourhood names, sorted (for the filters' choices; counted in SQL, not Python)."""
        return list(
            self.exclude(neighbourhood="").order_by("neighbourhood").values_list("neighbourhood", flat=True).distinct()
        )

    def administered_by(self, user: User | AnonymousUser) -> ActorQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user, memberships__role=Membership.Role.ADMIN)

    def with_colleague(self, user: User | AnonymousUser) -> ActorQuerySet:
        """The actors where the user is a colleague only: they take part in the actor's own processes."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user, memberships__role=Membership.Role.COLLEAGUE)

    def of_user(self, user: User | AnonymousUser) -> ActorQuerySet:
        """The actors the user acts for: not those where they are only a colleague (`Membership.Role.COLLEAGUE`)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user, memberships__role__in=Membership.ACTING)


class Actor(models.Model):
    """A party in partnerships: a municipal unit, an association, a citizen or a business."""

    class PublicField(models.TextChoices):
        ADDRESS = "address", _("Address")
        CONTACT_EMAIL = "contact_email", _("Contact email")
        CONTACT_PHONE = "contact_phone", _("Contact phone")
        WEBSITE = "website", _("Website")
        MEMBERS = "members", _("People behind the actor")

    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="actors")
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="actors"
    )
    neighbourhood = models.CharField(_("neighbourhood"), max_length=80, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[MinValueValidator(54.4), MaxValueValidator(57.9)]
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[MinValueValidator(7.9), MaxValueValidator(15.3)]
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    public_fields = models.JSONField(_("public fields"), default=list, blank=True, validators=[validate_public_fields])
    external_id = models.CharField(_("external id (e.g. CVR number)"), max_length=40, blank=True)
    open_to_suggestions = models.BooleanField(
        _("may be suggested to partnerships"),
        default=True,
        help_text=_("Untick to keep the actor out of the coalition finder's suggestions."),
    )
    # A citizen actor left behind, nameless, by a deleted account: it keeps the history it is part of, but it is
    # no longer listed in the directory or offered anywhere as someone to work with.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ActorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        indexes = [
            models.Index(fields=["sector", "municipality"]),
            models.Index(fields=["neighbourhood"]),
            # The directory's neighbourhood filter ignores case (`iexact`, UPPER on PostgreSQL): 61 ms as a
            # scan of 100,000 actors, 2 ms through this index. SQLite's LIKE does not use it.
            models.Index(Upper("neighbourhood"), name="actors_neighbourhood_upper"),
            models.Index(fields=["latitude", "longitude"]),
            models.Index(fields=["name"]),
            # The few anonymised actors, which the directory leaves out (`for_directory`).
            models.Index(
                fields=["anonymised_at"], name="actors_anonymised", condition=models.Q(anonymised_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("actors:detail", kwargs={"slug": self.slug})

    def shows(self, field: str) -> bool:
        return field in self.public_fields

    def is_admin(self, user: User | AnonymousUser) -> bool:
        return user.is_authenticated and self.memberships.filter(user=user, role=Membership.Role.ADMIN).exists()

    def has_member(self, user: User | AnonymousUser) -> bool:
        """Whether `user` acts for the actor: an administrator or a member, not a colleague."""
        return user.is_authenticated and self.memberships.filter(user=user, role__in=Membership.ACTING).exists()

    def has_member_with_email(self, email: str) -> bool:
        return self.memberships.filter(user__email__iexact=email.strip()).exists()


class Membership(models.Model):
    """A person's place in an actor: admins edit the actor and answer invitations on its behalf; members act for it
    in partnerships, conversations and surveys.

    A colleague takes part only in the actor's own employee-involvement processes, with a voice of their own there:
    a teacher invited into the school's staff process does not thereby speak for the school in its co-creation
    partnerships, raise challenges in its name, or appear among the people behind it."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member")
        COLLEAGUE = "colleague", _("Colleague")

    # The roles that act for the actor.
    ACTING = (Role.ADMIN, Role.MEMBER)

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="actor_memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["actor", "user"], name="unique_actor_membership")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.actor}"


class ActorInvitationQuerySet(models.QuerySet["ActorInvitation"]):
    def pending(self) -> ActorInvitationQuerySet:
        return self.filter(accepted_at__isnull=True)

    def for_user(self, user: User) -> ActorInvitationQuerySet:
        """Pending invitations sent to one of the person's confirmed email addresses, whether or not they had
        an account when it was sent: an invitation waits for the address, not for a user."""
        from allauth.account.models import EmailAddress

        confirmed = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
        return self.pending().filter(email__in=[email.lower() for email in confirmed])


class EmailedLink(models.Model):
    """Something answered by the link in an email. Only the SHA-256 of the link's token is stored, and the token is
    made as the email is sent (`issue_token`), so whoever reads the database cannot answer in someone else's place."""

    token_hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        abstract = True

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def unknown_token() -> str:
        """The hash of a token nobody knows, until the email is sent."""
        return EmailedLink.hash_token(secrets.token_urlsafe(32))

    def issue_token(self) -> str:
        """A new token for the link, of which only the hash is stored; an earlier link stops working."""
        token = secrets.token_urlsafe(32)
        type(self).objects.filter(pk=self.pk).update(token_hash=self.hash_token(token))  # type: ignore[attr-defined]
        return token


class ActorInvitation(EmailedLink):
    """An actor admin's invitation for a person (by email) to join the actor.

    It is bound to the address, not to an account, so it waits for a person who signs up later."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    # Kept when the sender deletes their account: the invitation is the actor's, and the person may still accept.
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = ActorInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.actor}"

    @property
    def sender(self) -> str:
        """Who the invitation says sent it: their name, else (an account since deleted, or without a name) an
        administrator of the actor. Never an address."""
        if self.invited_by is not None and self.invited_by.name:
            return self.invited_by.name
        return gettext("An administrator of %(actor)s") % {"actor": self.actor.name}

    def is_for(self, user: User) -> bool:
        """Sent to the person's login address, or to another address of theirs they have confirmed."""
        from allauth.account.models import EmailAddress

        if self.email.lower() == user.email.lower():
            return True
        return EmailAddress.objects.filter(user=user, email__iexact=self.email, verified=True).exists()


class ActorClaim(EmailedLink):
    """A person asks to administer an actor nobody administers: one the municipality's register import made, or one
    whose administrators have all left. Nobody could otherwise act or answer invitations for it.

    Whoever reads the actor's email in the register confirms it by the link sent there (`claims.claim_actor`); the
    municipality's administrators may answer it too, and are the only ones who can for an actor without an email.
    Once one claim is confirmed, the others waiting are closed: the new administrator invites whom they will."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        ACCEPTED = "accepted", _("Confirmed")
        DECLINED = "declined", _("Not confirmed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        OVERTAKEN = "overtaken", _("Someone else took it over first")

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="actor_claims")
    message = models.TextField(_("who you are at the actor"), blank=True, max_length=1000)
    # The actor's email when the claim was made: the link went there (never shown to the claimant).
    emailed_to = models.EmailField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    # A municipal administrator who answered; none when the register's email did, or the claimant withdrew.
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("why not"), blank=True, max_length=2000)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "user"], condition=models.Q(status="pending"), name="one_pending_claim_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ? {self.actor}"


class ResourceKind(models.TextChoices):
    VOLUNTEER_HOURS = "volunteer_hours", _("Volunteer hours")
    PREMISES = "premises", _("Premises")
    EQUIPMENT = "equipment", _("Equipment")
    EXPERTISE = "expertise", _("Expertise")
    NETWORK = "network", _("Network")
    FUNDING = "funding", _("Funding")
    JOBS = "jobs", _("Jobs and internships")


class Resource(models.Model):
    """Something an actor offers to partnerships."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("For example hours a week or seats"))
    availability = models.CharField(_("availability"), max_length=120, blank=True)

    class Meta:
        ordering = ["kind", "title"]
        indexes = [models.Index(fields=["kind", "actor"])]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self) -> str:
        return self.title


class Need(models.Model):
    """Something an actor lacks and would welcome from others."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="needs")
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    description = models.CharField(_("description"), max_length=300)

    class Meta:
        ordering = ["kind"]
        indexes = [models.Index(fields=["kind", "actor"])]  # the directory's "needs" filter, as for resources
        verbose_name = _("need")
        verbose_name_plural = _("needs")

    def __str__(self) -> str:
        return self.description


class ActorImport(models.Model):
    """A municipal administrator's register upload on its way in: the file until it is read, the parsed rows,
    the column mapping, and the dry run's report. Kept in the database so any web worker and the task worker
    can carry it on."""

    class Status(models.TextChoices):
        READING = "reading", _("Reading the file")
        MAPPING = "mapping", _("Choose columns")
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    upload = models.BinaryField(null=True, blank=True, help_text="The file as uploaded, until it has been read")
    headers = models.JSONField(default=list)
    rows = models.JSONField(default=list, help_text="[[line number, [cell, ...]], ...]")
    mapping = models.JSONField(default=dict, help_text="{actor field: column index}")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MAPPING)
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("actor import")
        verbose_name_plural = _("actor imports")

    def __str__(self) -> str:
        return f"{self.filename} → {self.municipality}"

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.READING, self.Status.CHECKING, self.Status.IMPORTING}

    @property
    def percent(self) -> int:
        return round(100 * self.progress / self.total) if self.total else 0
