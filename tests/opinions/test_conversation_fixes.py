"""Conversations as people met them: a standalone conversation they could not use, an outcome claimed where
nothing came of the conversation, a hidden statement posted again, cards that reloaded at the top of a long page,
a partnership link leading to a 404, an import a colleague could not finish, and words that disagreed."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samskab.accounts.models import User
from samskab.accounts.services import create_api_token
from samskab.actors import services as actor_services
from samskab.actors.models import Membership, Sector
from samskab.opinions import services
from samskab.opinions.models import Conversation, Participant, Statement
from samskab.partnerships import services as partnership_services
from samskab.partnerships.models import Partnership, Proposal

from ..conftest import Persona, make_user
from .pages import card, main, text, vote

SEEDS = [
    "De unge keder sig, fordi der ikke er noget at lave om aftenen.",
    "Problemet er utryghed for de ældre, der går forbi.",
    "De unge mangler voksne, de stoler på.",
]
HEADER = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
COMMENTS = HEADER + "1,x,0,0,1,0,1,Hallen burde være åben fredag aften\n2,x,1,1,0,1,1,Der mangler lys på stien\n"
PARTICIPANTS = "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n0,0,1,2,1,1,1,-1\n1,0,1,1,0,1,,-1\n"


def shown_statement(client: Client, conversation: Conversation) -> Statement:
    html = client.get(conversation.get_absolute_url()).content.decode()
    found = re.search(r'name="statement" value="(\d+)"', html)
    assert found, "the card shows a statement to vote on"
    return Statement.objects.get(pk=found.group(1))


@pytest.fixture
def conversation(partnership: Partnership, personas: dict[str, Persona]) -> Conversation:
    fie = personas["fie"]
    assert fie.actor is not None
    return services.start_conversation(
        user=fie.user,
        actor=fie.actor,
        partnership=partnership,
        question="Hvad er egentlig problemet med de unge på hjørnet?",
        seed_statements=SEEDS,
        allow_anonymous=True,
    )


def guest(conversation: Conversation, sector: str = "citizen") -> Client:
    """Someone without an account, let in by the link, who has said their sector."""
    client = Client()
    client.get(conversation.get_link_url())
    client.post(reverse("opinions:sector", args=[conversation.pk]), {"sector": sector})
    return client


# --- 1. Standalone conversations ----------------------------------------------------------------------------------


def test_a_conversation_brought_in_from_polis_and_opened_again_is_taken_part_in(
    personas: dict[str, Persona],
) -> None:
    """Mette brings in a Polis conversation as a standalone one and opens it again. She and Sofie vote straight
    away, each with the sector of the actor they act for; nobody is asked the guests' question or meets a 404. A
    visitor without an account is asked to log in, not told about a partnership there is none of. Mette then
    lets people without an account in and adds a seed statement, and a guest takes part."""
    mette, sofie = personas["mette"], personas["sofie"]
    data = {
        "actor": mette.actor.pk,
        "question": "Fra Polis",
        "comments": SimpleUploadedFile("comments.csv", COMMENTS.encode()),
        "participants_votes": SimpleUploadedFile("participants-votes.csv", PARTICIPANTS.encode()),
    }
    assert mette.client().post(reverse("opinions:import"), data).status_code == 302
    conversation = Conversation.objects.get(question="Fra Polis")
    assert conversation.partnership is None and not conversation.is_open
    mette.client().post(reverse("opinions:set_open", args=[conversation.pk]), {"open": "1"})

    for persona, sector in ((mette, Sector.MUNICIPALITY), (sofie, Sector.CITIZEN)):
        client = persona.client()
        page = client.get(conversation.get_absolute_url())
        assert "Jeg deltager som" not in text(page) and 'name="value"' in card(page)
        assert "Udsagn 1 af 2" in card(page)
        answer = vote(client, conversation, shown_statement(client, conversation))
        assert answer["Location"] == f"{conversation.get_absolute_url()}#vote-card"  # type: ignore[index]
        participant = Participant.objects.get(conversation=conversation, user=persona.user)
        assert (participant.sector, participant.actor) == (sector, persona.actor)
        assert participant.votes.count() == 1
        assert "Gemt: “Enig” om det forrige udsagn." in card(client.get(conversation.get_absolute_url()))

    visitor = Client()
    refused = card(visitor.get(conversation.get_absolute_url()))
    assert "partnerskab" not in refused and "Jeg deltager som" not in refused
    assert f'<a href="{reverse("account_login")}?next={conversation.get_absolute_url()}">Log ind</a>' in refused
    statement = conversation.statements.first()
    assert statement is not None
    assert vote(visitor, conversation, statement).status_code == 403  # type: ignore[attr-defined]

    # The facilitator (who brought it in) changes it; nobody else may.
    change = reverse("opinions:change", args=[conversation.pk])
    assert f'href="{change}"' in main(mette.client().get(conversation.get_absolute_url()))
    assert f'href="{change}"' not in main(sofie.client().get(conversation.get_absolute_url()))
    assert sofie.client().get(change).status_code == 403
    seed = "Der mangler lys på stien bag skolen om aftenen."
    repeated = "Hallen burde være åben fredag aften!"
    form = {"question": "Fra Polis", "description": "Fortsat her.", "allow_anonymous": "on"}
    refused_seed = text(mette.client().post(change, {**form, "seed_statements": f"{seed}\n{repeated}"}))
    assert "Linje 2 siger næsten det samme som et udsagn, der findes: “Hallen burde være åben fredag aften”." in (
        refused_seed
    )
    assert conversation.statements.count() == 2
    assert mette.client().post(change, {**form, "seed_statements": seed}).status_code == 302
    conversation.refresh_from_db()
    assert conversation.allow_anonymous and conversation.description == "Fortsat her."
    added = conversation.statements.get(text=seed)
    assert added.is_seed and added.author is not None and added.author.user == mette.user

    # People without an account take part now, by the conversation's own address: a public conversation.
    citizen = Client()
    assert "Jeg deltager som" in card(citizen.get(conversation.get_absolute_url()))
    citizen.post(reverse("opinions:sector", args=[conversation.pk]), {"sector": "business"})
    vote(citizen, conversation, shown_statement(citizen, conversation), -1)
    assert Participant.objects.get(conversation=conversation, user=None, cookie_key__gt="").sector == "business"

    # The facilitator moderates, as in a partnership; another participant reads the public log but does not.
    moderation = reverse("opinions:moderation", args=[conversation.pk])
    assert mette.client().get(moderation).status_code == 200
    assert sofie.client().get(moderation).status_code == 200
    hide = reverse("opinions:moderate", args=[conversation.pk, added.pk])
    assert sofie.client().post(hide, {"action": "hide", "reason": "off_topic"}).status_code == 403
    added.refresh_from_db()
    assert not added.is_hidden
    assert mette.client().post(hide, {"action": "hide", "reason": "off_topic"}).status_code == 302
    added.refresh_from_db()
    assert added.is_hidden


def test_someone_signed_in_whose_sector_cannot_be_told_says_it_once(personas: dict[str, Persona]) -> None:
    """Karen has an account but acts for no actor: she is asked her sector, once, among all four. Mette acts for
    the municipality's unit and for the sports club as well: she chooses between those two sectors, each named
    with her actor, and takes part through the one she chose."""
    fie = personas["fie"]
    assert fie.actor is not None
    conversation = services.start_conversation(
        user=fie.user, actor=fie.actor, partnership=None, question="Hvad mangler i byen?", seed_statements=SEEDS
    )
    assert not conversation.allow_anonymous  # signed-in people only, unless the facilitator lets others in
    karen = Client()
    karen.force_login(make_user("karen@example.dk", "Karen Holm"))
    asked = card(karen.get(conversation.get_absolute_url()))
    assert "Jeg deltager som" in asked and 'name="value"' not in asked
    assert all(choice in asked for choice in ("Borger", "Medlem af en forening", "Virksomhed", "Kommunal medarbejder"))
    refused = vote(karen, conversation, conversation.statements.first())  # type: ignore[arg-type]
    assert "Vælg din sektor, før du stemmer." in card(karen.get(refused["Location"]))  # type: ignore[index]
    chosen = karen.post(reverse("opinions:sector", args=[conversation.pk]), {"sector": "citizen"})
    assert chosen["Location"] == f"{conversation.get_absolute_url()}#vote-card"
    assert "samskab_deltager" not in chosen.cookies  # known by her account, not by a cookie
    karens = Participant.objects.get(conversation=conversation, user__email="karen@example.dk")
    assert (karens.sector, karens.actor) == (Sector.CITIZEN, None)
    assert 'name="value"' in card(karen.get(conversation.get_absolute_url()))

    mette, lars = personas["mette"], personas["lars"]
    Membership.objects.create(actor=lars.actor, user=mette.user, role=Membership.Role.MEMBER)
    client = mette.client()
    asked = card(client.get(conversation.get_absolute_url()))
    assert "Kommunal medarbejder (Center for Samskabelse)" in asked
    assert "Medlem af en forening (Vollsmose Boldklub)" in asked and "Virksomhed" not in asked
    assert client.post(reverse("opinions:sector", args=[conversation.pk]), {"sector": "business"}).status_code == 400
    client.post(reverse("opinions:sector", args=[conversation.pk]), {"sector": "association"})
    mettes = Participant.objects.get(conversation=conversation, user=mette.user)
    assert (mettes.sector, mettes.actor) == (Sector.ASSOCIATION, lars.actor)


def test_anyone_acting_for_an_actor_opens_a_public_conversation_found_from_the_menu(
    personas: dict[str, Persona],
) -> None:
    sofie = personas["sofie"]
    listing_url = reverse("opinions:standalone_list")
    front = text(Client().get("/"))
    assert f'<a href="{listing_url}" class="nav-link"><span>Samtaler</span></a>' in front
    assert "Åbn en samtale" not in main(Client().get(listing_url))

    create = reverse("opinions:standalone_create")
    assert f'href="{create}"' in main(sofie.client().get(listing_url))
    form = main(sofie.client().get(create))
    assert 'name="seed_statements"' in form and "Personer uden konto må deltage" in form
    assert 'name="actor"' not in form  # one actor: nothing to choose
    data = {
        "question": "Hvad skal der ske med den gamle skole?",
        "description": "",
        "seed_statements": "\n".join(SEEDS[:2]),
        "allow_anonymous": "on",
    }
    opened = sofie.client().post(create, data)
    conversation = Conversation.objects.get(question=data["question"])
    assert opened["Location"] == conversation.get_absolute_url()
    assert conversation.partnership is None and conversation.allow_anonymous
    assert conversation.created_by_actor == sofie.actor and conversation.statements.count() == 2

    listing = main(Client().get(listing_url))
    assert f'<a href="{conversation.get_absolute_url()}">Hvad skal der ske med den gamle skole?</a>' in listing
    assert "Åben" in listing

    # Someone without an account, straight from the list: their sector once, then the card.
    visitor = Client()
    visitor.post(reverse("opinions:sector", args=[conversation.pk]), {"sector": "citizen"})
    assert vote(visitor, conversation, shown_statement(visitor, conversation)).status_code == 302  # type: ignore[attr-defined]
    assert Participant.objects.filter(conversation=conversation, user=None).count() == 1

    # Nobody opens one without an actor to open it for: told why, and where to create one.
    nobody = Client()
    nobody.force_login(make_user("karen@example.dk", "Karen Holm"))
    explained = main(nobody.get(create))
    assert "Du handler på Samskab gennem en aktør" in explained and reverse("actors:create") in explained
    assert nobody.post(create, data).status_code == 200
    assert Conversation.objects.filter(question=data["question"]).count() == 1

    # With actors of their own in more than one, they choose on whose behalf.
    lars, mette = personas["lars"], personas["mette"]
    Membership.objects.create(actor=mette.actor, user=lars.user, role=Membership.Role.MEMBER)
    assert 'name="actor"' in main(lars.client().get(create))
    lars.client().post(create, {**data, "question": "Hvorfor?", "actor": mette.actor.pk})
    assert Conversation.objects.get(question="Hvorfor?").created_by_actor == mette.actor


# --- 2. What came of it -------------------------------------------------------------------------------------------


def adopt(partnership: Partnership, mette: Persona, statements: list[Statement]) -> None:
    services.save_problem_definition(
        user=mette.user, partnership=partnership, actor=None, text="De unge mangler voksne.", statements=statements
    )
    services.propose_problem_definition(
        user=mette.user, partnership=partnership, actor=None, deadline=timezone.now() + timedelta(days=2)
    )
    Proposal.objects.filter(kind=Proposal.Kind.PROBLEM_DEFINITION).update(
        deadline=timezone.now() - timedelta(seconds=1)
    )
    partnership_services.settle_due_proposals()


def test_what_came_of_it_is_told_only_where_the_definition_builds_on_the_conversation(
    conversation: Conversation, personas: dict[str, Persona]
) -> None:
    partnership = conversation.partnership
    assert partnership is not None
    mette = personas["mette"]
    adopt(partnership, mette, [conversation.statements.get(text=SEEDS[2])])
    fie = personas["fie"]
    later = services.start_conversation(
        user=fie.user, actor=fie.actor, partnership=partnership, question="Og hvad nu?", seed_statements=SEEDS[:1]
    )
    client = mette.client()
    assert "Det kom der ud af" in text(client.get(conversation.get_absolute_url()))
    assert "Det kom der ud af" not in text(client.get(later.get_absolute_url()))
    assert Client().get(f"/api/v1/conversations/{later.pk}/outcome").json() is None
    assert Client().get(f"/api/v1/conversations/{conversation.pk}/outcome").json()["adopted_text"] == (
        "De unge mangler voksne."
    )

    # While the conversation is open the card comes first (on a phone, two screens up); once closed, the outcome.
    page = text(client.get(conversation.get_absolute_url()))
    assert page.index('id="vote-card"') < page.index('id="outcome-heading"')
    fie.client().post(reverse("opinions:set_open", args=[conversation.pk]), {"open": "0"})
    page = text(client.get(conversation.get_absolute_url()))
    assert page.index('id="outcome-heading"') < page.index('id="vote-card"')


# --- 3. A hidden statement posted again ---------------------------------------------------------------------------


def test_a_statement_the_facilitator_hid_cannot_be_posted_again(
    conversation: Conversation, personas: dict[str, Persona]
) -> None:
    spam = "Køb billige solbriller på www.eksempel.dk i dag"
    lars, fie = personas["lars"], personas["fie"]
    write = reverse("opinions:add_statement", args=[conversation.pk])
    lars.client().post(write, {"text": spam})
    statement = conversation.statements.get(text=spam)
    fie.client().post(reverse("opinions:moderate", args=[conversation.pk, statement.pk]), {"reason": "spam"})
    statement.refresh_from_db()
    assert statement.is_hidden

    # A member reads the moderation log, so is told why; the same words in other case and punctuation count.
    again = text(lars.client().post(write, {"text": "KØB billige solbriller på www.eksempel.dk i dag!!"}))
    assert "Facilitatoren har skjult et tilsvarende udsagn. Begrundelse: spam." in again
    # A guest is told it was hidden, not why.
    told = text(guest(conversation).post(write, {"text": spam}))
    assert "Facilitatoren har skjult et tilsvarende udsagn." in told and "Begrundelse" not in told
    # The API refuses it too.
    _token, key = create_api_token(user=lars.user, label="test")
    answer = Client().post(
        f"/api/v1/conversations/{conversation.pk}/statements",
        {"text": spam},
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert answer.status_code == 422 and "Facilitatoren har skjult et tilsvarende udsagn." in answer.json()["detail"]
    assert conversation.statements.filter(normalised=statement.normalised).count() == 1
    # A new point about the same thing is welcome.
    assert lars.client().post(write, {"text": "Der er for meget reklame i samtalen."}).status_code == 302


# --- 4. Plain forms come back to the card ---------------------------------------------------------------------------


def test_without_javascript_a_vote_or_a_refused_statement_comes_back_where_it_was(conversation: Conversation) -> None:
    citizen = guest(conversation)
    page = text(citizen.get(conversation.get_absolute_url()))
    assert f'action="{reverse("opinions:vote", args=[conversation.pk])}#vote-card"' in page
    assert f'action="{reverse("opinions:add_statement", args=[conversation.pk])}#write"' in page
    answer = vote(citizen, conversation, shown_statement(citizen, conversation), 0)
    assert answer["Location"].endswith("#vote-card")  # type: ignore[index]
    # What was saved is said in the card, where the participant lands, and said once.
    back = citizen.get(answer["Location"])  # type: ignore[index]
    assert "Gemt: “Spring over / ved ikke” om det forrige udsagn." in card(back)
    assert text(back).count("Gemt:") == 1
    assert "Gemt:" not in text(citizen.get(conversation.get_absolute_url()))  # and not again on the next page

    refused = text(citizen.post(reverse("opinions:add_statement", args=[conversation.pk]), {"text": " "}))
    write = refused[refused.index('<section id="write"') :]
    assert 'id="error-summary"' in write
    written = citizen.post(reverse("opinions:add_statement", args=[conversation.pk]), {"text": "Der mangler lys."})
    assert written["Location"].endswith("#vote-card")
    assert "Tak. Dit udsagn vises nu for de andre." in card(citizen.get(written["Location"]))


# --- 5. The partnership's name for those who cannot see it ---------------------------------------------------------


def test_a_guest_in_a_members_only_partnership_sees_its_name_without_a_link(
    private_partnership: Partnership, personas: dict[str, Persona]
) -> None:
    fie = personas["fie"]
    conversation = services.start_conversation(
        user=fie.user,
        actor=fie.actor,
        partnership=private_partnership,
        question="Hvorfor?",
        seed_statements=SEEDS,
        allow_anonymous=True,
    )
    partnership_link = f'<a href="{reverse("opinions:list", args=[private_partnership.pk])}">'
    page = main(guest(conversation).get(conversation.get_absolute_url()))
    assert f"<p>{private_partnership.title}</p>" in page and partnership_link not in page
    assert partnership_link in main(personas["lars"].client().get(conversation.get_absolute_url()))


# --- 6. A colleague and the Polis import --------------------------------------------------------------------------


def test_a_colleague_is_not_sent_to_an_import_she_cannot_finish(
    anne: Persona, involvement: Partnership, odense: object
) -> None:
    camilla = Persona(User.objects.get(email="camilla@skole.dk"), anne.actor)
    listing_url = reverse("opinions:list", args=[involvement.pk])
    import_url = reverse("opinions:import")
    assert f"{import_url}?partnerskab={involvement.pk}" in text(anne.client().get(listing_url))
    listing = text(camilla.client().get(listing_url))
    assert "Åbn en samtale" in listing and import_url not in listing

    # Should she get there anyway, the page says why, and asks for no files.
    page = main(camilla.client().get(f"{import_url}?partnerskab={involvement.pk}"))
    assert "Som kollega på Nørreby Skole deltager du i arbejdspladsens egne processer" in page
    assert 'type="file"' not in page
    assert "comments.csv" not in main(camilla.client().post(import_url, {"question": "Fra Polis"}))

    # With an actor of her own, she may bring it in for that actor: not into the staff process.
    actor_services.create_actor(
        user=camilla.user, sector=Sector.CITIZEN, name="Camilla", municipality=odense, neighbourhood=""
    )
    page = main(camilla.client().get(f"{import_url}?partnerskab={involvement.pk}"))
    assert 'type="file"' in page
    assert f"Du deltager i “{involvement.title}” som kollega" in page
    assert f'<option value="{involvement.pk}"' not in page


# --- 7. Words that agree -------------------------------------------------------------------------------------------


def test_labels_and_refusals_say_the_same(conversation: Conversation, personas: dict[str, Persona]) -> None:
    partnership = conversation.partnership
    assert partnership is not None
    mette = personas["mette"].client()
    url = reverse("opinions:problem_definition", args=[partnership.pk])
    page = text(mette.get(url))
    label = re.search(r'<label class="form-label" for="id_deadline">(.*?)</label>', page)
    assert label and label.group(1) == "Frist for indsigelser"  # proposing needs it: not "(frivilligt)"
    seen = re.search(r'name="seen" value="([^"]*)"', page)
    drafted = {"text": "Et udkast.", "seen": seen.group(1) if seen else "", "deadline": ""}
    refused = text(mette.post(url, {**drafted, "action": "propose"}))
    assert "Frist for indsigelser: Vælg en frist for indsigelser." in refused
    assert mette.post(url, {**drafted, "action": "save"}).status_code == 302  # a plain save needs none

    # A question as a label: the summary adds no colon after its question mark.
    statement = conversation.statements.first()
    assert statement is not None
    hide = reverse("opinions:moderate", args=[conversation.pk, statement.pk])
    summary = text(personas["fie"].client().post(hide, {"action": "hide", "reason": ""}))
    assert "Hvorfor skjule det? Vælg, hvorfor udsagnet skjules" in summary and "?:" not in summary

    # The sector in the words it was chosen by.
    citizen = guest(conversation, "municipality")
    again = citizen.post(reverse("opinions:sector", args=[conversation.pk]), {"sector": "citizen"})
    told = card(citizen.get(again["Location"]))
    assert "Du har allerede sagt, at du deltager som kommunal medarbejder; det kan ikke ændres." in told

    # An empty statement is told as the API tells it.
    empty = text(citizen.post(reverse("opinions:add_statement", args=[conversation.pk]), {"text": "  "}))
    assert "Skriv et udsagn, før du sender det." in empty and "Dette felt er påkrævet." not in empty


def test_through_the_api_someone_whose_sector_cannot_be_told_gives_it_with_the_first_act(
    personas: dict[str, Persona],
) -> None:
    """Karen, acting for no actor, votes in a standalone conversation through the API: without a sector she is told
    to choose one, with one she takes part in it, and after that her sector is her participant's."""
    fie = personas["fie"]
    assert fie.actor is not None
    conversation = services.start_conversation(
        user=fie.user, actor=fie.actor, partnership=None, question="Hvad mangler i byen?", seed_statements=SEEDS
    )
    karen = make_user("karen@example.dk", "Karen Holm")
    _token, key = create_api_token(user=karen, label="test")
    headers = {"Authorization": f"Bearer {key}"}
    url = f"/api/v1/conversations/{conversation.pk}/votes"
    first, second = conversation.statements.order_by("pk")[:2]
    client = Client()

    def post(body: dict[str, object]) -> object:
        return client.post(url, body, content_type="application/json", headers=headers)

    untold = post({"statement_id": first.pk, "value": 1})
    assert untold.status_code == 422 and "Vælg hvilken sektor du hører til." in untold.json()["detail"]  # type: ignore[attr-defined]
    assert post({"statement_id": first.pk, "value": 1, "sector": "guild"}).status_code == 422  # type: ignore[attr-defined]
    assert not Participant.objects.filter(conversation=conversation, user=karen).exists()
    assert post({"statement_id": first.pk, "value": 1, "sector": "citizen"}).status_code == 200  # type: ignore[attr-defined]
    assert post({"statement_id": second.pk, "value": -1}).status_code == 200  # type: ignore[attr-defined]
    karens = Participant.objects.get(conversation=conversation, user=karen)
    assert (karens.sector, karens.actor) == (Sector.CITIZEN, None)
    assert sorted(karens.votes.values_list("value", flat=True)) == [-1, 1]
    # A statement of her own in another standalone conversation carries a sector the same way.
    other = services.start_conversation(
        user=fie.user, actor=fie.actor, partnership=None, question="Hvad savner du?", seed_statements=SEEDS
    )
    written = client.post(
        f"/api/v1/conversations/{other.pk}/statements",
        {"text": "Der mangler bænke langs åen.", "sector": "business"},
        content_type="application/json",
        headers=headers,
    )
    assert written.status_code == 201
    assert Participant.objects.get(conversation=other, user=karen).sector == Sector.BUSINESS


def test_the_api_lists_the_public_conversations_open_ones_first(
    personas: dict[str, Persona], conversation: Conversation
) -> None:
    """The public list at /samtaler/ through the API: standalone conversations only (not the partnership's
    `conversation`), open ones first."""
    fie = personas["fie"]
    assert fie.actor is not None
    older, newer = (
        services.start_conversation(
            user=fie.user, actor=fie.actor, partnership=None, question=question, seed_statements=SEEDS
        )
        for question in ("Hvad mangler i byen?", "Hvad savner du ved havnen?")
    )
    Conversation.objects.filter(pk=newer.pk).update(is_open=False)
    listed = Client().get("/api/v1/conversations").json()
    assert [c["question"] for c in listed["items"]] == [older.question, newer.question]
    assert listed["count"] == 2 and {c["partnership_id"] for c in listed["items"]} == {None}


def test_a_question_reworded_after_votes_says_so_and_what_it_first_read(personas: dict[str, Persona]) -> None:
    """Fie rewords her question before anyone votes: nothing to tell. After Sofie has voted, a new wording could
    make the votes answer something else: the conversation, its map and the API say when, and what it first read,
    through later changes too."""
    fie, sofie = personas["fie"], personas["sofie"]
    assert fie.actor is not None
    conversation = services.start_conversation(
        user=fie.user, actor=fie.actor, partnership=None, question="Hvad mangler i byen?", seed_statements=SEEDS
    )
    change = reverse("opinions:change", args=[conversation.pk])

    def reword(question: str) -> None:
        response = fie.client().post(change, {"question": question, "description": ""})
        assert response.status_code == 302, response.content.decode()

    reword("Hvad mangler der i byen?")
    conversation.refresh_from_db()
    assert (conversation.earlier_question, conversation.question_changed_at) == ("", None)
    assert "Spørgsmålet blev ændret" not in text(Client().get(conversation.get_absolute_url()))

    vote(sofie.client(), conversation, conversation.statements.first())  # type: ignore[arg-type]
    reword("Hvad mangler der i midtbyen?")
    reword("Hvad mangler der i midtbyen om aftenen?")
    told = "efter at der var stemt. Først lød det: “Hvad mangler der i byen?”"
    for url in (conversation.get_absolute_url(), reverse("opinions:results", args=[conversation.pk])):
        assert told in text(Client().get(url))
    api = Client().get(f"/api/v1/conversations/{conversation.pk}").json()
    assert api["question"] == "Hvad mangler der i midtbyen om aftenen?"
    assert api["earlier_question"] == "Hvad mangler der i byen?" and api["question_changed_at"] is not None


def test_conversations_are_opened_through_the_api_as_through_the_form(
    personas: dict[str, Persona], partnership: Partnership, involvement: Partnership, anne: Persona
) -> None:
    """Fie opens a public conversation and one in her partnership through the API, checked as the page's form
    checks them; bad seeds are refused by number and nothing is opened; the same question again is a 409."""
    fie = personas["fie"]
    _token, key = create_api_token(user=fie.user, label="test")
    client = Client(headers={"Authorization": f"Bearer {key}"})

    def post(url: str, body: dict[str, object]) -> Any:
        return client.post(url, body, content_type="application/json")

    before = Conversation.objects.count()
    bad = post("/api/v1/conversations", {"question": "Hvad mangler i byen?", "seed_statements": [SEEDS[0], "Kort"]})
    assert bad.status_code == 422 and "Linje 2" in bad.json()["detail"]
    assert (
        post("/api/v1/conversations", {"question": "Hvad?", "seed_statements": ["To\nlinjer i ét"]}).status_code == 422
    )
    assert Conversation.objects.count() == before

    opened = post("/api/v1/conversations", {"question": "Hvad mangler i byen?", "seed_statements": SEEDS[:2]})
    assert opened.status_code == 201 and opened.json()["partnership_id"] is None
    conversation = Conversation.objects.get(pk=opened.json()["id"])
    assert (conversation.created_by_actor, conversation.statements.count()) == (fie.actor, 2)
    again = post("/api/v1/conversations", {"question": "Hvad mangler i byen?"})
    assert again.status_code == 409 and again.json()["existing"]["id"] == conversation.pk

    inside = post(f"/api/v1/partnerships/{partnership.pk}/conversations", {"question": "Hvad er problemet?"})
    assert inside.status_code == 201 and inside.json()["partnership_id"] == partnership.pk
    # Not a member of the school's staff process: refused; nor does a staff conversation take people by link.
    assert post(f"/api/v1/partnerships/{involvement.pk}/conversations", {"question": "Hvad?"}).status_code in (403, 404)
    _token, anne_key = create_api_token(user=anne.user, label="test")
    staff = Client(headers={"Authorization": f"Bearer {anne_key}"}).post(
        f"/api/v1/partnerships/{involvement.pk}/conversations",
        {"question": "Hvordan får praksisfagene mere plads?", "allow_anonymous": True},
        content_type="application/json",
    )
    assert staff.status_code == 422 and not involvement.conversations.exists()
    assert (
        Client().post("/api/v1/conversations", {"question": "Hvad?"}, content_type="application/json").status_code
        == 401
    )
