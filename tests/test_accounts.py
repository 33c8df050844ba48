"""Sign-up with email verification, logging in, language, and personal API keys."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from samskab.accounts.models import ApiToken, User

from .conftest import PASSWORD, Persona, make_user


def test_sofie_signs_up_verifies_her_email_and_logs_in(db: None, mailoutbox: list) -> None:
    client = Client()
    response = client.post(
        reverse("account_signup"),
        {
            "name": "Sofie Andersen",
            "email": "sofie@example.dk",
            "password1": "Gr0n-Have-2026",
            "password2": "Gr0n-Have-2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="sofie@example.dk")
    assert user.name == "Sofie Andersen"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/konto/confirm-email/\S+", mailoutbox[0].body)
    assert link is not None
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    client.post("/" + path)
    assert EmailAddress.objects.get(user=user).verified
    assert client.login(email="sofie@example.dk", password="Gr0n-Have-2026")


def test_the_address_confirmed_on_another_browser_is_filled_in_on_the_login_page(db: None, mailoutbox: list) -> None:
    """Sofie signs up on her computer and opens the email on her phone: the phone's login page has her address."""
    Client().post(
        reverse("account_signup"),
        {"name": "Sofie", "email": "sofie@example.dk", "password1": "Gr0n-Have-2026", "password2": "Gr0n-Have-2026"},
    )
    link = re.search(r"/konto/confirm-email/\S+", mailoutbox[0].body)
    assert link is not None
    phone = Client()
    landed = phone.post(link.group(0), follow=True)
    assert landed.resolver_match.url_name == "account_login"
    assert re.search(r'<input[^>]*name="login"[^>]*value="sofie@example.dk"', landed.content.decode())
    assert 'value="sofie@example.dk"' not in Client().get(reverse("account_login")).content.decode()
    logged_in = phone.post(reverse("account_login"), {"login": "sofie@example.dk", "password": "Gr0n-Have-2026"})
    assert logged_in.status_code == 302 and phone.get(reverse("home")).wsgi_request.user.is_authenticated


def test_signup_errors_are_danish_and_keep_what_was_typed(db: None) -> None:
    response = Client().post(
        reverse("account_signup"),
        {"name": "Sofie", "email": "ikke-en-adresse", "password1": "a", "password2": "b"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="ikke-en-adresse"' in html
    assert "Indtast en gyldig e-mail-adresse." in html
    assert not User.objects.exists()


def test_language_switches_between_danish_and_english(db: None) -> None:
    client = Client()
    assert "Udfordringer" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in english
    assert "Challenges" in english


def test_every_page_names_the_licence_and_links_to_the_source_when_given(db: None, settings) -> None:
    page = Client().get(reverse("home")).content.decode()
    assert "Licens: AGPL-3.0" in page and "Kildekode" not in page
    settings.SOURCE_CODE_URL = "https://git.example.dk/samskab"
    page = Client().get(reverse("account_login")).content.decode()
    assert '<a href="https://git.example.dk/samskab">Kildekode (AGPL-3.0)</a>' in page


def test_api_keys_are_shown_once_and_stored_hashed(sofie: Persona) -> None:
    client = sofie.client()
    response = client.post(reverse("accounts:profile"), {"label": "Mit script"}, follow=True)
    key = re.search(r"sk_[\w-]+", response.content.decode())
    assert key is not None
    token = ApiToken.objects.get(user=sofie.user)
    assert token.key_hash == ApiToken.hash_key(key.group(0))
    assert key.group(0) not in client.get(reverse("accounts:profile")).content.decode()
    client.post(reverse("accounts:revoke_token", args=[token.pk]))
    assert not ApiToken.objects.exists()


def test_revoking_someone_elses_api_key_is_not_found_and_leaves_it(sofie: Persona, lars: Persona) -> None:
    sofie.client().post(reverse("accounts:profile"), {"label": "Mit script"})
    token = ApiToken.objects.get(user=sofie.user)
    response = lars.client().post(reverse("accounts:revoke_token", args=[token.pk]), follow=True)
    assert response.status_code == 404
    assert "API-nøglen er tilbagekaldt." not in response.content.decode()
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_error_pages_speak_danish_in_the_site_layout(sofie: Persona) -> None:
    missing = Client().get("/partnerskaber/999999/")
    html = missing.content.decode()
    assert missing.status_code == 404
    assert '<html lang="da">' in html and "Siden findes ikke" in html and "Samskab, forside" in html
    forbidden = sofie.client().get(reverse("insights:portfolio_power_balance"))
    assert forbidden.status_code == 403 and "Ingen adgang" in forbidden.content.decode()
    anonymous = Client().get(reverse("insights:portfolio_power_balance"))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))


def test_the_server_error_page_needs_no_request_context(db: None) -> None:
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500 and "Der gik noget galt" in html


def test_my_page_needs_a_login(db: None) -> None:
    response = Client().get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_sofie_downloads_her_data_and_deletes_her_account_while_her_contributions_stay(
    partnership: object, challenge: object, sofie: Persona, personas: dict[str, Persona]
) -> None:
    import json

    from samskab.actors.models import Actor
    from samskab.opinions import services as opinions
    from samskab.partnerships.models import Challenge

    fie = personas["fie"]
    conversation = opinions.start_conversation(
        user=fie.user, actor=fie.actor, partnership=partnership, question="Hvorfor?", seed_statements=["Kedsomhed"]
    )
    me = opinions.participant_for_member(user=sofie.user, conversation=conversation)
    opinions.add_statement(participant=me, text="Der mangler voksne om aftenen")
    opinions.record_vote(statement=conversation.statements.first(), participant=me, value=1)
    from samskab.partnerships import services as partnerships

    partnerships.add_agenda_item(user=sofie.user, partnership=partnership, by_actor=sofie.actor, title="Lys på stien")
    lars = personas["lars"].client()
    assert "Sofie Andersen" in lars.get(reverse("accounts:notifications")).content.decode()
    from samskab.accounts.models import Notification

    other = Notification.objects.create(user=personas["lars"].user, kind="agenda", text="Sofie Andersens Have har sat")
    # Another actor whose name begins with hers, word for word: what it did stays its own.
    from samskab.actors.models import ActorInvitation, Sector

    Actor.objects.create(
        name="Sofie Andersen Design", slug="sofie-andersen-design", sector=Sector.BUSINESS, municipality_id="0461"
    )
    design = Notification.objects.create(
        user=personas["lars"].user, kind="agenda", text="Sofie Andersen Design har sat “Skilte” på dagsordenen"
    )
    # An invitation to join Lars's club waits for her address; it names her, and goes with her account.
    ActorInvitation.objects.create(
        actor=personas["lars"].actor,
        email="sofie@example.dk",
        invited_by=personas["lars"].user,
        token_hash=ActorInvitation.hash_token("t" * 40),
    )

    # An invitation she sent, as an administrator of the club, for a neighbour to join it: the club's, so it stays.
    from samskab.actors.models import Membership

    Membership.objects.create(actor=personas["lars"].actor, user=sofie.user, role=Membership.Role.ADMIN)
    sent = ActorInvitation.objects.create(
        actor=personas["lars"].actor,
        email="nabo@example.dk",
        invited_by=sofie.user,
        token_hash=ActorInvitation.hash_token("n" * 40),
    )

    # What she offers and needs, and where she lives, are about her.
    from samskab.actors.models import Need, Resource

    Resource.objects.create(actor=sofie.actor, kind="volunteer_hours", title="Lektiehjælp, pensioneret lærer")
    Need.objects.create(actor=sofie.actor, kind="premises", description="Et sted at mødes med naboer på Vollsmosevej")
    type(sofie.actor).objects.filter(pk=sofie.actor.pk).update(neighbourhood="Vollsmose")
    from samskab.actors.models import Theme

    sofie.actor.themes.add(Theme.objects.get(slug="boern-unge"))

    client = sofie.client()
    data = json.loads(client.get(reverse("accounts:download_data")).content)
    assert data["account"]["email"] == "sofie@example.dk"
    assert data["actors"][0]["actor"] == "Sofie Andersen"
    profile = data["actors"][0]
    assert [r["title"] for r in profile["resources"]] == ["Lektiehjælp, pensioneret lærer"]
    assert profile["needs"] == [{"kind": "premises", "description": "Et sted at mødes med naboer på Vollsmosevej"}]
    assert profile["neighbourhood"] == "Vollsmose" and profile["themes"] == ["Børn og unge"]
    assert {"latitude", "longitude", "website", "public_fields", "municipality"} <= set(profile)
    assert data["opinion_maps"][0]["statements"][0]["text"] == "Der mangler voksne om aftenen"
    assert data["partnerships"]["challenges_raised"][0]["title"] == "Unge på hjørnet ved Vollsmose Torv"
    # What she did in the partnership's work is hers to take with her too.
    assert [item["title"] for item in data["partnerships"]["agenda_items_raised"]] == ["Lys på stien"]
    assert {"pledges", "facilitator_handovers", "invitations_sent", "partnerships_started"} <= set(data["partnerships"])
    assert data["opinion_map_work"]["conversations_started"] == []  # Fie started it, not she
    started = json.loads(fie.client().get(reverse("accounts:download_data")).content)["opinion_map_work"]
    assert [c["question"] for c in started["conversations_started"]] == ["Hvorfor?"]
    assert data["surveys"] == {"rounds": [], "surveys_started": [], "results_answered": []}
    assert data["email_addresses"] == [{"email": "sofie@example.dk", "verified": True, "primary": True}]
    assert [i["email"] for i in data["actor_work"]["invitations_sent"]] == ["nabo@example.dk"]
    assert data["actor_work"]["municipal_administrator_of"] == [] and data["actor_work"]["register_imports"] == []

    wrong = client.post(reverse("accounts:delete_account"), {"password": "forkert"})
    assert "Adgangskoden er ikke rigtig." in wrong.content.decode()
    assert User.objects.filter(pk=sofie.user.pk).exists()
    client.post(reverse("accounts:delete_account"), {"password": "en-god-adgangskode-42"})
    assert not User.objects.filter(email="sofie@example.dk").exists()
    actor = Actor.objects.get(pk=sofie.actor.pk)
    assert actor.name == "Anonym borger" and actor.address == "" and actor.neighbourhood == ""
    assert not actor.resources.exists() and not actor.needs.exists() and not actor.themes.exists()
    assert Challenge.objects.get(title="Unge på hjørnet ved Vollsmose Torv").raised_by == actor
    assert conversation.statements.filter(text="Der mangler voksne om aftenen").exists()
    # It leaves the partnership: nobody is left to speak for it (tests/test_account_deletion_and_my_page.py).
    assert not partnership.is_member(actor)
    # What the others were told she did now names the anonymous citizen, as the partnership's pages do.
    told = lars.get(reverse("accounts:notifications")).content.decode()
    assert "Anonym borger har sat “Lys på stien”" in told
    other.refresh_from_db()
    assert other.text == "Sofie Andersens Have har sat"  # another actor's name, though it starts like hers
    design.refresh_from_db()
    assert design.text == "Sofie Andersen Design har sat “Skilte” på dagsordenen"
    assert not ActorInvitation.objects.filter(email="sofie@example.dk").exists()
    # The invitation she sent still waits for the neighbour, from the club, never naming her address.
    sent.refresh_from_db()
    assert sent.invited_by is None and sent.accepted_at is None
    page = Client().get(reverse("actors:accept_invitation", args=["n" * 40])).content.decode()
    assert "En administrator i Vollsmose Boldklub har inviteret dig" in page and "sofie@" not in page


def test_the_data_download_gives_an_actors_private_contact_details_to_its_administrators_only(
    lars: Persona, nora: Persona
) -> None:
    import json

    from samskab.actors.models import Membership

    club = lars.actor
    assert club is not None
    club.address, club.contact_email, club.contact_phone = "Klubvej 1", "kasserer@klub.dk", "12345678"
    club.public_fields = ["contact_email"]
    club.save()
    Membership.objects.create(actor=club, user=nora.user, role=Membership.Role.MEMBER)

    def contact(persona: Persona) -> dict[str, str]:
        data = json.loads(persona.client().get(reverse("accounts:download_data")).content)
        row = next(a for a in data["actors"] if a["actor"] == club.name)
        return {k: row[k] for k in ("address", "contact_email", "contact_phone") if k in row}

    assert contact(lars) == {"address": "Klubvej 1", "contact_email": "kasserer@klub.dk", "contact_phone": "12345678"}
    assert contact(nora) == {"contact_email": "kasserer@klub.dk"}  # what the club's page shows her
    rows = json.loads(nora.client().get(reverse("accounts:download_data")).content)["actors"]
    nora_row = next(a for a in rows if a["actor"] == club.name)
    assert "latitude" not in nora_row and "public_fields" not in nora_row


def test_the_login_screens_say_adgangskode_in_plain_danish(sofie: Persona) -> None:
    client = Client()
    assert "Nulstil adgangskode" in client.get(reverse("account_reset_password")).content.decode()
    signed_in = client.post(
        reverse("account_login"), {"login": "sofie@example.dk", "password": PASSWORD}, follow=True
    ).content.decode()
    assert "Du er logget ind som Sofie Andersen." in signed_in
    emails = client.get(reverse("account_email")).content.decode()
    assert "Bekræftet" in emails and "Bekæftet" not in emails
    # Danish writes "e-mail", and asks without "venligst".
    assert "E-mailadresser" in emails and not re.search(
        r"(?<![Ee]-)\b[Ee]mail|venligst", re.sub(r"<[^>]+>", " ", emails)
    )
    assert "Skift adgangskode" in client.get(reverse("account_change_password")).content.decode()


def test_reloading_my_page_after_creating_an_api_key_creates_no_second_key(sofie: Persona) -> None:
    client = sofie.client()
    response = client.post(reverse("accounts:profile"), {"label": "Mit script"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:profile")
    shown = client.get(response["Location"]).content.decode()
    key = re.search(r"sk_[\w-]+", shown)
    assert key is not None
    reloaded = client.get(reverse("accounts:profile")).content.decode()
    assert key.group(0) not in reloaded
    assert ApiToken.objects.filter(user=sofie.user).count() == 1


def test_lars_cannot_delete_his_account_while_he_alone_runs_a_club_others_belong_to(lars: Persona) -> None:
    from samskab.actors.models import Membership

    actor = lars.actor
    assert actor is not None
    ib = make_user("ib@boldklub.dk", "Ib Holm")
    membership = Membership.objects.create(actor=actor, user=ib)
    client = lars.client()

    page = client.get(reverse("accounts:delete_account")).content.decode()
    assert "Du er den eneste administrator for Vollsmose Boldklub, og der er andre med i den." in page
    assert 'name="password"' not in page
    client.post(reverse("accounts:delete_account"), {"password": PASSWORD})
    assert User.objects.filter(pk=lars.user.pk).exists()

    client.post(reverse("actors:make_admin", args=[actor.slug, membership.pk]))
    assert 'name="password"' in client.get(reverse("accounts:delete_account")).content.decode()
    client.post(reverse("accounts:delete_account"), {"password": PASSWORD})
    assert not User.objects.filter(pk=lars.user.pk).exists()
    assert actor.memberships.get().user == ib


def test_nora_is_told_her_association_is_left_without_anyone_and_may_still_delete(nora: Persona) -> None:
    client = nora.client()
    page = client.get(reverse("accounts:delete_account")).content.decode()
    assert "Der er ikke andre med i Haveforeningen Solsikken." in page
    client.post(reverse("accounts:delete_account"), {"password": PASSWORD})
    assert not User.objects.filter(pk=nora.user.pk).exists()


def test_account_emails_and_pages_speak_plain_danish_as_samskab(db: None, mailoutbox: list) -> None:
    client = Client()
    response = client.post(
        reverse("account_signup"),
        {"name": "Ole Dam", "email": "ole@example.dk", "password1": "Gr0n-Have-2026", "password2": "Gr0n-Have-2026"},
        follow=True,
    )
    page = response.content.decode()
    assert "Bekræft din e-mailadresse" in page and "Vi har sendt dig en e-mail med et link." in page
    mail = mailoutbox[0]
    assert mail.subject == "[Samskab] Bekræft din e-mailadresse"
    assert mail.body.startswith("Hej Ole\n")
    assert "Venlig hilsen\nSamskab" in mail.body
    text = "\n".join(line for line in mail.body.splitlines() if "/konto/confirm-email/" not in line)
    for wrong in ("testserver", "venligst", " email", "Hej fra"):
        assert wrong not in text and wrong not in page

    client.post(reverse("account_reset_password"), {"email": "ole@example.dk"})
    reset = mailoutbox[-1]
    assert reset.subject == "[Samskab] Vælg en ny adgangskode"
    assert "Hvis det var dig, kan du vælge en ny adgangskode her:" in reset.body
    assert "venligst" not in reset.body and "Hej fra" not in reset.body
    expired = client.get("/konto/confirm-email/forkert-noegle/").content.decode()
    assert "Linket til bekræftelse er udløbet eller virker ikke." in expired and "venligst" not in expired


def email_choices(**chosen: str) -> dict[str, str]:
    """The notifications page's form: how each kind of notification comes by email (at once, unless chosen)."""
    from samskab.accounts.models import NotificationKind

    return {f"email-{kind}": chosen.get(kind, "immediate") for kind in NotificationKind.values}


def test_sofie_chooses_how_each_kind_of_notification_comes_by_email(sofie: Persona) -> None:
    from samskab.accounts.models import Notification, NotificationPreference

    unread = Notification.objects.create(user=sofie.user, kind="agenda", text="Lars har sat et punkt på")
    url = reverse("accounts:notifications")

    saved = sofie.client().post(url, email_choices(agenda="digest", decision="none"))

    assert saved.status_code == 302
    chosen = dict(NotificationPreference.objects.filter(user=sofie.user).values_list("kind", "email"))
    assert chosen["agenda"] == "digest" and chosen["decision"] == "none" and chosen["invitation"] == "immediate"
    unread.refresh_from_db()
    assert unread.read_at is None  # choosing how to be told is not having read what one was told
    page = sofie.client().get(url).content.decode()
    assert re.search(r'name="email-agenda"[^>]*>(?:(?!</select>).)*<option value="digest" selected>', page, re.S)
    assert "Markér alle som læst" in page
    read = sofie.client().post(url, {"do": "read"}, follow=True).content.decode()
    unread.refresh_from_db()
    assert unread.read_at is not None and "Dine notifikationer er markeret som læst." in read
    assert "Markér alle som læst" not in read
    chosen_after = dict(NotificationPreference.objects.filter(user=sofie.user).values_list("kind", "email"))
    assert chosen_after == chosen  # the choices stay as they were


@pytest.mark.parametrize(
    "odd",
    [{"email-agenda": "bogus"}, {"email-ukendt": "digest"}, {"email-agenda": ""}],
    ids=["unknown-choice", "unknown-kind", "no-choice"],
)
def test_a_notification_choice_that_does_not_exist_is_refused_and_nothing_is_saved(
    sofie: Persona, odd: dict[str, str]
) -> None:
    """A crafted or stale form sends a choice or a kind the page never offered: Sofie is told, the page shows her
    choices again as she made them, and nothing is saved, nor are her notifications marked read."""
    from samskab.accounts.models import Notification, NotificationPreference

    unread = Notification.objects.create(user=sofie.user, kind="agenda", text="Lars har sat et punkt på")

    response = sofie.client().post(reverse("accounts:notifications"), email_choices(decision="digest") | odd)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert re.search(r'name="email-decision"[^>]*>(?:(?!</select>).)*<option value="digest" selected>', html, re.S)
    assert not NotificationPreference.objects.filter(user=sofie.user).exists()
    unread.refresh_from_db()
    assert unread.read_at is None


def test_a_notifications_page_opened_before_a_new_kind_existed_still_saves(sofie: Persona) -> None:
    from samskab.accounts.models import NotificationPreference

    stale = {key: value for key, value in email_choices(agenda="digest").items() if key != "email-moderation"}
    assert sofie.client().post(reverse("accounts:notifications"), stale).status_code == 302
    chosen = dict(NotificationPreference.objects.filter(user=sofie.user).values_list("kind", "email"))
    assert chosen["agenda"] == "digest" and "moderation" not in chosen
