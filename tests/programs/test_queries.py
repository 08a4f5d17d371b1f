"""Exact query counts: the same whatever the page size, the filters or the number of programs."""

from decimal import Decimal

import pytest
from django.core.cache import cache

from tests.factories import (
    cite,
    make_career,
    make_certification,
    make_institution,
    make_program,
    make_review,
    make_source,
    make_specialization,
)
from tests.pages import made_again

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_content_types")]


def make_catalogue(count, source, specializations):
    for n in range(count):
        program = make_program(
            title=f"Program {n:03d}",
            institution=make_institution(state="Ohio"),
            specializations=specializations,
            delivery_format="online",
            tuition_total=Decimal(40000 + n),
            months_part_time=24,
        )
        cite(program, "tuition_total", source)
        cite(program, "months_part_time", source)


@pytest.mark.parametrize("count", [1, 5, 45])
@pytest.mark.parametrize(
    "params, queries",
    [
        ({}, 6),
        (
            {"format": "online", "specialization": "genomics", "sort": "-tuition", "q": "program"},
            13,
        ),
    ],
)
def test_list_page_query_count_is_fixed(client, django_assert_num_queries, count, params, queries):
    specializations = [make_specialization("Genomics"), make_specialization("Medical imaging")]
    make_catalogue(count, make_source(), specializations)
    made_again(client, "/programs/")
    # 1. when the next scheduled entry becomes public (the emptied cache lost it)
    # 2. the filters' choices (specializations, accreditors, states: core.summaries)
    # With no filter in use: 3. how many programs and each option's count (a summary too);
    # 4. the page of programs with their institutions  5. their specializations  6. their
    # citations with sources.
    # With filters (and words to search for): 3.-5. the words that name filters, the
    # synonyms and which of the words the index knows (cached like the choices until content
    # changes)  6. the search's ranking, whose keys the other queries use  7. the count of
    # matching programs  8.-10. the page, its specializations, its citations  11. the
    # options' counts of the filters not in use, together (state, pace, GRE, programming
    # background; the accreditors have none here)  12.-13. those of each filter in use
    # (format, specialization). Sorted by tuition, how old the page's tuition figures are
    # is read from the citations the page holds: no query.
    with django_assert_num_queries(queries):
        response = client.get("/programs/", params)
    assert len(response.context["page_obj"]) == min(count, 20)


def test_list_page_query_count_on_a_later_page(client, django_assert_num_queries):
    make_catalogue(45, make_source(), [make_specialization("Genomics")])
    made_again(client, "/programs/")
    # As on the first page.
    with django_assert_num_queries(6):
        response = client.get("/programs/", {"page": "3"})
    assert len(response.context["page_obj"]) == 5


def test_the_first_list_after_a_change_works_out_its_summaries_once(
    client, django_assert_num_queries
):
    make_catalogue(5, make_source(), [make_specialization("Genomics")])
    # 1. the summaries of this version: none yet  2. the content version  3.-5. the filters'
    # choices  6. when the next scheduled entry becomes public  7. the choices stored
    # 8. the whole list's summary: none yet  9. the content version  10. how many programs
    # 11. the options' counts (format, specialization, state, pace, GRE, programming
    # background: one query)  12. when the next entry becomes public  13. stored
    # 14.-16. the page of programs, their specializations, their citations
    with django_assert_num_queries(16):
        client.get("/programs/")
    cache.clear()
    # Then the 6 of every visit after it (test_list_page_query_count_is_fixed).
    with django_assert_num_queries(6):
        client.get("/programs/")


@pytest.mark.usefixtures("warm_content_types")
@pytest.mark.parametrize("links", [0, 1, 6])
def test_program_page_query_count_is_fixed_whatever_it_links_to(
    client, django_assert_num_queries, links
):
    """The one pin of the program page's queries: every kind of thing it shows, 0 to 6 each."""
    from careers.models import EligibilityPathway, IssuingBody, ProgramCareer
    from programs.models import Accreditation, Accreditor, Course, FieldOfStudy

    source = make_source()
    field = FieldOfStudy.objects.create(name="Health informatics", slug="health-informatics")
    program = make_program(
        tuition_total=Decimal(1), completion_rate=Decimal(50), field_of_study=field
    )
    # Its field leads to careers and certifications however many it links to by hand.
    for n in range(links + 1):
        make_career().fields_of_study.add(field)
        issuer = IssuingBody.objects.create(name=f"Issuer {n}", slug=f"issuer-{n}")
        certification = make_certification(issuing_body=issuer)
        certification.fields_of_study.add(field)
        EligibilityPathway.objects.create(certification=certification, minimum_education="master")
    for n in range(links):
        program.specializations.add(make_specialization(f"Area {n}"))
        Course.objects.create(program=program, title=f"Course {n}", position=n)
        accreditor = Accreditor.objects.create(
            name=f"Body {n}", slug=f"body-{n}", scope="programmatic"
        )
        Accreditation.objects.create(
            accreditor=accreditor, program=program, verified_on="2026-01-01"
        )
        Accreditation.objects.create(
            accreditor=accreditor, institution=program.institution, verified_on="2026-01-01"
        )
        ProgramCareer.objects.create(program=program, career=make_career(), note="n")
        make_certification(issuing_body=None).programs.add(program)
        make_review(program, rating_faculty=3)
    if links:
        cite(program, "tuition_total", source)
        cite(program, "completion_rate", source)
    # 1. the program with its institution and field of study  2. links to published careers,
    # with the careers  3. the published careers of its field  4. the published
    # certifications of its field  5. their routes to the exam  6. published certifications
    # with issuing bodies  7. specializations  8. courses  9. citations with sources
    # 10. programmatic accreditations with accreditors  11. the institution's accreditations
    # with accreditors  12. the page of public reviews (their number is kept on the program)
    with django_assert_num_queries(12):
        response = client.get(program.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('class="review"') == links
