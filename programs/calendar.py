"""Application deadlines as iCalendar (RFC 5545) files that phone calendars open.

Each program's next deadline is one all-day event; a deadline that has passed is not exported
(readers see it marked as passed on the pages). Built with the icalendar library.
"""

from datetime import UTC, datetime, timedelta

import icalendar
from django.utils import timezone

PRODUCT = "-//AI degree portal//Application deadlines//EN"


def upcoming(programs, today=None):
    """The programs whose reported deadline is still ahead, in date order."""
    today = today or timezone.localdate()
    found = [
        p
        for p in programs
        if p.fact("application_deadline").reported and not p.deadline_passed(today)
    ]
    return sorted(found, key=lambda program: (program.application_deadline, program.title))


def deadline_event(program, base_url):
    """One all-day event on the program's deadline, with its page and its source."""
    citation = program.fact("application_deadline").citation
    day = program.application_deadline
    event = icalendar.Event()
    event.add("uid", f"deadline-{program.slug}-{day.isoformat()}@ai-degree-portal")
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", f"Application deadline: {program.title}, {program.institution.name}")
    page = base_url + program.get_absolute_url()
    source = citation.source
    event.add(
        "description",
        f"Next application deadline of {program.title} ({program.institution.name}).\n"
        f"Check it on the university's site before you rely on it.\n"
        f"Program page: {page}\n"
        f"Source: {source.title}, {source.publisher}, as of {citation.as_of:%d %B %Y}"
        + (f", {source.url}" if source.url else ""),
    )
    event.add("url", program.apply_url or page)
    event.add("transp", "TRANSPARENT")
    reminder = icalendar.Alarm()
    reminder.add("action", "DISPLAY")
    reminder.add("description", f"Deadline in a week: {program.title}")
    reminder.add("trigger", timedelta(days=-7))
    event.add_component(reminder)
    return event


def deadlines_calendar(programs, base_url, name="Application deadlines"):
    """A calendar of the upcoming deadlines of `programs`, as bytes."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for program in upcoming(programs):
        calendar.add_component(deadline_event(program, base_url))
    return calendar.to_ical()
