from typing import Any

from django.db.models import Exists, OuterRef, Value
from django.db.models.functions import Concat, Left, Substr
from django.dispatch import receiver
from django.utils import timezone

from samskab.accounts.models import Notification
from samskab.accounts.personal_data import collect, forget
from samskab.accounts.services import name_changed

from .models import Actor, ActorInvitation, Membership, Sector
from .services import save_with_free_slug


@receiver(collect)
def actors_of(sender: type, user: Any, **kwargs: Any) -> tuple[str, Any]:
    """The actors one belongs to, with their profile as the actor's page shows it to this person: all of it to an
    administrator (a citizen actor that is the person themself included: where they live, their position on the map,
    what they offer and need), the public part to the other members."""
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("actor__municipality")
        .prefetch_related("actor__themes", "actor__resources", "actor__needs")
    )
    private = ("address", "contact_email", "contact_phone", "website")
    return "actors", [_profile(m, private) for m in memberships.order_by("pk")]


def _profile(membership: Membership, private: tuple[str, ...]) -> dict[str, Any]:
    actor, admin = membership.actor, membership.role == Membership.Role.ADMIN
    profile: dict[str, Any] = {
        "actor": actor.name,
        "sector": actor.sector,
        "role": membership.role,
        "joined": membership.joined_at,
        "description": actor.description,
        "municipality": actor.municipality.name,
        "neighbourhood": actor.neighbourhood,
        "themes": [theme.name_da for theme in actor.themes.all()],
    }
    profile |= {field: getattr(actor, field) for field in private if admin or actor.shows(field)}
    if admin:
        profile |= {
            "latitude": actor.latitude,
            "longitude": actor.longitude,
            "public_fields": actor.public_fields,
            "open_to_suggestions": actor.open_to_suggestions,
        }
    profile["resources"] = [
        {
            "kind": r.kind,
            "title": r.title,
            "description": r.description,
            "quantity": r.quantity,
            "unit": r.unit,
            "availability": r.availability,
        }
        for r in actor.resources.all()
    ]
    profile["needs"] = [{"kind": n.kind, "description": n.description} for n in actor.needs.all()]
    return profile


@receiver(collect)
def actor_work_of(sender: type, user: Any, **kwargs: Any) -> tuple[str, Any]:
    """What the person did for actors beyond belonging: invitations they sent to join one, their requests to take
    one over and those they answered, the municipalities they administer, and the register imports they uploaded
    (their files' names and outcome; the rows are the register's, not the person's)."""
    from .models import ActorClaim, ActorImport, MunicipalAdministrator

    return "actor_work", {
        "invitations_sent": list(
            ActorInvitation.objects.filter(invited_by=user).values(
                "actor__name", "email", "role", "created_at", "accepted_at"
            )
        ),
        "requests_to_take_over": list(
            ActorClaim.objects.filter(user=user).values(
                "actor__name", "message", "created_at", "status", "responded_at", "reason"
            )
        ),
        "requests_to_take_over_answered": list(
            ActorClaim.objects.filter(responded_by=user).values("actor__name", "status", "responded_at", "reason")
        ),
        "municipal_administrator_of": list(
            MunicipalAdministrator.objects.filter(user=user).values_list("municipality__name", flat=True)
        ),
        "register_imports": list(
            ActorImport.objects.filter(created_by=user).values(
                "municipality__name", "filename", "created_at", "status", "finished_at"
            )
        ),
    }


@receiver(forget)
def forget_invitations(sender: type, user: Any, **kwargs: Any) -> None:
    """Invitations to join an actor, sent to the person's addresses: they name the person, and wait for nobody
    now."""
    from allauth.account.models import EmailAddress

    addresses = {
        user.email.lower(),
        *(e.lower() for e in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)),
    }
    ActorInvitation.objects.filter(email__in=addresses).delete()


def own_citizen_actors(user: Any) -> list[Actor]:
    """The citizen actors that are the person themself: citizen actors with nobody else in them. Deleting the
    account anonymises them (`anonymise_own_citizen_actor`); the apps above take them out of what they run (the
    partnerships' and opinion maps' `forget` receivers), as nobody is left to act for them."""
    others = Membership.objects.filter(actor=OuterRef("pk")).exclude(user=user)
    mine = Actor.objects.filter(sector=Sector.CITIZEN, memberships__user=user).exclude(Exists(others))
    return list(mine.order_by("pk"))


def organisations_left_empty(user: Any) -> list[Actor]:
    """The other actors nobody but the person is in (an association, a business, a municipal unit they administer
    alone): once the account goes, nobody is left to act for them. They keep their names and stay in the directory,
    as an organisation is not personal data; the partnerships' `forget` receiver takes them out of the partnerships
    they are members of, so that nobody's silence counts as their consent."""
    others = Membership.objects.filter(actor=OuterRef("pk")).exclude(user=user)
    mine = Actor.objects.exclude(sector=Sector.CITIZEN).filter(
        memberships__user=user, memberships__role=Membership.Role.ADMIN
    )
    return list(mine.exclude(Exists(others)).order_by("pk"))


@receiver(name_changed)
def rename_own_citizen_actor(sender: type, user: Any, before: str, **kwargs: Any) -> list[str]:
    """A citizen profile that is the person themself (`own_citizen_actors`) and carries the name they put right takes
    the new name too: it is the name partners see on everything the person does as a citizen. One they named
    otherwise is left as they named it."""
    renamed = []
    for actor in own_citizen_actors(user):
        if actor.name == before:
            actor.name = user.name
            actor.save(update_fields=["name"])  # the directory's search index follows (`signals.index_actor`)
            renamed.append(actor.name)
    return renamed


@receiver(forget)
def anonymise_own_citizen_actor(sender: type, user: Any, **kwargs: Any) -> None:
    """A citizen actor that is the person themself (no one else in it) stays as an anonymous citizen, so the
    challenges it raised and the partnerships it took part in keep their history. It has no page of its own any
    more (`views.detail`): one page gathering everything it did would name the person again by what they did."""
    for actor in own_citizen_actors(user):
        # Notifications told others what this actor did, by name: from now on they say "Anonym borger" too.
        # Only the name that opens a notification ("Sofie Andersen har sat …") is the actor's: a plain replace would
        # also change "Bo" inside "Bolig", and one that opens with a longer name ("Sofie Andersen Design har …") is
        # another actor's. Cut to the column's 400 characters.
        named = Notification.objects.filter(text__startswith=f"{actor.name} ")
        longer = Actor.objects.filter(name__startswith=f"{actor.name} ").exclude(pk=actor.pk)
        for other in longer.values_list("name", flat=True):
            named = named.exclude(text__startswith=f"{other} ")
        named.update(text=Left(Concat(Value("Anonym borger"), Substr("text", len(actor.name) + 1)), 400))
        actor.name = "Anonym borger"
        # What the person offered, needed and where they live are theirs; the register's id would name them again.
        actor.resources.all().delete()
        actor.needs.all().delete()
        actor.themes.clear()
        actor.neighbourhood = actor.external_id = ""
        actor.description = actor.address = actor.contact_email = actor.contact_phone = actor.website = ""
        actor.latitude = actor.longitude = None
        actor.public_fields = []
        actor.open_to_suggestions = False
        actor.anonymised_at = timezone.now()
        save_with_free_slug(actor, "anonym-borger")  # several citizens may leave at the same instant
