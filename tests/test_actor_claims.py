"""Taking over an actor nobody administers. Odense's register import made the chess club and the bike shop; nobody
acts for them, so nobody could answer an invitation for them. Ib, the club's chair, asks to take the club over: the
club's email in the register confirms him by a link, or Mette, Odense's administrator, does. The bike shop has no
email in the register, so only Mette can confirm its owner.
"""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samskab.accounts.models import Notification, User
from samskab.actors import claims
from samskab.actors.models import Actor, ActorClaim, Membership, MunicipalAdministrator, Municipality, Sector
from samskab.partnerships.models import Partnership, PartnershipInvitation

from .conftest import Persona, make_user
from .test_api import API, bearer

pytestmark = pytest.mark.django_db


def flat(response: Any) -> str:
    return " ".join(response.content.decode().split())


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def told(user: User) -> list[str]:
    return list(Notification.objects.filter(user=user, kind="claim").values_list("text", flat=True))


def link_in(message: Any) -> str:
    return next(line for line in message.body.splitlines() if "/overtagelse/" in line).removeprefix("http://testserver")


@pytest.fixture
def club(odense: Municipality) -> Actor:
    """As the register import makes an actor: no membership, contact details private."""
    return Actor.objects.create(
        sector=Sector.ASSOCIATION,
        name="Odense Skakklub",
        slug="odense-skakklub",
        municipality=odense,
        contact_email="skak@skakklub.dk",
    )


@pytest.fixture
def bike_shop(odense: Municipality) -> Actor:
    return Actor.objects.create(
        sector=Sector.BUSINESS, name="Cykelværkstedet", slug="cykelvaerkstedet", municipality=odense
    )


@pytest.fixture
def ib() -> User:
    return make_user("ib@gmail.dk", "Ib Skov")


def test_ib_asks_the_club_mailbox_confirms_and_he_administers_the_club(
    club: Actor, ib: User, mette: Persona, django_capture_on_commit_callbacks: Any, mailoutbox: list
) -> None:
    page = flat(client_of(ib).get(club.get_absolute_url()))
    assert "Ingen handler for Odense Skakklub på Samskab endnu" in page
    claim_url = reverse("actors:claim", args=[club.slug])
    assert f'href="{claim_url}"' in page
    anonymous = flat(Client().get(club.get_absolute_url()))
    assert "Log ind for at overtage profilen for Odense Skakklub" in anonymous

    form = flat(client_of(ib).get(claim_url))
    assert "s•••@s•••.dk" in form and "skakklub.dk" not in form  # recognisable, not readable, not traceable
    with django_capture_on_commit_callbacks(execute=True):
        sent = client_of(ib).post(claim_url, {"message": "Formand siden 2019."}, follow=True)
    assert "Din anmodning er sendt til den e-mail, registret har for Odense Skakklub" in flat(sent)
    assert "Du bad om at overtage den" in flat(sent)
    claim = ActorClaim.objects.get()
    assert (claim.user, claim.status, claim.emailed_to) == (ib, "pending", "skak@skakklub.dk")
    [letter] = [m for m in mailoutbox if m.to == ["skak@skakklub.dk"]]
    assert "Ib Skov (ib@gmail.dk)" in letter.body and "Formand siden 2019." in letter.body
    assert letter.subject.endswith("Handler Ib Skov for Odense Skakklub?")
    assert any("Ib Skov beder om at overtage profilen for Odense Skakklub" in t for t in told(mette.user))
    assert not club.is_admin(ib)

    link = link_in(letter)
    confirm = Client().get(link)  # whoever reads the mailbox, not logged in; opening the link answers nothing
    assert "Handler Ib Skov for Odense Skakklub?" in flat(confirm)
    assert ActorClaim.objects.get().status == "pending"
    done = Client().post(link, {"answer": "accept"})
    assert "Tak: anmodningen er bekræftet" in flat(done)
    assert club.is_admin(ib)
    assert any("Du administrerer nu Odense Skakklub" in t for t in told(ib))
    assert "Ingen handler for" not in flat(client_of(ib).get(club.get_absolute_url()))
    again = Client().post(link, {"answer": "decline"})  # answered: the link changes nothing more
    assert "Ib Skov administrerer Odense Skakklub" in flat(again)
    assert club.is_admin(ib) and ActorClaim.objects.get().status == "accepted"


def test_the_mailbox_refuses_and_nothing_changes(
    club: Actor, ib: User, django_capture_on_commit_callbacks: Any, mailoutbox: list
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client_of(ib).post(reverse("actors:claim", args=[club.slug]), {"message": ""})
    [letter] = [m for m in mailoutbox if m.to == ["skak@skakklub.dk"]]
    refused = Client().post(link_in(letter), {"answer": "decline"})
    assert "anmodningen er afvist" in flat(refused)
    assert ActorClaim.objects.get().status == "declined" and not club.memberships.exists()
    assert any("blev afvist af den, der læser dens e-mail" in t for t in told(ib))
    assert Client().get("/aktoerer/overtagelse/not-a-token/").status_code == 404


def test_someone_whose_confirmed_address_is_the_registers_takes_over_at_once(
    club: Actor, django_capture_on_commit_callbacks: Any, mailoutbox: list
) -> None:
    chair = make_user("skak@skakklub.dk", "Klubbens formand")
    # The page says it happens at once, asks nothing for someone to read, and its button takes over, not asks.
    form = flat(client_of(chair).get(reverse("actors:claim", args=[club.slug])))
    assert "du overtager profilen med det samme" in form and 'name="message"' not in form
    assert ">Overtag profilen</button>" in form and "Bed om at overtage" not in form
    with django_capture_on_commit_callbacks(execute=True):
        done = client_of(chair).post(reverse("actors:claim", args=[club.slug]), {}, follow=True)
    assert "Du administrerer nu Odense Skakklub: din bekræftede e-mail er den, registret har." in flat(done)
    assert club.is_admin(chair)
    assert not [m for m in mailoutbox if "/overtagelse/" in m.body]


def test_mette_confirms_one_claim_and_the_other_is_closed(
    club: Actor, ib: User, mette: Persona, django_capture_on_commit_callbacks: Any
) -> None:
    rival = make_user("kurt@skak.dk", "Kurt Lind")
    for person in (ib, rival):
        client_of(person).post(reverse("actors:claim", args=[club.slug]), {"message": ""})
    page = flat(mette.client().get(club.get_absolute_url()))
    assert "Anmodninger om at overtage profilen" in page and "Ib Skov beder om at administrere den" in page
    assert "Anmodninger om at overtage profilen" not in flat(client_of(ib).get(club.get_absolute_url()))
    first = ActorClaim.objects.get(user=ib)
    answer = reverse("actors:answer_claim", args=[club.slug, first.pk])
    assert client_of(ib).get(answer).status_code == 404  # only the municipality answers here
    assert client_of(rival).post(answer, {"answer": "accept"}).status_code == 404
    mette.client().post(answer, {"answer": "accept"})
    assert club.is_admin(ib) and not club.is_admin(rival)
    assert ActorClaim.objects.get(user=rival).status == "overtaken"
    assert any("Odense Skakklub har allerede en administrator på Samskab" in t for t in told(rival))
    closed = mette.client().get(reverse("actors:answer_claim", args=[club.slug, ActorClaim.objects.get(user=rival).pk]))
    assert closed.status_code == 302
    assert client_of(rival).get(reverse("actors:claim", args=[club.slug])).status_code == 302  # nothing to claim
    with pytest.raises(ValidationError, match="allerede en administrator"):
        claims.claim_actor(actor=club, user=rival)


def test_without_an_email_only_the_municipality_confirms_and_a_refusal_needs_a_reason(
    bike_shop: Actor, mette: Persona, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    owner = make_user("ole@cykler.dk", "Ole Berg")
    form = flat(client_of(owner).get(reverse("actors:claim", args=[bike_shop.slug])))
    assert "Registret har ingen e-mail for Cykelværkstedet" in form
    with django_capture_on_commit_callbacks(execute=True):
        sent = client_of(owner).post(reverse("actors:claim", args=[bike_shop.slug]), {"message": "Ejer"}, follow=True)
    assert "Din anmodning er sendt til kommunens administratorer" in flat(sent)
    assert not [m for m in mailoutbox if "/overtagelse/" in m.body]
    claim = ActorClaim.objects.get()
    answer = reverse("actors:answer_claim", args=[bike_shop.slug, claim.pk])
    page = flat(mette.client().get(answer))
    assert "Handler Ole Berg for Cykelværkstedet?" in page and "Ingen: kun kommunen kan bekræfte." in page
    no_reason = flat(mette.client().post(answer, {"answer": "decline", "reason": "  "}))
    assert "Skriv hvorfor ikke" in no_reason and ActorClaim.objects.get().status == "pending"
    mette.client().post(answer, {"answer": "decline", "reason": "CVR-nummeret har en anden ejer."})
    assert ActorClaim.objects.get().status == "declined" and not bike_shop.memberships.exists()
    assert any("CVR-nummeret har en anden ejer." in t for t in told(owner))


def test_nobody_to_confirm_is_refused_at_once_and_nothing_is_saved(bike_shop: Actor, ib: User) -> None:
    refused = flat(client_of(ib).post(reverse("actors:claim", args=[bike_shop.slug]), {"message": "Ejer"}))
    assert "Ingen kan bekræfte, at du handler for Cykelværkstedet" in refused
    assert "Ejer" in refused  # what was typed is kept
    assert not ActorClaim.objects.exists()


def test_asking_twice_withdrawing_and_what_cannot_be_claimed(
    club: Actor, ib: User, sofie: Persona, lars: Persona
) -> None:
    url = reverse("actors:claim", args=[club.slug])
    client_of(ib).post(url, {"message": ""})
    twice = flat(client_of(ib).post(url, {"message": "igen"}))
    assert "anmodningen venter stadig på svar" in twice and ActorClaim.objects.count() == 1
    claim = ActorClaim.objects.get()
    assert client_of(lars.user).post(reverse("actors:withdraw_claim", args=[club.slug, claim.pk])).status_code == 404
    client_of(ib).post(reverse("actors:withdraw_claim", args=[club.slug, claim.pk]))
    assert ActorClaim.objects.get().status == "withdrawn"
    assert "kan du spørge igen fra" in flat(client_of(ib).get(club.get_absolute_url()))  # not at once, and told so
    soon = flat(client_of(ib).post(url, {"message": "igen"}))
    assert "kan du spørge igen fra" in soon and ActorClaim.objects.count() == 1  # the club is not written to again
    ActorClaim.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    client_of(ib).post(url, {"message": "igen"})
    assert ActorClaim.objects.filter(status="pending").count() == 1

    assert sofie.actor is not None and lars.actor is not None
    for actor in (sofie.actor, lars.actor):  # a citizen is only ever themself; the club has its administrator
        assert "Ingen handler for" not in flat(client_of(ib).get(actor.get_absolute_url()))
        client_of(ib).post(reverse("actors:claim", args=[actor.slug]), {"message": ""})
    assert ActorClaim.objects.count() == 2 and not ActorClaim.objects.exclude(actor=club).exists()


def test_an_actor_whose_administrators_all_left_can_be_taken_over(lars: Persona, ib: User) -> None:
    assert lars.actor is not None
    lars.user.is_active = False
    lars.user.save()
    assert "Ingen handler for Vollsmose Boldklub" in flat(client_of(ib).get(lars.actor.get_absolute_url()))


def test_inviting_an_actor_nobody_administers_says_so_and_writes_to_the_register(
    partnership: Partnership,
    club: Actor,
    bike_shop: Actor,
    personas: dict[str, Persona],
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list,
) -> None:
    lars = personas["lars"]
    url = reverse("partnerships:invite", args=[partnership.pk])
    form = flat(lars.client().get(url))
    assert "Odense Skakklub (Forening, ingen handler for den på Samskab endnu)" in form
    assert "Haveforeningen Solsikken (Forening)<" in form
    with django_capture_on_commit_callbacks(execute=True):
        invited = flat(lars.client().post(url, {"invitee": club.pk, "message": "Skak for de unge?"}, follow=True))
    assert "Odense Skakklub er inviteret" in invited
    assert "Ingen handler for Odense Skakklub på Samskab endnu. Invitationen er sendt til den e-mail" in invited
    [letter] = [m for m in mailoutbox if m.to == ["skak@skakklub.dk"]]
    assert "Skak for de unge?" in letter.body and f"/aktoerer/{club.slug}/overtag/" in letter.body
    assert f"/konto/signup/?next=%2Faktoerer%2F{club.slug}%2Fovertag%2F" in letter.body  # signing up comes back

    with django_capture_on_commit_callbacks(execute=True):
        quiet = flat(lars.client().post(url, {"invitee": bike_shop.pk, "message": ""}, follow=True))
    assert "registret har ingen e-mail, så ingen får besked om invitationen" in quiet
    assert len([m for m in mailoutbox if "/overtag/" in m.body]) == 1

    nora = personas["nora"]
    assert nora.actor is not None
    with django_capture_on_commit_callbacks(execute=True):
        answered = flat(lars.client().post(url, {"invitee": nora.actor.pk, "message": ""}, follow=True))
    assert "Ingen handler for" not in answered  # Nora answers for her association


def test_the_new_administrator_finds_the_invitation_waiting(
    partnership: Partnership, club: Actor, personas: dict[str, Persona], django_capture_on_commit_callbacks: Any
) -> None:
    personas["lars"].client().post(
        reverse("partnerships:invite", args=[partnership.pk]), {"invitee": club.pk, "message": ""}
    )
    chair = make_user("skak@skakklub.dk", "Klubbens formand")
    client_of(chair).post(reverse("actors:claim", args=[club.slug]), {"message": ""})
    waiting = flat(client_of(chair).get(reverse("partnerships:invitations")))
    assert partnership.title in waiting
    invitation = PartnershipInvitation.objects.get(actor=club)
    client_of(chair).post(reverse("partnerships:respond", args=[invitation.pk]), {"answer": "accept"})
    assert partnership.is_member(club)


def test_the_claims_are_in_the_data_download(club: Actor, ib: User, mette: Persona) -> None:
    client_of(ib).post(reverse("actors:claim", args=[club.slug]), {"message": "Formand"})
    mette.client().post(
        reverse("actors:answer_claim", args=[club.slug, ActorClaim.objects.get().pk]),
        {"answer": "decline", "reason": "Ukendt"},
    )
    mine = json.loads(client_of(ib).get(reverse("accounts:download_data")).content)
    [asked] = mine["actor_work"]["requests_to_take_over"]
    assert (asked["actor__name"], asked["message"], asked["status"], asked["reason"]) == (
        "Odense Skakklub",
        "Formand",
        "declined",
        "Ukendt",
    )
    theirs = json.loads(mette.client().get(reverse("accounts:download_data")).content)
    assert theirs["actor_work"]["requests_to_take_over_answered"][0]["actor__name"] == "Odense Skakklub"
    assert Membership.objects.filter(actor=club).count() == 0


def test_the_api_asks_answers_and_withdraws(club: Actor, bike_shop: Actor, ib: User, mette: Persona) -> None:
    ib_key = bearer(Persona(ib, None))
    client = Client()
    url = f"{API}/actors/{club.slug}/claims"
    made = client.post(url, {"message": "Formand", "extra": 1}, content_type="application/json", headers=ib_key)
    assert made.status_code == 422 and not ActorClaim.objects.exists()  # an unknown field is refused
    made = client.post(url, {"message": "Formand"}, content_type="application/json", headers=ib_key)
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["actor"], body["person"], body["status"], body["emailed"]) == (club.slug, "Ib Skov", "pending", True)
    again = client.post(url, {"message": ""}, content_type="application/json", headers=ib_key)
    assert again.status_code == 422 and "venter stadig på svar" in again.json()["detail"]

    rival = make_user("kurt@skak.dk", "Kurt Lind")
    rival_key = bearer(Persona(rival, None))
    client.post(url, {"message": ""}, content_type="application/json", headers=rival_key)
    assert [c["person"] for c in client.get(url, headers=ib_key).json()] == ["Ib Skov"]  # only his own
    assert [c["person"] for c in client.get(url, headers=bearer(mette)).json()] == ["Ib Skov", "Kurt Lind"]

    answer = f"{url}/{body['id']}/answer"
    not_municipal = client.post(answer, {"accept": True}, content_type="application/json", headers=ib_key)
    assert not_municipal.status_code == 403 and "Kun kommunens administratorer" in not_municipal.json()["detail"]
    refused = client.post(answer, {"accept": False}, content_type="application/json", headers=bearer(mette))
    assert refused.status_code == 422 and ActorClaim.objects.get(user=ib).status == "pending"
    done = client.post(answer, {"accept": True}, content_type="application/json", headers=bearer(mette))
    assert done.status_code == 200 and done.json()["status"] == "accepted" and club.is_admin(ib)
    kurt = ActorClaim.objects.get(user=rival)
    withdrawn = client.post(f"{url}/{kurt.pk}/withdraw", headers=rival_key)
    assert withdrawn.status_code == 422 and "venter ikke længere" in withdrawn.json()["detail"]  # closed already
    again = client.post(
        answer, {"accept": False, "reason": "x"}, content_type="application/json", headers=bearer(mette)
    )
    assert again.status_code == 422 and ActorClaim.objects.get(user=ib).status == "accepted"
    closed = client.post(url, {"message": ""}, content_type="application/json", headers=rival_key)
    assert closed.status_code == 422 and "allerede en administrator" in closed.json()["detail"]

    nobody = client.post(
        f"{API}/actors/{bike_shop.slug}/claims", {"message": ""}, content_type="application/json", headers=ib_key
    )
    assert nobody.status_code == 201  # Mette, Odense's administrator, can confirm it
    assert client.post(f"{API}/actors/{club.slug}/claims", {}, content_type="application/json").status_code == 401


def test_nobody_confirms_their_own_request(club: Actor, mette: Persona, odense: Municipality) -> None:
    """Mette, Odense's administrator, chairs the chess club too: her request waits for the club's email or another
    administrator of the municipality."""
    client_of(mette.user).post(reverse("actors:claim", args=[club.slug]), {"message": "Formand"})
    claim = ActorClaim.objects.get()
    page = flat(mette.client().get(club.get_absolute_url()))
    assert "Din egen anmodning" in page
    assert f'href="{reverse("actors:answer_claim", args=[club.slug, claim.pk])}"' not in page
    own = mette.client().post(reverse("actors:answer_claim", args=[club.slug, claim.pk]), {"answer": "accept"})
    assert own.status_code == 403 and not club.is_admin(mette.user)
    colleague = make_user("kim@odense.dk", "Kim Holm")
    MunicipalAdministrator.objects.create(user=colleague, municipality=odense)
    client_of(colleague).post(reverse("actors:answer_claim", args=[club.slug, claim.pk]), {"answer": "accept"})
    assert club.is_admin(mette.user)
    link = flat(Client().get(reverse("actors:claim_link", args=["x"])))  # an unknown link is no page at all
    assert "Siden findes ikke" in link or "ikke fundet" in link.lower()


def test_making_a_second_profile_of_an_actor_nobody_acts_for_points_to_taking_it_over(club: Actor, ib: User) -> None:
    data = {"sector": "association", "name": "odense  skakklub", "municipality": "0461"}
    refused = flat(client_of(ib).post(reverse("actors:create"), data))
    assert "Odense Skakklub er allerede på Samskab, og ingen handler for den endnu" in refused
    assert f'href="{reverse("actors:claim", args=[club.slug])}"' in refused
    assert Actor.objects.filter(name__iexact="odense skakklub").count() == 1


def test_whoever_takes_over_is_told_of_the_invitations_waiting(
    partnership: Partnership, club: Actor, personas: dict[str, Persona]
) -> None:
    personas["lars"].client().post(
        reverse("partnerships:invite", args=[partnership.pk]), {"invitee": club.pk, "message": ""}
    )
    chair = make_user("skak@skakklub.dk", "Klubbens formand")
    client_of(chair).post(reverse("actors:claim", args=[club.slug]), {"message": ""})
    waiting = Notification.objects.filter(user=chair, kind="invitation").values_list("text", flat=True)
    assert [t for t in waiting if "har inviteret Odense Skakklub til at være med i" in t and partnership.title in t]


def test_the_municipality_s_only_administrator_cannot_ask_for_what_nobody_else_could_confirm(
    bike_shop: Actor, mette: Persona
) -> None:
    refused = flat(mette.client().post(reverse("actors:claim", args=[bike_shop.slug]), {"message": "Ejer"}))
    assert "ingen andre administratorer på Samskab, der kan bekræfte det" in refused
    assert not ActorClaim.objects.exists() and not told(mette.user)


def test_asking_again_too_soon_is_said_on_the_page_before_the_form(club: Actor, ib: User) -> None:
    client_of(ib).post(reverse("actors:claim", args=[club.slug]), {"message": ""})
    client_of(ib).post(reverse("actors:withdraw_claim", args=[club.slug, ActorClaim.objects.get().pk]))
    page = flat(client_of(ib).get(club.get_absolute_url()))
    assert "kan du spørge igen fra" in page
    assert f'href="{reverse("actors:claim", args=[club.slug])}"' not in page


def test_the_front_page_offers_the_profile_the_register_has_your_address_for(club: Actor) -> None:
    """The chair signed up from the register's email and confirmed the address on the phone: the invitation's way
    back to the club is lost, so the front page shows it, instead of only offering to make a new association."""
    chair = make_user("Skak@Skakklub.dk", "Klubbens formand")
    home = flat(client_of(chair).get("/"))
    claim_url = reverse("actors:claim", args=[club.slug])
    assert "Odense Kommunes register har din e-mailadresse for Odense Skakklub" in home
    assert f'href="{claim_url}"' in home and "Opret en forening eller en virksomhed" not in home
    assert f'href="{claim_url}"' not in flat(client_of(make_user("en@anden.dk", "En anden")).get("/"))
    client_of(chair).post(claim_url, {})
    assert f'href="{claim_url}"' not in flat(client_of(chair).get("/"))
