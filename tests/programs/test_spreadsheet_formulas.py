"""Formulas in spreadsheets: the admin's export never writes a cell a spreadsheet would run,
and the import refuses one, whichever character it starts with (OWASP's CSV injection)."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from careers.models import Career
from programs.models import Program
from tests.factories import make_career, make_institution, make_program, make_source
from tests.programs.test_spreadsheet_import import (
    CSV_FORMAT,
    EXPORT,
    XLSX_FORMAT,
    csv_file,
    preview,
    row,
)

pytestmark = pytest.mark.django_db

HOSTILE_TITLES = ["=HYPERLINK(1)", "+cmd|' /C calc'!A0", "-2+3+cmd", "@SUM(1+1)"]


@pytest.fixture
def institution():
    return make_institution(name="Example University", slug="example-university")


def export(client, fmt):
    response = client.post(EXPORT, {"format": fmt, "resource": "0"})
    assert response.status_code == 200
    return response.content


def exported_titles(content, fmt):
    if fmt == CSV_FORMAT:
        return [line["title"] for line in csv.DictReader(io.StringIO(content.decode()))]
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Programs"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("title")
    cells = [line[column] for line in sheet.iter_rows(min_row=2)]
    # A string cell, never a formula cell.
    assert {cell.data_type for cell in cells} == {"s"}
    return [cell.value for cell in cells]


@pytest.mark.parametrize("fmt", [CSV_FORMAT, XLSX_FORMAT])
def test_the_export_neutralises_every_formula_start(admin_client, institution, fmt):
    for n, title in enumerate(HOSTILE_TITLES):
        make_program(institution=institution, slug=f"p{n}", title=title)
    make_program(institution=institution, slug="plain", title="MS in Health AI")
    titles = exported_titles(export(admin_client, fmt), fmt)
    assert sorted(titles) == sorted(["'" + title for title in HOSTILE_TITLES] + ["MS in Health AI"])


@pytest.mark.parametrize("fmt", [CSV_FORMAT, XLSX_FORMAT])
def test_a_neutralised_export_imports_again_unchanged(admin_client, institution, fmt):
    make_program(institution=institution, slug="p0", title="=HYPERLINK(1)")
    upload = SimpleUploadedFile(
        f"programs.{'csv' if fmt == CSV_FORMAT else 'xlsx'}", export(admin_client, fmt)
    )
    content = preview(admin_client, upload, fmt).content.decode()
    assert "0 new, 0 changed, 1 unchanged, 0 with errors." in content
    assert Program.objects.get(slug="p0").title == "=HYPERLINK(1)"


@pytest.mark.parametrize(
    "value", [*HOSTILE_TITLES, "\t=1+1", "\r=1+1", " @SUM(1)"], ids=lambda value: repr(value[:4])
)
def test_the_import_refuses_text_a_spreadsheet_would_run(admin_client, institution, value):
    content = preview(admin_client, csv_file([row(title=value)]), CSV_FORMAT).content.decode()
    assert "Row 2, column “title”: a formula, or text that starts with" in content
    assert not Program.objects.exists()


def test_a_number_below_zero_is_a_number_not_a_formula(admin_client):
    source = make_source(url="https://www.bls.gov/ooh/example.htm")
    career = make_career(slug="shrinking", title="Shrinking role")
    fields = {
        "slug": "shrinking",
        "title": "Shrinking role",
        "growth_percent": "-2.5",
        "growth_period_start": "2024",
        "growth_period_end": "2034",
        "source": source.url,
        "as of": "2025-09-01",
        "checked on": "2026-12-01",
    }
    upload = SimpleUploadedFile(
        "careers.csv", ",".join(fields).encode() + b"\n" + ",".join(fields.values()).encode()
    )
    response = admin_client.post(
        "/admin/careers/career/import/", {"import_file": upload, "format": "0", "resource": "0"}
    )
    content = response.content.decode()
    assert "a formula" not in content
    assert "<strong>growth_percent</strong>: (empty) → -2.5" in content
    assert Career.objects.get(pk=career.pk).growth_percent is None  # a preview saves nothing
