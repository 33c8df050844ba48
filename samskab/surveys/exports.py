"""CSV and XLSX downloads of aggregates. Only ever fed from `services.safe_results` (and, for the dashboard,
from other aggregates), so an export can never show more than the page does."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .services import SafeResults

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
    """Free text starting like a formula is written as text, so a spreadsheet never runs it."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _sheet_title(title: str) -> str:
    """Excel refuses []:*?/\\ in sheet names and more than 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or "Data"


def tabular_response(fmt: str, filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    """A download of the sheets: XLSX with one worksheet each, CSV with the first sheet only."""
    if fmt not in FORMATS:
        raise Http404
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # a BOM, so spreadsheet programs read æ, ø and å correctly
        writer = csv.writer(buffer)
        writer.writerow(sheets[0].headers)
        writer.writerows([_safe(v) for v in row] for row in sheets[0].rows)
        content: bytes = buffer.getvalue().encode()
    else:
        workbook = Workbook()
        workbook.remove(workbook.active)
        for sheet in sheets:
            worksheet = workbook.create_sheet(_sheet_title(sheet.title))
            worksheet.append(list(sheet.headers))
            for row in sheet.rows:
                worksheet.append([_safe(v) for v in row])
        out = io.BytesIO()
        workbook.save(out)
        content = out.getvalue()
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def survey_sheets(results: SafeResults) -> list[Sheet]:
    """The safe results as sheets: scale aggregates (hidden cells without numbers), changes, free text."""
    scales = Sheet(
        _("Scales"),
        [
            _("Scale"),
            _("Round"),
            _("Sector"),
            _("Respondents"),
            _("Scored"),
            _("Mean"),
            _("95 % CI low"),
            _("95 % CI high"),
            _("Cronbach's alpha"),
            _("Note"),
        ],
        [
            [
                row["scale_name"],
                row["wave"],
                row["sector_label"],
                row["respondents"],
                row["n"],
                row["mean"],
                row["ci_low"],
                row["ci_high"],
                row["alpha"],
                row["hidden"],
            ]
            for row in results.rows()
        ],
    )
    labels = {g.key: (g.wave_label, g.sector_label) for g in results.groups}
    changes = Sheet(
        _("Changes"),
        [_("Scale"), _("Sector"), _("From"), _("To"), _("Difference"), _("Meaningful")],
        [
            [
                scale.name,
                labels[c.from_group][1],
                labels[c.from_group][0],
                labels[c.to_group][0],
                round(c.delta, 1),
                _("yes") if c.meaningful else _("no"),
            ]
            for scale in results.scales
            for c in scale.changes
        ],
    )
    texts = Sheet(
        _("Free text"),
        [_("Question"), _("Round"), _("Answer")],
        [
            [text.question, labels[key][0], answer]
            for text in results.texts
            for key, answers in text.texts.items()
            for answer in answers
        ],
    )
    return [scales, changes, texts]
