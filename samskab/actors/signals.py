from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import search
from .models import Actor


@receiver(post_save, sender=Actor)
def index_actor(sender: type[Actor], instance: Actor, **kwargs: Any) -> None:
    search.index_actor(instance.pk, instance.name, instance.description)


@receiver(post_delete, sender=Actor)
def unindex_actor(sender: type[Actor], instance: Actor, **kwargs: Any) -> None:
    search.unindex_actor(instance.pk)
