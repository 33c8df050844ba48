"""My page shows what other apps hold for the person (for example invitations waiting for their address).

Accounts sits at the bottom of the apps, so it asks them through a signal, as personal_data does."""

from typing import Any, cast

from django.dispatch import Signal

from .models import User

# Receivers return (template name, context) for a section of My page, or None when they have nothing to show.
sections = Signal()


def sections_for(user: User) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for _receiver, response in sections.send(sender=User, user=user):
        if response is not None:
            found.append(cast(tuple[str, dict[str, Any]], response))
    return found
