"""Production behaviour: caching and its invalidation, faults, security headers and limits."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client, RequestFactory

from portal.views import server_error
from tests.factories import make_program, make_review

pytestmark = pytest.mark.django_db

REDIS_DOWN = {
    "default": {
        "BACKEND": "core.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
    }
}


def test_a_list_page_is_served_from_the_cache_until_an_editor_saves(
    client, django_assert_num_queries
):
    program = make_program(title="Original title")
    assert "Original title" in client.get("/programs/").content.decode()
    with django_assert_num_queries(0):
        client.get("/programs/")
    program.title = "Edited title"
    program.save()
    content = client.get("/programs/").content.decode()
    assert "Edited title" in content and "Original title" not in content


def test_a_moderation_decision_shows_at_once_on_a_cached_program_page(client):
    program = make_program()
    review = make_review(program, status="pending", title="Fresh review")
    assert "Fresh review" not in client.get(program.get_absolute_url()).content.decode()
    review.moderate("approved", None)
    assert "Fresh review" in client.get(program.get_absolute_url()).content.decode()
    review.moderate("rejected", None, "abusive")
    assert "Fresh review" not in client.get(program.get_absolute_url()).content.decode()


def test_staff_see_drafts_fresh_not_from_the_cache(staff_client):
    draft = make_program(title="Draft v1", status="draft", published_at=None)
    assert "Draft v1" in staff_client.get(draft.get_absolute_url()).content.decode()
    type(draft).objects.filter(pk=draft.pk).update(title="Draft v2")  # no signal: no cache bump
    assert "Draft v2" in staff_client.get(draft.get_absolute_url()).content.decode()


def test_with_the_cache_down_pages_still_render(client, settings):
    settings.CACHES = REDIS_DOWN
    program = make_program(title="Still served")
    make_review(program, title="Still reviewed")
    for url in ["/", "/programs/", program.get_absolute_url(), "/careers/", "/reviews/policy/"]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Still reviewed" in client.get(program.get_absolute_url()).content.decode()
    # Review submissions still work: the per-address limit cannot count, so it lets them in.
    form = client.get(f"/programs/{program.slug}/reviews/new/")
    assert form.status_code == 200


def test_two_processes_sharing_redis_see_each_others_edits(settings, redis_url):
    """Two cache clients stand for two server processes sharing one Redis."""
    from django.core.cache.backends.redis import RedisCache

    from core import cache as portal_cache

    first, second = RedisCache(redis_url, {}), RedisCache(redis_url, {})
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
    version = portal_cache.content_version()
    portal_cache.cached("list:x", lambda: "old figure")
    assert first.get(f"v{version}:list:x") == "old figure" == second.get(f"v{version}:list:x")
    make_program()  # an editor's save in one process
    assert second.get(portal_cache.VERSION_KEY) > version
    assert portal_cache.cached("list:x", lambda: "new figure") == "new figure"


def database_down(monkeypatch):
    def refuse(self):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)


def test_with_the_database_unreachable_the_site_answers_a_plain_503_and_recovers(monkeypatch):
    program = make_program(title="Back again")
    client = Client(raise_request_exception=False)
    cache.clear()
    with monkeypatch.context() as patch:
        database_down(patch)
        response = client.get(program.get_absolute_url())
        assert response.status_code == 503
        content = response.content.decode()
        assert "The portal is briefly unavailable" in content
        assert "Traceback" not in content and "OperationalError" not in content
        assert response["Retry-After"] == "30"
        assert client.get("/healthz").status_code == 503
    assert client.get(program.get_absolute_url()).status_code == 200
    assert client.get("/healthz").content == b"ok"


def test_other_errors_get_the_500_page():
    request = RequestFactory().get("/")
    try:
        raise ValueError("boom")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "boom" not in response.content.decode()


def test_pages_carry_a_content_security_policy_without_inline_script(client):
    response = client.get("/programs/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    for template in Path("templates").rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template
        assert " style=" not in text and "onclick=" not in text, template


def test_admin_login_is_throttled_after_repeated_failures(client, django_user_model, settings):
    settings.AXES_FAILURE_LIMIT = 3
    django_user_model.objects.create_user("editor", password="right-password", is_staff=True)
    for _ in range(3):
        client.post("/admin/login/", {"username": "editor", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "editor", "password": "right-password"})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def test_production_settings_pass_the_deploy_check():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    env.update(
        DJANGO_SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="portal.example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
    assert client.get("/ping").content == b"ok"


def csrf_token_in(content):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1)


def test_public_pages_are_served_whole_from_the_cache_with_each_visitor_their_own_token(
    django_assert_num_queries,
):
    program = make_program(title="Cached whole")
    first = Client(enforce_csrf_checks=True)
    first_page = first.get(program.get_absolute_url()).content.decode()
    second = Client(enforce_csrf_checks=True)
    with django_assert_num_queries(0):
        second_page = second.get(program.get_absolute_url()).content.decode()
    assert "Cached whole" in second_page
    assert csrf_token_in(first_page) != csrf_token_in(second_page)
    # The token served from the cache is the second visitor's own: their form works.
    response = second.post(
        "/compare/tray/",
        {
            "kind": "programs",
            "slug": program.slug,
            "action": "add",
            "csrfmiddlewaretoken": csrf_token_in(second_page),
        },
    )
    assert response.status_code == 302
    # With a session (their tray), the page is rendered for them, not taken from the cache.
    assert (
        "Your comparison: 1 of 4 programs"
        in second.get(program.get_absolute_url()).content.decode()
    )
    assert "Your comparison" not in Client().get(program.get_absolute_url()).content.decode()


def test_signed_in_staff_get_pages_rendered_for_them(staff_client):
    client = Client()  # anonymous (staff_client is pytest-django's client, signed in)
    program = make_program(title="Public page")
    client.get(program.get_absolute_url())  # stored for anonymous visitors
    # A change that sends no signal leaves the stored page in place for anonymous visitors…
    type(program).objects.filter(pk=program.pk).update(status="draft")
    assert (
        "only staff can see this page"
        not in client.get(program.get_absolute_url()).content.decode()
    )
    # …but staff always get the page rendered from the database.
    staff_page = staff_client.get(program.get_absolute_url()).content.decode()
    assert "<strong>Draft</strong>: only staff can see this page." in staff_page


def test_the_review_form_is_never_served_from_the_page_cache(client):
    program = make_program()
    first = client.get(f"/programs/{program.slug}/reviews/new/").content.decode()
    second = Client().get(f"/programs/{program.slug}/reviews/new/").content.decode()
    assert csrf_token_in(first) != csrf_token_in(second)


def test_a_new_review_awaiting_moderation_leaves_the_cache_alone(client):
    from core.cache import VERSION_KEY, content_version

    program = make_program()
    version = content_version()
    review = make_review(program, status="pending")
    assert cache.get(VERSION_KEY) == version
    review.moderate("approved", None)
    assert cache.get(VERSION_KEY) > version
    requeued = cache.get(VERSION_KEY)
    for n in range(3):
        review.report("spam", reporter=f"reader {n}")
    assert cache.get(VERSION_KEY) > requeued  # back in the queue: off the public pages
