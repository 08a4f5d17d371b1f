"""Comparing programs: the table, its sources, highlighting, edge cases, CSV and queries."""

# Pages are read as readers see them: without the invisible soft hyphens that let long words
# wrap at their syllables (core/templatetags/words.py).

import csv
import io
from decimal import Decimal

import pytest
from django.core.cache import cache

from careers.models import EligibilityPathway, ProgramCareer
from programs.models import FieldOfStudy
from tests.factories import (
    cite,
    make_career,
    make_certification,
    make_program,
    make_source,
    make_sourced_program,
    make_specialization,
)

pytestmark = pytest.mark.django_db

URL = "/programs/compare/"


def sourced(title, source, **figures):
    program = make_program(title=title, **figures)
    for name in figures:
        if name in program.sourced_fields:
            cite(program, name, source)
    return program


@pytest.fixture
def trio():
    source = make_source(title="Program catalogue 2026", publisher="Example Board")
    return [
        sourced(
            "Alpha MS",
            source,
            tuition_total=Decimal("40000"),
            months_part_time=30,
            completion_rate=Decimal("89"),
            delivery_format="online",
        ),
        sourced(
            "Beta MS",
            source,
            tuition_total=Decimal("60000"),
            months_part_time=24,
            delivery_format="online",
        ),
        sourced("Gamma MS", source, tuition_total=Decimal("45000"), completion_rate=Decimal("76")),
    ]


def params(*programs, **extra):
    return {"p": [program.slug for program in programs], **extra}


def row(content, label):
    """The HTML of the table row whose header starts with `label`."""
    start = content.index(f'<th scope="row">{label}')
    return content[start : content.index("</tr>", start)]


def test_comparison_shows_one_column_per_program_in_the_order_asked(client, trio):
    alpha, _beta, gamma = trio
    content = client.get(URL, params(gamma, alpha)).content.decode().replace("\u00ad", "")
    assert content.index(">Gamma MS</bdi></a>") < content.index(">Alpha MS</bdi></a>")
    assert ">Beta MS</bdi></a>" not in content
    assert "<caption" in content and "Programs side by side" in content
    assert '<th scope="col"><a href="' + gamma.get_absolute_url() in content
    # The groups of the program page, in its order (Program.facts), then the links.
    groups = [
        "Overview",
        "Admission and prerequisites",
        "Curriculum",
        "Cost and duration",
        "Outcomes",
        "Accreditation",
        "Careers and certifications",
    ]
    headings = [f'<th scope="colgroup" colspan="3">{group}</th>' for group in groups]
    positions = [content.index(heading) for heading in headings]
    assert positions == sorted(positions)


def test_each_figure_keeps_its_source_as_a_numbered_note(client, trio):
    alpha, beta, _ = trio
    content = client.get(URL, params(alpha, beta)).content.decode().replace("\u00ad", "")
    tuition = row(content, "Total tuition")
    assert '$40,000 <a class="note-ref" href="#source-1">' in tuition
    assert "$60,000" in tuition
    assert '<li id="source-1" value="1">' in content
    assert "<cite><bdi>Program catalogue 2026</bdi></cite>" in content
    # The same source and date is one note, however many cells cite it.
    assert 'id="source-2"' not in content


def test_a_missing_value_reads_not_reported(client, trio):
    alpha, beta, _ = trio
    completion = row(
        client.get(URL, params(alpha, beta)).content.decode().replace("\u00ad", ""),
        "Completion rate",
    )
    assert "89%" in completion
    assert '<td class="not-reported">Not reported</td>' in completion


def test_without_highlight_nothing_is_marked(client, trio):
    content = client.get(URL, params(*trio)).content.decode().replace("\u00ad", "")
    assert "Differs" not in content
    assert 'class="best"' not in content
    assert "?p=" in content and "highlight=1" in content  # the link to highlight


def test_highlight_marks_rows_whose_known_values_differ_and_the_best_value(client, trio):
    alpha, beta, gamma = trio
    content = (
        client.get(URL, params(alpha, beta, gamma, highlight="1"))
        .content.decode()
        .replace("\u00ad", "")
    )
    tuition = row(content, "Total tuition")
    assert '<span class="badge">Differs</span>' in tuition
    assert '<td class="best">$40,000' in tuition
    assert tuition.count("Lowest") == 1
    part_time = row(content, "Duration part-time")
    assert '<td class="best">24 months' in part_time and "Shortest" in part_time
    completion = row(content, "Completion rate")
    assert '<td class="best">89%' in completion and "Highest" in completion
    assert "Stop highlighting differences" in content


def test_an_unknown_value_is_not_a_difference(client, trio):
    alpha, beta, _ = trio
    # Alpha and Beta are both online; Gamma's format is not reported.
    both_online = row(
        client.get(URL, params(alpha, beta, highlight="1")).content.decode().replace("\u00ad", ""),
        "Format",
    )
    assert "Differs" not in both_online
    with_unknown = (
        client.get(URL, params(alpha, trio[2], highlight="1"))
        .content.decode()
        .replace("\u00ad", "")
    )
    assert "Differs" not in row(with_unknown, "Format")
    # Only one known completion rate among Alpha and Beta: no difference, no best.
    completion = row(
        client.get(URL, params(alpha, beta, highlight="1")).content.decode().replace("\u00ad", ""),
        "Completion rate",
    )
    assert "Differs" not in completion and "Highest" not in completion


def test_equal_known_values_are_not_a_difference_and_have_no_best(client):
    source = make_source()
    first = sourced("One", source, tuition_total=Decimal("50000"))
    second = sourced("Two", source, tuition_total=Decimal("50000"))
    tuition = row(
        client.get(URL, params(first, second, highlight="1"))
        .content.decode()
        .replace("\u00ad", ""),
        "Total",
    )
    assert "Differs" not in tuition and "Lowest" not in tuition


def test_best_is_not_marked_across_currencies(client):
    source = make_source()
    dollars = sourced("Dollars", source, tuition_total=Decimal("40000"))
    euros = sourced("Euros", source, tuition_total=Decimal("30000"), currency="EUR")
    tuition = row(
        client.get(URL, params(dollars, euros, highlight="1"))
        .content.decode()
        .replace("\u00ad", ""),
        "Total",
    )
    assert "Differs" in tuition
    assert "Lowest" not in tuition


def test_specializations_careers_and_certifications_rows(client):
    genomics = make_specialization("Genomics")
    first = make_sourced_program(title="First", specializations=[genomics])
    second = make_program(title="Second")
    ProgramCareer.objects.create(program=first, career=make_career(title="Data scientist"))
    ProgramCareer.objects.create(
        program=first, career=make_career(title="Hidden role", status="draft", published_at=None)
    )
    make_certification(name="CHDA cert").programs.add(second)
    content = (
        client.get(URL, params(first, second, highlight="1")).content.decode().replace("\u00ad", "")
    )
    assert '<td><bdi>Genomics</bdi> <a class="note-ref"' in row(content, "Specializations")
    careers = row(content, "Careers it prepares for")
    assert "Data scientist" in careers and "Hidden role" not in careers
    assert "CHDA cert" in row(content, "Certifications that complement it")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Choose two to four programs to compare."),
        ("?p=", "Choose two to four programs to compare."),
        (
            "?p=no-such-program",
            "Not found, so left out (unknown, or not published): “no-such-program”.",
        ),
        ("?p=" + "x" * 5000, "Not found, so left out"),
    ],
)
def test_empty_or_unknown_queries_explain_themselves(client, query, message):
    response = client.get(URL + query)
    assert response.status_code == 200
    content = response.content.decode().replace("\u00ad", "")
    assert message in content
    assert "<table" not in content
    assert 'href="/programs/">Browse programs</a>' in content


def test_one_program_is_shown_with_a_request_for_another(client, trio):
    content = client.get(URL, params(trio[0])).content.decode().replace("\u00ad", "")
    assert "Add at least one more program to compare it with." in content
    assert ">Alpha MS</bdi></a>" in content
    assert "Highlight differences" not in content


def test_duplicates_are_shown_once(client, trio):
    alpha, beta, _ = trio
    content = (
        client.get(URL, {"p": [alpha.slug, beta.slug, alpha.slug]})
        .content.decode()
        .replace("\u00ad", "")
    )
    assert f"Listed more than once, shown once: “{alpha.slug}”." in content
    assert content.count(">Alpha MS</bdi></a>") == 1


def test_more_than_four_shows_the_first_four(client, trio):
    extra = [make_program(title=f"Extra {n}") for n in range(2)]
    response = client.get(URL, params(*trio, *extra))
    content = response.content.decode().replace("\u00ad", "")
    assert "At most 4 programs fit side by side; showing the first 4." in content
    assert [c["title"] for c in response.context["comparison"].columns] == [
        "Alpha MS",
        "Beta MS",
        "Gamma MS",
        "Extra 0",
    ]


def test_draft_and_scheduled_programs_are_left_out_with_a_message(client, trio):
    import datetime

    from django.utils import timezone

    draft = make_program(title="Secret draft", status="draft", published_at=None)
    later = make_program(title="Later", published_at=timezone.now() + datetime.timedelta(days=1))
    content = (
        client.get(URL, params(trio[0], draft, later, trio[1]))
        .content.decode()
        .replace("\u00ad", "")
    )
    assert f"“{draft.slug}”, “{later.slug}”" in content
    assert "Secret draft" not in content and ">Later</a>" not in content
    assert ">Alpha MS</bdi></a>" in content and ">Beta MS</bdi></a>" in content


def test_the_table_is_accessible_and_scrolls_in_a_labelled_region(client, trio):
    content = client.get(URL, params(*trio)).content.decode().replace("\u00ad", "")
    assert (
        '<div class="table-scroll" role="region" aria-labelledby="compare-caption" tabindex="0">'
        in content
    )
    assert '<caption id="compare-caption">' in content
    assert content.count('<th scope="col">') == 3
    assert '<th scope="row">Total tuition' in content
    assert content.count("<h1") == 1


def test_the_page_links_to_its_csv_and_the_address_reproduces_it(client, trio):
    alpha, beta, _ = trio
    content = client.get(URL, params(alpha, beta)).content.decode().replace("\u00ad", "")
    assert f'href="/programs/compare.csv?p={alpha.slug}&amp;p={beta.slug}"' in content
    assert f'href="?p={alpha.slug}&amp;p={beta.slug}&amp;highlight=1"' in content


def test_csv_has_the_same_table_and_its_sources(client, trio):
    alpha, beta, _ = trio
    response = client.get("/programs/compare.csv", params(alpha, beta))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="program-comparison.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode().replace("\u00ad", ""))))
    assert rows[0] == [
        "Group",
        "Row",
        f"Alpha MS ({alpha.institution.name})",
        f"Beta MS ({beta.institution.name})",
    ]
    assert ["Cost and duration", "Total tuition", "$40,000 [1]", "$60,000 [1]"] in rows
    assert ["Outcomes", "Completion rate (%)", "89% [1]", "Not reported"] in rows
    header = ["Note", "Source", "Author", "Publisher", "Year", "URL", "As of", "Checked on"]
    notes = rows[rows.index([*header, "Remark"]) + 1 :]
    assert notes[0][:4] == ["[1]", "Program catalogue 2026", "", "Example Board"]
    citation = alpha.fact("tuition_total").citation
    assert notes[0][6:8] == [citation.as_of.isoformat(), citation.checked_on.isoformat()]


def compared_rows(client, *programs):
    response = client.get("/programs/compare.csv", params(*programs))
    return list(csv.reader(io.StringIO(response.content.decode().replace("\u00ad", ""))))


# OWASP's list: a spreadsheet may run a cell that starts with any of these.
@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil")',
        "+1+cmd|' /C calc'!A0",
        "-1+1+cmd|' /C calc'!A0",
        "-cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_csv_cells_cannot_run_as_spreadsheet_formulas(client, text):
    source = make_source(title=text, publisher=text)
    first = make_sourced_program(
        title=text, accepted_bachelor_fields=text, source=source, tuition_total=40000
    )
    second = make_program(title="Plain")
    rows = compared_rows(client, first, second)
    assert rows[0][2] == f"'{text} ({first.institution.name})"  # a title
    fields_row = next(row for row in rows if row[1:2] == ["Accepted bachelor's fields"])
    assert fields_row[2] == f"'{text} [1]"  # free text an editor typed, with its source
    note = next(row for row in rows if row[:1] == ["[1]"])
    assert note[1] == note[3] == f"'{text}"  # the source's title and publisher
    assert rows[0][3] == f"Plain ({second.institution.name})"  # plain text stays as it is


def test_csv_numbers_stay_numbers(client):
    first = make_sourced_program(tuition_total=40000, source=make_source(year=2026))
    rows = compared_rows(client, first, make_program())
    assert next(row for row in rows if row[:1] == ["[1]"])[4] == "2026"


def test_csv_with_nothing_to_compare_is_a_404(client):
    assert client.get("/programs/compare.csv").status_code == 404
    assert client.get("/programs/compare.csv?p=unknown").status_code == 404


@pytest.mark.usefixtures("warm_content_types")
def test_comparison_runs_the_same_queries_for_two_and_four_programs(
    client, django_assert_num_queries
):
    source = make_source()
    programs = []
    for n in range(4):
        program = sourced(f"P{n}", source, tuition_total=Decimal(n + 1), completion_rate=Decimal(n))
        program.specializations.add(make_specialization(f"Area {n}"))
        ProgramCareer.objects.create(program=program, career=make_career())
        make_certification().programs.add(program)
        field = FieldOfStudy.objects.create(name=f"Field {n}", slug=f"field-{n}")
        program.field_of_study = field
        program.save()
        make_career().fields_of_study.add(field)
        by_field = make_certification()
        by_field.fields_of_study.add(field)
        EligibilityPathway.objects.create(certification=by_field, minimum_education="master")
        programs.append(program)
    # 1. the programs with institutions and fields of study  2. career links with careers
    # 3. the careers of their fields  4. the certifications of their fields with issuers
    # 5. their routes to the exam  6. certifications with issuing bodies  7. specializations
    # 8. citations with sources  9. programmatic and 10. institutional accreditations with
    # accreditors
    with django_assert_num_queries(10):
        client.get(URL, params(*programs[:2], highlight="1"))
    with django_assert_num_queries(10):
        client.get(URL, params(*programs, highlight="1"))
    # The CSV of a comparison just shown comes from the cache; of a new one, the same queries.
    with django_assert_num_queries(0):
        client.get("/programs/compare.csv", params(*programs))
    cache.clear()
    # The same 10, and, the cache being cold, when the next scheduled entry is due.
    with django_assert_num_queries(11):
        client.get("/programs/compare.csv", params(*programs))
