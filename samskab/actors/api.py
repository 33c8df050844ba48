from datetime import datetime
from typing import Any, Self

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import model_validator
from pydantic_core import PydanticCustomError

from samskab.accounts.api import BearerToken
from samskab.lib.api import InputSchema, Message
from samskab.lib.http import AuthenticatedRequest
from samskab.lib.pagination import CountedLimitOffsetPagination

from . import claims
from .models import Actor, ActorClaim, ResourceKind, Sector

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


# --- Taking over an actor nobody administers (`claims`) ------------------------------------------------------


class ClaimIn(InputSchema):
    message: str = Field(
        "", max_length=1000, description="Who you are at the actor; whoever confirms the request reads it"
    )


class ClaimAnswerIn(InputSchema):
    accept: bool = Field(..., description="True makes the person the actor's administrator; false does not")
    reason: str = Field("", max_length=2000, description="Why not: needed when `accept` is false")


class ClaimOut(Schema):
    id: int
    actor: str = Field(..., description="The actor's slug")
    person: str = Field(..., description="The name of the person who asks")
    email: str = Field(..., description="Their email address, which whoever confirms sees")
    message: str
    status: ActorClaim.Status = Field(
        ..., description="pending, accepted, declined, withdrawn, or overtaken (someone else's was confirmed first)"
    )
    emailed: bool = Field(..., description="Whether a link to confirm went to the actor's email in the register")
    created_at: datetime
    responded_at: datetime | None
    reason: str = Field(..., description="Why the municipality did not confirm it")

    @staticmethod
    def resolve_actor(claim: ActorClaim) -> str:
        return claim.actor.slug

    @staticmethod
    def resolve_person(claim: ActorClaim) -> str:
        return claim.user.name

    @staticmethod
    def resolve_email(claim: ActorClaim) -> str:
        return claim.user.email

    @staticmethod
    def resolve_emailed(claim: ActorClaim) -> bool:
        return bool(claim.emailed_to)


def _claimed(slug: str) -> Actor:
    return get_object_or_404(Actor.objects.select_related("municipality"), slug=slug, anonymised_at=None)


@router.get(
    "/{slug}/claims",
    response=list[ClaimOut],
    auth=BearerToken(),
    summary="Requests to take the actor over, oldest first: all of them to its municipality's administrators, to "
    "others their own",
)
def list_claims(request: AuthenticatedRequest, slug: str) -> Any:
    actor = _claimed(slug)
    found = actor.claims.select_related("actor", "user")
    return found if claims.answers_for(actor, request.user) else found.filter(user=request.user)


@router.post(
    "/{slug}/claims",
    response={201: ClaimOut, 403: Message, 404: Message, 422: Message},
    auth=BearerToken(),
    summary="Ask to administer an actor nobody administers. A link goes to its email in the register, and its "
    "municipality's administrators are told; confirmed at once when your confirmed address is the register's",
)
def claim_actor(request: AuthenticatedRequest, slug: str, payload: ClaimIn) -> Status:
    actor = _claimed(slug)
    return Status(201, claims.claim_actor(actor=actor, user=request.user, message=payload.message))


@router.post(
    "/{slug}/claims/{claim_id}/answer",
    response={200: ClaimOut, 403: Message, 404: Message, 422: Message},
    auth=BearerToken(),
    summary="Confirm that the person may administer the actor, or say why not (its municipality's administrators). "
    "An answered request stays as it was answered",
)
def answer_claim(request: AuthenticatedRequest, slug: str, claim_id: int, payload: ClaimAnswerIn) -> Any:
    actor = _claimed(slug)
    if not claims.answers_for(actor, request.user):
        raise PermissionDenied(claims.ONLY_THE_MUNICIPALITY)
    found = get_object_or_404(ActorClaim, pk=claim_id, actor=actor)
    return claims.answer_claim(claim=found, user=request.user, accept=payload.accept, reason=payload.reason)


@router.post(
    "/{slug}/claims/{claim_id}/withdraw",
    response={200: ClaimOut, 404: Message, 422: Message},
    auth=BearerToken(),
    summary="Withdraw your request while it waits",
)
def withdraw_claim(request: AuthenticatedRequest, slug: str, claim_id: int) -> Any:
    found = get_object_or_404(ActorClaim.objects.select_related("actor", "user"), pk=claim_id, user=request.user)
    if found.actor.slug != slug:
        raise Http404
    return claims.withdraw_claim(claim=found, user=request.user)
