"""Who may read a partnership, and who is in it, are the members' to decide together.

Fie's association started "Unge i Vollsmose" for its members only; Mette, Lars, Sofie and Jens's actors joined.
Jens cannot make it public on his own: his edit opens a proposal, and only when nobody objects is it public, with
a log of who decided. Making it members-only again takes effect at once. A member withdraws an invitation sent by
mistake, and an actor's administrator takes it out of the partnership; the others are told each time.
"""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from samskab.accounts.models import Notification, NotificationKind
from samskab.actors.models import Actor, Sector, Theme
from samskab.lib.forms import version_of
from samskab.partnerships import services
from samskab.partnerships.models import (
    FacilitatorChange,
    MemberDeparture,
    Partnership,
    PartnershipInvitation,
    PartnershipMember,
    Pledge,
    Proposal,
    VisibilityChange,
)

from .conftest import Persona
from .test_api import API, bearer

pytestmark = pytest.mark.django_db


def edit(persona: Persona, partnership: Partnership, **changes: str) -> Any:
    partnership.refresh_from_db()
    data = {
        "title": partnership.title,
        "purpose": partnership.purpose,
        "visibility": partnership.visibility,
        "seen": version_of(partnership.updated_at),
        **changes,
    }
    return persona.client().post(reverse("partnerships:edit", args=[partnership.pk]), data)


def respond(persona: Persona, proposal: Proposal, kind: str, reason: str = "") -> Any:
    data = {"do": "respond", "version": 1, "kind": kind, "reason": reason}
    return persona.client().post(proposal.get_absolute_url(), data)


def test_one_member_cannot_make_a_members_only_partnership_public(
    private_partnership: Partnership, personas: dict[str, Persona], django_capture_on_commit_callbacks: Any
) -> None:
    jens, visitor = personas["jens"], Client()
    url = private_partnership.get_absolute_url()
    form = jens.client().get(reverse("partnerships:edit", args=[private_partnership.pk])).content.decode()
    assert "sker kun, hvis ingen gør indsigelse inden for en uge" in form  # said before anyone saves

    with django_capture_on_commit_callbacks(execute=True):
        response = edit(jens, private_partnership, title="Unge i Vollsmose og Bøgeparken", visibility="public")
    proposal = Proposal.objects.get(partnership=private_partnership, kind=Proposal.Kind.MAKE_PUBLIC)
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    private_partnership.refresh_from_db()
    # The title is saved; who may read it is not, until the members have consented.
    assert private_partnership.title == "Unge i Vollsmose og Bøgeparken"
    assert private_partnership.visibility == Partnership.Visibility.MEMBERS
    assert visitor.get(url).status_code == 404
    page = jens.client().get(proposal.get_absolute_url()).content.decode()
    assert "Gør partnerskabet offentligt" in page and "referater" in page
    assert Notification.objects.filter(user=personas["mette"].user, kind=NotificationKind.PROPOSAL).exists()

    # Proposing it again while the proposal is open is refused, and what he typed stays.
    again = edit(jens, private_partnership, purpose="Flere voksne på torvet", visibility="public")
    assert again.status_code == 200
    assert "Et forslag om at gøre partnerskabet offentligt er allerede åbent" in again.content.decode()
    assert "Flere voksne på torvet" in again.content.decode()
    assert Proposal.objects.filter(kind=Proposal.Kind.MAKE_PUBLIC).count() == 1

    # One objection keeps it members-only; once every other member consents instead, it is public.
    respond(personas["lars"], proposal, "objection", "Referaterne nævner unge ved navn.")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.OPEN and visitor.get(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        for name in ("lars", "mette", "sofie", "fie"):
            respond(personas[name], proposal, "consent")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PASSED
    assert visitor.get(url).status_code == 200
    change = VisibilityChange.objects.get(partnership=private_partnership)
    assert (change.to_visibility, change.by_actor, change.decision) == ("public", jens.actor, proposal.decisions.get())
    told = Notification.objects.filter(user=personas["sofie"].user, kind=NotificationKind.MEMBERSHIP)
    assert told.filter(text__contains="er offentligt efter samtykke").exists()
    assert "efter samtykke" in visitor.get(url).content.decode()  # the log on the partnership's page


def test_members_only_takes_effect_at_once_and_everyone_is_told(
    partnership: Partnership, personas: dict[str, Persona], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = edit(personas["lars"], partnership, visibility="members")
    assert response.status_code == 302 and response["Location"] == partnership.get_absolute_url()
    assert Client().get(partnership.get_absolute_url()).status_code == 404
    assert VisibilityChange.objects.get().to_visibility == "members"
    told = Notification.objects.filter(kind=NotificationKind.MEMBERSHIP, text__contains="kun for medlemmer")
    assert {n.user for n in told} == {p.user for k, p in personas.items() if k in ("mette", "sofie", "jens", "fie")}


def test_a_sole_member_makes_its_own_partnership_public_at_once(fie: Persona, challenge: Any) -> None:
    assert fie.actor is not None
    alone = services.start_partnership(
        user=fie.user, actor=fie.actor, challenge=challenge, title="Alene", visibility="members"
    )
    response = edit(fie, alone, visibility="public")
    assert response.status_code == 302 and response["Location"] == alone.get_absolute_url()
    alone.refresh_from_db()
    assert alone.visibility == Partnership.Visibility.PUBLIC
    assert Client().get(alone.get_absolute_url()).status_code == 200


def test_a_member_withdraws_an_invitation_and_the_invited_are_told(
    partnership: Partnership, personas: dict[str, Persona], django_capture_on_commit_callbacks: Any
) -> None:
    lars, nora = personas["lars"], personas["nora"]
    assert lars.actor is not None and nora.actor is not None
    invitation = services.invite_actor(user=lars.user, partnership=partnership, by_actor=lars.actor, actor=nora.actor)
    page = personas["sofie"].client().get(partnership.get_absolute_url()).content.decode()
    assert "Træk invitationen tilbage" in page
    url = reverse("partnerships:withdraw_invitation", args=[partnership.pk, invitation.pk])
    assert Client().post(url).status_code == 302  # to the login
    assert nora.client().post(url).status_code == 403  # not a member
    with django_capture_on_commit_callbacks(execute=True):
        response = personas["sofie"].client().post(url, follow=True)
    assert "Invitationen til Haveforeningen Solsikken er trukket tilbage" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == PartnershipInvitation.Status.WITHDRAWN
    assert invitation.withdrawn_by_actor == personas["sofie"].actor
    assert Notification.objects.filter(
        user=nora.user, kind=NotificationKind.INVITATION, text__contains="har trukket invitationen"
    ).exists()
    # Nora's answer, from a page opened before, finds it withdrawn; nothing joins her to the partnership.
    answer = nora.client().post(
        reverse("partnerships:respond", args=[invitation.pk]), {"answer": "accept"}, follow=True
    )
    assert "blev trukket tilbage" in answer.content.decode()
    assert not partnership.is_member(nora.actor)
    # A second withdrawal says it is already done.
    again = personas["sofie"].client().post(url, follow=True).content.decode()
    assert "kan ikke længere trækkes tilbage" in again


def test_an_actor_leaves_and_the_facilitator_role_passes_on(
    private_partnership: Partnership, personas: dict[str, Persona], django_capture_on_commit_callbacks: Any
) -> None:
    fie, mette = personas["fie"], personas["mette"]
    url = reverse("partnerships:leave", args=[private_partnership.pk])
    page = fie.client().get(url)
    assert page.status_code == 200 and "Facilitatorrollen går videre" in page.content.decode()
    assert Client().get(url).status_code == 302  # to the login
    assert personas["nora"].client().get(url).status_code == 404  # not a member, cannot see it
    with django_capture_on_commit_callbacks(execute=True):
        response = fie.client().post(url, {"actor": fie.actor.pk, "note": "Vi har ikke frivillige nok"})
    assert response.status_code == 302 and response["Location"] == reverse("partnerships:list")
    assert not private_partnership.is_member(fie.actor)
    assert fie.client().get(private_partnership.get_absolute_url()).status_code == 404
    departure = MemberDeparture.objects.get()
    assert (departure.actor, departure.note) == (fie.actor, "Vi har ikke frivillige nok")
    facilitator = PartnershipMember.objects.get(partnership=private_partnership, role="facilitator")
    assert facilitator.actor == mette.actor  # the member that joined first after Fie
    assert FacilitatorChange.objects.filter(to_actor=mette.actor, by_actor=fie.actor).exists()
    told = Notification.objects.get(user=mette.user, kind=NotificationKind.MEMBERSHIP)
    assert "har forladt" in told.text and "Vi har ikke frivillige nok" in told.text
    assert "Tidligere medlemmer" in mette.client().get(private_partnership.get_absolute_url()).content.decode()


def test_the_last_member_cannot_leave(fie: Persona, challenge: Any) -> None:
    assert fie.actor is not None
    alone = services.start_partnership(user=fie.user, actor=fie.actor, challenge=challenge, title="Alene")
    response = fie.client().post(reverse("partnerships:leave", args=[alone.pk]), {"actor": fie.actor.pk})
    assert response.status_code == 200
    assert "partnerskabets sidste medlem og kan ikke forlade det" in response.content.decode()
    assert alone.is_member(fie.actor)


def test_only_those_who_act_for_the_actor_take_it_out(
    partnership: Partnership, personas: dict[str, Persona], odense: Any
) -> None:
    # Lars tries to take Jens's business out of the partnership by naming it.
    jens_actor = personas["jens"].actor
    assert jens_actor is not None
    url = reverse("partnerships:leave", args=[partnership.pk])
    response = personas["lars"].client().post(url, {"actor": jens_actor.pk})
    assert response.status_code == 200 and "Marker en gyldig valgmulighed" in response.content.decode()
    assert partnership.is_member(jens_actor)
    other = Actor.objects.create(name="Ikke medlem", sector=Sector.ASSOCIATION, municipality=odense)
    assert personas["lars"].client().post(url, {"actor": other.pk}).status_code == 200
    assert not MemberDeparture.objects.exists()


def test_the_api_withdraws_an_invitation_and_takes_an_actor_out(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    lars, nora, sofie = personas["lars"], personas["nora"], personas["sofie"]
    assert lars.actor is not None and nora.actor is not None and sofie.actor is not None
    invitation = services.invite_actor(user=lars.user, partnership=partnership, by_actor=lars.actor, actor=nora.actor)
    url = f"{API}/partnerships/{partnership.pk}/invitations/{invitation.pk}/withdraw"
    client = Client()
    assert client.post(url, {}, content_type="application/json", headers=bearer(nora)).status_code == 403
    withdrawn = client.post(url, {}, content_type="application/json", headers=bearer(sofie))
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    again = client.post(url, {}, content_type="application/json", headers=bearer(sofie))
    assert again.status_code == 422 and "kan ikke længere trækkes tilbage" in again.json()["detail"]

    leave = f"{API}/partnerships/{partnership.pk}/leave"
    refused = client.post(leave, {"actor_id": lars.actor.pk}, content_type="application/json", headers=bearer(sofie))
    assert refused.status_code == 403 and partnership.is_member(lars.actor)
    unknown = client.post(leave, {"reason": "x"}, content_type="application/json", headers=bearer(sofie))
    assert unknown.status_code == 422 and "reason" in str(unknown.json())
    left = client.post(leave, {"note": "Flyttet"}, content_type="application/json", headers=bearer(sofie))
    assert left.status_code == 204 and not partnership.is_member(sofie.actor)
    assert MemberDeparture.objects.get().note == "Flyttet"


def test_the_api_suggests_actors_before_any_need_is_recorded(partnership: Partnership, nora: Persona) -> None:
    # As the page does (tests/test_contributors_without_needs.py): by theme and area, without coalitions.
    assert nora.actor is not None and not partnership.needs.exists()
    nora.actor.themes.set(Theme.objects.filter(slug="boern-unge"))
    answer = Client().get(f"{API}/partnerships/{partnership.pk}/coalitions?themes=boern-unge").json()
    assert answer["coalitions"] == []
    assert "Haveforeningen Solsikken" in [s["actor"]["name"] for s in answer["suggestions"]]


def test_a_member_of_an_actor_cannot_take_it_out_only_its_administrators(
    private_partnership: Partnership, anne: Persona, omar: Persona, django_capture_on_commit_callbacks: Any
) -> None:
    # Nørreby Skole is a member; Omar belongs to the school as a member, Anne administers it. He can no more take
    # the school out than accept an invitation for it.
    assert anne.actor is not None
    PartnershipMember.objects.create(partnership=private_partnership, actor=anne.actor)
    url = reverse("partnerships:leave", args=[private_partnership.pk])
    assert "Forlad partnerskabet" not in omar.client().get(private_partnership.get_absolute_url()).content.decode()
    assert omar.client().get(url).status_code == 403
    assert omar.client().post(url, {"actor": anne.actor.pk}).status_code == 403
    api = Client().post(
        f"{API}/partnerships/{private_partnership.pk}/leave",
        {"actor_id": anne.actor.pk},
        content_type="application/json",
        headers=bearer(omar),
    )
    assert api.status_code == 403
    assert private_partnership.is_member(anne.actor) and not MemberDeparture.objects.exists()
    assert "Forlad partnerskabet" in anne.client().get(private_partnership.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert anne.client().post(url, {"actor": anne.actor.pk}).status_code == 302
    assert not private_partnership.is_member(anne.actor)


def _lars_pledges(partnership: Partnership, lars: Persona, mette: Persona) -> tuple[Any, Any]:
    """Lars's club owns an action with Mette's unit and pledges its hall for it, and two trainers for the whole."""
    from samskab.partnerships.services import actions as plan

    assert lars.actor is not None and mette.actor is not None
    action = plan.create_action(
        user=mette.user,
        partnership=partnership,
        by_actor=mette.actor,
        title="Fodbold om fredagen",
        owners=[lars.actor, mette.actor],
    )
    hall = plan.pledge(
        user=lars.user, partnership=partnership, actor=lars.actor, kind="premises", description="Hallen", action=action
    )
    trainers = plan.pledge(
        user=lars.user, partnership=partnership, actor=lars.actor, kind="expertise", description="To trænere"
    )
    return hall, trainers


def test_an_actor_with_pledges_says_whether_it_withdraws_them_when_it_leaves(
    partnership: Partnership, personas: dict[str, Persona], django_capture_on_commit_callbacks: Any
) -> None:
    lars, mette = personas["lars"], personas["mette"]
    hall, trainers = _lars_pledges(partnership, lars, mette)
    url = reverse("partnerships:leave", args=[partnership.pk])
    page = lars.client().get(url).content.decode()
    assert "Dens tilsagn" in page and "Hallen" in page and "To trænere" in page
    assert "Hvad sker der med dens tilsagn?" in page and "Fodbold om fredagen" in page  # the action it owns

    # Without saying what becomes of the pledges, nothing happens, and the note is kept.
    refused = lars.client().post(url, {"actor": lars.actor.pk, "note": "Vi mangler trænere"})
    body = refused.content.decode()
    assert refused.status_code == 200 and "Vælg, om den holder fast i tilsagnene" in body
    assert "“Hallen”, “To trænere”" in body and "Vi mangler trænere" in body
    assert partnership.is_member(lars.actor) and not MemberDeparture.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        left = lars.client().post(url, {"actor": lars.actor.pk, "note": "Vi mangler trænere", "pledges": "withdraw"})
    assert left.status_code == 302 and not partnership.is_member(lars.actor)
    for pledge in (hall, trainers):
        pledge.refresh_from_db()
        assert pledge.withdrawn_at is not None and pledge.withdrawn_by_user == lars.user
    told = Notification.objects.get(user=mette.user, kind=NotificationKind.MEMBERSHIP)
    assert "Dens tilsagn er trukket tilbage: “Hallen”, “To trænere”." in told.text
    assert "Den var ansvarlig for: “Fodbold om fredagen”." in told.text  # for the others to give to a member
    plan = mette.client().get(reverse("partnerships:together", args=[partnership.pk])).content.decode()
    assert "Tilsagn, der er trukket tilbage" in plan  # listed as withdrawn, counted nowhere
    assert f"{lars.actor.name} (har forladt partnerskabet)" in plan  # still an owner of the action, marked


def test_an_actor_that_keeps_its_pledges_is_still_counted_on_and_the_api_asks_too(
    partnership: Partnership, personas: dict[str, Persona], django_capture_on_commit_callbacks: Any
) -> None:
    lars, mette = personas["lars"], personas["mette"]
    hall, trainers = _lars_pledges(partnership, lars, mette)
    leave = f"{API}/partnerships/{partnership.pk}/leave"
    client = Client()
    asked = client.post(
        leave,
        {"actor_id": lars.actor.pk},
        content_type="application/json",
        headers=bearer(lars) | {"Accept-Language": "da"},
    )
    [error] = asked.json()["detail"]
    assert asked.status_code == 422 and error["loc"][-1] == "pledges" and "“Hallen”, “To trænere”" in error["msg"]
    wrong = client.post(leave, {"pledges": "maybe"}, content_type="application/json", headers=bearer(lars))
    assert wrong.status_code == 422 and partnership.is_member(lars.actor)
    with django_capture_on_commit_callbacks(execute=True):
        kept = client.post(leave, {"pledges": "keep"}, content_type="application/json", headers=bearer(lars))
    assert kept.status_code == 204 and not partnership.is_member(lars.actor)
    assert Pledge.objects.standing().filter(pk__in=[hall.pk, trainers.pk]).count() == 2
    told = Notification.objects.get(user=mette.user, kind=NotificationKind.MEMBERSHIP)
    assert "Den holder fast i sine tilsagn: “Hallen”, “To trænere”." in told.text
    plan = mette.client().get(reverse("partnerships:together", args=[partnership.pk])).content.decode()
    assert "Tilsagn, der er trukket tilbage" not in plan
    assert plan.count(f"{lars.actor.name} (har forladt partnerskabet): Hallen") == 2  # under the action and the list
    # An actor without pledges is not asked.
    sofie = personas["sofie"]
    assert (
        "Hvad sker der med dens tilsagn?"
        not in sofie.client().get(reverse("partnerships:leave", args=[partnership.pk])).content.decode()
    )


def test_a_proposals_record_shows_the_members_when_it_closed_and_a_departed_objector(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    from samskab.partnerships.services import decisions

    from .test_governance import expire, make_proposal

    lars, jens, nora, sofie = personas["lars"], personas["jens"], personas["nora"], personas["sofie"]
    assert jens.actor is not None and nora.actor is not None and sofie.actor is not None
    decided = make_proposal(lars, partnership)
    expire(decided)
    decisions.settle_due_proposals()
    decided.refresh_from_db()
    assert decided.status == Proposal.Status.PASSED and decided.closed_at == decided.deadline
    # Afterwards Nora's association joins and Jens's shop leaves.
    invitation = services.invite_actor(user=lars.user, partnership=partnership, by_actor=lars.actor, actor=nora.actor)
    services.respond_to_invitation(user=nora.user, invitation=invitation, accept=True)
    services.leave_partnership(user=jens.user, partnership=partnership, actor=jens.actor)
    page = lars.client().get(decided.get_absolute_url()).content.decode()
    assert nora.actor.name not in page  # it had no voice then, so it did not consent by silence
    assert f"{jens.actor.name} (har forladt partnerskabet)" in page  # it had, and is still in the record

    # Sofie objects to an open proposal, then her actor leaves: the objection stands, and the record shows it.
    open_one = make_proposal(lars, partnership, text="Vi maler hallen")
    decisions.respond_to_proposal(
        user=sofie.user,
        proposal=open_one,
        actor=sofie.actor,
        version_number=1,
        kind="objection",
        reason="For dyrt lige nu",
    )
    services.leave_partnership(user=sofie.user, partnership=partnership, actor=sofie.actor)
    page = lars.client().get(open_one.get_absolute_url()).content.decode()
    assert f"{sofie.actor.name} (har forladt partnerskabet)" in page and "For dyrt lige nu" in page
    assert nora.actor.name in page and jens.actor.name not in page  # the members now, while it is open


def test_the_invite_list_leaves_out_members_and_actors_already_invited(
    partnership: Partnership, personas: dict[str, Persona], odense: Any
) -> None:
    lars, nora = personas["lars"], personas["nora"]
    assert lars.actor is not None and nora.actor is not None
    other = Actor.objects.create(name="Vollsmose Skakklub", sector=Sector.ASSOCIATION, municipality=odense)
    url = reverse("partnerships:invite", args=[partnership.pk])
    page = lars.client().get(url).content.decode()
    assert nora.actor.name in page and other.name in page and f">{lars.actor.name} (" not in page
    services.invite_actor(user=lars.user, partnership=partnership, by_actor=lars.actor, actor=nora.actor)
    page = lars.client().get(url).content.decode()
    choices = page.split('name="invitee"')[1].split("</select>")[0]
    assert nora.actor.name not in choices  # the partnership page lists it as invited
    assert other.name in page
