"""Application deadlines as iCalendar (RFC 5545) files that phone calendars open.

Each program's next deadline is one all-day event; a deadline that has passed is not exported
(readers see it marked as passed on the pages). Built with the icalendar library.

Names and titles are written on one line whatever was stored (a calendar line cannot hold a
line break), and an event that cannot be written at all (a date at the end of the calendar) is
left out, and the calendar says so, rather than failing the whole file.
"""

import logging
from datetime import UTC, datetime, timedelta

import icalendar
from django.utils import timezone

from core.text import one_line

logger = logging.getLogger(__name__)

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
    title, university = one_line(program.title), one_line(program.institution.name)
    event = icalendar.Event()
    event.add("uid", f"deadline-{program.slug}-{day.isoformat()}@ai-degree-portal")
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", f"Application deadline: {title}, {university}")
    page = base_url + program.get_absolute_url()
    source = citation.source
    event.add(
        "description",
        f"Next application deadline of {title} ({university}).\n"
        f"Check it on the university's site before you rely on it.\n"
        f"Program page: {page}\n"
        f"Source: {one_line(source.title)}, {one_line(source.publisher)}, {citation.dated}"
        + (f", {citation.checked}" if citation.checked else "")
        + (f", {source.url}" if source.url else ""),
    )
    event.add("url", program.apply_url or page)
    event.add("transp", "TRANSPARENT")
    reminder = icalendar.Alarm()
    reminder.add("action", "DISPLAY")
    reminder.add("description", f"Deadline in a week: {title}")
    reminder.add("trigger", timedelta(days=-7))
    event.add_component(reminder)
    return event


def deadlines_calendar(programs, base_url, name="Application deadlines"):
    """A calendar of the upcoming deadlines of `programs`: (its bytes, the programs whose
    deadline could not be written and was left out)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", one_line(name))
    skipped = []
    for program in upcoming(programs):
        try:
            event = deadline_event(program, base_url)
            event.to_ical()  # what cannot be written fails here, not in the whole calendar
        except (OverflowError, ValueError, AssertionError) as error:
            logger.warning("Deadline of %s left out of a calendar: %r", program.slug, error)
            skipped.append(program)
            continue
        calendar.add_component(event)
    if skipped:
        calendar.add(
            "x-wr-caldesc",
            "Left out, as their dates cannot be written in a calendar: "
            + "; ".join(one_line(program.title) for program in skipped)
            + ". See their pages.",
        )
    return calendar.to_ical(), skipped
