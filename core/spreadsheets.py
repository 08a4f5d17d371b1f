"""Editors' spreadsheets: import and export of sourced records, CSV or XLSX.

Built on django-import-export 4 (its resources, its dry run and confirmation in the admin, its
transactions), with what it does not know: sources. Each row of a sourced kind names a default
source, an as-of date (the date the figure describes, empty when the page states none) and a
checked-on date (the day the page was read) for all its facts; optional columns override them
for one fact:

    slug | … facts … | source | as of | checked on | note | tuition_total source | …

A source is named by its key in the workbook's "Sources" sheet (key, title, author, publisher,
year, URL), or by its URL, or defined on the row itself by the columns "source title",
"source publisher", "source year", "source URL" (which is how a CSV file, with no second sheet,
brings new sources). A fact that names its own source takes its own as-of date and note (none
if empty); its checked-on date falls back to the row's. Every fact with a value needs a source
and a checked-on date; a fact left empty loses its citation.

The file is checked as a whole before any row: a column nobody knows, a required column
missing, a formula in a cell, the same entry twice. Each row is then new, changed (the columns
that change, old → new), unchanged, or wrong (its row, its column, in plain words). One wrong
row and nothing is saved.
"""

import contextlib
import csv
import datetime
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from xml.parsers import expat

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from import_export import fields as ie_fields
from import_export import resources, widgets
from import_export.formats import base_formats
from reversion import create_revision

from core.fields import sane_date
from core.history import record_import
from core.models import Citation, Source
from core.text import looks_like_formula, safe_cell, unsafe_cell

SOURCES_SHEET = "Sources"
SOURCE_SHEET_COLUMNS = ["key", "title", "author", "publisher", "year", "url"]
ROW_SOURCE_COLUMNS = [
    "source",
    "source title",
    "source author",
    "source publisher",
    "source year",
    "source URL",
    "as of",
    "checked on",
    "note",
]
OVERRIDE_SUFFIXES = ("source", "as of", "checked on", "note")


class FileError(Exception):
    """What is wrong with a file as a whole, in plain words, one message a problem."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(" ".join(self.problems))


# Bounds. A file is measured before it is read: an upload of a few megabytes can unpack to
# gigabytes or hold millions of cells, and reading it whole would hold a server worker until
# it is killed. Each limit is a setting (docs/configuration.md).


class Budget:
    """What is left of the limits while one file is read: rows and columns a sheet, cells in
    all. Each step past a limit raises a FileError that names it."""

    def __init__(self):
        self.max_rows = settings.IMPORT_MAX_ROWS
        self.max_columns = settings.IMPORT_MAX_COLUMNS
        self.max_cells = settings.IMPORT_MAX_CELLS
        self.cells = 0

    def row(self, where, number, width):
        """Row `number` (the first names the columns) of `width` cells."""
        if number > self.max_rows + 1:
            raise FileError(
                [
                    f"{where} has more than {self.max_rows:,} rows of entries; the limit is "
                    f"{self.max_rows:,} a sheet. Split it into smaller files."
                ]
            )
        self.column(where, width)
        self.cells += width
        if self.cells > self.max_cells:
            raise FileError(
                [
                    f"This file has more than {self.max_cells:,} cells; the limit is "
                    f"{self.max_cells:,}. Split it into smaller files, or delete the empty "
                    "rows and columns around the entries."
                ]
            )

    def column(self, where, number):
        if number > self.max_columns:
            raise FileError(
                [
                    f"{where} has more than {self.max_columns:,} columns; the limit is "
                    f"{self.max_columns:,}. Delete the columns that are not an export's."
                ]
            )

    def measure(self, where, stream):
        """Count a worksheet's rows and cells from its XML, stopping at the first limit passed.
        Rows and columns are counted where the cells place themselves (a cell in row
        9,000,000 makes the sheet that long), never as the sheet's <dimension> claims."""
        place = {"row": 0, "column": 0}

        def start(name, attributes):
            tag = name.rpartition(" ")[2]
            if tag == "row":
                place["row"] = int(attributes.get("r") or place["row"] + 1)
                place["column"] = 0
                self.row(where, place["row"], 0)
            elif tag == "c":
                letters = CELL_COLUMN.match(attributes.get("r", ""))
                place["column"] = (
                    column_number(letters.group(1)) if letters else place["column"] + 1
                )
                self.column(where, place["column"])
                self.row(where, place["row"], 1)

        scan_xml(stream, start)


CELL_COLUMN = re.compile(r"([A-Za-z]{1,3})")


def column_number(letters):
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


class NoDoctype(Exception):
    pass


def scan_xml(stream, start=None):
    """Parse XML from `stream` as it comes, calling `start(name, attributes)` on each element.
    A document type declaration is refused: no part of a workbook has one, and it is how
    entity expansion (“billion laughs”) and external entities (XXE) get in."""
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse(*args):
        raise NoDoctype

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    if start:
        parser.StartElementHandler = start
    try:
        while chunk := stream.read(1 << 16):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except NoDoctype:
        raise FileError(
            ["This workbook declares XML entities, which spreadsheets never do: it is refused."]
        ) from None
    except (expat.ExpatError, ValueError, zipfile.BadZipFile):
        raise FileError(["This file is not an Excel workbook (.xlsx) that can be read."]) from None


def open_workbook(data):
    """The workbook in `data`, opened to be read row by row once every part is measured: what
    they unpack to in all, no XML entities in any, and each sheet's rows, columns and cells.
    All of it before openpyxl reads a sheet, which it does whole to find its size when the
    sheet does not state it."""
    import openpyxl

    unreadable = FileError(["This file is not an Excel workbook (.xlsx) that can be read."])
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise unreadable from None
    limit = settings.IMPORT_MAX_UNPACKED_BYTES
    # Python's zipfile never unpacks more than a part declares, so the declared sizes bound it.
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limit:
        raise FileError(
            [
                f"This workbook unpacks to {unpacked / 1_000_000:,.0f} MB; the limit is "
                f"{limit / 1_000_000:,.0f} MB. Delete the empty rows and columns around the "
                "entries, or split it into smaller files."
            ]
        )
    sheets = sheet_parts(archive)
    budget = Budget()
    for part in parts:
        if not part.filename.endswith((".xml", ".rels")):
            continue
        with archive.open(part) as stream:
            if part.filename in sheets:
                budget.measure(f"The sheet “{sheets[part.filename]}”", stream)
            else:
                scan_xml(stream)
    try:
        # Not data_only: a formula must be seen as one, not as its last computed value.
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    except Exception:
        raise unreadable from None


def sheet_parts(archive):
    """Part name → sheet name, as the workbook and its relationships say."""
    names, targets = {}, {}

    def sheet(name, attributes):
        if name.endswith(" sheet"):
            key = next((v for k, v in attributes.items() if k.endswith(" id")), None)
            names[key] = attributes.get("name", "")

    def relationship(name, attributes):
        if name.endswith(" Relationship"):
            targets[attributes.get("Id")] = attributes.get("Target", "")

    try:
        with archive.open("xl/workbook.xml") as stream:
            scan_xml(stream, sheet)
        with archive.open("xl/_rels/workbook.xml.rels") as stream:
            scan_xml(stream, relationship)
    except KeyError:
        raise FileError(["This file is not an Excel workbook (.xlsx) that can be read."]) from None
    parts = {}
    for key, title in names.items():
        target = targets.get(key, "")
        parts[target.lstrip("/") if target.startswith("/") else f"xl/{target}"] = title
    return parts


def check_size(size):
    """A file larger than settings.IMPORT_MAX_BYTES is refused before it is read."""
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise FileError(
            [
                f"This file is {size / 1_000_000:.1f} MB; the limit is "
                f"{limit / 1_000_000:.0f} MB. Split it into smaller files."
            ]
        )


# Formats: UTF-8 CSV, and XLSX workbooks that may carry a Sources sheet.


class CSV(base_formats.CSV):
    def create_dataset(self, in_stream):
        if isinstance(in_stream, bytes):
            in_stream = decode(in_stream)
        dataset = csv_dataset(in_stream, Budget())
        dataset.sources = None
        return dataset


def decode_problem():
    return (
        "This file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8” (or as an "
        "Excel workbook, .xlsx) and upload it again."
    )


def decode(data):
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileError([decode_problem()]) from None


class XLSX(base_formats.XLSX):
    """A workbook: the sheet named `sheet` (or the first), and the Sources sheet if any."""

    sheet = ""

    def create_dataset(self, in_stream):
        book = open_workbook(in_stream)
        names = [name for name in book.sheetnames if name != SOURCES_SHEET]
        if not names:
            raise FileError(["The workbook has no sheet of entries."])
        name = self.sheet if self.sheet in names else names[0]
        dataset = sheet_dataset(book[name])
        dataset.title = name
        dataset.sources = sources_sheet(book)
        return dataset

    def export_book(self, datasets, sources=None):
        """A workbook of several sheets (each dataset's title) and a Sources sheet."""
        import openpyxl

        book = openpyxl.Workbook()
        book.remove(book.active)
        for dataset in datasets:
            write_sheet(book.create_sheet(), dataset, dataset.title)
        if sources is not None and len(sources):
            write_sheet(book.create_sheet(), sources, SOURCES_SHEET)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    def export_data(self, dataset, **kwargs):
        import openpyxl

        book = openpyxl.Workbook()
        write_sheet(book.active, dataset, dataset.title or self.sheet or "Entries")
        sources = getattr(dataset, "sources", None)
        if sources:
            write_sheet(book.create_sheet(SOURCES_SHEET), sources_dataset(sources), SOURCES_SHEET)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


def xlsx_for(sheet):
    """The XLSX format reading the sheet `sheet` of a workbook."""
    return type(f"XLSX{sheet.title().replace(' ', '')}", (XLSX,), {"sheet": sheet})


def sheet_dataset(sheet):
    """The rows of a worksheet of a workbook opened by open_workbook (so measured)."""
    # The cells themselves say how wide a row is, whatever the sheet's <dimension> claims.
    sheet.reset_dimensions()
    try:
        rows = iter(list(sheet.iter_rows(values_only=True)))
    except Exception:  # whatever openpyxl meets in a damaged sheet
        raise FileError(
            [f"The sheet “{sheet.title}” cannot be read: save the workbook again and retry."]
        ) from None
    dataset = tablib.Dataset()
    try:
        headers = list(next(rows))
    except StopIteration:
        return dataset
    while headers and headers[-1] in (None, ""):
        headers.pop()
    dataset.headers = [("" if header is None else str(header)).strip() for header in headers]
    for row in rows:
        values = list(row[: len(headers)]) + [None] * (len(headers) - len(row))
        if any(value not in (None, "") for value in values):
            dataset.append(values)
    return dataset


def sources_sheet(book):
    if SOURCES_SHEET not in book.sheetnames:
        return None
    return sheet_dataset(book[SOURCES_SHEET]).dict


def csv_dataset(text, budget):
    """The rows of a CSV text (the first names the columns), read within the limits."""
    dataset = tablib.Dataset()
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for number, row in enumerate(reader, start=1):
            budget.row("This file", number, len(row))
            if number == 1:
                dataset.headers = row
            elif row:
                extra = row[dataset.width :]
                if any(cell.strip() for cell in extra):
                    raise FileError(
                        [f"Row {number} has more cells than the first row has column names."]
                    )
                dataset.append(row[: dataset.width] + [""] * (dataset.width - len(row)))
    except csv.Error as error:
        raise FileError(
            [
                f"Row {reader.line_num} cannot be read as CSV ({error}). Save the file again as "
                "“CSV UTF-8” from your spreadsheet."
            ]
        ) from None
    return dataset


def write_sheet(sheet, dataset, title):
    sheet.title = title[:31]
    sheet.append(list(dataset.headers or []))
    for row in dataset:
        sheet.append(["" if value is None else value for value in row])


def sources_dataset(sources):
    dataset = tablib.Dataset(headers=SOURCE_SHEET_COLUMNS)
    for source in sources:
        dataset.append([safe_cell(source.get(column, "")) for column in SOURCE_SHEET_COLUMNS])
    return dataset


def formats_for(sheet):
    return [CSV, xlsx_for(sheet)]


# Sources named in a file.


class SourceBook:
    """The sources a file names: by key in its Sources sheet, by URL, or defined on a row.

    A source found by its URL (or, without one, by title, publisher and year) is the one
    already stored; a new one is created. Creating happens inside the import's transaction,
    so a preview leaves nothing behind.
    """

    def __init__(self, sheet_rows=None):
        self.keyed = {}
        self.problems = []
        self._made = {}
        for number, row in enumerate(sheet_rows or [], start=2):
            key = text(row.get("key"))
            if not key:
                self.problems.append(f"Sources sheet, row {number}: the column “key” is empty.")
                continue
            if key in self.keyed:
                self.problems.append(f"Sources sheet, row {number}: the key “{key}” is used twice.")
            self.keyed[key] = row

    def resolve(self, reference):
        """The source a cell names, or a ValueError saying why none."""
        reference = text(reference)
        if reference in self.keyed:
            return self.define(
                **{k: self.keyed[reference].get(k) for k in SOURCE_SHEET_COLUMNS[1:]}
            )
        for row in self.keyed.values():
            if text(row.get("url")) == reference:
                return self.define(**{k: row.get(k) for k in SOURCE_SHEET_COLUMNS[1:]})
        if reference.startswith(("http://", "https://")):
            found = Source.objects.filter(url=reference).order_by("pk").first()
            if found:
                return found
        raise ValueError(
            f"No source “{reference[:80]}”: use a key of the Sources sheet, the URL of a "
            "source already in the portal, or define the source on the row."
        )

    def define(self, title=None, publisher=None, year=None, url=None, author=None):
        """The source with these details, found or made; ValueError if they are not enough."""
        title, publisher, url, author = text(title), text(publisher), text(url), text(author)
        year = as_int(year, "source year")
        if not title or not publisher:
            raise ValueError("A source needs at least a title and a publisher.")
        key = (url,) if url else (title.lower(), publisher, year)
        if key in self._made:
            return self._made[key]
        found = (
            Source.objects.filter(url=url).order_by("pk").first()
            if url
            else Source.objects.filter(title__iexact=title, publisher=publisher, year=year).first()
        )
        source = found or Source(url=url)
        details = {"title": title, "publisher": publisher, "year": year, "author": author}
        if not found or any(getattr(source, k) != v for k, v in details.items()):
            for name, value in details.items():
                setattr(source, name, value)
            try:
                source.full_clean()
            except ValidationError as error:
                raise ValueError(plain(error)) from None
            source.save()
        self._made[key] = source
        return source


@dataclass(frozen=True)
class Cited:
    """Where a row says a fact comes from: its source, the date the figure describes (None when
    the page states none), the day the page was read, and a note."""

    source: object
    as_of: datetime.date | None
    checked_on: datetime.date | None
    note: str

    def key(self):
        return (self.source.pk, self.as_of, self.checked_on, self.note)

    @staticmethod
    def of(citation):
        """The same key for a stored citation."""
        return (citation.source_id, citation.as_of, citation.checked_on, citation.note)


def iso(day):
    return day.isoformat() if day else ""


# Values in cells.


def text(value):
    """A cell's text, trimmed, as an export wrote it (safe_cell's apostrophe removed)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unsafe_cell(str(value).strip())


def as_int(value, what):
    value = text(value)
    if not value:
        return None
    try:
        return int(Decimal(value))
    except (InvalidOperation, ValueError):
        raise ValueError(f"“{value[:40]}” is not a whole number ({what}).") from None


def as_date(value):
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        value = text(value)
        if not value:
            return None
        try:
            day = datetime.date.fromisoformat(value[:10])
        except ValueError:
            raise ValueError(f"“{value[:40]}” is not a date: write it as 2026-12-01.") from None
    try:
        sane_date(day)
    except ValidationError as error:
        raise ValueError(f"{day.isoformat()}: {plain(error)}") from None
    return day


def plain(error):
    if hasattr(error, "message_dict"):
        return " ".join(" ".join(messages) for messages in error.message_dict.values())
    return " ".join(error.messages)


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class NumberWidget(widgets.Widget):
    """A number written with digits (a thousands comma or a $ is forgiven)."""

    def __init__(self, integer=False, **kwargs):
        self.integer = integer
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        raw = text(value).replace(",", "").replace("$", "").strip()
        if not raw:
            return None
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise ValueError(
                f"“{text(value)[:40]}” is not a number: use digits, like 45000."
            ) from None
        if self.integer:
            if number != number.to_integral_value():
                raise ValueError(f"“{raw}” is not a whole number.")
            return int(number)
        return number

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, Decimal):
            value = value.normalize() if value != value.to_integral() else value.quantize(1)
            return format(value, "f")
        return str(value)


class DateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return as_date(value)

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class DateTimeWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            moment = value
        else:
            raw = text(value)
            if not raw:
                return None
            try:
                moment = datetime.datetime.fromisoformat(raw)
            except ValueError:
                raise ValueError(
                    f"“{raw[:40]}” is not a date and time: write it as 2026-12-01T09:00Z."
                ) from None
        return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)

    def render(self, value, obj=None, **kwargs):
        return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z") if value else ""


class ChoiceWidget(widgets.Widget):
    """One of a field's choices, by its code (“online”) or its label (“Online”)."""

    def __init__(self, choices, **kwargs):
        self.choices = list(choices)
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        raw = text(value)
        if not raw:
            return ""
        for code, label in self.choices:
            if raw.lower() in {str(code).lower(), str(label).lower()}:
                return code
        allowed = ", ".join(str(code) for code, _ in self.choices)
        raise ValueError(f"“{raw[:40]}” is not one of: {allowed}.")

    def render(self, value, obj=None, **kwargs):
        return value or ""


class ChoiceSetWidget(ChoiceWidget):
    """Several choices, separated by commas."""

    def clean(self, value, row=None, **kwargs):
        parts = [part for part in text(value).split(",") if part.strip()]
        chosen = {super(ChoiceSetWidget, self).clean(part) for part in parts}
        return ",".join(code for code, _ in self.choices if code in chosen)

    def render(self, value, obj=None, **kwargs):
        return ", ".join(code for code in (value or "").split(",") if code)


class YesNoWidget(widgets.Widget):
    YES, NO = {"yes", "y", "true", "1", "required"}, {"no", "n", "false", "0", "not required"}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        raw = text(value).lower()
        if not raw:
            return None
        if raw in self.YES:
            return True
        if raw in self.NO:
            return False
        raise ValueError(f"“{text(value)[:40]}” is not yes or no.")

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else ("yes" if value else "no")


class SlugWidget(widgets.Widget):
    """An entry of `model` named by its slug."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        slug = text(value)
        if not slug:
            return None
        found = self.model._default_manager.filter(slug=slug).first()
        if found is None:
            raise ValueError(f"No {self.model._meta.verbose_name} with the slug “{slug[:60]}”.")
        return found

    def render(self, value, obj=None, **kwargs):
        return value.slug if value else ""


class SlugsWidget(widgets.ManyToManyWidget):
    """Entries of `model` named by their slugs, separated by commas; every one must exist."""

    def __init__(self, model, **kwargs):
        super().__init__(model, separator=",", field="slug", **kwargs)

    def clean(self, value, row=None, **kwargs):
        slugs = [slug.strip() for slug in text(value).split(",") if slug.strip()]
        found = {item.slug: item for item in self.model._default_manager.filter(slug__in=slugs)}
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            noun = self.model._meta.verbose_name
            raise ValueError(f"No {noun} with the slug " + ", ".join(f"“{s}”" for s in unknown))
        return [found[slug] for slug in dict.fromkeys(slugs)]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return ", ".join(sorted(item.slug for item in value.all()))


class LinesWidget(widgets.Widget):
    """Related rows, one a line, each with its parts separated by “ | ”."""

    def __init__(self, parts, **kwargs):
        self.parts = parts
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        lines = []
        for number, line in enumerate(text(value).splitlines(), start=1):
            if not line.strip():
                continue
            cells = [cell.strip() for cell in line.split("|")]
            if len(cells) > len(self.parts):
                raise ValueError(
                    f"Line {number} has {len(cells)} parts; write at most {len(self.parts)}: "
                    + " | ".join(self.parts)
                    + "."
                )
            lines.append(cells + [""] * (len(self.parts) - len(cells)))
        return lines

    def render(self, value, obj=None, **kwargs):
        return "\n".join(" | ".join(cells).rstrip(" |") for cells in value or [])


def fact_columns(model):
    """The columns of a model's declared facts, with the fields that go beside them."""
    return tuple(name for fact in model.facts for name in (fact.name, *fact.admin_with))


def widget_for(model, name):
    """The widget that reads and writes the field `name` of `model` in a cell."""
    field = model._meta.get_field(name)
    if hasattr(field, "options"):  # core.fields.ChoiceSetField
        return ChoiceSetWidget(field.options)
    if field.choices:
        return ChoiceWidget(field.choices)
    if field.many_to_many:
        return SlugsWidget(field.related_model)
    if field.is_relation:
        return SlugWidget(field.related_model)
    if isinstance(field, models.BooleanField):
        return YesNoWidget()
    if isinstance(field, models.DateTimeField):
        return DateTimeWidget()
    if isinstance(field, models.DateField):
        return DateWidget()
    if isinstance(field, models.DecimalField):
        return NumberWidget()
    if isinstance(field, models.IntegerField):
        return NumberWidget(integer=True)
    return TextWidget()


class CatalogueResource(resources.ModelResource):
    """A kind of entry in a spreadsheet, keyed by slug: checked as a file, row by row.

    Subclasses list `columns` (model fields, in order), `required` columns, and may add
    related rows in cells (`related`: column → LinesWidget parts) saved by `save_related`.
    """

    columns = ()
    required = ("slug",)
    related = {}
    # Related rows whose order matters (a curriculum's courses); others may come in any order.
    ordered_related = {"courses"}
    key = "slug"

    class Meta:
        abstract = True
        import_id_fields = ("slug",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        skip_html_diff = True

    def __init__(self, sources=None, **kwargs):
        super().__init__(**kwargs)
        self.book = sources
        self.fields = {}
        model = self._meta.model
        for name in self.columns:
            widget = widget_for(model, name)
            self.fields[name] = ie_fields.Field(
                attribute=name, column_name=name, widget=widget, saves_null_values=True
            )
        for name, parts in self.related.items():
            self.fields[name] = ie_fields.Field(
                attribute=None,
                column_name=name,
                widget=LinesWidget(parts),
                dehydrate_method=f"dehydrate_{name}",
            )

    def get_import_id_fields(self):
        return [self.key]

    # The file as a whole.

    def known_columns(self):
        return list(self.fields)

    def before_import(self, dataset, **kwargs):
        if self.book is None:
            self.book = SourceBook(getattr(dataset, "sources", None))
        problems = list(self.book.problems)
        headers = list(dataset.headers or [])
        known = set(self.known_columns())
        if any(header == "" for header in headers):
            problems.append("A column has no name in the first row: name it or delete it.")
        unknown = [h for h in headers if h and h not in known]
        if unknown:
            problems.append(
                "Unknown columns: "
                + ", ".join(f"“{h}”" for h in unknown)
                + ". Use the column names of an export from this page."
            )
        repeated = sorted({h for h in headers if h and headers.count(h) > 1})
        if repeated:
            problems.append("Columns given twice: " + ", ".join(f"“{h}”" for h in repeated) + ".")
        missing = [column for column in self.required if column not in headers]
        if missing:
            problems.append(
                "Missing columns: " + ", ".join(f"“{c}”" for c in missing) + " (required)."
            )
        for number, values in enumerate(dataset, start=2):
            for header, value in zip(headers, values, strict=False):
                # Leading tabs and line breaks are trimmed from every cell (text()).
                if isinstance(value, str) and looks_like_formula(value.lstrip()):
                    problems.append(
                        f"Row {number}, column “{header}”: a formula, or text that starts with "
                        f"“{value.lstrip()[0]}”, which a spreadsheet runs as one. Write the "
                        "value itself (copy the cells and paste them as values), or put an "
                        "apostrophe (') before it."
                    )
        if self.key in headers:
            rows = {}
            for number, values in enumerate(dataset, start=2):
                slug = text(dict(zip(headers, values, strict=False)).get(self.key))
                rows.setdefault(slug, []).append(number)
            for slug, numbers in rows.items():
                if slug and len(numbers) > 1:
                    listed = " and ".join(str(n) for n in numbers)
                    problems.append(f"Rows {listed} are the same entry (the {self.key} “{slug}”).")
                if not slug:
                    problems.append(
                        "Rows " + ", ".join(str(n) for n in numbers) + f" have no {self.key}."
                    )
        if problems:
            raise FileError(problems)

    # One row.

    def get_or_init_instance(self, instance_loader, row):
        instance = self._meta.model._default_manager.filter(slug=text(row.get(self.key))).first()
        if instance is not None:
            return instance, False
        return self.init_instance(row), True

    def after_init_instance(self, instance, new, row, **kwargs):
        self._before = {} if new else self.snapshot(instance)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        for field in self.get_import_fields():
            if field.attribute is None or field.column_name not in row:
                continue
            if isinstance(field.widget, widgets.ManyToManyWidget):
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.column_name] = ValidationError(str(error))
                continue
            try:
                self.import_field(field, instance, row, **kwargs)
            except ValueError as error:
                errors[field.column_name] = ValidationError(str(error))
        self._related, self._related_text = {}, {}
        for name in self.related:
            if name in row:
                widget = self.fields[name].widget
                try:
                    lines = self.fields[name].clean(row)
                    self._related[name] = self.read_related(name, lines)
                except ValueError as error:
                    errors[name] = ValidationError(str(error))
                else:
                    self._related_text[name] = widget.render(lines)
        self.import_more(instance, row, errors)
        if errors:
            raise ValidationError(errors)

    def import_more(self, instance, row, errors):
        """What a subclass reads beyond the columns (sources, a default publication state)."""

    def read_related(self, name, lines):
        """The related rows of a cell, checked (a ValueError names the line)."""
        return lines

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique=False)
        except ValidationError as error:
            raise ValidationError(error.message_dict) from None

    def after_save_instance(self, instance, row, **kwargs):
        for name, lines in self._related.items():
            self.save_related(instance, name, lines)

    def save_related(self, instance, name, lines):
        raise NotImplementedError

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or original is None or original.pk is None:
            return False
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        current = self.snapshot(original)
        return all(
            self.same_lines(name, text, current.get(name, ""))
            for name, text in self._related_text.items()
        )

    def same_lines(self, name, given, stored):
        """Whether a cell of related rows says what is stored (in any order, unless the
        order is part of it)."""
        if name in self.ordered_related:
            return given == stored
        return sorted(given.splitlines()) == sorted(stored.splitlines())

    def after_import_row(self, row, row_result, **kwargs):
        row_result.changes = []
        if row_result.import_type == "update" and row_result.object_id:
            instance = self._meta.model._default_manager.get(pk=row_result.object_id)
            after = self.snapshot(instance)
            row_result.changes = [
                (column, self._before.get(column, ""), value)
                for column, value in after.items()
                if value != self._before.get(column, "")
            ]

    def snapshot(self, instance):
        """Column → text, as an export writes the entry (for the list of changes)."""
        return {name: self.export_field(field, instance) for name, field in self.fields.items()}

    # Export.

    def export_field(self, field, instance, **kwargs):
        if field.attribute is None:
            return getattr(self, field.dehydrate_method)(instance)
        value = field.get_value(instance)
        return field.widget.render(value)

    def get_export_headers(self, selected_fields=None):
        return list(self.fields)

    def export(self, queryset=None, **kwargs):
        queryset = self.get_queryset() if queryset is None else queryset
        dataset = tablib.Dataset(headers=self.get_export_headers())
        for instance in queryset:
            row = self.snapshot(instance)
            dataset.append([safe_cell(row[column]) for column in dataset.headers])
        dataset.title = self.sheet
        dataset.sources = None
        return dataset


class SourcedResource(CatalogueResource):
    """A kind whose facts cite sources (core.facts): the source columns, and citations."""

    class Meta(CatalogueResource.Meta):
        abstract = True

    def sourced(self):
        return list(self._meta.model.sourced_fields)

    def known_columns(self):
        overrides = [f"{name} {suffix}" for name in self.sourced() for suffix in OVERRIDE_SUFFIXES]
        return [*self.fields, *ROW_SOURCE_COLUMNS, *overrides]

    def import_more(self, instance, row, errors):
        if instance.pk is None and "status" not in row:
            # New entries arrive as drafts unless the file says they are published.
            instance.status = instance.Status.DRAFT
        self._citations = self.read_citations(instance, row, errors)

    def read_citations(self, instance, row, errors):
        """Fact → Cited for every sourced fact of the row that has a value."""
        default = None
        try:
            if text(row.get("source title")) or text(row.get("source URL")):
                default = self.book.define(
                    title=row.get("source title"),
                    publisher=row.get("source publisher"),
                    year=row.get("source year"),
                    url=row.get("source URL"),
                    author=row.get("source author"),
                )
            elif text(row.get("source")):
                default = self.book.resolve(row.get("source"))
        except ValueError as error:
            errors["source"] = ValidationError(str(error))
        dates = {}
        for column in ("as of", "checked on"):
            try:
                dates[column] = as_date(row.get(column))
            except ValueError as error:
                errors[column] = ValidationError(str(error))
                dates[column] = None
        default_note = text(row.get("note"))
        citations = {}
        for name in self.in_row(row):
            if name in errors or not self.holds(instance, name, row):
                continue
            column = f"{name} source"
            # A fact that names its own source has its own as-of date and note (maybe none).
            own = bool(text(row.get(column)))
            try:
                source = self.book.resolve(row[column]) if own else default
                as_of = as_date(row.get(f"{name} as of")) if own else dates["as of"]
                checked_on = as_date(row.get(f"{name} checked on")) or dates["checked on"]
            except ValueError as error:
                bad = column if "source" in str(error).lower() else f"{name} as of"
                errors[bad] = ValidationError(str(error))
                continue
            note = (
                text(row.get(f"{name} note"))
                if own
                else (text(row.get(f"{name} note")) or default_note)
            )
            if source is None or checked_on is None:
                missing = "no source" if source is None else "no checked-on date"
                errors[name] = ValidationError(
                    f"Has a value but {missing}: give the row a “source” and a “checked on” "
                    f"(the day the page was read), or this fact a “{name} source” and a "
                    f"“{name} checked on”."
                )
                continue
            citations[name] = Cited(source, as_of, checked_on, note[:300])
        return citations

    def in_row(self, row):
        """The sourced facts this row speaks of: their column, or a column of their source.
        Facts the file leaves out keep their values and citations."""
        return [
            name
            for name in self.sourced()
            if name in row or any(f"{name} {suffix}" in row for suffix in OVERRIDE_SUFFIXES)
        ]

    def holds(self, instance, name, row):
        """Whether the fact has a value after this row (many-to-many: the row's own value)."""
        field = instance._meta.get_field(name)
        if field.many_to_many:
            if name in row:
                try:
                    return bool(self.fields[name].clean(row))
                except ValueError:
                    return False
            return instance.pk is not None and getattr(instance, name).exists()
        return getattr(instance, field.attname) not in (None, "")

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        current = {c.field: c for c in Citation.objects.for_record(instance)}
        for name, cited in self._citations.items():
            citation = current.pop(name, None) or Citation(content_object=instance, field=name)
            if citation.pk is None or Cited.of(citation) != cited.key():
                citation.source, citation.note = cited.source, cited.note
                citation.as_of, citation.checked_on = cited.as_of, cited.checked_on
                citation.save()
        for name, citation in current.items():
            if name in self.in_row(row) and not instance.has_value(name):
                citation.delete()

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        spoken_of = set(self.in_row(row))
        current = {
            c.field: Cited.of(c)
            for c in Citation.objects.for_record(original)
            if c.field in spoken_of
        }
        wanted = {name: cited.key() for name, cited in self._citations.items()}
        return current == wanted

    def snapshot(self, instance):
        row = super().snapshot(instance)
        citations = {
            c.field: c for c in Citation.objects.for_record(instance).select_related("source")
        }
        for name in self.sourced():
            citation = citations.get(name)
            row[f"{name} source"] = citation_text(citation) if citation else ""
        return row

    def export(self, queryset=None, **kwargs):
        """The entries, each with its most cited source as the row's source, the others as
        overrides by URL, and every source in a Sources sheet (for XLSX)."""
        queryset = self.get_queryset() if queryset is None else queryset
        rows, used, overrides = [], {}, set()
        for instance in queryset:
            row = CatalogueResource.snapshot(self, instance)
            citations = {
                c.field: c for c in Citation.objects.for_record(instance).select_related("source")
            }
            counts = Counter(Cited.of(c) for c in citations.values())
            default = counts.most_common(1)[0][0] if counts else None
            chosen = next((c for c in citations.values() if Cited.of(c) == default), None)
            if chosen:
                source = chosen.source
                used[source.pk] = source
                row.update(
                    {
                        "source title": source.title,
                        "source author": source.author,
                        "source publisher": source.publisher,
                        "source year": "" if source.year is None else str(source.year),
                        "source URL": source.url,
                        "as of": iso(chosen.as_of),
                        "checked on": iso(chosen.checked_on),
                        "note": chosen.note,
                    }
                )
            for name, citation in citations.items():
                used[citation.source_id] = citation.source
                if Cited.of(citation) == default:
                    continue
                overrides.add(name)
                row[f"{name} source"] = citation.source.url or source_key(citation.source)
                row[f"{name} as of"] = iso(citation.as_of)
                row[f"{name} checked on"] = iso(citation.checked_on)
                row[f"{name} note"] = citation.note
            rows.append(row)
        override_columns = [
            f"{name} {suffix}"
            for name in self.sourced()
            if name in overrides
            for suffix in OVERRIDE_SUFFIXES
        ]
        headers = [*self.fields, *ROW_SOURCE_COLUMNS[1:], *override_columns]
        dataset = tablib.Dataset(headers=headers)
        for row in rows:
            dataset.append([safe_cell(row.get(column, "")) for column in headers])
        dataset.title = self.sheet
        dataset.sources = [source_row(source) for source in used.values()]
        return dataset


def source_key(source):
    return f"source-{source.pk}"


def source_row(source):
    return {
        "key": source_key(source),
        "title": source.title,
        "author": source.author,
        "publisher": source.publisher,
        "year": "" if source.year is None else str(source.year),
        "url": source.url,
    }


def citation_text(citation):
    source = citation.source
    parts = [source.title, source.publisher, source.url, citation.dated, citation.checked]
    if citation.note:
        parts.append(citation.note)
    return "; ".join(part for part in parts if part)


# Uploads waiting between a preview and its confirmation (django-import-export's MediaStorage,
# in MEDIA_ROOT so that every server process sees them). Each is removed once confirmed or
# cancelled; one abandoned is removed a day later (clear_old_uploads, at each new upload and
# by `manage.py clear_import_uploads`).

UPLOAD_NAME = re.compile(r"[0-9a-f]{32}")  # MediaStorage's names: uuid4().hex
UPLOADS_KEPT_FOR = datetime.timedelta(days=1)


def upload_storage(name=None):
    from import_export.tmp_storages import MediaStorage

    return MediaStorage(name=name)


def discard_upload(name):
    """Remove the waiting upload `name`; nothing happens for a name that is not one."""
    if name and UPLOAD_NAME.fullmatch(name):
        upload_storage(name).remove()


def clear_old_uploads(older_than=UPLOADS_KEPT_FOR):
    """Remove the uploads waiting for longer than `older_than`: the number removed."""
    storage = upload_storage()
    files, folder = storage._storage, storage.MEDIA_FOLDER
    try:
        _, names = files.listdir(folder)
    except FileNotFoundError:
        return 0
    cutoff = datetime.datetime.now(datetime.UTC) - older_than
    removed = 0
    for name in names:
        path = f"{folder}/{name}"
        if UPLOAD_NAME.fullmatch(name) and files.get_modified_time(path) < cutoff:
            files.delete(path)
            removed += 1
    return removed


# A whole catalogue: a workbook with a sheet per kind, or a CSV file of one kind.


def import_file(name, data, kinds, dry_run=False, kind=None):
    """Import a file in one transaction: all of it, or, at the first wrong row, none of it.

    `kinds` lists (sheet, resource class) in the order to import them (vocabularies before
    the entries naming them). An XLSX workbook may hold any of these sheets and a Sources
    sheet; a CSV file holds one kind, the sheet `kind` or the one its columns fit.
    Returns [(sheet, result)]; raises FileError for a file that cannot be read as a whole.
    """
    sheets = dict(kinds)
    check_size(len(data))
    if name.lower().endswith(".xlsx"):
        book = open_workbook(data)
        unknown = [n for n in book.sheetnames if n not in sheets and n != SOURCES_SHEET]
        if unknown:
            raise FileError(
                [
                    "Unknown sheets: "
                    + ", ".join(f"“{n}”" for n in unknown)
                    + ". Sheets are named: "
                    + ", ".join([*sheets, SOURCES_SHEET])
                    + "."
                ]
            )
        sources = SourceBook(sources_sheet(book))
        work = [
            (sheet, sheets[sheet], sheet_dataset(book[sheet]))
            for sheet, _ in kinds
            if sheet in book.sheetnames
        ]
    elif name.lower().endswith(".csv"):
        dataset = csv_dataset(decode(data), Budget())
        dataset.sources = None
        sheet = kind or fitting_sheet(dataset.headers or [], kinds)
        if sheet not in sheets:
            raise FileError(
                [f"Say which kind of entries this file holds: one of {', '.join(sheets)}."]
            )
        sources, work = SourceBook(), [(sheet, sheets[sheet], dataset)]
    else:
        raise FileError(["Import a .csv or .xlsx file."])
    results = []
    # A real import is one revision (core.history), so that it can be undone as a whole.
    revision = contextlib.nullcontext() if dry_run else create_revision()
    with transaction.atomic(), revision:
        if not dry_run:
            record_import(name)
        for sheet, resource_class, dataset in work:
            result = resource_class(sources=sources).import_data(
                dataset,
                dry_run=False,
                use_transactions=True,
                rollback_on_validation_errors=True,
                raise_errors=False,
            )
            results.append((sheet, result))
            if failed(result):
                break  # what follows may name entries of this sheet
        if dry_run or any(failed(result) for _, result in results):
            transaction.set_rollback(True)
    return results


def fitting_sheet(headers, kinds):
    """The kind whose required columns a CSV file has, and whose columns hold all of its own."""
    fits = [
        sheet
        for sheet, resource_class in kinds
        if set(resource_class.required) <= set(headers)
        and set(headers) <= set(resource_class().known_columns())
    ]
    return fits[0] if len(fits) == 1 else None


def failed(result):
    return result.has_errors() or result.has_validation_errors()


def report(sheet, result):
    """What an import did or would do to one sheet, in lines a person reads."""
    if result.base_errors:
        lines = []
        for error in result.base_errors:
            problems = getattr(error.error, "problems", None) or [str(error.error)]
            lines.extend(f"{sheet}: {problem}" for problem in problems)
        return lines
    lines = [
        f"{sheet}, row {number + 1}: {error.error}"
        for number, errors in result.row_errors()
        for error in errors
    ]
    for row in result.invalid_rows:
        for column, messages in row.field_specific_errors.items():
            lines.append(f"{sheet}, row {row.number + 1}, column “{column}”: {' '.join(messages)}")
        for message in row.non_field_specific_errors:
            lines.append(f"{sheet}, row {row.number + 1}: {message}")
    if lines:
        return lines
    totals = result.totals
    lines = [
        f"{sheet}: {totals['new']} new, {totals['update']} changed, {totals['skip']} unchanged."
    ]
    for row in result.valid_rows():
        for column, old, new in getattr(row, "changes", []):
            lines.append(f"  {row.object_repr}: {column}: {old or '(empty)'} → {new or '(empty)'}")
    return lines
