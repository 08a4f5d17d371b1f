"""Careers' pay and outlook from BLS's own workbooks: read in their layouts (built small here,
as BLS lays them out), previewed, cited to BLS with the period, refused in another layout."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from careers.models import Career
from tests.factories import cite, make_career, make_source

pytestmark = pytest.mark.django_db

OEWS_HEADERS = [
    "AREA", "AREA_TITLE", "AREA_TYPE", "PRIM_STATE", "NAICS", "NAICS_TITLE", "I_GROUP",
    "OWN_CODE", "OCC_CODE", "OCC_TITLE", "O_GROUP", "TOT_EMP", "EMP_PRSE", "JOBS_1000",
    "LOC_QUOTIENT", "PCT_TOTAL", "PCT_RPT", "H_MEAN", "A_MEAN", "MEAN_PRSE", "H_PCT10",
    "H_PCT25", "H_MEDIAN", "H_PCT75", "H_PCT90", "A_PCT10", "A_PCT25", "A_MEDIAN", "A_PCT75",
    "A_PCT90", "ANNUAL", "HOURLY",
]  # fmt: skip


def oews_row(code, title, group, employment, p10, median, p90):
    values = dict.fromkeys(OEWS_HEADERS, "")
    values.update(
        AREA="99", AREA_TITLE="U.S.", AREA_TYPE="1", PRIM_STATE="US", OCC_CODE=code,
        OCC_TITLE=title, O_GROUP=group, TOT_EMP=employment, A_PCT10=p10, A_MEDIAN=median,
        A_PCT90=p90,
    )  # fmt: skip
    return [values[h] for h in OEWS_HEADERS]


def oews_workbook(path, rows, period="May 2025", headers=OEWS_HEADERS):
    """A national OEWS workbook as BLS lays it out: the data sheet, then Field Descriptions."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "national_M2025_dl"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    notes = book.create_sheet("Field Descriptions")
    for line in [f"{period} OEWS Estimates", None, "Occupational Employment and Wage Statistics"]:
        notes.append([line])
    book.save(path)
    return path


EP_HEADERS = [
    "2024 National Employment Matrix title", "2024 National Employment Matrix code",
    "Occupation type", "Employment, 2024", "Employment, 2034",
    "Employment distribution, percent, 2024", "Employment distribution, percent, 2034",
    "Employment change, numeric, 2024–34", "Employment change, percent, 2024–34",
    "Percent self employed, 2024", "Occupational openings, 2024–34 annual average",
    "Median annual wage, dollars, 2024[1]", "Typical education needed for entry",
    "Work experience in a related occupation",
    "Typical on-the-job training needed to attain competency in the occupation",
    "Related Occupational Outlook Handbook (OOH) content xlsx",
]  # fmt: skip


def ep_workbook(path, rows, headers=EP_HEADERS):
    """occupation.xlsx as BLS lays it out: an index, then table 1.2 with its caption."""
    book = openpyxl.Workbook()
    book.active.title = "Index"
    book.active.append(["Occupation.xlsx contents"])
    table = book.create_sheet("Table 1.2")
    table.append(
        [
            "Table 1.2 Occupational projections, 2024–2034, and worker characteristics, 2024 "
            "(Employment in thousands)"
        ]
    )
    table.append(headers)
    table.append(["Total, all occupations", "00-0000", "Summary", 169956.1, 175167.9])
    for code, title, change, openings in rows:
        employment = [245.9, 328.3, 0.1, 0.2, 82.5]
        experience = "Less than 5 years" if code == "15-1211" else "None"
        characteristics = [112590, "Bachelor's degree", experience, "None", "OOH Content"]
        table.append([f"      {title}", code, "Line item", *employment, change, 1.8, openings,
                      *characteristics])  # fmt: skip
    table.append(["Footnotes:"])
    book.save(path)
    return path


def text_file(path, text):
    path.write_text(text)
    return path


@pytest.fixture
def careers():
    scientist = make_career(
        title="Healthcare data scientist", soc_code="15-2051.00", soc_match="close"
    )
    specialist = make_career(
        title="Clinical informatics specialist", soc_code="15-1211.01", soc_match="broad"
    )
    old = make_source(title="Occupational Outlook Handbook, 2021", url="https://www.bls.gov/ooh/x")
    scientist.median_salary = 100910
    scientist.save()
    cite(scientist, "median_salary", old, as_of=datetime.date(2021, 5, 1))
    unknown = make_career(title="Prompt engineer", soc_code="15-9999.00")
    return scientist, specialist, unknown


def output(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_wages_come_from_the_oews_file_cited_to_bls_for_their_period(tmp_path, careers):
    scientist, specialist, _ = careers
    path = oews_workbook(
        tmp_path / "national_M2025_dl.xlsx",
        [
            oews_row("15-0000", "Computer and Mathematical Occupations", "major", 5e6, 1, 2, 3),
            oews_row("15-1211", "Computer Systems Analysts", "detailed", 519530, 67340, 105850,
                     167710),
            oews_row("15-2051", "Data Scientists", "detailed", 262440, 67240, 120230, "#"),
        ],
    )  # fmt: skip
    preview = output("import_bls_wages", str(path), "--dry-run")
    assert "May 2025 national estimates: 2 occupations, cited as of 1 May 2025." in preview
    assert "Healthcare data scientist: median annual salary: $100,910 → $120,230" in preview
    assert "Clinical informatics specialist: annual pay, 10th percentile: (empty) → $67,340" in (
        preview
    )
    assert "Prompt engineer: the file has no occupation 15-9999; left as it is." in preview
    assert "Dry run: nothing was saved." in preview
    scientist.refresh_from_db()
    assert scientist.median_salary == Decimal("100910")

    assert "Saved." in output("import_bls_wages", str(path))
    scientist, specialist = (Career.objects.get(pk=c.pk) for c in (scientist, specialist))
    assert (specialist.salary_low, specialist.median_salary, specialist.salary_high) == (
        67340,
        105850,
        167710,
    )
    assert specialist.employment == 519530
    assert specialist.figures_occupation == "Computer Systems Analysts (15-1211)"
    median = specialist.fact("median_salary").citation
    assert median.source.publisher == "U.S. Bureau of Labor Statistics"
    assert median.source.url == "https://www.bls.gov/oes/tables.htm"
    assert "May 2025" in median.source.title
    assert median.as_of == datetime.date(2025, 5, 1)
    assert median.checked_on == datetime.date.today()
    # A wage at or above BLS's top-coded limit ("#") is not published: not reported, not guessed.
    assert scientist.salary_high is None and not scientist.fact("salary_high").reported
    assert scientist.fact("median_salary").citation.as_of == datetime.date(2025, 5, 1)


def test_the_career_page_shows_the_range_and_which_occupation_it_describes(
    client, tmp_path, careers
):
    _, specialist, _ = careers
    path = oews_workbook(
        tmp_path / "w.xlsx",
        [oews_row("15-1211", "Computer Systems Analysts", "detailed", 519530, 67340, 105850,
                  167710)],
    )  # fmt: skip
    call_command("import_bls_wages", str(path), stdout=io.StringIO())
    content = client.get(Career.objects.get(pk=specialist.pk).get_absolute_url()).content.decode()
    for text in (
        "$67,340",
        "$105,850",
        "$167,710",
        "519,530",
        "Computer Systems Analysts (15-1211)",
    ):
        assert text in content, text
    assert "Annual pay, 10th percentile" in content


def test_the_outlook_comes_from_table_1_2_with_its_period(tmp_path, careers):
    scientist, specialist, _ = careers
    path = ep_workbook(
        tmp_path / "occupation.xlsx",
        [("15-2051", "Data scientists", 33.5, 23.4), ("15-1211", "Computer systems analysts", 8.7,
                                                         34.2)],
    )  # fmt: skip
    preview = output("import_bls_projections", str(path), "--released", "2025-08-28", "--dry-run")
    assert "Employment Projections 2024–34" in preview and "cited as of 28 August 2025" in preview
    assert "Healthcare data scientist: job outlook growth (%): (empty) → 33.5%" in preview
    assert "projection from (year): (empty) → 2024" in preview
    output("import_bls_projections", str(path), "--released", "2025-08-28")
    scientist.refresh_from_db()
    assert scientist.growth_percent == Decimal("33.5")
    assert (scientist.growth_period_start, scientist.growth_period_end) == (2024, 2034)
    assert scientist.openings_per_year == 23400  # the table counts in thousands
    assert scientist.entry_education == "bachelor"
    assert scientist.entry_experience == "None in a related occupation"
    specialist.refresh_from_db()
    assert specialist.entry_experience == "Less than 5 years in a related occupation"
    assert specialist.fact("entry_experience").citation.as_of == datetime.date(2025, 8, 28)
    assert (
        scientist.fact("entry_education").citation.source.url
        == "https://www.bls.gov/emp/tables.htm"
    )
    growth = scientist.fact("growth_percent").citation
    assert growth.as_of == datetime.date(2025, 8, 28)
    assert growth.source.url == "https://www.bls.gov/emp/tables.htm"
    assert scientist.fact("growth_period_end").text == "2024–2034"


@pytest.mark.parametrize(
    ("make", "args", "message"),
    [
        (
            lambda path: oews_workbook(path, [], headers=["OCC_CODE", "OCC_TITLE"]),
            ["import_bls_wages"],
            "This is not an OEWS national file in BLS's layout: it lacks the columns “O_GROUP”",
        ),
        (
            lambda path: ep_workbook(path, [], headers=EP_HEADERS[:3]),
            ["import_bls_projections"],
            "This is not Employment Projections table 1.2 in BLS's layout: it lacks the columns",
        ),
        (
            lambda path: oews_workbook(path, []),
            ["import_bls_projections"],
            "This is not BLS's Employment Projections workbook: it has no sheet “Table 1.2”",
        ),
        (
            lambda path: text_file(path, "AREA,OCC_CODE\n99,15-2051\n"),
            ["import_bls_wages"],
            "This file is not an Excel workbook (.xlsx) that can be read.",
        ),
    ],
    ids=["oews-columns", "ep-columns", "ep-sheet", "not-a-workbook"],
)
def test_a_file_in_another_layout_is_refused_in_plain_words(tmp_path, careers, make, args, message):
    path = make(tmp_path / "file.xlsx")
    extra = ["--released", "2025-08-28"] if args[0] == "import_bls_projections" else []
    with pytest.raises(CommandError) as refused:
        call_command(*args, str(path), *extra, stdout=io.StringIO())
    assert message in str(refused.value)
    assert Career.objects.get(title="Healthcare data scientist").median_salary == 100910


def test_a_release_day_that_is_not_a_date_is_refused(tmp_path, careers):
    path = ep_workbook(tmp_path / "occupation.xlsx", [])
    with pytest.raises(CommandError, match="is not a date such as 2025-08-28"):
        call_command("import_bls_projections", str(path), "--released", "last summer")
