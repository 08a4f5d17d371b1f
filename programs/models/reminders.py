"""Deadline reminders without an account: an address, confirmed, reminded before a deadline."""

import secrets

from django.db import models
from django.db.models.functions import Lower

from programs.models.programs import Program


def new_reminder_key() -> str:
    return secrets.token_urlsafe(24)


class DeadlineReminder(models.Model):
    """A reader's wish to be reminded of a program's application deadline, 30 and 7 days
    before it (programs.reminders). The address is kept only while a reminder is pending: the
    row goes once the last one is sent, the deadline has passed, the reader stops it, or its
    confirmation never came."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="reminders")
    email = models.EmailField(max_length=254)
    # Random, in the signed links of the confirmation and of every reminder: the links reveal
    # neither the address nor the program.
    key = models.CharField(max_length=40, unique=True, default=new_reminder_key, editable=False)
    # The site's address as the reader reached it, for the links of messages sent later, from a
    # command that has no request to ask.
    site = models.URLField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Days before the deadline of the last reminder sent (30, then 7); None: none yet.
    last_sent_before = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "program", Lower("email"), name="reminder_once_per_program_and_address"
            )
        ]

    def __str__(self) -> str:
        return f"Reminder of {self.program} ({'confirmed' if self.confirmed_at else 'waiting'})"

    def affects_public_pages(self) -> bool:
        return False
