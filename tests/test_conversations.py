"""Defining the problem together: conversations, statements, votes, moderation, maps, Polis in and out."""

import io
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from functools import partial
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from sklearn.metrics import adjusted_rand_score

from samskab.actors.models import Membership, Sector
from samskab.opinions import exchange, polis_io, services
from samskab.opinions.mapping import compute_opinion_map
from samskab.opinions.models import Conversation, ModerationEntry, OpinionMapSnapshot, Participant, Statement, Vote
from samskab.opinions.views import COOKIE
from samskab.partnerships.models import Partnership

from .conftest import Persona, at_the_same_instant

POLIS = Path(settings.BASE_DIR).parent / "shared" / "data" / "polis" / "opendata"
SEEDS = [
    "De unge keder sig, fordi der ikke er noget at lave om aftenen.",
    "Problemet er utryghed for de ældre, der går forbi.",
    "De unge mangler voksne, de stoler på.",
    "Hallen burde være åben fredag aften.",
]


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


def card_statement(client: Client, conversation: Conversation, query: str = "") -> Statement | None:
    html = client.get(conversation.get_absolute_url() + query).content.decode()
    for statement in conversation.statements.all():
        if f'name="statement" value="{statement.pk}"' in html:
            return statement
    return None


def test_members_vote_one_card_at_a_time_until_all_are_answered(
    conversation: Conversation, personas: dict[str, Persona]
) -> None:
    client = personas["lars"].client()
    seen = []
    for _ in SEEDS:
        statement = card_statement(client, conversation)
        assert statement is not None and statement.pk not in seen
        seen.append(statement.pk)
        assert (
            client.post(
                reverse("opinions:vote", args=[conversation.pk]), {"statement": statement.pk, "value": 1}
            ).status_code
            == 302
        )
    assert card_statement(client, conversation) is None
    participant = Participant.objects.get(user=personas["lars"].user)
    assert participant.sector == "association"
    assert Vote.objects.filter(participant=participant).count() == len(SEEDS)


def test_a_participant_sees_their_answers_and_changes_one(
    conversation: Conversation, personas: dict[str, Persona]
) -> None:
    client = personas["lars"].client()
    vote_url = reverse("opinions:vote", args=[conversation.pk])
    first, second = card_statement(client, conversation), None
    assert first is not None
    client.post(vote_url, {"statement": first.pk, "value": 1})
    second = card_statement(client, conversation)
    assert second is not None
    client.post(vote_url, {"statement": second.pk, "value": 0}, headers={"HX-Request": "true"})

    # Under the card: both answers, latest first, each with a link to change it.
    html = client.get(conversation.get_absolute_url()).content.decode()
    assert "Dine 2 svar" in html
    answers = re.findall(r"<li>(.*?) — <strong>(.*?)</strong>", html)
    assert answers == [(second.text, "Spring over / ved ikke"), (first.text, "Enig")]
    change = f"{conversation.get_absolute_url()}?udsagn={first.pk}#vote-card"
    assert f'<a href="{change}">Skift' in html

    # The link opens the answered card, which says what the answer is; answering again changes it.
    assert card_statement(client, conversation, query=f"?udsagn={first.pk}") == first
    again = client.get(conversation.get_absolute_url(), {"udsagn": first.pk}).content.decode()
    assert "Du har svaret “Enig”. Vælg igen for at ændre dit svar." in again
    client.post(vote_url, {"statement": first.pk, "value": -1})
    participant = Participant.objects.get(user=personas["lars"].user)
    assert dict(Vote.objects.filter(participant=participant).values_list("statement_id", "value")) == {
        first.pk: -1,
        second.pk: 0,
    }
    # Someone who has not answered anything has no list.
    assert "svar</summary>" not in personas["sofie"].client().get(conversation.get_absolute_url()).content.decode()


def test_voting_twice_changes_the_vote_and_never_duplicates(
    conversation: Conversation, personas: dict[str, Persona]
) -> None:
    client = personas["jens"].client()
    statement = conversation.statements.first()
    url = reverse("opinions:vote", args=[conversation.pk])
    client.post(url, {"statement": statement.pk, "value": 1})
    client.post(url, {"statement": statement.pk, "value": -1})
    assert list(Vote.objects.filter(statement=statement).values_list("value", flat=True)) == [-1]


def test_htmx_vote_returns_the_next_card_only(conversation: Conversation, personas: dict[str, Persona]) -> None:
    client = personas["sofie"].client()
    statement = card_statement(client, conversation)
    response = client.post(
        reverse("opinions:vote", args=[conversation.pk]),
        {"statement": statement.pk, "value": 0},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="vote-card"')
    assert f'value="{statement.pk}"' not in html
    assert "Gemt: “Spring over / ved ikke” om det forrige udsagn." in html  # the answer is seen to be kept
    # Without htmx, the page after the vote says the same.
    plain = client.post(reverse("opinions:vote", args=[conversation.pk]), {"statement": statement.pk, "value": 1})
    assert "Gemt: “Enig” om det forrige udsagn." in client.get(plain.url).content.decode()


def test_seed_statements_are_checked_line_by_line_and_nothing_is_opened_on_error(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    url = reverse("opinions:create", args=[partnership.pk])
    typed = "Klubben lukker for tidligt om aftenen.\n\nKlubben lukker for tidligt om aftenen!\nKort\n" + "x" * 281
    before = Conversation.objects.count()
    page = personas["lars"].client().post(url, {"question": "Hvad er problemet?", "seed_statements": typed})
    html = page.content.decode()
    assert "Linje 5 er længere end 280 tegn." in html
    assert "Linje 4 er ikke en hel sætning på mindst 10 bogstaver eller tal." in html
    assert "Linje 3 siger næsten det samme som linje 1: behold én af dem." in html
    assert "Klubben lukker for tidligt om aftenen!" in html and Conversation.objects.count() == before
    many = "\n".join(f"Udsagn nummer {n} om hallen og klubben" for n in range(51))
    page = personas["lars"].client().post(url, {"question": "Hvad er problemet?", "seed_statements": many})
    assert "Højst 50 startudsagn" in page.content.decode() and Conversation.objects.count() == before
    seeds = "Klubben lukker for tidligt om aftenen.\n\n  Der mangler   voksne, de unge stoler på.  \n"
    opened = personas["lars"].client().post(url, {"question": "Hvad er problemet?", "seed_statements": seeds})
    assert opened.status_code == 302
    conversation = Conversation.objects.get(question="Hvad er problemet?")
    # The other members' people are told, not Lars's own club, and no one for the refused attempts.
    from samskab.accounts.models import Notification

    told = Notification.objects.filter(kind="conversation")
    assert {n.user for n in told} == {personas[name].user for name in ("mette", "sofie", "jens", "fie")}
    assert told[0].text.startswith("Vollsmose Boldklub åbnede en samtale: “Hvad er problemet?”")
    assert told[0].url == conversation.get_absolute_url()
    assert sorted(conversation.statements.values_list("text", flat=True)) == [
        "Der mangler voksne, de unge stoler på.",
        "Klubben lukker for tidligt om aftenen.",
    ]


def test_a_tampered_participant_cookie_is_ignored(conversation: Conversation) -> None:
    citizen = Client()
    citizen.get(conversation.get_link_url())
    citizen.cookies["samskab_deltager"] = "k" * 100  # longer than any key Samskab sets (the column holds 64)
    assert citizen.post(reverse("opinions:sector", args=[conversation.pk]), {"sector": "citizen"}).status_code == 302
    participant = Participant.objects.get(user__isnull=True)
    assert citizen.cookies["samskab_deltager"].value == participant.cookie_key and len(participant.cookie_key) == 32


def test_citizens_with_the_link_state_their_sector_once(conversation: Conversation) -> None:
    citizen = Client()
    assert citizen.get(conversation.get_link_url()).status_code == 302
    html = citizen.get(conversation.get_absolute_url()).content.decode()
    assert "Jeg deltager som" in html
    citizen.post(reverse("opinions:sector", args=[conversation.pk]), {"sector": "citizen"})
    statement = card_statement(citizen, conversation)
    citizen.post(reverse("opinions:vote", args=[conversation.pk]), {"statement": statement.pk, "value": 1})
    participant = Participant.objects.get(user__isnull=True)
    assert participant.sector == "citizen"
    changed = citizen.post(reverse("opinions:sector", args=[conversation.pk]), {"sector": "business"}, follow=True)
    assert "kan ikke ændres" in changed.content.decode()
    participant.refresh_from_db()
    assert participant.sector == "citizen"
    assert Vote.objects.filter(participant=participant).count() == 1


def test_the_next_card_follows_the_latest_maps_priorities(
    conversation: Conversation, personas: dict[str, Persona], django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _vote_pattern(conversation, personas)
    snapshot = conversation.latest_map()
    assert snapshot is not None
    first, second, third, fourth = conversation.statements.order_by("pk")
    snapshot.result["priorities"] = {str(first.pk): 1.0, str(second.pk): 2.0, str(third.pk): 90.0, str(fourth.pk): 5.0}
    snapshot.save(update_fields=["result"])

    citizen = Client()
    citizen.get(conversation.get_link_url())
    citizen.post(reverse("opinions:sector", args=[conversation.pk]), {"sector": "citizen"})
    assert card_statement(citizen, conversation) == third
    citizen.post(reverse("opinions:vote", args=[conversation.pk]), {"statement": third.pk, "value": 1})
    assert card_statement(citizen, conversation) == fourth


def test_members_only_conversation_needs_the_link(
    private_partnership: Partnership, personas: dict[str, Persona]
) -> None:
    fie = personas["fie"]
    conversation = services.start_conversation(
        user=fie.user, actor=fie.actor, partnership=private_partnership, question="Hvorfor?", seed_statements=["A"]
    )
    assert Client().get(conversation.get_absolute_url()).status_code == 404
    assert Client().get(reverse("opinions:results", args=[conversation.pk])).status_code == 404
    assert Client().get(reverse("opinions:join", args=[conversation.link_token])).status_code == 404  # link not allowed


def test_statements_are_limited_and_near_duplicates_refused(
    conversation: Conversation, personas: dict[str, Persona]
) -> None:
    client = personas["mette"].client()
    url = reverse("opinions:add_statement", args=[conversation.pk])
    # Too long: refused with the count, the whole text kept (the box has no maxlength to cut a paste short).
    pasted = "Der mangler voksne. " * 15  # 300 characters, 299 once the trailing space is trimmed
    too_long = client.post(url, {"text": pasted}).content.decode()
    assert "Et udsagn må højst være 280 tegn; dit er 299." in too_long
    assert pasted.strip() in too_long
    assert not re.search(r"<textarea[^>]*maxlength", too_long)
    empty = client.post(url, {"text": "   "}).content.decode()
    assert "Skriv et udsagn, før du sender det." in empty
    short = client.post(url, {"text": "Nej ... nej ?!"}).content.decode()
    assert "Skriv en hel sætning på mindst 10 bogstaver eller tal" in short and "Nej ... nej ?!" in short
    assert conversation.statements.count() == len(SEEDS)
    duplicate = client.post(url, {"text": "De unge keder sig fordi der ikke er noget at lave om aftenen!"})
    html = duplicate.content.decode()
    # Said once as the field's error (and in the summary above the form); the box beside it names the existing one.
    assert html.count("Der findes allerede et udsagn, der siger næsten det samme.") == 2
    assert "Udsagnet, der allerede siger det:" in html and "Folk uden konto deltager via dette link" in html
    assert "De unge keder sig, fordi der ikke er noget at lave om aftenen." in html  # names the existing one
    assert "De unge keder sig fordi der ikke er noget at lave om aftenen!" in html  # what was typed is kept
    existing = conversation.statements.get(text__startswith="De unge keder sig")
    link = f"{conversation.get_absolute_url()}?udsagn={existing.pk}#vote-card"
    assert f'<a href="{link}">Tag stilling til det i stedet</a>' in html
    # The link shows the existing statement's card, whatever would have come next.
    assert card_statement(client, conversation, query=f"?udsagn={existing.pk}") == existing
    for odd in ("²", "abc", "99999999999999999999"):  # a tampered link shows the next card as usual
        assert client.get(conversation.get_absolute_url(), {"udsagn": odd}).status_code == 200
    new = client.post(url, {"text": "Der mangler lys på stien bag skolen."})
    assert new.status_code == 302
    assert conversation.statements.count() == len(SEEDS) + 1
    # Letters nearly alike, meaning not: the opposite of a seed, or another day, is a new statement.
    for different in ("De unge mangler ikke voksne, de stoler på.", "Hallen burde være åben lørdag aften."):
        assert client.post(url, {"text": different}).status_code == 302
    assert conversation.statements.count() == len(SEEDS) + 3


def test_the_author_is_told_when_the_facilitator_hides_or_shows_their_statement(
    conversation: Conversation,
    personas: dict[str, Persona],
    mailoutbox: list,
    django_capture_on_commit_callbacks: object,
) -> None:
    from samskab.accounts.models import Notification

    lars = services.participant_for_member(user=personas["lars"].user, conversation=conversation)
    statement = services.add_statement(participant=lars, text="Køb min brugte cykel på Vollsmosevej")
    url = reverse("opinions:moderate", args=[conversation.pk, statement.pk])
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        personas["fie"].client().post(url, {"action": "hide", "reason": "spam"})
    told = Notification.objects.get(user=personas["lars"].user, kind="moderation")
    assert "Facilitatoren skjulte dit udsagn “Køb min brugte cykel på Vollsmosevej”. Begrundelse: spam." in told.text
    assert told.url == reverse("opinions:moderation", args=[conversation.pk])
    assert [m.to for m in mailoutbox] == [["lars@boldklub.dk"]]  # by email too, as his settings say
    personas["fie"].client().post(url, {"action": "restore"})
    assert (
        "viser dit udsagn “Køb min brugte cykel på Vollsmosevej” igen"
        in Notification.objects.filter(user=personas["lars"].user).first().text
    )
    # The facilitator's own statements, and the other members, are not told.
    assert not Notification.objects.filter(kind="moderation").exclude(user=personas["lars"].user).exists()


def test_moderation_is_logged_visible_to_members_and_hidden_statements_cannot_be_voted_on(
    conversation: Conversation, personas: dict[str, Persona]
) -> None:
    spam = conversation.statements.last()
    url = reverse("opinions:moderate", args=[conversation.pk, spam.pk])
    personas["lars"].client().post(url, {"action": "hide", "reason": "spam"})
    spam.refresh_from_db()
    assert not spam.is_hidden  # only the facilitator moderates
    fie = personas["fie"].client()
    refused = fie.post(url, {"action": "hide", "reason": "", "note": "Reklame for en butik"})
    html = refused.content.decode()
    assert refused.status_code == 400  # a reason is chosen on purpose, never by default
    assert "Vælg, hvorfor udsagnet skjules" in html and 'value="Reklame for en butik"' in html  # the note is kept
    assert re.search(r'<details class="details" open>', html)  # the form stays open where it was
    # Every statement's form has ids of its own (the empty forms are rendered once and given each statement's id).
    page = fie.get(reverse("opinions:moderation", args=[conversation.pk])).content.decode()
    for statement in conversation.statements.all():
        assert page.count(f'id="id_reason_hide_{statement.pk}"') == 1
    assert "STATEMENT-ID" not in page
    for bad in ({"reason": "spam", "note": "a\x00b"}, {"reason": "spam", "note": "x" * 301}, {"reason": "rude"}):
        assert fie.post(url, {"action": "hide", **bad}).status_code == 400
    # A keep sent without a valid note for a statement with no reports: its form is not on the page, so a message.
    kept = fie.post(url, {"action": "keep", "note": "x" * 301}, follow=True).content.decode()
    assert "Denne værdi må højst have 300 tegn (den har 301)." in kept
    spam.refresh_from_db()
    assert not spam.is_hidden and not ModerationEntry.objects.exists()
    fie.post(url, {"action": "hide", "reason": "spam", "note": "Reklame"})
    spam.refresh_from_db()
    assert spam.is_hidden
    entry = ModerationEntry.objects.get()
    assert (entry.reason, entry.actor, entry.user) == ("spam", personas["fie"].actor, personas["fie"].user)
    log = personas["jens"].client().get(reverse("opinions:moderation", args=[conversation.pk])).content.decode()
    assert "Reklame" in log
    participant = services.participant_for_member(user=personas["jens"].user, conversation=conversation)
    with pytest.raises(ValidationError):
        services.record_vote(statement=spam, participant=participant, value=1)
    assert not Vote.objects.filter(statement=spam).exists()
    assert Client().get(reverse("opinions:moderation", args=[conversation.pk])).status_code == 403
    # Nor does a link bring a hidden statement's card back.
    shown = card_statement(personas["jens"].client(), conversation, query=f"?udsagn={spam.pk}")
    assert shown is not None and shown != spam
    # A double click logs one moderation: the second is refused with a reason, hiding and restoring alike.
    again = fie.post(url, {"action": "hide", "reason": "duplicate"}, follow=True).content.decode()
    assert "Udsagnet er allerede skjult." in again
    for _ in range(2):
        restored = fie.post(url, {"action": "restore"}, follow=True).content.decode()
    assert "Udsagnet vises allerede." in restored
    assert list(ModerationEntry.objects.order_by("pk").values_list("action", flat=True)) == ["hide", "restore"]


def test_participants_report_a_statement_and_the_facilitator_answers(
    conversation: Conversation, personas: dict[str, Persona]
) -> None:
    from samskab.accounts.models import Notification
    from samskab.opinions.models import StatementReport

    target = conversation.statements.get(text=SEEDS[3])
    url = reverse("opinions:report", args=[conversation.pk, target.pk])
    lars, jens, fie = personas["lars"].client(), personas["jens"].client(), personas["fie"].client()
    refused = lars.post(url, {"reason": ""}, follow=True).content.decode()
    assert "Vælg, hvad der er galt" in refused and not StatementReport.objects.exists()
    assert '<details class="details samskab-report" open>' in refused  # the form stays open, as it was sent
    # The error is said at the reason it is about, and the select is marked and described by it.
    assert re.search(r'<span class="form-error-message" id="report-error"[^>]*>.*Vælg, hvad der er galt', refused)
    assert 'aria-describedby="report-hint report-error" aria-invalid="true"' in refused
    assert refused.count("Vælg, hvad der er galt") == 1  # not said twice, at the card's top as well
    assert '<option value="personal">Nævner eller angriber en person</option>' in refused

    # Reported from the card, which stays: reporting again changes the reason and never counts twice.
    answer = lars.post(url, {"reason": "spam"})
    assert answer["Location"] == f"{conversation.get_absolute_url()}?udsagn={target.pk}#vote-card"
    lars.post(url, {"reason": "off_topic"})
    jens.post(url, {"reason": "off_topic"})
    assert sorted(StatementReport.objects.values_list("reason", flat=True)) == ["off_topic", "off_topic"]
    target.refresh_from_db()
    assert not target.is_hidden  # a report hides nothing by itself
    # The facilitators are told once, on the first report, with a link to the moderation page.
    told = Notification.objects.filter(kind="report")
    assert list(told.values_list("user", flat=True)) == [personas["fie"].user.pk]
    assert told.get().url == reverse("opinions:moderation", args=[conversation.pk])

    # The moderation page lists the reported statement first, with its reports counted by reason.
    moderation_url = reverse("opinions:moderation", args=[conversation.pk])
    page = fie.get(moderation_url).content.decode()
    first = page.split('<ul class="samskab-moderation">')[1].split("</li>")[0]
    assert SEEDS[3] in first and "Anmeldt af deltagere:</strong> Uden for emnet (2)" in first

    # Only the facilitator answers; keeping the statement clears its reports and is logged for the members.
    keep_url = reverse("opinions:moderate", args=[conversation.pk, target.pk])
    assert lars.post(keep_url, {"action": "keep"}).status_code == 403
    fie.post(keep_url, {"action": "keep", "note": "Det hører med til problemet."})
    assert not StatementReport.objects.exists()
    entry = ModerationEntry.objects.get()
    assert (entry.action, entry.note, entry.user) == ("keep", "Det hører med til problemet.", personas["fie"].user)
    log = lars.get(moderation_url).content.decode()
    assert "Beholdt efter anmeldelser" in log and "<td>Det hører med til problemet.</td>" in log
    again = fie.post(keep_url, {"action": "keep"}, follow=True).content.decode()
    assert "Udsagnet har ingen anmeldelser at svare på." in again and ModerationEntry.objects.count() == 1

    # Hiding answers the reports too: shown again later, the statement does not come back as reported.
    lars.post(url, {"reason": "off_topic"})
    assert StatementReport.objects.count() == 1
    services.moderate_statement(user=personas["fie"].user, statement=target, hide=True, reason="off_topic")
    assert not StatementReport.objects.exists()
    # A hidden statement cannot be reported.
    late = jens.post(url, {"reason": "spam"}, follow=True).content.decode()
    assert "Facilitatoren har allerede skjult udsagnet." in late and not StatementReport.objects.exists()

    # The facilitators are told when the queue of reports goes from empty to not empty: reports of other statements
    # while it waits send nothing more, so someone reporting everything sends them one message, not one each.
    assert told.count() == 2  # the first wave, then the report after the facilitator kept the statement
    for seed in SEEDS[:3]:
        jens.post(
            reverse("opinions:report", args=[conversation.pk, conversation.statements.get(text=seed).pk]),
            {"reason": "spam"},
        )
    assert StatementReport.objects.count() == 3 and told.count() == 3

    # A closed conversation takes no more reports, as it takes no votes.
    services.set_open(user=personas["fie"].user, conversation=conversation, is_open=False)
    closed = lars.post(
        reverse("opinions:report", args=[conversation.pk, conversation.statements.get(text=SEEDS[0]).pk]),
        {"reason": "spam"},
        follow=True,
    ).content.decode()
    assert "Samtalen er lukket." in closed and StatementReport.objects.count() == 3 and told.count() == 3


def test_a_citizen_chooses_a_sector_before_writing_or_reporting(
    conversation: Conversation, personas: dict[str, Persona]
) -> None:
    from samskab.opinions.models import StatementReport

    target = conversation.statements.first()
    citizen = Client()
    citizen.get(conversation.get_link_url())  # the link lets them in; no sector chosen yet
    for url, data, refusal in (
        (reverse("opinions:add_statement", args=[conversation.pk]), {"text": "Et nyt udsagn om de unge."}, "skriver"),
        (reverse("opinions:report", args=[conversation.pk, target.pk]), {"reason": "spam"}, "anmelder et udsagn"),
    ):
        page = citizen.post(url, data, follow=True).content.decode()
        assert f"Vælg din sektor, før du {refusal}." in page
    assert conversation.statements.count() == len(SEEDS) and not StatementReport.objects.exists()
    assert not Participant.objects.filter(user=None).exists()
    # Where the partnership allows no link, someone outside it does not take part at all.
    Conversation.objects.filter(pk=conversation.pk).update(allow_anonymous=False)
    report_url = reverse("opinions:report", args=[conversation.pk, target.pk])
    assert personas["nora"].client().post(report_url, {"reason": "spam"}).status_code == 403
    assert not StatementReport.objects.exists()


def _vote_pattern(conversation: Conversation, personas: dict[str, Persona]) -> None:
    statements = list(conversation.statements.order_by("pk"))
    patterns = {
        "mette": [1, -1, 1, 1],
        "lars": [1, -1, 1, 1],
        "sofie": [-1, 1, 1, -1],
        "jens": [-1, 1, 1, -1],
        "fie": [1, 1, 1, 0],
    }
    for name, values in patterns.items():
        participant = services.participant_for_member(user=personas[name].user, conversation=conversation)
        for statement, value in zip(statements, values, strict=True):
            services.record_vote(statement=statement, participant=participant, value=value)


def _twins(
    conversation: Conversation,
    personas: dict[str, Persona],
    twins_of: tuple[tuple[str, int], ...] = (("mette", 2), ("sofie", 2), ("jens", 2), ("lars", 1)),
) -> None:
    """People with the link who vote as a member of their sector does, so that every sector has three voters (a
    sector's votes are shown from three): two for Mette, Sofie and Jens, one for Lars (`twins_of`)."""
    statements = list(conversation.statements.order_by("pk"))
    for name, twins in twins_of:
        member = services.participant_for_member(user=personas[name].user, conversation=conversation)
        votes = dict(member.votes.values_list("statement_id", "value"))
        for i in range(twins):
            twin = services.participant_for_cookie(
                conversation=conversation, cookie_key=f"{name}-twin-{i}", sector=member.sector
            )
            for statement in statements:
                if statement.pk in votes:
                    services.record_vote(statement=statement, participant=twin, value=votes[statement.pk])


def test_an_employee_involvement_process_does_not_compare_sectors(
    conversation: Conversation, personas: dict[str, Persona], django_capture_on_commit_callbacks: object
) -> None:
    """In Anne's involvement of her staff, everyone works at the same school: the results show the opinion groups
    and what they agree on, without sector columns, sector bridging or calls to invite the missing sectors."""
    Partnership.objects.filter(pk=conversation.partnership_id).update(kind=Partnership.Kind.EMPLOYEE_INVOLVEMENT)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _vote_pattern(conversation, personas)
        _twins(conversation, personas)
    html = Client().get(reverse("opinions:results", args=[conversation.pk])).content.decode()
    assert "<svg" in html and "Det, der adskiller hver gruppe" in html
    assert "Alle, der deltager, arbejder i samme organisation" in html
    for sector_part in ("bygger bro", "Hvem har stemt, efter sektor", "Inviter dem med", "efter sektor"):
        assert sector_part not in html
    groups = html[html.index("Meningsgrupperne") : html.index("</table>", html.index("Meningsgrupperne"))]
    assert "Kommune" not in groups


def test_results_show_the_map_and_what_bridges_the_sectors(
    conversation: Conversation, personas: dict[str, Persona], django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _vote_pattern(conversation, personas)
        _twins(conversation, personas)
    snapshot = conversation.latest_map()
    assert snapshot is not None and snapshot.n_votes == 48
    html = Client().get(reverse("opinions:results", args=[conversation.pk])).content.decode()
    assert "<svg" in html and 'role="img"' in html
    assert "Udsagn, der bygger bro mellem sektorerne" in html
    # Everyone, of every sector, agreed that the young lack adults they trust.
    bridging = html[html.index("Udsagn, der bygger bro") :]
    assert "De unge mangler voksne, de stoler på." in bridging
    # Its agreement bars list the sectors in the same order as every other table.
    bars = bridging[bridging.index("De unge mangler voksne, de stoler på.") :]
    rows = re.findall(r'<th scope="row">(\w+)</th>', bars[: bars.index("</table>")])
    assert rows == ["Kommune", "Forening", "Borger", "Virksomhed"]
    # Who has voted, by sector: three in each.
    table = html[html.index("Hvem har stemt, efter sektor") :]
    for sector, count in (("Kommune", 3), ("Forening", 3), ("Borger", 3), ("Virksomhed", 3)):
        assert f'<th scope="row">{sector}</th><td>{count}</td>' in table
    assert "har stemt endnu" not in html
    # The groups table counts each group's members by sector, in the same order; together they are the group.
    groups = html[html.index("Meningsgrupperne") : html.index("</table>", html.index("Meningsgrupperne"))]
    assert re.findall(r'<th scope="col">(\w+)</th>', groups)[3:] == ["Kommune", "Forening", "Borger", "Virksomhed"]
    by_group = snapshot.result["participant_groups"]
    sector_of = {str(p.pk): p.sector for p in conversation.participants.all()}
    for group in snapshot.result["groups"]:
        members = [p for p, g in by_group.items() if g == group["id"]]
        assert group["sectors"] == dict(Counter(sector_of[p] for p in members))
        assert sum(group["sectors"].values()) == group["size"]


def test_a_sector_of_one_does_not_give_away_its_members_votes(
    conversation: Conversation, personas: dict[str, Persona], django_capture_on_commit_callbacks: object
) -> None:
    # Jens is the partnership's only business member, and the partnership lists its members by sector: the
    # business sector's shares would be his votes, and a group's business count his group. Neither is shown, on the
    # page, in the API or in the download; nor Mette's and Sofie's, each alone in her sector.
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _vote_pattern(conversation, personas)
    html = Client().get(reverse("opinions:results", args=[conversation.pk])).content.decode()
    everybody = conversation.statements.get(text=SEEDS[2])
    section = html[html.index("Udsagn, der bygger bro") :]
    assert "En sektors stemmer på et udsagn vises, når mindst 3 fra sektoren har stemt på det" in section
    assert "Der er endnu intet udsagn, der støttes på tværs af sektorerne." in section  # nothing to show by sector
    assert 'class="table table--compact samskab-bars"' not in section
    assert "Grupperne tælles ikke op efter sektor" in html
    groups = html[html.index("Meningsgrupperne") : html.index("</table>", html.index("Meningsgrupperne"))]
    assert "Virksomhed" not in groups

    api = Client().get(f"/api/v1/conversations/{conversation.pk}/results").json()
    row = next(b for b in api["bridging"] if b["statement"] == str(everybody.pk))
    # Mette, Sofie and Jens are alone in their sectors, and Lars and Fie are two associations.
    assert row["per_sector"] == {} and sorted(row["withheld"]) == ["association", "business", "citizen", "municipality"]
    assert all(g["sectors"] == {} for g in api["groups"])
    assert all(b["per_sector"] == {} for b in api["bridging"])

    book = openpyxl.load_workbook(
        io.BytesIO(Client().get(reverse("opinions:results_export", args=[conversation.pk, "xlsx"])).content)
    )
    sectors = {row[0]: row for row in list(book["Sektorer"].values)[1:]}
    assert all(cell in (None, "") for cell in sectors[SEEDS[2]][3:])
    assert next(iter(book["Grupper"].values)) == ("Gruppe", "Deltagere", "Andel (%)")


def test_a_lone_business_member_is_pooled_with_another_sector_and_bridging_is_still_found(
    conversation: Conversation, personas: dict[str, Persona], django_capture_on_commit_callbacks: object
) -> None:
    # Three from the municipality, the associations and the citizens, and Jens alone from business. His sector is
    # withheld, and with it the smallest other (what is left would be his vote); the two speak together, and what
    # everybody agreed on still bridges the sectors.
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _vote_pattern(conversation, personas)
        _twins(conversation, personas, (("mette", 2), ("sofie", 2), ("lars", 1)))
    everybody = conversation.statements.get(text=SEEDS[2])
    api = Client().get(f"/api/v1/conversations/{conversation.pk}/results").json()
    row = next(b for b in api["bridging"] if b["statement"] == str(everybody.pk))
    assert "business" in row["withheld"] and len(row["withheld"]) == 2 and len(row["per_sector"]) == 2
    assert row["pooled"] == {"agree": 1.0, "disagree": 0.0, "pass": 0.0, "seen": 4}
    html = Client().get(reverse("opinions:results", args=[conversation.pk])).content.decode()
    section = html[html.index("Udsagn, der bygger bro") : html.index("Udsagn, der splitter sektorerne")]
    assert SEEDS[2] in section
    bars = section[section.index(SEEDS[2]) :]
    bars = bars[: bars.index("</table>")]
    assert "virksomhed samlet" in bars and "(vises kun samlet)" in bars
    assert "Virksomhed</th>" not in bars  # no row of its own
    book = openpyxl.load_workbook(
        io.BytesIO(Client().get(reverse("opinions:results_export", args=[conversation.pk, "xlsx"])).content)
    )
    sheet = list(book["Sektorer"].values)
    assert sheet[0][-4:] == ("Vist samlet", "Samlet: enig (%)", "Samlet: uenig (%)", "Samlet: stemmer")
    row = dict(zip(sheet[0], next(r for r in sheet[1:] if r[0] == SEEDS[2]), strict=True))
    assert row["Vist samlet"].endswith("virksomhed samlet")
    assert (row["Samlet: enig (%)"], row["Samlet: uenig (%)"], row["Samlet: stemmer"]) == (100, 0, 4)
    assert row["Virksomhed: stemmer"] in (None, "")  # withheld, not "0": Jens voted


def test_a_sector_voter_in_no_group_is_not_given_away_by_the_groups_sector_counts(
    conversation: Conversation, personas: dict[str, Persona], django_capture_on_commit_callbacks: object
) -> None:
    # Fifteen voters of every sector are placed in groups; one more business voter has voted once, too little to
    # be placed. Counting the groups by sector would say that the fourth business voter is in no group, and their
    # vote is the statement's count less the groups'.
    statements = list(conversation.statements.order_by("pk"))
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _vote_pattern(conversation, personas)
        _twins(conversation, personas)
        for i in range(3):
            citizen = services.participant_for_cookie(
                conversation=conversation, cookie_key=f"citizen-{i}", sector=Sector.CITIZEN
            )
            for statement in statements:
                services.record_vote(statement=statement, participant=citizen, value=1)
        late = services.participant_for_cookie(conversation=conversation, cookie_key="late", sector=Sector.BUSINESS)
        services.record_vote(statement=statements[0], participant=late, value=-1)
    snapshot = conversation.latest_map()
    assert snapshot is not None and str(late.pk) not in snapshot.result["participant_groups"]
    assert snapshot.result["ungrouped_sectors"] == {"business": 1}
    html = Client().get(reverse("opinions:results", args=[conversation.pk])).content.decode()
    assert "Grupperne tælles ikke op efter sektor" in html and "dem uden for grupperne" in html
    api = Client().get(f"/api/v1/conversations/{conversation.pk}/results").json()
    assert api["sectors_withheld"] is True and all(g["sectors"] == {} for g in api["groups"])

    # Once they have voted enough to be placed, every sector has at least three in the groups and none outside
    # (two more citizens vote too: a newer map waits for three voters).
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        for statement in statements[1:]:
            services.record_vote(statement=statement, participant=late, value=1)
        for i in range(3, 5):
            citizen = services.participant_for_cookie(
                conversation=conversation, cookie_key=f"citizen-{i}", sector=Sector.CITIZEN
            )
            for statement in statements:
                services.record_vote(statement=statement, participant=citizen, value=1)
    snapshot = conversation.latest_map()
    assert snapshot is not None and snapshot.result["ungrouped_sectors"] == {}
    api = Client().get(f"/api/v1/conversations/{conversation.pk}/results").json()
    assert api["sectors_withheld"] is False
    assert sum(g["sectors"].get("business", 0) for g in api["groups"]) == 4
    html = Client().get(reverse("opinions:results", args=[conversation.pk])).content.decode()
    assert "Grupperne tælles ikke op efter sektor" not in html


def test_a_map_kept_in_an_older_form_shows_no_sector_figures_until_recomputed(
    conversation: Conversation, personas: dict[str, Persona], django_capture_on_commit_callbacks: object
) -> None:
    # Three of every sector voted, so the groups are counted by sector and the sectors bridge. A snapshot kept in
    # an older form may hold a sector's figures from fewer voters: neither is shown until the map is recomputed.
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _vote_pattern(conversation, personas)
        _twins(conversation, personas)
    snapshot = conversation.latest_map()
    assert snapshot is not None
    old = dict(snapshot.result)
    del old["form"]
    type(snapshot).objects.filter(pk=snapshot.pk).update(result=old)
    # Drafting the problem definition, which suggests the bridging statements, asks for the map too.
    assert conversation.partnership is not None
    definition = reverse("opinions:problem_definition", args=[conversation.partnership.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # type: ignore[operator]
        assert personas["jens"].client().get(definition).status_code == 200
    assert len(callbacks) == 1
    type(conversation).objects.filter(pk=conversation.pk).update(map_requested_at=None)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # type: ignore[operator]
        api = Client().get(f"/api/v1/conversations/{conversation.pk}/results").json()
        page = Client().get(reverse("opinions:results", args=[conversation.pk])).content.decode()
    assert len(callbacks) == 1 and api["recomputing"] is True
    assert api["bridging"] == [] and api["sectors_withheld"] is True and all(g["sectors"] == {} for g in api["groups"])
    assert "Gruppernes deltagere bliver talt op efter sektor igen" in page
    assert "Sektorernes stemmer bliver talt op igen" in page
    callbacks[0]()
    api = Client().get(f"/api/v1/conversations/{conversation.pk}/results").json()
    assert api["recomputing"] is False and api["bridging"] and api["sectors_withheld"] is False
    assert all(g["sectors"] for g in api["groups"])
    page = Client().get(reverse("opinions:results", args=[conversation.pk])).content.decode()
    assert "bliver talt op" not in page


def test_results_download_as_spreadsheets(
    conversation: Conversation, personas: dict[str, Persona], django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _vote_pattern(conversation, personas)
        _twins(conversation, personas)
        hidden = conversation.statements.get(text=SEEDS[0])
        services.moderate_statement(user=personas["fie"].user, statement=hidden, hide=True, reason="off_topic")
    page = Client().get(reverse("opinions:results", args=[conversation.pk])).content.decode()
    xlsx_url = reverse("opinions:results_export", args=[conversation.pk, "xlsx"])
    assert xlsx_url in page

    response = Client().get(xlsx_url)
    assert response["Content-Disposition"] == f'attachment; filename="samtale-{conversation.pk}-resultater.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Udsagn", "Grupper", "Sektorer"]
    statements = list(book["Udsagn"].values)
    assert statements[0][:5] == ("Udsagn", "Stemmer", "Enig (%)", "Uenig (%)", "Springer over (%)")
    by_text = {row[0]: row for row in statements[1:]}
    assert SEEDS[0] not in by_text  # hidden, as on the page
    assert by_text[SEEDS[2]][1:3] == (12, 100)  # all twelve agreed that the young lack adults they trust
    groups = list(book["Grupper"].values)
    assert groups[0] == ("Gruppe", "Deltagere", "Andel (%)", "Kommune", "Forening", "Borger", "Virksomhed")
    assert sum(row[1] for row in groups[1:]) == sum(sum(row[3:]) for row in groups[1:])
    sectors = {row[0]: row for row in list(book["Sektorer"].values)[1:]}
    assert sectors[SEEDS[2]][1:3] == ("ja", "nej")  # bridges, does not divide
    assert sectors[SEEDS[2]][3:6] == (100, 0, 3)  # the municipality: Mette and her twins agreed

    csv_text = Client().get(reverse("opinions:results_export", args=[conversation.pk, "csv"])).content.decode()
    assert csv_text.startswith("\ufeffUdsagn;Stemmer;Enig (%)") and SEEDS[0] not in csv_text
    assert Client().get(reverse("opinions:results_export", args=[conversation.pk, "pdf"])).status_code == 404


def test_results_show_where_many_are_unsure(
    conversation: Conversation, personas: dict[str, Persona], django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _vote_pattern(conversation, personas)  # Fie passed on the hall; one in five is not many
    html = Client().get(reverse("opinions:results", args=[conversation.pk])).content.decode()
    assert "Her er mange i tvivl" not in html
    hall = conversation.statements.get(text=SEEDS[3])
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        for name in ("mette", "lars", "jens"):  # three change their minds to "don't know" (a newer map waits for three)
            participant = services.participant_for_member(user=personas[name].user, conversation=conversation)
            services.record_vote(statement=hall, participant=participant, value=0)
    html = Client().get(reverse("opinions:results", args=[conversation.pk])).content.decode()
    start = html.index("Her er mange i tvivl")
    unsure = html[start : html.index("<h2", start + 1)]
    assert SEEDS[3] in unsure and "80 % af de 5, der har svaret, sprang over" in unsure
    assert SEEDS[2] not in unsure
    api = Client().get(f"/api/v1/conversations/{conversation.pk}/results").json()
    assert api["unsure"] == [{"statement": str(hall.pk), "seen": 5, "pass_share": 80}]


def test_a_statement_only_one_sector_has_seen_does_not_bridge_the_sectors(
    conversation: Conversation, personas: dict[str, Persona], django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _vote_pattern(conversation, personas)
        _twins(conversation, personas)
        mette = services.participant_for_member(user=personas["mette"].user, conversation=conversation)
        new = services.add_statement(participant=mette, text="Kommunen har glemt de unge i planerne.")
        services.record_vote(statement=new, participant=mette, value=1)
    html = Client().get(reverse("opinions:results", args=[conversation.pk])).content.decode()
    start = html.index("Udsagn, der bygger bro mellem sektorerne")
    bridging = html[start : html.index("<h2", start)]
    assert "De unge mangler voksne, de stoler på." in bridging  # every sector agreed
    assert new.text not in bridging  # only the municipality has seen it
    assert new.text in html[html.index('id="all-statements"') :]


def test_results_list_the_votes_on_every_shown_statement(
    conversation: Conversation, personas: dict[str, Persona], django_capture_on_commit_callbacks: object
) -> None:
    first, second, third, fourth = conversation.statements.order_by("pk")
    patterns = {
        "mette": [1, -1, 1, 1],
        "lars": [1, -1, 1, 1],
        "sofie": [-1, 1, 1, -1],
        "jens": [-1, 1, 1, -1],
        "fie": [None, 1, 1, 0],  # Fie skips the first statement
    }
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        for name, values in patterns.items():
            participant = services.participant_for_member(user=personas[name].user, conversation=conversation)
            for statement, value in zip((first, second, third, fourth), values, strict=True):
                if value is not None:
                    services.record_vote(statement=statement, participant=participant, value=value)
    services.moderate_statement(user=personas["fie"].user, statement=second, hide=True, reason="duplicate")
    snapshot = conversation.latest_map()
    assert snapshot is not None

    html = Client().get(reverse("opinions:results", args=[conversation.pk])).content.decode()
    table = html[html.index('id="all-statements"') : html.index("</table>", html.index('id="all-statements"'))]
    rows = [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    ]
    # Most voted first; the hidden statement is left out.
    assert [row[0] for row in rows] == [third.text, fourth.text, first.text]
    assert rows[1][1:5] == ["5", "40 %", "40 %", "20 %"]  # agree, disagree, pass
    assert rows[2][1:5] == ["4", "50 %", "50 %", "0 %"]
    # One column per opinion group, with the share of the group that agrees.
    groups = snapshot.result["groups"]
    assert groups, "five people in two camps make groups"
    assert all(len(row) == 5 + len(groups) for row in rows)
    # Groups of three and two: fewer than three people show no figure, and the group of three would give away
    # the other two, so neither group's column shows one.
    assert rows[0][5:] == ["–for få til at blive vist"] * len(groups)
    assert "Vis stemmerne på alle 3 udsagn" in html

    # The API gives the same counts, and neither it nor the page shows the hidden statement anywhere, though
    # the map was computed before it was hidden.
    assert str(second.pk) in snapshot.result["group_informed_consensus"]
    results = Client().get(f"/api/v1/conversations/{conversation.pk}/results").json()
    assert str(second.pk) not in results["group_informed_consensus"]
    assert str(second.pk) not in [b["statement"] for b in results["bridging"]]
    assert second.text not in html
    api = results["statements"]
    assert [item["statement"] for item in api] == [str(third.pk), str(fourth.pk), str(first.pk)]
    assert {k: api[1][k] for k in ("agree", "disagree", "seen")} == {"agree": 2, "disagree": 2, "seen": 5}
    assert [g["agree"] for g in api[0]["groups"]] == [g["seen"] for g in api[0]["groups"]]


def test_results_say_which_sectors_have_not_voted_yet(
    conversation: Conversation, personas: dict[str, Persona], django_capture_on_commit_callbacks: object
) -> None:
    statement = conversation.statements.order_by("pk").first()
    assert statement is not None
    url = reverse("opinions:results", args=[conversation.pk])
    for name in ("mette", "lars", "fie"):
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
            participant = services.participant_for_member(user=personas[name].user, conversation=conversation)
            services.record_vote(statement=statement, participant=participant, value=1)
        if name == "lars":  # with two voters each would read the other's vote off the shares: no results yet
            html = Client().get(url).content.decode()
            assert "Det vises, når mindst 3 har stemt" in html and "Ingen fra sektoren" not in html
            api = Client().get(f"/api/v1/conversations/{conversation.pk}/results").json()
            assert (
                api["n_participants"] == 0 and api["groups"] == [] and api["consensus"] == {"agree": [], "disagree": []}
            )
            download = Client().get(reverse("opinions:export", args=[conversation.pk]), follow=True)
            assert "Downloadet er klar, når mindst 3 har stemt" in download.content.decode()
    html = Client().get(url).content.decode()
    assert "Ingen fra sektoren “borger” har stemt endnu" in html
    assert "Ingen fra sektoren “virksomhed” har stemt endnu" in html
    assert "Ingen fra sektoren “kommune”" not in html


def test_one_sector_alone_bridges_nothing_on_the_page_or_in_the_download(
    conversation: Conversation, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        for n in range(4):
            citizen = services.participant_for_cookie(conversation=conversation, cookie_key=f"c{n}", sector="citizen")
            for statement in conversation.statements.all():
                services.record_vote(statement=statement, participant=citizen, value=1)
    page = Client().get(reverse("opinions:results", args=[conversation.pk])).content.decode()
    assert "Der er endnu intet udsagn, der støttes på tværs af sektorerne." in page
    book = openpyxl.load_workbook(
        io.BytesIO(Client().get(reverse("opinions:results_export", args=[conversation.pk, "xlsx"])).content)
    )
    sheet = list(book["Sektorer"].values)
    column = sheet[0].index("Bygger bro mellem sektorerne")
    assert {row[column] for row in sheet[1:]} == {"nej"}


def test_a_voter_only_on_hidden_statements_does_not_make_up_the_three(
    conversation: Conversation, personas: dict[str, Persona], django_capture_on_commit_callbacks: object
) -> None:
    seed = conversation.statements.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        sofie = services.participant_for_member(user=personas["sofie"].user, conversation=conversation)
        spam = services.add_statement(participant=sofie, text="Køb min brugte cykel på Vollsmosevej")
        services.moderate_statement(user=personas["fie"].user, statement=spam, hide=True, reason="spam")
        for name, value in (("mette", -1), ("lars", 1)):
            voter = services.participant_for_member(user=personas[name].user, conversation=conversation)
            services.record_vote(statement=seed, participant=voter, value=value)
    # Three have voted, but on what is shown only two: each would read the other's vote off the counts.
    api = Client().get(f"/api/v1/conversations/{conversation.pk}/results").json()
    assert api["computed_at"] is None and api["statements"] == []
    assert (
        "Det vises, når mindst 3 har stemt"
        in Client().get(reverse("opinions:results", args=[conversation.pk])).content.decode()
    )
    download = Client().get(reverse("opinions:export", args=[conversation.pk]), follow=True)
    assert "Downloadet er klar, når mindst 3 har stemt" in download.content.decode()


def test_the_problem_definition_suggests_what_bridges_the_sectors_and_not_what_is_hidden(
    conversation: Conversation, personas: dict[str, Persona], django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _vote_pattern(conversation, personas)
        _twins(conversation, personas)
    url = reverse("opinions:problem_definition", args=[conversation.partnership.pk])

    def suggested() -> str:
        html = personas["jens"].client().get(url).content.decode()
        return html[html.index("Brobygning på tværs af sektorerne") : html.index('class="samskab-draft"')]

    assert SEEDS[2] in suggested()  # every sector agreed
    assert SEEDS[0] not in suggested()  # the sectors split on it
    html = personas["jens"].client().get(url).content.decode()
    suggestions = html[html.index("Brobygning på tværs af sektorerne") : html.index('class="samskab-draft"')]
    assert suggestions.count(SEEDS[2]) == 1  # offered once, as bridging, though a clear majority agrees too
    # With a second conversation, each statement to build on says which conversation it comes from.
    services.start_conversation(
        user=personas["fie"].user,
        actor=personas["fie"].actor,
        partnership=conversation.partnership,
        question="Hvad savner de ældre?",
        seed_statements=["De ældre savner nogen at spise sammen med."],
    )
    html = personas["jens"].client().get(url).content.decode()
    assert f"{SEEDS[2]} (fra “{conversation.question}”)" in html
    assert "De ældre savner nogen at spise sammen med. (fra “Hvad savner de ældre?”)" in html
    hidden = conversation.statements.get(text=SEEDS[2])
    services.moderate_statement(user=personas["fie"].user, statement=hidden, hide=True, reason="off_topic")
    assert SEEDS[2] not in personas["jens"].client().get(url).content.decode()


def test_an_empty_problem_definition_says_so(partnership: Partnership) -> None:
    html = Client().get(reverse("opinions:problem_definition", args=[partnership.pk])).content.decode()
    assert "Der er endnu ingen fælles problemformulering." in html


def seen_version(client: Client, url: str) -> str:
    """The version of the shared text the page gives its form, as a browser would send it back."""
    found = re.search(r'name="seen" value="([^"]*)"', client.get(url).content.decode())
    return found.group(1) if found else ""


def test_two_members_editing_the_draft_at_once_lose_nothing(
    conversation: Conversation, personas: dict[str, Persona]
) -> None:
    url = reverse("opinions:problem_definition", args=[conversation.partnership.pk])
    lars, jens = personas["lars"].client(), personas["jens"].client()
    lars_opened, jens_opened = seen_version(lars, url), seen_version(jens, url)
    linked = conversation.statements.get(text=SEEDS[2])
    saved = {"text": "Der mangler voksne.", "statements": [linked.pk], "seen": lars_opened}
    assert lars.post(url, saved).status_code == 302
    # Jens opened the page before Lars saved: his save is refused, and both texts are on his page, with the
    # statement Lars linked and Jens did not choose.
    refused = jens.post(url, {"text": "Der mangler steder at være.", "seen": jens_opened})
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "Lars Vestergaard gemte en ny udgave, mens du skrev." in html
    assert "Der mangler voksne." in html and "Der mangler steder at være." in html
    saved_now = html[html.index("Udkastet, som det er gemt nu") : html.index("<form", html.index("Udkastet, som"))]
    assert f"<li>{SEEDS[2]} <strong>(ikke valgt i din udgave)</strong></li>" in saved_now
    assert conversation.partnership.problem_definition.text == "Der mangler voksne."
    # He combines them; the form now carries Lars's version, so his second save goes through.
    again = re.search(r'name="seen" value="([^"]*)"', html)
    assert again is not None
    combined = "Der mangler voksne og steder at være."
    assert jens.post(url, {"text": combined, "seen": again.group(1)}).status_code == 302
    conversation.partnership.problem_definition.refresh_from_db()
    assert conversation.partnership.problem_definition.text == combined


def checkbox(html: str, statement: Statement) -> str:
    """The draft form's checkbox input for a statement, or "" when the form does not offer it."""
    found = re.search(rf'<input[^>]*name="statements"[^>]*value="{statement.pk}"[^>]*>', html)
    return found.group(0) if found else ""


def test_a_linked_statement_hidden_later_stays_a_choice_and_is_kept(
    conversation: Conversation, personas: dict[str, Persona]
) -> None:
    url = reverse("opinions:problem_definition", args=[conversation.partnership.pk])
    lars, jens = personas["lars"].client(), personas["jens"].client()
    linked, other = conversation.statements.get(text=SEEDS[2]), conversation.statements.get(text=SEEDS[1])
    jens_opened = seen_version(jens, url)
    assert lars.post(url, {"text": "Der mangler voksne.", "statements": [linked.pk], "seen": ""}).status_code == 302
    services.moderate_statement(user=personas["fie"].user, statement=linked, hide=True, reason="duplicate")

    # Jens opened the page before Lars linked it and the facilitator hid it. His save is refused, and the
    # hidden statement Lars linked is offered to him, labelled, so he can keep it.
    refused = jens.post(url, {"text": "Der mangler steder.", "statements": [other.pk], "seen": jens_opened})
    html = refused.content.decode()
    assert "Lars Vestergaard gemte en ny udgave, mens du skrev." in html
    assert checkbox(html, linked) and "checked" not in checkbox(html, linked)
    saved_now = html[html.index("Udkastet, som det er gemt nu") : html.index("<form", html.index("Udkastet, som"))]
    assert f"<li>{SEEDS[2]} (skjult af facilitatoren) <strong>(ikke valgt i din udgave)</strong></li>" in saved_now
    form = html[html.index('<form method="post" class="samskab-draft"') :]
    assert f"{SEEDS[2]} (skjult af facilitatoren)" in form
    assert "checked" in checkbox(html, other)  # what he chose is kept
    again = re.search(r'name="seen" value="([^"]*)"', html)
    assert again is not None
    keep = {"text": "Der mangler voksne og steder.", "statements": [linked.pk, other.pk], "seen": again.group(1)}
    assert jens.post(url, keep).status_code == 302
    definition = conversation.partnership.problem_definition
    assert set(definition.statements.all()) == {linked, other}

    # An ordinary edit shows it ticked, so saving unchanged keeps it; unticked, it goes.
    page = lars.get(url).content.decode()
    assert "checked" in checkbox(page, linked)
    unchanged = {"text": "Der mangler voksne og steder.", "statements": [linked.pk, other.pk]}
    assert lars.post(url, {**unchanged, "seen": seen_version(lars, url)}).status_code == 302
    assert set(definition.statements.all()) == {linked, other}
    assert lars.post(url, {**unchanged, "statements": [other.pk], "seen": seen_version(lars, url)}).status_code == 302
    assert set(definition.statements.all()) == {other}
    # Once dropped, a hidden statement is no longer offered.
    assert checkbox(lars.get(url).content.decode(), linked) == ""


def test_problem_definition_drafted_by_any_member_and_adopted_by_consent(
    conversation: Conversation, personas: dict[str, Persona]
) -> None:

    from django.utils import timezone

    from samskab.partnerships import services as partnership_services
    from samskab.partnerships.models import Proposal

    partnership = conversation.partnership
    statement = conversation.statements.get(text=SEEDS[2])
    url = reverse("opinions:problem_definition", args=[partnership.pk])
    jens, sofie = personas["jens"].client(), personas["sofie"].client()
    jens.post(url, {"text": "De unge mangler voksne, de stoler på.", "statements": [statement.pk], "seen": ""})
    sofies_draft = "De unge mangler voksne, de stoler på, og steder at være."
    sofie.post(url, {"text": sofies_draft, "statements": [statement.pk], "seen": seen_version(sofie, url)})
    assert Client().post(url, {"text": "Hacket"}).status_code == 403
    deadline = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    mette = personas["mette"].client()
    # Mette polishes the wording and proposes at once: what she typed is saved and proposed, not the old draft.
    final = "De unge mangler voksne, de stoler på, og steder at være om aftenen."
    proposing = {"text": final, "statements": [statement.pk], "seen": seen_version(mette, url), "action": "propose"}
    response = mette.post(url, {**proposing, "deadline": deadline})
    proposal = Proposal.objects.get(kind=Proposal.Kind.PROBLEM_DEFINITION)
    assert response["Location"] == proposal.get_absolute_url()
    assert proposal.current_version().text == final == partnership.problem_definition.text
    partnership.refresh_from_db()
    assert not hasattr(partnership, "problem_definition") or partnership.problem_definition.adopted_at is None
    open_page = mette.get(url).content.decode()
    assert "Et forslag om at vedtage den er åbent indtil" in open_page
    assert "at gemme udkastet her ændrer ikke det, der besluttes" in open_page
    Proposal.objects.filter(pk=proposal.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    draft_version = seen_version(sofie, url)
    partnership_services.settle_due_proposals()
    assert seen_version(sofie, url) == draft_version  # adopting is not an edit of the draft
    definition = partnership.problem_definition
    definition.refresh_from_db()
    assert definition.adopted_text == final
    assert (definition.adopted_by, definition.adopted_by_actor) == (personas["mette"].user, personas["mette"].actor)
    page = Client().get(url).content.decode()
    assert final in page and "Vedtaget ved samtykke" in page


def test_a_draft_nobody_changed_becomes_the_amended_text_adopted_and_one_changed_stays(
    conversation: Conversation, personas: dict[str, Persona]
) -> None:
    """Mette proposes her draft and amends it after an objection, and the amended text is adopted. The draft, untouched
    meanwhile, now reads as what was agreed, so whoever edits it next does not start from the wording amended away.
    In a second round, Sofie is already working on a new draft when the proposal passes: her work stays."""
    from samskab.partnerships import services as partnership_services
    from samskab.partnerships.models import Proposal

    partnership = conversation.partnership
    url = reverse("opinions:problem_definition", args=[partnership.pk])
    mette = personas["mette"]
    assert mette.actor is not None
    deadline = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")

    def propose_and_amend(text: str, amended: str, meanwhile: str = "") -> None:
        seen = seen_version(mette.client(), url)
        mette.client().post(url, {"text": text, "seen": seen, "action": "propose", "deadline": deadline})
        proposal = Proposal.objects.get(kind=Proposal.Kind.PROBLEM_DEFINITION, status=Proposal.Status.OPEN)
        partnership_services.amend_proposal(user=mette.user, proposal=proposal, by_actor=mette.actor, text=amended)
        if meanwhile:
            sofie = personas["sofie"].client()
            sofie.post(url, {"text": meanwhile, "seen": seen_version(sofie, url)})
        Proposal.objects.filter(pk=proposal.pk).update(deadline=timezone.now() - timedelta(seconds=1))
        partnership_services.settle_due_proposals()

    propose_and_amend("De unge keder sig, men ved ikke hvordan.", "De unge mangler steder at være om aftenen.")
    definition = partnership.problem_definition
    definition.refresh_from_db()
    assert definition.adopted_text == definition.text == "De unge mangler steder at være om aftenen."
    assert "De unge mangler steder at være om aftenen.</textarea>" in mette.client().get(url).content.decode()

    propose_and_amend("Udkast to.", "Udkast to, ændret.", meanwhile="Sofies nye udkast.")
    definition.refresh_from_db()
    assert (definition.adopted_text, definition.text) == ("Udkast to, ændret.", "Sofies nye udkast.")


def test_everyone_who_took_part_sees_what_came_of_it(conversation: Conversation, personas: dict[str, Persona]) -> None:
    """A citizen who joined by the link, wrote a statement and voted comes back after the partnership has adopted
    its problem definition: the conversation page shows the definition and the statements from here that it builds
    on, with her own part in each. Later changes to the draft do not change what was adopted."""
    from samskab.partnerships import services as partnership_services
    from samskab.partnerships.models import Proposal

    partnership = conversation.partnership
    citizen = Client()
    citizen.get(conversation.get_link_url())
    citizen.post(reverse("opinions:sector", args=[conversation.pk]), {"sector": "citizen"})
    citizen.post(reverse("opinions:add_statement", args=[conversation.pk]), {"text": "Der mangler lys på stien."})
    hers = conversation.statements.get(text="Der mangler lys på stien.")
    trust = conversation.statements.get(text=SEEDS[2])
    bored = conversation.statements.get(text=SEEDS[0])
    citizen.post(reverse("opinions:vote", args=[conversation.pk]), {"statement": trust.pk, "value": 1})
    page = citizen.get(conversation.get_absolute_url()).content.decode()
    assert "Det kom der ud af" not in page  # nothing adopted yet
    api = f"/api/v1/conversations/{conversation.pk}/outcome"
    assert Client().get(api).json() is None

    url = reverse("opinions:problem_definition", args=[partnership.pk])
    mette = personas["mette"].client()
    adopted = "De unge mangler voksne, de stoler på, og lys på stien."
    deadline = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    drafted = {"text": adopted, "statements": [trust.pk, hers.pk], "seen": "", "action": "propose"}
    mette.post(url, {**drafted, "deadline": deadline})
    Proposal.objects.filter(kind=Proposal.Kind.PROBLEM_DEFINITION).update(
        deadline=timezone.now() - timedelta(seconds=1)
    )
    partnership_services.settle_due_proposals()
    # The draft moves on: another statement replaces hers. The adopted definition keeps what it was built on.
    later = {"text": "Et nyt udkast.", "statements": [bored.pk], "seen": seen_version(mette, url)}
    assert mette.post(url, later).status_code == 302

    page = citizen.get(conversation.get_absolute_url()).content.decode()
    outcome = " ".join(
        page[page.index("Det kom der ud af") : page.index("</section>", page.index("Det kom der ud af"))].split()
    )
    assert adopted in outcome
    # Writing a statement counts as agreeing with it, as in Polis.
    assert f'<li>{hers.text} <span class="small-text">(dit udsagn; du svarede “enig”)</span> </li>' in outcome
    assert f'<li>{trust.text} <span class="small-text">(du svarede “enig”)</span> </li>' in outcome
    assert bored.text not in outcome and "Et nyt udkast." not in outcome
    # The API tells the same, and a member who voted finds their own vote in it.
    lars = personas["lars"].client()
    lars.post(reverse("opinions:vote", args=[conversation.pk]), {"statement": trust.pk, "value": -1})
    told = lars.get(api).json()
    assert told["adopted_text"] == adopted
    assert [(s["id"], s["yours"], s["your_vote"]) for s in told["statements"]] == [
        (trust.pk, False, -1),
        (hers.pk, False, None),
    ]
    assert f'href="{url}"' in outcome  # the partnership is public: anyone may read how it was decided
    # A member who neither wrote nor voted sees the same definition, without anyone's part in it.
    member_page = personas["jens"].client().get(conversation.get_absolute_url()).content.decode()
    assert adopted in member_page and "dit udsagn" not in member_page and "du svarede" not in member_page
    # A statement hidden since (as a duplicate, say) is no longer listed.
    Statement.objects.filter(pk=hers.pk).update(moderation=Statement.Moderation.HIDDEN)
    assert hers.text not in citizen.get(conversation.get_absolute_url()).content.decode()


def test_proposing_adoption_keeps_what_was_typed_and_one_proposal_is_open_at_a_time(
    conversation: Conversation, personas: dict[str, Persona]
) -> None:

    from django.utils import timezone

    from samskab.partnerships.models import Proposal

    partnership = conversation.partnership
    url = reverse("opinions:problem_definition", args=[partnership.pk])
    jens, sofie = personas["jens"].client(), personas["sofie"].client()
    jens.post(url, {"text": "Udkastet, som det er gemt.", "seen": ""})
    saved_version = seen_version(jens, url)
    typed = {"text": "Udkastet med Jens' nye ord.", "seen": saved_version, "action": "propose"}

    # Without a deadline, or with one in the past: refused on the field, the typed draft kept, nothing saved.
    in_two_hours = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    for deadline, error in (
        ("", "Vælg en frist for indsigelser."),
        ("2020-01-01T12:00", "Fristen skal ligge mindst 24 timer ude i fremtiden"),
        (in_two_hours, "Fristen skal ligge mindst 24 timer ude i fremtiden"),  # too soon for anyone to object
    ):
        page = jens.post(url, {**typed, "deadline": deadline}).content.decode()
        assert error in page
        assert "Udkastet med Jens&#x27; nye ord." in page
        assert seen_version(jens, url) == saved_version
        assert not Proposal.objects.exists()

    # A plain save never reads the deadline, however it is filled in.
    plain = {"text": "Udkastet, gemt igen.", "seen": saved_version, "action": "save", "deadline": "2020-01-01T12:00"}
    assert jens.post(url, plain).status_code == 302
    assert not Proposal.objects.exists()
    typed["seen"] = seen_version(jens, url)
    soon = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    assert jens.post(url, {**typed, "deadline": soon}).status_code == 302
    first = Proposal.objects.get()
    assert first.current_version().text == "Udkastet med Jens' nye ord."

    # While it is open, the page points to it instead of offering a second proposal, and a second is refused
    # without saving Sofie's edit: she responds to, amends or withdraws the open one.
    page = sofie.get(url).content.decode()
    assert 'value="propose"' not in page and first.get_absolute_url() in page
    later = (timezone.localtime() + timedelta(days=9)).strftime("%Y-%m-%dT%H:%M")
    refused = sofie.post(
        url, {"text": "Sofies udgave.", "seen": seen_version(sofie, url), "action": "propose", "deadline": later}
    ).content.decode()
    assert "er allerede åbent" in refused and "Sofies udgave." in refused
    assert Proposal.objects.count() == 1
    assert partnership.problem_definition.text == "Udkastet med Jens' nye ord."

    # Once the open one is settled (here: past its deadline), a new proposal can be made.
    Proposal.objects.filter(pk=first.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    again = {"text": "Sofies udgave.", "seen": seen_version(sofie, url), "action": "propose", "deadline": later}
    assert sofie.post(url, again).status_code == 302
    first.refresh_from_db()
    assert first.status != Proposal.Status.OPEN
    assert Proposal.objects.filter(status=Proposal.Status.OPEN).get().current_version().text == "Sofies udgave."


def test_export_in_polis_layout(
    conversation: Conversation,
    personas: dict[str, Persona],
    django_capture_on_commit_callbacks: object,
    tmp_path: Path,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _vote_pattern(conversation, personas)
        # Jens writes a statement, which records his own agree vote; nobody else has voted on it yet.
        jens = services.participant_for_member(user=personas["jens"].user, conversation=conversation)
        services.add_statement(participant=jens, text="Som købmand ser jeg de unge hver aften")
    # The seeds were written three days before the votes came in.
    conversation.statements.filter(text__in=SEEDS).update(created_at=timezone.now() - timedelta(days=3))
    response = Client().get(reverse("opinions:export", args=[conversation.pk]))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["comments.csv", "participants-votes.csv", "votes.csv"]
    comments = archive.read("comments.csv").decode().splitlines()
    assert comments[0] == "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body"
    assert len(comments) == 1 + len(SEEDS) + 1
    votes = archive.read("votes.csv").decode().splitlines()
    assert len(votes) == 1 + 20
    # His statement's one vote is neither in its counts (fewer than three voters show no figure) nor in anyone's
    # row: its one voter would be its author.
    own = next(line.split(",") for line in comments if "Som købmand" in line)
    assert own[4:6] == ["0", "0"] and not [line for line in votes[1:] if line.split(",")[2] == own[2]]
    # Nobody's number is tied to a statement they wrote, and a vote's time is its statement's day, the votes in
    # statement and participant order.
    assert {line.split(",")[3] for line in comments[1:]} == {"-1"}
    when = [datetime.fromtimestamp(int(line.split(",")[0]) / 1000, UTC) for line in [*comments[1:], *votes[1:]]]
    assert {timezone.localtime(t).time() for t in when} == {time(0, 0)}
    day_of = {line.split(",")[2]: line.split(",")[0] for line in comments[1:]}
    assert all(line.split(",")[0] == day_of[line.split(",")[2]] for line in votes[1:])
    order = [(int(line.split(",")[0]), int(line.split(",")[2]), int(line.split(",")[3])) for line in votes[1:]]
    assert order == sorted(order)
    header = archive.read("participants-votes.csv").decode().splitlines()[0].split(",")
    assert header[:6] == ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]

    # Read back as Polis's files: every participant's votes, and our groups under Polis's numbering.
    archive.extractall(tmp_path)
    polis = polis_io.read_opendata(tmp_path)
    number = exchange._export_numbers(conversation)
    comment = {s.pk: str(i) for i, s in enumerate(conversation.statements.order_by("pk"))}
    stored = {}
    for vote in Vote.objects.filter(participant__conversation=conversation).exclude(statement__text__startswith="Som"):
        stored.setdefault(number[vote.participant_id], {})[comment[vote.statement_id]] = vote.value
    assert {p.participant_id: dict(p.votes) for p in polis.participants} == stored
    result = conversation.latest_map().result
    ours, sizes = result["participant_groups"], [group["size"] for group in result["groups"]]
    assert sorted(sizes) == [2, 3]
    # The group of two is too small for the results to show its votes: its members' rows carry no group id.
    assert polis.polis_groups == {number[int(pk)]: group for pk, group in ours.items() if sizes[group] >= 3}
    assert len(polis.polis_groups) == 3

    # A hidden statement travels as Polis's moderated-out comment to members, who may read the moderation
    # log; to anyone else it and its votes are left out, as on the results page.
    hidden = conversation.statements.get(text=SEEDS[3])
    services.moderate_statement(user=personas["fie"].user, statement=hidden, hide=True, reason="off_topic")
    url = reverse("opinions:export", args=[conversation.pk])
    for client, rows, votes in ((personas["jens"].client(), 2 + len(SEEDS), 20), (Client(), 1 + len(SEEDS), 15)):
        archive = zipfile.ZipFile(io.BytesIO(client.get(url).content))
        comments = archive.read("comments.csv").decode().splitlines()
        assert len(comments) == rows and len(archive.read("votes.csv").decode().splitlines()) == 1 + votes
        moderated = [line.split(",")[6] for line in comments if SEEDS[3] in line]  # the column before the text
        assert moderated == (["-1"] if rows > 1 + len(SEEDS) else [])


def test_an_export_reads_back_as_the_same_conversation_and_not_in_the_order_people_joined(
    conversation: Conversation,
    personas: dict[str, Persona],
    mette: Persona,
    django_capture_on_commit_callbacks: object,
    tmp_path: Path,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _vote_pattern(conversation, personas)
        _twins(conversation, personas)
    # Twelve participants, numbered in a keyed shuffle rather than in the order they joined, the same each time.
    numbers = exchange._export_numbers(conversation)
    joined = list(conversation.participants.order_by("number").values_list("pk", flat=True))
    assert sorted(numbers.values(), key=int) == [str(i) for i in range(12)]
    assert [numbers[pk] for pk in joined] != [str(i) for i in range(12)]
    assert exchange._export_numbers(conversation) == numbers

    archive = zipfile.ZipFile(io.BytesIO(Client().get(reverse("opinions:export", args=[conversation.pk])).content))
    archive.extractall(tmp_path)
    data = {"actor": mette.actor.pk, "question": "Igen", "votes": _upload(tmp_path, "votes.csv")}
    data |= {
        "comments": _upload(tmp_path, "comments.csv"),
        "participants_votes": _upload(tmp_path, "participants-votes.csv"),
    }
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert mette.client().post(reverse("opinions:import"), data).status_code == 302
    again = Conversation.objects.get(question="Igen")
    # No participant is made up for the missing authors, and every vote comes back to its participant.
    assert again.participants.count() == 12 and not again.statements.filter(author__isnull=False).exists()
    votes_of = {
        ext: sorted(
            Vote.objects.filter(participant__external_id=ext, participant__conversation=again).values_list(
                "value", flat=True
            )
        )
        for ext in again.participants.values_list("external_id", flat=True)
    }
    original = {numbers[p.pk]: sorted(p.votes.values_list("value", flat=True)) for p in conversation.participants.all()}
    assert votes_of == original
    assert again.latest_map() is not None and len(again.latest_map().result["groups"]) == len(
        conversation.latest_map().result["groups"]
    )


def _upload(folder: Path, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (folder / name).read_bytes(), content_type="text/csv")


def test_import_a_real_polis_conversation(mette: Persona, django_capture_on_commit_callbacks: object) -> None:
    folder = POLIS / "brexit-consensus"
    data = {
        "actor": mette.actor.pk,
        "question": "Brexit",
        "comments": _upload(folder, "comments.csv"),
        "participants_votes": _upload(folder, "participants-votes.csv"),
    }
    if (folder / "votes.csv").exists():
        data["votes"] = _upload(folder, "votes.csv")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = mette.client().post(reverse("opinions:import"), data)
    assert response.status_code == 302
    conversation = Conversation.objects.get(question="Brexit")
    assert conversation.statements.count() == 50
    assert conversation.participants.count() > 150
    first = conversation.latest_map()
    assert first is not None

    # The map from the database is the engine's map of the files: the same groups.
    polis = polis_io.read_opendata(folder)
    engine = compute_opinion_map(
        polis.vote_matrix(), statements=polis.statement_ids, moderated_out=polis.moderated_out
    ).participant_group
    external = {str(pk): ext for pk, ext in conversation.participants.values_list("pk", "external_id")}
    stored = {external[pk]: group for pk, group in first.result["participant_groups"].items()}
    assert stored.keys() == engine.keys()
    assert adjusted_rand_score([engine[p] for p in engine], [stored[p] for p in engine]) == 1.0

    # A new map replaces the old one: only the latest is kept.
    latest = services.compute_map(conversation)
    assert list(OpinionMapSnapshot.objects.filter(conversation=conversation)) == [latest]

    # Polis records no sectors: nobody imported is made a citizen, and nothing is said to bridge the sectors.
    assert set(conversation.participants.values_list("sector", flat=True)) == {""}
    assert latest.result["bridging"] == []
    page = mette.client().get(reverse("opinions:results", args=[conversation.pk])).content.decode()
    assert "Sektor ukendt (importeret fra Polis)" in page and "Polis registrerer ikke" in page
    assert "færre end to sektorer stemt" in page and "Ingen fra sektoren" not in page  # closed: nobody to invite
    bridging = page[page.index("bygger bro mellem sektorerne</h2>") : page.index('id="all-statements"')]
    assert "Der er endnu intet udsagn, der støttes på tværs af sektorerne." in bridging
    # The groups' own consensus: every group's majority agrees, with each group's share.
    assert "Det er alle grupper enige om" in page and re.search(r"gruppe A: \d+ % enige, gruppe B: \d+ % enige", page)
    assert "Det er et klart flertal enige om" in page


def test_a_partnership_brings_in_a_polis_conversation_from_its_conversations(
    partnership: Partnership, personas: dict[str, Persona]
) -> None:
    lars = personas["lars"].client()
    listing = lars.get(reverse("opinions:list", args=[partnership.pk])).content.decode()
    link = f"{reverse('opinions:import')}?partnerskab={partnership.pk}"
    assert f'href="{link}"' in listing and "Hent en samtale fra Polis" in listing
    form = lars.get(link).content.decode()
    assert re.search(rf'<option value="{partnership.pk}" selected>', form)
    assert "(frivilligt)" in form and "Frivilligt;" not in form  # said once


def test_a_malformed_import_reports_lines_and_imports_nothing(mette: Persona) -> None:
    comments = (
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        "1,x,0,0,0,0,1,Godt\n"
        "2,x,1,0,0,0,5,Skidt\n"
    )
    votes = "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0\n0,0,1,1,1,0,1\n1,0,0,1,0,0,7\n"
    response = mette.client().post(
        reverse("opinions:import"),
        {
            "actor": mette.actor.pk,
            "question": "Dårlig fil",
            "comments": SimpleUploadedFile("comments.csv", comments.encode()),
            "participants_votes": SimpleUploadedFile("participants-votes.csv", votes.encode()),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "comments.csv:3" in html
    assert "moderated skal være -1, 0 eller 1, ikke 5" in html  # the reader's problems, in Danish
    assert "participants-votes.csv:3" in html
    assert "stemmen på 0 skal være -1, 0, 1 eller tom, ikke &#x27;7&#x27;" in html
    assert not Conversation.objects.filter(question="Dårlig fil").exists()
    assert not Statement.objects.exists()


def test_a_vote_costs_a_bounded_number_of_queries(
    conversation: Conversation, personas: dict[str, Persona], django_assert_max_num_queries: object
) -> None:
    """Voting and getting the next card: a fixed number of queries, none per statement or per vote."""
    client = personas["lars"].client()
    url = reverse("opinions:vote", args=[conversation.pk])
    client.post(url, {"statement": card_statement(client, conversation).pk, "value": 0})  # joins on the first vote
    statement = card_statement(client, conversation)
    with django_assert_max_num_queries(24):  # type: ignore[operator]
        client.post(
            reverse("opinions:vote", args=[conversation.pk]),
            {"statement": statement.pk, "value": 1},
            headers={"HX-Request": "true"},
        )


def test_a_participant_sees_where_they_stand_and_nobody_else_does(
    conversation: Conversation, personas: dict[str, Persona], django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _vote_pattern(conversation, personas)
    snapshot = conversation.latest_map()
    assert snapshot is not None
    mette = Participant.objects.get(conversation=conversation, user=personas["mette"].user)
    group = snapshot.result["participant_groups"][str(mette.pk)]
    letter = "ABCDEFGHIJ"[[g["id"] for g in snapshot.result["groups"]].index(group)]
    url = reverse("opinions:results", args=[conversation.pk])

    html = personas["mette"].client().get(url).content.decode()
    assert f"Du er i gruppe {letter}" in html
    assert html.count('class="samskab-you"') == 1
    assert "Din egen prik har en sort ring" in html

    # Someone who is not a participant sees no ring and no group of their own.
    for outsider in (Client(), personas["nora"].client()):
        html = outsider.get(url).content.decode()
        assert 'class="samskab-you"' not in html and "Du er i gruppe" not in html

    # A citizen with the link who has voted once learns what places a person on the map.
    citizen = Client()
    citizen.get(conversation.get_link_url())
    citizen.post(reverse("opinions:sector", args=[conversation.pk]), {"sector": "citizen"})
    statement = card_statement(citizen, conversation)
    assert statement is not None
    citizen.post(reverse("opinions:vote", args=[conversation.pk]), {"statement": statement.pk, "value": 1})
    html = citizen.get(url).content.decode()
    assert "Du er ikke på kortet endnu" in html
    assert f"efter at have taget stilling til {len(SEEDS)} udsagn" in html and "Du har taget stilling til 1." in html
    assert 'class="samskab-you"' not in html
    assert "Tag stilling til flere udsagn" in html  # there are more to answer
    for other in conversation.statements.exclude(pk=statement.pk):
        citizen.post(reverse("opinions:vote", args=[conversation.pk]), {"statement": other.pk, "value": 0})
    answered_all = citizen.get(url).content.decode()
    assert "Tag stilling til flere udsagn" not in answered_all  # nothing more to take a stand on
    Vote.objects.filter(participant__cookie_key=citizen.cookies[COOKIE].value).exclude(statement=statement).delete()

    # Sixteen more citizens answer every statement, so the map no longer fills its groups with the most active
    # (Polis's fallback below 15): once it is computed, the citizen with one vote is a grey point in no group.
    statements = list(conversation.statements.order_by("pk"))
    for n in range(16):
        other = services.participant_for_cookie(conversation=conversation, cookie_key=f"citizen-{n}", sector="citizen")
        for statement in statements:
            services.record_vote(statement=statement, participant=other, value=1 if n % 2 else -1)
    services.compute_map(conversation)  # what the background task requested by the votes does
    snapshot = conversation.latest_map()
    grouped = sum(g["size"] for g in snapshot.result["groups"])
    assert snapshot.n_participants == 22 and grouped == 21
    html = citizen.get(url).content.decode()
    assert "Du er på kortet, men endnu ikke i en gruppe" in html and html.count('class="samskab-you"') == 1
    assert "21 af dem er i meningsgrupper." in html
    assert "Den grå prik er en deltager, der har taget stilling til for få udsagn" in html
    assert re.search(
        r"Endnu ikke i en gruppe \(for få stemmer\)</th><td>1</td><td><span class=\"samskab-nowrap\">5 %</span></td>",
        html,
    )
    assert "22 deltagere, 21 af dem i" in html  # the map's own description says the same
    assert "når kortet beregnes næste gang" not in html  # one vote is too few to be counted at all
    # Having now taken a stand on enough statements, the citizen is told when they will be counted.
    (citizen_participant,) = [p for p in conversation.participants.all() if p.votes.count() == 1]
    for statement in statements:
        services.record_vote(statement=statement, participant=citizen_participant, value=1)
    html = citizen.get(url).content.decode()
    assert "Du tælles med i en gruppe, når kortet beregnes næste gang." in html


def test_a_participant_left_out_of_a_sampled_drawing_is_told_their_votes_count(
    conversation: Conversation, monkeypatch: pytest.MonkeyPatch
) -> None:
    from samskab.opinions import presentation

    monkeypatch.setattr(presentation, "MAX_POINTS", 5)  # the drawing samples above this many points (3,000 live)
    statements = list(conversation.statements.order_by("pk"))
    citizens = []
    for _ in range(8):
        client = Client()
        client.get(conversation.get_link_url())
        client.post(reverse("opinions:sector", args=[conversation.pk]), {"sector": "citizen"})
        citizens.append(client)
        for statement in statements:
            client.post(reverse("opinions:vote", args=[conversation.pk]), {"statement": statement.pk, "value": 1})
    services.compute_map(conversation)
    drawn = set(conversation.latest_map().result["participants"])
    assert len(drawn) == 5
    pages = [c.get(reverse("opinions:results", args=[conversation.pk])).content.decode() for c in citizens]
    left_out = [html for html in pages if 'class="samskab-you"' not in html]
    assert len(left_out) == 3
    assert all("Kortet viser et tilfældigt udsnit på 5 deltagere" in html for html in left_out)
    assert not any("Du er ikke på kortet endnu" in html for html in left_out)


@pytest.mark.django_db(transaction=True)
def test_votes_at_the_same_instant_lose_nothing_and_never_duplicate(
    conversation: Conversation, personas: dict[str, Persona]
) -> None:
    """A double click races itself; two other people vote on the same statement at the same moment."""
    statement = conversation.statements.order_by("pk").first()
    assert statement is not None
    mette, lars, sofie = (
        services.participant_for_member(user=personas[name].user, conversation=conversation)
        for name in ("mette", "lars", "sofie")
    )
    votes = [(mette, 1), (mette, -1), (lars, 1), (sofie, 0)]
    calls = [partial(services.record_vote, statement=statement, participant=p, value=v) for p, v in votes]
    assert all(isinstance(outcome, Vote) for outcome in at_the_same_instant(calls))
    recorded = dict(Vote.objects.filter(statement=statement).values_list("participant_id", "value"))
    assert len(recorded) == 3  # one row per person, however the clicks raced
    assert recorded[mette.pk] in (1, -1) and recorded[lars.pk] == 1 and recorded[sofie.pk] == 0


def test_a_vote_or_statement_sent_as_the_conversation_closes_is_refused(
    conversation: Conversation, personas: dict[str, Persona]
) -> None:
    # Fetched while the conversation was open; the facilitator closes it before the vote or statement is written.
    lars = services.participant_for_member(user=personas["lars"].user, conversation=conversation)
    statement = conversation.statements.order_by("pk").first()
    assert statement is not None and lars.conversation.is_open
    services.set_open(user=personas["fie"].user, conversation=conversation, is_open=False)
    for write in (
        partial(services.record_vote, statement=statement, participant=lars, value=1),
        partial(services.add_statement, participant=lars, text="Der mangler lys på stien bag skolen."),
    ):
        with pytest.raises(ValidationError) as refused:
            write()
        assert refused.value.code == "closed"
    assert not Vote.objects.filter(participant=lars).exists() and conversation.statements.count() == len(SEEDS)


@pytest.mark.django_db(transaction=True)
def test_closing_while_people_vote_and_write_lets_nothing_in_after_the_close(
    conversation: Conversation, personas: dict[str, Persona]
) -> None:
    voters = [
        services.participant_for_member(user=personas[name].user, conversation=conversation)
        for name in ("mette", "lars", "sofie")
    ]
    statements = list(conversation.statements.order_by("pk"))
    calls: list[Callable[[], object]] = [
        partial(services.set_open, user=personas["fie"].user, conversation=conversation, is_open=False)
    ]
    calls += [partial(services.record_vote, statement=s, participant=p, value=1) for p in voters for s in statements]
    calls += [partial(services.add_statement, participant=voters[0], text="Der mangler lys på stien bag skolen.")]
    outcomes = at_the_same_instant(calls)
    assert all(isinstance(o, Conversation | Vote | Statement) or getattr(o, "code", "") == "closed" for o in outcomes)
    conversation.refresh_from_db()
    assert conversation.closed_at is not None
    assert not Vote.objects.filter(statement__conversation=conversation, voted_at__gt=conversation.closed_at).exists()
    assert not conversation.statements.filter(created_at__gt=conversation.closed_at).exists()


@pytest.mark.django_db(transaction=True)
def test_the_same_statement_sent_at_the_same_instant_gets_in_once(
    conversation: Conversation, personas: dict[str, Persona]
) -> None:
    writers = [
        services.participant_for_member(user=personas[name].user, conversation=conversation)
        for name in ("mette", "lars", "sofie")
    ]
    texts = [
        "Der mangler lys på stien bag skolen.",
        "Der mangler lys på stien bag skolen!",
        "Der mangler lys på stien bag skollen",
    ]
    calls = [partial(services.add_statement, participant=p, text=t) for p, t in zip(writers, texts, strict=True)]
    outcomes = at_the_same_instant(calls)
    refused = [o.existing for o in outcomes if isinstance(o, services.DuplicateStatement)]
    assert all(isinstance(o, Statement | services.DuplicateStatement) for o in outcomes)
    written = conversation.statements.filter(text__startswith="Der mangler lys")
    assert written.count() == 1  # the other two were refused as near-duplicates of it
    assert len(refused) == 2 and {s.pk for s in refused} == {written.get().pk}


@pytest.mark.django_db(transaction=True)
def test_hiding_keeping_and_reporting_at_the_same_instant_never_deadlock(
    conversation: Conversation, personas: dict[str, Persona]
) -> None:
    from samskab.opinions.models import StatementReport

    fie = personas["fie"].user
    reporters = [
        services.participant_for_member(user=personas[name].user, conversation=conversation)
        for name in ("lars", "sofie")
    ]
    first, second = conversation.statements.order_by("pk")[:2]
    services.report_statement(participant=reporters[0], statement=second, reason="spam")
    Conversation.objects.filter(pk=conversation.pk).update(map_requested_at=None)  # hiding asks for a new map
    # Hiding one statement, keeping another and reporting both, all at once: each takes the conversation's row
    # before a statement's, so on PostgreSQL none waits for a lock another holds while waiting for its own.
    calls = [
        partial(services.moderate_statement, user=fie, statement=first, hide=True, reason="spam"),
        partial(services.report_statement, participant=reporters[1], statement=first, reason="off_topic"),
        partial(services.keep_reported_statement, user=fie, statement=second),
        partial(services.report_statement, participant=reporters[1], statement=second, reason="duplicate"),
    ]
    outcomes = at_the_same_instant(calls)
    assert all(isinstance(o, ModerationEntry | StatementReport | ValidationError) for o in outcomes), outcomes
    first.refresh_from_db()
    assert first.is_hidden and not StatementReport.objects.filter(statement=first).exists()


@pytest.mark.django_db(transaction=True)
def test_two_members_proposing_at_the_same_instant_open_one_proposal(
    conversation: Conversation, personas: dict[str, Persona]
) -> None:

    from django.utils import timezone

    from samskab.partnerships.models import Proposal

    partnership = conversation.partnership
    services.save_problem_definition(
        user=personas["jens"].user, partnership=partnership, actor=None, text="Udkastet.", statements=[]
    )
    deadline = timezone.now() + timedelta(days=3)
    calls = [
        partial(
            services.propose_problem_definition,
            user=personas[name].user,
            partnership=partnership,
            actor=None,
            deadline=deadline,
        )
        for name in ("jens", "sofie")
    ]
    outcomes = at_the_same_instant(calls)
    assert sorted(type(o).__name__ for o in outcomes) == ["Proposal", "ValidationError"]
    assert [o.code for o in outcomes if isinstance(o, ValidationError)] == ["already_open"]
    assert Proposal.objects.filter(kind=Proposal.Kind.PROBLEM_DEFINITION, status=Proposal.Status.OPEN).count() == 1


def test_the_facilitator_closes_and_reopens_a_conversation(
    conversation: Conversation, personas: dict[str, Persona]
) -> None:
    url = reverse("opinions:set_open", args=[conversation.pk])
    assert personas["lars"].client().post(url, {"open": "0"}).status_code == 403  # a member, not the facilitator
    assert Client().post(url, {"open": "0"}).status_code == 302  # to the login page
    conversation.refresh_from_db()
    assert conversation.is_open

    # Fie also belongs to Mette's actor (first by name); the conversation names the actor she facilitates for.
    Membership.objects.create(actor=personas["mette"].actor, user=personas["fie"].user)
    fie = personas["fie"].client()
    fie.post(url, {"open": "0"})
    conversation.refresh_from_db()
    assert not conversation.is_open and conversation.closed_by_actor == personas["fie"].actor
    lars = personas["lars"].client()
    html = lars.get(conversation.get_absolute_url()).content.decode()
    assert "Facilitatoren lukkede samtalen" in html
    statement = conversation.statements.first()
    assert statement is not None
    # A vote sent from a card opened before the closing: told once that it did not count.
    vote_url = reverse("opinions:vote", args=[conversation.pk])
    answer = lars.post(vote_url, {"statement": statement.pk, "value": 1})
    assert "Din stemme blev ikke talt med" in lars.get(answer.url).content.decode()
    card = lars.post(vote_url, {"statement": statement.pk, "value": 1}, headers={"HX-Request": "true"})
    card_html = card.content.decode()
    assert card_html.count("Din stemme blev ikke talt med") == 1 and "Samtalen er lukket" not in card_html
    # A statement written meanwhile is not saved, says so, and stays on the page to be copied.
    written = lars.post(reverse("opinions:add_statement", args=[conversation.pk]), {"text": "Et nyt udsagn her."})
    written_html = written.content.decode()
    assert "Dit udsagn blev ikke gemt: facilitatoren har lukket samtalen." in written_html
    assert re.search(r"<textarea[^>]*>\s*Et nyt udsagn her.</textarea>", written_html)
    assert "Send udsagn" not in written_html
    assert not Vote.objects.exists() and conversation.statements.count() == len(SEEDS)
    # Nobody joins a closed conversation by trying: neither a member nor a citizen with the link.
    citizen = Client()
    citizen.get(conversation.get_link_url())
    told = citizen.post(reverse("opinions:sector", args=[conversation.pk]), {"sector": "citizen"}, follow=True)
    assert "Samtalen er lukket." in told.content.decode()
    assert list(conversation.participants.values_list("user__email", flat=True)) == ["fie@frivillig.dk"]
    assert Client().get(reverse("opinions:results", args=[conversation.pk])).status_code == 200  # results stay

    fie.post(url, {"open": "1"})
    conversation.refresh_from_db()
    assert conversation.is_open and conversation.closed_at is None


def test_the_author_agrees_with_their_own_statement_and_is_not_asked_about_it(
    conversation: Conversation, personas: dict[str, Persona]
) -> None:
    client = personas["lars"].client()
    client.post(reverse("opinions:add_statement", args=[conversation.pk]), {"text": "Der mangler lys på stien."})
    statement = conversation.statements.get(text="Der mangler lys på stien.")
    vote = Vote.objects.get(statement=statement)
    assert vote.participant == statement.author and vote.value == Vote.Value.AGREE
    seen = set()
    while (card := card_statement(client, conversation)) is not None:
        seen.add(card)
        client.post(reverse("opinions:vote", args=[conversation.pk]), {"statement": card.pk, "value": 0})
    assert statement not in seen and len(seen) == len(SEEDS)


def test_starting_without_a_sector_says_what_is_missing(conversation: Conversation) -> None:
    citizen = Client()
    citizen.get(conversation.get_link_url())
    response = citizen.post(reverse("opinions:sector", args=[conversation.pk]), {})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-summary"' in html
    assert "Vælg hvilken sektor du hører til." in html
    assert not Participant.objects.filter(user__isnull=True).exists()


# First actions at the same instant (PostgreSQL: both requests found no participant and both inserted one).


def post(client: Client, url: str, data: dict[str, object]) -> Callable[[], int]:
    return lambda: client.post(url, data).status_code


@pytest.mark.django_db(transaction=True)
def test_members_double_clicking_their_first_vote_become_one_participant_each(
    conversation: Conversation, personas: dict[str, Persona]
) -> None:
    statement = conversation.statements.order_by("pk").first()
    assert statement is not None
    url = reverse("opinions:vote", args=[conversation.pk])
    people = ("mette", "lars", "sofie", "jens")
    clicks = [post(personas[name].client(), url, {"statement": statement.pk, "value": 1}) for name in people]
    assert at_the_same_instant(clicks + clicks) == [302] * 8
    for name in people:
        participant = Participant.objects.get(conversation=conversation, user=personas[name].user)
        assert participant.votes.get().value == 1


@pytest.mark.django_db(transaction=True)
def test_a_citizen_double_clicking_her_sector_becomes_one_participant(conversation: Conversation) -> None:
    url = reverse("opinions:sector", args=[conversation.pk])
    clicks = []
    double, regret = services.new_cookie_key(), services.new_cookie_key()
    for key, sectors in ((double, ("citizen", "citizen")), (regret, ("citizen", "business"))):
        first = Client()
        first.cookies["samskab_deltager"] = key
        first.get(conversation.get_link_url())
        for sector in sectors:
            client = Client()
            client.cookies = first.cookies  # the same browser: the same session and cookie
            clicks.append(post(client, url, {"sector": sector}))
    assert at_the_same_instant(clicks) == [302] * 4
    assert Participant.objects.get(conversation=conversation, cookie_key=double).sector == "citizen"
    assert Participant.objects.filter(conversation=conversation, cookie_key=regret).count() == 1


def test_a_cookie_holding_a_nul_character_is_ignored(conversation: Conversation, personas: dict[str, Persona]) -> None:
    # A cookie can carry U+0000 quoted as "\000"; PostgreSQL cannot look such a key up.
    visitor = Client()
    visitor.cookies["sessionid"] = "\x00" + "a" * 31
    visitor.cookies["samskab_deltager"] = "\x00nøgle"
    assert visitor.get(conversation.get_link_url()).status_code == 302  # to the conversation, by its link
    assert visitor.get(conversation.get_absolute_url()).status_code == 200
    assert visitor.post(reverse("opinions:sector", args=[conversation.pk]), {"sector": "citizen"}).status_code == 302
    participant = Participant.objects.get(conversation=conversation, user=None)
    assert "\x00" not in participant.cookie_key


def test_a_conversation_s_page_is_marked_in_the_main_menu_under_conversations(conversation: Conversation) -> None:
    page = " ".join(Client().get(conversation.get_absolute_url()).content.decode().split())
    assert '<li class="active current"><a href="/samtaler/"' in page
    assert page.count('class="active current"') == 1
