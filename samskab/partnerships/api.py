from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from samskab.accounts.api import BearerToken, caller
from samskab.actors.models import Actor, Municipality, Theme

from . import services
from .models import Challenge, Partnership, Phase
from .permissions import acting_actor_for, get_partnership_for

router = Router(tags=["challenges and partnerships"])


class ActorRef(Schema):
    id: int
    slug: str
    name: str
    sector: str


class ChallengeOut(Schema):
    id: int
    title: str
    description: str
    themes: list[str]
    municipality: str
    place: str
    affected: str
    status: str
    raised_by: ActorRef
    created_at: datetime

    @staticmethod
    def resolve_themes(challenge: Challenge) -> list[str]:
        return [theme.slug for theme in challenge.themes.all()]

    @staticmethod
    def resolve_municipality(challenge: Challenge) -> str:
        return challenge.municipality_id


class ChallengeIn(Schema):
    actor_id: int = Field(..., description="The actor on whose behalf the challenge is raised")
    title: str = Field(..., min_length=1, max_length=150)
    description: str = Field(..., min_length=1)
    municipality: str = Field(..., description="Municipality code, e.g. 0101")
    place: str = Field("", max_length=120)
    affected: str = ""
    themes: list[str] = Field(default_factory=list, description="Theme slugs")


class MemberOut(Schema):
    actor: ActorRef
    role: str
    joined_at: datetime


class PartnershipOut(Schema):
    id: int
    title: str
    purpose: str
    kind: str
    visibility: str
    phase: Phase
    challenge_id: int | None
    created_at: datetime
    members: list[MemberOut]

    @staticmethod
    def resolve_members(partnership: Partnership) -> list:
        return list(partnership.members.select_related("actor"))


class PhaseIn(Schema):
    actor_id: int | None = Field(None, description="The member actor you act for; needed if you belong to several")
    phase: Phase
    note: str = Field("", max_length=300)


class InvitationIn(Schema):
    actor_id: int | None = Field(None, description="The member actor you act for")
    invitee_id: int = Field(..., description="The actor to invite")
    message: str = Field("", max_length=2000)


class InvitationOut(Schema):
    id: int
    partnership_id: int
    actor: ActorRef
    status: str


class Message(Schema):
    detail: str


def _as_http_error(error: Exception) -> HttpError:
    if isinstance(error, PermissionDenied):
        return HttpError(403, str(error) or "Forbidden")
    assert isinstance(error, ValidationError)
    return HttpError(422, " ".join(error.messages))


@router.get("/challenges", response=list[ChallengeOut], summary="All challenges, newest first")
@paginate(LimitOffsetPagination)
def list_challenges(request: HttpRequest, status: Challenge.Status | None = None) -> object:
    qs = Challenge.objects.select_related("raised_by").prefetch_related("themes")
    return qs.filter(status=status) if status else qs


@router.get("/challenges/{challenge_id}", response=ChallengeOut, summary="One challenge")
def get_challenge(request: HttpRequest, challenge_id: int) -> Challenge:
    return get_object_or_404(Challenge.objects.select_related("raised_by"), pk=challenge_id)


@router.post(
    "/challenges",
    response={201: ChallengeOut, 403: Message, 422: Message},
    auth=BearerToken(),
    summary="Raise a challenge on behalf of one of your actors",
)
def create_challenge(request: HttpRequest, payload: ChallengeIn) -> Status:
    actor = Actor.objects.of_user(request.user).filter(pk=payload.actor_id).first()
    if actor is None:
        raise HttpError(403, "You can only act on behalf of an actor you belong to")
    municipality = Municipality.objects.filter(code=payload.municipality).first()
    if municipality is None:
        raise HttpError(422, f"Unknown municipality code: {payload.municipality}")
    themes = list(Theme.objects.filter(slug__in=payload.themes))
    unknown = set(payload.themes) - {t.slug for t in themes}
    if unknown:
        raise HttpError(422, f"Unknown themes: {', '.join(sorted(unknown))}")
    challenge = services.raise_challenge(
        user=request.user,
        actor=actor,
        title=payload.title,
        description=payload.description,
        municipality=municipality,
        place=payload.place,
        affected=payload.affected,
        themes=themes,
    )
    return Status(201, challenge)


@router.get("/partnerships", response=list[PartnershipOut], summary="Partnerships you may see")
@paginate(LimitOffsetPagination)
def list_partnerships(request: HttpRequest) -> object:
    return Partnership.objects.visible_to(caller(request)).prefetch_related("members__actor")


@router.get("/partnerships/{partnership_id}", response=PartnershipOut, summary="One partnership")
def get_partnership(request: HttpRequest, partnership_id: int) -> Partnership:
    return get_partnership_for(caller(request), partnership_id)


@router.post(
    "/partnerships/{partnership_id}/phase",
    response={200: PartnershipOut, 403: Message, 422: Message},
    auth=BearerToken(),
    summary="Move the partnership to another phase (any member)",
)
def change_phase(request: HttpRequest, partnership_id: int, payload: PhaseIn) -> Partnership:
    partnership = get_partnership_for(request.user, partnership_id, write=True)
    try:
        actor = acting_actor_for(request.user, partnership, payload.actor_id)
        services.change_phase(
            user=request.user,
            partnership=partnership,
            by_actor=actor,
            to_phase=payload.phase,
            note=payload.note,
        )
    except (PermissionDenied, ValidationError) as error:
        raise _as_http_error(error) from None
    return partnership


@router.post(
    "/partnerships/{partnership_id}/invitations",
    response={201: InvitationOut, 403: Message, 422: Message},
    auth=BearerToken(),
    summary="Invite an actor into the partnership (any member)",
)
def invite_actor(request: HttpRequest, partnership_id: int, payload: InvitationIn) -> Status:
    partnership = get_partnership_for(request.user, partnership_id, write=True)
    invitee = Actor.objects.filter(pk=payload.invitee_id).first()
    if invitee is None:
        raise HttpError(422, f"Unknown actor: {payload.invitee_id}")
    try:
        actor = acting_actor_for(request.user, partnership, payload.actor_id)
        invitation = services.invite_actor(
            user=request.user, partnership=partnership, by_actor=actor, actor=invitee, message=payload.message
        )
    except (PermissionDenied, ValidationError) as error:
        raise _as_http_error(error) from None
    return Status(201, invitation)
