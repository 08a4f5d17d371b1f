"""Editors' spreadsheets: import through a preview, export, and every kind of bad file."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.models import Citation, Source
from programs.models import Institution, Program
from tests.factories import cite, make_institution, make_source, make_sourced_program

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:programs_program_import")
PROCESS = reverse("admin:programs_program_process_import")
EXPORT = reverse("admin:programs_program_export")
CSV_FORMAT, XLSX_FORMAT = "0", "1"
PAGE = "https://example.edu/ms-clinical-ai"


def csv_file(rows, name="programs.csv", encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), "text/csv")


def xlsx_file(sheets, name="catalogue.xlsx"):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append(list(rows[0]))
        for row in rows:
            sheet.append(list(row.values()))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def institution():
    return make_institution(name="Example University", slug="example-university")


def row(**fields):
    return {
        "slug": "ms-clinical-ai",
        "institution": "example-university",
        "title": "MS in Clinical AI",
        "degree_type": "ms",
        "delivery_format": "online",
        "tuition_total": "42000",
        "gre": "not_required",
        "source title": "MS in Clinical AI",
        "source publisher": "Example University",
        "source URL": PAGE,
        "as of": "2026-09-01",
        "checked on": "2026-12-01",
        **fields,
    }


def preview(client, upload, format=CSV_FORMAT):
    return client.post(IMPORT, {"import_file": upload, "format": format, "resource": "0"})


def confirm(client, response):
    form = response.context["confirm_form"]
    return client.post(PROCESS, {name: form.initial[name] for name in form.fields}, follow=True)


def test_an_upload_is_previewed_and_saved_only_once_confirmed(admin_client, institution):
    response = preview(admin_client, csv_file([row()]))
    content = response.content.decode()
    assert "Preview: nothing is saved until you confirm" in content
    assert "1 new, 0 changed, 0 unchanged, 0 with errors." in content
    assert not Program.objects.exists() and not Source.objects.exists()
    confirm(admin_client, response)
    program = Program.objects.get()
    assert (program.title, program.delivery_format, program.gre) == (
        "MS in Clinical AI",
        "online",
        "not_required",
    )
    # New entries arrive as drafts unless the file says published.
    assert program.status == "draft"
    tuition = program.fact("tuition_total")
    assert tuition.text == "$42,000" and tuition.citation.source.url == PAGE
    assert str(tuition.citation.as_of) == "2026-09-01"
    assert program.fact("delivery_format").citation.source.url == PAGE


def test_rows_are_new_changed_with_old_and_new_or_unchanged(admin_client, institution):
    source = make_source(title="Old page", publisher="Example University", url=PAGE)
    kept = make_sourced_program(
        institution=institution, slug="kept", title="Kept MS", gre="optional", source=source
    )
    changed = make_sourced_program(
        institution=institution, slug="changed", title="Changed MS", gre="optional", source=source
    )
    Citation.objects.update(as_of="2026-09-01", checked_on="2026-12-01")
    rows = [
        row(slug="kept", title="Kept MS", gre="optional", source=PAGE),
        row(slug="changed", title="Changed MS", gre="required", source=PAGE),
        row(slug="fresh", title="Fresh MS", source=PAGE),
    ]
    for entry in rows:
        for column in ("source title", "source publisher", "source URL", "delivery_format"):
            entry.pop(column)
        entry.pop("tuition_total")
    content = preview(admin_client, csv_file(rows)).content.decode()
    assert "1 new, 1 changed, 1 unchanged, 0 with errors." in content
    assert "<strong>gre</strong>: optional → required" in content
    assert kept.gre == "optional" and Program.objects.get(pk=changed.pk).gre == "optional"


def test_the_preview_lists_what_would_change_first_and_folds_the_rest(admin_client, institution):
    source = make_source(title="Old page", publisher="Example University", url=PAGE)
    for n in range(5):
        make_sourced_program(
            institution=institution,
            slug=f"kept-{n}",
            title=f"Kept {n}",
            gre="optional",
            source=source,
        )
    Citation.objects.update(as_of="2026-09-01", checked_on="2026-12-01")
    rows = [row(slug=f"kept-{n}", title=f"Kept {n}", gre="optional", source=PAGE) for n in range(5)]
    rows[3]["gre"] = "required"  # the one change, row 5 of the file
    for entry in rows:
        for column in ("source title", "source publisher", "source URL", "delivery_format"):
            entry.pop(column)
        entry.pop("tuition_total")
    content = preview(admin_client, csv_file(rows)).content.decode()
    assert "0 new, 1 changed, 4 unchanged, 0 with errors." in content
    changed = content.index("What importing the file would change")
    folded = content.index('<details class="import-unchanged">')
    assert changed < content.index("<td>5</td>") < folded
    assert "<summary>4 unchanged rows</summary>" in content
    assert content.index("<td>2</td>") > folded  # the unchanged rows, folded, in file order


def test_one_wrong_row_saves_nothing_and_is_named_by_row_and_column(admin_client, institution):
    rows = [row(slug="good"), row(slug="bad", tuition_total="forty thousand", gre="maybe")]
    response = preview(admin_client, csv_file(rows))
    content = response.content.decode()
    assert "Nothing was imported: some rows need correcting" in content
    assert "Row 3, column “tuition_total”: “forty thousand” is not a number" in content
    assert "Row 3, column “gre”: “maybe” is not one of: not_required, optional, required." in (
        content
    )
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert not Program.objects.exists()


def test_a_fact_with_a_value_needs_a_source(admin_client, institution):
    entry = row()
    for column in ("source title", "source publisher", "source URL"):
        entry.pop(column)
    content = preview(admin_client, csv_file([entry])).content.decode()
    assert "Row 2, column “delivery_format”: Has a value but no source" in content
    assert not Program.objects.exists()


def test_one_fact_can_cite_its_own_source_and_date(admin_client, institution):
    entry = row(
        **{
            "tuition_total source": "https://example.edu/tuition",
            "tuition_total as of": "2025-09-01",
            "tuition_total note": "The 2025-26 rate.",
        }
    )
    make_source(title="Tuition", publisher="Example University", url="https://example.edu/tuition")
    confirm(admin_client, preview(admin_client, csv_file([entry])))
    program = Program.objects.get()
    tuition = program.fact("tuition_total").citation
    assert (tuition.source.url, str(tuition.as_of), tuition.note) == (
        "https://example.edu/tuition",
        "2025-09-01",
        "The 2025-26 rate.",
    )
    assert program.fact("gre").citation.source.url == PAGE


@pytest.mark.parametrize("fmt", [CSV_FORMAT, XLSX_FORMAT])
def test_exporting_and_importing_again_reports_no_changes(admin_client, institution, fmt):
    source = make_source(title="Page", publisher="Example University", url=PAGE)
    other = make_source(title="Tuition", publisher="Example University", url=PAGE + "/tuition")
    program = make_sourced_program(
        institution=institution,
        slug="round-trip",
        delivery_format="hybrid",
        paces="full_time,part_time",
        months_part_time=30,
        statistics_prerequisite=True,
        source=source,
    )
    program.tuition_total = 51000
    program.save()
    cite(program, "tuition_total", other)
    response = admin_client.post(EXPORT, {"format": fmt, "resource": "0"})
    assert response.status_code == 200
    upload = SimpleUploadedFile(
        "programs.xlsx" if fmt == XLSX_FORMAT else "programs.csv", response.content
    )
    if fmt == XLSX_FORMAT:
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        assert book.sheetnames == ["Programs", "Sources"]
    content = preview(admin_client, upload, fmt).content.decode()
    assert "0 new, 0 changed, 1 unchanged, 0 with errors." in content and "No changes." in content


def test_a_program_exported_changed_in_a_spreadsheet_and_imported_back(admin_client, institution):
    source = make_source(title="Page", publisher="Example University", url=PAGE)
    make_sourced_program(institution=institution, slug="edit-me", gre="optional", source=source)
    exported = admin_client.post(EXPORT, {"format": XLSX_FORMAT, "resource": "0"}).content
    book = openpyxl.load_workbook(io.BytesIO(exported))
    sheet = book["Programs"]
    headers = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=headers.index("gre") + 1, value="required")
    buffer = io.BytesIO()
    book.save(buffer)
    response = preview(admin_client, SimpleUploadedFile("p.xlsx", buffer.getvalue()), XLSX_FORMAT)
    assert "<strong>gre</strong>: optional → required" in response.content.decode()
    confirm(admin_client, response)
    assert Program.objects.get(slug="edit-me").gre == "required"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: csv_file([row(title="Café clinique")], encoding="latin-1"),
            "This file is not UTF-8 text.",
        ),
        (lambda: csv_file([{k: v for k, v in row().items() if k != "title"}]), "Missing columns"),
        (lambda: csv_file([row(colour="blue")]), "Unknown columns: “colour”"),
        (lambda: csv_file([row(title="=HYPERLINK(1)")]), "a formula"),
        (lambda: csv_file([row(), row()]), "Rows 2 and 3 are the same entry"),
    ],
    ids=["encoding", "missing-column", "unknown-column", "formula", "repeated-row"],
)
def test_a_bad_file_gets_a_clear_message_and_saves_nothing(
    admin_client, institution, upload, message
):
    content = preview(admin_client, upload()).content.decode()
    assert message in content
    assert not Program.objects.exists() and not Source.objects.exists()


def test_an_unknown_slug_is_named(admin_client, institution):
    content = preview(
        admin_client, csv_file([row(institution="nowhere", specializations="no-such-area")])
    ).content.decode()
    assert "Row 2, column “institution”: No institution with the slug “nowhere”." in content
    assert "Row 2, column “specializations”: No specialization with the slug “no-such-area”" in (
        content
    )
    assert not Program.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(admin_client, settings):
    settings.IMPORT_MAX_BYTES = 5 * 1024 * 1024
    upload = SimpleUploadedFile("big.csv", b"slug,title\n" + b"x" * (10 * 1024 * 1024))
    content = preview(admin_client, upload).content.decode()
    assert "This file is 10.5 MB; the limit is 5 MB." in content
    assert not Program.objects.exists()


def test_a_formula_in_a_workbook_is_seen_not_its_value(admin_client, institution):
    upload = xlsx_file({"Programs": [row(tuition_total="=40000+2000")]})
    content = preview(admin_client, upload, XLSX_FORMAT).content.decode()
    assert "Row 2, column “tuition_total”: a formula" in content
    assert not Program.objects.exists()


def test_the_command_line_imports_a_workbook_of_several_kinds(tmp_path, capsys):
    sheets = {
        "Institutions": [{"slug": "cli-u", "name": "CLI University", "country": "United States"}],
        "Programs": [
            row(
                slug="cli-ms",
                institution="cli-u",
                status="published",
                published_at="2026-12-01T00:00:00Z",
                source="page",
            )
        ],
        "Sources": [
            {
                "key": "page",
                "title": "CLI MS",
                "author": "",
                "publisher": "CLI U",
                "year": "",
                "url": PAGE,
            }
        ],
    }
    for name in ("source title", "source publisher", "source URL"):
        sheets["Programs"][0].pop(name)
    path = tmp_path / "catalogue.xlsx"
    path.write_bytes(xlsx_file(sheets).read())
    call_command("import_catalogue", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "Institutions: 1 new, 0 changed, 0 unchanged." in out
    assert "Programs: 1 new, 0 changed, 0 unchanged." in out
    assert "Dry run: nothing was saved." in out
    assert not Institution.objects.filter(slug="cli-u").exists()
    call_command("import_catalogue", str(path))
    program = Program.objects.get(slug="cli-ms")
    assert program.is_public and program.fact("tuition_total").citation.source.title == "CLI MS"


def test_the_command_line_says_what_is_wrong_and_saves_nothing(tmp_path, institution):
    path = tmp_path / "programs.csv"
    path.write_bytes(csv_file([row(slug="a"), row(slug="b", gre="maybe")]).read())
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_catalogue", str(path))
    assert not Program.objects.exists()
