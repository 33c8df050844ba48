from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from samskab.accounts.api import BearerToken, caller
from samskab.accounts.models import User
from samskab.actors.models import Actor
from samskab.lib.api import InputSchema, Message
from samskab.lib.http import AuthenticatedRequest
from samskab.lib.pagination import BoundedLimitOffsetPagination
from samskab.partnerships.permissions import acting_actor_for, get_partnership_for

from . import services
from .forms import ConversationForm
from .models import Conversation, Participant, Statement
from .presentation import hidden_statements, min_voters, shown_result, statement_votes, unsure_statements

router = Router(tags=["opinion maps"])


class ConversationOut(Schema):
    id: int
    partnership_id: int | None
    question: str
    description: str
    is_open: bool
    closed_at: datetime | None
    allow_anonymous: bool
    created_at: datetime
    earlier_question: str = Field(description="The question as it first read, if it was changed after people voted")
    question_changed_at: datetime | None = Field(description="When the question was last changed after people voted")


class StatementOut(Schema):
    id: int
    text: str
    is_seed: bool
    hidden: bool
    created_at: datetime

    @staticmethod
    def resolve_hidden(statement: Statement) -> bool:
        return statement.is_hidden


class DuplicateOut(Schema):
    """A statement refused as a near-duplicate, with the statement it repeats (vote there instead)."""

    detail: str
    existing: StatementOut


SECTOR_FIELD = Field(
    None,
    description="Only for one's first act in a standalone conversation, where the sector cannot be told from the "
    "actors one acts for (none, or several of different sectors): municipality, association, citizen or business; "
    "with several actors, one of their sectors. Without it there: 422. Elsewhere one's sector is one's actor's.",
)


class StatementIn(InputSchema):
    # Its length is checked by `services.add_statement` after runs of whitespace are collapsed, as on the page.
    text: str = Field(..., description="At least 10 letters or digits, at most 280 characters")
    sector: Literal["municipality", "association", "citizen", "business"] | None = SECTOR_FIELD


class VoteIn(InputSchema):
    statement_id: int
    value: Literal[-1, 0, 1] = Field(..., description="agree 1, disagree -1, pass 0 (whole numbers)")
    sector: Literal["municipality", "association", "citizen", "business"] | None = SECTOR_FIELD

    @field_validator("value", mode="before")
    @classmethod
    def _a_whole_number(cls, value: Any) -> Any:
        # JSON's true and 1.0 are no votes, though Python takes them for 1; nor is "1".
        if type(value) is not int:
            raise PydanticCustomError("literal_error", "Input should be {expected}", {"expected": "-1, 0 or 1"})
        return value


class OpenIn(InputSchema):
    is_open: bool = Field(
        ..., description="false closes the conversation (no more votes or statements), true reopens it"
    )


class VoteOut(Schema):
    statement_id: int
    value: int


class GroupVotesOut(Schema):
    agree: int | None
    disagree: int | None
    seen: int | None = Field(description="Everybody in the group who voted on it: agree, disagree or pass")


class StatementVotesOut(Schema):
    statement: str
    agree: int | None = Field(description="null while fewer than `min_voters` have voted on it")
    disagree: int | None = Field(description="null while fewer than `min_voters` have voted on it")
    seen: int = Field(description="Everybody who voted on it: agree, disagree or pass")
    groups: list[GroupVotesOut] = Field(
        description="The same counts in each opinion group, in the order of `groups`; all three null where fewer "
        "than `min_voters` of the group voted on it, or where the votes outside the shown groups would come from "
        "fewer than `min_voters` people, whether few or nobody of the group voted"
    )


class UnsureOut(Schema):
    statement: str
    seen: int = Field(description="Participants who have voted on it")
    pass_share: int = Field(description="Per cent of them who passed (did not know)")


class ResultsOut(Schema):
    computed_at: datetime | None = Field(description="When the map shown was computed; null while there is none")
    more_voters_needed: int | None = Field(
        description="How many more people must vote or change a vote before a newer map replaces this one (as last "
        "counted); null while there is no map"
    )
    n_participants: int
    n_votes: int
    min_voters: int = Field(
        description="No figure rests on fewer people: 3, and in an employee-involvement process the surveys' "
        "anonymity threshold (at least 5)"
    )
    groups: list[dict[str, Any]] = Field(
        description="Each opinion group: `size`, `sectors` (its members by sector), `too_small` (fewer members than "
        "`min_voters`: its votes are not shown) and `representative`, the statements that set it apart (Polis's "
        "repness), each with `direction`, the group's `agree` and `disagree` shares and `stance`, how it sets the "
        "group apart in words its shares bear out: `agrees_more` or `disagrees_more` (than the other groups), "
        "`agrees` or `disagrees` (a majority of the group), or `divided`. Only statements on which at least "
        "`min_voters` of the group, and of the other groups none or at least `min_voters`, voted; "
        "`representative_withheld` is true where the group has such statements but none may be shown"
    )
    consensus: dict[str, list[dict[str, Any]]] = Field(
        description="What a clear majority agrees (`agree`) or disagrees (`disagree`) with, Polis's consensus: "
        "`share`, `count` of `seen` voters; only statements at least `min_voters` voted on"
    )
    group_informed_consensus: dict[str, float] = Field(
        description="Polis's group-informed consensus per statement, where every group's votes on it are shown"
    )
    bridging: list[dict[str, Any]] = Field(
        description="Per statement, best bridging score first: `per_sector` (the sectors with at least 3 voters on "
        "it), `withheld` (the other sectors present), and `pooled`, the votes of everybody not in a shown sector "
        "together (at least 3 people), or null. Empty in an employee-involvement process, which compares no sectors"
    )
    statements: list[StatementVotesOut] = Field(description="The votes on every shown statement, most voted first")
    unsure: list[UnsureOut] = Field(
        description="Where many are unsure: statements at least 30 % of at least 5 voters passed on, most passed first"
    )
    sectors_withheld: bool = Field(
        description="The groups are not counted by sector: a sector has fewer than 3 members in the groups, or among "
        "those in no group"
    )
    recomputing: bool = Field(
        description="The map is kept in an older form and is being recomputed; until then it shows no bridging and "
        "no sectors in its groups"
    )


def _conversation(request: HttpRequest, pk: int) -> Conversation:
    conversation = get_object_or_404(Conversation.objects.select_related("partnership"), pk=pk)
    if conversation.partnership_id is not None:
        get_partnership_for(caller(request), conversation.partnership_id)
    return conversation


def _participant(request: AuthenticatedRequest, conversation: Conversation, sector: str | None = None) -> Participant:
    """The caller's participant identity, created on their first act (never in a closed conversation: 422); in a
    standalone conversation with the `sector` they give, where their actors do not tell it."""
    return services.participant_for_member(user=request.user, conversation=conversation, sector=sector or "")


@router.get("/partnerships/{partnership_id}/conversations", response=list[ConversationOut])
def list_conversations(request: HttpRequest, partnership_id: int) -> Any:
    return get_partnership_for(caller(request), partnership_id).conversations.all()


@router.get(
    "/conversations",
    response=list[ConversationOut],
    summary="The public conversations outside any partnership, open ones first, then the newest",
)
@paginate(BoundedLimitOffsetPagination)
def list_standalone_conversations(request: HttpRequest) -> Any:
    return Conversation.objects.filter(partnership__isnull=True).order_by("-is_open", "-created_at", "-pk")


class ConversationIn(InputSchema):
    question: str = Field(..., min_length=1, max_length=300, description="What the conversation asks")
    description: str = Field("", max_length=Conversation._meta.get_field("description").max_length)
    seed_statements: list[str] = Field(
        default=[],
        description="Statements that start it, each as a participant's must be (10 letters or digits to 280 "
        "characters, none saying what another says); a refusal numbers them from 1",
    )
    allow_anonymous: bool = Field(
        default=False, description="People without an account take part too (never in an employee-involvement process)"
    )
    actor_id: int | None = Field(default=None, description="On behalf of which actor, where one acts for several")


def _open(request: AuthenticatedRequest, payload: ConversationIn, partnership: Any) -> Status:
    """Checked as the page's form checks it, then opened by `services.start_conversation`; 409 with the
    conversation where the person opened the same question a moment ago."""
    if any("\n" in seed or "\r" in seed for seed in payload.seed_statements):
        raise HttpError(422, _("A seed statement is one line."))
    seeds = "\n".join(payload.seed_statements)
    form = ConversationForm(payload.dict(exclude={"actor_id"}) | {"seed_statements": seeds}, partnership=partnership)
    if not form.is_valid():
        raise HttpError(
            422,
            " ".join(
                f"{form.fields[name].label if name in form.fields else name}: {message}"
                for name, messages in form.errors.items()
                for message in messages
            ),
        )
    if partnership is not None:
        actor = acting_actor_for(request.user, partnership, payload.actor_id)
    else:
        actors = Actor.objects.of_user(request.user).distinct().order_by("name")
        chosen = actors.filter(pk=payload.actor_id).first() if payload.actor_id else actors.first()
        if chosen is None:
            raise HttpError(403, _("You can only act on behalf of an actor you belong to."))
        actor = chosen
    try:
        conversation = services.start_conversation(
            user=request.user,
            actor=actor,
            partnership=partnership,
            question=form.cleaned_data["question"],
            description=form.cleaned_data["description"],
            seed_statements=form.cleaned_data["seed_statements"],
            allow_anonymous=payload.allow_anonymous,  # refused in a staff process, whose form has no such field
        )
    except services.RepeatedConversation as repeated:
        return Status(409, {"detail": repeated.messages[0], "existing": repeated.earlier})
    return Status(201, conversation)


class RepeatedOut(Schema):
    detail: str
    existing: ConversationOut


@router.post(
    "/conversations",
    response={201: ConversationOut, 403: Message, 409: RepeatedOut, 422: Message},
    auth=BearerToken(),
    summary="Open a public conversation outside any partnership, on behalf of an actor one acts for",
)
def open_standalone_conversation(request: AuthenticatedRequest, payload: ConversationIn) -> Status:
    return _open(request, payload, None)


@router.post(
    "/partnerships/{partnership_id}/conversations",
    response={201: ConversationOut, 403: Message, 409: RepeatedOut, 422: Message},
    auth=BearerToken(),
    summary="Open a conversation in a partnership (its members; in a staff process, those who act for the workplace "
    "and its colleagues alike)",
)
def open_conversation(request: AuthenticatedRequest, partnership_id: int, payload: ConversationIn) -> Status:
    return _open(request, payload, get_partnership_for(request.user, partnership_id, write=True))


@router.get("/conversations/{conversation_id}", response=ConversationOut)
def get_conversation(request: HttpRequest, conversation_id: int) -> Conversation:
    return _conversation(request, conversation_id)


class OutcomeStatementOut(Schema):
    id: int
    text: str
    yours: bool
    your_vote: int | None


class OutcomeOut(Schema):
    adopted_text: str
    adopted_at: datetime
    statements: list[OutcomeStatementOut]


@router.get(
    "/conversations/{conversation_id}/outcome",
    response=OutcomeOut | None,
    summary="What came of it: the problem definition the partnership adopted (null until one is adopted that builds "
    "on statements from this conversation)",
)
def get_outcome(request: HttpRequest, conversation_id: int) -> dict[str, Any] | None:
    """The adopted definition, and the statements from this conversation it builds on, with the caller's part in
    each when the caller has taken part."""
    conversation = _conversation(request, conversation_id)
    user = caller(request)
    participant = None
    if isinstance(user, User):
        participant = Participant.objects.filter(conversation=conversation, user=user).first()
    outcome = services.what_came_of_it(conversation, participant)
    if outcome is None:
        return None
    definition = outcome["definition"]
    return {
        "adopted_text": definition.adopted_text,
        "adopted_at": definition.adopted_at,
        "statements": [
            {
                "id": item["statement"].pk,
                "text": item["statement"].text,
                "yours": item["yours"],
                "your_vote": item["vote_value"],
            }
            for item in outcome["statements"]
        ],
    }


@router.post(
    "/conversations/{conversation_id}/open",
    response={200: ConversationOut, 403: Message},
    auth=BearerToken(),
    summary="Close or reopen the conversation (the facilitator)",
)
def set_open(request: AuthenticatedRequest, conversation_id: int, payload: OpenIn) -> Conversation:
    conversation = _conversation(request, conversation_id)
    return services.set_open(user=request.user, conversation=conversation, is_open=payload.is_open)


@router.get(
    "/conversations/{conversation_id}/statements",
    response=list[StatementOut],
    description="Hidden statements are listed (with `hidden` true) to those who may read the moderation log: in a "
    "partnership its members and the facilitator, in a public conversation outside one everyone; others get the "
    "shown statements.",
)
def list_statements(request: HttpRequest, conversation_id: int) -> Any:
    conversation = _conversation(request, conversation_id)
    statements = conversation.statements.all()
    if services.may_read_moderation(caller(request), conversation):
        return statements
    return statements.exclude(moderation=Statement.Moderation.HIDDEN)


@router.post(
    "/conversations/{conversation_id}/statements",
    response={201: StatementOut, 403: Message, 409: DuplicateOut, 422: Message},
    auth=BearerToken(),
    summary="Write a statement (members, through their actor)",
    description="A statement that says what an existing one says (the same words, give or take typos, filler "
    "words and a word moved a place or two; a negation, a number, another word in the same place or an ordinary "
    "word added makes a new statement) is refused with 409 and the existing statement, so the client can send the "
    "vote there instead. Fewer than 10 letters or digits, or more than 280 characters: 422.",
)
def add_statement(request: AuthenticatedRequest, conversation_id: int, payload: StatementIn) -> Status:
    conversation = _conversation(request, conversation_id)
    participant = _participant(request, conversation, payload.sector)
    try:
        statement = services.add_statement(participant=participant, text=payload.text)
    except services.DuplicateStatement as error:
        return Status(409, {"detail": error.messages[0], "existing": error.existing})
    return Status(201, statement)


@router.post(
    "/conversations/{conversation_id}/votes",
    response={200: VoteOut, 403: Message, 422: Message},
    auth=BearerToken(),
    summary="Vote on a statement; voting again changes the vote",
)
def vote(request: AuthenticatedRequest, conversation_id: int, payload: VoteIn) -> VoteOut:
    conversation = _conversation(request, conversation_id)
    statement = Statement.objects.filter(conversation=conversation, pk=payload.statement_id).first()
    if statement is None:
        raise HttpError(422, _("Unknown statement."))
    participant = _participant(request, conversation, payload.sector)
    services.record_vote(statement=statement, participant=participant, value=payload.value)
    return VoteOut(statement_id=statement.pk, value=payload.value)


class ReportIn(InputSchema):
    reason: Literal["spam", "off_topic", "duplicate"] = Field(..., description="What is wrong with the statement")


class ReportOut(Schema):
    statement_id: int
    reason: str


@router.post(
    "/conversations/{conversation_id}/statements/{statement_id}/reports",
    response={201: ReportOut, 403: Message, 404: Message, 422: Message},
    auth=BearerToken(),
    summary="Report a statement to the facilitator; reporting again changes the reason",
    description="A report hides nothing: the facilitator hides the statement (spam, off topic, a duplicate, a person "
    "named or attacked) or keeps "
    "it, and the moderation log says which. A hidden statement, or one in a closed conversation, cannot be reported "
    "(422).",
)
def report(request: AuthenticatedRequest, conversation_id: int, statement_id: int, payload: ReportIn) -> Status:
    conversation = _conversation(request, conversation_id)
    statement = get_object_or_404(Statement, conversation=conversation, pk=statement_id)
    participant = _participant(request, conversation)
    report = services.report_statement(participant=participant, statement=statement, reason=payload.reason)
    return Status(201, ReportOut(statement_id=statement.pk, reason=report.reason))


@router.get(
    "/conversations/{conversation_id}/results",
    response=ResultsOut,
    summary="The opinion map shown: groups, consensus and sector bridging (statement ids as strings)",
    description="Empty (`computed_at` null) until at least `min_voters` people have voted: with fewer, each could "
    "read the others' votes off the shares. After that, no figure rests on fewer than `min_voters` people, and the "
    "map is the one the results page shows: a newer one replaces it only once at least `min_voters` people have "
    "voted or changed a vote since (`more_voters_needed` to go), so that comparing the two tells nobody's votes. "
    "Participants imported from Polis have no sector and count in no sector's figures.",
)
def results(request: HttpRequest, conversation_id: int) -> dict[str, Any]:
    conversation = _conversation(request, conversation_id)
    snapshot = services.shown_map(conversation)
    floor = min_voters(conversation)
    if snapshot is None:
        return {
            "computed_at": None,
            "more_voters_needed": None,
            "n_participants": 0,
            "n_votes": 0,
            "min_voters": floor,
            "groups": [],
            "consensus": {"agree": [], "disagree": []},
            "group_informed_consensus": {},
            "bridging": [],
            "statements": [],
            "unsure": [],
            "sectors_withheld": False,
            "recomputing": False,
        }
    data = shown_result(
        snapshot.result, hidden_statements(conversation), floor=floor, sectors=conversation.compares_sectors
    )
    groups = [{k: v for k, v in g.items() if k != "hull"} for g in data["groups"]]
    return {
        "computed_at": snapshot.computed_at,
        "more_voters_needed": snapshot.later_votes()["needed"],
        "n_participants": snapshot.n_participants,
        "n_votes": snapshot.n_votes,
        "min_voters": floor,
        "groups": groups,
        "consensus": data["consensus"],
        "group_informed_consensus": data["group_informed_consensus"],
        "bridging": data["bridging"],
        "statements": [
            {
                "statement": statement,
                "agree": agree,
                "disagree": disagree,
                "seen": seen,
                "groups": [{"agree": a, "disagree": d, "seen": n} for a, d, n in per_group],
            }
            for statement, (agree, disagree, seen), per_group in statement_votes(data)
        ],
        "unsure": unsure_statements(data),
        "sectors_withheld": data["sectors_withheld"],
        "recomputing": data["recomputing"],
    }
