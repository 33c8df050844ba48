"""Mette imports a register that a script wrote with formulas: a spreadsheet program works formulas out and saves
their values, a script does not. She is told which cell holds a formula without a saved value and what to do, not
that names and ids are missing from cells that show them in her spreadsheet."""

import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse
from django.utils.translation import override

from samskab.actors import imports
from samskab.actors.models import Actor, ActorImport

from .conftest import Persona
from .test_import import upload


def scripted_register() -> bytes:
    """The register as openpyxl writes it: formulas with no values saved."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Navn", "CVR", "Sektor"])
    sheet.append(['=CONCAT("Vollsmose ","Skakklub")', "=1+1", "forening"])
    sheet.append(["Bøgeskovens Æbleforening", "22222222", "forening"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def saved_by_a_spreadsheet(data: bytes) -> bytes:
    """The same workbook after a spreadsheet program opened and saved it: each formula keeps its value."""
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = part.replace(b'<c r="A2"><f>', b'<c r="A2" t="str"><f>', 1)
                part = part.replace(b"</f><v /></c>", b"</f><v>Vollsmose Skakklub</v></c>", 1)
                part = part.replace(b"</f><v /></c>", b"</f><v>2</v></c>", 1)
            archive.writestr(info, part)
    return target.getvalue()


def test_a_register_written_by_a_script_with_formulas_says_to_save_it_in_a_spreadsheet(mette: Persona) -> None:
    client = mette.client()
    upload(client, scripted_register(), "register.xlsx")

    actor_import = ActorImport.objects.get()
    assert actor_import.status == ActorImport.Status.FAILED
    page = client.get(reverse("actors:import_status", args=[actor_import.pk])).content.decode()
    assert (
        "2 celler, først A2, indeholder formler, hvis værdier aldrig er gemt, så de kan ikke læses. Åbn filen i et "
        "regnearksprogram (fx Excel eller LibreOffice Calc), gem den der, og upload den igen."
    ) in page
    assert "Navn mangler" not in page and "Eksternt id mangler" not in page
    assert not Actor.objects.filter(name__contains="Skakklub").exists()


def test_one_formula_without_a_value_is_named_by_its_cell() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Navn", "CVR"])
    sheet.append(["Vollsmose Skakklub", "11111111"])
    sheet.append(["Bøgeskovens Æbleforening", "=22222222+0"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with override("da"), pytest.raises(imports.ImportFileError) as refused:
        imports.read_xlsx(buffer.getvalue())
    assert str(refused.value).startswith("Celle B3 indeholder en formel, hvis værdi aldrig er gemt")


def test_formulas_saved_with_their_values_are_read_as_those_values() -> None:
    table = imports.read_xlsx(saved_by_a_spreadsheet(scripted_register()))
    assert table.headers == ["Navn", "CVR", "Sektor"]
    assert table.rows[0] == (2, ["Vollsmose Skakklub", "2", "forening"])
