from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from samskab.actors.models import Membership

from .models import PartnershipInvitation


@task()
def send_partnership_invitation(invitation_id: int) -> None:
    """Tell the invited actor's administrators that their actor has been invited."""
    invitation = PartnershipInvitation.objects.select_related("partnership", "actor", "invited_by_actor").get(
        pk=invitation_id
    )
    recipients = list(
        Membership.objects.filter(actor=invitation.actor, role=Membership.Role.ADMIN).values_list(
            "user__email", flat=True
        )
    )
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {"invitation": invitation, "url": settings.SITE_URL + reverse("partnerships:invitations")}
        send_mail(
            subject=render_to_string("partnerships/email/invitation_subject.txt", context).strip(),
            message=render_to_string("partnerships/email/invitation.txt", context),
            from_email=None,
            recipient_list=recipients,
        )


@task()
def send_meeting_invitation(meeting_id: int) -> None:
    """Email every member actor's people an invitation with the meeting's iCal file attached."""
    from django.core.mail import EmailMessage

    from samskab.accounts.models import User

    from .ical import meeting_ics
    from .models import Meeting

    meeting = Meeting.objects.select_related("partnership").get(pk=meeting_id)
    recipients = sorted(
        set(
            User.objects.filter(
                actor_memberships__actor__partnership_memberships__partnership=meeting.partnership,
                is_active=True,
            ).values_list("email", flat=True)
        )
    )
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
