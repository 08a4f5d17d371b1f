"""Comparing careers and certifications: rows that fit them, highlighting, CSV, queries."""

# Pages are read as readers see them: without the invisible soft hyphens that let long words
# wrap at their syllables (core/templatetags/words.py).

import csv
import io
from decimal import Decimal

import pytest

from careers.models import EligibilityPathway, IssuingBody, ProgramCareer, Skill
from tests.factories import cite, make_career, make_certification, make_program, make_source

pytestmark = pytest.mark.django_db


def row(content, label):
    start = content.index(f'<th scope="row">{label}')
    return content[start : content.index("</tr>", start)]


@pytest.fixture
def careers():
    source = make_source(title="Outlook handbook")
    python = Skill.objects.create(name="Python", slug="python")
    first = make_career(title="Data scientist", skills=[python], median_salary=Decimal("120000"))
    second = make_career(title="Analyst", growth_percent=Decimal("42"), growth_period_end=2029)
    third = make_career(title="Manager", median_salary=Decimal("150000"))
    for career in (first, third):
        cite(career, "median_salary", source)
    cite(second, "growth_percent", source)
    ProgramCareer.objects.create(program=make_program(title="MS in AI"), career=first)
    return first, second, third


def test_career_comparison_rows_and_highlight(client, careers):
    first, second, third = careers
    response = client.get(
        "/careers/compare/", {"c": [first.slug, second.slug, third.slug], "highlight": "1"}
    )
    content = response.content.decode().replace("\u00ad", "")
    assert "<h1>Compare careers</h1>" in content
    for group in ["The work", "Pay and outlook", "Getting in", "Programs and certifications"]:
        assert f">{group}</th>" in content
    salary = row(content, "Median annual salary")
    assert "Differs" in salary
    assert '<td class="best">$150,000' in salary and "Highest" in salary
    assert '<td class="not-reported">Not reported</td>' in salary
    assert "through 2029" in row(content, "Projection period")
    assert "MS in AI" in row(content, "Programs that prepare for it")
    assert "<cite><bdi>Outlook handbook</bdi></cite>" in content


def test_career_comparison_csv(client, careers):
    first, second, _ = careers
    response = client.get("/careers/compare.csv", {"c": [first.slug, second.slug]})
    rows = list(csv.reader(io.StringIO(response.content.decode().replace("\u00ad", ""))))
    assert rows[0] == ["Group", "Row", "Data scientist", "Analyst"]
    assert ["Pay and outlook", "Median annual salary", "$120,000 [1]", "Not reported"] in rows
    assert ["Pay and outlook", "Job outlook growth (%)", "Not reported", "42% [1]"] in rows
    assert any(r[:2] == ["[1]", "Outlook handbook"] for r in rows)


def test_career_comparison_edge_cases(client, careers):
    first = careers[0]
    draft = make_career(title="Draft role", status="draft", published_at=None)
    content = (
        client.get("/careers/compare/", {"c": [first.slug, draft.slug, first.slug]})
        .content.decode()
        .replace("\u00ad", "")
    )
    assert "Not found, so left out" in content and "Draft role" not in content
    assert "Listed more than once, shown once" in content
    assert "Add at least one more career to compare it with." in content
    assert "Choose two to four careers" in client.get("/careers/compare/").content.decode().replace(
        "\u00ad", ""
    )


@pytest.fixture
def certifications():
    source = make_source(title="Candidate handbooks")
    ahima = IssuingBody.objects.create(name="AHIMA", slug="ahima")
    cheap = make_certification(
        name="Cheap cert",
        acronym="CC",
        issuing_body=ahima,
        total_fee=Decimal("299"),
        renewal_years=2,
    )
    dear = make_certification(name="Dear cert", total_fee=Decimal("599"), renewal_years=2)
    for certification in (cheap, dear):
        cite(certification, "total_fee", source)
        cite(certification, "renewal_years", source)
    cite(cheap, "issuing_body", source)
    EligibilityPathway.objects.create(
        certification=cheap, minimum_education="bachelor", years_experience=3
    )
    EligibilityPathway.objects.create(
        certification=dear, minimum_education="master", degree_in_field_required=True
    )
    return cheap, dear


def test_certification_comparison_rows_and_highlight(client, certifications):
    cheap, dear = certifications
    content = (
        client.get("/certifications/compare/", {"c": [cheap.slug, dear.slug], "highlight": "1"})
        .content.decode()
        .replace("\u00ad", "")
    )
    assert "<h1>Compare certifications</h1>" in content
    fee = row(content, "Total fee (non-member)")
    assert '<td class="best">$299' in fee and "Lowest" in fee and "Differs" in fee
    renewal = row(content, "Renewal cycle")
    assert "Differs" not in renewal and "2 years" in renewal
    issuer = row(content, "Issuing body")
    assert (
        "<td><bdi>AHIMA</bdi> <a" in issuer
        and '<td class="not-reported">Not reported</td>' in issuer
    )
    assert "Bachelor&#x27;s degree + 3 years" in row(content, "Routes to eligibility")
    open_row = row(content, "Open without a degree in the field")
    assert "<td>Yes</td>" in open_row and "<td>No</td>" in open_row and "Differs" in open_row
    assert '<span class="subtitle"><bdi>AHIMA</bdi></span>' in content


def test_certification_comparison_csv(client, certifications):
    cheap, dear = certifications
    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/certifications/compare.csv", {"c": [cheap.slug, dear.slug]})
                .content.decode()
                .replace("\u00ad", "")
            )
        )
    )
    assert rows[0] == ["Group", "Row", "Cheap cert (CC) (AHIMA)", "Dear cert"]
    assert ["Cost, renewal and pay", "Total fee (non-member)", "$299 [1]", "$599 [1]"] in rows
    assert any(r[:2] == ["[1]", "Candidate handbooks"] for r in rows)


@pytest.mark.usefixtures("warm_content_types")
@pytest.mark.parametrize("kind", ["careers", "certifications"])
def test_comparison_runs_the_same_queries_for_two_and_four(client, django_assert_num_queries, kind):
    source = make_source()
    items = []
    for n in range(4):
        if kind == "careers":
            item = make_career(
                median_salary=n + 1, skills=[Skill.objects.create(name=f"S{n}", slug=f"s{n}")]
            )
            cite(item, "median_salary", source)
            ProgramCareer.objects.create(program=make_program(), career=item)
            make_certification().careers.add(item)
        else:
            item = make_certification(total_fee=n + 1)
            cite(item, "total_fee", source)
            item.careers.add(make_career())
            item.programs.add(make_program())
            EligibilityPathway.objects.create(certification=item, minimum_education="none")
        items.append(item)
    counts = []
    for chosen in (items[:2], items):
        # As the pages (tests/careers/test_queries.py), the careers without a field of study,
        # so without the query of its programs.
        with django_assert_num_queries(8 if kind == "careers" else 7) as captured:
            client.get(f"/{kind}/compare/", {"c": [i.slug for i in chosen], "highlight": "1"})
        counts.append(len(captured))
    assert counts[0] == counts[1]
