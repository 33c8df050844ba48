from typing import Self

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import model_validator
from pydantic_core import PydanticCustomError

from samskab.lib.pagination import CountedLimitOffsetPagination

from .models import Actor, ResourceKind, Sector

router = Router(tags=["actors"])


class ResourceOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    quantity: float | None
    unit: str
    availability: str


class NeedOut(Schema):
    id: int
    kind: str
    description: str


class ActorOut(Schema):
    id: int
    slug: str
    name: str
    sector: Sector
    description: str
    themes: list[str]
    municipality: str = Field(..., description="Official four-digit municipality code")
    neighbourhood: str
    address: str | None = Field(None, description="Only when the actor shows it publicly")
    contact_email: str | None = None
    contact_phone: str | None = None
    website: str | None = None
    latitude: float | None = None
    longitude: float | None = None

    @staticmethod
    def resolve_themes(actor: Actor) -> list[str]:
        return [theme.slug for theme in actor.themes.all()]

    @staticmethod
    def resolve_municipality(actor: Actor) -> str:
        return actor.municipality_id

    @staticmethod
    def _public(actor: Actor, field: str) -> str | None:
        return getattr(actor, field) if actor.shows(field) else None

    @staticmethod
    def resolve_address(actor: Actor) -> str | None:
        return ActorOut._public(actor, "address")

    @staticmethod
    def resolve_contact_email(actor: Actor) -> str | None:
        return ActorOut._public(actor, "contact_email")

    @staticmethod
    def resolve_contact_phone(actor: Actor) -> str | None:
        return ActorOut._public(actor, "contact_phone")

    @staticmethod
    def resolve_latitude(actor: Actor) -> float | None:
        return actor.latitude if actor.shows("address") else None

    @staticmethod
    def resolve_longitude(actor: Actor) -> float | None:
        return actor.longitude if actor.shows("address") else None

    @staticmethod
    def resolve_website(actor: Actor) -> str | None:
        return ActorOut._public(actor, "website")


class ActorDetailOut(ActorOut):
    resources: list[ResourceOut]
    needs: list[NeedOut]

    @staticmethod
    def resolve_resources(actor: Actor) -> list:
        return list(actor.resources.all())

    @staticmethod
    def resolve_needs(actor: Actor) -> list:
        return list(actor.needs.all())


class ActorFilters(Schema):
    q: str = Field("", description="Danish words to find in the name or description (stemmed, typo-tolerant)")
    sector: Sector | None = None
    theme: str = Field("", description="Theme slug")
    neighbourhood: str = ""
    municipality: str = Field("", description="Municipality code, e.g. 0101")
    resource_kind: ResourceKind | None = Field(None, description="Only actors offering this kind of resource")
    need_kind: ResourceKind | None = Field(None, description="Only actors that need this kind of resource")
    lat: float | None = Field(None, ge=54.4, le=57.9, description="Latitude of the place to search around")
    lon: float | None = Field(None, ge=7.9, le=15.3, description="Longitude of the place to search around")
    km: float | None = Field(
        None, gt=0, le=500, description="Distance from (lat, lon) in kilometres; the three go together"
    )

    @model_validator(mode="after")
    def _whole_place(self) -> Self:
        # Half a place, or a place without a distance, would be ignored and every actor found: refused, as the actor
        # form refuses half a pin and the directory's "Near" needs a distance.
        if (self.lat is None) != (self.lon is None):
            raise PydanticCustomError("half_place", _("Give both latitude and longitude, or neither."))
        if self.km is not None and self.lat is None:
            raise PydanticCustomError(
                "half_place", _("A distance (km) needs a place to measure from: give latitude and longitude too.")
            )
        if self.km is None and self.lat is not None:
            raise PydanticCustomError(
                "half_place", _("A search around a place needs a distance: give km with latitude and longitude.")
            )
        return self


@router.get("/", response=list[ActorOut], summary="Search the actor directory")
@paginate(CountedLimitOffsetPagination)
def list_actors(request: HttpRequest, filters: Query[ActorFilters]) -> object:
    data = filters.dict()
    data["sector"] = data["sector"] or ""
    data["resource_kind"] = data["resource_kind"] or ""
    data["need_kind"] = data["need_kind"] or ""
    actors, _fuzzy = Actor.objects.for_directory().search(**data)
    return actors


@router.get("/{slug}", response=ActorDetailOut, summary="One actor's public profile")
def get_actor(request: HttpRequest, slug: str) -> Actor:
    # As the page: a citizen left behind by a deleted account has no profile gathering its contributions.
    actors = Actor.objects.prefetch_related("themes", "resources", "needs")
    return get_object_or_404(actors, slug=slug, anonymised_at=None)
