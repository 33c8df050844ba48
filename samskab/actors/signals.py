from typing import Any

from allauth.account.signals import user_logged_in
from django.contrib import messages
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samskab.accounts.models import User
from samskab.accounts.my_page import sections
from samskab.accounts.personal_data import Obstacle, check

from . import search, services
from .models import Actor, ActorInvitation


@receiver(post_save, sender=Actor)
def index_actor(sender: type[Actor], instance: Actor, **kwargs: Any) -> None:
    search.index_actor(instance.pk, instance.name, instance.description)


@receiver(post_delete, sender=Actor)
def unindex_actor(sender: type[Actor], instance: Actor, **kwargs: Any) -> None:
    search.unindex_actor(instance.pk)


@receiver(user_logged_in)
def point_to_waiting_invitations(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    """Someone invited before they had an account finds the invitation on their first login."""
    count = ActorInvitation.objects.for_user(user).count()
    if count:
        text = ngettext(
            "An invitation to join an actor is waiting for you on My page.",
            "%(count)d invitations to join actors are waiting for you on My page.",
            count,
        ) % {"count": count}
        messages.info(request, text)


@receiver(sections)
def waiting_invitations(sender: type, user: User, **kwargs: Any) -> tuple[str, dict[str, Any]] | None:
    invitations = ActorInvitation.objects.for_user(user).select_related("actor", "invited_by")
    if not invitations:
        return None
    return "actors/_waiting_invitations.html", {"invitations": invitations}


@receiver(check)
def last_administrators(sender: type, user: User, **kwargs: Any) -> list[Obstacle]:
    blocking, alone = services.actors_left_without_admin(user)
    found = [
        Obstacle(
            _(
                "You are the only administrator of %(name)s, and others are part of it. Make one of them "
                "administrator first, so someone can still look after it."
            )
            % {"name": actor.name},
            url=reverse("actors:detail", kwargs={"slug": actor.slug}),
        )
        for actor in blocking
    ]
    found += [
        Obstacle(
            _(
                "No one else is part of %(name)s. It stays in the directory and in the partnerships it has taken "
                "part in, but no one can edit it. Invite someone to take over first if it should live on."
            )
            % {"name": actor.name},
            url=reverse("actors:detail", kwargs={"slug": actor.slug}),
            blocks=False,
        )
        for actor in alone
    ]
    return found
