"""Programs, careers and certifications link to each other, from both sides, drafts never."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from careers.models import EligibilityPathway, EmployerType, IssuingBody, ProgramCareer, Skill
from programs.models import FieldOfStudy
from tests.factories import cite, make_career, make_certification, make_program, make_source
from tests.pages import shown, source_of

pytestmark = pytest.mark.django_db

FUTURE = timezone.now() + datetime.timedelta(days=3)


@pytest.fixture
def network():
    """Two public programs, careers and certifications, all linked, plus hidden ones."""
    program = make_program(title="MS in Clinical AI")
    career = make_career(title="Clinical AI analyst")
    certification = make_certification(name="Certified Health Data Analyst", acronym="CHDA")
    ProgramCareer.objects.create(program=program, career=career, note="Capstone in a hospital.")
    certification.careers.add(career)
    certification.programs.add(program)

    draft_program = make_program(title="Draft program", status="draft", published_at=None)
    draft_career = make_career(title="Draft career", status="draft", published_at=None)
    scheduled_certification = make_certification(name="Scheduled cert", published_at=FUTURE)
    ProgramCareer.objects.create(program=draft_program, career=career)
    ProgramCareer.objects.create(program=program, career=draft_career)
    scheduled_certification.careers.add(career)
    scheduled_certification.programs.add(program)
    certification.careers.add(draft_career)
    certification.programs.add(draft_program)
    career.related_careers.add(draft_career)
    return program, career, certification


def test_program_page_links_to_its_careers_and_certifications(client, network):
    program, career, certification = network
    content = client.get(program.get_absolute_url()).content.decode()
    assert f'<a href="{career.get_absolute_url()}"><bdi>Clinical AI analyst</bdi></a>' in content
    assert "Capstone in a hospital." in content
    assert f'<a href="{certification.get_absolute_url()}">' in content
    assert "Draft career" not in content
    assert "Scheduled cert" not in content


def test_career_page_links_back_to_programs_and_certifications(client, network):
    program, career, certification = network
    content = client.get(career.get_absolute_url()).content.decode()
    assert f'<a href="{program.get_absolute_url()}"><bdi>MS in Clinical AI</bdi></a>' in content
    assert "Capstone in a hospital." in content
    link = f'<a href="{certification.get_absolute_url()}">'
    assert link + "<bdi>Certified Health Data Analyst (CHDA)</bdi></a>" in content
    assert "Draft program" not in content
    assert "Scheduled cert" not in content
    assert "Draft career" not in content


def test_certification_page_links_back_to_careers_and_programs(client, network):
    program, career, certification = network
    content = client.get(certification.get_absolute_url()).content.decode()
    assert f'<a href="{career.get_absolute_url()}"><bdi>Clinical AI analyst</bdi></a>' in content
    assert f'<a href="{program.get_absolute_url()}"><bdi>MS in Clinical AI</bdi></a>' in content
    assert "Draft program" not in content
    assert "Draft career" not in content


def test_related_careers_show_on_both_pages(client):
    first, second = make_career(title="First role"), make_career(title="Second role")
    first.related_careers.add(second)
    assert (
        f'href="{second.get_absolute_url()}"'
        in client.get(first.get_absolute_url()).content.decode()
    )
    assert (
        f'href="{first.get_absolute_url()}"'
        in client.get(second.get_absolute_url()).content.decode()
    )


def test_from_the_home_page_a_visitor_reaches_a_career_and_follows_each_link_back(client, network):
    program, career, certification = network
    home = client.get("/").content.decode()
    assert 'href="/careers/"' in home and 'href="/certifications/"' in home
    careers = client.get("/careers/").content.decode()
    assert f'href="{career.get_absolute_url()}"' in careers
    career_page = client.get(career.get_absolute_url()).content.decode()
    for target in (program, certification):
        assert f'href="{target.get_absolute_url()}"' in career_page
        back = client.get(target.get_absolute_url()).content.decode()
        assert f'href="{career.get_absolute_url()}"' in back


def test_drafts_and_scheduled_entries_are_a_404_for_the_public(client):
    for entry in (
        make_career(status="draft", published_at=None),
        make_career(published_at=FUTURE),
        make_certification(status="draft", published_at=None),
        make_certification(published_at=FUTURE),
    ):
        assert client.get(entry.get_absolute_url()).status_code == 404
    assert client.get("/careers/unknown/").status_code == 404
    assert client.get("/certifications/unknown/").status_code == 404


def test_staff_preview_draft_careers_and_certifications_with_a_banner(staff_client):
    for entry in (
        make_career(status="draft", published_at=None),
        make_certification(published_at=FUTURE),
    ):
        content = staff_client.get(entry.get_absolute_url()).content.decode()
        assert "only staff can see this page" in content


def test_career_page_shows_figures_with_sources_and_occupation_caveat(client):
    source = make_source(title="Occupational Outlook Handbook", publisher="BLS", year=2025)
    career = make_career(
        title="Healthcare data scientist",
        alternative_titles="Clinical data scientist",
        typical_tasks="Build models on health records\nExplain results to clinicians",
        soc_code="15-2051.00",
        soc_title="Data Scientists",
        soc_match="broad",
        median_salary=Decimal("112590"),
        salary_low=Decimal("61070"),
        salary_high=Decimal("194410"),
        growth_percent=Decimal("36"),
        growth_period_start=2023,
        growth_period_end=2033,
        entry_education="bachelor",
        skills=[Skill.objects.create(name="Machine learning", slug="machine-learning")],
        employer_types=[EmployerType.objects.create(name="Hospitals", slug="hospitals")],
    )
    for field in (
        "typical_tasks",
        "median_salary",
        "salary_low",
        "salary_high",
        "growth_percent",
        "entry_education",
    ):
        cite(career, field, source, as_of=datetime.date(2024, 5, 1))
    content = client.get(career.get_absolute_url()).content.decode()
    median = shown(content, "Median annual salary")
    assert "$112,590" in median
    assert "<cite><bdi>Occupational Outlook Handbook</bdi></cite>" in source_of(content, median)
    assert "as of May 2024" in source_of(content, median)
    # The pay range, drawn, with its numbers in a table.
    assert '<figure class="chart" aria-labelledby="chart-pay-' in content
    assert "Pay: low end $61,070; median $112,590; high end $194,410." in content
    assert "$61,070" in content and "$194,410" in content
    assert "36%" in content and "2023–2033" in content
    assert "15-2051.00 Data Scientists" in content
    assert "Broad: the nearest occupation only" in content
    assert "usually describe a wider occupation" in content
    assert "Also called: Clinical data scientist" in content
    assert "<li><bdi>Explain results to clinicians</bdi></li>" in content
    assert 'href="/careers/?skill=machine-learning"' in content
    assert 'href="/careers/?employer=hospitals"' in content
    assert "Bachelor&#x27;s degree" in content
    share = content.split("<dt>Share of AI-master&#x27;s graduates entering the role (%)</dt>", 1)[
        1
    ]
    assert "Not reported" in share.split("</dd>", 1)[0]


def test_certification_page_shows_eligibility_exam_fees_with_sources(client):
    from careers.models import EligibilityPathway

    source = make_source(title="Candidate handbook", publisher="AHIMA", year=2026)
    body = IssuingBody.objects.create(
        name="American Health Information Management Association",
        abbreviation="AHIMA",
        slug="ahima",
    )
    certification = make_certification(
        name="Certified Health Data Analyst",
        acronym="CHDA",
        issuing_body=body,
        exam_questions=120,
        exam_minutes=210,
        exam_delivery="both",
        total_fee=Decimal("399"),
        renewal_years=2,
        ce_hours=30,
    )
    EligibilityPathway.objects.create(
        certification=certification,
        minimum_education="bachelor",
        years_experience=3,
        description="Health data experience",
    )
    for field in (
        "issuing_body",
        "exam_questions",
        "exam_minutes",
        "exam_delivery",
        "total_fee",
        "renewal_years",
        "ce_hours",
    ):
        cite(certification, field, source)
    content = client.get(certification.get_absolute_url()).content.decode()
    assert "<h1><bdi>Certified Health Data Analyst</bdi> (<bdi>CHDA</bdi>)</h1>" in content
    assert 'href="/certifications/?issuer=ahima"' in content
    assert '<th scope="row">Bachelor&#x27;s degree</th>' in content
    assert "<td>3 years</td>" in content and "Health data experience" in content
    assert "120" in content and "210 minutes" in content and "$399" in content
    assert "2 years" in content and "30 hours" in content
    assert "At a test centre or online" in content
    member = content.split("<dt>Total fee (member)</dt>", 1)[1].split("</dd>", 1)[0]
    assert "Not reported" in member
    # Each of the 7 cited facts points to the one note naming the handbook, listed once.
    assert content.count('href="#source-1"') == 7
    assert content.count("<cite><bdi>Candidate handbook</bdi></cite>") == 1


@pytest.fixture
def fields():
    """Two fields of study; careers and a certification drawing on them; programs of each."""
    informatics = FieldOfStudy.objects.create(name="Health informatics", slug="hi")
    data = FieldOfStudy.objects.create(name="Health data science", slug="hds")
    specialist = make_career(title="Clinical informatics specialist")
    specialist.fields_of_study.add(informatics)
    scientist = make_career(title="Healthcare data scientist")
    scientist.fields_of_study.add(data, informatics)
    hidden = make_career(title="Draft role", status="draft", published_at=None)
    hidden.fields_of_study.add(informatics)
    mhi = make_program(title="Master of Health Informatics", field_of_study=informatics)
    mshds = make_program(title="MS in Health Data Science", field_of_study=data)
    draft = make_program(
        title="Draft MS", field_of_study=informatics, status="draft", published_at=None
    )
    chda = make_certification(name="Certified Health Data Analyst", acronym="CHDA")
    chda.fields_of_study.add(informatics)
    EligibilityPathway.objects.create(
        certification=chda, minimum_education="master", degree_in_field_required=True
    )
    EligibilityPathway.objects.create(
        certification=chda, minimum_education="bachelor", years_experience=5
    )
    return mhi, mshds, draft, specialist, scientist, chda


def test_a_program_leads_to_the_careers_of_its_field(client, fields):
    mhi, mshds, _, _, _, _ = fields
    content = client.get(mhi.get_absolute_url()).content.decode()
    careers = content.split('id="careers-heading"')[1].split("</section>")[0]
    assert "Clinical informatics specialist" in careers
    assert "Healthcare data scientist" in careers
    assert "Its field, health informatics, leads to this role." in careers
    assert "Draft role" not in careers
    other = client.get(mshds.get_absolute_url()).content.decode()
    assert "Clinical informatics specialist" not in other.split('id="careers-heading"')[1]


def test_a_career_lists_the_programs_of_its_fields_never_drafts(client, fields):
    _, _, _, _, scientist, _ = fields
    content = client.get(scientist.get_absolute_url()).content.decode()
    programs = content.split('id="programs-heading"')[1].split("</section>")[0]
    assert "Master of Health Informatics" in programs and "MS in Health Data Science" in programs
    assert "A degree in health data science." in programs
    assert "Draft MS" not in programs


def test_a_certification_lists_the_programs_whose_graduates_meet_a_route(client, fields):
    mhi, _, _, _, _, chda = fields
    content = client.get(chda.get_absolute_url()).content.decode()
    programs = content.split('id="programs-heading"')[1].split("</section>")[0]
    assert "Master of Health Informatics" in programs
    assert "A degree in health informatics. Graduates meet a route to the exam." in programs
    assert "MS in Health Data Science" not in programs and "Draft MS" not in programs
    page = client.get(mhi.get_absolute_url()).content.decode()
    listed = page.split('id="certifications-heading"')[1].split("</section>")[0]
    assert "Certified Health Data Analyst (CHDA)" in listed
    assert "Graduates meet a route to the exam." in listed


def test_a_route_that_asks_for_experience_says_how_much(fields):
    _, _, _, _, _, chda = fields
    chda.pathways.filter(minimum_education="master").delete()
    assert chda.graduate_route_text(in_field=True) == (
        "Graduates meet a route to the exam with 5 years of experience."
    )
    chda.pathways.update(minimum_education="doctorate")
    assert chda.graduate_route_text(in_field=True) == (
        "A master's degree alone does not open a route to the exam."
    )
