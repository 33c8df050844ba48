from typing import Any

from allauth.account.signals import user_logged_in
from django.contrib import messages
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samskab.accounts.models import User
from samskab.accounts.my_page import sections
from samskab.accounts.personal_data import Obstacle, check

from . import search, services
from .models import Actor, ActorInvitation, Resource, Theme


@receiver(post_save, sender=Actor)
def index_actor(sender: type[Actor], instance: Actor, **kwargs: Any) -> None:
    search.index_actor(instance.pk, instance.name, instance.description)


@receiver(post_delete, sender=Actor)
def unindex_actor(sender: type[Actor], instance: Actor, **kwargs: Any) -> None:
    search.unindex_actor(instance.pk)


@receiver(post_save, sender=Resource)
@receiver(post_delete, sender=Resource)
def index_resource_offered(sender: type[Resource], instance: Resource, **kwargs: Any) -> None:
    """An actor is found by what it offers: a resource added, changed or deleted changes its actor's index."""
    search.reindex([instance.actor_id])


@receiver(m2m_changed, sender=Actor.themes.through)
def index_themes_chosen(
    sender: type, instance: Actor | Theme, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    """An actor is found by its themes. Changed from the theme's side (`theme.actors.add(...)`), the actors are
    those in `pk_set`, or for a clear those linked before it."""
    if isinstance(instance, Actor):
        if action in {"post_add", "post_remove", "post_clear"}:
            search.reindex([instance.pk])
    elif action == "pre_clear":
        _note_actors(instance)
    elif action in {"post_add", "post_remove"}:
        search.reindex(pk_set or ())
    elif action == "post_clear":
        search.reindex(instance._actors_before)  # type: ignore[attr-defined]


@receiver(post_save, sender=Theme)
def index_theme_renamed(sender: type[Theme], instance: Theme, created: bool, **kwargs: Any) -> None:
    if not created:
        search.reindex(Actor.themes.through.objects.filter(theme=instance).values_list("actor_id", flat=True))


@receiver(pre_delete, sender=Theme)
def note_theme_actors(sender: type[Theme], instance: Theme, **kwargs: Any) -> None:
    _note_actors(instance)


@receiver(post_delete, sender=Theme)
def index_theme_deleted(sender: type[Theme], instance: Theme, **kwargs: Any) -> None:
    """A deleted theme leaves its actors' index: its links are deleted with it, and send no signals."""
    search.reindex(instance._actors_before)  # type: ignore[attr-defined]


def _note_actors(theme: Theme) -> None:
    """Keep on the theme the actors linked to it now, to index again once the links are gone."""
    links = Actor.themes.through.objects.filter(theme=theme)
    theme._actors_before = list(links.values_list("actor_id", flat=True))  # type: ignore[attr-defined]


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
                "No one else is part of %(name)s. It stays in the directory, but no one can edit it or speak for it, "
                "so it leaves the partnerships it is a member of. Invite someone to take over first if it should "
                "live on."
            )
            % {"name": actor.name},
            url=reverse("actors:detail", kwargs={"slug": actor.slug}),
            blocks=False,
        )
        for actor in alone
    ]
    return found
