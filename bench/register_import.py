"""Importing a municipality's register of actors from XLSX: what the upload request costs, and how long the task
worker then takes to read the file, check it (the dry run) and import it.

    DATABASE_URL=sqlite:////tmp/bench-register.sqlite3 .venv/bin/python bench/register_import.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samskab_bench .venv/bin/python bench/register_import.py --large

Builds workbooks of associations (name, CVR number as the external id, address, themes, e-mail, and filler
columns up to the width asked for): 5,000 rows × 14 columns, a typical register; 20,000 × 40; with `--large`,
74,000 × 40, just under the limit of three million cells. With `--namesakes`, one row in ten names an actor
that is already in the municipality without the register's id (one that signed up itself), so the dry run has
that many namesakes to find and skip. Uploads each through the import page as a municipal
administrator of the demo (loaded if the database has no users), with the task backend that runs nothing, so
the request only stores the file; then runs the three tasks (`read_import`, `check_import`, `run_import`) in
this process and prints each one's time. Each size imports into its own municipality.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

parser = argparse.ArgumentParser(description="Times the register import: upload, read, dry run and import.")
parser.add_argument("--large", action="store_true", help="also 74,000 rows × 40 columns")
parser.add_argument("--namesakes", action="store_true", help="one row in ten names an actor already there")
ARGS = parser.parse_args()
if "DATABASE_URL" not in os.environ:  # never fill the project's own database
    parser.error("set DATABASE_URL to a database for the benchmark, as in the examples above")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
os.environ["TASKS_BACKEND"] = "django.tasks.backends.dummy.DummyBackend"

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

SIZES = [(5_000, 14, "0461"), (20_000, 40, "0101")]
LARGE = (74_000, 40, "0751")
NAMESAKE_EVERY = 10


def row_name(row: int) -> str:
    return f"Forening nummer {row}"


def add_namesakes(rows: int, code: str) -> None:
    """Actors that signed up themselves, without the register's id, under the names of every tenth row."""
    from samskab.actors.models import Actor, Sector

    Actor.objects.filter(municipality_id=code, external_id="", name__startswith="Forening nummer").delete()
    Actor.objects.bulk_create(
        Actor(sector=Sector.ASSOCIATION, name=row_name(row).upper(), slug=f"selv-{code}-{row}", municipality_id=code)
        for row in range(0, rows, NAMESAKE_EVERY)
    )


def workbook(rows: int, columns: int) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    fixed = ["Navn", "CVR", "Sektor", "Adresse", "Temaer", "E-mail"]
    sheet.append(fixed + [f"Felt {n}" for n in range(len(fixed), columns)])
    for row in range(rows):
        cvr = 30_000_000 + row
        values = [row_name(row), cvr, "forening", f"Skolevej {row % 300 + 1}", "Kultur og fritid"]
        values.append(f"kontakt{row}@example.dk")
        sheet.append(values + [f"værdi {row}-{n}" for n in range(len(fixed), columns)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    from samskab.actors import imports
    from samskab.actors.models import ActorImport, MunicipalAdministrator

    call_command("migrate", verbosity=0)
    admin = MunicipalAdministrator.objects.select_related("user").first()
    if admin is None:
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        admin = MunicipalAdministrator.objects.select_related("user").first()
    assert admin is not None
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin.user)
    print(f"database: {connection.vendor}")
    print("rows × columns | file | upload request | read | dry run | import")
    for rows, columns, code in SIZES + ([LARGE] if ARGS.large else []):
        MunicipalAdministrator.objects.get_or_create(user=admin.user, municipality_id=code)
        if ARGS.namesakes:
            add_namesakes(rows, code)
        data = workbook(rows, columns)
        started = time.perf_counter()
        response = client.post(
            reverse("actors:import_upload"),
            {"file": SimpleUploadedFile("register.xlsx", data), "municipality": code},
        )
        upload = time.perf_counter() - started
        assert response.status_code == 302, response.content[:500]
        actor_import = ActorImport.objects.latest("pk")
        timings = [upload]
        started = time.perf_counter()
        imports.read_import.call(actor_import.pk, "da")
        timings.append(time.perf_counter() - started)
        actor_import.refresh_from_db()
        assert actor_import.status == ActorImport.Status.MAPPING, actor_import.report
        mapping = actor_import.mapping | {"external_id": 1}
        ActorImport.objects.filter(pk=actor_import.pk).update(mapping=mapping, status=ActorImport.Status.CHECKING)
        started = time.perf_counter()
        imports.check_import.call(actor_import.pk, "da")
        timings.append(time.perf_counter() - started)
        actor_import.refresh_from_db()
        assert actor_import.status == ActorImport.Status.CHECKED and not actor_import.report["errors"]
        ActorImport.objects.filter(pk=actor_import.pk).update(status=ActorImport.Status.IMPORTING)
        started = time.perf_counter()
        imports.run_import.call(actor_import.pk, "da")
        timings.append(time.perf_counter() - started)
        actor_import.refresh_from_db()
        assert actor_import.status == ActorImport.Status.DONE, actor_import.report
        figures = " | ".join(f"{seconds:.2f} s" for seconds in timings)
        print(f"{rows:,} × {columns} | {len(data) / 1e6:.1f} MB | {figures}")


if __name__ == "__main__":
    main()
