import re
from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, Count, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from samskab.actors.models import Actor, Sector
from samskab.lib import cookies
from samskab.lib.forms import apply_service, version_of
from samskab.lib.http import AuthenticatedRequest, HtmxRequest
from samskab.lib.tables import FORMATS, tabular_response
from samskab.lib.text import whole_number
from samskab.partnerships import services as partnership_services
from samskab.partnerships.models import Partnership, Proposal
from samskab.partnerships.permissions import acting_actor_for, get_partnership_for
from samskab.partnerships.services.core import PARTNERSHIP_CLOSED, check_open

from . import exchange, services
from .forms import (
    ConversationChangeForm,
    ConversationForm,
    KeepForm,
    ModerationForm,
    PolisImportForm,
    ProblemDefinitionForm,
    SectorForm,
    StatementForm,
    VoteForm,
)
from .models import (
    TAKING_PART_AS,
    Conversation,
    ModerationEntry,
    OpinionMapSnapshot,
    Participant,
    ProblemDefinition,
    Statement,
    StatementReport,
    Vote,
)
from .permissions import get_conversation_for, is_member, link_session_key
from .presentation import (
    map_context,
    map_svg,
    min_voters,
    next_statement_for,
    participation_by_sector,
    results_sheets,
    suggestions_for_definition,
    your_place,
)

COOKIE_AGE = 60 * 60 * 24 * 365
COOKIE = cookies.declare(
    "samskab_deltager",
    gettext_lazy(
        "Lets you take part in an open conversation without an account: it tells your votes apart from others' "
        "without saying who you are."
    ),
    lambda: cookies.lasting(timedelta(seconds=COOKIE_AGE)),
)
ASK_PARAMETER = "udsagn"  # ?udsagn=<pk> shows that statement's card (a near-duplicate and "Change" link to it)
COOKIE_KEY = re.compile(r"[A-Za-z0-9_-]{32}")  # secrets.token_urlsafe(24)
ID_PLACEHOLDER = "STATEMENT-ID"  # in a form rendered once for every statement on the moderation page
ANSWERS_SHOWN = 100  # the latest answers listed under the card, so a card stays quick to render however many
ONLY_THE_FACILITATOR_CHANGES = gettext_lazy("Only the facilitator changes the conversation.")
GUEST_FIRST = gettext_lazy(
    "First say whether the answers given in this browser before you logged in were yours: then your answer counts."
)
CARD = "vote-card"  # the card's id: a plain form post comes back to it, not to the top of a long page


def _card_note_key(conversation: Conversation) -> str:
    """Where a plain form post leaves what to say on the card it returns to (a vote saved, a statement sent):
    said in the card, where the participant lands, rather than at the top of the page, out of sight on a phone."""
    return f"conversation-card-{conversation.pk}"


def _back_to_card(
    request: HttpRequest, conversation: Conversation, *, note: str = "", error: str = "", report_error: str = ""
) -> HttpResponse:
    """`report_error`: the card comes back with its report form open, as it was sent, and the error at the
    reason it is about (a reason was missing)."""
    if note or error or report_error:
        request.session[_card_note_key(conversation)] = {
            "note": note,
            "error": error,
            "report_error": report_error,
            "report_open": bool(report_error),
        }
    return redirect(f"{conversation.get_absolute_url()}#{CARD}")


def _cookie_key(request: HttpRequest) -> str | None:
    """The visitor's participant cookie when it is one Samskab could have set (`services.new_cookie_key`); a
    tampered one is ignored, and a new one is set when they choose a sector."""
    key = request.COOKIES.get(COOKIE, "")
    return key if COOKIE_KEY.fullmatch(key) else None


def _participant(request: HttpRequest, conversation: Conversation, *, create: bool = False) -> Participant | None:
    """The visitor's participant identity: through their member actor, as a signed-in person in a standalone
    conversation, or through the cookie."""
    if request.user.is_authenticated and (is_member(request.user, conversation) or conversation.partnership_id is None):
        # Answers this browser gave as a guest before signing in become theirs only when they say so (`claim_guest`).
        existing = Participant.objects.filter(conversation=conversation, user=request.user).first()
        if existing or not create:
            return existing
        try:
            return services.participant_for_member(user=request.user, conversation=conversation)
        except PermissionDenied:  # no actor to take part through
            return None
        except services.SectorNeeded:  # they say their sector first
            return None
        except ValidationError:  # closed since the page fetched it
            conversation.refresh_from_db(fields=["is_open"])
            return None
    key = _cookie_key(request)
    if conversation.allow_anonymous and key:
        return Participant.objects.filter(conversation=conversation, cookie_key=key).first()
    return None


def _declined_key(conversation: Conversation) -> str:
    return f"conversation-guest-declined-{conversation.pk}"


def _guest_to_claim(request: HttpRequest, conversation: Conversation) -> Participant | None:
    """Signed in on a browser that took part here as a guest: the guest's participant, until the person says
    whether its answers were theirs. A shared browser's answers are never taken over without asking, and the person
    sees none of them until they do."""
    if not request.user.is_authenticated or not conversation.is_open:
        return None
    if not (is_member(request.user, conversation) or conversation.partnership_id is None):
        return None
    key = _cookie_key(request)
    if key is None or request.session.get(_declined_key(conversation)) == key:
        return None
    return (
        Participant.objects.filter(conversation=conversation, cookie_key=key, user=None)
        .annotate(n_votes=Count("votes"))
        .first()
    )


@require_POST
def claim_guest(request: HttpRequest, pk: int) -> HttpResponse:
    """The person says whether the answers this browser gave as a guest before they signed in were theirs: yes
    makes them theirs (`services.claim_guest_participant`); no leaves them to the guest, unseen, for this session."""
    conversation = get_conversation_for(request, pk)
    guest = _guest_to_claim(request, conversation)
    if guest is None or not request.user.is_authenticated:
        return _back_to_card(request, conversation)
    if request.POST.get("answer") == "mine":
        services.claim_guest_participant(user=request.user, conversation=conversation, cookie_key=guest.cookie_key)
        note = _("The answers from before you logged in are yours now.")
    else:
        request.session[_declined_key(conversation)] = guest.cookie_key
        note = _("They stay the other person's, and you do not see them: you take part with answers of your own.")
    return _back_to_card(request, conversation, note=note)


def _taking_part(request: HttpRequest, conversation: Conversation, refusal: str) -> Participant | HttpResponse | None:
    """The participant acting now, created on their first act; None for someone who could have taken part had
    the conversation not been closed. A citizen with the link who has not chosen a sector yet is sent back to
    the card with `refusal`; someone who may not take part is refused; someone signed in on a browser that took part
    as a guest first says whether those answers were theirs."""
    if _guest_to_claim(request, conversation) is not None:
        return _back_to_card(request, conversation, error=str(GUEST_FIRST))
    participant = _participant(request, conversation, create=True)
    if participant is not None:
        return participant
    if not conversation.is_open and _may_take_part(request, conversation):
        return None
    if not _may_take_part(request, conversation):
        raise PermissionDenied
    return _back_to_card(request, conversation, error=refusal)


def _link_url(request: HttpRequest, conversation: Conversation) -> str:
    return request.build_absolute_uri(conversation.get_link_url()) if conversation.allow_anonymous else ""


def _may_take_part(request: HttpRequest, conversation: Conversation) -> bool:
    """Members of the partnership; in a standalone conversation everyone signed in; and, where the conversation
    allows it, people without an account (or outside the partnership), who state their sector once."""
    if is_member(request.user, conversation):
        return True
    if conversation.partnership_id is None and request.user.is_authenticated:
        return True
    return conversation.allow_anonymous


def _sector_question(
    request: HttpRequest, conversation: Conversation, participant: Participant | None
) -> tuple[bool, dict[str, Actor]]:
    """Whether the visitor says their sector before taking part, and the choices a signed-in person has in a
    standalone conversation: the sectors of the actors they act for (and a citizen's, as a private person). A
    member takes part with their member actor's sector, and so does a signed-in person acting for actors of one
    sector in a standalone conversation, unless they choose to take part as a private person; one acting for none
    chooses among all sectors, as people without an account do."""
    if participant is not None or is_member(request.user, conversation):
        return False, {}
    if conversation.partnership_id is None and request.user.is_authenticated:
        own = services.sectors_acted_for(request.user)
        return len(own) != 1, own
    return True, {}


def _taking_part_as(request: HttpRequest, conversation: Conversation, sectors: dict[str, Actor]) -> dict[str, Any]:
    """What a signed-in person acting for actors of one sector is told before their first vote in a standalone
    conversation: the sector they are counted in, with the actor, and whether they may take part as a private
    person instead (a citizen, when their actor is not one)."""
    if conversation.partnership_id is not None or len(sectors) != 1 or not request.user.is_authenticated:
        return {}
    sector, actor = next(iter(sectors.items()))
    label = str(TAKING_PART_AS.get(sector, sector))
    return {
        "text": _("You take part as %(sector)s (%(actor)s).") % {"sector": label.lower(), "actor": actor.name},
        "may_be_private": sector != Sector.CITIZEN,
    }


def _partnership_visible(request: HttpRequest, conversation: Conversation) -> bool:
    """Whether the visitor may see the conversation's partnership: someone let in by the conversation's link into a
    partnership for its members only may not, and is shown its name without a link."""
    if conversation.partnership_id is None:
        return False
    try:
        get_partnership_for(request.user, conversation.partnership_id)
    except Http404:
        return False
    return True


def _card_context(
    request: HttpRequest, conversation: Conversation, participant: Participant | None, *, asked: int | None = None
) -> dict:
    statement, voted, total = next_statement_for(conversation, participant, asked=asked)
    # The participant's own answers, latest first, each one changeable from its card (the last vote counts).
    answers = []
    if participant is not None:
        answers = list(
            Vote.objects.filter(participant=participant)
            .exclude(statement__moderation=Statement.Moderation.HIDDEN)
            .select_related("statement")
            .order_by("-voted_at", "-pk")[:ANSWERS_SHOWN]
        )
    current = next((v for v in answers if statement is not None and v.statement_id == statement.pk), None)
    if current is None and len(answers) == ANSWERS_SHOWN and statement is not None:  # an older answer
        current = Vote.objects.filter(participant=participant, statement=statement).first()
    needs_sector, sectors = _sector_question(request, conversation, participant)
    private_choice = bool(sectors) and conversation.partnership_id is None
    return {
        "guest": _guest_to_claim(request, conversation),
        "conversation": conversation,
        "participant": participant,
        "statement": statement,
        "current_vote": current,
        "answers": answers,
        "answers_capped": len(answers) == ANSWERS_SHOWN,
        "voted": voted,
        "total": total,
        "report_reasons": Statement.HideReason.choices,
        "may_take_part": _may_take_part(request, conversation),
        "needs_sector": needs_sector,
        "sector_form": SectorForm(sectors=sectors, private_person=private_choice),
        "taking_part_as": _taking_part_as(request, conversation, sectors) if not needs_sector else {},
        "citizen": Sector.CITIZEN,
    }


def _page_context(request: HttpRequest, conversation: Conversation, participant: Participant | None) -> dict:
    """What the conversation's page shows around the card."""
    facilitator = services.is_facilitator(request.user, conversation)
    member = is_member(request.user, conversation)
    standalone = conversation.partnership_id is None
    partnership_closed = conversation.partnership is not None and conversation.partnership.is_closed
    return {
        "is_facilitator": facilitator,
        # Neither reopened nor changed while its partnership is closed (`services.set_open`, `change_conversation`):
        # the facilitator is told why instead of being offered the buttons.
        "closed_note": PARTNERSHIP_CLOSED if facilitator and partnership_closed else "",
        "is_member": member,
        "reads_moderation": facilitator or standalone or member,  # `services.may_read_moderation`, no query more
        "partnership_visible": _partnership_visible(request, conversation),
        # Members pass the link on; in a standalone conversation, whoever started it, and there the conversation's
        # own address is the link: it is public. Not once closed, when nobody can take part by it.
        "link_url": _link_url(request, conversation) if (member or facilitator) and conversation.is_open else "",
        "public_url": request.build_absolute_uri(conversation.get_absolute_url()) if standalone else "",
        "outcome": services.what_came_of_it(conversation, participant),
    }


def _acts_for_no_actor(request: HttpRequest) -> str:
    """Why the signed-in person cannot open or bring in a conversation, when they act for no actor ("" when they
    do): a colleague is told why their workplace is not offered."""
    if Actor.objects.of_user(request.user).exists():
        return ""
    colleague_of = Actor.objects.with_colleague(request.user).order_by("name").first()
    if colleague_of is not None:
        return _(
            "As a colleague at %(name)s you take part in its own processes, but do not act on its behalf. To "
            "do this, act through an actor of your own — it can be yourself."
        ) % {"name": colleague_of.name}
    return _("You act on Samskab through an actor. Create one first — it can be yourself.")


def standalone_list(request: HttpRequest) -> HttpResponse:
    """The public conversations outside any partnership, open ones first."""
    # Those who have voted (writing a statement records the author's vote): not the opener for writing seeds.
    voters = (
        Vote.objects.filter(participant__conversation=OuterRef("pk"))
        .order_by()
        .values("participant__conversation")
        .annotate(n=Count("participant", distinct=True))
        .values("n")
    )
    conversations = (
        Conversation.objects.filter(partnership__isnull=True)
        .select_related("created_by", "created_by_actor")
        .annotate(n_voters=Coalesce(Subquery(voters), 0))
        .order_by("-is_open", "-created_at", "-pk")
    )
    page = Paginator(conversations, 20).get_page(request.GET.get("side"))
    may_open = request.user.is_authenticated and Actor.objects.of_user(request.user).exists()
    return render(request, "opinions/standalone_list.html", {"page": page, "may_open": may_open})


@login_required
def standalone_create(request: AuthenticatedRequest) -> HttpResponse:
    """Anyone who acts for an actor opens a public conversation outside any partnership, on the actor's behalf."""
    if no_actor := _acts_for_no_actor(request):
        return render(request, "opinions/standalone_create.html", {"no_actor": no_actor})
    actors = Actor.objects.of_user(request.user).distinct().order_by("name")
    form = ConversationForm(request.POST or None, partnership=None, actors=actors)

    def start(data: dict[str, Any]) -> Conversation:
        actor = data.get("actor") or actors.first()
        assert actor is not None  # `_acts_for_no_actor` found one
        return services.start_conversation(
            user=request.user,
            actor=actor,
            partnership=None,
            question=data["question"],
            description=data["description"],
            seed_statements=data["seed_statements"],
            allow_anonymous=data["allow_anonymous"],
        )

    if conversation := _start(form, start):
        messages.success(request, _("The conversation is open. Share its address with those you want to hear from."))
        return redirect(conversation)
    return render(request, "opinions/standalone_create.html", {"form": form})


def _start(form: ConversationForm, start: Any) -> Conversation | None:
    """Open the conversation from the form's data; None, with the form's errors, when the form or the service
    refuses. The same question opened again a moment ago (the form sent twice after going back) is refused with a
    link to the conversation already open, the form keeping what was typed."""
    if not form.is_valid():
        return None
    try:
        conversation: Conversation = start(form.cleaned_data)
    except services.RepeatedConversation as repeated:
        link = format_html(
            '<a href="{}">{}</a>', repeated.earlier.get_absolute_url(), _("Go to the conversation you opened")
        )
        form.add_error(None, ValidationError(format_html("{} {}.", repeated.message, link), code=repeated.code))
        return None
    except ValidationError as refused:
        form.add_error(None, refused)
        return None
    return conversation


@login_required
def conversation_change(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The facilitator changes the question, the introduction and who may take part, and adds seed statements."""
    conversation = get_conversation_for(request, pk)
    if not services.is_facilitator(request.user, conversation):
        raise PermissionDenied(ONLY_THE_FACILITATOR_CHANGES)
    if conversation.partnership is not None:
        check_open(conversation.partnership)  # a closed partnership is read-only: no form to fill in in vain
    form = ConversationChangeForm(request.POST or None, conversation=conversation)

    def change(data: dict[str, Any]) -> Conversation:
        return services.change_conversation(
            user=request.user,
            conversation=conversation,
            question=data["question"],
            description=data["description"],
            allow_anonymous=data.get("allow_anonymous", False),
            seed_statements=data.get("seed_statements", ()),
        )

    if apply_service(form, change):
        messages.success(request, _("The conversation is changed."))
        return redirect(conversation)
    context = {
        "form": form,
        "title": _("Change the conversation"),
        "intro": _(
            "Seed statements are added while the conversation is open. Changing the question after people have "
            "voted changes what their votes answered: say so in the introduction."
        ),
        "submit": _("Save the changes"),
        "cancel": conversation,
    }
    return render(request, "form_page.html", context)


def conversation_list(request: HttpRequest, partnership_pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, partnership_pk)
    member = partnership.has_member_user(request.user)
    context = {
        "partnership": partnership,
        "conversations": partnership.conversations.all(),
        "is_member": member,
        # A closed partnership takes no new conversation: its members are told why instead of offered the form.
        "may_open": member and not partnership.is_closed,
        "closed_note": PARTNERSHIP_CLOSED if member and partnership.is_closed else "",
        # An import speaks for a member actor (`exchange.import_files`): not for a colleague in a staff process.
        "may_import": not partnership.is_closed and partnership.actors_acted_for(request.user).exists(),
    }
    return render(request, "opinions/conversation_list.html", context)


@login_required
def conversation_create(request: AuthenticatedRequest, partnership_pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, partnership_pk, write=True)
    check_open(partnership)  # a closed partnership is read-only: no form to fill in in vain
    form = ConversationForm(request.POST or None, partnership=partnership)

    def start(data: dict[str, Any]) -> Conversation:
        return services.start_conversation(
            user=request.user,
            actor=acting_actor_for(request.user, partnership, None),
            partnership=partnership,
            question=data["question"],
            description=data["description"],
            seed_statements=data["seed_statements"],
            allow_anonymous=data.get("allow_anonymous", False),
        )

    if conversation := _start(form, start):
        messages.success(request, _("The conversation is open, and everyone who may take part has been told."))
        return redirect(conversation)
    context = {
        "form": form,
        "title": _("Open a conversation about the problem"),
        "intro": _(
            "Ask an open question. Your colleagues taking part answer with short statements and vote on each "
            "other's. The opinion map shows where you stand."
        )
        if partnership.voices_are_people
        else _(
            "Ask an open question. Members, and citizens if you allow it, answer with short statements "
            "and vote on each other's. The opinion map shows where people stand."
        ),
        "submit": _("Open the conversation"),
        "cancel": partnership,
    }
    return render(request, "form_page.html", context)


def join(request: HttpRequest, token: str) -> HttpResponse:
    """The secret link: lets people without an account see and take part in the conversation."""
    conversation = get_object_or_404(Conversation, link_token=token, allow_anonymous=True)
    request.session[link_session_key(conversation)] = True
    return redirect(conversation)


def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    return _conversation_page(request, get_conversation_for(request, pk))


def _conversation_page(
    request: HttpRequest, conversation: Conversation, *, sector_form: SectorForm | None = None
) -> HttpResponse:
    participant = _participant(request, conversation)
    asked = whole_number(request.GET.get(ASK_PARAMETER, ""))
    context = _card_context(request, conversation, participant, asked=asked)
    context |= _page_context(request, conversation, participant) | {"statement_form": StatementForm()}
    if sector_form is not None:
        context["sector_form"] = sector_form
    # What a plain form post left to say on the card (`_back_to_card`).
    context |= request.session.pop(_card_note_key(conversation), None) or {}
    return render(request, "opinions/conversation.html", context, status=400 if sector_form else 200)


@require_POST
def choose_sector(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_conversation_for(request, pk)
    # Signed in, in a standalone conversation: their own participant, with the sector chosen (among their actors',
    # or a citizen's as a private person).
    signed_in = conversation.partnership_id is None and request.user.is_authenticated
    if signed_in and _guest_to_claim(request, conversation) is not None:
        return _back_to_card(request, conversation, error=str(GUEST_FIRST))
    if signed_in and _participant(request, conversation) is not None:  # taken part already (as a guest, say)
        return _back_to_card(request, conversation)
    _asked, sectors = _sector_question(request, conversation, None) if signed_in else (True, {})
    form = SectorForm(request.POST, sectors=sectors, private_person=bool(sectors))
    if not form.is_valid():  # the page again, with the error at the field and in the summary
        return _conversation_page(request, conversation, sector_form=form)
    if signed_in:
        assert request.user.is_authenticated  # for the type checker
        try:
            services.participant_for_member(
                user=request.user, conversation=conversation, sector=form.cleaned_data["sector"]
            )
        except ValidationError as refused:
            return _back_to_card(request, conversation, error=" ".join(refused.messages))
        return _back_to_card(request, conversation)
    key = _cookie_key(request) or services.new_cookie_key()
    error = ""
    try:
        services.participant_for_cookie(conversation=conversation, cookie_key=key, sector=form.cleaned_data["sector"])
    except ValidationError as exc:
        error = " ".join(exc.messages)
    except PermissionDenied:
        raise Http404 from None
    response = _back_to_card(request, conversation, error=error)
    response.set_cookie(
        COOKIE,
        key,
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=not settings.DEBUG and request.is_secure(),
    )
    return response


@require_POST
def vote(request: HtmxRequest, pk: int) -> HttpResponse:
    conversation = get_conversation_for(request, pk)
    guest_first = _guest_to_claim(request, conversation) is not None
    participant = None if guest_first else _participant(request, conversation, create=True)
    form = VoteForm(request.POST)
    error = note = ""
    if participant is None and not _may_take_part(request, conversation):
        raise PermissionDenied
    if guest_first:
        error = str(GUEST_FIRST)
    elif participant is None and not conversation.is_open:
        error = _("Your vote was not counted: the facilitator has closed the conversation.")
    elif participant is None:
        error = _("Choose your sector before you vote.")
    elif not form.is_valid():
        error = _("A vote is agree, disagree or pass.")
    else:
        statement = Statement.objects.filter(conversation=conversation, pk=form.cleaned_data["statement"]).first()
        if statement is None:
            error = _("The statement does not exist.")
        else:
            try:
                vote = services.record_vote(
                    statement=statement, participant=participant, value=form.cleaned_data["value"]
                )
                note = _("Saved: “%(answer)s” on the previous statement.") % {"answer": vote.get_value_display()}
            except ValidationError as exc:
                if exc.code == "closed":  # closed while the card was open: say the vote did not count
                    error = _("Your vote was not counted: the facilitator has closed the conversation.")
                else:
                    error = " ".join(exc.messages)
    if request.htmx:
        context = _card_context(request, conversation, participant) | {"error": error, "note": note}
        return render(request, "opinions/conversation.html#card", context)
    return _back_to_card(request, conversation, note=note, error=error)


@require_POST
def add_statement(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_conversation_for(request, pk)
    participant = _taking_part(request, conversation, _("Choose your sector before you write."))
    if isinstance(participant, HttpResponse):
        return participant
    form = StatementForm(request.POST)
    duplicate = None
    if form.is_valid():
        try:
            if participant is None:  # closed before they took part
                raise services.ConversationClosed
            services.add_statement(participant=participant, text=form.cleaned_data["text"])
        except services.DuplicateStatement as exc:
            duplicate = exc.existing
            form.add_error("text", exc)
        except services.HiddenDuplicate as exc:
            # Why it was hidden, to those who read the moderation log (`services.may_read_moderation`).
            readable = services.may_read_moderation(request.user, conversation)
            reason = services.hide_reason(exc.hidden) if readable else ""
            told = _("The facilitator has hidden a similar statement. Reason: %(reason)s.") % {"reason": reason.lower()}
            form.add_error("text", ValidationError(told, code=exc.code) if reason else exc)
        except ValidationError as exc:
            if exc.code == "closed":  # closed while they wrote: the text stays on the page for them to copy
                exc = ValidationError(
                    _(
                        "Your statement was not saved: the facilitator has closed the conversation. Copy it if you "
                        "want to keep it."
                    ),
                    code="closed",
                )
            form.add_error("text", exc)
        else:
            return _back_to_card(request, conversation, note=_("Thank you. Your statement is now shown to the others."))
    context = _card_context(request, conversation, participant) | _page_context(request, conversation, participant)
    context |= {
        "statement_form": form,
        "duplicate": duplicate,
        "duplicate_url": f"{conversation.get_absolute_url()}?{ASK_PARAMETER}={duplicate.pk}#{CARD}"
        if duplicate
        else "",
    }
    return render(request, "opinions/conversation.html", context, status=200)


def results(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_conversation_for(request, pk)
    snapshot = services.shown_map(conversation)
    context = {
        "conversation": conversation,
        "snapshot": snapshot,
        "is_member": is_member(request.user, conversation),
        "min_voters": min_voters(conversation),
    }
    if snapshot is not None:
        participant = _participant(request, conversation)
        you = str(participant.pk) if participant is not None else None
        participation, sector_unknown = participation_by_sector(conversation)
        context |= map_context(conversation, snapshot.result, snapshot.n_participants) | {
            "svg": map_svg(snapshot.result, you=you),
            "you": your_place(conversation, snapshot, participant),
            "participation": participation,
            "sector_unknown": sector_unknown,
            # Statements hidden or shown again since the map was computed: its groups still count the votes as
            # they were, until a newer map may be published.
            "moderated_since": ModerationEntry.objects.filter(
                statement__conversation=conversation, at__gt=snapshot.computed_at
            ).count(),
        }
    return render(request, "opinions/results.html", context)


def results_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The results as a spreadsheet (XLSX: statements, groups and, where compared, sectors) or the statements'
    votes as CSV, for reports."""
    conversation = get_conversation_for(request, pk)
    if fmt not in FORMATS:
        raise Http404
    snapshot = _map_to_download(request, conversation)
    if isinstance(snapshot, HttpResponse):
        return snapshot
    return tabular_response(fmt, f"samtale-{conversation.pk}-resultater", results_sheets(conversation, snapshot))


def _map_to_download(request: HttpRequest, conversation: Conversation) -> OpinionMapSnapshot | HttpResponse:
    """The map the results show (`services.shown_map`), which the downloads hold; without one, where the person
    goes instead and why: too few have voted for figures that would not give anyone's votes away
    (`services.enough_voters`), said rather than a bare 404, or the map is still being computed."""
    snapshot = services.shown_map(conversation)
    if snapshot is not None:
        return snapshot
    if not services.enough_voters(conversation):
        messages.error(
            request,
            _("The download is ready when at least %(n)s people have voted, so that nobody's votes can be read off it.")
            % {"n": min_voters(conversation)},
        )
        return redirect(conversation)
    messages.info(request, _("The results are being computed. Try the download again in a moment."))
    return redirect("opinions:results", pk=conversation.pk)


def moderation(request: HttpRequest, pk: int) -> HttpResponse:
    return _moderation_page(request, get_conversation_for(request, pk))


def _moderation_page(
    request: HttpRequest, conversation: Conversation, *, refused: tuple[int, forms.Form] | None = None
) -> HttpResponse:
    """The moderation page; `refused` is a statement's form sent with errors, shown again where it was."""
    facilitator = services.is_facilitator(request.user, conversation)
    if not (facilitator or services.may_read_moderation(request.user, conversation)):
        raise PermissionDenied
    public = conversation.partnership_id is None  # everyone reads its log: there are no members
    # Reported statements first, each with its reports counted by reason, so the facilitator sees what to answer.
    reported: dict[int, list[tuple[str, int]]] = {}
    labels = dict(Statement.HideReason.choices)
    counts = (
        StatementReport.objects.filter(
            statement__conversation=conversation, statement__moderation=Statement.Moderation.VISIBLE
        )
        .values_list("statement_id", "reason")
        .annotate(n=Count("pk"))
        .order_by("statement_id", "-n", "reason")
    )
    for statement_id, reason, n in counts:
        reported.setdefault(statement_id, []).append((labels.get(reason, reason), n))
    statements = sorted(conversation.statements.all(), key=lambda s: (s.pk not in reported, s.pk))

    # Every statement has the same empty forms but for their ids: each is rendered once, with a placeholder id,
    # rather than once per statement (2,000 statements are common in an imported conversation).
    placeholder = Statement(pk=ID_PLACEHOLDER)  # type: ignore[misc]
    blank: dict[type[forms.Form], str] = {
        KeepForm: str(KeepForm(statement=placeholder)),
        ModerationForm: str(ModerationForm(statement=placeholder, public=public)),
    }

    def form_for(statement: Statement, kind: type[forms.Form]) -> forms.Form | str:
        if refused and refused[0] == statement.pk and isinstance(refused[1], kind):
            return refused[1]
        return mark_safe(blank[kind].replace(ID_PLACEHOLDER, str(statement.pk)))  # our own forms' HTML

    context = {
        "conversation": conversation,
        "statements": [
            (
                s,
                reported.get(s.pk, []),
                form_for(s, KeepForm) if s.pk in reported else None,
                form_for(s, ModerationForm),
            )
            for s in statements
        ],
        "log": ModerationEntry.objects.filter(statement__conversation=conversation).select_related(
            "statement", "actor", "user"
        ),
        "is_facilitator": facilitator,
        "public": public,
    }
    response = render(request, "opinions/moderation.html", context, status=400 if refused else 200)
    # A public log shows the hidden statements' words to all: search engines are asked not to carry spam further.
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def moderate(request: AuthenticatedRequest, pk: int, statement_pk: int) -> HttpResponse:
    conversation = get_conversation_for(request, pk)
    statement = get_object_or_404(Statement, pk=statement_pk, conversation=conversation)
    action = request.POST.get("action")
    form: forms.Form | None = None
    if action == "keep":
        form = KeepForm(request.POST, statement=statement)
    elif action != "restore":
        form = ModerationForm(request.POST, statement=statement, public=conversation.partnership_id is None)
    if form is not None and not form.is_valid():  # the page again, the form open where it was, with what was typed
        if not services.is_facilitator(request.user, conversation):
            raise PermissionDenied
        # Unless that form is gone from the page (hidden or answered meanwhile): then the errors as a message.
        if statement.reports.exists() if action == "keep" else not statement.is_hidden:
            return _moderation_page(request, conversation, refused=(statement.pk, form))
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
        return redirect("opinions:moderation", pk=conversation.pk)
    data = form.cleaned_data if form is not None else {}
    try:
        if action == "keep":
            services.keep_reported_statement(user=request.user, statement=statement, note=data["note"])
        else:
            services.moderate_statement(
                user=request.user,
                statement=statement,
                hide=action != "restore",
                reason=data.get("reason", ""),
                note=data.get("note", ""),
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        done = {
            "keep": _("The statement is kept, and its reports are answered in the log."),
            "restore": _("The statement is shown again."),
        }
        messages.success(request, done.get(action or "", _("The statement is hidden.")))
    return redirect("opinions:moderation", pk=conversation.pk)


@require_POST
def report(request: HttpRequest, pk: int, statement_pk: int) -> HttpResponse:
    """A participant reports a statement to the facilitator; the same card stays, to vote on or skip."""
    conversation = get_conversation_for(request, pk)
    participant = _taking_part(request, conversation, _("Choose your sector before you report a statement."))
    if isinstance(participant, HttpResponse):
        return participant
    statement = get_object_or_404(Statement, pk=statement_pk, conversation=conversation)
    try:
        if participant is None:  # closed before they took part
            raise services.ConversationClosed
        services.report_statement(participant=participant, statement=statement, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        note, error, about_reason = "", " ".join(exc.messages), exc.code == "reason"
    else:
        about_reason = False
        note, error = (
            _(
                "Thank you. The facilitator will look at the statement. It is hidden only as spam, off topic, a "
                "duplicate, or for naming or attacking a person, never for being disagreed with."
            ),
            "",
        )
    response = _back_to_card(
        request,
        conversation,
        note=note,
        error="" if about_reason else error,
        report_error=error if about_reason else "",
    )
    if not statement.is_hidden:  # the same card, to vote on or skip
        response["Location"] = f"{conversation.get_absolute_url()}?{ASK_PARAMETER}={statement.pk}#{CARD}"
    return response


def problem_definition(request: HttpRequest, partnership_pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, partnership_pk)
    member = partnership.has_member_user(request.user)
    if member and partnership.is_closed and request.method == "POST":  # a page opened before it closed
        raise PermissionDenied(PARTNERSHIP_CLOSED)
    definition = ProblemDefinition.objects.filter(partnership=partnership).first()
    suggestions = suggestions_for_definition(partnership)
    suggested = {int(item["statement"]) for items in suggestions.values() for item in items}
    # The bridging and consensus statements come first among those the definition can build on. A statement
    # hidden after the draft linked it stays a choice (labelled hidden), so saving never drops it unseen; the
    # links are read when the form is, so those another member saved meanwhile are among them.
    linked = ProblemDefinition.objects.filter(partnership=partnership).values("statements")
    candidates = (
        Statement.objects.filter(conversation__partnership=partnership)
        .filter(~Q(moderation=Statement.Moderation.HIDDEN) | Q(pk__in=linked))
        .annotate(suggested=Case(When(pk__in=suggested, then=Value(0)), default=Value(1)))
        .order_by("suggested", "pk")
    )
    form = None
    conflict: list[tuple[Statement, bool]] | None = None
    if member and not partnership.is_closed and request.user.is_authenticated:  # the last test narrows the type
        initial = (
            {
                "text": definition.text,
                "statements": definition.statements.all(),
                "seen": version_of(definition.updated_at),
            }
            if definition
            else {"seen": ""}
        )
        propose = request.POST.get("action") == "propose"
        form = ProblemDefinitionForm(request.POST or None, statements=candidates, initial=initial, proposing=propose)
        if request.method == "POST":
            user = request.user
            if propose:  # settled before the save's transaction: its locks come in the settling's own order
                partnership_services.settle_due_proposals(partnership=partnership)

            @transaction.atomic  # saved and proposed together, or neither
            def save(data: dict[str, Any]) -> ProblemDefinition | Proposal:
                saved = services.save_problem_definition(
                    user=user,
                    partnership=partnership,
                    actor=None,
                    text=data["text"],
                    statements=data["statements"],
                    seen=data["seen"],
                )
                if not propose:
                    return saved
                return services.propose_problem_definition(
                    user=user, partnership=partnership, actor=None, deadline=data["deadline"]
                )

            done = apply_service(form, save)
            if isinstance(done, Proposal):
                messages.success(
                    request, _("The draft is saved and proposed; it is adopted if no objection stands at the deadline.")
                )
                return redirect(done)
            if done:
                messages.success(request, _("The draft has been saved."))
                return redirect("opinions:problem_definition", partnership_pk=partnership.pk)
            if form.has_error(NON_FIELD_ERRORS, "edited_meanwhile"):
                # The page shows the version saved meanwhile above the form: its text and the statements it
                # links, marked where this member's choice differs, so saving again drops none unknowingly.
                definition = ProblemDefinition.objects.filter(partnership=partnership).first()
                mine = set(form.cleaned_data.get("statements") or ())
                conflict = [(s, s in mine) for s in definition.statements.order_by("pk")] if definition else []
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "partnership": partnership,
        "definition": definition,
        "form": form,
        "conflict": conflict,
        "is_member": member,
        "closed_note": PARTNERSHIP_CLOSED if member and partnership.is_closed else "",
        "suggestions": suggestions,
        "open_proposal": services.open_adoption_proposal(partnership),
    }
    return render(request, "opinions/problem_definition.html", context)


@login_required
@require_POST
def set_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    conversation = get_conversation_for(request, pk)
    is_open = request.POST.get("open") == "1"
    services.set_open(user=request.user, conversation=conversation, is_open=is_open)
    if is_open:
        messages.success(request, _("The conversation is open again."))
    else:
        messages.success(request, _("The conversation is closed. The results stay."))
    return redirect(conversation)


def export(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_conversation_for(request, pk)
    snapshot = _map_to_download(request, conversation)  # as the results: with two, each would read the other's votes
    if isinstance(snapshot, HttpResponse):
        return snapshot
    # Hidden statements travel (as Polis's moderated-out comments) only to those who may read the moderation log.
    with_hidden = services.may_read_moderation(request.user, conversation)
    archive = exchange.export_zip(conversation, snapshot, with_hidden=with_hidden)
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="samskab-samtale-{conversation.pk}-polis.zip"'
    return response


@login_required
def import_polis(request: AuthenticatedRequest) -> HttpResponse:
    # Opened from a partnership's conversations, the partnership is chosen already.
    initial = {"partnership": whole_number(request.GET.get("partnerskab", ""))}
    form = PolisImportForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    # A conversation is brought in on behalf of an actor the person acts for. Someone who acts for none (a
    # colleague, who takes part in the workplace's own process only) is told so before choosing any files.
    if no_actor := _acts_for_no_actor(request):
        return render(request, "opinions/import.html", {"form": None, "no_actor": no_actor})
    # Opened from a partnership they take part in but do not act for (a colleague in a staff process, with an
    # actor of their own elsewhere): told why it is not among the choices.
    asked_for = Partnership.objects.filter(pk=initial["partnership"]).first() if initial["partnership"] else None
    not_into = None
    if asked_for is not None and asked_for.has_member_user(request.user):
        not_into = None if asked_for.actors_acted_for(request.user).exists() else asked_for
    problems: list[tuple[int | str, str]] = []
    if form.is_valid():
        try:
            conversation = exchange.import_files(
                user=request.user,
                actor=form.cleaned_data["actor"],
                partnership=form.cleaned_data.get("partnership"),
                question=form.cleaned_data["question"],
                files={name: form.cleaned_data[name] for name in ("comments", "participants_votes", "votes")},
            )
        except exchange.ImportProblems as exc:
            problems = exc.problems
            form.add_error(None, _("Nothing was imported. Correct the file and try again."))
        else:
            messages.success(request, _("The Polis conversation has been imported."))
            return redirect(conversation)
    return render(request, "opinions/import.html", {"form": form, "problems": problems, "not_into": not_into})
