"""Career and certification lists: every filter and sort, by what appears and what does not."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from careers.models import EligibilityPathway, EmployerType, IssuingBody, Skill
from tests.factories import make_career, make_certification

pytestmark = pytest.mark.django_db


def names(response):
    return [str(item) for item in response.context["page_obj"]]


def skill(name):
    return Skill.objects.create(name=name, slug=name.lower().replace(" ", "-"))


def employer(name):
    return EmployerType.objects.create(name=name, slug=name.lower().replace(" ", "-"))


# Careers


def test_career_list_shows_published_careers_by_name_with_count(client):
    make_career(title="Healthcare data scientist")
    make_career(title="Clinical AI analyst")
    make_career(title="Draft role", status="draft", published_at=None)
    make_career(title="Future role", published_at=timezone.now() + datetime.timedelta(days=1))
    response = client.get("/careers/")
    assert names(response) == ["Clinical AI analyst", "Healthcare data scientist"]
    content = response.content.decode()
    assert "2 careers match" in content
    assert "Draft role" not in content and "Future role" not in content


def test_career_search_matches_title_other_titles_and_summary(client):
    make_career(title="Clinical AI analyst")
    make_career(title="Data role", alternative_titles="Clinical data scientist\nML engineer")
    make_career(title="Product role", summary="Leads AI products in hospitals.")
    assert names(client.get("/careers/", {"q": "analyst"})) == ["Clinical AI analyst"]
    assert names(client.get("/careers/", {"q": "ML engineer"})) == ["Data role"]
    assert names(client.get("/careers/", {"q": "hospitals"})) == ["Product role"]


def test_career_minimum_salary_and_growth(client):
    make_career(title="High pay", median_salary=Decimal("150000"), growth_percent=Decimal("10"))
    make_career(title="Mid pay", median_salary=Decimal("120000"), growth_percent=Decimal("42"))
    make_career(title="Unknown")
    make_career(title="Paid in euros", median_salary=Decimal("200000"), currency="EUR")
    assert names(client.get("/careers/", {"min_salary": "125000"})) == ["High pay"]
    assert names(client.get("/careers/", {"min_salary": "120000"})) == ["High pay", "Mid pay"]
    assert names(client.get("/careers/", {"min_growth": "20"})) == ["Mid pay"]
    assert names(client.get("/careers/", {"min_growth": "-5"})) == ["High pay", "Mid pay"]


def test_career_skill_and_employer_filters(client):
    python, ethics = skill("Python programming"), skill("AI ethics")
    hospitals, agencies = employer("Hospitals"), employer("Government agencies")
    make_career(title="Coder", skills=[python], employer_types=[hospitals, agencies])
    make_career(title="Ethicist", skills=[ethics], employer_types=[agencies])
    make_career(title="Both", skills=[python, ethics])
    assert names(client.get("/careers/", {"skill": "python-programming"})) == ["Both", "Coder"]
    assert names(client.get("/careers/", {"employer": "government-agencies"})) == [
        "Coder",
        "Ethicist",
    ]
    assert names(client.get("/careers/", {"employer": "hospitals", "skill": "ai-ethics"})) == []


def test_career_sorts_put_unknown_figures_last(client):
    make_career(title="B", median_salary=100, growth_percent=30, graduate_share=24)
    make_career(title="A", median_salary=150, growth_percent=5, graduate_share=28)
    make_career(title="C")
    assert names(client.get("/careers/", {"sort": "salary"})) == ["A", "B", "C"]
    assert names(client.get("/careers/", {"sort": "growth"})) == ["B", "A", "C"]
    assert names(client.get("/careers/", {"sort": "share"})) == ["A", "B", "C"]
    assert names(client.get("/careers/", {"sort": "name"})) == ["A", "B", "C"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"min_salary": "lots"},
            "Minimum median salary (US$): Enter a number using digits only, such as 45000.",
        ),
        ({"min_growth": "-101"}, "Minimum job growth (%): Enter -100 or more."),
        ({"skill": "juggling"}, "Skill: That is not one of the options."),
        ({"q": "y" * 500}, "Search: Too long: at most 200 characters."),
    ],
)
def test_career_nonsense_values_are_reported_and_ignored(client, params, message):
    make_career(title="Still listed")
    response = client.get("/careers/", params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert names(response) == ["Still listed"]


def test_career_page_past_the_end_is_a_404(client):
    make_career()
    assert client.get("/careers/", {"page": "2"}).status_code == 404
    assert client.get("/careers/", {"page": "x"}).status_code == 404


def test_career_pagination_keeps_the_filters(client):
    python = skill("Python")
    for n in range(25):
        make_career(title=f"Role {n:02d}", skills=[python])
    first = client.get("/careers/", {"skill": "python"})
    assert len(names(first)) == 20
    assert 'href="?skill=python&amp;page=2"' in first.content.decode()
    assert names(client.get("/careers/", {"skill": "python", "page": "2"})) == [
        f"Role {n}" for n in range(20, 25)
    ]


# Certifications


def test_certification_list_shows_published_only(client):
    make_certification(name="Certified Health Data Analyst", acronym="CHDA")
    make_certification(name="Draft cert", status="draft", published_at=None)
    response = client.get("/certifications/")
    assert names(response) == ["Certified Health Data Analyst (CHDA)"]
    assert "Draft cert" not in response.content.decode()


def test_certification_search_and_issuer(client):
    ahima = IssuingBody.objects.create(
        name="American Health Information Management Association",
        abbreviation="AHIMA",
        slug="ahima",
    )
    make_certification(name="Data analyst cert", issuing_body=ahima)
    make_certification(name="Machine learning cert", acronym="CMLP")
    assert names(client.get("/certifications/", {"q": "ahima"})) == ["Data analyst cert"]
    assert names(client.get("/certifications/", {"q": "cmlp"})) == ["Machine learning cert (CMLP)"]
    assert names(client.get("/certifications/", {"issuer": "ahima"})) == ["Data analyst cert"]


def test_certification_maximum_fee_and_renewal(client):
    make_certification(name="Cheap", total_fee=Decimal("299"), renewal_years=2)
    make_certification(name="Dear", total_fee=Decimal("599"), renewal_years=3)
    make_certification(name="Unknown")
    assert names(client.get("/certifications/", {"max_fee": "300"})) == ["Cheap"]
    assert names(client.get("/certifications/", {"renewal": "3"})) == ["Dear"]
    content = client.get("/certifications/").content.decode()
    assert '<option value="2">Every 2 years (1)</option>' in content


def test_certification_open_without_a_degree_in_the_field(client):
    open_cert = make_certification(name="Open")
    EligibilityPathway.objects.create(
        certification=open_cert, minimum_education="bachelor", years_experience=3
    )
    EligibilityPathway.objects.create(
        certification=open_cert, minimum_education="master", degree_in_field_required=True
    )
    closed = make_certification(name="Closed")
    EligibilityPathway.objects.create(
        certification=closed, minimum_education="bachelor", degree_in_field_required=True
    )
    make_certification(name="Unknown eligibility")
    assert names(client.get("/certifications/", {"no_field_degree": "on"})) == ["Open"]


def test_certification_sorts(client):
    make_certification(name="B", total_fee=400, renewal_years=2, salary_effect_percent=10)
    make_certification(name="A", total_fee=100, renewal_years=3)
    make_certification(name="C", salary_effect_percent=34)
    assert names(client.get("/certifications/", {"sort": "fee"})) == ["A", "B", "C"]
    assert names(client.get("/certifications/", {"sort": "renewal"})) == ["A", "B", "C"]
    assert names(client.get("/certifications/", {"sort": "salary_effect"})) == ["C", "B", "A"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"max_fee": "cheap"},
            "Maximum total fee (US$): Enter a number using digits only, such as 45000.",
        ),
        ({"issuer": "nobody"}, "Issuing body: That is not one of the options."),
        ({"renewal": "forever"}, "Renewal cycle: That is not one of the options."),
    ],
)
def test_certification_nonsense_values_are_reported_and_ignored(client, params, message):
    make_certification(name="Still listed")
    response = client.get("/certifications/", params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert names(response) == ["Still listed"]
    assert client.get("/certifications/", {"page": "9"}).status_code == 404
