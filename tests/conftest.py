"""Fixtures shared by the tests; the data they build comes from tests/factories.py."""

import os

import pytest
from django.contrib.contenttypes.models import ContentType


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    client.force_login(user)
    return client


@pytest.fixture
def warm_content_types(db):
    """Load the content types of sourced models into Django's per-process cache.

    A running server looks each one up once in its life; query-count tests measure a request
    after that, so the count does not depend on which test ran first.
    """
    from django.apps import apps

    from core.facts import SourcedModel
    from search import index as search

    for model in apps.get_models():
        if issubclass(model, SourcedModel):
            ContentType.objects.get_for_model(model)
    for kind in search.kinds().values():
        kind.content_type()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path_factory):
    """Uploads (logos, spreadsheets waiting for confirmation) go to a folder of each test's
    own, never to var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def empty_cache():
    """Pages and data are cached: every test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def redis_url(settings):
    """The tests' own Redis database (settings.TEST_REDIS_URL), empty before and after.

    Where no Redis answers the test is skipped and says why, unless PORTAL_REQUIRE_REDIS is
    set, as CI sets it: there a missing Redis fails the test.
    """
    import redis

    url = settings.TEST_REDIS_URL
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("PORTAL_REQUIRE_REDIS"):
            pytest.fail(f"Redis is required (PORTAL_REQUIRE_REDIS) but {url} does not answer.")
        pytest.skip(f"Redis does not answer at {url} ({error}): start it to run this test.")
    client.flushdb()
    yield url
    client.flushdb()
