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
