"""Hostile spreadsheets: every file is measured before it is read, in the admin and on the
command line, and refused with a message that names the limit, never a traceback."""

import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from programs.models import Program
from tests.factories import make_institution
from tests.programs.test_spreadsheet_import import (
    CSV_FORMAT,
    XLSX_FORMAT,
    csv_file,
    preview,
    row,
    xlsx_file,
)

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def workbook_with(sheet_xml, part=SHEET):
    """A real workbook (one sheet, "Programs") whose part `part` is replaced by `sheet_xml`."""
    book = openpyxl.Workbook()
    book.active.title = "Programs"
    book.active.append(["slug"])
    plain = io.BytesIO()
    book.save(plain)
    made = io.BytesIO()
    with (
        zipfile.ZipFile(plain) as source,
        zipfile.ZipFile(made, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = sheet_xml.encode() if item.filename == part else source.read(item)
            target.writestr(item.filename, data)
    return made.getvalue()


def rows_xml(rows, dimension=None):
    """A worksheet of `rows` (each a list of (reference, text) cells), without <dimension>
    unless one is given."""
    parts = [HEAD]
    if dimension:
        parts.append(f'<dimension ref="{dimension}"/>')
    parts.append("<sheetData>")
    for number, cells in rows:
        parts.append(f'<row r="{number}">')
        parts.extend(
            f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>' for ref, value in cells
        )
        parts.append("</row>")
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def empty_rows(count):
    """A worksheet of `count` empty rows, numbered by their order: what a bomb is made of."""
    return HEAD + "<sheetData>" + "<row></row>" * count + "</sheetData></worksheet>"


@pytest.fixture
def never_read(monkeypatch):
    """Fails the test if openpyxl opens the workbook or reads a worksheet's rows."""

    def refuse(*args, **kwargs):
        raise AssertionError("read before it was measured")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", refuse)


@pytest.fixture
def institution():
    return make_institution(name="Example University", slug="example-university")


def upload(data, name="catalogue.xlsx"):
    return SimpleUploadedFile(name, data)


def shown(client, data, fmt=XLSX_FORMAT, name="catalogue.xlsx"):
    return preview(client, upload(data, name), fmt).content.decode()


def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_opened(
    admin_client, settings, never_read
):
    settings.IMPORT_MAX_UNPACKED_BYTES = 2_000_000
    # 5.5 MB of empty rows, no <dimension>: a few kilobytes once packed.
    data = workbook_with(empty_rows(500_000))
    assert len(data) < 100_000
    content = shown(admin_client, data)
    assert re.search(r"This workbook unpacks to \d MB; the limit is 2 MB\.", content)
    assert not Program.objects.exists()


def test_rows_are_counted_as_the_cells_place_them_whatever_the_dimension_says(
    admin_client, settings, never_read
):
    settings.IMPORT_MAX_ROWS = 100
    # One cell, far down: read by openpyxl, it would be nine million rows.
    data = workbook_with(rows_xml([(1, [("A1", "slug")]), (9_000_000, [("A9000000", "x")])]))
    content = shown(admin_client, data)
    assert "The sheet “Programs” has more than 100 rows of entries; the limit is 100 a sheet." in (
        content
    )


def test_too_many_cells_are_refused_naming_the_limit(admin_client, settings, never_read):
    settings.IMPORT_MAX_CELLS = 1_000
    cells = [(n, [(f"{letter}{n}", "x") for letter in "ABCDEFGHIJ"]) for n in range(1, 201)]
    content = shown(admin_client, workbook_with(rows_xml(cells)))
    assert "This file has more than 1,000 cells; the limit is 1,000." in content


def test_a_cell_beyond_the_last_column_allowed_is_refused(admin_client, settings, never_read):
    settings.IMPORT_MAX_COLUMNS = 50
    content = shown(admin_client, workbook_with(rows_xml([(1, [("A1", "slug"), ("XFD1", "x")])])))
    assert "The sheet “Programs” has more than 50 columns; the limit is 50." in content


@pytest.mark.parametrize("claim", ["A1:A1", "A1:XFD1048576"], ids=["too-small", "whole-sheet"])
def test_the_cells_are_read_whatever_the_dimension_claims(admin_client, institution, claim):
    """openpyxl trusts <dimension>: one of A1:A1 would hide every entry, one of A1:XFD1048576
    pad every row to 16,384 cells. The cells themselves are read instead."""
    good = xlsx_file({"Programs": [row()]}).read()
    with zipfile.ZipFile(io.BytesIO(good)) as book:
        sheet = book.read(SHEET).decode()
    lying = re.sub(r'<dimension ref="[^"]+"', f'<dimension ref="{claim}"', sheet)
    assert lying != sheet
    content = shown(admin_client, workbook_with(lying))
    assert "Preview: nothing is saved until you confirm" in content
    assert "MS in Clinical AI" in content


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
XXE = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize("prolog", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
@pytest.mark.parametrize(
    "part", [SHEET, "xl/workbook.xml", "xl/styles.xml"], ids=["sheet", "workbook", "styles"]
)
def test_xml_entities_are_refused(admin_client, never_read, prolog, part):
    with zipfile.ZipFile(io.BytesIO(workbook_with(rows_xml([])))) as book:
        xml = book.read(part).decode()
    hostile = prolog + xml.split("?>", 1)[-1]
    content = shown(admin_client, workbook_with(hostile, part=part))
    assert "This workbook declares XML entities, which spreadsheets never do" in content
    assert not Program.objects.exists()


def test_a_csv_file_is_read_within_the_same_limits(admin_client, settings, institution):
    settings.IMPORT_MAX_ROWS = 5
    rows = [row(slug=f"p-{n}") for n in range(8)]
    content = preview(admin_client, csv_file(rows), CSV_FORMAT).content.decode()
    assert "This file has more than 5 rows of entries; the limit is 5 a sheet." in content


def test_a_csv_cell_longer_than_the_reader_allows_gets_a_message(admin_client, institution):
    upload_ = SimpleUploadedFile("p.csv", b'slug,title\n"a","' + b"x" * 200_000 + b'"\n')
    content = preview(admin_client, upload_, CSV_FORMAT).content.decode()
    assert "Row 2 cannot be read as CSV (field larger than field limit (131072))" in content


# The command line: the same limits and messages, never a traceback.


def hostile_files(tmp_path):
    big_cell = b'slug,title\n"a","' + b"x" * 200_000 + b'"\n'
    files = {
        "too-large.csv": b"slug,title\n" + b"x" * (6 * 1024 * 1024),
        "long-cell.csv": big_cell,
        "not-a-workbook.xlsx": b"PK\x03\x04 not really",
        "bomb.xlsx": workbook_with(empty_rows(500_000)),
        "far-row.xlsx": workbook_with(rows_xml([(1, [("A1", "slug")]), (9_000_000, [])])),
        "laughs.xlsx": workbook_with(BILLION_LAUGHS + rows_xml([]).split("?>", 1)[1]),
        "xxe.xlsx": workbook_with(XXE + rows_xml([]).split("?>", 1)[1]),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return files


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("too-large.csv", "This file is 6.3 MB; the limit is 5 MB."),
        ("long-cell.csv", "Row 2 cannot be read as CSV"),
        ("not-a-workbook.xlsx", "This file is not an Excel workbook (.xlsx) that can be read."),
        ("bomb.xlsx", "the limit is 2 MB"),
        ("far-row.xlsx", "The sheet “Programs” has more than 5,000 rows of entries"),
        ("laughs.xlsx", "This workbook declares XML entities"),
        ("xxe.xlsx", "This workbook declares XML entities"),
    ],
)
def test_the_command_line_refuses_a_hostile_file_in_plain_words(
    tmp_path, settings, never_read, name, message
):
    settings.IMPORT_MAX_BYTES = 5 * 1024 * 1024
    settings.IMPORT_MAX_UNPACKED_BYTES = 2_000_000
    hostile_files(tmp_path)
    with pytest.raises(CommandError) as refused:
        call_command("import_catalogue", str(tmp_path / name), "--dry-run")
    assert message in str(refused.value)
    assert "Traceback" not in str(refused.value)
