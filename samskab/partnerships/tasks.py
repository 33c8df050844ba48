from django.conf import settings
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation


@task()
def send_meeting_invitation(meeting_id: int) -> None:
    """Email every member actor's people an invitation with the meeting's iCal file attached."""
    from django.core.mail import EmailMessage

    from .ical import meeting_ics
    from .models import Meeting

    meeting = Meeting.objects.select_related("partnership").get(pk=meeting_id)
    recipients = sorted(set(meeting.partnership.people().values_list("email", flat=True)))
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {"meeting": meeting, "url": settings.SITE_URL + meeting.get_absolute_url()}
        message = EmailMessage(
            subject=render_to_string("partnerships/email/meeting_subject.txt", context).strip(),
            body=render_to_string("partnerships/email/meeting.txt", context),
            bcc=recipients,
        )
        message.attach(f"moede-{meeting.pk}.ics", meeting_ics(meeting), "text/calendar")
        message.send()
