"""No figure from fewer than a few people, and results that say what their figures say.

Anne runs an employee involvement at Nørreby Skole. She, Omar, Camilla and Thomas vote on the statements and fall
into two opinion groups of two: were the groups' shares shown, Anne would read her colleagues' votes off them. Among
colleagues a figure needs five people behind it (the surveys' anonymity threshold); in co-creation three. The same
holds on the results page, in its downloads, in the Polis export, on the problem definition and in the API.
"""

import csv
import io
import re
import zipfile
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from samskab.accounts.models import User
from samskab.accounts.services import create_api_token
from samskab.actors.models import Sector
from samskab.opinions import presentation, services
from samskab.opinions.mapping import VoteRecord, compute_opinion_map
from samskab.opinions.models import Conversation, Participant, Statement, Vote
from samskab.partnerships.models import Partnership

from ..conftest import Persona

API = "/api/v1"
SCHOOL_SEEDS = [
    "Praksisfag i blokke giver eleverne ro til at fordybe sig.",
    "Vi mangler tid til at planlægge sammen på tværs af fagene.",
    "Værkstederne skal være åbne hele skoledagen.",
    "Eleverne lærer mest, når de laver noget med hænderne.",
    "Prøverne styrer for meget af undervisningen i udskolingen.",
    "Vi har brug for flere timer med to lærere i klassen.",
    "Praksisfagene fortjener mere plads på skemaet.",  # everybody agrees
    "Madkundskab bør flyttes til sjette klasse.",  # only Thomas takes a stand: he disagrees
]
EVERYBODY, ONLY_THOMAS = 6, 7
HALF_A, HALF_B = ("anne", "omar"), ("camilla", "thomas")


def text(response: Any) -> str:
    assert response.status_code == 200
    return response.content.decode()


def table_cells(html: str, start: str) -> list[list[str]]:
    """The body rows of the first table after `start`, as the text of each cell."""
    table = html[html.index(start) :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def staff(name: str) -> User:
    return User.objects.get(email=f"{name}@skole.dk")


def vote_as(conversation: Conversation, user: User, values: dict[int, int]) -> Participant:
    participant = services.participant_for_member(user=user, conversation=conversation)
    statements = list(conversation.statements.order_by("pk"))
    for index, value in values.items():
        services.record_vote(statement=statements[index], participant=participant, value=value)
    return participant


def camp(agree: bool) -> dict[int, int]:
    """The six statements that split the staff, agreed or rejected, and the one everybody agrees with."""
    return {i: 1 if agree else -1 for i in range(6)} | {EVERYBODY: 1}


@pytest.fixture
def staff_conversation(
    involvement: Partnership, anne: Persona, django_capture_on_commit_callbacks: Callable[..., Any]
) -> Conversation:
    """Anne, Omar, Camilla and Thomas take a stand on seven statements each, in two camps of two; Kasper on one."""
    assert anne.actor is not None
    conversation = services.start_conversation(
        user=anne.user,
        actor=anne.actor,
        partnership=involvement,
        question="Hvordan får vi praksisfagene til at fylde mere?",
        seed_statements=SCHOOL_SEEDS,
    )
    with django_capture_on_commit_callbacks(execute=True):
        for name in HALF_A:
            vote_as(conversation, anne.user if name == "anne" else staff(name), camp(agree=True))
        for name in HALF_B:
            vote_as(conversation, staff(name), camp(agree=False))
        vote_as(conversation, staff("thomas"), {ONLY_THOMAS: -1})
        # Kasper takes one stand: five have voted, as many as results among colleagues need at all. With so few
        # voters Polis places everyone (its fallback to the top voters), so he joins Anne's camp.
        vote_as(conversation, staff("kasper"), {EVERYBODY: 1})
    snapshot = conversation.latest_map()
    assert snapshot is not None and sorted(g["size"] for g in snapshot.result["groups"]) == [2, 3]
    return conversation


def test_anne_cannot_read_her_colleagues_votes_off_the_results_page(
    staff_conversation: Conversation, anne: Persona
) -> None:
    html = text(anne.client().get(reverse("opinions:results", args=[staff_conversation.pk])))
    # Both groups are too small to show how they voted: no statement sets either apart on the page.
    assert html.count("Gruppen er for lille til at vise, hvordan den stemte") == 2
    assert "Din gruppe har færre end 5 deltagere, så det vises ikke, hvordan den stemte." in html
    assert "gruppen er enig" not in html and "gruppen er uenig" not in html
    assert "Om alle grupper er enige, kan ikke vises, så længe en gruppe har færre end 5 deltagere." in html
    # Five stood behind the statement everybody agrees with: its shares and its majority are shown. Four voted on
    # each of the others, one on the last: no share, no majority, not even of Thomas's lone vote.
    assert f'{SCHOOL_SEEDS[EVERYBODY]} <span class="small-text">(5 af 5 er enige, 100 %)</span>' in html
    assert "Det afviser et klart flertal" not in html
    rows = table_cells(html, 'id="all-statements"')
    assert rows[0][0] == SCHOOL_SEEDS[EVERYBODY] and len(rows) == len(SCHOOL_SEEDS)
    assert [row[1] for row in rows] == ["5"] + ["4"] * 6 + ["1"]  # how many took a stand is shown, not how
    assert rows[0][2:5] == ["100 %", "0 %", "0 %"]
    withheld = [cell for row in rows[1:] for cell in row[2:]] + rows[0][5:]  # and no group's votes at all
    assert withheld and set(withheld) == {"–for få til at blive vist"}
    # The page says what it shows, and the download offers no sectors the process does not compare.
    assert "Stemmer vises kun som tal for mindst 5 personer" in html
    assert "Ingen kan se, hvordan en navngiven person har stemt" not in html
    assert "Excel (udsagn og grupper)" in html and "Excel (udsagn, grupper og sektorer)" not in html


def test_the_api_gives_no_count_from_fewer_than_five_colleagues(
    staff_conversation: Conversation, omar: Persona
) -> None:
    results = omar.client().get(f"{API}/conversations/{staff_conversation.pk}/results").json()
    assert results["min_voters"] == 5 and results["n_participants"] == 5
    groups = sorted((g["size"], g["too_small"], g["representative"]) for g in results["groups"])
    assert groups == [(2, True, []), (3, True, [])]
    everybody = staff_conversation.statements.get(text=SCHOOL_SEEDS[EVERYBODY])
    for row in results["statements"]:
        five = row["statement"] == str(everybody.pk)  # ids as strings
        assert (row["agree"], row["disagree"]) == ((5, 0) if five else (None, None))
        assert row["groups"] == [{"agree": None, "disagree": None, "seen": None}] * 2
    assert [c["statement"] for c in results["consensus"]["agree"]] == [str(everybody.pk)]
    assert results["consensus"]["disagree"] == []
    assert results["group_informed_consensus"] == {} and results["bridging"] == []


def test_the_downloads_and_the_polis_export_hold_no_count_from_fewer_than_five(
    staff_conversation: Conversation, anne: Persona
) -> None:
    client = anne.client()
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("opinions:results_export", args=[staff_conversation.pk, "xlsx"])).content)
    )
    header, *rows = list(book["Udsagn"].values)
    assert header[:5] == ("Udsagn", "Stemmer", "Enig (%)", "Uenig (%)", "Springer over (%)")
    # Only the statement five voted on has shares; no group's are given.
    assert len(rows) == len(SCHOOL_SEEDS) and rows[0][:5] == (SCHOOL_SEEDS[EVERYBODY], 5, 100, 0, 0)
    assert set(rows[0][5:]) == {None} and all(set(row[2:]) == {None} for row in rows[1:])
    spreadsheet = client.get(reverse("opinions:results_export", args=[staff_conversation.pk, "csv"]))
    lines = list(csv.reader(io.StringIO(spreadsheet.content.decode().lstrip("\ufeff")), delimiter=";"))
    assert lines[1][2:5] == ["100", "0", "0"] and set(lines[1][5:]) == {""}
    assert all(set(line[2:]) == {""} for line in lines[2:])

    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("opinions:export", args=[staff_conversation.pk])).content))
    votes = archive.read("votes.csv").decode().splitlines()
    # Among colleagues the files hold the statements and their counts (from five voters), and nobody's row.
    assert len(votes) == 1
    comments = list(csv.DictReader(io.StringIO(archive.read("comments.csv").decode())))
    assert len(comments) == len(SCHOOL_SEEDS)
    counts = {c["comment-body"]: (c["agrees"], c["disagrees"]) for c in comments}
    assert counts.pop(SCHOOL_SEEDS[EVERYBODY]) == ("5", "0") and set(counts.values()) == {("0", "0")}
    participants = archive.read("participants-votes.csv").decode().splitlines()
    assert len(participants) == 1 and participants[0].startswith("participant,group-id,")


def test_among_four_colleagues_there_are_no_results_at_all(
    staff_conversation: Conversation, anne: Persona, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    """Among colleagues a map of four would let each place the others: results need five voters, as figures do."""
    with django_capture_on_commit_callbacks(execute=True):
        Vote.objects.filter(statement__conversation=staff_conversation, participant__user=staff("kasper")).delete()
        services.request_map(staff_conversation)
    client = anne.client()
    html = text(client.get(reverse("opinions:results", args=[staff_conversation.pk])))
    assert "Det vises, når mindst 5 har stemt, så ingens stemmer kan aflæses af det." in html
    assert 'id="all-statements"' not in html and "Gruppen er for lille" not in html
    assert client.get(f"{API}/conversations/{staff_conversation.pk}/results").json()["computed_at"] is None
    refused = client.get(reverse("opinions:export", args=[staff_conversation.pk]), follow=True)
    assert "Downloadet er klar, når mindst 5 har stemt" in refused.content.decode()
    assert not refused.get("Content-Disposition")


def test_figures_appear_once_five_colleagues_have_voted(
    staff_conversation: Conversation,
    anne: Persona,
    involvement: Partnership,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    # Louise and Kasper join Anne's camp: six have voted on the first seven statements, still one on the last.
    # Anne, Omar and Camilla give their vote on the statement everybody agrees with again, so that five have voted
    # since the map shown, as a newer one waits for.
    with django_capture_on_commit_callbacks(execute=True):
        for name in ("louise", "kasper"):
            vote_as(staff_conversation, staff(name), camp(agree=True))
        for name in ("anne", "omar", "camilla"):
            vote_as(staff_conversation, staff(name), {EVERYBODY: 1})
    html = text(anne.client().get(reverse("opinions:results", args=[staff_conversation.pk])))
    rows = {row[0]: row for row in table_cells(html, 'id="all-statements"')}
    assert rows[SCHOOL_SEEDS[0]][1:5] == ["6", "67 %", "33 %", "0 %"]
    assert rows[SCHOOL_SEEDS[ONLY_THOMAS]][2:] == ["–for få til at blive vist"] * (len(rows[SCHOOL_SEEDS[0]]) - 2)
    # A clear majority, with how many stand behind it; a group of four is still too small to show.
    majority = html[html.index("Det er et klart flertal enige om") :]
    assert f'{SCHOOL_SEEDS[EVERYBODY]} <span class="small-text">(6 af 6 er enige, 100 %)</span>' in majority
    assert html.count("Gruppen er for lille til at vise, hvordan den stemte") == 2
    # The problem definition builds on it, with the same count.
    page = text(anne.client().get(reverse("opinions:problem_definition", args=[involvement.pk])))
    suggested = page[page.index("Et klart flertal er enige") :]
    assert "6 af 6 er enige, 100 %" in suggested


def test_a_clear_majority_needs_more_than_the_authors_own_vote(
    partnership: Partnership, fie: Persona, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    # In the volunteer centre's public conversation three citizens agree that the hall should open on Fridays.
    # One of them writes a statement of her own (her agreement is recorded with it), another rejects a seed
    # nobody else has seen yet: neither is anybody's clear majority.
    assert fie.actor is not None
    conversation = services.start_conversation(
        user=fie.user,
        actor=fie.actor,
        partnership=partnership,
        question="Hvad er egentlig problemet med de unge på hjørnet?",
        seed_statements=["Hallen burde være åben fredag aften.", "De unge keder sig om aftenen."],
        allow_anonymous=True,
    )
    hall, bored = conversation.statements.order_by("pk")
    with django_capture_on_commit_callbacks(execute=True):
        citizens = [
            services.participant_for_cookie(conversation=conversation, cookie_key=f"borger-{i}", sector=Sector.CITIZEN)
            for i in range(3)
        ]
        for citizen in citizens:
            services.record_vote(statement=hall, participant=citizen, value=1)
        own = services.add_statement(participant=citizens[0], text="Der mangler voksne, de unge stoler på.")
        services.record_vote(statement=bored, participant=citizens[1], value=-1)
    snapshot = conversation.latest_map()
    assert snapshot is not None
    consensus = snapshot.result["consensus"]  # Polis's maths calls a single vote a majority ...
    assert str(own.pk) in {c["statement"] for c in consensus["agree"]}
    assert str(bored.pk) in {c["statement"] for c in consensus["disagree"]}

    html = text(Client().get(reverse("opinions:results", args=[conversation.pk])))  # ... the page does not
    majority = html[html.index("Det er et klart flertal enige om") : html.index('id="all-statements"')]
    assert f'{hall.text} <span class="small-text">(3 af 3 er enige, 100 %)</span>' in majority
    assert own.text not in majority and bored.text not in majority
    assert "Det afviser et klart flertal" not in html
    results = Client().get(f"{API}/conversations/{conversation.pk}/results").json()
    assert results["min_voters"] == 3
    assert results["consensus"] == {
        "agree": [{"statement": str(hall.pk), "share": 1.0, "count": 3, "seen": 3}],
        "disagree": [],
    }
    by_statement = {row["statement"]: row for row in results["statements"]}
    assert (by_statement[str(hall.pk)]["agree"], by_statement[str(hall.pk)]["seen"]) == (3, 3)
    assert (by_statement[str(own.pk)]["agree"], by_statement[str(own.pk)]["seen"]) == (None, 1)
    # The problem definition suggests only the hall, with its count.
    page = text(fie.client().get(reverse("opinions:problem_definition", args=[partnership.pk])))
    suggested = page[page.index("Et klart flertal er enige") : page.index('class="samskab-draft"')]
    assert hall.text in suggested and "3 af 3 er enige, 100 %" in suggested
    assert own.text not in suggested


def citizens_voting(
    conversation: Conversation, camps: list[tuple[int, list[int]]], capture: Callable[..., Any], *, who: str = "lejr"
) -> list[Participant]:
    """`count` citizens with the link for each camp, each taking a stand on every statement as `values` say (new
    citizens for each `who`)."""
    statements = list(conversation.statements.order_by("pk"))
    people = []
    with capture(execute=True):
        for number, (count, values) in enumerate(camps):
            for i in range(count):
                citizen = services.participant_for_cookie(
                    conversation=conversation, cookie_key=f"{who}-{number}-{i}", sector=Sector.CITIZEN
                )
                for statement, value in zip(statements, values, strict=True):
                    services.record_vote(statement=statement, participant=citizen, value=value)
                people.append(citizen)
    return people


@pytest.fixture
def open_conversation(partnership: Partnership, fie: Persona) -> Conversation:
    assert fie.actor is not None
    return services.start_conversation(
        user=fie.user,
        actor=fie.actor,
        partnership=partnership,
        question="Hvad skal der ske på Vollsmose Torv?",
        seed_statements=[
            "Torvet skal være et sted for alle aldre.",  # everybody agrees
            "Der skal være en scene på torvet.",
            "Boldbanen skal ligge midt på torvet.",
            "Torvet skal lukkes for biler om aftenen.",
            "Der skal være flere bænke i skyggen.",
            "Markedet skal flytte til lørdag.",
            "Der skal være lys på torvet hele natten.",
        ],
        allow_anonymous=True,
    )


def test_what_sets_a_group_apart_never_contradicts_its_figures(
    open_conversation: Conversation, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    # Three citizens agree with everything, four with only the first statement, which everybody agrees with.
    # Polis's best-agree rule picks that statement for the three, in the direction "disagree": the smoothed chance
    # of disagreeing is higher in the smaller group, though nobody in either disagreed.
    citizens_voting(open_conversation, [(3, [1] * 7), (4, [1] + [-1] * 6)], django_capture_on_commit_callbacks)
    snapshot = open_conversation.latest_map()
    assert snapshot is not None
    small = next(g for g in snapshot.result["groups"] if g["size"] == 3)
    first = str(open_conversation.statements.order_by("pk").first().pk)  # type: ignore[union-attr]
    picked = next(r for r in small["representative"] if r["statement"] == first)
    assert (picked["direction"], picked["agree"], picked["disagree"]) == ("disagree", 1.0, 0.0)

    html = text(Client().get(reverse("opinions:results", args=[open_conversation.pk])))
    apart = html[html.index("Det, der adskiller hver gruppe") : html.index("Det er alle grupper enige om")]
    letter = "AB"[snapshot.result["groups"].index(small)]
    mine = apart[apart.index(f"Gruppe {letter}</h3>") :]
    mine = mine[: mine.index("</ul>")]
    items = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip() for item in mine.split("<li>")[1:]]
    assert "Torvet skal være et sted for alle aldre. — flertallet i gruppen er enigt (100 % enige, 0 % uenige)" in items
    assert "Der skal være en scene på torvet. — gruppen er mere enig end de andre (100 % enige, 0 % uenige)" in items
    for item in items:  # each reading agrees with its shares
        agree, disagree = (int(n) for n in re.findall(r"(\d+) % (?:enige|uenige)", item))
        assert not ("uenig" in item.split("—")[1].split("(")[0] and disagree == 0)
        assert not ("er mere enig" in item and agree == 0)
    api = Client().get(f"{API}/conversations/{open_conversation.pk}/results").json()
    group = next(g for g in api["groups"] if g["size"] == 3)
    assert next(r for r in group["representative"] if r["statement"] == first)["stance"] == "agrees"


def test_a_group_of_two_and_the_rest_of_the_votes_give_nobody_away(
    open_conversation: Conversation, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    # Three citizens against two: the three's votes would leave the two's as everybody's less theirs, so neither
    # group's shares are shown, nor what sets the three apart (measured against the two). Everybody's are.
    citizens_voting(open_conversation, [(3, [1] * 7), (2, [1] + [-1] * 6)], django_capture_on_commit_callbacks)
    snapshot = open_conversation.latest_map()
    assert snapshot is not None and sorted(g["size"] for g in snapshot.result["groups"]) == [2, 3]
    api = Client().get(f"{API}/conversations/{open_conversation.pk}/results").json()
    assert all(group["representative"] == [] for group in api["groups"])
    assert sorted((g["size"], g["too_small"]) for g in api["groups"]) == [(2, True), (3, False)]
    for row in api["statements"]:
        assert row["seen"] == 5 and row["agree"] is not None
        assert row["groups"] == [{"agree": None, "disagree": None, "seen": None}] * 2
    html = text(Client().get(reverse("opinions:results", args=[open_conversation.pk])))
    assert html.count("Gruppen er for lille til at vise, hvordan den stemte") == 1
    assert "Det, der adskiller gruppen, vises ikke: for få har stemt på de udsagn" in html
    assert "Intet udsagn adskiller tydeligt denne gruppe" not in html
    rows = table_cells(html, 'id="all-statements"')
    assert {tuple(row[5:]) for row in rows} == {("–for få til at blive vist",) * 2}

    # Three more join the two (a newer map waits for three voters): now both groups' votes are shown, and what sets
    # each apart.
    citizens_voting(open_conversation, [(3, [1] + [-1] * 6)], django_capture_on_commit_callbacks, who="senere")
    api = Client().get(f"{API}/conversations/{open_conversation.pk}/results").json()
    assert sorted(g["size"] for g in api["groups"]) == [3, 5]
    assert all(group["representative"] and not group["too_small"] for group in api["groups"])
    assert all(None not in (cell["agree"], cell["seen"]) for row in api["statements"] for cell in row["groups"])


def test_without_opinion_groups_the_page_says_they_form_later(
    open_conversation: Conversation, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    citizens_voting(open_conversation, [(3, [1] * 7)], django_capture_on_commit_callbacks)
    html = text(Client().get(reverse("opinions:results", args=[open_conversation.pk])))
    assert "Der er ingen meningsgrupper endnu – de dannes, når flere har stemt." in html
    assert "Meningsgrupperne (de samme oplysninger som på kortet)" not in html
    assert "Det, der adskiller hver gruppe" not in html


def test_the_you_box_says_how_many_more_votes_count_louise_in_a_group(
    staff_conversation: Conversation, louise_client: Client
) -> None:
    url = reverse("opinions:results", args=[staff_conversation.pk])
    louise = services.participant_for_member(user=staff("louise"), conversation=staff_conversation)

    def box() -> str:
        html = text(louise_client.get(url))
        start = html.index('class="alert alert-info"')
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start : html.index("</div></div>", start)]))

    # She has opened the conversation but taken no stand yet.
    said = box()
    assert "Du kommer med på kortet, næste gang det beregnes" not in said
    assert "Du kommer med på kortet, når du har taget stilling til et udsagn." in said
    assert "Du har taget stilling til 0." in said and "Tag stilling til 7 udsagn mere" in said
    # Seven stands, the map not computed since (the task has not run): now the next map places her.
    for statement in list(staff_conversation.statements.order_by("pk"))[:7]:
        services.record_vote(statement=statement, participant=louise, value=1)
    said = box()
    assert "Du kommer med på kortet, næste gang det beregnes." in said
    assert "Du tælles med i en gruppe, når kortet beregnes næste gang." in said
    assert "udsagn mere" not in said


@pytest.fixture
def louise_client(anne: Persona) -> Client:
    client = Client()
    client.force_login(staff("louise"))
    return client


def test_a_vote_through_the_api_is_a_whole_number_and_names_only_known_fields(
    open_conversation: Conversation, lars: Persona
) -> None:
    statement = open_conversation.statements.order_by("pk").first()
    assert statement is not None
    _token, key = create_api_token(user=lars.user, label="test")

    def vote(payload: dict[str, Any]) -> Any:
        return Client().post(
            f"{API}/conversations/{open_conversation.pk}/votes",
            payload,
            content_type="application/json",
            headers={"Authorization": f"Bearer {key}", "Accept-Language": "da"},
        )

    for value in (True, 1.0, "1", 2):
        refused = vote({"statement_id": statement.pk, "value": value})
        assert refused.status_code == 422, value
        assert refused.json()["detail"][0]["msg"] == "Skal være en af -1, 0 eller 1."
    refused = vote({"statement_id": statement.pk, "value": 1, "actor": lars.actor.pk})  # type: ignore[union-attr]
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["msg"] == (
        "Ukendt felt “actor”: det læses ikke her. Felterne er “statement_id”, “value” og “sector”."
    )
    assert not Participant.objects.filter(conversation=open_conversation, user=lars.user).exists()
    written = Client().post(
        f"{API}/conversations/{open_conversation.pk}/statements",
        {"text": "Torvet skal have en legeplads.", "author": "Lars"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}", "Accept-Language": "da"},
    )
    assert written.status_code == 422 and "“author”" in written.json()["detail"][0]["msg"]
    assert not Statement.objects.filter(text__startswith="Torvet skal have").exists()

    for value in (1, -1, 0):
        assert vote({"statement_id": statement.pk, "value": value}).json() == {
            "statement_id": statement.pk,
            "value": value,
        }


def test_a_group_shows_its_next_telling_statements_where_polis_five_rest_on_too_few() -> None:
    # Ten agree with everything. Six of them saw the five statements that set them most apart (all ten others
    # disagreed); on ten more everybody voted, the others split four to six. Polis's five for the ten are the
    # first five, whose group figures (6 voters) a floor of 7 withholds: the next five are shown in their place.
    # Which four of the others agree is irregular: a regular rotation spreads their votes equally in several
    # directions, so the map's second axis, and whether the others make one group or two, was left to the
    # processor's arithmetic.
    agreeing, others = [f"a{i}" for i in range(10)], [f"b{i}" for i in range(10)]
    statements = [f"s{j}" for j in range(15)]
    others_agreeing = {
        5: {0, 1, 2, 8}, 6: {2, 4, 7, 8}, 7: {0, 2, 3, 9}, 8: {4, 5, 6, 8}, 9: {0, 4, 7, 8},
        10: {0, 2, 5, 7}, 11: {2, 4, 6, 9}, 12: {0, 2, 3, 8}, 13: {1, 2, 5, 9}, 14: {4, 5, 8, 9},
    }  # fmt: skip
    records = [VoteRecord(p, statements[j], 1) for j in range(5) for p in agreeing[:6]]
    records += [VoteRecord(p, statements[j], -1) for j in range(5) for p in others]
    for j in range(5, 15):
        records += [VoteRecord(p, statements[j], 1) for p in agreeing]
        records += [VoteRecord(p, statements[j], 1 if i in others_agreeing[j] else -1) for i, p in enumerate(others)]
    result = compute_opinion_map(records, statements=statements)
    assert len(result.groups) == 2
    group = next(g for g in result.groups if set(g.members) == set(agreeing))
    assert [r.statement for r in group.representative] == statements[:5]
    assert [r.statement for r in group.reserve] == statements[5:15]  # the rest that pass, in rank order
    data = presentation.snapshot_json(result)
    index = result.groups.index(group)

    def shown(floor: int) -> list[str]:
        return [
            r["statement"]
            for r in presentation.shown_result(data, set(), floor=floor)["groups"][index]["representative"]
        ]

    assert shown(6) == statements[:5]
    assert shown(7) == statements[5:10]
    for statement in shown(7):
        assert presentation.shown_result(data, set(), floor=7)["votes"][statement][1][index][2] == 10
    # Hidden by the facilitator, a statement makes room for the next one too.
    assert [
        r["statement"] for r in presentation.shown_result(data, {"s0"}, floor=6)["groups"][index]["representative"]
    ] == [
        *statements[1:5],
        "s5",
    ]
    # The other group's figures on the first five would give the six away (16 voters less its 10): none shown.
    other = presentation.shown_result(data, set(), floor=7)["groups"][1 - index]
    assert other["representative"] == [] and other["representative_withheld"]
    assert "reserve" not in other
