"""One email from two templates, `<name>_subject.txt` and `<name>.txt`, in the site's language; and an email whose
headers are never folded into encoded words (`UnfoldedEmail`)."""

import email.policy
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
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


class UnfoldedEmail(EmailMessage):
    """An email whose long headers stay as written, up to the 998 characters a line may hold (RFC 5322). Folded at
    78, a header of one long word, such as the `List-Unsubscribe` link, is written as encoded words
    (`=?utf-8?q?…?=`) that mail programs do not read as a link."""

    def message(self, *, policy: email.policy.Policy | None = None) -> Any:
        return super().message(policy=(policy or email.policy.default).clone(max_line_length=998))
