"""What every visitor sees alike is kept in the database per content version
(core.summaries): worked out again after any change, with or without the cache."""

import datetime

import pytest
from django.utils import timezone

from core import summaries
from core.models import Summary
from tests.factories import make_program, make_specialization

pytestmark = pytest.mark.django_db

NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def test_a_summary_is_worked_out_once_then_read(django_assert_num_queries):
    calls = []

    def count():
        calls.append(1)
        return 41

    assert summaries.summary("test:count", count) == 41
    with django_assert_num_queries(1):
        assert summaries.summary("test:count", count) == 41
    assert calls == [1]


def test_a_change_retires_every_summary_without_any_cache(client, settings):
    settings.CACHES = NO_CACHE
    make_program(title="First", specializations=[make_specialization("Genomics")])
    page = client.get("/").content.decode()
    assert "Browse all 1 program" in page
    assert "Genomics" in client.get("/programs/").content.decode()

    make_program(title="Second", specializations=[make_specialization("Medical imaging")])
    assert "Browse all 2 programs" in client.get("/").content.decode()
    listed = client.get("/programs/")
    assert "Medical imaging" in listed.content.decode()
    assert listed.context["page_obj"].paginator.count == 2


def test_a_summary_of_an_older_version_is_never_read():
    summaries.summary("test:value", lambda: "old")
    summaries.retire()  # a change, as another process would make it meanwhile
    assert summaries.summary("test:value", lambda: "new") == "new"
    assert Summary.objects.get(key="test:value").version == summaries.current_version()


def test_a_summary_lapses_when_a_scheduled_entry_becomes_public(client, settings):
    settings.CACHES = NO_CACHE
    make_program(title="Now")
    later = make_program(title="Later", published_at=timezone.now() + datetime.timedelta(days=2))
    assert "Browse all 1 program" in client.get("/").content.decode()
    assert Summary.objects.get(key="home:program_count").valid_until == later.published_at
    # The time comes: no save, yet the count is worked out again.
    Summary.objects.update(valid_until=timezone.now() - datetime.timedelta(seconds=1))
    type(later).objects.filter(pk=later.pk).update(published_at=timezone.now())
    assert "Browse all 2 programs" in client.get("/").content.decode()
