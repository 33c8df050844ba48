"""Challenges as a whole feature: their raiser edits, closes and reopens them; anyone searches and filters the list;
the challenge's page says what came of it, and its raiser is told when a partnership starts on it."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samskab.accounts.models import Notification, NotificationKind
from samskab.actors.models import Membership, Municipality
from samskab.opinions.services import propose_problem_definition, save_problem_definition
from samskab.partnerships import services
from samskab.partnerships.models import Action, Challenge, Partnership, Proposal

from .conftest import Persona, make_user
from .test_conversations import seen_version


def edit_data(challenge: Challenge, **changes: object) -> dict[str, object]:
    """The edit form as the page fills it in for `challenge`, with `changes`."""
    data: dict[str, object] = {
        "title": challenge.title,
        "description": challenge.description,
        "municipality": challenge.municipality_id,
        "place": challenge.place,
        "affected": challenge.affected,
        "themes": list(challenge.themes.values_list("slug", flat=True)),
    }
    return data | changes


def raise_as(persona: Persona, title: str, **fields: object) -> Challenge:
    assert persona.actor is not None
    defaults: dict[str, object] = {
        "description": "Noget vi ser i kvarteret.",
        "municipality": Municipality.objects.get(code="0461"),
    }
    return services.raise_challenge(user=persona.user, actor=persona.actor, title=title, **(defaults | fields))


def colleague_of(persona: Persona, email: str, name: str) -> Persona:
    """Another person in the persona's actor, an ordinary member (not an administrator)."""
    assert persona.actor is not None
    user = make_user(email, name)
    Membership.objects.create(actor=persona.actor, user=user, role=Membership.Role.MEMBER)
    return Persona(user, persona.actor)


# 1. Editing ----------------------------------------------------------------------------------------------------


def test_sofie_edits_her_challenge_and_the_page_shows_it(sofie: Persona, challenge: Challenge) -> None:
    url = reverse("partnerships:challenge_edit", args=[challenge.pk])
    client = sofie.client()
    form = client.get(url).content.decode()
    assert 'value="Unge på hjørnet ved Vollsmose Torv"' in form
    data = edit_data(
        challenge,
        title="Unge på hjørnet ved Vollsmose Torv om aftenen",
        affected="Unge mellem 14 og 18, og naboerne",
        themes=["boern-unge", "tryghed"],
        seen=seen_version(client, url),
    )
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == challenge.get_absolute_url()
    challenge.refresh_from_db()
    assert challenge.title == "Unge på hjørnet ved Vollsmose Torv om aftenen"
    assert sorted(challenge.themes.values_list("slug", flat=True)) == ["boern-unge", "tryghed"]
    assert (challenge.updated_by, challenge.raised_by) == (sofie.user, sofie.actor)
    page = Client().get(challenge.get_absolute_url()).content.decode()
    assert "Unge mellem 14 og 18, og naboerne" in page and "Sidst redigeret" in page


@pytest.mark.parametrize("raiser", ["mette", "lars", "sofie", "jens"])
def test_every_sector_edits_closes_and_reopens_its_own_challenge_and_nobody_elses(
    raiser: str, personas: dict[str, Persona]
) -> None:
    """Equality by design: a challenge belongs to the actor that raised it, whatever its sector. The municipality
    (Mette is also a municipal administrator) has no more say over a citizen's challenge than anyone else."""
    own = raise_as(personas[raiser], "Mørke stier i Vollsmose")
    edit = reverse("partnerships:challenge_edit", args=[own.pk])
    status = reverse("partnerships:challenge_status", args=[own.pk])
    for name, persona in personas.items():
        if name == raiser:
            continue
        client = persona.client()
        assert client.get(edit).status_code == 403, name
        assert client.post(edit, edit_data(own, title="Overtaget")).status_code == 403, name
        assert client.post(status, {"note": "Lukket af andre"}).status_code == 403, name
        assert "Luk udfordringen" not in client.get(own.get_absolute_url()).content.decode()
    anonymous = Client()
    for url in (edit, status):
        response = anonymous.post(url, {"note": "x"})
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    own.refresh_from_db()
    assert (own.title, own.status) == ("Mørke stier i Vollsmose", Challenge.Status.OPEN)

    client = personas[raiser].client()
    assert client.post(edit, edit_data(own, title="Mørke stier")).status_code == 302
    assert client.post(status, {"note": "Kommunen har sat lys op."}).status_code == 302
    own.refresh_from_db()
    assert (own.title, own.status, own.closing_note) == ("Mørke stier", "closed", "Kommunen har sat lys op.")
    assert client.post(status, {"reopen": "1"}).status_code == 302
    own.refresh_from_db()
    assert (own.status, own.closed_at, own.closing_note) == ("open", None, "")


def test_the_people_of_the_club_edit_its_challenge_not_only_its_administrator(lars: Persona) -> None:
    club_challenge = raise_as(lars, "Hallen står tom om formiddagen")
    trainer = colleague_of(lars, "trine@boldklub.dk", "Trine Kjær")
    url = reverse("partnerships:challenge_edit", args=[club_challenge.pk])
    response = trainer.client().post(url, edit_data(club_challenge, title="Hallen står tom om formiddagen og natten"))
    assert response.status_code == 302
    club_challenge.refresh_from_db()
    assert club_challenge.title == "Hallen står tom om formiddagen og natten"


def test_a_stale_edit_is_refused_keeps_what_was_typed_and_shows_the_saved_version(lars: Persona) -> None:
    """Lars and Trine from the sports club open the edit form at once. Trine saves a new description; Lars then saves
    the title he changed. His form still holds the old description, so saving it would erase hers: it is refused,
    his page shows her version beside his own typing, and his next save goes through."""
    club_challenge = raise_as(lars, "Hallen står tom om formiddagen")
    trine = colleague_of(lars, "trine@boldklub.dk", "Trine Kjær")
    url = reverse("partnerships:challenge_edit", args=[club_challenge.pk])
    lars_client, trine_client = lars.client(), trine.client()
    lars_opened, trine_opened = seen_version(lars_client, url), seen_version(trine_client, url)
    hers = "Hallen bruges ikke mellem kl. 8 og 14 på hverdage."
    assert trine_client.post(url, edit_data(club_challenge, description=hers, seen=trine_opened)).status_code == 302
    his = edit_data(club_challenge, title="Tom hal om formiddagen", seen=lars_opened)
    refused = lars_client.post(url, his)
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "Trine Kjær gemte en ny udgave, mens du skrev." in html
    assert "Udfordringen, som den er gemt nu" in html and hers in html
    assert 'value="Tom hal om formiddagen"' in html
    club_challenge.refresh_from_db()
    assert (club_challenge.title, club_challenge.description) == ("Hallen står tom om formiddagen", hers)
    again = re.search(r'name="seen" value="([^"]*)"', html)
    assert again is not None
    assert lars_client.post(url, his | {"description": hers, "seen": again.group(1)}).status_code == 302
    club_challenge.refresh_from_db()
    assert (club_challenge.title, club_challenge.description) == ("Tom hal om formiddagen", hers)


def test_bad_edit_input_is_told_in_danish_keeps_what_was_typed_and_saves_nothing(
    sofie: Persona, challenge: Challenge
) -> None:
    url = reverse("partnerships:challenge_edit", args=[challenge.pk])
    data = edit_data(challenge, title="", description="Nu med <b>fed</b>", municipality="9999", place="x" * 121)
    response = sofie.client().post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dette felt er påkrævet." in html and "Marker en gyldig valgmulighed" in html
    assert "Denne værdi må højst have 120 tegn" in html
    assert "Nu med &lt;b&gt;fed&lt;/b&gt;" in html
    challenge.refresh_from_db()
    assert (challenge.title, challenge.description, challenge.updated_at) == (
        "Unge på hjørnet ved Vollsmose Torv",
        "Hver aften samles en gruppe unge ved torvet.",
        None,
    )


def test_an_unknown_challenge_is_not_found(sofie: Persona) -> None:
    client = sofie.client()
    assert client.get(reverse("partnerships:challenge_edit", args=[999999])).status_code == 404
    assert client.post(reverse("partnerships:challenge_status", args=[999999])).status_code == 404
    assert Client().get(reverse("partnerships:challenge", args=[999999])).status_code == 404


# 2. Closing and reopening ------------------------------------------------------------------------------------


def test_a_closed_challenge_leaves_the_front_page_and_the_map_but_stays_reachable_marked_closed(
    sofie: Persona, lars: Persona
) -> None:
    assert lars.actor is not None
    lars.actor.latitude, lars.actor.longitude = 55.38, 10.43  # Vollsmose gets a place on the map
    lars.actor.public_fields = ["address"]
    lars.actor.save()
    closing = raise_as(sofie, "Skrald ved legepladsen", place="Vollsmose")
    assert "Skrald ved legepladsen" in Client().get(reverse("home")).content.decode()
    assert "Skrald ved legepladsen" in Client().get(reverse("actor_map")).content.decode()

    url = reverse("partnerships:challenge_status", args=[closing.pk])
    note = "Boligforeningen har sat flere skraldespande op."
    response = sofie.client().post(url, {"note": note}, follow=True)
    assert "Udfordringen er lukket." in response.content.decode()

    assert "Skrald ved legepladsen" not in Client().get(reverse("home")).content.decode()
    assert "Skrald ved legepladsen" not in Client().get(reverse("actor_map")).content.decode()
    page = Client().get(closing.get_absolute_url()).content.decode()
    assert "Udfordring · Lukket" in page and "Udfordringen blev lukket den" in page and note in page
    assert "Der kan ikke startes nye partnerskaber på en lukket udfordring." in page
    assert "Start et partnerskab" not in page
    # Sofie sees how to open it again; nobody else does.
    assert "Åbn udfordringen igen" in sofie.client().get(closing.get_absolute_url()).content.decode()
    assert "Åbn udfordringen igen" not in lars.client().get(closing.get_absolute_url()).content.decode()

    # A second click (or Back and send again) is told it is closed already, and keeps the first note.
    again = sofie.client().post(url, {"note": "Noget andet"}, follow=True)
    assert "Udfordringen er allerede lukket." in again.content.decode()
    closing.refresh_from_db()
    assert closing.closing_note == note

    sofie.client().post(url, {"reopen": "1"})
    assert "Skrald ved legepladsen" in Client().get(reverse("home")).content.decode()
    assert "Skrald ved legepladsen" in Client().get(reverse("actor_map")).content.decode()


def test_a_reopened_challenge_is_in_its_partnership_again(sofie: Persona, partnership: Partnership) -> None:
    challenge = partnership.challenge
    assert challenge is not None and challenge.status == Challenge.Status.IN_PARTNERSHIP
    url = reverse("partnerships:challenge_status", args=[challenge.pk])
    sofie.client().post(url, {"note": ""})
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.CLOSED and challenge.closed_at is not None
    sofie.client().post(url, {"reopen": "1"})
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.IN_PARTNERSHIP


def test_a_closing_note_too_long_is_told_in_danish_and_nothing_is_closed(sofie: Persona, challenge: Challenge) -> None:
    note = "Løst. " + "x" * 2000
    response = sofie.client().post(reverse("partnerships:challenge_status", args=[challenge.pk]), {"note": note})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Denne værdi må højst have 2000 tegn" in html and note in html
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.OPEN and challenge.closing_note == ""


def test_no_partnership_starts_on_a_closed_challenge(sofie: Persona, mette: Persona, challenge: Challenge) -> None:
    services.set_challenge_status(user=sofie.user, challenge=challenge, closed=True, note="Løst")
    url = reverse("partnerships:start", args=[challenge.pk])
    opened = mette.client().get(url)
    assert opened.status_code == 302 and opened["Location"] == challenge.get_absolute_url()
    data = {"title": "Alligevel", "purpose": "", "kind": "co_creation", "visibility": "public"}
    refused = mette.client().post(url, data)
    assert refused.status_code == 200
    assert "Udfordringen er lukket. Dem, der har rejst den, kan åbne den igen." in refused.content.decode()
    assert not Partnership.objects.exists()


# 3. Searching and filtering the list ---------------------------------------------------------------------------


@pytest.fixture
def many_challenges(sofie: Persona, lars: Persona, jens: Persona) -> dict[str, Challenge]:
    aarhus = Municipality.objects.get(code="0751")
    made = {
        "unge": raise_as(sofie, "Unge på hjørnet ved torvet", place="Vollsmose"),
        "ældre": raise_as(lars, "Ensomme ældre i opgangene", place="Ørkildsgade", description="Ældre bliver inde."),
        "aarhus": raise_as(jens, "Tom butik i Gellerup", municipality=aarhus, place="Gellerup"),
        "lukket": raise_as(sofie, "Ungdomsklubben holder lukket", place="vollsmose"),
    }
    made["ældre"].themes.set(made["ældre"].themes.model.objects.filter(slug="ensomhed"))
    services.set_challenge_status(user=sofie.user, challenge=made["lukket"], closed=True)
    return made


def listed(client: Client, **params: str) -> list[str]:
    html = client.get(reverse("partnerships:challenges"), params).content.decode()
    return re.findall(r'<h3 class="h3"><a href="/udfordringer/\d+/">([^<]+)</a>', html)


def test_the_list_searches_danish_words_and_filters(many_challenges: dict[str, Challenge]) -> None:
    client = Client()
    # Closed challenges are left out unless asked for.
    assert listed(client) == ["Tom butik i Gellerup", "Ensomme ældre i opgangene", "Unge på hjørnet ved torvet"]
    # "unge" is stemmed ("ung"), so it finds "Ungdomsklubben" too, among the closed ones.
    assert listed(client, q="unge", status="all") == ["Ungdomsklubben holder lukket", "Unge på hjørnet ved torvet"]
    # Words with Æ, Ø and Å are found however they are written, on SQLite as on PostgreSQL.
    assert listed(client, q="ÆLDRE") == ["Ensomme ældre i opgangene"]
    assert listed(client, q="ørkildsgade") == ["Ensomme ældre i opgangene"]
    assert listed(client, q="og") == []  # only a stop word: nothing to search for
    assert listed(client, municipality="0751") == ["Tom butik i Gellerup"]
    assert listed(client, theme="ensomhed") == ["Ensomme ældre i opgangene"]
    # The place offered as "Vollsmose" finds "vollsmose" too.
    assert listed(client, place="Vollsmose", status="all") == [
        "Ungdomsklubben holder lukket",
        "Unge på hjørnet ved torvet",
    ]
    assert listed(client, status="closed") == ["Ungdomsklubben holder lukket"]
    assert listed(client, status="open") == [
        "Tom butik i Gellerup",
        "Ensomme ældre i opgangene",
        "Unge på hjørnet ved torvet",
    ]
    assert listed(client, status="in_partnership") == []
    # The place is offered once, however the challenges spell it.
    html = client.get(reverse("partnerships:challenges")).content.decode()
    assert html.count('<option value="Vollsmose"') == 1 and '<option value="vollsmose"' not in html


def test_bad_filters_are_told_in_danish_not_a_server_error(many_challenges: dict[str, Challenge]) -> None:
    response = Client().get(
        reverse("partnerships:challenges"), {"municipality": "9999", "status": "alien", "q": "x" * 101}
    )
    html = response.content.decode()
    assert response.status_code == 200
    summary = html[html.index('id="error-summary"') : html.index("</ul>", html.index('id="error-summary"'))]
    assert "Kommune: Marker en gyldig valgmulighed. 9999 er ikke en af de tilgængelige valgmuligheder." in summary
    assert "Status: Marker en gyldig valgmulighed. alien er ikke en af de tilgængelige valgmuligheder." in summary
    assert "Denne værdi må højst have 100 tegn" in summary
    # The filters that were valid still apply: the closed challenge stays out.
    assert "Ungdomsklubben holder lukket" not in html


def test_paging_keeps_the_search(sofie: Persona) -> None:
    for number in range(25):
        raise_as(sofie, f"Unge nummer {number}")
    raise_as(sofie, "Noget helt andet")
    html = Client().get(reverse("partnerships:challenges"), {"q": "unge"}).content.decode()
    assert "25 udfordringer fundet" in html
    assert 'href="?q=unge&amp;side=2"' in html
    second = Client().get(reverse("partnerships:challenges"), {"q": "unge", "side": "2"}).content.decode()
    assert second.count('<h3 class="h3">') == 5 and "Noget helt andet" not in second


def test_htmx_gets_only_the_results(many_challenges: dict[str, Challenge]) -> None:
    html = Client().get(reverse("partnerships:challenges"), {"q": "gellerup"}, headers={"HX-Request": "true"})
    text = html.content.decode()
    assert text.lstrip().startswith('<div id="results"') and "Tom butik i Gellerup" in text
    assert "<form" not in text


def test_the_list_costs_the_same_queries_however_many_challenges(sofie: Persona) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            Client().get(reverse("partnerships:challenges"), {"q": "unge"})
        return len(queries.captured_queries)

    raise_as(sofie, "Unge 1")
    few = count()
    for number in range(10):
        raise_as(sofie, f"Unge {number + 2}").themes.set([])
    assert count() == few


# 4. What came of it ----------------------------------------------------------------------------------------------


def test_the_challenge_page_says_what_came_of_each_partnership(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    lars, jens, fie = personas["lars"], personas["jens"], personas["fie"]
    assert lars.actor and jens.actor and fie.actor
    # The members adopt a problem definition and decide on a proposal; both deadlines pass without objection.
    save_problem_definition(
        user=lars.user, partnership=partnership, actor=lars.actor, text="Der mangler voksne om aftenen.", statements=[]
    )
    adoption = propose_problem_definition(
        user=lars.user, partnership=partnership, actor=lars.actor, deadline=timezone.now() + timedelta(days=2)
    )
    proposal = services.propose(
        user=jens.user,
        partnership=partnership,
        by_actor=jens.actor,
        title="Fredagsåben hal",
        text="Vi åbner hallen fredag aften",
        deadline=timezone.now() + timedelta(days=2),
    )
    Proposal.objects.filter(pk__in=[adoption.pk, proposal.pk]).update(deadline=timezone.now() - timedelta(seconds=1))
    for title in ("Åben hal", "Lys på stien"):
        services.create_action(
            user=fie.user, partnership=partnership, by_actor=fie.actor, title=title, owners=[lars.actor]
        )
    done = Action.objects.get(title="Åben hal")
    services.update_action_status(user=fie.user, action=done, by_actor=fie.actor, status=Action.Status.DONE)

    assert partnership.challenge is not None
    page = Client().get(partnership.challenge.get_absolute_url()).content.decode()
    assert "Det er der kommet ud af den" in page
    assert partnership.title in page and "Definér problemet sammen" in page
    assert "Der mangler voksne om aftenen." in page  # the problem definition, adopted on consent
    assert "Fredagsåben hal" in page
    assert "1 af 2 handlinger er gennemført" in page


def test_the_latest_three_decisions_are_shown(partnership: Partnership, fie: Persona) -> None:
    assert fie.actor is not None
    for number in range(5):
        proposal = services.propose(
            user=fie.user,
            partnership=partnership,
            by_actor=fie.actor,
            title=f"Beslutning nummer {number}",
            text="Tekst",
            deadline=timezone.now() + timedelta(days=2),
        )
        Proposal.objects.filter(pk=proposal.pk).update(deadline=timezone.now() - timedelta(minutes=10 - number))
    assert partnership.challenge is not None
    page = Client().get(partnership.challenge.get_absolute_url()).content.decode()
    shown = re.findall(r"Beslutning nummer (\d)", page)
    assert sorted(shown) == ["2", "3", "4"]
    assert "Ikke vedtaget endnu." in page and "Der er ingen handlinger endnu." in page


def test_a_members_only_partnership_shows_its_outcome_to_its_members_only(
    private_partnership: Partnership, lars: Persona, nora: Persona
) -> None:
    assert private_partnership.challenge is not None
    url = private_partnership.challenge.get_absolute_url()
    outside = nora.client().get(url).content.decode()
    assert private_partnership.title not in outside and "Det er der kommet ud af den" in outside
    assert "Et partnerskab kun for sine medlemmer arbejder med udfordringen." in outside
    inside = lars.client().get(url).content.decode()
    assert private_partnership.title in inside and "Ikke vedtaget endnu." in inside


def test_the_challenge_page_costs_the_same_queries_however_many_partnerships(
    challenge: Challenge, fie: Persona
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            Client().get(challenge.get_absolute_url())
        return len(queries.captured_queries)

    services.start_partnership(user=fie.user, actor=fie.actor, challenge=challenge, title="Første")
    one = count()
    for number in range(4):
        services.start_partnership(user=fie.user, actor=fie.actor, challenge=challenge, title=f"Nummer {number}")
    assert count() == one


# 5. The raiser is told ---------------------------------------------------------------------------------------


def test_the_people_of_the_raising_actor_are_told_when_a_partnership_starts(
    lars: Persona, mette: Persona, django_capture_on_commit_callbacks: object, mailoutbox: list
) -> None:
    club_challenge = raise_as(lars, "Hallen står tom om formiddagen")
    trine = colleague_of(lars, "trine@boldklub.dk", "Trine Kjær")
    data = {"title": "Formiddagshal", "purpose": "", "kind": "co_creation", "visibility": "public"}
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        mette.client().post(reverse("partnerships:start", args=[club_challenge.pk]), data)
    partnership = Partnership.objects.get()
    told = Notification.objects.filter(kind=NotificationKind.CHALLENGE)
    assert sorted(n.user.email for n in told) == ["lars@boldklub.dk", "trine@boldklub.dk"]
    text = (
        "Center for Samskabelse har startet partnerskabet “Formiddagshal” om jeres udfordring "
        "“Hallen står tom om formiddagen”."
    )
    assert {(n.text, n.url) for n in told} == {(text, partnership.get_absolute_url())}
    assert sorted(m.to[0] for m in mailoutbox) == ["lars@boldklub.dk", "trine@boldklub.dk"]
    assert "Partnerskaber, der startes på udfordringer, min aktør har rejst" in (
        trine.client().get(reverse("accounts:notifications")).content.decode()
    )


def test_a_members_only_partnership_is_not_named_to_the_raiser(sofie: Persona, mette: Persona) -> None:
    secret = raise_as(sofie, "Uro i opgangen")
    services.start_partnership(
        user=mette.user,
        actor=mette.actor,  # type: ignore[arg-type]
        challenge=secret,
        title="Hemmeligt navn",
        visibility=Partnership.Visibility.MEMBERS,
    )
    told = Notification.objects.get(user=sofie.user)
    assert told.text == "Et partnerskab kun for sine medlemmer er gået i gang med jeres udfordring “Uro i opgangen”."
    assert told.url == secret.get_absolute_url() and "Hemmeligt navn" not in told.text


def test_nobody_is_told_of_what_they_did_themselves(sofie: Persona) -> None:
    own = raise_as(sofie, "Mit eget")
    services.start_partnership(user=sofie.user, actor=sofie.actor, challenge=own, title="Mit eget partnerskab")  # type: ignore[arg-type]
    assert not Notification.objects.filter(user=sofie.user).exists()


def test_a_save_that_changes_nothing_leaves_the_version_for_others(lars: Persona) -> None:
    """Trine opens the form and saves without changing anything; Lars, who opened it before her, then saves his new
    title. Nothing of hers would be lost, and no new version stands in his way."""
    club_challenge = raise_as(lars, "Hallen står tom om formiddagen")
    trine = colleague_of(lars, "trine@boldklub.dk", "Trine Kjær")
    url = reverse("partnerships:challenge_edit", args=[club_challenge.pk])
    lars_client, trine_client = lars.client(), trine.client()
    lars_opened, trine_opened = seen_version(lars_client, url), seen_version(trine_client, url)
    assert trine_client.post(url, edit_data(club_challenge, seen=trine_opened)).status_code == 302
    club_challenge.refresh_from_db()
    assert club_challenge.updated_by is None  # never saved
    his = edit_data(club_challenge, title="Tom hal om formiddagen", seen=lars_opened)
    assert lars_client.post(url, his).status_code == 302
    club_challenge.refresh_from_db()
    assert (club_challenge.title, club_challenge.updated_by) == ("Tom hal om formiddagen", lars.user)
