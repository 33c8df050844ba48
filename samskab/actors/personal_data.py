from typing import Any

from django.dispatch import receiver
from django.utils import timezone

from samskab.accounts.personal_data import collect, forget
from samskab.lib.text import unique_slug

from .models import Actor, Membership, Sector


@receiver(collect)
def actors_of(sender: type, user: Any, **kwargs: Any) -> tuple[str, Any]:
    memberships = Membership.objects.filter(user=user).select_related("actor")
    return "actors", [
        {
            "actor": m.actor.name,
            "sector": m.actor.sector,
            "role": m.role,
            "joined": m.joined_at,
            "description": m.actor.description,
            "address": m.actor.address,
            "contact_email": m.actor.contact_email,
            "contact_phone": m.actor.contact_phone,
        }
        for m in memberships
    ]


@receiver(forget)
def anonymise_own_citizen_actor(sender: type, user: Any, **kwargs: Any) -> None:
    """A citizen actor that is the person themself (no one else in it) stays as an anonymous citizen, so the
    challenges it raised and the partnerships it joined keep their history."""
    own = Actor.objects.filter(sector=Sector.CITIZEN, memberships__user=user)
    for actor in own:
        if actor.memberships.exclude(user=user).exists():
            continue
        actor.name = "Anonym borger"
        actor.slug = unique_slug(Actor, "anonym-borger")
        actor.description = actor.address = actor.contact_email = actor.contact_phone = actor.website = ""
        actor.latitude = actor.longitude = None
        actor.public_fields = []
        actor.open_to_suggestions = False
        actor.anonymised_at = timezone.now()
        actor.save()
