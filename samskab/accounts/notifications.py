"""Notifications in the app and by email (at once or as a daily digest), with an unsubscribe link and header."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from samskab.lib.mail import UnfoldedEmail

from .forms import kind_label
from .models import DEFAULT_EMAIL, Notification, NotificationKind, NotificationPreference, User, default_email

UNSUBSCRIBE_SALT = "samskab.unsubscribe"

# Sent as an email of notifications is composed (`user`, `notifications`). Accounts sits below the other apps, so
# they add the files the email carries: receivers return a list of (file name, content, MIME type), for instance
# a meeting's calendar file.
email_attachments = Signal()


def email_preference(user: User, kind: str) -> str:
    pref = NotificationPreference.objects.filter(user=user, kind=kind).values_list("email", flat=True).first()
    return pref or default_email(kind)


def notify(users: Iterable[User], *, kind: str, text: str, url: str = "") -> list[Notification]:
    """Store a notification for each user and send the immediate emails once the transaction commits."""
    created = Notification.objects.bulk_create(
        Notification(user=user, kind=kind, text=text[:400], url=url) for user in {u.pk: u for u in users}.values()
    )
    ids = [n.pk for n in created if n.pk is not None]
    if ids:
        from .tasks import email_notifications

        transaction.on_commit(lambda: email_notifications.enqueue(ids))
    return created


def unsubscribe_token(user: User, kind: str) -> str:
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(user: User, kind: str) -> str:
    return settings.SITE_URL + reverse("accounts:unsubscribe", kwargs={"token": unsubscribe_token(user, kind)})


def unsubscribe_target(token: str) -> tuple[User, str] | None:
    """Whose email of which kind the signed token turns off; None for a token that is not Samskab's."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("u")).first()
    kind = data.get("k")
    if user is None or kind not in NotificationKind.values:
        return None
    return user, kind


def unsubscribe(token: str) -> tuple[User, str] | None:
    """Turn off email for one kind. The signed token needs no login. Only a POST calls this (the page's button,
    or a mail program's one-click unsubscribe, RFC 8058): a link scanner that opens the link turns nothing off."""
    target = unsubscribe_target(token)
    if target is not None:
        user, kind = target
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"email": NotificationPreference.Email.NONE}
        )
    return target


def _send(user: User, notifications: list[Notification], *, digest: bool) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        unsubscribe = {n.kind: unsubscribe_url(user, n.kind) for n in notifications}
        context = {
            "user": user,
            "notifications": notifications,
            "digest": digest,
            "site": settings.SITE_URL,
            "stop": [(kind_label(kind), url) for kind, url in unsubscribe.items()],
            "settings_url": settings.SITE_URL + reverse("accounts:notifications"),
        }
        message = UnfoldedEmail(
            subject=settings.EMAIL_SUBJECT_PREFIX
            + render_to_string("accounts/email/notification_subject.txt", context).strip(),
            body=render_to_string("accounts/email/notification.txt", context),
            to=[user.email],
        )
        if len(unsubscribe) == 1:  # the mail program's own "unsubscribe", posted without opening a page (RFC 8058)
            message.extra_headers["List-Unsubscribe"] = f"<{next(iter(unsubscribe.values()))}>"
            message.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        for _receiver, files in email_attachments.send(sender=Notification, user=user, notifications=notifications):
            for name, content, mimetype in cast(list[tuple[str, bytes, str]], files):
                message.attach(name, content, mimetype)
        message.send()
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=timezone.now())


def email_immediate(notification_ids: list[int]) -> int:
    sent = 0
    pending = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related("user")
    for notification in pending:
        if email_preference(notification.user, notification.kind) == NotificationPreference.Email.IMMEDIATE:
            _send(notification.user, [notification], digest=False)
            sent += 1
    return sent


def send_digests() -> int:
    """One email per person with every notification they chose to get as a digest and have not had yet."""
    sent = 0
    digest_prefs = NotificationPreference.objects.filter(email=NotificationPreference.Email.DIGEST)
    by_user: dict[int, set[str]] = {}
    for user_id, kind in digest_prefs.values_list("user_id", "kind"):
        by_user.setdefault(user_id, set()).add(kind)
    # The kinds that come in the digest until chosen otherwise, for whoever has not chosen.
    by_default = [kind for kind, email in DEFAULT_EMAIL.items() if email == NotificationPreference.Email.DIGEST]
    chosen = NotificationPreference.objects.filter(user=OuterRef("user"), kind=OuterRef("kind"))
    unchosen = (
        Notification.objects.filter(kind__in=by_default, emailed_at__isnull=True)
        .exclude(Exists(chosen))
        .values_list("user_id", "kind")
        .distinct()
    )
    for user_id, kind in unchosen:
        by_user.setdefault(user_id, set()).add(kind)
    for user_id, kinds in by_user.items():
        notifications = list(
            Notification.objects.filter(user_id=user_id, kind__in=kinds, emailed_at__isnull=True).order_by("created_at")
        )
        if notifications:
            _send(notifications[0].user, notifications, digest=True)
            sent += 1
    return sent
