"""A fourth kind of thing to compare (tests/fourth_kind) registers itself and is compared,
held in the tray, cached whole and retired, with no change to any other file."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from core import registry
from tests.factories import cite, make_source
from tests.fourth_kind.models import Bootcamp

pytestmark = pytest.mark.django_db


@pytest.fixture
def bootcamps(settings):
    settings.ROOT_URLCONF = "tests.fourth_kind.urls"
    published = timezone.now() - datetime.timedelta(hours=1)
    first = Bootcamp.objects.create(
        title="Evening ML bootcamp",
        slug="evening",
        fee=4000,
        weeks=12,
        delivery="online",
        status="published",
        published_at=published,
    )
    second = Bootcamp.objects.create(
        title="Weekend ML bootcamp",
        slug="weekend",
        fee=6500,
        weeks=10,
        status="published",
        published_at=published,
    )
    source = make_source(title="Bootcamp prices 2026")
    for bootcamp in (first, second):
        cite(bootcamp, "fee", source)
    return first, second


def test_the_kind_is_in_the_registry_with_its_model_as_content():
    assert registry.comparable("bootcamps").model is Bootcamp
    assert Bootcamp in registry.content_models()


def test_it_is_compared_from_its_declared_facts(bootcamps):
    response = Client().get("/bootcamps/compare/", {"b": ["evening", "weekend"], "highlight": "1"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Compare bootcamps</h1>" in content
    assert "Evening ML bootcamp" in content and "Weekend ML bootcamp" in content
    assert "Cost and length" in content and "$4,000" in content and "Lowest" in content
    assert "Bootcamp prices 2026" in content  # the fee's source, as a numbered note
    csv = Client().get("/bootcamps/compare.csv", {"b": ["evening", "weekend"]})
    assert csv["Content-Disposition"] == 'attachment; filename="bootcamp-comparison.csv"'
    assert "$6,500 [1]" in csv.content.decode()


def test_it_is_added_to_the_tray(bootcamps, client):
    client.post("/compare/tray/", {"kind": "bootcamps", "slug": "evening", "action": "add"})
    page = client.get("/bootcamps/weekend/").content.decode()
    assert "Your comparison: 1 of 4 bootcamps" in page
    assert "<span><bdi>Evening ML bootcamp" in page


def test_its_comparison_is_cached_whole_and_retired_by_a_save(bootcamps, django_assert_num_queries):
    url = "/bootcamps/compare/?b=evening&b=weekend"
    assert "Evening ML bootcamp" in Client().get(url).content.decode()
    with django_assert_num_queries(0):
        assert "Evening ML bootcamp" in Client().get(url).content.decode()
    first, _ = bootcamps
    first.title = "Renamed bootcamp"
    first.save()
    content = Client().get(url).content.decode()
    assert "Renamed bootcamp" in content and "Evening ML bootcamp" not in content
