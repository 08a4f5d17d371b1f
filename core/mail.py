"""Outgoing e-mail through a small queue in the database: no request ever waits on a mail
server, and a mail server outage loses nothing.

`queue_email()` writes a message in the caller's transaction; `queue_composed()` writes one
that is composed only when it is sent (so a request does the same work whatever the message
turns out to say, or whether there is one at all). `manage.py send_queued_email`, run every
minute by cron or a timer or kept running with `--loop`, sends what is due, retrying with a
growing pause, and gives up after `MAX_ATTEMPTS`.

Why not a task library: the only job is a handful of confirmation e-mails an hour. A table and
a command need no broker, no worker process and no new dependency, survive restarts, and are
shared by every server process through the database the portal already has.
"""

import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.core.mail import EmailMessage
from django.utils import timezone

from core.models import OutgoingEmail
from core.text import one_line

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
# While one process sends a message, others leave it alone for this long.
LEASE = datetime.timedelta(minutes=2)

# Name → compose(to, context): (subject, body), or None when there is nothing to send.
COMPOSERS: dict[str, Callable[[str, dict], tuple | None]] = {}


def register_composer(name: str, compose: Callable[[str, dict], tuple | None]) -> None:
    """Declare how messages queued by `queue_composed(name, …)` are written (an app's ready())."""
    COMPOSERS[name] = compose


def retry_pause(attempts: int) -> datetime.timedelta:
    """1, 2, 4 … minutes after each failure, at most an hour."""
    return datetime.timedelta(minutes=min(2 ** (attempts - 1), 60))


def queue_email(
    to: str, subject: str, body: str, headers: dict[str, str] | None = None
) -> OutgoingEmail:
    """Queue a message in the current transaction; `send_queued_email` sends it."""
    return OutgoingEmail.objects.create(
        to=to,
        subject=one_line(subject)[:300],
        body=body,
        headers={name: one_line(value) for name, value in (headers or {}).items()},
        next_attempt_at=timezone.now(),
    )


def queue_composed(composer: str, to: str, **context: Any) -> OutgoingEmail:
    """Queue a message that the composer registered as `composer` writes when it is sent."""
    return OutgoingEmail.objects.create(
        to=to, composer=composer, context=context, next_attempt_at=timezone.now()
    )


def deliver(pk: int) -> bool:
    """Try to send one queued message now; True if it was sent. Never raises."""
    now = timezone.now()
    # Claim it first, so two processes never send the same message.
    claimed = OutgoingEmail.objects.due(now).filter(pk=pk).update(next_attempt_at=now + LEASE)
    if not claimed:
        return False
    email = OutgoingEmail.objects.get(pk=pk)
    try:
        if email.composer and not compose(email):
            return False
        EmailMessage(
            one_line(email.subject), email.body, to=[email.to], headers=email.headers or None
        ).send()
    except Exception as error:  # any failure of the mail server, the backend or a composer
        email.attempts += 1
        email.last_error = f"{type(error).__name__}: {error}"[:500]
        email.failed = email.attempts >= MAX_ATTEMPTS
        email.next_attempt_at = now + retry_pause(email.attempts)
        email.save(update_fields=["attempts", "last_error", "failed", "next_attempt_at"])
        log = logger.error if email.failed else logger.warning
        log(
            "E-mail %s not sent (attempt %s of %s): %s",
            email.pk,
            email.attempts,
            MAX_ATTEMPTS,
            email.last_error,
            exc_info=email.failed,
        )
        return False
    email.attempts += 1
    email.sent_at = timezone.now()
    email.last_error = ""
    email.save(update_fields=["attempts", "sent_at", "last_error"])
    return True


def compose(email: OutgoingEmail) -> bool:
    """Write a composed message in place; False (and the row deleted) if there is nothing to
    send, such as a confirmation asked for again by an address that wrote no review."""
    written = COMPOSERS[email.composer](email.to, email.context)
    if written is None:
        email.delete()
        return False
    email.subject, email.body = one_line(written[0])[:300], written[1]
    email.composer, email.context = "", {}
    email.save(update_fields=["subject", "body", "composer", "context"])
    return True


def send_due(limit: int = 100) -> tuple[int, int]:
    """Send every message that is due (at most `limit`): (sent, still waiting)."""
    sent = waiting = 0
    for pk in OutgoingEmail.objects.due(timezone.now()).values_list("pk", flat=True)[:limit]:
        if deliver(pk):
            sent += 1
        elif OutgoingEmail.objects.filter(pk=pk).exists():
            waiting += 1
    return sent, waiting


def retry_all_now() -> int:
    """Make every waiting message due at once (after the mail server is repaired)."""
    return OutgoingEmail.objects.filter(sent_at__isnull=True, failed=False).update(
        next_attempt_at=timezone.now()
    )
