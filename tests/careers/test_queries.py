"""Exact query counts for career and certification pages, whatever the number of links."""

import pytest

from careers.models import EligibilityPathway, EmployerType, IssuingBody, ProgramCareer, Skill
from programs.models import FieldOfStudy
from tests.factories import cite, make_career, make_certification, make_program, make_source
from tests.pages import made_again

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_content_types")]


def linked_career(links):
    """A career with `links` of every relation its page shows, each figure cited, and the
    programs of a field of study it draws on."""
    source = make_source()
    career = make_career(median_salary=100000, growth_percent=10, growth_period_end=2030)
    cite(career, "median_salary", source)
    cite(career, "growth_percent", source)
    field = FieldOfStudy.objects.create(name="Health data science", slug="health-data-science")
    career.fields_of_study.add(field)
    for _ in range(links):
        make_program(field_of_study=field)
    for n in range(links):
        career.skills.add(Skill.objects.create(name=f"Skill {n}", slug=f"skill-{n}"))
        career.employer_types.add(EmployerType.objects.create(name=f"Employer {n}", slug=f"e-{n}"))
        career.related_careers.add(make_career())
        ProgramCareer.objects.create(program=make_program(), career=career, note="Note")
        certification = make_certification(
            issuing_body=IssuingBody.objects.create(name=f"Body {n}", slug=f"body-{n}")
        )
        certification.careers.add(career)
        certification.programs.add(make_program())
        EligibilityPathway.objects.create(certification=certification, minimum_education="none")
        cite(certification, "total_fee", source)
    return career


@pytest.mark.parametrize("links", [0, 1, 5])
def test_career_page_query_count_is_fixed(client, django_assert_num_queries, links):
    career = linked_career(links)
    # 1. the career  2. skills  3. employer types  4. citations with sources
    # 5. published related careers  6. links from published programs, with programs and
    # institutions  7. fields of study  8. their published programs with institutions
    # 9. published certifications with issuing bodies
    with django_assert_num_queries(9):
        response = client.get(career.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("links", [0, 1, 5])
def test_certification_page_query_count_is_fixed(client, django_assert_num_queries, links):
    career = linked_career(links)
    certification = career.certifications.first() or make_certification()
    certification.fields_of_study.add(*career.fields_of_study.all())
    for n in range(links):
        certification.careers.add(make_career())
        certification.programs.add(make_program())
        certification.skills.add(Skill.objects.create(name=f"Other {n}", slug=f"other-{n}"))
    # 1. the certification with its issuing body  2. skills  3. eligibility pathways
    # 4. citations with sources  5. published careers  6. published programs with institutions
    # 7. fields of study  8. their published programs with institutions
    with django_assert_num_queries(8):
        response = client.get(certification.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 4, 25])
def test_career_list_query_count_is_fixed(client, django_assert_num_queries, count):
    source = make_source()
    skill = Skill.objects.create(name="Python", slug="python")
    for _ in range(count):
        career = make_career(skills=[skill], median_salary=1)
        cite(career, "median_salary", source)
    made_again(client, "/careers/")
    # 1. when the next scheduled entry becomes public (the emptied cache lost it)  2. the
    # skill and employer-type choices (core.summaries)  3. count  4. the page of careers
    # 5. their skills  6. their citations with sources  7. the skills' counts (no employer
    # types here, so nothing to count for them)
    with django_assert_num_queries(7):
        client.get("/careers/", {"skill": "python", "sort": "salary"})


@pytest.mark.parametrize("count", [1, 4, 25])
def test_certification_list_query_count_is_fixed(client, django_assert_num_queries, count):
    source = make_source()
    body = IssuingBody.objects.create(name="Body", slug="body")
    for _ in range(count):
        certification = make_certification(issuing_body=body, total_fee=100, renewal_years=2)
        cite(certification, "total_fee", source)
    made_again(client, "/certifications/")
    # 1. when the next scheduled entry becomes public (the emptied cache lost it)  2. the
    # issuing-body and renewal-cycle choices (core.summaries)  3. count  4. the page of
    # certifications with issuing bodies  5. their citations with sources  6. the issuing
    # bodies' counts (the filter in use)  7. the renewal cycles' and "open without a
    # degree" counts, together
    with django_assert_num_queries(7):
        client.get("/certifications/", {"issuer": "body", "sort": "fee"})
