from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy

from .models import Actor

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from samskab.accounts.models import User


ADMINS_ONLY = gettext_lazy(
    "Only the actor's administrators may do this: edit its page, invite people into it and change their roles. "
    "Ask one of them."
)


def get_actor_for(user: User | AnonymousUser, slug: str, *, admin: bool = False) -> Actor:
    """Any actor's public profile; with `admin`, only if the user administers the actor."""
    try:
        actor = Actor.objects.select_related("municipality").get(slug=slug)
    except Actor.DoesNotExist:
        raise Http404 from None
    if admin and not actor.is_admin(user):
        raise PermissionDenied(ADMINS_ONLY)
    return actor
