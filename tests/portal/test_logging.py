"""Logs: standard error, one line per record, with the request it belongs to."""

import io
import logging
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def stderr_log():
    """What the configured standard-error handler writes during the test."""
    handler = next(h for h in logging.getLogger("django").handlers if h.name == "stderr")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


LINE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (?P<level>[A-Z]+) (?P<logger>\S+) (?P<method>\S+) "
    r"(?P<path>\S+) (?P<status>\S+) id=(?P<id>\S+) (?P<message>.*)$"
)


def records(stream):
    return [LINE.match(line).groupdict() for line in stream.getvalue().splitlines()]


def test_an_error_is_logged_on_one_line_with_its_request_and_traceback(stderr_log, settings):
    settings.ROOT_URLCONF = "tests.portal.error_urls"
    response = Client(raise_request_exception=False).get("/boom/?page=2")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    lines = stderr_log.getvalue().splitlines()
    errors = [record for record in records(stderr_log) if record["level"] == "ERROR"]
    assert len(errors) == 1
    error = errors[0]
    assert error["logger"] == "django.request"
    assert (error["method"], error["path"], error["status"]) == ("GET", "/boom/?page=2", "500")
    assert error["id"] == request_id
    assert "Internal Server Error: /boom/" in error["message"]
    assert "Traceback (most recent call last):" in error["message"]
    assert "ZeroDivisionError: a bug in a view" in error["message"]
    # The access line of the same request carries the same id, and every record is one line.
    access = [record for record in records(stderr_log) if record["logger"] == "portal.access"]
    assert [(a["status"], a["id"]) for a in access] == [("500", request_id)]
    assert all(LINE.match(line) for line in lines)


def test_every_response_names_its_request_id():
    first, second = Client().get("/ping"), Client().get("/ping")
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_request_id_from_a_trusted_proxy_is_kept_and_from_anyone_else_replaced(settings):
    from core.clients import parse_networks

    settings.TRUSTED_PROXIES = parse_networks(["10.0.0.5"])
    through = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_REQUEST_ID="proxy-given-id-123")
    assert through.get("/ping")["X-Request-ID"] == "proxy-given-id-123"
    direct = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_REQUEST_ID="forged-id-123456")
    assert direct.get("/ping")["X-Request-ID"] != "forged-id-123456"
