"""Deadline reminders without an account, confirmed twice over (double opt-in).

A reader gives an address on a program's reminder page; a message with a signed link asks to
confirm it, and nothing is sent before. Once confirmed, `send_due` (run daily by the
`send_deadline_reminders` command) queues a reminder settings.REMINDER_DAYS_BEFORE days before
the deadline (30, then 7), each with a one-click way to stop (a link, and the List-Unsubscribe
headers mail programs show as a button). The address is kept only while a reminder is pending:
the row is deleted once the last one is queued, when the deadline passes or moves out of
reach, when the program is no longer public, when the reader stops, or when the
confirmation did not come within settings.REMINDER_CONFIRMATION_MAX_AGE.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from core.facts import FactKind, format_value
from core.mail import queue_email
from programs.models import DeadlineReminder, Program

CONFIRM, STOP = "programs.reminder.confirm", "programs.reminder.stop"


def token(reminder: DeadlineReminder, purpose: str) -> str:
    return signing.TimestampSigner(salt=purpose).sign(reminder.key)


def from_token(value: str, purpose: str, max_age: int | None = None) -> DeadlineReminder | None:
    """The reminder a link names, or None if the link is forged, altered, expired or its
    reminder is gone."""
    try:
        key = signing.TimestampSigner(salt=purpose).unsign(value, max_age=max_age)
    except signing.BadSignature:
        return None
    return DeadlineReminder.objects.select_related("program__institution").filter(key=key).first()


def link(site: str, name: str, value: str) -> str:
    return site.rstrip("/") + reverse(name, kwargs={"token": value})


def deadline_text(program: Program) -> str:
    return format_value(program.application_deadline, FactKind.DATE)


def ask_to_confirm(reminder: DeadlineReminder) -> None:
    """Queue the message that asks the reader to confirm (in the request's transaction)."""
    program, site = reminder.program, reminder.site
    hours = settings.REMINDER_CONFIRMATION_MAX_AGE // 3600
    queue_email(
        to=reminder.email,
        subject=f"Confirm your deadline reminder for {program.title}",
        body=(
            f"You asked to be reminded of the application deadline of {program.title} at "
            f"{program.institution.name} ({deadline_text(program)}).\n\n"
            "Nothing is sent until you confirm. Confirm here:\n"
            f"{link(site, 'programs:reminder_confirm', token(reminder, CONFIRM))}\n\n"
            f"The link works for {hours} hours; after that your address is deleted. If you did "
            "not ask for this, ignore this message and nothing more will come."
        ),
    )


def stop_headers(url: str) -> dict[str, str]:
    """One-click unsubscribe (RFC 8058): mail programs show a button that posts to `url`."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def remind(reminder: DeadlineReminder, left: int, last: bool) -> None:
    program, site = reminder.program, reminder.site
    stop = link(site, "programs:reminder_stop", token(reminder, STOP))
    days = f"{left} day{'s' if left != 1 else ''}"
    queue_email(
        to=reminder.email,
        subject=f"{days} to apply: {program.title}",
        body=(
            f"The application deadline of {program.title} at {program.institution.name} is "
            f"{deadline_text(program)}, in {days}, as the program's page reports it:\n"
            f"{site.rstrip('/')}{program.get_absolute_url()}\n\n"
            "Check the date on the university's own page before you rely on it.\n\n"
            + ("This is the last reminder: your address is now deleted.\n\n" if last else "")
            + f"Stop these reminders: {stop}"
        ),
        headers=stop_headers(stop),
    )


def days_left(program: Program, today: datetime.date) -> int | None:
    deadline = program.application_deadline
    return None if deadline is None else (deadline - today).days


def entered(left: int) -> int | None:
    """The nearest reminder day already reached `left` days before the deadline (a window
    entered), or None."""
    return min((days for days in settings.REMINDER_DAYS_BEFORE if left <= days), default=None)


def too_late(program: Program, today: datetime.date) -> bool:
    """Whether no reminder can come any more: no deadline, or the last reminder's day reached."""
    left = days_left(program, today)
    return left is None or left <= min(settings.REMINDER_DAYS_BEFORE)


def confirm(reminder: DeadlineReminder, today: datetime.date | None = None) -> None:
    """Confirmed: reminders go from now on, from the next reminder day ahead (a reader who
    asks 10 days before a deadline is reminded 7 days before, not told "30 days" now)."""
    if reminder.confirmed_at is None:
        reminder.confirmed_at = timezone.now()
        left = days_left(reminder.program, today or timezone.localdate())
        reminder.last_sent_before = entered(left) if left is not None else None
        reminder.save(update_fields=["confirmed_at", "last_sent_before"])


def due_today(today: datetime.date) -> QuerySet:
    """Confirmed reminders of public programs whose deadline is still ahead."""
    return DeadlineReminder.objects.filter(
        confirmed_at__isnull=False,
        program__in=Program.objects.published(),
        program__application_deadline__gte=today,
    ).select_related("program__institution")


@transaction.atomic
def send_due(today: datetime.date | None = None) -> dict[str, int]:
    """Queue each reminder whose day has come and has not gone yet (a run that was missed is
    made up for the next day, with the days truly left), and delete what need not be kept;
    the counts."""
    today = today or timezone.localdate()
    last_day = min(settings.REMINDER_DAYS_BEFORE)
    sent = 0
    for reminder in due_today(today):
        left = (reminder.program.application_deadline - today).days
        day = entered(left)
        if day is None or (
            reminder.last_sent_before is not None and reminder.last_sent_before <= day
        ):
            continue
        remind(reminder, left, last=day == last_day)
        sent += 1
        if day == last_day:
            reminder.delete()  # the last one: the address is not kept
        else:
            reminder.last_sent_before = day
            reminder.save(update_fields=["last_sent_before"])
    return {"sent": sent, "deleted": forget(today)}


def forget(today: datetime.date) -> int:
    """Delete what no longer waits for a reminder: unconfirmed past the link's life, and
    those whose deadline has passed, is no longer reported, or whose program is not public."""
    expired = timezone.now() - datetime.timedelta(seconds=settings.REMINDER_CONFIRMATION_MAX_AGE)
    stale = DeadlineReminder.objects.filter(confirmed_at__isnull=True, created_at__lt=expired)
    pending = DeadlineReminder.objects.filter(confirmed_at__isnull=False).exclude(
        pk__in=due_today(today).values("pk")
    ) | DeadlineReminder.objects.filter(last_sent_before=min(settings.REMINDER_DAYS_BEFORE))
    count = 0
    for gone in (stale, pending):
        count += gone.delete()[1].get("programs.DeadlineReminder", 0)
    return count
