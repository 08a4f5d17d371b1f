"""The real catalogue the portal ships (portal/catalogue.xlsx), loaded by load_demo."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client

from careers.models import Career, Certification
from core.models import Citation
from core.spreadsheets import failed, report
from portal.catalogue import export_catalogue, import_catalogue
from programs.models import Institution, Program
from tests.pages import made_again
from tests.portal.test_demo_content import DEMO_MODELS

pytestmark = pytest.mark.django_db

ARTICLE_PROGRAMS = 0  # the article's three programs have no page of their own: drafts


@pytest.fixture
def catalogue():
    call_command("load_demo", stdout=io.StringIO())


def test_the_catalogue_holds_at_least_40_real_programs_at_30_institutions(catalogue):
    programs = Program.objects.published()
    assert programs.count() >= 40 + ARTICLE_PROGRAMS
    assert Institution.objects.filter(programs__in=programs).distinct().count() >= 30
    assert Career.objects.published().count() >= 7
    assert Certification.objects.published().count() >= 10

    # Every fact of the catalogue cites a page with an address and the day it was read; its
    # as-of date is the page's own (none where it states none), never the day it was read.
    article = "2026 AI Master's Degrees for Healthcare Professionals"
    citations = Citation.objects.exclude(source__title=article).select_related("source")
    assert citations.count() > 300
    for citation in citations:
        assert citation.source.url.startswith(("http://", "https://")), citation
        assert citation.checked_on, citation
        assert citation.as_of != citation.checked_on, citation
        assert "as read on" not in citation.note.lower(), citation

    # Every US institution of the catalogue has its accreditor, checked on a given day.
    institutions = Institution.objects.filter(country="United States").exclude(
        programs__citations__source__title__startswith="2026 AI"
    )
    assert institutions.count() >= 30
    for institution in institutions.prefetch_related("accreditations"):
        accreditations = list(institution.accreditations.all())
        assert accreditations, institution
        assert all(a.verified_on and a.url for a in accreditations), institution


def test_the_main_filters_return_programs_whose_facts_are_sourced(catalogue):
    for query, fact in [
        ({"format": ["online", "hybrid"]}, "delivery_format"),
        ({"no_programming_background": "on"}, "programming_background"),
        ({"pace": "part_time"}, None),
    ]:
        response = Client().get("/programs/", query)
        programs = list(response.context["page_obj"])
        assert len(programs) >= 5, query
        for program in programs:
            full = Program.objects.for_detail().get(pk=program.pk)
            if fact:
                assert full.fact(fact).reported, (program.slug, fact)
            else:
                paces = full.fact("paces").reported or full.fact("months_part_time").reported
                assert paces, program.slug


def test_loading_twice_leaves_the_same_rows_and_the_query_counts_stay(
    catalogue, django_assert_num_queries, warm_content_types
):
    before = {m._meta.label: list(m.objects.order_by("pk").values()) for m in DEMO_MODELS}
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    after = {m._meta.label: list(m.objects.order_by("pk").values()) for m in DEMO_MODELS}
    assert after == before
    assert "Programs: 0 new, 0 changed, 63 unchanged." in out.getvalue()
    assert "Pay by state: 0 new, 0 changed, 354 unchanged." in out.getvalue()

    # The same counts as with a handful of programs (test_queries.py): nothing per row; all
    # seven counted filters have options here (the accreditors too): when the next
    # scheduled entry becomes public, the choices, the count, the page and its
    # specializations and citations (6); the format's options (in use), then the other six
    # filters' (specializations, accreditors, state, pace, GRE, programming) together (2).
    made_again(Client(), "/programs/")
    with django_assert_num_queries(8):
        Client().get("/programs/", {"format": "online"})
    # A program whose field leads to careers and to a certification, as in test_queries.py.
    program = Program.objects.published().filter(field_of_study__certifications__isnull=False)
    program = program.order_by("pk").last()
    with django_assert_num_queries(12):  # as tests/programs/test_queries.py counts them
        Client().get(program.get_absolute_url())
    slugs = list(Program.objects.published().values_list("slug", flat=True)[:4])
    with django_assert_num_queries(10):  # as tests/programs/test_compare.py counts them
        Client().get("/programs/compare/", {"p": slugs})


def test_every_career_shows_its_may_2025_range_nationally_and_by_state(catalogue, tmp_path):
    may_2025 = datetime.date(2025, 5, 1)
    for career in Career.objects.published().prefetch_related("citations"):
        for name in ("salary_low", "median_salary", "salary_high", "employment"):
            fact = career.fact(name)
            assert fact.reported and fact.citation.as_of == may_2025, (career.slug, name)
        states = career.state_pay.prefetch_related("citations")
        assert states.count() >= 30, career.slug
        for row in states:
            median = row.fact("median_salary")
            if median.reported:
                assert median.citation.as_of == may_2025
                assert median.citation.source.url == "https://download.bls.gov/pub/time.series/oe/"
    ohio = Career.objects.get(slug="healthcare-data-scientist").pay_in("Ohio")
    assert (ohio.salary_low, ohio.median_salary, ohio.salary_high) == (61710, 102630, 160650)


def test_the_whole_catalogue_exports_and_imports_again_unchanged(catalogue, tmp_path):
    path = tmp_path / "catalogue.xlsx"
    export_catalogue(path)
    results = import_catalogue(path, dry_run=True)
    assert {sheet for sheet, _ in results} >= {"Programs", "Careers", "Pay by state"}
    for sheet, result in results:
        assert not failed(result), report(sheet, result)
        assert result.totals["new"] == result.totals["update"] == 0, report(sheet, result)
