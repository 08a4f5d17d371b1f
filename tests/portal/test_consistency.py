"""No page of the shipped catalogue contradicts itself: badges, summaries and charts agree
with the facts beside them, source titles are titles, and the home page's headlines do not
disagree with each other. Every published page of each kind is read."""

import io
import re
from html import unescape

import pytest
from django.core.management import call_command
from django.test import Client

from careers.models import Career, Certification
from core.fields import PLACEHOLDER
from core.models import Source, Statistic
from programs.models import Program

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped():
    call_command("load_demo", stdout=io.StringIO())


def text(html):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def badges(html):
    found = re.search(r'<ul class="badges"[^>]*>(.*?)</ul>', html, re.S)
    return (
        [text(item) for item in re.findall(r"<li[^>]*>(.*?)</li>", found.group(1), re.S)]
        if (found)
        else []
    )


def expected_badges(program):
    return [badge for badge, _ in program.badges()]


def test_every_program_card_and_page_agrees_with_its_facts(shipped):
    client = Client()
    programs = Program.objects.published().for_detail()
    assert programs.count() >= 60
    cards = {}
    for page in range(1, 5):
        response = client.get("/programs/", {"page": page})
        if response.status_code == 404:
            break
        for card in response.content.decode().split('<article class="program-card"')[1:]:
            slug = re.search(r'href="/programs/([^/]+)/"', card).group(1)
            cards[slug] = card
    assert len(cards) == programs.count()
    for program in programs:
        card = cards[program.slug]
        shown = badges(card)
        assert shown == expected_badges(program), program.slug
        part_time = program.Pace.PART_TIME in (program.paces or [])
        # "Part-time possible" only where part-time is among the paces offered, with a source.
        assert ("Part-time possible" in shown) == (part_time and program.fact("paces").reported)
        if program.fact("delivery_format").reported:
            assert program.get_delivery_format_display() in shown
        else:
            assert not {"Online", "Hybrid", "On campus"} & set(shown), program.slug
        if "No GRE" in shown:
            assert program.gre == program.Requirement.NOT_REQUIRED
        if "No programming needed" in shown:
            assert program.programming_background == program.Programming.NONE
        # The card's time part-time says what it measures, never a bare "part-time".
        assert "time part-time" in text(card).lower()
        page = client.get(program.get_absolute_url()).content.decode()
        cost = re.search(r'<figure class="chart"[^>]*>.*?</figure>', page, re.S)
        tuition = program.fact("tuition_total")
        if tuition.reported and cost:
            assert tuition.text in text(cost.group(0)), program.slug


def test_every_certification_agrees_with_its_issuer(shipped):
    client = Client()
    for certification in Certification.objects.published().select_related("issuing_body"):
        page = text(client.get(certification.get_absolute_url()).content.decode())
        if certification.issuing_body_id:
            assert "does not say who awards it" not in page, certification.slug
            assert certification.issuing_body.name in page


def test_every_career_chart_shows_its_own_figures(shipped):
    client = Client()
    for career in Career.objects.published().prefetch_related("citations"):
        page = client.get(career.get_absolute_url()).content.decode()
        for name in ("salary_low", "median_salary", "salary_high"):
            fact = career.fact(name)
            if fact.reported:
                assert fact.text in text(page), (career.slug, name)


def test_no_source_title_is_a_placeholder(shipped):
    for source in Source.objects.all():
        assert not PLACEHOLDER.search(source.title), source.title


def test_the_home_page_headlines_do_not_disagree(shipped):
    headlines = list(Statistic.objects.for_home())
    # Two headlines about the same quantity for the same people, told apart only by where the
    # source says it ("…, as projected later in the article"), would disagree, as the article's
    # two market sizes for 2027 do. A clause naming other people ("…, full-time campus
    # students") is a different quantity.
    measured = [
        re.sub(r",\s*as (projected|reported|stated|given)\b.*", "", statistic.label).lower()
        for statistic in headlines
    ]
    assert len(measured) == len(set(measured)), measured
    content = Client().get("/").content.decode()
    assert "Healthcare AI market by 2027" not in content


def test_the_shipped_specializations_are_a_small_described_vocabulary(shipped):
    from programs.models import Specialization

    areas = list(Specialization.objects.all())
    assert len(areas) == 25  # docs/editors.md says so
    assert all(len(area.description) > 40 for area in areas), [
        area.slug for area in areas if len(area.description) <= 40
    ]
