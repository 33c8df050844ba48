"""Anne involves the staff of Nørreby Skole in how a reform is carried out. The school is the process's one
member actor, and every teacher has a voice of their own: Anne's proposal waits for Omar and Bo, Omar's objection
stops it, and only Anne amends or withdraws what she proposed. In co-creation, actors keep one voice each."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samskab.accounts.models import Notification
from samskab.actors.models import Membership, MunicipalAdministrator, Municipality, Sector
from samskab.actors.services import create_actor
from samskab.partnerships import services
from samskab.partnerships.models import Decision, Partnership, Proposal

from .conftest import Persona, make_user


@pytest.fixture
def school(odense: Municipality) -> dict[str, Persona]:
    anne = make_user("anne@skole.dk", "Anne Lund")
    MunicipalAdministrator.objects.create(user=anne, municipality=odense)
    actor = create_actor(user=anne, sector=Sector.MUNICIPALITY, name="Nørreby Skole", municipality=odense)
    people = {"anne": Persona(anne, actor)}
    for email, name in (("omar@skole.dk", "Omar Said"), ("bo@skole.dk", "Bo Berg")):
        user = make_user(email, name)
        Membership.objects.create(actor=actor, user=user)
        people[name.split()[0].lower()] = Persona(user, actor)
    return people


@pytest.fixture
def process(school: dict[str, Persona]) -> Partnership:
    anne = school["anne"]
    assert anne.actor is not None
    return services.start_partnership(
        user=anne.user,
        actor=anne.actor,
        challenge=None,
        title="Praksisfaglighed i udskolingen",
        visibility=Partnership.Visibility.MEMBERS,
        kind=Partnership.Kind.EMPLOYEE_INVOLVEMENT,
    )


def anne_proposes(anne: Persona, process: Partnership) -> Proposal:
    """Anne proposes blocks of practical subjects, with three days for her colleagues to answer."""
    assert anne.actor is not None
    return services.propose(
        user=anne.user,
        partnership=process,
        by_actor=anne.actor,
        title="Forløb i blokke",
        text="Praksisfag i blokke på tre uger.",
        deadline=timezone.now() + timedelta(days=3),
    )


def deadline() -> str:
    return (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")


def test_each_employee_has_a_voice_and_an_objection_stops_the_leaders_proposal(
    school: dict[str, Persona], process: Partnership
) -> None:
    anne, omar, bo = school["anne"].client(), school["omar"].client(), school["bo"].client()
    proposal_data = {"title": "Forløb i blokke", "text": "Praksisfag i blokke på tre uger.", "deadline": deadline()}
    response = anne.post(reverse("partnerships:proposals", args=[process.pk]), proposal_data, follow=True)

    proposal = Proposal.objects.get()
    assert proposal.status == Proposal.Status.OPEN  # the school is the only member actor, but not the only voice
    assert "Forslaget er åbent for svar indtil fristen." in response.content.decode()
    told = Notification.objects.filter(kind="proposal")
    assert {n.user.email for n in told} == {"omar@skole.dk", "bo@skole.dk"}
    assert "Anne Lund foreslår “Forløb i blokke”. Svar senest" in told[0].text
    url = proposal.get_absolute_url()
    page = " ".join(omar.get(url).content.decode().split())
    assert "Alle, der deltager, har deres egen stemme." in page
    for name in ("Anne Lund", "Bo Berg", "Omar Said"):
        assert f'<th scope="row">{name}</th>' in page
    assert "Dit svar" in page and "Ændr forslaget" not in page  # Omar may respond, not amend Anne's proposal

    bo.post(url, {"do": "respond", "version": 1, "kind": "consent", "reason": ""})
    omar.post(url, {"do": "respond", "version": 1, "kind": "objection", "reason": "Vi mangler lokaler til blokkene."})
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.OPEN
    # Bo answers for himself: his consent does not speak for Omar, nor Omar's objection for Bo.
    page = " ".join(anne.get(url).content.decode().split())
    assert '<th scope="row">Bo Berg</th><td>Samtykke</td>' in page
    assert '<th scope="row">Omar Said</th><td>Indsigelse</td><td>Vi mangler lokaler til blokkene.</td>' in page
    listed = bo.get(f"/api/v1/partnerships/{process.pk}/proposals").json()
    assert sorted((r["person"], r["kind"]) for r in listed[0]["responses"]) == [
        ("Bo Berg", "consent"),
        ("Omar Said", "objection"),
    ]
    # A colleague of the proposer's cannot amend or withdraw in her place.
    amend = {"do": "amend", "version": 1, "text": "Noget andet", "actor": process.members.get().actor_id}
    omar.post(url, amend)
    omar.post(url, {"do": "withdraw"})
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.OPEN and proposal.versions.count() == 1

    Proposal.objects.filter(pk=proposal.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    services.settle_due_proposals()
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.NOT_PASSED


def test_an_amendment_everyone_consents_to_is_decided_at_once(school: dict[str, Persona], process: Partnership) -> None:
    anne, omar, bo = school["anne"], school["omar"], school["bo"]
    assert anne.actor is not None
    proposal = anne_proposes(anne, process)
    services.amend_proposal(user=anne.user, proposal=proposal, by_actor=anne.actor, text="Blokke på to uger.")
    services.respond_to_proposal(user=omar.user, proposal=proposal, actor=anne.actor, version_number=2, kind="consent")
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.OPEN  # Bo has not answered yet
    services.respond_to_proposal(
        user=bo.user, proposal=proposal, actor=anne.actor, version_number=2, kind="concern", reason="Husk vikarer"
    )
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.PASSED
    assert Decision.objects.get().text == "Blokke på to uger."


def test_the_reminder_goes_to_each_employee_who_has_not_answered(
    school: dict[str, Persona], process: Partnership
) -> None:
    anne, omar = school["anne"], school["omar"]
    assert anne.actor is not None
    proposal = anne_proposes(anne, process)
    services.respond_to_proposal(user=omar.user, proposal=proposal, actor=anne.actor, version_number=1, kind="consent")
    Proposal.objects.filter(pk=proposal.pk).update(
        created_at=timezone.now() - timedelta(days=2), deadline=timezone.now() + timedelta(hours=12)
    )

    assert services.remind_deadlines() == 1

    reminded = Notification.objects.filter(kind="deadline")
    assert [n.user.email for n in reminded] == ["bo@skole.dk"]  # Omar answered; Anne proposed
    assert "Du har ikke svaret" in reminded[0].text


def test_the_staff_find_their_process_on_the_front_page_and_the_schools_page(
    school: dict[str, Persona], process: Partnership
) -> None:
    omar = school["omar"].client()
    front = omar.get("/").content.decode()
    mine = front[front.index("Dine partnerskaber") : front.index("</ul>", front.index("Dine partnerskaber"))]
    assert "Praksisfaglighed i udskolingen" in mine
    assert "Dine partnerskaber" not in Client().get("/").content.decode()  # members-only: not for outsiders
    school_page = school["anne"].actor.get_absolute_url()  # type: ignore[union-attr]
    assert "Praksisfaglighed i udskolingen" in omar.get(school_page).content.decode()
    assert "Praksisfaglighed i udskolingen" not in Client().get(school_page).content.decode()


def test_a_leader_starts_an_involvement_process_without_a_public_challenge(school: dict[str, Persona]) -> None:
    anne = school["anne"].client()
    assert 'href="/partnerskaber/ny-inddragelse/"' in anne.get(reverse("partnerships:list")).content.decode()
    url = reverse("partnerships:involvement_start")
    form = anne.get(url).content.decode()
    assert 'name="kind"' not in form  # an involvement process, nothing else, starts here
    assert 'value="members" id="id_visibility_1" required class="form-radio" checked>' in form
    refused = anne.post(url, {"actor": school["anne"].actor.pk, "title": "", "kind": "co_creation"})  # type: ignore[union-attr]
    assert refused.status_code == 200 and refused.context["form"].errors["title"]
    assert not Partnership.objects.exists()

    response = anne.post(
        url,
        {
            "actor": school["anne"].actor.pk,  # type: ignore[union-attr]
            "title": "Ny læseplan",
            "purpose": "Hvordan gør vi det i praksis?",
            "kind": "co_creation",  # ignored: the form has no such field
            "room_for_change": "Målene er givet. Hvordan vi tilrettelægger timerne, bestemmer vi selv.",
            "visibility": "members",
        },
    )

    process = Partnership.objects.get()
    assert response.url == process.get_absolute_url()
    assert (process.challenge, process.kind, process.visibility) == (None, "employee_involvement", "members")
    # The room for change frames the process and every proposal made in it.
    frame = "Hvordan vi tilrettelægger timerne, bestemmer vi selv."
    assert "Råderummet" in anne.get(process.get_absolute_url()).content.decode()
    assert frame in anne.get(reverse("partnerships:proposals", args=[process.pk])).content.decode()
    edit = reverse("partnerships:edit", args=[process.pk])
    form = anne.get(edit)
    changed = {
        "actor": school["anne"].actor.pk,  # type: ignore[union-attr]
        "title": "Ny læseplan",
        "purpose": "",
        "room_for_change": "Alt om skemaet er vores.",
        "visibility": "members",
        "seen": form.context["form"]["seen"].value(),
    }
    assert anne.post(edit, changed).status_code == 302
    process.refresh_from_db()
    assert process.room_for_change == "Alt om skemaet er vores."
    assert Client().get(process.get_absolute_url()).status_code in (403, 404)  # members-only
    assert Client().get(url).status_code == 302  # to the login page


def test_the_process_page_lists_the_people_with_a_voice_and_invites_colleagues_into_the_school(
    school: dict[str, Persona], process: Partnership
) -> None:
    page = " ".join(school["anne"].client().get(process.get_absolute_url()).content.decode().split())
    assert "3 personer deltager" in page
    for name in ("Anne Lund", "Bo Berg", "Omar Said"):
        assert f"<li>{name}</li>" in page
    assert "Ingen medlemmer fra denne sektor endnu" not in page
    invite = reverse("actors:invite_person", args=[school["anne"].actor.slug])  # type: ignore[union-attr]
    assert f'href="{invite}?rolle=colleague">Invitér kolleger ind i Nørreby Skole</a>' in page
    assert reverse("partnerships:invite", args=[process.pk]) not in page
    # Omar is no administrator of the school: he is not offered to invite anyone into it.
    assert invite not in school["omar"].client().get(process.get_absolute_url()).content.decode()


def test_the_invitations_menu_is_for_those_who_answer_for_an_actor(school: dict[str, Persona]) -> None:
    link = f'<a href="{reverse("partnerships:invitations")}" class="nav-link"'
    assert link in school["anne"].client().get("/").content.decode()  # she administers the school
    assert link not in school["omar"].client().get("/").content.decode()


def test_every_colleague_hears_of_a_new_conversation(school: dict[str, Persona], process: Partnership) -> None:
    from samskab.opinions.models import Conversation

    anne = school["anne"].client()
    anne.post(reverse("opinions:create", args=[process.pk]), {"question": "Hvad virker i blokkene?"})
    conversation = Conversation.objects.get()
    told = Notification.objects.filter(kind="conversation", url=conversation.get_absolute_url())
    assert {n.user.email for n in told} == {"omar@skole.dk", "bo@skole.dk"}  # the same actor as Anne, each told


def test_an_amendment_is_announced_to_every_colleague_and_reminded_again(
    school: dict[str, Persona], process: Partnership
) -> None:
    anne, omar = school["anne"], school["omar"]
    assert anne.actor is not None
    proposal = anne_proposes(anne, process)
    Proposal.objects.filter(pk=proposal.pk).update(reminded_at=timezone.now())  # version 1 was reminded
    Notification.objects.all().delete()

    services.amend_proposal(user=anne.user, proposal=proposal, by_actor=anne.actor, text="Blokke på to uger.")

    told = Notification.objects.filter(kind="proposal")
    assert {n.user.email for n in told} == {"omar@skole.dk", "bo@skole.dk"}
    assert "Svar igen senest" in told[0].text
    services.respond_to_proposal(user=omar.user, proposal=proposal, actor=anne.actor, version_number=2, kind="consent")
    Proposal.objects.filter(pk=proposal.pk).update(
        created_at=timezone.now() - timedelta(days=2), deadline=timezone.now() + timedelta(hours=12)
    )
    assert services.remind_deadlines() == 1
    assert [n.user.email for n in Notification.objects.filter(kind="deadline")] == ["bo@skole.dk"]


def test_a_departed_colleagues_objection_waits_for_the_deadline(
    school: dict[str, Persona], process: Partnership
) -> None:
    anne, omar, bo = school["anne"], school["omar"], school["bo"]
    assert anne.actor is not None
    proposal = anne_proposes(anne, process)
    services.respond_to_proposal(
        user=omar.user, proposal=proposal, actor=anne.actor, version_number=1, kind="objection", reason="Ingen lokaler"
    )
    omar.user.is_active = False  # Omar moves on
    omar.user.save()
    services.respond_to_proposal(user=bo.user, proposal=proposal, actor=anne.actor, version_number=1, kind="consent")

    # Everyone left consents, but the objection stands: the proposal stays open, so Anne can still amend it.
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.OPEN


def test_readers_of_a_public_process_see_the_answers_not_who_gave_them(
    school: dict[str, Persona], process: Partnership
) -> None:
    Partnership.objects.filter(pk=process.pk).update(visibility=Partnership.Visibility.PUBLIC)
    anne, omar = school["anne"], school["omar"]
    assert anne.actor is not None
    omar.user.name = ""  # a colleague without a name is never shown by address
    omar.user.save()
    proposal = anne_proposes(anne, process)
    services.respond_to_proposal(
        user=omar.user, proposal=proposal, actor=anne.actor, version_number=1, kind="objection", reason="Ingen lokaler"
    )
    url = proposal.get_absolute_url()

    outsider = " ".join(Client().get(url).content.decode().split())
    assert "Ingen lokaler" in outsider  # the reason is part of the decision
    for name in ("Anne Lund", "Bo Berg", "omar@skole.dk", "Omar"):
        assert name not in outsider
    assert '<th scope="row">En deltager</th><td>Indsigelse</td>' in outsider  # the objection first, unnamed
    detail = Client().get(process.get_absolute_url()).content.decode()
    assert "3 personer deltager" in detail and "Bo Berg" not in detail
    api = f"/api/v1/partnerships/{process.pk}/proposals"
    assert [r["person"] for r in Client().get(api).json()[0]["responses"]] == [None]
    # The members see who answered, a nameless colleague as such.
    member = " ".join(school["bo"].client().get(url).content.decode().split())
    assert '<th scope="row">En person, der ikke har oplyst sit navn</th><td>Indsigelse</td>' in member
    assert "omar@skole.dk" not in member
    assert [r["person"] for r in school["bo"].client().get(api).json()[0]["responses"]] == [
        "En person, der ikke har oplyst sit navn"
    ]


def test_co_creation_has_no_room_for_change(partnership: Partnership, personas: dict[str, Persona]) -> None:
    mette = personas["mette"].client()
    assert (
        "room_for_change" not in mette.get(reverse("partnerships:edit", args=[partnership.pk])).context["form"].fields
    )
    start = reverse("partnerships:start", args=[partnership.challenge_id])
    assert "room_for_change" not in mette.get(start).context["form"].fields


def test_the_power_balance_api_says_it_does_not_apply_to_an_internal_process(
    school: dict[str, Persona], process: Partnership, partnership: Partnership
) -> None:
    anne = school["anne"].client()
    assert anne.get(f"/api/v1/partnerships/{process.pk}/power-balance").json()["applies"] is False
    assert Client().get(f"/api/v1/partnerships/{partnership.pk}/power-balance").json()["applies"] is True


def test_a_new_agenda_item_is_announced_to_every_colleague(school: dict[str, Persona], process: Partnership) -> None:
    school["anne"].client().post(reverse("partnerships:agenda", args=[process.pk]), {"title": "Skemaet i 8. klasse"})
    told = Notification.objects.filter(kind="agenda")
    assert {n.user.email for n in told} == {"omar@skole.dk", "bo@skole.dk"}
