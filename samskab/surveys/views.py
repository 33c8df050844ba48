"""Surveys in partnerships and neighbourhoods: start, run in rounds, answer anonymously, see safe results.

Every view reads: fetch with permission → validate → call a service → render. Running a survey depends on
membership only; nothing here looks at an actor's sector.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.signing import BadSignature, Signer
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from samskab.lib import cookies
from samskab.lib.forms import apply_service, version_of
from samskab.lib.http import AuthenticatedRequest
from samskab.lib.tables import tabular_response
from samskab.lib.text import local_moment
from samskab.partnerships.models import Partnership
from samskab.partnerships.permissions import get_partnership_for, steering_actors
from samskab.partnerships.services.core import PARTNERSHIP_CLOSED, check_open

from . import exports, scoring, services
from .forms import AnswerForm, ClosingForm, CommunitySurveyForm, ConfirmForm, FollowUpForm, SurveyForm, WaveForm
from .models import Invitation, Participation, PooledResponse, Survey, Wave, hash_token
from .permissions import COMMUNITY_LEADERS_ONLY, get_survey_for, may_run, municipal_actor_led_by

THANKS_SALT = "samskab.surveys.thanks"
TOKEN_STATUS = {"unknown": 404, "used": 410, "closed": 410, "not_open": 403}
OPEN_LINK_PER_HOUR = 30  # fresh answers through a community survey's open link, per network address and round
OPEN_LINK_COOKIE_EXTRA = timedelta(days=365)  # the browser keeps its token this long after the round's closing


# --- starting surveys -------------------------------------------------------------------------------------


def survey_list(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk, invitees=False)
    runs = partnership.actors_acted_for(request.user).exists()
    context = {
        "partnership": partnership,
        "surveys": partnership.surveys.prefetch_related("waves"),
        "is_member": partnership.has_member_user(request.user),
        # A closed partnership starts no survey (`services.create_survey`): those who run them are told why.
        "may_run": runs and not partnership.is_closed,
        "closed_note": PARTNERSHIP_CLOSED if runs and partnership.is_closed else "",
        "section": "surveys",
        "threshold": services.base_threshold(),
    }
    return render(request, "surveys/survey_list.html", context)


@login_required
def survey_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk, write=True)
    check_open(partnership)  # a closed partnership is read-only: no form to fill in in vain
    form = SurveyForm(request.POST or None, partnership_kind=partnership.kind)
    form.set_actors(steering_actors(request.user, partnership))
    try:
        survey = apply_service(
            form,
            lambda d: services.create_survey(
                user=request.user,
                actor=d["actor"],
                partnership=partnership,
                title=d["title"],
                instrument_id=d["instrument"][0],
                instrument_version=d["instrument"][1],
                level=d["level"],
                wave_kind=d["wave_kind"],
                opens_at=d["opens_at"],
                closes_at=d["closes_at"],
                leaders_answer=d["leaders_answer"],
            ),
        )
    except services.AlreadyCreated as done:
        return _already(request, done)
    if survey is not None:
        first = survey.waves.order_by("opens_at").first()
        if first is not None and first.opens_at <= timezone.now():
            messages.success(request, _("The survey is ready, and its round is open: send the invitations now."))
        else:
            messages.success(request, _("The survey is ready. Send the invitations when the round opens."))
        return redirect(survey)
    intro = (
        _(
            "Ask your colleagues in the process a short questionnaire in rounds, for example before and after a "
            "change. Answers are anonymous, and results are shown only for groups of at least %(k)d."
        )
        if partnership.voices_are_people
        else _(
            "Ask the partnership's people a short questionnaire in rounds, for example before and after a change. "
            "Answers are anonymous, and results are shown only for groups of at least %(k)d."
        )
    )
    context = {
        "form": form,
        "title": _("Start a survey"),
        "intro": intro % {"k": services.base_threshold()},
        "notice": _few_to_ask(partnership),
        "submit": _("Start the survey"),
        "cancel": partnership,
    }
    return render(request, "form_page.html", context)


def _few_to_ask(partnership: Partnership) -> str:
    """Said before a survey is started among few people: below the threshold no result is ever shown, and under
    three times it a follow-up round is withheld whenever a few people come or go between rounds (the research
    note on social capital advises dialogue rather than a survey for units under about 15)."""
    # The form starts with a staff survey's leaders not asked (`SurveyForm`): count those it asks.
    people = services.people_asked(partnership, leaders_answer=not partnership.voices_are_people)
    n, k = people.count(), services.base_threshold()
    if n < k:
        return ngettext(
            "Only %(n)d person would be asked, and results are shown for groups of at least %(k)d: no result of "
            "this survey could ever be shown. A conversation or a meeting will tell you more.",
            "Only %(n)d people would be asked, and results are shown for groups of at least %(k)d: no result of "
            "this survey could ever be shown. A conversation or a meeting will tell you more.",
            n,
        ) % {"n": n, "k": k}
    if n < 3 * k:
        return _(
            "With %(n)d people to ask, a round is shown only if at least %(k)d answer it, and a later round "
            "is withheld when the people answering differ from an earlier round's by fewer than %(k)d: if a few "
            "people come or go between rounds, the follow-up may never be shown. With so few, a conversation or "
            "a meeting often tells you more."
        ) % {"n": n, "k": k}
    return ""


def _already(request: HttpRequest, done: services.AlreadyCreated) -> HttpResponse:
    """A form sent twice: show what the first send made, and say that nothing more was."""
    messages.info(request, done.message)
    existing = done.existing
    return redirect(existing if isinstance(existing, Survey) else existing.survey)


@login_required
def community_list(request: AuthenticatedRequest) -> HttpResponse:
    municipal = municipal_actor_led_by(request.user)
    if municipal is None:
        raise PermissionDenied(COMMUNITY_LEADERS_ONLY)
    surveys = Survey.objects.filter(municipality=municipal.municipality).prefetch_related("waves")
    context = {"municipality": municipal.municipality, "surveys": surveys}
    return render(request, "surveys/community_list.html", context)


@login_required
def community_create(request: AuthenticatedRequest) -> HttpResponse:
    municipal = municipal_actor_led_by(request.user)
    if municipal is None:
        raise PermissionDenied(COMMUNITY_LEADERS_ONLY)
    form = CommunitySurveyForm(request.POST or None)
    try:
        survey = apply_service(
            form,
            lambda d: services.create_community_survey(
                user=request.user,
                municipality=municipal.municipality,
                neighbourhood=d["neighbourhood"],
                title=d["title"],
                instrument_id=d["instrument"][0],
                instrument_version=d["instrument"][1],
                public_link=d["public_link"],
                wave_kind=d["wave_kind"],
                opens_at=d["opens_at"],
                closes_at=d["closes_at"],
            ),
        )
    except services.AlreadyCreated as done:
        return _already(request, done)
    if survey is not None:
        if survey.public_link:
            messages.success(request, _("The survey is ready. Share its link with the neighbourhood."))
        else:
            messages.success(
                request, _("The survey is ready. Its link is closed: open it on this page when citizens may answer.")
            )
        return redirect(survey)
    context = {
        "form": form,
        "title": _("Ask a neighbourhood"),
        "intro": _("A community survey, for example of trust among the citizens of a neighbourhood."),
        "submit": _("Start the survey"),
    }
    return render(request, "form_page.html", context)


# --- running a survey -------------------------------------------------------------------------------------


def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for(request.user, pk)
    services.announce_results(survey=survey)  # a round that closed since the scheduled command last ran
    manager = may_run(request.user, survey)
    # A closed partnership takes no new round (`services.add_wave`); those planned before it closed run on.
    closed = survey.partnership is not None and survey.partnership.is_closed
    waves = list(
        survey.waves.annotate(
            n_responses=Count("responses", distinct=True),
            n_invited=Count("participations", distinct=True),
            n_answered=Count("participations", filter=Q(participations__answered=True), distinct=True),
        )
    )
    waiting = set(PooledResponse.objects.filter(wave__survey=survey).values_list("wave_id", flat=True).distinct())
    answered_any = set(
        Participation.objects.filter(wave__survey=survey, answered=True).values_list("wave_id", flat=True)
    ) | set(Invitation.objects.filter(wave__survey=survey, used_at__isnull=False).values_list("wave_id", flat=True))
    may_answer = request.user.is_authenticated and services.invitees(survey).filter(pk=request.user.pk).exists()
    answered = set()
    if may_answer and request.user.is_authenticated:  # the second test only narrows the type for mypy
        answered = set(
            Participation.objects.filter(wave__survey=survey, user=request.user, answered=True).values_list(
                "wave_id", flat=True
            )
        )
    context = {
        "survey": survey,
        "partnership": survey.partnership,
        "section": "surveys",
        "waves": waves,
        "now": timezone.now(),
        "manager": manager,
        "may_add_round": manager and not closed,
        "closed_note": PARTNERSHIP_CLOSED if manager and closed else "",
        # Answers not yet mixed in with others: said without a count, which would tell when each came.
        "waiting": waiting,
        # Rounds someone has answered in any way: they cannot be cancelled.
        "answered_rounds": waiting | answered_any,
        "survey_answered": bool(waiting | answered_any) or any(w.n_responses for w in waves),
        "may_answer": may_answer,
        "answered": answered,
        # Open rounds everyone asked has answered: no invitation or reminder is left to send.
        "all_answered": {w.pk for w in waves if manager and w.is_open() and not services.left_to_answer(w).exists()}
        if not survey.is_community
        else set(),
        "link_url": request.build_absolute_uri(survey.get_link_url()) if survey.public_link else "",
        "instrument": survey.instrument,
        "wording_unverified": _wording_unverified(survey),
        "threshold": services.base_threshold(),
    }
    return render(request, "surveys/detail.html", context)


def _wording_unverified(survey: Survey) -> bool:
    """Whether the questions of a validated questionnaire, in the reader's language, were not all seen word for
    word in their source. Samskab's own questionnaires have no official version: they say they are not validated."""
    instrument = survey.instrument
    return instrument.validated and not instrument.wording_verified((get_language() or "da")[:2])


@login_required
@require_POST
def public_link(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A community survey's open link is opened or closed by the administrators of the municipality's own actors."""
    survey = get_survey_for(request.user, pk, manage=True)
    is_open = request.POST.get("open") == "1"
    try:
        services.set_public_link(user=request.user, survey=survey, is_open=is_open)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The link is open: citizens can answer through it.")
            if is_open
            else _("The link is closed: no more answers can come in through it. The answers given are kept."),
        )
    return redirect(survey)


@login_required
def follow_up(request: AuthenticatedRequest, pk: int, wave_pk: int) -> HttpResponse:
    """Those who run the survey answer a closed round's results, or change what they answered."""
    survey = get_survey_for(request.user, pk, manage=True)
    wave = get_object_or_404(Wave.objects.select_related("follow_up_by"), pk=wave_pk, survey=survey)
    initial = {"text": wave.follow_up, "seen": version_of(wave.follow_up_at)}
    form = FollowUpForm(request.POST or None, initial=initial)
    if apply_service(
        form,
        lambda d: services.follow_up_round(user=request.user, wave=wave, text=d["text"], seen=d["seen"]),
    ):
        messages.success(request, _("Your answer to the results is published beside them."))
        return redirect(reverse("surveys:results", kwargs={"pk": survey.pk}) + f"#opfoelgning-{wave.pk}")
    wave.refresh_from_db()  # another's answer, saved meanwhile, is shown beside the form that keeps one's own
    context = {
        "form": form,
        "title": _("What we do with the results of %(round)s") % {"round": wave.label},
        "intro": wave.follow_up
        or _(
            "People answer again when they see their answers lead somewhere: write what you heard and what you will "
            "do. Everyone who may read the results reads it beside them."
        ),
        "submit": _("Show it beside the results"),
        "cancel": survey,
    }
    return render(request, "form_page.html", context)


@login_required
def wave_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    survey = get_survey_for(request.user, pk, manage=True)
    if survey.partnership is not None:
        check_open(survey.partnership)  # a closed partnership is read-only: no form to fill in in vain
    form = WaveForm(request.POST or None, initial={"wave_kind": Wave.Kind.FOLLOW_UP})
    try:
        wave = apply_service(
            form,
            lambda d: services.add_wave(
                user=request.user, survey=survey, kind=d["wave_kind"], opens_at=d["opens_at"], closes_at=d["closes_at"]
            ),
        )
    except services.AlreadyCreated as done:
        return _already(request, done)
    if wave is not None:
        messages.success(request, _("The round is added."))
        return redirect(survey)
    context = {
        "form": form,
        "title": _("Add a round"),
        "intro": _("The same questions again, for example after the change, so you can see what moved."),
        "submit": _("Add the round"),
        "cancel": survey,
    }
    return render(request, "form_page.html", context)


@login_required
def wave_closing(request: AuthenticatedRequest, pk: int, wave_pk: int) -> HttpResponse:
    """Those who run the survey move an open round's closing, later or earlier (never into the past)."""
    survey = get_survey_for(request.user, pk, manage=True)
    wave = get_object_or_404(Wave, pk=wave_pk, survey=survey)
    form = ClosingForm(request.POST or None, initial={"closes_at": wave.closes_at})
    changed = apply_service(
        form, lambda d: services.change_closing(user=request.user, wave=wave, closes_at=d["closes_at"])
    )
    if changed is not None:
        messages.success(
            request,
            _("The round now closes %(closes)s.") % {"closes": local_moment(changed.closes_at)}
            + (" " + _("Those given a personal link are told.") if not survey.is_community else ""),
        )
        return redirect(survey)
    context = {
        "form": form,
        "title": _("Change when %(round)s closes") % {"round": wave.label},
        "intro": _(
            "Give people more time, or close sooner. Nothing of the round is shown until it has closed, and the "
            "people given a personal link are told of the new time."
        ),
        "submit": _("Save the new closing"),
        "cancel": survey,
    }
    return render(request, "form_page.html", context)


@login_required
def wave_cancel(request: AuthenticatedRequest, pk: int, wave_pk: int) -> HttpResponse:
    """Those who run the survey cancel a round nobody has answered, after confirming."""
    survey = get_survey_for(request.user, pk, manage=True)
    wave = Wave.objects.filter(pk=wave_pk, survey=survey).first()
    if wave is None:
        if request.method != "POST":
            raise Http404
        # Sent again (a second click, or from the browser's history) after the round was cancelled.
        messages.info(request, _("That round is no longer there: it has been cancelled."))
        return redirect(survey)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if apply_service(form, lambda d: services.cancel_wave(user=request.user, wave=wave) or True):
        messages.success(request, _("The round %(round)s is cancelled.") % {"round": wave.label})
        return redirect(survey)
    context = {
        "form": form,
        "title": _("Cancel the round %(round)s") % {"round": wave.label},
        "intro": _(
            "The round and its personal links are deleted; the people given a link are told. A round someone has "
            "answered cannot be cancelled."
        ),
        "submit": _("Cancel the round"),
        "cancel": survey,
    }
    return render(request, "form_page.html", context)


@login_required
def survey_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Those who run the survey cancel it while nobody has answered it, after confirming."""
    survey = get_survey_for(request.user, pk, manage=True)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if apply_service(form, lambda d: services.cancel_survey(user=request.user, survey=survey) or True):
        messages.success(request, _("The survey “%(title)s” is cancelled.") % {"title": survey.title})
        if survey.partnership_id is not None:
            return redirect("surveys:list", pk=survey.partnership_id)
        return redirect("surveys:community_list")
    context = {
        "form": form,
        "title": _("Cancel the survey “%(title)s”") % {"title": survey.title},
        "intro": _(
            "The survey, its rounds and their personal links are deleted; the people given a link are told. A "
            "survey someone has answered cannot be cancelled."
        ),
        "submit": _("Cancel the survey"),
        "cancel": survey,
    }
    return render(request, "form_page.html", context)


@login_required
@require_POST
def wave_invite(request: AuthenticatedRequest, pk: int, wave_pk: int) -> HttpResponse:
    survey = get_survey_for(request.user, pk, manage=True)
    wave = get_object_or_404(Wave, pk=wave_pk, survey=survey)
    try:
        count = services.invite(user=request.user, wave=wave)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("An email with a personal link is on its way to %(n)d people.") % {"n": count})
    return redirect(survey)


@login_required
@require_POST
def answer_now(request: AuthenticatedRequest, pk: int, wave_pk: int) -> HttpResponse:
    """A member answers straight away, with a fresh one-time link instead of the emailed one."""
    survey = get_survey_for(request.user, pk)
    wave = get_object_or_404(Wave, pk=wave_pk, survey=survey)
    try:
        token = services.issue_invitation(wave=wave, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(survey)
    return redirect("surveys:answer", token=token)


# --- answering --------------------------------------------------------------------------------------------


OPEN_LINK_COOKIE = cookies.declare(
    "samskab_maaling_…",
    gettext_lazy("Keeps your place in a survey you opened from an open link, so that you answer it once."),
    lambda: _("until %(extra)s after the round closes") % {"extra": cookies.lasting(OPEN_LINK_COOKIE_EXTRA)},
)


def _cookie_name(wave: Wave) -> str:
    return f"samskab_maaling_{wave.pk}"  # `OPEN_LINK_COOKIE`, one for each round


@never_cache
def open_link(request: HttpRequest, link_token: str) -> HttpResponse:
    """A community survey's open link: the first visit gives this browser a one-time token, kept in a cookie,
    so the browser answers once; coming back leads to the same token."""
    survey = get_object_or_404(Survey, link_token=link_token, public_link=True)
    wave = survey.open_wave()
    if wave is None:
        problem = _("No round of this survey is open right now.")
        return render(request, "surveys/token_problem.html", {"problem": problem, "survey": survey})
    token = request.COOKIES.get(_cookie_name(wave), "")
    if token and Invitation.objects.filter(wave=wave, token_hash=hash_token(token)).exists():
        return redirect("surveys:answer", token=token)
    if not _may_take_open_token(request, wave):
        problem = _("Many have answered from this network in the last hour. Try again later.")
        return render(request, "surveys/token_problem.html", {"problem": problem, "survey": survey}, status=429)
    token = services.issue_open_invitation(wave=wave)
    response = redirect("surveys:answer", token=token)
    response.set_cookie(
        _cookie_name(wave),
        token,
        # Past the closing, which may be moved later: the token is useless once the round has closed.
        max_age=int((wave.closes_at - timezone.now() + OPEN_LINK_COOKIE_EXTRA).total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=not settings.DEBUG and request.is_secure(),
    )
    return response


def _may_take_open_token(request: HttpRequest, wave: Wave) -> bool:
    """At most `OPEN_LINK_PER_HOUR` fresh answers per network address, round and clock hour, counted under a
    keyed hash in the cache (no address is kept). An open link cannot tell one person answering many times from
    many people: someone could answer a round with the threshold less one made-up answers beside a neighbour's
    single real one and read theirs off the mean. The limit stops a script from flooding a round and hiding the
    open round's count stops anyone timing it; it does not stop a patient person with a few made-up answers,
    which no open link can."""
    try:
        address = get_account_adapter().get_client_ip(request)  # X-Forwarded-For behind the proxy (settings)
    except (PermissionDenied, ImproperlyConfigured):  # no usable address: everybody without one shares a count
        address = ""
    hour = int(timezone.now().timestamp() // 3600)
    keyed = salted_hmac("samskab.surveys.open_link", f"{wave.pk}:{address}:{hour}", algorithm="sha256").hexdigest()
    key = f"survey-open-link:{keyed}"
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key) <= OPEN_LINK_PER_HOUR
    except ValueError:  # gone between the two calls (culled from a full cache): count afresh
        cache.set(key, 1, timeout=3600)
        return True


def _token_problem(request: HttpRequest, problem: services.TokenProblem) -> HttpResponse:
    context = {"problem": problem.messages[0], "code": problem.code, "posted": request.method == "POST"}
    return render(request, "surveys/token_problem.html", context, status=TOKEN_STATUS.get(problem.code or "", 400))


@never_cache
def answer(request: HttpRequest, token: str) -> HttpResponse:
    posted = request.method == "POST"
    refused = None
    try:
        invitation = services.check_token(token)
    except services.TokenProblem as problem:
        if not (posted and problem.code in {"closed", "used"} and problem.invitation is not None):
            return _token_problem(request, problem)
        # Closed while they answered, or answered meanwhile with another of their links: show what they filled in
        # again, saying why it is not saved, rather than losing it.
        invitation, refused = problem.invitation, problem
    survey = invitation.wave.survey
    form = AnswerForm(request.POST if posted else None, instrument=survey.instrument)
    if refused is not None:
        form.is_valid()
        form.add_error(None, refused)
    elif form.is_valid():
        try:
            services.submit_response(token=token, answers=form.cleaned_data)
        except services.TokenProblem as problem:
            if problem.code not in {"closed", "used"}:
                return _token_problem(request, problem)
            refused = problem
            form.add_error(None, problem)  # keep what they typed on the page
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(thanks_url(invitation.wave))
    instrument = survey.instrument
    own_words = [item.id for item in instrument.items if item.type == "text"]
    context = {
        "form": form,
        "survey": survey,
        "wave": invitation.wave,
        "instrument": instrument,
        "threshold": services.base_threshold(),
        "asks_in_own_words": bool(own_words),
        # Sent with a link that can no longer be used: the form is shown with its answers, not to be sent again.
        "refused": refused.code if refused is not None else "",
        "staff_process": survey.partnership is not None and survey.partnership.voices_are_people,
        # What is promised is what `safe_results` applies to the answers in own words (sensitive: at least 10).
        "text_threshold": max((services.item_threshold(instrument, i) for i in own_words), default=0),
    }
    # The token is in the address; the site's same-origin referrer policy keeps it from other sites. (Not
    # no-referrer: browsers then send "Origin: null" with the form, and CSRF protection refuses it.)
    status = TOKEN_STATUS["used"] if refused is not None and refused.code == "used" else 200
    return render(request, "surveys/answer.html", context, status=status)


def thanks_url(wave: Wave) -> str:
    """The thanks page for a round: the round's id, signed so that only someone sent there after answering reads
    the survey's title and closing date. The same address for everyone who answered the round (no time, no
    token in it), so it tells nothing of who answered."""
    signed = Signer(salt=THANKS_SALT).sign(str(wave.pk))
    return f"{reverse('surveys:thanks')}?{urlencode({'runde': signed})}"


def thanks(request: HttpRequest) -> HttpResponse:
    """When and where the results will be: nothing any invitee could not read in their invitation."""
    try:
        wave_pk = int(Signer(salt=THANKS_SALT).unsign(request.GET.get("runde", "")))
        wave = Wave.objects.select_related("survey__partnership", "survey__municipality").get(pk=wave_pk)
    except (BadSignature, ValueError, Wave.DoesNotExist):
        return render(request, "surveys/thanks.html")
    survey = wave.survey
    try:
        get_survey_for(request.user, survey.pk)
    except (Http404, PermissionDenied):
        may_see = False
    else:
        may_see = True
    instrument = survey.instrument
    thresholds = [services.scale_threshold(instrument, s.id) for s in instrument.scales]
    thresholds += [services.item_threshold(instrument, i.id) for i in instrument.items if i.type == "text"]
    context = {
        "wave": wave,
        "survey": survey,
        "closed": wave.is_closed(),
        "may_see": may_see,
        "threshold": services.base_threshold(),
        "highest_threshold": max(thresholds, default=0),
        "staff_process": survey.partnership is not None and survey.partnership.voices_are_people,
    }
    return render(request, "surveys/thanks.html", context)


# --- results ----------------------------------------------------------------------------------------------


def _results_context(survey: Survey, sector: str, *, with_texts: bool) -> dict[str, Any]:
    results = services.safe_results(survey, with_texts=with_texts)
    if sector not in {s for s, _label in results.sectors}:
        sector = ""
    groups = results.groups_for(sector)
    labels = {g.key: g.wave_label for g in results.groups}
    instrument = survey.instrument
    tables = []
    for scale in results.scales:
        with_alpha = len(instrument.scale(scale.id).items) > 1  # alpha does not apply to a single question
        tables.append(
            {
                "scale": scale,
                "with_alpha": with_alpha,
                # The columns a hidden cell spans: respondents, average, interval, alpha where it applies, share.
                "span": 3 + with_alpha + (scale.share_at_or_above is not None),
                "rows": [(group, scale.cells[group.key]) for group in groups],
                "changes": [
                    {"from": labels[c.from_group], "to": labels[c.to_group], "change": c}
                    for c in scale.changes
                    if c.sector == sector
                ],
            }
        )
    texts = [
        {
            "question": text.question,
            "threshold": text.threshold,
            "waves": [(g, text.texts.get(g.key, []), text.hidden.get(g.key, "")) for g in results.groups_for("")],
        }
        for text in results.texts
    ]
    return {"results": results, "sector": sector, "groups": groups, "tables": tables, "texts": texts}


def results(request: HttpRequest, pk: int) -> HttpResponse:
    """Visible to everyone who may see the survey: results go back to all who took part."""
    survey = get_survey_for(request.user, pk)
    services.announce_results(survey=survey)
    sector = request.GET.get("sektor", "")
    context = _results_context(survey, sector, with_texts=may_run(request.user, survey)) | {
        "survey": survey,
        # The closed rounds, each with what those who run the survey answered its results (or a place to).
        "follow_ups": [w for w in survey.waves.select_related("follow_up_by") if w.is_closed()],
        "may_run": may_run(request.user, survey),
        "staff_process": survey.partnership is not None and survey.partnership.voices_are_people,
        "partnership": survey.partnership,
        "section": "surveys",
        "instrument": survey.instrument,
        "wording_unverified": _wording_unverified(survey),
        "first_closing": survey.first_closing,
        "min_alpha": scoring.MIN_ALPHA_RESPONDENTS,
    }
    return render(request, "surveys/results.html", context)


def results_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    survey = get_survey_for(request.user, pk)
    sheets = exports.survey_sheets(services.safe_results(survey, with_texts=may_run(request.user, survey)))
    return tabular_response(fmt, f"maaling-{survey.pk}-resultater", sheets)
