from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import ActorInvitation


@task()
def send_actor_invitation(invitation_id: int) -> None:
    """Email the invitation with its link; the link's token is made here, so it rests nowhere but in the email."""
    invitation = ActorInvitation.objects.select_related("actor", "invited_by").filter(pk=invitation_id).first()
    if invitation is None:  # withdrawn before the worker came to it: nobody is to be written to
        return
    token = invitation.issue_token()
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation,
            "url": settings.SITE_URL + reverse("actors:accept_invitation", kwargs={"token": token}),
        }
        send_mail(
            subject=settings.EMAIL_SUBJECT_PREFIX
            + render_to_string("actors/email/invitation_subject.txt", context).strip(),
            message=render_to_string("actors/email/invitation.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )


@task()
def send_claim_confirmation(claim_id: int) -> None:
    """Email the register's address the link that confirms or refuses a claim; the link's token is made here."""
    from .models import ActorClaim

    claim = ActorClaim.objects.select_related("actor__municipality", "user").filter(pk=claim_id).first()
    if claim is None or claim.status != ActorClaim.Status.PENDING or not claim.emailed_to:
        return  # withdrawn or answered before the worker came to it
    token = claim.issue_token()
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "claim": claim,
            "url": settings.SITE_URL + reverse("actors:claim_link", kwargs={"token": token}),
        }
        send_mail(
            subject=settings.EMAIL_SUBJECT_PREFIX + render_to_string("actors/email/claim_subject.txt", context).strip(),
            message=render_to_string("actors/email/claim.txt", context),
            from_email=None,
            recipient_list=[claim.emailed_to],
        )
