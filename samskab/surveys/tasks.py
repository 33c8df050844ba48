from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from samskab.lib.mail import send_templated

from .models import Wave


@task()
def send_survey_invitation(wave_id: int, user_id: int, reminder: bool = False) -> None:
    """Make the person's one-time token and email it: a first invitation, or a `reminder` that says it is one.

    The token is made here rather than passed in, so that it never rests in the task queue's table: only
    its hash is stored, and the email is the one place the token itself exists.
    """
    from samskab.accounts.models import User

    from .services import base_threshold, issue_invitation

    wave = Wave.objects.select_related("survey__partnership").get(pk=wave_id)
    user = User.objects.get(pk=user_id)
    try:
        token = issue_invitation(wave=wave, user=user)
    except (PermissionDenied, ValidationError):
        return  # answered, left the partnership, or the round closed since the invitation was queued
    context = {
        "wave": wave,
        "survey": wave.survey,
        "url": settings.SITE_URL + reverse("surveys:answer", kwargs={"token": token}),
        "threshold": base_threshold(),
        "not_open_yet": wave.opens_at > timezone.now(),
        "reminder": reminder,
        "name": user.get_short_name(),
    }
    send_templated("surveys/email/invitation", context, user.email)
