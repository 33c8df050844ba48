from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, Prefetch, Q, QuerySet, Value, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samskab.accounts.models import User
from samskab.actors import claims
from samskab.actors.forms import DirectoryForm
from samskab.actors.models import Actor, Sector
from samskab.lib.forms import apply_service, version_of
from samskab.lib.http import AuthenticatedRequest, HtmxRequest

from .. import services
from ..forms import (
    ChallengeFilterForm,
    ChallengeForm,
    ChallengeStatusForm,
    FacilitatorForm,
    InviteActorForm,
    LeaveForm,
    PartnershipFilterForm,
    PartnershipForm,
    PhaseForm,
    RespondForm,
    StartPartnershipForm,
    WithdrawInvitationForm,
)
from ..models import (
    Action,
    Challenge,
    Decision,
    JoinRequest,
    Lesson,
    Partnership,
    PartnershipInvitation,
    PartnershipMember,
    Phase,
    Pledge,
    Proposal,
)
from ..permissions import (
    LEAVE_REFUSED,
    STAFF_PROCESS_IS_INTERNAL,
    get_challenge_for,
    get_invitation_for,
    get_partnership_for,
    steering_actors,
)
from ..services.core import check_open
from ..services.joining import actors_who_may_ask

PAGE_SIZE = 20
LATEST_DECISIONS = 3  # shown for each partnership on its challenge's page
MY_PARTNERSHIPS_SHOWN = 6  # on the front page


def with_voices(partnerships: Iterable[Partnership]) -> list[Partnership]:
    """The partnerships, each involvement process given `voices`: how many people have a voice in it, as
    `Partnership.people` counts them, for a list's cards. One query for the whole list, none without a process."""
    shown = list(partnerships)
    processes = [partnership for partnership in shown if partnership.voices_are_people]
    if not processes:
        return shown
    people = [
        process.people()
        .order_by()
        .annotate(process=Value(process.pk, output_field=IntegerField()))
        .values_list("process", "pk")
        for process in processes
    ]
    counts = Counter(process for process, _person in people[0].union(*people[1:], all=True))
    for process in processes:
        setattr(process, "voices", counts[process.pk])  # noqa: B010 - read by the card, not a field
    return shown


def home(request: HttpRequest) -> HttpResponse:
    mine = Partnership.objects.of_user(request.user).prefetch_related("members")[: MY_PARTNERSHIPS_SHOWN + 1]
    my_actors = list(Actor.objects.of_user(request.user).distinct())
    context = {
        "challenges": Challenge.objects.filter(status=Challenge.Status.OPEN).select_related("raised_by")[:6],
        "partnerships": with_voices(Partnership.objects.for_front_page().prefetch_related("members")[:6]),
        "mine": with_voices(mine),
        "actor_count": Actor.objects.count(),
        "my_actors": my_actors,
        "colleague_of": Actor.objects.with_colleague(request.user),
        "pending_invitations": PartnershipInvitation.objects.pending().answerable_by(request.user).count(),
        "to_take_over": list(claims.waiting_for(request.user)[:5]),
        # A person who acts only as themself is spoken to as "you", not as "your actors".
        "only_self": all(actor.sector == Sector.CITIZEN for actor in my_actors),
    }
    return render(request, "home.html", context)


def challenge_list(request: HtmxRequest) -> HttpResponse:
    form = ChallengeFilterForm(request.GET or None)
    challenges = (
        Challenge.objects.search(**form.filters())
        .with_closed_partnerships()
        .select_related("raised_by", "municipality")
        .prefetch_related("themes")
    )
    page = Paginator(challenges, PAGE_SIZE).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "partnerships/challenge_list.html#results" if request.htmx else "partnerships/challenge_list.html"
    return render(request, template, context)


@dataclass
class Outcome:
    """What has come of one partnership started on a challenge, so far."""

    partnership: Partnership
    problem_definition: str  # as adopted, "" until it is
    decisions: list[Decision]  # the latest `LATEST_DECISIONS`, newest first
    actions_done: int
    actions: int
    lessons: list[Lesson]  # the standing ones, by kind (`Lesson.Kind`'s order), oldest first in each


def outcomes(visible: QuerySet[Partnership]) -> list[Outcome]:
    """What came of each partnership, in a fixed number of queries however many there are."""
    # The log as its decisions page shows it, with the proposals past their deadline settled (which may adopt the
    # problem definition): settled first, and found in one query.
    due = Proposal.objects.filter(partnership__in=visible, status=Proposal.Status.OPEN, deadline__lte=timezone.now())
    for partnership in Partnership.objects.filter(pk__in=due.values("partnership_id")):
        services.settle_due_proposals(partnership=partnership)
    # The opinions app gives a partnership its problem definition, selected with it.
    partnerships = list(visible.select_related("problem_definition"))
    latest = Decision.objects.select_related("proposal", "corrects")[:LATEST_DECISIONS]
    prefetch_related_objects(partnerships, Prefetch("decisions", queryset=latest, to_attr="latest_decisions"))
    lessons = Lesson.objects.standing().select_related("actor")
    prefetch_related_objects(partnerships, Prefetch("lessons", queryset=lessons, to_attr="standing_lessons"))
    kinds = list(Lesson.Kind.values)
    counts = {
        row["partnership"]: row
        for row in Action.objects.filter(partnership__in=partnerships)
        .order_by()
        .values("partnership")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=Action.Status.DONE)))
    }
    result = []
    for partnership in partnerships:
        definition = getattr(partnership, "problem_definition", None)  # none until a member drafts one
        row = counts.get(partnership.pk, {"total": 0, "done": 0})
        result.append(
            Outcome(
                partnership=partnership,
                problem_definition=definition.adopted_text if definition and definition.adopted_at else "",
                decisions=partnership.latest_decisions,  # type: ignore[attr-defined]
                actions_done=row["done"],
                actions=row["total"],
                lessons=sorted(partnership.standing_lessons, key=lambda lesson: kinds.index(lesson.kind)),  # type: ignore[attr-defined]
            )
        )
    return result


def _challenge_page(
    request: HttpRequest, challenge: Challenge, status_form: ChallengeStatusForm | None = None
) -> HttpResponse:
    shown = outcomes(challenge.partnerships.visible_to(request.user))
    may_edit = challenge.may_edit(request.user)
    context = {
        "challenge": challenge,
        "outcomes": shown,
        "members_only": challenge.partnerships.count() - len(shown),
        "can_start": not challenge.is_closed
        and request.user.is_authenticated
        and Actor.objects.of_user(request.user).exists(),
        "may_edit": may_edit,
        "status_form": (status_form or ChallengeStatusForm()) if may_edit else None,
    }
    return render(request, "partnerships/challenge_detail.html", context)


def challenge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _challenge_page(request, get_challenge_for(request.user, pk))


def _needs_an_actor(request: HttpRequest) -> HttpResponse | None:
    if not Actor.objects.of_user(request.user).exists():
        colleague_of = Actor.objects.with_colleague(request.user).first()
        if colleague_of is not None:  # told why the workplace is not offered, before being asked to create an actor
            text = _(
                "As a colleague at %(name)s you take part in its own processes, but do not act on its behalf. To "
                "do this, act through an actor of your own — it can be yourself."
            ) % {"name": colleague_of.name}
        else:
            text = _("You act on Samskab through an actor. Create one first — it can be yourself.")
        messages.info(request, text)
        return redirect("actors:create")
    return None


@login_required
def challenge_create(request: AuthenticatedRequest) -> HttpResponse:
    if response := _needs_an_actor(request):
        return response
    form = ChallengeForm(request.POST or None, user=request.user)
    if challenge := apply_service(form, lambda d: services.raise_challenge(user=request.user, **d)):
        messages.success(request, _("Your challenge has been published."))
        return redirect(challenge)
    context = {
        "form": form,
        "title": _("Raise a challenge"),
        "intro": _("Anyone can raise a challenge: what do you see, where, and who does it affect?"),
        "submit": _("Publish the challenge"),
    }
    return render(request, "form_page.html", context)


@login_required
def challenge_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    challenge = get_challenge_for(request.user, pk, write=True)
    name = challenge.title  # as saved: validating the form writes what was typed onto `challenge`
    form = ChallengeForm(
        request.POST or None,
        instance=challenge,
        user=request.user,
        initial={"seen": version_of(challenge.updated_at)},
    )
    if apply_service(
        form,
        lambda data: services.update_challenge(
            user=request.user,
            challenge=challenge,
            title=data["title"],
            description=data["description"],
            municipality=data["municipality"],
            place=data["place"],
            affected=data["affected"],
            themes=data["themes"],
            seen=data["seen"],
        ),
    ):
        messages.success(request, _("The changes have been saved."))
        return redirect(challenge)
    # The version someone else saved meanwhile, read afresh and shown above the form to combine with.
    saved = (
        Challenge.objects.select_related("municipality").prefetch_related("themes").get(pk=pk)
        if form.has_error(NON_FIELD_ERRORS, "edited_meanwhile")
        else None
    )
    context = {
        "form": form,
        "saved": saved,
        "name": name,
        "title": _("Edit the challenge"),
        "submit": _("Save"),
        "cancel": challenge,
    }
    return render(request, "partnerships/challenge_edit.html", context)


@login_required
@require_POST
def challenge_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Close the challenge, with a note if one likes, or open it again."""
    challenge = get_challenge_for(request.user, pk, write=True)
    form = ChallengeStatusForm(request.POST)
    if not form.is_valid():
        return _challenge_page(request, challenge, status_form=form)
    try:
        changed = services.set_challenge_status(
            user=request.user,
            challenge=challenge,
            closed=not form.cleaned_data["reopen"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:  # a second click, or Back and send again: it is closed (or open) already
        messages.info(request, " ".join(error.messages))
        return redirect(challenge)
    messages.success(request, _("The challenge is closed.") if changed.is_closed else _("The challenge is open again."))
    return redirect(changed)


@login_required
def partnership_start(request: AuthenticatedRequest, challenge_pk: int) -> HttpResponse:
    challenge = get_challenge_for(request.user, challenge_pk)
    if response := _needs_an_actor(request):
        return response
    if challenge.is_closed and request.method != "POST":
        messages.info(request, _("The challenge is closed. The people who raised it can open it again."))
        return redirect(challenge)
    form = StartPartnershipForm(request.POST or None, user=request.user, initial={"title": challenge.title})
    partnership = apply_service(
        form, lambda data: services.start_partnership(user=request.user, challenge=challenge, **data)
    )
    if partnership is not None:
        messages.success(request, _("The partnership has started. Invite the actors who could take part."))
        return redirect(partnership)
    context = {
        "form": form,
        "title": _("Start a partnership"),
        "intro": _("A partnership is a shared space where every member actor has the same rights."),
        "submit": _("Start the partnership"),
        "cancel": challenge,
    }
    return render(request, "form_page.html", context)


@login_required
def involvement_start(request: AuthenticatedRequest) -> HttpResponse:
    """A leader involves the staff in how a reform is carried out: an internal process needs no public challenge,
    and is members-only unless chosen otherwise. It is a workplace's: a person who acts only as a citizen is told
    so."""
    if response := _needs_an_actor(request):
        return response
    if not Actor.objects.of_user(request.user).exclude(sector=Sector.CITIZEN).exists():
        messages.info(
            request,
            _(
                "Employee involvement is for a workplace: a municipal unit, an association or a business. Ask your "
                "workplace's administrators to make you part of its actor, or create it."
            ),
        )
        return redirect("partnerships:list")
    initial = {"visibility": Partnership.Visibility.MEMBERS}
    form = StartPartnershipForm(request.POST or None, user=request.user, initial=initial, involvement=True)
    partnership = apply_service(
        form,
        lambda data: services.start_partnership(
            user=request.user, challenge=None, kind=Partnership.Kind.EMPLOYEE_INVOLVEMENT, **data
        ),
    )
    if partnership is not None:
        messages.success(
            request,
            _("The process has started. Invite your colleagues from your actor's page, so each has a voice."),
        )
        return redirect(partnership)
    context = {
        "form": form,
        "title": _("Involve your staff in a change"),
        "intro": _(
            "Your staff map their views on how the change is carried out, propose and consent to local adjustments "
            "within the room that exists, and answer short anonymous surveys before and after. Each person has a "
            "voice of their own. The process is for its members only, unless you choose otherwise."
        ),
        "submit": _("Start the process"),
    }
    return render(request, "form_page.html", context)


def partnership_list(request: HttpRequest) -> HttpResponse:
    """The partnerships the user may see: those still at work, unless the filter asks for the closed ones too."""
    form = PartnershipFilterForm(request.GET or None)
    partnerships = Partnership.objects.visible_to(request.user).select_related("challenge").prefetch_related("members")
    status = form.status_chosen()
    if status == "closed":
        partnerships = partnerships.closed()
    elif status != "all":
        partnerships = partnerships.ongoing()
    page = Paginator(partnerships, 20).get_page(request.GET.get("side"))
    page.object_list = with_voices(page.object_list)
    query = request.GET.copy()
    query.pop("side", None)
    context = {"page": page, "form": form, "status": status, "query": query.urlencode()}
    return render(request, "partnerships/partnership_list.html", context)


def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk)
    my_actors = partnership.member_actors_of(request.user)
    is_member = my_actors.exists()
    acted_for = partnership.actors_acted_for(request.user)
    speaks_for = is_member and acted_for.exists()  # a colleague in a process takes part, but does not steer it
    steers = speaks_for and not partnership.is_closed  # a closed partnership is read-only until it is reopened
    phase_form = PhaseForm(initial={"phase": partnership.phase}) if steers else None
    # With one member actor (as in employee involvement) there is nobody to pass the facilitator role on to.
    handing_over = steers and partnership.members.count() > 1
    facilitator_form = FacilitatorForm(partnership=partnership) if handing_over else None
    if facilitator_form:
        facilitator_form.set_actors(acted_for)
    if phase_form:
        phase_form.set_actors(acted_for)
    withdraw_form = None
    if steers:
        withdraw_form = WithdrawInvitationForm()
        withdraw_form.set_actors(acted_for)
    context = {
        "withdraw_form": withdraw_form,
        # An actor's administrators may take it out; the workplace's own process has no other member to stay.
        "may_leave": speaks_for and leaving_actors(request.user, partnership).exists(),
        "visibility_changes": partnership.visibility_changes.select_related("by_actor", "decision")[:10],
        "departures": partnership.departures.select_related("actor")[:20],
        "partnership": partnership,
        "is_member": is_member,
        "speaks_for": speaks_for,
        "steers": steers,
        "phases": list(Phase),
        "phase_index": list(Phase.values).index(partnership.phase),
        "members_by_sector": partnership.members_by_sector(),
        # In employee involvement each person has a voice: the people are listed, and colleagues are invited
        # into the actor (by its administrators, from its page), not actors into the process.
        "people": partnership.people() if partnership.voices_are_people else None,
        "actors_to_invite_into": partnership.workplaces_administered_by(request.user),
        # Who changed the phase, as `Partnership.name_of` names a person: in employee involvement only to members.
        "phase_changes": [
            (change, partnership.name_of(change.user, to_member=is_member))
            for change in partnership.phase_changes.select_related("actor", "user")[:20]
        ],
        "invitations": partnership.invitations.pending().select_related("actor") if is_member else [],
        # Asking to take part: the requests waiting for the members' answer, and, for an actor outside, whether it
        # may ask or awaits an answer (`services.joining`).
        "join_requests": partnership.join_requests.filter(status=JoinRequest.Status.PENDING).select_related("actor")
        if is_member
        else [],
        # "may ask", and whether only as a citizen (then the page speaks of the person, not of "your actor").
        "may_ask_to_join": _who_may_ask(request.user, partnership),
        "my_join_requests": partnership.join_requests.filter(
            status=JoinRequest.Status.PENDING, actor__in=Actor.objects.administered_by(request.user)
        ).select_related("actor")
        if request.user.is_authenticated and not is_member
        else [],
        "my_invitations": partnership.invitations.pending().answerable_by(request.user).distinct(),
        "phase_form": phase_form,
        "facilitator_form": facilitator_form,
        "facilitator_changes": partnership.facilitator_changes.select_related("to_actor", "by_actor")[:10],
    }
    return render(request, "partnerships/partnership_detail.html", context)


@login_required
def partnership_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk, write=True)
    check_open(partnership)  # a closed partnership is read-only: no form to fill in in vain
    name = partnership.title  # as saved: validating the form writes what was typed onto `partnership`
    form = PartnershipForm(
        request.POST or None, instance=partnership, initial={"seen": version_of(partnership.updated_at)}
    )
    form.set_actors(steering_actors(request.user, partnership))
    if outcome := apply_service(
        form,
        lambda data: [
            services.update_partnership(
                user=request.user,
                partnership=partnership,
                by_actor=data["actor"],
                title=data["title"],
                purpose=data["purpose"],
                visibility=data["visibility"],
                seen=data["seen"],
                room_for_change=data.get("room_for_change"),
            )
        ],
    ):
        [proposal] = outcome
        if proposal is None:
            messages.success(request, _("The changes have been saved."))
            return redirect(partnership)
        if proposal.status == Proposal.Status.PASSED:  # nobody else has a voice who could object
            messages.success(request, _("The changes have been saved, and the partnership is public now."))
            return redirect(partnership)
        messages.success(
            request,
            _(
                "The changes have been saved. Making the partnership public is proposed to the members: it "
                "becomes public if nobody objects before the deadline."
            ),
        )
        return redirect(proposal)
    # The version another member saved meanwhile, read afresh and shown above the form to combine with.
    saved = (
        Partnership.objects.select_related("updated_by_actor").get(pk=pk)
        if form.has_error(NON_FIELD_ERRORS, "edited_meanwhile")
        else None
    )
    context = {
        "form": form,
        "saved": saved,
        "name": name,
        "title": _("Edit the partnership"),
        "submit": _("Save"),
        "cancel": partnership,
    }
    return render(request, "partnerships/partnership_edit.html", context)


@login_required
def phase_change(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk, write=True)
    check_open(partnership)  # a closed partnership is read-only: no form to fill in in vain
    form = PhaseForm(request.POST or None, initial={"phase": partnership.phase})
    form.set_actors(steering_actors(request.user, partnership))
    if apply_service(
        form,
        lambda data: services.change_phase(
            user=request.user,
            partnership=partnership,
            by_actor=data["actor"],
            to_phase=data["phase"],
            note=data["note"],
        ),
    ):
        messages.success(
            request,
            _("The partnership is now in the phase “%(phase)s”.") % {"phase": partnership.get_phase_display()},
        )
        return redirect(partnership)
    context = {"form": form, "title": _("Change phase"), "submit": _("Change phase"), "cancel": partnership}
    return render(request, "form_page.html", context)


@login_required
def invite(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for(request.user, pk, write=True)
    check_open(partnership)  # a closed partnership is read-only: no form to fill in in vain
    if partnership.voices_are_people:
        raise PermissionDenied(STAFF_PROCESS_IS_INTERNAL)
    form = InviteActorForm(request.POST or None, partnership=partnership)
    form.set_actors(steering_actors(request.user, partnership))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.invite_actor(
                user=request.user,
                partnership=partnership,
                by_actor=data["actor"],
                actor=data["invitee"],
                message=data["message"],
            )
        except ValidationError as error:
            form.add_error("invitee", error)
        else:
            messages.success(request, _("%(name)s has been invited.") % {"name": data["invitee"].name})
            tell_who_answers(request, [data["invitee"]])
            return redirect(partnership)
    context = {
        "form": form,
        "title": _("Invite an actor"),
        "intro": _(
            "The actor's administrators are told by email and can accept or decline. An actor nobody acts for yet is "
            "written to at its email in the municipality's register, if it has one."
        ),
        "submit": _("Send invitation"),
        "cancel": partnership,
    }
    return render(request, "form_page.html", context)


def _who_may_ask(user: User | AnonymousUser, partnership: Partnership) -> str:
    """ "": nobody the person acts for may ask to take part; "citizen": only the person themself; "actor": an actor."""
    askers = actors_who_may_ask(user, partnership)
    if not askers.exists():
        return ""
    return "actor" if askers.exclude(sector=Sector.CITIZEN).exists() else "citizen"


def tell_who_answers(request: HttpRequest, invited: Iterable[Actor]) -> None:
    """After inviting, warn of the invited actors nobody administers yet (`actors.claims`): nobody is told in the
    app; those with an email in the register are written to there, with how to take the profile over."""
    emailed: list[str] = []
    unreached: list[str] = []
    for actor in invited:
        if not claims.administered(actor):
            (emailed if actor.contact_email else unreached).append(actor.name)
    if emailed:
        text = _(
            "Nobody acts for %(names)s on Samskab yet. The invitation is sent to the email the municipality's "
            "register has, with how to take the profile over and answer."
        )
        messages.warning(request, text % {"names": ", ".join(emailed)})
    if unreached:
        text = _(
            "Nobody acts for %(names)s on Samskab yet, and the register has no email, so nobody is told of the "
            "invitation. It waits until someone who belongs there takes the profile over: tell them, if you know them."
        )
        messages.warning(request, text % {"names": ", ".join(unreached)})


@login_required
def invitations(request: AuthenticatedRequest) -> HttpResponse:
    pending = (
        PartnershipInvitation.objects.pending()
        .answerable_by(request.user)
        .select_related("partnership", "actor", "invited_by_actor")
        .distinct()
    )
    return render(request, "partnerships/invitations.html", {"invitations": pending})


@login_required
@require_POST
def respond(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    invitation = get_invitation_for(request.user, pk)
    if invitation.status == PartnershipInvitation.Status.WITHDRAWN:
        messages.info(
            request,
            _("The invitation to %(partnership)s was withdrawn before it was answered.")
            % {"partnership": invitation.partnership.title},
        )
        return redirect("partnerships:invitations")
    if invitation.status != PartnershipInvitation.Status.PENDING:  # a second click, or Back and answer again
        accepted = invitation.status == PartnershipInvitation.Status.ACCEPTED
        names = {"actor": invitation.actor.name, "partnership": invitation.partnership.title}
        messages.info(
            request,
            _("%(actor)s has already accepted the invitation to %(partnership)s.") % names
            if accepted
            else _("%(actor)s has already declined the invitation to %(partnership)s.") % names,
        )
        return redirect(invitation.partnership) if accepted else redirect("partnerships:invitations")
    form = RespondForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to accept or decline."))
        return redirect("partnerships:invitations")
    accept = form.cleaned_data["answer"] == "accept"
    try:
        services.respond_to_invitation(user=request.user, invitation=invitation, accept=accept)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("partnerships:invitations")
    if accept:
        messages.success(
            request,
            _("%(actor)s is now a member of %(partnership)s.")
            % {"actor": invitation.actor.name, "partnership": invitation.partnership.title},
        )
        return redirect(invitation.partnership)
    messages.info(request, _("The invitation has been declined."))
    return redirect("partnerships:invitations")


@login_required
@require_POST
def withdraw_invitation(request: AuthenticatedRequest, pk: int, invitation_pk: int) -> HttpResponse:
    """Any member withdraws an invitation not yet answered."""
    partnership = get_partnership_for(request.user, pk, write=True)
    invitation = partnership.invitations.select_related("actor").filter(pk=invitation_pk).first()
    if invitation is None:
        raise Http404
    form = WithdrawInvitationForm(request.POST)
    form.set_actors(steering_actors(request.user, partnership))
    if not form.is_valid():
        messages.error(request, _("Choose the actor you act on behalf of."))
        return redirect(partnership)
    try:
        services.withdraw_invitation(user=request.user, invitation=invitation, by_actor=form.cleaned_data["actor"])
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        return redirect(partnership)
    messages.success(
        request, _("The invitation for %(actor)s has been withdrawn; they are told.") % {"actor": invitation.actor.name}
    )
    return redirect(partnership)


def leaving_actors(user: User | AnonymousUser, partnership: Partnership) -> QuerySet[Actor]:
    """The member actors `user` may take out of the partnership: those they administer (`leave_partnership`); none
    in the workplace's own process, whose staff are its one member."""
    if partnership.voices_are_people:
        return Actor.objects.none()
    return Actor.objects.administered_by(user).filter(pk__in=partnership.actors_acted_for(user))


@login_required
def leave(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """An actor's administrators take it out of the partnership, after seeing what that means; not while it is
    closed (`leave_partnership`)."""
    partnership = get_partnership_for(request.user, pk, write=True)
    check_open(partnership)  # nothing is handed on or reassigned in a closed partnership: no form to fill in in vain
    actors = leaving_actors(request.user, partnership)
    if not actors.exists():
        raise PermissionDenied(LEAVE_REFUSED)
    pledges = list(
        Pledge.objects.standing()
        .filter(partnership=partnership, actor__in=actors)
        .select_related("actor", "action")
        .order_by("actor__name", "pk")
    )
    owned = list(
        Action.objects.still_open()
        .filter(partnership=partnership, owners__in=actors)
        .distinct()
        .order_by("deadline", "pk")
    )
    form = LeaveForm(request.POST or None, actors=actors, pledging=bool(pledges))
    if request.method == "POST" and (
        departure := apply_service(
            form,
            lambda data: services.leave_partnership(
                user=request.user,
                partnership=partnership,
                actor=data["actor"],
                note=data["note"],
                pledges=data.get("pledges") or None,
            ),
        )
    ):
        messages.success(
            request,
            _("%(actor)s has left %(partnership)s. The other members are told.")
            % {"actor": departure.actor.name, "partnership": partnership.title},
        )
        try:  # still readable: it is public, or the person takes part through another member actor
            return redirect(get_partnership_for(request.user, pk))
        except Http404:
            return redirect("partnerships:list")
    return render(
        request,
        "partnerships/leave.html",
        {
            "partnership": partnership,
            "form": form,
            "pledges": pledges,
            "owned_actions": owned,
            "several": len(actors) > 1,
            "is_facilitator": partnership.members.filter(
                actor__in=actors, role=PartnershipMember.Role.FACILITATOR
            ).exists(),
        },
    )


@login_required
@require_POST
def facilitator(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Any member passes the facilitator role on; the role rotates and every change is logged."""
    partnership = get_partnership_for(request.user, pk, write=True)
    form = FacilitatorForm(request.POST, partnership=partnership)
    form.set_actors(steering_actors(request.user, partnership))
    if form.is_valid():
        try:
            services.hand_over_facilitation(
                user=request.user,
                partnership=partnership,
                by_actor=form.cleaned_data["actor"],
                to_actor=form.cleaned_data["to_actor"],
            )
        except ValidationError as error:  # the facilitator already
            messages.info(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("%(actor)s is now the facilitator.") % {"actor": form.cleaned_data["to_actor"].name}
            )
    else:
        messages.error(request, _("Choose a member actor for the facilitator role."))
    return redirect(partnership)


MAP_LIMIT = 2000


def challenges_on_map(filters: dict[str, object] | None = None) -> list[dict[str, object]]:
    """Open challenges placed in the middle of the neighbourhood they name (a challenge has no address).

    `filters` are the map's (`DirectoryForm.filters`), applied as far as they mean something for a challenge: the
    search text, theme, municipality and neighbourhood, the sector of the actor that raised it, and the distance
    of its neighbourhood's middle. What actors offer (`resource_kind`) says nothing about a challenge."""
    from samskab.lib.geo import distance_m

    given = filters or {}
    challenges = Challenge.objects.search(
        q=str(given.get("q", "")),
        municipality=str(given.get("municipality", "")),
        theme=str(given.get("theme", "")),
        place=str(given.get("neighbourhood", "")),
        status=Challenge.Status.OPEN,
    ).exclude(place="")
    if given.get("sector"):
        challenges = challenges.filter(raised_by__sector=given["sector"])
    lat, lon, km = given.get("lat"), given.get("lon"), given.get("km")
    centres = Actor.objects.neighbourhood_centres()
    points = []
    for challenge in challenges[:MAP_LIMIT]:
        centre = centres.get((challenge.municipality_id, challenge.place.casefold()))
        if centre is None:
            continue
        if (
            isinstance(lat, float)
            and isinstance(lon, float)
            and isinstance(km, float)
            and distance_m(lat, lon, *centre) > km * 1000
        ):
            continue
        points.append(
            {"name": challenge.title, "url": challenge.get_absolute_url(), "lat": centre[0], "lon": centre[1]}
        )
    return points


def actor_map(request: HttpRequest) -> HttpResponse:
    """Actors with a public address and open challenges on a map; the same as lists for when tiles cannot load.
    The filters apply to both (`challenges_on_map`); with one that is invalid, its error is shown and nothing is.

    It lives here, above both actors and challenges, and is routed at /aktoerer/kort/ by config/urls.py."""
    form = DirectoryForm(request.GET or None)
    filters = form.filters()
    points = []
    if filters is not None:
        actors, _fuzzy = Actor.objects.for_directory().search(**filters, paged=False)
        points = [
            {
                "name": a.name,
                "url": a.get_absolute_url(),
                "sector": a.get_sector_display(),
                "lat": a.latitude,
                "lon": a.longitude,
            }
            for a in actors.placed()[:MAP_LIMIT]
        ]
    context = {
        "form": form,
        "points": points,
        "challenges": challenges_on_map(filters) if filters is not None else [],
        "filtered": bool(filters),
        "tiles": settings.MAP_TILES_URL,
        "limit": MAP_LIMIT,
    }
    return render(request, "actors/map.html", context)
