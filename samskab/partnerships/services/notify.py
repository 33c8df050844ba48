from __future__ import annotations

from samskab.accounts.models import User
from samskab.accounts.notifications import notify
from samskab.actors.models import Actor

from ..models import Partnership


def notify_members(
    partnership: Partnership, *, kind: str, text: str, url: str = "", except_actor: Actor | None = None
) -> None:
    """Notify the people of every member actor (except those of the actor that caused it)."""
    users = User.objects.filter(
        actor_memberships__actor__partnership_memberships__partnership=partnership, is_active=True
    )
    if except_actor is not None:
        users = users.exclude(actor_memberships__actor=except_actor)
    notify(users.distinct(), kind=kind, text=text, url=url)
