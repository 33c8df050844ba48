from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samskab.accounts.models import NotificationKind
from samskab.accounts.notifications import notify
from samskab.actors.models import Actor
from samskab.lib.forms import AlreadyThere, check_unchanged
from samskab.lib.text import first_alike, join_list, local_moment

from ..models import AgendaItem, AgendaPriority, Attendance, Meeting, MinutesVersion, Partnership, Proposal
from ..models.agenda import PRIORITY_POINTS_PER_ACTOR
from .core import check_member
from .notify import notify_others

if TYPE_CHECKING:
    from samskab.accounts.models import User


def agenda_item_url(item: AgendaItem) -> str:
    return reverse("partnerships:agenda", args=[item.partnership_id]) + f"#punkt-{item.pk}"


@transaction.atomic
def add_agenda_item(
    *, user: User, partnership: Partnership, by_actor: Actor, title: str, description: str = ""
) -> AgendaItem:
    """Any member puts an item on the open agenda. The others are told who did: in co-creation the actor, in
    employee involvement, whose staff are one actor, the person, as members see them (`Partnership.name_of`). The
    same item put on again by the same actor while the first waits (mostly the form sent again after going back in
    the browser) is refused (`AlreadyThere`)."""
    check_member(user, partnership, by_actor)
    Partnership.objects.select_for_update().get(pk=partnership.pk)  # the form sent twice at once adds one item
    waiting = partnership.agenda_items.filter(raised_by=by_actor).exclude(status=AgendaItem.Status.DONE).order_by("pk")
    twin = first_alike(waiting, title=title, description=description)
    if twin is not None:  # mostly the form sent again after going back in the browser
        raise AlreadyThere(
            _("“%(title)s” is already on the agenda.") % {"title": twin.title},
            field="title",
            url=agenda_item_url(twin),
            link=_("Go to the item"),
        )
    item = AgendaItem.objects.create(
        partnership=partnership, title=title, description=description, raised_by=by_actor, raised_by_user=user
    )
    who = partnership.who_acted(user, by_actor)
    notify_others(
        partnership,
        kind="agenda",
        text=_("%(actor)s added “%(title)s” to the agenda of “%(partnership)s”.")
        % {"actor": who, "title": title, "partnership": partnership.title},
        url=partnership.get_absolute_url() + "dagsorden/",
        user=user,
        actor=by_actor,
    )
    return item


@transaction.atomic
def set_priorities(*, user: User, partnership: Partnership, actor: Actor, points: Mapping[int, int]) -> None:
    """The actor spreads its priority points over open items; at most PRIORITY_POINTS_PER_ACTOR in all. Where each
    person has a voice (employee involvement, whose staff are one actor), the points are the person's own: each
    colleague has the whole budget, and a colleague's save leaves the others' points as they are."""
    check_member(user, partnership, actor)
    per_person = partnership.voices_are_people
    if any(p < 0 for p in points.values()):
        raise ValidationError(_("Points cannot be negative."), code="negative")
    if sum(points.values()) > PRIORITY_POINTS_PER_ACTOR:
        if per_person:
            message = _("Each person has %(n)d points to spread; you gave %(given)d.")
        else:
            message = _("Each actor has %(n)d points to spread; you gave %(given)d.")
        raise ValidationError(
            message % {"n": PRIORITY_POINTS_PER_ACTOR, "given": sum(points.values())}, code="too_many"
        )
    # Lock the partnership: two people of one actor, or one person in two tabs, cannot together exceed the budget,
    # nor collide on the rows they replace.
    Partnership.objects.select_for_update().get(pk=partnership.pk)
    open_items = {
        i.pk: i for i in AgendaItem.objects.filter(partnership=partnership).exclude(status=AgendaItem.Status.DONE)
    }
    unknown = set(points) - set(open_items)
    if unknown:
        raise ValidationError(_("You can only prioritise open items of this partnership."), code="unknown")
    whose = {"user": user} if per_person else {"actor": actor, "user": None}
    AgendaPriority.objects.filter(item__partnership=partnership, **whose).delete()
    AgendaPriority.objects.bulk_create(
        AgendaPriority(item=open_items[item_id], actor=actor, user=user if per_person else None, points=n)
        for item_id, n in points.items()
        if n > 0
    )


# The two statuses a member sets by hand: an item on a meeting's agenda is SCHEDULED by `schedule_meeting` only.
SETTABLE_STATUSES = (AgendaItem.Status.DONE, AgendaItem.Status.OPEN)


@transaction.atomic
def set_agenda_item_status(*, user: User, item: AgendaItem, by_actor: Actor, status: str) -> AgendaItem:
    """Any member marks an item dealt with (DONE), or puts it back on the open agenda (OPEN), for instance when
    a meeting did not reach it; which member actor did it, and when, is recorded. Put back, the item leaves its
    meeting and can be prioritised and scheduled again. Setting the status an item already has changes nothing
    (a second click), so the record keeps who actually changed it."""
    check_member(user, item.partnership, by_actor)
    if status not in SETTABLE_STATUSES:
        raise ValidationError(
            _("An agenda item can only be marked dealt with or put back on the agenda."), code="status"
        )
    # Lock the row: two members clicking at once record one change, made by one of them.
    locked = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if locked.status != status:
        _change_status(locked, status=status, by_actor=by_actor, by_user=user, at=timezone.now())
    return locked


def deal_with_by_decision(*, item: AgendaItem, at: datetime) -> None:
    """A decision on a proposal about `item` deals with it (called by `decisions._settle`, inside its
    transaction). An item already dealt with keeps its record."""
    locked = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if locked.status != AgendaItem.Status.DONE:
        _change_status(locked, status=AgendaItem.Status.DONE, by_actor=None, by_user=None, at=at)


def _change_status(
    item: AgendaItem, *, status: str, by_actor: Actor | None, by_user: User | None, at: datetime
) -> None:
    item.status, item.status_changed_at = status, at
    item.status_changed_by, item.status_changed_by_user = by_actor, by_user
    if status == AgendaItem.Status.OPEN:
        item.meeting = None
    item.save(update_fields=["status", "status_changed_by", "status_changed_by_user", "status_changed_at", "meeting"])


def check_meeting_start(starts_at: datetime) -> datetime:
    """The start of a new meeting, which cannot lie in the past; else a Danish reason why not."""
    if starts_at < timezone.now():
        raise ValidationError(_("A meeting cannot start in the past. Choose a later time."), code="past")
    return starts_at


def _check_time_and_place(*, starts_at: datetime, ends_at: datetime, place: str, video_link: str) -> None:
    if ends_at <= starts_at:
        raise ValidationError(_("The meeting must end after it starts."), code="times")
    if not place and not video_link:
        raise ValidationError(_("Give a place or a video link."), code="where")


def _check_items_of(partnership: Partnership, item_ids: set[int]) -> None:
    if AgendaItem.objects.filter(pk__in=item_ids).exclude(partnership=partnership).exists():
        raise PermissionDenied(gettext_lazy("Agenda items belong to another partnership."))


def _lock_meeting(meeting: Meeting) -> Meeting:
    """The meeting's row, locked: edits, the cancellation and the minutes of one meeting happen one at a time."""
    return (
        Meeting.objects.select_related("partnership", "updated_by", "minutes_updated_by")
        .select_for_update(of=("self",))
        .get(pk=meeting.pk)
    )


def _check_not_cancelled(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise ValidationError(_("The meeting is cancelled, so it cannot be changed."), code="cancelled")


def _where(meeting: Meeting) -> str:
    return meeting.place or str(_("by video"))


def _tell_everyone(meeting: Meeting, text: str) -> None:
    """Tell everyone taking part, the one who acted too: each has the meeting in a calendar to keep up to date, and
    the email (as each has chosen) carries the meeting's calendar file (`ical.meeting_calendar_files`)."""
    notify(meeting.partnership.people(), kind=NotificationKind.MEETING, text=text, url=meeting.get_absolute_url())


@transaction.atomic
def schedule_meeting(
    *,
    user: User,
    partnership: Partnership,
    by_actor: Actor,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    video_link: str = "",
    items: Iterable[AgendaItem] = (),
) -> Meeting:
    """Any member schedules a meeting with an agenda drawn from the prioritised items; everyone taking part is
    invited by a notification (kind MEETING), by email with the calendar file as each has chosen."""
    check_member(user, partnership, by_actor)
    check_meeting_start(starts_at)
    _check_time_and_place(starts_at=starts_at, ends_at=ends_at, place=place, video_link=video_link)
    chosen = {i.pk for i in items}
    _check_items_of(partnership, chosen)
    meeting = Meeting.objects.create(
        partnership=partnership,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        video_link=video_link,
        created_by=by_actor,
    )
    AgendaItem.objects.filter(pk__in=chosen).update(meeting=meeting, status=AgendaItem.Status.SCHEDULED)
    names = {
        "who": partnership.who_acted(user, by_actor),
        "title": title,
        "partnership": partnership.title,
        "when": _span(meeting),
        "where": _where(meeting),
    }
    text = _("%(who)s invites you to the meeting “%(title)s” in “%(partnership)s”: %(when)s, %(where)s.") % names
    agenda = list(AgendaItem.objects.filter(pk__in=chosen).order_by("created_at").values_list("title", flat=True))
    if agenda:
        text += " " + _("On the agenda: %(items)s.") % {"items": join_list([f"“{t}”" for t in agenda])}
    _tell_everyone(meeting, text)
    return meeting


def _span(meeting: Meeting) -> str:
    """When a meeting is, start to end: "9. december 2026 19:00–21:00", or both moments whole if it ends another
    day."""
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    if start.date() == end.date():
        return f"{local_moment(meeting.starts_at)}–{end:%H:%M}"
    return f"{local_moment(meeting.starts_at)} – {local_moment(meeting.ends_at)}"


@transaction.atomic
def update_meeting(
    *,
    user: User,
    meeting: Meeting,
    by_actor: Actor,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    video_link: str = "",
    items: Iterable[AgendaItem] = (),
    seen: str | None = None,
) -> Meeting:
    """Any member changes a meeting's title, time, place or agenda (`items`: open items join it, its scheduled items
    left out go back on the open agenda; items dealt with stay). `seen` is the version the member opened
    (`lib.forms.version_of` of `updated_at`): if another member changed the meeting since, nothing is saved
    (`EditedMeanwhile`). A change records the member actor and the person who made it, raises the calendar SEQUENCE
    and everyone taking part is told; saving without a change changes nothing and tells nobody."""
    check_member(user, meeting.partnership, by_actor)
    locked = _lock_meeting(meeting)
    _check_not_cancelled(locked)
    check_unchanged(seen, locked.updated_at, str(locked.updated_by or ""))
    if starts_at != locked.starts_at:
        check_meeting_start(starts_at)
    _check_time_and_place(starts_at=starts_at, ends_at=ends_at, place=place, video_link=video_link)
    partnership = locked.partnership
    chosen = {i.pk for i in items}
    _check_items_of(partnership, chosen)
    on_meeting = AgendaItem.objects.filter(meeting=locked, status=AgendaItem.Status.SCHEDULED)
    scheduled = set(on_meeting.values_list("pk", flat=True))
    added, removed = chosen - scheduled, scheduled - chosen
    if AgendaItem.objects.filter(pk__in=added).exclude(status=AgendaItem.Status.OPEN).exists():
        raise ValidationError(
            _("Only items on the open agenda can be put on a meeting's agenda. Reload the page and choose again."),
            code="not_open",
        )
    before = locked.starts_at
    new = {"title": title, "starts_at": starts_at, "ends_at": ends_at, "place": place, "video_link": video_link}
    if all(getattr(locked, name) == value for name, value in new.items()) and not added and not removed:
        return locked
    AgendaItem.objects.filter(pk__in=added, status=AgendaItem.Status.OPEN).update(
        meeting=locked, status=AgendaItem.Status.SCHEDULED
    )
    on_meeting.filter(pk__in=removed).update(meeting=None, status=AgendaItem.Status.OPEN)
    for name, value in new.items():
        setattr(locked, name, value)
    locked.updated_at, locked.updated_by, locked.updated_by_user = timezone.now(), by_actor, user
    locked.sequence += 1
    locked.save(update_fields=[*new, "updated_at", "updated_by", "updated_by_user", "sequence"])
    names = {
        "who": partnership.who_acted(user, by_actor),
        "title": title,
        "partnership": partnership.title,
        "when": local_moment(starts_at),
        "before": local_moment(before),
        "where": _where(locked),
    }
    if starts_at != before:
        text = _(
            "%(who)s moved the meeting “%(title)s” in “%(partnership)s” to %(when)s, %(where)s (it was %(before)s)."
        )
    else:
        text = _("%(who)s changed the meeting “%(title)s” in “%(partnership)s”: %(when)s, %(where)s.")
    _tell_everyone(locked, text % names)
    return locked


CANCEL_REASON_SHOWN = 150  # characters of the reason in the notification, which holds 400 in all


@transaction.atomic
def cancel_meeting(*, user: User, meeting: Meeting, by_actor: Actor, reason: str) -> Meeting:
    """Any member cancels a meeting that has not ended, saying why. The meeting stays, shown as cancelled; its items
    not dealt with go back on the open agenda, to be scheduled again. Who cancelled it (the member actor and the
    person) is recorded. Everyone taking part is told, and the calendar file cancels the meeting in their
    calendars."""
    check_member(user, meeting.partnership, by_actor)
    locked = _lock_meeting(meeting)
    if locked.is_cancelled:
        raise ValidationError(_("The meeting is already cancelled."), code="cancelled")
    if locked.has_ended:
        raise ValidationError(_("A meeting that has ended cannot be cancelled."), code="ended")
    reason = reason.strip()
    if not reason:
        why = _("Say why the meeting is cancelled, so that the members know.")
        raise ValidationError({"reason": ValidationError(why, code="required")})
    _cancel(locked, user=user, by_actor=by_actor, reason=reason)
    names = {
        "who": locked.partnership.who_acted(user, by_actor),
        "title": locked.title,
        "partnership": locked.partnership.title,
        "when": local_moment(locked.starts_at),
        "reason": Truncator(reason).chars(CANCEL_REASON_SHOWN),
    }
    _tell_everyone(
        locked,
        _("%(who)s cancelled the meeting “%(title)s” in “%(partnership)s” on %(when)s. Why: “%(reason)s”") % names,
    )
    return locked


def _cancel(locked: Meeting, *, user: User | None, by_actor: Actor | None, reason: str) -> None:
    """The meeting is shown as cancelled, and its items not dealt with go back on the open agenda."""
    AgendaItem.objects.filter(meeting=locked, status=AgendaItem.Status.SCHEDULED).update(
        meeting=None, status=AgendaItem.Status.OPEN
    )
    locked.cancelled_at, locked.cancelled_by, locked.cancelled_by_user = timezone.now(), by_actor, user
    locked.cancel_reason = reason
    locked.sequence += 1  # the calendar file cancels the meeting in the members' calendars
    locked.save(update_fields=["cancelled_at", "cancelled_by", "cancelled_by_user", "cancel_reason", "sequence"])


def cancel_on_closing(partnership: Partnership, *, proposal: Proposal, at: datetime) -> list[Meeting]:
    """A partnership closed by consent at `at` (`core.close_on_consent`) meets no more: its meetings still to begin
    are cancelled, in the name of the proposal's proposer, and everyone is told, with the calendar file that cancels
    each."""
    upcoming = list(
        Meeting.objects.select_for_update()
        .filter(partnership=partnership, cancelled_at__isnull=True, starts_at__gt=at)  # not one under way
        .order_by("starts_at")
    )
    for meeting in upcoming:
        names = {"title": meeting.title, "partnership": partnership.title, "when": local_moment(meeting.starts_at)}
        _cancel(
            meeting,
            user=proposal.proposed_by_user,
            by_actor=proposal.proposed_by,
            reason=_("“%(partnership)s” is closed by consent.") % names,
        )
        _tell_everyone(
            meeting,
            _("The meeting “%(title)s” on %(when)s is cancelled: “%(partnership)s” is closed by consent.") % names,
        )
    return upcoming


@transaction.atomic
def write_minutes(*, user: User, meeting: Meeting, by_actor: Actor, minutes: str, seen: str | None = None) -> Meeting:
    """Any member writes or edits the minutes. Every save is kept as a version (`MinutesVersion`: who, when, the
    text), and minutes once written cannot be emptied, so no member erases what another wrote. `seen` is the
    version the member opened (`lib.forms.version_of`): if another member saved since, nothing is saved
    (`EditedMeanwhile`), so neither loses their words. Saving the text as it stands changes nothing."""
    check_member(user, meeting.partnership, by_actor)
    locked = _lock_meeting(meeting)
    _check_not_cancelled(locked)
    check_unchanged(seen, locked.minutes_updated_at, str(locked.minutes_updated_by or ""))
    if not minutes.strip():
        if locked.minutes:
            message = _(
                "Minutes that have been written cannot be emptied. Change what is wrong instead; every earlier "
                "version is kept."
            )
        else:
            message = _("Write the minutes before saving them.")
        raise ValidationError({"minutes": ValidationError(message, code="empty")})
    if minutes == locked.minutes:
        return locked
    now = timezone.now()
    number = (locked.minutes_versions.aggregate(n=Max("number"))["n"] or 0) + 1
    MinutesVersion.objects.create(
        meeting=locked, number=number, text=minutes, written_by=by_actor, written_by_user=user, created_at=now
    )
    locked.minutes, locked.minutes_updated_by, locked.minutes_updated_at = minutes, by_actor, now
    locked.save(update_fields=["minutes", "minutes_updated_by", "minutes_updated_at"])
    return locked


ATTENDANCE_NOT_YET = gettext_lazy("Who attended is recorded once the meeting has begun, from %(when)s.")


@transaction.atomic
def update_attendance(*, user: User, meeting: Meeting, by_actor: Actor, present: Iterable[Actor]) -> Meeting:
    """Any member records which member actors attended a meeting that was not cancelled."""
    check_member(user, meeting.partnership, by_actor)
    _check_not_cancelled(meeting)
    if meeting.starts_at > timezone.now():
        raise ValidationError(ATTENDANCE_NOT_YET % {"when": local_moment(meeting.starts_at)}, code="not_begun")
    members = set(meeting.partnership.members.values_list("actor_id", flat=True))
    present_ids = {a.pk for a in present}
    if present_ids - members:
        raise ValidationError(_("Only member actors can attend."), code="not_member")
    for actor_id in members:
        Attendance.objects.update_or_create(
            meeting=meeting, actor_id=actor_id, defaults={"present": actor_id in present_ids}
        )
    return meeting
