from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samskab.accounts.models import NotificationKind, User
from samskab.accounts.notifications import notify
from samskab.actors.models import Actor
from samskab.lib.forms import (
    MIN_OBJECTION_PERIOD,
    AlreadyThere,
    check_length,
    check_objection_deadline,
    field_refusal,
)
from samskab.lib.text import first_alike, local_moment, same_words

from ..models import (
    AgendaItem,
    Decision,
    GroundRules,
    Partnership,
    Proposal,
    ProposalComment,
    ProposalVersion,
    Response,
)
from ..models.decisions import COMMENT_MAX_LENGTH
from ..signals import proposal_passed
from .agenda import deal_with_by_decision
from .core import check_member
from .notify import notify_members, notify_others

P = ParamSpec("P")
T = TypeVar("T")

if TYPE_CHECKING:
    from samskab.accounts.models import User


@transaction.atomic
def propose(
    *,
    user: User,
    partnership: Partnership,
    by_actor: Actor,
    title: str,
    text: str,
    deadline: datetime,
    kind: str = Proposal.Kind.GENERAL,
    agenda_item: AgendaItem | None = None,
    phase: str = "",
) -> Proposal:
    """Any member proposes. Each member actor then consents, consents with a concern, or objects. The same proposal
    made again by the same actor while the first is open (mostly the form sent again after going back in the
    browser) is refused (`AlreadyThere`)."""
    check_member(user, partnership, by_actor)
    if agenda_item is not None and agenda_item.partnership_id != partnership.pk:
        raise PermissionDenied(gettext_lazy("The agenda item belongs to another partnership."))
    if not text.strip():
        raise field_refusal("text", _("Write the proposal."), code="empty")
    Partnership.objects.select_for_update().get(pk=partnership.pk)  # the form sent twice at once proposes once
    open_proposals = partnership.proposals.filter(status=Proposal.Status.OPEN, kind=kind, proposed_by=by_actor)
    latest = ProposalVersion.objects.filter(proposal=OuterRef("pk")).order_by("-number").values("text")[:1]
    twin = first_alike(
        open_proposals.annotate(latest_text=Subquery(latest)).order_by("pk"), title=title, latest_text=text
    )
    if twin is not None:  # mostly the form sent again after going back in the browser
        raise AlreadyThere(
            _("The same proposal, “%(title)s”, is already open for responses.") % {"title": twin.title},
            field="title",
            url=twin.get_absolute_url(),
            link=_("Go to the proposal"),
        )
    proposal = Proposal.objects.create(
        partnership=partnership,
        title=title,
        kind=kind,
        agenda_item=agenda_item,
        phase=phase,
        proposed_by=by_actor,
        proposed_by_user=user,
        deadline=check_objection_deadline(deadline),
    )
    ProposalVersion.objects.create(proposal=proposal, number=1, text=text, amended_by=by_actor)
    when = local_moment(proposal.deadline)
    if partnership.voices_are_people:  # each colleague has a voice, and is addressed as such
        text = _("%(person)s proposes “%(title)s”. Respond by %(when)s; no response by then counts as consent.") % {
            "person": partnership.who_acted(user, by_actor),
            "title": title,
            "when": when,
        }
    else:
        text = _(
            "%(actor)s proposes “%(title)s”. Your actor responds by %(when)s; no response by then counts as consent."
        ) % {"actor": by_actor.name, "title": title, "when": when}
    notify_others(partnership, kind="proposal", text=text, url=proposal.get_absolute_url(), user=user, actor=by_actor)
    if _everyone_consents(proposal, proposal.current_version()):  # the proposer is the partnership's only member
        _settle(proposal, at=timezone.now())
    return proposal


class DeadlinePassed(ValidationError):
    pass


def settles_when_late[**P, T](function: Callable[P, T]) -> Callable[P, T]:
    """Run `function` in its own transaction; if the deadline passed meanwhile, settle the proposal (in a
    transaction of its own, so the refusal does not roll the settlement back) and re-raise the refusal."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            with transaction.atomic():
                return function(*args, **kwargs)
        except DeadlinePassed:
            proposal = kwargs["proposal"]
            assert isinstance(proposal, Proposal)
            settle_due_proposals(partnership=proposal.partnership)
            raise

    return wrapper


def _lock_open(proposal: Proposal) -> Proposal:
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status == Proposal.Status.OPEN and locked.deadline <= timezone.now():
        raise DeadlinePassed(_("The deadline has passed; the proposal can no longer be answered."), code="closed")
    if locked.status != Proposal.Status.OPEN:
        raise ValidationError(
            _("The proposal is closed (%(status)s).") % {"status": locked.get_status_display().lower()},
            code="closed",
        )
    return locked


@settles_when_late
def respond_to_proposal(
    *, user: User, proposal: Proposal, actor: Actor, version_number: int, kind: str, reason: str = ""
) -> Response:
    """One member actor's response to the version the person read. Changing it replaces it; if the proposal
    was amended meanwhile, the response is refused so that consent never attaches to unread text. Once every
    member actor consents, the proposal is decided at once: nobody is left who could object."""
    check_member(user, proposal.partnership, actor)
    if kind not in Response.Kind.values:
        raise field_refusal("kind", _("Choose consent, consent with a concern, or objection."), code="kind")
    if kind in (Response.Kind.OBJECTION, Response.Kind.CONCERN) and not reason.strip():
        raise field_refusal("reason", _("Give the reason for your objection or concern."), code="reason")
    locked = _lock_open(proposal)
    current = locked.current_version()
    if current.number != version_number:
        raise ValidationError(
            _("The proposal was amended while you answered. Read version %(n)d and respond to it.")
            % {"n": current.number},
            code="amended",
        )
    answer = {"kind": kind, "reason": reason.strip()}
    voice = {"user": user} if proposal.partnership.voices_are_people else {"actor": actor}
    # Read under the proposal's row lock, so an objection sent twice at once is told once.
    objected_before = current.responses.filter(**voice, kind=Response.Kind.OBJECTION).exists()
    if proposal.partnership.voices_are_people:
        response, _created = Response.objects.update_or_create(
            version=current, user=user, defaults={**answer, "actor": actor}
        )
    else:
        response, _created = Response.objects.update_or_create(
            version=current, actor=actor, defaults={**answer, "user": user}
        )
    if kind == Response.Kind.OBJECTION and not objected_before:
        _tell_about_objection(locked, response, objector=user)
    if _everyone_consents(locked, current):
        _settle(locked, at=timezone.now())
    return response


OBJECTION_WORDS_TOLD = 12  # of an objection's reason, in the notification that links to it


def _tell_about_objection(proposal: Proposal, response: Response, *, objector: User) -> None:
    """Tell everyone in the partnership but the objector (`notify_others`: in co-creation, the people of the other
    member actors; in employee involvement, every colleague but the person), the proposer among them, that an
    objection now stands, so the proposer can meet it with an amendment. Called once per objection: a reworded
    reason or a plain consent tells nobody. Where each person has a voice, the objector is named as members see them
    (`Partnership.name_of`); in co-creation, the objecting actor is."""
    partnership = proposal.partnership
    who = partnership.who_acted(objector, response.actor)
    start = Truncator(" ".join(response.reason.split())).words(OBJECTION_WORDS_TOLD)
    # The reason closes the text, as a comment's does: a reason that ends a sentence (“… samtidig.”) is then not
    # followed by another full stop.
    text = _(
        "%(who)s objects to “%(title)s”. While the objection stands, the proposal cannot pass; the proposer can "
        "amend it. The reason: “%(start)s”"
    ) % {"who": who, "title": proposal.title, "start": start}
    notify_others(
        partnership,
        kind=NotificationKind.PROPOSAL,
        text=text,
        url=proposal.get_absolute_url(),
        user=objector,
        actor=response.actor,
    )


def is_proposer(proposal: Proposal, *, user: User, actors: Iterable[Actor]) -> bool:
    """Whether `user`, acting for one of `actors`, made the proposal: its actor, or the very person where people
    have voices (a colleague of the proposer's does not amend or withdraw it)."""
    if proposal.partnership.voices_are_people:
        return proposal.proposed_by_user_id == user.pk
    return any(actor.pk == proposal.proposed_by_id for actor in actors)


def _everyone_consents(proposal: Proposal, version: ProposalVersion) -> bool:
    """Whether every voice has consented to `version` (a concern is consent): every member actor, or every
    person where people have voices. The proposer consents by proposing, unless they have said otherwise.
    An objection from a voice that has since gone (an actor that left, a colleague who moved on) still stands:
    such a proposal waits for its deadline, where the proposer may amend it, rather than failing early."""
    if version.responses.filter(kind=Response.Kind.OBJECTION).exists():
        return False
    if proposal.partnership.voices_are_people:
        voices = set(proposal.partnership.people().values_list("pk", flat=True))
        said: dict[int | None, str] = dict(version.responses.values_list("user_id", "kind"))
        said.setdefault(proposal.proposed_by_user_id, Response.Kind.CONSENT)
    else:
        voices = set(proposal.partnership.members.values_list("actor_id", flat=True))
        said = dict(version.responses.values_list("actor_id", "kind"))
        said.setdefault(proposal.proposed_by_id, Response.Kind.CONSENT)
    return bool(voices) and all(said.get(voice) in (Response.Kind.CONSENT, Response.Kind.CONCERN) for voice in voices)


@settles_when_late
def amend_proposal(
    *,
    user: User,
    proposal: Proposal,
    by_actor: Actor,
    text: str,
    deadline: datetime | None = None,
    based_on: int | None = None,
) -> ProposalVersion:
    """The proposing actor amends, usually to meet an objection. Earlier responses stay with the old version. An
    amendment of a version since amended (`based_on`, the version the person read: two tabs, or two people of the
    proposing actor) is refused, as is one that says what the current version says (the form sent again): either
    would ask everyone to respond anew to nothing new."""
    check_member(user, proposal.partnership, by_actor)
    locked = _lock_open(proposal)
    if not is_proposer(locked, user=user, actors=[by_actor]):
        raise PermissionDenied(gettext_lazy("Only the proposer amends the proposal."))
    if not text.strip():
        raise field_refusal("text", _("Write the proposal."), code="empty")
    current = locked.current_version()
    if based_on is not None and current.number != based_on:
        raise ValidationError(
            _("The proposal was amended while you wrote. Read version %(n)d, and amend that if it still needs it.")
            % {"n": current.number},
            code="amended",
        )
    if same_words(current.text, text):
        raise field_refusal(
            "text",
            _("The amendment says what version %(n)d says. Change the text, or leave the proposal as it is.")
            % {"n": current.number},
            code="unchanged",
        )
    number = current.number + 1
    version = ProposalVersion.objects.create(proposal=locked, number=number, text=text, amended_by=by_actor)
    if deadline is not None:
        locked.deadline = check_objection_deadline(deadline)
        locked.save(update_fields=["deadline"])
    elif locked.deadline < timezone.now() + MIN_OBJECTION_PERIOD:
        # The new version starts without responses: it gets the full period too, or it could pass on silence
        # minutes after it was written.
        locked.deadline = timezone.now() + MIN_OBJECTION_PERIOD
        locked.save(update_fields=["deadline"])
    # Nobody has answered the new version yet: those silent on it are reminded again before its deadline.
    Proposal.objects.filter(pk=locked.pk).update(reminded_at=None)
    when = local_moment(locked.deadline)
    if locked.partnership.voices_are_people:
        text = _(
            "“%(title)s” was amended (version %(n)d). Respond again by %(when)s; no response by then counts as consent."
        )
    else:
        text = _(
            "“%(title)s” was amended (version %(n)d). Your actor responds again by %(when)s; no response by then "
            "counts as consent."
        )
    notify_others(
        locked.partnership,
        kind="proposal",
        text=text % {"title": locked.title, "n": number, "when": when},
        url=locked.get_absolute_url(),
        user=user,
        actor=by_actor,
    )
    return version


@settles_when_late
def withdraw_proposal(*, user: User, proposal: Proposal, by_actor: Actor) -> Proposal:
    check_member(user, proposal.partnership, by_actor)
    locked = _lock_open(proposal)
    if not is_proposer(locked, user=user, actors=[by_actor]):
        raise PermissionDenied(gettext_lazy("Only the proposer withdraws the proposal."))
    locked.status, locked.closed_at = Proposal.Status.WITHDRAWN, timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    return locked


COMMENT_WORDS_TOLD = 12  # of a comment, in the notification that links to it


@settles_when_late
def comment_on_proposal(
    *,
    user: User,
    proposal: Proposal,
    actor: Actor,
    text: str,
    version_number: int | None = None,
    reply_to: ProposalComment | None = None,
) -> ProposalComment:
    """Any member, on behalf of one of its member actors, adds to the discussion of an open proposal: a comment on
    the version the person read (`version_number`; the current one if not given), or a reply to one (a reply to a
    reply answers the comment it replies to). The proposer is told (in employee involvement, the proposer and
    everyone who took part in the discussion), and whoever was replied to; never the person who wrote."""
    check_member(user, proposal.partnership, actor)
    text = text.strip()
    if not text:
        raise field_refusal("text", _("Write your comment."), code="empty")
    check_length(
        "text", text, COMMENT_MAX_LENGTH, _("A comment can be at most %(max)d characters; yours is %(length)d.")
    )
    if reply_to is not None and reply_to.proposal_id != proposal.pk:
        raise ValidationError(_("The comment you reply to is not in this discussion."), code="reply_to")
    # Under the proposal's row lock, as for a response: a comment never lands after the proposal was settled or
    # withdrawn.
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status == Proposal.Status.OPEN and locked.deadline <= timezone.now():
        raise DeadlinePassed(_("The deadline has passed, so the discussion of the proposal is closed."), code="closed")
    if locked.status != Proposal.Status.OPEN:
        raise ValidationError(
            _("The proposal is closed (%(status)s), and so is its discussion.")
            % {"status": locked.get_status_display().lower()},
            code="closed",
        )
    if version_number is None:
        version = locked.current_version()
    elif (found := locked.versions.filter(number=version_number).first()) is not None:
        version = found
    else:
        raise ValidationError(_("The proposal has no version %(n)d.") % {"n": version_number}, code="version")
    comment = ProposalComment.objects.create(
        proposal=locked,
        version=version,
        actor=actor,
        user=user,
        text=text,
        reply_to=(reply_to.reply_to or reply_to) if reply_to is not None else None,
    )
    _tell_about_comment(locked, comment, writer=user)
    return comment


def _tell_about_comment(proposal: Proposal, comment: ProposalComment, *, writer: User) -> None:
    """Notify those the comment concerns, as long as they still take part: the proposer's people (in employee
    involvement, the proposer and everyone who commented before) and the person replied to."""
    partnership = proposal.partnership
    told = Q(pk=comment.reply_to.user_id) if comment.reply_to is not None and comment.reply_to.user_id else Q()
    if partnership.voices_are_people:
        earlier = ProposalComment.objects.filter(proposal=proposal, user__isnull=False).exclude(pk=comment.pk)
        told |= Q(pk=proposal.proposed_by_user_id) | Q(pk__in=earlier.values("user_id"))
    else:
        told |= Q(pk__in=partnership.people(through=[proposal.proposed_by]).values("pk"))
    who = partnership.who_acted(writer, comment.actor)
    users = partnership.people().filter(told).exclude(pk=writer.pk)
    start = Truncator(" ".join(comment.text.split())).words(COMMENT_WORDS_TOLD)
    notify(
        users,
        kind=NotificationKind.PROPOSAL,
        text=_("%(who)s wrote in the discussion of “%(title)s”: “%(start)s”")
        % {"who": who, "title": proposal.title, "start": start},
        url=comment.get_absolute_url(),
    )


def _settle(proposal: Proposal, *, at: datetime | None = None) -> Decision | None:
    """Close a proposal whose deadline has passed (or, `at`, that every member actor consented to): it passes
    unless an objection stands on its latest version, and its agenda item, if any, is then dealt with. Must be
    called with the proposal's row locked."""
    version = proposal.current_version()
    objections = version.responses.filter(kind=Response.Kind.OBJECTION).exists()
    proposal.status = Proposal.Status.NOT_PASSED if objections else Proposal.Status.PASSED
    proposal.closed_at = at or proposal.deadline
    proposal.save(update_fields=["status", "closed_at"])
    if objections:
        notify_members(
            proposal.partnership,
            kind="decision",
            text=_("“%(title)s” did not pass: an objection stood.") % {"title": proposal.title},
            url=proposal.get_absolute_url(),
        )
        return None
    decision = Decision.objects.create(
        partnership=proposal.partnership,
        proposal=proposal,
        version=version,
        text=version.text,
        initiated_by=proposal.proposed_by,
        decided_at=at or proposal.deadline,
    )
    if proposal.agenda_item is not None:  # the decision deals with the item the proposal was about
        deal_with_by_decision(item=proposal.agenda_item, at=decision.decided_at)
    if proposal.kind == Proposal.Kind.GROUND_RULES:
        GroundRules.objects.update_or_create(
            partnership=proposal.partnership, defaults={"text": version.text, "decided_by": decision}
        )
    proposal_passed.send(sender=Proposal, proposal=proposal, decision=decision)
    notify_members(
        proposal.partnership,
        kind="decision",
        text=_("Decided by consent: “%(title)s”.") % {"title": proposal.title},
        url=reverse("partnerships:decisions", args=[proposal.partnership_id]),
    )
    return decision


def settle_due_proposals(*, partnership: Partnership | None = None) -> int:
    """Settle every open proposal whose deadline has passed. Safe to run often and concurrently."""
    due = Proposal.objects.filter(status=Proposal.Status.OPEN, deadline__lte=timezone.now())
    if partnership is not None:
        due = due.filter(partnership=partnership)
    settled = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            locked = Proposal.objects.select_for_update().get(pk=pk)
            if locked.status == Proposal.Status.OPEN and locked.deadline <= timezone.now():
                _settle(locked)
                settled += 1
    return settled


def decision_title(decision: Decision) -> str:
    """What a log entry is about: its proposal's title; for a correction, the title of the entry it corrects in
    the end; for an entry made without a proposal, its opening words."""
    while decision.corrects is not None:
        decision = decision.corrects
    return decision.proposal.title if decision.proposal is not None else Truncator(decision.text).words(8)


CORRECTION_WORDS_TOLD = 12  # of a correction, in the notification that links to it


@transaction.atomic
def correct_decision(*, user: User, decision: Decision, by_actor: Actor, text: str) -> Decision:
    """Any member puts right a mistake in the record of a decision (a wrong date, a name, a typing slip) with a new
    log entry that points to the one it corrects; the log itself never changes. A correction cannot change what was
    decided: that takes a proposal, decided by consent. As no consent round stands behind it, nobody corrects
    unseen: the entry records the member actor and the person who recorded it, everyone else taking part is told
    who corrected which entry and how it now reads, and the log shows the text corrected beside the correction."""
    check_member(user, decision.partnership, by_actor)
    text = text.strip()
    if not text:
        raise field_refusal("text", _("Write the correction."), code="empty")
    if text == decision.text.strip():
        raise field_refusal(
            "text", _("The correction reads just as the entry does. Change what is wrong in it."), code="unchanged"
        )
    partnership = decision.partnership
    correction = Decision.objects.create(
        partnership=partnership,
        text=text,
        initiated_by=by_actor,
        initiated_by_user=user,
        corrects=decision,
        decided_at=timezone.now(),
    )
    start = Truncator(" ".join(text.split())).words(CORRECTION_WORDS_TOLD)
    notify(
        partnership.people().exclude(pk=user.pk),
        kind=NotificationKind.DECISION,
        text=_(
            "%(who)s corrected the decision log's entry “%(title)s” of %(when)s. A correction puts right a mistake "
            "in the record, not what was decided. It now reads: “%(start)s”"
        )
        % {
            "who": partnership.who_acted(user, by_actor),
            "title": decision_title(decision),
            "when": local_moment(decision.decided_at),
            "start": start,
        },
        url=reverse("partnerships:decisions", args=[partnership.pk]) + f"#decision-{correction.pk}",
    )
    return correction


def remind_deadlines(*, within: timedelta = timedelta(hours=24)) -> int:
    """Remind the people of member actors that have not responded when a proposal's deadline is near.
    Each proposal is reminded once. Returns how many proposals were reminded."""
    now = timezone.now()
    due = Proposal.objects.filter(
        status=Proposal.Status.OPEN,
        deadline__gt=now,
        deadline__lte=now + within,
        reminded_at__isnull=True,
        # A proposal made with a deadline a day away has just told everyone; a reminder would only repeat it.
        created_at__lte=now - within / 2,
    )
    reminded = 0
    for proposal in due.select_related("partnership"):
        with transaction.atomic():
            # Claim the reminder first, so two runs at once send it once.
            if not Proposal.objects.filter(pk=proposal.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            responses = proposal.current_version().responses
            when = local_moment(proposal.deadline)
            if proposal.partnership.voices_are_people:
                # (A response whose person has since left has no user: NOT IN must not meet a NULL.)
                answered_by = responses.filter(user__isnull=False).values("user_id")
                users = proposal.partnership.people().exclude(pk__in=answered_by)
                if proposal.proposed_by_user_id is not None:  # consents by proposing
                    users = users.exclude(pk=proposal.proposed_by_user_id)
                text = _("The deadline for “%(title)s” is %(when)s. You have not responded; silence counts as consent.")
            else:
                answered = set(responses.values_list("actor_id", flat=True)) | {proposal.proposed_by_id}  # by proposing
                silent = proposal.partnership.members.exclude(actor_id__in=answered).values_list("actor_id", flat=True)
                users = proposal.partnership.people(through=silent)
                text = _(
                    "The deadline for “%(title)s” is %(when)s. Your actor has not responded; silence counts as consent."
                )
            notify(
                users,
                kind="deadline",
                text=text % {"title": proposal.title, "when": when},
                url=proposal.get_absolute_url(),
            )
            reminded += 1
    return reminded
