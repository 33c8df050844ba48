from collections.abc import Mapping
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken, NotificationKind, NotificationPreference, User

# Sent inside `change_name`'s transaction with the name `before`; receivers return a list of the names of what else
# now carries the person's new name (an actor that is the person themself), for the page to say so.
name_changed = Signal()


@transaction.atomic
def create_api_token(*, user: User, label: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its key; only the key's hash is kept."""
    key = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, label=label, key_hash=ApiToken.hash_key(key), prefix=key[3:9])
    return token, key


def revoke_api_token(*, user: User, token_id: int) -> bool:
    """Delete one of the user's own API keys; False if they have no key with that id."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return deleted > 0


def user_for_api_key(key: str) -> User | None:
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(key)).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


@transaction.atomic
def save_notification_choices(*, user: User, choices: Mapping[str, str]) -> None:
    """Store how each kind of notification (the keys) comes to the person by email (the values). A kind or a choice
    that does not exist is a caller's mistake (the page's form refuses them first): ValueError, and nothing is
    saved."""
    if not set(choices) <= set(NotificationKind.values) or not set(choices.values()) <= set(
        NotificationPreference.Email.values
    ):
        raise ValueError(f"unknown notification kinds or email choices: {dict(choices)}")
    for kind, email in choices.items():
        NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": email})


def mark_notifications_read(*, user: User) -> int:
    """The person has seen their notifications: all are marked read. Returns how many were unread."""
    return user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def change_name(*, user: User, name: str) -> list[str]:
    """The person puts right the name others see (the right to rectification): surrounding spaces are dropped, and
    an empty name or one longer than the column is refused (`ValidationError`), nothing saved. What else carries
    the name changes with it (`name_changed`: the citizen profile that is the person themself, where it has their
    name); the names of those are returned."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Write the name others should see."), code="empty")
    longest = User._meta.get_field("name").max_length
    if longest is not None and len(name) > longest:
        raise ValidationError(_("The name can be at most %(max)d characters.") % {"max": longest}, code="too_long")
    before = user.name
    user.name = name
    user.save(update_fields=["name"])
    if name == before:
        return []
    responses = name_changed.send(sender=User, user=user, before=before)
    return [renamed for _receiver, names in responses for renamed in cast(list[str], names)]
