from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samskab.actors.models import Actor

from .core import Partnership

# A lesson is a few sentences another partnership can use, not a report: long enough for what happened and why.
LESSON_MAX_LENGTH = 1000


class LessonQuerySet(models.QuerySet["Lesson"]):
    def standing(self) -> "LessonQuerySet":
        """The lessons not withdrawn: what the partnership says it has learned."""
        return self.filter(withdrawn_at=None)


class Lesson(models.Model):
    """What the partnership learned, in a member's words, written for its member actor: what worked, what did not,
    and what to do differently next time. Any member adds one, in any phase (the learn phase asks for them); the
    people of the actor it is written for withdraw it (`services.learning.check_lesson_writer`). A withdrawn lesson
    stays on record, marked, and counts nowhere as a lesson. Like a comment, it stays when its person's account
    goes."""

    class Kind(models.TextChoices):
        WORKED = "worked", _("What worked")
        DID_NOT_WORK = "did_not_work", _("What did not work")
        NEXT_TIME = "next_time", _("What we would do differently next time")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="lessons")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("lesson"), max_length=LESSON_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self) -> str:
        return self.text[:60]
