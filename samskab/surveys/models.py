"""Surveys, waves, one-time invitations and anonymous responses.

Anonymity by design. Three kinds of rows, deliberately unlinked:

- `Invitation` holds only the SHA-256 of a one-time token and whether it was used. The raw token exists in
  the email (or the respondent's cookie) and never in the database or the task queue. An unused personal token
  points at its holder's `Participation`; when any of them is used, all of that person's tokens for the round
  are spent and point at nobody.
- `Participation` records *who* has answered a wave, so reminders go only to the others.
- `PooledResponse` holds a submission until enough have come to be mixed (`services.submit_response`): the
  answers are written as `Response` rows only in batches of at least the threshold, in random order, and the
  round is written once more in random order when it closes, so neither row order nor the transaction that wrote
  a row lines up with the order in which people were marked as having answered (docs/surveys.md).
- `Response` and `Answer` record *what* was answered: no user, actor or invitation key, random primary keys
  and only the local day of submission.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime
from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from samskab.actors.models import Actor, Municipality, Sector
from samskab.partnerships.models import Partnership

from .instruments import Instrument, get_instrument


def new_link_token() -> str:
    return secrets.token_urlsafe(16)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Survey(models.Model):
    """A validated (or Samskab's own) instrument asked in waves, in a partnership or in a neighbourhood."""

    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="surveys"
    )
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="surveys"
    )
    neighbourhood = models.CharField(_("neighbourhood"), max_length=80, blank=True)
    title = models.CharField(_("title"), max_length=150)
    instrument_id = models.CharField(_("instrument"), max_length=80)
    instrument_version = models.PositiveSmallIntegerField(_("instrument version"))
    level = models.CharField(_("COPSOQ level"), max_length=10, blank=True)
    leaders_answer = models.BooleanField(
        _("the actors' administrators answer too"),
        default=True,
        help_text=_(
            "Turn off for a survey among employees: then a leader's own answers never count in their staff's "
            "results. Leaders are the administrators of the partnership's member actors."
        ),
    )
    public_link = models.BooleanField(
        _("anyone with the link may answer"),
        default=False,
        help_text=_("For community surveys: one answer per browser, no account needed."),
    )
    link_token = models.CharField(max_length=32, unique=True, default=new_link_token, editable=False)
    # A community survey's runner: the municipal actor whose administrators started it. They, not every municipal
    # unit's leaders, open and close its link and read its answers in own words (`permissions.may_run`).
    actor = models.ForeignKey(
        Actor, null=True, blank=True, on_delete=models.SET_NULL, related_name="community_surveys", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(partnership__isnull=False) | Q(municipality__isnull=False),
                name="survey_in_partnership_or_municipality",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:detail", kwargs={"pk": self.pk})

    def get_link_url(self) -> str:
        return reverse("surveys:open_link", kwargs={"link_token": self.link_token})

    @property
    def is_community(self) -> bool:
        return self.partnership_id is None

    @cached_property
    def instrument(self) -> Instrument:
        instrument = get_instrument(self.instrument_id, self.instrument_version)
        return instrument.at_level(self.level) if self.level else instrument

    @property
    def instrument_name(self) -> str:
        instrument = self.instrument
        return instrument.name_en if (get_language() or "da").startswith("en") else instrument.name_da

    def open_wave(self, now: datetime | None = None) -> Wave | None:
        now = now or timezone.now()
        return self.waves.filter(opens_at__lte=now, closes_at__gt=now).order_by("opens_at").first()

    @property
    def has_closed_round(self) -> bool:
        """Whether any round has closed, so there can be results (from `waves.all()`: prefetch on lists)."""
        now = timezone.now()
        return any(wave.is_closed(now) for wave in self.waves.all())

    @property
    def first_closing(self) -> datetime | None:
        """When the first round closes (or closed): the earliest moment there can be results."""
        return min((wave.closes_at for wave in self.waves.all()), default=None)


class Wave(models.Model):
    """One round of a survey: a baseline before a change, a follow-up after it, and so on."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Baseline")
        FOLLOW_UP = "follow_up", _("Follow-up")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="waves")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.BASELINE)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    created_at = models.DateTimeField(auto_now_add=True)
    # When invitations or reminders were last emailed: the next reminder waits `REMINDER_INTERVAL`, so repeated
    # clicks neither flood anyone's inbox nor replace the links in the emails just sent.
    invited_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the people of the partnership were told that the round had closed (with its results, or that they are
    # withheld): set once, by the one process that claims it (`services.announce_results`).
    results_announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    # What those who run the survey answer the round's results: what they heard, and what they will do about it.
    # Feedback that leads nowhere is what makes the next round's answers fewer; everyone who reads the results
    # reads this beside them.
    follow_up = models.TextField(_("what we do with the results"), blank=True, max_length=3000)
    follow_up_at = models.DateTimeField(null=True, blank=True, editable=False)
    follow_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    # When the closed round's answers were written once more, all together in random order, after the last pooled
    # ones were mixed in (`services.mix_closed_rounds`): set once.
    mixed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["opens_at", "pk"]
        verbose_name = _("wave")
        verbose_name_plural = _("waves")
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="wave_closes_after_opening")
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.label}"

    @property
    def label(self) -> str:
        return f"{self.get_kind_display()} {date_format(timezone.localtime(self.opens_at), 'j. F Y')}"

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def is_closed(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.closes_at


class Invitation(models.Model):
    """A one-time token to answer one wave. Only the token's hash is kept; `used` flips exactly once."""

    class Channel(models.TextChoices):
        PERSONAL = "personal", _("Personal invitation")
        OPEN_LINK = "open_link", _("Open link")

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.PERSONAL)
    # The sector the person was invited through (a partnership survey's breakdown); copied to the response.
    sector = models.CharField(max_length=20, choices=Sector.choices, blank=True)
    # Only the local day of use, as midnight: an exact time could be matched against who was where when. Set too
    # on a person's other tokens for the round when one of them is used: they are spent with it.
    used_at = models.DateTimeField(null=True, blank=True)
    # The holder of an unused personal token; cleared on all of the holder's tokens for the round when one is used,
    # so used tokens point at nobody. A person may hold several (the emailed link, a reminder's, "Answer now"):
    # each works until one of them is used.
    participation = models.ForeignKey(
        "Participation", null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")

    def __str__(self) -> str:
        return f"{self.wave} · {self.token_hash[:8]}…"


class Participation(models.Model):
    """Who has answered a wave (never what): reminders go to the others. No timestamps, on purpose."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_participations")
    answered = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["wave", "user"], name="one_participation_per_wave")]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")

    def __str__(self) -> str:
        return f"{self.user} · {self.wave}"


class PooledResponse(models.Model):
    """A submission waiting to be mixed with others before it is written as a `Response` (`services._mix_in`):
    the same anonymous content, kept only until at least the threshold are pooled or the round closes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="pooled_responses")
    sector = models.CharField(max_length=20, choices=Sector.choices, blank=True)
    submitted_on = models.DateField()
    answers = models.JSONField(default=dict)  # item id -> [value or null, text]

    class Meta:
        verbose_name = _("survey answer waiting to be mixed in")
        verbose_name_plural = _("survey answers waiting to be mixed in")

    def __str__(self) -> str:
        return f"{self.wave} · {self.submitted_on}"


class Response(models.Model):
    """One anonymous set of answers. Deliberately without user, actor or invitation, and dated to the day."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    sector = models.CharField(max_length=20, choices=Sector.choices, blank=True)
    submitted_on = models.DateField()

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return f"{self.wave} · {self.submitted_on}"


class Answer(models.Model):
    """One item's answer: the chosen option's value (null for a non-scored option such as "Don't know")
    or free text. Items left unanswered have no row."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item_id = models.CharField(max_length=40)
    value = models.FloatField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=2000)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "item_id"], name="one_answer_per_item")]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return self.item_id
