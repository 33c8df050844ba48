"""CSV and XLSX downloads of tables, for every app's aggregates: one place that writes spreadsheets safely."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpResponse
from django.utils.functional import Promise
from openpyxl import Workbook

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]


def _safe(value: Any) -> Any:
    """Free text starting like a formula is written as text, so a spreadsheet never runs it. Translated labels
    (lazy strings, e.g. a choice's label) are written as the text they stand for."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_cell(value: Any) -> Any:
    """A CSV cell as a Danish spreadsheet reads it: decimal numbers with a decimal comma."""
    value = _safe(value)
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")
    return value


def _sheet_title(title: str) -> str:
    """Excel refuses []:*?/\\ in sheet names and more than 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or "Data"


def tabular_response(fmt: str, filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    """A download of the sheets: XLSX with one worksheet each, CSV (Danish style) with the first sheet only."""
    if fmt not in FORMATS:
        raise Http404
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # a BOM, so spreadsheet programs read æ, ø and å correctly
        # Semicolons and decimal commas, as a spreadsheet set to Danish expects: with commas, Excel in Danish
        # puts every row in one column. XLSX carries numbers as numbers, whatever the language.
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow([_csv_cell(v) for v in sheets[0].headers])
        writer.writerows([_csv_cell(v) for v in row] for row in sheets[0].rows)
        content: bytes = buffer.getvalue().encode()
    else:
        workbook = Workbook()
        workbook.remove(workbook.active)
        for sheet in sheets:
            worksheet = workbook.create_sheet(_sheet_title(sheet.title))
            worksheet.append([_safe(v) for v in sheet.headers])
            for row in sheet.rows:
                worksheet.append([_safe(v) for v in row])
        out = io.BytesIO()
        workbook.save(out)
        content = out.getvalue()
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
