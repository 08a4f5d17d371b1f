"""Addresses the portal cannot read: a NUL byte or a value no column can hold is a 400 or a
404, never a 503 or a 500, and never an error in the log."""

import logging

import pytest

from tests.factories import make_program, make_review

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


@pytest.fixture
def program():
    return make_program(slug="ms-clinical-ai", application_deadline=None)


@pytest.mark.parametrize(
    "address",
    [
        "/programs/deadlines.ics?p=%00",
        "/programs/?q=%00",
        "/programs/?format=online%00",
        "/programs/?%00=1",
        "/programs/compare/?p=ms-clinical-ai&p=%00",
        "/programs/compare.csv?p=%00",
        "/programs/?max_tuition=4%00",
        "/careers/?skill=%00",
        "/careers/?sort=salary%00",
        "/certifications/?q=%00",
        "/certifications/compare/?c=%00",
        "/search/?q=nurs%00ing",
        "/fit/?gpa=%00",
        "/media/logos/%00.png",
        "/programs/ms-clinical-ai%00/",
    ],
)
def test_a_nul_byte_is_a_bad_request(client, program, caplog, address):
    with caplog.at_level(logging.INFO):
        response = client.get(address)
    assert response.status_code == 400
    assert "This address cannot be read" in response.content.decode()
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_a_nul_byte_in_a_cookie_is_a_bad_request(client, program, caplog):
    with caplog.at_level(logging.INFO):
        response = client.get("/programs/", HTTP_COOKIE="sessionid=abcdefgh\x00ijkl")
    assert response.status_code == 400
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    "address",
    [
        f"/programs/?page={HUGE}",
        f"/programs/?max_tuition={HUGE}",
        f"/programs/?max_months={HUGE}&pace=part_time",
        "/programs/?max_tuition=1e400",
        f"/careers/?min_salary={HUGE}",
        f"/careers/?min_growth={HUGE}",
        f"/certifications/?max_fee={HUGE}",
        f"/certifications/?renewal={HUGE}",
        f"/fit/?gpa={HUGE}&years={HUGE}&budget={HUGE}",
        f"/programs/ms-clinical-ai/payback/?salary={HUGE}&assistance={HUGE}",
        f"/search/?q=x&page={HUGE}",
    ],
)
def test_a_number_past_any_column_is_never_a_server_error(client, program, caplog, address):
    with caplog.at_level(logging.INFO):
        response = client.get(address)
    assert response.status_code in (200, 400, 404), address
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_a_review_number_past_any_row_is_a_not_found(client, program, caplog):
    review = make_review(program)
    with caplog.at_level(logging.INFO):
        assert client.post(f"/reviews/{HUGE}/report/", {"reason": "spam"}).status_code == 404
        assert client.post(f"/reviews/{review.pk}/report/", {"reason": "spam"}).status_code == 302
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_a_value_the_database_refuses_is_a_bad_request_not_an_outage(client, monkeypatch, caplog):
    """Whatever value a check above misses, the database's refusal of it (DataError) is the
    visitor's input: a 400, logged as a warning, not the 503 of an outage."""
    from django.db import DataError

    def refuse(*args, **kwargs):
        raise DataError("value out of range for type bigint")

    monkeypatch.setattr("programs.filters.ProgramFilter.qs", property(refuse))
    with caplog.at_level(logging.INFO):
        response = client.get("/programs/?max_tuition=1")
    assert response.status_code == 400
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert "refused by the database" in caplog.text


def test_expired_throttle_counts_are_deleted_and_live_ones_kept(rf):
    import datetime

    from django.utils import timezone

    from core import ratelimit
    from core.models import Throttle

    now = timezone.now()
    expired = Throttle.objects.create(
        scope="review", client="a", window=1, count=3, expires_at=now - datetime.timedelta(1)
    )
    live = Throttle.objects.create(
        scope="review", client="b", window=2, count=1, expires_at=now + datetime.timedelta(1)
    )

    assert ratelimit.allow(rf.get("/", REMOTE_ADDR="192.0.2.44"), "report", 5)

    assert not Throttle.objects.filter(pk=expired.pk).exists()
    assert Throttle.objects.filter(pk=live.pk).exists()
    assert Throttle.objects.filter(scope="report").count() == 1
