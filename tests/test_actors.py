"""The actor directory, profiles, and who may create and edit actors."""

import re
from functools import partial

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samskab.actors import services
from samskab.actors.models import Actor, ActorInvitation, Membership, Municipality, Resource, Sector

from .conftest import Persona, at_the_same_instant, make_user


def test_outsider_searches_the_directory_by_name_and_filters(personas: dict[str, Persona]) -> None:
    client = Client()
    page = client.get(reverse("actors:directory"), {"q": "boldklub"}).content.decode()
    assert "Vollsmose Boldklub" in page
    assert "Købmand Madsen" not in page

    by_sector = client.get(reverse("actors:directory"), {"sector": Sector.BUSINESS}).content.decode()
    assert "Købmand Madsen" in by_sector
    assert "Vollsmose Boldklub" not in by_sector

    by_theme = client.get(reverse("actors:directory"), {"theme": "idraet"}).content.decode()
    assert "Vollsmose Boldklub" in by_theme
    assert "Haveforeningen Solsikken" not in by_theme

    nowhere = client.get(reverse("actors:directory"), {"neighbourhood": "Vollsmose", "municipality": "0101"})
    assert "Vollsmose Boldklub" not in nowhere.content.decode()


def test_directory_answers_htmx_with_just_the_results(personas: dict[str, Persona]) -> None:
    response = Client().get(reverse("actors:directory"), {"q": "boldklub"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "Vollsmose Boldklub" in html
    assert "<header" not in html
    assert "<title>Aktører · Samskab</title>" in html  # htmx moves it to the page, so the title follows the filter


def test_directory_query_count_does_not_grow_with_actors(
    personas: dict[str, Persona], django_assert_max_num_queries: object
) -> None:
    client = Client()
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        client.get(reverse("actors:directory"))


def test_profile_shows_only_public_contact_fields(lars: Persona) -> None:
    actor = lars.actor
    assert actor is not None
    actor.contact_email, actor.contact_phone, actor.public_fields = (
        "kontakt@boldklub.dk",
        "12345678",
        ["contact_email"],
    )
    actor.save()
    Resource.objects.create(actor=actor, kind="premises", title="Hallen tirsdag aften", quantity=3, unit="timer")
    page = Client().get(actor.get_absolute_url()).content.decode()
    assert "kontakt@boldklub.dk" in page
    assert "12345678" not in page
    assert "Hallen tirsdag aften" in page
    assert "12345678" in lars.client().get(actor.get_absolute_url()).content.decode()


@pytest.mark.parametrize("sector", [Sector.ASSOCIATION, Sector.BUSINESS, Sector.CITIZEN])
def test_anyone_creates_an_association_a_business_or_themselves(sector: str, odense: object) -> None:
    user = make_user("ny@example.dk", "Ny Bruger")
    client = Client()
    client.force_login(user)
    data = {"sector": sector, "name": "Ny aktør", "municipality": "0461", "description": "Vi er nye"}
    response = client.post(reverse("actors:create"), data)
    actor = Actor.objects.get(name="Ny aktør")
    assert response.status_code == 302
    assert actor.sector == sector
    assert Membership.objects.get(actor=actor).role == Membership.Role.ADMIN


def test_only_a_municipal_administrator_creates_municipal_actors(mette: Persona, lars: Persona) -> None:
    data = {"sector": Sector.MUNICIPALITY, "name": "Nørre Skole", "municipality": "0461"}
    refused = lars.client().post(reverse("actors:create"), data)
    assert refused.status_code == 200
    assert "Nørre Skole" in refused.content.decode()  # what was typed is kept
    assert not Actor.objects.filter(name="Nørre Skole").exists()

    other_municipality = mette.client().post(reverse("actors:create"), {**data, "municipality": "0101"})
    assert "Du kan kun oprette kommunale aktører" in other_municipality.content.decode()
    assert not Actor.objects.filter(name="Nørre Skole").exists()

    assert mette.client().post(reverse("actors:create"), data).status_code == 302
    assert Actor.objects.get(name="Nørre Skole").sector == Sector.MUNICIPALITY


def test_bad_actor_input_gives_danish_errors_and_saves_nothing(lars: Persona) -> None:
    data = {
        "sector": Sector.ASSOCIATION,
        "name": "",
        "municipality": "0461",
        "description": "<script>alert(1)</script> Vi spiller bold",
        "latitude": "99",
        "contact_email": "ikke-en-adresse",
        "website": "javascript:alert(1)",
    }
    response = lars.client().post(reverse("actors:create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in html
    assert "Dette felt er påkrævet." in html
    assert "Indtast en gyldig e-mail-adresse." in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Vi spiller bold" in html  # kept, and escaped
    assert "<script>alert(1)</script>" not in html
    assert Actor.objects.count() == 1  # only Lars's club from the fixture


def test_only_the_actors_admins_edit_it_and_its_resources(lars: Persona, jens: Persona) -> None:
    actor = lars.actor
    assert actor is not None
    for url in (
        reverse("actors:edit", args=[actor.slug]),
        reverse("actors:resource_create", args=[actor.slug]),
    ):
        assert jens.client().get(url).status_code == 403
        assert Client().get(url).status_code == 302
    response = lars.client().post(
        reverse("actors:resource_create", args=[actor.slug]),
        {"kind": "volunteer_hours", "title": "To trænere", "quantity": "5", "unit": "timer om ugen"},
    )
    assert response.status_code == 302
    resource = Resource.objects.get(actor=actor)
    assert jens.client().post(reverse("actors:resource_delete", args=[actor.slug, resource.pk])).status_code == 403
    assert lars.client().post(reverse("actors:resource_delete", args=[actor.slug, resource.pk])).status_code == 302
    assert not Resource.objects.exists()


def test_resource_with_negative_quantity_is_refused(lars: Persona) -> None:
    actor = lars.actor
    assert actor is not None
    response = lars.client().post(
        reverse("actors:resource_create", args=[actor.slug]),
        {"kind": "volunteer_hours", "title": "Trænere", "quantity": "-2", "unit": "timer"},
    )
    assert response.status_code == 200
    assert "Trænere" in response.content.decode()
    assert not Resource.objects.exists()


def invite(persona: Persona, email: str, role: str = "member") -> HttpResponse:
    """The actor's administrator invites a person by email, from the actor's page."""
    assert persona.actor is not None
    return persona.client().post(
        reverse("actors:invite_person", args=[persona.actor.slug]), {"email": email, "role": role}
    )


def test_invite_a_person_into_an_actor(
    lars: Persona, django_capture_on_commit_callbacks: object, mailoutbox: list
) -> None:
    actor = lars.actor
    assert actor is not None
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        invite(lars, "Ib@Boldklub.dk", "member")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ib@boldklub.dk"]
    # Inviting the address again while the invitation waits (a double click) sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        again = invite(lars, "ib@boldklub.dk", "admin")
    assert "ib@boldklub.dk blev inviteret den" in again.content.decode() and "venter stadig" in again.content.decode()
    assert len(mailoutbox) == 1 and ActorInvitation.objects.count() == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/invitation/" in line)
    path = link[link.index("/aktoerer/") :]
    token = path.rstrip("/").rsplit("/", 1)[1]
    # Only the token's hash is kept: the link in the email is the one place the token itself exists.
    assert ActorInvitation.objects.get().token_hash == ActorInvitation.hash_token(token)
    assert not ActorInvitation.objects.filter(token_hash=token).exists()

    stranger = make_user("fremmed@example.dk", "Fremmed")
    other = Client()
    other.force_login(stranger)
    other.post(path)
    assert not actor.memberships.filter(user=stranger).exists()

    ib = make_user("ib@boldklub.dk", "Ib")
    client = Client()
    client.force_login(ib)
    assert client.post(path).status_code == 302
    assert client.post(path).status_code == 302  # a second click changes nothing
    assert actor.memberships.filter(user=ib, role=Membership.Role.MEMBER).count() == 1


def test_the_map_shows_only_actors_with_a_public_address(lars: Persona, jens: Persona) -> None:
    for persona, public in ((lars, ["address"]), (jens, [])):
        actor = persona.actor
        assert actor is not None
        actor.latitude, actor.longitude, actor.public_fields = 55.40, 10.40, public
        actor.save()
    html = Client().get(reverse("actor_map")).content.decode()
    points = html[html.index('id="actor-points"') : html.index("</script>", html.index('id="actor-points"'))]
    assert "Vollsmose Boldklub" in points
    assert "Købmand Madsen" not in points
    assert "Vollsmose Boldklub" in html[html.index("</script>") :]  # the list beside the map

    # Filtered by a theme, the map takes the first actors it shows and counts none (the directory counts its
    # pages; on SQLite the filter's count is made up front).
    with CaptureQueriesContext(connection) as queries:
        assert Client().get(reverse("actor_map"), {"theme": "idraet"}).status_code == 200
    assert not [q["sql"] for q in queries.captured_queries if "__count" in q["sql"]]


def test_directory_finds_actors_near_a_neighbourhood(lars: Persona, jens: Persona, nora: Persona) -> None:
    # Two neighbourhoods called "Centrum": Odense's is where Lars and Jens are, Aarhus's is 100 km away. Odense's
    # is written two ways ("Centrum", "centrum") and is one place.
    aarhus = Municipality.objects.get(code="0751")
    for persona, (lat, lon, where) in (
        (lars, (55.410, 10.430, "Centrum")),
        (jens, (55.412, 10.432, "centrum")),
        (nora, (56.156, 10.210, "Centrum")),
    ):
        actor = persona.actor
        assert actor is not None
        actor.latitude, actor.longitude, actor.neighbourhood = lat, lon, where
        actor.public_fields = ["address"]  # only a public address places an actor to measure from
        if persona is nora:
            actor.municipality = aarhus
        actor.save()

    def results(**query: str) -> str:
        html = Client().get(reverse("actors:directory"), {"near": "Centrum", "km": "2", **query}).content.decode()
        return html[html.index('id="results"') :]

    odense = results(municipality="0461")
    assert "Vollsmose Boldklub" in odense and "Købmand Madsen" in odense
    assert "Haveforeningen Solsikken" not in odense
    in_aarhus = results(municipality="0751")
    assert "Haveforeningen Solsikken" in in_aarhus and "Vollsmose Boldklub" not in in_aarhus
    # Without a municipality the place is ambiguous: the page says so instead of measuring from between them.
    page = Client().get(reverse("actors:directory"), {"near": "Centrum", "km": "2"})
    assert "Centrum er navnet på et sted i mere end én kommune: vælg kommunen." in page.content.decode()
    assert page.context["form"].errors["municipality"]
    # A place the chosen municipality does not have: said so, not silently ignored.
    page = Client().get(reverse("actors:directory"), {"near": "Centrum", "km": "2", "municipality": "0101"})
    assert "Ingen aktør i Centrum i den valgte kommune har en adresse at måle fra." in page.content.decode()


def test_an_invitation_to_an_address_without_an_account_waits_for_the_person_who_signs_up(
    lars: Persona, django_capture_on_commit_callbacks: object, mailoutbox: list
) -> None:
    actor = lars.actor
    assert actor is not None
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        invite(lars, "ib@boldklub.dk", "member")
    assert "Opret en med ib@boldklub.dk" in mailoutbox[0].body

    # Ib has no account; he signs up on his own (not through the link) and confirms his address.
    ib = Client()
    ib.post(
        reverse("account_signup"),
        {"name": "Ib Holm", "email": "ib@boldklub.dk", "password1": "Gr0n-Have-2026", "password2": "Gr0n-Have-2026"},
    )
    confirm = re.search(r"/konto/confirm-email/\S+", mailoutbox[-1].body)
    assert confirm is not None
    ib.post(confirm.group(0))
    page = ib.post(
        reverse("account_login"), {"login": "ib@boldklub.dk", "password": "Gr0n-Have-2026"}, follow=True
    ).content.decode()
    assert "En invitation til at blive en del af en aktør venter på dig på Min side." in page

    my_page = ib.get(reverse("accounts:profile")).content.decode()
    assert "Lars Vestergaard har inviteret dig til at blive en del af Vollsmose Boldklub som medlem." in my_page
    accept = re.search(r'action="(/aktoerer/invitationer/\d+/accepter/)"', my_page)
    assert accept is not None
    # Nobody else may accept it by its address on My page.
    stranger = Client()
    stranger.force_login(make_user("fremmed@example.dk", "Fremmed"))
    assert stranger.post(accept.group(1)).status_code == 404
    ib.post(accept.group(1))
    assert actor.memberships.filter(user__email="ib@boldklub.dk", role=Membership.Role.MEMBER).exists()
    assert "Invitationer, der venter på dig" not in ib.get(reverse("accounts:profile")).content.decode()


def test_someone_elses_waiting_invitation_is_not_shown_before_the_address_is_confirmed(
    lars: Persona, sofie: Persona
) -> None:
    actor = lars.actor
    assert actor is not None
    invite(lars, "ib@boldklub.dk", "member")
    EmailAddress.objects.create(user=sofie.user, email="ib@boldklub.dk", verified=False)
    assert "Vollsmose Boldklub som medlem" not in sofie.client().get(reverse("accounts:profile")).content.decode()


def test_the_invitation_link_asks_a_visitor_to_log_in_or_sign_up_with_the_invited_address(
    lars: Persona, django_capture_on_commit_callbacks: object, mailoutbox: list
) -> None:
    actor = lars.actor
    assert actor is not None
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        invite(lars, "ib@boldklub.dk", "member")
    link = next(line for line in mailoutbox[0].body.splitlines() if "/invitation/" in line)
    token = link.rstrip("/").rsplit("/", 1)[1]
    page = Client().get(reverse("actors:accept_invitation", args=[token])).content.decode()
    assert "Invitationen er til ib@boldklub.dk." in page
    assert f"{reverse('account_signup')}?next=/aktoerer/invitation/{token}/" in page


def test_inviting_someone_who_is_already_part_of_the_actor_is_refused_and_sends_nothing(
    lars: Persona, django_capture_on_commit_callbacks: object, mailoutbox: list
) -> None:
    actor = lars.actor
    assert actor is not None
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = invite(lars, "Lars@Boldklub.dk", "admin")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lars@Boldklub.dk er allerede med i Vollsmose Boldklub, så der er ikke sendt nogen invitation." in html
    assert 'value="Lars@Boldklub.dk"' in html
    assert not ActorInvitation.objects.exists()
    assert mailoutbox == []


def test_an_administrator_makes_a_member_administrator_and_an_outsider_may_not(lars: Persona, nora: Persona) -> None:
    actor = lars.actor
    assert actor is not None
    ib = make_user("ib@boldklub.dk", "Ib Holm")
    membership = Membership.objects.create(actor=actor, user=ib)
    url = reverse("actors:make_admin", args=[actor.slug, membership.pk])
    assert nora.client().post(url).status_code == 403
    assert "Gør til administrator" in lars.client().get(actor.get_absolute_url()).content.decode()
    lars.client().post(url)
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN


def test_a_person_without_a_name_is_not_listed_by_address_to_the_public(lars: Persona, nora: Persona) -> None:
    actor = lars.actor
    assert actor is not None
    actor.public_fields = [*actor.public_fields, "members"]
    actor.save()
    Membership.objects.create(actor=actor, user=make_user("anonym@boldklub.dk", ""))
    for reader, sees_address in ((Client(), False), (nora.client(), False), (lars.client(), True)):
        page = reader.get(actor.get_absolute_url()).content.decode()
        assert "Lars" in page  # the people are public
        assert ("anonym@boldklub.dk" in page) == sees_address
        assert ("En person, der ikke har oplyst sit navn" in page) != sees_address


def test_a_municipal_actor_stays_in_its_municipality(mette: Persona) -> None:
    """Its leaders see their municipality's overview and run its community surveys, so moving the actor to
    another municipality would hand them that one's."""
    from samskab.actors import services
    from samskab.actors.models import MunicipalAdministrator

    actor = mette.actor
    assert actor is not None
    leader = make_user("leder@kommune.dk", "Leder")  # administers the unit, but not the municipality
    Membership.objects.create(actor=actor, user=leader, role=Membership.Role.ADMIN)
    client = Client()
    client.force_login(leader)
    url = reverse("actors:edit", args=[actor.slug])
    page = client.get(url).content.decode()
    assert "En kommunal aktør bliver i sin kommune." in page
    client.post(url, {"name": actor.name, "municipality": "0751", "neighbourhood": "Gellerup"})
    actor.refresh_from_db()
    assert actor.municipality_id == "0461"  # the field is not editable on the page
    aarhus = Municipality.objects.get(code="0751")
    with pytest.raises(ValidationError):  # nor through the service
        services.update_actor(actor=actor, user=leader, municipality=aarhus)
    MunicipalAdministrator.objects.create(user=leader, municipality=aarhus)
    services.update_actor(actor=actor, user=leader, municipality=aarhus)  # Aarhus's own administrator may
    assert Actor.objects.get(pk=actor.pk).municipality_id == "0751"


@pytest.mark.parametrize("value", ["address", ["address", "home"], [["address"]], {"address": True}])
def test_public_fields_are_a_list_of_known_fields(lars: Persona, value: object) -> None:
    # As the Django admin checks them: a bare "address" would show the address on SQLite and not on PostgreSQL.
    actor = lars.actor
    assert actor is not None
    actor.public_fields = value
    with pytest.raises(ValidationError) as refused:
        actor.full_clean()
    assert "public_fields" in refused.value.message_dict
    actor.public_fields = ["address", "website"]
    actor.full_clean()


@pytest.mark.django_db(transaction=True)
def test_actors_created_with_the_same_name_at_the_same_instant_each_get_their_own_address(odense: Municipality) -> None:
    """Five people each register their new association as "Samme Navn" at the same moment: all five are created,
    each with its own address and its founder as administrator, and nobody gets an error page."""
    founders = [make_user(f"stifter{n}@forening.dk", f"Stifter {n}") for n in range(5)]
    calls = [
        partial(services.create_actor, user=founder, sector=Sector.ASSOCIATION, name="Samme Navn", municipality=odense)
        for founder in founders
    ]

    outcomes = at_the_same_instant(calls)

    assert all(isinstance(outcome, Actor) for outcome in outcomes), outcomes
    slugs = sorted(Actor.objects.filter(name="Samme Navn").values_list("slug", flat=True))
    assert slugs == ["samme-navn", "samme-navn-2", "samme-navn-3", "samme-navn-4", "samme-navn-5"]
    admins = Membership.objects.filter(actor__name="Samme Navn", role=Membership.Role.ADMIN)
    assert sorted(admins.values_list("user__email", flat=True)) == sorted(f.email for f in founders)


@pytest.mark.parametrize(("given", "missing"), [("latitude", "longitude"), ("longitude", "latitude")])
def test_a_pin_needs_both_latitude_and_longitude(lars: Persona, given: str, missing: str) -> None:
    """Lars types only one coordinate. Half a pin puts nobody on the map and would skip the address lookup, so it
    is refused: the form keeps what he typed and names the missing coordinate, and nothing is saved."""
    typed = {"latitude": "55.5", "longitude": "10.4"}[given]
    data = {"sector": Sector.ASSOCIATION, "name": "Halvt Placeret", "municipality": "0461", given: typed}

    created = lars.client().post(reverse("actors:create"), data)

    assert created.status_code == 200
    assert list(created.context["form"].errors) == [missing]
    assert re.search(rf'name="{given}" value="{typed}"', created.content.decode())
    assert not Actor.objects.filter(name="Halvt Placeret").exists()

    actor = lars.actor
    assert actor is not None
    edited = lars.client().post(
        reverse("actors:edit", args=[actor.slug]), {"name": "Nyt Navn", "municipality": "0461", given: typed}
    )
    assert edited.status_code == 200
    assert list(edited.context["form"].errors) == [missing]
    assert re.search(rf'name="{given}" value="{typed}"', edited.content.decode())
    actor.refresh_from_db()
    assert (actor.name, actor.latitude, actor.longitude) == ("Vollsmose Boldklub", None, None)

    # Whoever else writes an actor goes through the same service, which refuses half a pin too.
    with pytest.raises(ValidationError) as refused:
        services.update_actor(actor=actor, user=lars.user, **{given: float(typed)})
    assert list(refused.value.message_dict) == [missing]
    with pytest.raises(ValidationError):
        services.create_actor(
            user=lars.user,
            sector=Sector.ASSOCIATION,
            name="Halvt Placeret",
            municipality=actor.municipality,
            **{given: float(typed)},
        )
    assert not Actor.objects.filter(name="Halvt Placeret").exists()
    # Both, or neither, is fine; clearing the pin clears both.
    services.update_actor(actor=actor, user=lars.user, latitude=55.5, longitude=10.4)
    services.update_actor(actor=actor, user=lars.user, latitude=None, longitude=None)
    actor.refresh_from_db()
    assert (actor.latitude, actor.longitude) == (None, None)


@pytest.mark.django_db(transaction=True)
def test_citizens_who_delete_their_accounts_at_the_same_instant_each_leave_an_anonymous_actor(
    odense: Municipality,
) -> None:
    """Four citizens delete their accounts at the same moment: each citizen actor becomes an "Anonym borger" with
    an address of its own, and every deletion goes through."""
    from samskab.accounts.personal_data import delete_account

    citizens = [make_user(f"borger{n}@example.dk", f"Borger {n}") for n in range(4)]
    for citizen in citizens:
        services.create_actor(user=citizen, sector=Sector.CITIZEN, name=citizen.name, municipality=odense)

    outcomes = at_the_same_instant([partial(delete_account, citizen) for citizen in citizens])

    assert outcomes == [None] * 4
    anonymous = Actor.objects.filter(name="Anonym borger")
    assert sorted(anonymous.values_list("slug", flat=True)) == [
        "anonym-borger",
        "anonym-borger-2",
        "anonym-borger-3",
        "anonym-borger-4",
    ]


def test_a_person_takes_part_as_themself_with_a_form_for_a_citizen(odense: Municipality) -> None:
    """Sofie, new on Samskab, makes her citizen profile from the front page: her name filled in, no website, pin or
    people behind it, told what everyone reads, and not suggested to strangers unless she chooses."""
    sofie = make_user("sofie.ny@example.dk", "Sofie Nygaard")
    client = Client()
    client.force_login(sofie)
    home = client.get("/").content.decode()
    url = reverse("actors:create") + "?som=borger"
    assert f'href="{url}"' in home
    form = " ".join(client.get(url).content.decode().split())
    assert 'value="Sofie Nygaard"' in form and "Deltag som dig selv" in form
    assert 'name="website"' not in form and 'name="latitude"' not in form and 'value="members"' not in form
    assert "er offentlige: alle kan læse dem" in form
    assert re.search(r'<input[^>]*name="open_to_suggestions"', form)
    assert not re.search(r'<input[^>]*name="open_to_suggestions"[^>]*checked', form)  # off unless she chooses
    data = {"sector": "citizen", "name": "Sofie Nygaard", "municipality": "0461", "neighbourhood": "Vollsmose"}
    forged = client.post(url, data | {"sector": "association", "name": "Sofies Forening"})
    assert forged.status_code == 200 and not Actor.objects.filter(name="Sofies Forening").exists()
    made = client.post(url, data, follow=True)
    assert "Din borgerprofil er lavet: den er dig på Samskab." in made.content.decode()
    citizen = Actor.objects.get(name="Sofie Nygaard")
    assert (citizen.sector, citizen.open_to_suggestions, citizen.public_fields) == (Sector.CITIZEN, False, [])
    again = client.get(url, follow=True).content.decode()
    assert "Du er allerede på Samskab som borger: Sofie Nygaard." in again


def test_a_citizen_edits_their_profile_in_a_citizens_words_and_nobody_else_is_invited_to_be_them(
    odense: Municipality,
) -> None:
    """The edit page speaks to the person as the form that made the profile did; "Invite a person" is not offered,
    and an invitation sent anyway is refused: one citizen is one person."""
    sofie = make_user("sofie.ny@example.dk", "Sofie Nygaard")
    citizen = services.create_actor(
        user=sofie, sector=Sector.CITIZEN, name="Sofie Nygaard", municipality=odense, neighbourhood="Vollsmose"
    )
    client = Client()
    client.force_login(sofie)
    page = " ".join(client.get(citizen.get_absolute_url()).content.decode().split())
    assert reverse("actors:edit", args=[citizen.slug]) in page
    assert reverse("actors:invite_person", args=[citizen.slug]) not in page and 'id="personer"' not in page
    url = reverse("actors:edit", args=[citizen.slug])
    form = " ".join(client.get(url).content.decode().split())
    assert "Redigér din borgerprofil" in form and "er offentlige: alle kan læse dem" in form
    assert 'name="website"' not in form and 'name="latitude"' not in form and 'value="members"' not in form
    seen = re.search(r'name="seen" value="([^"]*)"', form)
    assert seen is not None
    data = {"name": "Sofie N.", "municipality": "0461", "neighbourhood": "Vollsmose", "seen": seen.group(1)}
    bad = client.post(url, data | {"contact_email": "ikke en adresse"})
    assert bad.status_code == 200 and 'value="Sofie N."' in bad.content.decode()
    assert Actor.objects.get(pk=citizen.pk).name == "Sofie Nygaard"
    saved = client.post(url, data | {"public_fields": ["contact_email"], "contact_email": "sofie@example.dk"})
    assert saved.status_code == 302
    citizen.refresh_from_db()
    assert (citizen.name, citizen.contact_email, citizen.public_fields) == (
        "Sofie N.",
        "sofie@example.dk",
        ["contact_email"],
    )
    invite = reverse("actors:invite_person", args=[citizen.slug])
    refused = client.get(invite, follow=True).content.decode()
    assert "En borgerprofil er én persons egen" in refused
    with pytest.raises(ValidationError):
        services.invite_person(actor=citizen, user=sofie, email="lars@example.dk")
    assert not ActorInvitation.objects.filter(actor=citizen).exists()


def test_a_citizen_profile_with_an_address_from_before_can_remove_it(odense: Municipality) -> None:
    sofie = make_user("sofie.ny@example.dk", "Sofie Nygaard")
    citizen = services.create_actor(
        user=sofie, sector=Sector.CITIZEN, name="Sofie Nygaard", municipality=odense, address="Rugårdsvej 1, Odense"
    )
    client = Client()
    client.force_login(sofie)
    url = reverse("actors:edit", args=[citizen.slug])
    form = client.get(url).content.decode()
    assert 'name="address"' in form and 'name="website"' not in form
    seen = re.search(r'name="seen" value="([^"]*)"', form)
    assert seen is not None
    client.post(url, {"name": "Sofie Nygaard", "municipality": "0461", "address": "", "seen": seen.group(1)})
    citizen.refresh_from_db()
    assert citizen.address == ""
