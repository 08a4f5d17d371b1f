"""Editors manage careers, certifications and their links in the admin."""

import pytest
from django.urls import reverse

from careers.models import Career, ProgramCareer
from tests.factories import make_career, make_program, make_source

pytestmark = pytest.mark.django_db

CITATIONS = "portal-citation-content_type-object_id"


def career_form(**overrides):
    return {
        "title": "Clinical AI analyst",
        "slug": "clinical-ai-analyst",
        "status": "draft",
        "currency": "USD",
        "program_links-TOTAL_FORMS": "0",
        "program_links-INITIAL_FORMS": "0",
        f"{CITATIONS}-TOTAL_FORMS": "0",
        f"{CITATIONS}-INITIAL_FORMS": "0",
        **overrides,
    }


def test_a_career_figure_without_a_source_is_refused(admin_client):
    response = admin_client.post(
        reverse("admin:careers_career_add"), career_form(graduate_share="28")
    )
    assert "These facts have a value but no source" in response.content.decode()
    assert not Career.objects.exists()


def test_a_career_is_saved_with_its_program_links_and_sources(admin_client):
    program = make_program()
    source = make_source()
    response = admin_client.post(
        reverse("admin:careers_career_add"),
        career_form(
            graduate_share="28",
            **{
                "program_links-TOTAL_FORMS": "1",
                "program_links-0-program": program.pk,
                "program_links-0-note": "Named by the article",
                f"{CITATIONS}-TOTAL_FORMS": "1",
                f"{CITATIONS}-0-field": "graduate_share",
                f"{CITATIONS}-0-source": source.pk,
                f"{CITATIONS}-0-as_of": "2026-01-01",
                f"{CITATIONS}-0-checked_on": "2026-12-01",
            },
        ),
    )
    assert response.status_code == 302
    career = Career.objects.get()
    assert career.fact("graduate_share").text == "28%"
    assert ProgramCareer.objects.get().program == program


def test_growth_needs_the_year_its_projection_runs_to(admin_client):
    response = admin_client.post(
        reverse("admin:careers_career_add"), career_form(growth_percent="42")
    )
    assert "Give the year the growth projection runs to." in response.content.decode()


def test_salary_range_must_be_ordered(admin_client):
    response = admin_client.post(
        reverse("admin:careers_career_add"), career_form(salary_low="165000", salary_high="125000")
    )
    assert "The high end must not be below the low end." in response.content.decode()


def test_program_admin_edits_the_careers_it_prepares_for(admin_client):
    program = make_program()
    career = make_career()
    ProgramCareer.objects.create(program=program, career=career, note="Original")
    content = admin_client.get(
        reverse("admin:programs_program_change", args=[program.pk])
    ).content.decode()
    assert "Careers it prepares for" in content
    assert 'value="Original"' in content
