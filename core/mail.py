"""Outgoing e-mail through a small queue in the database, so a mail server outage loses nothing.

`queue_email()` writes the message in the caller's transaction and tries to send it once that
transaction commits; a failure is logged and the message waits. `manage.py send_queued_email`
(run every minute by cron or a timer, or `--loop`) sends what is due, retrying with a growing
pause, and gives up after `MAX_ATTEMPTS`.

Why not a task library: the only job is a handful of confirmation e-mails an hour. A table and
a command need no broker, no worker process and no new dependency, survive restarts, and are
shared by every server process through the database the portal already has.
"""

import datetime
import logging

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from core.models import OutgoingEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
# While one process sends a message, others leave it alone for this long.
LEASE = datetime.timedelta(minutes=2)


def retry_pause(attempts):
    """1, 2, 4 … minutes after each failure, at most an hour: about 12 hours in all."""
    return datetime.timedelta(minutes=min(2 ** (attempts - 1), 60))


def queue_email(to, subject, body):
    """Queue a message in the current transaction; it is tried once the transaction commits."""
    email = OutgoingEmail.objects.create(
        to=to, subject=subject, body=body, next_attempt_at=timezone.now()
    )
    transaction.on_commit(lambda: deliver(email.pk))
    return email


def deliver(pk):
    """Try to send one queued message now; True if it was sent. Never raises."""
    now = timezone.now()
    # Claim it first, so two processes never send the same message.
    claimed = OutgoingEmail.objects.due(now).filter(pk=pk).update(next_attempt_at=now + LEASE)
    if not claimed:
        return False
    email = OutgoingEmail.objects.get(pk=pk)
    try:
        send_mail(email.subject, email.body, from_email=None, recipient_list=[email.to])
    except Exception as error:  # any failure of the mail server or the backend
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


def send_due(limit=100):
    """Send every message that is due (at most `limit`): (sent, still waiting)."""
    sent = waiting = 0
    for pk in OutgoingEmail.objects.due(timezone.now()).values_list("pk", flat=True)[:limit]:
        if deliver(pk):
            sent += 1
        else:
            waiting += 1
    return sent, waiting


def retry_all_now():
    """Make every waiting message due at once (after the mail server is repaired)."""
    return OutgoingEmail.objects.filter(sent_at__isnull=True, failed=False).update(
        next_attempt_at=timezone.now()
    )
