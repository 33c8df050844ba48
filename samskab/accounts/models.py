import hashlib
import secrets
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person. People act inside partnerships on behalf of actors they belong to (see actors.Membership)."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=150)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["name"]
    # Email instead of username: django-stubs types AbstractUser.objects as Django's username-based UserManager.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


class ApiToken(models.Model):
    """A personal token for writes through the API. Only a hash is stored; the key is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    label = models.CharField(_("label"), max_length=80)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.label} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "sk_" + secrets.token_urlsafe(32)


class NotificationKind(models.TextChoices):
    INVITATION = "invitation", _("Invitations to partnerships")
    AGENDA = "agenda", _("New agenda items")
    PROPOSAL = "proposal", _("Proposals awaiting my actor's response")
    DEADLINE = "deadline", _("Deadlines coming up")
    DECISION = "decision", _("Decisions")
    REPORT = "report", _("Statements reported to me as facilitator")
    MODERATION = "moderation", _("My statements hidden or shown again by the facilitator")
    CHALLENGE = "challenge", _("Partnerships started on challenges my actor raised")
    SURVEY_RESULTS = "survey", _("Results of surveys in my partnerships")
    CONVERSATION = "conversation", _("New conversations in my partnerships")
    MEETING = "meeting", _("Meetings in my partnerships, and changes to them")
    ACTION = "action", _("Actions my actor is given in an action plan, and changes to them")
    MEMBERSHIP = "membership", _("Who joins or leaves my partnerships, and who may read them")
    LESSON = "lesson", _("Lessons learned in my partnerships")
    CLAIM = "claim", _("Requests to take over an actor's profile, and their answers")
    PROCESS = "process", _("Phase changes and who facilitates, in my partnerships")


class Notification(models.Model):
    """Something that happened that a person should know about; shown in the app and sent by email."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=12, choices=NotificationKind.choices)
    text = models.CharField(max_length=400)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["emailed_at", "created_at"]),
        ]


class NotificationPreference(models.Model):
    """How a person wants one kind of notification by email: at once, in a daily digest, or not at all."""

    class Email(models.TextChoices):
        IMMEDIATE = "immediate", _("Email at once")
        DIGEST = "digest", _("In a daily digest")
        NONE = "none", _("No email, only in Samskab")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(max_length=12, choices=NotificationKind.choices)
    email = models.CharField(max_length=10, choices=Email.choices, default=Email.IMMEDIATE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}: {self.email}"


# How a kind comes by email until the person chooses: at once, except new agenda items, which come in the daily
# digest (a meeting's preparation adds several in an evening, and none needs an answer that day).
DEFAULT_EMAIL: dict[str, str] = {NotificationKind.AGENDA: NotificationPreference.Email.DIGEST}


def default_email(kind: str) -> str:
    return DEFAULT_EMAIL.get(kind, NotificationPreference.Email.IMMEDIATE)
