from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.dispatch import receiver
from django.urls import Resolver404, resolve
from icalendar import Calendar, Event, vCalAddress, vText

from samskab.accounts.models import NotificationKind
from samskab.accounts.notifications import email_attachments

from .models import Meeting, Partnership


def meeting_ics(meeting: Meeting) -> bytes:
    """An iCalendar file (RFC 5545) for one meeting, with its agenda in the description. Every version of a
    meeting has the same UID and a higher SEQUENCE, so a calendar that has the meeting replaces it; a cancelled
    meeting's file cancels it (METHOD:CANCEL, STATUS:CANCELLED)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Samskab//samskab//DA")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if meeting.is_cancelled else "PUBLISH")
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@samskab")
    event.add("sequence", meeting.sequence)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    event.add("summary", meeting.title)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    changed = meeting.cancelled_at or meeting.updated_at or meeting.created_at
    event.add("dtstamp", changed)
    event.add("last-modified", changed)
    # Both methods require an organiser; the meeting belongs to the partnership, whose mail Samskab sends.
    organizer = vCalAddress("mailto:" + parseaddr(settings.DEFAULT_FROM_EMAIL)[1])
    organizer.params["cn"] = vText(meeting.partnership.title)
    event["organizer"] = organizer
    if meeting.place:
        event["location"] = vText(meeting.place)
    agenda = "\n".join(f"- {item.title}" for item in meeting.agenda_items.all())
    link = f"\n{meeting.video_link}" if meeting.video_link else ""
    reason = f"\n{meeting.cancel_reason}" if meeting.is_cancelled else ""
    event.add("description", f"{meeting.partnership.title}{reason}\n{agenda}{link}".strip())
    event.add("url", settings.SITE_URL + meeting.get_absolute_url())
    calendar.add_component(event)
    return calendar.to_ical()


def meeting_of_url(url: str) -> tuple[int, int] | None:
    """(partnership id, meeting id) when `url` is a meeting's page."""
    try:
        match = resolve(url)
    except Resolver404:
        return None
    if match.view_name != "partnerships:meeting":
        return None
    return match.kwargs["pk"], match.kwargs["meeting_pk"]


@receiver(email_attachments)
def meeting_calendar_files(sender: type, user: Any, notifications: list[Any], **kwargs: Any) -> list[Any]:
    """The calendar file of each meeting an email's notifications are about, as the meeting stands when the email
    goes (a digest sends one file a meeting, the latest), and only while the person may see the partnership."""
    wanted = {
        found
        for n in notifications
        if n.kind == NotificationKind.MEETING and (found := meeting_of_url(n.url)) is not None
    }
    if not wanted:
        return []
    which = Q()
    for partnership_id, meeting_id in wanted:
        which |= Q(partnership_id=partnership_id, pk=meeting_id)
    meetings = (
        Meeting.objects.filter(which, partnership__in=Partnership.objects.visible_to(user))
        .select_related("partnership")
        .prefetch_related("agenda_items")
        .order_by("pk")
    )
    return [(f"moede-{m.pk}.ics", meeting_ics(m), "text/calendar") for m in meetings]
