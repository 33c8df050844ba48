from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as SchemaErrors
from ninja.pagination import paginate
from pydantic import AfterValidator

from samskab.accounts.api import BearerToken, caller
from samskab.actors.models import Actor, Municipality, Resource, ResourceKind, Theme
from samskab.lib.api import InputSchema, LocalDateTime, Message
from samskab.lib.forms import EditedMeanwhile, version_of
from samskab.lib.http import AuthenticatedRequest
from samskab.lib.pagination import BoundedLimitOffsetPagination

from . import services
from .models import (
    Action,
    AgendaItem,
    Attendance,
    Challenge,
    JoinRequest,
    Lesson,
    Meeting,
    MinutesVersion,
    Partnership,
    PartnershipInvitation,
    Phase,
    Proposal,
    ProposalComment,
    ProposalVersion,
    Response,
)
from .models.agenda import MINUTES_MAX_LENGTH
from .models.decisions import COMMENT_MAX_LENGTH
from .models.learning import LESSON_MAX_LENGTH
from .permissions import LEAVE_REFUSED, NOT_YOUR_ACTOR, acting_actor_for, get_challenge_for, get_partnership_for
from .services.core import CLOSING_REASON_MAX_LENGTH, check_open

router = Router(tags=["challenges and partnerships"])


class ActorRef(Schema):
    id: int
    slug: str | None = Field(
        ...,
        description="The actor's page and /api/v1/actors/{slug}; null for a citizen left behind by a deleted account, "
        "which has no page",
    )
    name: str
    sector: str

    @staticmethod
    def resolve_slug(actor: Actor) -> str | None:
        return None if actor.anonymised_at is not None else actor.slug


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
    updated_at: datetime | None = Field(..., description="When it was last edited; none if never")
    version: str = Field(
        ..., description="Send it back when you edit the challenge (PATCH): when it was last edited, or raised"
    )
    closed_at: datetime | None
    closing_note: str = Field(..., description="Why it was closed, if its raiser said so")

    @staticmethod
    def resolve_themes(challenge: Challenge) -> list[str]:
        return [theme.slug for theme in challenge.themes.all()]

    @staticmethod
    def resolve_municipality(challenge: Challenge) -> str:
        return challenge.municipality_id

    @staticmethod
    def resolve_version(challenge: Challenge) -> str:
        return challenge_version(challenge)


def challenge_version(challenge: Challenge) -> str:
    """The challenge's version for a client to send back: `lib.forms.version_of` its last edit, as the edit page
    carries it, or, never edited, of when it was raised (where the page carries ""), so that a client always has a
    version to send and to be told."""
    return version_of(challenge.updated_at or challenge.created_at)


def _seen(thing: Challenge | Meeting, version: str) -> str:
    """A version the client sent (`challenge_version`, `meeting_version`, `version_of_minutes`) as the services
    compare it (`lib.forms.check_unchanged`): the one of when the challenge was raised or the meeting scheduled is ""
    there, as on the pages. Once it is changed, that first version is stale there as it should be."""
    return "" if version == version_of(thing.created_at) else version


def _stale(error: EditedMeanwhile, changed: str, never: str, version: str) -> HttpError:
    """409 for a version that is not the current one: `changed` where someone saved since the version sent,
    `never` where nothing was saved yet, so the version sent was never a real one; each names the current `version`."""
    return HttpError(409, (changed if error.current else never) % {"version": error.current or version})


# Closing and reopening are their own endpoints (a closing note, refusal of a second close), not an edit.
CLOSED_ELSEWHERE = gettext_lazy(
    "close the challenge with POST /api/v1/challenges/{id}/close (with a note on why, if you like), and open it "
    "again with POST /api/v1/challenges/{id}/reopen."
)


def _limit(model: type[Any], field: str) -> int | None:
    """The most characters `model`'s `field` takes (`lib.models.refuse_overlong_text`), for the schema to say so."""
    return model._meta.get_field(field).max_length  # type: ignore[no-any-return]


class ChallengeIn(InputSchema):
    actor_id: int = Field(..., description="The actor on whose behalf the challenge is raised")
    title: str = Field(..., min_length=1, max_length=150)
    description: str = Field(..., min_length=1, max_length=_limit(Challenge, "description"))
    municipality: str = Field(..., max_length=4, description="Municipality code, e.g. 0101")
    place: str = Field("", max_length=120)
    affected: str = Field("", max_length=_limit(Challenge, "affected"))
    themes: list[str] = Field(default_factory=list, description="Theme slugs")


class ChallengePatch(InputSchema):
    changed_elsewhere = {"status": CLOSED_ELSEWHERE, "closed_at": CLOSED_ELSEWHERE, "closing_note": CLOSED_ELSEWHERE}

    version: str = Field(
        ...,
        description="The `version` of the challenge you read. If someone edited it since, nothing is saved and the "
        "answer is 409: read it again, and send your changes anew.",
    )
    title: str | None = Field(None, min_length=1, max_length=150)
    description: str | None = Field(None, min_length=1, max_length=_limit(Challenge, "description"))
    municipality: str | None = Field(None, max_length=4, description="Municipality code, e.g. 0101")
    place: str | None = Field(None, max_length=120)
    affected: str | None = Field(None, max_length=_limit(Challenge, "affected"))
    themes: list[str] | None = Field(None, description="Theme slugs; the list replaces the challenge's themes")


class ChallengeCloseIn(InputSchema):
    note: str = Field("", max_length=2000, description="Why it is closed: what came of it, or where the work goes on")


class ChallengeFilters(Schema):
    q: str = Field(
        "", max_length=100, description="Danish words to find in the title, description, place or who it affects"
    )
    municipality: str = Field("", description="Municipality code, e.g. 0101")
    theme: str = Field("", description="Theme slug")
    place: str = Field("", description="Neighbourhood or place, written in any case")
    status: Literal["open", "in_partnership", "closed", "all"] | None = Field(
        None,
        description="open: no partnership yet; in_partnership; closed; all. None: those not closed (open or in a "
        "partnership), as the challenge list shows them.",
    )


def _municipality(code: str) -> Municipality:
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        raise HttpError(422, _("Unknown municipality code “%(value)s”.") % {"value": code})
    return municipality


def _themes(slugs: list[str]) -> list[Theme]:
    themes = list(Theme.objects.filter(slug__in=slugs))
    unknown = set(slugs) - {t.slug for t in themes}
    if unknown:
        raise HttpError(422, _("Unknown themes: %(slugs)s") % {"slugs": ", ".join(sorted(unknown))})
    return themes


class MemberOut(Schema):
    actor: ActorRef
    role: str
    joined_at: datetime


class PartnershipOut(Schema):
    id: int
    title: str
    purpose: str
    room_for_change: str = Field(..., description="Employee involvement: what is decided, what may be shaped")
    kind: str
    visibility: str
    phase: Phase
    challenge_id: int | None
    created_at: datetime
    closed_at: datetime | None = Field(
        ...,
        description="When the members closed it by consent (POST …/close proposes it); none while it is open. A "
        "closed partnership is read-only: every write is refused (403) until a member reopens it (POST …/reopen)",
    )
    closing_decision_id: int | None = Field(..., description="The decision that closed it; none while it is open")
    members: list[MemberOut]

    @staticmethod
    def resolve_members(partnership: Partnership) -> list:
        return list(partnership.members.select_related("actor"))


class PhaseIn(InputSchema):
    actor_id: int | None = Field(None, description="The member actor you act for; needed if you belong to several")
    phase: Phase
    note: str = Field("", max_length=300)


class InvitationIn(InputSchema):
    actor_id: int | None = Field(None, description="The member actor you act for")
    invitee_id: int = Field(..., description="The actor to invite")
    message: str = Field("", max_length=2000)


class InvitationOut(Schema):
    id: int
    partnership_id: int
    actor: ActorRef
    status: str


@router.get(
    "/challenges",
    response=list[ChallengeOut],
    summary="Search the challenges, newest first, with the challenge list's filters",
)
@paginate(BoundedLimitOffsetPagination)
def list_challenges(request: HttpRequest, filters: Query[ChallengeFilters]) -> object:
    if filters.municipality:
        _municipality(filters.municipality)
    if filters.theme:
        _themes([filters.theme])
    found = Challenge.objects.search(
        q=filters.q,
        municipality=filters.municipality,
        theme=filters.theme,
        place=filters.place,
        status=filters.status or "",
    )
    return found.select_related("raised_by").prefetch_related("themes")


@router.get("/challenges/{challenge_id}", response=ChallengeOut, summary="One challenge, open or closed")
def get_challenge(request: HttpRequest, challenge_id: int) -> Challenge:
    return get_challenge_for(caller(request), challenge_id)


@router.post(
    "/challenges",
    response={201: ChallengeOut, 403: Message, 422: Message},
    auth=BearerToken(),
    summary="Raise a challenge on behalf of one of your actors",
)
def create_challenge(request: AuthenticatedRequest, payload: ChallengeIn) -> Status:
    actor = Actor.objects.of_user(request.user).filter(pk=payload.actor_id).first()
    if actor is None:
        raise PermissionDenied(NOT_YOUR_ACTOR)
    municipality = _municipality(payload.municipality)
    themes = _themes(payload.themes)
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


@router.patch(
    "/challenges/{challenge_id}",
    response={200: ChallengeOut, 403: Message, 409: Message, 422: Message},
    auth=BearerToken(),
    summary="Edit a challenge (the people of the actor that raised it); what is left out stays as it is. Close "
    "or reopen it with its own endpoints",
)
def update_challenge(request: AuthenticatedRequest, challenge_id: int, payload: ChallengePatch) -> Challenge:
    challenge = get_challenge_for(request.user, challenge_id, write=True)
    edit: dict[str, Any] = {
        "title": challenge.title if payload.title is None else payload.title,
        "description": challenge.description if payload.description is None else payload.description,
        "municipality": challenge.municipality if payload.municipality is None else _municipality(payload.municipality),
        "place": challenge.place if payload.place is None else payload.place,
        "affected": challenge.affected if payload.affected is None else payload.affected,
        "themes": list(challenge.themes.all()) if payload.themes is None else _themes(payload.themes),
    }
    try:  # an edit that changes nothing saves nothing (`services.update_challenge`)
        return services.update_challenge(
            user=request.user, challenge=challenge, **edit, seen=_seen(challenge, payload.version)
        )
    except EditedMeanwhile as error:
        changed = _(
            "Someone edited the challenge after you read it, so nothing was saved. Read it again and send your "
            "changes anew (its version is now %(version)s)."
        )
        never = _(  # nobody has edited it: the version sent was never the challenge's
            "The version you sent is not the challenge's, so nothing was saved. It has not been edited since it "
            "was raised; its version is %(version)s."
        )
        raise _stale(error, changed, never, challenge_version(challenge)) from None


@router.post(
    "/challenges/{challenge_id}/close",
    response={200: ChallengeOut, 403: Message, 422: Message},
    auth=BearerToken(),
    summary="Close a challenge (the people of the actor that raised it): it leaves the front page and the map",
)
def close_challenge(request: AuthenticatedRequest, challenge_id: int, payload: ChallengeCloseIn) -> Challenge:
    challenge = get_challenge_for(request.user, challenge_id, write=True)
    return services.set_challenge_status(user=request.user, challenge=challenge, closed=True, note=payload.note)


@router.post(
    "/challenges/{challenge_id}/reopen",
    response={200: ChallengeOut, 403: Message, 422: Message},
    auth=BearerToken(),
    summary="Open a closed challenge again (the people of the actor that raised it)",
)
def reopen_challenge(request: AuthenticatedRequest, challenge_id: int) -> Challenge:
    challenge = get_challenge_for(request.user, challenge_id, write=True)
    return services.set_challenge_status(user=request.user, challenge=challenge, closed=False)


class PartnershipFilters(Schema):
    closed: bool | None = Field(
        None, description="true: only the closed partnerships; false: only those at work; left out: all of them"
    )


@router.get("/partnerships", response=list[PartnershipOut], summary="Partnerships you may see")
@paginate(BoundedLimitOffsetPagination)
def list_partnerships(request: HttpRequest, filters: Query[PartnershipFilters]) -> object:
    partnerships = Partnership.objects.visible_to(caller(request)).prefetch_related("members__actor")
    if filters.closed is not None:
        partnerships = partnerships.closed() if filters.closed else partnerships.ongoing()
    return partnerships


@router.get("/partnerships/{partnership_id}", response=PartnershipOut, summary="One partnership")
def get_partnership(request: HttpRequest, partnership_id: int) -> Partnership:
    return get_partnership_for(caller(request), partnership_id)


@router.post(
    "/partnerships/{partnership_id}/phase",
    response={200: PartnershipOut, 403: Message, 422: Message},
    auth=BearerToken(),
    summary="Move the partnership to another phase (any member; in a staff process, those who act for the workplace)",
)
def change_phase(request: AuthenticatedRequest, partnership_id: int, payload: PhaseIn) -> Partnership:
    partnership = get_partnership_for(request.user, partnership_id, write=True)
    actor = acting_actor_for(request.user, partnership, payload.actor_id, steering=True)
    services.change_phase(
        user=request.user, partnership=partnership, by_actor=actor, to_phase=payload.phase, note=payload.note
    )
    return partnership


@router.post(
    "/partnerships/{partnership_id}/invitations",
    response={201: InvitationOut, 403: Message, 422: Message},
    auth=BearerToken(),
    summary="Invite an actor into the partnership (any member; refused in an employee-involvement process, which is "
    "the workplace's own)",
)
def invite_actor(request: AuthenticatedRequest, partnership_id: int, payload: InvitationIn) -> Status:
    partnership = get_partnership_for(request.user, partnership_id, write=True)
    invitee = Actor.objects.filter(pk=payload.invitee_id).first()
    if invitee is None:
        raise HttpError(422, _("Unknown actor: %(id)s") % {"id": payload.invitee_id})
    actor = acting_actor_for(request.user, partnership, payload.actor_id, steering=True)
    invitation = services.invite_actor(
        user=request.user, partnership=partnership, by_actor=actor, actor=invitee, message=payload.message
    )
    return Status(201, invitation)


class ActingIn(InputSchema):
    actor_id: int | None = Field(None, description="The member actor you act for; needed if you belong to several")


class LeaveIn(InputSchema):
    actor_id: int | None = Field(None, description="The member actor that leaves; needed if you act for several")
    note: str = Field("", max_length=300, description="Why (optional); the other members are told")
    pledges: Literal["keep", "withdraw"] | None = Field(
        None,
        description="What becomes of the actor's standing pledges in the partnership: `keep` (they still count, "
        "marked as an actor's that has left) or `withdraw`; required if it has any",
    )


@router.post(
    "/partnerships/{partnership_id}/invitations/{invitation_id}/withdraw",
    response={200: InvitationOut, 403: Message, 404: Message, 422: Message},
    auth=BearerToken(),
    summary="Withdraw an invitation not yet answered (any member); the invited actor's administrators are told",
)
def withdraw_invitation(
    request: AuthenticatedRequest, partnership_id: int, invitation_id: int, payload: ActingIn
) -> PartnershipInvitation:
    partnership = get_partnership_for(request.user, partnership_id, write=True)
    invitation = partnership.invitations.select_related("actor").filter(pk=invitation_id).first()
    if invitation is None:
        raise HttpError(404, _("Unknown invitation: %(id)s") % {"id": invitation_id})
    actor = acting_actor_for(request.user, partnership, payload.actor_id, steering=True)
    return services.withdraw_invitation(user=request.user, invitation=invitation, by_actor=actor)


@router.post(
    "/partnerships/{partnership_id}/leave",
    response={204: None, 403: Message, 422: Message},
    auth=BearerToken(),
    summary="Take one of your actors out of the partnership (its administrators); the other members are told, a "
    "facilitator's role passes to the member that joined first, and the last member cannot leave, nor does anyone "
    "leave a closed partnership",
)
def leave_partnership(request: AuthenticatedRequest, partnership_id: int, payload: LeaveIn) -> Status:
    partnership = get_partnership_for(request.user, partnership_id, write=True)
    check_open(partnership)
    if partnership.voices_are_people:
        raise HttpError(403, str(LEAVE_REFUSED))
    actor = acting_actor_for(request.user, partnership, payload.actor_id, steering=True)
    try:
        services.leave_partnership(
            user=request.user, partnership=partnership, actor=actor, note=payload.note, pledges=payload.pledges
        )
    except ValidationError as error:
        raise _at_fields(error) from None
    return Status(204, None)


# --- Asking to take part ------------------------------------------------------------------------------------


class JoinRequestIn(InputSchema):
    actor_id: int = Field(..., description="The actor you administer that asks to take part")
    message: str = Field("", max_length=2000, description="What it would bring; the members read it when they decide")


class JoinAnswerIn(InputSchema):
    actor_id: int | None = Field(None, description="The member actor you act for; needed if you belong to several")
    accept: bool = Field(..., description="True lets the actor in as an equal member; false does not")
    reason: str = Field("", max_length=2000, description="Why not: needed when `accept` is false")


class JoinRequestOut(Schema):
    id: int
    partnership_id: int
    actor: ActorRef
    message: str
    status: str = Field(..., description="pending, accepted (let in), declined (not let in) or withdrawn")
    created_at: datetime
    responded_at: datetime | None
    responded_by_actor: ActorRef | None = Field(..., description="The member actor that answered; null otherwise")
    reason: str = Field(..., description="Why it was not let in")


@router.get(
    "/partnerships/{partnership_id}/join-requests",
    response=list[JoinRequestOut],
    auth=BearerToken(),
    summary="The requests to take part, oldest first: all of them to members, to others those of the actors they "
    "administer",
)
def list_join_requests(request: AuthenticatedRequest, partnership_id: int) -> Any:
    partnership = get_partnership_for(request.user, partnership_id)
    found = partnership.join_requests.select_related("actor", "responded_by_actor")
    if not partnership.has_member_user(request.user):
        found = found.filter(actor__in=Actor.objects.administered_by(request.user))
    return found


@router.post(
    "/partnerships/{partnership_id}/join-requests",
    response={201: JoinRequestOut, 403: Message, 422: Message},
    auth=BearerToken(),
    summary="Ask for an actor you administer to take part in a public partnership; the members are told, and any "
    "of them can let it in",
)
def ask_to_join(request: AuthenticatedRequest, partnership_id: int, payload: JoinRequestIn) -> Status:
    partnership = get_partnership_for(request.user, partnership_id)
    actor = Actor.objects.administered_by(request.user).filter(pk=payload.actor_id).first()
    if actor is None:
        raise PermissionDenied(NOT_YOUR_ACTOR)
    try:
        asked = services.ask_to_join(user=request.user, partnership=partnership, actor=actor, message=payload.message)
    except ValidationError as error:
        raise _at_fields(error) from None
    return Status(201, asked)


@router.post(
    "/partnerships/{partnership_id}/join-requests/{request_id}/answer",
    response={200: JoinRequestOut, 403: Message, 404: Message, 422: Message},
    auth=BearerToken(),
    summary="Let the asking actor in, or say why not (any member); the actor is told. An answered request stays as "
    "it was answered",
)
def answer_join_request(
    request: AuthenticatedRequest, partnership_id: int, request_id: int, payload: JoinAnswerIn
) -> Any:
    partnership = get_partnership_for(request.user, partnership_id, write=True)
    join_request = get_object_or_404(JoinRequest, pk=request_id, partnership=partnership)
    actor = acting_actor_for(request.user, partnership, payload.actor_id, steering=True)
    try:
        return services.answer_join_request(
            user=request.user, request=join_request, by_actor=actor, accept=payload.accept, reason=payload.reason
        )
    except ValidationError as error:
        raise _at_fields(error) from None


@router.post(
    "/partnerships/{partnership_id}/join-requests/{request_id}/withdraw",
    response={200: JoinRequestOut, 403: Message, 404: Message},
    auth=BearerToken(),
    summary="Withdraw a request to take part while it waits (the asking actor's administrators)",
)
def withdraw_join_request(request: AuthenticatedRequest, partnership_id: int, request_id: int) -> Any:
    partnership = get_partnership_for(request.user, partnership_id)
    join_request = get_object_or_404(JoinRequest, pk=request_id, partnership=partnership)
    return services.withdraw_join_request(user=request.user, request=join_request)


# --- The shared work: agenda, proposals and consent, decisions, actions and pledges ---------------------


class AgendaItemOut(Schema):
    id: int
    title: str
    description: str
    raised_by: ActorRef
    raised_by_person: str | None = Field(
        None,
        description="Who added it, where each person has a voice (employee involvement), for readers who are members; "
        "else null",
    )
    status: str
    points: int = 0
    status_changed_at: datetime | None = Field(
        None, description="When the item was last marked dealt with or put back on the agenda"
    )
    status_changed_by: ActorRef | None = Field(
        None, description="The member actor that did it; none when a decision on a proposal about it dealt with it"
    )


class AgendaItemIn(InputSchema):
    actor_id: int | None = None
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=5000)


class AgendaStatusIn(InputSchema):
    actor_id: int | None = None
    status: Literal["done", "open"] = Field(
        ..., description="done: the item is dealt with; open: it goes back on the open agenda (and off its meeting)"
    )


class ResponseOut(Schema):
    actor: ActorRef
    person: str | None = Field(
        None, description="Who responded, where each person has a voice (employee involvement); else null"
    )
    kind: str
    reason: str

    @staticmethod
    def resolve_person(response: Response) -> str | None:
        return getattr(response, "shown_person", None)


class VersionOut(Schema):
    number: int
    text: str
    created_at: datetime


class ProposalOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    deadline: datetime
    proposed_by: ActorRef
    versions: list[VersionOut]
    responses: list[ResponseOut] = Field(..., description="Responses to the current version")

    @staticmethod
    def resolve_versions(proposal: Proposal) -> list:
        return list(proposal.versions.all())

    @staticmethod
    def resolve_responses(proposal: Proposal) -> list:
        # From the versions and responses `list_proposals` prefetches (two queries for the whole list).
        current = max(proposal.versions.all(), key=lambda version: version.number)
        return list(current.responses.all())


class ProposalIn(InputSchema):
    actor_id: int | None = None
    title: str = Field(..., min_length=1, max_length=200)
    text: str = Field(..., min_length=1, max_length=10000)
    deadline: LocalDateTime = Field(..., description="Without a UTC offset it is read as Danish local time")


class ResponseIn(InputSchema):
    actor_id: int | None = None
    version: int = Field(..., description="The version you read; refused if the proposal was amended since")
    kind: Response.Kind
    reason: str = Field("", max_length=5000)


class CommentOut(Schema):
    id: int
    actor: ActorRef
    person: str | None = Field(
        None,
        description="The person who wrote it, by name; null if they gave none (never an address) or their account is "
        "deleted, and, where each person has a voice (employee involvement), for readers who are not members",
    )
    version: int = Field(..., description="The version of the proposal the comment was written on")
    reply_to_id: int | None = Field(..., description="The comment it replies to; replies are one level deep")
    text: str
    created_at: datetime

    @staticmethod
    def resolve_person(comment: ProposalComment) -> str | None:
        return getattr(comment, "shown_person", None)

    @staticmethod
    def resolve_version(comment: ProposalComment) -> int:
        return comment.version.number


class CommentIn(InputSchema):
    actor_id: int | None = None
    text: str = Field(..., min_length=1, max_length=COMMENT_MAX_LENGTH)
    version: int | None = Field(None, description="The version you read; the current one if left out")
    reply_to_id: int | None = Field(None, description="A comment in this discussion that you reply to")


class DecisionOut(Schema):
    id: int
    text: str
    decided_at: datetime
    initiated_by: ActorRef
    initiated_by_person: str | None = Field(
        None,
        description="Who recorded a correction, where each person has a voice (employee involvement), for readers "
        "who are members; else null",
    )
    proposal_id: int | None
    corrects_id: int | None


class ActionOut(Schema):
    id: int
    title: str
    description: str
    status: str
    deadline: date | None
    owners: list[ActorRef]
    responsible_people: list[str] = Field(
        default_factory=list,
        description="In employee involvement, the colleagues responsible, named to members only; otherwise empty",
    )
    decision_id: int | None = Field(..., description="The decision the action carries out")
    overdue: bool = Field(..., description="Its deadline has passed (in Danish time) and it is not done")

    @staticmethod
    def resolve_owners(action: Action) -> list:
        return list(action.owners.all())

    @staticmethod
    def resolve_overdue(action: Action) -> bool:
        return action.is_overdue

    @staticmethod
    def resolve_responsible_people(action: Action) -> list[str]:
        return getattr(action, "named_people", [])


class ActionIn(InputSchema):
    actor_id: int | None = None
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    owner_ids: list[int] = Field(..., min_length=1)
    deadline: date | None = None
    decision_id: int | None = Field(
        None, description="One of the partnership's decisions, which the action carries out"
    )


class PledgeOut(Schema):
    id: int
    actor: ActorRef
    kind: str
    description: str
    quantity: float | None
    unit: str
    action_id: int | None = Field(..., description="The action the pledge is for; none: the partnership as a whole")


class PledgeIn(InputSchema):
    actor_id: int | None = None
    resource_id: int | None = Field(None, description="One of the actor's registered resources")
    kind: ResourceKind | None = None
    description: str = Field("", max_length=300)
    quantity: Decimal | None = Field(
        None, ge=0, max_digits=12, decimal_places=1, description="At most 11 digits before the point and one after"
    )
    unit: str = Field("", max_length=40)
    action_id: int | None = Field(None, description="One of the partnership's actions, which the pledge is for")


def _write(request: AuthenticatedRequest, partnership_id: int, actor_id: int | None) -> tuple[Partnership, Actor]:
    partnership = get_partnership_for(request.user, partnership_id, write=True)
    return partnership, acting_actor_for(request.user, partnership, actor_id)


def _raiser(partnership: Partnership, item: AgendaItem, *, to_member: bool) -> str | None:
    """The person who added an agenda item, named as responses to proposals are: only where each person has a
    voice, and there only to members."""
    return partnership.name_of(item.raised_by_user, to_member=to_member) if partnership.voices_are_people else None


@router.get("/partnerships/{partnership_id}/agenda", response=list[AgendaItemOut], summary="The open agenda")
def list_agenda(request: HttpRequest, partnership_id: int) -> Any:
    partnership = get_partnership_for(caller(request), partnership_id)
    items = (
        AgendaItem.objects.filter(partnership=partnership)
        .prioritised()
        .select_related("raised_by", "raised_by_user", "status_changed_by")
    )
    to_member = partnership.voices_are_people and partnership.has_member_user(caller(request))
    return [
        dict(
            id=i.pk,
            title=i.title,
            description=i.description,
            raised_by=i.raised_by,
            raised_by_person=_raiser(partnership, i, to_member=to_member),
            status=i.status,
            # Annotated by AgendaItemQuerySet.prioritised(); django-stubs cannot type a custom queryset's annotations.
            points=i.total_points,  # type: ignore[attr-defined]
            status_changed_at=i.status_changed_at,
            status_changed_by=i.status_changed_by,
        )
        for i in items
    ]


@router.post(
    "/partnerships/{partnership_id}/agenda",
    response={201: AgendaItemOut, 403: Message, 422: Message},
    auth=BearerToken(),
    summary="Add an agenda item (any member)",
)
def add_agenda_item(request: AuthenticatedRequest, partnership_id: int, payload: AgendaItemIn) -> Status:
    partnership, actor = _write(request, partnership_id, payload.actor_id)
    item = services.add_agenda_item(
        user=request.user,
        partnership=partnership,
        by_actor=actor,
        title=payload.title,
        description=payload.description,
    )
    item.raised_by_person = _raiser(partnership, item, to_member=True)  # type: ignore[attr-defined]
    return Status(201, item)


@router.post(
    "/partnerships/{partnership_id}/agenda/{item_id}/status",
    response={200: AgendaItemOut, 403: Message, 404: Message, 422: Message},
    auth=BearerToken(),
    summary="Mark an agenda item dealt with, or put it back on the open agenda (any member)",
)
def set_agenda_item_status(
    request: AuthenticatedRequest, partnership_id: int, item_id: int, payload: AgendaStatusIn
) -> AgendaItem:
    partnership, actor = _write(request, partnership_id, payload.actor_id)
    item = get_object_or_404(AgendaItem, pk=item_id, partnership=partnership)
    changed = services.set_agenda_item_status(user=request.user, item=item, by_actor=actor, status=payload.status)
    changed.raised_by_person = _raiser(partnership, changed, to_member=True)  # type: ignore[attr-defined]
    return changed


# --- Meetings: scheduled from the open agenda, changed, cancelled, with minutes and attendance -------------------


def _in_person(partnership: Partnership, person: Any, *, to_member: bool) -> str | None:
    """The person behind an entry of a log, named as the pages name them: only where each person has a voice (employee
    involvement), and there only to members (`Partnership.name_of`); elsewhere the member actor speaks, and null."""
    return partnership.name_of(person, to_member=to_member) if partnership.voices_are_people else None


PERSON = (
    "The person who did it, where each person has a voice (employee involvement), for readers who are members; "
    "else null, and the member actor speaks"
)


def meeting_version(meeting: Meeting) -> str:
    """The meeting's version for a client to send back: `lib.forms.version_of` its last change, as the edit page
    carries it, or, never changed, of when it was scheduled (where the page carries ""), as `challenge_version`."""
    return version_of(meeting.updated_at or meeting.created_at)


def version_of_minutes(meeting: Meeting) -> str:
    """The minutes' version for a client to send back: of their last save, or, none written, of when the meeting
    was scheduled."""
    return version_of(meeting.minutes_updated_at or meeting.created_at)


def _video_link(value: str) -> str:
    """A video link as the meeting form takes it: a whole web address, or none."""
    if value:
        validate = URLValidator()
        try:
            validate(value)
        except ValidationError:
            raise ValueError(str(validate.message)) from None
    return value


VideoLink = Annotated[str, AfterValidator(_video_link)]


class MeetingItemOut(Schema):
    id: int
    title: str
    status: str = Field(..., description="scheduled: on the meeting's agenda; done: dealt with")


class AttendanceOut(Schema):
    actor: ActorRef
    present: bool


class MeetingOut(Schema):
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    video_link: str
    ended: bool = Field(..., description="The meeting has ended (a past meeting); false while it is upcoming")
    cancelled: bool = Field(..., description="The meeting is cancelled: it stays, marked so, and takes no changes")
    cancelled_at: datetime | None
    cancelled_by: ActorRef | None = Field(..., description="The member actor that cancelled it")
    cancelled_by_person: str | None = Field(None, description=PERSON)
    cancel_reason: str = Field(..., description="Why it was cancelled")
    created_by: ActorRef = Field(..., description="The member actor that scheduled it")
    created_at: datetime
    updated_at: datetime | None = Field(..., description="When its title, time, place or agenda last changed")
    updated_by: ActorRef | None = Field(..., description="The member actor that made that change")
    updated_by_person: str | None = Field(None, description=PERSON)
    version: str = Field(
        ..., description="Send it back when you change the meeting (PATCH): when it last changed, or was scheduled"
    )
    agenda: list[MeetingItemOut] = Field(..., description="The agenda items on it, oldest first")
    minutes: str = Field(..., description="The current minutes; empty until someone writes them")
    minutes_version: str = Field(
        ..., description="Send it back when you write the minutes: when they were last saved, or none, scheduled"
    )
    minutes_number: int | None = Field(
        ..., description="The number of the minutes' current version (every save keeps one); null before any"
    )
    minutes_updated_at: datetime | None
    minutes_updated_by: ActorRef | None = Field(..., description="The member actor that last wrote the minutes")
    minutes_updated_by_person: str | None = Field(None, description=PERSON)
    attendance: list[AttendanceOut] = Field(..., description="Who attended, once recorded: each member actor")
    url: str = Field(..., description="The meeting's page")
    ics_url: str = Field(
        ...,
        description="The meeting's calendar file (iCalendar): every version has the same UID and a higher "
        "SEQUENCE, and a cancelled meeting's file cancels it",
    )

    @staticmethod
    def resolve_ended(meeting: Meeting) -> bool:
        return meeting.has_ended

    @staticmethod
    def resolve_cancelled(meeting: Meeting) -> bool:
        return meeting.is_cancelled

    @staticmethod
    def resolve_cancelled_by_person(meeting: Meeting) -> str | None:
        return getattr(meeting, "shown_cancelled_by", None)

    @staticmethod
    def resolve_updated_by_person(meeting: Meeting) -> str | None:
        return getattr(meeting, "shown_updated_by", None)

    @staticmethod
    def resolve_version(meeting: Meeting) -> str:
        return meeting_version(meeting)

    @staticmethod
    def resolve_agenda(meeting: Meeting) -> list:
        return list(meeting.agenda_items.all())

    @staticmethod
    def resolve_minutes_version(meeting: Meeting) -> str:
        return version_of_minutes(meeting)

    @staticmethod
    def resolve_minutes_number(meeting: Meeting) -> int | None:
        latest = getattr(meeting, "latest_minutes", [])
        return latest[0].number if latest else None

    @staticmethod
    def resolve_minutes_updated_by_person(meeting: Meeting) -> str | None:
        return getattr(meeting, "shown_minutes_by", None)

    @staticmethod
    def resolve_attendance(meeting: Meeting) -> list:
        return list(meeting.attendance.all())

    @staticmethod
    def resolve_url(meeting: Meeting) -> str:
        return settings.SITE_URL + meeting.get_absolute_url()

    @staticmethod
    def resolve_ics_url(meeting: Meeting) -> str:
        return settings.SITE_URL + reverse(
            "partnerships:meeting_ics", kwargs={"pk": meeting.partnership_id, "meeting_pk": meeting.pk}
        )


# What a meeting's change does not change, and where it is changed instead (`InputSchema.changed_elsewhere`).
MINUTES_ELSEWHERE = gettext_lazy("write the minutes with PUT /api/v1/partnerships/{id}/meetings/{meeting_id}/minutes.")
ATTENDANCE_ELSEWHERE = gettext_lazy(
    "record who attended with PUT /api/v1/partnerships/{id}/meetings/{meeting_id}/attendance."
)
CANCELLED_ELSEWHERE = gettext_lazy(
    "cancel the meeting, saying why, with POST /api/v1/partnerships/{id}/meetings/{meeting_id}/cancel."
)


class MeetingIn(InputSchema):
    actor_id: int | None = Field(None, description="The member actor you act for; needed if you belong to several")
    title: str = Field(..., min_length=1, max_length=200)
    starts_at: LocalDateTime = Field(
        ..., description="Not in the past; without a UTC offset it is read as Danish local time"
    )
    ends_at: LocalDateTime = Field(..., description="After the start")
    place: str = Field("", max_length=200, description="Where; give a place, a video link or both")
    video_link: VideoLink = Field("", max_length=200, description="A whole web address, such as https://…")
    item_ids: list[int] = Field(
        default_factory=list,
        description="Items on the partnership's open agenda to put on the meeting's agenda (GET …/agenda lists them, "
        "the most prioritised first)",
    )


class MeetingPatch(InputSchema):
    changed_elsewhere = {
        "minutes": MINUTES_ELSEWHERE,
        "minutes_version": MINUTES_ELSEWHERE,
        "attendance": ATTENDANCE_ELSEWHERE,
        "cancelled": CANCELLED_ELSEWHERE,
        "cancelled_at": CANCELLED_ELSEWHERE,
        "cancel_reason": CANCELLED_ELSEWHERE,
    }

    actor_id: int | None = Field(None, description="The member actor you act for; needed if you belong to several")
    version: str = Field(
        ...,
        description="The `version` of the meeting you read. If someone changed it since, nothing is saved and the "
        "answer is 409: read it again, and send your changes anew.",
    )
    title: str | None = Field(None, min_length=1, max_length=200)
    starts_at: LocalDateTime | None = Field(
        None, description="Not in the past, unless left as it is; without a UTC offset, Danish local time"
    )
    ends_at: LocalDateTime | None = Field(None, description="After the start")
    place: str | None = Field(None, max_length=200, description="Where; a place, a video link or both must remain")
    video_link: VideoLink | None = Field(None, max_length=200, description="A whole web address, or empty")
    item_ids: list[int] | None = Field(
        None,
        description="The meeting's agenda; the list replaces it. Open items join it, its items left out go back on "
        "the open agenda, and items dealt with stay",
    )


class CancelMeetingIn(InputSchema):
    actor_id: int | None = Field(None, description="The member actor you act for; needed if you belong to several")
    reason: str = Field(..., max_length=1000, description="Why the meeting is cancelled; everyone is told")


class MinutesIn(InputSchema):
    actor_id: int | None = Field(None, description="The member actor you act for; needed if you belong to several")
    minutes: str = Field(
        ...,
        max_length=MINUTES_MAX_LENGTH,
        description="The whole text, which becomes the minutes' new version; the earlier versions are kept. Minutes "
        "once written cannot be emptied",
    )
    minutes_version: str = Field(
        ...,
        description="The `minutes_version` of the meeting you read. If someone saved the minutes since, nothing is "
        "saved and the answer is 409: read them again, combine their text with yours, and send it anew.",
    )


class AttendanceIn(InputSchema):
    actor_id: int | None = Field(None, description="The member actor you act for; needed if you belong to several")
    present_ids: list[int] = Field(
        ..., description="The member actors that attended; every other member actor is recorded absent"
    )


def _meetings(partnership: Partnership) -> QuerySet[Meeting]:
    """The partnership's meetings with all that `MeetingOut` shows, in five queries however many there are."""
    latest = MinutesVersion.objects.select_related("written_by_user").defer("text")[:1]  # the newest: by -number
    return partnership.meetings.select_related(
        "created_by",
        "updated_by",
        "updated_by_user",
        "cancelled_by",
        "cancelled_by_user",
        "minutes_updated_by",
    ).prefetch_related(
        "agenda_items",
        Prefetch("attendance", queryset=Attendance.objects.select_related("actor").order_by("actor__name")),
        Prefetch("minutes_versions", queryset=latest, to_attr="latest_minutes"),
    )


def _show_meeting_people(meetings: list[Meeting], partnership: Partnership, reader: Any) -> list[Meeting]:
    """Name the people behind each meeting's last change, cancellation and minutes as the meeting page does."""
    to_member = partnership.voices_are_people and partnership.has_member_user(reader)
    for meeting in meetings:
        latest = getattr(meeting, "latest_minutes", [])
        writer = latest[0].written_by_user if latest else None
        for name, person in (
            ("shown_updated_by", meeting.updated_by_user),
            ("shown_cancelled_by", meeting.cancelled_by_user),
            ("shown_minutes_by", writer),
        ):
            setattr(meeting, name, _in_person(partnership, person, to_member=to_member))
    return meetings


def _meeting_of(partnership: Partnership, reader: Any, meeting_id: int) -> Meeting:
    return _show_meeting_people([get_object_or_404(_meetings(partnership), pk=meeting_id)], partnership, reader)[0]


# The body field a meeting service's refusal is about, by its code, where the refusal does not name a field itself.
REFUSAL_FIELDS = {
    "past": "starts_at",
    "times": "ends_at",
    "where": "place",
    "not_open": "item_ids",
    "not_member": "present_ids",
}


def _refused_at(field: str, message: str, *, code: str) -> SchemaErrors:
    """A refusal of one field of the body, answered as the schema's own are: 422 with a list of errors, each naming
    its field in `loc` and saying why in `msg`."""
    return SchemaErrors([{"type": code, "loc": ["body", "payload", field], "msg": message}])


def _at_fields(error: ValidationError) -> Exception:
    """A service's refusal as `_refused_at` answers it, where each of its parts is about one field; else as it is
    (422, `{"detail": reason}`), such as the refusal to change a cancelled meeting."""
    if hasattr(error, "error_dict"):
        parts = [(field, part) for field, errors in error.error_dict.items() for part in errors]
    else:
        parts = [(REFUSAL_FIELDS.get(part.code or "", NON_FIELD_ERRORS), part) for part in error.error_list]
    if any(field == NON_FIELD_ERRORS for field, _part in parts):
        return error
    return SchemaErrors(
        [
            {"type": part.code or "invalid", "loc": ["body", "payload", field], "msg": " ".join(part.messages)}
            for field, part in parts
        ]
    )


def _agenda_items(choices: QuerySet[AgendaItem], ids: Iterable[int]) -> list[AgendaItem]:
    """The items with `ids` among those the meeting's agenda may take (`choices`); another partnership's, or one that
    is not open, is refused by its id, neither used nor revealed."""
    wanted = set(ids)
    found = list(choices.filter(pk__in=wanted))
    unknown = sorted(wanted - {item.pk for item in found})
    if unknown:
        message = _(
            "Not items this meeting's agenda can take: %(ids)s. A meeting's agenda is drawn from the partnership's "
            "open agenda."
        )
        raise _refused_at("item_ids", message % {"ids": ", ".join(map(str, unknown))}, code="unknown")
    return found


@router.get(
    "/partnerships/{partnership_id}/meetings",
    response=list[MeetingOut],
    summary="The meetings, upcoming and past, in the order they start; a cancelled meeting stays, marked cancelled",
)
def list_meetings(
    request: HttpRequest, partnership_id: int, when: Literal["upcoming", "past"] | None = None
) -> list[Meeting]:
    """`when`: upcoming (not ended) or past (ended) only; all when left out."""
    reader = caller(request)
    partnership = get_partnership_for(reader, partnership_id)
    meetings = _meetings(partnership)
    if when == "upcoming":
        meetings = meetings.filter(ends_at__gt=timezone.now())
    elif when == "past":
        meetings = meetings.filter(ends_at__lte=timezone.now())
    return _show_meeting_people(list(meetings), partnership, reader)


@router.get(
    "/partnerships/{partnership_id}/meetings/{meeting_id}",
    response={200: MeetingOut, 404: Message},
    summary="One meeting, with its agenda, minutes, attendance and calendar file",
)
def get_meeting(request: HttpRequest, partnership_id: int, meeting_id: int) -> Meeting:
    reader = caller(request)
    return _meeting_of(get_partnership_for(reader, partnership_id), reader, meeting_id)


@router.post(
    "/partnerships/{partnership_id}/meetings",
    response={201: MeetingOut, 403: Message, 422: Message},
    auth=BearerToken(),
    summary="Schedule a meeting (any member), its agenda drawn from the open agenda; everyone taking part is invited, "
    "by email with the calendar file as each has chosen",
)
def schedule_meeting(request: AuthenticatedRequest, partnership_id: int, payload: MeetingIn) -> Status:
    partnership, actor = _write(request, partnership_id, payload.actor_id)
    items = _agenda_items(AgendaItem.objects.for_meeting_choice(partnership), payload.item_ids)
    try:
        meeting = services.schedule_meeting(
            user=request.user,
            partnership=partnership,
            by_actor=actor,
            title=payload.title,
            starts_at=payload.starts_at,
            ends_at=payload.ends_at,
            place=payload.place,
            video_link=payload.video_link,
            items=items,
        )
    except ValidationError as error:
        raise _at_fields(error) from None
    return Status(201, _meeting_of(partnership, request.user, meeting.pk))


@router.patch(
    "/partnerships/{partnership_id}/meetings/{meeting_id}",
    response={200: MeetingOut, 403: Message, 404: Message, 409: Message, 422: Message},
    auth=BearerToken(),
    summary="Change a meeting's title, time, place or agenda (any member); what is left out stays as it is. Everyone "
    "taking part is told, and their calendars follow. Cancel it, write its minutes or its attendance with their own "
    "endpoints",
)
def update_meeting(
    request: AuthenticatedRequest, partnership_id: int, meeting_id: int, payload: MeetingPatch
) -> Meeting:
    partnership, actor = _write(request, partnership_id, payload.actor_id)
    meeting = get_object_or_404(Meeting, pk=meeting_id, partnership=partnership)
    if payload.item_ids is None:
        items = list(meeting.agenda_items.filter(status=AgendaItem.Status.SCHEDULED))
    else:
        items = _agenda_items(AgendaItem.objects.for_meeting_edit(meeting), payload.item_ids)
    try:  # a change that changes nothing saves nothing and tells nobody (`services.update_meeting`)
        services.update_meeting(
            user=request.user,
            meeting=meeting,
            by_actor=actor,
            title=meeting.title if payload.title is None else payload.title,
            starts_at=meeting.starts_at if payload.starts_at is None else payload.starts_at,
            ends_at=meeting.ends_at if payload.ends_at is None else payload.ends_at,
            place=meeting.place if payload.place is None else payload.place,
            video_link=meeting.video_link if payload.video_link is None else payload.video_link,
            items=items,
            seen=_seen(meeting, payload.version),
        )
    except EditedMeanwhile as error:
        changed = _(
            "Someone changed the meeting after you read it, so nothing was saved. Read it again and send your "
            "changes anew (its version is now %(version)s)."
        )
        never = _(  # nobody has changed it: the version sent was never the meeting's
            "The version you sent is not the meeting's, so nothing was saved. It has not been changed since it "
            "was scheduled; its version is %(version)s."
        )
        raise _stale(error, changed, never, meeting_version(meeting)) from None
    except ValidationError as error:
        raise _at_fields(error) from None
    return _meeting_of(partnership, request.user, meeting.pk)


@router.post(
    "/partnerships/{partnership_id}/meetings/{meeting_id}/cancel",
    response={200: MeetingOut, 403: Message, 404: Message, 422: Message},
    auth=BearerToken(),
    summary="Cancel a meeting that has not ended, saying why (any member). It stays, marked cancelled; its items go "
    "back on the open agenda, everyone taking part is told, and the calendar file cancels it",
)
def cancel_meeting(
    request: AuthenticatedRequest, partnership_id: int, meeting_id: int, payload: CancelMeetingIn
) -> Meeting:
    partnership, actor = _write(request, partnership_id, payload.actor_id)
    meeting = get_object_or_404(Meeting, pk=meeting_id, partnership=partnership)
    try:
        services.cancel_meeting(user=request.user, meeting=meeting, by_actor=actor, reason=payload.reason)
    except ValidationError as error:
        raise _at_fields(error) from None
    return _meeting_of(partnership, request.user, meeting.pk)


@router.put(
    "/partnerships/{partnership_id}/meetings/{meeting_id}/minutes",
    response={200: MeetingOut, 403: Message, 404: Message, 409: Message, 422: Message},
    auth=BearerToken(),
    summary="Write or correct a meeting's minutes (any member): every save is kept as a version, and minutes once "
    "written cannot be emptied",
)
def write_minutes(request: AuthenticatedRequest, partnership_id: int, meeting_id: int, payload: MinutesIn) -> Meeting:
    partnership, actor = _write(request, partnership_id, payload.actor_id)
    meeting = get_object_or_404(Meeting, pk=meeting_id, partnership=partnership)
    try:  # the text as it stands saves nothing (`services.write_minutes`)
        services.write_minutes(
            user=request.user,
            meeting=meeting,
            by_actor=actor,
            minutes=payload.minutes,
            seen=_seen(meeting, payload.minutes_version),
        )
    except EditedMeanwhile as error:
        changed = _(
            "Someone saved the minutes after you read them, so nothing was saved. Read them again, combine their "
            "text with yours and send it anew (the minutes' version is now %(version)s)."
        )
        never = _(  # none are written: the version sent was never the minutes'
            "The minutes version you sent is not the meeting's, so nothing was saved. No minutes have been saved "
            "yet; their version is %(version)s."
        )
        raise _stale(error, changed, never, version_of_minutes(meeting)) from None
    except ValidationError as error:
        raise _at_fields(error) from None
    return _meeting_of(partnership, request.user, meeting.pk)


@router.put(
    "/partnerships/{partnership_id}/meetings/{meeting_id}/attendance",
    response={200: MeetingOut, 403: Message, 404: Message, 422: Message},
    auth=BearerToken(),
    summary="Record which member actors attended a meeting that was not cancelled (any member); the others are "
    "recorded absent",
)
def update_attendance(
    request: AuthenticatedRequest, partnership_id: int, meeting_id: int, payload: AttendanceIn
) -> Meeting:
    partnership, actor = _write(request, partnership_id, payload.actor_id)
    meeting = get_object_or_404(Meeting, pk=meeting_id, partnership=partnership)
    wanted = set(payload.present_ids)
    present = list(Actor.objects.filter(pk__in=wanted, partnership_memberships__partnership=partnership))
    unknown = sorted(wanted - {a.pk for a in present})
    if unknown:
        message = _("Not member actors of the partnership: %(ids)s. Only member actors can attend.")
        raise _refused_at("present_ids", message % {"ids": ", ".join(map(str, unknown))}, code="not_member")
    try:
        services.update_attendance(user=request.user, meeting=meeting, by_actor=actor, present=present)
    except ValidationError as error:
        raise _at_fields(error) from None
    return _meeting_of(partnership, request.user, meeting.pk)


@router.get("/partnerships/{partnership_id}/proposals", response=list[ProposalOut])
def list_proposals(request: HttpRequest, partnership_id: int) -> Any:
    partnership = get_partnership_for(caller(request), partnership_id)
    services.settle_due_proposals(partnership=partnership)
    responses = Prefetch("responses", queryset=Response.objects.select_related("actor", "user"))
    versions = Prefetch("versions", queryset=ProposalVersion.objects.prefetch_related(responses))
    proposals = list(partnership.proposals.select_related("proposed_by").prefetch_related(versions))
    if partnership.voices_are_people:  # responses are a person's only there; elsewhere an actor's
        to_member = partnership.has_member_user(caller(request))
        for proposal in proposals:
            for version in proposal.versions.all():
                for response in version.responses.all():
                    response.shown_person = partnership.name_of(response.user, to_member=to_member)  # type: ignore[attr-defined]
    return proposals


@router.post(
    "/partnerships/{partnership_id}/proposals",
    response={201: ProposalOut, 403: Message, 422: Message},
    auth=BearerToken(),
    summary="Propose (any member); decided by consent at the deadline",
)
def create_proposal(request: AuthenticatedRequest, partnership_id: int, payload: ProposalIn) -> Status:
    partnership, actor = _write(request, partnership_id, payload.actor_id)
    proposal = services.propose(
        user=request.user,
        partnership=partnership,
        by_actor=actor,
        title=payload.title,
        text=payload.text,
        deadline=payload.deadline,
    )
    return Status(201, proposal)


@router.post(
    "/partnerships/{partnership_id}/proposals/{proposal_id}/responses",
    response={200: ResponseOut, 403: Message, 422: Message},
    auth=BearerToken(),
    summary="Respond for your member actor: consent, concern or objection (with its reason)",
)
def respond(request: AuthenticatedRequest, partnership_id: int, proposal_id: int, payload: ResponseIn) -> Any:
    partnership, actor = _write(request, partnership_id, payload.actor_id)
    proposal = get_object_or_404(Proposal, pk=proposal_id, partnership=partnership)
    if not proposal.versions.filter(number=payload.version).exists():
        raise HttpError(422, _("The proposal has no version %(n)d.") % {"n": payload.version})
    return services.respond_to_proposal(
        user=request.user,
        proposal=proposal,
        actor=actor,
        version_number=payload.version,
        kind=payload.kind,
        reason=payload.reason,
    )


def _show_people(comments: list[ProposalComment], partnership: Partnership, reader: Any) -> list[ProposalComment]:
    """Name the person behind each comment as the proposal page does: never by address, and where each person has
    a voice only to the members."""
    to_member = partnership.has_member_user(reader)
    for comment in comments:
        comment.shown_person = partnership.name_of(comment.user, to_member=to_member)  # type: ignore[attr-defined]
    return comments


@router.get(
    "/partnerships/{partnership_id}/proposals/{proposal_id}/comments",
    response=list[CommentOut],
    summary="The discussion of a proposal, oldest first",
)
def list_comments(request: HttpRequest, partnership_id: int, proposal_id: int) -> Any:
    reader = caller(request)
    partnership = get_partnership_for(reader, partnership_id)
    proposal = get_object_or_404(Proposal, pk=proposal_id, partnership=partnership)
    comments = list(proposal.comments.select_related("actor", "user", "version"))
    return _show_people(comments, partnership, reader)


@router.post(
    "/partnerships/{partnership_id}/proposals/{proposal_id}/comments",
    response={201: CommentOut, 403: Message, 404: Message, 422: Message},
    auth=BearerToken(),
    summary="Add to the discussion of an open proposal, or reply to a comment (any member)",
)
def add_comment(request: AuthenticatedRequest, partnership_id: int, proposal_id: int, payload: CommentIn) -> Status:
    partnership, actor = _write(request, partnership_id, payload.actor_id)
    proposal = get_object_or_404(Proposal, pk=proposal_id, partnership=partnership)
    reply_to = None
    if payload.reply_to_id is not None:
        reply_to = proposal.comments.filter(pk=payload.reply_to_id).first()
        if reply_to is None:
            raise HttpError(422, _("The comment you reply to is not in this discussion."))
    comment = services.comment_on_proposal(
        user=request.user,
        proposal=proposal,
        actor=actor,
        text=payload.text,
        version_number=payload.version,
        reply_to=reply_to,
    )
    return Status(201, _show_people([comment], partnership, request.user)[0])


@router.get("/partnerships/{partnership_id}/decisions", response=list[DecisionOut], summary="The decision log")
def list_decisions(request: HttpRequest, partnership_id: int) -> Any:
    reader = caller(request)
    partnership = get_partnership_for(reader, partnership_id)
    services.settle_due_proposals(partnership=partnership)
    log = list(partnership.decisions.select_related("initiated_by", "initiated_by_user"))
    to_member = partnership.voices_are_people and partnership.has_member_user(reader)
    for entry in log:
        entry.initiated_by_person = _in_person(partnership, entry.initiated_by_user, to_member=to_member)  # type: ignore[attr-defined]
    return log


@router.get("/partnerships/{partnership_id}/actions", response=list[ActionOut], summary="The action plan")
def list_actions(request: HttpRequest, partnership_id: int) -> Any:
    reader = caller(request)
    partnership = get_partnership_for(reader, partnership_id)
    actions = list(partnership.actions.prefetch_related("owners", "responsible_people"))
    to_member = partnership.has_member_user(reader)
    for action in actions:
        names = (partnership.name_of(person, to_member=to_member) for person in action.responsible_people.all())
        action.named_people = [name for name in names if name]  # type: ignore[attr-defined]
    return actions


@router.post(
    "/partnerships/{partnership_id}/actions",
    response={201: ActionOut, 403: Message, 422: Message},
    auth=BearerToken(),
)
def create_action(request: AuthenticatedRequest, partnership_id: int, payload: ActionIn) -> Status:
    partnership, actor = _write(request, partnership_id, payload.actor_id)
    owners = list(Actor.objects.filter(pk__in=payload.owner_ids))
    unknown = set(payload.owner_ids) - {owner.pk for owner in owners}
    if unknown:
        raise HttpError(422, _("Unknown actors: %(ids)s") % {"ids": ", ".join(map(str, sorted(unknown)))})
    decision = None
    if payload.decision_id is not None:
        # Looked up among this partnership's decisions only, so another partnership's are neither used nor revealed.
        decision = partnership.decisions.filter(pk=payload.decision_id).first()
        if decision is None:
            raise HttpError(422, _("The partnership has no decision with id %(id)s.") % {"id": payload.decision_id})
    action = services.create_action(
        user=request.user,
        partnership=partnership,
        by_actor=actor,
        title=payload.title,
        description=payload.description,
        owners=owners,
        deadline=payload.deadline,
        decision=decision,
    )
    return Status(201, action)


@router.get(
    "/partnerships/{partnership_id}/pledges",
    response=list[PledgeOut],
    summary="The standing pledges (withdrawn ones count nowhere and are left out)",
)
def list_pledges(request: HttpRequest, partnership_id: int) -> Any:
    return get_partnership_for(caller(request), partnership_id).pledges.standing().select_related("actor")


@router.post(
    "/partnerships/{partnership_id}/pledges",
    response={201: PledgeOut, 403: Message, 422: Message},
    auth=BearerToken(),
    summary="Pledge a resource for your member actor",
)
def create_pledge(request: AuthenticatedRequest, partnership_id: int, payload: PledgeIn) -> Status:
    partnership, actor = _write(request, partnership_id, payload.actor_id)
    resource = None
    if payload.resource_id is not None:
        resource = Resource.objects.filter(pk=payload.resource_id).first()
        if resource is None:
            raise HttpError(422, _("Unknown resource."))
    elif not (payload.kind and payload.description):
        raise HttpError(422, _("Give resource_id, or kind and description."))
    action = None
    if payload.action_id is not None:
        # Looked up among this partnership's actions only, so another partnership's are neither used nor revealed.
        action = partnership.actions.filter(pk=payload.action_id).first()
        if action is None:
            raise HttpError(422, _("The partnership has no action with id %(id)s.") % {"id": payload.action_id})
    pledge = services.pledge(
        user=request.user,
        partnership=partnership,
        actor=actor,
        kind=payload.kind or "",
        description=payload.description,
        quantity=payload.quantity,
        unit=payload.unit,
        resource=resource,
        action=action,
    )
    return Status(201, pledge)


class SuggestionOut(Schema):
    actor: ActorRef
    score: float
    reasons: list[str]
    distance_m: float | None


class CoalitionOut(Schema):
    members: list[ActorRef]
    coverage: dict[str, float]
    total_coverage: float
    sectors: list[str]
    new_ties: int
    explanation: str


class CoalitionsOut(Schema):
    suggestions: list[SuggestionOut]
    coalitions: list[CoalitionOut]


@router.get(
    "/partnerships/{partnership_id}/coalitions",
    response=CoalitionsOut,
    summary="Who could contribute: ranked actors with reasons and three coalitions for the recorded needs (without "
    "needs, actors by theme and area and no coalitions; none in an employee-involvement process, which is the "
    "workplace's own)",
)
def coalitions(
    request: HttpRequest, partnership_id: int, themes: str = "", neighbourhood: str = "", radius_km: float = 15
) -> dict[str, Any]:
    from . import contributors as finder

    partnership = get_partnership_for(caller(request), partnership_id)
    search = finder.default_request(partnership)
    if themes:
        search.themes = [t for t in themes.split(",") if t]
    if neighbourhood:
        search.centre = finder.area_centre(partnership, neighbourhood)
    search.radius_km = max(1.0, min(radius_km, 200.0))
    if partnership.voices_are_people:
        return {"suggestions": [], "coalitions": []}
    result = finder.find(partnership, search)
    actors = finder.actors_by_id(
        [s.candidate_id for s in result.suggestions] + [i for c in result.coalitions for i in c.member_ids]
    )
    return {
        "suggestions": [
            {"actor": actors[s.candidate_id], "score": s.score, "reasons": s.reasons, "distance_m": s.distance_m}
            for s in result.suggestions
        ],
        "coalitions": [
            {
                "members": [actors[i] for i in c.member_ids],
                "coverage": c.coverage,
                "total_coverage": c.total_coverage,
                "sectors": c.sectors,
                "new_ties": c.new_ties,
                "explanation": c.explanation,
            }
            for c in result.coalitions
        ],
    }


# --- The learn end of the cycle: lessons, closing together, reopening ------------------------------------------


class LessonOut(Schema):
    id: int
    kind: Lesson.Kind = Field(..., description="worked, did_not_work or next_time")
    text: str
    actor: ActorRef = Field(..., description="The member actor it was written for")
    person: str | None = Field(
        None,
        description="The person who wrote it, where each person has a voice (employee involvement), for readers who "
        "are members; else null, and the member actor speaks",
    )
    created_at: datetime
    withdrawn_at: datetime | None = Field(
        ..., description="When the actor's people withdrew it; it stays on record, and counts nowhere as a lesson"
    )

    @staticmethod
    def resolve_person(lesson: Lesson) -> str | None:
        return getattr(lesson, "shown_person", None)


class LessonIn(InputSchema):
    actor_id: int | None = Field(None, description="The member actor you write for; needed if you belong to several")
    kind: Lesson.Kind = Field(..., description="worked, did_not_work or next_time")
    text: str = Field(..., min_length=1, max_length=LESSON_MAX_LENGTH)


class CloseIn(InputSchema):
    actor_id: int | None = Field(None, description="The member actor you propose for; needed if you belong to several")
    note: str = Field("", max_length=CLOSING_REASON_MAX_LENGTH, description="Why close it now (optional)")


class ReopenIn(InputSchema):
    actor_id: int | None = Field(None, description="The member actor you act for; needed if you act for several")
    reason: str = Field(
        ..., max_length=CLOSING_REASON_MAX_LENGTH, description="Why it is reopened; the others are told"
    )


def _lessons_shown(lessons: list[Lesson], partnership: Partnership, reader: Any) -> list[Lesson]:
    to_member = partnership.voices_are_people and partnership.has_member_user(reader)
    for lesson in lessons:
        lesson.shown_person = _in_person(partnership, lesson.user, to_member=to_member)  # type: ignore[attr-defined]
    return lessons


@router.get(
    "/partnerships/{partnership_id}/lessons",
    response=list[LessonOut],
    summary="What the partnership has learned, oldest first; withdrawn lessons are marked (`withdrawn_at`)",
)
def list_lessons(request: HttpRequest, partnership_id: int) -> Any:
    reader = caller(request)
    partnership = get_partnership_for(reader, partnership_id)
    return _lessons_shown(list(partnership.lessons.select_related("actor", "user")), partnership, reader)


@router.post(
    "/partnerships/{partnership_id}/lessons",
    response={201: LessonOut, 403: Message, 422: Message},
    auth=BearerToken(),
    summary="Write down a lesson for your member actor (any member, in any phase): what worked, what did not, or "
    "what to do differently next time; everyone else taking part is told",
)
def add_lesson(request: AuthenticatedRequest, partnership_id: int, payload: LessonIn) -> Status:
    partnership, actor = _write(request, partnership_id, payload.actor_id)
    try:
        lesson = services.add_lesson(
            user=request.user, partnership=partnership, actor=actor, kind=payload.kind, text=payload.text
        )
    except ValidationError as error:
        raise _at_fields(error) from None
    return Status(201, _lessons_shown([lesson], partnership, request.user)[0])


@router.post(
    "/partnerships/{partnership_id}/lessons/{lesson_id}/withdraw",
    response={200: LessonOut, 403: Message, 404: Message},
    auth=BearerToken(),
    summary="Withdraw a lesson (the people of the actor it was written for; in employee involvement, the colleague "
    "who wrote it or those who act for the workplace). It stays on record, marked; a second withdrawal changes "
    "nothing",
)
def withdraw_lesson(request: AuthenticatedRequest, partnership_id: int, lesson_id: int) -> Any:
    return _change_lesson(request, partnership_id, lesson_id, services.withdraw_lesson)


@router.post(
    "/partnerships/{partnership_id}/lessons/{lesson_id}/restore",
    response={200: LessonOut, 403: Message, 404: Message},
    auth=BearerToken(),
    summary="Restore a withdrawn lesson among what the partnership has learned (those who may withdraw it); nobody "
    "is told again, and restoring a standing lesson changes nothing",
)
def restore_lesson(request: AuthenticatedRequest, partnership_id: int, lesson_id: int) -> Any:
    return _change_lesson(request, partnership_id, lesson_id, services.restore_lesson)


def _change_lesson(
    request: AuthenticatedRequest, partnership_id: int, lesson_id: int, change: Callable[..., Lesson]
) -> Lesson:
    partnership = get_partnership_for(request.user, partnership_id, write=True)
    lesson = get_object_or_404(Lesson, pk=lesson_id, partnership=partnership)
    return _lessons_shown([change(user=request.user, lesson=lesson)], partnership, request.user)[0]


@router.post(
    "/partnerships/{partnership_id}/close",
    response={201: ProposalOut, 403: Message, 422: Message},
    auth=BearerToken(),
    summary="Propose to close the partnership (any member actor's people who speak for it; in a staff process, those "
    "who act for the workplace): a consent decision (kind `close`), open for a week. When it passes, the partnership "
    "is closed and read-only, and open proposals due later are withdrawn",
)
def propose_closing(request: AuthenticatedRequest, partnership_id: int, payload: CloseIn) -> Status:
    partnership = get_partnership_for(request.user, partnership_id, write=True)
    actor = acting_actor_for(request.user, partnership, payload.actor_id, steering=True)
    try:
        proposal = services.propose_closing(
            user=request.user, partnership=partnership, by_actor=actor, note=payload.note
        )
    except ValidationError as error:
        raise _at_fields(error) from None
    return Status(201, proposal)


@router.post(
    "/partnerships/{partnership_id}/reopen",
    response={200: PartnershipOut, 403: Message, 422: Message},
    auth=BearerToken(),
    summary="Reopen a closed partnership at once, saying why (any member actor's people who speak for it; in a staff "
    "process, those who act for the workplace); logged, and everyone else taking part is told",
)
def reopen_partnership(request: AuthenticatedRequest, partnership_id: int, payload: ReopenIn) -> Partnership:
    partnership = get_partnership_for(request.user, partnership_id, write=True)
    actor = acting_actor_for(request.user, partnership, payload.actor_id, steering=True)
    try:
        services.reopen_partnership(user=request.user, partnership=partnership, by_actor=actor, reason=payload.reason)
    except ValidationError as error:
        raise _at_fields(error) from None
    return partnership
