"""Deadlines as .ics files that parse: one program's, and the compared programs' together;
a passed deadline is marked and never exported."""

import datetime

import icalendar
import pytest
from django.utils import timezone

from tests.factories import make_program, make_sourced_program

pytestmark = pytest.mark.django_db


def ahead(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def events(response):
    calendar = icalendar.Calendar.from_ical(response.content)
    return list(calendar.walk("VEVENT"))


def test_a_programs_next_deadline_downloads_as_an_event(client):
    program = make_sourced_program(title="Clinical AI", application_deadline=ahead(30))
    response = client.get(f"/programs/{program.slug}/deadline.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    (event,) = events(response)
    assert event.decoded("dtstart") == ahead(30)
    assert event.decoded("dtend") == ahead(31)
    assert "Clinical AI" in str(event["summary"])
    assert "Source:" in str(event["description"])
    (reminder,) = event.walk("VALARM")  # a reminder a week before the deadline
    assert reminder.decoded("trigger") == datetime.timedelta(days=-7)
    assert str(reminder["action"]) == "DISPLAY"
    assert program.get_absolute_url() in client.get(program.get_absolute_url()).content.decode()


def test_a_passed_or_unreported_deadline_is_not_exported(client):
    passed = make_sourced_program(application_deadline=ahead(-1))
    assert client.get(f"/programs/{passed.slug}/deadline.ics").status_code == 404
    today = make_sourced_program(application_deadline=ahead(0))
    assert client.get(f"/programs/{today.slug}/deadline.ics").status_code == 200
    unsourced = make_program(application_deadline=ahead(10))  # no source: not reported
    assert client.get(f"/programs/{unsourced.slug}/deadline.ics").status_code == 404
    assert client.get("/programs/no-such-program/deadline.ics").status_code == 404


def test_the_compared_programs_download_as_one_calendar_without_passed_deadlines(client):
    first = make_sourced_program(application_deadline=ahead(60))
    second = make_sourced_program(application_deadline=ahead(20))
    passed = make_sourced_program(application_deadline=ahead(-5))
    response = client.get(
        "/programs/deadlines.ics", {"p": [first.slug, second.slug, passed.slug, "nope"]}
    )
    found = events(response)
    assert [event.decoded("dtstart") for event in found] == [ahead(20), ahead(60)]
    assert client.get("/programs/deadlines.ics", {"p": [passed.slug]}).status_code == 404


def test_the_tray_and_comparison_link_to_the_calendar(client):
    one = make_sourced_program(application_deadline=ahead(60))
    two = make_sourced_program(application_deadline=ahead(20))
    for program in (one, two):
        client.post("/compare/tray/", {"kind": "programs", "action": "add", "slug": program.slug})
    content = client.get("/programs/").content.decode()
    assert f"/programs/deadlines.ics?p={one.slug}&amp;p={two.slug}" in content
    compare = client.get("/programs/compare/", {"p": [one.slug, two.slug]}).content.decode()
    assert f"/programs/deadlines.ics?p={one.slug}&amp;p={two.slug}" in compare
    assert f"/programs/compare/payback/?p={one.slug}&amp;p={two.slug}" in compare
