"""A colleague takes part in the workplace's own process, with a voice of their own, and nowhere else on the
workplace's behalf. Camilla teaches at Nørreby Skole (a colleague in the school actor); Omar acts for the school
(a member). The school is in Anne's staff process and in a members-only co-creation partnership with Lars's club."""

import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samskab.accounts.models import Notification, User
from samskab.accounts.services import create_api_token
from samskab.actors.models import ActorInvitation, Membership, Municipality
from samskab.actors.tasks import send_actor_invitation
from samskab.opinions.models import Conversation
from samskab.partnerships import services
from samskab.partnerships.models import Challenge, Partnership, PartnershipMember, Proposal, Response
from samskab.surveys.services import invitees as services_invitees

from .conftest import Persona, make_user
from .test_surveys import start


@pytest.fixture
def camilla(anne: Persona) -> Persona:
    return Persona(User.objects.get(email="camilla@skole.dk"), anne.actor)


@pytest.fixture
def co_creation(anne: Persona, lars: Persona) -> Partnership:
    """A members-only partnership the school joined with the club."""
    assert lars.actor is not None and anne.actor is not None
    partnership = services.start_partnership(
        user=lars.user,
        actor=lars.actor,
        challenge=None,
        title="Bevægelse i frikvarteret",
        visibility=Partnership.Visibility.MEMBERS,
    )
    PartnershipMember.objects.create(partnership=partnership, actor=anne.actor)
    return partnership


def lars_proposes(lars: Persona, partnership: Partnership) -> Proposal:
    assert lars.actor is not None
    return services.propose(
        user=lars.user,
        partnership=partnership,
        by_actor=lars.actor,
        title="Boldbaner i frikvarteret",
        text="Klubben låner skolens baner ud i frikvarteret.",
        deadline=timezone.now() + timedelta(days=3),
    )


def test_a_colleague_has_a_voice_in_the_staff_process(
    anne: Persona, camilla: Persona, omar: Persona, involvement: Partnership
) -> None:
    client = camilla.client()
    page = client.get(involvement.get_absolute_url())
    assert page.status_code == 200 and "Camilla" in page.content.decode()
    deadline = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    data = {"title": "Fælles planlægning", "text": "Vi planlægger forløbene sammen.", "deadline": deadline}
    anne.client().post(reverse("partnerships:proposals", args=[involvement.pk]), data)
    proposal = Proposal.objects.get()
    assert Notification.objects.filter(user=camilla.user, kind="proposal").exists()
    # The list names the colleague who proposed it, as the proposal's page does, to those taking part.
    listed = client.get(reverse("partnerships:proposals", args=[involvement.pk])).content.decode()
    assert re.search(r"<td[^>]*>Anne Lindholm</td>", listed)
    client.post(proposal.get_absolute_url(), {"do": "respond", "version": 1, "kind": "objection", "reason": "Tid?"})
    response = Response.objects.get(user=camilla.user)
    assert response.kind == Response.Kind.OBJECTION
    # Back on the proposal, her answer is where she left it, to keep or change.
    again = client.get(proposal.get_absolute_url()).content.decode()
    assert re.search(r'<input[^>]*value="objection"[^>]*checked', again) and "Tid?</textarea>" in again
    assert involvement in Partnership.objects.of_user(camilla.user)


def test_a_colleague_does_not_act_for_the_workplace_in_its_partnerships(
    anne: Persona, camilla: Persona, omar: Persona, lars: Persona, co_creation: Partnership
) -> None:
    proposal = lars_proposes(lars, co_creation)
    told = set(Notification.objects.filter(kind="proposal").values_list("user__email", flat=True))
    assert "omar@skole.dk" in told and "anne@skole.dk" in told
    assert "camilla@skole.dk" not in told  # not a voice of the school's here

    client = camilla.client()
    assert client.get(co_creation.get_absolute_url()).status_code == 404  # members only
    answer = {"do": "respond", "version": 1, "kind": "objection", "reason": "Nej"}
    assert client.post(proposal.get_absolute_url(), answer).status_code == 404
    assert not Response.objects.exists()
    _token, key = create_api_token(user=camilla.user, label="test")
    api = client.post(
        f"/api/v1/partnerships/{co_creation.pk}/proposals/{proposal.pk}/responses",
        {"version": 1, "kind": "objection"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert api.status_code in (403, 404) and not Response.objects.exists()
    # Nor is the partnership listed to her on the school's page, nor among her own.
    school_page = client.get(reverse("actors:detail", args=[anne.actor.slug])).content.decode()  # type: ignore[union-attr]
    assert "Bevægelse i frikvarteret" not in school_page
    assert "Bevægelse i frikvarteret" not in client.get(reverse("partnerships:list")).content.decode()

    # Omar, who acts for the school, answers for it.
    omar.client().post(proposal.get_absolute_url(), {"do": "respond", "version": 1, "kind": "consent", "reason": ""})
    assert Response.objects.get().actor == anne.actor
    assert (
        "Bevægelse i frikvarteret"
        in omar.client().get(reverse("actors:detail", args=[anne.actor.slug])).content.decode()
    )  # type: ignore[union-attr]


def test_a_colleague_neither_speaks_for_nor_edits_in_the_workplaces_name(
    anne: Persona, camilla: Persona, odense: Municipality
) -> None:
    assert anne.actor is not None
    client = camilla.client()
    # She has no actor to raise a challenge as, and is sent to create one of her own.
    data = {"actor": anne.actor.pk, "title": "Larm", "description": "For meget larm.", "municipality": odense.pk}
    response = client.post(reverse("partnerships:challenge_create"), data)
    assert response.status_code == 302 and response["Location"] == reverse("actors:create")
    assert not Challenge.objects.exists()
    # Nor does she edit one the school raised.
    challenge = services.raise_challenge(
        user=anne.user, actor=anne.actor, title="Larm", description="For meget larm.", municipality=odense
    )
    assert client.get(reverse("partnerships:challenge_edit", args=[challenge.pk])).status_code == 403
    assert anne.client().get(reverse("partnerships:challenge_edit", args=[challenge.pk])).status_code == 200


def test_the_public_do_not_see_colleagues_among_the_people_behind_the_actor(anne: Persona, camilla: Persona) -> None:
    assert anne.actor is not None
    url = reverse("actors:detail", args=[anne.actor.slug])
    anne.actor.public_fields = ["members"]
    anne.actor.save()
    public = Client().get(url).content.decode()
    assert "Omar" in public and "Anne Lindholm" in public
    assert "Camilla" not in public
    own = anne.client().get(url).content.decode()
    assert "Camilla (kollega" in own  # the administrators see everyone, with their role


def test_an_administrator_invites_a_colleague_and_changes_roles(
    anne: Persona, camilla: Persona, omar: Persona, django_capture_on_commit_callbacks: Any
) -> None:
    assert anne.actor is not None
    client = anne.client()
    invite_url = reverse("actors:invite_person", args=[anne.actor.slug])
    form = client.get(invite_url + "?rolle=colleague").content.decode()
    assert re.search(r'<input[^>]*value="colleague"[^>]*checked', form)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(invite_url, {"email": "ny@skole.dk", "role": "colleague"})
    assert ActorInvitation.objects.get(email="ny@skole.dk").role == Membership.Role.COLLEAGUE
    assert len(mail.outbox) == 1

    member = Membership.objects.get(user=camilla.user)
    client.post(reverse("actors:set_role", args=[anne.actor.slug, member.pk]), {"role": "member"})
    member.refresh_from_db()
    assert member.role == Membership.Role.MEMBER
    client.post(reverse("actors:set_role", args=[anne.actor.slug, member.pk]), {"role": "colleague"})
    member.refresh_from_db()
    assert member.role == Membership.Role.COLLEAGUE

    # Only an administrator changes roles, and nobody takes administration away from another here.
    omars = Membership.objects.get(user=omar.user)
    forbidden = camilla.client().post(
        reverse("actors:set_role", args=[anne.actor.slug, omars.pk]), {"role": "colleague"}
    )
    assert forbidden.status_code == 403
    annes = Membership.objects.get(user=anne.user)
    assert (
        client.post(reverse("actors:set_role", args=[anne.actor.slug, annes.pk]), {"role": "admin"}).status_code == 403
    )
    omars.refresh_from_db()
    annes.refresh_from_db()
    assert omars.role == Membership.Role.MEMBER and annes.role == Membership.Role.ADMIN


def test_colleagues_are_told_who_among_them_opened_a_conversation(
    anne: Persona, camilla: Persona, involvement: Partnership
) -> None:
    url = reverse("opinions:create", args=[involvement.pk])
    opened = anne.client().post(url, {"question": "Hvad fylder mest i udskolingen?", "seed_statements": ""})
    assert opened.status_code == 302
    told = Notification.objects.filter(kind="conversation")
    assert {n.user.email for n in told} == {
        "omar@skole.dk",
        "camilla@skole.dk",
        "thomas@skole.dk",
        "louise@skole.dk",
        "kasper@skole.dk",
    }
    assert all(n.text.startswith("Anne Lindholm åbnede en samtale: “Hvad fylder mest i udskolingen?”") for n in told)


def test_a_refused_page_says_why(anne: Persona, camilla: Persona, involvement: Partnership) -> None:
    """Camilla takes part in the process, but only those who act for the facilitating school close a conversation:
    the page tells her so, in Danish, and the conversation stays open."""
    url = reverse("opinions:create", args=[involvement.pk])
    anne.client().post(url, {"question": "Hvad fylder mest?", "seed_statements": ""})
    conversation = Conversation.objects.get()
    refused = camilla.client().post(reverse("opinions:set_open", args=[conversation.pk]), {"open": "0"})
    assert refused.status_code == 403
    assert "Kun facilitatoren kan lukke eller genåbne en samtale." in refused.content.decode()
    conversation.refresh_from_db()
    assert conversation.is_open


def test_an_invitation_to_the_workplace_is_not_the_colleagues_to_read(
    anne: Persona, camilla: Persona, omar: Persona, lars: Persona
) -> None:
    """Lars invites the school into a members-only partnership: those who act for the school read it while
    deciding, a colleague does not."""
    assert lars.actor is not None and anne.actor is not None
    partnership = services.start_partnership(
        user=lars.user, actor=lars.actor, challenge=None, title="Lukket klubsamarbejde", visibility="members"
    )
    services.invite_actor(user=lars.user, partnership=partnership, by_actor=lars.actor, actor=anne.actor)
    assert omar.client().get(partnership.get_absolute_url()).status_code == 200
    assert camilla.client().get(partnership.get_absolute_url()).status_code == 404


def test_a_colleague_takes_part_in_the_process_but_does_not_steer_it(
    anne: Persona, camilla: Persona, omar: Persona, lars: Persona, involvement: Partnership
) -> None:
    """Inviting actors into the process, editing its description, room for change and visibility, and passing the
    facilitator role on stay with those who act for the school."""
    assert anne.actor is not None and lars.actor is not None
    client = camilla.client()
    detail = client.get(involvement.get_absolute_url()).content.decode()
    assert reverse("partnerships:edit", args=[involvement.pk]) not in detail
    assert reverse("partnerships:facilitator", args=[involvement.pk]) not in detail
    edit = client.get(reverse("partnerships:edit", args=[involvement.pk]))
    assert edit.status_code == 403 and "Som kollega deltager du i selve processen." in edit.content.decode()
    tried = {"title": "Ny titel", "purpose": "", "visibility": "public", "room_for_change": "Alt", "seen": ""}
    assert client.post(reverse("partnerships:edit", args=[involvement.pk]), tried).status_code == 403
    invite = {"actor": lars.actor.pk, "message": ""}
    assert client.post(reverse("partnerships:invite", args=[involvement.pk]), invite).status_code == 403
    contributors = reverse("partnerships:contributors", args=[involvement.pk])
    refused = client.post(contributors, {"invite": [lars.actor.pk]})
    # Nobody invites other actors into a staff process (tests/test_staff_process_is_internal.py).
    assert refused.status_code == 403
    assert "En medarbejderinddragelse er arbejdspladsens egen" in refused.content.decode()
    handover = {"to_actor": anne.actor.pk}
    assert client.post(reverse("partnerships:facilitator", args=[involvement.pk]), handover).status_code == 403
    involvement.refresh_from_db()
    assert (involvement.title, involvement.visibility) == ("Praksisfaglighed i udskolingen på Nørreby Skole", "members")
    assert not involvement.invitations.exists() and not involvement.facilitator_changes.exists()
    # Omar, who acts for the school, may; with the school the only member actor, there is nobody to pass the
    # facilitator role on to.
    assert (
        reverse("partnerships:facilitator", args=[involvement.pk])
        not in omar.client().get(involvement.get_absolute_url()).content.decode()
    )
    assert (
        reverse("partnerships:edit", args=[involvement.pk])
        in omar.client().get(involvement.get_absolute_url()).content.decode()
    )
    assert omar.client().get(reverse("partnerships:edit", args=[involvement.pk])).status_code == 200


def test_notices_about_an_actor_reach_those_who_act_for_it(
    anne: Persona, camilla: Persona, omar: Persona, lars: Persona, co_creation: Partnership
) -> None:
    """Camilla is a colleague at the school and also acts for Lars's club. When Omar proposes for the school, she is
    told as one of the club's people; when the school is silent before a deadline, she is not reminded for it."""
    assert lars.actor is not None and anne.actor is not None
    Membership.objects.create(actor=lars.actor, user=camilla.user, role=Membership.Role.MEMBER)
    proposal = services.propose(
        user=omar.user,
        partnership=co_creation,
        by_actor=anne.actor,
        title="Skolegården om aftenen",
        text="Klubben må bruge skolegården om aftenen.",
        deadline=timezone.now() + timedelta(days=3),
    )
    told = set(Notification.objects.filter(kind="proposal").values_list("user__email", flat=True))
    assert told == {"lars@boldklub.dk", "camilla@skole.dk"}
    # Lars's own proposal waits for the school: those who act for it are reminded, not its colleague.
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.WITHDRAWN)
    later = lars_proposes(lars, co_creation)
    made = timezone.now() - timedelta(days=2)
    Proposal.objects.filter(pk=later.pk).update(deadline=timezone.now() + timedelta(hours=12), created_at=made)
    Notification.objects.all().delete()
    services.remind_deadlines()
    reminded = set(Notification.objects.filter(kind="deadline").values_list("user__email", flat=True))
    assert reminded == {"anne@skole.dk", "omar@skole.dk"}


def test_a_colleague_neither_changes_the_phase_nor_runs_surveys(
    anne: Persona, camilla: Persona, omar: Persona, involvement: Partnership
) -> None:
    client = camilla.client()
    refused = client.post(reverse("partnerships:phase", args=[involvement.pk]), {"phase": "ideas", "note": ""})
    assert refused.status_code == 403 and "Som kollega deltager du i selve processen." in refused.content.decode()
    involvement.refresh_from_db()
    assert involvement.phase == "define"
    surveys = reverse("surveys:list", args=[involvement.pk])
    assert reverse("surveys:create", args=[involvement.pk]) not in client.get(surveys).content.decode()
    assert client.get(reverse("surveys:create", args=[involvement.pk])).status_code == 403
    assert reverse("surveys:create", args=[involvement.pk]) in omar.client().get(surveys).content.decode()
    omar.client().post(reverse("partnerships:phase", args=[involvement.pk]), {"phase": "ideas", "note": ""})
    involvement.refresh_from_db()
    assert involvement.phase == "ideas"

    # A survey Omar runs: Camilla answers it, but neither adds rounds nor sends its invitations.
    survey = start(omar, involvement)
    wave = survey.waves.get()
    detail = client.get(reverse("surveys:detail", args=[survey.pk])).content.decode()
    for running in (
        reverse("surveys:wave_create", args=[survey.pk]),
        reverse("surveys:wave_invite", args=[survey.pk, wave.pk]),
    ):
        assert running not in detail
        refused = client.post(running, {})
        assert refused.status_code == 403 and "Som kollega deltager du i selve processen." in refused.content.decode()
    assert survey.waves.count() == 1 and not wave.participations.exists()
    assert services_invitees(survey).filter(pk=camilla.user.pk).exists()
    with pytest.raises(PermissionDenied):
        start(camilla, involvement)
    assert (
        reverse("surveys:wave_create", args=[survey.pk])
        in omar.client().get(reverse("surveys:detail", args=[survey.pk])).content.decode()
    )


def test_a_colleague_is_told_what_she_is(anne: Persona, camilla: Persona) -> None:
    assert anne.actor is not None
    client = camilla.client()
    home = " ".join(client.get(reverse("home")).content.decode().split())
    assert "Du er kollega på Nørreby Skole: du deltager med din egen stemme i arbejdspladsens egne processer" in home
    school = " ".join(client.get(reverse("actors:detail", args=[anne.actor.slug])).content.decode().split())
    assert "Du er kollega på Nørreby Skole" in school
    raised = client.get(reverse("partnerships:challenge_create"), follow=True)
    assert "Som kollega på Nørreby Skole deltager du i arbejdspladsens egne processer" in raised.content.decode()
    # Omar, who acts for the school, is told none of it.
    assert "Du er kollega" not in omar_home(anne)


def omar_home(anne: Persona) -> str:
    omar = Persona(User.objects.get(email="omar@skole.dk"), anne.actor)
    return omar.client().get(reverse("home")).content.decode()


def test_a_colleague_is_invited_and_welcomed_as_one(
    anne: Persona, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    assert anne.actor is not None
    with django_capture_on_commit_callbacks(execute=True):
        anne.client().post(
            reverse("actors:invite_person", args=[anne.actor.slug]), {"email": "nina@skole.dk", "role": "colleague"}
        )
    body = mailoutbox[0].body
    assert "har inviteret dig som kollega til at deltage med din egen stemme" in body
    assert "Du kommer ikke til at handle på vegne af Nørreby Skole andre steder." in body
    link = re.search(r"https?://\S+/invitation/\S+/", body)
    assert link is not None
    nina = Persona(make_user("nina@skole.dk", "Nina Holm"), None)
    landing = " ".join(nina.client().get(urlsplit(link.group(0)).path).content.decode().split())
    assert "har inviteret dig som kollega på Nørreby Skole" in landing and "på vegne af Nørreby Skole" not in landing
    welcomed = nina.client().post(urlsplit(link.group(0)).path, follow=True)
    assert "Du er nu kollega på Nørreby Skole" in welcomed.content.decode()
    assert Membership.objects.get(user=nina.user).role == Membership.Role.COLLEAGUE


def test_a_citizen_has_no_staff_to_involve(sofie: Persona) -> None:
    client = sofie.client()
    told = client.get(reverse("partnerships:involvement_start"), follow=True)
    assert "Medarbejderinddragelse er for en arbejdsplads" in told.content.decode()
    assert sofie.actor is not None
    data = {
        "actor": sofie.actor.pk,
        "title": "Min proces",
        "purpose": "",
        "room_for_change": "",
        "visibility": "members",
    }
    client.post(reverse("partnerships:involvement_start"), data)
    assert not Partnership.objects.exists()
    with pytest.raises(ValidationError):
        services.start_partnership(
            user=sofie.user,
            actor=sofie.actor,
            challenge=None,
            title="Min proces",
            kind=Partnership.Kind.EMPLOYEE_INVOLVEMENT,
        )


def test_an_actors_page_is_edited_by_its_administrators_who_are_named_as_such(anne: Persona, omar: Persona) -> None:
    assert anne.actor is not None
    refused = omar.client().get(reverse("actors:edit", args=[anne.actor.slug]))
    assert refused.status_code == 403
    assert "Det kan kun aktørens administratorer: redigere dens side" in refused.content.decode()


def test_an_administrator_sees_and_withdraws_the_invitations_waiting(
    anne: Persona, omar: Persona, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    assert anne.actor is not None
    client, page = anne.client(), reverse("actors:detail", args=[anne.actor.slug])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("actors:invite_person", args=[anne.actor.slug]), {"email": "nina@skole.dk", "role": "colleague"}
        )
    link = re.search(r"https?://\S+/invitation/\S+/", mailoutbox[0].body)
    assert link is not None
    shown = " ".join(client.get(page).content.decode().split())
    assert "Invitationer, der venter på at blive accepteret" in shown and "nina@skole.dk (kollega, sendt" in shown
    assert "nina@skole.dk" not in omar.client().get(page).content.decode()
    invitation = ActorInvitation.objects.get()
    withdraw = reverse("actors:withdraw_invitation", args=[anne.actor.slug, invitation.pk])
    assert omar.client().post(withdraw).status_code == 403
    assert "Invitationen til nina@skole.dk er trukket tilbage." in client.post(withdraw, follow=True).content.decode()
    assert not ActorInvitation.objects.exists()
    nina = Persona(make_user("nina@skole.dk", "Nina Holm"), None)
    assert nina.client().post(urlsplit(link.group(0)).path).status_code == 404
    assert not Membership.objects.filter(user=nina.user).exists()


def test_an_invitation_withdrawn_before_it_was_sent_is_never_sent(
    anne: Persona, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    assert anne.actor is not None
    client = anne.client()
    with django_capture_on_commit_callbacks() as waiting:  # the email task is queued, not yet run
        client.post(
            reverse("actors:invite_person", args=[anne.actor.slug]), {"email": "nina@skole.dk", "role": "colleague"}
        )
    invitation = ActorInvitation.objects.get()
    client.post(reverse("actors:withdraw_invitation", args=[anne.actor.slug, invitation.pk]))
    assert len(waiting) == 1
    send_actor_invitation.call(invitation.pk)  # the worker comes to it now: the invitation is gone
    assert mailoutbox == [] and not ActorInvitation.objects.exists()
