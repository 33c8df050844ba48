"""Conversations after a review in the browser: a public conversation's moderation log that only its opener could
read, a hidden statement let back in with one letter changed, a guest counted twice after logging in, the Back
button opening a conversation twice, people counted in a sector without being told, a conversation that never said
who runs it, counts that disagreed, Danish that read wrong, and a download that answered a bare 404."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samskab.accounts.models import Notification
from samskab.accounts.services import create_api_token
from samskab.actors.models import Membership, Sector
from samskab.opinions import services
from samskab.opinions.models import Conversation, Participant, Statement, Vote
from samskab.partnerships.models import Partnership

from ..conftest import PASSWORD, Persona, at_the_same_instant
from .pages import card, main, text, vote

SEEDS = [
    "De unge keder sig, fordi der ikke er noget at lave om aftenen.",
    "Problemet er utryghed for de ældre, der går forbi.",
    "De unge mangler voksne, de stoler på.",
]
HIDDEN = "Der er ikke for få voksne i gaderne om aftenen."


def open_conversation(
    persona: Persona, *, question: str = "Hvad skal der ske på torvet?", **kwargs: object
) -> Conversation:
    assert persona.actor is not None
    return services.start_conversation(
        user=persona.user,
        actor=persona.actor,
        partnership=None,
        question=question,
        seed_statements=kwargs.pop("seeds", SEEDS),  # type: ignore[arg-type]
        allow_anonymous=kwargs.pop("allow_anonymous", True),  # type: ignore[arg-type]
    )


def guest(conversation: Conversation, sector: str = "citizen") -> Client:
    """Someone without an account who has said their sector on the conversation's card."""
    client = Client()
    client.post(reverse("opinions:sector", args=[conversation.pk]), {"sector": sector})
    return client


def write(client: Client, conversation: Conversation, statement: str) -> object:
    return client.post(reverse("opinions:add_statement", args=[conversation.pk]), {"text": statement})


def log_in(client: Client, persona: Persona) -> None:
    """Through the login form, as a person does: the browser's cookies stay."""
    answer = client.post(reverse("account_login"), {"login": persona.user.email, "password": PASSWORD})
    assert answer.status_code == 302, "logged in"


# --- 1. A public conversation's moderation log is public ---------------------------------------------------------


def test_everyone_reads_a_public_conversations_moderation_log(
    personas: dict[str, Persona], partnership: Partnership
) -> None:
    """Sofie opened a public conversation; Jens writes a statement she hides as a duplicate. Lars, who only takes
    part, and a visitor without an account read the log, the hidden words and why, where before only Sofie could.
    Nothing there speaks of members, of whom a public conversation has none, and Sofie, who acts as herself, is
    named once. A partnership's log stays its members'."""
    sofie, lars, jens = personas["sofie"], personas["lars"], personas["jens"]
    conversation = open_conversation(sofie)
    assert write(jens.client(), conversation, HIDDEN).status_code == 302  # type: ignore[attr-defined]
    statement = conversation.statements.get(text=HIDDEN)
    log_url = reverse("opinions:moderation", args=[conversation.pk])

    facilitator_page = main(sofie.client().get(log_url))
    assert "Bemærkning til alle" in facilitator_page and "medlem" not in facilitator_page
    hide = reverse("opinions:moderate", args=[conversation.pk, statement.pk])
    note = "Samme som det første udsagn."
    assert sofie.client().post(hide, {"action": "hide", "reason": "duplicate", "note": note}).status_code == 302

    for reader in (lars.client(), Client(), guest(conversation)):
        response = reader.get(log_url)
        assert response.status_code == 200
        assert response["X-Robots-Tag"] == "noindex"  # the hidden words are not carried further by search engines
        log = main(response)
        assert HIDDEN in log and f"Dublet af et andet udsagn: {note}" in log
        assert "så alle kan se dem" in log and "medlem" not in log
        assert "udsagn, der nævner eller angriber en person" in log  # every reason the page offers, said
        assert "<td>Sofie Andersen</td>" in log  # not "Sofie Andersen, Sofie Andersen"
        assert 'name="reason"' not in log  # reading is not moderating
        assert f'href="{log_url}"' in main(reader.get(conversation.get_absolute_url()))
    assert lars.client().post(hide, {"action": "restore"}).status_code == 403

    # In a partnership the log is for its members, and so is the link to it.
    fie = personas["fie"]
    inside = services.start_conversation(
        user=fie.user, actor=fie.actor, partnership=partnership, question="Hvorfor?", seed_statements=SEEDS
    )
    inside_log = reverse("opinions:moderation", args=[inside.pk])
    assert Client().get(inside_log).status_code == 403
    assert personas["nora"].client().get(inside_log).status_code == 403
    assert lars.client().get(inside_log).status_code == 200
    assert f'href="{inside_log}"' not in main(Client().get(inside.get_absolute_url()))
    member_page = main(fie.client().get(inside_log))
    assert "Bemærkning til medlemmerne" in member_page and "så alle medlemmer kan se dem" in member_page


# --- 2. A hidden statement does not come back with a letter changed ------------------------------------------------


def test_a_hidden_statement_does_not_come_back_with_a_letter_changed(personas: dict[str, Persona]) -> None:
    """Sofie hides Jens's statement. Lars writes it again without the Danish letters ("faa"): refused as the
    hidden statement, with Sofie's reason, as everyone may read the log of a public conversation. The first wording
    is refused the same way, not as a duplicate of a re-post, and so is a seed added in the edit form and the same
    through the API. Jens is told in Danish that reads right. A statement that says the opposite is welcome."""
    sofie, lars, jens = personas["sofie"], personas["lars"], personas["jens"]
    conversation = open_conversation(sofie)
    write(jens.client(), conversation, HIDDEN)
    statement = conversation.statements.get(text=HIDDEN)
    hide = reverse("opinions:moderate", args=[conversation.pk, statement.pk])
    sofie.client().post(hide, {"action": "hide", "reason": "off_topic"})

    told = Notification.objects.get(user=jens.user, kind="moderation")
    assert "Facilitatoren skjulte dit udsagn “Der er ikke for få voksne i gaderne om aftenen”. Begrundelse:" in (
        told.text
    )
    assert ".”." not in told.text
    assert told.url == reverse("opinions:moderation", args=[conversation.pk])  # the log he may now read

    client = lars.client()
    for again in (
        "Der er ikke for faa voksne i gaderne om aftenen.",
        HIDDEN,
        "Der er ikke for få voksne i gaderne om aftnen",
    ):
        refused = text(write(client, conversation, again))
        assert "Facilitatoren har skjult et tilsvarende udsagn. Begrundelse: uden for emnet." in refused
        assert "Der findes allerede et udsagn" not in refused
    visible = conversation.statements.exclude(moderation=Statement.Moderation.HIDDEN)
    assert not visible.filter(normalised__contains="voksne i gaderne om aftenen").exists()

    _token, key = create_api_token(user=lars.user, label="test")
    answer = Client().post(
        f"/api/v1/conversations/{conversation.pk}/statements",
        {"text": "Der er ikke for faa voksne i gaderne om aftenen!"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert answer.status_code == 422 and "Facilitatoren har skjult et tilsvarende udsagn." in answer.json()["detail"]

    # The edit form's seeds: the hidden one refused with a letter changed too; a shown one quoted without ".”.".
    change = reverse("opinions:change", args=[conversation.pk])
    form = {"question": conversation.question, "description": "", "allow_anonymous": "on"}
    seeds = "Der er ikke for faa voksne i gaderne om aftenen\nDe unge mangler voksne de stoler paa"
    refused_seeds = text(sofie.client().post(change, {**form, "seed_statements": seeds}))
    assert "Linje 1 gentager et udsagn, som facilitatoren har skjult." in refused_seeds
    assert "Linje 2 siger næsten det samme som et udsagn, der findes: “De unge mangler voksne, de stoler på”." in (
        refused_seeds
    )
    assert ".”." not in refused_seeds

    # Saying the opposite is a new statement.
    assert write(client, conversation, "Der er for få voksne i gaderne om aftenen.").status_code == 302  # type: ignore[attr-defined]


# --- 3. A guest who logs in is one participant --------------------------------------------------------------------


def claim(client: Client, conversation: Conversation, answer: str = "mine") -> str:
    """Says whether the answers the browser gave as a guest were theirs; the card it comes back to."""
    return card(client.post(reverse("opinions:claim_guest", args=[conversation.pk]), {"answer": answer}, follow=True))


def test_a_guest_who_logs_in_keeps_their_answers_and_is_counted_once(personas: dict[str, Persona]) -> None:
    """Lars takes part as a guest ("Borger") and votes on every statement, then logs in on the same browser. He is
    asked whether those answers were his, and sees none of them until he says so; then he is not asked his sector
    again, his answers are his, and he cannot vote on them all a second time: the conversation counts one
    participant and his three votes. Logged out again, the browser is a new guest who does not see Lars's
    answers."""
    sofie, lars = personas["sofie"], personas["lars"]
    conversation = open_conversation(sofie)
    browser = guest(conversation)
    for statement in conversation.statements.all():
        vote(browser, conversation, statement)
    assert "Du har taget stilling til alle 3 udsagn. Tak!" in card(browser.get(conversation.get_absolute_url()))

    log_in(browser, lars)
    asked = card(browser.get(conversation.get_absolute_url()))
    assert "fra denne browser, uden en konto, og gav 3 svar. Var det dig?" in asked
    assert 'name="value"' not in asked and "Dine 3 svar" not in asked  # nothing to vote on, nothing of theirs shown
    held = card(
        browser.post(reverse("opinions:vote", args=[conversation.pk]), {"statement": 1, "value": 1}, follow=True)
    )
    assert "Sig først, om svarene" in held
    assert not Participant.objects.filter(conversation=conversation, user=lars.user).exists()
    after = claim(browser, conversation)
    assert "Svarene fra før du loggede ind er nu dine." in after
    assert "Jeg deltager som" not in after and 'name="value"' not in after
    assert "Du har taget stilling til alle 3 udsagn. Tak!" in after and "Dine 3 svar" in after
    participant = Participant.objects.exclude(user=sofie.user).get(conversation=conversation)  # one, not two
    assert (participant.user, participant.sector, participant.cookie_key) == (lars.user, Sector.CITIZEN, "")
    assert participant.actor is None  # Lars acts for no citizen actor
    statement = conversation.statements.first()
    assert statement is not None
    vote(browser, conversation, statement, -1)  # changes his answer
    assert Vote.objects.filter(statement__conversation=conversation).count() == 3
    assert participant.votes.get(statement=statement).value == -1

    browser.post(reverse("account_logout"))
    stranger = card(browser.get(conversation.get_absolute_url()))
    assert "Jeg deltager som" in stranger and "Dine 3 svar" not in stranger


def test_a_guest_who_logs_in_as_a_member_takes_part_through_their_member_actor(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    """In a partnership's conversation open to the link, Mette votes as a guest and says "Borger", then logs in:
    she is a member, so her answers are her member actor's, in its sector, as if she had signed in first."""
    mette, fie = personas["mette"], personas["fie"]
    assert fie.actor is not None and mette.actor is not None
    conversation = services.start_conversation(
        user=fie.user,
        actor=fie.actor,
        partnership=partnership,
        question="Hvad skal der ske på torvet?",
        seed_statements=SEEDS,
        allow_anonymous=True,
    )
    browser = Client()
    browser.get(conversation.get_link_url())
    browser.post(reverse("opinions:sector", args=[conversation.pk]), {"sector": "citizen"})
    vote(browser, conversation, conversation.statements.first())  # type: ignore[arg-type]
    log_in(browser, mette)
    assert "Jeg deltager som" not in claim(browser, conversation)
    participant = Participant.objects.get(conversation=conversation, user=mette.user)
    assert (participant.actor, participant.sector) == (mette.actor, Sector.MUNICIPALITY)
    assert participant.votes.count() == 1
    assert not Participant.objects.filter(conversation=conversation, user=None).exists()


def test_a_guest_who_had_taken_part_with_their_account_is_folded_into_it(personas: dict[str, Persona]) -> None:
    """Lars voted with his account on the first statement; on another browser, as a guest, he votes on all three
    and writes a statement. When he logs in there and says the answers were his, his own participant stays (his
    sector) and takes the guest's answers and statement, the later answer on the first statement counting, as the
    page promises; the guest is gone. He alone cannot lift a statement over the floor of three voters."""
    sofie, lars = personas["sofie"], personas["lars"]
    conversation = open_conversation(sofie)
    first, second, third = conversation.statements.order_by("pk")
    vote(lars.client(), conversation, first, 1)
    own = Participant.objects.get(conversation=conversation, user=lars.user)
    assert own.sector == Sector.ASSOCIATION

    browser = guest(conversation, "business")
    for statement, value in ((first, -1), (second, -1), (third, 0)):
        vote(browser, conversation, statement, value)
    write(browser, conversation, "Der mangler en bænk ved busstoppestedet.")
    assert conversation.participants.exclude(user=sofie.user).count() == 2

    log_in(browser, lars)
    claim(browser, conversation)
    assert list(conversation.participants.exclude(user=sofie.user)) == [own]
    own.refresh_from_db()
    assert own.sector == Sector.ASSOCIATION and own.cookie_key == ""
    answers = dict(own.votes.values_list("statement__text", "value"))
    assert answers == {
        first.text: -1,  # the later of his two answers
        second.text: -1,
        third.text: 0,
        "Der mangler en bænk ved busstoppestedet.": 1,
    }
    assert conversation.statements.get(text__startswith="Der mangler en bænk").author == own
    assert not services.enough_voters(conversation)  # one person, however many browsers


@pytest.mark.django_db(transaction=True)
def test_two_tabs_saying_the_answers_were_theirs_at_once_make_one_participant(personas: dict[str, Persona]) -> None:
    """Two tabs, each saying "yes, it was me" the moment Lars has logged in, then voting: one participant, his,
    with the guest's vote and both new ones."""
    sofie, lars = personas["sofie"], personas["lars"]
    conversation = open_conversation(sofie)
    first, second, third = conversation.statements.order_by("pk")
    browser = guest(conversation)
    vote(browser, conversation, first)
    log_in(browser, lars)
    tabs = [Client(), Client()]
    for tab in tabs:
        tab.cookies = browser.cookies
    url = reverse("opinions:claim_guest", args=[conversation.pk])
    outcomes = at_the_same_instant(
        [lambda: tabs[0].post(url, {"answer": "mine"}), lambda: tabs[1].post(url, {"answer": "mine"})]
    )
    assert all(getattr(outcome, "status_code", None) == 302 for outcome in outcomes), outcomes
    vote(tabs[0], conversation, second)
    vote(tabs[1], conversation, third, -1)
    participant = Participant.objects.exclude(user=sofie.user).get(conversation=conversation)
    assert participant.user == lars.user and participant.votes.count() == 3


def test_someone_else_on_a_shared_browser_does_not_take_the_guest_s_answers(personas: dict[str, Persona]) -> None:
    """A citizen answers on the library's computer without an account; Lars logs in on it afterwards. He says the
    answers were someone else's: he never sees them, takes part with his own, and the guest's stay the guest's,
    for the guest to carry on with once Lars has logged out."""
    sofie, lars = personas["sofie"], personas["lars"]
    conversation = open_conversation(sofie)
    first, second, _third = conversation.statements.order_by("pk")
    library = guest(conversation)
    vote(library, conversation, first, -1)
    stranger = Participant.objects.get(conversation=conversation, user=None)
    page = library.get(conversation.get_absolute_url()).content.decode()
    assert f'href="/konto/login/?next=/samtaler/{conversation.pk}/"' in page  # back here after logging in

    log_in(library, lars)
    asked = library.get(conversation.get_absolute_url()).content.decode()
    assert 'id="write"' not in asked  # nothing to write into while the question waits: it would be lost
    after = claim(library, conversation, "not_mine")
    assert "De forbliver den andens" in after and "Var det dig?" not in after
    assert "Dine" not in after  # none of the guest's answers shown
    vote(library, conversation, first, 1)
    own = Participant.objects.get(conversation=conversation, user=lars.user)
    assert own.pk != stranger.pk and own.votes.get().value == 1
    stranger.refresh_from_db()
    assert stranger.user is None and stranger.votes.get().value == -1
    assert "Var det dig?" not in card(library.get(conversation.get_absolute_url()))  # asked once a session

    library.post(reverse("account_logout"))
    vote(library, conversation, second)  # the guest carries on
    assert stranger.votes.count() == 2


# --- 4. The Back button does not open a conversation twice ----------------------------------------------------------


def test_the_same_question_sent_again_a_moment_later_opens_no_second_conversation(
    personas: dict[str, Persona], partnership: Partnership
) -> None:
    """Sofie opens a conversation, goes back and sends the form again: she is pointed to the one she opened, with
    what she typed still in the form. Ten minutes later the same question is a new conversation. In a partnership
    the same holds."""
    sofie = personas["sofie"]
    create = reverse("opinions:standalone_create")
    data = {
        "question": "Hvad skal der ske med den gamle skole?",
        "description": "Skolen lukker til sommer.",
        "seed_statements": "\n".join(SEEDS),
    }
    assert sofie.client().post(create, data).status_code == 302
    first = Conversation.objects.get()
    again = sofie.client().post(create, {**data, "question": "hvad skal der ske med den gamle skole"})
    assert again.status_code == 200
    page = main(again)
    assert "Du åbnede samme spørgsmål for lidt siden." in page
    assert f'<a href="{first.get_absolute_url()}">Gå til den samtale, du åbnede</a>' in page
    assert 'value="hvad skal der ske med den gamle skole"' in page and SEEDS[1] in page
    assert Conversation.objects.count() == 1

    Conversation.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(minutes=11))
    assert sofie.client().post(create, data).status_code == 302
    assert Conversation.objects.count() == 2

    fie = personas["fie"]
    inside = reverse("opinions:create", args=[partnership.pk])
    assert fie.client().post(inside, data).status_code == 302
    assert "Du åbnede samme spørgsmål for lidt siden." in main(fie.client().post(inside, data))
    assert partnership.conversations.count() == 1


# --- 6. Told which sector one is counted in --------------------------------------------------------------------


def test_someone_acting_for_an_actor_is_told_their_sector_and_may_take_part_as_a_citizen(
    personas: dict[str, Persona], anne: Persona, omar: Persona
) -> None:
    """Omar teaches at Nørreby Skole and acts for it. On a public conversation the card tells him, before his first
    vote, that he takes part as a municipal employee for the school, and lets him take part as a private person
    instead. He does, and is counted as a citizen. Anne votes straight away and is counted for the school. Sofie,
    a citizen acting as herself, has nothing else to choose; Mette, with actors of two sectors, may also choose to
    be a citizen."""
    sofie = personas["sofie"]
    conversation = open_conversation(personas["fie"], allow_anonymous=False)
    omars = omar.client()
    before = card(omars.get(conversation.get_absolute_url()))
    assert "Du deltager som kommunal medarbejder (Nørreby Skole)." in before
    assert "Deltag i stedet som borger (privatperson)" in before and 'name="value"' in before
    assert before.index("Du deltager som") < before.index('name="value"')
    chosen = omars.post(reverse("opinions:sector", args=[conversation.pk]), {"sector": "citizen"})
    assert chosen["Location"] == f"{conversation.get_absolute_url()}#vote-card"
    participant = Participant.objects.get(conversation=conversation, user=omar.user)
    assert (participant.sector, participant.actor) == (Sector.CITIZEN, None)
    after = card(omars.get(conversation.get_absolute_url()))
    assert "Du deltager som" not in after and "privatperson" not in after

    vote(anne.client(), conversation, conversation.statements.first())  # type: ignore[arg-type]
    annes = Participant.objects.get(conversation=conversation, user=anne.user)
    assert (annes.sector, annes.actor) == (Sector.MUNICIPALITY, omar.actor)

    own = card(sofie.client().get(conversation.get_absolute_url()))
    assert "Du deltager som borger (Sofie Andersen)." in own and "privatperson" not in own

    mette, lars = personas["mette"], personas["lars"]
    Membership.objects.create(actor=lars.actor, user=mette.user, role=Membership.Role.MEMBER)
    asked = card(mette.client().get(conversation.get_absolute_url()))
    assert "Borger (som privatperson)" in asked and "Medlem af en forening (Vollsmose Boldklub)" in asked
    mette.client().post(reverse("opinions:sector", args=[conversation.pk]), {"sector": "citizen"})
    assert Participant.objects.get(conversation=conversation, user=mette.user).sector == Sector.CITIZEN
    # Not as a business, which none of her actors is.
    other = open_conversation(sofie, question="Og hvad så?")
    refused = mette.client().post(reverse("opinions:sector", args=[other.pk]), {"sector": "business"})
    assert refused.status_code == 400 and not other.participants.filter(user=mette.user).exists()


# --- 7. Who opened it, who moderates it ------------------------------------------------------------------------


def test_a_public_conversation_says_who_opened_it_and_who_facilitates_it(
    personas: dict[str, Persona], anne: Persona
) -> None:
    """Anne opens a conversation for Nørreby Skole; Sofie opens one as herself. The list and each page name the
    opening actor and the person who facilitates and moderates it, Sofie once. The list reads the same number of
    queries however many conversations it shows."""
    schools = open_conversation(anne, question="Hvad skal skolegården bruges til?")
    sofies = open_conversation(personas["sofie"])
    listing = main(Client().get(reverse("opinions:standalone_list")))
    assert "Åbnet af Nørreby Skole · Facilitator: Anne Lindholm" in listing
    assert "Åbnet og faciliteret af Sofie Andersen" in listing
    assert "Åbnet af Nørreby Skole · Facilitator: Anne Lindholm" in main(Client().get(schools.get_absolute_url()))
    assert "Åbnet og faciliteret af Sofie Andersen" in main(Client().get(sofies.get_absolute_url()))

    with CaptureQueriesContext(connection) as two:
        Client().get(reverse("opinions:standalone_list"))
    for n in range(3):
        open_conversation(personas["lars"], question=f"Spørgsmål {n}?")
    with CaptureQueriesContext(connection) as five:
        Client().get(reverse("opinions:standalone_list"))
    assert len(five) == len(two)


# --- 8. Counts that say what they count -------------------------------------------------------------------------


def test_counts_say_what_they_count(personas: dict[str, Persona]) -> None:
    """A conversation without statements invites the first rather than thanking for "all 0". The list counts those
    who have voted, not the opener for writing seeds, in words that do not pretend to be the map's count."""
    sofie = personas["sofie"]
    empty = open_conversation(sofie, question="Hvad savner du?", seeds=[])
    said = card(sofie.client().get(empty.get_absolute_url()))
    assert "Der er ingen udsagn endnu." in said and '<a href="#write">Skriv det første</a>' in said
    assert "alle 0" not in said

    seeded = open_conversation(sofie)
    listing = main(Client().get(reverse("opinions:standalone_list")))
    assert "Ingen har stemt endnu" in listing and "1 deltager" not in listing
    for sector in ("citizen", "business"):
        citizen = guest(seeded, sector)
        vote(citizen, seeded, seeded.statements.first())  # type: ignore[arg-type]
    guest(seeded)  # chose a sector, never voted
    listing = main(Client().get(reverse("opinions:standalone_list")))
    assert "2 har stemt" in listing and "deltagere" not in listing


# --- 9. Danish that reads right -------------------------------------------------------------------------------------


def test_the_link_box_says_what_is_true_and_goes_when_the_conversation_closes(
    personas: dict[str, Persona], partnership: Partnership
) -> None:
    """On a public conversation the conversation's own address is the link, for guests of every sector: the box
    says so, and goes once Sofie closes the conversation. A partnership's link goes too when it closes."""
    sofie = personas["sofie"]
    conversation = open_conversation(sofie)
    page = main(sofie.client().get(conversation.get_absolute_url()))
    assert "Alle kan deltage via samtalens adresse, også uden konto:" in page
    assert f"http://testserver{conversation.get_absolute_url()}</span>" in page
    assert "Borgere kan deltage" not in page and conversation.link_token not in page
    members_only = open_conversation(sofie, question="Kun med konto?", allow_anonymous=False)
    assert "Alle med en konto kan deltage via samtalens adresse:" in main(
        sofie.client().get(members_only.get_absolute_url())
    )
    sofie.client().post(reverse("opinions:set_open", args=[conversation.pk]), {"open": "0"})
    closed = main(sofie.client().get(conversation.get_absolute_url()))
    assert "kan deltage via" not in closed and 'id="citizen-link"' not in closed

    fie = personas["fie"]
    inside = services.start_conversation(
        user=fie.user, actor=fie.actor, partnership=partnership, question="Hvorfor?", allow_anonymous=True
    )
    assert 'id="citizen-link"' in main(fie.client().get(inside.get_absolute_url()))
    fie.client().post(reverse("opinions:set_open", args=[inside.pk]), {"open": "0"})
    assert 'id="citizen-link"' not in main(fie.client().get(inside.get_absolute_url()))


def test_a_sector_that_has_not_voted_is_invited_in_the_accented_imperative(personas: dict[str, Persona]) -> None:
    """Three guests vote, no one from the municipality: the results ask to invite them with "Invitér", as every
    other invitation in Samskab does."""
    conversation = open_conversation(personas["sofie"])
    for sector in ("citizen", "association", "business"):
        client = guest(conversation, sector)
        for statement in conversation.statements.all():
            vote(client, conversation, statement)
    services.compute_map(conversation)
    page = main(Client().get(reverse("opinions:results", args=[conversation.pk])))
    assert "Invitér dem med." in page and "Inviter " not in page


# --- 10. Downloads before the floor -------------------------------------------------------------------------------


def test_the_results_downloads_explain_why_they_wait_for_voters(personas: dict[str, Persona]) -> None:
    """Before three have voted, the spreadsheet and the CSV send the visitor back with the reason, as the Polis
    export does, rather than a bare 404. After, they are downloaded."""
    conversation = open_conversation(personas["sofie"])
    for fmt in ("xlsx", "csv"):
        client = Client()
        answer = client.get(reverse("opinions:results_export", args=[conversation.pk, fmt]))
        assert answer.status_code == 302 and answer["Location"] == conversation.get_absolute_url()
        told = main(client.get(answer["Location"]))
        assert "Downloadet er klar, når mindst 3 har stemt, så ingens stemmer kan" in told
    polis = Client().get(reverse("opinions:export", args=[conversation.pk]))
    assert polis.status_code == 302 and polis["Location"] == conversation.get_absolute_url()

    for sector in ("citizen", "association", "business"):
        client = guest(conversation, sector)
        for statement in conversation.statements.all():
            vote(client, conversation, statement)
    services.compute_map(conversation)
    spreadsheet = Client().get(reverse("opinions:results_export", args=[conversation.pk, "xlsx"]))
    assert spreadsheet.status_code == 200 and re.search(r"resultater\.xlsx", spreadsheet["Content-Disposition"])
