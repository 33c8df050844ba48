from django.conf import settings
from django.tasks import task
from django.urls import reverse

from samskab.lib.mail import send_templated

from .models import ActorClaim, ActorInvitation


@task()
def send_actor_invitation(invitation_id: int) -> None:
    """Email the invitation with its link; the link's token is made here, so it rests nowhere but in the email."""
    invitation = ActorInvitation.objects.select_related("actor", "invited_by").filter(pk=invitation_id).first()
    if invitation is None:  # withdrawn before the worker came to it: nobody is to be written to
        return
    url = settings.SITE_URL + reverse("actors:accept_invitation", kwargs={"token": invitation.issue_token()})
    send_templated("actors/email/invitation", {"invitation": invitation, "url": url}, invitation.email)


@task()
def send_claim_confirmation(claim_id: int) -> None:
    """Email the register's address the link that confirms or refuses a claim; the link's token is made here."""
    claim = ActorClaim.objects.select_related("actor__municipality", "user").filter(pk=claim_id).first()
    if claim is None or claim.status != ActorClaim.Status.PENDING or not claim.emailed_to:
        return  # withdrawn or answered before the worker came to it
    url = settings.SITE_URL + reverse("actors:claim_link", kwargs={"token": claim.issue_token()})
    send_templated("actors/email/claim", {"claim": claim, "url": url}, claim.emailed_to)
