"""Every write to surveys, waves, invitations and responses goes through here, and so does every read of
results: `safe_results` is the one function that turns responses into numbers anyone may see. The results
page, the exports, the API and the municipality's dashboard all call it, so they obey the same rules:

- nothing from a wave until it has closed (watching a mean move as people answer would reveal each answer);
- no aggregate for fewer respondents than the threshold (`SURVEY_MIN_RESPONDENTS`, 5 by default, never
  less, raised per scale or item by the instrument; free text and shares take at least 10);
- no sector rows whose shown parts leave a small remainder of the wave's total (total minus parts would reveal
  it), nor add up to a hidden total or to the total while a part is hidden (it would say that nobody from that
  part answered), per wave and again per scale (`_disclose`);
- no two shown reports, rounds included, whose respondent counts differ by fewer than the threshold
  (`scoring.safe_to_show`): the same people mostly answer every round, so the difference of two rounds' sums
  would give away the answer of the one who left or joined;
- in a co-creation partnership, a row in every wave for every sector someone could answer from, whether anyone
  did or not;
- free text only for whole waves at or above the threshold, in sorted order.
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
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from samskab.actors.models import Actor, Membership, Municipality, Sector
from samskab.lib.text import local_moment
from samskab.partnerships.models import Partnership, PartnershipMember
from samskab.partnerships.permissions import NOT_FOR_COLLEAGUES

from . import scoring
from .instruments import Instrument, get_instrument
from .models import Answer, Invitation, Participation, Response, Survey, Wave, hash_token
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
    instrument = _check_instrument(instrument_id, instrument_version, level)
    _check_dates(opens_at, closes_at)
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
    """People in the municipality's own actors ask a neighbourhood's citizens, usually through an open link."""
    if municipal_actor_led_by(user, municipality) is None:
        raise PermissionDenied(gettext_lazy("Only administrators of the municipality's own actors may do this."))
    instrument = _check_instrument(instrument_id, instrument_version, "")
    _check_dates(opens_at, closes_at)
    survey = Survey.objects.create(
        municipality=municipality,
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
    check_runs(user, survey)
    _check_dates(opens_at, closes_at)
    return Wave.objects.create(survey=survey, kind=kind, opens_at=opens_at, closes_at=closes_at)


# --- invitations ------------------------------------------------------------------------------------------


def invitees(survey: Survey) -> Any:
    """The people who may answer a partnership survey: everyone taking part in it (`Partnership.people`); without
    `leaders_answer`, not the actors' administrators, so a leader never rates their own leadership."""
    from samskab.accounts.models import User

    if survey.partnership is None:
        return User.objects.none()
    people = survey.partnership.people()
    if not survey.leaders_answer:
        leaders = Membership.objects.filter(
            actor__partnership_memberships__partnership=survey.partnership_id, role=Membership.Role.ADMIN
        ).values("user")
        people = people.exclude(pk__in=leaders)
    return people


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
    Wave.objects.filter(pk=wave.pk).update(invited_at=now)
    wave.invited_at = now
    answered = set(wave.participations.filter(answered=True).values_list("user_id", flat=True))
    people = [pk for pk in invitees(survey).values_list("pk", flat=True) if pk not in answered]
    from .tasks import send_survey_invitation

    for person in people:
        transaction.on_commit(partial(send_survey_invitation.enqueue, wave.pk, person))
    return len(people)


@transaction.atomic
def issue_invitation(*, wave: Wave, user: User, now: datetime | None = None) -> str:
    """A fresh one-time token for `user` to answer `wave`; any earlier unused token of theirs stops working.

    Raises PermissionDenied for people outside the partnership and ValidationError when they have answered
    or the round has closed.
    """
    survey = wave.survey
    if survey.is_community or not invitees(survey).filter(pk=user.pk).exists():
        raise PermissionDenied(gettext_lazy("Only the people of the partnership's member actors may answer."))
    _check_answerable(wave, now)
    participation, _created = Participation.objects.select_for_update().get_or_create(wave=wave, user=user)
    if participation.answered:
        raise ValidationError(_("You have already answered this round. Thank you!"), code="answered")
    old = participation.invitation
    token = secrets.token_urlsafe(32)
    participation.invitation = Invitation.objects.create(
        wave=wave, token_hash=hash_token(token), sector=_sector_of(user, survey)
    )
    participation.save(update_fields=["invitation"])
    if old is not None and old.used_at is None:
        old.delete()
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
        raise TokenProblem(_("This link is not valid. Check that you copied all of it."), code="unknown")
    if invitation.used_at is not None:
        raise TokenProblem(_("This link has already been used to answer. Each link can be used once."), code="used")
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
def submit_response(*, token: str, answers: Mapping[str, Any], now: datetime | None = None) -> Response:
    """Use the token and save the answers, or save nothing.

    One transaction: the token is marked used by a conditional update, so two submissions racing with the
    same token cannot both count, and a refusal after that point rolls the mark back too. The response
    keeps no link to the token or the person, and only the local day.
    """
    now = now or timezone.now()
    invitation = check_token(token, now)
    instrument = invitation.wave.survey.instrument
    cleaned = clean_answers(instrument, answers)
    day = scoring.coarsen_timestamp(now, "day")
    midnight = timezone.make_aware(datetime.combine(day, time()), scoring.COPENHAGEN)
    used = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(used_at=midnight)
    if not used:
        raise TokenProblem(_("This link has already been used to answer. Each link can be used once."), code="used")
    # Who answered is kept for reminders; the pointer to the (now used) token is dropped.
    Participation.objects.filter(invitation=invitation).update(answered=True, invitation=None)
    return _record(invitation.wave, invitation.sector, cleaned, day)


def _record(wave: Wave, sector: str, cleaned: Mapping[str, tuple[float | None, str]], day: date) -> Response:
    response = Response.objects.create(wave=wave, sector=sector, submitted_on=day)
    Answer.objects.bulk_create(
        Answer(response=response, item_id=item_id, value=value, text=text) for item_id, (value, text) in cleaned.items()
    )
    return response


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
    created = Response.objects.bulk_create(Response(wave=wave, sector=s, submitted_on=on) for s, _cleaned in rows)
    Answer.objects.bulk_create(
        Answer(response=response, item_id=item_id, value=value, text=text)
        for response, (_s, cleaned) in zip(created, rows, strict=True)
        for item_id, (value, text) in cleaned.items()
    )
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
            "The round %(round)s of the survey “%(title)s” has closed. Its results are not shown, because its "
            "number of answers is too close to another round's: comparing the two could reveal someone's answers."
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


def _hidden_reason(n: int, threshold: int) -> str:
    if n < threshold:
        return _("Not shown: fewer than %(k)d respondents.") % {"k": threshold}
    return _("Not shown: it would differ from another report by fewer than %(k)d respondents.") % {"k": threshold}


def _disclose(
    counts: Mapping[str, int],
    parts_of: Mapping[str, Sequence[str]],
    threshold: int,
    never_shown: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Hidden groups -> reason. `parts_of` maps a wave's total to its disjoint parts (the sector rows);
    `never_shown` (group -> reason) are hidden whatever their size: parts that are never shown, and for a scale
    the groups hidden already for the wave.

    A group below the threshold is hidden. The one containment among the groups is a total and its parts, so
    that is where differencing is checked: total minus the shown parts is the people in the hidden parts, and
    it must not be 1..threshold-1 people, so the smallest shown part is hidden until it is not. Nor may it be
    nobody while a part is hidden (that would tell that nobody from it answered, the partnership's one business
    member did not, where one who did would have hidden a part), or while the total is hidden (the parts would
    rebuild it). A hidden total is checked too: how many answered a round is no secret (its managers follow it
    while the round is open). Groups are also compared pairwise (`scoring.safe_to_show`), rounds included: the
    same people mostly answer every round, so a round of 6 beside one of 5, after one person left, would give
    away that person's answer as the difference of the two sums (docs/surveys.md).
    """
    never_shown = never_shown or {}
    disclosure = scoring.safe_to_show({k: n for k, n in counts.items() if k not in never_shown}, threshold)
    hidden = {key: _hidden_reason(counts[key], threshold) for key in disclosure.suppressed} | dict(never_shown)
    for total, parts in parts_of.items():
        while True:
            shown = [p for p in parts if p not in hidden]
            remainder = counts[total] - sum(counts[p] for p in shown)
            whole = remainder == 0 and len(shown) == len(parts) and total not in hidden
            if not shown or remainder >= threshold or whole:
                break
            smallest = min(shown, key=lambda p: (counts[p], p))
            hidden[smallest] = _hidden_reason(threshold, threshold)
    return hidden


def _name(obj: Any) -> str:
    return obj.name_en if (get_language() or "da").startswith("en") else obj.name_da


def _text(item: Any) -> str:
    return item.text_en if (get_language() or "da").startswith("en") else item.text_da


def safe_results(survey: Survey, *, now: datetime | None = None, with_texts: bool = False) -> SafeResults:
    """Everything about the survey's answers that may be shown, to anyone who may see the survey. Answers in
    people's own words only `with_texts`, for those who read it as their own (`permissions.may_manage`): a sentence
    can give away who wrote it in ways a number cannot, so it is not published with the aggregates."""
    now = now or timezone.now()
    instrument = survey.instrument
    threshold = base_threshold()
    waves = list(survey.waves.all())  # in their order (opens_at, pk); prefetched where the caller did
    closed = [w for w in waves if w.is_closed(now)]
    open_waves = [(w.pk, w.label) for w in waves if not w.is_closed(now)]

    responses = list(Response.objects.filter(wave__in=closed).values_list("pk", "wave_id", "sector"))
    index = {pk: i for i, (pk, _w, _s) in enumerate(responses)}
    wave_of = np.array([w for _pk, w, _s in responses], dtype=np.int64)
    sector_of = np.array([s for _pk, _w, s in responses], dtype=object)
    n = len(responses)
    values: dict[str, np.ndarray] = {i.id: np.full(n, np.nan) for i in instrument.items if i.type == "choice"}
    texts: dict[str, list[tuple[int, str]]] = {i.id: [] for i in instrument.items if i.type == "text"}
    for response_id, item_id, value, text in Answer.objects.filter(response__wave__in=closed).values_list(
        "response_id", "item_id", "value", "text"
    ):
        row = index[response_id]
        if item_id in values and value is not None:
            values[item_id][row] = value
        elif item_id in texts and text:
            texts[item_id].append((row, text))

    # The groups, most important first: whole waves (latest first), then each wave's sector breakdown. A
    # co-creation partnership's survey has a row in every wave for every sector someone could answer from (its
    # members' sectors and those invited), answered or not: a row that appeared with its first answer would say
    # that the partnership's one business member took part.
    breakdown = survey.partnership is not None and survey.partnership.kind == Partnership.Kind.CO_CREATION
    possible: dict[int, set[str]] = {}
    if breakdown:
        members = set(
            PartnershipMember.objects.filter(partnership=survey.partnership).values_list("actor__sector", flat=True)
        )
        possible = {wave.pk: set(members) for wave in closed}
        invited = Invitation.objects.filter(wave__in=closed).exclude(sector="").values_list("wave_id", "sector")
        for wave_id, sector in invited.distinct():
            possible[wave_id].add(sector)
    masks: dict[str, np.ndarray] = {}
    meta: dict[str, tuple[Wave, str]] = {}
    parts_of: dict[str, list[str]] = {}
    for wave in reversed(closed):
        key = f"w{wave.pk}"
        masks[key] = wave_of == wave.pk
        meta[key] = (wave, "")
    if breakdown:
        for wave in reversed(closed):
            total = f"w{wave.pk}"
            parts_of[total] = []
            for sector in Sector:
                key = f"w{wave.pk}:{sector.value}"
                mask = (wave_of == wave.pk) & (sector_of == sector.value)
                if sector.value in possible[wave.pk] or mask.any():
                    masks[key] = mask
                    meta[key] = (wave, sector.value)
                    parts_of[total].append(key)
            unknown = (wave_of == wave.pk) & (sector_of == "")
            if unknown.any():  # people whose sector is not known still make a (never shown) part
                masks[f"w{wave.pk}:?"] = unknown
                meta[f"w{wave.pk}:?"] = (wave, "?")
                parts_of[total].append(f"w{wave.pk}:?")
    counts = {key: int(mask.sum()) for key, mask in masks.items()}
    unknown_sector = {key: _("Not shown: the sector is not known.") for key in counts if key.endswith(":?")}
    hidden = _disclose(counts, parts_of, threshold, unknown_sector)

    labels = dict(Sector.choices)
    rank = {sector.value: i for i, sector in enumerate(Sector)}  # the sectors in the order every table uses
    order = sorted(masks, key=lambda k: (rank.get(meta[k][1], -1), meta[k][0].opens_at, meta[k][0].pk))
    groups = [
        Group(
            key=k,
            wave_id=meta[k][0].pk,
            wave_label=meta[k][0].label,
            wave_kind=meta[k][0].kind,
            closes_at=meta[k][0].closes_at,
            sector=meta[k][1],
            sector_label=str(labels.get(meta[k][1], _("Everyone"))),
            respondents=counts[k],
            hidden=hidden.get(k, ""),
        )
        for k in order
        if not k.endswith(":?")
    ]

    scales = [
        _scale_result(instrument, scale.id, values, masks, parts_of, hidden, groups) for scale in instrument.scales
    ]
    text_results = []
    for item in instrument.items:
        if item.type != "text":
            continue
        k = item_threshold(instrument, item.id)
        totals = {g.key: g.respondents for g in reversed(groups) if not g.sector and not g.hidden}
        text_hidden = _disclose(totals, {}, k)
        text_hidden |= {g.key: g.hidden for g in groups if not g.sector and g.hidden}
        visible = {}
        for key in totals:
            if key in text_hidden:
                continue
            rows = masks[key]
            visible[key] = scoring.visible_free_text([t for r, t in texts[item.id] if rows[r]], totals[key], k)
        text_results.append(TextResult(item.id, _text(item), k, visible, text_hidden))

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
    values: Mapping[str, np.ndarray],
    masks: Mapping[str, np.ndarray],
    parts_of: Mapping[str, Sequence[str]],
    group_hidden: Mapping[str, str],
    groups: Iterable[Group],
) -> ScaleResult:
    scale = instrument.scale(scale_id)
    k = scale_threshold(instrument, scale_id)
    points = scoring.item_points(instrument, scale_id, values)
    scores = scoring.person_scores(points)
    scored = {key: int((~np.isnan(scores[mask])).sum()) for key, mask in masks.items()}
    # Each scale is disclosed on its own counts (people may skip a scale) and its own threshold. The groups
    # hidden for the wave stay hidden, and stay parts: shown parts that leave nobody while they are hidden would
    # say that nobody in them has a score on this scale.
    hidden = _disclose(scored, parts_of, k, never_shown=group_hidden)
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
            stats.ci_low,
            stats.ci_high,
            reliability.shown,
            "",
            share,
            reliability.verdict,
            alpha_note(reliability.verdict),
        )
    rs = instrument.response_scale(instrument.item(scale.items[0]).response_scale or "")
    y_min, y_max = (0.0, 100.0) if scale.scoring == "points_0_100" else (rs.scored_values[0], rs.scored_values[-1])
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
