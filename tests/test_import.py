"""Mette imports Odense's register of associations: upload, choose columns, dry run, confirm.

Lars (an association) may not import; nor may an administrator of another municipality touch Odense's import.
"""

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samskab.actors import imports, search, services
from samskab.actors.models import Actor, ActorImport, Membership, MunicipalAdministrator, Municipality, Sector, Theme

from .conftest import Persona, make_user

HEADER = "Navn;CVR;Sektor;Beskrivelse;Adresse;Bydel;Temaer;E-mail;Telefon;Hjemmeside;Bredde;Længde;Kommunekode;Noter"
GOOD_ROWS = [
    "Vollsmose Skakklub;11111111;forening;Skak for alle aldre;Vollsmosevej 1, 5240 Odense NØ;Vollsmose;"
    "Kultur og fritid;skak@example.dk;12345678;skakklub.dk;55,4051;10,4453;461;ring først",
    "Bøgeskovens Æbleforening;22222222;Association;Vi plukker æbler med ældre;;Bøgeskov;ældre, miljoe;;;;;;0461;",
    "Købmand Åsted;33333333;virksomhed;Studiejob og mødelokale;;;;;;;;;;",
]


def register(*rows: str, header: str = HEADER) -> bytes:
    return "\r\n".join([header, *rows, ""]).encode("utf-8")


def upload(client: Client, data: bytes, name: str = "foreninger.csv", *, read: bool = True) -> Any:
    """Post the file; with `read`, the task that reads it runs as the request commits, as without a worker."""
    with TestCase.captureOnCommitCallbacks(execute=read):
        return client.post(
            reverse("actors:import_upload"), {"file": SimpleUploadedFile(name, data), "municipality": "0461"}
        )


@pytest.fixture
def dry_run(django_capture_on_commit_callbacks: Callable) -> Callable[..., ActorImport]:
    """Upload a file as `persona`, accept the guessed columns (or others), and run the dry run."""

    def run(persona: Persona, data: bytes, name: str = "foreninger.csv", **mapping: str) -> ActorImport:
        client = persona.client()
        response = upload(client, data, name)
        assert response.status_code == 302, response.context["form"].errors
        actor_import = ActorImport.objects.latest("pk")
        chosen = {field: str(index) for field, index in actor_import.mapping.items()} | mapping
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("actors:import_mapping", args=[actor_import.pk]), chosen)
        assert response.status_code == 302
        actor_import.refresh_from_db()
        return actor_import

    return run


@pytest.fixture
def confirm(django_capture_on_commit_callbacks: Callable) -> Callable[[Persona, ActorImport], ActorImport]:
    def run(persona: Persona, actor_import: ActorImport) -> ActorImport:
        with django_capture_on_commit_callbacks(execute=True):
            response = persona.client().post(reverse("actors:import_confirm", args=[actor_import.pk]))
        assert response.status_code == 302
        actor_import.refresh_from_db()
        return actor_import

    return run


def imported() -> dict[str, Actor]:
    return {a.external_id: a for a in Actor.objects.exclude(external_id="").prefetch_related("themes")}


def test_the_dry_run_writes_nothing_and_reports_counts_lines_and_ignored_columns(
    mette: Persona, dry_run: Callable
) -> None:
    rows = [*GOOD_ROWS, "Ukendt Klub;44444444;spejdergruppe;;;;;;;;;;;", ";55555555;forening;;;;;;;;99;10;;"]
    actors_before = Actor.objects.count()

    actor_import = dry_run(mette, register(*rows))

    assert actor_import.status == ActorImport.Status.CHECKED
    assert Actor.objects.count() == actors_before
    report = actor_import.report
    assert report["counts"] == {"create": 3, "update": 0, "unchanged": 0, "skipped": 0, "namesakes": 0, "linked": 0}
    assert [line for line, _message in report["errors"]] == [5, 6, 6]  # unknown sector; no name and latitude 99
    assert report["ignored_columns"] == ["Noter"]
    page = mette.client().get(reverse("actors:import_status", args=[actor_import.pk])).content.decode()
    assert "Ukendt Klub" not in page  # reasons, not the row's data
    assert reverse("actors:import_confirm", args=[actor_import.pk]) not in page
    # Nothing is imported while anything fails.
    assert mette.client().post(reverse("actors:import_confirm", args=[actor_import.pk])).status_code == 403
    assert Actor.objects.count() == actors_before


def test_import_creates_private_searchable_actors_and_reimport_changes_nothing(
    mette: Persona, odense: Municipality, dry_run: Callable, confirm: Callable
) -> None:
    actor_import = confirm(mette, dry_run(mette, register(*GOOD_ROWS)))

    assert actor_import.status == ActorImport.Status.DONE
    assert actor_import.report["result"]["create"] == 3
    # A second click on "Importér" shows the status again; it neither refuses nor imports twice.
    assert confirm(mette, actor_import).report["result"]["create"] == 3
    assert Actor.objects.exclude(external_id="").count() == 3
    actors = imported()
    chess = actors["11111111"]
    assert (chess.name, chess.sector, chess.municipality, chess.created_by) == (
        "Vollsmose Skakklub",
        Sector.ASSOCIATION,
        odense,
        mette.user,
    )
    assert (chess.latitude, chess.longitude) == (55.4051, 10.4453)
    assert chess.website == "https://skakklub.dk"
    assert chess.public_fields == []
    assert [t.slug for t in chess.themes.all()] == ["kultur"]
    assert sorted(t.slug for t in actors["22222222"].themes.all()) == ["aeldre", "miljoe"]
    assert actors["33333333"].sector == Sector.BUSINESS
    assert not chess.memberships.exists()  # nobody administers an imported actor until it is claimed
    found, _fuzzy = Actor.objects.for_directory().search(q="æbler")
    assert [a.external_id for a in found] == ["22222222"]

    again = dry_run(mette, register(*GOOD_ROWS))
    assert again.report["counts"] == {
        "create": 0,
        "update": 0,
        "unchanged": 3,
        "skipped": 0,
        "namesakes": 0,
        "linked": 0,
    }
    assert (
        reverse("actors:import_confirm", args=[again.pk])
        not in mette.client().get(reverse("actors:import_status", args=[again.pk])).content.decode()
    )

    edited = [GOOD_ROWS[0].replace("Skak for alle aldre", "Skak og brætspil for alle"), *GOOD_ROWS[1:]]
    update = confirm(mette, dry_run(mette, register(*edited)))
    assert update.report["result"] == {
        "create": 0,
        "update": 1,
        "unchanged": 2,
        "skipped": 0,
        "namesakes": 0,
        "linked": 0,
    }
    assert Actor.objects.filter(external_id="11111111").get().description == "Skak og brætspil for alle"
    assert Actor.objects.filter(external_id__in=["11111111", "22222222", "33333333"]).count() == 3
    found, _fuzzy = Actor.objects.for_directory().search(q="brætspil")
    assert [a.external_id for a in found] == ["11111111"]


def test_nothing_is_imported_when_a_row_fails_at_import_time(
    mette: Persona, dry_run: Callable, confirm: Callable
) -> None:
    actor_import = dry_run(mette, register(*GOOD_ROWS))
    assert actor_import.report["errors"] == []
    Theme.objects.filter(slug="miljoe").delete()  # the taxonomy changes between the dry run and the import

    actor_import = confirm(mette, actor_import)

    assert actor_import.status == ActorImport.Status.FAILED
    assert actor_import.report["errors"] == []
    assert [line for line, _message in actor_import.report["warnings"]] == [3]  # "miljoe" left out now
    assert "ikke længere, som tjekket fandt dem" in actor_import.report["fatal"]
    assert imported() == {}


def test_a_failure_while_saving_rolls_everything_back(
    mette: Persona, dry_run: Callable, confirm: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def index_then_fail(pk: int, name: str, description: str) -> None:
        calls.append(pk)
        if len(calls) == 2:
            raise RuntimeError("disk full")

    actor_import = dry_run(mette, register(*GOOD_ROWS))
    monkeypatch.setattr(search, "index_actor", index_then_fail)

    actor_import = confirm(mette, actor_import)

    assert actor_import.status == ActorImport.Status.FAILED
    assert imported() == {}


def test_latin1_semicolon_file_with_danish_letters_and_decimal_commas(
    mette: Persona, dry_run: Callable, confirm: Callable
) -> None:
    data = "\r\n".join(
        [
            "Navn;CVR-nr.;Bydel;Bredde;Længde;Beskrivelse",
            "Ærø Roklub;12345678;Søndergård;55,3957;10,3887;Vi ror på åen, også om vinteren",
            "Øens Kor;87654321;Åløkke;55,41;10,37;",
        ]
    ).encode("cp1252")

    actor_import = confirm(mette, dry_run(mette, data))

    assert actor_import.status == ActorImport.Status.DONE
    actors = imported()
    assert actors["12345678"].name == "Ærø Roklub"
    assert actors["12345678"].neighbourhood == "Søndergård"
    assert actors["12345678"].description == "Vi ror på åen, også om vinteren"
    assert (actors["87654321"].latitude, actors["87654321"].longitude) == (55.41, 10.37)


def test_xlsx_register(mette: Persona, dry_run: Callable, confirm: Callable) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Name", "External id", "Type", "Latitude", "Longitude", "Themes"])
    sheet.append(["Dalum Fodbold", 29876543, "association", 55.37, 10.35, "idraet; boern-unge"])
    sheet.append([None, None, None, None, None, None])  # a blank row is skipped, line numbers are kept
    sheet.append(["Odense Madhus", "31234567", "business", None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)

    actor_import = confirm(mette, dry_run(mette, buffer.getvalue(), name="register.xlsx"))

    assert actor_import.status == ActorImport.Status.DONE
    actors = imported()
    assert set(actors) == {"29876543", "31234567"}
    assert actors["29876543"].latitude == 55.37
    assert sorted(t.slug for t in actors["29876543"].themes.all()) == ["boern-unge", "idraet"]
    assert actors["31234567"].sector == Sector.BUSINESS


def test_duplicate_external_ids_are_reported_on_every_line(mette: Persona, dry_run: Callable) -> None:
    rows = [GOOD_ROWS[0], GOOD_ROWS[1], GOOD_ROWS[2].replace("33333333", "11111111")]

    actor_import = dry_run(mette, register(*rows))

    assert [line for line, _message in actor_import.report["errors"]] == [2, 4]
    assert all("11111111" in message for _line, message in actor_import.report["errors"])


def test_impossible_coordinates_and_other_bad_values(mette: Persona, dry_run: Callable) -> None:
    header = "Navn;CVR;Bredde;Længde;Temaer;Kommunekode;E-mail"
    rows = [
        "A;1;99;10,4;;;",  # 2: latitude outside Denmark
        "B;2;55,4;abc;;;",  # 3: longitude not a number
        "C;3;55,4;;;;",  # 4: only one coordinate
        "D;4;55,4;10,4;;;",  # 5: fine
        "E;5;;;;9999;",  # 6: unknown municipality code
        "F;6;;;;0101;",  # 7: another municipality
        "G;7;;;;;ikke-en-adresse",  # 8: not an email address
        "H;;;;;;",  # 9: no external id
        "I;9;55.4;10.4;Integration;461;i@example.dk",  # 10: fine
    ]

    actor_import = dry_run(mette, register(*rows, header=header))

    assert [line for line, _message in actor_import.report["errors"]] == [2, 3, 4, 6, 7, 8, 9]
    assert actor_import.report["counts"]["create"] == 2


def test_a_theme_samskab_does_not_have_is_left_out_with_a_warning_and_the_row_imported(
    mette: Persona, dry_run: Callable, confirm: Callable
) -> None:
    """A register's own categories ("Fodbold") are no reason to hold back a whole import: the row comes in with
    the themes Samskab knows, and the dry run says which words were left out and which themes there are."""
    header = "Navn;CVR;Temaer"
    actor_import = dry_run(mette, register("Vollsmose Fodbold;4;fodbold, Kultur og fritid", header=header))

    assert actor_import.report["errors"] == []
    assert actor_import.report["counts"]["create"] == 1
    [(line, warning)] = actor_import.report["warnings"]
    assert line == 2 and "Ikke blandt Samskabs temaer og udeladt: “fodbold”." in warning
    assert "Kultur og fritid" in warning.split("Temaerne er:")[1]
    page = " ".join(
        mette.client().get(reverse("actors:import_status", args=[actor_import.pk])).content.decode().split()
    )
    assert "Ikke blandt Samskabs temaer og udeladt" in page

    confirm(mette, actor_import)
    assert [t.slug for t in Actor.objects.get(external_id="4").themes.all()] == ["kultur"]
    # Imported again with only a word Samskab does not know: the themes it has stay, rather than being emptied.
    again = dry_run(mette, register("Vollsmose Fodbold;4;Fodbold", header=header))
    assert again.report["counts"]["unchanged"] == 1 and len(again.report["warnings"]) == 1
    confirm(mette, again)
    assert [t.slug for t in Actor.objects.get(external_id="4").themes.all()] == ["kultur"]


def test_an_actor_kept_by_its_own_administrators_is_not_overwritten(
    mette: Persona, lars: Persona, dry_run: Callable
) -> None:
    club = lars.actor
    assert club is not None
    club.external_id = "11111111"
    club.save()

    actor_import = dry_run(mette, register(GOOD_ROWS[0]))

    assert actor_import.report["counts"] == {
        "create": 0,
        "update": 0,
        "unchanged": 0,
        "skipped": 1,
        "namesakes": 0,
        "linked": 0,
    }
    assert [line for line, _message in actor_import.report["warnings"]] == [2]


def test_a_register_row_cannot_confirm_what_an_actor_keeps_private(
    mette: Persona, lars: Persona, dry_run: Callable, confirm: Callable
) -> None:
    # The chess club came from the register, then took over its own profile (Lars is its administrator) and keeps
    # its phone number private. A row with the right number is skipped as one with a wrong number is: "unchanged"
    # would confirm the guess.
    confirm(mette, dry_run(mette, register(GOOD_ROWS[0])))
    club = Actor.objects.get(external_id="11111111")
    club.memberships.create(user=lars.user, role="admin")
    type(club).objects.filter(pk=club.pk).update(public_fields=[])
    right = dry_run(mette, register(GOOD_ROWS[0]))
    wrong = dry_run(mette, register(GOOD_ROWS[0].replace("12345678", "87654321")))
    assert (
        right.report["counts"]
        == wrong.report["counts"]
        == {"create": 0, "update": 0, "unchanged": 0, "skipped": 1, "namesakes": 0, "linked": 0}
    )


def test_citizens_are_not_imported_from_a_register(
    mette: Persona, sofie: Persona, odense: Municipality, dry_run: Callable, confirm: Callable
) -> None:
    """A citizen's page is their own: a row of sector "borger" is an error saying so, and nothing is imported."""
    rows = [*GOOD_ROWS, "Karen Hansen;V-1002;borger;;Rosengårdvej 4;Vollsmose;;karen@example.dk;;;;;461;"]

    actor_import = dry_run(mette, register(*rows))

    assert actor_import.report["errors"] == [
        [
            5,
            "Borgere importeres ikke fra et register: Hver borger opretter selv sin profil i Samskab og bestemmer "
            "selv, hvad den viser. Fjern rækken, eller ret sektoren, hvis det ikke er en borger.",
        ]
    ]
    page = mette.client().get(reverse("actors:import_status", args=[actor_import.pk])).content.decode()
    assert "Hver borger opretter selv sin profil" in page
    assert "Karen Hansen" not in page
    assert mette.client().post(reverse("actors:import_confirm", args=[actor_import.pk])).status_code == 403
    assert not Actor.objects.filter(external_id="V-1002").exists()
    mapping = mette.client().get(reverse("actors:import_mapping", args=[actor_import.pk])).content.decode()
    assert "Borgere importeres ikke: Hver borger opretter selv sin profil." in mapping

    # A citizen already in Samskab under a register id (from before this rule) is not rewritten by a row, with no
    # sector or another one, whether or not the person administers their page.
    citizen = Actor.objects.create(
        sector=Sector.CITIZEN, name="Ib Holm", slug="ib-holm", municipality=odense, external_id="V-1003"
    )
    other = Actor.objects.create(
        sector=Sector.CITIZEN, name="Bo Holm", slug="bo-holm", municipality=odense, external_id="V-1004"
    )
    assert sofie.actor is not None
    type(citizen).objects.filter(pk=sofie.actor.pk).update(external_id="V-1001")
    header = "Navn;CVR;Beskrivelse;Sektor"
    rows = ("Ib;V-1003;Kendt i kvarteret;", "Sofie;V-1001;;", "Bo Holm ApS;V-1004;Tømrer;virksomhed")
    again = confirm(mette, dry_run(mette, register(*rows, header=header)))
    assert again.report["result"] == {
        "create": 0,
        "update": 0,
        "unchanged": 0,
        "skipped": 3,
        "namesakes": 0,
        "linked": 0,
    }
    citizen.refresh_from_db()
    assert (citizen.name, citizen.description) == ("Ib Holm", "")
    other.refresh_from_db()
    assert (other.name, other.sector) == ("Bo Holm", Sector.CITIZEN)
    assert Actor.objects.get(pk=sofie.actor.pk).name == "Sofie Andersen"


def test_a_register_row_never_names_an_anonymised_citizen_again(
    mette: Persona, sofie: Persona, dry_run: Callable, confirm: Callable
) -> None:
    # Sofie was in the register as V-1001 before she deleted her account; the register still has the number, now
    # for an association.
    citizen = sofie.actor
    assert citizen is not None
    type(citizen).objects.filter(pk=citizen.pk).update(external_id="V-1001", municipality_id="0461")
    sofie.client().post(reverse("accounts:delete_account"), {"password": "en-god-adgangskode-42"})
    citizen.refresh_from_db()
    assert citizen.name == "Anonym borger" and citizen.external_id == ""
    confirm(mette, dry_run(mette, register("Vollsmose Strikkeklub;V-1001;forening;;;;;;;;;;461;")))
    citizen.refresh_from_db()
    assert citizen.name == "Anonym borger"
    assert Actor.objects.get(external_id="V-1001").pk != citizen.pk  # a new actor, not the old one named again


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("tom.csv", b"  \r\n", "Filen er tom."),
        ("gammel.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "Det er en gammel Excel-fil (XLS)."),
        ("foreninger.pdf", b"Navn;CVR\r\nA;1\r\n", "“foreninger.pdf” er ikke et regneark, Samskab læser"),
        ("foreninger.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "“foreninger.csv” er ikke et regneark, Samskab læser"),
        ("foreninger.ods", b"PK\x03\x04" + b"\x00" * 60, "“foreninger.ods” er ikke et regneark, Samskab læser"),
    ],
)
def test_files_that_cannot_be_a_register_are_refused_at_once(
    mette: Persona, name: str, data: bytes, reason: str
) -> None:
    response = upload(mette.client(), data, name)

    assert response.status_code == 200
    (error,) = response.context["form"].errors["file"]
    assert error.startswith(reason)
    assert not ActorImport.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("kun-overskrift.csv", b"Navn;CVR\r\n", "Filen har kolonnenavne, men ingen rækker under dem."),
        ("ikke-excel.xlsx", b"Navn;CVR\r\nA;1\r\n", "Filen er ikke en Excel-projektmappe (XLSX)."),
        ("billede.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Filen er hverken en CSV-tekstfil"),
        ("citat.csv", b'Navn;CVR\r\nA;1\r\n"B;2\r\n', "Linje 3 kunne ikke læses"),
    ],
)
def test_unreadable_files_are_reported_on_the_import_page(mette: Persona, name: str, data: bytes, reason: str) -> None:
    client = mette.client()
    actors_before = Actor.objects.count()
    response = upload(client, data, name)

    actor_import = ActorImport.objects.get()
    status_url = reverse("actors:import_status", args=[actor_import.pk])
    assert response.url == status_url
    assert actor_import.status == ActorImport.Status.FAILED
    assert (actor_import.headers, actor_import.rows, actor_import.upload) == ([], [], None)
    page = client.get(status_url).content.decode()
    assert "Filen kunne ikke læses" in page
    assert reason in page
    assert "Vælg andre kolonner" not in page
    assert client.get(reverse("actors:import_mapping", args=[actor_import.pk])).url == status_url
    assert Actor.objects.count() == actors_before


def test_a_file_is_read_in_the_background_and_the_page_goes_on_to_its_columns(mette: Persona) -> None:
    """With a task worker, the upload is answered at once and the import's page follows the reading; when the
    file has been read, the page moves on to choosing the columns."""
    client = mette.client()
    response = upload(client, register(*GOOD_ROWS), read=False)

    actor_import = ActorImport.objects.get()
    status_url = reverse("actors:import_status", args=[actor_import.pk])
    assert response.url == status_url
    assert actor_import.status == ActorImport.Status.READING
    assert actor_import.upload is not None
    fragment = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment
    assert "Læser filen" in fragment
    assert client.get(reverse("actors:import_mapping", args=[actor_import.pk])).url == status_url

    imports.read_import.call(actor_import.pk, "da")

    actor_import.refresh_from_db()
    assert actor_import.status == ActorImport.Status.MAPPING
    assert actor_import.upload is None
    assert actor_import.headers[0] == "Navn"
    assert [line for line, _cells in actor_import.rows] == [2, 3, 4]
    poll = client.get(status_url, headers={"HX-Request": "true"})
    assert poll["HX-Redirect"] == reverse("actors:import_mapping", args=[actor_import.pk])
    # The task run a second time (a worker retrying) leaves the read import as it is.
    imports.read_import.call(actor_import.pk, "da")
    actor_import.refresh_from_db()
    assert (actor_import.status, len(actor_import.rows)) == (ActorImport.Status.MAPPING, 3)


def test_the_page_says_when_no_worker_has_begun_reading(mette: Persona) -> None:
    client = mette.client()
    upload(client, register(*GOOD_ROWS), read=False)
    actor_import = ActorImport.objects.get()
    url = reverse("actors:import_status", args=[actor_import.pk])
    assert "opgaveafvikler" not in client.get(url).content.decode()
    ActorImport.objects.filter(pk=actor_import.pk).update(created_at=timezone.now() - timedelta(minutes=3))
    assert "serverens opgaveafvikler er optaget eller stoppet" in client.get(url).content.decode()


def test_mette_stops_a_reading_that_never_began_and_nothing_is_left_of_it(mette: Persona) -> None:
    """No task worker runs: after a while the page says so, and Mette stops the reading. The file is discarded;
    a worker that comes later finds nothing to read, and an administrator of another municipality cannot stop it."""
    client = mette.client()
    upload(client, register(*GOOD_ROWS), read=False)
    actor_import = ActorImport.objects.get()
    url = reverse("actors:import_status", args=[actor_import.pk])
    stop = reverse("actors:import_cancel", args=[actor_import.pk])
    ActorImport.objects.filter(pk=actor_import.pk).update(created_at=timezone.now() - timedelta(minutes=3))
    page = client.get(url).content.decode()
    assert "serverens opgaveafvikler er optaget eller stoppet" in page
    assert f'action="{stop}"' in page and "Stop indlæsningen" in page

    copenhagen = make_user("anna@kk.dk", "Anna Kofoed")
    MunicipalAdministrator.objects.create(user=copenhagen, municipality_id="0101")
    assert Persona(copenhagen, None).client().post(stop).status_code == 403
    opened = client.get(stop)  # the address opened, not the form sent: it leads back to the import, stopping nothing
    assert (opened.status_code, opened["Location"]) == (302, url)

    assert client.post(stop)["Location"] == url

    actor_import.refresh_from_db()
    assert actor_import.status == ActorImport.Status.FAILED
    assert (actor_import.upload, actor_import.headers, actor_import.rows) == (None, [], [])
    page = client.get(url).content.decode()
    assert "Indlæsningen blev stoppet" in page
    assert "Du stoppede indlæsningen. Filen er kasseret, og intet blev gemt." in page
    assert "hx-trigger" not in page and f'action="{stop}"' not in page
    # The worker comes after all, or was reading already: it leaves the stopped import as it is.
    imports.Progress(actor_import.pk, ActorImport.Status.READING)("reading", 4, 4)
    imports.read_import.call(actor_import.pk, "da")
    actor_import.refresh_from_db()
    assert (actor_import.status, actor_import.rows, actor_import.report["stage"]) == ("failed", [], "cancelled")
    assert client.get(reverse("actors:import_mapping", args=[actor_import.pk]))["Location"] == url
    assert not Actor.objects.exclude(external_id="").exists()


def test_a_file_read_before_the_stop_is_kept(mette: Persona) -> None:
    client = mette.client()
    upload(client, register(*GOOD_ROWS), read=False)
    actor_import = ActorImport.objects.get()
    imports.read_import.call(actor_import.pk, "da")

    client.post(reverse("actors:import_cancel", args=[actor_import.pk]))

    actor_import.refresh_from_db()
    assert (actor_import.status, len(actor_import.rows)) == (ActorImport.Status.MAPPING, 3)


def test_files_left_unread_for_a_day_are_discarded_by_the_hourly_command(mette: Persona) -> None:
    client = mette.client()
    upload(client, register(*GOOD_ROWS), "gammel.csv", read=False)
    upload(client, register(*GOOD_ROWS), "ny.csv", read=False)
    ActorImport.objects.filter(filename="gammel.csv").update(created_at=timezone.now() - timedelta(hours=25))
    out = io.StringIO()

    call_command("expire_imports", stdout=out)

    assert out.getvalue().strip() == "1 unread register files discarded"
    old, new = ActorImport.objects.get(filename="gammel.csv"), ActorImport.objects.get(filename="ny.csv")
    assert (old.status, old.upload) == (ActorImport.Status.FAILED, None)
    assert (new.status, bytes(new.upload or b"")) == (ActorImport.Status.READING, register(*GOOD_ROWS))
    page = client.get(reverse("actors:import_status", args=[old.pk])).content.decode()
    assert "Filen ventede mere end et døgn på serverens opgaveafvikler" in page


def test_reading_reports_its_progress_line_by_line() -> None:
    heard: list[tuple[str, int, int]] = []
    data = register(*GOOD_ROWS)
    imports.read_table("r.csv", data, on_progress=lambda *args: heard.append(args))
    assert heard == [("reading", line, 5) for line in (1, 2, 3, 4)]

    heard.clear()
    book = openpyxl.Workbook()
    for row in [["Navn", "CVR"]] + [[f"Klub {n}", n] for n in range(1, 4)]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    imports.read_table("r.xlsx", buffer.getvalue(), on_progress=lambda *args: heard.append(args))
    assert heard == [("reading", line, 4) for line in (1, 2, 3, 4)]


def test_the_column_mapping_needs_an_external_id_and_one_column_per_field(mette: Persona) -> None:
    client = mette.client()
    form = client.get(reverse("actors:import_upload")).content.decode()
    assert 'accept=".csv,.tab,.tsv,.txt,.xlsm,.xlsx"' in form  # the file picker offers spreadsheets first
    upload(client, register(*GOOD_ROWS))
    actor_import = ActorImport.objects.get()
    screen = client.get(reverse("actors:import_mapping", args=[actor_import.pk])).content.decode()
    assert "Vollsmose Skakklub" in screen  # the first rows, to recognise the columns by
    assert actor_import.mapping["name"] == 0
    assert actor_import.mapping["longitude"] == 11  # "Længde"
    assert "Noter" not in [actor_import.headers[i] for i in actor_import.mapping.values()]

    response = client.post(reverse("actors:import_mapping", args=[actor_import.pk]), {"name": "0", "address": "0"})

    assert response.status_code == 200
    assert "Vælg den kolonne, der rummer hver rækkes id i registret." in response.content.decode()
    assert set(response.context["form"].errors) == {"external_id", "address"}
    actor_import.refresh_from_db()
    assert actor_import.status == ActorImport.Status.MAPPING


def test_a_type_column_of_the_registers_own_kinds_is_not_taken_for_the_sector(
    mette: Persona, dry_run: Callable
) -> None:
    """A register's "Type" holds its own kinds ("Spejdergruppe", "Kor") as often as sectors: it is left for the
    person to map, and not every row turned into an unknown sector. Kinds that do say a sector are read as it."""
    client = mette.client()
    kinds = register(
        "Egeå Spejderne;1;Spejdergruppe", "Egeå Kor;2;Kor", "Egeå IF;3;Idrætsforening", header="Navn;CVR;Type"
    )
    upload(client, kinds)
    assert "sector" not in ActorImport.objects.latest("pk").mapping

    header = "Navn;CVR;Type"
    sectors = register("Egeå IF;3;Idrætsforening", "Madsens Cykler;4;ApS", "Egeå Bryg;5;A/S", header=header)
    upload(client, sectors)
    assert ActorImport.objects.latest("pk").mapping["sector"] == 2
    actor_import = dry_run(mette, sectors)
    assert actor_import.report["errors"] == []
    plan = {row["name"]: row["sector"] for row in actor_import.report["preview"]["create"]}
    assert plan == {"Egeå IF": "association", "Madsens Cykler": "business", "Egeå Bryg": "business"}
    # Mostly sectors, but not all: a kind it cannot read is a warning, and the row comes in as an association.
    mixed = dry_run(
        mette, register("Egeå IF;3;Idrætsforening", "Egeå Bryg;5;A/S", "Spejderne;6;Spejdergruppe", header=header)
    )
    assert mixed.report["errors"] == [] and mixed.report["counts"]["create"] == 3
    [(line, warning)] = mixed.report["warnings"]
    assert line == 4 and "“Spejdergruppe” er ikke en sektor, Samskab kender" in warning
    # A column named Sektor is the sector: a word it cannot read there is an error to fix.
    strict = dry_run(mette, register("Spejderne;6;Spejdergruppe", header="Navn;CVR;Sektor"))
    assert [line for line, _message in strict.report["errors"]] == [2]


def test_a_register_without_an_id_column_says_what_is_missing_and_how_to_fix_it(mette: Persona) -> None:
    client = mette.client()
    upload(client, register("Vollsmose Skakklub;Vollsmosevej 1;Vollsmose", header="Navn;Adresse;Bydel"))
    actor_import = ActorImport.objects.get()
    url = reverse("actors:import_mapping", args=[actor_import.pk])

    screen = client.get(url).content.decode()

    assert "Filen har ingen kolonne med et id" in screen
    assert "blandt filens kolonner: Navn, Adresse, Bydel." in screen
    assert "fx CVR-nummeret eller registrets eget nummer" in screen
    response = client.post(url, {"name": "0", "address": "1", "neighbourhood": "2"})
    assert response.status_code == 200
    (error,) = response.context["form"].errors["external_id"]
    assert error == (
        "Vælg den kolonne, der rummer hver rækkes id i registret. Har filen ingen, så tilføj en kolonne med hver "
        "rækkes id fra registret, fx CVR-nummeret eller registrets eget nummer, og upload filen igen. Filens "
        "kolonner er: “Navn”, “Adresse”, “Bydel”."
    )
    assert "Filen har ingen kolonne med et id" not in response.content.decode()  # the error says it now
    actor_import.refresh_from_db()
    assert actor_import.status == ActorImport.Status.MAPPING
    # With an id column, the notice is not shown.
    upload(client, register(*GOOD_ROWS))
    other = ActorImport.objects.latest("pk")
    assert (
        "Filen har ingen kolonne med et id"
        not in client.get(reverse("actors:import_mapping", args=[other.pk])).content.decode()
    )


def test_the_dry_run_lists_the_actors_it_would_create_and_update(
    mette: Persona, dry_run: Callable, confirm: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    confirm(mette, dry_run(mette, register(GOOD_ROWS[0], GOOD_ROWS[1])))
    edited = [
        GOOD_ROWS[0].replace("Skak for alle aldre", "Skak og brætspil").replace("Kultur og fritid", "Integration"),
        GOOD_ROWS[1].replace("Bøgeskovens Æbleforening", "Bøgeskovens Æblelaug"),
        GOOD_ROWS[2],
        "Dalum Fodbold;44444444;forening;;;;;;;;;;;",
        "Odense Madhus;55555555;;;;;;;;;;;;",
    ]
    monkeypatch.setattr(imports, "PLAN_SHOWN", 2)  # so that three new actors are more than are listed

    actor_import = dry_run(mette, register(*edited))

    assert actor_import.report["counts"] == {
        "create": 3,
        "update": 2,
        "unchanged": 0,
        "skipped": 0,
        "namesakes": 0,
        "linked": 0,
    }
    page = mette.client().get(reverse("actors:import_status", args=[actor_import.pk])).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Aktører, der oprettes Linje Navn Sektor 4 Købmand Åsted Virksomhed 5 Dalum Fodbold Forening" in text
    assert "Odense Madhus" not in text
    assert "… og 1 mere." in text
    assert (
        "Aktører, der opdateres Linje Navn Sektor Hvad ændres 2 Vollsmose Skakklub Forening Beskrivelse, Temaer "
        "3 Bøgeskovens Æbleforening → Bøgeskovens Æblelaug Forening Navn" in text
    )
    assert "Skak og brætspil" not in text  # which fields change, not their values

    done = confirm(mette, actor_import)
    page = mette.client().get(reverse("actors:import_status", args=[done.pk])).content.decode()
    assert "Oprettede aktører" in page and "Opdaterede aktører" in page and "Dalum Fodbold" in page


def test_a_row_named_as_an_actor_already_in_samskab_is_skipped_with_a_link_to_that_actor(
    mette: Persona, jens: Persona, lars: Persona, sofie: Persona, dry_run: Callable, confirm: Callable
) -> None:
    """Jens signed his shop up himself, without a CVR number. The municipality's register has the shop under its
    CVR number, spelt otherwise: the dry run says the shop is already there, links to its page and says what to
    do, and the import leaves the row out rather than give the shop a second page. An actor another row of the
    file names by its id is a namesake the register tells apart; a citizen's name is no one's business here."""
    shop = jens.actor
    assert shop is not None
    Actor.objects.filter(pk=shop.pk).update(address="Vestergade 1, 5000 Odense C")  # the register has another
    assert lars.actor is not None and sofie.actor is not None
    Actor.objects.filter(pk=lars.actor.pk).update(external_id="66666666")
    header = "Navn;CVR;Sektor;Adresse"
    rows = [
        "KØBMAND   madsen;44444444;virksomhed;nørregade 5 5000 odense c",
        "Vollsmose Boldklub;55555555;forening;",
        "Vollsmose Boldklub;66666666;forening;",
        "Sofie Andersen;77777777;virksomhed;",
        "Dalum Fodbold;88888888;forening;",
    ]

    actor_import = dry_run(mette, register(*rows, header=header))

    report = actor_import.report
    # Lars's club is the file's 66666666, kept by Lars: its namesake 55555555 is created, its own row skipped.
    assert report["counts"] == {"create": 3, "update": 0, "unchanged": 0, "skipped": 1, "namesakes": 1, "linked": 0}
    assert [line for line, *_rest in report["warnings"]] == [2, 4]
    page = mette.client().get(reverse("actors:import_status", args=[actor_import.pk])).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    created = re.sub(r"<[^>]+>", " ", page.split("Aktører, der oprettes")[1].split("</table>")[0])
    assert re.sub(r"\s+", " ", created).strip() == (
        "Linje Navn Sektor 3 Vollsmose Boldklub Forening 5 Sofie Andersen Virksomhed 6 Dalum Fodbold Forening"
    )
    assert (
        "2 Der findes allerede en aktør ved navn “Købmand Madsen” i Samskab. Rækken springes "
        "over, så aktøren ikke bliver oprettet to gange. Samskab giver kun en aktør, der allerede findes, "
        "registerets id, når den ikke har noget, og rækken har dens adresse. Er det den samme aktør, så giv rækken "
        "aktørens adresse, eller fjern rækken: Aktøren har allerede sin side." in text
    )
    assert f'<a href="{shop.get_absolute_url()}">Gå til Købmand Madsen</a>' in page
    assert "Sprunget over: findes allerede i Samskab med samme navn 1" in text
    spreadsheet = mette.client().get(reverse("actors:import_errors", args=[actor_import.pk])).content.decode()
    assert f"http://testserver{shop.get_absolute_url()}" in spreadsheet

    done = confirm(mette, actor_import)
    assert done.report["result"]["namesakes"] == 1
    assert not Actor.objects.filter(external_id="44444444").exists()
    assert Actor.objects.filter(name__iexact="Købmand Madsen").count() == 1
    assert Actor.objects.filter(external_id="55555555", name="Vollsmose Boldklub").exists()
    assert Actor.objects.filter(external_id="77777777", name="Sofie Andersen").exists()


def test_a_namesake_at_the_same_address_without_an_id_is_given_the_registers_id(
    mette: Persona, jens: Persona, dry_run: Callable, confirm: Callable
) -> None:
    """The register's row for Jens's shop has its name and address: the shop, which has no id, is given the
    register's CVR number, and its page stays as Jens keeps it. The next import finds it by that number."""
    shop = jens.actor
    assert shop is not None
    Actor.objects.filter(pk=shop.pk).update(
        address="Nørregade 5, 5000 Odense C", description="Jens's egen tekst", public_fields=["address"]
    )
    header = "Navn;CVR;Sektor;Adresse;Beskrivelse"
    row = "KØBMAND   madsen;44444444;virksomhed;nørregade 5 5000 odense c;Registerets tekst"

    actor_import = dry_run(mette, register(row, header=header))

    assert actor_import.report["counts"]["linked"] == 1 and actor_import.report["counts"]["create"] == 0
    page = re.sub(
        r"\s+", " ", mette.client().get(reverse("actors:import_status", args=[actor_import.pk])).content.decode()
    )
    assert "Rækken giver den registerets id “44444444” og lader dens side være, som den er" in page
    assert "Får registerets id" in page
    assert ">Importér: giv 1 aktør registerets id</button>" in page
    confirm(mette, actor_import)
    shop.refresh_from_db()
    assert (shop.external_id, shop.description) == ("44444444", "Jens's egen tekst")
    again = dry_run(mette, register(row, header=header))
    assert again.report["counts"] == {
        "create": 0,
        "update": 0,
        "unchanged": 0,
        "skipped": 1,
        "namesakes": 0,
        "linked": 0,
    }  # found by its id, and kept by Jens


def test_a_namesake_that_keeps_its_address_private_is_not_compared_with_it(
    mette: Persona, jens: Persona, dry_run: Callable
) -> None:
    """Jens keeps his shop's address to himself: a row with the right address gets the same report as one with a
    wrong one, so the dry run cannot confirm a guess at it, and the shop is not linked to the row."""
    shop = jens.actor
    assert shop is not None
    Actor.objects.filter(pk=shop.pk).update(address="Nørregade 5, 5000 Odense C", public_fields=[])
    header = "Navn;CVR;Sektor;Adresse"
    reports = [
        dry_run(mette, register(f"Købmand Madsen;44444444;virksomhed;{address}", header=header)).report
        for address in ("Nørregade 5, 5000 Odense C", "Vestergade 1, 5000 Odense C")
    ]
    assert reports[0]["counts"] == reports[1]["counts"]
    assert reports[0]["counts"]["namesakes"] == 1 and reports[0]["counts"]["linked"] == 0
    assert [w[1] for w in reports[0]["warnings"]] == [w[1] for w in reports[1]["warnings"]]
    assert "på samme adresse" not in reports[0]["warnings"][0][1]
    Actor.objects.filter(pk=shop.pk).update(public_fields=["address"])
    shown = dry_run(mette, register("Købmand Madsen;44444444;virksomhed;Nørregade 5, 5000 Odense C", header=header))
    assert shown.report["counts"]["linked"] == 1  # an address the shop shows may be compared


def test_the_namesakes_are_found_in_one_query_whatever_the_number_of_rows(
    mette: Persona, odense: Municipality, dry_run: Callable, django_assert_num_queries: Callable
) -> None:
    """A register of a hundred shops that signed up themselves costs the dry run as many queries as one of two."""
    Actor.objects.bulk_create(
        Actor(sector=Sector.BUSINESS, name=f"Butik {n}", slug=f"butik-{n}", municipality=odense, address=f"Vej {n}")
        for n in range(100)
    )
    queries = []
    for size in (2, 100):
        rows = [f"butik {n};{90000000 + n};virksomhed;Anden vej {n}" for n in range(size)]
        with CaptureQueriesContext(connection) as captured:
            actor_import = dry_run(mette, register(*rows, header="Navn;CVR;Sektor;Adresse"))
        assert actor_import.report["counts"]["namesakes"] == size
        assert "Der findes allerede en aktør ved navn “Butik 1” i Samskab." in actor_import.report["warnings"][1][1]
        queries.append(len(captured))
    assert queries[0] == queries[1]


def plan_download(persona: Persona, actor_import: ActorImport) -> list[list[str]]:
    """The plan's spreadsheet as Danish Excel reads it: UTF-8 with a BOM, semicolons."""
    response = persona.client().get(reverse("actors:import_plan", args=[actor_import.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="import-{actor_import.pk}-plan.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_the_plan_download_has_every_row_the_page_leaves_out(
    mette: Persona,
    jens: Persona,
    odense: Municipality,
    dry_run: Callable,
    confirm: Callable,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Mette's register has more actors to create and update than the page lists: the page says how many more and
    links the plan's spreadsheet, which has every row with its line, what happens to it and, for an actor already
    in Samskab, its page. A name that reads like a formula stays text. After the import, the same spreadsheet says
    what was done, under the names the actors had."""
    confirm(mette, dry_run(mette, register(GOOD_ROWS[0], GOOD_ROWS[1])))
    shop = jens.actor
    assert shop is not None
    Actor.objects.filter(pk=shop.pk).update(address="Vestergade 1, 5000 Odense C")
    bikes = Actor.objects.create(
        sector=Sector.BUSINESS, name="Odense Cykler", slug="odense-cykler", municipality=odense, address="Åvej 2"
    )
    rows = [
        GOOD_ROWS[0].replace("Skak for alle aldre", "Skak og brætspil").replace("Kultur og fritid", "Integration"),
        GOOD_ROWS[1].replace("Bøgeskovens Æbleforening", "Bøgeskovens Æblelaug"),
        GOOD_ROWS[2],
        "=1+1 Klubben;44444444;forening;;;;;;;;;;;",
        "Odense Madhus;55555555;;;;;;;;;;;;",
        "KØBMAND madsen;66666666;virksomhed;;Nørregade 5, 5000 Odense C;;;;;;;;;",
        "Odense Cykler;77777777;virksomhed;;Åvej 2;;;;;;;;;",
    ]
    monkeypatch.setattr(imports, "PLAN_SHOWN", 1)

    actor_import = dry_run(mette, register(*rows))

    assert actor_import.report["counts"] == {
        "create": 3,
        "update": 2,
        "unchanged": 0,
        "skipped": 0,
        "namesakes": 1,
        "linked": 1,
    }
    page = mette.client().get(reverse("actors:import_status", args=[actor_import.pk])).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "… og 2 mere. Download hele planen, hver række med sin linje, som regneark (CSV)" in text
    assert "… og 1 mere. Download hele planen" in text
    assert f'<a href="{reverse("actors:import_plan", args=[actor_import.pk])}">Download hele planen' in page
    chess, apples = imported()["11111111"], imported()["22222222"]

    def page_of(actor: Actor) -> str:
        return f"http://testserver{actor.get_absolute_url()}"

    header = ["Linje", "Hvad sker der", "Navn", "Nyt navn", "Sektor", "Hvad ændres", "Aktøren i Samskab"]
    assert plan_download(mette, actor_import) == [
        header,
        ["4", "Oprettes", "Købmand Åsted", "", "Virksomhed", "", ""],
        ["5", "Oprettes", "'=1+1 Klubben", "", "Forening", "", ""],
        ["6", "Oprettes", "Odense Madhus", "", "Forening", "", ""],
        ["2", "Opdateres", "Vollsmose Skakklub", "", "Forening", "Beskrivelse, Temaer", page_of(chess)],
        ["3", "Opdateres", "Bøgeskovens Æbleforening", "Bøgeskovens Æblelaug", "Forening", "Navn", page_of(apples)],
        ["8", "Får registerets id", "Odense Cykler", "", "", "", page_of(bikes)],
        ["7", "Sprunget over: findes allerede i Samskab med samme navn", "KØBMAND madsen", "", "", "", page_of(shop)],
    ]

    done = confirm(mette, actor_import)

    assert done.status == ActorImport.Status.DONE
    after = plan_download(mette, done)
    assert [row[:4] for row in after[1:]] == [
        ["4", "Oprettet", "Købmand Åsted", ""],
        ["5", "Oprettet", "'=1+1 Klubben", ""],
        ["6", "Oprettet", "Odense Madhus", ""],
        ["2", "Opdateret", "Vollsmose Skakklub", ""],
        ["3", "Opdateret", "Bøgeskovens Æbleforening", "Bøgeskovens Æblelaug"],
        ["8", "Fik registerets id", "Odense Cykler", ""],
        ["7", "Sprunget over: findes allerede i Samskab med samme navn", "KØBMAND madsen", ""],
    ]
    text = re.sub(
        r"\s+",
        " ",
        re.sub(r"<[^>]+>", " ", mette.client().get(reverse("actors:import_status", args=[done.pk])).content.decode()),
    )
    assert "… og 2 mere. Download hele planen" in text


def test_there_is_no_plan_to_download_before_the_dry_run(mette: Persona, lars: Persona) -> None:
    upload(mette.client(), register(*GOOD_ROWS))
    actor_import = ActorImport.objects.get()
    assert actor_import.status == ActorImport.Status.MAPPING
    assert mette.client().get(reverse("actors:import_plan", args=[actor_import.pk])).status_code == 404
    assert lars.client().get(reverse("actors:import_plan", args=[actor_import.pk])).status_code == 403
    assert Client().get(reverse("actors:import_plan", args=[actor_import.pk])).status_code == 302  # to the login page


def test_new_rows_that_share_a_name_are_warned_of_once_and_imported_all_the_same(
    mette: Persona, jens: Persona, dry_run: Callable, confirm: Callable
) -> None:
    """Three rows of Mette's register would create a "Vollsmose Skakklub", each under its own CVR number: two
    branches of a club, or one club entered thrice. The dry run says so once, with the three lines, and the import
    goes ahead. Two rows named as Jens's shop are skipped as namesakes, so they create nothing to warn of."""
    rows = [
        "Vollsmose Skakklub;11111111;forening;;;;;;;;;;;",
        "Dalum Fodbold;44444444;forening;;;;;;;;;;;",
        "VOLLSMOSE  skakklub;99999999;forening;;;;;;;;;;;",
        "Vollsmose Skakklub.;88888888;forening;;;;;;;;;;;",
        "Købmand Madsen;55555555;virksomhed;;;;;;;;;;;",
        "købmand madsen;66666666;virksomhed;;;;;;;;;;;",
    ]

    actor_import = dry_run(mette, register(*rows))

    report = actor_import.report
    assert report["errors"] == []
    assert report["counts"]["create"] == 4 and report["counts"]["namesakes"] == 2
    shared = [warning for warning in report["warnings"] if "ville hver oprette" in warning[1]]
    assert shared == [
        [
            2,
            "Linje 2, 4, 5 ville hver oprette en aktør ved navn “Vollsmose Skakklub”, med hvert sit eksterne id. Er "
            "det den samme aktør, så behold kun én af rækkerne. Er det forskellige aktører (for eksempel to "
            "afdelinger af en klub), bliver de alle importeret, men et navn, der skelner dem (for eksempel med "
            "bydelen), hjælper dem, der leder efter dem.",
        ]
    ]
    assert [warning[0] for warning in report["warnings"]] == [2, 6, 7]
    page = mette.client().get(reverse("actors:import_status", args=[actor_import.pk])).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "2 Linje 2, 4, 5 ville hver oprette en aktør ved navn “Vollsmose Skakklub”" in text
    assert ">Importér: opret 4 aktører</button>" in page
    assert reverse("actors:import_errors", args=[actor_import.pk]) in page  # warnings alone are downloaded too
    spreadsheet = mette.client().get(reverse("actors:import_errors", args=[actor_import.pk])).content.decode()
    assert "2;Vollsmose Skakklub;11111111;Advarsel;Linje 2, 4, 5 ville hver oprette" in spreadsheet
    assert spreadsheet.splitlines()[0].lstrip("\ufeff") == "Linje;Navn;Eksternt id;Fejl eller advarsel;Begrundelse"

    confirm(mette, actor_import)
    assert sorted(Actor.objects.filter(name__icontains="skakklub").values_list("external_id", flat=True)) == [
        "11111111",
        "88888888",
        "99999999",
    ]


def test_the_page_says_the_file_was_read_and_what_comes_next(mette: Persona) -> None:
    client = mette.client()
    upload(client, register(*GOOD_ROWS))
    actor_import = ActorImport.objects.get()
    assert actor_import.status == ActorImport.Status.MAPPING

    page = client.get(reverse("actors:import_status", args=[actor_import.pk])).content.decode()

    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Filen er læst Samskab fandt 3 rækker og 14 kolonner." in text
    assert "Nu skal du fortælle Samskab, hvilken kolonne der rummer navnet" in text
    assert "Intet bliver gemt, før du bekræfter." in text
    assert f'href="{reverse("actors:import_mapping", args=[actor_import.pk])}">Vælg kolonner</a>' in page

    one = upload(client, register(GOOD_ROWS[0], header="Navn;CVR"))
    assert one.status_code == 302
    latest = ActorImport.objects.latest("pk")
    text = client.get(reverse("actors:import_status", args=[latest.pk])).content.decode()
    assert "Samskab fandt 1 række og 2 kolonner." in text


@pytest.mark.parametrize(
    ("rows", "label"),
    [
        ([GOOD_ROWS[2]], "Importér: opret 1 aktør"),
        (
            [GOOD_ROWS[2], "Dalum Fodbold;44444444;forening;;;;;;;;;;;", "Odense Madhus;55555555;;;;;;;;;;;;"],
            "Importér: opret 3 aktører",
        ),
        ([GOOD_ROWS[0].replace("Skak for alle", "Skak for")], "Importér: opdatér 1 aktør"),
        (
            [GOOD_ROWS[0].replace("Skak for alle", "Skak for"), *GOOD_ROWS[1:]],
            "Importér: opret 1 og opdatér 1 aktør",
        ),
        (
            [GOOD_ROWS[0].replace("Skak for alle", "Skak for"), GOOD_ROWS[1].replace("æbler", "pærer"), GOOD_ROWS[2]],
            "Importér: opret 1 og opdatér 2 aktører",
        ),
    ],
)
def test_the_confirm_button_says_what_the_import_does_in_plain_danish(
    mette: Persona, dry_run: Callable, confirm: Callable, rows: list[str], label: str
) -> None:
    confirm(mette, dry_run(mette, register(GOOD_ROWS[0], GOOD_ROWS[1])))  # two actors to update
    actor_import = dry_run(mette, register(*rows))

    page = mette.client().get(reverse("actors:import_status", args=[actor_import.pk])).content.decode()

    button = re.search(r'<button type="submit" class="button button-primary">([^<]*)</button>', page)
    assert button is not None and button.group(1) == label


def test_only_municipal_administrators_import_into_their_own_municipality(
    mette: Persona, lars: Persona, dry_run: Callable
) -> None:
    assert lars.client().get(reverse("actors:import_upload")).status_code == 403
    assert upload(lars.client(), register(*GOOD_ROWS)).status_code == 403
    assert Client().get(reverse("actors:import_upload")).status_code == 302  # to the login page

    actor_import = dry_run(mette, register(*GOOD_ROWS))
    copenhagen = make_user("anna@kk.dk", "Anna Kofoed")
    MunicipalAdministrator.objects.create(user=copenhagen, municipality_id="0101")
    other = Persona(copenhagen, None)
    for name in ("import_status", "import_mapping", "import_errors", "import_plan"):
        assert other.client().get(reverse(f"actors:{name}", args=[actor_import.pk])).status_code == 403
        assert lars.client().get(reverse(f"actors:{name}", args=[actor_import.pk])).status_code == 403
    assert other.client().post(reverse("actors:import_confirm", args=[actor_import.pk])).status_code == 403
    # Anna cannot smuggle a file into Odense either.
    assert upload(other.client(), register(*GOOD_ROWS)).context["form"].errors["municipality"]


def test_the_progress_fragment_polls_while_running_and_stops_when_done(mette: Persona, odense: Municipality) -> None:
    actor_import = ActorImport.objects.create(
        municipality=odense,
        created_by=mette.user,
        filename="stor.csv",
        headers=["Navn", "CVR"],
        status=ActorImport.Status.CHECKING,
        progress=400,
        total=1000,
        report={"stage": "checking"},
    )
    url = reverse("actors:import_status", args=[actor_import.pk])

    fragment = mette.client().get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="import-status"')
    assert 'hx-trigger="every 1s"' in fragment
    assert '<progress aria-labelledby="import-progress-label" max="1000" value="400"' in fragment
    assert "40 %" in fragment
    assert "<header" not in fragment
    page = mette.client().get(url).content.decode()
    assert f'href="{url}"' in page  # refreshing works without JavaScript

    ActorImport.objects.filter(pk=actor_import.pk).update(status=ActorImport.Status.CHECKED, report={"errors": []})
    assert "hx-trigger" not in mette.client().get(url, headers={"HX-Request": "true"}).content.decode()


# Reading files, without the database ------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        "\ufeffNavn,CVR,Bydel\r\nÅens Venner,1,Bøg\r\n".encode(),  # UTF-8 with BOM, commas
        "Navn\tCVR\tBydel\nÅens Venner\t1\tBøg\n".encode(),  # tabs, UTF-8 without BOM
        "Navn;CVR;Bydel\r\nÅens Venner;1;Bøg\r\n".encode("cp1252"),  # Danish Excel
        "Navn;CVR;Bydel\r\nÅens Venner;1;Bøg\r\n".encode("utf-16"),  # Excel's "Unicode text"
    ],
)
def test_encodings_and_separators(data: bytes) -> None:
    table = imports.read_table("register.csv", data)
    assert table.headers == ["Navn", "CVR", "Bydel"]
    assert table.rows == [(2, ["Åens Venner", "1", "Bøg"])]


def test_decimal_commas_do_not_fool_the_separator_sniffer() -> None:
    data = b"Navn;Bredde;L\xe6ngde\r\nA;55,4;10,3\r\nB;55,5;10,4\r\n"
    assert imports.read_table("r.csv", data).rows[0] == (2, ["A", "55,4", "10,3"])


def test_line_numbers_count_quoted_line_breaks_and_blank_lines() -> None:
    data = b'Navn;Beskrivelse\r\n"A";"to\r\nlinjer"\r\n\r\nB;x\r\n'
    assert [line for line, _cells in imports.read_table("r.csv", data).rows] == [2, 5]


def test_garbled_letters_are_a_row_error(mette: Persona, dry_run: Callable) -> None:
    data = "Navn;CVR\r\nSÃ¸ndergÃ¥rd;1\r\nRigtig Sø;2\r\n".encode()

    actor_import = dry_run(mette, data)

    assert [line for line, _message in actor_import.report["errors"]] == [2]


# Files that unpack to far more than they weigh ---------------------------------------------------------


def workbook(
    sheet_rows: Iterable[bytes],
    *,
    strings: Iterable[bytes] = (b"<si><t>Navn</t></si>",),
    second_sheet: Iterable[bytes] = (),
    styles: Iterable[bytes] = (),
) -> bytes:
    """An XLSX written by hand, as a program may write it (cells without references), each part streamed into
    the zip so that a sheet of hundreds of megabytes is never held in memory; with a second sheet (which is not
    read) and styles, if given."""
    ns = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    types = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            f'workbook.xml" ContentType="{types}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{types}.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="{types}'
            '.sharedStrings+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
            f'Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook {ns.decode()} xmlns:r="{rel}"><sheets><sheet name="Ark1" sheetId="1" r:id="rId1"/>'
            '<sheet name="Ark2" sheetId="2" r:id="rId3"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
            f'Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
            f'Type="{rel}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="{rel}/worksheet" '
            'Target="worksheets/sheet2.xml"/></Relationships>',
        )
        with archive.open("xl/sharedStrings.xml", "w") as part:
            part.write(b"<sst " + ns + b">")
            for string in strings:
                part.write(string)
            part.write(b"</sst>")
        for name, rows in (("sheet1", sheet_rows), ("sheet2", second_sheet)):
            with archive.open(f"xl/worksheets/{name}.xml", "w") as part:
                part.write(b"<worksheet " + ns + b"><sheetData>")
                for row in rows:
                    part.write(row)
                part.write(b"</sheetData></worksheet>")
        with archive.open("xl/styles.xml", "w") as part:
            part.write(b"<styleSheet " + ns + b">")
            for element in styles:
                part.write(element)
            part.write(b"</styleSheet>")
    return buffer.getvalue()


NAME = b'<c t="s"><v>0</v></c>'  # the one shared string
HEADER_ROW = b"<row>" + NAME * 2 + b"</row>"


def test_a_workbook_that_unpacks_to_millions_of_cells_is_refused_at_once(mette: Persona) -> None:
    """Mette uploads half a megabyte of XLSX whose sheet holds 10,000 rows of 1,000 cells without references: it is
    refused within a moment, naming the limit, instead of being read for a minute and a half with 600 MB of memory.
    Half as many rows stay below the limit on the unpacked size, and are refused at the first row for its columns."""
    for rows, limit in ((10_000, imports.MAX_UNPACKED_BYTES // (1024 * 1024)), (5_000, imports.MAX_COLUMNS)):
        data = workbook(b"<row>" + NAME * 1000 + b"</row>" for _ in range(rows))
        assert len(data) < 1_000_000

        upload(mette.client(), data, "register.xlsx")

        actor_import = ActorImport.objects.get()
        assert actor_import.status == ActorImport.Status.FAILED
        assert str(limit) in actor_import.report["fatal"]
        assert (actor_import.rows, actor_import.upload) == ([], None)
        actor_import.delete()


LONG = 40_000  # characters, beyond `MAX_CELL_CHARS`


@pytest.mark.parametrize(
    ("build", "refusal"),
    [
        # Values sit beyond the last column a register may have, with empty cells before them.
        (
            lambda: workbook([HEADER_ROW, b'<row><c t="s"><v>0</v></c><c r="ZZ2" t="s"><v>0</v></c></row>']),
            lambda: imports.too_wide(2),
        ),
        # Rows of one value and many empty cells, three times as many as allowed.
        (
            lambda: workbook([HEADER_ROW, *(b"<row>" + NAME + b"<c/>" * 999 + b"</row>" for _ in range(300))]),
            imports.too_many_cells,
        ),
        # One row of that many empty cells, refused before the row is whole.
        (lambda: workbook([HEADER_ROW, b"<row>" + NAME + b"<c/>" * 300_000 + b"</row>"]), imports.too_many_cells),
        # More strings than cells, which no cell uses.
        (
            lambda: workbook([HEADER_ROW], strings=(b"<si><t>a</t></si>" for _ in range(300_000))),
            imports.too_many_cells,
        ),
        # A row number beyond any spreadsheet's last row, which a reader would reach one empty row at a time.
        (lambda: workbook([HEADER_ROW, b'<row r="2000000"><c t="s"><v>0</v></c></row>']), imports.not_a_workbook),
        # Styles of hundreds of thousands of fonts, which openpyxl reads whole.
        (lambda: workbook([HEADER_ROW], styles=(b"<font/>" for _ in range(300_000))), imports.too_complex),
        # The same row over and over, which openpyxl parses each time (and yields once).
        (lambda: workbook([HEADER_ROW, *(b'<row r="1"/>' for _ in range(120_000))]), imports.too_many_rows),
        # One cell of tens of thousands of characters: inline, a value, a shared string.
        (
            lambda: workbook([HEADER_ROW, b'<row><c t="inlineStr"><is><t>' + b"x" * LONG + b"</t></is></c></row>"]),
            lambda: imports.too_long(2),
        ),
        (
            lambda: workbook([HEADER_ROW, b'<row><c t="str"><v>' + b"x" * LONG + b"</v></c></row>"]),
            lambda: imports.too_long(2),
        ),
        (
            lambda: workbook([HEADER_ROW], strings=[b"<si><t>Navn</t></si><si><t>" + b"x" * LONG + b"</t></si>"]),
            lambda: imports.too_long(None),
        ),
    ],
    ids=[
        "wide-values",
        "empty-cells",
        "one-long-row",
        "unused-strings",
        "far-row",
        "styles",
        "repeated-rows",
        "long-inline-string",
        "long-value",
        "long-shared-string",
    ],
)
def test_workbooks_too_big_to_read_are_refused_quickly(
    build: Callable[[], bytes], refusal: Callable[[], imports.ImportFileError], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each way a small file can hold more than a register: refused by the scan, with its own message, before
    openpyxl reads any of it (with fewer cells allowed than in life, so that the files are quick to build)."""
    # The scan reads XML with expat, as openpyxl does through ElementTree; with lxml installed, openpyxl would use
    # lxml instead, and could read further into a part than the scan counted.
    assert not openpyxl.xml.LXML
    monkeypatch.setattr(imports, "MAX_CELLS", 100_000)
    data = build()
    message = re.escape(str(refusal()))
    with zipfile.ZipFile(io.BytesIO(data)) as archive, pytest.raises(imports.ImportFileError, match=message):
        imports.WorkbookScan().check(archive)
    with pytest.raises(imports.ImportFileError, match=message):
        imports.read_table("register.xlsx", data)


def test_what_the_scan_does_not_count() -> None:
    """Only the first sheet is read, and counted; an empty cell with formatting far to the right is no column (and
    openpyxl does not pad the row up to it); a cell as long as Excel allows is read."""
    longest = b"x" * imports.MAX_CELL_CHARS
    data = workbook(
        [
            HEADER_ROW,
            *(b"<row>" + NAME + b'<c r="XFD' + str(line).encode() + b'" s="1"/></row>' for line in range(2, 200)),
            b'<row><c t="inlineStr"><is><t>' + longest + b"</t></is></c></row>",
        ],
        # Too many cells for one sheet, but not the one read.
        second_sheet=(b"<row>" + b"<c/>" * 1_000 + b"</row>" for _ in range(imports.MAX_CELLS // 1_000 + 1)),
    )
    table = imports.read_table("register.xlsx", data)
    assert table.headers == ["Navn", "Navn"]
    assert len(table.rows) == 199
    assert table.rows[0] == (2, ["Navn"])
    assert table.rows[-1] == (200, [longest.decode()])


def test_the_scan_accepts_a_wide_register_of_many_rows() -> None:
    """60,000 rows of 40 columns: within `MAX_ROWS` and `MAX_COLUMNS`, and so within the scan's limits (openpyxl
    takes half a minute to read them; the scan alone is tested)."""
    row = b"<row>" + b'<c t="s"><v>0</v></c>' * 40 + b"</row>"
    data = workbook(row for _ in range(60_001))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        imports.WorkbookScan().check(archive)


def test_a_workbook_that_unpacks_to_more_than_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "MAX_UNPACKED_BYTES", 1024 * 1024)
    huge = workbook([HEADER_ROW], strings=[b"<si><t>" + b"a" * 2_000_000 + b"</t></si>"])
    assert len(huge) < 10_000
    with pytest.raises(imports.ImportFileError, match="1 MB"):
        imports.read_table("register.xlsx", huge)


def test_a_csv_file_has_the_same_limits_on_columns_and_cells() -> None:
    wide = register("A;1;" + ";".join(["x"] * 100), header=HEADER + ";" + ";".join(["Ekstra"] * 100))
    with pytest.raises(imports.ImportFileError, match=str(imports.MAX_COLUMNS)):
        imports.read_table("foreninger.csv", wide)
    # Empty cells at the end of each line are no columns, but reading them costs all the same.
    padded = register(*("A;1" + ";" * 998 for _ in range(imports.MAX_CELLS // 1_000 + 100)), header="Navn;CVR")
    with pytest.raises(imports.ImportFileError):
        imports.read_table("foreninger.csv", padded)
    # A register as wide as allowed is read.
    widest = register("A;1;" + ";".join(["x"] * 98), header="Navn;CVR;" + ";".join(["Ekstra"] * 98))
    assert len(imports.read_table("foreninger.csv", widest).headers) == imports.MAX_COLUMNS


def test_an_actor_of_the_same_name_created_during_the_import_takes_its_slug_in_peace(
    mette: Persona, odense: Municipality
) -> None:
    """The import allocates its slugs from what was taken when it began; Lars creates "Egeå Skakklub" by hand
    meanwhile. The import's write meets his slug, allocates again, and both actors exist under slugs of their own."""
    slugs = imports.SlugAllocator()  # the import's snapshot, before Lars
    lars = make_user("lars@skak.dk", "Lars")
    services.create_actor(user=lars, sector=Sector.ASSOCIATION, name="Egeå Skakklub", municipality=odense)
    rows = [
        imports.CleanRow(line=2, external_id="S-1", values={"name": "Egeå Skakklub"}, theme_ids=None),
        imports.CleanRow(line=3, external_id="S-2", values={"name": "Egeå Roklub"}, theme_ids=None),
    ]
    with transaction.atomic():
        imports.apply_plan(imports.Plan(create=rows), municipality=odense, user=mette.user, slugs=slugs)
    assert sorted(Actor.objects.filter(name="Egeå Skakklub").values_list("slug", "external_id")) == [
        ("egeaa-skakklub", ""),
        ("egeaa-skakklub-2", "S-1"),
    ]
    assert Actor.objects.get(external_id="S-2").slug == "egeaa-roklub"


def test_a_reimport_says_which_actors_are_no_longer_in_the_file_and_leaves_them_be(
    mette: Persona, dry_run: Callable, confirm: Callable
) -> None:
    confirm(mette, dry_run(mette, register(*GOOD_ROWS)))
    without_the_grocer = dry_run(mette, register(*GOOD_ROWS[:2]))
    assert without_the_grocer.report["not_in_file"]["count"] == 1
    page = " ".join(
        mette.client().get(reverse("actors:import_status", args=[without_the_grocer.pk])).content.decode().split()
    )
    assert "1 aktør i Odense har et register-id, som ikke står i denne fil" in page
    assert "Købmand Åsted" in page and "Den bliver hverken ændret eller fjernet." in page
    assert "forbliver privat, og aktøren kommer ikke på kortet" in page
    confirm(mette, without_the_grocer)
    assert Actor.objects.filter(external_id="33333333").exists()


def test_the_municipality_sees_what_its_register_said_of_an_actor_nobody_has_taken_over(
    mette: Persona, lars: Persona, dry_run: Callable, confirm: Callable
) -> None:
    confirm(mette, dry_run(mette, register(*GOOD_ROWS)))
    chess = Actor.objects.get(external_id="11111111")
    assert "skak@example.dk" in mette.client().get(chess.get_absolute_url()).content.decode()
    assert "skak@example.dk" not in lars.client().get(chess.get_absolute_url()).content.decode()
    assert "skak@example.dk" not in Client().get(chess.get_absolute_url()).content.decode()
    Membership.objects.create(actor=chess, user=lars.user, role=Membership.Role.ADMIN)  # taken over since
    assert "skak@example.dk" not in mette.client().get(chess.get_absolute_url()).content.decode()


def test_a_cell_too_long_for_the_csv_reader_is_reported_in_danish(mette: Persona) -> None:
    upload(mette.client(), register(f"Lang;1;forening;{'x' * 200_000};;;;;;;;;;"))
    page = mette.client().get(reverse("actors:import_status", args=[ActorImport.objects.get().pk])).content.decode()
    assert "Linje 2 har en celle med mere end 32.767 tegn" in page and "field limit" not in page


def test_an_actor_is_never_given_the_address_of_a_page(mette: Persona, dry_run: Callable, confirm: Callable) -> None:
    rows = ("Kort;77777777;forening;;;;;;;;;;;", "Importer;88888888;forening;;;;;;;;;;;")
    confirm(mette, dry_run(mette, register(*rows)))
    slugs = set(Actor.objects.filter(external_id__in=["77777777", "88888888"]).values_list("slug", flat=True))
    assert slugs == {"kort-2", "importer-2"}
    made = services.create_actor(
        user=mette.user, sector=Sector.ASSOCIATION, name="Ny", municipality=Municipality.objects.get(code="0461")
    )
    assert made.slug == "ny-2"


def test_a_register_with_the_postcode_and_town_apart_imports_whole_addresses(
    mette: Persona, dry_run: Callable, confirm: Callable
) -> None:
    header = "Foreningsnavn;CVR-nr.;Adresse;Postnr;By"
    data = register(
        "Odense Roklub;99999999;Havnegade 12;5000;Odense C", "Uden gade;99999998;;5240;Odense NØ", header=header
    )
    actor_import = dry_run(mette, data)
    assert {"address", "postcode", "town"} <= set(actor_import.mapping)
    assert actor_import.report["ignored_columns"] == []
    page = mette.client().get(reverse("actors:import_mapping", args=[actor_import.pk])).content.decode()
    assert "Postnummer (føjes til adressen)" in page and "(vælg en kolonne)" in page
    confirm(mette, actor_import)
    addresses = dict(Actor.objects.filter(external_id__startswith="9999999").values_list("name", "address"))
    assert addresses == {"Odense Roklub": "Havnegade 12, 5000 Odense C", "Uden gade": "5240 Odense NØ"}


def test_the_recent_imports_say_what_became_of_each(mette: Persona, dry_run: Callable) -> None:
    dry_run(mette, register("Uden sektor;1;spejdergruppe;;;;;;;;;;;"))  # an unknown sector: an error to fix
    upload(mette.client(), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "billede.csv")
    page = " ".join(mette.client().get(reverse("actors:import_upload")).content.decode().split())
    assert "Tjekket: fejl at rette" in page and "Kunne ikke læses" in page
    assert '<th scope="col">Kommune</th>' not in page  # Mette administers one municipality


def test_a_namesake_with_a_register_id_of_its_own_is_matched_by_giving_the_row_that_id(
    mette: Persona, odense: Municipality, dry_run: Callable
) -> None:
    Actor.objects.create(
        name="Odense Svømmeklub",
        slug="odense-svoemmeklub",
        sector=Sector.ASSOCIATION,
        municipality=odense,
        external_id="12121212",
    )
    report = dry_run(mette, register("Odense Svømmeklub;34343434;forening;;;;;;;;;;;")).report
    [(_line, warning, _link)] = report["warnings"]
    assert "Er det den samme aktør, så fjern rækken, eller giv den id'et 12121212" in warning
    assert "giv rækken aktørens adresse" not in warning  # which would change nothing for an actor with an id


def test_a_namesake_kept_by_its_own_administrators_is_told_apart_from_one_the_register_keeps(
    mette: Persona, lars: Persona, dry_run: Callable
) -> None:
    assert lars.actor is not None
    Actor.objects.filter(pk=lars.actor.pk).update(external_id="13131313")  # Lars keeps his club himself
    report = dry_run(mette, register(f"{lars.actor.name};35353535;forening;;;;;;;;;;;")).report
    [(_line, warning, _link)] = report["warnings"]
    assert "Den holdes opdateret af sine egne administratorer, så registret ændrer den ikke." in warning
    assert "giv den id'et" not in warning  # which would change nothing for an actor its administrators keep
