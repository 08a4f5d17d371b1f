"""A full Redis, configured as ops/redis.conf says, evicts the least used pages and the
portal goes on serving, from the cache, what it has just stored."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis
from django.core.cache import cache
from django.test import Client

from core.cache import VERSION_KEY
from tests.factories import make_program

pytestmark = pytest.mark.django_db

CONFIG = Path(__file__).resolve().parents[2] / "ops" / "redis.conf"


@pytest.fixture
def small_redis(tmp_path):
    """A Redis of its own on a free port, with the documented configuration and 2 MB."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("PORTAL_REQUIRE_REDIS"):
            pytest.fail("redis-server is required (PORTAL_REQUIRE_REDIS) but not installed.")
        pytest.skip("redis-server is not installed.")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    arguments = ["--port", str(port), "--bind", "127.0.0.1", "--dir", tmp_path]
    server = subprocess.Popen(
        [binary, str(CONFIG), *arguments, "--maxmemory", "2mb"], stdout=subprocess.DEVNULL
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    try:
        yield client, url
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_full_cache_evicts_and_keeps_serving(small_redis, settings, django_assert_num_queries):
    client, url = small_redis
    assert client.config_get("maxmemory-policy") == {"maxmemory-policy": "volatile-lru"}
    settings.CACHES = {"default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": url}}
    settings.PAGE_CACHE_MAX_NEW = 100_000
    for n in range(12):
        make_program(title=f"MS in Health AI {n}")
    for n in range(200):
        assert Client().get(f"/programs/?q=health{n}").status_code == 200
    assert client.info("stats")["evicted_keys"] > 0
    assert client.info("memory")["used_memory"] < 2.5 * 1024 * 1024
    # No write was refused: the last pages are served whole from the cache…
    with django_assert_num_queries(0):
        assert Client().get("/programs/?q=health199").status_code == 200
    # …and the content version, which never expires, was never evicted.
    assert cache.get(VERSION_KEY) is not None
    assert client.ttl(f":1:{VERSION_KEY}") == -1
