from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from samskab.actors.models import Actor, Sector
from samskab.partnerships.models import Partnership

STATEMENT_MAX_LENGTH = 280  # what a participant may write here
PROBLEM_DEFINITION_MAX_LENGTH = 5000
HIDE_REASON_NEEDED = _(
    "Choose why the statement is hidden: spam, off topic, a duplicate, or it names or attacks a person."
)
IMPORTED_STATEMENT_MAX_LENGTH = 1000  # what an import keeps whole: Polis conversations hold longer statements


# How a person names the sector they take part as: the choices when they are asked, and the words repeated to them.
TAKING_PART_AS: dict[str, str | Promise] = {
    Sector.CITIZEN: _("Citizen"),
    Sector.ASSOCIATION: _("Member of an association"),
    Sector.BUSINESS: _("Business"),
    Sector.MUNICIPALITY: _("Municipal employee"),
}


def new_link_token() -> str:
    return secrets.token_urlsafe(12)


class Conversation(models.Model):
    """A question the partners answer by writing short statements and voting on each other's."""

    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="conversations"
    )
    question = models.CharField(_("question"), max_length=300)
    description = models.TextField(_("introduction"), blank=True, max_length=5000)
    allow_anonymous = models.BooleanField(
        _("anyone with the link may take part"),
        default=False,
        help_text=_(
            "Citizens without an account may vote and write: anyone who can see the partnership, or, in a "
            "partnership for its members only, whoever has the conversation's link. They state their sector once."
        ),
    )
    link_token = models.CharField(max_length=32, unique=True, default=new_link_token, editable=False)
    is_open = models.BooleanField(_("open for votes and statements"), default=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by_actor = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_actor = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    imported_from = models.CharField(_("imported from"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    map_requested_at = models.DateTimeField(null=True, blank=True)
    # The question as it read when people had already voted on it, and when it was changed: a reworded question
    # could make the votes answer something else, so everyone is told (`services.change_conversation`).
    earlier_question = models.CharField(max_length=300, blank=True)
    question_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("opinions:conversation", kwargs={"pk": self.pk})

    def get_link_url(self) -> str:
        return reverse("opinions:join", kwargs={"token": self.link_token})

    @property
    def compares_sectors(self) -> bool:
        """Whether the results compare the sectors. Not in an employee-involvement process: everyone taking part
        works in the same organisation, so there is one sector and nothing to bridge."""
        partnership = self.partnership
        return partnership is None or partnership.kind != partnership.Kind.EMPLOYEE_INVOLVEMENT

    def latest_map(self) -> OpinionMapSnapshot | None:
        return self.maps.order_by("-computed_at").first()


class Participant(models.Model):
    """One person's pseudonymous identity in one conversation.

    Members take part through their actor (and its sector); people without an account through a cookie,
    stating their sector once. Other participants only ever see the pseudonym "Deltager N".
    """

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    cookie_key = models.CharField(max_length=64, blank=True, db_index=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)  # blank: from Polis
    number = models.PositiveIntegerField()
    external_id = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "number"], name="unique_participant_number"),
            models.UniqueConstraint(
                fields=["conversation", "user"], condition=models.Q(user__isnull=False), name="one_participant_per_user"
            ),
            models.UniqueConstraint(
                fields=["conversation", "cookie_key"],
                condition=~models.Q(cookie_key=""),
                name="one_participant_per_cookie",
            ),
        ]

    def __str__(self) -> str:
        return f"Deltager {self.number}"


class Statement(models.Model):
    class Moderation(models.TextChoices):
        VISIBLE = "visible", _("Visible")
        HIDDEN = "hidden", _("Hidden")

    class HideReason(models.TextChoices):
        SPAM = "spam", _("Spam")
        OFF_TOPIC = "off_topic", _("Off topic")
        DUPLICATE = "duplicate", _("Duplicate of another statement")
        # A private person named, or a person attacked: their data and dignity are not the conversation's to keep.
        PERSONAL = "personal", _("Names or attacks a person")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="statements")
    author = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements")
    text = models.CharField(_("statement"), max_length=IMPORTED_STATEMENT_MAX_LENGTH)
    normalised = models.CharField(max_length=IMPORTED_STATEMENT_MAX_LENGTH, editable=False)
    is_seed = models.BooleanField(default=False)
    moderation = models.CharField(max_length=10, choices=Moderation.choices, default=Moderation.VISIBLE)
    external_id = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")

    def __str__(self) -> str:
        return self.text

    @property
    def is_hidden(self) -> bool:
        return self.moderation == self.Moderation.HIDDEN


class Vote(models.Model):
    """The participant's latest vote on a statement: agree +1, disagree −1, pass 0. Voting again replaces it."""

    class Value(models.IntegerChoices):
        AGREE = 1, _("Agree")
        DISAGREE = -1, _("Disagree")
        PASS = 0, _("Pass / unsure")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=Value.choices)
    voted_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "statement"], name="one_vote_per_statement")]
        indexes = [models.Index(fields=["statement", "value"])]


class ModerationEntry(models.Model):
    """Permanent, member-visible log of every moderation: who, for which actor, why."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="moderation_log")
    action = models.CharField(
        max_length=10, choices=[("hide", _("Hidden")), ("restore", _("Restored")), ("keep", _("Kept after reports"))]
    )
    reason = models.CharField(max_length=12, choices=Statement.HideReason.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    actor = models.ForeignKey(Actor, null=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]


class StatementReport(models.Model):
    """A participant asks the facilitator to look at a statement (spam, off topic, a duplicate, a person named). A
    report never hides anything by itself: only the facilitator moderates, and nothing is hidden for being disagreed
    with."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="reports")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("reason"), max_length=12, choices=Statement.HideReason.choices)
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["statement", "participant"], name="one_report_per_participant")]


class OpinionMapSnapshot(models.Model):
    """A computed opinion map. Computed in the background after each burst of votes; the pages show the latest
    published one with its time (`services.shown_map`). A map is published only when at least the floor of people
    have voted or changed a vote since the one published before it (`services.compute_map`): otherwise the two
    would tell the newest voter's votes apart."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="maps")
    computed_at = models.DateTimeField()
    n_participants = models.PositiveIntegerField()
    n_votes = models.PositiveIntegerField()
    duration_ms = models.PositiveIntegerField(default=0)
    result = models.JSONField()
    published = models.BooleanField(default=False)
    # No vote it holds was cast (or last changed) later: the people who vote after it are counted from here.
    votes_until = models.DateTimeField(null=True, blank=True)
    # A fingerprint of the votes it was computed from (`services.votes_digest`): a map from the same votes tells
    # nothing new.
    votes_digest = models.CharField(max_length=64, blank=True)
    # Counted when it was computed: the people who had voted or changed a vote since the map published then
    # (0 for a published map).
    voters_since = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-computed_at"]
        indexes = [models.Index(fields=["conversation", "-computed_at"], name="opinions_map_latest")]

    def later_votes(self) -> dict[str, int]:
        """For a published map: how many people have voted or changed a vote since it (as last counted, when the
        latest map was computed; `voters`) and how many more a newer map waits for (`needed`)."""
        from .presentation import min_voters

        latest = (
            self.conversation.maps.filter(computed_at__gt=self.computed_at)
            .order_by("-computed_at")
            .values_list("voters_since", flat=True)
            .first()
        )
        voters = latest or 0
        return {"voters": voters, "needed": max(1, min_voters(self.conversation) - voters)}


class ProblemDefinition(models.Model):
    """The partnership's joint problem definition, drafted from bridging and consensus statements."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="problem_definition")
    text = models.TextField(_("problem definition"), blank=True, max_length=PROBLEM_DEFINITION_MAX_LENGTH)
    statements = models.ManyToManyField(Statement, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_by_actor = models.ForeignKey(Actor, null=True, on_delete=models.SET_NULL, related_name="+")
    adopted_at = models.DateTimeField(null=True, blank=True)
    adopted_text = models.TextField(blank=True, max_length=PROBLEM_DEFINITION_MAX_LENGTH)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_by_actor = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The draft's statements when it was adopted: the draft may change afterwards, the adopted definition does not.
    adopted_statements = models.ManyToManyField(Statement, blank=True, related_name="+")
