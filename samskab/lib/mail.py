"""One email from two templates, `<name>_subject.txt` and `<name>.txt`, in the site's language."""

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


def send_templated(name: str, context: dict[str, Any], to: str) -> None:
    """Render and send; the subject carries the site's prefix, as every email's does. Call it with the context's
    links made already (they hold tokens made by the caller)."""
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            subject=settings.EMAIL_SUBJECT_PREFIX + render_to_string(f"{name}_subject.txt", context).strip(),
            message=render_to_string(f"{name}.txt", context),
            from_email=None,
            recipient_list=[to],
        )
