"""Deleting an account, told through Sofie (a citizen in the Vollsmose partnership) and Lars (the club's chair), and
what Min side shows: partnerships, open actions and proposals waiting, and the name others see."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samskab.accounts.models import Notification, User
from samskab.actors import services as actor_services
from samskab.actors.models import Actor, Membership, Municipality, Sector, Theme
from samskab.opinions import services as opinions
from samskab.partnerships import services
from samskab.partnerships.models import (
    Action,
    Challenge,
    FacilitatorChange,
    MemberDeparture,
    Partnership,
    PartnershipInvitation,
    PartnershipMember,
    Pledge,
    Proposal,
)

from .conftest import PASSWORD, Persona, make_user


def delete(persona: Persona) -> None:
    response = persona.client().post(reverse("accounts:delete_account"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=persona.user.pk).exists()


def pledge(persona: Persona, partnership: Partnership, description: str) -> Pledge:
    assert persona.actor is not None
    return services.pledge(
        user=persona.user,
        partnership=partnership,
        actor=persona.actor,
        kind="volunteer_hours",
        description=description,
        quantity=Decimal(2),
        unit="timer",
    )


def voices_on_a_new_proposal(fie: Persona, partnership: Partnership) -> str:
    """The page of a proposal Fie makes now: its table lists the member actors that have a voice."""
    assert fie.actor is not None
    proposal = services.propose(
        user=fie.user,
        partnership=partnership,
        by_actor=fie.actor,
        title="Lys på stien",
        text="Vi sætter lys op.",
        deadline=timezone.now() + timedelta(days=7),
    )
    return fie.client().get(proposal.get_absolute_url()).content.decode()


def facilitator_choices(page: str) -> list[str]:
    select = re.search(r'<select name="to_actor".*?</select>', page, re.S)
    assert select is not None
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0))


# 1. Her citizen actor leaves every partnership -------------------------------------------------------------------


def test_sofies_citizen_actor_leaves_the_partnership_as_any_member_leaves_when_she_deletes_her_account(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    """Sofie facilitates the Vollsmose partnership and has pledged two hours. When her account goes, her anonymous
    citizen leaves: the departure is logged, the role passes to the member that joined first (Fie's centre), the
    pledge is withdrawn, and the others are told a member left without her name. It is no voice any more."""
    sofie, fie, lars = personas["sofie"], personas["fie"], personas["lars"]
    assert sofie.actor is not None and fie.actor is not None
    services.hand_over_facilitation(user=fie.user, partnership=partnership, by_actor=fie.actor, to_actor=sofie.actor)
    hours = pledge(sofie, partnership, "To timers lektiehjælp om ugen")
    services.create_action(
        user=fie.user, partnership=partnership, by_actor=fie.actor, title="Lektiecafé", owners=[sofie.actor]
    )

    page = sofie.client().get(reverse("accounts:delete_account")).content.decode()
    assert "Unge i Vollsmose" in page and f'href="{partnership.get_absolute_url()}"' in page
    assert "Frivilligcenter Odense" in page  # who takes over as facilitator
    assert "den var ansvarlig for “Lektiecafé”" in page  # the action the others will have to give to a member
    delete(sofie)

    actor = Actor.objects.get(pk=sofie.actor.pk)
    assert actor.name == "Anonym borger"
    assert not partnership.is_member(actor)
    departure = MemberDeparture.objects.get(partnership=partnership, actor=actor)
    assert departure.note and "Sofie" not in departure.note and departure.user is None
    assert PartnershipMember.objects.get(partnership=partnership, role="facilitator").actor == fie.actor
    assert FacilitatorChange.objects.filter(partnership=partnership, to_actor=fie.actor, by_actor=actor).exists()
    hours.refresh_from_db()
    assert hours.withdrawn_at is not None

    told = Notification.objects.filter(user=lars.user, kind="membership").latest("pk").text
    assert "Anonym borger" in told and "Unge i Vollsmose" in told and departure.note in told
    assert "Sofie" not in told and "To timers lektiehjælp om ugen" in told  # the pledge it withdrew
    assert "Den var ansvarlig for: “Lektiecafé”." in told

    # Not offered the facilitator role, and no voice in a proposal made afterwards.
    detail = fie.client().get(partnership.get_absolute_url()).content.decode()
    assert "Anonym borger" not in facilitator_choices(detail)
    assert f'href="{actor.get_absolute_url()}"' not in detail
    voices = voices_on_a_new_proposal(fie, partnership)
    assert "Vollsmose Boldklub" in voices and "Anonym borger" not in voices


def test_a_partnership_whose_last_member_is_her_citizen_stays_as_a_record_nobody_joins(
    challenge: Challenge, sofie: Persona, lars: Persona
) -> None:
    """Sofie started a partnership on her own challenge and invited the club, which has not answered. The
    partnership cannot be left empty, and she can still delete her account: it stays with the anonymous citizen as
    its only member, her pledge is withdrawn, the invitation is withdrawn (the club is told), and its conversation
    closes, as nobody is left to moderate it."""
    assert sofie.actor is not None and lars.actor is not None
    alone = services.start_partnership(user=sofie.user, actor=sofie.actor, challenge=challenge, title="Torvets unge")
    services.invite_actor(user=sofie.user, partnership=alone, by_actor=sofie.actor, actor=lars.actor)
    hours = pledge(sofie, alone, "Kaffe til møderne")
    conversation = opinions.start_conversation(
        user=sofie.user, actor=sofie.actor, partnership=alone, question="Hvad savner de unge?"
    )

    page = sofie.client().get(reverse("accounts:delete_account")).content.decode()
    assert "Torvets unge" in page and 'name="password"' in page  # told, not refused
    delete(sofie)

    actor = Actor.objects.get(pk=sofie.actor.pk)
    assert list(alone.members.values_list("actor", "role")) == [(actor.pk, "facilitator")]
    assert not MemberDeparture.objects.filter(partnership=alone).exists()
    hours.refresh_from_db()
    assert hours.withdrawn_at is not None
    invitation = PartnershipInvitation.objects.get(partnership=alone, actor=lars.actor)
    assert invitation.status == PartnershipInvitation.Status.WITHDRAWN
    told = Notification.objects.get(user=lars.user, kind="invitation", text__contains="tilbage").text
    assert "Anonym borger" in told and "Torvets unge" in told and "Sofie" not in told
    assert not lars.client().get(reverse("partnerships:invitations")).content.decode().count("Torvets unge")
    conversation.refresh_from_db()
    assert not conversation.is_open and conversation.closed_by_actor == actor


def test_an_invitation_to_her_citizen_that_nobody_can_answer_is_withdrawn(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    nora, fie = personas["nora"], personas["fie"]
    assert nora.actor is not None and fie.actor is not None
    bo = make_user("bo@example.dk", "Bo Nielsen")
    citizen = actor_services.create_actor(
        user=bo, sector=Sector.CITIZEN, name="Bo Nielsen", municipality=Municipality.objects.get(code="0461")
    )
    services.invite_actor(user=fie.user, partnership=partnership, by_actor=fie.actor, actor=citizen)
    delete(Persona(bo, citizen))
    invitation = PartnershipInvitation.objects.get(actor=citizen)
    assert invitation.status == PartnershipInvitation.Status.WITHDRAWN


def test_the_club_lars_alone_acts_for_leaves_the_partnership_under_its_name_and_keeping_its_pledges(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    """Lars is the only person in the club. When his account goes, nobody is left to object for the club, so it
    must not stay a voice whose silence counts as consent: it leaves, as a member leaves, under its own name (a club
    is not personal data), and its hall stays pledged, as the club has not gone."""
    lars, fie, jens = personas["lars"], personas["fie"], personas["jens"]
    club = lars.actor
    assert club is not None and fie.actor is not None
    hall = pledge(lars, partnership, "Hallen fredag aften")
    services.create_action(
        user=fie.user, partnership=partnership, by_actor=fie.actor, title="Åbn hallen", owners=[club]
    )

    page = " ".join(lars.client().get(reverse("accounts:delete_account")).content.decode().split())
    assert "Vollsmose Boldklub forlader “Unge i Vollsmose”, fordi ingen andre handler for den" in page
    assert "dens tilsagn står ved magt" in page and 'name="password"' in page  # told, not refused
    delete(lars)

    club.refresh_from_db()
    assert club.name == "Vollsmose Boldklub" and club.anonymised_at is None
    assert Client().get(club.get_absolute_url()).status_code == 200  # still in the directory
    assert not partnership.is_member(club)
    departure = MemberDeparture.objects.get(partnership=partnership, actor=club)
    assert departure.user is None and "Lars" not in departure.note
    hall.refresh_from_db()
    assert hall.withdrawn_at is None  # kept, and the plan marks it as an actor's that has left

    told = Notification.objects.filter(user=jens.user, kind="membership").latest("pk").text
    assert told.startswith("Vollsmose Boldklub har forladt “Unge i Vollsmose”.")
    assert departure.note in told and "Lars" not in told
    assert "Den holder fast i sine tilsagn: “Hallen fredag aften”." in told
    assert "“Åbn hallen”" in told

    voices = voices_on_a_new_proposal(fie, partnership)
    assert '<th scope="row">Vollsmose Boldklub</th>' not in voices and '<th scope="row">Købmand Madsen' in voices


def test_a_club_someone_else_still_acts_for_stays_a_member(partnership: Partnership, lars: Persona) -> None:
    assert lars.actor is not None
    ib = make_user("ib@boldklub.dk", "Ib Holm")
    Membership.objects.create(actor=lars.actor, user=ib, role=Membership.Role.ADMIN)
    page = lars.client().get(reverse("accounts:delete_account")).content.decode()
    assert "fordi ingen andre handler for den" not in page
    delete(lars)
    assert partnership.is_member(lars.actor)
    assert not MemberDeparture.objects.exists()


# 2. The anonymous citizen has no page, and is found nowhere -------------------------------------------------------


def test_the_anonymous_citizen_has_no_page_and_is_neither_listed_nor_suggested(
    partnership: Partnership, challenge: Challenge, personas: dict[str, Persona]
) -> None:
    """Bo, a citizen who is no member, is suggested to the partnership and found in the directory. Once his account
    is gone, his anonymous citizen has no page, is suggested nowhere and found nowhere. Sofie's challenge stays,
    credited to "Anonym borger" without a link."""
    fie, sofie = personas["fie"], personas["sofie"]
    assert sofie.actor is not None
    bo = make_user("bo@example.dk", "Bo Nielsen")
    citizen = actor_services.create_actor(
        user=bo,
        sector=Sector.CITIZEN,
        name="Bo Nielsen",
        municipality=Municipality.objects.get(code="0461"),
        neighbourhood="Vollsmose",
        themes=Theme.objects.filter(slug="boern-unge"),
    )
    nora = personas["nora"].actor
    assert nora is not None
    nora.themes.set(Theme.objects.filter(slug="boern-unge"))
    contributors = reverse("partnerships:contributors", args=[partnership.pk]) + "?themes=boern-unge"
    assert "Bo Nielsen" in fie.client().get(contributors).content.decode()
    assert "Bo Nielsen" in Client().get(reverse("actors:directory"), {"q": "Bo Nielsen"}).content.decode()
    assert Client().get(citizen.get_absolute_url()).status_code == 200

    delete(Persona(bo, citizen))
    delete(sofie)

    for actor in Actor.objects.filter(pk__in=[citizen.pk, sofie.actor.pk]):
        assert actor.name == "Anonym borger" and actor.anonymised_at is not None
        assert Client().get(actor.get_absolute_url()).status_code == 404
        assert fie.client().get(actor.get_absolute_url()).status_code == 404
        assert Client().get(f"/api/v1/actors/{actor.slug}").status_code == 404
    suggested = fie.client().get(contributors).content.decode()
    assert "Anonym borger" not in suggested and "Haveforeningen Solsikken" in suggested  # Nora's still is
    for query in ("Anonym borger", "borger", "Bo Nielsen"):
        found = Client().get(reverse("actors:directory"), {"q": query}).content.decode()
        assert ">Anonym borger</a>" not in found and "/aktoerer/anonym-borger" not in found
        assert not Client().get("/api/v1/actors/", {"q": query}).json()["items"]
    assert "Anonym borger" not in Client().get(reverse("actor_map")).content.decode()
    shown = Client().get(challenge.get_absolute_url()).content.decode()
    assert "Anonym borger" in shown and "/aktoerer/anonym-borger" not in shown
    assert "/aktoerer/anonym-borger" not in Client().get(partnership.get_absolute_url()).content.decode()
    raised = Client().get(f"/api/v1/challenges/{challenge.pk}").json()["raised_by"]
    assert raised["name"] == "Anonym borger" and raised["slug"] is None  # the API links to no page either


# 3. Her conversation and her challenge -----------------------------------------------------------------------------


def test_her_public_conversation_closes_and_her_challenge_is_listed_before_she_deletes_her_account(
    challenge: Challenge, sofie: Persona, lars: Persona
) -> None:
    """Sofie opened a public conversation as herself, and raised a challenge. The deletion page lists both; nobody
    else acts for her citizen, so the conversation closes (its statements stay) and the challenge stays readable."""
    assert sofie.actor is not None
    conversation = opinions.start_conversation(
        user=sofie.user,
        actor=sofie.actor,
        partnership=None,
        question="Hvordan får vi mere liv på torvet?",
        seed_statements=["Flere bænke"],
    )
    page = sofie.client().get(reverse("accounts:delete_account")).content.decode()
    assert "Hvordan får vi mere liv på torvet?" in page and f'href="{conversation.get_absolute_url()}"' in page
    assert "Unge på hjørnet ved Vollsmose Torv" in page and f'href="{challenge.get_absolute_url()}"' in page

    delete(sofie)
    conversation.refresh_from_db()
    assert not conversation.is_open and conversation.closed_at is not None
    assert conversation.statements.filter(text="Flere bænke").exists()
    assert Client().get(challenge.get_absolute_url()).status_code == 200


def test_a_public_conversation_lars_opened_for_the_club_passes_to_its_other_administrator(lars: Persona) -> None:
    """Lars opened a public conversation for the club. Ib, the club's other administrator, takes it over: he
    moderates it and is told so."""
    assert lars.actor is not None
    ib = make_user("ib@boldklub.dk", "Ib Holm")
    Membership.objects.create(actor=lars.actor, user=ib, role=Membership.Role.ADMIN)
    conversation = opinions.start_conversation(
        user=lars.user, actor=lars.actor, partnership=None, question="Hvad skal klubhuset bruges til?"
    )
    page = lars.client().get(reverse("accounts:delete_account")).content.decode()
    assert "Hvad skal klubhuset bruges til?" in page and "Ib Holm" in page

    delete(lars)
    conversation.refresh_from_db()
    assert conversation.is_open and conversation.created_by == ib
    assert opinions.is_facilitator(ib, conversation)
    ib_client = Client()
    ib_client.force_login(ib)
    assert ib_client.get(reverse("opinions:moderation", args=[conversation.pk])).status_code == 200
    told = Notification.objects.get(user=ib, kind="report")
    assert "Hvad skal klubhuset bruges til?" in told.text and told.url == conversation.get_absolute_url()


# 4. The deletion page ----------------------------------------------------------------------------------------------


def test_the_deletion_page_links_to_the_download_and_lets_the_password_manager_fill_in(sofie: Persona) -> None:
    page = sofie.client().get(reverse("accounts:delete_account")).content.decode()
    assert f'href="{reverse("accounts:download_data")}" download' in page
    assert re.search(r'<input type="password" name="password" autocomplete="current-password"', page)


def test_the_download_page_says_what_the_file_holds(sofie: Persona) -> None:
    client = sofie.client()
    assert f'href="{reverse("accounts:my_data")}"' in client.get(reverse("accounts:profile")).content.decode()
    page = client.get(reverse("accounts:my_data")).content.decode()
    data = json.loads(client.get(reverse("accounts:download_data")).content)
    for section in data:
        assert f"<code>{section}</code>" in page  # every part of the file is explained
    assert "partnership__title" in page and f'href="{reverse("accounts:download_data")}"' in page
    assert Client().get(reverse("accounts:my_data")).status_code == 302  # to the login


# 5. Min side -------------------------------------------------------------------------------------------------------


def test_lars_sees_his_partnerships_open_actions_and_the_proposals_waiting_for_the_club(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    lars, fie, mette = personas["lars"], personas["fie"], personas["mette"]
    assert lars.actor is not None and fie.actor is not None and mette.actor is not None
    late = services.create_action(
        user=fie.user,
        partnership=partnership,
        by_actor=fie.actor,
        title="Book hallen",
        owners=[lars.actor],
        deadline=timezone.localdate() + timedelta(days=3),
    )
    Action.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - timedelta(days=2))
    soon = services.create_action(
        user=fie.user,
        partnership=partnership,
        by_actor=fie.actor,
        title="Find trænere",
        owners=[lars.actor, mette.actor],
        deadline=timezone.localdate() + timedelta(days=10),
    )
    done = services.create_action(
        user=fie.user, partnership=partnership, by_actor=fie.actor, title="Lån nøglen", owners=[lars.actor]
    )
    Action.objects.filter(pk=done.pk).update(status=Action.Status.DONE)
    services.create_action(
        user=fie.user, partnership=partnership, by_actor=fie.actor, title="Skriv til avisen", owners=[fie.actor]
    )
    waiting = services.propose(
        user=fie.user,
        partnership=partnership,
        by_actor=fie.actor,
        title="Træning tirsdag",
        text="Vi træner tirsdag kl. 17.",
        deadline=timezone.now() + timedelta(days=5),
    )
    answered = services.propose(
        user=fie.user,
        partnership=partnership,
        by_actor=fie.actor,
        title="Træning torsdag",
        text="Vi træner torsdag kl. 17.",
        deadline=timezone.now() + timedelta(days=5),
    )
    services.respond_to_proposal(user=lars.user, proposal=answered, actor=lars.actor, version_number=1, kind="consent")
    own = services.propose(
        user=lars.user,
        partnership=partnership,
        by_actor=lars.actor,
        title="Klubbens forslag",
        text="Vi låner hallen ud.",
        deadline=timezone.now() + timedelta(days=5),
    )

    page = lars.client().get(reverse("accounts:profile")).content.decode()
    assert f'<a href="{partnership.get_absolute_url()}">Unge i Vollsmose</a>' in page
    assert "Vollsmose Boldklub" in page
    together = reverse("partnerships:together", args=[partnership.pk])
    assert f'href="{together}#action-{late.pk}"' in page and f'href="{together}#action-{soon.pk}"' in page
    assert page.index("Book hallen") < page.index("Find trænere")  # the nearest deadline first
    overdue = page[page.index("Book hallen") : page.index("Find trænere")]
    assert "Overskredet" in overdue  # flagged
    assert "Overskredet" not in page[page.index("Find trænere") :]
    assert "Lån nøglen" not in page and "Skriv til avisen" not in page  # done, or not the club's
    assert f'href="{waiting.get_absolute_url()}"' in page
    assert timezone.localtime(waiting.deadline).strftime("%H:%M") in page
    assert f'href="{answered.get_absolute_url()}"' not in page and f'href="{own.get_absolute_url()}"' not in page

    facilitating = fie.client().get(reverse("accounts:profile")).content.decode()
    assert "Frivilligcenter Odense" in facilitating and "Træning tirsdag" not in facilitating  # she proposed it
    nobody = Client()
    nobody.force_login(make_user("ny@example.dk", "Ny Bruger"))
    assert "Unge i Vollsmose" not in nobody.get(reverse("accounts:profile")).content.decode()


def test_my_page_costs_the_same_queries_however_many_partnerships_actions_and_proposals(
    partnership: Partnership, challenge: Challenge, personas: dict[str, Persona]
) -> None:
    lars, fie = personas["lars"], personas["fie"]
    assert lars.actor is not None and fie.actor is not None
    client = lars.client()

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("accounts:profile")).status_code == 200
        return len(queries.captured_queries)

    def add_work(target: Partnership, number: int) -> None:
        services.create_action(
            user=fie.user,
            partnership=target,
            by_actor=fie.actor,
            title=f"Handling {number}",
            owners=[lars.actor],
            deadline=timezone.localdate() + timedelta(days=number),
        )
        services.propose(
            user=fie.user,
            partnership=target,
            by_actor=fie.actor,
            title=f"Forslag {number}",
            text="Tekst",
            deadline=timezone.now() + timedelta(days=number + 1),
        )

    add_work(partnership, 1)
    few = count()
    for number in range(2, 6):
        more = services.start_partnership(user=fie.user, actor=fie.actor, challenge=challenge, title=f"P{number}")
        PartnershipMember.objects.create(partnership=more, actor=lars.actor)
        add_work(more, number)
        add_work(partnership, number + 10)
    assert Proposal.objects.count() == 9
    assert count() == few


# 6. The name others see ---------------------------------------------------------------------------------------------


def test_sofie_puts_her_name_right_and_a_name_that_is_empty_or_too_long_is_refused(sofie: Persona) -> None:
    client = sofie.client()
    url = reverse("accounts:change_name")
    assert f'href="{url}"' in client.get(reverse("accounts:profile")).content.decode()
    form = client.get(url).content.decode()
    assert 'value="Sofie Andersen"' in form and 'autocomplete="name"' in form and 'maxlength="150"' in form

    empty = client.post(url, {"name": "   "})
    assert empty.status_code == 200 and "Skriv det navn, andre skal se." in empty.content.decode()
    long = "S" * 151
    too_long = client.post(url, {"name": long})
    assert too_long.status_code == 200 and f'value="{long}"' in too_long.content.decode()  # what was typed stays
    assert 'id="error-summary"' in too_long.content.decode()
    assert User.objects.get(pk=sofie.user.pk).name == "Sofie Andersen"

    saved = client.post(url, {"name": "  Sofie Jensen "}, follow=True)
    assert saved.redirect_chain[-1][0] == reverse("accounts:profile")
    assert User.objects.get(pk=sofie.user.pk).name == "Sofie Jensen"
    shown = saved.content.decode()
    assert "Sofie Jensen" in shown and 'class="alert alert-success' in shown
    same = client.post(url, {"name": "Sofie Jensen"}, follow=True).content.decode()
    assert "Dit navn er som før: intet er ændret." in same and "Dit navn er ændret" not in same


def test_her_citizen_profile_takes_the_name_she_puts_right_and_the_club_keeps_its_own(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    """Partners see Sofie's citizen actor on the partnership's pages, so a new surname must reach it. Lars's club is
    an organisation, and a citizen profile she named otherwise is left as she named it."""
    sofie, lars = personas["sofie"], personas["lars"]
    assert sofie.actor is not None and lars.actor is not None
    url = reverse("accounts:change_name")
    saved = sofie.client().post(url, {"name": "Sofie Andersen-Møller"}, follow=True).content.decode()
    assert "Dit navn er ændret, og det er din borgerprofils også" in saved
    sofie.actor.refresh_from_db()
    assert sofie.actor.name == "Sofie Andersen-Møller"
    members = Client().get(partnership.get_absolute_url()).content.decode()
    assert "Sofie Andersen-Møller" in members and ">Sofie Andersen<" not in members
    found = Client().get(reverse("actors:directory"), {"q": "Andersen-Møller"}).content.decode()
    assert sofie.actor.get_absolute_url() in found  # the directory's search index follows

    told = lars.client().post(url, {"name": "Lars V. Vestergaard"}, follow=True).content.decode()
    assert "borgerprofil" not in told and "Dit navn er ændret." in told
    lars.actor.refresh_from_db()
    assert lars.actor.name == "Vollsmose Boldklub"

    Actor.objects.filter(pk=sofie.actor.pk).update(name="Sofie fra Vollsmose")
    sofie.client().post(url, {"name": "Sofie Møller"})
    sofie.actor.refresh_from_db()
    assert sofie.actor.name == "Sofie fra Vollsmose"


@pytest.mark.parametrize("name", ["", "x" * 151])
def test_the_name_service_refuses_what_the_form_would_refuse(sofie: Persona, name: str) -> None:
    from django.core.exceptions import ValidationError

    from samskab.accounts.services import change_name

    with pytest.raises(ValidationError):
        change_name(user=sofie.user, name=name)
    assert User.objects.get(pk=sofie.user.pk).name == "Sofie Andersen"
