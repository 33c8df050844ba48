"""What a partnership learned: lessons in its members' words, added, withdrawn and restored only through these
functions.

The learn page, the API and the demo loader call them; none of them looks at an actor's sector.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samskab.accounts.models import NotificationKind
from samskab.actors.models import Actor
from samskab.lib.forms import check_length, field_refusal

from ..models import Lesson, Partnership
from ..models.learning import LESSON_MAX_LENGTH
from .core import check_member
from .notify import notify_others

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise

    from samskab.accounts.models import User

ONLY_THE_WRITERS = gettext_lazy("Only the people of the actor a lesson was written for may withdraw it.")
ONLY_THE_COLLEAGUE = gettext_lazy(
    "Only the colleague who wrote a lesson, or those who act for the workplace, may withdraw it."
)
LESSON_WORDS_TOLD = 12  # of a lesson, in the notification that links to it
LESSON_CHARACTERS_TOLD = 120


def lesson_url(lesson: Lesson) -> str:
    return reverse("partnerships:learn", args=[lesson.partnership_id]) + f"#erfaring-{lesson.pk}"


@transaction.atomic
def add_lesson(*, user: User, partnership: Partnership, actor: Actor, kind: str, text: str) -> Lesson:
    """Any member writes down what the partnership learned, for one of its member actors, in any phase: what worked,
    what did not, or what to do differently next time (`Lesson.Kind`). Everyone else taking part is told."""
    check_member(user, partnership, actor)
    if kind not in Lesson.Kind.values:
        raise field_refusal(
            "kind",
            _("Choose what the lesson is about: what worked, what did not work, or what you would do differently."),
            code="kind",
        )
    text = text.strip()
    if not text:
        raise field_refusal("text", _("Write what you learned."), code="empty")
    check_length("text", text, LESSON_MAX_LENGTH, _("A lesson can be at most %(max)d characters; yours is %(length)d."))
    lesson = Lesson.objects.create(partnership=partnership, actor=actor, user=user, kind=kind, text=text)
    # Its first words, and no more than a line of them: a lesson of one long word (a pasted address) is cut too.
    start = Truncator(Truncator(" ".join(text.split())).words(LESSON_WORDS_TOLD)).chars(LESSON_CHARACTERS_TOLD)
    notify_others(
        partnership,
        kind=NotificationKind.LESSON,
        text=_("%(who)s wrote down what “%(title)s” has learned (%(kind)s): “%(start)s”")
        % {
            "who": partnership.who_acted(user, actor),
            "title": partnership.title,
            "kind": lesson.get_kind_display().lower(),
            "start": start,
        },
        url=lesson_url(lesson),
        user=user,
        actor=actor,
    )
    return lesson


def _may_withdraw(
    lesson: Lesson, user: User, taking_part: set[int], acting: set[int], *, people_voices: bool
) -> StrPromise | None:
    """None if `user` may withdraw `lesson`, else the reason why not: the people of the actor it was written for;
    where each person has a voice (employee involvement, whose staff are one actor), the colleague who wrote it and
    those who act for the workplace, as for a pledge."""
    if lesson.actor_id not in taking_part:
        return ONLY_THE_WRITERS
    if people_voices and lesson.user_id != user.pk and lesson.actor_id not in acting:
        return ONLY_THE_COLLEAGUE
    return None


def lessons_withdrawable_by(user: User, partnership: Partnership, lessons: Iterable[Lesson]) -> set[int]:
    """The ids of the `lessons` that `user` may withdraw (`check_lesson_writer`), in two queries."""
    lessons = list(lessons)
    if not lessons or not user.is_authenticated:
        return set()
    taking_part = set(partnership.member_actors_of(user).values_list("pk", flat=True))
    people_voices = partnership.voices_are_people
    acting = set(partnership.actors_acted_for(user).values_list("pk", flat=True)) if people_voices else set()
    return {
        lesson.pk
        for lesson in lessons
        if _may_withdraw(lesson, user, taking_part, acting, people_voices=people_voices) is None
    }


def check_lesson_writer(user: User, lesson: Lesson) -> None:
    """Refuse (PermissionDenied) a `user` who may not withdraw `lesson` (`_may_withdraw`), and anyone while the
    partnership is closed (`check_member`)."""
    partnership = lesson.partnership
    taking_part = set(partnership.member_actors_of(user).values_list("pk", flat=True))
    if taking_part:  # a member of the partnership, but perhaps not through the lesson's actor
        acting = set(partnership.actors_acted_for(user).values_list("pk", flat=True))
        reason = _may_withdraw(lesson, user, taking_part, acting, people_voices=partnership.voices_are_people)
        if reason is not None:
            raise PermissionDenied(reason)
    check_member(user, partnership, lesson.actor)


def withdraw_lesson(*, user: User, lesson: Lesson) -> Lesson:
    """The people of the actor a lesson was written for (`check_lesson_writer`) withdraw it. It stays on record,
    withdrawn (by whom and when), and is no longer shown as something the partnership learned. Withdrawing a
    withdrawn lesson changes nothing (a second click)."""
    return _mark_withdrawn(user, lesson, withdrawn=True)


def restore_lesson(*, user: User, lesson: Lesson) -> Lesson:
    """Those who may withdraw a lesson (`check_lesson_writer`) put a withdrawn one back among what the partnership
    learned: withdrawing is undone, not confirmed beforehand. Nobody is told again. Restoring a standing lesson
    changes nothing (a second click)."""
    return _mark_withdrawn(user, lesson, withdrawn=False)


@transaction.atomic
def _mark_withdrawn(user: User, lesson: Lesson, *, withdrawn: bool) -> Lesson:
    check_lesson_writer(user, lesson)
    locked = Lesson.objects.select_for_update().get(pk=lesson.pk)
    if (locked.withdrawn_at is not None) == withdrawn:
        return locked
    locked.withdrawn_at, locked.withdrawn_by_user = (timezone.now(), user) if withdrawn else (None, None)
    locked.save(update_fields=["withdrawn_at", "withdrawn_by_user"])
    return locked
