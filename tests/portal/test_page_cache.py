"""The whole-page cache: the same headers as a fresh page, one entry per page the visitor can
tell apart, and no retirement of every page for a save that changes nothing public."""

import pytest
from django.core.cache import cache
from django.test import Client

from careers.models import ProgramCareer
from core.cache import VERSION_KEY, content_version
from tests.factories import make_career, make_certification, make_program, make_review

pytestmark = pytest.mark.django_db

# Headers that differ between any two responses, fresh or not.
PER_RESPONSE = {"Date", "X-Request-ID", "Set-Cookie"}


@pytest.fixture
def site(settings):
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_SSL_REDIRECT = False
    program = make_program(title="Cached MS")
    other = make_program(title="Other MS")
    career = make_career(title="Cached career")
    ProgramCareer.objects.create(program=program, career=career)
    certification = make_certification(name="Cached certification")
    make_review(program)
    return {
        "home": "/",
        "about": "/about/",
        "program list": "/programs/?x=1",
        "program": program.get_absolute_url(),
        "program comparison": f"/programs/compare/?p={program.slug}&p={other.slug}",
        "career list": "/careers/?x=1",
        "career": career.get_absolute_url(),
        "career comparison": f"/careers/compare/?c={career.slug}",
        "certification list": "/certifications/",
        "certification": certification.get_absolute_url(),
        "certification comparison": f"/certifications/compare/?c={certification.slug}",
        "review policy": "/reviews/policy/",
    }


def headers(response):
    return {name: value for name, value in response.items() if name not in PER_RESPONSE}


def test_a_page_from_the_cache_has_the_same_headers_as_a_fresh_one(site, django_assert_num_queries):
    for kind, url in site.items():
        fresh = Client().get(url, secure=True)
        with django_assert_num_queries(0):  # served whole from the cache
            stored = Client().get(url, secure=True)
        assert headers(stored) == headers(fresh), kind
        assert stored["X-Frame-Options"] == "DENY", kind
        assert "camera=()" in stored["Permissions-Policy"], kind
        assert "max-age=3600" in stored["Strict-Transport-Security"], kind
        assert stored["X-Request-ID"] != fresh["X-Request-ID"], kind


def page_entries():
    return [key for key in cache._cache if ":page:" in key]


def test_tracking_and_reordered_parameters_share_one_cache_entry(client):
    make_program(title="Only one")
    client.get("/programs/")
    stored = page_entries()
    assert len(stored) == 1
    for n in range(50):
        response = Client().get(f"/programs/?utm_source=z{n}")
        assert "Only one" in response.content.decode()
    assert page_entries() == stored
    Client().get("/programs/?format=online&gre=optional")
    Client().get("/programs/?gre=optional&utm_medium=x&format=online")
    assert len(page_entries()) == 2


def test_a_page_is_rendered_without_the_parameters_it_does_not_read(client):
    make_program()
    content = Client().get("/programs/?utm_source=newsletter&format=online").content.decode()
    assert "utm_source" not in content and "newsletter" not in content


def test_a_stored_page_differs_by_the_parameters_it_reads():
    make_program(title="Online one", delivery_format="online")
    make_program(title="Campus one", delivery_format="campus")
    assert "Campus one" not in Client().get("/programs/?format=online").content.decode()
    assert "Online one" not in Client().get("/programs/?format=campus").content.decode()
    assert "Online one" not in Client().get("/programs/?format=campus&utm=1").content.decode()


def test_the_pages_that_must_never_be_cached_whole_are_rendered_every_time(monkeypatch):
    from portal import middleware

    looked_up = []
    real_lookup = middleware.cached_page

    def lookup(key):
        page = real_lookup(key)
        looked_up.append((key, page is not None))
        return page

    monkeypatch.setattr(middleware, "cached_page", lookup)
    program = make_program()
    # Forms whose errors and answers are the visitor's own, a download, the admin.
    never = [
        f"/programs/{program.slug}/reviews/new/",
        "/reviews/resend/",
        f"/programs/compare.csv?p={program.slug}",
        "/admin/login/",
    ]
    for url in never:
        for _ in range(2):
            assert Client().get(url).status_code == 200, url
    assert looked_up == [] and page_entries() == []
    # A public page, by contrast: a miss, then a hit.
    for _ in range(2):
        Client().get(program.get_absolute_url())
    assert [hit for _, hit in looked_up] == [False, True]


def test_a_readers_report_leaves_the_cached_pages_alone_until_it_requeues(settings):
    settings.REVIEW_REPORTS_TO_REQUEUE = 3
    review = make_review(make_program())
    version = content_version()
    for n in range(2):
        Client(REMOTE_ADDR=f"192.0.2.{n}").post(f"/reviews/{review.pk}/report/", {"reason": "spam"})
    assert cache.get(VERSION_KEY) == version
    Client(REMOTE_ADDR="192.0.2.9").post(f"/reviews/{review.pk}/report/", {"reason": "spam"})
    assert cache.get(VERSION_KEY) > version  # back in the queue: off the public pages


def test_limits_and_queued_email_leave_the_cached_pages_alone(client):
    program = make_program()
    version = content_version()
    client.post("/reviews/resend/", {"email": "a@example.org"})
    client.post(
        f"/programs/{program.slug}/reviews/new/",
        {"rating": "4", "title": "t", "body": "b" * 100, "graduation_year": "2024"},
    )
    assert cache.get(VERSION_KEY) == version


def test_a_migrate_retires_the_cached_pages(client):
    # A deploy migrates: what the old code cached, from the old index, is not served again.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from search import index as search

    url = make_program().get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as served_cached:
        client.get(url)
    version = content_version()
    search.rebuild_if_needed()
    assert cache.get(VERSION_KEY) > version
    with CaptureQueriesContext(connection) as served_after:
        client.get(url)
    assert len(served_after) > len(served_cached)  # made again from the database


def test_a_scheduled_entry_appears_on_cached_pages_at_the_second_set():
    import datetime
    import time

    from django.utils import timezone

    make_program(title="Published now")
    due = timezone.now() + datetime.timedelta(seconds=1.5)
    make_program(title="Scheduled MS", published_at=due)
    career = make_career(title="Scheduled career", published_at=due)
    Client().get("/programs/")  # stored while the entries are still to come
    Client().get("/careers/")
    assert "Scheduled MS" not in Client().get("/programs/").content.decode()
    assert "Scheduled career" not in Client().get("/careers/").content.decode()
    assert Client().get(career.get_absolute_url()).status_code == 404

    time.sleep(max(0, (due - timezone.now()).total_seconds()) + 0.1)

    # Well before the page's five minutes in the cache are over.
    assert "Scheduled MS" in Client().get("/programs/").content.decode()
    assert "Scheduled career" in Client().get("/careers/").content.decode()
    assert Client().get(career.get_absolute_url()).status_code == 200


def test_without_a_scheduled_entry_reading_the_cache_costs_no_query(django_assert_num_queries):
    make_program(title="Published now")
    Client().get("/programs/")
    with django_assert_num_queries(0):
        assert "Published now" in Client().get("/programs/").content.decode()
