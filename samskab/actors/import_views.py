"""Mette imports the municipality's register: upload → map columns → dry run → confirm → done."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from samskab.lib.http import AuthenticatedHtmxRequest, AuthenticatedRequest
from samskab.lib.tables import Sheet, tabular_response

from . import imports
from .models import ActorImport, Municipality, Sector

if TYPE_CHECKING:
    from samskab.accounts.models import User

PREVIEW_ROWS = 5
WAITING_TOO_LONG = timedelta(minutes=2)  # before the page says the reading has not begun


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("The register as a CSV or XLSX file"),
        help_text=gettext_lazy(
            "At most 20 MB. The first row must hold the column names. CSV files may be separated by commas, "
            "semicolons or tabs, as Excel saves them."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(imports.TABLE_SUFFIXES))}),
        error_messages={
            "required": gettext_lazy("Choose the file to import."),
            "empty": gettext_lazy("The file is empty."),
        },
    )
    municipality = forms.ModelChoiceField(label=gettext_lazy("Municipality"), queryset=Municipality.objects.none())

    def __init__(self, *args: Any, municipalities: QuerySet[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["municipality"]).queryset = municipalities
        if len(municipalities) == 1:
            self.fields["municipality"].initial = municipalities[0]
            self.fields["municipality"].widget = forms.HiddenInput()

    def clean_file(self) -> bytes:
        """The file's bytes, if nothing is wrong with it at first sight; it is read in the background."""
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB. Split it into smaller files."))
        data = upload.read()
        try:
            imports.check_upload(upload.name, data)
        except imports.ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        self.filename = upload.name
        return data


class MappingForm(forms.Form):
    """For each actor field, the register column it comes from."""

    def __init__(self, *args: Any, actor_import: ActorImport, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        headers = [(str(i), header) for i, header in enumerate(actor_import.headers)]
        for column in imports.COLUMNS:
            initial = actor_import.mapping.get(column.field)
            empty = _("(choose a column)") if column.required else _("(not imported)")
            self.fields[column.field] = forms.ChoiceField(
                label=column.label,
                choices=[("", empty), *headers],
                required=column.required,
                initial=str(initial) if initial is not None else "",
            )
        self.fields["external_id"].help_text = _(
            "Required: a re-import recognises the actors it created by this id, so nothing is created twice."
        )
        self.fields["external_id"].error_messages["required"] = missing_id_message(actor_import)
        self.fields["sector"].help_text = _(
            "forening, virksomhed or kommune (or in English). Without a sector an actor is an association. "
            "Citizens are not imported: each citizen creates their own profile."
        )
        self.fields["themes"].help_text = _("The themes' names or short names, separated by commas or semicolons.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        used: dict[str, str] = {}
        for name, value in list(data.items()):
            if not value:
                continue
            if value in used:
                self.add_error(
                    name,
                    _("This column is already chosen for “%(field)s”.")
                    % {"field": imports.COLUMNS_BY_FIELD[used[value]].label},
                )
            else:
                used[value] = name
        if bool(data.get("latitude")) != bool(data.get("longitude")):
            self.add_error("longitude", _("Choose columns for both latitude and longitude, or for neither."))
        return data

    def mapping(self) -> dict[str, int]:
        return {name: int(value) for name, value in self.cleaned_data.items() if value}


def missing_id_message(actor_import: ActorImport) -> str:
    return _(
        "Choose the column that holds each row's id in the register. If the file has none, add a column with each "
        "row's id from the register, such as the CVR number or the register's own number, and upload the file "
        "again. The file's columns are: %(columns)s."
    ) % {"columns": ", ".join(f"“{header}”" for header in actor_import.headers)}


def municipalities_for(user: User) -> QuerySet[Municipality]:
    """The municipalities the user may import into; only municipal administrators may import at all."""
    municipalities = imports.administered_municipalities(user)
    if not municipalities.exists():
        raise PermissionDenied
    return municipalities


@login_required
def upload(request: AuthenticatedRequest) -> HttpResponse:
    municipalities = municipalities_for(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, municipalities=municipalities)
    if form.is_valid():
        actor_import = imports.start_import(
            user=request.user,
            municipality=form.cleaned_data["municipality"],
            filename=form.filename,
            data=form.cleaned_data["file"],
        )
        # Read already, by a quick worker or without one (the demo): straight on to choosing the columns.
        actor_import.refresh_from_db(fields=["status"])
        if actor_import.status == ActorImport.Status.MAPPING:
            return redirect("actors:import_mapping", pk=actor_import.pk)
        return redirect("actors:import_status", pk=actor_import.pk)
    context = {
        "form": form,
        "columns": imports.COLUMNS,
        # What became of each, read from its report without loading it: a dry run with errors to fix, a reading
        # stopped, a file that could not be read.
        "recent": ActorImport.objects.filter(municipality__in=municipalities)
        .defer("upload", "rows", "report")
        .annotate(
            stage=KeyTextTransform("stage", "report"),
            with_errors=ExpressionWrapper(Q(report__errors__0__isnull=False), output_field=BooleanField()),
        )
        .select_related("municipality")[:5],
        "several_municipalities": municipalities.count() > 1,
    }
    return render(request, "actors/import_upload.html", context)


@login_required
def mapping(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    actor_import = imports.get_import_for(request.user, pk, with_rows=True)
    if not imports.may_remap(actor_import):
        return redirect("actors:import_status", pk=pk)
    form = MappingForm(request.POST or None, actor_import=actor_import)
    if form.is_valid():
        imports.start_check(actor_import=actor_import, user=request.user, mapping=form.mapping())
        return redirect("actors:import_status", pk=pk)
    preview = [cells for _line, cells in actor_import.rows[:PREVIEW_ROWS]]
    context = {
        "actor_import": actor_import,
        "form": form,
        "preview": preview,
        # Said before the form is sent: without an id column the import cannot go on, and the fix is in the file.
        "no_id_column": "external_id" not in actor_import.mapping and not form.is_bound,
    }
    return render(request, "actors/import_mapping.html", context)


@login_required
def status(request: AuthenticatedHtmxRequest, pk: int) -> HttpResponse:
    actor_import = imports.get_import_for(request.user, pk)
    report = actor_import.report
    counts = report.get("counts", {})
    context = {
        "actor_import": actor_import,
        "report": report,
        "errors": report.get("errors", [])[: imports.ERRORS_SHOWN],
        "bad_rows": len({line for line, _message in report.get("errors", [])}),
        "stage": report.get("stage", ""),
        "may_remap": imports.may_remap(actor_import),
        "to_create": planned(report, "create"),
        "to_update": planned(report, "update"),
        "to_create_more": counts.get("create", 0) - len(report.get("preview", {}).get("create", [])),
        "to_update_more": counts.get("update", 0) - len(report.get("preview", {}).get("update", [])),
        "confirm_label": confirm_label(counts.get("create", 0), counts.get("update", 0), counts.get("linked", 0)),
        "file_read": file_read(actor_import),
        "not_started": actor_import.status == ActorImport.Status.READING
        and not actor_import.total
        and timezone.now() - actor_import.created_at > WAITING_TOO_LONG,
    }
    if request.htmx:
        if actor_import.status == ActorImport.Status.MAPPING:  # the file has just been read: on to its columns
            return HttpResponseClientRedirect(reverse("actors:import_mapping", args=[pk]))
        return render(request, "actors/import_status.html#progress", context)
    return render(request, "actors/import_status.html", context)


def file_read(actor_import: ActorImport) -> str:
    """What reading the file found, said once it has been read."""
    rows, columns = actor_import.total, len(actor_import.headers)
    return _("Samskab found %(rows)s and %(columns)s.") % {
        "rows": ngettext("%(n)s row", "%(n)s rows", rows) % {"n": number_format(rows, force_grouping=True)},
        "columns": ngettext("%(n)s column", "%(n)s columns", columns) % {"n": columns},
    }


def confirm_label(created: int, updated: int, linked: int = 0) -> str:
    """The confirm button's words, leaving out a part that is zero: "Importér: opret 3 og opdatér 1 aktør"; actors
    that are only given the register's id are added after it ("…, og giv 1 aktør registerets id")."""
    if not (created or updated):
        return ngettext(
            "Import: give %(n)s actor the register's id", "Import: give %(n)s actors the register's id", linked
        ) % {"n": number_format(linked, force_grouping=True)}
    label = _creating_and_updating(created, updated)
    if linked:
        label += ngettext(
            ", and give %(n)s actor the register's id", ", and give %(n)s actors the register's id", linked
        ) % {"n": number_format(linked, force_grouping=True)}
    return label


def _creating_and_updating(created: int, updated: int) -> str:
    numbers = {
        "created": number_format(created, force_grouping=True),
        "updated": number_format(updated, force_grouping=True),
    }
    if created and updated:
        # The noun follows the number next to it, as one says it.
        return (
            ngettext(
                "Import: create %(created)s and update %(updated)s actor",
                "Import: create %(created)s and update %(updated)s actors",
                updated,
            )
            % numbers
        )
    if updated:
        return ngettext("Import: update %(updated)s actor", "Import: update %(updated)s actors", updated) % numbers
    return ngettext("Import: create %(created)s actor", "Import: create %(created)s actors", created) % numbers


def planned(report: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """The first actors the import creates or updates (`imports.plan_preview`), with the sector's and the changed
    fields' names in the reader's language."""
    sectors = dict(Sector.choices)
    labels = {column.field: column.label for column in imports.COLUMNS}
    return [
        {
            **item,
            "sector": sectors.get(item["sector"], item["sector"]),
            "fields": [labels.get(name, name) for name in item.get("fields", [])],
        }
        for item in report.get("preview", {}).get(kind, [])
    ]


@login_required
@require_POST
def cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Give up a file that is still waiting to be read (a task worker that never came)."""
    actor_import = imports.get_import_for(request.user, pk)
    imports.cancel_reading(actor_import=actor_import, user=request.user)
    return redirect("actors:import_status", pk=pk)


@login_required
@require_POST
def confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    actor_import = imports.get_import_for(request.user, pk)
    imports.confirm_import(actor_import=actor_import, user=request.user)
    return redirect("actors:import_status", pk=pk)


@login_required
def errors_csv(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Every bad row and warning as a spreadsheet, to fix the register in Excel (semicolons, with BOM)."""
    actor_import = imports.get_import_for(request.user, pk, with_rows=True)
    # Each line's name and id as the file has them, so the rows are found again once the file is sorted or cut.
    cells = {line: row for line, row in actor_import.rows}
    mapping = actor_import.mapping

    def said(line: int | None, field: str) -> str:
        row, index = cells.get(line or 0), mapping.get(field)
        return row[index] if row is not None and index is not None and index < len(row) else ""

    rows: list[list[Any]] = []
    for line, message in actor_import.report.get("errors", []):
        rows.append([line, said(line, "name"), said(line, "external_id"), _("Error"), message])
    for line, message, *link in actor_import.report.get("warnings", []):
        if link:  # the actor a skipped row seems to be, to look at from the spreadsheet
            message = f"{message} {request.build_absolute_uri(reverse('actors:detail', args=[link[0]['slug']]))}"
        rows.append([line or "", said(line, "name"), said(line, "external_id"), _("Warning"), message])
    headers = [_("Line"), _("Name"), _("External id"), _("Error or warning"), _("Reason")]
    return tabular_response("csv", f"import-{pk}-fejl", [Sheet(_("Errors"), headers, rows)])


@login_required
def plan_csv(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Every actor the import creates or updates, and every row it links to or skips for an actor already in
    Samskab, with line numbers, as a spreadsheet (semicolons, with BOM): the page lists only the first
    `imports.PLAN_SHOWN`."""
    actor_import = imports.get_import_for(request.user, pk)
    plan = actor_import.report.get("plan")
    if plan is None:  # not checked yet, or checked before the plan was kept in full
        raise Http404
    headers = [
        _("Line"),
        _("What happens"),
        _("Name"),
        _("New name"),
        _("Sector"),
        _("What changes"),
        _("Actor in Samskab"),
    ]
    rows = plan_rows(plan, done=actor_import.status == ActorImport.Status.DONE, url=request.build_absolute_uri)
    return tabular_response("csv", f"import-{pk}-plan", [Sheet(_("Import plan"), headers, rows)])


def plan_rows(plan: dict[str, list[list[Any]]], *, done: bool, url: Callable[[str], str]) -> list[list[Any]]:
    """The rows of `imports.plan_in_full` as the spreadsheet's, in the reader's language, each kind in the file's
    order, with the address of the actor in Samskab an update, a link or a namesake concerns."""
    sectors = dict(Sector.choices)
    labels = {column.field: column.label for column in imports.COLUMNS}

    def page(slug: str) -> str:
        return url(reverse("actors:detail", args=[slug]))

    created, updated, linked = (
        (_("Created"), _("Updated"), _("Given the register's id"))
        if done
        else (_("To be created"), _("To be updated"), _("To be given the register's id"))
    )
    return [
        *([line, created, name, "", sectors.get(sector, sector), "", ""] for line, name, sector in plan["create"]),
        *(
            [
                line,
                updated,
                name,
                new_name,
                sectors.get(sector, sector),
                ", ".join(str(labels.get(field, field)) for field in fields),
                page(slug),
            ]
            for line, name, new_name, sector, fields, slug in plan["update"]
        ),
        *([line, linked, name, "", "", "", page(slug)] for line, name, slug in plan["linked"]),
        *(
            [line, _("Skipped: already in Samskab under the same name"), name, "", "", "", page(slug)]
            for line, name, slug in plan["namesakes"]
        ),
    ]
