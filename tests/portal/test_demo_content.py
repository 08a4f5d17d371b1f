import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils.html import escape

from portal.models import Citation, Source, Statistic
from programs.models import (
    Accreditation,
    Accreditor,
    Course,
    Institution,
    Program,
    Specialization,
)

ARTICLE_TITLE = "2026 AI Master's Degrees for Healthcare Professionals"

DEMO_MODELS = [
    Source,
    Citation,
    Statistic,
    Specialization,
    Accreditor,
    Accreditation,
    Institution,
    Program,
    Program.specializations.through,
    Course,
]


def load_demo():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def all_rows():
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in DEMO_MODELS}


@pytest.fixture
def demo(db):
    load_demo()


@pytest.fixture
def article(demo):
    return Source.objects.get(title=ARTICLE_TITLE)


def test_running_the_loader_twice_leaves_the_same_rows(db):
    load_demo()
    first = all_rows()

    output = load_demo()

    assert all_rows() == first
    assert {label: len(rows) for label, rows in first.items()} == {
        "portal.Source": 1,
        "portal.Citation": Statistic.objects.count(),
        "portal.Statistic": Statistic.objects.count(),
        "programs.Specialization": 9,
        "programs.Accreditor": 2,
        # The article names accreditors but never says that a program holds an accreditation.
        "programs.Accreditation": 0,
        "programs.Institution": 3,
        "programs.Program": 3,
        "programs.Program_specializations": 3,
        "programs.Course": 0,
    }
    assert Statistic.objects.count() >= 15
    assert set(re.findall(r"(\d+) created", output)) == {"0"}
    assert set(re.findall(r"(\d+) updated", output)) == {"0"}


def test_the_article_is_credited_as_printed(article):
    assert article.author == "Imed Bouchrika, PhD"
    assert article.publisher == "Research.com"
    assert article.year == 2026
    assert article.url == ""


def test_every_demo_figure_cites_the_article(article):
    statistics = Statistic.objects.prefetch_related("citations__source")
    assert statistics
    for statistic in statistics:
        figure = statistic.figure("value")
        assert figure.reported, statistic.slug
        assert figure.citation.source == article

    for program in Program.objects.prefetch_related("citations__source"):
        for name in Program.sourced_fields:
            if getattr(program, name) is not None:
                figure = program.figure(name)
                assert figure.reported, f"{program.slug}.{name}"
                assert figure.citation.source == article


def test_figures_the_article_dates_or_attributes_say_so(demo):
    def citation(slug):
        return Statistic.objects.get(slug=slug).headline.citation

    completion = citation("completion-rate-online-hybrid")
    assert completion.as_of == datetime.date(2024, 1, 1)
    assert completion.note == (
        "The article attributes this figure to the Gallup Education & Skills Survey (2024)."
    )
    assert citation("new-students-remote-study-2025").as_of == datetime.date(2025, 1, 1)
    assert "U.S. Bureau of Labor Statistics" in citation("healthcare-ai-job-growth-2029").note
    assert "QS Graduate Employability Rankings" in citation("employment-rate-strong-programs").note
    # An undated, unattributed figure is the article's own, as of its publication.
    salaries = citation("graduate-median-salary-range")
    assert salaries.as_of == datetime.date(2026, 1, 1)
    assert salaries.note == ""


def test_both_contradictory_market_sizes_are_shown_as_the_articles_claims(demo, client):
    market_sizes = Statistic.objects.filter(unit=Statistic.Unit.USD_BILLION).order_by("value")

    assert [statistic.value for statistic in market_sizes] == [Decimal("51"), Decimal("67.4")]
    for statistic in market_sizes:
        assert "article" in statistic.label
        assert "$51 billion" in statistic.context
        assert "$67.4 billion" in statistic.context
    content = client.get("/").content.decode()
    assert "$51 billion" in content
    assert "$67.4 billion" in content


def test_ranges_are_stored_as_low_and_high_numbers(demo):
    tuition = Statistic.objects.get(slug="total-tuition-range")

    assert (tuition.value, tuition.value_high, tuition.unit) == (
        Decimal("40000"),
        Decimal("120000"),
        Statistic.Unit.USD,
    )
    assert tuition.headline.text == "$40,000 to $120,000"


def test_demo_programs_carry_no_figures_the_article_does_not_give(demo, client):
    programs = Program.objects.select_related("institution")
    assert len(programs) == 3
    for program in programs:
        for name in Program.sourced_fields:
            assert getattr(program, name) is None, f"{program.slug}.{name}"
        assert program.delivery_format == ""
        assert program.gre == ""
        assert program.apply_url == ""
        assert program.institution.city == ""
        assert program.institution.state == ""
        assert program.institution.website == ""
        assert program.institution.country == "United States"

        response = client.get(program.get_absolute_url())

        assert response.status_code == 200
        content = response.content.decode()
        assert escape(program.title) in content
        assert content.count("Not reported") >= len(Program.sourced_fields)
        assert "Source:" not in content


def test_demo_programs_are_public_and_tagged_with_the_articles_focus(demo, client):
    focus = {
        program.slug: [s.slug for s in program.specializations.all()]
        for program in Program.objects.published()
    }

    assert focus == {
        "carnegie-mellon-ai-and-innovation": ["clinical-decision-support"],
        "stanford-biomedical-informatics": ["clinical-diagnostics"],
        "northwestern-ai-medicine-healthcare": ["predictive-analytics"],
    }
    assert "Browse all 3 programs" in client.get("/").content.decode()


def test_home_page_shows_headline_figures_with_the_article_as_source(demo, client):
    headlines = list(Statistic.objects.for_home())
    assert 6 <= len(headlines) <= 10

    content = client.get("/").content.decode()

    items = content.split('<li class="statistic">')[1:]
    assert len(items) == len(headlines)
    for statistic, item in zip(headlines, items, strict=True):
        assert escape(statistic.headline.text) in item
        assert escape(statistic.label) in item
        assert f"<cite>{escape(ARTICLE_TITLE)}</cite>" in item
