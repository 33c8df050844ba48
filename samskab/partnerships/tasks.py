from django.conf import settings
from django.tasks import task
from django.urls import reverse
from django.utils.http import urlencode

from samskab.lib.mail import send_templated

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
    claim = reverse("actors:claim", kwargs={"slug": invitation.actor.slug})
    context = {
        "invitation": invitation,
        "claim_url": settings.SITE_URL + claim,
        # Signing up from here comes back to the profile to take over.
        "signup_url": f"{settings.SITE_URL}{reverse('account_signup')}?{urlencode({'next': claim})}",
    }
    send_templated("partnerships/email/register_invitation", context, invitation.actor.contact_email)
