"""The shared work inside a partnership: agenda, meetings, proposals and decisions, actions and pledges.

Every view reads: fetch with permission → validate → call a service → render. Write access depends on
membership only; nothing here looks at an actor's sector.
"""

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
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samskab.actors.models import Actor, Sector
from samskab.lib.forms import apply_service, version_of
from samskab.lib.http import AuthenticatedRequest, HtmxRequest
from samskab.lib.text import whole_number

from .. import contributors as contributors_module
from .. import services
from ..forms import (
    ActionForm,
    AgendaItemForm,
    AgendaPrioritiesForm,
    AmendForm,
    AttendanceForm,
    CommentForm,
    ContributorsForm,
    CorrectionForm,
    MeetingForm,
    MinutesForm,
    NeedForm,
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
    Proposal,
    ProposalComment,
    Response,
    pledged_towards,
)
from ..models.agenda import PRIORITY_POINTS_PER_ACTOR
from ..permissions import STAFF_PROCESS_IS_INTERNAL, acting_actor_for, get_partnership_for


def _member_form(form: Any, context: dict[str, Any]) -> Any:
    form.set_actors(context["my_actors"])
    return form


def _posted[M: Model](model: type[M], request: HttpRequest, name: str, partnership: Partnership) -> M:
    """The partnership's object whose id a form sent in `name`; 404 for anything else, a non-number included."""
    pk = whole_number(request.POST.get(name, ""))
    if pk is None:
        raise Http404
    return get_object_or_404(model, pk=pk, partnership=partnership)


def _base(request: HttpRequest, partnership: Partnership, section: str) -> dict[str, Any]:
    """What every work page shows, with the user's member actors looked up once (`my_actors`, evaluated).

    Refuses (403) a POST from anyone who is not a member, before the view reads it.
    A member is always signed in. The views test `request.user.is_authenticated` beside "is_member" only so
    that the type checker knows `request.user` is a User in the members' branch; it never changes the outcome.
    """
    my_actors = partnership.member_actors_of(request.user)
    is_member = bool(my_actors)  # runs the query once; the forms and views below read its cache
    if request.method == "POST" and not is_member:
        raise PermissionDenied
    return {"partnership": partnership, "is_member": is_member, "my_actors": my_actors, "section": section}


def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk)
    context = _base(request, partnership, "agenda")
    form = None
    if context["is_member"] and request.user.is_authenticated:
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
    my_actor = context["my_actors"][0] if context["my_actors"] else None
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
    if context["is_member"] and request.user.is_authenticated:
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
            messages.success(request, _("The meeting is scheduled and the members are invited by email."))
            return redirect("partnerships:meetings", pk=pk)
    context |= {"meetings": partnership.meetings.prefetch_related("agenda_items"), "form": form}
    return render(request, "partnerships/work/meetings.html", context)


def meeting(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk)
    meeting = get_object_or_404(Meeting, pk=meeting_pk, partnership=partnership)
    context = _base(request, partnership, "meetings")
    minutes_form = attendance_form = None
    if context["is_member"] and request.user.is_authenticated:
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
    context |= {
        "meeting": meeting,
        "items": meeting.agenda_items.with_how_dealt_with().order_by("created_at"),
        "attendance": meeting.attendance.select_related("actor"),
        "minutes_form": minutes_form,
        "attendance_form": attendance_form,
    }
    return render(request, "partnerships/work/meeting.html", context)


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
    if context["is_member"] and request.user.is_authenticated:
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


def _response_rows(
    partnership: Partnership, members: Any, responses: dict[int | None, Response], *, named: bool
) -> list[tuple[str, Response | None]]:
    """Each voice and its response: the member actors; or, where each person has a voice, the people, named
    only to the members: readers of a public process see the answers and their reasons, not who gave them."""
    if not partnership.voices_are_people:
        return [(m.actor.name, responses.get(m.actor_id)) for m in members]
    people = partnership.people()
    if named:
        return [(partnership.name_of(person, to_member=True) or "", responses.get(person.pk)) for person in people]
    # Unnamed, and in the order of the answers, so no row can be matched to a person by its place.
    order: dict[str, int] = {Response.Kind.OBJECTION: 0, Response.Kind.CONCERN: 1, Response.Kind.CONSENT: 2}
    answers = sorted((responses.get(person.pk) for person in people), key=lambda r: order.get(r.kind, 3) if r else 3)
    return [(_("A participant"), response) for response in answers]


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
    if context["is_member"] and request.user.is_authenticated and (proposal.is_open or action == "comment"):
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
                context |= {"proposal": proposal, "version": version, "posted": comment is not None} | discussion
                return render(request, "partnerships/work/proposal.html#discussion", context)
    answered = version.responses.select_related("actor", "user")
    responses = {(r.user_id if voices_are_people else r.actor_id): r for r in answered}
    members = partnership.members.select_related("actor").order_by("actor__name")
    response_form = amend_form = None
    my_actors = context["my_actors"]
    is_proposer = request.user.is_authenticated and services.is_proposer(proposal, user=request.user, actors=my_actors)
    if context["is_member"] and request.user.is_authenticated and proposal.is_open:
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
                    request.POST if action == "amend" else None, initial={"text": version.text}, auto_id="amend-%s"
                ),
                context,
            )
            if action == "amend" and apply_service(
                amend_form,
                lambda d: services.amend_proposal(
                    user=request.user, proposal=proposal, by_actor=d["actor"], text=d["text"]
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
        "versions": proposal.versions.select_related("amended_by"),
        "rows": _response_rows(partnership, members, responses, named=context["is_member"]),
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
        partnership.decisions.select_related("initiated_by", "proposal", "corrects", "version").prefetch_related(
            "actions"
        )
    )
    forms: dict[int, CorrectionForm] = {}
    if context["is_member"] and request.user.is_authenticated:
        corrected = _posted(Decision, request, "decision", partnership) if request.method == "POST" else None
        # One form per entry, with its own field ids; only the one that was sent is bound.
        forms = {
            entry.pk: _member_form(
                CorrectionForm(request.POST if entry == corrected else None, auto_id=f"correction-{entry.pk}-%s"),
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
        "decisions": [(entry, forms.get(entry.pk)) for entry in log],
        "ground_rules": GroundRules.objects.filter(partnership=partnership).first(),
    }
    return render(request, "partnerships/work/decisions.html", context)


@login_required
def propose_ground_rules(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk, write=True)
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
    needs."""
    partnership = get_partnership_for(request.user, pk)
    context = _base(request, partnership, "together")
    action_form = pledge_form = need_form = None
    if context["is_member"] and request.user.is_authenticated:
        what = request.POST.get("do")
        action_form = _member_form(
            ActionForm(request.POST if what == "action" else None, partnership=partnership),
            context,
        )
        pledge_form = _member_form(
            PledgeForm(request.POST if what == "pledge" else None, partnership=partnership), context
        )
        need_form = NeedForm(request.POST if what == "need" else None)
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
            messages.success(request, _("Saved."))
            return redirect("partnerships:together", pk=pk)
    pledges = Prefetch("pledges", queryset=Pledge.objects.select_related("actor").order_by("pk"))
    context |= {
        "actions": partnership.actions.select_related("decision__proposal").prefetch_related(
            "owners", "responsible_people", pledges
        ),
        "action_statuses": Action.Status.choices,
        "action_form": action_form,
        "pledge_form": pledge_form,
        "need_form": need_form,
    }
    context |= resources_together(partnership)
    return render(request, "partnerships/work/together.html", context)


def resources_together(partnership: Partnership) -> dict[str, Any]:
    """Pledged amounts by kind, unit and sector, and what each need still lacks. An involvement process's staff
    are one actor of one sector: there the amounts are by kind and unit alone (no `sector_labels`)."""
    sectors = Sector.values if partnership.kind == Partnership.Kind.CO_CREATION else []
    totals = Pledge.objects.filter(partnership=partnership).totals()
    rows = [
        {
            "kind": total.label,
            "count": total.count,
            "by_sector": [total.by_sector.get(s, Decimal(0)) for s in sectors],
            "total": total.total,
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
            f"{floatformat(total.total, '-1')} {total.unit}"
            for (kind, other), total in totals.items()
            if kind == need.kind and other not in (unit, "")
        ]
        amount = f"{floatformat(need.amount, '-1')} {need.unit.strip()}".strip()
        needs.append(
            {
                "need": need,
                "amount": amount,
                "have": have,
                "lacking": max(Decimal(0), need.amount - have),
                "other_units": ", ".join(elsewhere),
            }
        )
    return {
        "pledges": Pledge.objects.filter(partnership=partnership).select_related("actor", "action"),
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
    context["may_invite"] = context["is_member"] and partnership.actors_acted_for(request.user).exists()
    if request.method == "POST":
        if not request.user.is_authenticated:  # not reached: write access means a signed-in member
            raise PermissionDenied
        by_actor = acting_actor_for(request.user, partnership, None, steering=True)
        invited = []
        for actor in contributors_module.actors_by_id(
            [number for i in request.POST.getlist("invite") if (number := whole_number(i)) is not None]
        ).values():
            try:
                services.invite_actor(user=request.user, partnership=partnership, by_actor=by_actor, actor=actor)
            except ValidationError:
                continue  # already a member or already invited
            invited.append(actor.name)
        if invited:
            messages.success(request, _("Invited: %(names)s.") % {"names": ", ".join(invited)})
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
    result = contributors_module.find(partnership, search) if search.needs else None
    actors = (
        contributors_module.actors_by_id(
            [s.candidate_id for s in result.suggestions] + [i for c in result.coalitions for i in c.member_ids]
        )
        if result
        else {}
    )
    context |= {
        "form": form,
        "needs": PartnershipNeed.objects.filter(partnership=partnership),
        "result": result,
        "suggestions": [(actors[s.candidate_id], s) for s in result.suggestions[:15]] if result else [],
        "coalitions": [(c, [(actors[i], c.reasons.get(i, [])) for i in c.member_ids]) for c in result.coalitions]
        if result
        else [],
        # Who has been invited is for the members, as on the partnership's page.
        "pending": contributors_module.pending_invitations(partnership) if context["is_member"] else set(),
    }
    return render(request, "partnerships/work/contributors.html", context)


@login_required
def need(request: AuthenticatedRequest, pk: int, need_pk: int) -> HttpResponse:
    """A member corrects a recorded need, or removes it."""
    partnership = get_partnership_for(request.user, pk, write=True)
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
        messages.success(request, _("Saved."))
        return redirect("partnerships:together", pk=pk)
    context |= {"form": form, "need": need}
    return render(request, "partnerships/work/need.html", context)
