"""Every write to surveys, waves, invitations and responses goes through here, and so does every read of
results: `safe_results` is the one function that turns responses into numbers anyone may see. The results
page, the exports, the API and the municipality's dashboard all call it, so they obey the same rules:

- nothing from a wave until it has closed (watching a mean move as people answer would reveal each answer);
- no aggregate for fewer respondents than the threshold (`SURVEY_MIN_RESPONDENTS`, 5 by default, never
  less, raised per scale or item by the instrument; free text and shares take at least 10);
- no sector rows whose shown parts leave a small remainder of the wave's total (total minus parts would reveal
  it), nor add up to a hidden total or to the total while a part is hidden (it would say that nobody from that
  part answered), per wave and again per scale (`_disclose`);
- no two shown reports whose people differ by fewer than the threshold (`scoring.safe_to_show`; by who answered
  where that is known, else by counts), across the rounds of this survey and of every survey with a scale or
  question of the same id in the same partnership or answered by some of the same people (`comparable_surveys`):
  the same people mostly answer every round, and two surveys started together, one with the leader and one
  without, differ by the leader alone; rounds are decided in the order they closed, so a report once shown stays
  shown and the later one gives way;
- in a co-creation partnership, a row in every wave for every sector someone could answer from, whether anyone
  did or not;
- free text only for whole waves at or above the threshold, in sorted order;
- only answers written as responses: a submission waits in a pool until at least the threshold are there to
  be written together in random order, and a round is written once more when it closes (`submit_response`,
  `mix_closed_rounds`), so the order of rows says nothing of who answered which.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from samskab.actors.models import Actor, Membership, Municipality, Sector
from samskab.lib.forms import field_refusal
from samskab.lib.text import local_moment
from samskab.partnerships.models import Partnership, PartnershipMember
from samskab.partnerships.permissions import NOT_FOR_COLLEAGUES
from samskab.partnerships.services.core import check_open

from . import scoring
from .instruments import Instrument, get_instrument
from .models import Answer, Invitation, Participation, PooledResponse, Response, Survey, Wave, hash_token
from .permissions import check_runs, municipal_actor_led_by

if TYPE_CHECKING:
    from samskab.accounts.models import User

TEXT_MAX_LENGTH = 2000
REMINDER_INTERVAL = timedelta(hours=24)  # between two rounds of invitation emails for one wave
NO_SCORE = "na"  # the form value of a non-scored option such as "Don't know"


# --- thresholds -------------------------------------------------------------------------------------------


def base_threshold() -> int:
    """The site's anonymity threshold: the setting, never below COPSOQ's 5."""
    return max(scoring.MIN_THRESHOLD, int(getattr(settings, "SURVEY_MIN_RESPONDENTS", scoring.MIN_THRESHOLD)))


def scale_threshold(instrument: Instrument, scale_id: str) -> int:
    return max(base_threshold(), instrument.min_respondents(scale=scale_id))


def item_threshold(instrument: Instrument, item_id: str) -> int:
    return max(base_threshold(), instrument.min_respondents(item=item_id))


# --- surveys and waves ------------------------------------------------------------------------------------


def _check_instrument(instrument_id: str, instrument_version: int | None, level: str) -> Instrument:
    try:
        instrument = get_instrument(instrument_id, instrument_version)
    except KeyError:
        raise ValidationError(_("Choose one of the instruments Samskab offers."), code="instrument") from None
    if not level:
        return instrument
    if level not in instrument.levels:  # a length would drop whole scales of any other questionnaire
        raise ValidationError(
            {
                "level": ValidationError(
                    _("Only COPSOQ comes in a short, middle and long version: choose all questions for this one."),
                    code="level",
                )
            }
        )
    return instrument.at_level(level)


def _check_dates(opens_at: datetime, closes_at: datetime) -> None:
    if closes_at <= opens_at:
        raise ValidationError(_("A round must close after it opens."), code="dates")


DUPLICATE_WINDOW = timedelta(minutes=10)  # a second identical survey by the same person this soon is a double click


class AlreadyCreated(Exception):
    """What was asked for exists already, made a moment ago (a form sent twice): `existing` is it."""

    def __init__(self, message: str, existing: Survey | Wave) -> None:
        super().__init__(message)
        self.message = message
        self.existing = existing


def _lock_person(user: User) -> None:
    """Serialises one person's creations, so a form sent twice at once makes one survey, not two."""
    from samskab.accounts.models import User

    User.objects.select_for_update().filter(pk=user.pk).first()


def _check_not_just_created(
    user: User, surveys: Any, title: str, instrument: Instrument, level: str, **wave: Any
) -> None:
    """AlreadyCreated when `user` created the same survey (title, questionnaire, first round) moments ago."""
    since = timezone.now() - DUPLICATE_WINDOW
    for existing in surveys.filter(created_by=user, created_at__gte=since, title=title).prefetch_related("waves"):
        first = next(iter(existing.waves.all()), None)
        same = (existing.instrument_id, existing.instrument_version, existing.level) == (
            instrument.id,
            instrument.version,
            level,
        )
        if same and first is not None and all(getattr(first, k) == v for k, v in wave.items()):
            raise AlreadyCreated(
                _("You started the survey “%(title)s” a moment ago, and this is it: no second one was made.")
                % {"title": existing.title},
                existing,
            )


@transaction.atomic
def create_survey(
    *,
    user: User,
    actor: Actor,
    partnership: Partnership,
    title: str,
    instrument_id: str,
    instrument_version: int | None = None,
    level: str = "",
    wave_kind: str = Wave.Kind.BASELINE,
    opens_at: datetime,
    closes_at: datetime,
    leaders_answer: bool = True,
) -> Survey:
    """Any member, of any sector, starts a survey in the partnership with its first round. Without
    `leaders_answer`, the administrators of the member actors are not asked (see `invitees`)."""
    if not partnership.takes_part_through(user, actor):
        raise PermissionDenied(gettext_lazy("Only members of the partnership may do this."))
    if not actor.has_member(user):  # a colleague in employee involvement answers surveys; those who act run them
        raise PermissionDenied(NOT_FOR_COLLEAGUES)
    check_open(partnership)  # a closed partnership takes nothing new; rounds planned before it closed run on
    instrument = _check_instrument(instrument_id, instrument_version, level)
    _check_dates(opens_at, closes_at)
    _lock_person(user)
    _check_not_just_created(
        user,
        partnership.surveys.filter(leaders_answer=leaders_answer),
        title,
        instrument,
        level,
        kind=wave_kind,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    survey = Survey.objects.create(
        partnership=partnership,
        title=title,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        level=level,
        leaders_answer=leaders_answer,
        created_by=user,
    )
    Wave.objects.create(survey=survey, kind=wave_kind, opens_at=opens_at, closes_at=closes_at)
    return survey


@transaction.atomic
def create_community_survey(
    *,
    user: User,
    municipality: Municipality,
    neighbourhood: str,
    title: str,
    instrument_id: str = "community-trust",
    instrument_version: int | None = None,
    public_link: bool = True,
    wave_kind: str = Wave.Kind.BASELINE,
    opens_at: datetime,
    closes_at: datetime,
) -> Survey:
    """People in the municipality's own actors ask a neighbourhood's citizens, usually through an open link. The
    actor they administer runs it (`permissions.may_run`), not every municipal unit's leaders."""
    actor = municipal_actor_led_by(user, municipality)
    if actor is None:
        raise PermissionDenied(gettext_lazy("Only administrators of the municipality's own actors may do this."))
    instrument = _check_instrument(instrument_id, instrument_version, "")
    _check_dates(opens_at, closes_at)
    _lock_person(user)
    _check_not_just_created(
        user,
        Survey.objects.filter(municipality=municipality, partnership__isnull=True, neighbourhood=neighbourhood),
        title,
        instrument,
        "",
        kind=wave_kind,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    survey = Survey.objects.create(
        municipality=municipality,
        actor=actor,
        neighbourhood=neighbourhood,
        title=title,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        public_link=public_link,
        created_by=user,
    )
    Wave.objects.create(survey=survey, kind=wave_kind, opens_at=opens_at, closes_at=closes_at)
    return survey


def set_public_link(*, user: User, survey: Survey, is_open: bool) -> Survey:
    """Open a community survey's link, or close it (no new answers through it; the results stay)."""
    if not survey.is_community:
        raise ValidationError(_("Only a community survey has an open link."), code="not_community")
    check_runs(user, survey)
    Survey.objects.filter(pk=survey.pk).update(public_link=is_open)
    survey.public_link = is_open
    return survey


@transaction.atomic
def add_wave(*, user: User, survey: Survey, kind: str, opens_at: datetime, closes_at: datetime) -> Wave:
    """A new round. The same round twice (same opening and closing: a form sent twice) is AlreadyCreated."""
    check_runs(user, survey)
    if survey.partnership is not None:
        check_open(survey.partnership)
    _check_dates(opens_at, closes_at)
    Survey.objects.select_for_update().filter(pk=survey.pk).first()  # two sends at once: the second finds the first
    existing = survey.waves.filter(opens_at=opens_at, closes_at=closes_at).first()
    if existing is not None:
        raise AlreadyCreated(
            _("The survey already has this round (%(round)s): no second one was added.") % {"round": existing.label},
            existing,
        )
    overlapping = _overlapping(survey, opens_at, closes_at)
    if overlapping is not None:
        raise field_refusal(
            "opens_at",
            _(
                "The round would run at the same time as %(round)s, open from %(opens)s to %(closes)s: those invited "
                "to both would answer the same questions twice at once. Let it open when that round has closed."
            )
            % _round_times(overlapping),
            code="overlap",
        )
    return Wave.objects.create(survey=survey, kind=kind, opens_at=opens_at, closes_at=closes_at)


def _overlapping(
    survey: Survey, opens_at: datetime, closes_at: datetime, *, other_than: Wave | None = None
) -> Wave | None:
    """The first of the survey's rounds open at some moment between `opens_at` and `closes_at`: rounds follow one
    another, so each answer belongs to one of them and a change between rounds is a change over time."""
    rounds = survey.waves.filter(opens_at__lt=closes_at, closes_at__gt=opens_at).order_by("opens_at")
    return (rounds.exclude(pk=other_than.pk) if other_than is not None else rounds).first()


def _round_times(wave: Wave) -> dict[str, str]:
    return {"round": wave.label, "opens": local_moment(wave.opens_at), "closes": local_moment(wave.closes_at)}


def _has_answers(waves: Any) -> bool:
    """Whether anyone has answered any of `waves`, in any way (a pooled answer and a used link count)."""
    return (
        Response.objects.filter(wave__in=waves).exists()
        or PooledResponse.objects.filter(wave__in=waves).exists()
        or Participation.objects.filter(wave__in=waves, answered=True).exists()
        or Invitation.objects.filter(wave__in=waves, used_at__isnull=False).exists()
    )


def _tell_invited(waves: Any, survey: Survey, text: str, url: str) -> None:
    """Tell everyone given a personal link to `waves`, answered or not (the same words for all), as a
    notification; a community survey's people answered without an account."""
    from samskab.accounts.models import NotificationKind, User
    from samskab.accounts.notifications import notify

    people = User.objects.filter(survey_participations__wave__in=waves).distinct()
    notify(people, kind=NotificationKind.SURVEY_RESULTS, text=text, url=url)


@transaction.atomic
def change_closing(*, user: User, wave: Wave, closes_at: datetime, now: datetime | None = None) -> Wave:
    """Move a round's closing, later or earlier, while it has not closed; never into the past or before it opens.
    Those given a personal link are told."""
    survey = wave.survey
    check_runs(user, survey)
    now = now or timezone.now()
    locked = Wave.objects.select_for_update().get(pk=wave.pk)
    if locked.is_closed(now):
        raise ValidationError(_("The round has closed: its closing can no longer be moved."), code="closed")
    if closes_at <= now:
        raise ValidationError(
            {"closes_at": ValidationError(_("Choose a time in the future: a round cannot close in the past."))}
        )
    if closes_at <= locked.opens_at:
        raise ValidationError({"closes_at": ValidationError(_("A round must close after it opens."))})
    if closes_at == locked.closes_at:
        return locked
    overlapping = _overlapping(survey, locked.opens_at, closes_at, other_than=locked)
    if overlapping is not None:
        raise field_refusal(
            "closes_at",
            _(
                "The round would then run into %(round)s, open from %(opens)s to %(closes)s. Let it close before that "
                "round opens."
            )
            % _round_times(overlapping),
            code="overlap",
        )
    later = closes_at > locked.closes_at
    locked.closes_at = closes_at
    locked.save(update_fields=["closes_at"])
    names = {"round": locked.label, "title": survey.title, "closes": local_moment(closes_at)}
    text = (
        _("The round %(round)s of the survey “%(title)s” is extended: it now closes %(closes)s.")
        if later
        else _("The round %(round)s of the survey “%(title)s” now closes earlier: %(closes)s.")
    ) % names
    _tell_invited([locked.pk], survey, text, survey.get_absolute_url())
    return locked


@transaction.atomic
def cancel_wave(*, user: User, wave: Wave) -> None:
    """Cancel a round nobody has answered: it is deleted with its links, and those given one are told. The only
    round of a survey is cancelled with the survey (`cancel_survey`)."""
    survey = wave.survey
    check_runs(user, survey)
    Survey.objects.select_for_update().filter(pk=survey.pk).first()
    if _has_answers([wave.pk]):
        raise ValidationError(_("Someone has answered this round, so it can no longer be cancelled."), code="answered")
    if not survey.waves.exclude(pk=wave.pk).exists():
        raise ValidationError(_("This is the survey's only round: cancel the survey instead."), code="only_round")
    text = _("The round %(round)s of the survey “%(title)s” is cancelled: the link you were given no longer works.")
    _tell_invited([wave.pk], survey, text % {"round": wave.label, "title": survey.title}, survey.get_absolute_url())
    wave.delete()


@transaction.atomic
def cancel_survey(*, user: User, survey: Survey) -> None:
    """Cancel a survey nobody has answered: it is deleted with its rounds and links, and those given one are
    told (with a link to the partnership's surveys)."""
    check_runs(user, survey)
    Survey.objects.select_for_update().filter(pk=survey.pk).first()
    waves = list(survey.waves.values_list("pk", flat=True))
    if _has_answers(waves):
        raise ValidationError(_("Someone has answered this survey, so it can no longer be cancelled."), code="answered")
    if survey.partnership_id is not None:
        text = _("The survey “%(title)s” is cancelled: the link you were given no longer works.")
        url = reverse("surveys:list", kwargs={"pk": survey.partnership_id})
        _tell_invited(waves, survey, text % {"title": survey.title}, url)
    survey.delete()


# --- invitations ------------------------------------------------------------------------------------------


def invitees(survey: Survey) -> Any:
    """The people who may answer a partnership survey (`people_asked`)."""
    from samskab.accounts.models import User

    if survey.partnership is None:
        return User.objects.none()
    return people_asked(survey.partnership, leaders_answer=survey.leaders_answer)


def people_asked(partnership: Partnership, *, leaders_answer: bool) -> Any:
    """Everyone taking part in the partnership (`Partnership.people`); without `leaders_answer`, not the actors'
    administrators, so a leader never rates their own leadership."""
    people = partnership.people()
    if not leaders_answer:
        leaders = Membership.objects.filter(
            actor__partnership_memberships__partnership=partnership, role=Membership.Role.ADMIN
        ).values("user")
        people = people.exclude(pk__in=leaders)
    return people


def left_to_answer(wave: Wave) -> Any:
    """The people asked who have not answered the round: whom invitations and reminders go to."""
    answered = wave.participations.filter(answered=True).values("user_id")
    return invitees(wave.survey).exclude(pk__in=answered)


def _sector_of(user: User, survey: Survey) -> str:
    if survey.partnership is None:
        return ""
    actor = survey.partnership.member_actors_of(user).order_by("pk").first()
    return actor.sector if actor is not None else ""


def _check_answerable(wave: Wave, now: datetime | None = None) -> None:
    if wave.is_closed(now):
        raise ValidationError(_("This round of the survey has closed."), code="closed")


@transaction.atomic
def invite(*, user: User, wave: Wave) -> int:
    """Email everyone who may answer and has not: first invitations and reminders alike.

    Tokens are made in the task, one per person, so the raw token never rests in the task queue's table.
    Returns how many people are written to.
    """
    survey = wave.survey
    check_runs(user, survey)
    if survey.is_community:
        raise ValidationError(_("A community survey is answered through its open link."), code="community")
    _check_answerable(wave)
    now = timezone.now()
    # Locked, so two clicks at once send one round of emails; a reminder waits a day after the last one.
    invited_at = Wave.objects.select_for_update().values_list("invited_at", flat=True).get(pk=wave.pk)
    if invited_at is not None and now < invited_at + REMINDER_INTERVAL:
        raise ValidationError(
            _(
                "Invitations were emailed %(sent)s. A reminder can be sent from %(next)s, so nobody gets the same "
                "email twice in a day and the links just sent keep working."
            )
            % {"sent": local_moment(invited_at), "next": local_moment(invited_at + REMINDER_INTERVAL)},
            code="too_soon",
        )
    people = list(left_to_answer(wave).values_list("pk", flat=True))
    if not people:
        raise ValidationError(
            _("Everyone asked has answered this round: there is nobody to remind."), code="all_answered"
        )
    Wave.objects.filter(pk=wave.pk).update(invited_at=now)
    wave.invited_at = now
    from .tasks import send_survey_invitation

    reminder = invited_at is not None
    for person in people:
        transaction.on_commit(partial(send_survey_invitation.enqueue, wave.pk, person, reminder))
    return len(people)


LEADERS_NOT_ASKED = gettext_lazy(
    "This survey does not ask the leaders (the administrators of the member actors): it measures how the staff see "
    "things, so a leader's own answers never count in their staff's results."
)
NOT_ASKED = gettext_lazy("Only the people of the partnership's member actors may answer.")
MAX_OPEN_LINKS = 20  # unused personal links one person may hold for a round; the oldest beyond go


@transaction.atomic
def issue_invitation(*, wave: Wave, user: User, now: datetime | None = None) -> str:
    """A fresh one-time token for `user` to answer `wave`. Their earlier unused tokens keep working (the emailed
    link opened on a phone while "Answer now" was pressed at a desk): whichever is used first spends them all.

    Raises PermissionDenied for people not asked (outside the partnership, or a leader where leaders do not
    answer) and ValidationError when they have answered or the round has closed.
    """
    survey = wave.survey
    if survey.is_community:
        raise PermissionDenied(NOT_ASKED)
    if not invitees(survey).filter(pk=user.pk).exists():
        leader = (
            not survey.leaders_answer
            and survey.partnership is not None
            and survey.partnership.people().filter(pk=user.pk).exists()
        )
        if leader:
            raise PermissionDenied(LEADERS_NOT_ASKED)
        raise PermissionDenied(NOT_ASKED)
    _check_answerable(wave, now)
    participation, _created = Participation.objects.select_for_update().get_or_create(wave=wave, user=user)
    if participation.answered:
        raise ValidationError(_("You have already answered this round. Thank you!"), code="answered")
    token = secrets.token_urlsafe(32)
    Invitation.objects.create(
        wave=wave, token_hash=hash_token(token), sector=_sector_of(user, survey), participation=participation
    )
    surplus = participation.invitations.filter(used_at__isnull=True).order_by("-pk")[MAX_OPEN_LINKS:]
    Invitation.objects.filter(pk__in=list(surplus.values_list("pk", flat=True))).delete()
    return token


@transaction.atomic
def issue_open_invitation(*, wave: Wave, now: datetime | None = None) -> str:
    """A one-time token for a browser that opened a community survey's open link."""
    if not wave.survey.public_link:
        raise PermissionDenied
    _check_answerable(wave, now)
    token = secrets.token_urlsafe(32)
    Invitation.objects.create(wave=wave, token_hash=hash_token(token), channel=Invitation.Channel.OPEN_LINK)
    return token


USED = gettext_lazy(
    "You have already answered this round, with this link or another one you were given. Each person answers once, "
    "and the answers sent first are the ones kept."
)


class TokenProblem(ValidationError):
    """The token cannot be used: `code` is unknown, used, not_open or closed."""

    def __init__(self, message: str, *, code: str, invitation: Invitation | None = None) -> None:
        super().__init__(message, code=code)
        self.invitation = invitation


def check_token(token: str, now: datetime | None = None) -> Invitation:
    """The unused invitation for `token` whose round is open, or TokenProblem saying why not."""
    invitation = (
        Invitation.objects.select_related("wave__survey__partnership").filter(token_hash=hash_token(token)).first()
    )
    if invitation is None:
        raise TokenProblem(
            _(
                "This link is not valid. Check that you copied all of it. A link also stops working when its round "
                "or survey is cancelled."
            ),
            code="unknown",
        )
    if invitation.used_at is not None:
        raise TokenProblem(str(USED), code="used", invitation=invitation)
    wave = invitation.wave
    now = now or timezone.now()
    if now < wave.opens_at:
        raise TokenProblem(_("This round of the survey has not opened yet."), code="not_open", invitation=invitation)
    if wave.is_closed(now):
        raise TokenProblem(
            _("This round of the survey has closed, so answers can no longer be sent. Nothing was saved."),
            code="closed",
            invitation=invitation,
        )
    return invitation


def clean_answers(instrument: Instrument, raw: Mapping[str, Any]) -> dict[str, tuple[float | None, str]]:
    """Item id -> (value, text) for the answered items; ValidationError per item for anything outside the scale.

    A choice item takes one of its options' values (as a number or text) or `NO_SCORE` for a non-scored
    option; a text item takes text. Empty or missing means unanswered.
    """
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, tuple[float | None, str]] = {}
    known = {item.id for item in instrument.items}
    for item_id in raw:
        if item_id not in known:
            errors.setdefault("__all__", []).append(_("The survey has no question %(id)s.") % {"id": item_id})
    for item in instrument.items:
        value = raw.get(item.id)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if item.type == "text":
            text = str(value).strip()
            if len(text) > TEXT_MAX_LENGTH:
                errors[item.id] = [_("Write at most %(max)d characters.") % {"max": TEXT_MAX_LENGTH}]
            else:
                cleaned[item.id] = (None, text)
            continue
        options = instrument.response_scale(item.response_scale or "").options
        allowed = {o.value for o in options if o.value is not None}
        if str(value) == NO_SCORE and any(o.value is None for o in options):
            cleaned[item.id] = (None, "")
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = float("nan")
        if number not in allowed:
            shown = ", ".join(f"{v:g}" for v in sorted(allowed))
            errors[item.id] = [
                _("%(value)s is not an answer to this question. Choose one of: %(allowed)s.")
                % {"value": value, "allowed": shown}
            ]
            continue
        cleaned[item.id] = (number, "")
    if errors:
        raise ValidationError(errors)
    if not cleaned:
        raise ValidationError(_("Answer at least one question before you send your answers."), code="empty")
    return cleaned


@transaction.atomic
def submit_response(*, token: str, answers: Mapping[str, Any], now: datetime | None = None) -> PooledResponse:
    """Use the token and keep the answers, or keep nothing.

    One transaction: the person's participation is locked and the token marked used by a conditional update, so
    two submissions racing with the same token, or with two of one person's tokens, cannot both count, and a
    refusal after that point rolls the mark back too. The person's other tokens for the round are spent with it.

    The answers go into the round's pool, without the token, the person or more than the day, and are written as
    responses only once at least the threshold are pooled, all together in random order (`_mix_in`): the order of
    the rows, or the transaction that wrote them, does not say who answered which.
    """
    now = now or timezone.now()
    invitation = check_token(token, now)
    wave = invitation.wave
    cleaned = clean_answers(wave.survey.instrument, answers)
    day = scoring.coarsen_timestamp(now, "day")
    midnight = timezone.make_aware(datetime.combine(day, time()), scoring.COPENHAGEN)
    participation = None
    if invitation.participation_id is not None:
        participation = Participation.objects.select_for_update().filter(pk=invitation.participation_id).first()
        if participation is not None and participation.answered:
            raise TokenProblem(str(USED), code="used", invitation=invitation)
    unused = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True)
    used = unused.update(used_at=midnight, participation=None)
    if not used:
        raise TokenProblem(str(USED), code="used", invitation=invitation)
    if participation is not None:
        # Who answered is kept for reminders; the person's tokens for the round are spent and point at nobody.
        participation.invitations.update(used_at=midnight, participation=None)
        Participation.objects.filter(pk=participation.pk).update(answered=True)
    pooled = PooledResponse.objects.create(
        wave=wave,
        sector=invitation.sector,
        submitted_on=day,
        answers={item_id: [value, text] for item_id, (value, text) in cleaned.items()},
    )
    _mix_in(wave, at_least=base_threshold())
    return pooled


_random = secrets.SystemRandom()  # the order answers are written in: unpredictable, so it tells nothing


def _mix_in(wave: Wave, *, at_least: int) -> int:
    """Write the round's pooled answers as responses, in random order, once at least `at_least` are pooled (1: all
    that are). Inside the caller's transaction, with the round's row locked, so two submissions cannot both
    write the same pool. Returns how many were written."""
    Wave.objects.select_for_update().filter(pk=wave.pk).first()
    pooled = list(PooledResponse.objects.filter(wave=wave))
    if not pooled or len(pooled) < at_least:
        return 0
    _random.shuffle(pooled)
    _write(wave, [(p.sector, p.submitted_on, {k: (v[0], v[1]) for k, v in p.answers.items()}) for p in pooled])
    PooledResponse.objects.filter(pk__in=[p.pk for p in pooled]).delete()
    return len(pooled)


def _write(wave: Wave, rows: Sequence[tuple[str, date, Mapping[str, tuple[float | None, str]]]]) -> None:
    """Responses and their answers, in the order given, in one statement each."""
    created = Response.objects.bulk_create(Response(wave=wave, sector=s, submitted_on=on) for s, on, _a in rows)
    Answer.objects.bulk_create(
        Answer(response=response, item_id=item_id, value=value, text=text)
        for response, (_s, _on, cleaned) in zip(created, rows, strict=True)
        for item_id, (value, text) in cleaned.items()
    )


def mix_closed_rounds(*, waves: Iterable[int] | None = None, now: datetime | None = None) -> int:
    """Settle the closed rounds (of `waves`) whose answers have not been mixed since they closed: the last pooled
    answers are mixed in, however few, and then every response of the round is written once more, all in one
    transaction and in random order, so that a last small batch cannot be singled out by when, or in which order,
    it was written. Once per round (`Wave.mixed_at`), claimed by a conditional update; only rounds someone answered
    through a link (answers loaded from paper are nobody's, and no link was used). Runs before any results are read
    (`safe_results`) and from the scheduled `announce_survey_results`. Returns how many rounds it settled."""
    now = now or timezone.now()
    due = Wave.objects.filter(closes_at__lte=now, mixed_at__isnull=True, invitations__used_at__isnull=False)
    if waves is not None:
        due = due.filter(pk__in=list(waves))
    due = due.distinct()
    settled = 0
    for wave in due:
        with transaction.atomic():
            if not Wave.objects.filter(pk=wave.pk, mixed_at__isnull=True).update(mixed_at=now):
                continue
            _mix_in(wave, at_least=1)
            responses = list(Response.objects.filter(wave=wave).prefetch_related("answers"))
            if len(responses) > 1:
                _random.shuffle(responses)
                rows = [
                    (r.sector, r.submitted_on, {a.item_id: (a.value, a.text) for a in r.answers.all()})
                    for r in responses
                ]
                Response.objects.filter(pk__in=[r.pk for r in responses]).delete()
                _write(wave, rows)
            settled += 1
    return settled


def answers_waiting(wave: Wave) -> bool:
    """Whether some answers to the round wait in the pool to be mixed in: said on the page without a count, which
    would tell when each came."""
    return PooledResponse.objects.filter(wave=wave).exists()


@transaction.atomic
def import_responses(*, wave: Wave, responses: Iterable[Mapping[str, Any]], on: date, sector: str = "") -> int:
    """Answers collected outside Samskab (paper questionnaires) or the demo's synthetic ones, validated like
    any other answer and dated `on`. No token and no participation: nobody is recorded as having answered."""
    instrument = wave.survey.instrument
    rows = []
    for answers in responses:
        answers = dict(answers)
        row_sector = answers.pop("_sector", sector)
        rows.append((row_sector, clean_answers(instrument, answers)))  # every row is checked before any is saved
    _write(wave, [(row_sector, on, cleaned) for row_sector, cleaned in rows])
    return len(rows)


# --- closing rounds ---------------------------------------------------------------------------------------


def announce_results(*, survey: Survey | None = None, now: datetime | None = None) -> int:
    """Tell the people of a partnership that a round of its survey has closed: its results are ready, or they are
    withheld to protect anonymity (too few answered, or the round is too close to another). Exactly once per
    round, however many processes settle it at once. A round closes by its time alone, so this runs from the
    scheduled `announce_survey_results` command, and the survey's pages settle their own survey on the way.
    Returns how many rounds were announced.

    Everyone in the member actors is told, those who answered and those who did not alike (and leaders left out
    of a staff survey, who may read its results), so the notice says nothing about who answered. Community
    surveys are answered without an account: nobody to tell.
    """
    now = now or timezone.now()
    due = Wave.objects.filter(closes_at__lte=now, results_announced_at__isnull=True, survey__partnership__isnull=False)
    if survey is not None:
        due = due.filter(survey=survey)
    announced = 0
    for wave_pk in due.values_list("pk", flat=True):
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            # Claimed by a conditional update before anyone is told: of two processes settling the round at once,
            # the second's update waits for the first to commit and then finds the round claimed. A failure
            # below rolls the claim back, so the round is tried again next time.
            if not Wave.objects.filter(pk=wave_pk, results_announced_at__isnull=True).update(results_announced_at=now):
                continue
            _announce(Wave.objects.select_related("survey__partnership").get(pk=wave_pk), now)
            announced += 1
    return announced


def _announce(wave: Wave, now: datetime) -> None:
    from samskab.accounts.models import NotificationKind
    from samskab.accounts.notifications import notify

    survey = wave.survey
    if survey.partnership is None:  # a community survey: answered without accounts, nobody to tell
        return
    results = safe_results(survey, now=now)
    everyone = next(g for g in results.groups if g.key == f"w{wave.pk}")
    names = {"title": survey.title, "round": wave.label, "k": results.threshold}
    if not everyone.hidden:
        message = _("The round %(round)s of the survey “%(title)s” has closed, and its results are ready.")
    elif everyone.respondents < results.threshold:
        message = _(
            "The round %(round)s of the survey “%(title)s” has closed with fewer than %(k)d answers, so its "
            "results are not shown: that protects the anonymity of those who answered."
        )
    else:
        message = _(
            "The round %(round)s of the survey “%(title)s” has closed. Its results are not shown, because the people "
            "who answered it are too close to those of another round, of this survey or of one with the same "
            "questions: comparing the two could reveal someone's answers."
        )
    text = message % names
    url = reverse("surveys:results", kwargs={"pk": survey.pk})
    notify(survey.partnership.people(), kind=NotificationKind.SURVEY_RESULTS, text=text, url=url)


# --- following the results up -----------------------------------------------------------------------------


FOLLOW_UP_WORDS_TOLD = 20  # of the follow-up, in the notification that links to it


@transaction.atomic
def follow_up_round(*, user: User, wave: Wave, text: str, seen: str | None = None) -> Wave:
    """Those who run the survey answer a closed round's results: what they heard and what they will do. Everyone
    in the partnership is told the first time (`NotificationKind.SURVEY_RESULTS`); a community survey's answer is
    read on its public results page. `seen` is the version the person opened (`lib.forms.version_of`): an answer
    saved by someone else meanwhile is not overwritten (`EditedMeanwhile`)."""
    from samskab.accounts.models import NotificationKind
    from samskab.accounts.notifications import notify
    from samskab.lib.forms import check_unchanged

    survey = wave.survey
    check_runs(user, survey)
    locked = Wave.objects.select_for_update(of=("self",)).select_related("follow_up_by").get(pk=wave.pk)
    if not locked.is_closed():
        raise ValidationError(_("A round's results are answered once the round has closed."), code="open")
    text = text.strip()
    if not text:
        raise ValidationError(_("Write what you do with the results."), code="empty")
    check_unchanged(seen, locked.follow_up_at, locked.follow_up_by.name if locked.follow_up_by else "")
    first = not locked.follow_up
    locked.follow_up, locked.follow_up_at, locked.follow_up_by = text, timezone.now(), user
    locked.save(update_fields=["follow_up", "follow_up_at", "follow_up_by"])
    if first and survey.partnership is not None:
        names = {
            "who": user.name or _("Those who run the survey"),
            "round": locked.label,
            "title": survey.title,
            "start": Truncator(" ".join(text.split())).words(FOLLOW_UP_WORDS_TOLD),
        }
        notify(
            survey.partnership.people().exclude(pk=user.pk),
            kind=NotificationKind.SURVEY_RESULTS,
            text=_("%(who)s has answered the results of the round %(round)s of “%(title)s”: “%(start)s”") % names,
            url=reverse("surveys:results", kwargs={"pk": survey.pk}) + f"#opfoelgning-{locked.pk}",
        )
    return locked


# --- the safe aggregate -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """A report that may be shown: a closed wave's respondents, everyone or one sector."""

    key: str
    wave_id: int
    wave_label: str
    wave_kind: str
    closes_at: datetime
    sector: str  # "" = everyone
    sector_label: str
    respondents: int  # for the scoring only: `shown_respondents` is what may be shown
    hidden: str  # why it is hidden; "" when shown

    @property
    def shown_respondents(self) -> int | None:
        """The number of respondents, or None for a hidden group: "business: 1" would say who took part."""
        return None if self.hidden else self.respondents


@dataclass(frozen=True)
class Cell:
    group: str
    n: int  # respondents with a score on the scale (0 when the group is hidden)
    mean: float | None
    ci_low: float | None
    ci_high: float | None
    alpha: float | None
    hidden: str
    share: float | None = None  # percent of scores at or above the scale's `share_at_or_above`, where it has one
    # How `alpha` may be read (`scoring.AlphaVerdict`); `alpha` is None unless it is OK or LOW, and `alpha_note`
    # says why in words (empty for OK).
    alpha_verdict: str = ""
    alpha_note: str = ""


@dataclass(frozen=True)
class Change:
    sector: str
    from_group: str
    to_group: str
    delta: float
    meaningful: bool  # noticeable: at least the scale's minimum difference and outside the uncertainty
    ci_low: float | None = None  # 95 % interval of the difference (Welch)
    ci_high: float | None = None
    large: bool = False  # at least the minimum difference, whatever the uncertainty
    distinguishable: bool = False  # the interval excludes 0


@dataclass(frozen=True)
class ScaleResult:
    id: str
    name: str
    validated: bool
    threshold: int
    scoring: str
    y_min: float
    y_max: float
    min_difference: float
    cells: dict[str, Cell]
    changes: list[Change]
    share_at_or_above: float | None = None  # the cut-off of `Cell.share` (OECD "high trust": 6, of 0-10)


@dataclass(frozen=True)
class TextResult:
    item_id: str
    question: str
    threshold: int
    texts: dict[str, list[str]]  # group key -> visible texts (whole waves only)
    hidden: dict[str, str]


@dataclass(frozen=True)
class SafeResults:
    survey_id: int
    title: str
    instrument_id: str
    instrument_version: int
    instrument_name: str
    validated: bool
    threshold: int
    groups: list[Group]
    scales: list[ScaleResult]
    texts: list[TextResult]
    open_waves: list[tuple[int, str]] = field(default_factory=list)
    texts_withheld: bool = False  # the instrument asks for answers in own words, and this reader may not see them

    def group(self, key: str) -> Group:
        return next(g for g in self.groups if g.key == key)

    def groups_for(self, sector: str = "") -> list[Group]:
        """The groups of one breakdown ("" = everyone), in wave order."""
        return [g for g in self.groups if g.sector == sector]

    @property
    def sectors(self) -> list[tuple[str, str]]:
        """The sectors of the breakdown filter (a co-creation partnership's survey): those of its members and of
        those invited, whoever answered, and any other sector someone answered from."""
        seen = {g.sector for g in self.groups if g.sector}
        return [(s.value, str(s.label)) for s in Sector if s.value in seen]

    def rows(self) -> list[dict[str, Any]]:
        """One flat row per scale and group, hidden cells without numbers: what exports and the API carry."""
        out = []
        for scale in self.scales:
            for group in self.groups:
                cell = scale.cells[group.key]
                out.append(
                    {
                        "scale": scale.id,
                        "scale_name": scale.name,
                        "wave": group.wave_label,
                        "wave_id": group.wave_id,
                        "sector": group.sector,
                        "sector_label": group.sector_label,
                        "respondents": group.shown_respondents,
                        "n": cell.n if not cell.hidden else None,
                        "mean": rounded(cell.mean, 1),
                        "ci_low": rounded(cell.ci_low, 1),
                        "ci_high": rounded(cell.ci_high, 1),
                        "alpha": rounded(cell.alpha, 2),
                        "alpha_note": cell.alpha_note,
                        "share_at_or_above": _whole(scale.share_at_or_above),
                        "share": _whole(rounded(cell.share, 0)),
                        "hidden": cell.hidden,
                    }
                )
        return out


def rounded(value: float | None, digits: int) -> float | None:
    """Half away from zero on the shortest decimal form, as the pages' `floatformat` shows it, so a download
    and a page never differ in the last digit (Python's `round` would give 56.2 for 56.25)."""
    if value is None or not np.isfinite(value):
        return None
    step = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP))


def _whole(value: float | None) -> float | int | None:
    """6.0 as 6, so a download shows a cut-off or a whole percent as it is written."""
    return int(value) if value is not None and float(value).is_integer() else value


def alpha_note(verdict: str) -> str:
    """What a reader is told in place of (or beside) Cronbach's alpha."""
    notes = {
        scoring.AlphaVerdict.LOW: _("Under 0.7: read the scale with care."),
        scoring.AlphaVerdict.TOO_FEW: _("Too few answers to judge the scale's reliability."),
        scoring.AlphaVerdict.INCOHERENT: _("The answers do not hang together as a scale."),
        scoring.AlphaVerdict.ALIKE: _("Everyone answered alike, so the scale's reliability cannot be judged."),
        scoring.AlphaVerdict.SINGLE_ITEM: _("One question: Cronbach's alpha does not apply."),
    }
    return str(notes.get(verdict, ""))


def _hidden_reason(n: int, threshold: int, other: str = "", too_few: str = "") -> str:
    """Why a report is not shown. `too_few` says what is counted where the report has fewer than the threshold
    (people who answered a round, or who have a score on a scale); `other` names the report it is too close to."""
    if n < threshold:
        return (too_few or _("Not shown: fewer than %(k)d answered.")) % {"k": threshold}
    if other:
        return _(
            "Not shown: the people who answered it differ from those who answered %(other)s by fewer than %(k)d, "
            "so subtracting the two results could reveal their answers."
        ) % {"other": other, "k": threshold}
    return _(
        "Not shown: the people behind it differ from those behind another report by fewer than %(k)d, so "
        "subtracting the two could reveal their answers."
    ) % {"k": threshold}


def _too_few_on_scale(instrument: Instrument, scale_id: str) -> str:
    """The "fewer than k" reason of a scale, which counts people with a score on it."""
    scales = {item.response_scale for item in instrument.items_of(scale_id) if item.response_scale}
    if any(option.value is None for rs in scales for option in instrument.response_scale(rs).options):
        return _(
            "Not shown: fewer than %(k)d have a score on the scale. A score needs answers to at least half of its "
            "questions, and “Don't know” is no answer."
        )
    return _(
        "Not shown: fewer than %(k)d have a score on the scale. A score needs answers to at least half of its "
        "questions."
    )


Report = int | scoring.Respondents


def _disclose(
    counts: Mapping[str, Report],
    parts_of: Mapping[str, Sequence[str]],
    threshold: int,
    never_shown: Mapping[str, str] | None = None,
    *,
    shown_before: Mapping[str, Report] | None = None,
    elsewhere: Mapping[str, str] | None = None,
    too_few: str = "",
) -> dict[str, str]:
    """Hidden groups -> reason (`too_few`: see `_hidden_reason`). `counts` holds each group's respondents (a count, or
    `scoring.Respondents` where who answered is known); `parts_of` maps a wave's total to its disjoint parts (the
    sector rows); `never_shown` (group -> reason) are hidden whatever their size: parts that are never shown, and
    for a scale the groups hidden already for the wave. `shown_before` are reports shown already (rounds that closed
    earlier, of this survey or of another whose scales could be subtracted from these), which these must keep their
    distance from; `elsewhere` names the reports, for the reason ("the round …", "the round … of the survey …").

    A group below the threshold is hidden, and so is one whose people differ from a shown report's by
    1..threshold-1 (`scoring.safe_to_show`, `scoring.difference`): a round of 6 beside one of 5, after one person
    left, or beside a survey of the same questions answered by the same 5 and their leader, would give away that
    one person's answer as the difference of the two sums (docs/surveys.md). The one containment among the groups
    is a total and its parts, so that is where the remainder is checked: total minus the shown parts is the people
    in the hidden parts, and it must not be 1..threshold-1 people, so the smallest shown part is hidden until it is
    not. Nor may it be nobody while a part is hidden (that would tell that nobody from it answered, the
    partnership's one business member did not, where one who did would have hidden a part), or while the total is
    hidden (the parts would rebuild it). A hidden total is checked too: how many answered a round is no secret
    (its managers follow it while the round is open).
    """
    never_shown = never_shown or {}
    elsewhere = elsewhere or {}
    n = {key: scoring.respondents(report).n for key, report in counts.items()}
    disclosure = scoring.safe_to_show(
        {k: r for k, r in counts.items() if k not in never_shown}, threshold, shown_before=shown_before
    )
    hidden = {
        key: _hidden_reason(n[key], threshold, elsewhere.get(disclosure.clashes.get(key, ""), ""), too_few)
        for key in disclosure.suppressed
    } | dict(never_shown)
    for total, parts in parts_of.items():
        while True:
            shown = [p for p in parts if p not in hidden]
            remainder = n[total] - sum(n[p] for p in shown)
            whole = remainder == 0 and len(shown) == len(parts) and total not in hidden
            if not shown or remainder >= threshold or whole:
                break
            smallest = min(shown, key=lambda p: (n[p], p))
            hidden[smallest] = _hidden_reason(threshold, threshold)
    return hidden


Batch = tuple[dict[str, Report], dict[str, list[str]]]  # one closed round's reports (total first) and its parts


def _disclose_in_turn(
    batches: Iterable[Batch],
    threshold: int,
    never_shown: Mapping[str, str] | None = None,
    elsewhere: Mapping[str, str] | None = None,
    too_few: str = "",
) -> dict[str, str]:
    """`_disclose`, round by round in the order the rounds closed: each round's reports keep their distance from
    those shown before them, and a report once shown is never hidden for a later one (whoever read it has it)."""
    never_shown = never_shown or {}
    kept: dict[str, Report] = {}
    hidden: dict[str, str] = {}
    for reports, parts_of in batches:
        batch_hidden = _disclose(
            reports,
            parts_of,
            threshold,
            {k: v for k, v in never_shown.items() if k in reports},
            shown_before=kept,
            elsewhere=elsewhere,
            too_few=too_few,
        )
        hidden |= batch_hidden
        kept |= {k: r for k, r in reports.items() if k not in batch_hidden}
    return hidden


def _name(obj: Any) -> str:
    return obj.name_en if (get_language() or "da").startswith("en") else obj.name_da


def _text(item: Any) -> str:
    return item.text_en if (get_language() or "da").startswith("en") else item.text_da


def comparable_surveys(survey: Survey) -> list[Survey]:
    """The survey and every survey whose results could be subtracted from its own: those that ask a scale or
    question of the same id and either share a scope (the same partnership; a community survey: the same
    municipality's community surveys) or share a person who answered both (a leader's second staff process with
    the same questionnaire, to the same colleagues but one). Linked through one another too, so that every survey
    of the group decides the same reports the same way, whichever page asks. `survey` itself is in the list as
    passed (with the waves a caller prefetched)."""

    def measures(s: Survey) -> set[str]:
        instrument = s.instrument
        return {scale.id for scale in instrument.scales} | {i.id for i in instrument.items if i.type == "text"}

    def neighbours(s: Survey) -> Iterable[Survey]:
        if s.partnership_id is not None:
            scope = Q(partnership_id=s.partnership_id)
        else:
            scope = Q(partnership__isnull=True, municipality_id=s.municipality_id)
        answered = Participation.objects.filter(answered=True)
        people = answered.filter(wave__survey=s).values("user_id")
        shared = Q(pk__in=answered.filter(user_id__in=people).values("wave__survey_id"))
        return (
            Survey.objects.filter(scope | shared)
            .exclude(pk__in=list(found))
            .select_related("partnership")
            .prefetch_related("waves")
        )

    found: dict[int, Survey] = {survey.pk: survey}
    asks = {survey.pk: measures(survey)}
    frontier = [survey]
    while frontier:
        current = frontier.pop()
        for other in neighbours(current):
            other_asks = measures(other)
            if other.pk not in found and other_asks & asks[current.pk]:
                found[other.pk], asks[other.pk] = other, other_asks
                frontier.append(other)
    return [found[pk] for pk in sorted(found)]


@dataclass
class _Rounds:
    """One survey's closed rounds as arrays, one row per response: what `safe_results` decides on."""

    survey: Survey
    closed: list[Wave]
    values: dict[str, np.ndarray]  # choice item -> value per response (NaN unanswered)
    texts: dict[str, list[tuple[int, str]]]  # text item -> (response row, text)
    masks: dict[str, np.ndarray] = field(default_factory=dict)  # group key -> its responses
    meta: dict[str, tuple[Wave, str]] = field(default_factory=dict)  # group key -> (wave, sector; "" = everyone)
    parts_of: dict[str, list[str]] = field(default_factory=dict)  # a round's total -> its sector rows
    known: dict[int, frozenset[int]] = field(default_factory=dict)  # wave -> who answered by a personal link

    def respondents(self, key: str, n: int, unscored: int = 0) -> Report:
        """The report behind group `key` with `n` people in it: who they are, as far as is known. A round's total
        is the people marked as having answered through a personal link, and give or take the answers that came
        otherwise (paper, an open link) and, for a scale, those without a score on it. A sector row's people
        are not known (a used link keeps no person): its count alone."""
        wave, sector = self.meta[key]
        if sector:
            return n
        known = self.known.get(wave.pk, frozenset())
        if not known:
            return n
        everyone = n + unscored
        return scoring.Respondents(n, known, abs(everyone - len(known)) + unscored)

    def batches(self, counts: Mapping[str, Report]) -> dict[int, Batch]:
        """Per closed round: its reports among `counts` (the total first, then its sector rows) and its parts."""
        out: dict[int, Batch] = {}
        for key, (wave, _sector) in self.meta.items():
            if key in counts:
                out.setdefault(wave.pk, ({}, {}))[0][key] = counts[key]
        for total, parts in self.parts_of.items():
            wave_pk = self.meta[total][0].pk
            if wave_pk in out and total in counts and all(p in counts for p in parts):
                out[wave_pk][1][total] = parts
        return out


def _load_rounds(surveys: Sequence[Survey], now: datetime) -> dict[int, _Rounds]:
    """The closed rounds of `surveys`, with their answers and who answered them, in a fixed number of queries."""
    loaded = {}
    for survey in surveys:
        instrument = survey.instrument
        closed = [w for w in survey.waves.all() if w.is_closed(now)]  # in their order (opens_at, pk)
        loaded[survey.pk] = _Rounds(
            survey,
            closed,
            {i.id: np.zeros(0) for i in instrument.items if i.type == "choice"},
            {i.id: [] for i in instrument.items if i.type == "text"},
        )
    survey_of = {w.pk: pk for pk, rounds in loaded.items() for w in rounds.closed}
    # The links of the closed rounds, in one query: the sectors invited (a co-creation survey's rows), which rounds
    # someone answered through a link (to be mixed, if not yet), and which through a personal one (who is known).
    invited: dict[int, set[str]] = {}
    used: set[int] = set()
    personal: set[int] = set()
    links = (
        Invitation.objects.filter(wave__in=list(survey_of))
        .annotate(is_used=ExpressionWrapper(Q(used_at__isnull=False), output_field=BooleanField()))
        .values_list("wave_id", "sector", "channel", "is_used")
        .distinct()
    )
    for wave_id, sector, channel, is_used in links:
        if sector:
            invited.setdefault(wave_id, set()).add(sector)
        if is_used:
            used.add(wave_id)
            if channel == Invitation.Channel.PERSONAL:
                personal.add(wave_id)
    unmixed = [w.pk for rounds in loaded.values() for w in rounds.closed if w.mixed_at is None and w.pk in used]
    if unmixed:
        mix_closed_rounds(waves=unmixed, now=now)
    rows: dict[int, list[tuple[Any, int, str]]] = {pk: [] for pk in loaded}
    for response_id, wave_id, sector in Response.objects.filter(wave__in=list(survey_of)).values_list(
        "pk", "wave_id", "sector"
    ):
        rows[survey_of[wave_id]].append((response_id, wave_id, sector))
    where: dict[Any, tuple[int, int]] = {}
    wave_of: dict[int, np.ndarray] = {}
    sector_of: dict[int, np.ndarray] = {}
    for pk, rounds in loaded.items():
        where |= {response_id: (pk, i) for i, (response_id, _w, _s) in enumerate(rows[pk])}
        wave_of[pk] = np.array([w for _r, w, _s in rows[pk]], dtype=np.int64)
        sector_of[pk] = np.array([s for _r, _w, s in rows[pk]], dtype=object)
        rounds.values = {item_id: np.full(len(rows[pk]), np.nan) for item_id in rounds.values}
    for response_id, item_id, value, text in Answer.objects.filter(response__wave__in=list(survey_of)).values_list(
        "response_id", "item_id", "value", "text"
    ):
        pk, row = where[response_id]
        rounds = loaded[pk]
        if item_id in rounds.values and value is not None:
            rounds.values[item_id][row] = value
        elif item_id in rounds.texts and text:
            rounds.texts[item_id].append((row, text))
    known: dict[int, set[int]] = {}
    if personal:
        for wave_id, user_id in Participation.objects.filter(wave__in=list(personal), answered=True).values_list(
            "wave_id", "user_id"
        ):
            known.setdefault(wave_id, set()).add(user_id)

    # The groups: each closed round's everyone, and in a co-creation partnership a row in every round for every
    # sector someone could answer from (its members' sectors and those invited), answered or not: a row that
    # appeared with its first answer would say that the partnership's one business member took part.
    members: dict[int, set[str]] = {}
    for pk, rounds in loaded.items():
        survey = rounds.survey
        rounds.known = {w.pk: frozenset(known.get(w.pk, ())) for w in rounds.closed}
        breakdown = survey.partnership is not None and survey.partnership.kind == Partnership.Kind.CO_CREATION
        for wave in rounds.closed:
            key = f"w{wave.pk}"
            rounds.masks[key] = wave_of[pk] == wave.pk
            rounds.meta[key] = (wave, "")
        if not breakdown:
            continue
        partnership_pk = survey.partnership_id or 0
        if partnership_pk not in members:
            members[partnership_pk] = set(
                PartnershipMember.objects.filter(partnership=partnership_pk).values_list("actor__sector", flat=True)
            )
        for wave in rounds.closed:
            total = f"w{wave.pk}"
            possible = members[partnership_pk] | invited.get(wave.pk, set())
            rounds.parts_of[total] = []
            for sector in Sector:
                key = f"w{wave.pk}:{sector.value}"
                mask = (wave_of[pk] == wave.pk) & (sector_of[pk] == sector.value)
                if sector.value in possible or mask.any():
                    rounds.masks[key] = mask
                    rounds.meta[key] = (wave, sector.value)
                    rounds.parts_of[total].append(key)
            unknown = (wave_of[pk] == wave.pk) & (sector_of[pk] == "")
            if unknown.any():  # people whose sector is not known still make a (never shown) part
                rounds.masks[f"w{wave.pk}:?"] = unknown
                rounds.meta[f"w{wave.pk}:?"] = (wave, "?")
                rounds.parts_of[total].append(f"w{wave.pk}:?")
    return loaded


def _in_turn(loaded: Mapping[int, _Rounds], counts: Mapping[int, Mapping[str, Report]]) -> list[Batch]:
    """The rounds' batches in the order they closed; of rounds closing at the same moment (two surveys started
    together), the larger first: the later, or smaller, report gives way."""
    batches = []
    for pk, rounds in loaded.items():
        if pk not in counts:
            continue
        for wave_pk, batch in rounds.batches(counts[pk]).items():
            wave = rounds.meta[f"w{wave_pk}"][0]
            size = scoring.respondents(batch[0].get(f"w{wave_pk}", 0)).n
            batches.append(((wave.closes_at, -size, pk, wave_pk), batch))
    return [batch for _order, batch in sorted(batches, key=lambda b: b[0])]


def safe_results(survey: Survey, *, now: datetime | None = None, with_texts: bool = False) -> SafeResults:
    """Everything about the survey's answers that may be shown, to anyone who may see the survey. Answers in
    people's own words only `with_texts`, for those who run it (`permissions.may_run`): a sentence can give away
    who wrote it in ways a number cannot, so it is not published with the aggregates.

    Every report is decided together with those of the surveys whose results could be subtracted from it
    (`comparable_surveys`), round by round in the order they closed (`_disclose_in_turn`): two surveys of the
    same questions answered by the same five and, in one of them, their leader, must not both be shown."""
    now = now or timezone.now()
    instrument = survey.instrument
    threshold = base_threshold()
    peers = comparable_surveys(survey)
    loaded = _load_rounds(peers, now)
    own = loaded[survey.pk]
    open_waves = [(w.pk, w.label) for w in survey.waves.all() if not w.is_closed(now)]

    # How the reports are named in a reason: the rounds of this survey and of the others.
    elsewhere: dict[str, str] = {}
    for pk, rounds in loaded.items():
        for key, (wave, _sector) in rounds.meta.items():
            names = {"round": wave.label, "title": rounds.survey.title}
            if pk != survey.pk:
                elsewhere[key] = _("the round %(round)s of the survey “%(title)s”") % names
            else:
                elsewhere[key] = _("the round %(round)s") % names

    never = {
        key: _("Not shown: the sector is not known.")
        for rounds in loaded.values()
        for key, (_wave, sector) in rounds.meta.items()
        if sector == "?"
    }
    counts = {
        pk: {key: rounds.respondents(key, int(mask.sum())) for key, mask in rounds.masks.items()}
        for pk, rounds in loaded.items()
    }
    hidden = _disclose_in_turn(_in_turn(loaded, counts), threshold, never, elsewhere)

    labels = dict(Sector.choices)
    rank = {sector.value: i for i, sector in enumerate(Sector)}  # the sectors in the order every table uses
    meta = own.meta
    order = sorted(meta, key=lambda k: (rank.get(meta[k][1], -1), meta[k][0].opens_at, meta[k][0].pk))
    groups = [
        Group(
            key=k,
            wave_id=meta[k][0].pk,
            wave_label=meta[k][0].label,
            wave_kind=meta[k][0].kind,
            closes_at=meta[k][0].closes_at,
            sector=meta[k][1],
            sector_label=str(labels.get(meta[k][1], _("Everyone"))),
            respondents=int(own.masks[k].sum()),
            hidden=hidden.get(k, ""),
        )
        for k in order
        if not k.endswith(":?")
    ]

    scales = []
    for scale in instrument.scales:
        # The scale is decided on each comparable survey's people with a score on it, at the highest threshold any
        # of them sets for it; the groups hidden for the round stay hidden, and stay parts.
        scored: dict[int, dict[str, Report]] = {}
        scores_of: dict[int, np.ndarray] = {}
        k = scale_threshold(instrument, scale.id)
        for pk, rounds in loaded.items():
            other = rounds.survey.instrument
            if scale.id not in {s.id for s in other.scales}:
                continue
            k = max(k, scale_threshold(other, scale.id))
            scores_of[pk] = scoring.person_scores(scoring.item_points(other, scale.id, rounds.values))
            scored[pk] = {}
            for key, mask in rounds.masks.items():
                n = int((~np.isnan(scores_of[pk][mask])).sum())
                scored[pk][key] = rounds.respondents(key, n, int(mask.sum()) - n)
        scale_hidden = _disclose_in_turn(
            _in_turn(loaded, scored), k, hidden, elsewhere, too_few=_too_few_on_scale(instrument, scale.id)
        )
        scales.append(_scale_result(instrument, scale.id, k, own.values, own.masks, scale_hidden, groups))

    text_results = []
    for item in instrument.items:
        if item.type != "text":
            continue
        k = item_threshold(instrument, item.id)
        totals: dict[int, dict[str, Report]] = {}
        for pk, rounds in loaded.items():
            other = rounds.survey.instrument
            if item.id not in {i.id for i in other.items if i.type == "text"}:
                continue
            k = max(k, item_threshold(other, item.id))
            totals[pk] = {
                key: counts[pk][key] for key, (_wave, sector) in rounds.meta.items() if not sector and key not in hidden
            }
        text_hidden = _disclose_in_turn(_in_turn(loaded, totals), k, elsewhere=elsewhere)
        text_hidden |= {g.key: g.hidden for g in groups if not g.sector and g.hidden}
        visible = {}
        for g in groups:
            if g.sector or g.key in text_hidden:
                continue
            rows = own.masks[g.key]
            visible[g.key] = scoring.visible_free_text([t for r, t in own.texts[item.id] if rows[r]], g.respondents, k)
        own_hidden = {key: reason for key, reason in text_hidden.items() if key in own.meta and not own.meta[key][1]}
        text_results.append(TextResult(item.id, _text(item), k, visible, own_hidden))

    return SafeResults(
        survey_id=survey.pk,
        title=survey.title,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        instrument_name=_name(instrument),
        validated=instrument.validated,
        threshold=threshold,
        groups=groups,
        scales=scales,
        texts=text_results if with_texts else [],
        open_waves=open_waves,
        texts_withheld=bool(text_results) and not with_texts,
    )


def _scale_result(
    instrument: Instrument,
    scale_id: str,
    k: int,
    values: Mapping[str, np.ndarray],
    masks: Mapping[str, np.ndarray],
    hidden: Mapping[str, str],
    groups: Iterable[Group],
) -> ScaleResult:
    """One scale's cells and changes for the groups, given which cells are hidden (and why) at threshold `k`."""
    scale = instrument.scale(scale_id)
    points = scoring.item_points(instrument, scale_id, values)
    scores = scoring.person_scores(points)
    rs = instrument.response_scale(instrument.item(scale.items[0]).response_scale or "")
    y_min, y_max = (0.0, 100.0) if scale.scoring == "points_0_100" else (rs.scored_values[0], rs.scored_values[-1])
    cells: dict[str, Cell] = {}
    for key, mask in masks.items():
        if key in hidden:
            cells[key] = Cell(key, 0, None, None, None, None, hidden[key])
            continue
        stats = scoring.group_means(scores[mask])[0]
        reliability = scoring.reliability(points[mask])
        # A share only where the instrument asks for one, on a scale shown for at least 10 (the loader checks).
        share = None
        if scale.share_at_or_above is not None:
            share = 100 * scoring.share_at_or_above(scores[mask], scale.share_at_or_above)
        cells[key] = Cell(
            key,
            stats.n,
            stats.mean,
            # No score lies outside the scale, nor can its mean: with few answers the t-interval would reach past
            # it ("-26.6–56.6"), so it is cut at the scale's ends.
            max(stats.ci_low, y_min) if np.isfinite(stats.ci_low) else stats.ci_low,
            min(stats.ci_high, y_max) if np.isfinite(stats.ci_high) else stats.ci_high,
            reliability.shown,
            "",
            share,
            reliability.verdict,
            alpha_note(reliability.verdict),
        )
    min_difference = scoring.MEANINGFUL_DIFFERENCE * (y_max - y_min) / 100
    changes = []
    by_sector: dict[str, list[Group]] = {}
    for group in groups:
        by_sector.setdefault(group.sector, []).append(group)
    for sector, series in by_sector.items():
        first = cells[series[0].key]
        for later in series[1:]:
            cell = cells[later.key]
            if first.mean is None or cell.mean is None:
                continue
            # From the scores of two shown cells only: their means and intervals are on the page, so the
            # interval of the difference tells nothing more about anyone.
            diff = scoring.compare_groups(
                scores[masks[series[0].key]], scores[masks[later.key]], min_difference=min_difference
            )
            changes.append(
                Change(
                    sector,
                    series[0].key,
                    later.key,
                    diff.delta,
                    diff.meaningful,
                    diff.ci_low if np.isfinite(diff.ci_low) else None,
                    diff.ci_high if np.isfinite(diff.ci_high) else None,
                    diff.large,
                    diff.distinguishable,
                )
            )
    return ScaleResult(
        id=scale.id,
        name=_name(scale),
        validated=scale.validated,
        threshold=k,
        scoring=scale.scoring,
        y_min=float(y_min),
        y_max=float(y_max),
        min_difference=min_difference,
        cells=cells,
        changes=changes,
        share_at_or_above=scale.share_at_or_above,
    )
