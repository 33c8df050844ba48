"""Every write to conversations, statements, votes, moderation and problem definitions goes through here."""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, IntegerField, Max, QuerySet, Value, When
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samskab.accounts.models import NotificationKind, User
from samskab.accounts.notifications import notify
from samskab.actors.models import Actor, Membership, Sector
from samskab.lib.forms import check_unchanged
from samskab.partnerships import services as partnership_services
from samskab.partnerships.models import Decision, Partnership, PartnershipMember, Phase, Proposal
from samskab.partnerships.permissions import acting_actor_for
from samskab.partnerships.services.core import check_open
from samskab.partnerships.services.notify import notify_others
from samskab.partnerships.signals import proposal_passed

from . import mapping
from .models import (
    HIDE_REASON_NEEDED,
    STATEMENT_MAX_LENGTH,
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
from .permissions import is_member
from .similarity import normalise, says_the_same

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

MAX_SEED_STATEMENTS = 50  # a conversation opens with a few statements; people write the rest
# A participant's statement must be something to agree or disagree with: at least this many letters or digits
# (punctuation and spaces do not count). Seeds and imports are not held to it.
STATEMENT_MIN_LENGTH = 10
# The same question opened again by the same person this soon is the form sent twice (the browser's Back button),
# not a second conversation.
REPEAT_WINDOW = timedelta(minutes=10)


class ConversationClosed(ValidationError):
    """Raised for any act in a closed conversation (the results stay readable)."""

    def __init__(self) -> None:
        super().__init__(_("The conversation is closed."), code="closed")


class DuplicateStatement(ValidationError):
    """Raised when a new statement says what an existing one already says."""

    def __init__(self, existing: Statement) -> None:
        super().__init__(_("A statement saying nearly the same already exists."), code="duplicate")
        self.existing = existing


class HiddenDuplicate(ValidationError):
    """Raised when a new statement says what one the facilitator hid says (`hidden_repeat`): writing it again
    must not undo the moderation. Not a `DuplicateStatement`: there is no shown statement to vote on instead."""

    def __init__(self, hidden: Statement) -> None:
        super().__init__(_("The facilitator has hidden a similar statement."), code="hidden_duplicate")
        self.hidden = hidden


class RepeatedConversation(ValidationError):
    """Raised when a person opens the same question again within `REPEAT_WINDOW` (where they opened it before):
    the form sent twice, after going back in the browser. `earlier` is the one they opened."""

    def __init__(self, earlier: Conversation) -> None:
        super().__init__(_("You opened the same question a moment ago."), code="repeated")
        self.earlier = earlier


class SectorNeeded(ValidationError):
    """Raised when a signed-in person takes part in a standalone conversation and their sector cannot be told from
    the actors they act for (none, or several of different sectors): they say it once."""

    def __init__(self) -> None:
        super().__init__(_("Choose which sector you belong to."), code="sector_needed")


def quotable(text: str) -> str:
    """A statement (or question) as quoted inside a sentence: without its own closing full stop, as the sentence's
    punctuation follows the quote (“… om aftenen”. rather than “… om aftenen.”.). A question or exclamation mark,
    or an ellipsis, stays."""
    return text[:-1] if text.endswith(".") and not text.endswith("..") else text


def _clean_text(text: str) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    if not text:
        raise ValidationError(_("Write a statement before you send it."), code="empty")
    if len(text) > STATEMENT_MAX_LENGTH:
        raise ValidationError(
            _("A statement can be at most %(max)d characters; yours is %(length)d.")
            % {"max": STATEMENT_MAX_LENGTH, "length": len(text)},
            code="too_long",
        )
    return text


def find_near_duplicate(conversation: Conversation, text: str, *, newer_than: int = 0) -> Statement | None:
    """An existing visible statement that says the same (see `similarity.says_the_same`); with `newer_than`, only
    among statements with a greater id."""
    candidates = Statement.objects.filter(conversation=conversation, pk__gt=newer_than).exclude(
        moderation=Statement.Moderation.HIDDEN
    )
    return _saying_the_same(candidates, text)


def _saying_the_same(candidates: QuerySet[Statement], text: str) -> Statement | None:
    """The first of `candidates` that says what `text` says (`similarity.says_the_same`)."""
    wanted = normalise(text)
    # Only the kept normalised text is read, not whole statements: a conversation may hold thousands.
    for pk, existing in candidates.order_by("pk").values_list("pk", "normalised"):
        if says_the_same(wanted, existing):
            return Statement.objects.get(pk=pk)
    return None


def is_facilitator(user: User | AnonymousUser, conversation: Conversation) -> bool:
    if not user.is_authenticated:
        return False
    return facilitator_users(conversation).filter(pk=user.pk).exists()


def may_read_moderation(user: User | AnonymousUser, conversation: Conversation) -> bool:
    """Who reads the moderation log, and with it the statements that were hidden: in a partnership its members and
    the facilitator; a standalone conversation is public and has no members, so everyone who may see it, as the log
    is there to show that nothing was hidden for being disagreed with."""
    if conversation.partnership_id is None:
        return True
    return is_member(user, conversation) or is_facilitator(user, conversation)


def facilitating_actor(user: User, conversation: Conversation) -> Actor | None:
    """The actor on whose behalf `user` facilitates: in a partnership, their member actor with the facilitator
    role (not just any actor of theirs); on a standalone conversation, the actor it was started as."""
    if conversation.partnership is None:
        return conversation.created_by_actor
    # Facilitating is for those who act for the actor: in employee involvement, not every colleague.
    return (
        Actor.objects.of_user(user)
        .filter(
            partnership_memberships__role=PartnershipMember.Role.FACILITATOR,
            partnership_memberships__partnership=conversation.partnership,
        )
        .first()
    )


@transaction.atomic
def start_conversation(
    *,
    user: User,
    actor: Actor,
    partnership: Partnership | None,
    question: str,
    description: str = "",
    seed_statements: Iterable[str] = (),
    allow_anonymous: bool = False,
) -> Conversation:
    """A member opens a conversation in the partnership, or anyone acting for an actor opens a standalone public
    one, which every signed-in person may take part in. `allow_anonymous`: people without an account take part too
    (by the link, where the partnership is for its members only). In employee involvement only the colleagues
    taking part take part: nobody joins by link without an account."""
    if partnership is not None:
        actor = acting_actor_for(user, partnership, actor.pk if actor else None)
        check_open(partnership)
        if allow_anonymous and partnership.voices_are_people:
            raise ValidationError(
                _("In an employee involvement process only the colleagues taking part join its conversations."),
                code="anonymous",
            )
    elif not actor.has_member(user):
        raise PermissionDenied(gettext_lazy("You can only act on behalf of an actor you belong to."))
    # The person's row is locked, so the form sent twice at once (or after going back) opens one conversation.
    User.objects.select_for_update().filter(pk=user.pk).first()
    earlier = _recently_opened(user=user, partnership=partnership, question=question)
    if earlier is not None:
        raise RepeatedConversation(earlier)
    conversation = Conversation.objects.create(
        partnership=partnership,
        question=question,
        description=description,
        allow_anonymous=allow_anonymous,
        created_by=user,
        created_by_actor=actor,
    )
    seed_statements = list(seed_statements)
    if len(seed_statements) > MAX_SEED_STATEMENTS:
        raise ValidationError(
            _("At most %(max)d seed statements; the rest can be written in the conversation.")
            % {"max": MAX_SEED_STATEMENTS},
            code="too_many_seeds",
        )
    author = participant_for_member(user=user, conversation=conversation, actor=actor)
    seen: set[str] = set()
    for text in seed_statements:
        text = _clean_text(text)
        if normalise(text) in seen:
            continue
        seen.add(normalise(text))
        Statement.objects.create(
            conversation=conversation, author=author, text=text, normalised=normalise(text), is_seed=True
        )
    if partnership is not None:
        _tell_about_new_conversation(conversation, user=user, actor=actor)
    return conversation


def _recently_opened(*, user: User, partnership: Partnership | None, question: str) -> Conversation | None:
    """The conversation `user` opened in the same place (the partnership, or outside any) with the same question
    (case and punctuation aside) within `REPEAT_WINDOW`."""
    wanted = normalise(question)
    recent = Conversation.objects.filter(
        created_by=user, partnership=partnership, created_at__gte=timezone.now() - REPEAT_WINDOW
    ).order_by("created_at", "pk")
    return next((c for c in recent if normalise(c.question) == wanted), None)


def _tell_about_new_conversation(conversation: Conversation, *, user: User, actor: Actor) -> None:
    """Everyone who may take part hears of it: the people of the other member actors, or, where each person has a
    voice (employee involvement), every colleague."""
    partnership = conversation.partnership
    assert partnership is not None
    # Colleagues are told who among them opened it, as of a proposal; in co-creation, which actor did.
    who = partnership.who_acted(user, actor)
    text = _("%(who)s opened a conversation: “%(question)s”. Take a stand on the statements and add your own.") % {
        "who": who,
        "question": quotable(conversation.question),
    }
    notify_others(
        partnership,
        kind=NotificationKind.CONVERSATION,
        text=text,
        url=conversation.get_absolute_url(),
        user=user,
        actor=actor,
    )


@transaction.atomic
def set_open(*, user: User, conversation: Conversation, is_open: bool) -> Conversation:
    """The facilitator closes the conversation (no more votes or statements; the results stay) or reopens
    it. Who closed it, and when, is shown on the conversation."""
    if not is_facilitator(user, conversation):
        raise PermissionDenied(gettext_lazy("Only the facilitator closes or reopens a conversation."))
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if locked.is_open == is_open:
        return locked
    if is_open and locked.partnership is not None:
        check_open(locked.partnership)  # its partnership's closing closed it: reopening the partnership comes first
    locked.is_open = is_open
    if is_open:
        locked.closed_at, locked.closed_by_actor = None, None
    else:
        locked.closed_at, locked.closed_by_actor = timezone.now(), facilitating_actor(user, locked)
    locked.save(update_fields=["is_open", "closed_at", "closed_by_actor"])
    return locked


@transaction.atomic
def change_conversation(
    *,
    user: User,
    conversation: Conversation,
    question: str,
    description: str,
    allow_anonymous: bool,
    seed_statements: Iterable[str] = (),
) -> Conversation:
    """The facilitator changes the question and the introduction, lets people without an account take part or not,
    and adds seed statements: to a conversation brought in from Polis, say. Seeds are added only while the
    conversation is open, as any statement, and never one that repeats a shown statement or one the facilitator
    hid. In employee involvement nobody joins without an account. Not while its partnership is closed
    (`PARTNERSHIP_CLOSED`)."""
    if not is_facilitator(user, conversation):
        raise PermissionDenied(gettext_lazy("Only the facilitator changes the conversation."))
    partnership = conversation.partnership
    if allow_anonymous and partnership is not None and partnership.voices_are_people:
        raise ValidationError(
            _("In an employee involvement process only the colleagues taking part join its conversations."),
            code="anonymous",
        )
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if partnership is not None:  # after the lock: a closing that closes the conversation is committed, or waits
        check_open(partnership)
    seeds = [_clean_text(text) for text in seed_statements]
    if seeds and not locked.is_open:
        raise ConversationClosed()
    changed = ["question", "description", "allow_anonymous"]
    if question != locked.question and Vote.objects.filter(statement__conversation=locked).exists():
        # Votes given to the question as it read: everyone is told it changed, and from what (the first wording
        # they voted on is kept through later changes).
        locked.earlier_question = locked.earlier_question or locked.question
        locked.question_changed_at = timezone.now()
        changed += ["earlier_question", "question_changed_at"]
    locked.question, locked.description, locked.allow_anonymous = question, description, allow_anonymous
    locked.save(update_fields=changed)
    if seeds:
        author = participant_for_member(user=user, conversation=locked, actor=facilitating_actor(user, locked))
        for text in seeds:
            duplicate = find_near_duplicate(locked, text)
            if duplicate is not None:
                raise DuplicateStatement(duplicate)
            hidden = hidden_repeat(locked, text)
            if hidden is not None:
                raise HiddenDuplicate(hidden)
            Statement.objects.create(
                conversation=locked, author=author, text=text, normalised=normalise(text), is_seed=True
            )
        request_map(locked)
    return locked


def _next_number(conversation: Conversation) -> int:
    # Called inside a transaction holding the conversation's row lock, so numbers never collide.
    return (conversation.participants.aggregate(n=Max("number"))["n"] or 0) + 1


def sectors_acted_for(user: User) -> dict[str, Actor]:
    """The sectors of the actors `user` acts for, each with the first such actor by name: in a standalone
    conversation, whom a signed-in person takes part through."""
    sectors: dict[str, Actor] = {}
    for actor in Actor.objects.of_user(user).order_by("name", "pk"):
        sectors.setdefault(actor.sector, actor)
    return sectors


def _standalone_identity(user: User, actor: Actor | None, sector: str) -> tuple[Actor | None, str]:
    """Who a signed-in person is in a standalone conversation: the actor they act for, with its sector. Acting for
    no actor, or for actors of several sectors, they choose their sector once (`sector`); with several, one of
    their actors'. Whoever acts for actors may instead take part as a citizen, a private person, without an actor:
    a teacher need not speak for the school."""
    if actor is not None and actor.has_member(user):
        return actor, actor.sector
    own = sectors_acted_for(user)
    if not sector and len(own) == 1:
        sector = next(iter(own))
    if not sector:
        raise SectorNeeded()
    if sector not in (own or Sector.values) and sector != Sector.CITIZEN:
        raise ValidationError(_("Choose which sector you belong to."), code="sector")
    return own.get(sector), sector


@transaction.atomic
def participant_for_member(
    *, user: User, conversation: Conversation, actor: Actor | None = None, sector: str = ""
) -> Participant:
    """The signed-in person's participant identity, created on first use: in a partnership, through their member
    actor and with its sector; in a standalone conversation, see `_standalone_identity` (`SectorNeeded` when they
    must say their sector first)."""
    existing = Participant.objects.filter(conversation=conversation, user=user).first()
    if existing is not None:
        return existing
    if conversation.partnership is not None:
        actor = acting_actor_for(user, conversation.partnership, actor.pk if actor else None)
        sector = actor.sector
    else:
        actor, sector = _standalone_identity(user, actor, sector)
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    # Two first actions at once (a double click, two tabs) both found no participant; the one that waited
    # for the lock finds the other's now.
    existing = Participant.objects.filter(conversation=conversation, user=user).first()
    if existing is not None:
        return existing
    _refuse_newcomers_if_closed(locked)
    return Participant.objects.create(
        conversation=locked, user=user, actor=actor, sector=sector, number=_next_number(locked)
    )


def _refuse_newcomers_if_closed(locked: Conversation) -> None:
    """A closed conversation takes nobody new: they could neither vote nor write, only be counted."""
    if not locked.is_open:
        raise ConversationClosed()


def new_cookie_key() -> str:
    return secrets.token_urlsafe(24)


@transaction.atomic
def participant_for_cookie(*, conversation: Conversation, cookie_key: str, sector: str) -> Participant:
    """A person without an account, known by a cookie, who states their sector once."""
    if not conversation.allow_anonymous:
        raise PermissionDenied(gettext_lazy("This conversation is for members only."))
    if sector not in Sector.values:
        raise ValidationError(_("Choose which sector you belong to."), code="sector")
    existing = Participant.objects.filter(conversation=conversation, cookie_key=cookie_key).first()
    if existing is None:
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        # Two first actions at once both found no participant; the one that waited for the lock finds the other's.
        existing = Participant.objects.filter(conversation=conversation, cookie_key=cookie_key).first()
        if existing is None:
            _refuse_newcomers_if_closed(locked)
            return Participant.objects.create(
                conversation=locked, cookie_key=cookie_key, sector=sector, number=_next_number(locked)
            )
    if existing.sector != sector:
        raise ValidationError(
            _("You have already said that you take part as %(sector)s; it cannot be changed.")
            % {"sector": str(TAKING_PART_AS.get(existing.sector, existing.get_sector_display())).lower()},
            code="sector_changed",
        )
    return existing


def claim_guest_participant(*, user: User, conversation: Conversation, cookie_key: str) -> Participant | None:
    """Someone who took part without an account (known by `cookie_key`) and has signed in since is one participant,
    not two. Called where the signed-in person takes part as themselves (a member; anyone in a standalone
    conversation), on their first request there after signing in. Returns their participant, or None when the
    cookie names no participant here.

    Without a participant of their own, the cookie's becomes theirs with its votes: in a partnership they are a
    member of, through their member actor and in its sector, as members take part; elsewhere in the sector the
    guest said, with the actor they act for in it, if any. With one, theirs is kept and the cookie's is folded into
    it: its votes on statements they have not voted on, its statements and its reports move over, a statement both
    voted on keeps the later answer, and the guest is deleted, so nobody counts twice or lifts a statement over the
    floor of voters alone. Either way the cookie no
    longer names it: after signing out, the same browser is a new guest, who does not see the person's answers. A
    closed conversation is left as it was: its figures no longer change."""
    if not conversation.is_open:
        return None
    if not Participant.objects.filter(conversation=conversation, cookie_key=cookie_key, user=None).exists():
        return None  # the common case, without a lock
    with transaction.atomic():
        # Under the conversation's lock, as `participant_for_member` creates one: two first requests at once (two
        # tabs) find the cookie's participant claimed by the other, or the person's own, never make a second.
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        guest = Participant.objects.filter(conversation=locked, cookie_key=cookie_key, user=None).first()
        if guest is None or not locked.is_open:
            return None
        own = Participant.objects.filter(conversation=locked, user=user).first()
        if own is None:
            guest.user, guest.cookie_key = user, ""
            if locked.partnership is not None and locked.partnership.member_actors_of(user).exists():
                # A member takes part through their member actor and in its sector, as they would have signed in.
                member_actor = acting_actor_for(user, locked.partnership, None)
                guest.actor, guest.sector = member_actor, member_actor.sector
            else:
                guest.actor = _actor_in_sector(user, locked, guest.sector)
            guest.save(update_fields=["user", "cookie_key", "actor", "sector"])
            return guest
        # Both were the person (they said so): on a statement both voted on, the later answer is their stand, as
        # the page promises ("the last one counts").
        own_votes = {vote.statement_id: vote for vote in own.votes.all()}
        for vote in guest.votes.filter(statement__in=list(own_votes)):
            mine = own_votes[vote.statement_id]
            if vote.voted_at > mine.voted_at:
                mine.value, mine.voted_at = vote.value, vote.voted_at
                mine.save(update_fields=["value", "voted_at"])
        guest.votes.exclude(statement__in=list(own_votes)).update(participant=own)
        guest.reports.exclude(statement__in=own.reports.values("statement")).update(participant=own)
        Statement.objects.filter(author=guest).update(author=own)
        guest.delete()  # with the votes on statements both had voted on, now counted once
        request_map(locked)
        return own


def _actor_in_sector(user: User, conversation: Conversation, sector: str) -> Actor | None:
    """The actor `user` acts for in `sector` (in a partnership, among its members), for a participant whose sector
    was said rather than taken from an actor; None when they act for none in it."""
    actors = Actor.objects.of_user(user).filter(sector=sector)
    if conversation.partnership is not None:
        actors = actors.filter(partnership_memberships__partnership=conversation.partnership)
    return actors.order_by("name", "pk").first()


def hidden_repeat(conversation: Conversation, text: str) -> Statement | None:
    """A statement the facilitator hid that says what `text` says, by the rule that finds near-duplicates among
    shown statements (`similarity.says_the_same`: case, punctuation, a typo, "aa" for "å" aside).
    `find_near_duplicate` looks only at shown statements: without this, a hidden statement posted again, or with a
    letter changed, would be shown again, undoing the moderation, and would then keep out its own first wording."""
    hidden = Statement.objects.filter(conversation=conversation, moderation=Statement.Moderation.HIDDEN)
    return _saying_the_same(hidden, text)


def hide_reason(statement: Statement) -> str:
    """Why the facilitator last hid the statement, as the moderation log says ("" for one hidden in Polis)."""
    entry = statement.moderation_log.filter(action="hide").order_by("-at", "-pk").first()
    return entry.get_reason_display() if entry is not None and entry.reason else ""


def add_statement(*, participant: Participant, text: str) -> Statement:
    """Write a new statement. Empty, over-long and near-duplicate statements are refused with a reason, and so is
    one that repeats a statement the facilitator hid (`HiddenDuplicate`).

    The author agrees with what they wrote, as in Polis: the vote is recorded with the statement, so the
    author is never asked about it and their agreement counts in the map from the start.
    """
    conversation = participant.conversation
    if not conversation.is_open:
        raise ConversationClosed()
    text = _clean_text(text)
    if sum(c.isalnum() for c in text) < STATEMENT_MIN_LENGTH:  # "!!!!!!!!!!" has nothing to agree with
        raise ValidationError(
            _(
                "Write a whole sentence of at least %(min)d letters or digits, so that others can agree or disagree "
                "with it."
            )
            % {"min": STATEMENT_MIN_LENGTH},
            code="too_short",
        )
    # Compare with every statement before taking the lock (the slow part), then, under the lock, only with
    # those written meanwhile: two people sending the same statement at once cannot both get in.
    scanned_up_to = conversation.statements.aggregate(last=Max("pk"))["last"] or 0
    duplicate = find_near_duplicate(conversation, text)
    with transaction.atomic():
        if not Conversation.objects.select_for_update().get(pk=conversation.pk).is_open:  # closed meanwhile
            raise ConversationClosed()
        duplicate = duplicate or find_near_duplicate(conversation, text, newer_than=scanned_up_to)
        if duplicate is not None:
            raise DuplicateStatement(duplicate)
        hidden = hidden_repeat(conversation, text)
        if hidden is not None:
            raise HiddenDuplicate(hidden)
        statement = Statement.objects.create(
            conversation=conversation, author=participant, text=text, normalised=normalise(text)
        )
        Vote.objects.create(
            participant=participant, statement=statement, value=Vote.Value.AGREE, voted_at=timezone.now()
        )
    request_map(conversation)
    return statement


def record_vote(*, statement: Statement, participant: Participant, value: int) -> Vote:
    """Record or change the participant's vote. A second vote replaces the first; it never duplicates."""
    if value not in Vote.Value.values:
        raise ValidationError(_("A vote is agree, disagree or pass."), code="value")
    if statement.conversation_id != participant.conversation_id:
        raise PermissionDenied(gettext_lazy("The statement belongs to another conversation."))
    if statement.is_hidden:
        raise ValidationError(
            _("This statement has been hidden by the facilitator and cannot be voted on."), code="hidden"
        )
    if not participant.conversation.is_open:
        raise ConversationClosed()
    try:
        with transaction.atomic():
            _check_still_open(participant.conversation_id)
            now = timezone.now()  # after the check: a vote counted is one cast before any closing
            vote, _created = Vote.objects.update_or_create(
                participant=participant, statement=statement, defaults={"value": value, "voted_at": now}
            )
    except IntegrityError:
        # A double click raced us to the insert; the row exists now, so update it.
        with transaction.atomic():
            _check_still_open(participant.conversation_id)
            now = timezone.now()
            Vote.objects.filter(participant=participant, statement=statement).update(value=value, voted_at=now)
        vote = Vote.objects.get(participant=participant, statement=statement)
    request_map(participant.conversation)
    return vote


def _check_still_open(conversation_id: int) -> None:
    """Refuse a vote in a conversation closed since it was fetched. Inside the vote's transaction: on PostgreSQL
    under the weakest row lock (FOR KEY SHARE), which voters take together and which lets the map's bookkeeping
    update the row, while closing (`set_open`, FOR UPDATE) waits for them and they for it; SQLite takes its one
    write lock when the transaction begins."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(Conversation._meta.db_table)
            cursor.execute(f"SELECT is_open FROM {table} WHERE id = %s FOR KEY SHARE", [conversation_id])
            row = cursor.fetchone()
        is_open = bool(row and row[0])
    else:
        is_open = Conversation.objects.filter(pk=conversation_id, is_open=True).exists()
    if not is_open:
        raise ConversationClosed()


def shown_map(conversation: Conversation) -> OpinionMapSnapshot | None:
    """The latest published opinion map (`compute_map`), for the results page, the API and the downloads; None
    until `enough_voters` have voted (with two, each would read the other's votes off the shares). It stays shown,
    with its time, while the maps computed after it wait for enough people to vote. One kept in an older form (see
    `presentation.is_stale`) is shown without its sector figures until a newer map is published
    (`recompute_if_stale`)."""
    snapshot = published_maps(conversation).first()
    if snapshot is not None:
        recompute_if_stale(conversation, snapshot.result)
    if snapshot is None or not enough_voters(conversation):
        return None
    return snapshot


def published_maps(conversation: Conversation) -> QuerySet[OpinionMapSnapshot]:
    """The conversation's published maps, latest first: the first is the one the pages show."""
    return conversation.maps.filter(published=True).order_by("-computed_at")


def recompute_if_stale(conversation: Conversation, shown: dict[str, Any]) -> None:
    """Ask for a map in the current form where the one shown (its `result`, or the parts read of it) is kept in an
    older one, unless a map computed since is in the current form: that one is published when `compute_map` allows,
    and asking again would compute the map on every visit meanwhile."""
    from .presentation import is_stale

    if is_stale(shown):
        latest = conversation.maps.order_by("-computed_at").values_list("result__form", flat=True).first()
        if is_stale({"form": latest}):
            request_map(conversation)


def enough_voters(conversation: Conversation) -> bool:
    """Whether `presentation.min_voters` people (3, or among colleagues the survey threshold) have voted on
    statements shown now: one whose only vote is on a hidden statement (their own spam, say) is in no shown count,
    so they must not make up the number."""
    from .presentation import min_voters

    floor = min_voters(conversation)

    voters = (
        Vote.objects.filter(statement__conversation=conversation)
        .exclude(statement__moderation=Statement.Moderation.HIDDEN)
        .values("participant_id")
        .distinct()
    )
    return len(voters[:floor]) >= floor


def request_map(conversation: Conversation) -> None:
    """Ask for the opinion map to be recomputed in the background, once for any burst of votes."""
    claimed = Conversation.objects.filter(pk=conversation.pk, map_requested_at__isnull=True).update(
        map_requested_at=timezone.now()
    )
    if claimed:
        from .tasks import recompute_opinion_map

        transaction.on_commit(lambda: recompute_opinion_map.enqueue(conversation.pk))


@transaction.atomic
def moderate_statement(
    *, user: User, statement: Statement, hide: bool, reason: str = "", note: str = ""
) -> ModerationEntry:
    """The facilitator hides spam, off-topic statements, duplicates and statements that name or attack a person, or
    restores them. Always logged."""
    conversation = statement.conversation
    if not is_facilitator(user, conversation):
        raise PermissionDenied(gettext_lazy("Only the facilitator moderates."))
    if hide and reason not in Statement.HideReason.values:
        raise ValidationError(HIDE_REASON_NEEDED, code="reason")
    actor = facilitating_actor(user, conversation)
    wanted = Statement.Moderation.HIDDEN if hide else Statement.Moderation.VISIBLE
    # Locked, so a double click or two facilitators at once log one moderation, not two. The conversation first,
    # then the statement, as every write that touches both does (reports, new statements): no deadlock.
    Conversation.objects.select_for_update().get(pk=conversation.pk)
    locked = Statement.objects.select_for_update().get(pk=statement.pk)
    if locked.moderation == wanted:
        raise ValidationError(
            _("The statement is already hidden.") if hide else _("The statement is already shown."),
            code="unchanged",
        )
    locked.moderation = wanted
    locked.save(update_fields=["moderation"])
    if hide:  # hiding answers the statement's reports; were it shown again, they would not come back
        locked.reports.all().delete()
    entry = ModerationEntry.objects.create(
        statement=locked,
        action="hide" if hide else "restore",
        reason=reason if hide else "",
        note=note,
        actor=actor,
        user=user,
    )
    statement.moderation = wanted
    # The author is told, they alone (the others see only a pseudonym): a statement that vanished without a word
    # would look like being silenced for one's view. Citizens without an account have no inbox.
    writer = locked.author.user if locked.author is not None else None
    if writer is not None and writer.is_active and writer.pk != user.pk:
        told = (
            _(
                "The facilitator hid your statement “%(text)s”. Reason: %(reason)s. Nobody's statement is hidden for "
                "being disagreed with."
            )
            % {"text": quotable(locked.text), "reason": Statement.HideReason(reason).label.lower()}
            if hide
            else _("The facilitator shows your statement “%(text)s” again.") % {"text": quotable(locked.text)}
        )
        # To the moderation log where they may read it (a partnership's members, everyone in a standalone one).
        readable = may_read_moderation(writer, conversation)
        url = reverse("opinions:moderation", args=[conversation.pk]) if readable else conversation.get_absolute_url()
        notify([writer], kind=NotificationKind.MODERATION, text=told, url=url)
    request_map(conversation)
    return entry


def facilitator_users(conversation: Conversation) -> QuerySet[User]:
    """The people who facilitate the conversation: those of the partnership's facilitating actor, or on a
    standalone conversation the person who started it."""
    if conversation.partnership_id is None:
        return User.objects.filter(id__in=[conversation.created_by_id], is_active=True)
    return User.objects.filter(
        is_active=True,
        actor_memberships__role__in=Membership.ACTING,
        actor_memberships__actor__partnership_memberships__partnership_id=conversation.partnership_id,
        actor_memberships__actor__partnership_memberships__role=PartnershipMember.Role.FACILITATOR,
    ).distinct()


def report_statement(*, participant: Participant, statement: Statement, reason: str) -> StatementReport:
    """A participant asks the facilitator to look at a statement. Reporting again changes the reason; it never
    counts twice. The report hides nothing, and a closed conversation takes no reports (the facilitator can still
    hide what it holds). The facilitators are told when the conversation's queue of reported
    statements goes from empty to not empty: a wave of reports, or someone reporting everything, sends them one
    message, not one per statement; the moderation page lists the rest."""
    if statement.conversation_id != participant.conversation_id:
        raise PermissionDenied(gettext_lazy("The statement belongs to another conversation."))
    if reason not in Statement.HideReason.values:
        raise ValidationError(
            _("Choose what is wrong: spam, off topic, a duplicate, or it names or attacks a person."), code="reason"
        )
    with transaction.atomic():
        # The conversation's row is locked, so two first reports at once cannot both find the queue empty.
        if not Conversation.objects.select_for_update().get(pk=statement.conversation_id).is_open:
            raise ConversationClosed()
        locked = Statement.objects.select_for_update().get(pk=statement.pk)
        if locked.is_hidden:
            raise ValidationError(_("The facilitator has already hidden the statement."), code="hidden")
        queue_was_empty = not StatementReport.objects.filter(statement__conversation_id=locked.conversation_id).exists()
        report, _created = StatementReport.objects.update_or_create(
            statement=locked, participant=participant, defaults={"reason": reason}
        )
        if queue_was_empty:
            conversation = participant.conversation
            notify(
                facilitator_users(conversation),
                kind=NotificationKind.REPORT,
                text=_("A statement in “%(question)s” is reported: %(text)s")
                % {"question": conversation.question, "text": locked.text},
                url=reverse("opinions:moderation", args=[conversation.pk]),
            )
    return report


def keep_reported_statement(*, user: User, statement: Statement, note: str = "") -> ModerationEntry:
    """The facilitator looks at a reported statement and keeps it: the reports are cleared and the decision is
    logged for the members, like every moderation."""
    conversation = statement.conversation
    if not is_facilitator(user, conversation):
        raise PermissionDenied(gettext_lazy("Only the facilitator moderates."))
    with transaction.atomic():
        Conversation.objects.select_for_update().get(pk=conversation.pk)  # the lock order of `report_statement`
        locked = Statement.objects.select_for_update().get(pk=statement.pk)
        if locked.is_hidden or not locked.reports.exists():
            raise ValidationError(_("The statement has no reports to answer."), code="unchanged")
        locked.reports.all().delete()
        return ModerationEntry.objects.create(
            statement=locked, action="keep", note=note, actor=facilitating_actor(user, conversation), user=user
        )


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser over unsigned 64-bit integers (wrapping arithmetic): every input bit moves every
    output bit."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def votes_digest(votes: np.ndarray) -> str:
    """A fingerprint of a set of votes (rows of participant, statement, value), whatever their order: each row
    mixed into 64 bits, then summed and XOR-ed. Sorting five million rows to hash them in order took 2.7 s; this
    takes a tenth of that."""
    rows = votes.astype(np.uint64)
    with np.errstate(over="ignore"):
        mixed = _mix(_mix(_mix(rows[:, 0]) ^ rows[:, 1]) ^ (rows[:, 2] + np.uint64(1)))
        total = int(mixed.sum(dtype=np.uint64))
    return f"{total:016x}{int(np.bitwise_xor.reduce(mixed)) if len(mixed) else 0:016x}"


def compute_map(conversation: Conversation) -> OpinionMapSnapshot:
    """Recompute the opinion map from the votes as they are now and keep it as the latest snapshot.

    It is published, and replaces the map the pages show (`shown_map`), only where comparing the two tells
    nobody's votes: when at least the floor of people (`presentation.min_voters`) have voted or changed a vote on
    statements shown since the map published before it (`Vote.voted_at` after its `votes_until`), or when it holds
    exactly the same votes as that one (a moderation alone, say). The first map is published once the floor of
    people have voted on statements shown. Otherwise the published map stays shown, and this one is kept, unshown,
    with how many have voted since (`voters_since`). Older snapshots are deleted, but the published one."""
    from .presentation import min_voters, snapshot_json

    Conversation.objects.filter(pk=conversation.pk).update(map_requested_at=None)
    started = time.perf_counter()
    floor = min_voters(conversation)
    before = published_maps(conversation).values("pk", "votes_until", "votes_digest").first()
    statements = list(conversation.statements.order_by("pk").values_list("pk", "moderation"))
    statement_pks = np.array([pk for pk, _m in statements], dtype=np.int64)
    hidden_pks = np.array([pk for pk, m in statements if m == Statement.Moderation.HIDDEN], dtype=np.int64)
    held = Vote.objects.filter(participant__conversation=conversation, statement__conversation=conversation)
    # Whether each vote was cast (or changed) since the published map comes in the same read as the votes: nobody is
    # counted as new whose vote this map does not hold.
    since = before["votes_until"] if before is not None else None
    newer: Case | Value = Value(1, output_field=IntegerField())  # no map published yet (or one without votes)
    if since is not None:
        newer = Case(When(voted_at__gt=since, then=Value(1)), default=Value(0), output_field=IntegerField())
    # One vote per participant and statement (a database constraint), so no time order is needed.
    rows = held.annotate(newer=newer).values_list("participant_id", "statement_id", "value", "newer")
    votes = np.array(list(rows), dtype=np.int64).reshape(-1, 4)
    # Read after the votes, so no vote held is later than it. A vote cast meanwhile may fall before it without being
    # held: its voter is then not counted as new, which only makes the next map wait for one more.
    votes_until = held.aggregate(last=Max("voted_at"))["last"]
    digest = votes_digest(votes[:, :3])
    on_shown = votes[~np.isin(votes[:, 1], hidden_pks)]  # a vote on a hidden statement is in no figure shown
    voters_since = len(np.unique(on_shown[on_shown[:, 3] == 1, 0]))
    publish = voters_since >= floor or (before is not None and digest == before["votes_digest"])
    participants, participant_codes = np.unique(votes[:, 0], return_inverse=True)
    statement_codes = np.searchsorted(statement_pks, votes[:, 1])
    matrix = mapping.VoteMatrix.from_arrays(
        participant_codes,
        statement_codes,
        votes[:, 2],
        participants=[str(p) for p in participants],
        statements=[str(pk) for pk in statement_pks],
    )
    # Participants imported from Polis have no sector (Polis records none); they count in no sector's figures.
    sectors = {str(pk): sector for pk, sector in conversation.participants.values_list("pk", "sector") if sector}
    result = mapping.compute_opinion_map(
        matrix,
        statements=[str(pk) for pk in statement_pks],
        moderated_out=[str(pk) for pk, m in statements if m == Statement.Moderation.HIDDEN],
        participant_sectors=sectors,
    )
    snapshot = OpinionMapSnapshot.objects.create(
        conversation=conversation,
        computed_at=timezone.now(),
        n_participants=len(result.participants),
        n_votes=len(votes),
        duration_ms=int((time.perf_counter() - started) * 1000),
        result=snapshot_json(result, sectors),
        votes_until=votes_until,
        votes_digest=digest,
        voters_since=voters_since,
    )
    with transaction.atomic():
        # One computation publishes at a time, and only against the map it was counted against: two running at
        # once (votes came in while one computed) must not both publish, a vote or two apart. FOR NO KEY UPDATE
        # does not wait for voters, who hold FOR KEY SHARE (`_check_still_open`).
        Conversation.objects.select_for_update(no_key=True).filter(pk=conversation.pk).values_list("pk").first()
        shown = published_maps(conversation).values_list("pk", flat=True).first()
        if publish and shown == (before["pk"] if before is not None else None):
            OpinionMapSnapshot.objects.filter(pk=snapshot.pk).update(published=True, voters_since=0)
            snapshot.published, snapshot.voters_since, shown = True, 0, snapshot.pk
        older = conversation.maps.filter(computed_at__lt=snapshot.computed_at)
        (older if shown is None else older.exclude(pk=shown)).delete()
    return snapshot


@transaction.atomic
def save_problem_definition(
    *,
    user: User,
    partnership: Partnership,
    actor: Actor | None,
    text: str,
    statements: Iterable[Statement],
    seen: str | None = None,
) -> ProblemDefinition:
    """Any member edits the draft joint problem definition. `seen` is the version the member opened
    (`lib.forms.version_of`): if another member saved since, nothing is saved (`EditedMeanwhile`)."""
    actor = acting_actor_for(user, partnership, actor.pk if actor else None)
    check_open(partnership)
    definition, created = ProblemDefinition.objects.select_for_update().get_or_create(partnership=partnership)
    if not created:
        editor = definition.updated_by.name if definition.updated_by else ""
        check_unchanged(seen, definition.updated_at, editor or str(definition.updated_by_actor or ""))
    definition.text = text
    definition.updated_by, definition.updated_by_actor = user, actor
    definition.save()
    chosen = Statement.objects.filter(pk__in=[s.pk for s in statements], conversation__partnership=partnership)
    definition.statements.set(chosen)
    return definition


def open_adoption_proposal(partnership: Partnership) -> Proposal | None:
    """The proposal to adopt the problem definition that is open now. One past its deadline no longer blocks a
    new one, settled or not, so proposing never has to settle (and lock) proposals inside its transaction."""
    return partnership.proposals.filter(
        kind=Proposal.Kind.PROBLEM_DEFINITION, status=Proposal.Status.OPEN, deadline__gt=timezone.now()
    ).first()


def propose_problem_definition(
    *, user: User, partnership: Partnership, actor: Actor | None, deadline: datetime
) -> Proposal:
    """Any member proposes adopting the current draft; it is adopted by consent, like every decision. One
    proposal at a time: while one is open, members respond to it, amend it or withdraw it."""
    actor = acting_actor_for(user, partnership, actor.pk if actor else None)
    with transaction.atomic():
        Partnership.objects.select_for_update().get(pk=partnership.pk)  # two members proposing at once
        pending = open_adoption_proposal(partnership)
        if pending is not None:
            raise ValidationError(
                _(
                    "A proposal to adopt the definition is already open until %(when)s. Respond to it, amend it or "
                    "withdraw it before proposing again."
                )
                % {"when": date_format(timezone.localtime(pending.deadline), "j. F Y H:i")},
                code="already_open",
            )
        definition = ProblemDefinition.objects.filter(partnership=partnership).first()
        if definition is None or not definition.text.strip():
            raise ValidationError(_("Write the problem definition before proposing it."), code="empty")
        return partnership_services.propose(
            user=user,
            partnership=partnership,
            by_actor=actor,
            title=str(_("Adopt our joint problem definition")),
            text=definition.text,
            deadline=deadline,
            kind=Proposal.Kind.PROBLEM_DEFINITION,
            phase=Phase.DEFINE,
        )


@receiver(proposal_passed)
def close_with_the_partnership(sender: type, proposal: Proposal, decision: Decision, **kwargs: object) -> None:
    """When the partnership is closed by consent, its open conversations close with it, from the decision's
    moment: no more statements or votes; their maps and results stay. Reopening the partnership leaves them
    closed, for their facilitators to reopen."""
    if proposal.kind != Proposal.Kind.CLOSE:
        return
    Conversation.objects.filter(partnership_id=proposal.partnership_id, is_open=True).update(
        is_open=False, closed_at=decision.decided_at, closed_by_actor=None
    )


@receiver(proposal_passed)
def adopt_on_consent(sender: type, proposal: Proposal, decision: Decision, **kwargs: object) -> None:
    """When a problem-definition proposal passes, the text consented to becomes the adopted definition."""
    if proposal.kind != Proposal.Kind.PROBLEM_DEFINITION:
        return
    adopted = {
        "adopted_at": decision.decided_at,
        "adopted_text": decision.text,
        "adopted_by": proposal.proposed_by_user,
        "adopted_by_actor": proposal.proposed_by,
    }
    # An update, not a save: the draft's version (`updated_at`) stays, so nobody editing it is told of a change.
    if not ProblemDefinition.objects.filter(partnership=proposal.partnership).update(**adopted):
        ProblemDefinition.objects.create(partnership=proposal.partnership, **adopted)
    definition = ProblemDefinition.objects.get(partnership=proposal.partnership)
    definition.adopted_statements.set(definition.statements.all())
    # Amended on its way to consent, the adopted text differs from the draft it was proposed from. A draft nobody
    # has changed since becomes the adopted text, so whoever edits it next starts from what was agreed, not from
    # the wording that was amended away (its new version tells anyone editing it meanwhile); a draft changed since
    # is someone's new work, and stays.
    first = proposal.versions.order_by("number").first()
    if first is not None and definition.text == first.text and definition.text != decision.text:
        last = proposal.current_version()
        ProblemDefinition.objects.filter(pk=definition.pk).update(
            text=decision.text,
            updated_at=decision.decided_at,
            updated_by=None,
            updated_by_actor=last.amended_by if last is not None else None,
        )


def what_came_of_it(conversation: Conversation, participant: Participant | None) -> dict[str, Any] | None:
    """The problem definition the partnership adopted, on the conversations it builds on: its text, and the
    statements from this conversation it builds on, with the participant's own part in each (written by them, their
    vote). None until a definition is adopted, and on a conversation none of whose statements it was adopted with
    (one opened later, say): nothing came of that one yet. A statement hidden since still says the definition built
    on the conversation, but is no longer listed."""
    if conversation.partnership_id is None:
        return None
    definition = (
        ProblemDefinition.objects.filter(partnership_id=conversation.partnership_id, adopted_at__isnull=False)
        .select_related("adopted_by_actor")
        .first()
    )
    if definition is None:
        return None
    from_here = list(definition.adopted_statements.filter(conversation=conversation))
    if not from_here:
        return None
    statements = [s for s in from_here if not s.is_hidden]
    votes: dict[int, int] = {}
    if participant is not None:
        votes = dict(participant.votes.filter(statement__in=statements).values_list("statement_id", "value"))
    return {
        "definition": definition,
        "statements": [
            {
                "statement": statement,
                "yours": participant is not None and statement.author_id == participant.pk,
                "vote": Vote.Value(votes[statement.pk]).label if statement.pk in votes else "",
                "vote_value": votes.get(statement.pk),
            }
            for statement in statements
        ],
    }
