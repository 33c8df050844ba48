"""The actor's page shows what other apps hold about the actor, such as what it has contributed to partnerships.

Actors sits below those apps, so it asks them through a signal, as My page does."""

from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.dispatch import Signal

from samskab.accounts.models import User

from .models import Actor

# Receivers return (template name, context) for a section of the actor's page, or None when they have nothing to show.
sections = Signal()


def sections_for(actor: Actor, user: User | AnonymousUser) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for _receiver, response in sections.send(sender=Actor, actor=actor, user=user):
        if response is not None:
            found.append(cast(tuple[str, dict[str, Any]], response))
    return found
