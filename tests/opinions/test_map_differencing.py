"""No two maps a few votes apart: the newest voter's votes cannot be read off the difference.

Anne's staff at Nørreby Skole take a stand on how to give the practical subjects more room. Once five colleagues have
voted the results show that all five want more time to prepare and four in five reject open workshops all day. Then
Kasper votes. Were the map published again, "5 of 6" and the workshops dropping off the clear majority would tell
everybody that Kasper disagreed with the first and agreed with the second. The map the page, its downloads, the API
and the problem definition show changes only once as many people as a figure needs (5 among colleagues, 3 in
co-creation) have voted or changed a vote since it.
"""

import csv
import io
import re
import zipfile
from collections.abc import Callable
from typing import Any

import numpy as np
import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from samskab.accounts.models import User
from samskab.opinions import services
from samskab.opinions.models import Conversation
from samskab.partnerships.models import Partnership

from ..conftest import Persona

API = "/api/v1"
TIME, WORKSHOPS = 0, 1
SEEDS = [
    "Vi har brug for mere tid til at forberede praksisfagene sammen.",  # everybody agrees; Kasper will not
    "Værkstederne skal være åbne hele skoledagen.",  # four in five reject it; Kasper will not
    "Praksisfag i blokke giver eleverne ro til at fordybe sig.",
    "Prøverne styrer for meget af undervisningen i udskolingen.",
    "Eleverne lærer mest, når de laver noget med hænderne.",
    "Vi har brug for flere timer med to lærere i klassen.",
    "Madkundskab bør flyttes til sjette klasse.",
]
FIRST_FIVE = {
    "anne": [1, -1, 1, 1, -1, 1, -1],
    "omar": [1, -1, 1, 1, -1, 1, -1],
    "camilla": [1, -1, -1, -1, 1, -1, 1],
    "thomas": [1, 1, -1, -1, 1, -1, 1],
    "louise": [1, -1, 1, -1, 1, 1, -1],
}
Capture = Callable[..., Any]


def text(response: Any) -> str:
    assert response.status_code == 200
    return response.content.decode()


def words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def colleague(name: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=f"{name}@skole.dk"))
    return client


def vote(client: Client, conversation: Conversation, votes: dict[int, int], capture: Capture) -> None:
    """One person's votes through the card, each statement by its place among the seeds; the map is computed
    after them, as the background task does after a burst of votes."""
    statements = list(conversation.statements.order_by("pk"))
    with capture(execute=True):
        for index, value in votes.items():
            response = client.post(
                reverse("opinions:vote", args=[conversation.pk]), {"statement": statements[index].pk, "value": value}
            )
            assert response.status_code in (200, 302)


def exported_counts(client: Client, conversation: Conversation) -> str:
    """comments.csv of the Polis export: each statement's agrees and disagrees."""
    response = client.get(reverse("opinions:export", args=[conversation.pk]))
    return zipfile.ZipFile(io.BytesIO(response.content)).read("comments.csv").decode()


def majorities(html: str) -> str:
    """The page's clear majorities, agreed and rejected, as plain words."""
    start = html.index("Det er et klart flertal enige om")
    return words(html[start : html.index("<h2", start)])


@pytest.fixture
def staff_map(involvement: Partnership, anne: Persona, django_capture_on_commit_callbacks: Capture) -> Conversation:
    """Five colleagues have voted on every statement, and the map is shown."""
    assert anne.actor is not None
    conversation = services.start_conversation(
        user=anne.user,
        actor=anne.actor,
        partnership=involvement,
        question="Hvordan får vi praksisfagene til at fylde mere?",
        seed_statements=SEEDS,
    )
    for name, values in FIRST_FIVE.items():
        vote(colleague(name), conversation, dict(enumerate(values)), django_capture_on_commit_callbacks)
    return conversation


def test_kaspers_vote_cannot_be_read_off_the_results_before_and_after(
    staff_map: Conversation, anne: Persona, involvement: Partnership, django_capture_on_commit_callbacks: Capture
) -> None:
    results = reverse("opinions:results", args=[staff_map.pk])
    api = f"{API}/conversations/{staff_map.pk}/results"
    html = text(anne.client().get(results))
    shown = majorities(html)
    assert f"{SEEDS[TIME]} (5 af 5 er enige, 100 %)" in shown
    assert f"{SEEDS[WORKSHOPS]} (4 af 5 er uenige, 80 %)" in shown
    assert "Kortet opdateres, når mindst 5 flere har stemt eller ændret en stemme" in words(html)
    before = anne.client().get(api).json()
    assert before["n_participants"] == 5 and before["more_voters_needed"] == 5
    counts_before = exported_counts(anne.client(), staff_map)

    # Kasper, the sixth, disagrees with the first and agrees with the workshops. Nothing shown changes; the page
    # says how many more it waits for.
    kasper = colleague("kasper")
    vote(kasper, staff_map, {TIME: -1, WORKSHOPS: 1}, django_capture_on_commit_callbacks)
    assert staff_map.latest_map() is not None and staff_map.latest_map().n_participants == 6  # computed, not shown
    html = text(anne.client().get(results))
    assert majorities(html) == shown
    assert "5 af 6" not in html
    assert "Kortet opdateres, når mindst 4 flere har stemt eller ændret en stemme" in words(html)
    after = anne.client().get(api).json()
    assert after == before | {"more_voters_needed": 4}
    # The downloads hold the same map: five votes on the first statement, all agreeing.
    book = openpyxl.load_workbook(
        io.BytesIO(anne.client().get(reverse("opinions:results_export", args=[staff_map.pk, "xlsx"])).content)
    )
    rows = {row[0]: row for row in list(book["Udsagn"].values)[1:]}
    assert rows[SEEDS[TIME]][1:5] == (5, 100, 0, 0) and rows[SEEDS[WORKSHOPS]][1:5] == (5, 20, 80, 0)
    spreadsheet = anne.client().get(reverse("opinions:results_export", args=[staff_map.pk, "csv"]))
    lines = list(csv.reader(io.StringIO(spreadsheet.content.decode().lstrip("\ufeff")), delimiter=";"))
    assert [SEEDS[TIME], "5", "100", "0", "0"] == lines[1][:5]
    # And the Polis export: its counts are the map's, without Kasper's votes.
    assert exported_counts(anne.client(), staff_map) == counts_before
    # So does the problem definition's suggestion.
    page = text(anne.client().get(reverse("opinions:problem_definition", args=[involvement.pk])))
    suggested = page[page.index("Et klart flertal er enige") :]
    assert "5 af 5 er enige, 100 %" in suggested and "5 af 6" not in suggested

    # Kasper votes again: he is still one person.
    vote(kasper, staff_map, {2: 1}, django_capture_on_commit_callbacks)
    assert "mindst 4 flere har stemt" in words(text(anne.client().get(results)))

    # Three colleagues change their minds on the blocks: with Kasper, four have voted since. Still the same map.
    for name in ("omar", "camilla", "thomas"):
        vote(colleague(name), staff_map, {2: 0}, django_capture_on_commit_callbacks)
    html = text(anne.client().get(results))
    assert majorities(html) == shown
    assert "Kortet opdateres, når mindst 1 mere har stemt eller ændret en stemme" in words(html)
    assert anne.client().get(api).json()["computed_at"] == before["computed_at"]

    # Louise changes hers too: five people have voted since, so the newer map is shown, Kasper's votes among five.
    vote(colleague("louise"), staff_map, {2: 0}, django_capture_on_commit_callbacks)
    html = text(anne.client().get(results))
    assert f"{SEEDS[TIME]} (5 af 6 er enige, 83 %)" in majorities(html)
    assert SEEDS[WORKSHOPS] not in majorities(html)  # four in six is no clear majority
    assert "Kortet opdateres, når mindst 5 flere har stemt eller ændret en stemme" in words(html)
    now = anne.client().get(api).json()
    assert now["n_participants"] == 6 and now["computed_at"] != before["computed_at"]
    assert exported_counts(anne.client(), staff_map) != counts_before
    page = text(anne.client().get(reverse("opinions:problem_definition", args=[involvement.pk])))
    assert "5 af 6 er enige, 83 %" in page[page.index("Et klart flertal er enige") :]


def test_a_closed_conversation_says_that_its_last_votes_are_not_in_the_map(
    staff_map: Conversation, anne: Persona, django_capture_on_commit_callbacks: Capture
) -> None:
    vote(colleague("kasper"), staff_map, {TIME: -1, WORKSHOPS: 1}, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        closed = anne.client().post(reverse("opinions:set_open", args=[staff_map.pk]), {"open": "0"})
    assert closed.status_code == 302
    html = text(anne.client().get(reverse("opinions:results", args=[staff_map.pk])))
    assert (
        "Samtalen er lukket. De sidste stemmer, fra 1 person, er ikke med i kortet: et nyt kort vises først, når "
        "mindst 5 har stemt eller ændret en stemme siden det forrige"
    ) in words(html)
    assert f"{SEEDS[TIME]} (5 af 5 er enige, 100 %)" in majorities(html)
    assert "Kortet opdateres" not in html


@pytest.fixture
def market(partnership: Partnership, fie: Persona) -> Conversation:
    assert fie.actor is not None
    return services.start_conversation(
        user=fie.user,
        actor=fie.actor,
        partnership=partnership,
        question="Hvad skal der ske på Vollsmose Torv?",
        seed_statements=[
            "Torvet skal være et sted for alle aldre.",
            "Der skal være en scene på torvet.",
            "Markedet skal flytte til lørdag.",
        ],
    )


def test_in_co_creation_the_map_waits_for_three(
    market: Conversation, personas: dict[str, Persona], django_capture_on_commit_callbacks: Capture
) -> None:
    api = f"{API}/conversations/{market.pk}/results"
    results = reverse("opinions:results", args=[market.pk])
    for name in ("fie", "mette", "lars"):
        vote(personas[name].client(), market, {0: 1, 1: 1, 2: -1}, django_capture_on_commit_callbacks)
    first = Client().get(api).json()
    assert first["n_participants"] == 3 and first["min_voters"] == 3 and first["more_voters_needed"] == 3

    # Sofie and Jens vote: two since the map shown, and the page says that one more is needed.
    vote(personas["sofie"].client(), market, {0: -1, 1: -1, 2: 1}, django_capture_on_commit_callbacks)
    assert "Kortet opdateres, når mindst 2 flere har stemt" in words(text(Client().get(results)))
    vote(personas["jens"].client(), market, {0: 1, 1: -1}, django_capture_on_commit_callbacks)
    html = text(Client().get(results))
    assert "Kortet opdateres, når mindst 1 mere har stemt eller ændret en stemme" in words(html)
    assert Client().get(api).json() == first | {"more_voters_needed": 1}

    # Mette changes her mind on the market: changing a vote counts, and the third makes a newer map.
    vote(personas["mette"].client(), market, {2: 1}, django_capture_on_commit_callbacks)
    now = Client().get(api).json()
    assert now["n_participants"] == 5 and now["computed_at"] != first["computed_at"]
    moved = str(market.statements.order_by("pk")[2].pk)
    market_row = next(row for row in now["statements"] if row["statement"] == moved)
    assert (market_row["agree"], market_row["disagree"], market_row["seen"]) == (2, 2, 4)


def test_hiding_a_statement_publishes_no_newer_votes(
    market: Conversation, personas: dict[str, Persona], django_capture_on_commit_callbacks: Capture
) -> None:
    """A moderation changes what is shown, not whose votes: with nobody's vote since, the map is computed again
    without the statement at once; with a vote since, the map shown stays and the statement is left out of it."""
    for name in ("fie", "mette", "lars"):
        vote(personas[name].client(), market, {0: 1, 1: 1, 2: -1}, django_capture_on_commit_callbacks)
    api = f"{API}/conversations/{market.pk}/results"
    first = Client().get(api).json()
    stage, moved = market.statements.order_by("pk")[1:3]
    fie = personas["fie"].client()

    def moderate(statement_pk: int, **form: str) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            response = fie.post(reverse("opinions:moderate", args=[market.pk, statement_pk]), form)
        assert response.status_code == 302

    moderate(stage.pk, action="hide", reason="off_topic", note="")
    hidden = Client().get(api).json()
    assert hidden["computed_at"] != first["computed_at"] and hidden["n_participants"] == 3
    recomputed = words(text(Client().get(reverse("opinions:results", args=[market.pk]))))
    assert "har modereret" not in recomputed  # the map shown is computed without it
    assert str(stage.pk) not in {row["statement"] for row in hidden["statements"]}

    # Sofie votes on the market; then the facilitator hides it. Her vote stays out of what is shown.
    vote(personas["sofie"].client(), market, {0: -1, 2: 1}, django_capture_on_commit_callbacks)
    moderate(moved.pk, action="hide", reason="off_topic", note="")
    after = Client().get(api).json()
    assert after["computed_at"] == hidden["computed_at"] and after["n_participants"] == 3
    assert {row["statement"] for row in after["statements"]} == {str(market.statements.order_by("pk")[0].pk)}
    everybody = after["statements"][0]
    assert (everybody["agree"], everybody["seen"]) == (3, 3)
    html = text(Client().get(reverse("opinions:results", args=[market.pk])))
    assert moved.text not in html and stage.text not in html
    # The groups still count the votes on it, and the page says so until a newer map is shown.
    assert "Facilitatoren har modereret et udsagn, siden kortet blev beregnet" in words(html)


def test_the_votes_fingerprint_ignores_order_and_sees_every_vote() -> None:
    """A map from the same votes is published at once: the fingerprint must not depend on the order the database
    returns them in, and must change with any one vote, even where two changes would cancel in a plain sum."""
    rng = np.random.default_rng(7)
    rows = np.stack([rng.integers(1, 500, 2000), rng.integers(1, 60, 2000), rng.integers(-1, 2, 2000)], axis=1)
    rows = rows[np.unique(rows[:, :2], axis=0, return_index=True)[1]]
    digest = services.votes_digest(rows)
    assert services.votes_digest(rows[rng.permutation(len(rows))]) == digest
    swapped = rows.copy()
    first, second = np.flatnonzero(swapped[:, 2] == 1)[0], np.flatnonzero(swapped[:, 2] == -1)[0]
    swapped[first, 2], swapped[second, 2] = -1, 1  # one agree becomes disagree, one disagree agree
    assert services.votes_digest(swapped) != digest
    assert services.votes_digest(rows[1:]) != digest
