"""Exact query counts: the same whatever the page size, the filters or the number of programs."""

from decimal import Decimal

import pytest

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
        ({}, 13),
        (
            {"format": "online", "specialization": "genomics", "sort": "-tuition", "q": "program"},
            18,
        ),
    ],
)
def test_list_page_query_count_is_fixed(client, django_assert_num_queries, count, params, queries):
    specializations = [make_specialization("Genomics"), make_specialization("Medical imaging")]
    make_catalogue(count, make_source(), specializations)
    # 1. specialization choices  2. accreditor choices  3. state choices
    # (with words to search for: the words that name filters, the synonyms and which of the
    # words the index knows, all three cached like the choices until content changes)
    # (with words: first the search's ranking of them, whose keys the other queries use)
    # then: count of matching programs; the page of programs with their institutions;
    # their specializations; their citations with sources; and one count per filter whose
    # options are counted, if it has options: format, specialization, state, pace, GRE and
    # programming background (6; no accreditor here); sorted by tuition, how old the listed
    # programs' tuition figures are (1)
    with django_assert_num_queries(queries):
        response = client.get("/programs/", params)
    assert len(response.context["page_obj"]) == min(count, 20)


def test_list_page_query_count_on_a_later_page(client, django_assert_num_queries):
    make_catalogue(45, make_source(), [make_specialization("Genomics")])
    # As on the first page: 7, and the 6 counted filters.
    with django_assert_num_queries(13):
        response = client.get("/programs/", {"page": "3"})
    assert len(response.context["page_obj"]) == 5


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
