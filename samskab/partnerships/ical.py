from django.conf import settings
from icalendar import Calendar, Event, vText

from .models import Meeting


def meeting_ics(meeting: Meeting) -> bytes:
    """An iCalendar file (RFC 5545) for one meeting, with its agenda in the description."""
    calendar = Calendar()
    calendar.add("prodid", "-//Samskab//samskab//DA")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@samskab")
    event.add("summary", meeting.title)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("dtstamp", meeting.created_at)
    if meeting.place:
        event["location"] = vText(meeting.place)
    agenda = "\n".join(f"- {item.title}" for item in meeting.agenda_items.all())
    link = f"\n{meeting.video_link}" if meeting.video_link else ""
    event.add("description", f"{meeting.partnership.title}\n{agenda}{link}".strip())
    event.add("url", settings.SITE_URL + meeting.get_absolute_url())
    calendar.add_component(event)
    return calendar.to_ical()
