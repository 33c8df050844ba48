"""An employee-involvement process is the workplace's own: its staff take part as colleagues, and no other actor
is invited into it, by the page, the coalition finder or the API. What the staff say and answer stays among them."""

import pytest
from django.test import Client
from django.urls import reverse

from samskab.actors.models import Actor, Resource, ResourceKind, Sector
from samskab.partnerships.models import Partnership, PartnershipInvitation, PartnershipNeed

from .conftest import Persona
from .test_api import API, bearer

REFUSAL = "En medarbejderinddragelse er arbejdspladsens egen"


def words(client: Client, url: str) -> str:
    return " ".join(client.get(url).content.decode().split())


def club_nearby(partnership: Partnership) -> Actor:
    """A swimming club beside the partnership's member actors, open to suggestions and offering the volunteer
    hours the partnership needs: in co-creation the finder suggests it."""
    for member in partnership.members.select_related("actor"):
        member.actor.latitude, member.actor.longitude = 55.41, 10.43
        member.actor.public_fields = [*member.actor.public_fields, "address"]
        member.actor.save()
    club = Actor.objects.create(
        name="Vollsmose Svømmeklub",
        slug="vollsmose-svoemmeklub",
        sector=Sector.ASSOCIATION,
        municipality=partnership.members.first().actor.municipality,  # type: ignore[union-attr]
        latitude=55.411,
        longitude=10.431,
        open_to_suggestions=True,
        public_fields=["address"],
    )
    Resource.objects.create(actor=club, kind=ResourceKind.VOLUNTEER_HOURS, title="Trænere", quantity=40)
    PartnershipNeed.objects.create(partnership=partnership, kind=ResourceKind.VOLUNTEER_HOURS, amount=20)
    return club


@pytest.fixture
def needs_and_a_club_nearby(involvement: Partnership) -> Partnership:
    club_nearby(involvement)
    return involvement


def test_the_finder_speaks_of_the_staff_and_suggests_no_outside_actor(
    anne: Persona, omar: Persona, needs_and_a_club_nearby: Partnership
) -> None:
    process = needs_and_a_club_nearby
    url = reverse("partnerships:contributors", args=[process.pk])
    page = words(anne.client(), url)
    assert "En medarbejderinddragelse er arbejdspladsens egen. Dem, der bidrager, er dens medarbejdere" in page
    assert "6 personer deltager gennem Nørreby Skole." in page
    invite_colleagues = reverse("actors:invite_person", args=[anne.actor.slug])  # type: ignore[union-attr]
    assert f'href="{invite_colleagues}?rolle=colleague">Invitér kolleger ind i Nørreby Skole</a>' in page
    assert "Frivillige timer: 20" in page  # what the process needs is still listed
    assert "Vollsmose Svømmeklub" not in page and "Find bidragydere" not in page
    # Omar acts for the school but does not administer it: he is told who invites colleagues.
    omar_page = words(omar.client(), url)
    assert invite_colleagues not in omar_page
    assert "Arbejdspladsens administratorer inviterer kolleger under Personer på arbejdspladsens side." in omar_page
    # The API's finder suggests nobody either, while it would in co-creation.
    found = anne.client().get(f"{API}/partnerships/{process.pk}/coalitions").json()
    assert found == {"suggestions": [], "coalitions": []}


def test_no_actor_is_invited_into_a_staff_process_by_any_door(
    anne: Persona, omar: Persona, lars: Persona, needs_and_a_club_nearby: Partnership
) -> None:
    process = needs_and_a_club_nearby
    client = omar.client()
    form = client.get(reverse("partnerships:invite", args=[process.pk]))
    assert form.status_code == 403 and REFUSAL in form.content.decode()
    invite = {"actor": omar.actor.pk, "invitee": lars.actor.pk, "message": "Vær med"}  # type: ignore[union-attr]
    posted = client.post(reverse("partnerships:invite", args=[process.pk]), invite)
    assert posted.status_code == 403 and REFUSAL in posted.content.decode()
    finder = client.post(reverse("partnerships:contributors", args=[process.pk]), {"invite": [lars.actor.pk]})  # type: ignore[union-attr]
    assert finder.status_code == 403 and REFUSAL in finder.content.decode()
    api = client.post(
        f"{API}/partnerships/{process.pk}/invitations",
        {"invitee_id": lars.actor.pk, "actor_id": omar.actor.pk},  # type: ignore[union-attr]
        content_type="application/json",
        headers=bearer(omar),
    )
    assert api.status_code == 422 and REFUSAL in api.json()["detail"]
    assert not process.invitations.exists()
    assert list(process.members.values_list("actor__name", flat=True)) == ["Nørreby Skole"]


def test_an_invitation_sent_before_cannot_be_accepted_but_can_be_declined(
    anne: Persona, lars: Persona, involvement: Partnership
) -> None:
    """Invitations into staff processes from before this rule stay answerable, but only by declining."""
    invitation = PartnershipInvitation.objects.create(
        partnership=involvement, actor=lars.actor, invited_by_actor=anne.actor, invited_by=anne.user
    )
    client = lars.client()
    # Nor does it open the staff's process to the invited actor while it decides.
    assert client.get(involvement.get_absolute_url()).status_code == 404
    respond = reverse("partnerships:respond", args=[invitation.pk])
    accepted = client.post(respond, {"answer": "accept"}, follow=True)
    assert REFUSAL in accepted.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == PartnershipInvitation.Status.PENDING and not involvement.is_member(lars.actor)  # type: ignore[arg-type]
    client.post(respond, {"answer": "decline"})
    invitation.refresh_from_db()
    assert invitation.status == PartnershipInvitation.Status.DECLINED and not involvement.is_member(lars.actor)  # type: ignore[arg-type]


def test_co_creation_still_suggests_and_invites_the_club(mette: Persona, partnership: Partnership) -> None:
    """The same finder in co-creation: the club is suggested and invited in one click."""
    club = club_nearby(partnership)
    url = reverse("partnerships:contributors", args=[partnership.pk])
    assert "Vollsmose Svømmeklub" in words(mette.client(), url)
    found = mette.client().get(f"{API}/partnerships/{partnership.pk}/coalitions").json()
    assert [s["actor"]["name"] for s in found["suggestions"]] == ["Vollsmose Svømmeklub"]
    mette.client().post(url, {"invite": [club.pk]})
    assert partnership.invitations.filter(actor=club).exists()
