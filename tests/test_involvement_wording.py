"""In Anne's involvement of the staff of Nørreby Skole the pages speak of colleagues, not of actors and sectors:
the ground rules are rules for colleagues, the proposals and the problem definition address each person, the action
plan and the results download leave out the sectors, readers outside a public process see no staff names in the
phase log, and the process's card counts its six people, not its one member actor. Fie's co-creation partnership
keeps its own words, sectors and member count."""

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from samskab.accounts.models import User
from samskab.opinions import services as opinion_services
from samskab.opinions.models import Conversation
from samskab.partnerships import services
from samskab.partnerships.models import Partnership, Phase

from .conftest import STAFF, Persona

CO_CREATION_RULE = "Hver medlemsaktør har én stemme, uanset størrelse og sektor."
COLLEAGUES_RULES = [
    "Alles syn tæller lige meget, uanset stilling og opgaver.",
    "Uenighed er velkommen",
    "Vi holder os inden for råderummet",
    "Det, der bliver sagt i forløbet, bliver aldrig brugt mod nogen.",
]


def text(client: Client, url: str) -> str:
    """The page as a reader sees it: the words, one space apart."""
    response = client.get(url)
    assert response.status_code == 200, url
    return " ".join(response.content.decode().split())


def make_public(process: Partnership) -> None:
    Partnership.objects.filter(pk=process.pk).update(visibility=Partnership.Visibility.PUBLIC)


def test_a_process_starts_from_ground_rules_for_colleagues_and_co_creation_keeps_its_own(
    involvement: Partnership, omar: Persona, partnership: Partnership, fie: Persona
) -> None:
    page = text(omar.client(), reverse("partnerships:decisions", args=[involvement.pk]))
    for rule in COLLEAGUES_RULES:
        assert rule in page
    assert CO_CREATION_RULE not in page

    page = text(fie.client(), reverse("partnerships:decisions", args=[partnership.pk]))
    assert CO_CREATION_RULE in page
    assert COLLEAGUES_RULES[0] not in page


def test_a_leader_who_starts_a_process_by_the_form_gets_the_colleagues_rules(anne: Persona) -> None:
    anne.client().post(
        reverse("partnerships:involvement_start"),
        {"title": "Ny skemastruktur", "purpose": "", "visibility": "members", "room_for_change": ""},
    )
    process = Partnership.objects.get(title="Ny skemastruktur")
    assert process.kind == Partnership.Kind.EMPLOYEE_INVOLVEMENT
    page = text(anne.client(), reverse("partnerships:decisions", args=[process.pk]))
    assert COLLEAGUES_RULES[3] in page and CO_CREATION_RULE not in page


def test_the_proposals_page_gives_each_colleague_a_voice_and_co_creation_each_actor(
    involvement: Partnership, omar: Persona, partnership: Partnership, fie: Persona
) -> None:
    page = text(omar.client(), reverse("partnerships:proposals", args=[involvement.pk]))
    assert "hver af os har sin egen stemme" in page
    assert "medlemsaktør" not in page

    page = text(fie.client(), reverse("partnerships:proposals", args=[partnership.pk]))
    assert "hver medlemsaktør har én stemme" in page
    assert "hver af os" not in page


def test_the_problem_definition_page_addresses_colleagues(
    involvement: Partnership, omar: Persona, partnership: Partnership, fie: Persona
) -> None:
    url = reverse("opinions:problem_definition", args=[involvement.pk])
    page = text(omar.client(), url)
    assert "hver kollega, der deltager, kan gøre indsigelse inden fristen" in page
    assert "medlemsaktør" not in page
    make_public(involvement)  # a reader outside sees that nothing is written yet, and who writes it
    page = text(Client(), url)
    assert "Kollegerne skriver den sammen ud fra det, der samler i forløbets samtaler." in page

    url = reverse("opinions:problem_definition", args=[partnership.pk])
    assert "hver medlemsaktør kan gøre indsigelse inden fristen" in text(fie.client(), url)
    assert "Medlemmerne skriver den sammen ud fra det, der samler i partnerskabets samtaler." in text(Client(), url)


def test_the_process_page_speaks_of_colleagues_where_co_creation_speaks_of_partners_and_sectors(
    involvement: Partnership, omar: Persona, partnership: Partnership
) -> None:
    page = text(omar.client(), involvement.get_absolute_url())
    assert "et meningskort over, hvor kollegerne står" in page
    assert "Skrevet ud fra det, kollegerne er enige om" in page
    assert "sektorerne" not in page

    page = text(Client(), partnership.get_absolute_url())
    assert "et meningskort over, hvor partnerne står" in page
    assert "Skrevet ud fra det, der bygger bro mellem sektorerne" in page


def test_the_action_plan_of_a_process_has_no_sector_columns(
    involvement: Partnership, anne: Persona, omar: Persona, partnership: Partnership, lars: Persona
) -> None:
    for process, persona in ((involvement, anne), (partnership, lars)):
        assert persona.actor is not None
        services.pledge(
            user=persona.user, partnership=process, actor=persona.actor, kind="volunteer_hours", description="Timer"
        )
    page = text(omar.client(), reverse("partnerships:together", args=[involvement.pk]))
    assert "<caption>Tilsagn fordelt på type</caption>" in page
    for sector in ("Kommune", "Forening", "Borger", "Virksomhed"):
        assert f'<th scope="col">{sector}</th>' not in page

    page = text(lars.client(), reverse("partnerships:together", args=[partnership.pk]))
    assert "<caption>Tilsagn fordelt på type og sektor</caption>" in page
    for sector in ("Kommune", "Forening", "Borger", "Virksomhed"):
        assert f'<th scope="col">{sector}</th>' in page


@pytest.fixture
def staff_conversation(
    involvement: Partnership, anne: Persona, django_capture_on_commit_callbacks: object
) -> Conversation:
    """Anne asks her five colleagues; all six vote, and the map is drawn."""
    assert anne.actor is not None
    conversation = opinion_services.start_conversation(
        user=anne.user,
        actor=anne.actor,
        partnership=involvement,
        question="Hvordan får vi praksisfagene til at fylde mere?",
        seed_statements=[
            "Praksisfag i blokke giver eleverne ro til at fordybe sig.",
            "Vi mangler tid til at planlægge sammen.",
            "Værkstederne skal være åbne hele dagen.",
        ],
    )
    people = [anne.user, *User.objects.filter(email__in=[f"{name}@skole.dk" for name in STAFF])]
    statements = list(conversation.statements.order_by("pk"))
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        for i, person in enumerate(people):
            participant = opinion_services.participant_for_member(user=person, conversation=conversation)
            for statement, value in zip(statements, (1, 1 if i % 2 else -1, -1 if i % 2 else 1), strict=True):
                opinion_services.record_vote(statement=statement, participant=participant, value=value)
    assert opinion_services.shown_map(conversation) is not None
    return conversation


def test_the_results_download_of_a_process_has_no_sector_sheet_and_the_definition_no_bridging(
    staff_conversation: Conversation, involvement: Partnership, anne: Persona
) -> None:
    url = reverse("opinions:results_export", args=[staff_conversation.pk, "xlsx"])
    book = load_workbook(io.BytesIO(anne.client().get(url).content))
    assert book.sheetnames == ["Udsagn", "Grupper"]
    assert [cell.value for cell in book["Grupper"][1]] == ["Gruppe", "Deltagere", "Andel (%)"]

    # What everyone agreed on is offered to build the definition on, as what a clear majority agrees on.
    page = text(anne.client(), reverse("opinions:problem_definition", args=[involvement.pk]))
    assert "Et klart flertal af dine kolleger støtter disse udsagn." in page
    majority = page[page.index("Et klart flertal er enige") :]
    assert "Praksisfag i blokke giver eleverne ro til at fordybe sig." in majority
    assert "Brobygning på tværs af sektorerne" not in page

    # The same votes in co-creation: the download compares the sectors, on a sheet of their own.
    Partnership.objects.filter(pk=involvement.pk).update(kind=Partnership.Kind.CO_CREATION)
    book = load_workbook(io.BytesIO(anne.client().get(url).content))
    assert book.sheetnames == ["Udsagn", "Grupper", "Sektorer"]


def test_readers_outside_a_public_process_see_no_staff_names_in_the_phase_log(
    involvement: Partnership, anne: Persona, omar: Persona, partnership: Partnership, fie: Persona
) -> None:
    assert anne.actor is not None and fie.actor is not None
    make_public(involvement)
    services.change_phase(user=omar.user, partnership=involvement, by_actor=anne.actor, to_phase=Phase.IDEAS)
    services.change_phase(user=anne.user, partnership=involvement, by_actor=anne.actor, to_phase=Phase.DECIDE)

    page = text(Client(), involvement.get_absolute_url())
    log = page[page.index("Fasehistorik") :]
    assert log.count("Nørreby Skole</td>") == 3  # the start and both changes, by the school
    for name in ("Anne Lindholm", *(name.title() for name in STAFF)):
        assert name not in page

    log = text(omar.client(), involvement.get_absolute_url())
    assert "<td>Omar, Nørreby Skole</td>" in log and "<td>Anne Lindholm, Nørreby Skole</td>" in log

    services.change_phase(user=fie.user, partnership=partnership, by_actor=fie.actor, to_phase=Phase.IDEAS)
    page = text(Client(), partnership.get_absolute_url())
    assert "<td>Fie Lund, Frivilligcenter Odense</td>" in page


def test_the_card_of_a_process_counts_its_people_in_one_query_for_the_list(
    involvement: Partnership, anne: Persona, omar: Persona, partnership: Partnership
) -> None:
    assert anne.actor is not None
    make_public(involvement)
    for page_url, client in ((reverse("partnerships:list"), omar.client()), (reverse("home"), omar.client())):
        page = text(client, page_url)
        card = page[page.index(involvement.title) :]
        card = card[: card.index("</li>")]
        assert "6 personer deltager" in card and "medlem" not in card
    page = text(Client(), reverse("partnerships:list"))
    card = page[page.index("Unge i Vollsmose") :]
    assert "5 medlemmer" in card[: card.index("</li>")]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert omar.client().get(reverse("partnerships:list")).status_code == 200
        return len(captured)

    one_process = queries()
    for n in range(3):
        services.start_partnership(
            user=anne.user,
            actor=anne.actor,
            challenge=None,
            title=f"Forløb {n}",
            kind=Partnership.Kind.EMPLOYEE_INVOLVEMENT,
            visibility=Partnership.Visibility.PUBLIC,
        )
    assert queries() == one_process
    page = text(omar.client(), reverse("partnerships:list"))
    assert page.count("6 personer deltager") == 4


def test_a_colleague_who_has_left_no_longer_counts_on_the_card(involvement: Partnership, omar: Persona) -> None:
    """The card counts as `Partnership.people` does: Omar's closed account has no voice."""
    omar.user.is_active = False
    omar.user.save(update_fields=["is_active"])
    make_public(involvement)
    page = text(Client(), reverse("partnerships:list"))
    card = page[page.index(involvement.title) :]
    assert "5 personer deltager" in card[: card.index("</li>")]


def test_closing_a_process_speaks_of_the_process(
    involvement: Partnership, anne: Persona, partnership: Partnership, fie: Persona
) -> None:
    """Anne's staff close their process, not a partnership: the learn page, its proposal and the edit button say so.
    Fie's co-creation partnership keeps its own words."""
    learn = reverse("partnerships:learn", args=[involvement.pk])
    page = text(anne.client(), learn)
    assert "Afslut forløbet" in page and "Foreslå at afslutte forløbet" in page and "partnerskabet" not in page
    assert "Redigér forløbet" in text(anne.client(), involvement.get_absolute_url())
    assert anne.actor is not None and fie.actor is not None
    proposal = services.propose_closing(user=anne.user, partnership=involvement, by_actor=anne.actor, note="")
    assert proposal.title == "Afslut forløbet" and "Vi afslutter forløbet." in proposal.current_version().text
    assert "Det er foreslået at afslutte forløbet" in text(anne.client(), learn)

    assert "Redigér partnerskabet" in text(fie.client(), partnership.get_absolute_url())
    assert "Foreslå at afslutte partnerskabet" in text(
        fie.client(), reverse("partnerships:learn", args=[partnership.pk])
    )
    closing = services.propose_closing(user=fie.user, partnership=partnership, by_actor=fie.actor, note="")
    assert closing.title == "Afslut partnerskabet" and "Vi afslutter partnerskabet." in closing.current_version().text
