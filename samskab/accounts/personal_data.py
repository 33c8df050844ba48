"""A person's own data: download it, or delete the account while contributions stay, anonymised.

Accounts sits at the bottom of the apps, so it asks the others through signals: each app that holds data
about a person answers `collect` with a section for the download, and tidies up on `forget` (for example by
anonymising a citizen actor that is the person themself). Foreign keys to the user are SET_NULL wherever a
contribution should outlive the account, so the rows stay and point at nobody.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, cast

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.dispatch import Signal

from .models import User

# Receivers return (section name, JSON-serialisable data).
collect = Signal()
# Sent inside the deleting transaction, before the user row goes.
forget = Signal()
# Receivers return a list of `Obstacle`s: what to settle, or to know, before the account goes.
check = Signal()


@dataclass(frozen=True)
class Obstacle:
    """Something the deletion page tells the person: `blocks` refuses the deletion until it is settled."""

    text: str
    url: str = ""
    blocks: bool = True
    link: str = ""  # the words of the link to `url`; the page says "Go to the actor" when empty


class AccountStillNeeded(Exception):
    """The account cannot go yet; the obstacles say why."""


def obstacles(user: User) -> list[Obstacle]:
    found: list[Obstacle] = []
    for _receiver, response in check.send(sender=User, user=user):
        found.extend(cast(list[Obstacle], response))
    return found


def export(user: User) -> bytes:
    from allauth.account.models import EmailAddress

    data: dict[str, Any] = {
        "account": {
            "email": user.email,
            "name": user.name,
            "joined": user.date_joined,
            "last_login": user.last_login,
        },
        "email_addresses": list(EmailAddress.objects.filter(user=user).values("email", "verified", "primary")),
        "api_keys": list(user.api_tokens.values("label", "prefix", "created_at", "last_used_at")),
        "notifications": list(user.notifications.values("kind", "text", "url", "created_at", "read_at")),
        "notification_preferences": list(user.notification_preferences.values("kind", "email")),
    }
    for _receiver, response in collect.send(sender=User, user=user):
        section, value = cast(tuple[str, Any], response)
        data[section] = value
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


@transaction.atomic
def delete_account(user: User) -> None:
    """Delete the person; what they contributed stays, no longer linked to them.

    Raises AccountStillNeeded while a blocking obstacle remains (e.g. the last administrator of an actor
    others belong to)."""
    if any(obstacle.blocks for obstacle in obstacles(user)):
        raise AccountStillNeeded
    forget.send(sender=User, user=user)
    user.delete()
