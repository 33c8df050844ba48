"""The learn end of the cycle: what came of the partnership, its surveys, the lessons its members wrote down, and
closing it together (and reopening it).

Every view reads: fetch with permission → validate → call a service → render. Write access depends on
membership only; nothing here looks at an actor's sector.
"""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from samskab.lib.forms import apply_service

from .. import services
from ..forms import CloseForm, LessonForm, ReopenForm
from ..models import Action, Lesson, Partnership, Proposal
from ..permissions import get_partnership_for, steering_actors
from ..services.core import CLOSE_PENDING, open_close_proposal
from ..services.decisions import decision_title
from ..services.learning import lesson_url, lessons_withdrawable_by
from .work import _base, _member_form, _posted, resources_together

DECISIONS_SHOWN = 10  # on the learn page; the decision log holds them all


def learn(request: HttpRequest, pk: int) -> HttpResponse:
    """What have we learned? What came of the work (actions done and overdue, what was pledged, what was decided),
    the partnership's surveys with a prompt for a follow-up round, and the lessons by kind, with the form to add
    one. Those who speak for a member actor propose closing the partnership here (`do=close`) and, while it is
    closed, reopen it here (`do=reopen`): in a staff process, those who act for the workplace, not its colleagues."""
    partnership = get_partnership_for(request.user, pk)
    services.settle_due_proposals(partnership=partnership)  # a proposal to close passes at its deadline
    partnership.refresh_from_db(fields=["closed_at", "closing_decision"])
    what = request.POST.get("do") if request.method == "POST" else None
    context = _base(request, partnership, "learn", while_closed=what == "reopen")
    user = request.user
    lesson_form = close_form = reopen_form = None
    close_proposal = open_close_proposal(partnership)
    if context["may_write"] and user.is_authenticated:
        lesson_form = _member_form(LessonForm(request.POST if what == "lesson" else None), context)
        if what == "lesson" and (
            lesson := apply_service(
                lesson_form,
                lambda d: services.add_lesson(
                    user=user, partnership=partnership, actor=d["actor"], kind=d["kind"], text=d["text"]
                ),
            )
        ):
            messages.success(request, _("Your lesson is shared with everyone in the partnership."))
            return redirect(lesson_url(lesson))
        if what == "withdraw":
            lesson = _posted(Lesson, request, "lesson", partnership)
            services.withdraw_lesson(user=user, lesson=lesson)
            messages.success(
                request,
                _(
                    "The lesson is withdrawn. It stays on record, marked as withdrawn, and you can restore it under "
                    "“Withdrawn lessons”."
                ),
            )
            return redirect(lesson_url(lesson))
        if what == "restore":
            lesson = _posted(Lesson, request, "lesson", partnership)
            services.restore_lesson(user=user, lesson=lesson)
            messages.success(request, _("The lesson is restored among what the partnership has learned."))
            return redirect(lesson_url(lesson))
        if what == "close":
            steering_actors(user, partnership)  # a colleague in a staff process is told why not (403)
        if what == "close" and close_proposal is not None:  # proposed meanwhile by another member
            messages.info(request, str(CLOSE_PENDING))
            return redirect(close_proposal)
        speakers = partnership.actors_acted_for(user)
        if close_proposal is None and speakers.exists():
            close_form = CloseForm(request.POST if what == "close" else None)
            close_form.set_actors(speakers)
            if what == "close" and (
                proposal := apply_service(
                    close_form,
                    lambda d: services.propose_closing(
                        user=user, partnership=partnership, by_actor=d["actor"], note=d["note"]
                    ),
                )
            ):
                if proposal.status == Proposal.Status.PASSED:  # nobody else has a voice who could object
                    messages.success(request, _("The partnership is closed: nobody else has a voice who could object."))
                    return redirect("partnerships:learn", pk=pk)
                messages.success(
                    request,
                    _("Closing the partnership is proposed to the members. It closes if nobody objects in time."),
                )
                return redirect(proposal)
    if partnership.is_closed and context["is_member"] and user.is_authenticated:
        speakers = partnership.actors_acted_for(user)
        if what == "reopen":
            steering_actors(user, partnership)  # a colleague in a staff process is told why not (403)
        if speakers.exists():
            reopen_form = ReopenForm(request.POST if what == "reopen" else None)
            reopen_form.set_actors(speakers)
            if what == "reopen" and apply_service(
                reopen_form,
                lambda d: services.reopen_partnership(
                    user=user, partnership=partnership, by_actor=d["actor"], reason=d["reason"]
                ),
            ):
                messages.success(request, _("The partnership is open again. Everyone else taking part is told why."))
                return redirect(partnership)
    elif what == "reopen" and context["is_member"]:  # a second click, or another member reopened it first
        messages.info(request, _("The partnership is not closed, so there is nothing to reopen."))
        return redirect("partnerships:learn", pk=pk)
    context |= {
        "lesson_form": lesson_form,
        "close_form": close_form,
        "reopen_form": reopen_form,
        "close_proposal": close_proposal,
        "closing_changes": list(partnership.closing_changes.select_related("by_actor", "user", "decision")),
    }
    context |= what_came_of_it(partnership)
    context |= _surveys(request, partnership, context)
    context |= _lessons(request, partnership, context)
    return render(request, "partnerships/work/learn.html", context)


def what_came_of_it(partnership: Partnership) -> dict[str, Any]:
    """The actions done of all and those overdue, what the standing pledges add up to by kind (as "what we have
    together" counts them), and the decisions taken (corrections of the log left out), newest first."""
    actions = list(partnership.actions.all())
    decisions = list(
        partnership.decisions.filter(corrects=None).select_related("proposal", "corrects")[: DECISIONS_SHOWN + 1]
    )
    together = resources_together(partnership)
    return {
        "actions_count": len(actions),
        "actions_done": sum(1 for action in actions if action.status == Action.Status.DONE),
        "overdue": [action for action in actions if action.is_overdue],
        "together_rows": together["together_rows"],
        "sector_labels": together["sector_labels"],
        "pledge_count": len(together["pledges"]),
        "decisions_taken": [(decision, decision_title(decision)) for decision in decisions[:DECISIONS_SHOWN]],
        "more_decisions": len(decisions) > DECISIONS_SHOWN,
    }


def _surveys(request: HttpRequest, partnership: Partnership, context: dict[str, Any]) -> dict[str, Any]:
    """The partnership's surveys, for those who may read them (as the survey list shows them: not to an actor only
    invited to a members-only partnership), each with whether it has results, and, for those who run surveys, a
    prompt for a follow-up round where the latest round has closed and no later one is planned."""
    if partnership.visibility != Partnership.Visibility.PUBLIC and not context["is_member"]:
        return {"surveys": None}
    may_run = context["may_write"] and partnership.actors_acted_for(request.user).exists()
    now = timezone.now()
    rows = []
    for survey in partnership.surveys.prefetch_related("waves"):
        waves = list(survey.waves.all())  # in the order they open
        latest = waves[-1] if waves else None
        rows.append(
            {
                "survey": survey,
                "results": any(wave.is_closed(now) for wave in waves),
                "latest": latest,
                "follow_up": may_run and latest is not None and latest.is_closed(now),
            }
        )
    return {"surveys": rows, "may_run_surveys": may_run}


def _lessons(request: HttpRequest, partnership: Partnership, context: dict[str, Any]) -> dict[str, Any]:
    """The standing lessons grouped by kind, in the kinds' order, oldest first in each; the withdrawn ones apart;
    and which of them the reader may withdraw, or restore."""
    lessons = list(partnership.lessons.select_related("actor", "user", "withdrawn_by_user"))
    standing = [lesson for lesson in lessons if lesson.withdrawn_at is None]
    user = request.user
    withdrawable = (
        lessons_withdrawable_by(user, partnership, lessons) if context["may_write"] and user.is_authenticated else set()
    )
    return {
        "lesson_groups": [
            (kind.value, kind.label, [lesson for lesson in standing if lesson.kind == kind.value])
            for kind in Lesson.Kind
        ],
        "lesson_count": len(standing),
        "withdrawn_lessons": sorted(
            (lesson for lesson in lessons if lesson.withdrawn_at is not None),
            key=lambda lesson: lesson.withdrawn_at or timezone.now(),
            reverse=True,
        ),
        "withdrawable": withdrawable,
    }
