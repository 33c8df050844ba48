"""Importing a municipality's register of actors (associations, businesses, …) from CSV or XLSX.

The steps, each a function:

- `read_table` turns the uploaded bytes into column names and numbered rows, or raises `ImportFileError`
  (an empty or binary file, an XLSX that is not a workbook, broken quoting, a file too big to read: more than
  `MAX_COLUMNS`, `MAX_CELLS`, `MAX_CELL_CHARS` in a cell or, unpacked, `MAX_UNPACKED_BYTES`; see `WorkbookScan`).
  UTF-8 with or without BOM, UTF-16 and Windows-1252/Latin-1 are read; the separator (, ; or tab) is sniffed from
  the header line.
- `clean_rows` checks every row against the column mapping and returns actor values, the bad rows with their
  line numbers, and warnings (a theme Samskab does not have is left out with a warning, not an error).
- `existing_actors` / `match_rows` compare the rows with the municipality's actors by external id (e.g. the
  CVR number): each row is to be created, updated, left unchanged, or skipped. A row with a new id whose name an
  actor of the municipality already has (`namesakes`) is skipped too, with a warning that links to that actor,
  unless that actor has no id and the same address: then the row gives it the register's id (`Plan.linked`).
  New rows that share a name with each other get a warning (`Plan.shared_names`), and are imported all the same.
- `apply_plan` writes everything in bulk, in one transaction.

Citizens are not imported: a citizen's page is their own, so a row of sector "borger" is an error
(`RowChecker.sector`), and a row never rewrites an existing citizen (`match_rows`).

The three tasks `read_import` (the upload into rows), `check_import` (the dry run, which writes nothing but
the report) and `run_import` (all or nothing, and nothing if a row is no longer as the dry run found it) drive
those steps and keep the `ActorImport`'s progress up to
date for the progress bar.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import logging
import math
import re
import time
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from xml.parsers import expat

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.tasks import task
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from samskab.lib.text import transliterate

from . import geocoding, search
from .models import (
    DESCRIPTION_MAX_LENGTH,
    RESERVED_SLUGS,
    Actor,
    ActorImport,
    Membership,
    MunicipalAdministrator,
    Municipality,
    Sector,
    Theme,
)
from .services import may_create_sector

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise

    from samskab.accounts.models import User

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
# A register maps 13 columns; these leave room for the register's own, and bound what a row costs to read.
MAX_COLUMNS = 100
# Cells as the file holds them, empty ones included, for reading an empty cell costs as much as a full one (about
# 12 µs in an XLSX): 100,000 rows of 30 columns, or 60,000 of 50, take half a minute. A 20 MB file can hold far more
# (an XLSX that omits the cells' references packs ten million into half a megabyte), and reading those took
# minutes and gigabytes. Only the first sheet of a workbook counts: it is the one read.
MAX_CELLS = 3_000_000
# Row elements in the sheet read: the rows, the header and some blank or formatted rows (a row costs as much to
# parse whether it is new or repeats an earlier row's number).
MAX_ROW_ELEMENTS = MAX_ROWS + 10_000
# The text of one cell or shared string, as in Excel, which holds no more; reading needs no more for a register.
MAX_CELL_CHARS = 32_767
MAX_CELL_ELEMENTS = 1_000  # within a cell or shared string: runs of rich text, each a few elements
# Elements of any other part of a workbook (styles, workbook, relationships, other sheets, ...) and of the sheet
# read outside its rows. openpyxl reads some whole into memory (the styles); a real workbook's hold some
# thousands.
MAX_PART_ELEMENTS = 200_000
# An XLSX is a zip of XML, which may unpack to a thousand times its size; openpyxl reads some parts (the strings,
# the styles) whole. A register of 100,000 rows unpacks to about 100 MB.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
EXCEL_MAX_ROWS = 1_048_576  # the last row a spreadsheet has; a row numbered beyond it is no spreadsheet's
BATCH_SIZE = 500
PROGRESS_EVERY_SECONDS = 0.5
ERRORS_SHOWN = 1000  # on the page; the CSV download has every one
PLAN_SHOWN = 100  # actors to be created, and to be updated, listed on the page; the plan's download has every one
STALE_READING = dt.timedelta(days=1)  # a file not read by then is discarded (`expire_stale_reads`)

LATITUDE_RANGE = geocoding.LATITUDE_RANGE
LONGITUDE_RANGE = geocoding.LONGITUDE_RANGE
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Excel format (XLS)
ZIP_MAGIC = b"PK\x03\x04"
# UTF-8 read as Latin-1/Windows-1252 ("Ã¸" for "ø"), or bytes that could not be decoded at all.
GARBLED = re.compile(
    "[ÃÂ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]|\ufffd"
)


class ImportFileError(Exception):
    """The file cannot be read at all; the message is for the person who uploaded it."""


@dataclass(frozen=True)
class Column:
    """An actor field a register column can be mapped to, and the header names that suggest it."""

    field: str
    label: StrPromise
    synonyms: tuple[str, ...]
    required: bool = False
    max_length: int | None = None


COLUMNS: tuple[Column, ...] = (
    Column(
        "name",
        gettext_lazy("Name"),
        ("navn", "name", "foreningsnavn", "forening", "virksomhedsnavn", "aktoer", "aktoernavn"),
        required=True,
        max_length=150,
    ),
    Column(
        "external_id",
        gettext_lazy("External id (e.g. CVR number)"),
        ("cvr", "cvrnr", "cvrnummer", "eksterntid", "eksternid", "externalid", "id", "nummer"),
        required=True,
        max_length=40,
    ),
    Column("sector", gettext_lazy("Sector"), ("sektor", "sector", "type", "aktoertype")),
    Column(
        "description",
        gettext_lazy("Description"),
        ("beskrivelse", "description", "formaal", "om"),
        max_length=DESCRIPTION_MAX_LENGTH,
    ),
    Column(
        "address", gettext_lazy("Address"), ("adresse", "address", "postadresse", "vejognr", "gade"), max_length=200
    ),
    # A register that keeps the postcode and the town apart: they are added to the address ("Havnegade 12, 5999
    # Egeå"), so that the address is whole to look up and to compare.
    Column("postcode", gettext_lazy("Postcode (added to the address)"), ("postnr", "postnummer", "postcode", "zip")),
    Column("town", gettext_lazy("Town (added to the address)"), ("by", "bynavn", "postdistrikt", "town", "city")),
    Column(
        "neighbourhood",
        gettext_lazy("Neighbourhood"),
        ("bydel", "kvarter", "neighbourhood", "neighborhood", "lokalomraade", "omraade"),
        max_length=80,
    ),
    Column("themes", gettext_lazy("Themes"), ("temaer", "tema", "themes", "theme")),
    Column("contact_email", gettext_lazy("Email"), ("email", "mail", "epost", "kontaktemail"), max_length=254),
    Column(
        "contact_phone",
        gettext_lazy("Phone"),
        ("telefon", "telefonnummer", "tlf", "tlfnr", "phone", "mobil"),
        max_length=30,
    ),
    Column("website", gettext_lazy("Website"), ("hjemmeside", "website", "web", "url", "webadresse"), max_length=200),
    Column("latitude", gettext_lazy("Latitude"), ("bredde", "breddegrad", "latitude", "lat")),
    Column("longitude", gettext_lazy("Longitude"), ("laengde", "laengdegrad", "longitude", "lon", "lng")),
    Column(
        "municipality",
        gettext_lazy("Municipality code"),
        ("kommunekode", "kommunenr", "kommunenummer", "municipalitycode", "kommune", "municipality"),
    ),
)
COLUMNS_BY_FIELD = {column.field: column for column in COLUMNS}
# Fields whose mapped column is the register's word: an empty cell clears the actor's value. Sector and
# coordinates are only set from a value, so a pin placed by hand survives a register without coordinates.
TEXT_FIELDS = ("name", "description", "address", "neighbourhood", "contact_email", "contact_phone", "website")
SECTOR_WORDS = {
    "forening": Sector.ASSOCIATION,
    "foreninger": Sector.ASSOCIATION,
    "association": Sector.ASSOCIATION,
    "virksomhed": Sector.BUSINESS,
    "virksomheder": Sector.BUSINESS,
    "firma": Sector.BUSINESS,
    "business": Sector.BUSINESS,
    "borger": Sector.CITIZEN,
    "citizen": Sector.CITIZEN,
    "kommune": Sector.MUNICIPALITY,
    "kommunal": Sector.MUNICIPALITY,
    "municipality": Sector.MUNICIPALITY,
    "municipal": Sector.MUNICIPALITY,
}
# A business's legal form, as a register writes it in its type column ("ApS", "A/S", "Enkeltmandsvirksomhed").
BUSINESS_FORMS = {"aps", "a/s", "i/s", "ivs", "p/s", "k/s", "smba", "enkeltmandsvirksomhed", "interessentskab"}


# Reading ----------------------------------------------------------------------------------------------


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells)


# What a register may be saved as; a file without a suffix is read as what its bytes say.
TABLE_SUFFIXES = {".csv", ".txt", ".tsv", ".tab", ".xlsx", ".xlsm"}


def check_upload(filename: str, data: bytes) -> None:
    """What can be told of a file at once, without reading it: empty, too big, or an old Excel file."""
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFileError(_("The file is larger than 20 MB. Split it into smaller files."))
    suffix = Path(filename).suffix.lower()
    if data.startswith(OLE_MAGIC) or suffix == ".xls":
        raise ImportFileError(_("This is an old Excel file (XLS). Save it as XLSX or CSV and upload it again."))
    if data.startswith(b"%PDF") or (suffix and suffix not in TABLE_SUFFIXES):
        raise ImportFileError(
            _(
                "“%(name)s” is not a spreadsheet Samskab reads: open the register in Excel or another spreadsheet "
                "program, save it as XLSX or CSV, and upload that file."
            )
            % {"name": Path(filename).name}
        )


def read_table(filename: str, data: bytes, *, on_progress: ProgressCallback | None = None) -> Table:
    """The header and the non-blank rows of a CSV or XLSX file, with their line numbers as Excel shows them.
    `on_progress` hears ("reading", line, last line) as the rows are read."""
    check_upload(filename, data)
    if data.startswith(ZIP_MAGIC) or Path(filename).suffix.lower() in {".xlsx", ".xlsm"}:
        return read_xlsx(data, on_progress=on_progress)
    return read_csv(data, on_progress=on_progress)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; otherwise Windows-1252, as Danish Excel saves CSV."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ImportFileError(_("The file could not be read as text.")) from error
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # never fails; the five bytes cp1252 leaves undefined are control codes


def sniff_delimiter(text: str) -> str:
    """The separator the header line uses most: semicolon (Danish Excel), tab or comma.

    The header decides, not the data: Danish decimal commas ("55,4") in every row would fool a frequency count.
    """
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: header.count(delimiter) for delimiter in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(data: bytes, *, on_progress: ProgressCallback | None = None) -> Table:
    text = decode(data)
    if "\x00" in text:
        raise ImportFileError(_("The file is neither a CSV text file nor an XLSX workbook."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text), strict=True)

    def records() -> Iterator[tuple[int, list[str]]]:
        line = 0
        try:
            for cells in reader:
                if any(len(cell) > MAX_CELL_CHARS for cell in cells):
                    raise too_long(line + 1)
                yield line + 1, cells
                line = reader.line_num
        except csv.Error as error:
            if "field larger than field limit" in str(error):  # a cell longer than the csv module reads at all
                raise too_long(line + 1) from error
            # The csv module's words are English and technical; what goes wrong on a line is its quotation marks.
            raise ImportFileError(
                _(
                    "Line %(line)d could not be read: its quotation marks do not pair up. A text with a quotation "
                    "mark or the separator in it must be in quotation marks, and a quotation mark inside it doubled "
                    "(“”). Saving the file again from the spreadsheet program does that."
                )
                % {"line": line + 1}
            ) from error

    return _table(records(), on_progress=on_progress, last_line=text.count("\n") + 1)


def read_xlsx(data: bytes, *, on_progress: ProgressCallback | None = None) -> Table:
    import openpyxl

    scan = WorkbookScan()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            scan.check(archive)
        if scan.unsaved_formulas:
            raise unsaved_formulas(scan.unsaved_formulas, scan.first_unsaved_formula)
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except ImportFileError:
        raise
    except Exception as error:  # BadZipFile, InvalidFileException, KeyError, XML errors: all mean the same here
        raise not_a_workbook() from error
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some programs write wrong dimensions; read what is there
        # Values beyond `MAX_COLUMNS` were refused by the scan; without a last column, openpyxl would pad each row
        # with empty values up to its last cell, an empty one with formatting far to the right included.
        rows = sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS + 1, values_only=True)
        return _table(xlsx_records(rows), on_progress=on_progress, last_line=scan.last_line)
    except ImportFileError:
        raise
    except Exception as error:
        raise not_a_workbook() from error
    finally:
        workbook.close()


def xlsx_records(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[int, list[str]]]:
    """The rows as text up to their last value; blank rows (openpyxl yields one for each missing row) left out."""
    for line, values in enumerate(rows, start=1):
        if values.count(None) == len(values):
            continue
        width = len(values)
        while values[width - 1] is None:
            width -= 1
        yield line, [cell_text(value) for value in values[:width]]


def not_a_workbook() -> ImportFileError:
    return ImportFileError(_("The file is not an Excel workbook (XLSX). Save it as XLSX or CSV and upload it again."))


def too_wide(line: int) -> ImportFileError:
    return ImportFileError(
        _("Line %(line)d has more than %(max)d columns. Remove the columns that are not to be imported.")
        % {"line": line, "max": MAX_COLUMNS}
    )


def too_many_cells() -> ImportFileError:
    return ImportFileError(
        _(
            "The file has more than %(max)s cells. Remove the columns that are not to be imported, or split it "
            "into smaller files."
        )
        % {"max": number_format(MAX_CELLS, force_grouping=True)}
    )


def too_many_rows() -> ImportFileError:
    return ImportFileError(_("The file has more than %(max)d rows. Split it into smaller files.") % {"max": MAX_ROWS})


def too_long(line: int | None) -> ImportFileError:
    limit = number_format(MAX_CELL_CHARS, force_grouping=True)
    if line is None:  # a shared string, which any line may use
        return ImportFileError(
            _("The workbook holds a text of more than %(max)s characters. Shorten it and upload the file again.")
            % {"max": limit}
        )
    return ImportFileError(
        _("Line %(line)d has a cell of more than %(max)s characters. Shorten it and upload the file again.")
        % {"line": line, "max": limit}
    )


def unsaved_formulas(count: int, first: str) -> ImportFileError:
    # A workbook written by a program (openpyxl, a report generator) may hold formulas and no values: only a
    # spreadsheet program works them out, and what is read is the value it saved. Read as empty, such a cell would
    # be reported as missing ("Name is missing") though the sheet shows a value.
    return ImportFileError(
        ngettext(
            "Cell %(cell)s holds a formula whose value was never saved, so it cannot be read. Open the file in a "
            "spreadsheet program (such as Excel or LibreOffice Calc), save it there, and upload it again.",
            "%(count)d cells, the first %(cell)s, hold formulas whose values were never saved, so they cannot be "
            "read. Open the file in a spreadsheet program (such as Excel or LibreOffice Calc), save it there, and "
            "upload it again.",
            count,
        )
        % {"count": count, "cell": first}
    )


def too_complex() -> ImportFileError:
    return ImportFileError(
        _(
            "The workbook holds far more formatting or other content than a register needs. Save the sheet as CSV "
            "and upload that instead."
        )
    )


SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ROW, VALUE, INLINE_TEXT, FORMULA = (f"{SHEET_NS} {tag}" for tag in ("row", "v", "is", "f"))
# What a part is to the scan, and what an element is within the sheet or the shared strings.
OTHER_PART, SHEET_PART, STRINGS_PART = "other", "sheet", "strings"
OTHER, ROW_ELEMENT, CELL, IN_CELL = range(4)


class WorkbookScan:
    """Refuses an XLSX that would take too long or too much memory to read, before openpyxl reads any of it.

    First the parts' unpacked sizes, from the zip's directory (zipfile never unpacks more than a part's stated
    size). Then the parts that name the sheet openpyxl reads (the package's content types, the workbook and its
    relationships), found as openpyxl finds it. Then every part is streamed through expat and counted as it goes,
    so the refusal comes as soon as a limit is passed, even in the middle of a row of millions of cells:

    - in the first worksheet, the one read: `MAX_ROW_ELEMENTS` rows, `MAX_CELLS` cells (empty ones included, for
      openpyxl parses each), a value beyond `MAX_COLUMNS` (which `_table` would refuse after reading everything),
      a row numbered beyond a spreadsheet's last;
    - in that sheet too, formulas without a saved value (`unsaved_formulas`, `first_unsaved_formula`), which
      openpyxl would read as empty cells;
    - in the shared strings: no more strings than there can be cells to use them;
    - in a cell or a shared string: `MAX_CELL_CHARS` characters and `MAX_CELL_ELEMENTS` elements (rich text runs);
    - in any other part (the styles, which openpyxl reads whole, the workbook, the other sheets, ...), and outside
      the rows of the sheet read: `MAX_PART_ELEMENTS` elements each.
    """

    def __init__(self) -> None:
        from openpyxl.utils.cell import column_index_from_string, get_column_letter

        self.column_index = column_index_from_string
        self.column_letter = get_column_letter
        self.columns: dict[str, int] = {}  # by letters
        self.last_line = 0  # the sheet's last row number, for the progress bar
        self.unsaved_formulas = 0  # cells of the sheet read with a formula and no saved value
        self.first_unsaved_formula = ""  # the first one's reference, such as B2
        self.start_part(OTHER_PART)

    def start_part(self, kind: str) -> None:
        self.kind = kind
        self.stack: list[int] = []
        self.others = self.rows = self.items = self.inner = 0
        self.line = self.column = self.item_chars = self.item_elements = 0
        self.reference, self.text_result, self.formula, self.value, self.in_value = "", False, False, False, False

    def check(self, archive: zipfile.ZipFile) -> None:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise ImportFileError(
                _("The workbook takes up more than %(max)d MB unpacked. Split it into smaller files.")
                % {"max": MAX_UNPACKED_BYTES // (1024 * 1024)}
            )
        sheet, strings, unread, scanned = self.read_parts(archive)
        for info in archive.infolist():
            name = info.filename
            kinds = [SHEET_PART] if name == sheet else [STRINGS_PART] if name == strings else []
            if name not in scanned and name not in unread and name not in (sheet, strings):
                kinds.append(OTHER_PART)
            for kind in kinds:
                with archive.open(info) as part:
                    self.scan(part, kind)

    def read_parts(self, archive: zipfile.ZipFile) -> tuple[str | None, str | None, set[str], set[str]]:
        """The sheet and the shared strings openpyxl reads, found as openpyxl finds them (`ExcelReader.read`); the
        other worksheets, which openpyxl lists but does not read; and the parts scanned (with the small limit) to
        find them: the content types and every relationships part."""
        from openpyxl.packaging.manifest import Manifest
        from openpyxl.packaging.relationship import get_dependents
        from openpyxl.reader.excel import _find_workbook_part
        from openpyxl.reader.workbook import WorkbookParser
        from openpyxl.xml.constants import ARC_CONTENT_TYPES, ARC_CORE, ARC_CUSTOM, ARC_STYLE, SHARED_STRINGS
        from openpyxl.xml.functions import fromstring

        names = set(archive.namelist())
        scanned = {ARC_CONTENT_TYPES, *(name for name in names if name.endswith(".rels"))} & names
        for name in sorted(scanned):
            with archive.open(name) as part:
                self.scan(part, OTHER_PART)
        manifest = Manifest.from_tree(fromstring(archive.read(ARC_CONTENT_TYPES)))
        workbook = _find_workbook_part(manifest).PartName[1:]
        if workbook not in scanned:
            with archive.open(workbook) as part:
                self.scan(part, OTHER_PART)
            scanned.add(workbook)
        parser = WorkbookParser(archive, workbook, keep_links=False)
        parser.parse()
        sheets = [rel.target for _, rel in parser.find_sheets() if rel.target in names and "chartsheet" not in rel.Type]
        strings_part = manifest.find(SHARED_STRINGS)
        strings = strings_part.PartName[1:] if strings_part is not None else None
        # A part read otherwise too (as styles, a chart, ...) gets the small limit, whatever else it is.
        read_whole = {ARC_STYLE, ARC_CORE, ARC_CUSTOM, workbook}
        for name in sorted(name for name in scanned if name.endswith(".rels")):
            rels = get_dependents(archive, name)
            read_whole |= {rel.target for rel in rels if not rel.Type.endswith(("/worksheet", "/sharedStrings"))}
        sheet = sheets[0] if sheets else None
        for name in sorted(read_whole.intersection(part for part in (sheet, strings) if part)):
            with archive.open(name) as part:
                self.scan(part, OTHER_PART)
        return sheet, strings, set(sheets[1:]) - read_whole - {strings}, scanned

    def scan(self, part: IO[bytes], kind: str) -> None:
        self.start_part(kind)
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        if kind != OTHER_PART:
            parser.buffer_text = True
            parser.CharacterDataHandler = self.text
        try:
            while chunk := part.read(64 * 1024):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError:
            # Not XML (an image, a macro project), or broken XML: openpyxl reads XML with the same expat (through
            # ElementTree, as long as lxml is not installed: a test checks), so it gets no further into such a part
            # than this scan has counted.
            pass

    def start(self, name: str, attributes: dict[str, str]) -> None:
        parent = self.stack[-1] if self.stack else OTHER
        if parent in (CELL, IN_CELL):
            kind = IN_CELL
        elif self.kind == SHEET_PART:
            kind = ROW_ELEMENT if name == ROW else CELL if parent == ROW_ELEMENT else OTHER
        elif self.kind == STRINGS_PART:
            kind = CELL if len(self.stack) == 1 else OTHER
        else:
            kind = OTHER
        self.stack.append(kind)
        if kind == IN_CELL:
            self.item_elements += 1
            self.inner += 1
            if self.item_elements > MAX_CELL_ELEMENTS:
                raise self.too_long()
            if self.inner > 3 * MAX_CELLS:  # a value (v), or an inline string (is, t)
                raise too_many_cells()
            if name in (VALUE, INLINE_TEXT) and self.column > MAX_COLUMNS:
                raise too_wide(self.line)
            if self.kind == SHEET_PART and parent == CELL:
                self.formula = self.formula or name == FORMULA
                self.in_value = name == VALUE
        elif kind == CELL:
            self.items += 1
            self.item_chars = self.item_elements = 0
            if self.items > MAX_CELLS:
                raise too_many_cells()
            if self.kind == SHEET_PART:
                reference = attributes.get("r")
                self.column = self.column_of(reference) if reference else self.column + 1
                self.reference = reference or ""
                # A formula whose result is text may have saved an empty one (t="str"): that value is empty indeed.
                self.text_result = attributes.get("t") == "str"
                self.formula = self.value = False
        elif kind == ROW_ELEMENT:
            self.rows += 1
            if self.rows > MAX_ROW_ELEMENTS:
                raise too_many_rows()
            self.line = self.row_number(attributes.get("r"))
            self.last_line = max(self.last_line, self.line)
            self.column = 0
            if not 0 < self.line <= EXCEL_MAX_ROWS:
                raise not_a_workbook()
        else:
            self.others += 1
            if self.others > MAX_PART_ELEMENTS:
                raise too_complex()

    def end(self, name: str) -> None:
        kind = self.stack.pop()
        if self.kind != SHEET_PART:
            return
        if kind == IN_CELL and name == VALUE:
            self.in_value = False
        elif kind == CELL and self.formula and not (self.value or self.text_result):
            self.unsaved_formulas += 1
            if not self.first_unsaved_formula:
                self.first_unsaved_formula = self.reference or f"{self.column_letter(self.column)}{self.line}"

    def text(self, data: str) -> None:
        if self.in_value and data.strip():
            self.value = True
        if self.stack and self.stack[-1] in (CELL, IN_CELL):
            self.item_chars += len(data)
            if self.item_chars > MAX_CELL_CHARS:
                raise self.too_long()

    def too_long(self) -> ImportFileError:
        return too_long(self.line if self.kind == SHEET_PART else None)

    def row_number(self, text: str | None) -> int:
        """The row's number as openpyxl reads it (a whole number, also written as "3.0"), or the next one."""
        if text is None:
            return self.line + 1
        try:
            return int(text) if text.isdecimal() else int(float(text))
        except (ValueError, OverflowError):
            raise not_a_workbook() from None

    def column_of(self, reference: str) -> int:
        letters = reference.rstrip("0123456789")
        column = self.columns.get(letters)
        if column is None:
            try:
                column = self.columns[letters] = self.column_index(letters)
            except ValueError:
                raise not_a_workbook() from None
        return column


def cell_text(value: Any) -> str:
    """A spreadsheet value as the text a person would type: 12345678 rather than 12345678.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _table(
    records: Iterable[tuple[int, list[str]]], *, on_progress: ProgressCallback | None = None, last_line: int = 0
) -> Table:
    headers: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    cells_read = 0
    for line, raw in records:
        if on_progress:
            on_progress("reading", min(line, last_line), last_line)
        cells_read += len(raw)
        if cells_read > MAX_CELLS:
            raise too_many_cells()
        cells = [cell.strip() for cell in raw]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        if len(cells) > MAX_COLUMNS:
            raise too_wide(line)
        if headers is None:
            headers = cells
            continue
        if len(rows) == MAX_ROWS:
            raise too_many_rows()
        rows.append((line, cells))
    if headers is None:
        raise ImportFileError(_("The file is empty."))
    if not rows:
        raise ImportFileError(_("The file has column names but no rows below them."))
    labels = [header or _("Column %(n)d") % {"n": i} for i, header in enumerate(headers, start=1)]
    return Table(headers=labels, rows=rows)


def normalise_header(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", transliterate(header.lower()).encode("ascii", "ignore").decode())


def guess_mapping(headers: list[str], rows: Iterable[tuple[int, list[str]]] = ()) -> dict[str, int]:
    """Actor field → column index, from Danish or English header names (exact names first, then prefixes).

    A column guessed as the sector from another name than "Sektor" is kept only if most of its values (in the
    first rows) name a sector: a register's "Type" is as often "Idrætsforening" or "Spejdergruppe" as a sector,
    and every row would be an error. The person mapping the columns can still choose it."""
    normalised = [normalise_header(h) for h in headers]
    mapping: dict[str, int] = {}
    for exact in (True, False):
        for column in COLUMNS:
            if column.field in mapping:
                continue
            for index, name in enumerate(normalised):
                if index in mapping.values() or not name:
                    continue
                if any(name == s if exact else (len(s) >= 4 and name.startswith(s)) for s in column.synonyms):
                    mapping[column.field] = index
                    break
    if "sector" in mapping and not normalised[mapping["sector"]].startswith(("sektor", "sector")):
        index = mapping["sector"]
        values = [cells[index].strip() for _line, cells in islice(rows, 200) if index < len(cells)]
        named = [value for value in values if value]
        if named and sum(sector_of(value) is not None for value in named) * 2 < len(named):
            del mapping["sector"]
    return mapping


def sector_of(text: str) -> Sector | None:
    """The sector a register's word names ("forening", "Idrætsforening", "ApS", "kommune"), or None."""
    word = " ".join(text.lower().split())
    if word in SECTOR_WORDS:
        return SECTOR_WORDS[word]
    for sector in Sector:
        if word in {sector.value, str(sector.label).lower()}:
            return sector
    if word.endswith(("forening", "foreningen", "klub", "klubben")):
        return Sector.ASSOCIATION
    if word and word.split()[-1].strip(".") in BUSINESS_FORMS:
        return Sector.BUSINESS
    return None


# Checking rows ----------------------------------------------------------------------------------------


@dataclass
class CleanRow:
    line: int
    external_id: str
    values: dict[str, Any]  # actor fields from mapped columns (and coordinates from the address service)
    theme_ids: list[int] | None  # None when no themes column is mapped
    notes: list[str] = field(default_factory=list)  # warnings: the row is imported all the same


@dataclass
class Cleaned:
    rows: list[CleanRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int | None, str]] = field(default_factory=list)
    geocoded: dict[int, tuple[float, float]] = field(default_factory=dict)


class RowError(Exception):
    pass


class RowNote(RowError):
    """Something the dry run says of a row that is imported all the same: a warning, not an error."""


class RowChecker:
    """Checks one row's cells against the mapping and returns the actor values it gives."""

    def __init__(self, *, headers: list[str], mapping: dict[str, int], municipality: Municipality) -> None:
        self.width = len(headers)
        self.mapping = mapping
        # A column named otherwise than "Sektor" ("Type") also holds the register's own kinds: one it cannot read as
        # a sector is a warning, and the row is imported as an association (or keeps its sector), not refused.
        sector_column = mapping.get("sector")
        self.loose_sector = sector_column is not None and not normalise_header(headers[sector_column]).startswith(
            ("sektor", "sector")
        )
        self.municipality = municipality
        self.municipality_codes = set(Municipality.objects.values_list("code", flat=True))
        self.themes: dict[str, int] = {}
        for theme in Theme.objects.all():
            for key in (theme.slug, theme.name_da, theme.name_en):
                self.themes.setdefault(key.strip().lower(), theme.pk)
        self.theme_names = ", ".join(str(theme) for theme in Theme.objects.order_by("name_da"))
        self.url_validator = URLValidator(schemes=["http", "https"])

    def cell(self, cells: list[str], name: str) -> str:
        index = self.mapping.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def check(self, line: int, cells: list[str]) -> tuple[CleanRow | None, list[str]]:
        problems: list[str] = []
        values: dict[str, Any] = {}
        if any(cells[self.width :]):
            problems.append(
                _("The row has more values than there are columns (%(n)d). Check the separators on the line.")
                % {"n": self.width}
            )
        if any(GARBLED.search(cell) for cell in cells):
            problems.append(
                _(
                    "The row contains garbled letters (such as “Ã¸” for “ø”): the file was saved in another "
                    "encoding than it appears to use. Save it again as “CSV UTF-8” and upload it again."
                )
            )
        for name in ("name", "external_id", *TEXT_FIELDS[1:]):
            if name not in self.mapping:
                continue
            try:
                values[name] = self.text(cells, name)
            except RowError as error:
                problems.append(str(error))
        if "address" in values or "postcode" in self.mapping or "town" in self.mapping:
            try:
                self.whole_address(cells, values)
            except RowError as error:
                problems.append(str(error))
        notes: list[str] = []
        for name, check in (
            ("sector", self.sector),
            ("municipality", self.municipality_code),
        ):
            if name in self.mapping:
                try:
                    check(self.cell(cells, name), values)
                except RowNote as note:
                    notes.append(str(note))
                except RowError as error:
                    problems.append(str(error))
        try:
            self.coordinates(cells, values)
        except RowError as error:
            problems.append(str(error))
        theme_ids = None
        if "themes" in self.mapping:
            theme_ids, unknown = self.theme_ids(self.cell(cells, "themes"))
            if unknown and not theme_ids:  # none of them known: the actor's themes stay as they are
                theme_ids = None
            if unknown:
                notes.append(
                    _(
                        "Not among Samskab's themes, and left out: %(unknown)s. The themes are: %(themes)s. "
                        "The actor's administrators can choose themes themselves."
                    )
                    % {"unknown": ", ".join(f"“{name}”" for name in unknown), "themes": self.theme_names}
                )
        external_id = values.pop("external_id", "")
        if problems:
            return None, problems
        return CleanRow(line=line, external_id=external_id, values=values, theme_ids=theme_ids, notes=notes), []

    def whole_address(self, cells: list[str], values: dict[str, Any]) -> None:
        """The street, then the postcode and town where the register keeps them in columns of their own."""
        place = " ".join(part for part in (self.cell(cells, "postcode"), self.cell(cells, "town")) if part)
        street = values.get("address", "")
        address = ", ".join(part for part in (street, place) if part)
        limit = COLUMNS_BY_FIELD["address"].max_length or 0
        if len(address) > limit:
            raise RowError(
                _("%(field)s is longer than %(max)d characters.")
                % {"field": COLUMNS_BY_FIELD["address"].label, "max": limit}
            )
        values["address"] = address

    def text(self, cells: list[str], name: str) -> str:
        column = COLUMNS_BY_FIELD[name]
        value = re.sub(r"\s+", " ", self.cell(cells, name)) if name != "description" else self.cell(cells, name)
        if column.required and not value:
            raise RowError(_("%(field)s is missing.") % {"field": column.label})
        if column.max_length and len(value) > column.max_length:
            raise RowError(
                _("%(field)s is longer than %(max)d characters.") % {"field": column.label, "max": column.max_length}
            )
        if value and name == "contact_email":
            try:
                validate_email(value)
            except ValidationError:
                raise RowError(_("“%(value)s” is not a valid email address.") % {"value": value}) from None
        if value and name == "website":
            if "://" not in value:
                value = f"https://{value}"
            try:
                self.url_validator(value)
            except ValidationError:
                raise RowError(_("“%(value)s” is not a valid web address.") % {"value": value}) from None
        return value

    def sector(self, text: str, values: dict[str, Any]) -> None:
        if not text:
            return  # new actors become associations; existing ones keep their sector
        sector = sector_of(text)
        if sector is None and self.loose_sector:
            raise RowNote(
                _(
                    "“%(value)s” is no sector Samskab knows: a new actor becomes an association, and an actor already "
                    "here keeps its sector."
                )
                % {"value": text}
            )
        if sector is None:
            raise RowError(_("Unknown sector “%(value)s”. Use forening, virksomhed or kommune.") % {"value": text})
        if sector == Sector.CITIZEN:
            # A citizen's page names a private person: only the person may create it and choose what it shows.
            raise RowError(
                _(
                    "Citizens are not imported from a register: each citizen creates their own profile in Samskab "
                    "and decides what it shows. Remove the row, or correct its sector if it is not a citizen."
                )
            )
        values["sector"] = sector.value

    def municipality_code(self, text: str, values: dict[str, Any]) -> None:
        if not text:
            return
        code = text.zfill(4) if text.isdigit() else text
        if code not in self.municipality_codes:
            raise RowError(_("Unknown municipality code “%(value)s”.") % {"value": text})
        if code != self.municipality.code:
            raise RowError(
                _("The row belongs to municipality %(code)s, but this import is for %(name)s (%(own)s).")
                % {"code": code, "name": self.municipality.name, "own": self.municipality.code}
            )

    def coordinates(self, cells: list[str], values: dict[str, Any]) -> None:
        lat_text, lon_text = self.cell(cells, "latitude"), self.cell(cells, "longitude")
        if not lat_text and not lon_text:
            return
        if not lat_text or not lon_text:
            raise RowError(_("Give both latitude and longitude, or neither."))
        latitude = parse_decimal(lat_text, _("Latitude"), LATITUDE_RANGE)
        longitude = parse_decimal(lon_text, _("Longitude"), LONGITUDE_RANGE)
        values["latitude"], values["longitude"] = latitude, longitude

    def theme_ids(self, text: str) -> tuple[list[int], list[str]]:
        """The themes named, by Danish or English name or short name, and the names that are no theme."""
        names = [name.strip() for name in re.split(r"[;,]", text) if name.strip()]
        unknown = [name for name in names if name.lower() not in self.themes]
        return sorted({self.themes[name.lower()] for name in names if name.lower() in self.themes}), unknown


def parse_decimal(text: str, label: str, bounds: tuple[float, float]) -> float:
    """A coordinate written with a decimal point or a Danish decimal comma, inside Denmark."""
    cleaned = text.replace(" ", "").replace("\u00a0", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise RowError(_("%(field)s “%(value)s” is not a number.") % {"field": label, "value": text}) from None
    if not math.isfinite(value) or not bounds[0] <= value <= bounds[1]:
        raise RowError(
            _("%(field)s %(value)s is outside Denmark (%(low)s–%(high)s).")
            % {"field": label, "value": text, "low": bounds[0], "high": bounds[1]}
        )
    return value


ProgressCallback = Callable[[str, int, int], None]


def clean_rows(
    *,
    headers: list[str],
    rows: list[Any],  # [line, cells] pairs, as tuples or as lists from JSON
    mapping: dict[str, int],
    municipality: Municipality,
    on_progress: ProgressCallback | None = None,
) -> Cleaned:
    """Every row checked: actor values for the good ones, (line, reason) for each bad one."""
    checker = RowChecker(headers=headers, mapping=mapping, municipality=municipality)
    cleaned = Cleaned()
    for n, (line, cells) in enumerate(rows, start=1):
        row, problems = checker.check(line, cells)
        if row is not None:
            cleaned.rows.append(row)
            cleaned.warnings.extend((line, note) for note in row.notes)
        cleaned.errors.extend((line, problem) for problem in problems)
        if on_progress:
            on_progress("checking", n, len(rows))
    lines_by_id: dict[str, list[int]] = defaultdict(list)
    for row in cleaned.rows:
        lines_by_id[row.external_id].append(row.line)
    duplicated = {external_id: lines for external_id, lines in lines_by_id.items() if len(lines) > 1}
    for external_id, lines in duplicated.items():
        message = _("The external id “%(id)s” appears more than once in the file (lines %(lines)s).") % {
            "id": external_id,
            "lines": ", ".join(map(str, lines)),
        }
        cleaned.errors.extend((line, message) for line in lines)
    cleaned.rows = [row for row in cleaned.rows if row.external_id not in duplicated]
    cleaned.errors.sort(key=lambda error: error[0])
    return cleaned


# Geocoding --------------------------------------------------------------------------------------------


def needs_coordinates(row: CleanRow, actor: Actor | None) -> bool:
    """A row with an address but no coordinates, unless the actor already has coordinates for that address."""
    address = row.values.get("address", "")
    if not address or "latitude" in row.values:
        return False
    return actor is None or actor.latitude is None or actor.address != address


def geocode_rows(
    cleaned: Cleaned,
    existing: dict[str, Actor],
    geocoder: geocoding.GSearchGeocoder,
    on_progress: ProgressCallback | None = None,
    skip: set[str] | None = None,
) -> None:
    """Coordinates for rows with an address and none given; a warning for each address not found, and one
    warning (and no more lookups) when the service cannot be reached. Rows whose external id is in `skip` are
    not looked up."""
    skip = skip or set()
    wanted = [
        row
        for row in cleaned.rows
        if row.external_id not in skip and needs_coordinates(row, existing.get(row.external_id))
    ]
    found: dict[str, geocoding.Point | None] = {}
    for n, row in enumerate(wanted, start=1):
        address = row.values["address"]
        if address not in found:
            try:
                found[address] = geocoder.geocode(address)
            except geocoding.GeocoderUnavailable as error:
                logger.warning("Geocoding stopped: %s", error)
                cleaned.warnings.append(
                    (
                        None,
                        _(
                            "The address service could not be reached, so no addresses were turned into "
                            "coordinates. The actors are imported without a position; place them on the map "
                            "by hand, or check the file again later."
                        ),
                    )
                )
                return
        point = found[address]
        if point is None:
            cleaned.warnings.append(
                (
                    row.line,
                    _("The address “%(address)s” was not found; the actor is imported without a position.")
                    % {"address": address},
                )
            )
        else:
            cleaned.geocoded[row.line] = (point.latitude, point.longitude)
        if on_progress:
            on_progress("geocoding", n, len(wanted))


def add_geocoded(cleaned: Cleaned, geocoded: dict[int, tuple[float, float]]) -> None:
    for row in cleaned.rows:
        if row.line in geocoded and "latitude" not in row.values:
            row.values["latitude"], row.values["longitude"] = geocoded[row.line]


# Matching and writing ---------------------------------------------------------------------------------


@dataclass
class Update:
    actor: Actor
    row: CleanRow
    fields: list[str]
    themes_changed: bool


@dataclass
class Plan:
    create: list[CleanRow] = field(default_factory=list)
    update: list[Update] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    # Rows skipped because an actor of the municipality already has their name: (line, message, that actor).
    namesakes: list[tuple[int, str, dict[str, str]]] = field(default_factory=list)
    # Rows that give the register's id to the actor of their name and address, which had none: (line, message, that
    # actor), and the ids to set, by actor.
    linked: list[tuple[int, str, dict[str, str]]] = field(default_factory=list)
    ids_to_link: dict[int, str] = field(default_factory=dict)
    # New rows with the name of another new row, but their own id: (first line of the name, message).
    shared_names: list[tuple[int, str]] = field(default_factory=list)
    # Actors of the municipality with a register id the file does not hold (left out of the register since, say):
    # neither changed nor removed. Their number, and the first `PLAN_SHOWN` by name.
    not_in_file: int = 0
    not_in_file_shown: list[dict[str, str]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "create": len(self.create),
            "update": len(self.update),
            "unchanged": self.unchanged,
            "skipped": len(self.skipped),
            "namesakes": len(self.namesakes),
            "linked": len(self.linked),
        }


def existing_actors(municipality: Municipality) -> dict[str, Actor]:
    """The municipality's actors by external id (the oldest, should two share one). An anonymised citizen is
    nobody's any more: a register row with the person's old id makes a new actor, never names the old one."""
    actors: dict[str, Actor] = {}
    rows = Actor.objects.filter(municipality=municipality, anonymised_at__isnull=True).exclude(external_id="")
    for actor in rows.order_by("-pk"):
        actors[actor.external_id] = actor
    return actors


def protected_actors(actor_ids: list[int], *, user: User) -> set[int]:
    """Those of the actors kept by administrators of their own, other than the importing person."""
    protected: set[int] = set()
    for chunk in chunks(actor_ids, BATCH_SIZE):
        protected.update(
            Membership.objects.filter(actor_id__in=chunk, role=Membership.Role.ADMIN)
            .exclude(user=user)
            .values_list("actor_id", flat=True)
        )
    return protected


def matched_ids(cleaned: Cleaned, existing: dict[str, Actor]) -> list[int]:
    """The actors the rows name, by id."""
    return [existing[row.external_id].pk for row in cleaned.rows if row.external_id in existing]


def same_text(text: str) -> str:
    """A name or an address as compared: case, accents' encoding, spacing and commas aside."""
    return re.sub(r"[\s,.]+", " ", unicodedata.normalize("NFKC", text).casefold()).strip()


@dataclass(frozen=True)
class Namesake:
    pk: int
    name: str
    slug: str
    address: str
    external_id: str
    # Whether a row may be compared with its address: one the actor shows, or one the municipality keeps for it (no
    # administrators of its own). A private address is never compared, so a dry run cannot confirm a guess at it.
    address_comparable: bool
    # Kept by administrators of its own: the register never changes it, whatever id a row gives (`match_rows`).
    kept: bool = False

    def same_place(self, row: CleanRow) -> bool:
        address = row.values.get("address", "")
        if not (self.address_comparable and address and self.address):
            return False
        return same_text(address) == same_text(self.address)


def namesakes(
    rows: list[CleanRow], *, municipality: Municipality, file_ids: set[str], user: User
) -> dict[str, Namesake]:
    """For the rows' names (`same_text`), the municipality's actor of that name (the oldest) that no row of the
    file names by its id.

    One query, whatever the number of rows, compared in Python: SQLite's LOWER() leaves "Æ", "Ø" and "Å" as they
    are. Citizens are left out: a register row is never a citizen (`RowChecker.sector`), and a person's name is
    no reason to show their page. An actor whose id another row of the file has is that row's: two namesakes the
    register itself tells apart."""
    wanted = {same_text(row.values["name"]) for row in rows}
    if not wanted:
        return {}
    matches: dict[str, tuple[int, str, str, str, str, list[str]]] = {}
    actors = (
        Actor.objects.filter(municipality=municipality, anonymised_at__isnull=True)
        .exclude(sector=Sector.CITIZEN)
        .order_by("-pk")
        .values_list("pk", "name", "slug", "address", "external_id", "public_fields")
    )
    for pk, name, slug, address, external_id, public_fields in actors:
        key = same_text(name)
        if key in wanted and external_id not in file_ids:
            matches[key] = (pk, name, slug, address, external_id, public_fields)
    kept = protected_actors([match[0] for match in matches.values()], user=user)
    return {
        key: Namesake(
            pk,
            name,
            slug,
            address,
            external_id,
            Actor.PublicField.ADDRESS in public_fields or pk not in kept,
            kept=pk in kept,
        )
        for key, (pk, name, slug, address, external_id, public_fields) in matches.items()
    }


def namesake_warning(row: CleanRow, actor: Namesake) -> str:
    """Says which actor the row seems to be, that the row is skipped, and what to do, for the dry run's page."""
    if actor.same_place(row):
        found = _("An actor named “%(name)s” at the same address is already in Samskab.")
    else:
        found = _("An actor named “%(name)s” is already in Samskab.")
    sentences = [found % {"name": actor.name}]
    if actor.external_id:
        sentences.append(_("It has another external id: “%(id)s”.") % {"id": actor.external_id})
    sentences.append(_("The row is skipped, so that the actor is not created twice."))
    # Neither the actor's own page nor anything a municipal administrator has sets `external_id`; an import
    # sets it only on a namesake at the row's address that has none (`Plan.linked`).
    if actor.external_id and actor.kept:  # its own administrators keep it: a row with its id changes nothing
        sentences.append(
            _(
                "It is kept up to date by its own administrators, so the register does not change it. If it is the "
                "same actor, remove the row. If it is another actor, give the row a name that tells the two apart "
                "(for example with the neighbourhood) and check the file again."
            )
        )
    elif actor.external_id:  # it keeps the id it has: giving the row its address would change nothing
        sentences.append(
            _(
                "If it is the same actor, remove the row, or give it the id %(id)s: then the register keeps the "
                "actor up to date. If it is another actor, give the row a name that tells the two apart (for "
                "example with the neighbourhood) and check the file again."
            )
            % {"id": actor.external_id}
        )
    else:
        sentences.append(
            _(
                "Samskab gives an actor that already exists the register's id only when it has none and the row has "
                "its address. If it is the same actor, give the row the actor's address, or remove the row: the "
                "actor already has its page. If it is another actor, give the row a name that tells the two apart "
                "(for example with the neighbourhood) and check the file again."
            )
        )
    return " ".join(sentences)


def link_message(row: CleanRow, actor: Namesake) -> str:
    """Says that the row gives its id to the actor of its name and address, for the dry run's page."""
    return _(
        "An actor named “%(name)s” at the same address is already in Samskab, without an external id. The row gives "
        "it the register's id “%(id)s” and leaves its page as it is; from then on the register keeps it up to date, "
        "unless administrators of its own do."
    ) % {"name": actor.name, "id": row.external_id}


def match_rows(
    cleaned: Cleaned,
    existing: dict[str, Actor],
    *,
    user: User,
    municipality: Municipality,
    protected: set[int] | None = None,
) -> Plan:
    """What each good row would do. An actor kept by administrators of its own (an association that signed
    up itself) is not overwritten by the municipality's register: equal partners edit their own profiles.
    `protected`: those actors (`protected_actors`), where the caller has them.

    A row with a new id is skipped when an actor of the municipality already has its name (`namesakes`): most
    likely an actor that signed up itself, without the register's id. Creating it would give the actor a second
    page, which its partners and the coalition finder would take for another actor, and which only a site operator
    could remove; skipping costs a row the actor already covers, and a namesake that is truly another actor is
    imported once the row's name tells the two apart. Where the actor of that name has no id of its own and the
    same address, the row is its register row: it gives the actor the register's id (`Plan.linked`), so that the
    register finds it from then on, and leaves its page as it is this time."""
    plan = Plan()
    matched = matched_ids(cleaned, existing)
    if protected is None:
        protected = protected_actors(matched, user=user)
    themes: dict[int, set[int]] = defaultdict(set)
    for chunk in chunks(matched, BATCH_SIZE):
        for actor_id, theme_id in Actor.themes.through.objects.filter(actor_id__in=chunk).values_list(
            "actor_id", "theme_id"
        ):
            themes[actor_id].add(theme_id)
    new = [row for row in cleaned.rows if row.external_id not in existing]
    same_name = namesakes(new, municipality=municipality, file_ids={row.external_id for row in cleaned.rows}, user=user)
    created_by_name: dict[str, list[CleanRow]] = defaultdict(list)
    for row in cleaned.rows:
        actor = existing.get(row.external_id)
        if actor is None:
            name = same_text(row.values["name"])
            namesake = same_name.get(name)
            if namesake is None:
                plan.create.append(row)
                created_by_name[name].append(row)
                continue
            # The page's address is made where it is shown: the task worker need not load the URLs for it.
            link = {"name": namesake.name, "slug": namesake.slug}
            if not namesake.external_id and namesake.same_place(row) and namesake.pk not in plan.ids_to_link:
                # Same name, same address, and no id of its own: the register's row for it, which it joins.
                plan.ids_to_link[namesake.pk] = row.external_id
                plan.linked.append((row.line, link_message(row, namesake), link))
            else:
                plan.namesakes.append((row.line, namesake_warning(row, namesake), link))
            continue
        changed = [name for name, value in row.values.items() if getattr(actor, name) != value]
        themes_changed = row.theme_ids is not None and set(row.theme_ids) != themes[actor.pk]
        if actor.pk in protected:
            # Skipped whatever the row says: "unchanged" would confirm a guess at a field the actor keeps private.
            plan.skipped.append(
                (
                    row.line,
                    _("%(name)s is kept up to date by its own administrators and is left unchanged.")
                    % {"name": actor.name},
                )
            )
        elif actor.sector == Sector.CITIZEN:  # whatever sector the row gives: a register does not reclassify a person
            plan.skipped.append(
                (
                    row.line,
                    _("%(name)s is a citizen, whose page is their own; the row is left unchanged.")
                    % {"name": actor.name},
                )
            )
        elif not changed and not themes_changed:
            plan.unchanged += 1
        else:
            plan.update.append(Update(actor=actor, row=row, fields=changed, themes_changed=themes_changed))
    plan.shared_names = [
        (rows[0].line, shared_name_warning(rows)) for rows in created_by_name.values() if len(rows) > 1
    ]
    in_file = {row.external_id for row in cleaned.rows}
    left_out = sorted(
        (a for external_id, a in existing.items() if external_id not in in_file and a.sector != Sector.CITIZEN),
        key=lambda a: a.name,
    )
    plan.not_in_file = len(left_out)
    plan.not_in_file_shown = [{"name": a.name, "slug": a.slug} for a in left_out[:PLAN_SHOWN]]
    return plan


def shared_name_warning(rows: list[CleanRow]) -> str:
    """Says which new rows share a name (`same_text`), for the dry run's page: a warning, not an error, for the
    register tells them apart by their ids, and two branches of a club may well have one name. One warning for the
    name, at its first line, so that the page grows with the rows and not with their square."""
    return _(
        "Lines %(lines)s would each create an actor named “%(name)s”, with different external ids. If they are the "
        "same actor, keep only one of the rows. If they are different actors (two branches of a club, say), they "
        "are all imported, but a name that tells them apart (for example with the neighbourhood) helps those who "
        "look for them."
    ) % {"lines": ", ".join(str(row.line) for row in rows), "name": rows[0].values["name"]}


def plan_preview(plan: Plan) -> dict[str, list[dict[str, Any]]]:
    """The first `PLAN_SHOWN` actors to be created and updated, for a person to check before importing: line, name
    and sector, and for an update the fields that change (names, not values: the old value of a field an actor
    keeps private is not for the page)."""
    create = [
        {"line": row.line, "name": row.values["name"], "sector": row.values.get("sector", Sector.ASSOCIATION.value)}
        for row in plan.create[:PLAN_SHOWN]
    ]
    update = []
    for item in plan.update[:PLAN_SHOWN]:
        new_name = item.row.values["name"] if "name" in item.fields else ""
        update.append(
            {
                "line": item.row.line,
                "name": item.actor.name,
                "new_name": new_name,
                "sector": item.row.values.get("sector", item.actor.sector),
                "fields": [*item.fields, *(["themes"] if item.themes_changed else [])],
            }
        )
    return {"create": create, "update": update}


def plan_in_full(plan: Plan, cleaned: Cleaned) -> dict[str, list[list[Any]]]:
    """Every row the import acts on, for the plan's download, as lists rather than dicts, for a register may have
    100,000 rows: "create" [line, name, sector], "update" [line, name, new name or "", sector, changed fields,
    slug], "linked" and "namesakes" [line, the row's name, the slug of the actor in Samskab]. An update names the
    fields that change, not their values, as `plan_preview` does."""
    named = {line for line, *_rest in [*plan.linked, *plan.namesakes]}
    names = {row.line: row.values["name"] for row in cleaned.rows if row.line in named} if named else {}
    return {
        "create": [
            [row.line, row.values["name"], row.values.get("sector", Sector.ASSOCIATION.value)] for row in plan.create
        ],
        "update": [
            [
                item.row.line,
                item.actor.name,
                item.row.values["name"] if "name" in item.fields else "",
                item.row.values.get("sector", item.actor.sector),
                [*item.fields, *(["themes"] if item.themes_changed else [])],
                item.actor.slug,
            ]
            for item in plan.update
        ],
        "linked": [[line, names[line], link["slug"]] for line, _message, link in plan.linked],
        "namesakes": [[line, names[line], link["slug"]] for line, _message, link in plan.namesakes],
    }


def chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class SlugAllocator:
    """Unique slugs for many new actors with one query (unique_slug asks the database once per slug)."""

    def __init__(self) -> None:
        self.taken = set(Actor.objects.values_list("slug", flat=True)) | RESERVED_SLUGS

    def __call__(self, text: str, max_length: int = 80) -> str:
        base = slugify(transliterate(text))[:max_length].strip("-") or "x"
        slug, n = base, 2
        while slug in self.taken:
            suffix = f"-{n}"
            slug, n = base[: max_length - len(suffix)] + suffix, n + 1
        self.taken.add(slug)
        return slug


# How many times the new actors are written under freshly allocated slugs: a write fails on a slug only when someone
# created an actor of the same name after the slugs were allocated (the allocation is a snapshot).
SLUG_ATTEMPTS = 3


def apply_plan(plan: Plan, *, municipality: Municipality, user: User, slugs: SlugAllocator | None = None) -> None:
    """Write the plan in bulk. Call inside a transaction: bulk writes skip the post_save signal that keeps
    SQLite's search index, so the index is updated here, in the same transaction. `slugs` is the allocation to
    start from (a fresh one by default)."""
    through = Actor.themes.through
    new_actors = [
        Actor(
            municipality=municipality,
            created_by=user,
            external_id=row.external_id,
            public_fields=[],  # contact details stay private until the actor itself chooses otherwise
            **{"sector": Sector.ASSOCIATION, **row.values},
        )
        for row in plan.create
    ]
    _create_with_free_slugs(new_actors, slugs or SlugAllocator())
    links = [
        through(actor_id=actor.pk, theme_id=theme_id)
        for actor, row in zip(new_actors, plan.create, strict=True)
        for theme_id in row.theme_ids or ()
    ]

    changed_fields = sorted({name for update in plan.update for name in update.fields})
    for update in plan.update:
        for name in update.fields:
            setattr(update.actor, name, update.row.values[name])
    if changed_fields:
        Actor.objects.bulk_update([u.actor for u in plan.update if u.fields], changed_fields, batch_size=BATCH_SIZE)
    retheme = [u for u in plan.update if u.themes_changed]
    for chunk in chunks([u.actor.pk for u in retheme], BATCH_SIZE):
        through.objects.filter(actor_id__in=chunk).delete()
    links += [through(actor_id=u.actor.pk, theme_id=theme_id) for u in retheme for theme_id in u.row.theme_ids or ()]
    through.objects.bulk_create(links, batch_size=BATCH_SIZE)

    linked = [Actor(pk=pk, external_id=external_id) for pk, external_id in plan.ids_to_link.items()]
    Actor.objects.bulk_update(linked, ["external_id"], batch_size=BATCH_SIZE)

    for actor in [*new_actors, *(u.actor for u in plan.update)]:
        search.index_actor(actor.pk, actor.name, actor.description)


def _create_with_free_slugs(actors: list[Actor], slugs: SlugAllocator) -> None:
    """Create the actors, each under a slug no other actor has. Someone who creates an actor of the same name while
    the import runs takes a slug this allocation thought free, and the unique index refuses the whole batch: then
    the slugs are allocated again from what is taken now, in a savepoint so the import's transaction goes on."""
    for attempt in range(1, SLUG_ATTEMPTS + 1):
        for actor in actors:
            actor.slug = slugs(actor.name)
        try:
            with transaction.atomic():
                Actor.objects.bulk_create(actors, batch_size=BATCH_SIZE)
        except IntegrityError:
            slugs = SlugAllocator()
            if attempt == SLUG_ATTEMPTS or not any(actor.slug in slugs.taken for actor in actors):
                raise
            for actor in actors:  # the batches written before the refusal were rolled back with the savepoint
                actor.pk, actor._state.adding = None, True
        else:
            return


# The workflow -----------------------------------------------------------------------------------------


def administered_municipalities(user: User) -> QuerySet[Municipality]:
    if not user.is_authenticated:
        return Municipality.objects.none()
    return Municipality.objects.filter(
        pk__in=MunicipalAdministrator.objects.filter(user=user).values("municipality_id")
    )


def get_import_for(user: User, pk: int, *, with_rows: bool = False) -> ActorImport:
    """The import, if the user administers its municipality (404 when it does not exist, 403 otherwise).
    The parsed rows are large and only loaded when asked for."""
    queryset = ActorImport.objects.select_related("municipality").defer("upload")
    if not with_rows:
        queryset = queryset.defer("rows")
    try:
        actor_import = queryset.get(pk=pk)
    except ActorImport.DoesNotExist:
        raise Http404 from None
    if not administered_municipalities(user).filter(pk=actor_import.municipality_id).exists():
        raise PermissionDenied
    return actor_import


def start_import(*, user: User, municipality: Municipality, filename: str, data: bytes) -> ActorImport:
    """Keep an uploaded register and read it in the background (`read_import`), ready for the mapping screen.
    A large workbook takes a minute to read: longer than a web request may last."""
    if not administered_municipalities(user).filter(pk=municipality.pk).exists():
        raise PermissionDenied
    check_upload(filename, data)
    actor_import = ActorImport.objects.create(
        municipality=municipality,
        created_by=user,
        filename=Path(filename).name[:255],
        upload=data,
        status=ActorImport.Status.READING,
    )
    language = translation.get_language() or "da"
    transaction.on_commit(lambda: read_import.enqueue(actor_import.pk, language))
    return actor_import


def may_remap(actor_import: ActorImport) -> bool:
    """Columns may be chosen again until the import has run, once the file has been read."""
    return actor_import.status in {ActorImport.Status.MAPPING, ActorImport.Status.CHECKED} or (
        actor_import.status == ActorImport.Status.FAILED and bool(actor_import.headers)
    )


def start_check(*, actor_import: ActorImport, user: User, mapping: dict[str, int]) -> None:
    """Save the mapping and start the dry run in the background."""
    if not may_remap(actor_import):
        raise PermissionDenied(gettext_lazy("The import has already started."))
    updated = ActorImport.objects.filter(pk=actor_import.pk, status=actor_import.status).update(
        mapping=mapping, status=ActorImport.Status.CHECKING, progress=0, report={}, finished_at=None
    )
    if updated:
        language = translation.get_language() or "da"
        transaction.on_commit(lambda: check_import.enqueue(actor_import.pk, language))


def stop_reading(queryset: QuerySet[ActorImport], message: str) -> int:
    """Those of the imports still waiting to be read (or being read) fail with `message`, and their files go.

    The status is the guard: `read_import` writes its rows only to an import still READING, and `Progress` only
    while it has its task's status, so a worker that reads the file after all leaves nothing behind."""
    return queryset.filter(status=ActorImport.Status.READING).update(
        status=ActorImport.Status.FAILED,
        upload=None,
        headers=[],
        rows=[],
        progress=0,
        total=0,
        report={"fatal": message, "stage": "cancelled"},
        finished_at=timezone.now(),
    )


def cancel_reading(*, actor_import: ActorImport, user: User) -> bool:
    """The uploader gives up a file that has not been read (a task worker that is stopped or busy). False when the
    reading ended first: the import then stays as the reading left it."""
    if not administered_municipalities(user).filter(pk=actor_import.municipality_id).exists():
        raise PermissionDenied
    message = _("You stopped the reading. The file has been discarded and nothing was saved.")
    return bool(stop_reading(ActorImport.objects.filter(pk=actor_import.pk), message))


def expire_stale_reads(*, now: dt.datetime | None = None) -> int:
    """Discard the files that have waited longer than `STALE_READING` for a task worker (`expire_imports`)."""
    cutoff = (now or timezone.now()) - STALE_READING
    message = _(
        "The file waited more than a day for the server's task worker and has been discarded; nothing was saved. "
        "Upload it again."
    )
    return stop_reading(ActorImport.objects.filter(created_at__lt=cutoff), message)


def confirm_import(*, actor_import: ActorImport, user: User) -> None:
    """Start the real import of a checked file without errors. A second click, or one sent at the same time,
    does nothing: the import is already running or done, and the caller shows its status."""
    report = actor_import.report
    if actor_import.status in (ActorImport.Status.IMPORTING, ActorImport.Status.DONE):
        return
    if actor_import.status != ActorImport.Status.CHECKED or report.get("errors"):
        raise PermissionDenied(gettext_lazy("Only a checked file without errors can be imported."))
    updated = ActorImport.objects.filter(pk=actor_import.pk, status=ActorImport.Status.CHECKED).update(
        status=ActorImport.Status.IMPORTING, progress=0, finished_at=None
    )
    if updated:
        language = translation.get_language() or "da"
        transaction.on_commit(lambda: run_import.enqueue(actor_import.pk, language))


class Progress:
    """Writes progress to the ActorImport at most twice a second (and always at the end of a stage), while it
    still has the task's status: a reading stopped by its uploader (`cancel_reading`) keeps its own report."""

    def __init__(self, pk: int, status: str) -> None:
        self.pk = pk
        self.status = status
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < PROGRESS_EVERY_SECONDS:
            return
        self.last = now
        ActorImport.objects.filter(pk=self.pk, status=self.status).update(
            progress=done, total=total, report={"stage": stage}
        )


def checked_rows(actor_import: ActorImport, *, on_progress: ProgressCallback | None = None) -> Cleaned:
    municipality, user = actor_import.municipality, actor_import.created_by
    cleaned = clean_rows(
        headers=actor_import.headers,
        rows=actor_import.rows,
        mapping=actor_import.mapping,
        municipality=municipality,
        on_progress=on_progress,
    )
    municipal = [row for row in cleaned.rows if row.values.get("sector") == Sector.MUNICIPALITY]
    if municipal and not may_create_sector(user, Sector.MUNICIPALITY, municipality.code):
        cleaned.errors.extend(
            (row.line, _("Only a municipal administrator may import municipal actors.")) for row in municipal
        )
        cleaned.errors.sort(key=lambda error: error[0])
        cleaned.rows = [row for row in cleaned.rows if row.values.get("sector") != Sector.MUNICIPALITY]
    return cleaned


def dry_run(actor_import: ActorImport, *, on_progress: ProgressCallback | None = None) -> dict[str, Any]:
    """Everything the import would do, as a report; writes nothing. Addresses are looked up here, once."""
    cleaned = checked_rows(actor_import, on_progress=on_progress)
    existing = existing_actors(actor_import.municipality)
    protected = protected_actors(matched_ids(cleaned, existing), user=actor_import.created_by)
    geocoder = geocoding.get_geocoder()
    if geocoder is not None:
        # An actor kept by its own administrators is left as it is (`match_rows`), and its row is not looked up:
        # looking up only a changed address would confirm a guess at one kept private.
        kept = {key for key, actor in existing.items() if actor.pk in protected}
        geocode_rows(cleaned, existing, geocoder, on_progress, skip=kept)
        add_geocoded(cleaned, cleaned.geocoded)
    plan = match_rows(
        cleaned, existing, user=actor_import.created_by, municipality=actor_import.municipality, protected=protected
    )
    return report(actor_import, cleaned, plan)


def report(actor_import: ActorImport, cleaned: Cleaned, plan: Plan) -> dict[str, Any]:
    mapped = set(actor_import.mapping.values())
    return {
        "rows": len(actor_import.rows),
        "counts": plan.counts(),
        "errors": [[line, message] for line, message in cleaned.errors],
        # [line, message], and for a namesake [line, message, {"name": …, "slug": …}] to link to the actor.
        "warnings": sorted(
            [
                *([line, message] for line, message in [*cleaned.warnings, *plan.skipped, *plan.shared_names]),
                *([line, message, link] for line, message, link in [*plan.namesakes, *plan.linked]),
            ],
            key=lambda warning: warning[0] or 0,
        ),
        "ignored_columns": [header for i, header in enumerate(actor_import.headers) if i not in mapped],
        "geocoded": {str(line): list(point) for line, point in cleaned.geocoded.items()},
        "preview": plan_preview(plan),
        "not_in_file": {"count": plan.not_in_file, "shown": plan.not_in_file_shown},
        "plan": plan_in_full(plan, cleaned),
    }


def _fail(pk: int, message: str, *, only_if: str | None = None, **report: Any) -> None:
    """Mark the import failed; with `only_if`, only while it still has that status."""
    queryset = ActorImport.objects.filter(pk=pk)
    if only_if is not None:
        queryset = queryset.filter(status=only_if)
    queryset.update(
        status=ActorImport.Status.FAILED, report={"fatal": message, **report}, upload=None, finished_at=timezone.now()
    )


@task()
def read_import(import_id: int, language: str) -> None:
    """Read the uploaded file into rows with a guessed column mapping, and let the file go."""
    with translation.override(language):
        waiting = ActorImport.objects.filter(pk=import_id, status=ActorImport.Status.READING)
        found = waiting.values_list("filename", "upload").first()
        if found is None:  # read already (a task run twice), or deleted
            return
        filename, data = found
        try:
            progress = Progress(import_id, ActorImport.Status.READING)
            table = read_table(filename, bytes(data or b""), on_progress=progress)
        except ImportFileError as error:
            _fail(import_id, str(error), stage="reading", only_if=ActorImport.Status.READING)
            return
        except Exception:
            logger.exception("Reading import %s failed", import_id)
            _fail(
                import_id,
                _("The file could not be read because of an unexpected error. Try again later."),
                only_if=ActorImport.Status.READING,
            )
            raise
        waiting.update(
            headers=table.headers,
            rows=[[line, cells] for line, cells in table.rows],
            mapping=guess_mapping(table.headers, table.rows),
            total=len(table.rows),
            progress=0,
            report={},
            upload=None,
            status=ActorImport.Status.MAPPING,
        )


@task()
def check_import(import_id: int, language: str) -> None:
    """The dry run, in the background: the report of what the import would do, with every bad row."""
    with translation.override(language):
        actor_import = ActorImport.objects.select_related("municipality", "created_by").get(pk=import_id)
        try:
            result = dry_run(actor_import, on_progress=Progress(import_id, ActorImport.Status.CHECKING))
        except Exception:
            logger.exception("The dry run of import %s failed", import_id)
            _fail(import_id, _("The check stopped because of an unexpected error. Try again later."))
            raise
        ActorImport.objects.filter(pk=import_id).update(
            status=ActorImport.Status.CHECKED,
            report=result,
            progress=len(actor_import.rows),
            total=len(actor_import.rows),
            finished_at=timezone.now(),
        )


@task()
def run_import(import_id: int, language: str) -> None:
    """The import, all or nothing: the rows are checked again and written in one transaction."""
    with translation.override(language):
        actor_import = ActorImport.objects.select_related("municipality", "created_by").get(pk=import_id)
        municipality, user = actor_import.municipality, actor_import.created_by
        previous = actor_import.report
        progress = Progress(import_id, ActorImport.Status.IMPORTING)
        try:
            cleaned = checked_rows(actor_import, on_progress=progress)
            # Something changed since the dry run (a municipality's code, a theme removed): the import would not
            # be what the dry run showed.
            shown = {(warning[0], warning[1]) for warning in previous.get("warnings", [])}
            if cleaned.errors or any(warning not in shown for warning in cleaned.warnings):
                _fail(
                    import_id,
                    _("Nothing was imported: some rows are no longer as the check found them. Check the file again."),
                    **report(actor_import, cleaned, Plan()),
                )
                return
            # The dry run's address lookups, so that the import itself needs no network.
            add_geocoded(cleaned, {int(line): tuple(point) for line, point in previous.get("geocoded", {}).items()})
            progress("saving", 0, 1)
            with transaction.atomic():
                # One import per municipality at a time, so two imports of the same register cannot both
                # create the same external id (a row lock on PostgreSQL; SQLite serialises writers anyway).
                Municipality.objects.select_for_update().get(pk=municipality.pk)
                plan = match_rows(cleaned, existing_actors(municipality), user=user, municipality=municipality)
                # Listed before writing: `apply_plan` gives the updated actors their new names.
                listed = {"preview": plan_preview(plan), "plan": plan_in_full(plan, cleaned)}
                apply_plan(plan, municipality=municipality, user=user)
        except Exception:
            logger.exception("Import %s failed", import_id)
            _fail(import_id, _("Nothing was imported because of an unexpected error. Try again later."))
            raise
        ActorImport.objects.filter(pk=import_id).update(
            status=ActorImport.Status.DONE,
            progress=len(actor_import.rows),
            total=len(actor_import.rows),
            report={
                **previous,
                "counts": plan.counts(),
                "result": plan.counts(),
                **listed,
            },
            finished_at=timezone.now(),
        )
