from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samskab.actors.models import Actor

from .core import Partnership, Phase

DEFAULT_GROUND_RULES = _(
    "1. We decide by consent: a proposal passes when no member raises a reasoned objection before its deadline.\n"
    "2. Every member actor has one voice, whatever its size or sector.\n"
    "3. The facilitator plans and moderates, and never decides on behalf of the partnership.\n"
    "4. Any member can put an item on the agenda.\n"
    "5. Changing these ground rules is itself a consent decision."
)
# Employee involvement: colleagues of one workplace, where position and the fear of consequences are what keep
# people quiet, and where what may be shaped has limits set beforehand.
DEFAULT_INVOLVEMENT_GROUND_RULES = _(
    "1. Everyone's view counts the same, whatever their position or job.\n"
    "2. Disagreement is welcome: say what you think, and listen to the colleagues who see it differently.\n"
    "3. We stay within the room for change: what is decided already is not reopened here.\n"
    "4. What is said in the process is never used against anyone.\n"
    "5. We decide by consent: a proposal passes when nobody raises a reasoned objection before its deadline.\n"
    "6. Changing these ground rules is itself a consent decision."
)


def default_ground_rules(kind: str) -> str:
    """The ground rules a new partnership or process starts from, in the kind's own terms."""
    if kind == Partnership.Kind.EMPLOYEE_INVOLVEMENT:
        return str(DEFAULT_INVOLVEMENT_GROUND_RULES)
    return str(DEFAULT_GROUND_RULES)


class GroundRules(models.Model):
    """The ground rules the members agreed. Changed only through a consent decision."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="ground_rules")
    text = models.TextField(_("ground rules"), max_length=10000)
    updated_at = models.DateTimeField(auto_now=True)
    decided_by = models.ForeignKey("Decision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")


class Proposal(models.Model):
    """A proposal decided by consent. Its text lives in versions; an amendment is a new version."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("Proposal")
        PROBLEM_DEFINITION = "problem_definition", _("Adopt the joint problem definition")
        GROUND_RULES = "ground_rules", _("Change the ground rules")
        MAKE_PUBLIC = "make_public", _("Make the partnership public")
        CLOSE = "close", _("Close the partnership")

    class Status(models.TextChoices):
        OPEN = "open", _("Open for responses")
        PASSED = "passed", _("Passed")
        NOT_PASSED = "not_passed", _("Not passed: an objection stood")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    agenda_item = models.ForeignKey(
        "AgendaItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, blank=True)
    proposed_by = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="+")
    proposed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    deadline = models.DateTimeField(_("deadline"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # When it was decided, failed or was withdrawn: the member actors then are the voices its record shows.
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:proposal", kwargs={"pk": self.partnership_id, "proposal_pk": self.pk})

    def current_version(self) -> "ProposalVersion":
        return self.versions.order_by("-number").first()  # type: ignore[return-value]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN and self.deadline > timezone.now()

    @property
    def voices_counted_at(self) -> datetime | None:
        """The moment whose member actors are the proposal's voices: when it closed, or its deadline once that
        has passed; None while it is open (the members now)."""
        if self.closed_at is not None:
            moment = self.closed_at
        elif self.status == self.Status.NOT_PASSED or (  # closed before the moment was recorded: at its deadline
            self.status == self.Status.OPEN and self.deadline <= timezone.now()
        ):
            moment = self.deadline
        else:  # open, or withdrawn before the moment was recorded
            return None
        return max(moment, self.created_at)  # whoever was a member when it was proposed had a voice


class ProposalVersion(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField(_("proposal"), max_length=10000)
    amended_by = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["proposal", "number"], name="unique_version_number")]


class Response(models.Model):
    """One member actor's response to one version (one person's, where `Partnership.voices_are_people`). An edit
    makes a new version, so consent never carries over."""

    class Kind(models.TextChoices):
        CONSENT = "consent", _("Consent")
        CONCERN = "concern", _("Consent, with a concern")
        OBJECTION = "objection", _("Objection")

    version = models.ForeignKey(ProposalVersion, on_delete=models.CASCADE, related_name="responses")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.TextField(_("reason"), blank=True, max_length=5000)
    responded_at = models.DateTimeField(auto_now=True)

    class Meta:
        # One per actor, or per person where people have voices: `respond_to_proposal` replaces the earlier response
        # under the proposal's row lock. The database holds what both share.
        constraints = [
            models.UniqueConstraint(fields=["version", "actor", "user"], name="one_response_per_voice_and_version")
        ]


# A comment is a contribution to a conversation, not an essay: long enough for an argument and a suggestion.
COMMENT_MAX_LENGTH = 2000


class ProposalComment(models.Model):
    """A member's contribution to the discussion of a proposal, marked with the version the person read, so that
    an objection can turn into an amendment through talk. A reply answers a comment that is not itself a reply:
    one level, which keeps the thread readable. Like the responses, it stays when its person's account goes."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    version = models.ForeignKey(ProposalVersion, on_delete=models.CASCADE, related_name="comments")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies", verbose_name=_("reply to")
    )
    text = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]

    def get_absolute_url(self) -> str:
        return f"{self.proposal.get_absolute_url()}#kommentar-{self.pk}"


class Decision(models.Model):
    """The permanent decision log: append-only. A correction is a new entry pointing to the one it corrects."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="decisions")
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions")
    version = models.ForeignKey(ProposalVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("decision"), max_length=20000)
    initiated_by = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="+")
    # The person who recorded a correction, named to the members where each person has a voice (employee
    # involvement); none for a decision of a consent round, whose proposal names its proposer. A deleted account
    # leaves the entry, pointing at nobody.
    initiated_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("The decision log is append-only; record a correction instead")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("The decision log is append-only")
