from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from .models import PartnershipInvitation


@task()
def email_register_address(invitation_id: int) -> None:
    """Tell an actor nobody administers, at its email in the municipality's register, that it is invited, and how to
    take its profile over to answer (`actors.claims`)."""
    invitation = (
        PartnershipInvitation.objects.select_related("actor__municipality", "partnership", "invited_by_actor")
        .filter(pk=invitation_id, status=PartnershipInvitation.Status.PENDING)
        .first()
    )
    if invitation is None or not invitation.actor.contact_email:  # withdrawn or answered meanwhile
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation,
            "claim_url": settings.SITE_URL + reverse("actors:claim", kwargs={"slug": invitation.actor.slug}),
            # Signing up from here comes back to the profile to take over.
            "signup_url": settings.SITE_URL
            + reverse("account_signup")
            + "?"
            + urlencode({"next": reverse("actors:claim", kwargs={"slug": invitation.actor.slug})}),
        }
        send_mail(
            subject=settings.EMAIL_SUBJECT_PREFIX
            + render_to_string("partnerships/email/register_invitation_subject.txt", context).strip(),
            message=render_to_string("partnerships/email/register_invitation.txt", context),
            from_email=None,
            recipient_list=[invitation.actor.contact_email],
        )
