"""The shared work inside a partnership: agenda, meetings, proposals and decisions, actions and pledges.

Every view reads: fetch with permission → validate → call a service → render. Write access depends on
membership only; nothing here looks at an actor's sector.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samskab.accounts.models import User
from samskab.actors.models import Actor, Sector
from samskab.lib.forms import apply_service, version_of
from samskab.lib.http import AuthenticatedRequest, HtmxRequest
from samskab.lib.text import local_moment, whole_number

from .. import contributors as contributors_module
from .. import services
from ..forms import (
    ActionEditForm,
    ActionForm,
    AgendaItemForm,
    AgendaPrioritiesForm,
    AmendForm,
    AttendanceForm,
    CancelMeetingForm,
    CommentForm,
    ContributorsForm,
    CorrectionForm,
    MeetingEditForm,
    MeetingForm,
    MinutesForm,
    NeedForm,
    PledgeCorrectionForm,
    PledgeForm,
    ProposalForm,
    ResponseForm,
)
from ..ical import meeting_ics
from ..models import (
    Action,
    AgendaItem,
    Decision,
    GroundRules,
    Meeting,
    Partnership,
    PartnershipNeed,
    Pledge,
    PledgeTotal,
    Proposal,
    ProposalComment,
    ProposalVersion,
    Response,
    pledged_towards,
)
from ..models.actions import ActionChange
from ..models.agenda import PRIORITY_POINTS_PER_ACTOR
from ..permissions import STAFF_PROCESS_IS_INTERNAL, acting_actor_for, get_partnership_for
from ..services.actions import check_pledger, correct_pledge, edit_action, pledges_changeable_by, withdraw_pledge
from ..services.agenda import ATTENDANCE_NOT_YET
from ..services.core import PARTNERSHIP_CLOSED, check_open
from ..services.decisions import decision_title
from .core import tell_who_answers


def _member_form(form: Any, context: dict[str, Any]) -> Any:
    form.set_actors(context["my_actors"])
    return form


def _posted[M: Model](model: type[M], request: HttpRequest, name: str, partnership: Partnership) -> M:
    """The partnership's object whose id a form sent in `name`; 404 for anything else, a non-number included."""
    pk = whole_number(request.POST.get(name, ""))
    if pk is None:
        raise Http404
    return get_object_or_404(model, pk=pk, partnership=partnership)


def _base(
    request: HttpRequest, partnership: Partnership, section: str, *, while_closed: bool = False
) -> dict[str, Any]:
    """What every work page shows, with the user's member actors looked up once (`my_actors`, evaluated).

    Refuses (403) a POST from anyone who is not a member, before the view reads it, and, unless `while_closed`, any
    POST while the partnership is closed (`PARTNERSHIP_CLOSED`): a page opened before it closed. `may_write`: the
    member's forms and buttons are shown, which a closed partnership has none of.
    A member is always signed in. The views test `request.user.is_authenticated` beside "may_write" only so
    that the type checker knows `request.user` is a User in the members' branch; it never changes the outcome.
    """
    my_actors = partnership.member_actors_of(request.user)
    is_member = bool(my_actors)  # runs the query once; the forms and views below read its cache
    if request.method == "POST" and not is_member:
        raise PermissionDenied
    closed = partnership.is_closed
    if request.method == "POST" and closed and not while_closed:
        raise PermissionDenied(PARTNERSHIP_CLOSED)
    return {
        "partnership": partnership,
        "is_member": is_member,
        "may_write": is_member and not closed,
        "my_actors": my_actors,
        "section": section,
    }


def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk)
    context = _base(request, partnership, "agenda")
    form = None
    if context["may_write"] and request.user.is_authenticated:
        form = _member_form(AgendaItemForm(request.POST or None), context)
        if request.method == "POST" and apply_service(
            form,
            lambda d: services.add_agenda_item(
                user=request.user,
                partnership=partnership,
                by_actor=d["actor"],
                title=d["title"],
                description=d["description"],
            ),
        ):
            messages.success(request, _("The item is on the agenda."))
            return redirect("partnerships:agenda", pk=pk)
    my_actor = context["my_actors"][0] if context["may_write"] else None  # a closed partnership takes no points
    return _agenda_page(request, context, form=form, my_actor=my_actor)


def _agenda_page(
    request: HttpRequest,
    context: dict[str, Any],
    *,
    form: AgendaItemForm | None,
    my_actor: Actor | None,
    priorities: AgendaPrioritiesForm | None = None,
) -> HttpResponse:
    """The agenda, with `my_actor`'s points in fields beside the open items (where each person has a voice, the
    person's own points; as typed, when `priorities` is a refused entry)."""
    partnership = context["partnership"]
    on_agenda = AgendaItem.objects.filter(partnership=partnership)
    items = list(
        on_agenda.exclude(status=AgendaItem.Status.DONE)
        .prioritised()
        .select_related("raised_by", "raised_by_user", "meeting")
        .prefetch_related("priorities")
    )
    # Kept apart below the open agenda, each with who marked it or the decision that dealt with it.
    dealt_with = on_agenda.dealt_with().with_how_dealt_with()
    if my_actor is not None and priorities is None:
        per_person = partnership.voices_are_people
        mine = {
            f"points-{p.item_id}": p.points
            for item in items
            for p in item.priorities.all()
            if (p.user_id == request.user.pk if per_person else p.actor_id == my_actor.pk and p.user_id is None)
        }
        priorities = AgendaPrioritiesForm(
            items=items, budget=PRIORITY_POINTS_PER_ACTOR, initial=mine, per_person=per_person
        )
    fields = priorities.fields if priorities is not None else {}
    context |= {
        "rows": [
            (item, priorities[f"points-{item.pk}"] if priorities and f"points-{item.pk}" in fields else None)
            for item in items
        ],
        "dealt_with": list(dealt_with),
        "form": form,
        "priorities": priorities,
        "my_actor": my_actor,
        "budget": PRIORITY_POINTS_PER_ACTOR,
    }
    return render(request, "partnerships/work/agenda.html", context)


@login_required
@require_POST
def agenda_item_status(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    """A member marks an agenda item dealt with, or puts it back on the open agenda; from the agenda page, or
    from the page of the meeting (`meeting`) the item was on, which the member is sent back to."""
    partnership = get_partnership_for(request.user, pk, write=True)
    item = get_object_or_404(AgendaItem, pk=item_pk, partnership=partnership)
    back_to = _posted(Meeting, request, "meeting", partnership) if "meeting" in request.POST else None
    status = request.POST.get("status", "")
    try:
        services.set_agenda_item_status(
            user=request.user,
            item=item,
            by_actor=acting_actor_for(request.user, partnership, None),
            status=status,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if status == AgendaItem.Status.DONE:
            messages.success(request, _("“%(title)s” is marked dealt with.") % {"title": item.title})
        else:
            messages.success(request, _("“%(title)s” is back on the open agenda.") % {"title": item.title})
    return redirect(back_to or reverse("partnerships:agenda", args=[pk]))


@login_required
@require_POST
def agenda_priorities(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk, write=True)
    actor = acting_actor_for(request.user, partnership, None)
    items = AgendaItem.objects.filter(partnership=partnership).exclude(status=AgendaItem.Status.DONE)
    per_person = partnership.voices_are_people
    form = AgendaPrioritiesForm(request.POST, items=items, budget=PRIORITY_POINTS_PER_ACTOR, per_person=per_person)
    if form.is_valid():
        try:
            services.set_priorities(user=request.user, partnership=partnership, actor=actor, points=form.points())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Your priorities are saved.") if per_person else _("Your actor's priorities are saved.")
            )
            return redirect("partnerships:agenda", pk=pk)
    context = _base(request, partnership, "agenda")
    return _agenda_page(request, context, form=_member_form(AgendaItemForm(), context), my_actor=actor, priorities=form)


def meetings(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk)
    context = _base(request, partnership, "meetings")
    form = None
    if context["may_write"] and request.user.is_authenticated:
        form = _member_form(MeetingForm(request.POST or None, partnership=partnership), context)
        if request.method == "POST" and apply_service(
            form,
            lambda d: services.schedule_meeting(
                user=request.user,
                partnership=partnership,
                by_actor=d["actor"],
                title=d["title"],
                starts_at=d["starts_at"],
                ends_at=d["ends_at"],
                place=d["place"],
                video_link=d["video_link"],
                items=d["items"],
            ),
        ):
            messages.success(request, _("The meeting is scheduled and everyone in the partnership is invited."))
            return redirect("partnerships:meetings", pk=pk)
    context |= {"meetings": partnership.meetings.prefetch_related("agenda_items"), "form": form}
    return render(request, "partnerships/work/meetings.html", context)


def meeting(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk)
    meeting = get_object_or_404(
        Meeting.objects.select_related("cancelled_by", "cancelled_by_user", "updated_by", "updated_by_user"),
        pk=meeting_pk,
        partnership=partnership,
    )
    context = _base(request, partnership, "meetings")
    minutes_form = attendance_form = None
    if context["may_write"] and request.user.is_authenticated and not meeting.is_cancelled:
        present = meeting.attendance.filter(present=True).values_list("actor_id", flat=True)
        minutes_form = _member_form(
            MinutesForm(
                request.POST if "minutes" in request.POST else None,
                initial={"minutes": meeting.minutes, "seen": version_of(meeting.minutes_updated_at)},
            ),
            context,
        )
        attendance_form = _member_form(
            AttendanceForm(
                request.POST if "attendance" in request.POST else None,
                partnership=partnership,
                initial={"present": list(present)},
            ),
            context,
        )
        if "minutes" in request.POST and apply_service(
            minutes_form,
            lambda d: services.write_minutes(
                user=request.user, meeting=meeting, by_actor=d["actor"], minutes=d["minutes"], seen=d["seen"]
            ),
        ):
            messages.success(request, _("The minutes are saved."))
            return redirect(meeting)
        if minutes_form.errors:
            meeting.refresh_from_db()  # someone may have saved meanwhile: show their version above the form
        if "attendance" in request.POST and apply_service(
            attendance_form,
            lambda d: services.update_attendance(
                user=request.user, meeting=meeting, by_actor=d["actor"], present=d["present"]
            ),
        ):
            messages.success(request, _("Attendance is saved."))
            return redirect(meeting)
    versions = list(meeting.minutes_versions.select_related("written_by", "written_by_user"))  # newest first
    context |= {
        "meeting": meeting,
        "items": meeting.agenda_items.with_how_dealt_with().order_by("created_at"),
        "attendance": meeting.attendance.select_related("actor"),
        "minutes_form": minutes_form,
        "attendance_form": attendance_form,
        "not_begun": ATTENDANCE_NOT_YET % {"when": local_moment(meeting.starts_at)}
        if meeting.starts_at > timezone.now()
        else "",
        "current_minutes": versions[0] if versions else None,
        "earlier_minutes": versions[1:],
    }
    return render(request, "partnerships/work/meeting.html", context)


@login_required
def meeting_edit(request: AuthenticatedRequest, pk: int, meeting_pk: int) -> HttpResponse:
    """A member changes the meeting's time, place or agenda (`do=edit`), or cancels it with a reason (`do=cancel`).
    Members only: others get 403, as everywhere a member writes."""
    partnership = get_partnership_for(request.user, pk, write=True)
    check_open(partnership)  # a closed partnership is read-only: no form to fill in in vain
    meeting = get_object_or_404(
        Meeting.objects.select_related("updated_by", "updated_by_user"), pk=meeting_pk, partnership=partnership
    )
    if meeting.is_cancelled:
        messages.info(request, _("The meeting is cancelled, so it cannot be changed."))
        return redirect(meeting)
    context = _base(request, partnership, "meetings")
    posted = request.POST.get("do") if request.method == "POST" else None
    initial = {
        "title": meeting.title,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "video_link": meeting.video_link,
        "items": list(meeting.agenda_items.filter(status=AgendaItem.Status.SCHEDULED).values_list("pk", flat=True)),
        "seen": version_of(meeting.updated_at),
    }
    form = _member_form(
        MeetingEditForm(request.POST if posted == "edit" else None, meeting=meeting, initial=initial), context
    )
    cancel_form = _member_form(
        CancelMeetingForm(request.POST if posted == "cancel" else None, prefix="cancel"), context
    )
    if posted == "edit" and apply_service(
        form,
        lambda d: services.update_meeting(
            user=request.user,
            meeting=meeting,
            by_actor=d["actor"],
            title=d["title"],
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            place=d["place"],
            video_link=d["video_link"],
            items=d["items"],
            seen=d["seen"],
        ),
    ):
        messages.success(request, _("The meeting is changed and everyone in the partnership is told."))
        return redirect(meeting)
    if posted == "cancel" and apply_service(
        cancel_form,
        lambda d: services.cancel_meeting(user=request.user, meeting=meeting, by_actor=d["actor"], reason=d["reason"]),
    ):
        messages.success(request, _("The meeting is cancelled and everyone in the partnership is told."))
        return redirect(meeting)
    if form.errors:
        meeting.refresh_from_db()  # someone may have changed it meanwhile: show the meeting as it now stands
    context |= {
        "meeting": meeting,
        "items": meeting.agenda_items.order_by("created_at"),
        "form": form,
        "cancel_form": cancel_form,
    }
    return render(request, "partnerships/work/meeting_edit.html", context)


def meeting_calendar(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk)
    meeting = get_object_or_404(Meeting, pk=meeting_pk, partnership=partnership)
    response = HttpResponse(meeting_ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="moede-{meeting.pk}.ics"'
    return response


def proposals(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk)
    services.settle_due_proposals(partnership=partnership)
    context = _base(request, partnership, "proposals")
    form = None
    if context["may_write"] and request.user.is_authenticated:
        form = _member_form(ProposalForm(request.POST or None, partnership=partnership), context)
        if request.method == "POST" and (
            proposal := apply_service(
                form,
                lambda d: services.propose(
                    user=request.user,
                    partnership=partnership,
                    by_actor=d["actor"],
                    title=d["title"],
                    text=d["text"],
                    deadline=d["deadline"],
                    agenda_item=d["agenda_item"],
                ),
            )
        ):
            if proposal.is_open:
                messages.success(request, _("The proposal is open for responses until its deadline."))
            else:  # nobody else has a voice: consent decided it at once
                messages.success(request, _("The proposal is decided: nobody else has a voice who could object."))
            return redirect(proposal)
    context |= {"proposals": partnership.proposals.select_related("proposed_by", "proposed_by_user"), "form": form}
    return render(request, "partnerships/work/proposals.html", context)


# Where each person has a voice, readers who are not members see the responses unnamed, in this order (a voice that
# consents by proposing after the explicit consents, the silent last), so that no row can be matched to a person by
# its place.
_UNNAMED_ORDER: dict[str, int] = {Response.Kind.OBJECTION: 0, Response.Kind.CONCERN: 1, Response.Kind.CONSENT: 2}


def _voice_actors(proposal: Proposal, answered: Iterable[Response]) -> list[Actor]:
    """The member actors whose voices a proposal's record shows, by name: those that were members when it closed
    (`Proposal.voices_counted_at`), so that an actor that joined since is not shown as silently consenting, nor one
    that left since dropped; the members now while it is open. And any actor that answered its latest version and
    has left since: its objection still stands (`services.decisions._everyone_consents`)."""
    partnership = proposal.partnership
    moment = proposal.voices_counted_at
    members = partnership.members.all() if moment is None else partnership.members.filter(joined_at__lte=moment)
    ids = set(members.values_list("actor_id", flat=True))
    if moment is not None:  # members then that have left since
        ids |= set(
            partnership.departures.filter(joined_at__lte=moment, left_at__gt=moment).values_list("actor_id", flat=True)
        )
    ids |= {r.actor_id for r in answered}
    return list(Actor.objects.filter(pk__in=ids).order_by("name", "pk"))


def _response_rows(
    proposal: Proposal, actors: list[Actor], responses: dict[int | None, Response], *, named: bool
) -> list[tuple[str, Response | None, bool]]:
    """Each voice, its response, and whether it consents by proposing: the proposer, unless they answered
    otherwise, as consent counts them (`services.decisions._everyone_consents`). The voices are the member actors
    (`_voice_actors`), one that has left since marked so; or, where each person has a voice, the people, named only
    to the members: readers of a public process see the answers and their reasons, not who gave them."""
    partnership = proposal.partnership
    if not partnership.voices_are_people:
        current = set(partnership.members.values_list("actor_id", flat=True))
        left = _("%(actor)s (has left the partnership)")
        return [
            (
                actor.name if actor.pk in current else left % {"actor": actor.name},
                responses.get(actor.pk),
                actor.pk == proposal.proposed_by_id and actor.pk not in responses,
            )
            for actor in actors
        ]
    rows = [
        (person, responses.get(person.pk), person.pk == proposal.proposed_by_user_id and person.pk not in responses)
        for person in partnership.people()
    ]
    if named:
        return [
            (partnership.name_of(person, to_member=True) or "", answer, proposing) for person, answer, proposing in rows
        ]

    def place(row: tuple[Any, Response | None, bool]) -> int:
        _person, answer, proposing = row
        return _UNNAMED_ORDER.get(answer.kind, 4) if answer else (3 if proposing else 4)

    return [(_("A participant"), answer, proposing) for _person, answer, proposing in sorted(rows, key=place)]


def _earlier_versions(
    proposal: Proposal, *, current: ProposalVersion, named: bool
) -> list[tuple[ProposalVersion, list[tuple[str, Response]], int]]:
    """The versions before `current`, each with its responses (`_earlier_responses`) and how many objected."""
    versions = proposal.versions.exclude(pk=current.pk).prefetch_related(
        Prefetch("responses", queryset=Response.objects.select_related("actor", "user"))
    )
    result = []
    for version in versions:
        answers = _earlier_responses(proposal.partnership, version, named=named)
        result.append((version, answers, sum(1 for _voice, r in answers if r.kind == Response.Kind.OBJECTION)))
    return result


def _earlier_responses(
    partnership: Partnership, version: ProposalVersion, *, named: bool
) -> list[tuple[str, Response]]:
    """The responses given to a version since amended, with their reasons: the record of why it changed. Named as
    on the current version (`_response_rows`): the actor; where each person has a voice, the person to the members,
    and to other readers no one, objections first. Reads the version's prefetched responses."""
    given: list[Response] = list(version.responses.all())
    if not partnership.voices_are_people:
        return sorted(((r.actor.name, r) for r in given), key=lambda row: row[0].casefold())
    if named:
        rows = [(partnership.name_of(r.user, to_member=True) or _("A participant"), r) for r in given]
        return sorted(rows, key=lambda row: row[0].casefold())
    unnamed = sorted(given, key=lambda r: (_UNNAMED_ORDER.get(r.kind, 3), r.reason))
    return [(_("A participant"), r) for r in unnamed]


def _comment_author(comment: ProposalComment, *, people: bool, named: bool) -> str:
    """Who wrote a comment: the person and the actor they wrote for. Where each person has a voice, readers who are
    not members read "a participant", as for the responses (`_response_rows`). Never an address: without a name
    (or an account, since deleted) the actor stands alone in co-creation, and the person is said to have none."""
    if people and not named:
        return _("A participant")
    if comment.user is not None and comment.user.name:
        person = comment.user.name
    elif people:
        person = _("A person who has not given a name") if comment.user is not None else _("A participant")
    else:
        return comment.actor.name
    if person == comment.actor.name:  # a citizen actor is the person
        return person
    return _("%(person)s (%(actor)s)") % {"person": person, "actor": comment.actor.name}


def _discussion(
    proposal: Proposal, *, people: bool, named: bool, form: CommentForm | None, replying_to: int | None
) -> dict[str, Any]:
    """The proposal's discussion, oldest first, each comment with its replies under it: one query for all."""
    comments = proposal.comments.select_related("actor", "user", "version")
    thread: list[dict[str, Any]] = []
    by_pk: dict[int, dict[str, Any]] = {}
    for comment in comments:
        entry = {"comment": comment, "author": _comment_author(comment, people=people, named=named), "replies": []}
        if comment.reply_to_id is None:
            by_pk[comment.pk] = entry
            thread.append(entry)
        elif comment.reply_to_id in by_pk:
            by_pk[comment.reply_to_id]["replies"].append(entry)
    return {
        "thread": thread,
        "comment_count": sum(1 + len(entry["replies"]) for entry in thread),
        "comment_form": form,
        "replying_to": by_pk.get(replying_to) if replying_to is not None and form is not None else None,
    }


def proposal(request: HtmxRequest, pk: int, proposal_pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk)
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    services.settle_due_proposals(partnership=partnership)
    proposal = get_object_or_404(
        Proposal.objects.select_related("proposed_by", "proposed_by_user"), pk=proposal_pk, partnership=partnership
    )
    proposal.partnership = partnership  # the same row, read once
    context = _base(request, partnership, "proposals")
    version = proposal.current_version()
    voices_are_people = partnership.voices_are_people
    action = request.POST.get("do")
    comment_form = None
    # "Reply" links here with ?svar=<the comment>; a reply answers a comment that is not itself a reply.
    replying_to = whole_number(request.GET.get("svar", ""))
    if replying_to is not None and not proposal.comments.filter(pk=replying_to, reply_to__isnull=True).exists():
        replying_to = None
    if context["may_write"] and request.user.is_authenticated and (proposal.is_open or action == "comment"):
        # Also when the proposal closed while the person wrote: the refusal then keeps their text on the page.
        comment_form = _member_form(
            CommentForm(
                request.POST if action == "comment" else None,
                proposal=proposal,
                initial={"version": version.number, "reply_to": replying_to},
            ),
            context,
        )
        if action == "comment":
            replying_to = whole_number(request.POST.get("reply_to", ""))
            comment = apply_service(
                comment_form,
                lambda d: services.comment_on_proposal(
                    user=request.user,
                    proposal=proposal,
                    actor=d["actor"],
                    text=d["text"],
                    version_number=d["version"],
                    reply_to=d["reply_to"],
                ),
            )
            if comment is not None and not request.htmx:
                messages.success(request, _("Your comment is posted."))
                return redirect(comment)
            if request.htmx:  # the discussion alone: with the new comment and an empty form, or with the refusal
                if comment is not None:
                    fresh = CommentForm(proposal=proposal, initial={"version": comment.version.number})
                    comment_form, replying_to = _member_form(fresh, context), None
                discussion = _discussion(
                    proposal, people=voices_are_people, named=True, form=comment_form, replying_to=replying_to
                )
                context |= {"proposal": proposal, "version": version, "posted": comment} | discussion
                return render(request, "partnerships/work/proposal.html#discussion", context)
    answered = version.responses.select_related("actor", "user")
    responses = {(r.user_id if voices_are_people else r.actor_id): r for r in answered}
    members = _voice_actors(proposal, answered)
    response_form = amend_form = None
    my_actors = context["my_actors"]
    is_proposer = request.user.is_authenticated and services.is_proposer(proposal, user=request.user, actors=my_actors)
    if context["may_write"] and request.user.is_authenticated and proposal.is_open:
        # The answer already given on this version is the form's starting point, to keep or change.
        given = (
            responses.get(request.user.pk)
            if voices_are_people
            else next((responses[a.pk] for a in my_actors if a.pk in responses), None)
        )
        initial: dict[str, object] = {"version": version.number}
        if given is not None:  # with the actor it was given for, should the person act for several
            initial |= {"kind": given.kind, "reason": given.reason, "actor": given.actor_id}
        response_form = _member_form(
            ResponseForm(request.POST if action == "respond" else None, initial=initial), context
        )
        if voices_are_people:
            response_form.fields["kind"].label = _("Your response")
        if action == "respond" and apply_service(
            response_form,
            lambda d: services.respond_to_proposal(
                user=request.user,
                proposal=proposal,
                actor=d["actor"],
                version_number=d["version"],
                kind=d["kind"],
                reason=d["reason"],
            ),
        ):
            messages.success(
                request,
                _("Your response is recorded.")
                if partnership.voices_are_people
                else _("Your actor's response is recorded."),
            )
            return redirect(proposal)
        if is_proposer:
            amend_form = _member_form(
                AmendForm(
                    request.POST if action == "amend" else None,
                    initial={"text": version.text, "version": version.number},
                    auto_id="amend-%s",
                ),
                context,
            )
            if action == "amend" and apply_service(
                amend_form,
                lambda d: services.amend_proposal(
                    user=request.user, proposal=proposal, by_actor=d["actor"], text=d["text"], based_on=d["version"]
                ),
            ):
                messages.success(
                    request,
                    _("The amended proposal is a new version; everyone responds again.")
                    if partnership.voices_are_people
                    else _("The amended proposal is a new version; every actor responds again."),
                )
                return redirect(proposal)
            if action == "withdraw":
                try:
                    services.withdraw_proposal(
                        user=request.user, proposal=proposal, by_actor=my_actors.get(pk=proposal.proposed_by_id)
                    )
                except ValidationError as error:  # closed since the page checked: a second click, or the deadline
                    messages.error(request, " ".join(error.messages))
                else:
                    messages.info(request, _("The proposal has been withdrawn."))
                return redirect(proposal)
    elif request.method == "POST" and action != "comment":
        messages.error(request, _("The proposal is closed."))
        return redirect(proposal)
    context |= {
        "proposal": proposal,
        "version": version,
        "earlier": _earlier_versions(proposal, current=version, named=context["is_member"]),
        "rows": _response_rows(proposal, members, responses, named=context["is_member"]),
        "voices_are_people": voices_are_people,
        "objections": [r for r in responses.values() if r.kind == Response.Kind.OBJECTION],
        "response_form": response_form,
        "amend_form": amend_form,
        "is_proposer": is_proposer,
        "decision": proposal.decisions.first(),
    }
    context |= _discussion(
        proposal, people=voices_are_people, named=context["is_member"], form=comment_form, replying_to=replying_to
    )
    return render(request, "partnerships/work/proposal.html", context)


def decisions(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk)
    services.settle_due_proposals(partnership=partnership)
    context = _base(request, partnership, "decisions")
    log = list(
        partnership.decisions.select_related(
            "initiated_by", "initiated_by_user", "proposal__agenda_item__raised_by", "version"
        ).prefetch_related("actions")
    )
    # A correction points to an entry of the same log: linked here, so that its title and the text it corrects are
    # read without a query of their own.
    by_pk = {entry.pk: entry for entry in log}
    corrections: dict[int, list[Decision]] = {}
    for entry in log:
        if entry.corrects_id is not None:
            entry.corrects = by_pk[entry.corrects_id]
            corrections.setdefault(entry.corrects_id, []).append(entry)
    forms: dict[int, CorrectionForm] = {}
    if context["may_write"] and request.user.is_authenticated:
        corrected = _posted(Decision, request, "decision", partnership) if request.method == "POST" else None
        # One form per entry, with its own field ids, starting from the entry's text to put right; only the one
        # that was sent is bound.
        forms = {
            entry.pk: _member_form(
                CorrectionForm(
                    request.POST if entry == corrected else None,
                    initial={"text": entry.text},
                    auto_id=f"correction-{entry.pk}-%s",
                ),
                context,
            )
            for entry in log
        }
        if corrected is not None and apply_service(
            forms[corrected.pk],
            lambda d: services.correct_decision(
                user=request.user, decision=corrected, by_actor=d["actor"], text=d["text"]
            ),
        ):
            messages.success(request, _("The correction is added to the log."))
            return redirect("partnerships:decisions", pk=pk)
    context |= {
        "decisions": [
            (entry, decision_title(entry), corrections.get(entry.pk, []), forms.get(entry.pk)) for entry in log
        ],
        "ground_rules": GroundRules.objects.filter(partnership=partnership).first(),
    }
    return render(request, "partnerships/work/decisions.html", context)


@login_required
def propose_ground_rules(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk, write=True)
    check_open(partnership)  # a closed partnership is read-only: no form to fill in in vain
    rules = GroundRules.objects.filter(partnership=partnership).first()
    context = _base(request, partnership, "decisions")
    form = _member_form(
        ProposalForm(
            request.POST or None,
            partnership=partnership,
            initial={"title": _("Change the ground rules"), "text": rules.text if rules else ""},
        ),
        context,
    )
    if request.method == "POST" and (
        proposal := apply_service(
            form,
            lambda d: services.propose(
                user=request.user,
                partnership=partnership,
                by_actor=d["actor"],
                title=d["title"],
                text=d["text"],
                deadline=d["deadline"],
                kind=Proposal.Kind.GROUND_RULES,
                agenda_item=d["agenda_item"],
            ),
        )
    ):
        messages.success(request, _("The change is proposed; it takes effect if no objection stands at the deadline."))
        return redirect(proposal)
    context |= {
        "form": form,
        "title": _("Propose new ground rules"),
        "intro": _("Changing the ground rules is itself a consent decision."),
        "submit": _("Propose"),
        "cancel": partnership,
    }
    return render(request, "form_page.html", context)


def together(request: HttpRequest, pk: int) -> HttpResponse:
    """The action plan, the pledges, and what we have together by kind (and sector, in co-creation) against the
    needs. Members edit an action on a page of its own (`?rediger=<id>`), and the pledging actor's people correct
    or withdraw a pledge on one (`?tilsagn=<id>`)."""
    partnership = get_partnership_for(request.user, pk)
    context = _base(request, partnership, "together")
    action_form = pledge_form = need_form = None
    if context["may_write"] and request.user.is_authenticated:
        what = request.POST.get("do")
        asked = request.GET if request.method == "GET" else {}
        if what == "edit" or "rediger" in asked:
            return _edit_action(request, request.user, partnership, context)
        if what in ("correct", "withdraw") or "tilsagn" in asked:
            return _change_pledge(request, request.user, partnership, context)
        action_form = _member_form(
            ActionForm(request.POST if what == "action" else None, partnership=partnership, auto_id="action_%s"),
            context,
        )
        pledge_form = _member_form(
            PledgeForm(request.POST if what == "pledge" else None, partnership=partnership, auto_id="pledge_%s"),
            context,
        )
        need_form = NeedForm(
            request.POST if what == "need" else None, auto_id="need_%s"
        )  # one page, three forms: own ids
        done = False
        if what == "action":
            done = apply_service(
                action_form,
                lambda d: services.create_action(
                    user=request.user,
                    partnership=partnership,
                    by_actor=d["actor"],
                    title=d["title"],
                    description=d["description"],
                    owners=d["owners"],
                    deadline=d["deadline"],
                    decision=d["decision"],
                    responsible_people=d.get("responsible_people", ()),  # asked in employee involvement only
                ),
            )
        elif what == "pledge":
            done = apply_service(
                pledge_form,
                lambda d: services.pledge(
                    user=request.user,
                    partnership=partnership,
                    actor=d["actor"],
                    kind=d["kind"],
                    description=d["description"],
                    quantity=d["quantity"],
                    unit=d["unit"],
                    resource=d["resource"],
                    action=d["action"],
                ),
            )
        elif what == "need":
            done = apply_service(
                need_form,
                lambda d: services.add_need(
                    user=request.user,
                    partnership=partnership,
                    by_actor=context["my_actors"][0],
                    **d,
                ),
            )
        elif what == "status":
            action = _posted(Action, request, "action", partnership)
            try:
                services.update_action_status(
                    user=request.user,
                    action=action,
                    by_actor=acting_actor_for(request.user, partnership, None),
                    status=request.POST.get("status", ""),
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("partnerships:together", pk=pk)
            done = True
        if done:
            saved = {
                "action": _("The action is added to the plan."),
                "pledge": _("The pledge is recorded."),
                "need": _("The need is added."),
                "status": _("The action's status is saved."),
            }
            messages.success(request, saved.get(what or "", _("Saved.")))
            return redirect("partnerships:together", pk=pk)
    standing = Prefetch("pledges", queryset=Pledge.objects.standing().select_related("actor").order_by("pk"))
    changes = Prefetch("changes", queryset=ActionChange.objects.select_related("actor", "user"))
    context |= {
        "actions": partnership.actions.select_related("decision__proposal").prefetch_related(
            "owners", "responsible_people", standing, changes
        ),
        "action_statuses": Action.Status.choices,
        "action_form": action_form,
        "pledge_form": pledge_form,
        "need_form": need_form,
    }
    context |= resources_together(partnership)
    context["changeable"] = (
        pledges_changeable_by(request.user, partnership, context["pledges"])
        if context["may_write"] and request.user.is_authenticated
        else set()
    )
    # Actors that left and have not joined again: their kept pledges and their actions are marked as theirs.
    context["left"] = set(
        partnership.departures.exclude(actor__in=partnership.members.values("actor")).values_list("actor", flat=True)
    )
    return render(request, "partnerships/work/together.html", context)


def _chosen[M: Model](model: type[M], request: HttpRequest, name: str, partnership: Partnership) -> M:
    """The partnership's object whose id the address gives in `name` (`?rediger=3`); 404 for anything else."""
    pk = whole_number(request.GET.get(name, ""))
    if pk is None:
        raise Http404
    return get_object_or_404(model, pk=pk, partnership=partnership)


def _edit_action(request: HttpRequest, user: User, partnership: Partnership, context: dict[str, Any]) -> HttpResponse:
    """A member edits an action (opened at `?rediger=<id>`, saved with do=edit). If another member saved it since
    it was opened, nothing is saved: their version is shown above the form, which keeps what was typed."""
    posted = request.method == "POST"
    action = (
        _posted(Action, request, "action", partnership) if posted else _chosen(Action, request, "rediger", partnership)
    )
    form = _member_form(
        ActionEditForm(request.POST if posted else None, partnership=partnership, action=action), context
    )
    if posted and apply_service(
        form,
        lambda d: edit_action(
            user=user,
            action=action,
            by_actor=d["actor"],
            title=d["title"],
            description=d["description"],
            owners=d["owners"],
            deadline=d["deadline"],
            responsible_people=d.get("responsible_people"),  # asked in employee involvement only
            seen=d["seen"],
        ),
    ):
        messages.success(request, _("The action is saved."))
        return redirect(reverse("partnerships:together", args=[partnership.pk]) + f"#action-{action.pk}")
    if form.errors:
        action.refresh_from_db()  # another member may have saved meanwhile: theirs is shown above the form
    context |= {"form": form, "action": action, "owners": list(action.owners.all())}
    return render(request, "partnerships/work/action.html", context)


def _change_pledge(request: HttpRequest, user: User, partnership: Partnership, context: dict[str, Any]) -> HttpResponse:
    """The pledging actor's people correct a pledge (opened at `?tilsagn=<id>`, saved with do=correct) or withdraw
    it (do=withdraw); other members are refused (403)."""
    posted = request.method == "POST"
    pledge = (
        _posted(Pledge, request, "pledge", partnership) if posted else _chosen(Pledge, request, "tilsagn", partnership)
    )
    check_pledger(user, pledge)
    back = reverse("partnerships:together", args=[partnership.pk])
    if posted and request.POST.get("do") == "withdraw":
        withdraw_pledge(user=user, pledge=pledge)
        messages.success(request, _("The pledge is withdrawn. It no longer counts in what we have together."))
        return redirect(back)
    initial = {
        "description": pledge.description,
        "quantity": pledge.quantity,
        "unit": pledge.unit,
        "seen": version_of(pledge.updated_at),
    }
    form = PledgeCorrectionForm(request.POST if posted else None, initial=initial)
    if posted and apply_service(form, lambda d: correct_pledge(user=user, pledge=pledge, **d)):
        messages.success(request, _("The pledge is corrected."))
        return redirect(back)
    if form.errors:
        pledge.refresh_from_db()  # corrected or withdrawn meanwhile: shown above the form
    context |= {"form": form, "pledge": pledge}
    return render(request, "partnerships/work/pledge.html", context)


def _sector_cells(total: PledgeTotal, sectors: list[str]) -> list[dict[str, Decimal | int | None]]:
    """What each sector pledged of one kind and unit: its amount where its pledges gave one; else how many pledges
    it made (a network pledged without an amount is not 0 of anything); else 0 where others gave amounts, and
    nothing (amount and count None) where nobody did."""
    cells: list[dict[str, Decimal | int | None]] = []
    for sector in sectors:
        count = total.count_by_sector.get(sector, 0)
        if sector in total.amount_given:
            cells.append({"amount": total.by_sector[sector], "count": None})
        elif count:
            cells.append({"amount": None, "count": count})
        else:
            cells.append({"amount": Decimal(0) if total.amount_given else None, "count": None})
    return cells


def resources_together(partnership: Partnership) -> dict[str, Any]:
    """Pledged amounts by kind, unit and sector, and what each need still lacks, counting the standing pledges
    only. An involvement process's staff are one actor of one sector: there the amounts are by kind and unit
    alone (no `sector_labels`)."""
    sectors = Sector.values if partnership.kind == Partnership.Kind.CO_CREATION else []
    totals = Pledge.objects.filter(partnership=partnership).totals()
    rows = [
        {
            "kind": total.label,
            "count": total.count,
            "by_sector": _sector_cells(total, sectors),
            "total": total.total if total.amount_given else None,
        }
        for total in totals.values()
    ]
    # A need counts the pledges of its kind in its unit, and those that give no unit: "10 timer" does not lessen
    # a need of "2 uger". Pledges in another unit are named beside the need rather than silently left out.
    needs = []
    for need in PartnershipNeed.objects.filter(partnership=partnership):
        unit = services.same_unit(need.unit)
        have = pledged_towards(totals, need.kind, need.unit)
        elsewhere = [
            f"{floatformat(total.total, '-1g')} {total.unit}"
            for (kind, other), total in totals.items()
            if kind == need.kind and other not in (unit, "")
        ]
        amount = f"{floatformat(need.amount, '-1g')} {need.unit.strip()}".strip()
        needs.append(
            {
                "need": need,
                "amount": amount,
                "have": have,
                "lacking": max(Decimal(0), need.amount - have),
                "other_units": ", ".join(elsewhere),
            }
        )
    pledges = Pledge.objects.filter(partnership=partnership).select_related("actor", "action")
    return {
        "pledges": list(pledges.standing()),
        "withdrawn_pledges": list(
            pledges.exclude(withdrawn_at=None).select_related("withdrawn_by_user").order_by("-withdrawn_at")
        ),
        "together_rows": rows,
        "sector_labels": [Sector(s).label for s in sectors],
        "needs": needs,
    }


def _staff_contributors(request: HttpRequest, partnership: Partnership, context: dict[str, Any]) -> HttpResponse:
    """In employee involvement those who could contribute are the workplace's staff, not other actors
    (`STAFF_PROCESS_IS_INTERNAL`): the page says so, counts the people taking part, and offers the workplace's
    administrators to invite colleagues into it."""
    if request.method == "POST":
        raise PermissionDenied(STAFF_PROCESS_IS_INTERNAL)
    context |= {
        "workplaces": [m.actor for m in partnership.members.select_related("actor")],
        "actors_to_invite_into": partnership.workplaces_administered_by(request.user),
        "people": partnership.people().count(),
        "needs": PartnershipNeed.objects.filter(partnership=partnership),
    }
    return render(request, "partnerships/work/contributors_staff.html", context)


def contributors(request: HttpRequest, pk: int) -> HttpResponse:
    """Who could contribute? Ranked actors with reasons and three alternative coalitions; invite in one click."""
    partnership = get_partnership_for(request.user, pk)
    context = _base(request, partnership, "contributors")
    if partnership.voices_are_people:
        return _staff_contributors(request, partnership, context)
    # Inviting steers the partnership: in a staff process, those who act for the workplace do it, not colleagues.
    context["may_invite"] = context["may_write"] and partnership.actors_acted_for(request.user).exists()
    if request.method == "POST":
        if not request.user.is_authenticated:  # not reached: write access means a signed-in member
            raise PermissionDenied
        by_actor = acting_actor_for(request.user, partnership, None, steering=True)
        invited: list[Actor] = []
        for actor in contributors_module.actors_by_id(
            [number for i in request.POST.getlist("invite") if (number := whole_number(i)) is not None]
        ).values():
            try:
                services.invite_actor(user=request.user, partnership=partnership, by_actor=by_actor, actor=actor)
            except ValidationError:
                continue  # already a member or already invited
            invited.append(actor)
        if invited:
            messages.success(request, _("Invited: %(names)s.") % {"names": ", ".join(a.name for a in invited)})
            tell_who_answers(request, invited)
        else:
            messages.info(request, _("Nobody new to invite: they are members or already invited."))
        return redirect(request.get_full_path())
    default = contributors_module.default_request(partnership)
    form = ContributorsForm(
        request.GET or None, partnership=partnership, initial={"themes": default.themes, "radius_km": default.radius_km}
    )
    search = default
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        search = contributors_module.Request(
            needs=default.needs,
            themes=[t.slug for t in data["themes"]],
            centre=contributors_module.area_centre(partnership, data["neighbourhood"]),
            radius_km=data["radius_km"] or contributors_module.DEFAULT_RADIUS_KM,
        )
    # Without needs there is nothing for a coalition to cover: actors are still suggested by theme and area, and
    # the page says that recording the needs brings coalitions.
    result = contributors_module.find(partnership, search)
    actors = contributors_module.actors_by_id(
        [s.candidate_id for s in result.suggestions] + [i for c in result.coalitions for i in c.member_ids]
    )
    context |= {
        "form": form,
        "needs": PartnershipNeed.objects.filter(partnership=partnership),
        "by_needs": bool(search.needs),
        "themes_chosen": bool(search.themes),
        "result": result,
        "suggestions": [(actors[s.candidate_id], s) for s in result.suggestions[:15]],
        "coalitions": [(c, [(actors[i], c.reasons.get(i, [])) for i in c.member_ids]) for c in result.coalitions],
        # Who has been invited is for the members, as on the partnership's page.
        "pending": contributors_module.pending_invitations(partnership) if context["is_member"] else set(),
    }
    return render(request, "partnerships/work/contributors.html", context)


@login_required
def need(request: AuthenticatedRequest, pk: int, need_pk: int) -> HttpResponse:
    """A member corrects a recorded need, or removes it."""
    partnership = get_partnership_for(request.user, pk, write=True)
    check_open(partnership)  # a closed partnership is read-only: no form to fill in in vain
    need = get_object_or_404(PartnershipNeed, partnership=partnership, pk=need_pk)
    context = _base(request, partnership, "together")
    if not context["is_member"]:
        raise PermissionDenied
    by_actor = context["my_actors"][0]
    initial = {"kind": need.kind, "amount": need.amount, "unit": need.unit, "description": need.description}
    form = NeedForm(request.POST if request.POST.get("do") == "save" else None, initial=initial)
    if request.POST.get("do") == "remove":
        services.remove_need(user=request.user, need=need, by_actor=by_actor)
        messages.success(request, _("The need is removed."))
        return redirect("partnerships:together", pk=pk)
    if form.is_bound and apply_service(
        form, lambda d: services.update_need(user=request.user, need=need, by_actor=by_actor, **d)
    ):
        messages.success(request, _("The need is saved."))
        return redirect("partnerships:together", pk=pk)
    context |= {"form": form, "need": need}
    return render(request, "partnerships/work/need.html", context)
