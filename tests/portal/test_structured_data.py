"""Structured data (JSON-LD) on every kind of page, from the facts the page shows: parsed, with
the properties schema.org and the search engines ask for, and nothing that is not reported."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.test import Client

from careers.models import ProgramCareer
from tests.factories import (
    cite,
    make_career,
    make_certification,
    make_institution,
    make_program,
    make_source,
)

pytestmark = pytest.mark.django_db


def blocks(url):
    page = Client().get(url).content.decode()
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return {block["@type"]: block for block in map(json.loads, found)}


def test_a_program_from_its_reported_facts(settings):
    institution = make_institution(
        name="Harbor University", website="https://www.harbor.edu", city="Boston"
    )
    program = make_program(
        institution=institution,
        title="MS in Clinical AI",
        tuition_total=Decimal("48000"),
        months_full_time=24,
        delivery_format="online",
        application_deadline=datetime.date(2027, 1, 15),
        min_gpa=Decimal("3.0"),  # no source: not reported, so left out
    )
    source = make_source()
    for name in ["tuition_total", "months_full_time", "delivery_format", "application_deadline"]:
        cite(program, name, source)
    career = make_career(title="Clinical data scientist", soc_code="15-2051")
    ProgramCareer.objects.create(program=program, career=career)

    data = blocks(program.get_absolute_url())["EducationalOccupationalProgram"]

    assert data["@context"] == "https://schema.org"
    assert data["name"] == "MS in Clinical AI"
    assert data["url"] == f"http://testserver{program.get_absolute_url()}"
    assert data["provider"]["@type"] == "CollegeOrUniversity"
    assert data["provider"]["name"] == "Harbor University"
    assert data["provider"]["address"]["addressLocality"] == "Boston"
    assert data["timeToComplete"] == "P24M"
    assert data["educationalProgramMode"] == "online"
    assert data["offers"] == {
        "@type": "Offer",
        "category": "Total tuition",
        "price": "48000.00",
        "priceCurrency": "USD",
    }
    assert data["applicationDeadline"] == "2027-01-15"
    assert data["occupationalCategory"] == ["15-2051"]
    assert "programPrerequisites" not in data  # the GPA has no source


def test_nothing_unreported_is_claimed():
    program = make_program(title="Bare MS", tuition_total=Decimal("1"))  # uncited
    data = blocks(program.get_absolute_url())["EducationalOccupationalProgram"]
    assert set(data) == {"@context", "@type", "name", "url", "provider"}


def test_a_career_with_its_pay_as_a_distribution():
    career = make_career(
        title="Health data analyst",
        soc_code="15-2051",
        median_salary=Decimal("100000"),
        salary_low=Decimal("60000"),
        salary_high=Decimal("150000"),
    )
    for name in ["median_salary", "salary_low", "salary_high"]:
        cite(career, name, make_source())

    data = blocks(career.get_absolute_url())["Occupation"]

    assert data["name"] == "Health data analyst"
    assert data["occupationalCategory"] == "15-2051"
    assert data["occupationLocation"] == {"@type": "Country", "name": "US"}
    (salary,) = data["estimatedSalary"]
    assert salary["@type"] == "MonetaryAmountDistribution"
    assert (salary["currency"], salary["duration"]) == ("USD", "P1Y")
    assert (salary["percentile10"], salary["median"], salary["percentile90"]) == (
        60000.0,
        100000.0,
        150000.0,
    )


def test_a_certification_an_institution_the_home_page_and_breadcrumbs():
    certification = make_certification(name="CPHIMS")
    data = blocks(certification.get_absolute_url())
    assert data["EducationalOccupationalCredential"]["name"] == "CPHIMS"

    program = make_program()
    institution = blocks(program.institution.get_absolute_url())["CollegeOrUniversity"]
    assert institution["name"] == program.institution.name

    home = blocks("/")["WebSite"]
    action = home["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == "http://testserver/search/?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"

    trail = blocks(program.get_absolute_url())["BreadcrumbList"]["itemListElement"]
    assert [item["name"] for item in trail][:2] == ["Home", "Programs"]
    assert trail[2]["item"] == f"http://testserver{program.get_absolute_url()}"
    assert [item["position"] for item in trail] == [1, 2, 3]
    for url in ["/", "/programs/", "/careers/", "/about/", "/institutions/"]:
        assert "BreadcrumbList" in blocks(url), url


def test_no_text_can_close_the_script_element():
    program = make_program(title="MS </script><script>alert(1)</script>")
    page = Client().get(program.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in page
    data = blocks(program.get_absolute_url())["EducationalOccupationalProgram"]
    assert data["name"] == "MS </script><script>alert(1)</script>"
