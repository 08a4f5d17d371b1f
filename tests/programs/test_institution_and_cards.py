"""Institution pages, the program cards' facts and badges, the charts, the style guide."""

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from programs.models import Accreditation, Accreditor
from tests.factories import cite, make_institution, make_program, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def university():
    institution = make_institution(
        name="Lakeside University",
        slug="lakeside",
        city="Madison",
        state="Wisconsin",
        country="United States",
        website="https://lakeside.example.edu/",
    )
    accreditor = Accreditor.objects.create(
        slug="hlc", name="Higher Learning Commission", abbreviation="HLC", scope="institutional"
    )
    Accreditation.objects.create(
        accreditor=accreditor,
        institution=institution,
        verified_on=datetime.date(2026, 11, 30),
        url="https://www.hlcommission.org/lakeside",
    )
    make_program(title="MS in Health Data Science", institution=institution)
    make_program(title="MS in Clinical AI", institution=institution)
    make_program(
        title="MS in Secret Plans", institution=institution, status="draft", published_at=None
    )
    return institution


def test_an_institution_page_shows_place_accreditation_and_published_programs(client, university):
    response = client.get("/institutions/lakeside/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1><bdi>Lakeside University</bdi></h1>" in content
    assert "Madison, Wisconsin, United States" in content
    assert "Higher Learning Commission (HLC)</bdi></strong>: Accredited" in content
    assert "Checked on 30 November 2026" in content
    assert 'href="https://www.hlcommission.org/lakeside"' in content
    assert "Programs (2)" in content
    assert "MS in Health Data Science" in content and "MS in Clinical AI" in content
    assert "Secret Plans" not in content


def test_an_institution_without_a_published_program_is_a_404(staff_client):
    institution = make_institution(slug="hidden")
    make_program(institution=institution, status="draft", published_at=None)
    assert Client().get("/institutions/hidden/").status_code == 404
    assert Client().get("/institutions/nowhere/").status_code == 404
    # Staff see it with its drafts.
    assert staff_client.get("/institutions/hidden/").status_code == 200


def test_cards_and_program_pages_link_to_the_institution(client, university):
    program = university.programs.filter(status="published").first()
    assert 'href="/institutions/lakeside/"' in client.get("/programs/").content.decode()
    assert (
        'href="/institutions/lakeside/"' in client.get(program.get_absolute_url()).content.decode()
    )


def test_the_institution_page_query_count_is_fixed(client, university, django_assert_num_queries):
    for _ in range(5):
        make_program(institution=university)
    # 1. the institution  2. its accreditations  3. their accreditors  4. its published
    # programs with their institution  5. their specializations  6. their citations with sources
    with django_assert_num_queries(6):
        client.get("/institutions/lakeside/")


def test_a_card_shows_the_six_facts_that_decide_with_badges_only_from_sourced_facts(client):
    page = make_source(title="Program page")
    program = make_program(
        title="MS in Clinical AI",
        delivery_format="online",
        tuition_total=Decimal("40000"),
        months_part_time=30,
        programming_background="bridge",
        gre="not_required",
        paces=["part_time"],
        application_deadline=timezone.localdate() + datetime.timedelta(days=40),
    )
    for name in ("delivery_format", "tuition_total", "months_part_time", "programming_background"):
        cite(program, name, page)
    content = client.get("/programs/").content.decode()
    card = content.split('class="program-card"', 1)[1].split("</article>", 1)[0]
    for label in (
        "Total tuition",
        "Format",
        "Time part-time",
        "Programming",
        "GRE",
        "Next deadline",
    ):
        assert f"{label}</dt>" in card, label
    assert "$40,000" in card and "30 months" in card and "Bridge course offered" in card
    # GRE and deadline (and paces, not on the card) have values but no source: not reported,
    # and no badge.
    assert card.count("Not reported") == 2
    assert ">Online</li>" in card
    assert "Bridge course</li>" in card
    assert "No GRE" not in card and "Part-time possible" not in card


def test_sources_are_numbered_notes_listed_once_under_the_list(client):
    page = make_source(title="Program page")
    for n in range(3):
        cite(make_program(tuition_total=Decimal(30000 + n)), "tuition_total", page)
    content = client.get("/programs/").content.decode()
    assert content.count('href="#source-1"') == 3
    assert content.count("<cite><bdi>Program page</bdi></cite>") == 1
    assert '<li id="source-1" value="1" tabindex="-1">' in content


def test_the_cost_and_pace_charts_draw_the_reported_figures_with_a_table(client):
    page = make_source(title="Tuition page")
    program = make_program(
        tuition_per_credit=Decimal("1000"),
        credits=36,
        fees_total=Decimal("2000"),
        months_full_time=12,
        months_part_time=24,
    )
    for name in (
        "tuition_per_credit",
        "credits",
        "fees_total",
        "months_full_time",
        "months_part_time",
    ):
        cite(program, name, page)
    content = client.get(program.get_absolute_url()).content.decode()
    assert "Cost: $38,000 in all: tuition $36,000 and fees $2,000." in content
    tuition = re.search(
        r'<th scope="row">Tuition \(\$1,000 per credit × 36 credits\)</th>\s*<td[^>]*>([^<]*)',
        content,
    )
    assert tuition.group(1).strip() == "$36,000"
    assert "Time to finish: full-time 12 months; part-time 24 months." in content
    assert content.count('<figure class="chart"') == 2
    # The labels and values are the page's own text, never text drawn inside the bars.
    assert "<text" not in content
    assert '<td class="chart-value">$36,000' in content


def test_no_chart_is_drawn_from_figures_without_a_source(client):
    program = make_program(tuition_total=Decimal("40000"), months_part_time=24)
    content = client.get(program.get_absolute_url()).content.decode()
    assert '<figure class="chart"' not in content


def test_the_career_list_draws_growth_as_bars(client):
    from tests.factories import make_career

    page = make_source(title="Handbook")
    for title, growth in (("Analyst", 10), ("Scientist", 30)):
        cite(make_career(title=title, growth_percent=growth), "growth_percent", page)
    make_career(title="Unsourced", growth_percent=50)
    content = client.get("/careers/").content.decode()
    assert "Projected job growth: Scientist 30%; Analyst 10%." in content


def test_the_style_guide_is_for_staff_or_debug_only(staff_client, settings):
    assert Client().get("/styleguide/").status_code == 404
    assert staff_client.get("/styleguide/").status_code == 200
    settings.DEBUG = True
    assert Client().get("/styleguide/").status_code == 200
